"""The ontology graph over Virtuoso: a replace that fails partway leaves no marker.

kg keeps ontology/*.ttl in the ontology graph, with a content hash (bkg:contentHash) saying
which files it holds; a store whose hash differs from the files' gets the graph replaced as it
opens. Virtuoso runs a request's operations one after the other and keeps those that ran when
a later one fails (it ran out of memory mid-replace at 100,000 reports): the graph was left
half written under the new hash, which then said it was complete, and kg never reloaded it.
Here the failure is a statement Virtuoso rejects after the first block of triples ran.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import vocabulary as V
from kg.store import StoreError
from kg.store import base
from test_remote_store import cleared_virtuoso_store, remote_env, virtuoso_env  # noqa: F401

HASH = str(V.BKG.contentHash)
FAILING = ("INSERT { GRAPH <urn:kg-test:never> { <urn:kg-test:a> <urn:kg-test:b> ?x } } "
           "WHERE { BIND(bif:signal('22023', 'kg-test: injected failure') AS ?x) }")


def _ontology(store) -> tuple[int, set[str]]:
    """The ontology graph's triple count (its marker included) and its content hashes."""
    graph = f"<{V.ONTOLOGY_GRAPH}>"
    n = int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
            [0]["n"])
    hashes = {r["h"] for r in store.select(
        f"SELECT ?h WHERE {{ GRAPH {graph} {{ {graph} <{HASH}> ?h }} }}")}
    return n, hashes


def _graphs(store) -> set[str]:
    return {r["g"] for r in store.select(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(STRSTARTS(STR(?g), \"{V.GRAPH}\")) }}")}


def test_a_failed_ontology_replace_leaves_no_complete_marker(virtuoso, remote_env,  # noqa: F811
                                                              monkeypatch):
    from kg.store.sparql import SparqlStore
    remote_env(virtuoso_env(virtuoso))
    url = f"sparql+{virtuoso}/sparql"
    with cleared_virtuoso_store(virtuoso) as store:
        before_n, before_hashes = _ontology(store)
        assert before_n > 1000 and len(before_hashes) == 1
        old_graphs = _graphs(store)

        # ontology/*.ttl "changed": the next opening replaces the graph; its second block of
        # operations is one Virtuoso rejects, after the first has run.
        monkeypatch.setattr(base, "_ontology_hash", lambda paths: "changed-ontology")
        blocks = SparqlStore._insert_blocks

        def failing(graph, triples):
            ops = blocks(graph, triples)
            return ops[:1] + [FAILING] + ops[1:]
        monkeypatch.setattr(SparqlStore, "_insert_blocks", staticmethod(failing))
        with pytest.warns(UserWarning, match="injected failure"):
            failed = SparqlStore.from_url(url)
        failed.close()
        n, hashes = _ontology(store)
        assert "changed-ontology" not in hashes, \
            f"a half-written ontology graph ({n} of {before_n} triples) says it is complete"
        # What the store held is still there, whole, under its own marker.
        assert (n, hashes) == (before_n, before_hashes)

        # The next opening, the failure gone, writes the whole graph and its marker.
        monkeypatch.setattr(SparqlStore, "_insert_blocks", staticmethod(blocks))
        with SparqlStore.from_url(url) as again:
            assert _ontology(again) == (before_n, {"changed-ontology"})
            assert _graphs(again) == old_graphs   # no staging graph left behind
            assert again._ontology_error is None


def test_a_marked_ontology_graph_missing_triples_is_written_again(virtuoso,  # noqa: F811
                                                                   remote_env):
    """The hash is not enough on Virtuoso: restarted after running out of memory at 100,000
    reports, its ontology graph held 569 of the 1,138 triples written and counted before,
    under the hash. Opening counts the graph and writes it again."""
    from kg.store.sparql import SparqlStore
    remote_env(virtuoso_env(virtuoso))
    url = f"sparql+{virtuoso}/sparql"
    with cleared_virtuoso_store(virtuoso) as store:
        whole, hashes = _ontology(store)
        graph = f"<{V.ONTOLOGY_GRAPH}>"
        notation = "<http://www.w3.org/2004/02/skos/core#notation>"
        store.update(f"DELETE {{ GRAPH {graph} {{ ?s {notation} ?o }} }} "
                     f"WHERE {{ GRAPH {graph} {{ ?s {notation} ?o }} }}")
        assert _ontology(store)[0] < whole and _ontology(store)[1] == hashes
        with SparqlStore.from_url(url) as again:
            assert _ontology(again) == (whole, hashes)
