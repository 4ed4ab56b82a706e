"""Reports new to the embedded store are written with their summaries' change as one update of
ground data (OxigraphStore._add_reports, summaries.Summary.added_as_triples), not with the
update whose WHERE clauses compute the change (Summary.delta_update): the same store either way
(issue 17)."""
from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import summaries
from kg import vocabulary as V
from kg.store import Store, ox_term
from test_summaries import SUMMARY, made_report, rebuilt_quads, summary_quads


def _batches(seed: int) -> list[list[tuple[str, Graph]]]:
    """New reports in batches of several sizes: states, pairs, years and dates seen before
    come back (counts rise, first and last dates move either way), some undated."""
    rng = random.Random(seed)
    sizes = [5, 1, 12, 3, 9]
    out, n = [], 0
    for size in sizes:
        out.append([made_report(rng, f"n{n + i}", undated=0.25) for i in range(size)])
        n += size
    return out


def _report_graphs(store: Store) -> dict[str, Graph]:
    return {rid: store.graph(rid) for rid in store.report_ids()}


def test_new_reports_need_no_computed_update(monkeypatch):
    store = Store.memory()
    batches = _batches(17)
    store.replace_reports(batches[0])

    def computed(self):
        raise AssertionError("new reports were written with Summary.delta_update")
    with monkeypatch.context() as patch:
        patch.setattr(summaries.Summary, "delta_update", computed)
        for batch in batches[1:]:
            store.replace_reports(batch)
    assert summary_quads(store) == rebuilt_quads(store)
    assert len(store.report_ids()) == sum(map(len, batches))

    # A replaced report still takes the computed update (it may lower counts to 0).
    calls = []
    original = summaries.Summary.delta_update
    monkeypatch.setattr(summaries.Summary, "delta_update",
                        lambda self: calls.append(1) or original(self))
    store.replace_report(*made_report(random.Random(5), "n3"))
    assert calls
    assert summary_quads(store) == rebuilt_quads(store)


def test_both_paths_leave_the_same_store(tmp_path, monkeypatch):
    """The same batches through the ground-data update and through the computed one, on disk:
    the same summary graph, quad for quad, and the same report graphs (blank nodes aside)."""
    with Store.open(tmp_path / "ground") as ground:
        for batch in _batches(23):
            ground.replace_reports(batch)
        ground_summary, ground_graphs = summary_quads(ground), _report_graphs(ground)
        assert ground_summary == rebuilt_quads(ground)
    monkeypatch.setattr(summaries.Summary, "added_as_triples", lambda self, stored: None)
    with Store.open(tmp_path / "computed") as computed:
        for batch in _batches(23):
            computed.replace_reports(batch)
        computed_summary, computed_graphs = summary_quads(computed), _report_graphs(computed)
    assert len(ground_summary) > 100
    assert ground_summary == computed_summary
    assert ground_graphs.keys() == computed_graphs.keys()
    for rid, graph in ground_graphs.items():
        assert len(graph) > 10 and isomorphic(graph, computed_graphs[rid]), rid


def test_what_the_ground_data_update_does_not_take():
    """Declined, so that the computed update does it: a count that falls (a replacement), a
    digest already stored, a stored count that is not one integer, a date that is not an
    xsd:date YYYY-MM-DD (SPARQL's MIN and MAX would not order it as a string)."""
    rid, graph = made_report(random.Random(2), "x", undated=0)
    name = V.graph_iri(rid)
    triples = [ox.Triple(*(ox_term(t) for t in spo)) for spo in graph]
    change = summaries.Summary()
    change.add(summaries.contribution(name, triples))
    assert change.added_as_triples(lambda s, p: []) is not None

    falling = summaries.Summary()
    falling.add(summaries.contribution(name, triples), -1)
    assert falling.added_as_triples(lambda s, p: []) is None

    digest = summaries.digest_iri(name)
    assert change.added_as_triples(
        lambda s, p: [ox.Literal("x")] if s.value == digest else []) is None
    assert change.added_as_triples(
        lambda s, p: [ox.Literal("1"), ox.Literal("2")] if p == summaries.REPORT_COUNT
        else []) is None
    assert change.added_as_triples(
        lambda s, p: [ox.Literal("3")] if p == summaries.REPORT_COUNT else []) is None
    assert change.added_as_triples(
        lambda s, p: [ox.Literal("2020", datatype=ox.NamedNode(str(V.XSD.gYear)))]
        if p == summaries.FIRST else []) is None


def test_a_graph_dated_otherwise_is_written_by_the_computed_update(monkeypatch):
    store = Store.memory()
    store.replace_reports(_batches(29)[0])
    rid, graph = made_report(random.Random(4), "odd", undated=0)
    report = URIRef(V.report_iri(rid))
    graph.remove((report, V.DCTERMS.date, None))
    graph.add((report, V.DCTERMS.date, Literal("2020-02", datatype=V.XSD.gYearMonth)))
    calls = []
    original = summaries.Summary.delta_update
    monkeypatch.setattr(summaries.Summary, "delta_update",
                        lambda self: calls.append(1) or original(self))
    store.replace_report(rid, graph)
    assert calls
    assert rid in store.report_ids()


@pytest.mark.parametrize("batch", [1, 32])
def test_ingest_of_new_reports_equals_a_rebuild(tmp_path, batch):
    """kg ingest's own writes (a batch of 1 and of 32) keep the summaries a rebuild gives."""
    from kg.ingest import ingest
    from synthetic_texts import write_texts

    folder = tmp_path / "reports"
    folder.mkdir()
    write_texts(folder, 12, seed=3)
    with Store.open(tmp_path / "kg") as store:
        summary = ingest([folder], store, progress=False, batch=batch)
        assert summary.added == 12 and not summary.failed, summary.text()
        kept = sorted(str(q) for q in store.quads_for_pattern(None, None, None, SUMMARY))
        assert kept == rebuilt_quads(store)
