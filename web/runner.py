"""The query runner of the SPARQL endpoint: `QueryRunner` runs queries against one store with
a deadline, and is held by the app's state (web/state.py), which closes it on shutdown.

pyoxigraph cannot cancel a query, so on an on-disk store each query runs in a worker process
(web/sparql_worker.py) that holds a read-only view of the store; a worker past its deadline
is killed and replaced, and the others keep answering. A view is a snapshot, so each job
carries the store's `version()`, which every write through the store changes, whatever route
made it (the endpoint, the upload page, the Graph Store): a worker whose view was opened at
another version opens it again before it runs the query. An in-memory store (tests) cannot be
shared with another process: there the query runs in a thread that is abandoned at the
deadline. No Flask here: the endpoint (web/views/sparql.py) turns these exceptions into
responses.
"""
from __future__ import annotations

import dataclasses
import math
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from kg.store import PageTooDeep, Store
from kg.web.no_network import deny_network
from kg.web.sparql_worker import Job, ResultTooLarge, outcome


class QueryTimeout(Exception):
    pass


class BadQuery(Exception):
    """The query does not parse or cannot be evaluated: the client's fault."""


class QueryFailed(Exception):
    """The query could not be run: the server's fault."""


class QueryBusy(Exception):
    """Every query worker is taken and the queue is full, or a query given the reserve
    worker (the pool being full) did not finish in its short time: try again later."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class QueryOutOfMemory(Exception):
    pass


@dataclass(eq=False)  # hashed by identity, in QueryRunner._live
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
    _idle: list = field(default_factory=list)
    _live: set = field(default_factory=set)  # every worker process not yet stopped
    _busy: int = 0  # regular slots taken
    _reserve_busy: bool = False
    _spawning: int = 0
    _waiting: int = 0
    _closed: bool = False  # after close(), a worker coming back or spawned is stopped
    _cond: threading.Condition = field(default_factory=threading.Condition)

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
            raise BadQuery(payload)
        if status == "too_deep":
            raise PageTooDeep(payload)
        raise QueryFailed(f"the query failed: {payload}")

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
            # Read now, not at the worker: a write over before this query arrived is in the
            # view the worker opens for this version (the store counts a write once it is over).
            worker.jobs.send((dataclasses.asdict(job), self.store.version()))
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
            raise QueryFailed(f"the query worker died ({e or type(e).__name__}, "
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
            if worker is not None and not self._closed:
                self._idle.append(worker)
                worker = None
            self._cond.notify_all()
        if worker is not None:
            self._stop(worker)

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
        worker = _Worker(process, jobs, answers)
        with self._cond:
            self._live.add(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        with self._cond:
            self._live.discard(worker)
        worker.stop()

    def _release(self, worker: _Worker, healthy: bool, reserve: bool) -> None:
        keep = False
        if healthy:
            with self._cond:
                # A full pool with its reserve needs max_workers + 1 processes at most.
                keep = not self._closed and len(self._idle) <= self.max_workers
                if keep:
                    self._idle.append(worker)
        if not keep:
            self._stop(worker)
        self._free(reserve)

    def close(self) -> None:
        """Stops every worker process, busy ones too (their request answers 500: the server
        is stopping); a worker spawned afterwards is stopped when its query ends."""
        with self._cond:
            self._closed = True
            self._idle = []
            workers = list(self._live)
        for worker in workers:
            self._stop(worker)
