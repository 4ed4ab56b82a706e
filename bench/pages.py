"""The first request of each viewer page on a large store, after `kg serve` starts and after a
write; and the first page of each named query listing from `kg query`, the library and the
endpoint (issue 18).

What it measures, on a given store (a folder built by bench/synthetic.py, or
`sparql+http://...`): a real `kg serve` is started on a free port (the code under test is the
one at `--code DIR`, put first on PYTHONPATH, so that an older commit's worktree can be measured
with this script), and once it answers a static file, each page below is requested once, in
this order, and its wall time to the last byte is recorded: that is each page's first request
after start, what a reader sees when a page's caches are cold. Then one report is uploaded
through `/upload` (a write, as the issue's "after any write"; its time is recorded too) and
every page is requested again. A request still running after `--cap` seconds is recorded as
"> cap" and the server is restarted, so that the next page does not share the machine with
it (the rows after a restart say so). The whole is repeated `--repeat` times with a fresh
server, since one timing on a shared machine is noisy.

Pages: /, /graph, /api/graph, /query, /id/state/XXX for the state in most reports and for
the one in fewest, /id/ of the person and of the agreement in most report graphs, /report/ID
of the latest report, /api/node and /api/ego of the top state, /sparql with the `states`
query's text as the query page sends it (the whole result).

Listings: the first `--page-size` rows of every named query (queries/*.rq, required params
taken from the store: the top state, the pair in most relations, a report, a relation),
through the endpoint (the bound text from /api/query-text with a LIMIT added), `kg query NAME
--limit N` (a fresh process each: start-up and opening the store included, what a user waits
for) and `KnowledgeGraph.query(name, limit=N)` (a fresh process each; the query call alone is
timed, the open beside it). Where the code has no --limit / limit= (before issue 18) the
whole listing is run and the row says "whole".

Against what: the issue's targets: every page <= 2 s at 100,000 reports and <= 1 s at
10,000; the first page of a listing <= 1 s; the server's memory < 4 GB. Peak memory is the
server process's VmHWM, and the largest sampled RSS of it with its query workers.

The embedded store is never written in place: the folder is copied first (to `--work`, a
temporary folder by default, removed afterwards) and the server and the write use the copy;
`--reindex` runs `kg reindex` on the copy first (where the code has it). The OS file cache
holds the store after the copy: the timings are of a warm disk cache and cold kg caches.
On a shared machine `--max-load L` waits (up to `--load-patience` s, then runs anyway) before
each server run and each series of `kg query` and library processes for the 1-minute load
average to fall to L; the load each started at is recorded and reported.

    python bench/pages.py run /tmp/kg18-10k --label after-10k --out /tmp/after-10k.json
    PYTHONPATH=... python bench/pages.py run STORE --code /tmp/h4-before --label before-10k
    python bench/pages.py report a.json b.json ... --md bench/results/pages.md \\
        --json bench/results/pages.json
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))   # bench/run.py's throwaway Virtuoso
GIB = 1 << 30
MEMORY_TARGET = 4 * GIB
PAGE_TARGET = {10_000: 1.0, 100_000: 2.0}   # seconds, by store size (the issue's)
LISTING_TARGET = 1.0
# The ontology's terms, spelt out: the picks must not depend on the code under test.
PREFIXES = """PREFIX bkg: <https://bilateral-kg.org/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
ID = "https://bilateral-kg.org/id/"
REPORT_GRAPH = "https://bilateral-kg.org/graph/report/"


