"""The import contracts of pyproject.toml ([tool.importlinter]): kg's stages import only the
stages below them, kg.web's modules (web/) only those below them, and a store's base knows neither
implementation. Checked with import-linter on the package, and shown to fail on a copy with
one upward import added."""
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
    assert "3 kept, 0 broken" in done.stdout


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    # kg/web is a link to the top-level web/: both are copied, the link as a link.
    for folder in ("kg", "web"):
        shutil.copytree(ROOT / folder, tmp_path / folder, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "vendor", "node_modules"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # upward\n",
                    encoding="utf-8")
    return tmp_path


def test_an_upward_import_breaks_them(tmp_path):
    done = _lint(_copy_with(tmp_path, "kg/store/embedded.py", "import kg.network"))
    assert done.returncode != 0
    assert "kg.store.embedded -> kg.network" in done.stdout


def test_a_view_reading_the_app_breaks_them(tmp_path):
    """Views reach the store and settings through web/state.py, not through the app."""
    done = _lint(_copy_with(tmp_path, "web/views/home.py", "import kg.web.app"))
    assert done.returncode != 0
    assert "kg.web.views.home -> kg.web.app" in done.stdout
