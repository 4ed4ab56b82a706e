"""`kg serve` answers queries while `kg ingest` writes through it (--store sparql+http://...),
and every query sees each report's graph whole or not at all (issue 6, part 3)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.store import Store
from kg_server import kg_serve

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT.parent / "shared" / "corpus" / "dev", ROOT / "tests" / "fixtures" / "corpus"]
TOKEN = "serve-while-ingest"
COUNTS = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
          "FILTER(STRSTARTS(STR(?g), \"https://bilateral-kg.org/graph/report/\")) } GROUP BY ?g")


def kg_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(extra)
    return env


def graph_counts(base: str) -> dict[str, int]:
    request = urllib.request.Request(
        base + "/sparql?" + urllib.parse.urlencode({"query": COUNTS}),
        headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        rows = json.load(response)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


@pytest.mark.slow
def test_queries_see_each_report_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "store"
    with Store.open(folder):
        pass
    with kg_serve(folder, env={"KG_UPDATE_TOKEN": TOKEN}) as served:
        observations: list[dict[str, int]] = []
        errors: list[str] = []
        done = threading.Event()

        def watch():
            while not done.is_set():
                try:
                    observations.append(graph_counts(served.url))
                except (OSError, urllib.error.URLError, ValueError) as e:
                    errors.append(f"{type(e).__name__}: {e}")

        watchers = [threading.Thread(target=watch, daemon=True) for _ in range(3)]
        for w in watchers:
            w.start()
        try:
            ingest = subprocess.run(
                [sys.executable, "-m", "kg.cli", "ingest", *map(str, CORPORA), "--store",
                 f"sparql+{served.url}/sparql", "--no-progress"],
                cwd=ROOT, env=kg_env(KG_STORE_TOKEN=TOKEN), capture_output=True, text=True,
                timeout=900)
        finally:
            done.set()
            for w in watchers:
                w.join(120)
        final = graph_counts(served.url)

    assert ingest.returncode in (0, 1), ingest.stderr
    assert "StoreError" not in ingest.stderr, ingest.stderr
    assert len(final) >= 30, ingest.stdout
    assert not errors, errors[:3]
    # Queries kept being answered while the reports were written: some saw a part of them.
    during = [o for o in observations if 0 < len(o) < len(final)]
    assert len(observations) >= 10 and len(during) >= 3, (len(observations), len(during))
    for observed in observations:
        for graph, n in observed.items():
            assert n == final.get(graph), f"{graph}: a query saw {n} triples of " \
                                          f"{final.get(graph)}"


def test_ingest_into_a_served_folder_says_to_go_through_the_server(tmp_path):
    folder = tmp_path / "store"
    with Store.open(folder):
        pass
    with kg_serve(folder, env={"KG_UPDATE_TOKEN": TOKEN}) as served:
        report = next(p for p in sorted(CORPORA[0].iterdir()) if p.suffix in (".txt", ".md"))
        done = subprocess.run(
            [sys.executable, "-m", "kg.cli", "ingest", str(report), "--store", str(folder),
             "--no-progress"], cwd=ROOT, env=kg_env(), capture_output=True, text=True,
            timeout=300)
    assert done.returncode == 1
    # The server is named, with the --store that writes through it (tests/test_readers.py).
    assert f"held by `kg serve` at {served.url}/" in done.stderr
    assert f"--store sparql+{served.url}/sparql" in done.stderr
    assert "KG_STORE_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
