"""The SPARQL 1.1 Protocol endpoint (`/sparql`) and the Graph Store HTTP Protocol (`/service`).

Reads need no token. Updates and Graph Store writes need `Authorization: Bearer <token>` when
`KG_UPDATE_TOKEN` is set, and are refused when it is not. Queries run with a deadline
(`KG_QUERY_TIMEOUT`, seconds) and a cap on the rows or triples they return (`KG_RESULT_LIMIT`).

pyoxigraph cannot cancel a query, so on an on-disk store each query runs in a worker process
that holds a read-only view of the store; a worker past its deadline is killed and replaced,
and the others keep answering. An in-memory store (tests) cannot be shared with another
process: there the query runs in a thread that is abandoned at the deadline.
"""
from __future__ import annotations

import dataclasses
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kg.sparql_text import Token
from kg.sparql_text import tokens as _tokens
from kg.store import Store, StoreError
from kg.web import auth
from kg.web.no_network import deny_network
from kg.web.sparql_worker import Job, ResultTooLarge, outcome

bp = Blueprint("sparql", __name__)

# Media types, by the name pyoxigraph's serializers know; the first of each is the default.
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/xml": "XML",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/x-turtle": "TURTLE",
    "text/plain": "N_TRIPLES",
}
# Short names for the `format` parameter (for links and browsers that cannot set Accept).
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "ntriples": "application/n-triples",
    "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# Bodies the Graph Store Protocol accepts (graphs only: a PUT or POST writes one graph).
GSP_INPUT_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/n3": ox.RdfFormat.N3,
}
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"

DEFAULTS = {"KG_QUERY_TIMEOUT": 30.0, "KG_RESULT_LIMIT": 100_000, "KG_QUERY_WORKERS": 4,
            "KG_QUERY_QUEUE": 4, "KG_QUERY_BUSY_TIMEOUT": 5.0}
# Sizes in bytes; the environment may say "512M" or "2G". 0 switches the cap off.
SIZE_DEFAULTS = {"KG_QUERY_MEMORY": 1 << 30, "KG_RESULT_BYTES": 256 << 20}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes from "1073741824", "1024M", "1G" or "1 GiB"; ValueError otherwise."""
    m = _SIZE.fullmatch(text)
    if not m:
        raise ValueError(f"{text!r} is not a size (bytes, or a number with K, M or G)")
    return int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))


class ProtocolError(Exception):
    """A request the endpoint refuses; `status` and the message go back as plain text."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class QueryTimeout(Exception):
    pass


# ------------------------------------------------------------------ configuration

# Limits that must be above 0 (0 switches a size cap off, and means an empty queue).
_POSITIVE = ("KG_QUERY_WORKERS", "KG_QUERY_TIMEOUT", "KG_RESULT_LIMIT")


def read_limit(name: str, config=None):
    """The limit `name` (one of DEFAULTS or SIZE_DEFAULTS): `config` first, then the
    environment, then the default; ValueError naming the variable for a bad value."""
    value = (config or {}).get(name)
    if value is None:
        value = os.environ.get(name)
    if value in (None, ""):
        return SIZE_DEFAULTS[name] if name in SIZE_DEFAULTS else DEFAULTS[name]
    try:
        if name in SIZE_DEFAULTS:
            number = value if isinstance(value, int) else parse_size(str(value))
        else:
            number = type(DEFAULTS[name])(value)
    except ValueError:
        kind = "a size (bytes, or a number with K, M or G)" if name in SIZE_DEFAULTS \
            else f"a{'' if isinstance(DEFAULTS[name], float) else ' whole'} number"
        raise ValueError(f"{name}={value!r}: expected {kind}") from None
    if number < 0 or (number == 0 and name in _POSITIVE):
        raise ValueError(f"{name}={value!r}: expected a positive number")
    return number


def check_settings(config) -> None:
    """Reads every limit once, as a request would, so that a bad value stops `kg serve` at
    start-up with a ValueError naming the variable, rather than failing every query."""
    for name in (*DEFAULTS, *SIZE_DEFAULTS):
        read_limit(name, config)


def _setting(name: str):
    """app.config first, then the environment, then the default."""
    if name == "KG_UPDATE_TOKEN":
        return auth.update_token()
    if name == "KG_ALLOW_REMOTE":
        value = current_app.config.get(name)
        value = os.environ.get(name) if value is None else value
        return str(value or "").lower() in ("1", "true", "yes", "on")
    try:
        return read_limit(name, current_app.config)
    except ValueError as e:
        raise ProtocolError(500, f"{e}; fix the server's configuration") from None


