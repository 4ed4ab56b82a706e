"""The embedded RDF store: one Oxigraph database on disk, one named graph per report.

`OxigraphStore` implements kg.store.base.Store for folders (and memory). Reports are written
with one SPARQL UPDATE a batch, the summaries' change (kg/summaries.py) in it: Oxigraph runs each
update in a single transaction, so a failure anywhere leaves the store as it was. Reports the
store does not hold yet (a first ingest) take an update of ground data only: the summary values
it replaces are read before it and written as triples (`_add_reports`); a replaced report's
graph is dropped and its summaries' change computed in the update (`DROP SILENT GRAPH`,
`INSERT DATA`, summaries.Summary.delta_update).
"""
from __future__ import annotations

import functools
import itertools
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, Iterable
from urllib.parse import unquote

import pyoxigraph as ox
import rdflib

from kg import summaries
from kg import vocabulary as V
from kg.sparql_text import tokens
from kg.store.base import (COUNTED_CLASSES, EXPORT_FORMATS, PREFIXES, REPORT_GRAPH_PREFIX, Store,
                           StoreError, TermTexts, register)
from kg.store.holder import StoreLocked, running_server


# Words of an update that may reach graphs it does not name by IRI.
_ANY_GRAPH_WORDS = {"ALL", "NAMED", "ADD", "MOVE", "COPY"}
_GRAPH_WORDS = {"GRAPH", "WITH", "INTO"}


def _report_graphs_of(sparql: str) -> tuple[set[str], bool, bool]:
    """The report graphs an update names by IRI, whether it may change others unnamed, and
    whether it writes the summary graph itself."""
    named, unnamed, summarised = set(), False, False
    toks = tokens(sparql)                     # without white space and comments
    for i, t in enumerate(toks):
        if t.kind == "iri" and V.report_of_graph(t.text[1:-1]) is not None:
            named.add(t.text[1:-1])
        summarised = summarised or t.kind == "iri" and t.text[1:-1] == summaries.SUMMARY_GRAPH
        word = t.keyword()
        if word in _ANY_GRAPH_WORDS:
            unnamed = True
        elif word in _GRAPH_WORDS and i + 1 < len(toks) and toks[i + 1].kind != "iri":
            unnamed = True                    # GRAPH ?g, GRAPH ex:g
    return named, unnamed, summarised


# The triples of a report graph that the summaries read (summaries.relevant), by the N-Triples
# texts of their predicate and object (kg.store.base.TermTexts).
_READ_PREDICATES = frozenset(str(p) for p in summaries.READ_PREDICATES)
_READ_TYPES = frozenset(str(t) for t in summaries.READ_TYPES)
_RDF_TYPE = str(summaries.RDF_TYPE)


def _read_by_summaries(predicate: str, object: str) -> bool:
    return predicate in _READ_PREDICATES and (predicate != _RDF_TYPE or object in _READ_TYPES)


def _every(predicate: str, object: str) -> bool:
    return True


