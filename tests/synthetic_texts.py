"""Report texts from the benchmarks' seeded generator (bench/), for tests that ingest many."""
from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def write_texts(folder: Path, n: int, seed: int) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from ingest_bench import write_texts as write
    finally:
        sys.path.remove(str(BENCH))
    write(folder, n, seed=seed)
    return folder
