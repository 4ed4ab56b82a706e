"""kg ingest takes what it loaded (spaCy's pipeline, the gazetteer, the shapes) out of the
garbage collector's reach for the run (gc.freeze): a full collection otherwise traverses all
of spaCy's objects, 14 times in an ingest of 305 reports (1.0 s of 26 s of CPU). After the
run the collector is as it was, so a library or server process goes on as before."""
import gc
import subprocess
import sys
from pathlib import Path

import pytest

import kg.extraction
from kg.ingest import ingest
from kg.store import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "corpus"


def _recording(monkeypatch) -> list[int]:
    """The collector's frozen object count at each batch's extraction."""
    seen: list[int] = []
    original = kg.extraction.extract_many

    def extract_many(reports):
        seen.append(gc.get_freeze_count())
        return original(reports)

    monkeypatch.setattr(kg.extraction, "extract_many", extract_many)
    return seen


def test_a_serial_ingest_freezes_what_it_loaded_for_the_run_only(tmp_path, monkeypatch):
    assert gc.get_freeze_count() == 0
    seen = _recording(monkeypatch)
    files = sorted(CORPUS.glob("*.txt"))[:3]
    with Store.open(tmp_path / "store") as store:
        summary = ingest(files, store, progress=False)
    assert summary.added == 3 and not summary.failed, summary.text()
    assert seen and all(n > 10_000 for n in seen)     # spaCy's objects among them
    assert gc.get_freeze_count() == 0                  # thawed at the end


def test_a_callers_own_frozen_objects_stay_frozen(tmp_path, monkeypatch):
    seen = _recording(monkeypatch)
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with Store.open(tmp_path / "store") as store:
            ingest(sorted(CORPUS.glob("*.txt"))[:1], store, progress=False)
        assert seen == [before]                        # ours not added to theirs
        assert gc.get_freeze_count() == before         # and theirs not thawed
    finally:
        gc.unfreeze()


def test_a_failed_run_thaws_too(tmp_path, monkeypatch):
    def broken(reports):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.extraction, "extract_many", broken)
    with Store.open(tmp_path / "store") as store, pytest.raises(KeyboardInterrupt):
        ingest(sorted(CORPUS.glob("*.txt"))[:1], store, progress=False)
    assert gc.get_freeze_count() == 0


@pytest.mark.slow
def test_a_worker_freezes_what_it_loaded():
    out = subprocess.run(
        [sys.executable, "-c", "import gc; from kg.ingest import _worker_start; "
         "_worker_start(); print(gc.get_freeze_count())"],
        capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert int(out) > 10_000
