"""bench/stages.py times the write as kg ingest writes: kg.ingest.DEFAULT_BATCH reports a
transaction and the flush to disk at the end, not one report a transaction (about 1.7 ms a
report more, which the earlier rounds counted in the write); and it tells which stage the
garbage collector's time fell in."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # loads spaCy in a subprocess


def test_stages_write_in_ingest_batches_and_tell_the_collector_by_stage(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for path in sorted((REPO / "tests" / "fixtures" / "corpus").glob("*.txt"))[:3]:
        shutil.copy(path, folder)
    out = subprocess.run([sys.executable, str(REPO / "bench" / "stages.py"), "stages",
                          str(folder)], capture_output=True, text=True, check=True).stdout
    stages = json.loads(out)
    assert stages["reports"] == 3
    assert stages["write_transactions"] == 1          # three reports, one batch
    assert set(stages["gc_ms_per_report"]) == set(stages["ms_per_report"])
    assert all(ms >= 0 for ms in stages["gc_ms_per_report"].values())
    assert stages["cpu_ms_per_report"]["write"] > 0
