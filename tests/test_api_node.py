"""The graph page's node details (/api/node) on a large store (issue 18): what changed to make
its first request fast shows the same JSON as before.

- The evidence is counted by report (network-evidence-reports) and the sentences shown are
  read from the first reports only (graph.node_evidence), not the whole evidence read and
  sorted (entities.evidence_of): the same sentences and total.
- A state's details in the overview of a large store are read from its own pairs
  (network-state-pairs, graphview.overview(around=)), not from the whole overview built
  first: the same attributes and neighbours.

Checked on the dev corpus (the conftest's dev_store) served with a limit of 3 reports per
graph, so that the store counts as large; and the new query on Virtuoso.
"""
from __future__ import annotations

import random
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg import network
from kg import queries as Q
from kg.store import OxigraphStore, Store, plain_rows
from kg.web import graphview
from kg.web.app import create_app
from kg.web.settings import Settings
from kg.web.views import graph as graph_views
from kg.web.views import entities
from kg.web.views.entities import evidence_of

from test_remote_store import cleared_virtuoso_store, remote_env, virtuoso_env  # noqa: F401
from test_summaries import made_report


@pytest.fixture(scope="module")
def store(dev_store):
    s = OxigraphStore.open_read_only(dev_store)
    yield s
    s.close()


@pytest.fixture
def app(store):
    # Not read ahead (web/views/warm.py): the first requests' own reads are what is tested.
    return create_app(store, Settings(viewer_max_reports=3, warm_start=False))


def _nodes(store) -> list[str]:
    """Every node of the full view but the reports: states, persons, posts, agreements,
    events, relations, organizations."""
    G = network.build(store, "full")
    return sorted(n for n, kind in G.nodes(data="kind") if kind != "report")


def _codes(store) -> list[str]:
    return sorted(network.state_names(store))


def _pairs(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, v is None, str(v)) for k, v in r.items())) for r in rows)


# ---------------------------------------------------------------- the evidence

def _whole(node: str, limit: int) -> tuple[list[dict], int]:
    """The evidence as it was read before any walk: the whole listing, folded."""
    out = entities.fold_evidence(entities._evidence_rows(node), node)
    return out[:limit], len(out)


def test_node_evidence_is_the_whole_listings(app, store):
    """/api/node's and the entity pages' evidence (walked from the first reports, the total
    kept in the summary) against the whole listing's, for every node and small limits."""
    nodes = _nodes(store)
    assert len(nodes) > 50
    hubs = walked = 0
    with app.test_request_context():
        for node in nodes:
            for limit in (1, 2, 5, 100):
                old = _whole(node, limit)
                assert graph_views.node_evidence(node, limit) == old, (node, limit)
                assert evidence_of(node, limit) == old, (node, limit)
            hubs += old[1] > 5
            walked += entities.walked_evidence(node, 5) is not None
        assert hubs >= 5  # nodes whose evidence the small limits cut
        assert walked >= 50  # states, persons, agreements and relations read so
        assert graph_views.node_evidence("https://bilateral-kg.org/id/state/XXX", 5) == ([], 0)


def test_the_kept_evidence_count_is_the_listings_or_none(app, store):
    """Kept for every state, person, agreement and relation; not for posts, events and
    organizations (per report, or no class counted), which are counted as before."""
    kinds = dict(network.build(store, "full").nodes(data="kind"))
    with app.test_request_context():
        for node in _nodes(store):
            kept = entities.kept_evidence_total(node)
            if kinds[node] in ("state", "person", "agreement", "relation"):
                assert kept == _whole(node, 0)[1], node
            elif kinds[node] in ("post", "event", "organization"):
                assert kept is None, node


def test_evidence_kg_does_not_count_is_read_whole(tmp_path):
    """A fact linking to a state by a property kg does not write (a Graph Store write can),
    and evidence about a state in a graph where it has no class: the count cannot be kept, so
    the page counts with the listing, and shows the same."""
    s = Store.open(tmp_path / "kg")
    rng = random.Random(7)
    s.replace_reports(made_report(rng, f"e{i:02d}") for i in range(8))
    pol = graphview.V.state_iri("POL")
    app = create_app(s, viewer_max_reports=3)
    with app.test_request_context():
        assert entities.kept_evidence_total(pol) is not None
        before = _whole(pol, 100)
        assert evidence_of(pol, 100) == before
    relation = next(r["s"] for r in plain_rows(s.query(
        f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <https://bilateral-kg.org/ontology#between> "
        f"<{pol}> }} }} LIMIT 1")))
    graph = next(r["g"] for r in plain_rows(s.query(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{relation}> a ?c }} }} LIMIT 1")))
    odd = ox.NamedNode("https://example.org/concerns")
    s.add_to_graph(graph, [ox.Triple(ox.NamedNode(relation), odd, ox.NamedNode(pol))])
    app = create_app(s, viewer_max_reports=3)
    with app.test_request_context():
        assert entities.kept_evidence_total(pol) is None
        assert evidence_of(pol, 100) == _whole(pol, 100)
        assert graph_views.node_evidence(pol, 3) == _whole(pol, 3)
    s.close()


