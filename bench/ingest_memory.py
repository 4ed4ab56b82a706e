"""Memory over a long `kg ingest`: resident set of the command and its workers, against the
number of reports stored so far.

    python bench/ingest_memory.py --reports 100000 --jobs 2      # bench/results/ingest-memory.md
    python bench/ingest_memory.py --reports 100000 --minutes 60  # stop after an hour (partial)

The texts are bench/synthetic.py's, written once to --texts (kept for a rerun). The command's
stderr names each report as it is stored (`kg ingest: stored: ID`), so progress is counted from
it; the resident sets of the command and all its descendants are summed from /proc every
second (bench/ingest_bench.py). A run cut short by --minutes is reported as such, with how far
it got: the question it answers is whether memory grows with the reports stored.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest_bench import _tree, write_texts  # noqa: E402


def measure(texts: Path, store: Path, jobs: int, limit_s: float | None, nice: int,
            trace: Path | None = None) -> dict:
    kg = Path(sys.executable).with_name("kg")
    # no --no-progress: on a pipe, progress is the "stored: ID" lines counted here
    cmd = [str(kg), "ingest", str(texts), "--store", str(store), "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=(lambda: os.nice(nice)) if nice else None)
    stored, failed, lines = [0], [0], []

    def read_stderr() -> None:
        for line in proc.stderr:
            if line.startswith("kg ingest: stored: "):
                stored[0] += 1
            else:
                lines.append(line.rstrip())
                failed[0] += "error" in line.lower()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    samples, cpu, cut = [], {}, False
    # the samples as they come, so that a run cut short (a session's end) still tells its story
    log = trace.open("w", encoding="utf-8") if trace else None
    while proc.poll() is None:
        total, largest = _tree(proc.pid, cpu)
        samples.append((time.perf_counter() - start, stored[0], total / 1024, largest / 1024))
        if log and len(samples) % 10 == 1:
            log.write("%.0f\t%d\t%.0f\t%.0f\n" % samples[-1])
            log.flush()
        if limit_s and samples[-1][0] > limit_s:
            cut = True
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
            break
        time.sleep(1.0)
    if log:
        log.close()
    out = proc.stdout.read() if proc.stdout else ""
    proc.wait()
    reader.join(5)
    return {"cmd": " ".join(cmd[1:]), "jobs": jobs, "samples": samples, "cut": cut,
            "stored": stored[0], "rc": proc.returncode, "summary": out.strip().splitlines()[:1],
            "other_stderr": lines[-5:], "wall": time.perf_counter() - start}


def report(r: dict, n: int, load: str) -> str:
    s = r["samples"]
    peak = max(s, key=lambda x: x[2]) if s else (0, 0, 0, 0)
    largest = max((x[3] for x in s), default=0)
    rate = r["stored"] / r["wall"] if r["wall"] else 0
    status = (f"stopped by --minutes after {r['wall'] / 60:.1f} min" if r["cut"]
              else f"finished, exit code {r['rc']}")
    L = ["# Memory over a long ingest", "",
         f"`{r['cmd']}` on {n:,} synthetic texts (bench/synthetic.py, seed 1), into a new "
         f"on-disk store; {status}; **{r['stored']:,} reports stored** in {r['wall'] / 60:.1f} "
         f"min ({rate:.1f} reports/s). Resident set of the command and its workers summed "
         f"from /proc every second. Load average at start: {load}.", "",
         f"**Peak: {peak[2]:.0f} MB** for all processes (at {peak[1]:,} reports stored); "
         f"largest single process {largest:.0f} MB.", "",
         "| reports stored | minutes | all processes, MB | largest process, MB |",
         "| ---: | ---: | ---: | ---: |"]
    # about twenty rows, evenly spread over the reports stored
    step = max(1, r["stored"] // 20)
    shown, next_at = [], 0
    for t, k, total, big in s:
        if k >= next_at:
            shown.append((t, k, total, big))
            next_at = k + step
    if s and shown[-1] != s[-1]:
        shown.append(s[-1])
    L += [f"| {k:,} | {t / 60:.1f} | {total:.0f} | {big:.0f} |" for t, k, total, big in shown]
    if r["other_stderr"]:
        L += ["", "Last other lines on stderr:", "", "```", *r["other_stderr"], "```"]
    return "\n".join(L) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=100000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--texts", type=Path, help="folder of texts (written if missing)")
    ap.add_argument("--store", type=Path, help="store folder (default: a temporary one)")
    ap.add_argument("--minutes", type=float, help="stop the ingest after this long")
    ap.add_argument("--nice", type=int, default=0, help="run kg ingest at this niceness")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "ingest-memory.md")
    ap.add_argument("--trace", type=Path,
                    help="also write each 10th sample here as it is taken (seconds, reports "
                         "stored, MB of all processes, MB of the largest), tab-separated")
    args = ap.parse_args(argv)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="kg-ingest-memory-") as tmp:
        texts = args.texts or Path(tmp) / "texts"
        have = len(list(texts.glob("*.txt"))) if texts.is_dir() else 0
        if have != args.reports:
            print(f"writing {args.reports:,} texts to {texts} ...", file=sys.stderr)
            write_texts(texts, args.reports)
        store = args.store or Path(tmp) / "store"
        r = measure(texts, store, args.jobs, args.minutes and args.minutes * 60, args.nice,
                    args.trace)
    text = report(r, args.reports, load)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if r["rc"] == 0 or r["cut"] else 1


if __name__ == "__main__":
    sys.exit(main())
