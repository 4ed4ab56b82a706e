"""`kg reindex` on the embedded store (OxigraphStore.reindex) in bounded memory: it sums and
writes the summary a batch of report graphs at a time (REINDEX_BATCH) and removes the old one
in chunks, with flushes (CLEAR_CHUNK, FLUSH_QUADS), instead of summing every report's
contribution, then swapping the whole graph (5.4-5.8 GB at 100,000 reports). What it writes is
what a whole rebuild gives, quad for quad; cut short, it leaves a store its next writer
rebuilds. bench/results/reindex-memory.md has the figures."""
from __future__ import annotations

import datetime
import random
import tracemalloc

import pyoxigraph as ox
import pytest

from kg import summaries
from kg import vocabulary as V
from kg.store import Store, embedded
from test_summaries import made_report, rebuilt_quads, summary_quads

XSD_DATE = ox.NamedNode(str(V.XSD.date))


def _batches(monkeypatch, reports: int, clear: int = 50, flush: int = 10**9) -> None:
    # raising=False: on code without these, the tests run (and fail) rather than error.
    monkeypatch.setattr(embedded, "REINDEX_BATCH", reports, raising=False)
    monkeypatch.setattr(embedded, "CLEAR_CHUNK", clear, raising=False)
    monkeypatch.setattr(embedded, "FLUSH_QUADS", flush, raising=False)


def _same_day_twice(store: Store) -> None:
    """Two reports naming one state on one day, one as an xsd:date and the other as a plain
    string: the state's first and last dates tie in value, and a whole rebuild keeps the one
    counted first (Summary.triples); a rebuild in batches must keep the same."""
    state = ox.NamedNode(V.state_iri("POL"))
    for rid, date in (("tie-a", ox.Literal("2020-01-01", datatype=XSD_DATE)),
                      ("tie-b", ox.Literal("2020-01-01"))):
        report = ox.NamedNode(V.report_iri(rid))
        store.put_graph(V.graph_iri(rid), [
            ox.Triple(report, summaries.RDF_TYPE, ox.NamedNode(str(V.BKG.Report))),
            ox.Triple(report, summaries.MENTIONS, state),
            ox.Triple(report, ox.NamedNode(str(V.DCTERMS.date)), date)])


def test_reindex_in_batches_writes_what_a_whole_rebuild_gives(monkeypatch):
    store = Store.memory()
    rng = random.Random(18)
    store.replace_reports(made_report(rng, f"r{i}") for i in range(40))
    _same_day_twice(store)
    store.remove_report("r7")
    # Junk in the summary graph (a write around the store), a blank node in it too: gone.
    store.update(f"INSERT DATA {{ GRAPH <{summaries.SUMMARY_GRAPH}> {{ <urn:x> <urn:y> 1 }} }}")
    store.update(f"INSERT {{ GRAPH <{summaries.SUMMARY_GRAPH}> {{ [] <urn:y> 2 }} }} WHERE {{}}")
    whole = rebuilt_quads(store)
    for batch in (1, 3, 1000):
        _batches(monkeypatch, batch, clear=7, flush=20)
        assert store.reindex() == 41
        assert store.summaries_current()
        assert summary_quads(store) == whole, batch


def test_a_folder_store_is_reindexed_in_chunks_with_flushes(tmp_path, monkeypatch):
    """Not the old summary removed in one transaction (remove_graph: a write batch of millions
    of quads), nor left in RocksDB's write buffers: in chunks, flushed every FLUSH_QUADS."""
    store = Store.open(tmp_path / "s")
    store.replace_reports(made_report(random.Random(4), f"r{i}") for i in range(30))
    expected = summary_quads(store)
    calls: list[tuple[str, int]] = []

    class Recorded:
        def __init__(self, database):
            self._database = database

        def __contains__(self, quad):
            return quad in self._database

        def __getattr__(self, name):
            method = getattr(self._database, name)
            if name not in ("update", "remove", "remove_graph", "clear_graph", "clear",
                            "flush"):
                return method

            def call(*args, **kwargs):
                calls.append((name, args[0].count(" .\n") if name == "update" else 1))
                return method(*args, **kwargs)
            return call

    _batches(monkeypatch, 4, clear=40, flush=100)
    store._ox = Recorded(store._ox)
    assert store.reindex() == 30
    names = [name for name, _ in calls]
    assert "remove_graph" not in names and "clear_graph" not in names and "clear" not in names
    assert max(n for name, n in calls if name == "update") <= 40
    assert names.count("flush") >= len(expected) // 100
    store._ox = store._ox._database
    assert summary_quads(store) == expected
    store.close()


