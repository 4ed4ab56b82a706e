"""The import contracts of pyproject.toml ([tool.importlinter]): kg's stages import only the
stages below them, and a store's base knows neither implementation. Checked with
import-linter on the package, and shown to fail on a copy with one upward import added."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_contracts_are_kept():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_an_upward_import_breaks_them(tmp_path):
    shutil.copytree(ROOT / "kg", tmp_path / "kg",
                    ignore=shutil.ignore_patterns("__pycache__", "vendor", "node_modules"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    store = tmp_path / "kg" / "store" / "embedded.py"
    store.write_text(store.read_text(encoding="utf-8") + "\nimport kg.network  # upward\n",
                     encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    assert "kg.store.embedded -> kg.network" in done.stdout