def _serialised(method):
    """The method run holding the store's write lock (OxigraphStore._lock)."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)
    return run


# A rebuild of the summary graph (OxigraphStore.reindex) sums and writes this many report
# graphs' contributions at a time, and removes the old graph this many quads at a time: so what
# it holds does not grow with the store. Smaller batches hold less but rewrite the shared counts
# more often, in more small files for RocksDB to compact: at 100,000 reports, 1,000 a batch
# peaked at 435 MB for 635 s of CPU, 5,000 at 674 MB for 463 s (the whole summary at once: 5.8
# GB, 398 s).
REINDEX_BATCH = 5000
CLEAR_CHUNK = 10_000
# Such removals (not one transaction) flush the database every this many quads: Oxigraph gives
# each of RocksDB's 12 column families write buffers of 128 MB, two of them full before one is
# written to disk, so the millions of quads a rebuild removed stayed in memory.
FLUSH_QUADS = 100_000


def default_path() -> Path:
    return Path(os.environ.get("KG_STORE") or "kg-data")


@register("")
class OxigraphStore(Store):
    """A pyoxigraph store with the project's graphs; use `Store.open()` or `Store.memory()`.

    `Store.open("sparql+http://...")` gives a `kg.store.sparql.SparqlStore` instead: the same
    interface over a SPARQL 1.1 endpoint.
    """

    embedded = True
    transactional = True

    def __init__(self, ox_store: ox.Store, path: Path | None = None, *, ontology: bool = True,
                 read_only: bool = False):
        self._ox = ox_store
        self.path = path
        self.read_only = read_only
        # Counts writes made through this object: the folder is locked to one process, so
        # it changes with every write, and unlike len() (a scan) it costs nothing to read.
        # next() on a count is atomic: the server writes from more than one thread.
        self._write_count = itertools.count(1)
        self._writes = 0
        # Held by each write that reads what it changes before it changes it (the summary
        # counts, a replaced graph's contribution): the server writes from more than one
        # thread (the upload page's ingest, the endpoint's writer).
        self._lock = threading.RLock()
        self._unflushed = 0     # quads removed since the last flush (_flush_every)
        if ontology:
            self._load_ontology()
            self._check_summaries()

    # ------------------------------------------------------------ opening and closing

    @property
    def sorts_short_strings(self) -> bool:
        """Whether `quads_for_pattern(None, P, None, G)` gives the string literals of at most
        15 bytes (summaries.KEY_BYTES) in the order of their bytes: on disk, where Oxigraph
        keeps such a literal in the index key itself (RocksDB's keys are in byte order); its
        in-memory store keeps no order. tests/test_paging.py checks it of the installed
        pyoxigraph."""
        return self.path is not None

    @property
    def subprocess_readers(self) -> bool:
        return self.path is not None and not self.read_only

    @classmethod
    def from_location(cls, location: str | Path | None) -> "OxigraphStore":
        """The store in the folder `location` (made if missing), else ./kg-data. StoreLocked
        if another process holds it."""
        path = Path(location) if location else default_path()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"store {path}: cannot create the folder ({e.strerror or e}); "
                             f"choose another --store") from e
        try:
            ox_store = ox.Store(str(path))
        except OSError as e:
            text = str(e)
            if "lock" in text.lower():
                raise StoreLocked(path) from e
            raise StoreError(f"store {path}: cannot be opened ({text}); check that it is a "
                             f"bilateral-kg store folder you can read and write, or use "
                             f"another --store") from e
        return cls(ox_store, path)

    @classmethod
    def open_read_only(cls, location: str | Path | None) -> "OxigraphStore":
        """The store in the folder `location` (else ./kg-data) for reading only, even while
        another process holds it (a running `kg serve`, a `kg ingest`, a Python session).

        It is a snapshot: it holds every write committed before it was opened, none made
        after. Writes raise StoreError."""
        path = Path(location) if location else default_path()
        if not (path / "CURRENT").is_file():
            raise StoreError(f"store {path}: no store in this folder to read; give the folder "
                             f"of an existing store (--store)")
        # While the holder writes, RocksDB may remove a file between our listing the files
        # and opening them (a compaction): then open again, as the query workers do.
        for attempt in range(40):
            try:
                ox_store = ox.Store.read_only(str(path))
                break
            except (OSError, RuntimeError) as e:
                if attempt == 39:
                    raise StoreError(f"store {path}: cannot be opened for reading ({e}); "
                                     f"check that it is a bilateral-kg store folder") from e
                time.sleep(0.05)
        # No ontology load: that is a write; the holder keeps the ontology graph current.
        return cls(ox_store, path, ontology=False, read_only=True)

    @classmethod
    def memory(cls) -> "OxigraphStore":
        return cls(ox.Store())

    def close(self) -> None:
        if self._ox is not None:
            if self.path is not None and not self.read_only:
                self._ox.flush()
            # Dropping the last reference releases RocksDB's lock on the folder.
            self._ox = None

    @property
    def closed(self) -> bool:
        return self._ox is None

    @property
    def ox(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(f"store {self.path or '(memory)'}: already closed")
        return self._ox

    def __repr__(self) -> str:
        return f"Store({str(self.path) if self.path else 'memory'})"

    # ------------------------------------------------------------ the ontology graph

    def _contains(self, quad: ox.Quad) -> bool:
        return quad in self.ox

    # ------------------------------------------------------------ the summary graph

    def _check_summaries(self) -> None:
        """A store written by an older kg has no summary graph (or an older one): the writer
        opening it builds it from the report graphs, once, so that no page or query reads a
        missing one. An empty store just gets the marker."""
        if self.read_only or self.summaries_current():
            return
        if any(True for _ in self.report_graphs()):
            print(f"kg: store {self.path or '(memory)'}: building its summaries from its report "
                  f"graphs (written by an older kg; once, as `kg reindex` does)",
                  file=sys.stderr)
            self.rebuilt_on_open = self.reindex()
        else:
            self._write_summary([])

    @_serialised
    def reindex(self) -> int:
        """Rebuilds the summary graph from the report graphs (`kg reindex`), REINDEX_BATCH
        report graphs at a time: each batch's sum of contributions is added to what the
        batches before it wrote (summaries.Summary.added_to_rebuild), so the rebuild holds a
        batch, never the whole summary (100,000 reports' took 5.4-5.8 GB). Not one transaction,
        as _write_summary: the marker is removed first and written last, so a rebuild cut
        short leaves a store without it, which its next writer rebuilds (_check_summaries)."""
        database = self._writable()
        summary = ox.NamedNode(summaries.SUMMARY_GRAPH)

        def stored(subject, predicate):
            return [q.object for q in database.quads_for_pattern(subject, predicate, None,
                                                                 summary)]

        def write(change: summaries.Summary) -> None:
            removed, added = change.added_to_rebuild(stored)
            self._remove_quads(ox.Quad(t.subject, t.predicate, t.object, summary)
                               for t in removed)
            # As _write_summary: to files of their own, not through RocksDB's write buffers.
            database.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, summary)
                                 for t in added)

        graphs = 0
        try:
            database.remove(summaries.marker())
            self._remove_quads(database.quads_for_pattern(None, None, None, summary))
            change = summaries.Summary()
            for name, triples in self._relevant_graphs():
                change.add(summaries.contribution(name, triples))
                graphs += 1
                if graphs % REINDEX_BATCH == 0:
                    write(change)
                    change = summaries.Summary()
            write(change)
            database.extend([summaries.marker()])
        finally:
            self._wrote()
        return graphs

    def report_graphs(self) -> Iterable[ox.NamedNode]:
        return (g for g in self.ox.named_graphs()
                if isinstance(g, ox.NamedNode) and g.value.startswith(REPORT_GRAPH_PREFIX))

    def _relevant_graphs(self, only=summaries.READ_PREDICATES):
        # One report graph at a time, by index lookups: a rebuild of 100,000 reports holds
        # one report's triples at a time, not all of their relevant triples at once.
        database = self.ox
        for name in list(self.report_graphs()):
            triples = [ox.Triple(q.subject, q.predicate, q.object) for p in only
                       for q in database.quads_for_pattern(None, p, None, name)
                       if p != summaries.RDF_TYPE or q.object in summaries.READ_TYPES]
            if triples:
                yield name.value, triples

    @_serialised
    def _write_summary(self, triples: list[ox.Triple], complete: bool = True) -> None:
        database = self._writable()
        graph = ox.NamedNode(summaries.SUMMARY_GRAPH)
        try:
            # Without a transaction: one holding a large store's summary (a million quads and
            # more) would hold gigabytes, to remove it (remove_graph) as to write it. The
            # marker goes in after it, so a store cut off before the end has none, and is
            # rebuilt when next opened.
            self._remove_quads(database.quads_for_pattern(None, None, None, graph))
            database.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                                 for t in triples)
            if complete:
                database.extend([summaries.marker()])
        finally:
            self._wrote()

    def _flush_every(self, n: int) -> None:
        """Counts `n` quads removed outside a transaction (_remove_quads), flushing the
        database once FLUSH_QUADS have been since the last flush."""
        self._unflushed += n
        if self._unflushed >= FLUSH_QUADS:
            self.flush()
            self._unflushed = 0

    def _remove_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Removes quads, CLEAR_CHUNK at a time (a transaction each), not in one transaction:
        `quads` may be an iterator over the store itself (its snapshot as it was when made)."""
        database = self.ox
        quads = iter(quads)
        while chunk := list(itertools.islice(quads, CLEAR_CHUNK)):
            by_graph: dict = {}
            for q in chunk:
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode) \
                        and isinstance(q.object, (ox.NamedNode, ox.Literal)):
                    by_graph.setdefault(q.graph_name, []).append(str(q.triple))
                else:
                    database.remove(q)        # DELETE DATA takes no blank node
            if by_graph:
                database.update(" ;\n".join(
                    f"DELETE DATA {{ GRAPH {g} {{\n" + " .\n".join(lines) + " .\n} }"
                    for g, lines in by_graph.items()))
            self._flush_every(len(chunk))

    # ------------------------------------------------------------ writing

    @staticmethod
    def _replace_update(graph_iri: str, triples: Iterable[ox.Triple]) -> str:
        """The SPARQL UPDATE that swaps a graph's content for `triples`."""
        g = str(ox.NamedNode(graph_iri))
        body = " .\n".join(str(t) for t in triples)
        update = f"DROP SILENT GRAPH {g}"
        if body:
            update += f" ;\nINSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}"
        return update

    def _replace_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> None:
        self.update(self._replace_update(graph_iri, triples))

    def _writable(self) -> ox.Store:
        """The database, to write to; StoreError if this store was opened read-only."""
        self.check_writable()
        return self.ox

    def check_writable(self) -> None:
        if self.read_only:
            server = running_server(self.path)
            how = (f"write through the `kg serve` holding it: --store {server.endpoint} with "
                   f"KG_STORE_TOKEN set to the server's KG_UPDATE_TOKEN (docs/remote-store.md)"
                   if server else "open it for writing once no other process holds it")
            raise StoreError(f"store {self.path}: opened read-only, as a snapshot; to change "
                             f"it, {how}")

    def _wrote(self) -> None:
        # Counted once the write is over (or failed), never before: a reader that sees the
        # new count and opens its view of the folder then must find the write in it.
        self._writes = next(self._write_count)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Runs a SPARQL UPDATE in one transaction."""
        database = self._writable()
        try:
            with self._lock:
                database.update(sparql, base_iri=base_iri)
        finally:
            self._wrote()

    @_serialised
    def user_update(self, sparql: str, base_iri: str | None = None) -> None:
        """A user's SPARQL Update (the endpoint), with the summaries of the report graphs it
        changes brought up to date after it: those it names by IRI are read before and after;
        one it may change without naming it (GRAPH ?g, a prefixed name, ALL, NAMED, ADD, MOVE,
        COPY) has the whole summary rebuilt. The update and the summaries' change are two
        transactions: the summaries' marker is taken away before the update and put back
        after, so a run cut short between them leaves a store its next writer rebuilds."""
        named, unnamed, summarised = _report_graphs_of(sparql)
        if summarised or not named and not unnamed:
            # no report graph; or one that keeps the summaries itself (kg's own SparqlStore
            # sends their change with the graphs it writes)
            self.update(sparql, base_iri)
            return
        database = self._writable()
        before = {g: self._contribution(ox.NamedNode(g)) for g in named
                  if database.contains_named_graph(ox.NamedNode(g))}
        kept = self.summaries_current()
        if kept:
            database.remove(summaries.marker())
        try:
            self.update(sparql, base_iri)
        except BaseException:
            if kept:                          # nothing changed: an update is all or nothing
                database.add(summaries.marker())
            raise
        if not kept:
            return                            # already stale: the next writer rebuilds it
        if unnamed:
            self.reindex()
            return
        change = summaries.Summary()
        for contribution in before.values():
            change.add(contribution, -1)
        for g in named:
            if database.contains_named_graph(ox.NamedNode(g)):
                change.add(self._contribution(ox.NamedNode(g)))
        ops = change.delta_update()
        if ops:
            self.update(" ;\n".join(ops))
        database.add(summaries.marker())
        self._wrote()

    def replace_report(self, report_id: str, graph: rdflib.Graph) -> None:
        """Makes `graph` the whole content of the report's named graph, atomically."""
        self.replace_reports([(report_id, graph)])

    def replace_reports(self, items: Iterable[tuple[str, rdflib.Graph]]) -> None:
        """Replaces several reports' graphs in one transaction, with the summaries they
        change (kg/summaries.py): all of it or none."""
        batch = [(ox.NamedNode(V.graph_iri(report_id)), graph) for report_id, graph in items]
        if not batch:
            return
        database = self._writable()
        texts = TermTexts()
        names = {name for name, _ in batch}
        with self._lock:   # the summary values read below must be the ones the update changes
            if len(names) == len(batch) and not any(
                    database.contains_named_graph(name) for name in names):
                if self._add_reports(batch, texts):
                    return
            # Replacements (and what _add_reports does not take): the stored graphs' and
            # the summaries' change computed by the update itself.
            change = summaries.Summary()
            ops = []
            for name, graph in batch:
                lines, triples = texts.rows(graph, _every)
                if database.contains_named_graph(name):
                    change.add(self._contribution(name), -1)
                    ops.append(f"DROP SILENT GRAPH {name}")
                change.add(summaries.contribution(name.value, triples))
                if lines:
                    body = " .\n".join(lines)
                    ops.append(f"INSERT DATA {{ GRAPH {name} {{\n{body} .\n}} }}")
            # One update: the graphs and their summaries in one transaction (pyoxigraph has no
            # other way to join a removal and an insertion; Store.extend only adds).
            self.update(" ;\n".join(ops + change.delta_update()))

    def _add_reports(self, batch: list[tuple[ox.NamedNode, rdflib.Graph]],
                     texts: TermTexts) -> bool:
        """Writes report graphs the store does not hold, and the summaries' change, as one
        update of ground data (DELETE DATA of the counts and dates it changes, INSERT DATA of
        the graphs and the new values: summaries.Summary.added_as_triples); False, having
        written nothing, if the change is not one that takes."""
        change = summaries.Summary()
        graphs = []
        for name, graph in batch:
            lines, read = texts.rows(graph, _read_by_summaries)
            change.add(summaries.contribution(name.value, read))
            if lines:
                graphs.append(f"GRAPH {name} {{\n" + " .\n".join(lines) + " .\n}")
        summary = ox.NamedNode(summaries.SUMMARY_GRAPH)
        database = self.ox
        planned = change.added_as_triples(lambda s, p: [
            q.object for q in database.quads_for_pattern(s, p, None, summary)])
        if planned is None:
            return False
        removed, added = planned
        update = ""
        if removed:
            update = (f"DELETE DATA {{ GRAPH {summary} {{\n"
                      + " .\n".join(map(str, removed)) + " .\n} } ;\n")
        if added:
            graphs.append(f"GRAPH {summary} {{\n" + " .\n".join(map(str, added)) + " .\n}")
        # The store the computed update of `replace_reports` leaves (blank nodes aside, which
        # either names afresh), for two thirds of its cost: Oxigraph writes a quad of INSERT
        # DATA as fast as one of Store.extend (the transaction is the cost, not the parsing),
        # and no WHERE clause runs inside the transaction.
        self.update(update + "INSERT DATA {\n" + "\n".join(graphs) + "\n}")
        return True

    def _contribution(self, name: ox.NamedNode) -> summaries.Contribution:
        """What the stored report graph `name` adds to the summaries."""
        return summaries.contribution(name.value, (
            ox.Triple(q.subject, q.predicate, q.object)
            for p in summaries.READ_PREDICATES
            for q in self.ox.quads_for_pattern(None, p, None, name)))

    def _report_change(self, graph: str | None, new: list[ox.Triple] | None) -> list[str]:
        """The summary operations for a Graph Store write to `graph` that leaves it holding
        `new` (None: removed); none for a graph that is not a report's."""
        if graph is None or V.report_of_graph(graph) is None:
            return []
        change = summaries.Summary()
        name = ox.NamedNode(graph)
        if self.ox.contains_named_graph(name):
            change.add(self._contribution(name), -1)
        if new is not None:
            change.add(summaries.contribution(graph, new))
        return change.delta_update()

    def flush(self) -> None:
        """Writes what the database still holds in memory to disk (a no-op in memory)."""
        if self.path is not None and not self.read_only:
            self.ox.flush()

    def remove_report(self, report_id: str) -> bool:
        return self.delete_graph(V.graph_iri(report_id))

    # ------------------------------------------------------------ any graph (Graph Store Protocol)
    # `graph` is a graph IRI, or None for the store's default graph.

    @staticmethod
    def _graph_name(graph: str | None):
        return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)

    def has_graph(self, graph: str | None) -> bool:
        return graph is None or self.ox.contains_named_graph(ox.NamedNode(graph))

    def dump_graph(self, graph: str | None, fmt: ox.RdfFormat) -> bytes:
        return self.ox.dump(format=fmt, from_graph=self._graph_name(graph),
                            prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)

    @_serialised
    def put_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Makes `triples` the graph's whole content, in one transaction (with the summaries,
        for a report's graph)."""
        triples = list(triples)
        summary_ops = self._report_change(graph, triples)
        body = " .\n".join(str(t) for t in triples)
        if graph is None:
            update = "CLEAR SILENT DEFAULT"
            if body:
                update += f" ;\nINSERT DATA {{\n{body} .\n}}"
        else:
            g = str(ox.NamedNode(graph))
            # CREATE keeps an empty graph in the store: a PUT of nothing still makes it exist.
            update = f"DROP SILENT GRAPH {g} ;\nCREATE SILENT GRAPH {g}"
            if body:
                update += f" ;\nINSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}"
        self.update(" ;\n".join([update, *summary_ops]))

    @_serialised
    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Adds `triples` to the graph (made if missing), in one transaction (with the
        summaries, for a report's graph)."""
        triples = list(triples)
        body = " .\n".join(str(t) for t in triples)
        if graph is None:
            if body:
                self.update(f"INSERT DATA {{\n{body} .\n}}")
            return
        name = ox.NamedNode(graph)
        merged = None
        if V.report_of_graph(graph) is not None:
            merged = [ox.Triple(q.subject, q.predicate, q.object)
                      for q in self.ox.quads_for_pattern(None, None, None, name)] + triples
        g = str(name)
        update = f"CREATE SILENT GRAPH {g}"
        if body:
            update += f" ;\nINSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}"
        self.update(" ;\n".join([update, *self._report_change(graph, merged)]))

    @_serialised
    def delete_graph(self, graph: str | None) -> bool:
        """Empties the default graph or removes a named one; False if there was no such graph."""
        database = self._writable()
        try:
            if graph is None:
                database.clear_graph(ox.DefaultGraph())
                return True
            if not database.contains_named_graph(ox.NamedNode(graph)):
                return False
            summary_ops = self._report_change(graph, None)
            if summary_ops:
                database.update(" ;\n".join([f"DROP GRAPH <{graph}>", *summary_ops]))
            else:
                database.remove_graph(ox.NamedNode(graph))
            return True
        finally:
            self._wrote()

    # ------------------------------------------------------------ reading

    def report_ids(self) -> list[str]:
        return sorted(unquote(g.value[len(REPORT_GRAPH_PREFIX):])
                      for g in self.ox.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(REPORT_GRAPH_PREFIX))

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        """pyoxigraph Quads matching the pattern (None matches anything)."""
        return self.ox.quads_for_pattern(subject, predicate, object, graph_name)

    def version(self) -> object:
        """Cheap to read and changed by any write that adds, removes or replaces triples
        (through this object; no other process can write to the folder while it is open).
        It changes once the write is over: the server's query workers reopen their view of
        the folder when it differs from the one they opened at (web/runner.py)."""
        return self._writes

    def subset(self, graphs: Iterable[str]) -> "OxigraphStore":
        """A new in-memory Store holding a copy of these named graphs (IRIs), without the
        ontology: a few reports of a large store, to analyse without reading all of it."""
        copy = OxigraphStore(ox.Store(), ontology=False)
        for graph in graphs:
            # ~3 ms a report graph at 100,000 reports, nearly all of it RocksDB's reads.
            name = ox.NamedNode(graph)
            data = self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
            copy.ox.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        # The copy's own summary of the states' names, which kg.network's queries read there
        # (network-state-labels): only that part, as the rest would cost a third of the copy.
        # Without the marker: the copy's summary is not complete.
        names, _ = copy.rebuilt_summary(summaries.STATE_NAME_PREDICATES)
        copy._write_summary(names.triples(), complete=False)
        return copy

    def query(self, sparql: str, **options):
        """Raw pyoxigraph results; the default graph is the union of all graphs."""
        options.setdefault("use_default_graph_as_union",
                           "default_graph" not in options and "named_graphs" not in options)
        return self.ox.query(sparql, **options)

    def graph(self, report_id: str) -> rdflib.Graph:
        """A copy of one report's graph, as an in-memory rdflib Graph."""
        data = self.ox.dump(format=ox.RdfFormat.N_TRIPLES,
                            from_graph=ox.NamedNode(V.graph_iri(report_id)))
        graph = rdflib.Graph(identifier=rdflib.URIRef(V.graph_iri(report_id)))
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def dataset(self) -> rdflib.Dataset:
        """The same data, for rdflib users (through oxrdflib, no copy)."""
        from oxrdflib import OxigraphStore as RdflibOxigraphStore

        return rdflib.Dataset(store=RdflibOxigraphStore(store=self.ox))

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Writes the store: turtle merges all graphs; trig, nquads and jsonld keep them."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose one of "
                             f"{', '.join(EXPORT_FORMATS)}")
        if fmt == "turtle":
            merged = self.query("CONSTRUCT { ?s ?p ?o } WHERE "
                                "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
            ox.serialize(merged, out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        elif fmt == "jsonld":
            data = self.dataset().serialize(format="json-ld", encoding="utf-8")
            out.write(data)
        else:
            self.ox.dump(out, format=EXPORT_FORMATS[fmt], prefixes=PREFIXES)

    def stats(self) -> dict[str, int]:
        counts = {name: 0 for name in COUNTED_CLASSES}
        by_iri = {str(V.BKG[cls]): name for name, cls in COUNTED_CLASSES.items()}
        values = " ".join(f"<{iri}>" for iri in by_iri)
        for row in self.select(
                f"SELECT ?class (COUNT(DISTINCT ?node) AS ?n) WHERE {{ "
                f"VALUES ?class {{ {values} }} ?node a ?class }} GROUP BY ?class"):
            counts[by_iri[row["class"]]] = int(row["n"])
        return {"reports": len(self.report_ids()), "triples": len(self.ox),
                "graphs": sum(1 for _ in self.ox.named_graphs()), **counts}

