"""`kg ingest --jobs N`: workers extract and validate, the parent writes; the store must end up
as with the serial path, failures must read the same, and an interrupted run must be resumable."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from kg import vocabulary as v
from kg.ingest import ingest
from kg.store import OxigraphStore as Store  # the embedded store, whose write is patched

from synthetic_texts import write_texts

REPO = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")
N_REPORTS = 16
pytestmark = pytest.mark.slow  # over ~2 s a test (make test-fast leaves it out)


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_texts(folder, N_REPORTS, seed=3)
    # A file that cannot be read, and one whose id another file already has.
    (folder / "bad.txt").write_text("---\nid: [unclosed\n---\nText.\n", encoding="utf-8")
    first = sorted(folder.glob("synthetic-*.txt"))[0]
    (folder / "zz-duplicate.txt").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def serial(texts, tmp_path_factory):
    path = tmp_path_factory.mktemp("serial") / "kg"
    with Store.open(path) as store:
        summary = ingest([texts], store, progress=False, jobs=1)
    return path, summary


def _graphs(path: Path) -> dict:
    with Store.open(path) as store:
        return {rid: store.graph(rid) for rid in store.report_ids()}


def _same_store(a: Path, b: Path) -> None:
    ga, gb = _graphs(a), _graphs(b)
    assert sorted(ga) == sorted(gb)
    for rid in ga:   # blank nodes differ between runs: compare each report graph up to them
        assert isomorphic(ga[rid], gb[rid]), rid


def test_jobs_2_stores_what_jobs_1_stores(texts, serial, tmp_path):
    serial_path, one = serial
    assert one.added == N_REPORTS and len(one.failed) == 2
    with Store.open(tmp_path / "kg") as store:
        two = ingest([texts], store, progress=False, jobs=2)
    assert (two.added, two.replaced, two.unchanged) == (one.added, one.replaced, one.unchanged)
    assert two.failed == one.failed           # same messages, same order
    assert two.warnings == one.warnings and two.facts == one.facts
    _same_store(serial_path, tmp_path / "kg")

    # A second run sends nothing to extraction: everything is unchanged, failures stay.
    with Store.open(tmp_path / "kg") as store:
        again = ingest([texts], store, progress=False, jobs=2)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, N_REPORTS)
    assert again.failed == one.failed


def _stored_reports(path: Path) -> int:
    try:   # a read-only view of a store another process is writing
        # report graphs only: the store holds others too (the ontology, summaries)
        return sum(1 for g in ox.Store.read_only(str(path)).named_graphs()
                   if g.value.startswith(v.graph_iri("")))
    except (OSError, RuntimeError):
        # RocksDB may be caught between two files of a write: not readable yet, try again
        return 0


# Runs `kg ingest` with the store's batch write patched to kill the whole process group
# (workers included) with SIGKILL right after its third commit: a kill -9 at a known point of
# the run. Polling the store from outside and killing "soon" raced a fast machine (CI stored all
# 16 reports between two polls).
_KILL_AFTER_THIRD_COMMIT = """
import os, signal, sys
from kg.store import OxigraphStore
from kg.cli import main
write, done = OxigraphStore.replace_reports, []
def replace_reports(self, items):
    write(self, items)
    done.append(1)
    if len(done) == 3:
        os.killpg(0, signal.SIGKILL)
OxigraphStore.replace_reports = replace_reports
sys.exit(main(sys.argv[1:]))
"""


def test_interrupted_run_resumes(texts, serial, tmp_path):
    store = tmp_path / "kg"
    arguments = ["ingest", str(texts), "--store", str(store), "--no-progress",
                 "--jobs", "2", "--batch", "1"]
    # Its own session, so that the kill takes its worker processes and no others.
    killed = subprocess.run([sys.executable, "-c", _KILL_AFTER_THIRD_COMMIT, *arguments],
                            capture_output=True, text=True, start_new_session=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stored = _stored_reports(store)
    assert 3 <= stored < N_REPORTS
    command = [str(KG), *arguments]

    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == 1, rerun.stderr          # the two bad files still fail
    first = rerun.stdout.splitlines()[0]
    added, unchanged = int(first.split(" added")[0]), int(first.split(" unchanged")[0].split()[-1])
    assert unchanged >= stored and added + unchanged == N_REPORTS, first
    assert rerun.stderr.count("kg ingest: failed:") == 2
    _same_store(serial[0], store)


def test_jobs_must_be_positive(tmp_path):
    done = subprocess.run([str(KG), "ingest", str(tmp_path), "--jobs", "0"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--jobs" in done.stderr


@pytest.mark.parametrize("jobs, batch", [(1, 1), (2, 5)])
def test_batch_size_changes_nothing(texts, serial, tmp_path, jobs, batch):
    serial_path, one = serial      # the default batch (32): all reports in one transaction
    with Store.open(tmp_path / "kg") as store:
        other = ingest([texts], store, progress=False, jobs=jobs, batch=batch)
    assert (other.added, other.failed, other.warnings, other.facts) == \
        (one.added, one.failed, one.warnings, one.facts)
    _same_store(serial_path, tmp_path / "kg")


def test_one_failure_inside_a_batch_spoils_no_other(texts, tmp_path, monkeypatch):
    """A report refused by the shapes, and one whose write fails, in the middle of batches:
    each is named with its file, the others are stored as with one report per transaction."""
    import kg.mapping
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    files = sorted(texts.glob("synthetic-*.txt"))
    refused, unwritable = files[3].stem, files[6].stem
    real_graph = kg.mapping.report_graph

    def report_graph(report, extraction):
        graph = real_graph(report, extraction)
        if report.id == refused:   # a second dct:identifier breaks the shapes' maxCount 1
            graph.add((kg.mapping.URIRef(v.report_iri(report.id)),
                       DCTERMS.identifier, Literal("another")))
        return graph

    real_replace = Store.replace_reports

    def replace_reports(self, items):
        items = list(items)
        if any(rid == unwritable for rid, _ in items):
            raise OSError("disk full")
        real_replace(self, items)

    monkeypatch.setattr(kg.mapping, "report_graph", report_graph)
    monkeypatch.setattr(Store, "replace_reports", replace_reports)
    results = {}
    for batch in (1, 4):
        path = tmp_path / f"kg-{batch}"
        with Store.open(path) as store:
            results[batch] = ingest([texts], store, progress=False, batch=batch), path
    one, four = results[1][0], results[4][0]
    assert one.added == four.added == N_REPORTS - 2
    named = [f for f in four.failed if refused in f or unwritable in f]
    assert len(named) == 2 and sorted(named) == sorted(f for f in one.failed if f in named)
    assert any(f.startswith(str(files[3])) and "does not conform" in f for f in named)
    assert any(f.startswith(str(files[6])) and "disk full" in f for f in named)
    _same_store(results[1][1], results[4][1])