def log(*parts) -> None:
    print(f"[{time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def wait_for_load(most: float | None, patience: float) -> dict:
    """Waits (up to `patience` s) for the 1-minute load average to fall to `most`: on a
    shared 2-core machine a timing taken beside other work says more of the work than of kg.
    Runs anyway after that; what it waited and the load it ran at are recorded."""
    t0 = time.perf_counter()
    while most is not None and os.getloadavg()[0] > most \
            and time.perf_counter() - t0 < patience:
        time.sleep(10)
    waited = round(time.perf_counter() - t0, 1)
    if waited:
        log(f"waited {waited} s for the load; now {load_average()}")
    return {"waited_seconds": waited, "load": load_average()}


# ---------------------------------------------------------------- picking what to ask for

class Picker:
    """SELECTs on the store before any server opens it: pyoxigraph read-only on a folder
    (independent of the kg code measured), or the SPARQL endpoint of a remote store."""

    def __init__(self, location: str):
        self.location = location
        self.remote = location.startswith("sparql+")
        if not self.remote:
            import pyoxigraph as ox
            self.ox = ox.Store.read_only(location)

    def rows(self, query: str) -> list[dict]:
        query = PREFIXES + query
        if self.remote:
            url = self.location[len("sparql+"):]
            body = urllib.parse.urlencode({"query": query}).encode()
            parts = urllib.parse.urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
            conn.request("POST", parts.path or "/", body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json"})
            data = json.loads(conn.getresponse().read())
            conn.close()
            return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
        results = self.ox.query(query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        return [{n: (None if s[n] is None else s[n].value) for n in names} for s in results]

    def close(self) -> None:
        self.ox = None   # releases the folder before a server opens it


def picks(location: str) -> dict:
    """The nodes and params the pages and listings are asked for, chosen from the store:
    the heaviest cases (the state, person and agreement in most report graphs) and a light
    one (the state in fewest)."""
    p = Picker(location)
    t0 = time.perf_counter()
    states = p.rows("""SELECT ?state (COUNT(?r) AS ?n) WHERE {
        GRAPH ?g { ?r a bkg:Report ; schema:mentions ?state } } GROUP BY ?state
        ORDER BY DESC(?n) ?state""")
    top, small = states[0], states[-1]

    def code(iri: str) -> str:
        return iri.rsplit("/", 1)[1].upper()

    label = p.rows(f"SELECT ?l WHERE {{ <{top['state']}> rdfs:label ?l }} LIMIT 1")
    person = p.rows("""SELECT ?p (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?p a bkg:Person } }
        GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1""")[0]
    agreement = p.rows("""SELECT ?a (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?a a bkg:Agreement } }
        GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1""")[0]
    pair = p.rows("""SELECT ?rel (COUNT(?g) AS ?n) WHERE {
        GRAPH ?g { ?rel a bkg:BilateralRelation } } GROUP BY ?rel ORDER BY DESC(?n) ?rel
        LIMIT 1""")[0]
    ends = p.rows(f"SELECT ?s WHERE {{ <{pair['rel']}> bkg:between ?s }}")
    a, b = sorted({code(r["s"]) for r in ends})[:2]
    latest = p.rows("""SELECT ?g ?d WHERE { GRAPH ?g { ?r a bkg:Report ; dct:date ?d } }
        ORDER BY DESC(?d) ?g LIMIT 1""")[0]
    counts = p.rows("""SELECT (COUNT(DISTINCT ?g) AS ?reports) WHERE {
        GRAPH ?g { ?r a bkg:Report } }""")[0]
    triples = p.rows("SELECT (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]
    if not p.remote:
        p.close()
    return {
        "top_state": top["state"], "top_state_code": code(top["state"]),
        "top_state_reports": int(top["n"]), "top_state_name": label[0]["l"] if label else None,
        "small_state": small["state"], "small_state_reports": int(small["n"]),
        "person": person["p"], "person_reports": int(person["n"]),
        "agreement": agreement["a"], "agreement_reports": int(agreement["n"]),
        "relation": pair["rel"], "a": a, "b": b,
        "report": latest["g"][len(REPORT_GRAPH):],
        "reports": int(counts["reports"]), "triples": int(triples["triples"]),
        "seconds": round(time.perf_counter() - t0, 2)}


def pages(pk: dict, size: int = 50) -> list[tuple[str, str, str]]:
    """(name, method, path) of every page timed, in the order asked. "/sparql states (query
    page)": the `states` example as the query page loads it, a page of `size` rows (its
    KG_PAGE_SIZE; /api/query-text's `limit`), and run; "(whole)": the whole text."""
    def rel(iri: str) -> str:
        return "/id/" + iri[len(ID):]
    q = urllib.parse.quote
    return [
        ("/", "GET", "/"),
        ("/graph", "GET", "/graph"),
        ("/api/graph", "GET", "/api/graph"),
        ("/query", "GET", "/query"),
        (f"/id/state (top, {pk['top_state_reports']} reports)", "GET", rel(pk["top_state"])),
        (f"/id/state (small, {pk['small_state_reports']} reports)", "GET",
         rel(pk["small_state"])),
        (f"/id/person (in {pk['person_reports']} reports)", "GET", rel(pk["person"])),
        (f"/id/agreement (in {pk['agreement_reports']} reports)", "GET", rel(pk["agreement"])),
        ("/report/ID (latest)", "GET", "/report/" + q(pk["report"])),
        ("/api/node (top state)", "GET", "/api/node?iri=" + q(pk["top_state"], safe="")),
        ("/api/ego (top state)", "GET", "/api/ego?iri=" + q(pk["top_state"], safe="")),
        ("/sparql states (query page)", "SPARQL", f"states?limit={size}"),
        ("/sparql states (whole)", "SPARQL", "states"),
    ]


def required_params(name: str, text: str, pk: dict) -> dict[str, str]:
    """Values for the query's required params (its header's `# param X (required...)`)."""
    values = {"state": pk["top_state_code"], "iso3": pk["top_state_code"], "a": pk["a"],
              "b": pk["b"], "host": pk["b"], "report": pk["report"], "node": pk["top_state"],
              "fact": pk["relation"]}
    out = {}
    for m in re.finditer(r"^# param (\w+) \(([^)]*)\)", text, re.M):
        if "required" in m[2]:
            out[m[1]] = values[m[1]]
    return out


def with_limit(text: str, limit: int) -> str:
    """The query with LIMIT `limit` as its solution modifier: before a trailing VALUES
    clause (the params kg binds there), unless it has a top-level LIMIT already."""
    head, tail = text.rstrip(), ""
    at = head.rfind("\nVALUES")
    if at >= 0 and head[:at].count("{") == head[:at].count("}"):
        head, tail = head[:at], head[at:]
    close = head.rfind("}")
    if re.search(r"\bLIMIT\s+\d+", head[close:]):
        return text
    return f"{head}\nLIMIT {limit}{tail}\n"


# ---------------------------------------------------------------- the server

class Server:
    """`kg serve` of the code at `code`, on a free port, with an update token; its memory is
    sampled while it runs."""

    def __init__(self, code: Path, store: str, cap: float, env: dict | None = None):
        self.code, self.store, self.cap = code, store, cap
        self.token = secrets.token_hex(16)
        self.env = {**os.environ, **(env or {}), "PYTHONPATH": str(code),
                    "KG_UPDATE_TOKEN": self.token,
                    # The endpoint's own limit would cut a slow query before our cap does.
                    "KG_QUERY_TIMEOUT": str(int(cap) + 5)}
        self.proc = None
        self.peak_tree = 0
        self.hwm = 0
        self._stop = threading.Event()

    def start(self) -> float:
        """Starts it; the seconds until it answers a static file."""
        t0 = time.perf_counter()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", self.store, "--host",
             "127.0.0.1", "--port", "0"], env=self.env, cwd=self.code, stdout=self.log,
            stderr=subprocess.PIPE, text=True)
        line = ""
        # its line starts so (a warning may say "before serving")
        while not line.startswith("serving "):
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"kg serve exited ({self.proc.returncode})")
        # "serving STORE on http://127.0.0.1:PORT/ ...": STORE may be a URL with a port too.
        self.port = int(re.search(r" on http://[^:]+:(\d+)/", line)[1])
        threading.Thread(target=self._drain, daemon=True).start()
        self._stop.clear()
        threading.Thread(target=self._sample, daemon=True).start()
        while self.request("GET", "/static/viewer.css")["status"] != 200:
            if time.perf_counter() - t0 > self.cap:
                raise RuntimeError(f"kg serve on port {self.port} does not answer")
            time.sleep(0.05)
        return time.perf_counter() - t0

    def _drain(self) -> None:
        for _ in self.proc.stderr:
            pass

    def _sample(self) -> None:
        import psutil
        try:
            me = psutil.Process(self.proc.pid)
            while not self._stop.is_set():
                total = me.memory_info().rss
                for child in me.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak_tree = max(self.peak_tree, total)
                self.hwm = max(self.hwm, _vm_hwm(self.proc.pid))
                time.sleep(0.2)
        except psutil.Error:
            pass

    def stop(self) -> None:
        if self.proc is None:
            return
        self.hwm = max(self.hwm, _vm_hwm(self.proc.pid))
        self._stop.set()
        self.proc.terminate()   # SIGTERM: kg serve stops its workers and closes the store
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float | None = None) -> dict:
        """One request on a new connection: status, bytes, seconds to the last byte; the
        seconds are None and `capped` is set if it ran over `timeout` (the cap)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.cap)
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body, headers or {})
            response = conn.getresponse()
            data = response.read()
            seconds = time.perf_counter() - t0
            return {"status": response.status, "bytes": len(data),
                    "seconds": round(seconds, 3), "body": data}
        except (socket.timeout, TimeoutError):
            return {"status": None, "bytes": 0, "seconds": None, "capped": True, "body": b""}
        except (ConnectionError, http.client.HTTPException) as e:
            return {"status": None, "bytes": 0, "seconds": None, "error": str(e), "body": b""}
        finally:
            conn.close()

    def sparql(self, text: str, timeout: float | None = None) -> dict:
        body = urllib.parse.urlencode({"query": text}).encode()
        return self.request("POST", "/sparql", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"}, timeout)


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# ---------------------------------------------------------------- one run

def query_names(code: Path) -> list[str]:
    return sorted(p.stem for p in (code / "queries").glob("*.rq"))


def query_text(server: Server, name: str, params: dict[str, str]) -> str:
    """The named query's text with its params bound, as the query page gets it."""
    path = "/api/query-text?" + urllib.parse.urlencode({"name": name, **params})
    got = server.request("GET", path)
    if got["status"] != 200:
        raise RuntimeError(f"/api/query-text {name}: {got['status']} {got['body'][:200]!r}")
    return json.loads(got["body"])["text"]


