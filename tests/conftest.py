"""Fixtures shared by the test modules.

- dev_store (session): ../shared/corpus/dev ingested once into a temporary store; read-only
  (a test that writes copies it: copy_store). Its reports and quad count are checked again
  at the end of the run, so a test that wrote to it fails the run.
- make_store, write_report: factories for a store of hand-built report graphs and for a
  report file with front matter.
- virtuoso (session): the base URL of a Virtuoso for the remote-store tests. KG_TEST_VIRTUOSO
  if set; otherwise, with Debian's virtuoso-t on PATH, a throwaway one started with
  `.ci/virtuoso start DIR` on free ports and stopped at the end; otherwise the tests skip
  (or fail, when KG_REQUIRE_VIRTUOSO=1).

Markers (pyproject.toml): slow, browser, virtuoso (added here to every test that uses the
virtuoso fixture), java. `make test-fast` leaves all four out.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import DEV_CORPUS, ROOT, report_graph
from helpers import write_report as _write_report


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "virtuoso" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.virtuoso)


# ---------------------------------------------------------------- stores

def _fingerprint(path: Path) -> tuple:
    from kg.store import Store

    with Store.open(path) as store:
        quads = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return tuple(store.report_ids()), str(quads[0]["n"])


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory) -> Path:
    """The folder of a store holding the dev corpus, built once per run. Read-only: open it,
    query it, serve it; a test that writes (kg reason, ingest, remove) uses copy_store."""
    if not DEV_CORPUS.is_dir():
        pytest.skip(f"the dev corpus is not at {DEV_CORPUS}")
    from kg.ingest import ingest
    from kg.store import Store

    path = tmp_path_factory.mktemp("dev-store") / "kg"
    with Store.open(path) as store:
        summary = ingest([DEV_CORPUS], store, progress=False)
    assert summary.added >= 10 and not summary.failed, summary.text()
    before = _fingerprint(path)
    yield path
    assert _fingerprint(path) == before, "a test wrote to the shared dev_store (use copy_store)"


@pytest.fixture(scope="session")
def copy_store(tmp_path_factory):
    """copy_store(folder) -> a copy of a (closed) store folder that a test may write to."""
    def copy(folder: Path) -> Path:
        target = tmp_path_factory.mktemp("store-copy") / "kg"
        shutil.copytree(folder, target)
        return target
    return copy


@pytest.fixture
def make_store(tmp_path):
    """make_store({id: graph or (title, states)}, name="kg") -> the folder of a new store
    under tmp_path holding those report graphs (helpers.report_graph for a (title, states))."""
    from kg.store import Store

    def make(reports: dict | None = None, name: str = "kg") -> Path:
        path = tmp_path / name
        with Store.open(path) as store:
            for rid, graph in (reports or {}).items():
                if isinstance(graph, tuple):
                    title, states = graph
                    graph = report_graph(rid, title=title, states=states)
                store.replace_report(rid, graph)
        return path
    return make


@pytest.fixture
def write_report(tmp_path):
    """write_report(id, text, folder=tmp_path/"reports", **front_matter) -> the report's path
    (helpers.write_report)."""
    def write(rid: str, text: str, folder: Path | None = None, **front_matter) -> Path:
        return _write_report(folder or tmp_path / "reports", rid, text, **front_matter)
    return write


# ---------------------------------------------------------------- Virtuoso

def _free_port() -> int:
    from kg_server import free_port
    return free_port()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """The base URL of a Virtuoso (dba/dba) the tests may fill and clear."""
    given = os.environ.get("KG_TEST_VIRTUOSO", "").rstrip("/")
    if given:
        yield given
        return
    if shutil.which("virtuoso-t") is None:
        reason = ("no Virtuoso: virtuoso-t is not on PATH (install Debian's "
                  "virtuoso-opensource) and KG_TEST_VIRTUOSO is unset")
        if os.environ.get("KG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail(f"KG_REQUIRE_VIRTUOSO=1 but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("virtuoso")
    # own ports, so that a Virtuoso already running here (CI's, another run's) is not hit
    env = {**os.environ, "VIRTUOSO_HTTP_PORT": str(_free_port()),
           "VIRTUOSO_SQL_PORT": str(_free_port())}
    script = ROOT / ".ci" / "virtuoso"
    done = subprocess.run([str(script), "start", str(folder)], env=env, capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        subprocess.run([str(script), "stop", str(folder)], env=env, capture_output=True,
                       timeout=60)
        pytest.fail(f".ci/virtuoso start failed ({done.returncode}): {done.stderr}")
    started = dict(line.split("=", 1) for line in done.stdout.split() if "=" in line)
    url = started["KG_TEST_VIRTUOSO"]
    os.environ["KG_TEST_VIRTUOSO"] = url
    os.environ["KG_TEST_VIRTUOSO_SQL"] = started["KG_TEST_VIRTUOSO_SQL"]
    try:
        yield url
    finally:
        os.environ.pop("KG_TEST_VIRTUOSO", None)
        os.environ.pop("KG_TEST_VIRTUOSO_SQL", None)
        subprocess.run([str(script), "stop", str(folder)], env=env, capture_output=True,
                       timeout=60)
