"""The ```python blocks of docs/*.md run as tests: each file's blocks in order, in one
namespace, in a fresh temporary folder, in a subprocess of their own (so that one file's
stores, environment and working folder cannot leak into another's)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# A fence opening with ```python (nothing else on the line), up to the closing fence.
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)

# Runs the blocks given as JSON on stdin; on a failure, names the block and exits 1.
RUNNER = r"""
import json, sys, traceback
blocks = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
for number, (line, code) in enumerate(blocks, start=1):
    try:
        exec(compile(code, f"{sys.argv[1]} block {number} (line {line})", "exec"), namespace)
    except BaseException:
        print(f"{sys.argv[1]}: block {number} (line {line}) failed:", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
"""


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number of the code's first line, code) of each ```python block."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in BLOCK.finditer(text)]


def doc_files() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md")
                  if python_blocks(p.read_text(encoding="utf-8")))


def test_the_block_finder():
    text = "intro\n```python\nx = 1\n```\n\n```sh\nkg stats\n```\n```python\ny = 2\n```\n"
    assert python_blocks(text) == [(3, "x = 1\n"), (10, "y = 2\n")]


def test_the_library_tour_has_examples():
    assert (DOCS / "library.md") in doc_files()


@pytest.mark.slow
@pytest.mark.parametrize("doc", doc_files(), ids=lambda p: p.name)
def test_doc_examples_run(doc: Path, tmp_path: Path):
    blocks = python_blocks(doc.read_text(encoding="utf-8"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("KG_STORE", None)  # the examples' default store is the temporary folder's
    proc = subprocess.run([sys.executable, "-c", RUNNER, f"docs/{doc.name}"],
                          input=json.dumps(blocks), cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(proc.stderr.strip() or f"docs/{doc.name}: exit code {proc.returncode}",
                    pytrace=False)


# ---------------------------------------------------------------- the .jsonl fields

def documented_jsonl_fields() -> dict[str, tuple[str, str]]:
    """field -> (type, meaning), from the table of docs/report-formats.md's JSON Lines part."""
    section = (DOCS / "report-formats.md").read_text(encoding="utf-8").split(
        "## JSON Lines", 1)[1].split("\n## ", 1)[0]
    return {m[1]: (m[2].strip(), m[3].strip())
            for m in re.finditer(r"^\| `(\w+)` \|([^|]+)\|([^|]+)\|$", section, re.M)}


def test_the_jsonl_fields_documented_are_those_read(tmp_path):
    """Each field the table lists changes the report read, and no other name does: every
    metadata field of front matter and every attribute of a Report is tried."""
    import dataclasses

    from kg.reports import METADATA_FIELDS, Report, ReportError, read_path

    documented = documented_jsonl_fields()
    assert documented and all(kind and meaning for kind, meaning in documented.values())
    path = tmp_path / "reports.jsonl"

    def read(record: dict):
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        [report] = read_path(path)
        if isinstance(report, ReportError):
            return str(report)
        return (report.id, report.text, report.title, report.published, report.source,
                report.url)

    base = {"text": "Kenya and Tanzania held talks in Nairobi."}
    values = {"published": "2024-03-11", "date": "2024-03-11", "id": "line-one"}
    candidates = (set(documented) | set(METADATA_FIELDS)
                  | {f.name for f in dataclasses.fields(Report)}) - {"text"}
    read_fields = {name for name in candidates
                   if read({**base, name: values.get(name, "Some value")}) != read(base)}
    assert isinstance(read({"title": "no text"}), str)  # text is required: an error
    assert read_fields | {"text"} == set(documented)