# Named queries whose listings are not timed (--skip): on Virtuoso at 100,000 reports a capped
# query goes on running there, and a few of them took it past its memory.
SKIPPED_LISTINGS: set[str] = set()


def time_pages(server: Server, plist, pk: dict, phase: str, restart,
               skip: tuple[str, ...] = ()) -> list[dict]:
    rows, restarted = [], False
    for name, method, path in plist:
        if name.startswith(skip):
            # Not asked (--skip): a page that brings the remote store down (Virtuoso at
            # 100,000 reports: a state's page past its memory) spoils every page after it.
            rows.append({"page": name, "path": path, "phase": phase, "status": None,
                         "seconds": None, "skipped": True})
            log(f"  {phase:12} {name:42} skipped")
            continue
        if method == "SPARQL":
            query, _, limit = path.partition("?limit=")
            try:
                text = query_text(server, query, {"limit": limit} if limit else {})
            except RuntimeError:
                # A kg whose /api/query-text has no `limit` (before 2026-12-07) and whose
                # query page loads the whole text: that text with the page's LIMIT.
                text = with_limit(query_text(server, query, {}), int(limit))
            got = server.sparql(text)
        else:
            got = server.request(method, path)
        row = {"page": name, "path": path, "phase": phase, "status": got["status"],
               "seconds": got["seconds"], "bytes": got["bytes"],
               "capped": bool(got.get("capped")), "after_restart": restarted}
        if got.get("error"):
            row["error"] = got["error"]
        if got["status"] not in (200, None):
            row["error"] = got["body"][:300].decode("utf-8", "replace")
        rows.append(row)
        log(f"  {phase:12} {name:42} {_shown(row)}")
        if row["capped"] or got["status"] is None:
            restart()
            restarted = True
    return rows


