"""bilateral-kg's benchmarks in one run, each against a reference, side by side.

    python bench/run.py                  # full: queries on 10,000 and 100,000 reports
    python bench/run.py --quick --json   # under 5 minutes; one JSON object on stdout
    python bench/run.py --smoke --json   # seconds: for tests/test_bench_run.py

What it measures, on synthetic data from bench/synthetic.py (same seed, same data):

- ingest: `kg.ingest.ingest` of generated report texts into a fresh on-disk store, serial
  (warm: after start-up, in-process; and cold: the `kg ingest` command, start-up included) and
  with `--jobs 2`, against spaCy's bare tokenizer with a sentencizer (`spacy.blank("en")` +
  "sentencizer", `nlp.pipe`) over the same texts;
- every named query (queries/*.rq, with parameters drawn from the data) on the embedded store
  through kg's own path (`kg.queries.load` + `kg.queries.run`, as `kg query` and the library
  call them), against the same query text on a plain in-memory `pyoxigraph.Store()` and on an
  `rdflib.Dataset(default_union=True)` loaded from the store's N-Quads dump; all rows read;
  median of several runs after a warm-up, kg and plain pyoxigraph interleaved in one process;
- `kg serve`'s SPARQL endpoint under concurrent clients (threads, HTTP keep-alive) for the
  user-facing named queries, against Virtuoso (`.ci/virtuoso`) holding the same N-Quads;
- peak memory (RSS) of each process.

It writes bench/results/run.md and PNG plots beside it. Built stores are cached under
`--cache` (default ~/.cache/bilateral-kg-bench), keyed by seed and size.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import http.client
import json
import math
import multiprocessing as mp
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (REPO, HERE):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

MODES = {
    # sizes: reports per query benchmark; rdflib: the sizes rdflib's memory store is run on
    # (at 100,000 reports, ~17M triples, it needs far more than this machine's memory and time)
    # query_cap: a named query still running after that many seconds is stopped
    # budget: seconds of timed runs per query (beyond min_runs); commands: time `kg ingest`
    "smoke": dict(ingest=4, sizes=[30], rdflib=[30], endpoint=30, per_query_s=0.2,
                  mix_s=0.5, min_runs=2, budget=0.0, rdflib_cap=0.2, query_cap=20.0,
                  commands=False),
    "quick": dict(ingest=30, sizes=[100, 300], rdflib=[100], endpoint=100, per_query_s=1.0,
                  mix_s=4.0, min_runs=5, budget=0.2, rdflib_cap=3.0, query_cap=5.0,
                  commands=True),
    "full": dict(ingest=300, sizes=[10000, 100000], rdflib=[10000], endpoint=10000,
                 per_query_s=4.0, mix_s=15.0, min_runs=5, budget=0.5, rdflib_cap=240.0,
                 query_cap=120.0, commands=True),
}
TARGETS = {"ingest_vs_tokenizer": 0.25, "ingest_vs_nlp_pipeline": 0.8, "query_overhead_vs_pyoxigraph": 1.2,
           "speedup_vs_rdflib_memory": 20.0, "endpoint_vs_virtuoso": 0.5, "memory_mb": 4096}
# The queries people send to the endpoint (README: the contract's five and the seven others).
ENDPOINT_QUERIES = ["states", "officials", "agreements", "events", "relations",
                    "state-relations", "agreements-between", "state-officials", "timeline",
                    "evidence", "reports", "pair-history"]
CLIENTS = 8


_T0 = time.perf_counter()


def log(*args) -> None:
    print(f"[{time.perf_counter() - _T0:6.1f} s]", *args, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def isolated(fn, *args):
    """fn(*args) in a fresh process, so that its memory is its own and is freed after."""
    with cf.ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# ---------------------------------------------------------------- building the data

def _map_chunk(items):
    """N-Quads text of the report graphs, as kg.mapping makes them (run in a worker)."""
    import pyoxigraph as ox
    from kg import vocabulary as V
    from kg.mapping import report_graph
    from kg.store import ox_term

    out = []
    for report, extraction in items:
        g = ox.NamedNode(V.graph_iri(report.id))
        out.extend(f"{ox.Quad(ox_term(s), ox_term(p), ox_term(o), g)} .\n"
                   for s, p, o in report_graph(report, extraction))
    return "".join(out)


def build(folder: Path, n: int, seed: int) -> dict:
    """A kg store of n synthetic reports in folder/store and its N-Quads dump folder/data.nq.

    The facts are drawn in order (one seeded generator); mapping them to RDF, the costly part,
    runs in 2 processes; the graphs are bulk-loaded, one named graph per report, as
    Store.replace_report would write them one by one (minutes at 100,000 reports).
    """
    import synthetic
    import pyoxigraph as ox
    from kg.store import Store

    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / "reports.nq"
    ctx = mp.get_context("spawn")
    with open(raw, "w", encoding="utf-8") as f, \
            cf.ProcessPoolExecutor(2, mp_context=ctx) as pool:
        gen = synthetic.generate(n, seed)
        chunks = iter(lambda: [x for _, x in zip(range(250), gen)], [])
        for text in pool.map(_map_chunk, chunks):
            f.write(text)
    with Store.open(folder / "store") as store:
        store.ox.bulk_load(path=str(raw), format=ox.RdfFormat.N_QUADS)
        store.ox.optimize()
        with open(folder / "data.nq", "wb") as f:
            store.export("nquads", f)
        stats = store.stats()
    raw.unlink()
    info = {"reports": stats["reports"], "triples": stats["triples"], "seed": seed,
            "build_s": round(time.perf_counter() - start, 1), "build_rss_mb": peak_rss_mb()}
    (folder / "info.json").write_text(json.dumps(info))
    return info


def cached(cache: Path, n: int, seed: int) -> tuple[Path, dict]:
    folder = cache / f"seed{seed}-n{n}"
    info = folder / "info.json"
    if not info.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        log(f"building {n} synthetic reports into {folder} ...")
        isolated(build, folder, n, seed)
    return folder, json.loads(info.read_text())


# ---------------------------------------------------------------- parameters

def pick_params(store_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Representative parameters for each named query, drawn from the data: the state in
    most relations, its most frequent partner, one of its officials, and so on."""
    from kg.store import Store

    def one(store, sparql):
        rows = store.select(sparql)
        return rows[0] if rows else {}

    P = ("PREFIX bkg: <https://bilateral-kg.org/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
         "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX org: <http://www.w3.org/ns/org#> "
         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    with Store.open(store_dir) as s:
        # The relation named by most reports, counted first: joining the states' codes
        # before grouping takes minutes at 10,000 reports.
        pair = one(s, P + "SELECT ?a ?b ?rel WHERE { { SELECT ?rel (COUNT(?g) AS ?n) WHERE { "
                   "GRAPH ?g { ?rel a bkg:BilateralRelation } } GROUP BY ?rel "
                   "ORDER BY DESC(?n) ?rel LIMIT 1 } GRAPH ?h { ?rel bkg:between ?x, ?y . "
                   "?x bkg:iso3 ?a . ?y bkg:iso3 ?b FILTER(STR(?a) < STR(?b)) } } LIMIT 1")
        a, b, rel = pair["a"], pair["b"], pair["rel"]
        person = one(s, P + f"SELECT ?p ?name (COUNT(?g) AS ?n) WHERE {{ GRAPH ?g {{ ?post "
                     f"org:member ?p ; bkg:servesState/bkg:iso3 \"{a}\" . ?p foaf:name ?name }} }}"
                     f" GROUP BY ?p ?name ORDER BY DESC(?n) ?p LIMIT 1")
        # Each pattern inside GRAPH: over the union default graph a triple comes once per
        # report graph stating it, and joins multiply the copies (hours at 100,000 reports).
        host = one(s, P + f"SELECT DISTINCT ?h WHERE {{ GRAPH ?g {{ ?post bkg:servesState/"
                   f"bkg:iso3 \"{a}\" ; bkg:hostState/bkg:iso3 ?h }} }} ORDER BY ?h LIMIT 1"
                   ).get("h", b)
        label = one(s, P + f"SELECT ?l WHERE {{ <{person['p']}> rdfs:label ?l }} LIMIT 1")
        report = one(s, P + f"SELECT ?id WHERE {{ ?r a bkg:Report ; dct:identifier ?id }} "
                     f"ORDER BY ?id LIMIT 1")["id"]
        year = one(s, P + f"SELECT ?d WHERE {{ GRAPH ?g {{ ?e a bkg:Event ; bkg:participant/"
                   f"bkg:iso3 \"{a}\", \"{b}\" ; bkg:date ?d }} }} LIMIT 1").get("d", "2020")[:4]
    state = f"https://bilateral-kg.org/id/state/{a}"
    person_iri = person["p"]
    name = (label.get("l") or person["name"]).lower()
    params = {
        "agreements-between": {"a": [a], "b": [b]},
        "agreements-by-state": {"state": [a]},
        "agreements": {"party": [a]},
        "chain-evidence": {"node": [person_iri, state]},
        "cq-agreements": {"a": [a], "b": [b]},
        "cq-counterparts": {"state": [a]},
        "cq-events": {"a": [a], "b": [b], "year": [year]},
        "cq-representatives": {"state": [a], "host": [host]},
        "cq-sources": {"fact": [rel]},
        "events-by-state": {"state": [a]},
        "events": {"participant": [a]},
        "evidence": {"node": [person_iri]},
        "network-find": {"name": [name]},
        "network-neighbours": {"node": [state]},
        "network-node-classes": {"node": [person_iri, state]},
        "network-node-labels": {"node": [person_iri, state]},
        "network-pair": {"relation": [rel]},
        "officials": {"state": [a]},
        "pair-history": {"a": [a], "b": [b]},
        "relations-summary": {"state": [a]},
        "relations": {"state_a": [a]},
        "report": {"report": [report]},
        "state-officials": {"state": [a]},
        "state-relations": {"state": [a]},
        "timeline": {"state": [a], "other": [b]},
    }
    from kg import queries as Q
    # a query added later runs with its required params or none; kg's own (network/) too
    for name_ in Q.available(internal=True):
        q = Q.load(name_)
        params.setdefault(name_, {})
        params[name_] = {k: v for k, v in params[name_].items() if k in q.params}
        missing = [p for p, d in q.params.items() if d.required and p not in params[name_]]
        if missing:
            params[name_] = None
    return params


# ---------------------------------------------------------------- query latency

def _drain_ox(results) -> int:
    n = 0
    for sol in results:
        tuple(sol)  # every cell, as a client reading the rows would
        n += 1
    return n


def _median_runs(fns, min_runs: int, budget: float, note=None):
    """Interleaved runs of each fn after one warm-up each: (medians in s, row counts, runs).

    A query whose warm-up took over a second gets one timed run each (it is slow enough to be
    steady); `note(i, seconds)` is told each warm-up's time, for the watchdog."""
    rows = []
    warm = []
    for i, f in enumerate(fns):
        t0 = time.perf_counter()
        rows.append(f())
        warm.append(time.perf_counter() - t0)
        if note:
            note(i, warm[-1])
    runs = min_runs if max(warm) < 0.2 else 3 if max(warm) < 1 else 1
    times = [[] for _ in fns]
    start = time.perf_counter()
    for i in range(200):
        for f, t in zip(fns, times):
            t0 = time.perf_counter()
            f()
            t.append(time.perf_counter() - t0)
        if i + 1 >= runs and time.perf_counter() - start > budget:
            break
    return [statistics.median(t) for t in times], rows, len(times[0])


ENGINES = ("kg", "plain", "disk")


def queries_child(folder: str, params: dict, names: list[str], min_runs: int, budget: float,
                  log_path: str):
    """Each named query through kg (its on-disk store), on plain pyoxigraph in memory, and on
    plain pyoxigraph reading the same on-disk store (read-only): one JSON line per event."""
    import pyoxigraph as ox
    from kg import queries as Q
    from kg.store import Store

    out = open(log_path, "a", buffering=1)
    plain = ox.Store()
    plain.bulk_load(path=str(Path(folder) / "data.nq"), format=ox.RdfFormat.N_QUADS)
    with Store.open(Path(folder) / "store") as store:
        disk = ox.Store.read_only(str(Path(folder) / "store"))
        for name in names:
            p = params.get(name) or {}
            text = Q.load(name).bind(p)
            out.write(json.dumps({"start": name}) + "\n")

            def note(i, seconds):
                out.write(json.dumps({"warm": name, "engine": ENGINES[i], "s": seconds}) + "\n")

            fns = [lambda: _drain_ox(Q.run(store, Q.load(name), p)),
                   lambda: _drain_ox(plain.query(text, use_default_graph_as_union=True)),
                   lambda: _drain_ox(disk.query(text, use_default_graph_as_union=True))]
            times, rows, runs = _median_runs(fns, min_runs, budget, note)
            out.write(json.dumps({"done": name, "kg": times[0], "plain": times[1],
                                  "disk": times[2], "rows": rows[0], "rows_plain": rows[1],
                                  "runs": runs, "rss_mb": peak_rss_mb()}) + "\n")
    out.write(json.dumps({"end": True, "rss_mb": peak_rss_mb()}) + "\n")


def queries_kg_plain(folder: str, params: dict, min_runs: int, budget: float, cap: float,
                     tmp: Path) -> dict:
    """queries_child in a child process, watched: a query still running `cap` seconds after it
    started is stopped (the child is killed and restarted on the next query) and recorded with
    what is known: its warm-up times, else "> cap"."""
    from kg import queries as Q

    names = [n for n in Q.available(internal=True) if params.get(n, {}) is not None]
    results, rss = {}, 0.0
    log_path = tmp / "queries.jsonl"
    ctx = mp.get_context("spawn")
    while names:
        log_path.write_text("")
        proc = ctx.Process(target=queries_child,
                           args=(folder, params, names, min_runs, budget, str(log_path)))
        proc.start()
        seen, current, since, warm, ended = 0, None, None, {}, False
        while True:
            proc.join(0.2)
            lines = log_path.read_text().split("\n")[:-1]  # whole lines only
            for e in map(json.loads, lines[seen:]):
                if "start" in e:
                    current, since = e["start"], time.perf_counter()
                elif "warm" in e:
                    warm.setdefault(e["warm"], {})[e["engine"]] = e["s"]
                elif "done" in e:
                    name = e.pop("done")
                    rss = max(rss, e.pop("rss_mb"))
                    results[name], current = e, None
                    names.remove(name)
                elif "end" in e:
                    rss, ended = max(rss, e["rss_mb"]), True
            seen = len(lines)
            if not proc.is_alive():
                if current is not None:
                    results[current] = {"error": f"child exited with {proc.exitcode}"}
                    names.remove(current)
                elif names and not ended:
                    raise RuntimeError(f"query child exited with {proc.exitcode}")
                break
            if current is not None and time.perf_counter() - since > cap:
                proc.kill()
                proc.join()
                w = warm.get(current, {})
                results[current] = {"timeout": cap, **{k: w[k] for k in ENGINES if k in w}}
                log(f"  {current}: stopped after {cap:g} s")
                names.remove(current)
                break
    return {"queries": {n: results[n] for n in sorted(results)}, "rss_mb": rss}


def store_process(folder: str, params: dict) -> dict:
    """The kg store alone: opened, the given named queries run once; its peak RSS."""
    from kg import queries as Q
    from kg.store import Store

    start = time.perf_counter()
    with Store.open(Path(folder) / "store") as store:
        for name, p in params.items():
            _drain_ox(Q.run(store, name, p))
    return {"rss_mb": peak_rss_mb(), "seconds": time.perf_counter() - start}


class _Timeout(Exception):
    pass


def queries_rdflib(folder: str, params: dict, kg_times: dict, cap: float) -> dict:
    """The same query texts on rdflib's in-memory Dataset (default graph = union).

    A query is stopped after T = max(1 s, 25 x kg's median) (at most `cap`) and recorded as
    "> T": enough to tell whether rdflib is 20 times slower without waiting for it.
    """
    import rdflib
    from kg import queries as Q

    def alarm(*_):
        raise _Timeout()

    signal.signal(signal.SIGALRM, alarm)
    start = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(str(Path(folder) / "data.nq"), format="nquads")
    load_s = time.perf_counter() - start
    # rdflib imports and builds its SPARQL parser on the first query: done here, before any
    # timer, since an alarm that interrupts that import leaves rdflib.plugins.sparql half made
    # (every later query then fails: seen in smoke mode, 0.2 s caps, on a loaded machine)
    bool(ds.query("ASK {}"))
    out = {}
    for name, tk in kg_times.items():
        text = Q.load(name).bind(params.get(name) or {})
        limit = min(cap, max(1.0, 25 * tk))  # in smoke mode, cap < 1 s
        times, rows = [], None
        for _ in range(3):
            signal.setitimer(signal.ITIMER_REAL, limit)
            t0 = time.perf_counter()
            try:
                rows = sum(1 for row in ds.query(text) if tuple(row) is not None)
                times.append(time.perf_counter() - t0)
            except _Timeout:
                times = None
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if sum(times) > 1.0:  # a slow query: one or two runs say enough
                break
        out[name] = ({"seconds": statistics.median(times), "rows": rows, "runs": len(times)}
                     if times else {"timeout": limit})
    return {"queries": out, "load_s": load_s, "rss_mb": peak_rss_mb()}


# ---------------------------------------------------------------- ingest

def _texts(folder: Path, n: int, seed: int) -> list[Path]:
    import ingest_bench
    ingest_bench.write_texts(folder, n, seed)
    return sorted(folder.glob("*.txt"))


def ingest_warm(texts: str, warm: str, store: str) -> dict:
    """kg.ingest.ingest, serial, after a first report has loaded spaCy and the gazetteer."""
    from kg.ingest import ingest
    from kg.store import Store

    files = sorted(Path(texts).glob("*.txt"))
    with Store.open(warm) as s:
        ingest(files[:1], s, progress=False)
    with Store.open(store) as s:
        summary = ingest(files, s, progress=False)
    return {"rate": len(files) / summary.seconds, "seconds": summary.seconds,
            "failed": len(getattr(summary, "failed", []) or []), "rss_mb": peak_rss_mb()}


def tokenizer_rate(texts: str) -> dict:
    """spaCy's bare tokenizer and sentencizer over the report texts (read as kg reads them)."""
    import spacy
    from kg.reports import read_path

    docs = [r.text for p in sorted(Path(texts).glob("*.txt")) for r in read_path(p)]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    list(nlp.pipe(docs[:5]))
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        sentences = sum(len(list(d.sents)) for d in nlp.pipe(docs))
        best = max(best, len(docs) / (time.perf_counter() - start))
    return {"rate": best, "sentences": sentences, "docs": len(docs)}


def bench_ingest(n: int, seed: int, tmp: Path, commands: bool = True) -> dict:
    import ingest_bench

    texts = tmp / "texts"
    _texts(texts, n, seed)
    log(f"ingest: {n} texts: kg serial (warm) ...")
    warm = isolated(ingest_warm, str(texts), str(tmp / "warm"), str(tmp / "ingest-warm"))
    runs = {}
    for jobs in (1, 2) if commands else ():
        log(f"ingest: kg ingest --jobs {jobs} ...")
        cpu = _children_cpu()
        r = ingest_bench.run(texts, tmp / f"ingest-{jobs}", jobs)
        runs[jobs] = {k: r[k] for k in ("rate", "wall", "peak_mb", "largest_mb", "triples", "rc")}
        runs[jobs]["cpu"] = _children_cpu() - cpu   # the whole process tree, once reaped
    log("ingest: spaCy tokenizer + sentencizer ...")
    tok = isolated(tokenizer_rate, str(texts))
    nlp = stages = None
    if commands:
        # The same texts through kg's spaCy pipeline alone, a whole process timed like
        # `kg ingest --jobs 1` (issue 17: ingest at >= 0.8 x the NLP's throughput)
        log("ingest: the spaCy pipeline alone (bench/stages.py nlp) ...")
        start, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run([sys.executable, str(HERE / "stages.py"), "nlp", str(texts)],
                              capture_output=True, text=True)
        nlp = {"wall": time.perf_counter() - start, "cpu": _children_cpu() - cpu,
               "rc": done.returncode, **(json.loads(done.stdout) if done.returncode == 0 else {})}
        log("ingest: milliseconds per report by stage (bench/stages.py stages) ...")
        done = subprocess.run([sys.executable, str(HERE / "stages.py"), "stages", str(texts)],
                              capture_output=True, text=True)
        stages = json.loads(done.stdout) if done.returncode == 0 else {"rc": done.returncode}
    none = {"rate": 0.0, "wall": 0.0, "peak_mb": 0.0, "largest_mb": 0.0, "triples": 0, "rc": None}
    runs.setdefault(1, none)
    runs.setdefault(2, none)
    best = max(warm["rate"], runs[2]["rate"])
    vs_nlp = nlp["wall"] / runs[1]["wall"] if nlp and runs[1]["wall"] else None
    # The same ratio in CPU seconds (all threads, start-up included): what a machine shared
    # with other work disturbs less, and what kg's thread beside the NLP does not shrink.
    vs_nlp_cpu = nlp["cpu"] / runs[1]["cpu"] if nlp and runs[1].get("cpu") else None
    return {"reports": n, "warm": warm, "serial_cmd": runs[1], "jobs2_cmd": runs[2],
            "tokenizer": tok, "best_rate": best, "ratio": best / tok["rate"],
            "ratio_serial": warm["rate"] / tok["rate"], "nlp_alone": nlp,
            "vs_nlp_pipeline": vs_nlp, "vs_nlp_pipeline_cpu": vs_nlp_cpu, "stages": stages}


def _children_cpu() -> float:
    """CPU seconds (user and system) of the child processes ended and waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- endpoint

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port: int, proc=None, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/sparql?query=" + urllib.parse.quote("ASK {}"),
                      headers={"Accept": "application/sparql-results+json"})
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no SPARQL answer on port {port}")


def _get(conn, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    r = conn.getresponse()
    return r.status, r.read()


def load_test(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads, each with one keep-alive connection, sending the paths round-robin
    for `seconds`; throughput, p50/p99 latency, errors, and the client's own CPU use."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, bad, i = [], 0, k
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status, _ = _get(conn, paths[i % len(paths)])
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - t0)
            else:
                bad += 1
            i += 1
        conn.close()
        with lock:
            lat.extend(mine)
            errors[0] += bad

    cpu0, t0 = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()

    def pct(q):
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else None

    return {"requests": len(lat), "rps": len(lat) / wall, "p50_ms": pct(0.5),
            "p99_ms": pct(0.99), "errors": errors[0],
            "client_cpu": (time.process_time() - cpu0) / wall}


def _count_rows(body: bytes) -> int | None:
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError):
        return None


def _tree_hwm_mb(pid: int) -> float:
    """Sum of the peak RSS (VmHWM) of a process and its descendants."""
    kids, total = {pid}, 0
    grown = True
    parents = {}
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                with open(f"/proc/{e}/stat") as f:
                    parents[int(e)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    while grown:
        more = {p for p, pp in parents.items() if pp in kids} - kids
        grown, kids = bool(more), kids | more
    for p in kids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def endpoint_run(port: int, queries: dict[str, str], cfg: dict, server=None,
                 mix: list[str] | None = None) -> dict:
    """Each query alone under load, then the `mix` (default: all) round-robin.

    `server`, if given, is asked after each step whether it is still up (`alive()`) and is
    restarted if not (`restart()`): a query during which it went down is listed under
    "crashed" and left out of the mix, so one query that kills a server does not stop the
    comparison on the others.
    """
    paths = {n: "/sparql?query=" + urllib.parse.quote(q) for n, q in queries.items()}
    rows, per, crashed = {}, {}, []

    def down(name: str) -> bool:
        if server is None or server.alive():
            return False
        log(f"endpoint: the server went down during {name}; restarting it")
        server.restart()
        return True

    def warm_up(names) -> None:  # one request each; the rows to compare the two servers
        for n in names:
            status, body = _get_once(port, paths[n])
            rows[n] = _count_rows(body) if status == 200 else (
                status if isinstance(status, str) else f"HTTP {status}")
            if down(n):
                crashed.append(n)

    warm_up(list(paths))
    for n, p in paths.items():
        if n in crashed:
            continue
        per[n] = load_test(port, [p], CLIENTS, cfg["per_query_s"])
        if down(n):
            crashed.append(n)
    # a query the server does not answer (an error each time) would only make the mix look
    # faster: left out of it, as one that brought the server down is
    failed = [n for n, r in per.items() if n not in crashed and r["requests"] == 0]
    names = [n for n in (mix or paths) if n in paths and n not in crashed + failed]
    if crashed:  # a restarted server starts cold: warmed up again, as at the start
        warm_up(names)
    result = {"rows": rows, "per_query": per, "crashed": crashed, "failed": failed,
              "mix_queries": names}
    result["mix"] = load_test(port, [paths[n] for n in names], CLIENTS, cfg["mix_s"])
    result["mix"]["crashed"] = down("the mix")
    return result


def _get_once(port: int, path: str) -> tuple[int | str, bytes]:
    """One request on its own connection: (HTTP status, body), or a text saying why none."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        return _get(conn, path)
    except (OSError, http.client.HTTPException) as e:
        return f"no answer ({type(e).__name__})", b""
    finally:
        conn.close()


def _virtuoso_env(http_port: int, sql_port: int, memory_gb: float | None = None) -> dict:
    env = dict(os.environ, VIRTUOSO_HTTP_PORT=str(http_port), VIRTUOSO_SQL_PORT=str(sql_port))
    if memory_gb:
        env["VIRTUOSO_MEMORY_LIMIT_MB"] = str(int(memory_gb * 1024))
    return env


def _virtuoso_up(vdir: Path, http_port: int, sql_port: int, memory_gb: float | None) -> None:
    """Starts Virtuoso on the database in `vdir` (made if new) and waits for SPARQL."""
    subprocess.run(["bash", str(REPO / ".ci" / "virtuoso"), "start", str(vdir)],
                   env=_virtuoso_env(http_port, sql_port, memory_gb), check=True,
                   stdout=subprocess.DEVNULL)


def virtuoso_start(vdir: Path, http_port: int, sql_port: int, nq: Path,
                   memory_gb: float | None = None) -> dict:
    start = time.perf_counter()
    _virtuoso_up(vdir, http_port, sql_port, memory_gb)
    started = time.perf_counter() - start
    shutil.copyfile(nq, vdir / "data.nq")
    sql = (f"ld_dir('{vdir}', 'data.nq', 'https://bilateral-kg.org/graph/unnamed'); "
           f"rdf_loader_run(); checkpoint;")
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={sql}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return {"start_s": started, "load_s": time.perf_counter() - start - started}


def virtuoso_stop(vdir: Path, http_port: int, sql_port: int) -> None:
    env = dict(os.environ, VIRTUOSO_HTTP_PORT=str(http_port), VIRTUOSO_SQL_PORT=str(sql_port))
    subprocess.run(["bash", str(REPO / ".ci" / "virtuoso"), "stop", str(vdir)], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _virtuoso_pid(vdir: Path) -> int | None:
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                cmd = Path(f"/proc/{e}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if cmd and cmd[0].endswith(b"virtuoso-t") and \
                    any(str(vdir).encode() in c for c in cmd):
                return int(e)
    return None


class _Virtuoso:
    """The benchmark's Virtuoso, restarted on its database (loaded and checkpointed) when a
    query has brought it down: Virtuoso 7.2 grew past 24 GB on some queries over 10,000
    reports under 8 clients and was killed by the kernel."""

    def __init__(self, vdir: Path, args):
        self.vdir, self.args, self.restarts = vdir, args, 0

    def alive(self) -> bool:
        if _virtuoso_pid(self.vdir) is None:
            return False
        try:
            _wait_http(self.args.virtuoso_http_port, seconds=30)
            return True
        except RuntimeError:
            return False

    def restart(self) -> None:
        pid = _virtuoso_pid(self.vdir)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            time.sleep(1)
        (self.vdir / "virtuoso.lck").unlink(missing_ok=True)
        self.restarts += 1
        _virtuoso_up(self.vdir, self.args.virtuoso_http_port, self.args.virtuoso_sql_port,
                     self.args.virtuoso_memory_gb)
        # after a crash it has rolled its log forward: written out before it is measured
        subprocess.run(["isql-vt", f"127.0.0.1:{self.args.virtuoso_sql_port}", "dba", "dba",
                        "exec=checkpoint;"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)


def bench_endpoint(folder: Path, params: dict, cfg: dict, args, tmp: Path) -> dict:
    """Virtuoso first, then kg serve; kg's mix is sent the queries Virtuoso's mix was (all of
    them unless one brought Virtuoso down), so that the two mixes compare."""
    from kg import queries as Q

    texts = {n: Q.load(n).bind(params.get(n) or {}) for n in ENDPOINT_QUERIES}
    out = {"queries": list(texts), "clients": CLIENTS}
    mix = None
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        out["virtuoso"] = {"not_measured": "virtuoso-t or isql-vt not installed "
                                           "(Debian's virtuoso-opensource)"}
    else:
        vdir = tmp / "virtuoso"
        log(f"endpoint: Virtuoso on port {args.virtuoso_http_port}, loading "
            f"{folder / 'data.nq'} ...")
        try:
            loaded = virtuoso_start(vdir, args.virtuoso_http_port, args.virtuoso_sql_port,
                                    folder / "data.nq", args.virtuoso_memory_gb)
            # Virtuoso 7 refuses or ignores a trailing VALUES: it gets the text kg's own
            # SparqlStore sends it, the VALUES moved inside the WHERE group (the parity test
            # shows the rows equal).
            from kg.store.connector import trailing_values_inside

            vtexts = {n: trailing_values_inside(t) for n, t in texts.items()}
            server = _Virtuoso(vdir, args)
            out["virtuoso"] = endpoint_run(args.virtuoso_http_port, vtexts, cfg, server=server)
            out["virtuoso"].update(loaded, restarts=server.restarts,
                                   memory_limit_gb=args.virtuoso_memory_gb)
            pid = _virtuoso_pid(vdir)
            out["virtuoso"]["rss_mb"] = _tree_hwm_mb(pid) if pid else None
            mix = out["virtuoso"]["mix_queries"]
        except (subprocess.CalledProcessError, RuntimeError, OSError) as e:
            out["virtuoso"] = {"not_measured": f"Virtuoso failed: {e}"}
        finally:
            virtuoso_stop(vdir, args.virtuoso_http_port, args.virtuoso_sql_port)
    port = free_port()
    kg = Path(sys.executable).with_name("kg")
    log(f"endpoint: kg serve on port {port} ...")
    proc = subprocess.Popen([str(kg), "serve", "--store", str(folder / "store"),
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_http(port, proc)
        out["kg"] = endpoint_run(port, texts, cfg, mix=mix)
        out["kg"]["rss_mb"] = _tree_hwm_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return out


# ---------------------------------------------------------------- summary, report, plots

def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                   .splitlines() if line.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        mem = 0
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB memory, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def _timed(res: dict) -> list[tuple]:
    """(size, name, timings) of every query that was not stopped at the cap. A stopped query
    has only its warm-up times, the first of them (kg's) on a cold cache: not a timing to
    compare; those queries are listed instead."""
    return [(size, name, q) for size, r in res["sizes"].items()
            for name, q in r["queries"].items() if "timeout" not in q]


def _disk_ratios(res: dict) -> dict[tuple, float]:
    """(size, query) -> kg / plain pyoxigraph on kg's own folder, for every timed query."""
    return {(size, name): q["kg"] / q["disk"] for size, name, q in _timed(res)
            if "kg" in q and "disk" in q}


def summarise(res: dict) -> dict:
    """The headline figures: the worst query for each comparison."""
    # kg's overhead is measured against plain pyoxigraph on the same storage (kg's own folder
    # opened read-only); against pyoxigraph in memory the gap is RocksDB's, shown beside it.
    timed = _timed(res)
    worst = max(((ratio, name, size) for (size, name), ratio in _disk_ratios(res).items()),
                default=(0, None, None))
    worst_mem = max(((q["kg"] / q["plain"], name, size) for size, name, q in timed
                     if "kg" in q and "plain" in q), default=(0, None, None))
    least, bound, under = None, False, []
    for size, r in res["sizes"].items():
        for name, q in (r.get("rdflib") or {}).get("queries", {}).items():
            kg = r["queries"][name].get("kg")
            if kg is None:
                continue
            rdf = q["seconds"] if "seconds" in q else q["timeout"]
            s = rdf / kg
            if least is None or s < least[0]:
                least, bound = (s, name, size), "timeout" in q
            if s < TARGETS["speedup_vs_rdflib_memory"]:
                plain = r["queries"][name].get("plain")
                under.append({"query": name, "reports": size, "speedup": round(s, 2),
                              "rows": r["queries"][name].get("rows"),
                              "lower_bound": "timeout" in q,
                              "memory_speedup": round(rdf / plain, 1) if plain else None})
    out = {
        "mode": res["mode"],
        "ingest_vs_tokenizer": res["ingest"]["ratio"],
        "ingest_vs_nlp_pipeline": res["ingest"].get("vs_nlp_pipeline"),
        "ingest_vs_nlp_pipeline_cpu": res["ingest"].get("vs_nlp_pipeline_cpu"),
        "ingest_ms_per_report_by_stage": (res["ingest"].get("stages") or {}).get(
            "ms_per_report"),
        "query_overhead_vs_pyoxigraph": worst[0],
        "query_overhead_worst": f"{worst[1]} @ {worst[2]} reports",
        "query_overhead_vs_pyoxigraph_memory": worst_mem[0],
        "query_overhead_memory_worst": f"{worst_mem[1]} @ {worst_mem[2]} reports",
        "queries_over_cap": [f"{name} @ {size} reports" for size, r in res["sizes"].items()
                             for name, q in r["queries"].items() if "timeout" in q],
        "speedup_vs_rdflib_memory": least[0] if least else None,
        "speedup_vs_rdflib_least": f"{least[1]} @ {least[2]} reports" if least else None,
        "speedup_vs_rdflib_is_lower_bound": bound,
        "speedup_vs_rdflib_under_target": under,
        "endpoint_vs_virtuoso": None,
        "ingest_reports_per_s": res["ingest"]["best_rate"],
        "tokenizer_reports_per_s": res["ingest"]["tokenizer"]["rate"],
        "peak_rss_mb": {"ingest_jobs2_all_processes": res["ingest"]["jobs2_cmd"]["peak_mb"] or None,
                        "ingest_serial": res["ingest"]["serial_cmd"]["peak_mb"] or None,
                        "ingest_serial_warm": res["ingest"]["warm"]["rss_mb"],
                        **{f"store_{n}": r["store"]["rss_mb"] for n, r in res["sizes"].items()},
                        "kg_serve": res["endpoint"].get("kg", {}).get("rss_mb")},
        "sizes": [int(n) for n in res["sizes"]],
    }
    ep = res["endpoint"]
    if ep.get("virtuoso", {}).get("mix", {}).get("rps") == 0:
        per = ep["virtuoso"].get("per_query", {})
        failed = [n for n, r in per.items() if r["requests"] == 0]
        answered = [n for n, r in per.items() if r["requests"] > 0]
        gone = ep["virtuoso"].get("rss_mb") is None
        out["endpoint_not_measured"] = (
            f"Virtuoso answered no request of the mix; per query it answered "
            f"{len(answered)} of {len(per)}, none of {', '.join(failed)}"
            + (" (its process was gone at the end: on this machine the kernel's OOM killer "
               "had stopped it, see dmesg)" if gone else "") if failed and answered
            else "Virtuoso answered no request (see its log)")
    elif "mix" in ep.get("virtuoso", {}):
        out["endpoint_vs_virtuoso"] = ep["kg"]["mix"]["rps"] / ep["virtuoso"]["mix"]["rps"]
        # the queries that brought Virtuoso down: left out of both mixes
        out["endpoint_virtuoso_crashed"] = ep["virtuoso"].get("crashed", [])
        out["endpoint_virtuoso_failed"] = ep["virtuoso"].get("failed", [])
        # A query whose row counts differ would make the comparison unlike: named here
        out["endpoint_rows_differ"] = [n for n, r in ep["kg"]["rows"].items()
                                       if ep["virtuoso"]["rows"].get(n) != r]
        out["endpoint_rps"] = {"kg": ep["kg"]["mix"]["rps"], "virtuoso": ep["virtuoso"]["mix"]["rps"]}
    else:
        out["endpoint_not_measured"] = ep.get("virtuoso", {}).get("not_measured")
    return out


def _ms(x) -> str:
    return "" if x is None else f"{x * 1000:.3g}" if x < 1 else f"{x * 1000:,.0f}"


def _rdflib_verdict(head: dict) -> str:
    """Missed by the least speed-up rdflib finished with; a figure under the target that is
    only a lower bound (rdflib stopped) shows nothing."""
    under = head.get("speedup_vs_rdflib_under_target") or []
    measured = [u["speedup"] for u in under if not u["lower_bound"]]
    if measured:
        return _verdict(min(measured), 20)
    if under:
        return "not shown: rdflib was stopped at its time limit"
    return _verdict(head["speedup_vs_rdflib_memory"], 20)


def _verdict(value, target, higher_is_better=True) -> str:
    if value is None:
        return "not measured"
    ok = value >= target if higher_is_better else value <= target
    if ok:
        return "met"
    factor = target / value if higher_is_better else value / target
    return f"missed by {factor:.2f}×"


def write_report(res: dict, head: dict, out: Path, why: dict) -> str:
    cfg = res["cfg"]
    ing = res["ingest"]
    L = [f"# Benchmarks: `python bench/run.py{res['flag']}`", "",
         f"Measured {res.get('finished') or time.strftime('%Y-%m-%d %H:%M')} on {machine()}; load average before the "
         f"run {res['load']}. Mode `{res['mode']}`: ingest of {cfg['ingest']} report texts, "
         f"named queries on {' and '.join(f'{n:,}' for n in cfg['sizes'])} reports (rdflib on "
         f"{', '.join(f'{n:,}' for n in cfg['rdflib'])}), the endpoint on "
         f"{cfg['endpoint']:,} reports. Synthetic data of bench/synthetic.py, seed {res['seed']}: "
         f"120 states in regional blocs, officials of each with spelling variants across "
         f"reports, agreements at every status, events of every kind, relations of both "
         f"polarities, each fact with its sentence as evidence."
         + (f" Resumed run: the ingest and the queries on "
            f"{', '.join(f'{int(n):,}' for n in res['resumed']['sizes'])} reports were measured "
            f"from {res['resumed']['started']} (load average then {res['resumed']['load']}), "
            f"before the run was interrupted; the rest after." if res.get("resumed") else ""),
         "",
         "## Targets", "",
         "| what | target | measured | verdict | why |", "| --- | --- | --- | --- | --- |"]
    L.append(f"| ingest throughput / spaCy bare tokenizer + sentencizer | ≥ 0.25 | "
             f"{head['ingest_vs_tokenizer']:.4f} ({ing['best_rate']:.1f} against "
             f"{ing['tokenizer']['rate']:,.0f} reports/s) | "
             f"{_verdict(head['ingest_vs_tokenizer'], 0.25)} | {why['ingest']} |")
    L.append(f"| named query latency, kg / plain pyoxigraph on the same store folder (worst "
             f"query) | ≤ 1.2 | "
             f"{head['query_overhead_vs_pyoxigraph']:.2f} ({head['query_overhead_worst']}) | "
             f"{_verdict(head['query_overhead_vs_pyoxigraph'], 1.2, False)} | {why['overhead']} |")
    L.append(f"| the same, kg / plain pyoxigraph in memory (worst query) | ≤ 1.2 | "
             f"{head['query_overhead_vs_pyoxigraph_memory']:.2f} "
             f"({head['query_overhead_memory_worst']}) | "
             f"{_verdict(head['query_overhead_vs_pyoxigraph_memory'], 1.2, False)} | "
             f"{why['overhead_memory']} |")
    sp = head["speedup_vs_rdflib_memory"]
    L.append(f"| named query speed-up over rdflib's memory store (least) | ≥ 20 | "
             f"{'> ' if head['speedup_vs_rdflib_is_lower_bound'] else ''}"
             f"{sp:.1f} ({head['speedup_vs_rdflib_least']}) | {_rdflib_verdict(head)} | "
             f"{why['rdflib']} |" if sp is not None else "| rdflib | ≥ 20 | | not measured | |")
    ev = head["endpoint_vs_virtuoso"]
    left_out = (head.get("endpoint_virtuoso_crashed") or []) + \
        (head.get("endpoint_virtuoso_failed") or [])
    L.append(f"| endpoint throughput / Virtuoso (mix of {len(ENDPOINT_QUERIES) - len(left_out)} "
             f"queries, {CLIENTS} clients) | ≥ 0.5 | "
             + (f"{ev:.2f} ({head['endpoint_rps']['kg']:.0f} against "
                f"{head['endpoint_rps']['virtuoso']:.0f} req/s)" if ev is not None
                else head.get("endpoint_not_measured") or "")
             + f" | {_verdict(ev, 0.5)}"
             + (" (not comparable: Virtuoso's answers differ on "
                f"{', '.join(head['endpoint_rows_differ'])})" if head.get("endpoint_rows_differ")
                else "") + f" | {why['endpoint']} |")
    mem = {k: v for k, v in head["peak_rss_mb"].items() if v is not None}
    top = max(mem.values())
    L.append(f"| peak memory (largest process or process tree) | < 4 GB at 100,000 reports | "
             f"{top:,.0f} MB (largest of the figures below) | "
             f"{_verdict(top, 4096, False)}"
             f"{'' if 100000 in cfg['sizes'] else ' (at the sizes run)'} | {why['memory']} |")

    L += ["", "## Ingest", "",
          f"{cfg['ingest']} synthetic report texts (`bench/ingest_bench.py`'s writer). kg: "
          "`kg.ingest.ingest` into a new on-disk store. *warm*: in one process after a first "
          "report has loaded spaCy and the gazetteer; *command*: the whole `kg ingest` command "
          "(its own summary's reports/s, start-up included; peak RSS of the command and its "
          "workers). Reference: `spacy.blank(\"en\")` + `sentencizer`, `nlp.pipe` over the same "
          "texts, best of 3 (loading excluded).", "",
          "| run | reports/s | peak RSS |", "| --- | ---: | ---: |",
          f"| kg, serial, warm | {ing['warm']['rate']:.1f} | {ing['warm']['rss_mb']:.0f} MB |",
          f"| `kg ingest --jobs 1` | {ing['serial_cmd']['rate']:.1f} | "
          f"{ing['serial_cmd']['peak_mb']:.0f} MB |",
          f"| `kg ingest --jobs 2` | {ing['jobs2_cmd']['rate']:.1f} | "
          f"{ing['jobs2_cmd']['peak_mb']:.0f} MB (all processes; largest "
          f"{ing['jobs2_cmd']['largest_mb']:.0f} MB) |",
          f"| spaCy tokenizer + sentencizer | {ing['tokenizer']['rate']:,.0f} | |", "",
          f"Ratio: best kg rate / tokenizer = {ing['ratio']:.4f} (serial warm: "
          f"{ing['ratio_serial']:.4f}).", ""]

    L += ["## Named queries", "",
          "Each query of `queries/` with parameters drawn from the data (the state in most "
          "relations and its most frequent partner, one of its officials, ...: "
          "`pick_params`). *kg*: `kg.queries.load` + `kg.queries.run` on the on-disk store "
          "(the path of `kg query` and the library), all rows read (no formatting). *plain*: "
          "the same bound query text on `pyoxigraph.Store()` in memory, bulk-loaded from the "
          "store's N-Quads dump, with the default graph as the union of all graphs, as kg "
          "queries it. *rdflib*: the same text on `rdflib.Dataset(default_union=True)` parsed "
          "from the same dump. Medians in ms of interleaved runs (kg and plain alternate) after "
          "one warm-up, at least "
          f"{cfg['min_runs']} runs each (3 if the warm-up took over 0.2 s, 1 over 1 s) and "
          f"~{cfg['budget']:g} s per query; a query still running after {cfg['query_cap']:g} s "
          "is stopped (its process killed) and shown with its warm-up time, else as > cap. "
          "*plain on disk*: the same text on `pyoxigraph.Store.read_only` of kg's own store "
          "folder, to tell storage from kg's code; rdflib: median of up to 3 runs, "
          f"a run stopped after T = max(1 s, 25 × kg's median), at most {cfg['rdflib_cap']:g} s, "
          "and recorded as > T (which is then a lower bound of the speed-up). rdflib is run "
          f"only on {', '.join(f'{n:,}' for n in cfg['rdflib'])} reports: at 100,000 (about "
          "17M triples) its memory store would need far more than 24 GB and hours to load.", ""]
    for size, r in res["sizes"].items():
        info = r["info"]
        L += [f"### {int(size):,} reports ({info['triples']:,} triples)", "",
              "| query | rows | kg ms | plain ms | kg / plain | plain on disk ms | rdflib ms "
              "| rdflib / kg |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        rdf = (r.get("rdflib") or {}).get("queries", {})
        cap = f"> {res['cfg']['query_cap'] * 1000:,.0f}"
        for name, q in r["queries"].items():
            if "error" in q:
                L.append(f"| `{name}` | {q['error']} | | | | | | |")
                continue
            kg = q.get("kg")
            cell = {e: (_ms(q[e]) + (" (1 run, stopped)" if "timeout" in q else "")
                        if e in q else cap) for e in ENGINES}
            rq = rdf.get(name)
            if rq is None or kg is None:
                rcell, scell = "", ""
            elif "timeout" in rq:
                rcell, scell = f"> {rq['timeout'] * 1000:,.0f}", f"> {rq['timeout'] / kg:.0f}"
            else:
                rcell = _ms(rq["seconds"]) + ("" if rq["rows"] == q.get("rows", rq["rows"])
                                              else f" ({rq['rows']} rows!)")
                scell = f"{rq['seconds'] / kg:.0f}"
            rows = "" if "rows" not in q else f"{q['rows']:,}" + (
                "" if q["rows"] == q["rows_plain"] else f" (plain: {q['rows_plain']}!)")
            ratio = f"{kg / q['plain']:.2f}" if kg and q.get("plain") else ""
            L.append(f"| `{name}` | {rows} | {cell['kg']} | {cell['plain']} | {ratio} | "
                     f"{cell['disk']} | {rcell} | {scell} |")
        L.append("")
        ratios = [q["kg"] / q["plain"] for q in r["queries"].values() if "kg" in q and "plain" in q]
        disk = [q["kg"] / q["disk"] for q in r["queries"].values() if "kg" in q and "disk" in q]
        stopped = [n for n, q in r["queries"].items() if "timeout" in q]
        L.append(f"kg / plain: geometric mean {statistics.geometric_mean(ratios):.2f}, median "
                 f"{statistics.median(ratios):.2f}; kg / plain on disk: geometric mean "
                 f"{statistics.geometric_mean(disk):.2f}. "
                 + (f"Stopped at {res['cfg']['query_cap']:g} s: {', '.join(stopped)}. "
                    if stopped else "")
                 + f"Peak RSS of a process holding only the kg store and running every query "
                 f"once: {r['store']['rss_mb']:.0f} MB; of the process holding the kg store and "
                 f"the plain in-memory copy: {r['rss_mb']:.0f} MB"
                 + (f"; rdflib's process: {r['rdflib']['rss_mb']:.0f} MB "
                    f"(parse {r['rdflib']['load_s']:.0f} s)" if r.get("rdflib") else "") + ".")
        L.append(f"Store built in {info['build_s']:.0f} s.")
        L.append("")

    ep = res["endpoint"]
    L += ["## Endpoint", "",
          f"`kg serve` (waitress, defaults: 8 threads, {os.environ.get('KG_QUERY_WORKERS', 4)} "
          f"query worker processes) on the {cfg['endpoint']:,}-report store, against Virtuoso "
          f"(`.ci/virtuoso`, Debian's virtuoso-opensource) holding the same N-Quads, bulk-loaded "
          f"with `ld_dir` (default graph: all graphs for both). {CLIENTS} client threads in one "
          "Python process, each with its own keep-alive connection, GET "
          "`/sparql?query=...` with `Accept: application/sparql-results+json`, the whole body "
          f"read. Each query alone for {cfg['per_query_s']:g} s, then all "
          f"{len(ENDPOINT_QUERIES)} round-robin (the *mix*) for {cfg['mix_s']:g} s, after one "
          "warm-up request each. Both servers run on the same 2 cores as the clients; the "
          "client's CPU share is given so that it can be seen not to be the limit.", ""]
    vv = ep.get("virtuoso", {})
    if vv.get("memory_limit_gb"):
        L += [f"Virtuoso ran with its address space limited to {vv['memory_limit_gb']:g} GB "
              "(`prlimit --as`), so that a query growing past it fails there instead of "
              "exhausting the machine."
              + (f" It went down (or stopped answering for 30 s) during "
                 f"{', '.join(vv['crashed'])} and was restarted on its database "
                 f"{vv.get('restarts', 0)} time(s); those queries are left out of both mixes."
                 if vv.get("crashed") else "")
              + (f" It answered no request of {', '.join(vv['failed'])} (errors only): left "
                 "out of both mixes too." if vv.get("failed") else ""), ""]
    if ep.get("measured"):
        L += [f"(This section was measured again on {ep['measured']['at']} with "
              f"`--endpoint-only`, load average {ep['measured']['load']}.)", ""]
    if "per_query" in ep.get("kg", {}):
        L += ["| query | rows (kg / Virtuoso) | kg req/s | kg p50 ms | kg p99 ms | Virtuoso req/s "
              "| Virtuoso p50 ms | Virtuoso p99 ms | kg / Virtuoso |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        names = list(ep["kg"]["per_query"]) + ["(mix)"]
        for name in names:
            k = ep["kg"]["mix"] if name == "(mix)" else ep["kg"]["per_query"][name]
            v = (vv.get("mix") if name == "(mix)" else vv.get("per_query", {}).get(name))
            rows = "" if name == "(mix)" else \
                f"{ep['kg']['rows'][name]} / {vv.get('rows', {}).get(name, '')}"
            cells = [f"{k['rps']:.1f}", f"{k['p50_ms'] or 0:.1f}", f"{k['p99_ms'] or 0:.1f}"]
            if v:
                cells += [f"{v['rps']:.1f}", f"{v['p50_ms'] or 0:.1f}", f"{v['p99_ms'] or 0:.1f}",
                          f"{k['rps'] / v['rps']:.2f}" if v["rps"] else ""]
            else:
                cells += ["", "", "", ""]
            L.append(f"| `{name}` | {rows} | " + " | ".join(cells) + " |")
        errs = ep["kg"]["mix"]["errors"] + sum(x["errors"] for x in ep["kg"]["per_query"].values())
        L += ["", f"Errors (non-200 answers): kg {errs}"
              + (f", Virtuoso {vv['mix']['errors'] + sum(x['errors'] for x in vv['per_query'].values())}"
                 if "mix" in vv else "") + ". Client CPU during the mix: kg "
              f"{ep['kg']['mix']['client_cpu']:.2f} cores"
              + (f", Virtuoso {vv['mix']['client_cpu']:.2f} cores" if "mix" in vv else "")
              + f". Peak RSS: kg serve and its workers {ep['kg']['rss_mb']:.0f} MB"
              + (f", Virtuoso {vv['rss_mb']:.0f} MB (loaded in {vv['load_s']:.0f} s)"
                 if vv.get("rss_mb") else "") + "."]
        if "not_measured" in vv:
            L.append(f"Virtuoso not measured: {vv['not_measured']}.")
    L += ["", "## Memory (peak RSS)", "", "| process | MB |", "| --- | ---: |"]
    L += [f"| {k.replace('_', ' ')} | {v:,.0f} |" for k, v in mem.items()]
    L += ["", "Plots: " + ", ".join(f"`{p.name}`" for p in res.get("plots", [])), ""]
    text = "\n".join(L)
    (out / "run.md").write_text(text, encoding="utf-8")
    return text


def plots(res: dict, out: Path) -> list[Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    for size, r in res["sizes"].items():
        names = list(r["queries"])
        rdf = (r.get("rdflib") or {}).get("queries", {})
        fig, ax = plt.subplots(figsize=(9, 0.28 * len(names) + 1.5))
        y = range(len(names))
        series = [("kg", [r["queries"][n].get("kg", 0) * 1000 for n in names]),
                  ("plain pyoxigraph", [r["queries"][n].get("plain", 0) * 1000 for n in names])]
        if rdf:
            series.append(("rdflib memory (hatched: stopped at T)",
                           [1000 * rdf[n].get("seconds", rdf[n].get("timeout", 0))
                            if n in rdf else 0 for n in names]))
        h = 0.8 / len(series)
        for i, (label, vals) in enumerate(series):
            bars = ax.barh([v + i * h for v in y], vals, h, label=label)
            if label.startswith("rdflib"):
                for b, n in zip(bars, names):
                    if "timeout" in rdf.get(n, {}):
                        b.set_hatch("//")
        ax.set_yticks([v + h for v in y], names, fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("median latency, ms (log)")
        ax.set_title(f"Named queries on {int(size):,} synthetic reports")
        ax.legend(fontsize=7, loc="lower right")
        fig.tight_layout()
        path = out / f"run-queries-{size}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        made.append(path)
    ep = res["endpoint"]
    if "per_query" in ep.get("kg", {}):
        names = list(ep["kg"]["per_query"]) + ["(mix)"]
        fig, ax = plt.subplots(figsize=(9, 4.5))
        k = [ep["kg"]["per_query"].get(n, ep["kg"]["mix"])["rps"] for n in names]
        ax.bar([i - 0.2 for i in range(len(names))], k, 0.4, label="kg serve")
        if "per_query" in ep.get("virtuoso", {}):
            v = [ep["virtuoso"]["per_query"].get(n, ep["virtuoso"]["mix"])["rps"] for n in names]
            ax.bar([i + 0.2 for i in range(len(names))], v, 0.4, label="Virtuoso")
        ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=8)
        ax.set_yscale("log")
        ax.set_ylabel("requests/s (log)")
        ax.set_title(f"SPARQL endpoint, {CLIENTS} clients, {res['cfg']['endpoint']:,} reports")
        ax.legend()
        fig.tight_layout()
        path = out / "run-endpoint.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        made.append(path)
    ing = res["ingest"]
    fig, ax = plt.subplots(figsize=(7, 3))
    labels = ["kg serial (warm)", "kg ingest --jobs 1", "kg ingest --jobs 2",
              "spaCy tokenizer\n+ sentencizer"]
    vals = [ing["warm"]["rate"], ing["serial_cmd"]["rate"], ing["jobs2_cmd"]["rate"],
            ing["tokenizer"]["rate"]]
    ax.barh(labels, vals, color=["C0", "C0", "C0", "C1"])
    ax.set_xscale("log")
    ax.set_xlabel("reports/s (log)")
    ax.invert_yaxis()
    ax.set_title(f"Ingest of {ing['reports']} synthetic reports")
    fig.tight_layout()
    path = out / "run-ingest.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    made.append(path)
    return made


def reasons(res: dict, head: dict) -> dict:
    """Why a target is missed, from what was measured."""
    why = {}
    ing = res["ingest"]
    why["ingest"] = ("kg runs, per report, rule-based extraction over the spaCy pipeline, "
                     "resolution against the store, mapping to RDF, SHACL validation "
                     "(the largest part, bench/results/ingest.md) and a store transaction; the "
                     "reference only splits words and sentences"
                     if head["ingest_vs_tokenizer"] < 0.25 else "")
    why["overhead"] = ""
    if head["query_overhead_vs_pyoxigraph"] > 1.2:
        # The same text on the same folder: what differs is kg's binding and result wrapper,
        # and the timer. Over 1.2 on which queries, and the worst query at the other sizes.
        ratios = _disk_ratios(res)
        worst_size, worst = max(ratios, key=ratios.get)
        over = [(size, name) for (size, name), ratio in ratios.items() if ratio > 1.2]
        elsewhere = [f"{ratio:.2f} at {int(size):,}" for (size, name), ratio in ratios.items()
                     if name == worst and size != worst_size]
        why["overhead"] = (
            f"{len(over)} of {len(ratios)} query timings are over 1.2 "
            f"({', '.join(f'{n} @ {int(z):,}' for z, n in over)})"
            + (f"; {worst} is {', '.join(elsewhere)}" if elsewhere else "")
            + ". Both run the same text on the same store folder, so what differs is kg's "
              "binding and result wrapper (microseconds a row) and the timer's noise on a "
              "2-core machine")
    why["overhead_memory"] = ""
    if head["query_overhead_vs_pyoxigraph_memory"] > 1.2:
        disk = [q["kg"] / q["disk"] for r in res["sizes"].values() for q in r["queries"].values()
                if "kg" in q and "disk" in q]
        why["overhead_memory"] = (
            "kg's store is Oxigraph on disk (RocksDB), this reference Oxigraph in memory "
            "(nothing persisted): plain pyoxigraph reading kg's own folder is as slow (kg / "
            f"plain on disk: geometric mean {statistics.geometric_mean(disk):.2f}), so the "
            "gap is the storage, not kg's query path")
    under = head.get("speedup_vs_rdflib_under_target") or []
    why["rdflib"] = "" if not under else (
        "under 20×: " + ", ".join(
            f"{u['query']} @ {int(u['reports']):,} ({'> ' if u['lower_bound'] else ''}{u['speedup']:.1f}×"
            + (f", {u['rows']:,} rows" if u.get("rows") is not None else "")
            + (f"; Oxigraph in memory {'> ' if u['lower_bound'] else ''}{u['memory_speedup']:.0f}×"
               if u["memory_speedup"] else "") + ")" for u in under)
        + ". Against Oxigraph in memory rdflib is this much slower: the rest is kg's store "
          "on disk (RocksDB reads; plain pyoxigraph on the same folder is as slow)")
    ev = head["endpoint_vs_virtuoso"]
    why["endpoint"] = "" if ev is None or ev >= 0.5 else (
        "each query crosses from a waitress thread to a query worker process and back "
        "(results serialized there, then copied), in Python; Virtuoso answers in C threads")
    why["memory"] = "" if 100000 in res["cfg"]["sizes"] else \
        "100,000 reports are measured in full mode only"
    return why


def report(res: dict, out: Path, seconds: float | None) -> tuple[dict, str]:
    """The summary, plots, run.md and run.json of measured results: (summary, run.md text)."""
    head = summarise(res)
    res["plots"] = plots(res, out)
    text = write_report(res, head, out, reasons(res, head))
    head["seconds"] = seconds
    (out / "run.json").write_text(json.dumps({"summary": head, "results": res},
                                             default=str, indent=1), encoding="utf-8")
    return head, text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="smaller sizes; under 5 minutes")
    mode.add_argument("--smoke", action="store_true", help="tiny sizes; seconds (for tests)")
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path,
                    default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                    / "bilateral-kg-bench", help="where built stores are kept")
    ap.add_argument("--out", type=Path, default=None,
                    help="folder for run.md and the plots (default bench/results, and "
                         "bench/results/quick for --quick)")
    ap.add_argument("--sizes", type=int, nargs="+",
                    help="store sizes for the named queries instead of the mode's")
    ap.add_argument("--resume", action="store_true",
                    help="keep the ingest and query sizes that run-partial.json in --out holds "
                         "from an interrupted run of the same mode and seed; measure the rest")
    ap.add_argument("--render", action="store_true",
                    help="only rewrite run.md and the plots from run.json in --out")
    ap.add_argument("--virtuoso-http-port", type=int,
                    default=int(os.environ.get("VIRTUOSO_HTTP_PORT", 18891)))
    ap.add_argument("--virtuoso-sql-port", type=int,
                    default=int(os.environ.get("VIRTUOSO_SQL_PORT", 11112)))
    ap.add_argument("--virtuoso-memory-gb", type=float, default=12.0,
                    help="address-space limit for Virtuoso (0: none); past it Virtuoso fails "
                         "its query or stops, and is restarted, instead of exhausting the "
                         "machine")
    ap.add_argument("--endpoint-only", action="store_true",
                    help="measure only the endpoint again, into the run.json in --out, and "
                         "rewrite run.md and the plots")
    args = ap.parse_args(argv)
    name = "smoke" if args.smoke else "quick" if args.quick else "full"
    cfg = dict(MODES[name])
    if args.sizes:
        cfg["sizes"] = args.sizes
        cfg["rdflib"] = [n for n in cfg["rdflib"] if n in args.sizes] or args.sizes[:1]
        cfg["endpoint"] = min(args.sizes, key=lambda n: abs(n - cfg["endpoint"]))
    if args.out is None:
        args.out = HERE / "results" / ("" if name == "full" else name)
    if args.render:
        saved = json.loads((args.out / "run.json").read_text(encoding="utf-8"))
        log(report(saved["results"], args.out, saved["summary"].get("seconds"))[1])
        return 0
    if args.endpoint_only:
        saved = json.loads((args.out / "run.json").read_text(encoding="utf-8"))
        res = saved["results"]
        size = res["cfg"]["endpoint"]
        folder, _ = cached(args.cache, size, res["seed"])
        params = (res["sizes"].get(str(size)) or {}).get("params") or \
            isolated(pick_params, folder / "store")
        with tempfile.TemporaryDirectory(prefix="kg-bench-run-") as tmp:
            res["endpoint"] = bench_endpoint(folder, params, res["cfg"], args, Path(tmp))
        res["endpoint"]["measured"] = {
            "at": time.strftime("%Y-%m-%d %H:%M"),
            "load": ", ".join(f"{x:.1f}" for x in os.getloadavg())}
        head, text = report(res, args.out, saved["summary"].get("seconds"))
        log(text)
        if args.json:
            print(json.dumps(head))
        return 0
    started = time.perf_counter()
    res = {"mode": name, "cfg": cfg, "seed": args.seed, "sizes": {},
           "flag": {"smoke": " --smoke", "quick": " --quick", "full": ""}[name],
           "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
           "started": time.strftime("%Y-%m-%d %H:%M")}
    args.out.mkdir(parents=True, exist_ok=True)
    partial = args.out / "run-partial.json"
    prev = json.loads(partial.read_text()) if args.resume and partial.exists() else None
    if prev and (prev["mode"], prev["seed"]) == (name, args.seed) and "ingest" in prev:
        res["ingest"] = prev["ingest"]
        res["sizes"] = {k: v for k, v in prev["sizes"].items() if int(k) in cfg["sizes"]}
        res["resumed"] = {"started": prev.get("started", "?"), "load": prev["load"],
                          "sizes": list(res["sizes"])}
        log(f"resumed from {partial}: ingest, sizes {', '.join(res['sizes']) or 'none'}")
    elif args.resume:
        log(f"--resume: nothing to resume in {partial}; a whole run")
    with tempfile.TemporaryDirectory(prefix="kg-bench-run-") as tmp:
        tmp = Path(tmp)
        if "ingest" not in res:
            res["ingest"] = bench_ingest(cfg["ingest"], args.seed, tmp, cfg["commands"])
            partial.write_text(json.dumps(res, default=str))
        params_at = {}
        for n in cfg["sizes"]:
            if str(n) in res["sizes"]:
                continue
            folder, info = cached(args.cache, n, args.seed)
            log(f"queries on {n} reports: choosing params ...")
            params = params_at[n] = isolated(pick_params, folder / "store")
            log(f"queries on {n} reports: kg and plain pyoxigraph ...")
            r = queries_kg_plain(str(folder), params, cfg["min_runs"], cfg["budget"],
                                 cfg["query_cap"], tmp)
            log(f"queries on {n} reports: kg store alone ...")
            fast = {q: params.get(q) or {} for q, v in r["queries"].items() if v.get("kg", 99) < 2}
            store = isolated(store_process, str(folder), fast)
            r.update(info=info, store=store, params=params)
            if n in cfg["rdflib"]:
                log(f"queries on {n} reports: rdflib ...")
                kg_times = {q: v.get("kg", cfg["query_cap"]) for q, v in r["queries"].items()
                            if "error" not in v}
                r["rdflib"] = isolated(queries_rdflib, str(folder), params, kg_times,
                                       cfg["rdflib_cap"])
            res["sizes"][str(n)] = r
            # what is measured so far survives a later failure
            partial.write_text(json.dumps(res, default=str))
        folder, _ = cached(args.cache, cfg["endpoint"], args.seed)
        params = params_at.get(cfg["endpoint"]) or isolated(pick_params, folder / "store")
        res["endpoint"] = bench_endpoint(folder, params, cfg, args, tmp)
    res["finished"] = time.strftime("%Y-%m-%d %H:%M")
    head, text = report(res, args.out, round(time.perf_counter() - started, 1))
    log(text)
    log(f"bench/run.py {name}: {head['seconds']} s")
    if args.json:
        print(json.dumps(head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
