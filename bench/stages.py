"""Where a report's ingest time goes, and what the NLP alone costs (issue 17).

    python bench/stages.py nlp FOLDER      # the spaCy pipeline alone over FOLDER's reports
    python bench/stages.py stages FOLDER   # milliseconds per report in each stage of kg ingest

`nlp` is run as a whole process by bench/run.py and timed beside `kg ingest --jobs 1` over
the same texts: the pipeline kg runs (kg.extraction.pipeline.nlp(), our sentence components
and gazetteer included), `nlp.pipe` in batches, loading included, nothing else. Their ratio
of throughputs is `ingest_vs_nlp_pipeline`.

`stages` times each stage of a serial ingest in one process, in the order kg.ingest runs
them: read (the file into a Report), nlp (the spaCy pipeline over kg.ingest.NLP_BATCH
reports' texts and titles together, and the rest of Context.build: kg.extraction.context.
analyse, divided by the reports), then report by report the rules (the extractors over the
context), resolve, map (the report's RDF graph), validate (the shapes) and write (into an
on-disk store, one report a transaction where kg ingest writes 32). Load times (spaCy, the
gazetteer, the shapes) are paid on a first report in another store, not counted. The write is
kg ingest's: kg.ingest.DEFAULT_BATCH reports a transaction (`replace_reports`; one report a
transaction costs about 1.7 ms a report more), each report charged its batch's time divided
by the batch's reports, and the store's flush to disk at the end, which kg ingest's close
does. One JSON object on stdout: wall-clock milliseconds a report by stage (`ms_per_report`,
`share`), the process's CPU milliseconds (`cpu_ms_per_report`, all its threads: RocksDB's
too), which a machine shared with other work disturbs less, the write's transactions
(`write_transactions`), and the garbage collector's CPU milliseconds a report in each stage
(`gc_ms_per_report`, counted in the stage's time too: a collection falls in whichever stage
allocates at that moment). What was loaded is frozen out of the collector's reach
(gc.freeze), as kg ingest does; else each full collection traverses all of spaCy's objects
(about 60-75 ms).
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def reports(folder: Path) -> list:
    from kg.reports import Report, read_path

    return [r for p in sorted(Path(folder).glob("*.txt")) for r in read_path(p)
            if isinstance(r, Report)]


def nlp_alone(folder: Path) -> dict:
    from kg.extraction.pipeline import nlp

    start, cpu = time.perf_counter(), time.process_time()
    texts = [r.text for r in reports(folder)]
    tokens = sum(len(doc) for doc in nlp().pipe(texts, batch_size=32))
    return {"docs": len(texts), "tokens": tokens, "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu}


def stages(folder: Path) -> dict:
    import gc

    from kg.extraction import extract_from
    from kg.extraction.context import analyse
    from kg.ingest import DEFAULT_BATCH, NLP_BATCH
    from kg.mapping import report_graph
    from kg.reports import read_path
    from kg.resolution import Resolver
    from kg.store import Store
    from kg.validation import validate

    paths = sorted(Path(folder).glob("*.txt"))
    names = ("read", "nlp", "rules", "resolve", "map", "validate", "write")
    totals = dict.fromkeys(names, 0.0)
    cpu = dict.fromkeys(names, 0.0)
    collected = dict.fromkeys(names, 0.0)
    stage, began = ["read"], [0.0]

    def on_gc(phase, info):
        if phase == "start":
            began[0] = time.process_time()
        else:
            collected[stage[0]] += time.process_time() - began[0]

    counted = 0
    transactions = 0
    with tempfile.TemporaryDirectory(prefix="kg-stages-") as tmp:
        with Store.open(Path(tmp) / "warm") as store:    # loading paid here, not counted
            (report,) = read_path(paths[0])
            (context,) = analyse([report])
            validate(report_graph(report, extract_from(context)))
            store.replace_report(report.id, report_graph(report, extract_from(context)))
        gc.freeze()     # what is loaded, out of the collector's reach, as kg ingest does
        gc.callbacks.append(on_gc)
        store = Store.open(Path(tmp) / "store")
        resolver = Resolver(store)
        pending: list = []      # (report id, graph) accepted, not yet written

        def write(final: bool = False) -> None:
            # one transaction for the batch, as kg ingest's; the last one also flushes to disk
            nonlocal transactions, counted
            stage[0] = "write"
            t0, c0 = time.perf_counter(), time.process_time()
            if pending:
                store.replace_reports(pending)
                transactions += 1
            if final:
                store.flush()
            totals["write"] += time.perf_counter() - t0
            cpu["write"] += time.process_time() - c0
            counted += len(pending)
            pending.clear()

        try:
            for first in range(0, len(paths), NLP_BATCH):
                # as kg ingest reads them: NLP_BATCH reports analysed together
                batch = []
                stage[0] = "read"
                t0, c0 = time.perf_counter(), time.process_time()
                for path in paths[first:first + NLP_BATCH]:
                    items = read_path(path)
                    if len(items) == 1 and hasattr(items[0], "text"):
                        batch.append(items[0])
                stage[0] = "nlp"
                t1, c1 = time.perf_counter(), time.process_time()
                contexts = analyse(batch)
                t2, c2 = time.perf_counter(), time.process_time()
                totals["read"] += t1 - t0
                totals["nlp"] += t2 - t1
                cpu["read"] += c1 - c0
                cpu["nlp"] += c2 - c1
                for report, context in zip(batch, contexts):
                    stage[0] = "rules"
                    t = [(time.perf_counter(), time.process_time())]
                    extraction = extract_from(context)
                    stage[0] = "resolve"
                    t.append((time.perf_counter(), time.process_time()))
                    resolver.resolve(report, extraction)
                    stage[0] = "map"
                    t.append((time.perf_counter(), time.process_time()))
                    graph = report_graph(report, extraction)
                    stage[0] = "validate"
                    t.append((time.perf_counter(), time.process_time()))
                    if not validate(graph).conforms:
                        continue
                    t.append((time.perf_counter(), time.process_time()))
                    stage[0] = "resolve"
                    resolver.add(extraction)   # as kg ingest: before the write, on acceptance
                    t.append((time.perf_counter(), time.process_time()))
                    pending.append((report.id, graph))
                    for name, a, b in zip(names[2:6], t, t[1:]):
                        totals[name] += b[0] - a[0]
                        cpu[name] += b[1] - a[1]
                    totals["resolve"] += t[5][0] - t[4][0]
                    cpu["resolve"] += t[5][1] - t[4][1]
                    if len(pending) >= DEFAULT_BATCH:
                        write()
            write(final=True)
        finally:
            gc.callbacks.remove(on_gc)
            gc.unfreeze()
            store.close()
    per = {name: round(1000 * s / counted, 2) for name, s in totals.items()} if counted else {}
    per_cpu = {name: round(1000 * s / counted, 2) for name, s in cpu.items()} if counted else {}
    per_gc = {name: round(1000 * s / counted, 2) for name, s in collected.items()} \
        if counted else {}
    whole = sum(per.values()) or 1.0
    return {"reports": counted, "ms_per_report": per, "cpu_ms_per_report": per_cpu,
            "gc_ms_per_report": per_gc, "write_transactions": transactions,
            "share": {name: round(ms / whole, 3) for name, ms in per.items()},
            "kg_own_ms": round(whole - per.get("nlp", 0.0), 2), "nlp_ms": per.get("nlp")}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] not in ("nlp", "stages"):
        print(__doc__, file=sys.stderr)
        return 2
    out = nlp_alone(Path(argv[1])) if argv[0] == "nlp" else stages(Path(argv[1]))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