def _error(status: int, message: str, headers: dict | None = None) -> Response:
    response = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


@bp.errorhandler(ProtocolError)
def _protocol_error(e: ProtocolError):
    return _error(e.status, str(e), e.headers)


@bp.errorhandler(StoreError)
def _store_error(e: StoreError):
    # Only a remote store (kg/store/sparql.py) fails this way while serving: its server is
    # at fault.
    return _error(502, str(e))


@bp.after_request
def _cors(response: Response) -> Response:
    # Reads are public, so any page may call the endpoint; writes still need the token, which
    # a page only has if its user gave it (no cookies are involved).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Content-Type, Location"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Authorization, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


# ------------------------------------------------------------------ reading the query
# kg.sparql_text's lexer tells keywords from strings, IRIs and comments, so that SERVICE and
# LOAD are found wherever they are and USING clauses can be added to updates.


def _refuse_remote(tokens: list[Token]) -> None:
    """SERVICE and LOAD would make the server fetch any IRI, file: included: refused."""
    if _setting("KG_ALLOW_REMOTE"):
        return
    for i, t in enumerate(tokens):
        # A word may hold a keyword after a dot (".SERVICE"): the lexer keeps dots in words,
        # as prefixed names may have them. This is only the early, readable refusal: the
        # queries and updates themselves run without network access (kg/web/no_network.py).
        parts = (t.keyword() or "").split(".")
        word = next((w for w in parts if w in ("SERVICE", "LOAD")), None)
        if word:
            target = next((u.text for u in tokens[i + 1:i + 3] if u.kind in ("iri", "var")),
                          "")
            what = "SERVICE (a federated query)" if word == "SERVICE" else "LOAD"
            raise ProtocolError(400, f"{what} {target} is refused: this endpoint does not "
                                     f"fetch remote or file IRIs".replace("  ", " "))


