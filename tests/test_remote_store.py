"""The remote store (kg/remote.py): `--store sparql+http://...` on Virtuoso and on `kg serve`.

The Virtuoso tests need a server: the `virtuoso` fixture (tests/conftest.py) gives
KG_TEST_VIRTUOSO (the base URL; dba/dba) if set, or starts one with `.ci/virtuoso start DIR`
when virtuoso-t is installed. Without it they skip, unless KG_REQUIRE_VIRTUOSO=1 (CI), where
they fail.
"""
from __future__ import annotations

import collections
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from kg import queries
from kg import vocabulary as V
from kg.store import Store, StoreError
from kg_server import free_port, kg_serve
from query_cases import cases, ordered_prefix, param_values, term_rows

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
USER = os.environ.get("KG_TEST_VIRTUOSO_USER", "dba")
PASSWORD = os.environ.get("KG_TEST_VIRTUOSO_PASSWORD", "dba")
REMOTE_ENV = ("KG_STORE", "KG_STORE_UPDATE_URL", "KG_STORE_GSP_URL", "KG_STORE_USER",
              "KG_STORE_PASSWORD", "KG_STORE_TOKEN", "KG_STORE_TIMEOUT")


def virtuoso_env(base: str, **extra: str) -> dict[str, str]:
    env = {"KG_STORE_UPDATE_URL": f"{base}/sparql-auth", "KG_STORE_USER": USER,
           "KG_STORE_PASSWORD": PASSWORD}
    env.update(extra)
    return env


@pytest.fixture
def remote_env(monkeypatch):
    """Sets the remote store's variables for this test (and clears stray ones)."""
    def apply(env: dict[str, str]) -> None:
        for name in REMOTE_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
    return apply


def kg(*args: str, env: dict[str, str] | None = None, check: bool = True):
    environment = {k: v for k, v in os.environ.items() if k not in REMOTE_ENV}
    environment.update(env or {})
    done = subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


def clear_project_graphs(store: Store) -> None:
    """Drops every graph in the project's namespace (reports, ontology, inferred)."""
    rows = store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                        f"FILTER(STRSTARTS(STR(?g), \"{V.GRAPH}\")) }}")
    for row in rows:
        store.update(f"DROP SILENT GRAPH <{row['g']}>")


@contextmanager
def cleared_virtuoso_store(virtuoso: str):
    """The Virtuoso store with the project's graphs dropped, opened again after the drop (a
    store reads what it keeps, the summaries' state, as it opens); dropped again and closed on
    leaving. The remote's settings must be in the environment (remote_env)."""
    store = Store.open(f"sparql+{virtuoso}/sparql")
    try:
        clear_project_graphs(store)
        store.close()
        store = Store.open(f"sparql+{virtuoso}/sparql")
        yield store
    finally:
        clear_project_graphs(store)
        store.close()


# ---------------------------------------------------------------- parity on the dev corpus

@pytest.fixture(scope="module")
def both(virtuoso, tmp_path_factory):
    """The dev corpus ingested by `kg ingest` into a new embedded store and into Virtuoso."""
    url = f"sparql+{virtuoso}/sparql"
    env = virtuoso_env(virtuoso)
    folder = tmp_path_factory.mktemp("parity") / "store"
    # Store.open reads the remote's settings from the environment; restored on leaving.
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        with Store.open(url) as remote:
            clear_project_graphs(remote)
        kg("ingest", str(DEV), "--store", str(folder), "--no-progress")
        kg("ingest", str(DEV), "--store", url, "--no-progress", env=env)
        local, remote = Store.open(folder), Store.open(url)
    yield local, remote
    local.close()
    remote.close()


@pytest.mark.parametrize("name,param_names", list(cases()))
def test_named_query_parity(both, name, param_names):
    local, remote = both
    values = param_values(local)
    params = {p: values[p] for p in param_names if values.get(p)}
    names_l, rows_l = term_rows(local, name, params)
    names_r, rows_r = term_rows(remote, name, params)
    assert names_l == names_r
    # Multisets: ORDER BY leaves ties in any order, and an unordered query has none.
    assert collections.Counter(rows_r) == collections.Counter(rows_l)
    assert len(rows_l) > 0 or param_names, f"{name}: no rows on the dev corpus"
    if ordered_prefix(queries.load(name).text):
        # The sort keys come first in the order the query gives: compare them in order by
        # checking that the remote rows sort the same wherever the local ones differ.
        pos = {row: i for i, row in enumerate(rows_l)}
        assert [pos[r] for r in rows_r] == sorted(pos[r] for r in rows_r) or \
            _same_up_to_ties(rows_l, rows_r, queries.load(name).text, names_l)


