"""A store on a SPARQL 1.1 endpoint: `--store sparql+http://host:port/path` (or sparql+https).

`SparqlStore` implements kg.store.base.Store: `query()` returns the same pyoxigraph result
objects as the embedded store (kg/store/embedded.py), parsed from the server's answer, so
callers cannot tell the two apart; they ask its capability flags what it can do. HTTP and the
server's quirks are in kg/store/connector.py. The URL
without `sparql+` is the query endpoint; everything else comes from the environment, never
from the command line:

  KG_STORE_UPDATE_URL   SPARQL Update endpoint (default: the query endpoint)
  KG_STORE_GSP_URL      Graph Store HTTP Protocol endpoint (optional; SPARQL Update otherwise)
  KG_STORE_USER, KG_STORE_PASSWORD
                        HTTP Basic or Digest, whichever the server asks for (Virtuoso: Digest)
  KG_STORE_TOKEN        `Authorization: Bearer` (a `kg serve` started with KG_UPDATE_TOKEN)
  KG_STORE_TIMEOUT      seconds to wait for an answer (default 300)

Atomicity. A report's graph is replaced with one request (`DROP GRAPH` then `INSERT DATA`), so
on a `kg serve` endpoint it is one Oxigraph transaction, as on the embedded store. Virtuoso's
SPARQL parser refuses one INSERT DATA of more than about 5,000 triples, so the triples are
sent as several INSERT DATA blocks of BLOCK_TRIPLES in the same request; and a request carries
at most REQUEST_TRIPLES triples: `replace_reports` sends several reports per request but never
splits one report's graph below that size. Virtuoso applies a request's operations one after
the other without rolling back the earlier ones when a later one fails, so a failed write may
leave a report's graph dropped or partly written there: running the ingest again repairs it
(the report has no stored content hash, so it is not skipped). The ontology graph, whose
content hash says it is whole, is written to a staging graph and copied over, its hash last
(`_replace_marked_graph`).

Virtuoso's default graph is the union of all its graphs, its own system graphs included. The
named queries only match the project's vocabulary and read report graphs, so these never reach
their rows (tests/test_remote_store.py compares every one with the embedded store's). What
reads whole graphs here (stats, export, quads_for_pattern) leaves out the graphs outside the
project's namespace (V.GRAPH) that the server held when one of them first needed the list (but
those written through this object), with a standard FILTER: Virtuoso's `define
input:default-graph-exclude` pragma also hides graphs named in GRAPH <...> (7.2), so it is not
used. Finding them reads every quad (3.6 s at 10,000 reports on Virtuoso 7.2), which opening
the store, a named query or a page does not need. `version` counts every quad of every graph,
Virtuoso's own too, which Virtuoso answers from its index (0.01 s against 0.11 s with the
FILTER at 10,000 reports).
"""
from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path
from typing import IO, Iterable
from urllib.parse import unquote

import pyoxigraph as ox
import rdflib

from kg import summaries
from kg import vocabulary as V
from kg.sparql_text import blank_out
from kg.store.base import (COUNTED_CLASSES, EXPORT_FORMATS, PREFIXES, REPORT_GRAPH_PREFIX, Store,
                           StoreError, ox_term, register)
from kg.store.connector import (ENV_GSP_URL, ENV_PASSWORD, ENV_TIMEOUT, ENV_TOKEN,
                                ENV_UPDATE_URL, ENV_USER, SparqlConnector, query_form,
                                trailing_values_inside)
from kg.store.embedded import OxigraphStore

SCHEMES = ("sparql+http", "sparql+https")
REMOTE_SCHEMES = tuple(s + "://" for s in SCHEMES)

BLOCK_TRIPLES = 1_000
REQUEST_TRIPLES = 20_000


def _substitute(text: str, substitutions: dict) -> str:
    """pyoxigraph's `substitutions` as SPARQL 1.1: a VALUES block opening the WHERE group."""
    if not substitutions:
        return text
    names = [v.value if isinstance(v, ox.Variable) else str(v).lstrip("?$")
             for v in substitutions]
    values = " ".join(str(t) for t in substitutions.values())
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} "
    blank = blank_out(text)
    where = re.search(r"\bWHERE\s*\{", blank, re.IGNORECASE)
    brace = where.end() if where else blank.find("{") + 1
    if brace <= 0:
        raise ValueError("cannot bind substitutions: the query has no group pattern")
    return text[:brace] + block + text[brace:]


