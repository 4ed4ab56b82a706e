"""kg ingest writes a batch on the embedded store in a thread while it analyses the next
reports (issue 17): the write must overlap the analysis, and what is told and decided after a
write (failures in order, `stored:` lines, the resolver's index after a failed batch) must be
what the write made in place gives.

Extraction is stubbed (no spaCy run): the reports' facts are made here, and the analysis of
each batch is logged, so that the order of analyses and writes can be read."""
from __future__ import annotations

import threading
import time

import pytest

import kg.extraction
import kg.ingest
from kg import vocabulary as v
from kg.facts import Evidence, Extraction, Official, StateMention
from kg.ingest import ingest
from kg.store import OxigraphStore as Store

from helpers import write_report

WAIT = 5.0   # how long a write waits for the next batch's analysis before it gives up


@pytest.fixture
def run(tmp_path, monkeypatch):
    """A harness: reports r1..rN written as files, extraction stubbed, the store's write
    logged and steered. Returns a namespace with `log`, `texts` and helpers."""
    monkeypatch.setattr(kg.ingest, "NLP_BATCH", 2)
    state = type("Harness", (), {})()
    state.log = []
    state.folder = tmp_path / "reports"
    state.officials = {}          # report id -> [(name, state)]
    state.broken_rules = set()    # report ids whose extraction raises
    state.unwritable = set()      # report ids whose write raises
    state.hold_first_write = None   # report id whose analysis the first write waits for
    state.slow_write = 0.0        # seconds each write sleeps before it starts
    analysed = {}                 # report id -> Event set when its batch is analysed

    def reports(n: int) -> None:
        for i in range(1, n + 1):
            write_report(state.folder, f"r{i}", f"Azerbaijan and Armenia met, report {i}.",
                         title=f"Report {i}", published=f"2024-01-{i:02d}")

    state.reports = reports

    def extract_many(batch):
        state.log.append(("analyse", [r.id for r in batch]))
        out = []
        for report in batch:
            analysed.setdefault(report.id, threading.Event()).set()
            if report.id in state.broken_rules:
                out.append(ValueError("a rule broke"))
                continue
            whole = [Evidence(0, len(report.text))]
            out.append(Extraction(
                states=[StateMention("AZE", list(whole)), StateMention("ARM", list(whole))],
                officials=[Official(name=name, role="foreign_minister", state=iso,
                                    evidence=list(whole))
                           for name, iso in state.officials.get(report.id, [])],
                extractor=kg.extraction.extractor()))
        return out

    real_replace = Store.replace_reports
    first = [True]

    def replace_reports(self, items):
        items = list(items)
        ids = [rid for rid, _ in items]
        state.log.append(("write", ids))
        if first[0] and state.hold_first_write:
            first[0] = False
            seen = analysed.setdefault(state.hold_first_write, threading.Event()).wait(WAIT)
            state.log.append(("waited", seen))
        time.sleep(state.slow_write)
        try:
            if state.unwritable & set(ids):
                raise OSError("disk full")
            real_replace(self, items)
        finally:
            state.log.append(("written", ids))

    monkeypatch.setattr(kg.extraction, "extract_many", extract_many)
    monkeypatch.setattr(Store, "replace_reports", replace_reports)

    def go(**options):
        with Store.open(tmp_path / "kg") as store:
            summary = ingest([state.folder], store, progress=False, batch=2, **options)
            persons = {str(row["rid"]): str(row["p"]) for row in store.select(
                f"SELECT ?rid ?p WHERE {{ GRAPH ?g {{ ?r <{v.DCTERMS.identifier}> ?rid . "
                f"?post <http://www.w3.org/ns/org#member> ?p }} }}")}
            return summary, sorted(store.report_ids()), persons

    state.go = go
    return state


def _between(log: list, first, inner, last) -> bool:
    """Does `inner` come after `first` and before `last` in the log?"""
    return log.index(first) < log.index(inner) < log.index(last)


def test_a_batch_is_written_while_the_next_is_analysed(run):
    run.reports(6)
    run.hold_first_write = "r3"
    summary, stored, _ = run.go()
    assert ("waited", True) in run.log, run.log
    assert _between(run.log, ("write", ["r1", "r2"]), ("analyse", ["r3", "r4"]),
                    ("written", ["r1", "r2"])), run.log
    assert summary.added == 6 and not summary.failed
    assert stored == [f"r{i}" for i in range(1, 7)]


def test_a_failed_batch_in_flight_is_told_before_the_next_reports(run, capsys):
    """The first batch's write fails for r2 while r3 and r4 are analysed; r3's rules fail.
    r2's failure is listed first, then r3's, as when the write is made in place; the `stored:`
    lines follow the commits."""
    run.reports(6)
    run.hold_first_write = "r3"
    run.unwritable = {"r2"}
    run.broken_rules = {"r3"}
    summary, stored, _ = run.go(stored_lines=True)
    assert _between(run.log, ("write", ["r1", "r2"]), ("analyse", ["r3", "r4"]),
                    ("written", ["r1", "r2"])), run.log
    folder = run.folder
    assert summary.failed == [f"{folder / 'r2.txt'}: OSError: disk full",
                              f"{folder / 'r3.txt'}: ValueError: a rule broke"]
    assert summary.added == 4 and stored == ["r1", "r4", "r5", "r6"]
    lines = [line for line in capsys.readouterr().err.splitlines() if "stored:" in line]
    assert lines == [f"kg ingest: stored: {rid}" for rid in ("r1", "r4", "r5", "r6")]


def test_a_file_that_fails_to_read_is_listed_after_the_batch_in_flight(run):
    """A file refused at reading, next in line while the batch before it is written: the
    batch's failure comes first (settled before the refusal is listed)."""
    run.reports(4)
    (run.folder / "r2z.txt").write_text("---\nid: [unclosed\n---\nText.\n", encoding="utf-8")
    run.unwritable = {"r2"}
    run.slow_write = 0.3     # still in flight when the refused file comes up
    summary, stored, _ = run.go()
    assert summary.failed[0] == f"{run.folder / 'r2.txt'}: OSError: disk full", summary.failed
    assert len(summary.failed) == 2 and "r2z.txt" in summary.failed[1]
    assert stored == ["r1", "r3", "r4"]


def test_a_failed_batch_in_flight_empties_the_resolver_before_the_next_report(run):
    """r1 names Ana Perez of Azerbaijan and is not written; r3, analysed while r1's batch
    was being written, names another Ana Perez (of Armenia). With r1 gone from the index she
    takes the plain IRI, as she does when the write is made in place; an index still holding
    r1's person would have numbered hers."""
    run.reports(4)
    run.officials = {"r1": [("Ana Perez", "AZE")], "r3": [("Ana Perez", "ARM")]}
    run.hold_first_write = "r3"
    run.unwritable = {"r1"}
    summary, stored, persons = run.go()
    assert _between(run.log, ("write", ["r1", "r2"]), ("analyse", ["r3", "r4"]),
                    ("written", ["r1", "r2"])), run.log
    assert stored == ["r2", "r3", "r4"] and len(summary.failed) == 1
    assert persons == {"r3": v.person_iri(v.slug("Ana Perez"))}