def _same_up_to_ties(rows_l, rows_r, text, names) -> bool:
    """The two orders agree on the ORDER BY keys that are plain variables of the result."""
    import re

    clause = text[text.upper().rindex("ORDER BY") + len("ORDER BY"):]
    keys = [k for k in re.findall(r"\?(\w+)", clause.split("\n")[0]) if k in names]
    if not keys:
        return True
    idx = [names.index(k) for k in keys]
    project = lambda rows: [tuple(r[i] for i in idx) for r in rows]  # noqa: E731
    return project(rows_l) == project(rows_r)


def test_stats_and_reports_agree(both):
    local, remote = both
    assert remote.report_ids() == local.report_ids()
    assert remote.stats() == local.stats()


def test_system_graphs_do_not_reach_the_store_views(both):
    _, remote = both
    graphs = {q.graph_name.value for q in remote.quads_for_pattern()}
    assert graphs and all(g.startswith(V.GRAPH) for g in graphs)
    data = collections.Counter()
    import io

    out = io.BytesIO()
    remote.export("nquads", out)
    for quad in ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS):
        data[quad.graph_name.value.startswith(V.GRAPH)] += 1
    assert data[False] == 0 and data[True] == remote.stats()["triples"]


def test_opening_and_a_listing_read_no_whole_store(both, monkeypatch):
    """Opening the store and a named listing's page send no query reading every quad of the
    store through a FILTER on its graphs (Virtuoso reads them all: 3.6 s at 10,000 reports,
    every `kg query` over it); the system graphs are still left out where whole graphs are
    read (test_system_graphs_do_not_reach_the_store_views)."""
    import re

    from kg.store import connector

    sent: list[str] = []
    for method in ("query", "select_raw"):
        original = getattr(connector.SparqlConnector, method)

        def record(self, text, *args, _original=original, **kwargs):
            sent.append(text)
            return _original(self, text, *args, **kwargs)
        monkeypatch.setattr(connector.SparqlConnector, method, record)
    _, remote = both
    with Store.open(remote.path) as store:
        assert list(queries.run(store, "states", limit=5))
        store.version()
    scans = [t for t in sent if re.search(r"GRAPH \?g \{ \?s \?p \?o \}[^}]*FILTER", t)]
    assert not scans, scans


def test_same_interface_on_virtuoso(both):
    local, remote = both
    report = local.report_ids()[0]
    assert remote.report_hash(report) == local.report_hash(report)
    assert isomorphic(remote.graph(report), local.graph(report))
    assert bool(remote.query("ASK { ?s a <https://bilateral-kg.org/ontology#Report> }"))
    assert not bool(remote.query("ASK { GRAPH <urn:kg-test:none> { ?s ?p ?o } }"))
    triples = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{V.graph_iri(report)}> "
                           f"{{ ?s ?p ?o }} }}")
    assert isinstance(triples, ox.QueryTriples)
    assert len(list(triples)) == len(local.graph(report))


def test_writes_and_graph_store_on_virtuoso(virtuoso, remote_env):
    remote_env(virtuoso_env(virtuoso, KG_STORE_GSP_URL=f"{virtuoso}/sparql-graph-crud-auth"))
    graph = V.GRAPH + "test/remote-writes"
    triples = [ox.Triple(ox.NamedNode("urn:kg-test:a"), ox.NamedNode("urn:kg-test:p"),
                         ox.Literal(f"value {i}")) for i in range(2500)]
    # Blank nodes shared by two triples stay one node across the INSERT blocks.
    b = ox.BlankNode()
    triples += [ox.Triple(ox.NamedNode("urn:kg-test:a"), ox.NamedNode("urn:kg-test:q"), b),
                ox.Triple(b, ox.NamedNode("urn:kg-test:r"), ox.Literal("x"))]
    with Store.open(f"sparql+{virtuoso}/sparql") as store:
        store.put_graph(graph, triples)
        assert store.has_graph(graph)
        assert len(list(ox.parse(store.dump_graph(graph, ox.RdfFormat.N_TRIPLES),
                                 format=ox.RdfFormat.N_TRIPLES))) == 2502
        assert len(list(store.quads_for_pattern(graph_name=ox.NamedNode(graph)))) == 2502
        store.add_to_graph(graph, [ox.Triple(ox.NamedNode("urn:kg-test:z"),
                                             ox.NamedNode("urn:kg-test:p"), ox.Literal("z"))])
        assert len(list(store.quads_for_pattern(graph_name=ox.NamedNode(graph)))) == 2503
        rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ "
                            f"<urn:kg-test:a> <urn:kg-test:q> ?b . ?b <urn:kg-test:r> ?x }} }}")
        assert rows[0]["n"] == "1"
        assert store.delete_graph(graph)
        assert not store.has_graph(graph)
        assert not store.delete_graph(graph)
    # Without the Graph Store endpoint, the same through SPARQL Update in blocks.
    remote_env(virtuoso_env(virtuoso))
    with Store.open(f"sparql+{virtuoso}/sparql") as store:
        store.put_graph(graph, triples)
        assert len(list(store.quads_for_pattern(graph_name=ox.NamedNode(graph)))) == 2502
        assert store.delete_graph(graph)