def _shown(row: dict) -> str:
    if row.get("capped"):
        return "> cap"
    if row["seconds"] is None:
        return f"error {row.get('error', '')}"
    status = "" if row.get("status") in (200, None) else f" (status {row['status']})"
    return f"{row['seconds']:.3f} s{status}"


def upload(server: Server, pk: dict, n: int) -> dict:
    """A new report naming the top state, posted to /upload (text of our own making)."""
    name = pk["top_state_name"] or pk["top_state_code"]
    text = (f"{name} and its neighbour signed an agreement on trade on 3 March 2025. "
            f"The Foreign Minister of {name} met his counterpart in the capital.")
    form = {"id": f"bench-pages-write-{n}-{secrets.token_hex(3)}", "text": text,
            "published": "2025-03-03", "source": "Bench", "title": f"{name}: bench write {n}"}
    got = server.request("POST", "/upload", urllib.parse.urlencode(form).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
        "Authorization": f"Bearer {server.token}"})
    out = {"what": "POST /upload (one report)", "status": got["status"],
           "seconds": got["seconds"], "capped": bool(got.get("capped")), "id": form["id"]}
    if got["status"] != 200:
        out["error"] = got["body"][:300].decode("utf-8", "replace")
    return out


def endpoint_listings(server: Server, code: Path, pk: dict, size: int, cap: float,
                      restart) -> list[dict]:
    rows = []
    for name in query_names(code):
        if name in SKIPPED_LISTINGS:
            continue
        params = required_params(name, (code / "queries" / f"{name}.rq").read_text(), pk)
        text = with_limit(query_text(server, name, params), size)
        got = server.sparql(text, timeout=cap)
        row = {"query": name, "via": "endpoint", "seconds": got["seconds"],
               "status": got["status"], "capped": bool(got.get("capped")), "page": True}
        if got["status"] == 200:
            row["rows"] = len(json.loads(got["body"])["results"]["bindings"])
        elif got["status"] is not None:
            row["error"] = got["body"][:300].decode("utf-8", "replace")
        rows.append(row)
        log(f"  endpoint     {name:42} {_shown(row)}")
        if got["status"] is None:
            restart()
        # The viewer's own listing page (issue 18 added it; a 404 before).
        got = server.request("GET", f"/query/{name}?" + urllib.parse.urlencode(params),
                             timeout=cap)
        row = {"query": name, "via": "viewer", "seconds": got["seconds"],
               "status": got["status"], "capped": bool(got.get("capped")), "page": True}
        if got["status"] == 404:
            row.update(seconds=None, skipped=True, why="no /query/NAME page")
        elif got["status"] not in (200, None):
            row["error"] = got["body"][:300].decode("utf-8", "replace")
        rows.append(row)
        if not row.get("skipped"):
            log(f"  viewer       {name:42} {_shown(row)}")
        if got["status"] is None:
            restart()
    return rows


def has_option(code: Path, env: dict, args: list[str], word: str) -> bool:
    out = subprocess.run([sys.executable, "-m", "kg.cli", *args], env=env, cwd=code,
                         capture_output=True, text=True)
    return word in out.stdout + out.stderr


LIBRARY = """
import inspect, json, sys, time
t0 = time.perf_counter()
from kg.library import KnowledgeGraph
# read-only: a folder as `kg query` opens it (an endpoint's access is its credentials')
kg = KnowledgeGraph.open(sys.argv[1], read_only=not sys.argv[1].startswith("sparql+"))
opened = time.perf_counter() - t0
params = json.loads(sys.argv[3])
paged = "limit" in inspect.signature(KnowledgeGraph.query).parameters
if paged:
    params["limit"] = int(sys.argv[4])
t1 = time.perf_counter()
rows = kg.query(sys.argv[2], **params)
print(json.dumps({"open": opened, "query": time.perf_counter() - t1, "rows": len(rows),
                  "paged": paged}))
"""


