"""Benchmark of the graph layer: kg.network views and kg.analytics on synthetic reports.

    python bench/network_bench.py                     # builds a 10,000-report store, then times
    python bench/network_bench.py --store DIR         # reuses DIR if it holds reports
    python bench/network_bench.py --reports 2000 --repeat 3

The store is built by bench/synthetic.py from generated facts (no text extraction: this
measures the graph layer only). Each step is timed `--repeat` times and the best is reported,
with the machine it ran on; the Markdown table is printed and written to
bench/results/network.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import synthetic  # noqa: E402

from kg import analytics, exports, network  # noqa: E402
from kg.store import Store  # noqa: E402


def timed(fn, repeat: int):
    """(best seconds, the last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", metavar="DIR", help="store to reuse, or to build if empty")
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "network.md")
    args = ap.parse_args(argv)

    temp = None
    folder = args.store
    if folder is None:
        temp = tempfile.mkdtemp(prefix="kg-bench-")
        folder = temp
    rows: list[tuple[str, str, float]] = []
    try:
        with Store.open(folder) as store:
            n = len(store.report_ids())
            if n == 0:
                start = time.perf_counter()
                n = synthetic.build_store(store, args.reports, args.seed, progress=True)
                rows.append(("build the store (bench/synthetic.py, facts -> RDF -> Oxigraph)",
                             f"{n} reports", time.perf_counter() - start))
            stats = store.stats()
            on = f"{n} reports"

            views = {}
            for view in network.VIEWS:
                seconds, G = timed(lambda: network.build(store, view), args.repeat)
                views[view] = G
                rows.append((f'`build(store, "{view}")`',
                             f"{on} -> {G.number_of_nodes()} nodes, "
                             f"{G.number_of_edges()} edges", seconds))
            S, A, F = views["states"], views["actors"], views["full"]
            states_on = f"states view ({S.number_of_nodes()} nodes)"
            for measure in analytics.MEASURES:
                seconds, _ = timed(lambda: analytics.central_states(S, 10, measure),
                                   args.repeat)
                rows.append((f'`central_states(G, 10, "{measure}")`', states_on, seconds))
            seconds, _ = timed(lambda: analytics.central_officials(A, 10), args.repeat)
            rows.append(("`central_officials(G, 10)` (PageRank)",
                         f"actors view ({A.number_of_nodes()} nodes)", seconds))
            seconds, found = timed(lambda: analytics.communities(S), args.repeat)
            rows.append(("`communities(G)` (Louvain)", f"{states_on} -> {len(found)} communities",
                         seconds))
            top = analytics.central_states(S, 2, "degree")
            a, b = top[0].node, top[1].node
            seconds, H = timed(lambda: analytics.ego(S, a, 1), args.repeat)
            rows.append(("`ego(G, state, 1)`", f"{states_on} -> {H.number_of_nodes()} nodes",
                         seconds))
            seconds, H = timed(lambda: analytics.ego(F, a, 2), args.repeat)
            rows.append(("`ego(G, state, 2)`", f"full view -> {H.number_of_nodes()} nodes",
                         seconds))
            # the first-ranked official and the least-linked state they can reach: a long chain
            # (an official of a state: an IGO official's posts link only to the organization)
            person = next(c.node for c in analytics.central_officials(A, len(A)) if c.states)
            ranked = analytics.central_states(S, len(S), "degree")
            far = next((r.node for r in reversed(ranked)
                        if r.partners and analytics.chain(F, person, r.node) is not None), b)
            seconds, c = timed(lambda: analytics.chain(F, person, far, store=store),
                               args.repeat)
            rows.append(("`chain(G_full, person, state, store=store)` with evidence",
                         f"full view -> {len(c) if c else 0} facts", seconds))
            # from the store: a search of the store itself, no view built
            seconds, c = timed(lambda: analytics.chain(store, person, far), args.repeat)
            rows.append(("`chain(store, person, state)` with evidence",
                         f"{on} -> {len(c) if c else 0} facts", seconds))
            seconds, c = timed(lambda: analytics.chain(store, a, b), args.repeat)
            rows.append(("`chain(store, a, b)` (two most-linked states) with evidence",
                         f"{on} -> {len(c) if c else 0} facts", seconds))
            edge = max(S.edges(data=True), key=lambda e: e[2]["weight"])
            ea, eb = S.nodes[edge[0]]["iso3"], S.nodes[edge[1]]["iso3"]
            seconds, months = timed(lambda: analytics.pair_timeline(store, ea, eb, fill=True),
                                    args.repeat)
            rows.append((f"`pair_timeline(store, {ea}, {eb})`",
                         f"{on} -> {len(months)} months", seconds))
            for fmt in exports.GRAPH_FORMATS:
                seconds, data = timed(lambda: exports.to_bytes(S, fmt), args.repeat)
                rows.append((f"export {fmt}", f"states view -> {len(data) // 1024} KB", seconds))
            seconds, data = timed(lambda: exports.to_bytes(F, "cytoscape"), 1)
            rows.append(("export cytoscape", f"full view -> {len(data) // 1024 // 1024} MB",
                         seconds))
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)

    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; store: {n} synthetic "
             f"reports, {stats['triples']} triples, {stats['states']} states, "
             f"{stats['persons']} persons, {stats['posts']} posts, {stats['agreements']} "
             f"agreements, {stats['events']} events, {stats['relations']} relations "
             f"(seed {args.seed}); best of {args.repeat} runs except where it says one.",
             "", "| what | on what | seconds |", "| --- | --- | ---: |"]
    lines += [f"| {what} | {on} | {seconds:.3f} |" for what, on, seconds in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