def _iri(value: str, param: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError:
        raise ProtocolError(400, f"{param}={value!r} is not an absolute IRI") from None


def _add_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri as USING clauses.

    The protocol forbids both at once with USING, USING NAMED or WITH in the update itself.
    """
    tokens = _tokens(text)
    clause = " ".join([f"USING {g}" for g in using] + [f"USING NAMED {g}" for g in using_named])
    edits: list[tuple[int, int, str]] = []
    operations, current = [], []
    for t in tokens:
        if t.depth == 0 and t.kind == "punct" and t.text == ";":
            operations.append(current)
            current = []
        else:
            current.append(t)
    operations.append(current)
    for op in operations:
        top = [t for t in op if t.depth == 0]
        if any(t.keyword() in ("USING", "WITH") for t in top):
            raise ProtocolError(400, "the update has USING, USING NAMED or WITH and the request "
                                     "has using-graph-uri or using-named-graph-uri: give one")
        words = [t.keyword() for t in top]
        for i, word in enumerate(words):
            if word in ("INSERT", "DELETE"):
                break
        else:
            continue  # not a DELETE/INSERT operation: no dataset to set
        following = words[i + 1] if i + 1 < len(words) else None
        if following == "DATA":
            continue
        where = next((t for t in top[i + 1:] if t.keyword() == "WHERE"), None)
        if where is None:
            continue
        if word == "DELETE" and following == "WHERE":
            # DELETE WHERE { P } takes no USING: write it as DELETE { P } USING ... WHERE { P }.
            after = op.index(where) + 1
            if after >= len(op) or op[after].text != "{":
                continue
            close = next((t for t in op[after + 1:] if t.depth == 0 and t.text == "}"), None)
            if close is None:
                continue
            pattern = text[op[after].start:close.end]
            edits.append((where.start, close.end, f"{pattern} {clause} WHERE {pattern}"))
        else:
            edits.append((where.start, where.start, f"{clause} "))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


# ------------------------------------------------------------------ running queries

class QueryBusy(Exception):
    """Every query worker is taken and the queue is full, or a query given the reserve
    worker (the pool being full) did not finish in its short time: try again later."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class QueryOutOfMemory(Exception):
    pass


@dataclass
class _Worker:
    process: subprocess.Popen
    jobs: Connection
    answers: Connection

    def stop(self) -> None:
        self.process.kill()  # the only way to stop a query pyoxigraph is running
        self.process.wait(5)
        self.jobs.close()
        self.answers.close()


@dataclass
class QueryRunner:
    """Runs queries against one store with a deadline; one per app.

    Up to `max_workers` queries run at once, each in its own worker process. When all are
    taken, one more query may run on a reserve worker, but only for `busy_timeout` seconds, so
    that cheap queries are still answered while runaway ones hold the pool. Past that, up to
    `max_queue` requests wait for a worker (each until its own deadline) and the next ones are
    refused at once (QueryBusy): a request thread never waits unbounded, so the server's
    threads are never all held by queries and pages keep answering.
    """
    store: Store
    max_workers: int
    max_queue: int = 4
    busy_timeout: float = 5.0
    memory: int = 0  # RLIMIT_DATA of each worker, bytes (0: none)
    allow_network: bool = False
    generation: int = 0
    _idle: list = field(default_factory=list)
    _busy: int = 0  # regular slots taken
    _reserve_busy: bool = False
    _spawning: int = 0
    _waiting: int = 0
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def wrote(self) -> None:
        """Called after every write, so that workers reopen their view of the store."""
        with self._cond:
            self.generation += 1

    def run(self, job: Job, timeout: float) -> tuple[str, bytes]:
        deadline = time.monotonic() + timeout
        if self.store.subprocess_readers:
            # A worker process opens the folder read-only: one that overruns can be killed.
            status, payload = self._run_in_worker(job, deadline, timeout)
        else:
            # In memory, or forwarded to a remote endpoint: from a thread.
            status, payload = self._run_in_thread(job, timeout)
        if status == "ok":
            return payload
        if status == "too_large":
            raise ResultTooLarge(payload)
        if status == "out_of_memory":
            raise QueryOutOfMemory(self._memory_message())
        if status == "bad":
            raise ProtocolError(400, f"bad query: {payload}")
        raise ProtocolError(500, f"the query failed: {payload}")

    def _run_in_thread(self, job: Job, timeout: float):
        box: list = []
        # A store whose reads are network requests (a remote one) cannot run sandboxed.
        sandbox = not self.store.needs_network and not self.allow_network
        store = self.store

        def target():
            if sandbox:
                deny_network()
            # An embedded store's database itself, as the workers query theirs.
            box.append(outcome(store.ox if store.embedded else store, job))

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(timeout)
        if not box:
            raise QueryTimeout(timeout)
        return box[0]

    def _run_in_worker(self, job: Job, deadline: float, timeout: float):
        worker, reserve = self._acquire(deadline, timeout)
        cut_short = reserve and time.monotonic() + self.busy_timeout < deadline
        if cut_short:
            deadline = time.monotonic() + self.busy_timeout
        healthy = False
        try:
            worker.jobs.send((dataclasses.asdict(job), self.generation))
            if not worker.answers.poll(max(0.0, deadline - time.monotonic())):
                if cut_short:
                    raise QueryBusy(
                        f"every query worker is busy, and this query did not finish in the "
                        f"{self.busy_timeout:g} s a query gets while they are; try again "
                        f"later", self._retry_after())
                raise QueryTimeout(timeout)
            result = worker.answers.recv()
            healthy = True
            return result
        except (EOFError, OSError) as e:
            try:
                code = worker.process.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            # An allocation past the worker's RLIMIT_DATA aborts pyoxigraph (SIGABRT).
            if self.memory and code == -signal.SIGABRT:
                raise QueryOutOfMemory(self._memory_message()) from e
            raise ProtocolError(500, f"the query worker died ({e or type(e).__name__}, "
                                     f"exit code {code})") from e
        finally:
            self._release(worker, healthy, reserve)

    def _memory_message(self) -> str:
        return (f"it needed more than the {self.memory / 2**20:,.0f} MB of memory a query "
                f"may use (KG_QUERY_MEMORY)")

    def _retry_after(self) -> int:
        return max(1, math.ceil(self.busy_timeout))

    def _acquire(self, deadline: float, timeout: float) -> tuple[_Worker, bool]:
        """A worker, and whether it is the reserve one (see the class's doc). Requests that
        wait only ever take a regular slot: the reserve stays for the next arrival, which
        may be cheap."""
        with self._cond:
            if self._busy < self.max_workers:
                reserve = False
            elif not self._reserve_busy:
                reserve = True
            elif self._waiting >= self.max_queue:
                raise QueryBusy(f"every query worker is busy and {self._waiting} queries are "
                                f"waiting (KG_QUERY_WORKERS={self.max_workers}, "
                                f"KG_QUERY_QUEUE={self.max_queue}); try again later",
                                self._retry_after())
            else:
                reserve = False
                self._waiting += 1
                try:
                    while self._busy >= self.max_workers:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            raise QueryTimeout(timeout)
                        self._cond.wait(remaining)
                finally:
                    self._waiting -= 1
            if reserve:
                self._reserve_busy = True
            else:
                self._busy += 1
            worker = self._idle.pop() if self._idle else None
            # Keep one worker ready, so that a query arriving while this one runs starts at
            # once instead of waiting for a new process.
            running = self._busy + self._reserve_busy
            spare = not self._idle and running + self._spawning <= self.max_workers
            if spare:
                self._spawning += 1
        if spare:
            threading.Thread(target=self._add_spare, daemon=True).start()
        if worker is not None:
            return worker, reserve
        try:
            return self._spawn(), reserve
        except Exception:
            self._free(reserve)
            raise

    def _free(self, reserve: bool) -> None:
        with self._cond:
            if reserve:
                self._reserve_busy = False
            else:
                self._busy -= 1
            self._cond.notify_all()

    def _add_spare(self) -> None:
        try:
            worker = self._spawn()
        except Exception:  # noqa: BLE001 - no spare: the next query spawns its own
            worker = None
        with self._cond:
            self._spawning -= 1
            if worker is not None:
                self._idle.append(worker)
            self._cond.notify_all()

    def _spawn(self) -> _Worker:
        # A fresh interpreter, not a fork: the server has threads and an open RocksDB handle.
        command = [sys.executable, "-m", "kg.web.sparql_worker", str(self.store.path),
                   "--memory", str(self.memory)]
        if self.allow_network:
            command.append("--allow-network")
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        jobs = Connection(os.dup(process.stdin.fileno()), readable=False)
        answers = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        return _Worker(process, jobs, answers)

    def _release(self, worker: _Worker, healthy: bool, reserve: bool) -> None:
        keep = False
        if healthy:
            with self._cond:
                # A full pool with its reserve needs max_workers + 1 processes at most.
                keep = len(self._idle) <= self.max_workers
                if keep:
                    self._idle.append(worker)
        if not keep:
            worker.stop()
        self._free(reserve)

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


def runner() -> QueryRunner:
    app = current_app._get_current_object()
    with _RUNNER_LOCK:
        qr = app.extensions.get("kg_sparql")
        if qr is None:
            qr = QueryRunner(app.config["KG_STORE"], int(_setting("KG_QUERY_WORKERS")),
                             max_queue=int(_setting("KG_QUERY_QUEUE")),
                             busy_timeout=float(_setting("KG_QUERY_BUSY_TIMEOUT")),
                             memory=_setting("KG_QUERY_MEMORY"),
                             allow_network=_setting("KG_ALLOW_REMOTE"))
            app.extensions["kg_sparql"] = qr
    return qr


def _write(store: Store, method, *args, **kwargs):
    """Runs a write on the embedded store in the one writer thread, which has no network
    access (an update's LOAD, however spelt, fetches nothing); a remote store's writes are
    HTTP requests, made from the request's thread."""
    if store.needs_network or _setting("KG_ALLOW_REMOTE"):
        return method(*args, **kwargs)
    app = current_app._get_current_object()
    with _RUNNER_LOCK:
        writer = app.extensions.get("kg_writer")
        if writer is None:
            writer = ThreadPoolExecutor(1, thread_name_prefix="kg-writer",
                                        initializer=deny_network)
            app.extensions["kg_writer"] = writer
    return writer.submit(method, *args, **kwargs).result()


_RUNNER_LOCK = threading.Lock()
_WRITE_LOCK = threading.Lock()  # one write at a time, so generations follow the writes


# ------------------------------------------------------------------ content negotiation

def _negotiate(types: dict[str, str]) -> str:
    """The media type to answer with: the `format` parameter, else Accept, else the default."""
    default = next(iter(types))
    wanted = request.values.get("format")
    if wanted:
        mime = FORMAT_NAMES.get(wanted.lower(), wanted.lower())
        return mime if mime in types else default
    return request.accept_mimetypes.best_match(list(types), default=default) or default


def _content_type(mime: str) -> str:
    return mime + ("; charset=utf-8" if mime.startswith("text/") else "")


# ------------------------------------------------------------------ /sparql

def _body_text() -> str:
    """The request body as UTF-8, the only encoding the protocol allows for a direct POST."""
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"the body is {charset}: send it as UTF-8")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the body is not valid UTF-8") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    # The operation, and the parameters that came with it (URL and form alike).
    if request.method == "GET":
        params = request.args
        if "update" in params:
            raise ProtocolError(400, "an update must be sent by POST, not GET")
        query = _one(params.getlist("query"), "query")
        if query is None:
            return _service_description()
        return _query(query, params)
    mime = request.mimetype
    if mime == "application/x-www-form-urlencoded":
        params = request.values  # the protocol's parameters may also be in the URL
        queries, updates = params.getlist("query"), params.getlist("update")
        if queries and updates:
            raise ProtocolError(400, "give a 'query' or an 'update' parameter, not both")
        if updates:
            return _update(_one(updates, "update"), params)
        query = _one(queries, "query")
        if query is None:
            raise ProtocolError(400, "missing 'query' or 'update' parameter in the form")
        return _query(query, params)
    if mime == "application/sparql-query":
        if "query" in request.args:
            raise ProtocolError(400, "the query is the body: give no 'query' parameter too")
        return _query(_body_text(), request.args)
    if mime == "application/sparql-update":
        if "update" in request.args:
            raise ProtocolError(400, "the update is the body: give no 'update' parameter too")
        _authorize()
        return _update(_body_text(), request.args)
    raise ProtocolError(415, f"unsupported content type {mime or '(none)'}: send "
                             "application/x-www-form-urlencoded, application/sparql-query or "
                             "application/sparql-update")