# ---------------------------------------------------------------- errors

def test_unreachable_server(remote_env):
    remote_env({})
    port = free_port()
    with pytest.raises(StoreError, match=rf"cannot reach http://127\.0\.0\.1:{port}/sparql.*"
                                         r"check that the server runs"):
        Store.open(f"sparql+http://127.0.0.1:{port}/sparql")


def test_credentials_in_the_url_are_refused(remote_env):
    remote_env({})
    with pytest.raises(StoreError, match="KG_STORE_USER and KG_STORE_PASSWORD"):
        Store.open("sparql+http://dba:dba@127.0.0.1:1/sparql")


def test_cli_reports_an_unreachable_store():
    done = kg("stats", "--store", f"sparql+http://127.0.0.1:{free_port()}/sparql", check=False)
    assert done.returncode == 1
    assert "cannot reach" in done.stderr and "Traceback" not in done.stderr


def test_wrong_password(virtuoso, remote_env):
    remote_env(virtuoso_env(virtuoso, KG_STORE_PASSWORD="not-the-password"))
    store = Store.open(f"sparql+{virtuoso}/sparql")  # reads are anonymous
    with pytest.raises(StoreError, match=r"sparql-auth refused the update \(401: wrong "
                                         r"credentials\); check KG_STORE_USER"):
        store.update("INSERT DATA { GRAPH <urn:kg-test:x> { <urn:a> <urn:b> <urn:c> } }")


def test_read_only_endpoint(virtuoso, remote_env):
    remote_env({})  # no update URL: updates go to the anonymous, read-only /sparql
    store = Store.open(f"sparql+{virtuoso}/sparql")
    with pytest.raises(StoreError, match=r"does not take writes.*Set KG_STORE_UPDATE_URL"):
        store.update("INSERT DATA { GRAPH <urn:kg-test:x> { <urn:a> <urn:b> <urn:c> } }")


# ---------------------------------------------------------------- our own kg serve as the remote

@pytest.mark.slow
def test_same_interface_against_kg_serve(tmp_path, remote_env):
    folder = tmp_path / "served"
    with Store.open(folder):
        pass
    with kg_serve(folder, env={"KG_UPDATE_TOKEN": "s3cret"}) as served:
        url = f"sparql+{served.url}/sparql"
        remote_env({"KG_STORE_TOKEN": "s3cret", "KG_STORE_GSP_URL": f"{served.url}/service"})
        report = next(p for p in sorted(DEV.iterdir()) if p.suffix in (".txt", ".md"))
        kg("ingest", str(report), "--store", url, "--no-progress",
           env={"KG_STORE_TOKEN": "s3cret"})
        with Store.open(url) as store:
            ids = store.report_ids()
            assert ids == [report.stem] or len(ids) == 1
            rid = ids[0]
            assert store.report_hash(rid)
            assert len(store.graph(rid)) > 50
            assert store.stats()["reports"] == 1
            rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s a "
                                "<https://bilateral-kg.org/ontology#Report> }")
            assert rows == [{"n": "1"}]
            graph = "https://example.org/kg-test"
            store.put_graph(graph, [ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"),
                                              ox.Literal("c"))])
            assert store.has_graph(graph)
            assert b"urn:a" in store.dump_graph(graph, ox.RdfFormat.N_TRIPLES)
            assert store.delete_graph(graph)
            assert store.remove_report(rid)
            assert store.report_ids() == []
        # A wrong token is refused with a message naming the variable.
        remote_env({"KG_STORE_TOKEN": "wrong"})
        with Store.open(url) as store:
            with pytest.raises(StoreError, match="wrong credentials.*KG_STORE_TOKEN"):
                store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
        # No token at all: kg serve answers 401 for writes.
        remote_env({})
        with Store.open(url) as store:
            with pytest.raises(StoreError, match="needs credentials"):
                store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")


def test_kg_serve_on_virtuoso_serves_pages_and_forwards_queries(both, virtuoso, tmp_path):
    import time
    import urllib.parse
    import urllib.request

    local, _ = both
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in REMOTE_ENV}
    env.update(virtuoso_env(virtuoso))
    log = open(tmp_path / "serve.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store",
                               f"sparql+{virtuoso}/sparql", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(base + "/", timeout=10) as r:
                    home = r.read().decode()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        assert "reports" in home.lower()
        query = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a " \
                "<https://bilateral-kg.org/ontology#Report> }"
        request = urllib.request.Request(
            base + "/sparql?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as r:
            assert r.read().decode().split() == ["n", str(len(local.report_ids()))]
        report = local.report_ids()[0]
        with urllib.request.urlopen(f"{base}/report/{report}", timeout=60) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(10)
