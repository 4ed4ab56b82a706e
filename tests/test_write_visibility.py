"""Every write to a running `kg serve`, by any route, is seen at once by every read route
(issue 16).

A report added through /upload used to stay invisible to /sparql (and so to the query page
and `kg query --store sparql+http://...`) until some other write went through /sparql: the
query workers reopen their read-only view of the store only when told of a write, and only
the endpoint's writes told them. Now each job carries the store's version(), which every
write through the store changes.

Each case reads first (which leaves a query worker holding a view of the store as it is),
writes by one route, and reads again at once by one route.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from helpers import KG, call, report_graph, write_report
from kg import vocabulary as V
from kg.store import Store
from kg_server import kg_serve

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "visibility-token"
# Written for these tests: a report the extractor finds two states and a meeting in.
TEXT = ("BAKU, May 4. The Foreign Minister of Azerbaijan received the Ambassador of Georgia "
        "in Baku on May 3, 2024, and the two discussed a rail link between their capitals.")

WRITES = ["upload", "sparql-update", "gsp-put", "gsp-post", "gsp-delete", "kg-ingest"]
READS = ["endpoint", "report-page", "api-graph", "cli-through-server", "cli-on-folder"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("visibility") / "store"
    with Store.open(folder):
        pass
    # One query worker: the same worker, holding its view, answers the reads before and
    # after each write (with more, a fresh one could hide a stale one).
    with kg_serve(folder, env={"KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_WORKERS": "1"}) as server:
        yield server, folder


def _ntriples(rid: str) -> bytes:
    return report_graph(rid, title=f"Report {rid}").serialize(format="nt", encoding="utf-8")


def _write(route: str, base: str, rid: str, tmp_path: Path) -> None:
    graph = V.graph_iri(rid)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    if route == "upload":
        form = urllib.parse.urlencode({"id": rid, "text": TEXT, "token": TOKEN,
                                       "published": "2024-05-04"})
        status, _, body = call(base + "/upload", "POST", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        assert status == 200 and json.loads(body)["reports"] == [rid], body[:500]
    elif route == "sparql-update":
        text = f"INSERT DATA {{ GRAPH <{graph}> {{ {_ntriples(rid).decode()} }} }}"
        status, _, body = call(base + "/sparql", "POST", text,
                               {"Content-Type": "application/sparql-update", **bearer})
        assert status == 204, body
    elif route in ("gsp-put", "gsp-post"):
        status, _, body = call(base + "/service?" + urllib.parse.urlencode({"graph": graph}),
                               "PUT" if route == "gsp-put" else "POST", _ntriples(rid),
                               {"Content-Type": "application/n-triples", **bearer})
        assert status in (201, 204), body
    elif route == "gsp-delete":
        status, _, body = call(base + "/service?" + urllib.parse.urlencode({"graph": graph}),
                               "DELETE", None, bearer)
        assert status == 204, body
    elif route == "kg-ingest":
        path = write_report(tmp_path / "reports", rid, TEXT, published="2024-05-04")
        done = subprocess.run([str(KG), "ingest", str(path), "--store",
                               f"sparql+{base}/sparql", "--no-progress"], cwd=ROOT,
                              env=_env(KG_STORE_TOKEN=TOKEN), capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    else:
        raise AssertionError(route)


def _read(route: str, base: str, folder: Path, rid: str):
    """What the read route shows of report `rid`: whether it is there; for /api/graph, the
    number of reports the graph is drawn from."""
    if route == "endpoint":
        ask = f"ASK {{ GRAPH <{V.graph_iri(rid)}> {{ ?s ?p ?o }} }}"
        status, _, body = call(base + "/sparql?" + urllib.parse.urlencode({"query": ask}),
                               headers={"Accept": "application/sparql-results+json"})
        assert status == 200, body
        return json.loads(body)["boolean"]
    if route == "report-page":
        status, _, body = call(f"{base}/report/{rid}")
        assert status in (200, 404), body[:300]
        return status == 200
    if route == "api-graph":
        status, _, body = call(base + "/api/graph")
        assert status == 200, body[:300]
        return json.loads(body)["counts"]["reports_total"]
    if route in ("cli-through-server", "cli-on-folder"):
        store = f"sparql+{base}/sparql" if route == "cli-through-server" else str(folder)
        done = subprocess.run([str(KG), "query", "report", "--param", f"report={rid}",
                               "--store", store, "--format", "json"], cwd=ROOT,
                              env=_env(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        if route == "cli-on-folder":
            # It says it read the folder the server holds, and reads it all the same.
            assert "held by `kg serve` at " + base in done.stderr, done.stderr
        return bool(json.loads(done.stdout)["results"]["bindings"])
    raise AssertionError(route)


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("write", WRITES)
def test_every_write_is_seen_at_once_by_every_read(served, write, read, tmp_path):
    server, folder = served
    rid = f"vis-{write}-{read}"
    removal = write == "gsp-delete"
    if removal:
        _write("gsp-put", server.url, rid, tmp_path)
        assert _read("endpoint", server.url, folder, rid) is True
    before = _read(read, server.url, folder, rid)
    _write(write, server.url, rid, tmp_path)
    after = _read(read, server.url, folder, rid)
    if read == "api-graph":
        assert after == before + (-1 if removal else 1), (before, after)
    else:
        assert (before, after) == ((True, False) if removal else (False, True))
