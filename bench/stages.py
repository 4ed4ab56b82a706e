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
gazetteer, the shapes) are paid on a first report in another store, not counted. One JSON
object on stdout: wall-clock milliseconds a report by stage (`ms_per_report`, `share`), and the
process's CPU milliseconds (`cpu_ms_per_report`, all its threads: RocksDB's too), which a
machine shared with other work disturbs less.
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
    from kg.extraction import extract_from
    from kg.extraction.context import analyse
    from kg.ingest import NLP_BATCH
    from kg.mapping import report_graph
    from kg.reports import read_path
    from kg.resolution import Resolver
    from kg.store import Store
    from kg.validation import validate

    paths = sorted(Path(folder).glob("*.txt"))
    names = ("read", "nlp", "rules", "resolve", "map", "validate", "write")
    totals = dict.fromkeys(names, 0.0)
    cpu = dict.fromkeys(names, 0.0)
    counted = 0
    with tempfile.TemporaryDirectory(prefix="kg-stages-") as tmp:
        with Store.open(Path(tmp) / "warm") as store:    # loading paid here, not counted
            (report,) = read_path(paths[0])
            (context,) = analyse([report])
            validate(report_graph(report, extract_from(context)))
            store.replace_report(report.id, report_graph(report, extract_from(context)))
        with Store.open(Path(tmp) / "store") as store:
            resolver = Resolver(store)
            for first in range(0, len(paths), NLP_BATCH):
                # as kg ingest reads them: NLP_BATCH reports analysed together
                batch = []
                t0, c0 = time.perf_counter(), time.process_time()
                for path in paths[first:first + NLP_BATCH]:
                    items = read_path(path)
                    if len(items) == 1 and hasattr(items[0], "text"):
                        batch.append(items[0])
                t1, c1 = time.perf_counter(), time.process_time()
                contexts = analyse(batch)
                t2, c2 = time.perf_counter(), time.process_time()
                totals["read"] += t1 - t0
                totals["nlp"] += t2 - t1
                cpu["read"] += c1 - c0
                cpu["nlp"] += c2 - c1
                for report, context in zip(batch, contexts):
                    t = [(time.perf_counter(), time.process_time())]
                    extraction = extract_from(context)
                    t.append((time.perf_counter(), time.process_time()))
                    resolver.resolve(report, extraction)
                    t.append((time.perf_counter(), time.process_time()))
                    graph = report_graph(report, extraction)
                    t.append((time.perf_counter(), time.process_time()))
                    if not validate(graph).conforms:
                        continue
                    t.append((time.perf_counter(), time.process_time()))
                    store.replace_report(report.id, graph)
                    resolver.add(extraction)
                    t.append((time.perf_counter(), time.process_time()))
                    counted += 1
                    for name, a, b in zip(names[2:], t, t[1:]):
                        totals[name] += b[0] - a[0]
                        cpu[name] += b[1] - a[1]
    per = {name: round(1000 * s / counted, 2) for name, s in totals.items()} if counted else {}
    per_cpu = {name: round(1000 * s / counted, 2) for name, s in cpu.items()} if counted else {}
    whole = sum(per.values()) or 1.0
    return {"reports": counted, "ms_per_report": per, "cpu_ms_per_report": per_cpu,
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