def _query(text: str, params) -> Response:
    tokens = _tokens(text)
    _refuse_remote(tokens)
    default_graphs = [_iri(g, "default-graph-uri") for g in params.getlist("default-graph-uri")]
    named_graphs = [_iri(g, "named-graph-uri") for g in params.getlist("named-graph-uri")]
    protocol_dataset = bool(default_graphs or named_graphs)
    # With a dataset from the protocol, it replaces the query's own FROM / FROM NAMED; without,
    # the default graph is the union of all graphs, unless the query names its own.
    own_dataset = any(t.keyword() == "FROM" for t in tokens)
    results_mime = _negotiate(RESULT_TYPES)
    graph_mime = _negotiate(GRAPH_TYPES)
    job = Job(
        query=text, base_iri=request.base_url,
        default_graph=[g[1:-1] for g in default_graphs] if protocol_dataset else None,
        named_graphs=[g[1:-1] for g in named_graphs] if protocol_dataset else None,
        union=not protocol_dataset and not own_dataset,
        results_format=RESULT_TYPES[results_mime], graph_format=GRAPH_TYPES[graph_mime],
        limit=int(_setting("KG_RESULT_LIMIT")), max_bytes=_setting("KG_RESULT_BYTES"))
    timeout = float(_setting("KG_QUERY_TIMEOUT"))
    try:
        kind, body = runner().run(job, timeout)
    except QueryTimeout:
        return _error(503, f"query stopped: it ran past the {timeout:g} s limit "
                           f"(KG_QUERY_TIMEOUT); narrow it or add a LIMIT")
    except ResultTooLarge as e:
        return _error(503, f"query refused: {e}")
    except QueryOutOfMemory as e:
        return _error(503, f"query stopped: {e}; narrow it")
    except QueryBusy as e:
        return _error(503, f"query refused: {e}", {"Retry-After": str(e.retry_after)})
    mime = graph_mime if kind == "graph" else results_mime
    return Response(body, content_type=_content_type(mime), headers={"Vary": "Accept"})