def process_listings(code: Path, store: str, pk: dict, size: int, cap: float,
                     env: dict, vias: list[str]) -> list[dict]:
    cli_paged = has_option(code, env, ["query", "--help"], "--limit")
    rows = []
    for name in query_names(code):
        if name in SKIPPED_LISTINGS:
            continue
        params = required_params(name, (code / "queries" / f"{name}.rq").read_text(), pk)
        argv = [sys.executable, "-m", "kg.cli", "query", name, "--store", store,
                "--format", "csv"]
        for k, v in params.items():
            argv += ["--param", f"{k}={v}"]
        if cli_paged:
            argv += ["--limit", str(size)]
        if "kg query" not in vias:
            argv = None
        row = {"query": name, "via": "kg query", "page": cli_paged}
        t0 = time.perf_counter()
        try:
            if argv is not None:
                out = subprocess.run(argv, env=env, cwd=code, capture_output=True, text=True,
                                     timeout=cap)
                row["seconds"] = round(time.perf_counter() - t0, 3)
                row["rows"] = max(0, len(out.stdout.splitlines()) - 1)
                if out.returncode:
                    row["error"] = out.stderr[-300:]
                rows.append(row)
                log(f"  kg query     {name:42} {_shown(row)}")
        except subprocess.TimeoutExpired:
            row.update(seconds=None, capped=True)
            rows.append(row)
            log(f"  kg query     {name:42} {_shown(row)}")
        if "library" not in vias:
            continue
        row = {"query": name, "via": "library"}
        try:
            out = subprocess.run([sys.executable, "-c", LIBRARY, store, name,
                                  json.dumps(params), str(size)], env=env, cwd=code,
                                 capture_output=True, text=True, timeout=cap)
            if out.returncode:
                row.update(seconds=None, error=out.stderr[-300:])
            else:
                got = json.loads(out.stdout)
                row.update(seconds=round(got["query"], 3), open_seconds=round(got["open"], 3),
                           rows=got["rows"], page=got["paged"])
        except subprocess.TimeoutExpired:
            row.update(seconds=None, capped=True)
        rows.append(row)
        log(f"  library      {name:42} {_shown(row)}")
    return rows


def git_state(code: Path) -> dict:
    def git(*a):
        return subprocess.run(["git", "-C", str(code), *a], capture_output=True,
                              text=True).stdout.strip()
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def run(args) -> dict:
    code = Path(args.code).resolve()
    env = {**os.environ, "PYTHONPATH": str(code)}
    where = subprocess.run([sys.executable, "-c", "import kg; print(kg.__file__)"], env=env, cwd=code,
                           capture_output=True, text=True).stdout.strip()
    if not where.startswith(str(code)):
        raise SystemExit(f"kg imports from {where}, not from {code}")
    remote = args.store.startswith("sparql+")
    SKIPPED_LISTINGS.update(args.skip)
    if not remote:
        args.store = str(Path(args.store).resolve())
    result = {"label": args.label, "store": args.store, "code": str(code), **git_state(code),
              "kg": where, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
                  timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                         f"{platform.python_implementation()} {platform.python_version()}",
              "cap": args.cap, "listing_cap": args.listing_cap, "page_size": args.page_size,
              "load_start": load_average(), "runs": []}
    log(f"picking nodes on {args.store}")
    pk = picks(args.store)
    result["picks"] = pk
    log(f"  {pk['reports']} reports, {pk['triples']} triples; top state "
        f"{pk['top_state_code']} ({pk['top_state_reports']} reports)")
    work = vdir = None
    store = args.store
    try:
        if not remote:
            result["store_bytes"] = sum(f.stat().st_size for f in Path(args.store).iterdir())
            work = Path(tempfile.mkdtemp(prefix="kg-pages-", dir=args.work))
            t0 = time.perf_counter()
            store = str(work / "store")
            shutil.copytree(args.store, store, ignore=shutil.ignore_patterns("LOCK"))
            result["copy_seconds"] = round(time.perf_counter() - t0, 1)
        if args.reindex:
            if has_option(code, env, ["--help"], "reindex"):
                t0 = time.perf_counter()
                out = subprocess.run([sys.executable, "-m", "kg.cli", "reindex", "--store",
                                      store], env=env, cwd=code, capture_output=True,
                                     text=True)
                result["reindex"] = {"seconds": round(time.perf_counter() - t0, 2),
                                     "returncode": out.returncode,
                                     "output": (out.stdout + out.stderr)[-500:]}
                log(f"kg reindex: {result['reindex']}")
            else:
                result["reindex"] = {"missing": True}
        if args.virtuoso:
            vdir, store, extra = load_virtuoso(store, work, result)
            env.update(extra)
            remote = True
        plist = pages(pk, args.page_size)
        for rep in range(1, args.repeat + 1):
            result["runs"].append(one_run(args, code, store, pk, plist, rep, env, remote))
    finally:
        if vdir is not None:
            from run import virtuoso_stop
            virtuoso_stop(vdir, *result["virtuoso"]["ports"])
        if work is not None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["load_end"] = load_average()
    return result


