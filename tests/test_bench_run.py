"""bench/run.py in its smoke mode: one JSON object with the headline figures, all positive."""
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # over ~2 s a test (make test-fast leaves it out)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_smoke_run_prints_the_headline_figures(tmp_path):
    # own Virtuoso ports, so that a CI Virtuoso or another run on this machine is not hit
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--json",
         "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out"),
         "--virtuoso-http-port", str(_free_port()), "--virtuoso-sql-port", str(_free_port())],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    head = json.loads(proc.stdout)
    for key in ("ingest_vs_tokenizer", "query_overhead_vs_pyoxigraph",
                "speedup_vs_rdflib_memory"):
        assert head[key] > 0, key
    if shutil.which("virtuoso-t"):
        assert head["endpoint_vs_virtuoso"] > 0, head.get("endpoint_not_measured")
    else:
        assert "endpoint_vs_virtuoso" in head
    assert (tmp_path / "out" / "run.md").is_file()
    assert list((tmp_path / "out").glob("*.png"))


def test_stages_time_the_nlp_alone_and_each_stage_of_an_ingest(tmp_path):
    # over three of our own reports: the loading is paid on one of them in another store
    folder = tmp_path / "texts"
    folder.mkdir()
    for path in sorted((REPO / "tests" / "fixtures" / "corpus").glob("*.txt"))[:3]:
        shutil.copy(path, folder)
    script = REPO / "bench" / "stages.py"
    nlp = json.loads(subprocess.run([sys.executable, str(script), "nlp", str(folder)],
                                    capture_output=True, text=True, check=True).stdout)
    assert nlp["docs"] == 3 and nlp["tokens"] > 100 and nlp["seconds"] > 0
    stages = json.loads(subprocess.run([sys.executable, str(script), "stages", str(folder)],
                                       capture_output=True, text=True, check=True).stdout)
    assert stages["reports"] == 3
    assert set(stages["ms_per_report"]) == {"read", "nlp", "rules", "resolve", "map",
                                            "validate", "write"}
    assert all(ms > 0 for ms in stages["ms_per_report"].values()), stages
    assert abs(sum(stages["share"].values()) - 1) < 0.01
