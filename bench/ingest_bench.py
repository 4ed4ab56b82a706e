"""Ingest benchmark: `kg ingest` serial (--jobs 1) against --jobs 2 on synthetic report texts.

    python bench/ingest_bench.py --reports 200          # writes bench/results/ingest.md

Each run is a fresh `kg ingest` process into a new on-disk store; the time is the wall time of
the whole command (start-up included) and the summary's own reports/s; peak memory is the
largest sum of the resident sets of the command and all its descendants (worker processes),
sampled from /proc every 50 ms, and the largest single process. CPU time is that of the
command and its descendants. Both runs must store the same number of triples.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import threading
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))


def write_texts(folder: Path, n_reports: int, seed: int = 1) -> int:
    """Writes the synthetic reports of bench/synthetic.py as .txt files with front matter.

    The title is written as a JSON string (valid YAML): synthetic.py --texts writes it bare,
    and its titles ("A and B: conflict") then break the front matter.
    """
    from synthetic import generate

    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for report, _ in generate(n_reports, seed):
        (folder / f"{report.id}.txt").write_text(
            f"---\nid: {report.id}\ntitle: {json.dumps(report.title)}\n"
            f"published: {report.published.isoformat()}\nsource: {report.source}\n"
            f"url: {report.url}\n---\n{report.text}\n", encoding="utf-8")
        count += 1
    return count


TICK = os.sysconf("SC_CLK_TCK")


def _tree(root: int, cpu: dict) -> tuple[int, int]:
    """(sum, largest) resident set in kB of `root` and its descendants, from /proc; records
    each one's CPU seconds so far in `cpu` (the workers are not the command's children: the
    forkserver starts them, so getrusage would not count them)."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields["PPid"])
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read().rsplit(")", 1)[1].split()
            rss[-int(entry)] = (int(stat[11]) + int(stat[12])) / TICK   # utime + stime
        except (OSError, IndexError):
            pass
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        grown, tree = bool(more), tree | more
    for pid in tree:
        if -pid in rss:
            cpu[pid] = rss[-pid]
    sizes = [rss.get(pid, 0) for pid in tree]
    return sum(sizes), max(sizes)


def run(texts: Path, store: Path, jobs: int) -> dict:
    kg = Path(sys.executable).with_name("kg")
    start = time.perf_counter()
    proc = subprocess.Popen([str(kg), "ingest", str(texts), "--store", str(store),
                             "--no-progress", "--jobs", str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, cpu = [0, 0], {}

    def sample() -> None:
        while proc.poll() is None:
            total, largest = _tree(proc.pid, cpu)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    cpu = sum(cpu.values())   # up to the last sample, 50 ms before the end
    first = out.splitlines()[0] if out else err
    rate = re.search(r"([\d.]+) reports/s", first)
    from kg.store import Store
    with Store.open(store) as s:
        triples = s.stats()["triples"]
    return {"jobs": jobs, "wall": wall, "cpu": cpu, "summary": first, "triples": triples,
            "rate": float(rate.group(1)) if rate else 0.0, "rc": proc.returncode,
            "peak_mb": peak[0] / 1024, "largest_mb": peak[1] / 1024}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "ingest.md")
    args = ap.parse_args(argv)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts"
        write_texts(texts, args.reports)
        results = []
        for jobs in (1, 2):
            r = run(texts, Path(tmp) / f"store-{jobs}", jobs)
            print(f"--jobs {jobs}: {r['summary']} | wall {r['wall']:.1f} s, cpu {r['cpu']:.1f} s, "
                  f"peak RSS {r['peak_mb']:.0f} MB, {r['triples']} triples", file=sys.stderr)
            results.append(r)
        rerun = run(texts, Path(tmp) / "store-2", 2)
    ser, par = results
    if par["triples"] != ser["triples"]:
        print("the two runs stored different numbers of triples", file=sys.stderr)
        return 1
    lines = [
        "# Ingest: serial against --jobs 2",
        "",
        f"`python bench/ingest_bench.py --reports {args.reports}`: {args.reports} synthetic report "
        f"texts (bench/synthetic.py, seed 1), each run a fresh `kg ingest` into a new on-disk "
        f"store, on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}.",
        "",
        f"Load average before the runs: {load}.",
        "",
        "| run | reports/s (kg's summary) | wall time, whole command | CPU time (all processes) "
        "| peak RSS, all processes | largest process |",
        "|---|---|---|---|---|---|",
    ]
    for r in (ser, par):
        lines.append(f"| --jobs {r['jobs']} | {r['rate']:.1f} | {r['wall']:.1f} s | "
                     f"{r['cpu']:.1f} s | {r['peak_mb']:.0f} MB | {r['largest_mb']:.0f} MB |")
    lines += [
        "",
        f"Speed-up: {par['rate'] / ser['rate']:.2f}× in reports/s, "
        f"{ser['wall'] / par['wall']:.2f}× in wall time. Both stores hold {ser['triples']} triples.",
        f"A second --jobs 2 run over the same texts (all unchanged): {rerun['wall']:.1f} s "
        f"({rerun['summary'].split(' (')[0]}).",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