def load_virtuoso(folder: str, work: Path, result: dict) -> tuple[Path, str, dict]:
    """The folder's N-Quads bulk-loaded into a throwaway Virtuoso (bench/run.py's, on free
    ports); its folder, the store location, and the environment that lets kg write to it."""
    import pyoxigraph as ox
    from run import free_port, virtuoso_start

    t0 = time.perf_counter()
    nq = work / "data.nq"
    ox.Store.read_only(folder).dump(str(nq), ox.RdfFormat.N_QUADS)
    dumped = time.perf_counter() - t0
    vdir, ports = work / "virtuoso", (free_port(), free_port())
    loaded = virtuoso_start(vdir, *ports, nq)
    nq.unlink()
    (vdir / "data.nq").unlink(missing_ok=True)
    base = f"http://127.0.0.1:{ports[0]}"
    result["virtuoso"] = {"ports": ports, "dump_seconds": round(dumped, 1),
                          "load_seconds": round(loaded["load_s"], 1)}
    log(f"Virtuoso on {base}: {result['virtuoso']}")
    # Virtuoso's /sparql is read-only; writes go to /sparql-auth as dba (docs/remote-store.md).
    env = {"KG_STORE_UPDATE_URL": f"{base}/sparql-auth", "KG_STORE_USER": "dba",
           "KG_STORE_PASSWORD": "dba"}
    return vdir, f"sparql+{base}/sparql", env


def one_run(args, code, store, pk, plist, rep, env, remote) -> dict:
    server = Server(code, store, args.cap, env)
    out = {"rep": rep, "load_wait": wait_for_load(args.max_load, args.load_patience),
           "load_start": load_average(), "restarts": 0}

    def restart():
        server.stop()
        out["restarts"] += 1
        for attempt in range(6 if remote else 1):
            try:
                out.setdefault("restart_seconds", []).append(round(server.start(), 2))
                return
            except RuntimeError:
                # A remote store a capped query brought down (Virtuoso out of its memory at
                # 100,000 reports) may be restarting (by whoever runs it): wait for it.
                if attempt == 5 or not remote:
                    raise
                out["store_down"] = out.get("store_down", 0) + 1
                log("  kg serve did not start (the store down?); again in 20 s")
                server.stop()
                time.sleep(20)

    try:
        out["start_seconds"] = round(server.start(), 2)
        log(f"run {rep}: kg serve answered after {out['start_seconds']} s on :{server.port}")
        out["after_start"] = time_pages(server, plist, pk, "after start", restart, args.skip)
        if not args.no_listings:
            out["listings"] = endpoint_listings(server, code, pk, args.page_size,
                                                args.listing_cap, restart) \
                if "endpoint" in args.vias else []
        if not args.no_write:
            out["write"] = upload(server, pk, rep)
            log(f"  write: {out['write']}")
            out["after_write"] = time_pages(server, plist, pk, "after write", restart, args.skip)
    finally:
        server.stop()
        out["memory"] = {"server_peak_bytes": server.hwm, "tree_peak_bytes": server.peak_tree}
    if not args.no_listings and (rep == 1 or args.listings_every_run):
        out["listings_load_wait"] = wait_for_load(args.max_load, args.load_patience)
        out["listings"] = out.get("listings", []) + process_listings(
            code, store, pk, args.page_size, args.listing_cap, env, args.vias)
    out["load_end"] = load_average()
    return out


# ---------------------------------------------------------------- the report

def _target(reports: int) -> float:
    return PAGE_TARGET[min(PAGE_TARGET, key=lambda n: abs(n - reports))]


def _cell(row: dict | None, cap: float) -> str:
    if row is None:
        return "-"
    if row.get("skipped"):
        return "no page" if row.get("why") else "not run"
    if row.get("capped"):
        return f"> {cap:g}"
    if row.get("seconds") is None:
        return "error"
    mark = "" if row.get("status") in (200, None) and not row.get("error") else "!"
    mark += "" if row.get("page", True) else " (whole)"
    return f"{row['seconds']:.2f}{mark}"


def _best(rows: list[dict | None]) -> float | None:
    """The slowest of the repeats (a page must meet the target every time); inf if capped;
    None if none was measured (errors and rows not run say nothing of the time)."""
    vals = []
    for r in rows:
        # A refusal after N s (a 503 past a limit) kept: the reader waited N s for it.
        if r is None or r.get("skipped") or (r.get("seconds") is None and not r.get("capped")):
            continue
        vals.append(float("inf") if r.get("seconds") is None else r["seconds"])
    return max(vals) if vals else None


def _waits(run_: dict) -> str:
    """What a run waited for the load (--max-load), and the listings' load."""
    parts = []
    for key, what in (("load_wait", "server"), ("listings_load_wait", "listings")):
        w = run_.get(key)
        if w:
            parts.append(f"{what} started at load {w['load'][0]}"
                         + (f" after waiting {w['waited_seconds']:g} s" if w["waited_seconds"]
                            else ""))
    return f" ({'; '.join(parts)})" if parts else ""