def _authorize() -> None:
    """Writes need the configured bearer token; with none configured they are refused."""
    refusal = auth.endpoint_refusal()
    if refusal is not None:
        raise ProtocolError(*refusal)


def _update(text: str, params) -> Response:
    _authorize()
    tokens = _tokens(text)
    _refuse_remote(tokens)
    using = [_iri(g, "using-graph-uri") for g in params.getlist("using-graph-uri")]
    using_named = [_iri(g, "using-named-graph-uri") for g in params.getlist("using-named-graph-uri")]
    if using or using_named:
        text = _add_using(text, using, using_named)
    store = current_app.config["KG_STORE"]
    with _WRITE_LOCK:
        try:
            _write(store, store.update, text, base_iri=request.base_url)
        except SyntaxError as e:
            raise ProtocolError(400, f"bad update: {e}") from None
        except (ValueError, OSError) as e:
            raise ProtocolError(400 if isinstance(e, ValueError) else 500,
                                f"the update failed: {e}") from None
        except StoreError as e:  # a remote store (kg/store/sparql.py) refused or is unreachable
            raise ProtocolError(502, f"the update failed: {e}") from None
        finally:
            runner().wrote()
    return Response(status=204)


def _service_description() -> Response:
    endpoint = str(ox.NamedNode(request.base_url))
    languages = f"<{SD}SPARQL11Query>"
    if _setting("KG_UPDATE_TOKEN"):
        languages += f", <{SD}SPARQL11Update>"
    formats = ", ".join(f"<{FORMATS}{name}>" for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
        "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    turtle = f"""
@prefix sd: <{SD}> .
@prefix dct: <http://purl.org/dc/terms/> .
[] a sd:Service ;
   sd:endpoint {endpoint} ;
   sd:supportedLanguage {languages} ;
   sd:resultFormat {formats} ;
   sd:feature sd:UnionDefaultGraph ;
   sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] ;
   dct:description "bilateral-kg: one named graph per report; the default graph is the union of all graphs. Queries stop after {_setting('KG_QUERY_TIMEOUT'):g} s and at {_setting('KG_RESULT_LIMIT')} rows; SERVICE and LOAD are refused." .
