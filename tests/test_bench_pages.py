"""bench/pages.py: a real `kg serve` on a small synthetic store, every page and every named
query's first page timed, and the markdown written from it."""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "bench" / "pages.py"


def _pages_module():
    spec = importlib.util.spec_from_file_location("bench_pages", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_limit_goes_before_a_trailing_values_clause():
    with_limit = _pages_module().with_limit
    text = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  VALUES ?p { <x> }\n}\nORDER BY ?s\n" \
           "VALUES ?s { \"A\" }\n"
    assert with_limit(text, 50) == ("SELECT ?s WHERE {\n  ?s ?p ?o .\n  VALUES ?p { <x> }\n}"
                                    "\nORDER BY ?s\nLIMIT 50\nVALUES ?s { \"A\" }\n")
    plain = "SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s"
    assert with_limit(plain, 7) == plain + "\nLIMIT 7\n"
    # A query that pages itself is left as it is.
    paged = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"
    assert with_limit(paged, 50) == paged


@pytest.mark.slow  # 15-40 s: a server, an upload (spaCy) and two processes per named query
def test_every_page_and_listing_gets_a_time(tmp_path):
    store = tmp_path / "store"
    subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), "--reports", "50",
                    "--store", str(store)], check=True, capture_output=True, timeout=120)
    out = tmp_path / "run.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "run", str(store), "--label", "test", "--cap", "60",
         "--listing-cap", "60", "--repeat", "1", "--work", str(tmp_path), "--out", str(out)],
        capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["picks"]["reports"] == 50
    run = result["runs"][0]
    assert run["write"]["status"] == 200, run["write"]
    names = {"/", "/graph", "/api/graph", "/query", "/report/ID (latest)",
             "/sparql states (query page)", "/sparql states (whole)"}
    for phase in ("after_start", "after_write"):
        rows = run[phase]
        assert names <= {r["page"] for r in rows}
        assert sum(r["page"].startswith("/id/") for r in rows) == 4
        for row in rows:
            assert row["status"] == 200 and row["seconds"] > 0, row
            assert not row["after_restart"], row
    queries = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    listings = {(r["query"], r["via"]): r for r in run["listings"]}
    for name in queries:
        for via in ("kg query", "library", "endpoint"):
            row = listings[name, via]
            assert row["seconds"] > 0 and not row.get("error"), row
            assert row["rows"] <= 50 or not row["page"], row
        viewer = listings[name, "viewer"]   # the viewer's /query/NAME page
        assert viewer["status"] == 200 and viewer["seconds"] > 0, viewer
    assert 0 < run["memory"]["server_peak_bytes"] <= run["memory"]["tree_peak_bytes"]
    # The write went to a copy, now removed; the original holds the 50 reports it had.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("kg-pages-")] == []
    assert _pages_module().picks(str(store))["reports"] == 50

    md = tmp_path / "pages.md"
    subprocess.run([sys.executable, str(SCRIPT), "report", str(out), "--md", str(md)],
                   check=True, timeout=60)
    table = [line for line in md.read_text().splitlines() if line.startswith("| `/")]
    # The summary (one column: the slowest time, bold within target), then the run's table.
    assert len(table) == 26
    for line in table[:13]:
        assert re.fullmatch(r"\| `[^`]+` \| (\*\*)?\d+\.\d\d(\*\*)? \|", line), line
    for line in table[13:]:
        assert re.fullmatch(r"\| `[^`]+` \| \d+\.\d\d \| \d+\.\d\d \| <= 1 \| (meets|misses) \|",
                            line), line
