"""Runs SPARQL queries for the endpoint (web/runner.py), in the server's process or in a
worker process.

`python -m kg.web.sparql_worker STORE [--memory BYTES] [--allow-network]` is a worker: it opens
the store read-only and answers the jobs sent on stdin, on stdout (pickled through
multiprocessing connections). It imports only pyoxigraph, so that a new worker is ready in a
fraction of a second.

Before it reads a job, a worker takes network access away from itself (web/no_network.py), so
that no SERVICE clause, however spelt, reaches the network, and caps its own memory
(RLIMIT_DATA, `--memory`), so that one query cannot take the machine's: an allocation past
the cap fails and the worker dies (pyoxigraph aborts) or answers "too_large" (Python's
MemoryError); the server then answers 503 and starts another worker.
"""
from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox


class ResultTooLarge(Exception):
    pass


@dataclass
class Job:
    """A query and everything its worker needs; plain data, so it can go to another process."""
    query: str
    base_iri: str | None
    default_graph: list[str] | None
    named_graphs: list[str] | None
    union: bool
    results_format: str
    graph_format: str
    limit: int
    max_bytes: int = 0  # the largest serialized answer sent back (0: no cap)
    prefixes: dict[str, str] | None = None  # for a Turtle graph (kg.store's PREFIXES)


def execute(store: ox.Store, job: Job) -> tuple[str, bytes]:
    """Runs the query and serializes its results: ("results" | "boolean" | "graph", body)."""
    options = {"use_default_graph_as_union": job.union}
    if job.default_graph is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graph]
    if job.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    results = store.query(job.query, base_iri=job.base_iri, **options)
    if isinstance(results, ox.QueryBoolean):
        return "boolean", results.serialize(format=getattr(ox.QueryResultsFormat,
                                                           job.results_format))
    # One more than the cap tells whether the cap is passed without reading everything.
    items = list(itertools.islice(results, job.limit + 1))
    if len(items) > job.limit:
        raise ResultTooLarge(f"the query gives more than {job.limit} "
                             f"{'triples' if isinstance(results, ox.QueryTriples) else 'rows'} "
                             f"(KG_RESULT_LIMIT); add a LIMIT or narrow the query")
    if isinstance(results, ox.QueryTriples):
        turtle = job.graph_format == "TURTLE"
        return "graph", _capped(ox.serialize(items, format=getattr(ox.RdfFormat,
                                                                   job.graph_format),
                                             prefixes=job.prefixes if turtle else None), job)
    # The rows are already read, so hand them back to pyoxigraph's serializer as SPARQL TSV,
    # whose cells are the terms' own N-Triples syntax (tabs and newlines escaped).
    variables = results.variables
    lines = ["\t".join(str(v) for v in variables)]
    size = 0
    for row in items:
        lines.append("\t".join("" if row[v] is None else str(row[v]) for v in variables))
        size += len(lines[-1])
        _capped(size, job)  # a few huge cells are refused before they are serialized again
    parsed = ox.parse_query_results(("\n".join(lines) + "\n").encode("utf-8"),
                                    format=ox.QueryResultsFormat.TSV)
    return "results", _capped(parsed.serialize(format=getattr(ox.QueryResultsFormat,
                                                              job.results_format)), job)


def _capped(body, job: Job):
    """The body (or a running size), unless it passes the job's byte cap: the row cap counts
    rows, and one row can hold a string of any length."""
    size = body if isinstance(body, int) else len(body)
    if job.max_bytes and size > job.max_bytes:
        raise ResultTooLarge(f"the answer is larger than {job.max_bytes:,} bytes "
                             f"(KG_RESULT_BYTES); narrow the query")
    return body


def outcome(store: ox.Store, job: Job) -> tuple[str, object]:
    """(status, payload): "ok" with execute()'s result, or "too_large" / "bad" / "error"."""
    try:
        return "ok", execute(store, job)
    except ResultTooLarge as e:
        return "too_large", str(e)
    except MemoryError:
        return "out_of_memory", "the query needed more memory than a query may use"
    except (SyntaxError, ValueError, TypeError) as e:
        return "bad", str(e)
    except Exception as e:  # noqa: BLE001 - anything else is the server's fault: reported
        if getattr(e, "page_too_deep", False):   # kg.store.PageTooDeep: its setting named
            return "too_deep", str(e)
        return "error", f"{type(e).__name__}: {e}"


def _die_with_parent() -> None:
    # If the server is killed, its workers must not go on with a runaway query (Linux only).
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _open(path: str) -> ox.Store:
    """A read-only view of the store. While the server writes, RocksDB may remove a file
    between our reading its list of files and opening them: then the view is opened again."""
    for attempt in range(40):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt == 39:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def _confine(memory: int, allow_network: bool) -> None:
    """The worker's own limits, set before it reads any job (see the module's doc)."""
    if memory:
        # RLIMIT_DATA counts the heap and anonymous mappings, not the store's files or code.
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    if not allow_network:
        from kg.web.no_network import deny_network

        why = deny_network()
        if why is not None:
            print(f"kg serve: query worker: network access not taken away ({why}); only "
                  f"the endpoint's refusal of SERVICE and LOAD guards it", file=sys.stderr)


def main(path: str, memory: int = 0, allow_network: bool = False) -> None:
    _die_with_parent()
    _confine(memory, allow_network)
    jobs = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    sys.stdout = sys.stderr  # fd 1 carries answers only
    store, version = None, None
    while True:
        try:
            fields, wanted = jobs.recv()
            job = Job(**fields)
        except (EOFError, OSError):
            return  # the server closed the pipe or is gone
        if store is None or wanted != version:
            # The store's version when the server sent the job (Store.version()): writes
            # since this view was opened are only seen by opening the store again.
            try:
                store, version = _open(path), wanted
            except (OSError, RuntimeError) as e:
                store = None
                answers.send(("error", f"cannot open the store: {e}"))
                continue
        status, payload = outcome(store, job)
        if status == "error":
            # A compaction may have removed files this view still lists: reopen, try again.
            store = _open(path)
            status, payload = outcome(store, job)
        answers.send((status, payload))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m kg.web.sparql_worker")
    parser.add_argument("store")
    parser.add_argument("--memory", type=int, default=0, help="bytes of data (RLIMIT_DATA)")
    parser.add_argument("--allow-network", action="store_true",
                        help="leave network access on (KG_ALLOW_REMOTE=1)")
    arguments = parser.parse_args()
    main(arguments.store, arguments.memory, arguments.allow_network)