"""
    mime = _negotiate(GRAPH_TYPES)
    triples = [q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_TYPES[mime]),
                        prefixes={"sd": SD, "dct": "http://purl.org/dc/terms/"}
                        if GRAPH_TYPES[mime] == "TURTLE" else None)
    return Response(body, content_type=_content_type(mime), headers={"Vary": "Accept"})


# ------------------------------------------------------------------ /service (Graph Store)

def _target_graph() -> str | None:
    """The graph a Graph Store request is about: an IRI, or None for the default graph."""
    graphs = request.args.getlist("graph")
    if "default" in request.args:
        if graphs:
            raise ProtocolError(400, "give 'graph' or 'default', not both")
        return None
    if len(graphs) != 1:
        raise ProtocolError(400, "give one 'graph=<IRI>' parameter, or 'default'")
    return _iri(graphs[0], "graph")[1:-1]


def _request_triples(graph: str | None) -> list[ox.Triple]:
    mime = request.mimetype
    fmt = GSP_INPUT_TYPES.get(mime)
    if fmt is None:
        raise ProtocolError(415, f"unsupported content type {mime or '(none)'}: send one of "
                                 f"{', '.join(GSP_INPUT_TYPES)}")
    base = graph or request.base_url
    try:
        return [q.triple for q in ox.parse(request.get_data(), format=fmt, base_iri=base)]
    except (SyntaxError, ValueError) as e:
        raise ProtocolError(400, f"the body is not valid {mime}: {e}") from None


@bp.route("/service", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store():
    store = current_app.config["KG_STORE"]
    if request.method == "GET":  # HEAD too: Flask answers it with GET's headers
        graph = _target_graph()
        if graph is not None and not store.has_graph(graph):
            raise ProtocolError(404, f"no graph <{graph}> in the store")
        mime = _negotiate(GRAPH_TYPES)
        body = store.dump_graph(graph, getattr(ox.RdfFormat, GRAPH_TYPES[mime]))
        return Response(body, content_type=_content_type(mime), headers={"Vary": "Accept"})
    _authorize()
    if request.method == "POST" and not request.args:
        # POST to the store itself: a new graph, named by the server (Graph Store 5.5).
        graph = request.host_url + "graph/" + quote(os.urandom(8).hex())
        created = True
    else:
        graph = _target_graph()
        created = graph is not None and not store.has_graph(graph)
    with _WRITE_LOCK:
        try:
            if request.method == "DELETE":
                if not store.delete_graph(graph):
                    raise ProtocolError(404, f"no graph <{graph}> in the store")
                return Response(status=204)
            triples = _request_triples(graph)
            if request.method == "PUT":
                store.put_graph(graph, triples)
            else:
                store.add_to_graph(graph, triples)
        finally:
            runner().wrote()
    if created:
        return Response(status=201, headers={"Location": graph} if request.method == "POST"
                        and not request.args else None)
    return Response(status=204)