def page_key(name: str) -> str:
    """A page's name without the store's counts: "/id/state (top, 272 reports)" ->
    "/id/state (top)", the same row at every size."""
    name = re.sub(r"\s*\(in [\d,]+ reports\)", "", name)
    return re.sub(r", [\d,]+ reports", "", name)


def _worst_cell(rows: list[dict], cap: float) -> str:
    worst = _best(rows)
    if worst is None:
        return "-"
    refused = "!" if any(r.get("status") not in (200, None) for r in rows) else ""
    return f"> {cap:g}" if worst == float("inf") else f"{worst:.2f}{refused}"


def summary_table(results: list[dict]) -> list[str]:
    """One row per page, one column per run: its slowest first request (after start and
    after the write, every repeat), then each listing's slowest first page."""
    head = "| page | " + " | ".join(r["label"] for r in results) + " |"
    out = ["## Summary", "", "The slowest first request of each page over the repeats, "
           "after start and after the write; the target is <= 1 s at 10,000 reports and "
           "<= 2 s at 100,000; a listing's first page <= 1 s (its slowest of the library, the "
           "endpoint and the viewer's /query/NAME; `kg query` adds its start-up, see each "
           "run's table). Bold: meets its target; `!`: a refusal (not a 200) came after that "
           "time.", "",
           head, "|---" * (len(results) + 1) + "|"]
    keys: list[str] = []
    for res in results:
        for row in res["runs"][0]["after_start"]:
            if page_key(row["page"]) not in keys:
                keys.append(page_key(row["page"]))

    def mark(text: str, worst, target: float) -> str:
        return f"**{text}**" if worst is not None and worst <= target else text

    for key in keys:
        cells = []
        for res in results:
            rows = [r for run_ in res["runs"] for phase in ("after_start", "after_write")
                    for r in run_.get(phase, []) if page_key(r["page"]) == key]
            cells.append(mark(_worst_cell(rows, res["cap"]), _best(rows),
                              _target(res["picks"]["reports"])))
        out.append(f"| `{key}` | " + " | ".join(cells) + " |")
    names = sorted({r["query"] for res in results for run_ in res["runs"]
                    for r in run_.get("listings", [])})
    for name in names:
        cells = []
        for res in results:
            rows = [r for run_ in res["runs"] for r in run_.get("listings", [])
                    if r["query"] == name and r["via"] != "kg query"]
            cells.append(mark(_worst_cell(rows, res["listing_cap"]), _best(rows),
                              LISTING_TARGET))
        out.append(f"| listing `{name}` | "
                   + " | ".join(cells) + " |")
    return out + [""]


