"""Ingest: report files -> extracted facts -> one validated named graph per report.

One report's failure never stops the run: it is recorded as "file: reason" and nothing of that
report is written (its graph is replaced in a single transaction, and only after validation).

`jobs` > 1 runs extraction and SHACL validation (most of a report's time) in worker processes;
resolution, mapping and the write stay in this process, in file order, so the store ends up
the same. `scheduler` does the same with the workers of a Dask distributed cluster (see
docs/cluster.md). A report already stored with the same content hash is skipped, so an
interrupted run can simply be run again.
"""
from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

if TYPE_CHECKING:
    from kg.store import Store


class IngestError(Exception):
    """A report refused for a known reason; the message is shown as it is."""


class ClusterError(Exception):
    """The Dask cluster cannot be reached, or lost a report: the run stops. What was written
    before stays (whole reports only), so running again completes the store."""


@dataclass
class IngestSummary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # Folders given that hold no report file (kg ingest warns about each).
    empty: list[str] = field(default_factory=list)
    # With a Dask cluster: the workers that extracted at least one report.
    workers: set[str] | None = None

    @property
    def reports(self) -> int:
        return self.added + self.replaced + self.unchanged + len(self.failed)

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds > 0 else 0.0

    def text(self) -> str:
        lines = [f"{self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                 f"{len(self.failed)} failed ({self.reports} reports in {self.seconds:.2f} s, "
                 f"{self.reports_per_second:.1f} reports/s"
                 + ("" if self.workers is None else
                    f", on {len(self.workers)} Dask worker{'s' * (len(self.workers) != 1)}")
                 + ")"]
        if self.facts:
            # Each report's own count, added up: a state two reports name counts twice, where
            # kg stats and the viewer's home page count distinct nodes.
            lines.append("mentions, counted per report: "
                         + ", ".join(f"{n} {kind}" for kind, n in self.facts.items()))
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines += [f"  {w}" for w in self.warnings]
        if self.failed:
            lines.append(f"{len(self.failed)} failed:")
            lines += [f"  {f}" for f in self.failed]
        return "\n".join(lines)


DEFAULT_BATCH = 32   # reports per write transaction
# Reports whose texts go through the spaCy pipeline together (nlp.pipe; see
# kg.extraction.extract_many): per report in this process, and per task sent to a worker.
NLP_BATCH = 16
WORKER_NLP_BATCH = 4
BATCH_SECONDS = 2.0  # ... or fewer, once the oldest waiting report has waited this long
# RocksDB keeps what was written in memory (about 230 kB a report here) until it is flushed
# to disk, which it did not do on its own in 6,400 reports: flush every so many.
FLUSH_EVERY = 500


class _Pipeline:
    """The stages after reading, for one run; built on first use so that a run whose
    files all fail to read needs none of them.

    Accepted reports wait in `pending` and are written `batch` at a time, in one transaction
    each (`flush`). Resolution reads an index that already holds every accepted report (see
    kg.resolution.Resolver), so batching changes nothing in what is stored. A report that
    replaces a stored one is written on its own, right away: the index entries of its old
    graph's nodes are then read again from the store.
    """

    def __init__(self, store: Store, summary: IngestSummary, force: bool,
                 batch: int = 1, on_commit=None):
        self.store, self.summary, self.force = store, summary, force
        self.batch, self.on_commit = max(1, batch), on_commit
        self.pending: list[tuple] = []   # (report, where, graph, extraction, previous)
        self._since = 0.0                # when the oldest pending report was accepted
        self._unflushed = 0              # reports written since the last flush to disk
        self._resolver = None
        self.frozen = False              # the loaded objects out of the collector's reach

    def freeze_loaded(self) -> None:
        """Loads what every report needs and moves every object then alive to the garbage
        collector's permanent generation (gc.freeze) until the run ends (`thaw`). A full
        collection otherwise traverses all of spaCy's objects: 14 of them, about 74 ms each,
        in an ingest of 305 reports (1.0 s of its 26 s of CPU; 0.14 s so). Not done when the
        caller froze objects itself: thawing would undo that."""
        if self.frozen or gc.get_freeze_count():
            return
        try:
            _load()
        except Exception:   # each report then fails with the reason, as without this
            return
        gc.freeze()
        self.frozen = True

    def thaw(self) -> None:
        """Gives the frozen objects back to the collector (those that died meanwhile are
        collected then): a library or server process ingesting goes on as before."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    @property
    def resolver(self):
        if self._resolver is None:
            from kg.resolution import Resolver
            self._resolver = Resolver(self.store)
        return self._resolver

    def previous_hash(self, report) -> tuple[bool, str | None]:
        """(unchanged, the stored hash): an unchanged report is skipped unless forced. A report
        is unchanged when its text is and the same extractor stored it (a new kg version or
        another language pipeline extracts it again)."""
        previous, extracted_with = self.store.report_marks(report.id)
        unchanged = (previous is not None and previous == report.content_hash
                     and extracted_with == self.extractor and not self.force)
        return unchanged, previous

    @cached_property
    def extractor(self) -> str:
        from kg.extraction import extractor

        return extractor()

    def store_report(self, report) -> None:
        """Extract, resolve, map, validate and store one report, now; raises on any refusal."""
        from kg.extraction import extract

        unchanged, previous = self.previous_hash(report)
        if unchanged:
            self.summary.unchanged += 1
            return
        self.finish(report, extract(report), previous)
        self.flush(raise_errors=True)

    def finish(self, report, extraction, previous: str | None,
               provisional_conforms: bool = False, where=None) -> None:
        """Resolve, map and validate (unless a worker already did) one extracted report, and
        queue it for writing; raises if it is refused (then nothing of it is kept)."""
        from kg.mapping import report_graph
        from kg.validation import validate

        old_nodes = None
        if previous is not None:
            self.flush()   # the index must equal the store before the old graph goes
            old_nodes = self.resolver.nodes_of(report.id)
        self.resolver.resolve(report, extraction)
        graph = report_graph(report, extraction)
        # The worker's verdict stands only if resolution renamed persons and agreements one to
        # one (see _provisional_conforms); otherwise, and for every refusal (so the message names
        # the final IRIs, as the serial path does), validate the graph that is stored.
        if not (provisional_conforms and _one_to_one(extraction)):
            result = validate(graph)
            if not result.conforms:
                raise IngestError("does not conform to the shapes:\n" + result.text())
        self.resolver.add(extraction)   # the next report resolves as if this one were stored
        if not self.pending:
            self._since = time.monotonic()
        self.pending.append((report, where or report.path, graph, extraction, previous))
        if old_nodes is not None:
            self.flush()
            self.resolver.reload(old_nodes)
        elif (len(self.pending) >= self.batch
              or time.monotonic() - self._since >= BATCH_SECONDS):
            self.flush()

    def flush(self, raise_errors: bool = False) -> None:
        """Writes the pending reports in one transaction; if that fails, one by one, so that
        one report's failure spoils no other."""
        if not self.pending:
            return
        items, self.pending = self.pending, []
        try:
            self.store.replace_reports((report.id, graph) for report, _, graph, *_ in items)
            written = items
        except Exception:
            written = []
            for item in items:
                try:
                    self.store.replace_report(item[0].id, item[2])
                    written.append(item)
                except Exception as e:
                    if raise_errors:
                        raise
                    self.summary.failed.append(_failure(item[1], e))
            if len(written) < len(items):
                self._resolver = None   # it holds reports that were not written: read it again
        self._unflushed += len(written)
        if self._unflushed >= FLUSH_EVERY:
            self._unflushed = 0
            self.store.flush()
        summary = self.summary
        for report, _, _, extraction, previous in written:
            if previous is None:
                summary.added += 1
            else:
                summary.replaced += 1
            summary.facts.update(extraction.summary())
            summary.warnings += [f"{report.path}: {w}" for w in report.warnings]
            if not extraction.states:
                summary.warnings.append(f"{report.path}: names no state")
        if self.on_commit is not None and written:
            self.on_commit([report.id for report, *_ in written])


def _reason(e: Exception) -> str:
    """Why a report failed, the same text in the serial and the parallel path."""
    return str(e) if isinstance(e, IngestError) else f"{type(e).__name__}: {e}"


def _failure(where, e: Exception) -> str:
    return f"{where}: {_reason(e)}"


# ------------------------------------------------------------------ worker processes

def _one_to_one(extraction) -> bool:
    """True if no two officials, and no two agreements, of the report share an IRI."""
    persons = [o.iri for o in extraction.officials]
    agreements = [a.iri for a in extraction.agreements]
    return len(set(persons)) == len(persons) and len(set(agreements)) == len(agreements)


def _provisional_conforms(report, extraction) -> bool:
    """Validates the report mapped with one provisional IRI per official and per agreement.

    Why this stands for the stored graph: resolution only chooses the IRIs of persons and
    agreements. No shape in ontology/shapes.ttl names such an IRI (sh:in lists only code
    concepts; sh:class and sh:node look at types and values), and kg/validation.py's cross
    checks read the IRIs of states and relations and the evidence offsets, never those of
    persons or agreements. So renaming these nodes one to one leaves the result unchanged.
    It changes when resolution gives two officials (or two agreements) of one report the same
    IRI: their triples merge, and e.g. two bkg:nameKey values break the shapes' maxCount 1.
    The parent checks for that (_one_to_one) and then validates the stored graph itself.
    """
    from kg import vocabulary as v
    from kg.mapping import report_graph
    from kg.resolution import name_key
    from kg.validation import validate

    for i, official in enumerate(extraction.officials):
        official.name_key = name_key(official)   # part of the graph: its maxCount is checked
        official.iri = v.person_iri(f"provisional-{i}")
    for i, agreement in enumerate(extraction.agreements):
        agreement.iri = v.agreement_iri(f"provisional-{i}")
    try:
        return validate(report_graph(report, extraction)).conforms
    finally:
        for item in [*extraction.officials, *extraction.agreements]:
            item.iri = None   # the parent resolves them


def _load() -> None:
    """Loads what every report needs (spaCy's pipeline, the gazetteer, the shapes)."""
    from kg import gazetteer
    from kg.extraction.pipeline import nlp
    from kg.validation import compiled_checks, shapes_graph

    gazetteer.load()
    nlp()
    shapes_graph()
    compiled_checks()


def _worker_start(parent: int | None = None) -> None:
    """Dies with the `kg` process `parent`, then loads what every report needs once per
    worker, not once per report, and takes it out of the garbage collector's reach
    (_Pipeline.freeze_loaded): the worker lives for the run only."""
    if parent is not None:
        _die_with(parent)
    _load()
    gc.freeze()


def _worker_batch(reports: list) -> list:
    """_worker_task's outcome for each of `reports`, their texts analysed together."""
    from kg.extraction import extract_many

    out = []
    for report, extraction in zip(reports, extract_many(reports)):
        if isinstance(extraction, Exception):
            out.append(("failed", _reason(extraction)))
            continue
        try:
            conforms = _provisional_conforms(report, extraction)
        except Exception:  # the parent's own validation then reports it as the serial path does
            conforms = False
        out.append(("ok", extraction, conforms))
    return out


def _worker_task(report):
    """Extracts one report and validates it provisionally: ('ok', extraction, conforms), or
    ('failed', reason) with the reason the serial path would give."""
    from kg.extraction import extract

    try:
        extraction = extract(report)
    except Exception as e:
        return "failed", _reason(e)
    try:
        conforms = _provisional_conforms(report, extraction)
    except Exception:  # the parent's own validation then reports it as the serial path does
        conforms = False
    return "ok", extraction, conforms


PR_SET_PDEATHSIG = 1   # from <linux/prctl.h>


def _die_with(parent: int) -> None:
    """Has the kernel kill this worker when its parent, the `kg` process, dies, even by
    `kill -9` (else the worker waits for tasks forever, and with it the resource tracker).

    PR_SET_PDEATHSIG fires when the thread that started the worker ends; that is the thread
    that submits to the pool, which waits for the pool to finish. Had the parent died before
    the call, the worker has another parent already and leaves at once. Other systems than
    Linux go without.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:
        os._exit(1)


def _pool(jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Spawn, not fork: the parent holds an open RocksDB store and its threads. Not the
    # forkserver either: its workers are the forkserver's children, and it outlives a killed
    # parent while they do, so they could not be tied to the parent's life (see _die_with).
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start,
                               initargs=(os.getpid(),))


# ------------------------------------------------------------------ the run

def store_report(report, store: Store, force: bool = False) -> IngestSummary:
    """Extracts, resolves, maps, validates and stores one report already read (a
    kg.reports.Report), now, in one transaction; raises IngestError if it is refused, and
    then nothing of it is stored. An unchanged report is skipped unless `force`."""
    summary = IngestSummary()
    _Pipeline(store, summary, force).store_report(report)
    return summary


def ingest(paths, store: Store, progress: bool = True, force: bool = False,
           jobs: int = 1, batch: int = DEFAULT_BATCH,
           stored_lines: bool | None = None, scheduler: str | None = None) -> IngestSummary:
    """Reads the report files under `paths` into `store`; see the module doc.

    `jobs` > 1 extracts and validates in that many worker processes; the parent still
    resolves and maps in file order, so the store ends up the same as with `jobs` = 1.
    `scheduler` (tcp://HOST:PORT) does the same on the workers of that Dask scheduler instead;
    raises ClusterError if it cannot be reached or loses a report.
    Reports are written `batch` at a time, one transaction per batch (also the same store).
    With `progress`, a bar on a terminal. With `stored_lines`, a line "kg ingest: stored: ID"
    on stderr per report once its batch is committed, so that what a killed run had stored can
    be told from its output; by default (None) when `progress` is asked and stderr is not a
    terminal (a log, a pipe).
    """
    from kg.reports import find_report_files

    start = time.perf_counter()
    summary = IngestSummary()
    on_commit = None
    if stored_lines is None:
        stored_lines = progress and not sys.stderr.isatty()
    if stored_lines:
        def on_commit(ids: list[str]) -> None:
            sys.stderr.write("".join(f"kg ingest: stored: {rid}\n" for rid in ids))
            sys.stderr.flush()
    pipeline = _Pipeline(store, summary, force, batch=batch, on_commit=on_commit)
    paths = [Path(p) for p in paths]
    files, errors = find_report_files(paths)
    summary.failed += [str(e) for e in errors]
    summary.empty = [str(p) for p in paths if p.is_dir() and not any(
        f == p or p in f.parents for f in files)]
    show = progress and sys.stderr.isatty()
    if scheduler is not None:
        # The bar follows the cluster's finished tasks, not the reading.
        bar = tqdm(unit="report", file=sys.stderr, desc="ingest", leave=False, disable=not show)
        summary.workers = set()
        try:
            _distributed(_read(files), pipeline, scheduler, bar)
        finally:
            bar.close()
        summary.seconds = time.perf_counter() - start
        return summary
    bar = tqdm(files, unit="file", file=sys.stderr, desc="ingest", leave=False,
               disable=not show)
    try:
        if jobs <= 1:
            _serial(_read(bar), pipeline)
        else:
            _parallel(_read(bar), pipeline, jobs)
    finally:
        pipeline.thaw()
    bar.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _read(files):
    """('report', report, where) or ('failed', text) for each report of `files`, in order."""
    from kg.reports import ReportError, read_path

    seen: dict[str, Path] = {}  # report id -> the file it came from in this run
    for path in files:
        try:
            items = read_path(path)
        except Exception as e:  # a reader bug must not stop the other files
            yield "failed", f"{path}: {type(e).__name__}: {e}"
            continue
        for item in items:
            if isinstance(item, ReportError):
                yield "failed", str(item)
                continue
            where = item.path or path
            if item.id in seen:
                yield "failed", (f"{where}: report id {item.id!r} is also the id of "
                                 f"{seen[item.id]}, read earlier in this run")
                continue
            seen[item.id] = where
            yield "report", item, where


def _in_order(items, pipeline: _Pipeline, limit: int, send, outcome,
              unchanged=lambda: None, abandon=lambda handles: None) -> None:
    """Reports sent off to be extracted, finished here in reading order.

    `send(report)` hands a report to the workers and returns a handle (None: extract it here);
    `outcome(report, where, handle)` waits for it: ('ok', extraction, conforms) or ('failed',
    text). At most `limit` reports are in flight (read, sent, or done but not yet written), so
    memory does not grow with the number of reports. Reading happens here, not in the workers,
    so that an unchanged report (same content hash as the stored one) is never sent at all.
    A ClusterError from `outcome` stops the run; `abandon` gets the handles still out.
    """
    summary = pipeline.summary
    # In reading order: ('failed', text), ('unchanged',) or ('work', report, where, previous,
    # handle); kept in order so that failures are listed as the serial path lists them.
    queue: deque = deque()
    in_flight = 0

    def finish_head() -> None:
        nonlocal in_flight
        entry = queue.popleft()
        if entry[0] == "failed":
            summary.failed.append(entry[1])
            return
        if entry[0] == "unchanged":
            summary.unchanged += 1
            unchanged()
            return
        _, report, where, previous, handle = entry
        in_flight -= 1
        try:
            result = outcome(report, where, handle)
            if result[0] == "failed":
                summary.failed.append(f"{where}: {result[1]}")
                return
            pipeline.finish(report, result[1], previous, provisional_conforms=result[2],
                            where=where)
        except ClusterError:
            raise
        except Exception as e:
            summary.failed.append(_failure(where, e))

    try:
        for kind, *rest in items:
            if kind == "failed":
                queue.append(("failed", rest[0]))
            else:
                report, where = rest
                try:
                    unchanged_now, previous = pipeline.previous_hash(report)
                except Exception as e:
                    queue.append(("failed", _failure(where, e)))
                    continue
                if unchanged_now:
                    queue.append(("unchanged",))
                else:
                    queue.append(("work", report, where, previous, send(report)))
                    in_flight += 1
            while queue and (queue[0][0] != "work" or in_flight >= limit):
                finish_head()
        while queue:
            finish_head()
    except BaseException:
        abandon([entry[4] for entry in queue if entry[0] == "work"])
        raise


class _Batches:
    """Reports sent in batches of `size`: `send` gives a report's handle, `outcome` its result.

    `start(reports)` sets a full batch off and returns a function giving the outcomes of its
    reports, in order. A batch still filling when one of its reports is wanted (the last of
    the run) is started then.
    """

    def __init__(self, size: int, start):
        self.size, self.start = size, start
        self.filling: list | None = None      # [reports, results function or None]

    def send(self, report):
        if self.filling is None:
            self.filling = [[], None]
        batch = self.filling
        batch[0].append(report)
        if len(batch[0]) >= self.size:
            self._start()
        return batch, len(batch[0]) - 1

    def _start(self) -> None:
        batch, self.filling = self.filling, None
        batch[1] = self.start(batch[0])

    def outcome(self, handle):
        batch, index = handle
        if batch is self.filling:
            self._start()
        return batch[1]()[index]


def _serial(items, pipeline: _Pipeline) -> None:
    """Extracts in this process, NLP_BATCH reports at a time (extract_many), and finishes
    each report in reading order (_in_order)."""
    from kg.extraction import extract_many

    def start(reports: list):
        pipeline.freeze_loaded()   # on the first report to extract, as its loading was
        outcomes = [("failed", _reason(x)) if isinstance(x, Exception) else ("ok", x, False)
                    for x in extract_many(reports)]
        return lambda: outcomes

    batches = _Batches(NLP_BATCH, start)
    _in_order(items, pipeline, NLP_BATCH, batches.send,
              lambda report, where, handle: batches.outcome(handle))
    pipeline.flush()


def _parallel(items, pipeline: _Pipeline, jobs: int) -> None:
    """Worker processes extract and validate, WORKER_NLP_BATCH reports a task; the parent
    finishes each report in reading order (_in_order), two tasks per worker in flight. If a
    worker dies (killed, out of memory), this and the remaining reports are extracted here."""
    from concurrent.futures.process import BrokenProcessPool

    pool = None
    broken = False

    def start(reports: list):
        nonlocal pool, broken
        if broken:
            return lambda: [None] * len(reports)
        if pool is None:  # on the first report to extract: a rerun with nothing changed
            pool = _pool(jobs)  # starts no worker at all
        try:
            return pool.submit(_worker_batch, reports).result
        except BrokenProcessPool:
            broken = True
            return lambda: [None] * len(reports)

    batches = _Batches(WORKER_NLP_BATCH, start)

    def outcome(report, where, handle):
        nonlocal broken
        try:
            result = batches.outcome(handle)
            if result is not None:
                return result
        except BrokenProcessPool:
            broken = True   # finish this one and the rest here
        except Exception:
            pass   # the task failed as a whole (a result that would not pickle): each of
                   # its reports is extracted here, so that only a faulty one fails
        from kg.extraction import extract
        return ("ok", extract(report), False)

    try:
        _in_order(items, pipeline, 2 * WORKER_NLP_BATCH * jobs, batches.send, outcome)
        pipeline.flush()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------ a Dask cluster

CONNECT_SECONDS = 10   # to reach the scheduler
WORKER_SECONDS = 60    # for a first worker to join it
RETRIES = 2            # a task that raised is run again so often (a killed worker's tasks are
                       # moved to another worker by the scheduler itself, up to its
                       # distributed.scheduler.allowed-failures)


def _cluster_task(report, model: str):
    """On a Dask worker: _worker_task with the client's language pipeline. Also returns what
    extracted (kg's version and the pipeline: the client refuses another) and where.

    The pipeline is loaded outside _worker_task's per-report catch: a worker that cannot load
    it raises, and the run stops with that reason instead of failing every report."""
    from distributed import get_worker

    from kg import extraction
    from kg.extraction import pipeline

    if os.environ.get(pipeline.MODEL_VARIABLE) != model:
        # A worker outlives a client: the next may ask for another pipeline.
        os.environ[pipeline.MODEL_VARIABLE] = model
        pipeline.nlp.cache_clear()
        extraction.extractor.cache_clear()
    pipeline.nlp()
    return extraction.extractor(), get_worker().address, _worker_task(report)


def _connect(address: str):
    from distributed import Client
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import backends

    # Checked here: a Client given an unknown scheme fails half-built and prints a traceback
    # from its finaliser 20 s later.
    scheme = parse_address(address)[0]
    if scheme not in backends or scheme == "inproc":
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: not an address "
                           f"of a Dask scheduler (tcp://HOST:PORT, or {scheme!r} replaced by "
                           f"one of {', '.join(sorted(set(backends) - {'inproc'}))})")
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: "
                           f"{_reason(e)}") from None
    try:
        client.wait_for_workers(1, timeout=WORKER_SECONDS)
    except (OSError, TimeoutError) as e:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no worker (waited "
                           f"{WORKER_SECONDS} s: {_reason(e)}); start one with "
                           f"`dask worker {address}`") from None
    return client


def _distributed(items, pipeline: _Pipeline, address: str, bar) -> None:
    """_parallel on a Dask cluster: workers read nothing and write nothing; they extract and
    validate what the client sends, and the client finishes each report in reading order.

    At most 4 reports per worker thread (counted at the start) are in flight, so the
    client's memory does not grow with the number of reports. If a report is lost (its
    workers died more often than the scheduler allows, or the scheduler went away), what is
    finished before it is written and the run stops with ClusterError.
    """
    from kg.extraction.pipeline import model_name

    summary = pipeline.summary
    model = model_name()
    try:
        import distributed  # noqa: F401  (its logging config is applied on import)
    except ImportError:
        raise ClusterError("--scheduler needs Dask distributed: pip install "
                           "'dask[distributed]' (or, in kg's checkout, -e '.[cluster]')"
                           ) from None

    # Dask's client logs what it recovers from ("rescheduling" a killed worker's keys) on
    # stderr; what it cannot recover from reaches us as an exception, told in one line.
    # (Dask's logging config gives distributed.client a level and handler of its own.)
    quiet = {name: logging.getLogger(name) for name in ("distributed", "distributed.client")}
    levels = {name: logger.level for name, logger in quiet.items()}
    for logger in quiet.values():
        logger.setLevel(logging.ERROR)
    try:
        _run_distributed(items, pipeline, address, bar, summary, model)
    finally:
        for name, logger in quiet.items():
            logger.setLevel(levels[name])


def _run_distributed(items, pipeline: _Pipeline, address: str, bar, summary, model) -> None:
    client = _connect(address)

    def send(report):
        future = client.submit(_cluster_task, report, model, pure=False, retries=RETRIES)
        future.add_done_callback(lambda _: bar.update())
        return future

    def outcome(report, where, future):
        try:
            extracted_with, worker, result = future.result()
        except Exception as e:
            raise ClusterError(f"the Dask cluster at {address} did not extract {where}: "
                               f"{_reason(e)}; the reports before it are stored, run the same "
                               f"command again to complete the store") from None
        if extracted_with != pipeline.extractor:
            raise ClusterError(f"Dask worker {worker} extracts with {extracted_with!r}, this "
                               f"client with {pipeline.extractor!r}: install the same kg and "
                               f"spaCy pipeline on every worker")
        summary.workers.add(worker)
        return result

    try:
        # at most 4 reports per worker thread counted now are in flight
        _in_order(items, pipeline, max(8, 4 * sum(client.nthreads().values())), send,
                  outcome, unchanged=bar.update, abandon=client.cancel)
    finally:
        # Whole reports accepted before a lost one are written; nothing of a later one is.
        try:
            pipeline.flush()
        finally:
            client.close()