@register(*SCHEMES)
class SparqlStore(Store):
    """`Store` over HTTP; see the module doc. Use `Store.open("sparql+http://...")`."""

    needs_network = True
    # One request is one transaction on a `kg serve` endpoint, but not on Virtuoso, and
    # replace_reports may send several requests (module doc).
    transactional = False
    # The ontology graph is counted as the store opens (Store._load_ontology): on a Virtuoso
    # of 100,000 reports restarted after running out of memory, it held 569 of its 1,138
    # triples under its hash, all 1,138 having been written and counted before (the server's
    # recovery did not restore them all; its last checkpoint was before the write).
    counts_marked_graphs = True

    def __init__(self, query_url: str, *, update_url: str | None = None,
                 gsp_url: str | None = None, user: str | None = None,
                 password: str | None = None, token: str | None = None,
                 timeout: float = 300.0):
        self.path = "sparql+" + query_url  # what messages show, as a folder's path does
        self._connector = SparqlConnector(
            query_url, update_url=update_url, gsp_url=gsp_url, user=user, password=password,
            token=token, timeout=timeout, label=self.path)
        self.url = query_url
        self.update_url = self._connector.update_url
        self.gsp_url = self._connector.gsp_url
        self.timeout = timeout
        self._excluded_graphs: list[str] | None = None   # see _excluded
        self._included: set[str] = set()   # graphs outside V.GRAPH written through kg
        self._ontology_error: StoreError | None = None
        self._probe()
        try:
            self._load_ontology()
        except StoreError as e:
            # A read-only user can still query; writes will say why the ontology is missing.
            self._ontology_error = e
            warnings.warn(f"{e} (queries run without the current ontology graph)",
                          stacklevel=2)
        else:
            try:
                self._check_summaries()
            except StoreError as e:
                # As for the ontology: a user who may only read still can.
                warnings.warn(f"{e} (the summary queries and pages need `kg reindex` by a "
                              f"user who can write)", stacklevel=2)

    @classmethod
    def from_location(cls, location: str | Path | None) -> "SparqlStore":
        return cls.from_url(str(location))

    @classmethod
    def from_url(cls, location: str) -> "SparqlStore":
        """`sparql+http(s)://...`, with the rest of the configuration from the environment."""
        if not location.lower().startswith(REMOTE_SCHEMES):
            raise StoreError(f"store {location}: not a sparql+http:// or sparql+https:// URL")
        env = os.environ
        try:
            timeout = float(env.get(ENV_TIMEOUT) or 300)
        except ValueError:
            raise StoreError(f"{ENV_TIMEOUT}={env[ENV_TIMEOUT]!r} is not a number of "
                             f"seconds") from None
        if bool(env.get(ENV_USER)) != bool(env.get(ENV_PASSWORD)):
            raise StoreError(f"store {location}: set both {ENV_USER} and {ENV_PASSWORD}, "
                             f"or neither")
        return cls(location[len("sparql+"):], update_url=env.get(ENV_UPDATE_URL),
                   gsp_url=env.get(ENV_GSP_URL), user=env.get(ENV_USER),
                   password=env.get(ENV_PASSWORD), token=env.get(ENV_TOKEN),
                   timeout=timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url})"

    @property
    def pages_by_graph_values(self) -> bool:
        """Whether a listing's page is read over a few report graphs, `?g` bound by VALUES
        (kg.queries.plan), as on the embedded store: on Virtuoso, whose planner sorts a whole
        listing otherwise (`reports`' first page: 12.3 s at 10,000 reports, 0.12 s so).
        Not on another endpoint (a kg serve pages a named listing's text itself)."""
        return self._connector.virtuoso

    def _probe(self) -> None:
        """Checks that the endpoint answers, and learns whether it is Virtuoso."""
        self._connector.probe()

    @property
    def _excluded(self) -> list[str]:
        """Virtuoso's graphs outside the project's namespace, read when first needed (module
        doc), less those written through kg since the store was opened."""
        if self._excluded_graphs is None:
            rows = self._connector.select_raw(
                f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(!STRSTARTS(STR(?g), \"{V.GRAPH}\")) }}") \
                if self._connector.virtuoso else []
            self._excluded_graphs = sorted(r["g"] for r in rows if r["g"])
        return [g for g in self._excluded_graphs if g not in self._included]

    # ------------------------------------------------------------ opening and closing

    def flush(self) -> None:
        """Nothing to do: the server decides when its writes reach disk."""

    def close(self) -> None:
        self._connector.close()

    @property
    def closed(self) -> bool:
        return self._connector.closed

    def _contains(self, quad: ox.Quad) -> bool:
        return self._ask(f"ASK {{ GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} "
                         f"{quad.object} }} }}")

    # ------------------------------------------------------------ reading

    def _graph_filter(self, var: str = "?g") -> str:
        """A FILTER keeping `var` off Virtuoso's own graphs (standard SPARQL, see module doc)."""
        if not self._excluded:
            return ""
        return f"FILTER({var} NOT IN ({', '.join(f'<{g}>' for g in self._excluded)}))"

    def query(self, sparql: str, *, base_iri: str | None = None,
              use_default_graph_as_union: bool | None = None, default_graph=None,
              named_graphs=None, substitutions: dict | None = None, **options):
        """pyoxigraph results, as `Store.query`. The default graph is the server's: on
        Virtuoso the union of all graphs, its own included (module doc)."""
        if options:
            raise TypeError(f"unsupported query options for a remote store: "
                            f"{', '.join(options)}")
        text = _substitute(sparql, substitutions or {})
        text = self._connector.adapt_query(text)
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        params: list[tuple[str, str]] = []
        for name, graphs in (("default-graph-uri", default_graph),
                             ("named-graph-uri", named_graphs)):
            if graphs is None:
                continue
            for g in graphs if isinstance(graphs, (list, tuple, set)) else [graphs]:
                if isinstance(g, ox.DefaultGraph):
                    continue
                params.append((name, g.value if hasattr(g, "value") else str(g)))
        return self._connector.query(text, query_form(sparql), params)

    def _ask(self, sparql: str) -> bool:
        return bool(self.query(sparql))

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        s, p, o = (str(t) if t is not None else v
                   for t, v in ((subject, "?s"), (predicate, "?p"), (object, "?o")))
        if graph_name is None:
            where, g = f"GRAPH ?g {{ {s} {p} {o} }} {self._graph_filter()}", None
        elif isinstance(graph_name, ox.DefaultGraph):
            raise StoreError(f"store {self.path}: a remote store's default graph is the union "
                             f"of its graphs; name a graph")
        else:
            where, g = f"GRAPH {graph_name} {{ {s} {p} {o} }}", graph_name
        quads = []
        for row in self.query(f"SELECT * WHERE {{ {where} }}"):
            quads.append(ox.Quad(subject or row["s"], predicate or row["p"],
                                 object or row["o"], g or row["g"]))
        return quads

    def _count(self, sparql: str) -> int:
        rows = self.select(sparql)
        return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0

    def version(self) -> object:
        """Every graph's quads counted, the server's own too (module doc): any write changes
        it, and no FILTER makes Virtuoso read them all."""
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")

    def _triples(self) -> int:
        """The quads of the project's graphs (module doc)."""
        return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"{self._graph_filter()} }}")

    def report_ids(self) -> list[str]:
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), \"{REPORT_GRAPH_PREFIX}\")) }}")
        return sorted(unquote(r["g"][len(REPORT_GRAPH_PREFIX):]) for r in rows)

    def has_graph(self, graph: str | None) -> bool:
        return graph is None or self._ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        if self.gsp_url:
            return self._connector.gsp_read(graph)
        return list(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> "
                               f"{{ ?s ?p ?o }} }}"))

    def dump_graph(self, graph: str | None, fmt: ox.RdfFormat) -> bytes:
        if graph is None:
            raise StoreError(f"store {self.path}: a remote store's default graph is the union "
                             f"of its graphs; name a graph")
        return ox.serialize(self._graph_triples(graph), format=fmt,
                            prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)

    def graph(self, report_id: str) -> rdflib.Graph:
        data = self.dump_graph(V.graph_iri(report_id), ox.RdfFormat.N_TRIPLES)
        graph = rdflib.Graph(identifier=rdflib.URIRef(V.graph_iri(report_id)))
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def _snapshot(self) -> OxigraphStore:
        """The project's graphs copied into an in-memory store (for exports and rdflib)."""
        scratch = ox.Store()
        scratch.extend(self.quads_for_pattern())
        return OxigraphStore(scratch, ontology=False)

    def subset(self, graphs: Iterable[str]) -> OxigraphStore:
        """A new in-memory store holding a copy of these named graphs (see Store.subset)."""
        copy = OxigraphStore(ox.Store(), ontology=False)
        for graph in graphs:
            name = ox.NamedNode(graph)
            copy.ox.extend(ox.Quad(t.subject, t.predicate, t.object, name)
                           for t in self._graph_triples(graph))
        return copy

    def dataset(self) -> rdflib.Dataset:
        """A copy of the project's graphs (not a live view, unlike the embedded store's)."""
        return self._snapshot().dataset()

    def export(self, fmt: str, out: IO[bytes]) -> None:
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose one of "
                             f"{', '.join(EXPORT_FORMATS)}")
        self._snapshot().export(fmt, out)

    def stats(self) -> dict[str, int]:
        counts = {name: 0 for name in COUNTED_CLASSES}
        by_iri = {str(V.BKG[cls]): name for name, cls in COUNTED_CLASSES.items()}
        values = " ".join(f"<{iri}>" for iri in by_iri)
        for row in self.select(
                f"SELECT ?class (COUNT(DISTINCT ?node) AS ?n) WHERE {{ VALUES ?class "
                f"{{ {values} }} GRAPH ?g {{ ?node a ?class }} {self._graph_filter()} }} "
                f"GROUP BY ?class"):
            counts[by_iri[row["class"]]] = int(row["n"])
        graphs = self._count(f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g "
                             f"{{ ?s ?p ?o }} {self._graph_filter()} }}")
        return {"reports": len(self.report_ids()), "triples": self._triples(),
                "graphs": graphs, **counts}

    # ------------------------------------------------------------ writing

    def _writable(self) -> None:
        if self._ontology_error is not None:
            raise self._ontology_error

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Sends one SPARQL Update request (see the module doc for what is atomic)."""
        self._writable()
        self._send_update(sparql, base_iri)

    def _send_update(self, sparql: str, base_iri: str | None = None) -> None:
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        self._connector.update(text)

    @staticmethod
    def _insert_blocks(graph: str | None, triples: list[ox.Triple]) -> list[str]:
        """Operations inserting `triples`, each of about BLOCK_TRIPLES at most.

        Virtuoso refuses blank nodes in INSERT DATA, so triples with blank nodes go in
        `INSERT { ... } WHERE {}`, whose template makes one fresh node per label: the triples
        sharing a blank node are kept in the same operation."""
        def wrap(body: str) -> str:
            return f"GRAPH <{graph}> {{\n{body} .\n}}" if graph else f"{body} ."

        def blanks(t: ox.Triple) -> list:
            return [x for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)]

        plain = [t for t in triples if not blanks(t)]
        ops = [f"INSERT DATA {{ {wrap(' .'.join(map(str, plain[i:i + BLOCK_TRIPLES])))} }}"
               for i in range(0, len(plain), BLOCK_TRIPLES)]
        # Blank nodes linked through a triple are one component (union-find).
        parent: dict = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        with_blanks = [t for t in triples if blanks(t)]
        for t in with_blanks:
            b = blanks(t)
            if len(b) == 2:
                parent[find(b[0])] = find(b[1])
        components: dict = {}
        for t in with_blanks:
            components.setdefault(find(blanks(t)[0]), []).append(t)
        block: list[ox.Triple] = []
        for component in components.values():
            if block and len(block) + len(component) > BLOCK_TRIPLES:
                ops.append(f"INSERT {{ {wrap(' .'.join(map(str, block)))} }} WHERE {{}}")
                block = []
            block.extend(component)
        if block:
            ops.append(f"INSERT {{ {wrap(' .'.join(map(str, block)))} }} WHERE {{}}")
        return ops

    def _write_units(self, units: list[tuple[list[str], int, summaries.Summary | None]]) -> None:
        """Sends units (operations, triple count, the summary change they make): whole units
        per request when they fit in REQUEST_TRIPLES, with the summary operations of the
        units in that request; a unit larger than that is split between requests, its summary
        operations in its last one."""
        pending: list[str] = []
        change = summaries.Summary()
        size = 0

        def send(ops: list[str], change: summaries.Summary) -> None:
            self._send_update(" ;\n".join(ops + change.delta_update()))

        for ops, n, unit_change in units:
            if pending and size + n > REQUEST_TRIPLES:
                send(pending, change)
                pending, size, change = [], 0, summaries.Summary()
            if n > REQUEST_TRIPLES:
                per = max(1, REQUEST_TRIPLES // BLOCK_TRIPLES)
                for start in range(0, len(ops), per):
                    last = start + per >= len(ops)
                    send(ops[start:start + per],
                         unit_change if last and unit_change else summaries.Summary())
                continue
            pending.extend(ops)
            if unit_change is not None:
                change.merge(unit_change)
            size += n
        if pending:
            send(pending, change)

    def _replace_unit(self, graph: str, triples: list[ox.Triple],
                      change: summaries.Summary | None = None):
        return [f"DROP SILENT GRAPH <{graph}>", *self._insert_blocks(graph, triples)], \
            len(triples), change

    def _replace_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> None:
        self._write_units([self._replace_unit(graph_iri, list(triples))])

    def _replace_marked_graph(self, graph_iri: str, triples: list[ox.Triple],
                              marker: ox.Triple) -> None:
        """The graph's content replaced, and its marker (the ontology's content hash) written
        only once that content is whole: Virtuoso keeps a request's operations that ran when a
        later one fails (module doc), and a replace cut short there by its memory at 100,000
        reports left the ontology graph half written under the new marker, which kg then took
        for complete. So the content goes to a staging graph first and is counted; then one
        request copies it over the graph (COPY drops the graph, its old marker with it) and
        drops the staging graph; the copy is counted; the marker is written last, in a request
        of its own. A replace that fails before the copy leaves the graph and its marker as
        they were (the staging graph is replaced at the next try); one that fails during the
        copy or after leaves no marker, so the next opening writes the graph again."""
        staging = graph_iri + "-staging"
        content = list(dict.fromkeys(triples))
        self._write_units([self._replace_unit(staging, content)])
        self._expect_triples(staging, len(content))
        self._send_update(f"COPY <{staging}> TO <{graph_iri}> ;\n"
                          f"DROP SILENT GRAPH <{staging}>")
        self._expect_triples(graph_iri, len(content))
        self._send_update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{ {marker} }} }}")

    def _expect_triples(self, graph_iri: str, expected: int) -> None:
        """StoreError unless the graph holds `expected` triples."""
        found = self._graph_size(graph_iri)
        if found != expected:
            raise StoreError(f"store {self.path}: graph <{graph_iri}> holds {found} triples "
                             f"after its replace, not {expected}; its marker is not written")

    def _stored_reports(self, graphs: list[str]) -> set[str]:
        """Which of these report graphs the store holds."""
        found: set[str] = set()
        for start in range(0, len(graphs), 200):
            values = " ".join(f"<{g}>" for g in graphs[start:start + 200])
            found.update(r["g"] for r in self.select(
                f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} "
                f"GRAPH ?g {{ ?s a <{V.BKG.Report}> }} }}"))
        return found

    def _contribution(self, graph: str) -> summaries.Contribution:
        """What the stored report graph adds to the summaries (one query)."""
        predicates = " ".join(str(p) for p in summaries.READ_PREDICATES)
        rows = self.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} "
                          f"GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return summaries.contribution(graph, [ox.Triple(s, p, o) for s, p, o in rows])

    def _change(self, graph: str, new: list[ox.Triple] | None,
                stored: bool) -> summaries.Summary:
        change = summaries.Summary()
        if stored:
            change.add(self._contribution(graph), -1)
        if new is not None:
            change.add(summaries.contribution(graph, new))
        return change

    def replace_reports(self, items: Iterable[tuple[str, rdflib.Graph]]) -> None:
        """Replaces several reports' graphs, and the summaries they change: each report's in
        one request (module doc)."""
        self._writable()
        items = [(V.graph_iri(report_id),
                  [ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph])
                 for report_id, graph in items]
        stored = self._stored_reports([graph for graph, _ in items])
        self._write_units([self._replace_unit(graph, triples,
                                              self._change(graph, triples, graph in stored))
                           for graph, triples in items])

    def _write_summary(self, triples: list[ox.Triple], complete: bool = True) -> None:
        self._writable()
        self._include(summaries.SUMMARY_GRAPH)
        self._replace_graph(summaries.SUMMARY_GRAPH, triples)
        if not complete:
            return
        # After the content, in its own request: a rebuild cut short leaves no marker.
        m = summaries.marker()
        self._send_update(f"INSERT DATA {{ GRAPH {m.graph_name} {{ {m.triple} }} }}")

    def _check_summaries(self) -> None:
        """As OxigraphStore._check_summaries: a store without this kg's summary graph gets
        it built from its report graphs, once."""
        if self.summaries_current():
            return
        if self.report_ids():
            print(f"kg: store {self.path}: building its summaries from its report graphs "
                  f"(written by an older kg; once, as `kg reindex` does)", file=sys.stderr)
            self.rebuilt_on_open = self.reindex()
        else:
            self._write_summary([])

    def remove_report(self, report_id: str) -> bool:
        return self.delete_graph(V.graph_iri(report_id))

    def _report_graph(self, graph: str) -> bool:
        return V.report_of_graph(graph) is not None

    def _named_only(self, graph: str | None) -> str:
        if graph is None:
            raise StoreError(f"store {self.path}: a remote store's default graph is the union "
                             f"of its graphs; write to a named graph")
        return graph

    def put_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Makes `triples` the graph's content: one Graph Store PUT, else as _replace_graph."""
        self._writable()
        graph, triples = self._named_only(graph), list(triples)
        self._include(graph)
        if self._report_graph(graph):  # with its summaries, in one request
            stored = bool(self._stored_reports([graph]))
            self._write_units([self._replace_unit(graph, triples,
                                                  self._change(graph, triples, stored))])
        elif self.gsp_url:
            self._connector.gsp_write("PUT", graph, triples)
        else:
            self._replace_graph(graph, triples)

    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        self._writable()
        graph, triples = self._named_only(graph), list(triples)
        self._include(graph)
        if self._report_graph(graph):  # the merged graph replaces it, with its summaries
            merged = self._graph_triples(graph) + triples if self.has_graph(graph) else triples
            self.put_graph(graph, merged)
        elif self.gsp_url:
            self._connector.gsp_write("POST", graph, triples)
        elif triples:
            self._write_units([(self._insert_blocks(graph, triples), len(triples), None)])

    def delete_graph(self, graph: str | None) -> bool:
        self._writable()
        graph = self._named_only(graph)
        if not self.has_graph(graph):
            return False
        ops = [f"DROP SILENT GRAPH <{graph}>"]
        if self._report_graph(graph):   # with the summaries it changes, in one request
            ops += self._change(graph, None, True).delta_update()
        self._send_update(" ;\n".join(ops))
        return True

    def _include(self, graph: str) -> None:
        # A graph written through kg is part of the project's data from now on.
        if not graph.startswith(V.GRAPH):
            self._included.add(graph)



__all__ = ["SparqlStore", "query_form", "trailing_values_inside", "ENV_UPDATE_URL", "ENV_GSP_URL",
           "ENV_USER", "ENV_PASSWORD", "ENV_TOKEN", "ENV_TIMEOUT"]
