"""Crash safety of `kg ingest`: `kill -9` at a random moment leaves a store that opens, holds
only complete reports (each one's graph as an uninterrupted ingest stores it), holds every
report the killed run had said was stored ("kg ingest: stored: ID"), and a rerun completes it.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg.ingest import ingest
from kg.store import Store

from helpers import KG
from synthetic_texts import write_texts

REPO = Path(__file__).resolve().parent.parent
N_REPORTS = 40
STORES = 4          # each is killed KILLS times, then completed: 8 kills in all
KILLS = 2
pytestmark = pytest.mark.slow  # over ~2 s a test (make test-fast leaves it out)


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_texts(folder, N_REPORTS, seed=11)
    return folder


@pytest.fixture(scope="module")
def reference(texts, tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("reference") / "kg"
    with Store.open(path) as store:
        summary = ingest([texts], store, progress=False)
        assert summary.added == N_REPORTS and not summary.failed, summary.text()
        return {rid: store.graph(rid) for rid in store.report_ids()}


def _check(path: Path, reference: dict, said_stored: set[str]) -> int:
    with Store.open(path) as store:   # opens (RocksDB recovers from its log), lock released
        ids = store.report_ids()
        assert set(ids) <= set(reference)
        for rid in ids:
            assert isomorphic(store.graph(rid), reference[rid]), f"{rid} is incomplete"
    missing = said_stored - set(ids)
    assert not missing, f"said stored but missing: {sorted(missing)}"
    return len(ids)


def _command(texts: Path, store: Path, rng: random.Random) -> list[str]:
    # progress on, stderr not a terminal: one "stored" line per committed report
    return [str(KG), "ingest", str(texts), "--store", str(store),
            "--jobs", str(rng.choice([1, 2])), "--batch", str(rng.choice([1, 3, 8]))]


def test_kill_9_leaves_a_complete_store(texts, reference, tmp_path):
    rng = random.Random(20240607)
    interrupted = partial = 0
    for n in range(STORES):
        store = tmp_path / f"kg-{n}"
        for kill in range(KILLS):
            log = tmp_path / f"stderr-{n}-{kill}.txt"
            with open(log, "wb") as err:
                # its own session, so that the kill reaches its worker processes and no others
                proc = subprocess.Popen(_command(texts, store, rng), stdout=subprocess.DEVNULL,
                                        stderr=err, start_new_session=True)
                # Start-up (spaCy, workers) and the rate vary with the machine's load: the kill
                # waits for a random number of committed reports, then a random moment, so that
                # it lands mid-way on an idle machine as on a busy one. Reports are parsed 16
                # at a time (kg.ingest's NLP batches), so they are stored in bursts: waiting
                # for more than a third of them often meant waiting for the last burst.
                after = rng.randint(1, N_REPORTS // 3)
                deadline = time.monotonic() + 120
                while (proc.poll() is None and time.monotonic() < deadline
                       and log.read_bytes().count(b"kg ingest: stored: ") < after):
                    time.sleep(0.02)
                time.sleep(rng.uniform(0.0, 0.3))
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    interrupted += 1
                proc.wait()
            said = {line.split("kg ingest: stored: ", 1)[1]
                    for line in log.read_text(encoding="utf-8").splitlines()
                    if line.startswith("kg ingest: stored: ")}
            held = _check(store, reference, said)
            partial += 0 < held < N_REPORTS
        done = subprocess.run(_command(texts, store, rng), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert _check(store, reference, set()) == N_REPORTS
    # most kills must land during an ingest, with some reports stored and some not
    assert interrupted >= STORES and partial >= STORES, (interrupted, partial)