def test_the_evidence_count_by_report_counts_the_evidence_querys_sentences(store):
    for node in _nodes(store):
        rows = plain_rows(Q.run(store, "evidence", {"node": [node]}))
        sentences = {(r["report"], r["start"]) for r in rows}
        counted = plain_rows(Q.run(store, "network-evidence-reports", {"node": [node]}),
                             integers=True)
        assert sum(r["sentences"] for r in counted) == len(sentences), node
        assert {r["report"] for r in counted} == {r for r, _ in sentences}, node


def test_node_details_read_the_first_reports_evidence_only(app, store, monkeypatch):
    """A cost test: /api/node of the state in most reports reads the evidence query over the
    reports that hold its first sentences (all of them before), its total from the summary
    (network-evidence-reports, which counted them all, is not read), and the overview of a
    large store is not built for it (network-pairs, every pair of states, was read)."""
    ran: list[tuple[str, int | None]] = []
    run = Q.run

    def spy(source, query, params=None, **kw):
        name = query if isinstance(query, str) else query.name
        graphs = getattr(source, "graphs", None)
        ran.append((name, None if graphs is None else len(graphs)))
        return run(source, query, params, **kw)

    monkeypatch.setattr(Q, "run", spy)
    # One sentence shown: the dev corpus's states are in a few reports each.
    monkeypatch.setattr(graph_views, "NODE_EVIDENCE", 1, raising=False)
    state = max(graphview.overview(store).nodes(data=True), key=lambda n: n[1]["reports"])[0]
    with app.test_request_context():
        total = evidence_of(state)[1]
    assert total > 10
    ran.clear()
    r = app.test_client().get(f"/api/node?iri={quote(state, safe='')}")
    assert r.status_code == 200 and r.json["evidence_total"] == total
    assert len(r.json["evidence"]) == 1
    names = [name for name, _ in ran]
    assert "network-pairs" not in names and "network-state-pairs" in names
    assert "network-evidence-reports" not in names
    (graphs,) = [n for name, n in ran if name == "evidence"]
    reports = len(plain_rows(Q.run(store, "network-evidence-reports", {"node": [state]})))
    assert graphs is not None and 0 < graphs < reports
    # Read ahead before serving, the overview is there: neither is read for the node.
    warmed = create_app(store, Settings(viewer_max_reports=3))
    ran.clear()
    assert warmed.test_client().get(f"/api/node?iri={quote(state, safe='')}").json == r.json
    assert not {"network-pairs", "network-state-pairs"} & {name for name, _ in ran}


# ---------------------------------------------------------------- a state in the overview

def test_state_pairs_are_network_pairs_rows_of_the_state(store):
    every = plain_rows(Q.run(store, "network-pairs"))
    codes = _codes(store)
    assert len(codes) >= 5 and every
    for code in codes:
        mine = [r for r in every if code in (r["state_a"], r["state_b"])]
        assert _pairs(plain_rows(Q.run(store, "network-state-pairs", {"state": [code]}))) == \
            _pairs(mine), code


def test_the_overview_around_a_state_is_the_overview_at_that_state(store):
    whole = graphview.overview(store)
    for state in whole:
        star = graphview.overview(store, around=state)
        assert star.nodes[state] == whole.nodes[state], state
        assert sorted(star[state]) == sorted(whole[state]), state
        for other in whole[state]:
            assert star.edges[state, other] == whole.edges[state, other]
    assert "https://bilateral-kg.org/id/person/x" not in graphview.overview(
        store, around="https://bilateral-kg.org/id/person/x")


