"""The wheel is a whole kg: built from this repository, installed (with its dependencies) in a
fresh virtual environment, and run from a folder outside the repository, it ingests, queries,
validates and serves, reading the named queries, the ontology, the shapes, the page queries,
the templates and the viewer's front-end from the installed package alone.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from helpers import needs_vendor
from kg_server import free_port

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "fixtures" / "corpus"

# without the built front-end (make vendor) the wheel would not carry it
pytestmark = [pytest.mark.slow, needs_vendor]


def _clean_env() -> dict[str, str]:
    # Nothing of this checkout may leak in: no KG_* setting, no PYTHONPATH.
    return {k: v for k, v in os.environ.items()
            if not k.startswith("KG_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _run(args: list, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=_clean_env(),
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a new virtual environment with the wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", ROOT],
         cwd=base)
    wheel = next((base / "dist").glob("bilateral_kg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for member in ("kg/named_queries/states.rq", "kg/named_queries/network/network-links.rq",
                   "kg/ontology/shapes.ttl",
                   "kg/ontology/bilateral.ttl", "kg/ontology/build_docs.py",
                   "kg/web/queries/entity-exists.rq", "kg/web/templates/base.html",
                   "kg/web/static/vendor/graph-libs.js", "kg/data/gazetteer.yml",
                   "kg/web/sparql_worker.py"):
        assert member in names, f"the wheel lacks {member}"
    # One import package: the wheel claims no top-level name but kg.
    assert {n.split("/")[0] for n in names if not n.startswith("bilateral_kg-")} == {"kg"}
    _run([sys.executable, "-m", "venv", base / "venv"], cwd=base)
    bin_dir = base / "venv" / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=base)
    return bin_dir


def test_the_installed_kg_is_the_wheels(installed, tmp_path):
    done = _run([installed / "python", "-c",
                 "import kg, kg.queries, kg.store; print(kg.__file__); "
                 "print(kg.queries.queries_dir()); print(kg.store.ONTOLOGY_DIR)"], cwd=tmp_path)
    package = Path(done.stdout.splitlines()[0]).parent
    assert ROOT not in package.parents and "site-packages" in str(package)
    assert done.stdout.splitlines()[1:] == [str(package / "named_queries"),
                                            str(package / "ontology")]
    gone = subprocess.run([installed / "python", "-c", "import web"], cwd=tmp_path,
                          env=_clean_env(), capture_output=True)
    assert gone.returncode != 0


def test_ingest_query_validate_and_serve_from_the_wheel(installed, tmp_path):
    kg = installed / "kg"
    store = tmp_path / "store"
    reports = sorted(REPORTS.glob("*.txt"))[:3]
    done = _run([kg, "ingest", *reports, "--store", store, "--no-progress"], cwd=tmp_path)
    assert "3 added" in done.stderr + done.stdout
    listing = _run([kg, "query", "--list"], cwd=tmp_path).stdout
    assert "state-relations" in listing
    rows = _run([kg, "query", "states", "--store", store, "--format", "csv"],
                cwd=tmp_path).stdout.splitlines()
    assert rows[0] == "state,iso3,name,report" and len(rows) > 3
    _run([kg, "validate", "--store", store], cwd=tmp_path)

    port = free_port()
    server = subprocess.Popen([kg, "serve", "--store", store, "--port", str(port)],
                              cwd=tmp_path, env=_clean_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "kg serve did not answer"
                time.sleep(0.3)

        def get(path: str, **headers) -> str:
            request = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as r:
                assert r.status == 200
                return r.read().decode("utf-8")

        graph = get("/graph")
        assert "vendor-missing" not in graph and "vendor/graph-libs.js" in graph
        assert len(get("/static/vendor/graph-libs.js")) > 10_000
        # Built from the package's ontology/ (its build_docs.py and .ttl files).
        ontology = get("/ontology")
        assert "Object properties" in ontology and "bkg:State" in ontology
        answer = json.loads(get("/sparql?query=" + urllib.request.quote(
            "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            Accept="application/sparql-results+json"))
        assert int(answer["results"]["bindings"][0]["n"]["value"]) >= 3
        drawn = json.loads(get("/api/graph"))
        assert drawn["counts"]["reports_shown"] == 3 and drawn["counts"]["nodes"] > 3
    finally:
        server.terminate()
        server.wait(10)