def _reindex_peak(reports: int) -> int:
    store = Store.memory()
    store.replace_reports(made_report(random.Random(reports), f"r{i}") for i in range(reports))
    tracemalloc.start()
    try:
        assert store.reindex() == reports
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reindex_holds_a_batch_not_the_store(monkeypatch):
    """The peak of what Python allocates during a reindex does not grow with the store: eight
    times the reports, the same peak, near enough (the whole rebuild's grew about sixfold)."""
    _batches(monkeypatch, 5, clear=50)
    small, large = _reindex_peak(40), _reindex_peak(320)
    assert large < 1.5 * small, (small, large)


def test_a_reindex_cut_short_is_done_again_by_the_next_writer(tmp_path, monkeypatch):
    folder = tmp_path / "s"
    store = Store.open(folder)
    store.replace_reports(made_report(random.Random(6), f"r{i}") for i in range(12))
    expected = summary_quads(store)
    _batches(monkeypatch, 4)
    done = []
    real = summaries.Summary.added_to_rebuild if hasattr(
        summaries.Summary, "added_to_rebuild") else None

    def second_batch_fails(self, stored):
        done.append(1)
        if len(done) == 2:
            raise KeyboardInterrupt
        return real(self, stored)
    monkeypatch.setattr(summaries.Summary, "added_to_rebuild", second_batch_fails,
                        raising=False)
    with pytest.raises(KeyboardInterrupt):
        store.reindex()
    assert not store.summaries_current()      # no marker: the summary is known to be partial
    assert summary_quads(store) != expected
    store.close()
    monkeypatch.undo()
    again = Store.open(folder)
    assert again.rebuilt_on_open == 12
    assert summary_quads(again) == expected
    again.close()


def test_first_and_last_of_a_rebuild_are_the_min_and_max_of_every_batch(monkeypatch):
    """A state named on many days, one report a batch: its first and last dates are those of
    all its reports, not of the last batch's."""
    store = Store.memory()
    state = ox.NamedNode(V.state_iri("GEO"))
    days = [datetime.date(2021, 3, 1) + datetime.timedelta(days=d) for d in (5, 1, 9, 0, 7, 3)]
    for i, day in enumerate(days):
        report = ox.NamedNode(V.report_iri(f"d{i}"))
        store.put_graph(V.graph_iri(f"d{i}"), [
            ox.Triple(report, summaries.RDF_TYPE, ox.NamedNode(str(V.BKG.Report))),
            ox.Triple(report, summaries.MENTIONS, state),
            ox.Triple(report, ox.NamedNode(str(V.DCTERMS.date)),
                      ox.Literal(day.isoformat(), datatype=XSD_DATE))])
    _batches(monkeypatch, 1)
    store.reindex()
    node = ox.NamedNode(summaries.SUMMARY_BASE + "state/" + summaries._hashed(state))
    bounds = {q.predicate: q.object.value for q in store.quads_for_pattern(
        node, None, None, ox.NamedNode(summaries.SUMMARY_GRAPH))
        if q.predicate in (summaries.FIRST, summaries.LAST)}
    assert bounds == {summaries.FIRST: min(days).isoformat(),
                      summaries.LAST: max(days).isoformat()}
