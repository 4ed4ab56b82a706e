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