def report(args) -> None:
    results = [json.loads(Path(p).read_text()) for p in args.results]
    md = ["# First requests of the viewer's pages on large stores (issue 18)", "",
          "Written by `python bench/pages.py report` from the runs of `bench/pages.py run` "
          "(its docstring says what is measured and how). Each cell: seconds to the last byte "
          "of a page's first request; the repeats with a fresh server are separated by `/`; "
          "`> N`: still running after the cap of N s; `!`: not a 200 answer; `(whole)`: the "
          "code has no paging, the whole listing was read. Verdict on the slowest repeat.", ""]
    md += summary_table(results)
    for res in results:
        pk = res["picks"]
        md += [f"## {res['label']}", "",
               f"- store: `{res['store']}`, {pk['reports']:,} reports, {pk['triples']:,} "
               f"triples" + (f", {res['store_bytes'] / GIB:.2f} GiB on disk"
                             if res.get("store_bytes") else ""),
               f"- code: `{res['code']}` at {res['commit']}"
               f"{' (with uncommitted changes)' if res['dirty'] else ''}",
               f"- {res['date']}, {res['machine']}; load average (1, 5, 15 min) "
               f"{res['load_start']} at start, {res['load_end']} at end",
               f"- picks: top state {pk['top_state_code']} ({pk['top_state_reports']:,} "
               f"reports), small state {pk['small_state'].rsplit('/', 1)[1].upper()} "
               f"({pk['small_state_reports']} reports), person in {pk['person_reports']:,} "
               f"report graphs, agreement in {pk['agreement_reports']:,}, pair "
               f"{pk['a']}-{pk['b']}, report `{pk['report']}`"]
        if "reindex" in res:
            r = res["reindex"]
            md.append("- `kg reindex` on the copy first: " + (
                "the code has no such command" if r.get("missing")
                else f"{r['seconds']} s (exit {r['returncode']})"))
        target = _target(pk["reports"])
        runs = res["runs"]
        for run_ in runs:
            mem = run_["memory"]
            extra = f", {run_['restarts']} restart(s) after a capped page" \
                if run_["restarts"] else ""
            write = run_.get("write")
            md.append(
                f"- run {run_['rep']}: server answered {run_['start_seconds']} s after start"
                f"{extra}; " + (f"write {_cell(write, res['cap'])} s; " if write else "")
                + f"peak memory {mem['server_peak_bytes'] / GIB:.2f} GiB server, "
                f"{mem['tree_peak_bytes'] / GIB:.2f} GiB with its query workers "
                f"({'under' if max(mem.values()) < MEMORY_TARGET else 'OVER'} 4 GiB); load "
                f"{run_['load_start']} -> {run_['load_end']}" + _waits(run_))
        md += ["", f"| page | after start (s) | after a write (s) | target | verdict |",
               "|---|---|---|---|---|"]
        for i, page_row in enumerate(runs[0]["after_start"]):
            starts = [r["after_start"][i] for r in runs]
            writes = [r["after_write"][i] if "after_write" in r else None for r in runs]
            worst = _best(starts + writes)
            verdict = "-" if worst is None else ("meets" if worst <= target else "misses")
            md.append(f"| `{page_row['page']}` | "
                      f"{' / '.join(_cell(r, res['cap']) for r in starts)} | "
                      f"{' / '.join(_cell(r, res['cap']) for r in writes)} | "
                      f"<= {target:g} | {verdict} |")
        listings = runs[0].get("listings", [])
        if listings:
            md += ["", f"First page ({res['page_size']} rows) of each named query; `kg query` "
                   "includes the process's start and the store's opening; library: the "
                   "query call alone (a fresh process each, after the first run's write); "
                   "endpoint and the viewer's /query/NAME page (where the code has it): on "
                   "the server after start, each run.", "",
                   "| query | kg query (s) | library (s) | endpoint (s) | /query/NAME (s) "
                   "| target | verdict |",
                   "|---|---|---|---|---|---|---|"]
            by: dict[tuple, list] = {}
            for run_ in runs:
                for r in run_.get("listings", []):
                    by.setdefault((r["query"], r["via"]), []).append(r)
            for name in sorted({r["query"] for r in listings}):
                cells = [by.get((name, v), [])
                         for v in ("kg query", "library", "endpoint", "viewer")]
                # kg query's time includes its process's start-up, which is not the
                # listing's: the verdict is on the library, the endpoint and the viewer.
                worst = _best(cells[1] + cells[2] + cells[3])
                verdict = "-" if worst is None else (
                    "meets" if worst <= LISTING_TARGET else "misses")
                md.append(f"| {name} | " + " | ".join(
                    " / ".join(_cell(c, res["listing_cap"] if c["via"] != "endpoint"
                                     else res["cap"]) for c in cs) or "-" for cs in cells)
                    + f" | <= {LISTING_TARGET:g} | {verdict} |")
        md.append("")
    Path(args.md).write_text("\n".join(md) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="measure one store with one code")
    r.add_argument("store", help="store folder, or sparql+http://host:port/path")
    r.add_argument("--code", default=str(REPO),
                   help="the checkout whose kg is measured (default: this one)")
    r.add_argument("--label", default="run")
    r.add_argument("--cap", type=float, default=180.0, help="seconds a page may take")
    r.add_argument("--listing-cap", type=float, default=60.0,
                   help="seconds a listing's first page may take (each way)")
    r.add_argument("--page-size", type=int, default=50)
    r.add_argument("--repeat", type=int, default=2)
    r.add_argument("--reindex", action="store_true", help="run `kg reindex` on the copy first")
    r.add_argument("--no-write", action="store_true")
    r.add_argument("--skip", type=lambda t: tuple(t.split(",")), default=(),
                   help="pages not asked, listings not timed: comma-separated starts of "
                        "pages' names (such as '/id/state') and names of queries")
    r.add_argument("--no-listings", action="store_true")
    r.add_argument("--vias", type=lambda t: t.split(","),
                   default=["kg query", "library", "endpoint"],
                   help="which listings: a comma-separated choice of 'kg query', library, "
                        "endpoint (default: all three)")
    r.add_argument("--listings-every-run", action="store_true",
                   help="time kg query and the library in every repeat (default: the first)")
    r.add_argument("--virtuoso", action="store_true",
                   help="load the folder (after --reindex) into a throwaway Virtuoso and "
                        "serve that (needs Debian's virtuoso-opensource)")
    r.add_argument("--max-load", type=float, default=None,
                   help="before each server run and each series of kg query and library "
                        "listings, wait for the 1-minute load average to be at most this")
    r.add_argument("--load-patience", type=float, default=300.0,
                   help="seconds to wait for --max-load before running anyway")
    r.add_argument("--work", default=None, help="where the store's copy goes (default: $TMPDIR)")
    r.add_argument("--keep", action="store_true", help="keep the copy")
    r.add_argument("--out", required=True, help="JSON file to write")
    s = sub.add_parser("report", help="markdown (and JSON) from runs' JSON files")
    s.add_argument("results", nargs="+")
    s.add_argument("--md", required=True)
    s.add_argument("--json")
    args = ap.parse_args(argv)
    # A kill stops the servers and removes the copy (the finally blocks), as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.command == "run":
        result = run(args)
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
        log(f"wrote {args.out}")
    else:
        report(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