def test_node_details_are_the_same_with_the_overview_kept_or_not(app, store):
    """The first /api/node (nothing kept) against one after /api/graph kept the overview:
    the states, and nodes in no overview (read from the reports stating them)."""
    client = app.test_client()
    nodes = [n for n in _nodes(store) if n.startswith(graphview.V.ID + "state/")]
    nodes += _nodes(store)[::7]
    cache = app.extensions["kg"].viewer_cache
    first = {}
    for node in nodes:
        cache._entries.clear()
        r = client.get(f"/api/node?iri={quote(node, safe='')}")
        assert r.status_code == 200, node
        first[node] = r.json
    assert client.get("/api/graph").status_code == 200
    for node in nodes:
        assert client.get(f"/api/node?iri={quote(node, safe='')}").json == first[node], node
    states = [n for n in nodes if first[n]["attributes"].get("kind") == "state"]
    assert len(states) >= 5 and all(first[n]["neighbours"] for n in states[:3])


# ---------------------------------------------------------------- over Virtuoso

def test_the_new_queries_on_virtuoso(virtuoso, remote_env):
    remote_env(virtuoso_env(virtuoso))
    with cleared_virtuoso_store(virtuoso) as store:
        rng = random.Random(18)
        store.replace_reports(made_report(rng, f"n{i:02d}") for i in range(12))
        every = plain_rows(Q.run(store, "network-pairs"))
        assert every
        for code in ("AZE", "POL", "TUR"):
            mine = [r for r in every if code in (r["state_a"], r["state_b"])]
            assert _pairs(plain_rows(Q.run(store, "network-state-pairs",
                                           {"state": [code]}))) == _pairs(mine), code
        for node in sorted({r["relation"] for r in every})[:3] + [
                graphview.V.state_iri(c) for c in ("AZE", "POL")]:
            rows = plain_rows(Q.run(store, "evidence", {"node": [node]}))
            counted = plain_rows(Q.run(store, "network-evidence-reports", {"node": [node]}),
                                 integers=True)
            assert sum(r["sentences"] for r in counted) == \
                len({(r["report"], r["start"]) for r in rows}), node
        app = create_app(store, viewer_max_reports=3)
        client = app.test_client()
        state = graphview.V.state_iri("POL")
        r = client.get(f"/api/node?iri={quote(state, safe='')}")
        assert r.status_code == 200 and r.json["attributes"]["kind"] == "state"
        with app.test_request_context():
            assert (r.json["evidence_total"], len(r.json["evidence"])) == \
                (evidence_of(state)[1], min(100, evidence_of(state)[1]))


def test_node_evidence_on_virtuoso_is_walked_and_the_embedded_stores(virtuoso, remote_env,
                                                                      monkeypatch):
    """Over Virtuoso too the evidence shown is read from the first reports' graphs (bound by
    VALUES ?g; the whole listing took 16 s for a hub state at 100,000 reports), the total
    from the summary; the sentences are the embedded store's, node by node and limit by
    limit, for /api/node and the entity pages."""
    from kg.store.sparql import SparqlStore
    remote_env(virtuoso_env(virtuoso))
    rng = random.Random(1818)
    reports = [made_report(rng, f"ev{i:02d}") for i in range(16)]
    local = Store.memory()
    local.replace_reports(reports)
    texts: list[str] = []
    query = SparqlStore.query

    def spy(self, sparql, **kw):
        texts.append(sparql)
        return query(self, sparql, **kw)

    monkeypatch.setattr(SparqlStore, "query", spy)
    with cleared_virtuoso_store(virtuoso) as remote:
        remote.replace_reports(reports)
        apps = [create_app(s, Settings(viewer_max_reports=3, warm_start=False))
                for s in (local, remote)]
        nodes = _nodes(local)
        kinds = dict(network.build(local, "full").nodes(data="kind"))
        kept = {n for n in nodes if kinds[n] in ("state", "agreement", "relation")}
        assert len(nodes) > 20 and len(kept) > 10
        walked = 0
        for node in nodes:
            for limit in (1, 2, 5, 100):
                answers = []
                for app in apps:
                    with app.test_request_context():
                        texts.clear()
                        answers.append((graph_views.node_evidence(node, limit),
                                        evidence_of(node, limit)))
                assert answers[0] == answers[1], (node, limit)
                if node in kept and answers[1][0][1]:
                    # the summary counts it: read over its first graphs, never whole
                    evidence = [t for t in texts if "title: Evidence" in t]
                    assert evidence and all("VALUES ?g" in t for t in evidence), (node, limit)
                    walked += 1
        assert walked > 40
