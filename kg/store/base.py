"""The store interface: what every store of the knowledge graph does, and what it can do.

`Store` is the abstract base every implementation derives from (kg/store/embedded.py: Oxigraph
in a folder or in memory; kg/store/sparql.py: a SPARQL 1.1 endpoint). Callers take a `Store`
and ask its capability flags (`embedded`, `needs_network`, `transactional`,
`subprocess_readers`) what it can do, never which class it is.

Implementations register the URL schemes they open with `register`; `open_store(location)`
(also `Store.open`) picks one by the location's scheme, a plain path being a folder. This
module imports no implementation: kg/store/__init__.py imports them, which registers them.
"""
from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, TypeVar

import pyoxigraph as ox
import rdflib

from kg import summaries
from kg import vocabulary as V
from kg.resources import data_folder

ONTOLOGY_DIR = data_folder("ontology")
ONTOLOGY_FILES = ("bilateral.ttl", "codes.ttl")
REPORT_GRAPH_PREFIX = V.GRAPH + "report/"

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}

PREFIXES = {
    "bkg": str(V.BKG), "id": V.ID, "oa": str(V.OA), "schema": str(V.SCHEMA),
    "dct": str(V.DCTERMS), "foaf": str(V.FOAF), "org": str(V.ORG), "prov": str(V.PROV),
    "rdf": str(V.RDF), "rdfs": str(V.RDFS), "skos": str(V.SKOS), "xsd": str(V.XSD),
}

# The classes `stats()` counts, by the name it reports them under.
COUNTED_CLASSES = {
    "states": "State", "persons": "Person", "posts": "Post", "agreements": "Agreement",
    "events": "Event", "relations": "BilateralRelation", "evidence": "Evidence",
}


class StoreError(Exception):
    """A store that cannot be opened or used; the message says which and what to do."""


class PageTooDeep(StoreError):
    """A SPARQL server refused to sort as many rows as a page's LIMIT and OFFSET reach
    (Virtuoso's SR353: MaxSortedTopRows, 10,000 unless its ini raises it); the message names
    the setting to raise."""

    page_too_deep = True   # how kg.queries, which does not import kg.store, knows it


# ------------------------------------------------------------------ RDF terms
# The one converter between the terms the stores take and give and plain Python values:
# rdflib to pyoxigraph (`ox_term`, for writing rdflib graphs), result terms and rows to
# plain values (`plain`, `plain_rows`, for reading).

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def ox_term(node: rdflib.term.Node):
    """An rdflib term as the pyoxigraph term that stands for the same RDF term."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


class TermTexts:
    """rdflib triples as the N-Triples lines of their pyoxigraph terms, each distinct term
    converted (and so checked, an IRI as pyoxigraph checks it) once: a report's graph names
    the same properties, classes, nodes and blank nodes over and over (about 1,500 terms, 260
    distinct), and converting each one cost 2 ms of a report's write."""

    def __init__(self) -> None:
        self._terms: dict = {}   # rdflib term -> (pyoxigraph term, its N-Triples text)

    def rows(self, triples: Iterable, keep: Callable[[str, str], bool] | None = None
             ) -> tuple[list[str], list[ox.Triple]]:
        """(each triple's N-Triples line, without the final " ."; the pyoxigraph Triples of
        those for which `keep(predicate text, object text)` is true)."""
        terms = self._terms
        lines, kept = [], []
        # A report's graph from kg.mapping hands its triples over without rdflib's generators.
        every = getattr(getattr(triples, "store", None), "every_triple", None)
        for triple in (every() if every is not None else triples):
            converted = []
            for node in triple:
                try:
                    converted.append(terms[node])
                except KeyError:
                    term = ox_term(node)
                    converted.append(terms.setdefault(node, (term, str(term))))
            (s, s_text), (p, p_text), (o, o_text) = converted
            lines.append(f"{s_text} {p_text} {o_text}")
            if keep is not None and keep(p_text, o_text):
                kept.append(ox.Triple(s, p, o))
        return lines, kept


def plain(term, *, integers: bool = False) -> str | int | None:
    """A SPARQL result term as a plain value: an IRI's string, a literal's lexical form; an
    xsd:integer literal as an int when `integers` is true; None for None (unbound)."""
    if term is None:
        return None
    if integers and isinstance(term, ox.Literal) and term.datatype is not None \
            and term.datatype.value == XSD_INTEGER:
        return int(term.value)
    return term.value if hasattr(term, "value") else str(term)


def plain_rows(results, *, integers: bool = False) -> list[dict]:
    """A SELECT's results (pyoxigraph's QuerySolutions) as dicts of plain values, by
    variable name."""
    return list(iter_plain_rows(results, integers=integers))


def iter_plain_rows(results, *, integers: bool = False) -> Iterator[dict]:
    """plain_rows one row at a time, for results too many to hold as dicts at once."""
    names = [v.value for v in results.variables]
    for solution in results:
        # positional access: several times faster than by name on 100,000s of rows
        yield {name: plain(term, integers=integers) for name, term in zip(names, solution)}


def _ontology_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# ------------------------------------------------------------------ implementations by scheme

_IMPLEMENTATIONS: dict[str, type["Store"]] = {}  # URL scheme ("" for a folder) -> class
S = TypeVar("S", bound=type["Store"])


def register(*schemes: str) -> Callable[[S], S]:
    """Class decorator: the implementation opens locations with these URL schemes ("" for
    a folder path, the default)."""
    def decorate(cls: S) -> S:
        for scheme in schemes:
            _IMPLEMENTATIONS[scheme.lower()] = cls
        return cls
    return decorate


# URL scheme -> a function that imports (and so registers) its implementation when first
# asked for: kg.store registers the SPARQL store so, whose HTTP client (requests) would be
# 0.04 s of every `kg query` on a folder.
_LOADERS: dict[str, Callable[[], object]] = {}


def register_lazily(loader: Callable[[], object], *schemes: str) -> None:
    """`loader()` registers the implementation of these URL schemes; it is called when a
    location of one is first opened."""
    for scheme in schemes:
        _LOADERS[scheme.lower()] = loader


def implementation_for(location: str | Path | None) -> type["Store"]:
    """The class that opens `location`: the one registered for its URL scheme
    (`sparql+http://...`), else the folder implementation."""
    if isinstance(location, str) and "://" in location:
        scheme = location.split("://", 1)[0].lower()
        if scheme not in _IMPLEMENTATIONS and scheme in _LOADERS:
            _LOADERS[scheme]()
        if scheme in _IMPLEMENTATIONS:
            return _IMPLEMENTATIONS[scheme]
    try:
        return _IMPLEMENTATIONS[""]
    except KeyError:
        raise StoreError("no store implementation is registered for folders (import kg.store, "
                         "not only kg.store.base)") from None


def open_store(location: str | Path | None = None) -> "Store":
    """The store at `location` (a folder, made if missing, or `sparql+http(s)://...`), else
    at `$KG_STORE`, else the folder ./kg-data."""
    location = location if location is not None else os.environ.get("KG_STORE")
    return implementation_for(location).from_location(location)


# ------------------------------------------------------------------ the interface


class Store(ABC):
    """A store of the project's graphs: one named graph per report, plus the ontology graph.

    Open one with `Store.open(location)` (the same as `open_store`) or `Store.memory()`.
    Graphs are named by IRI strings; `None` names the store's default graph. Query results
    are pyoxigraph's result objects, whatever the implementation.
    """

    # ---------------------------------------------------------------- capabilities
    #: The data lives in this process, in a pyoxigraph database reachable as `.ox`.
    embedded: bool = False
    #: Reading or writing makes network requests, so it cannot run where the network is
    #: denied (the server's sandboxed query and writer threads).
    needs_network: bool = False
    #: Each `update` and `replace_reports` call applies entirely or not at all.
    transactional: bool = False
    #: Opened for reading only (OxigraphStore.open_read_only): every write raises StoreError.
    read_only: bool = False

    #: Where the data is: a folder, a URL, or None in memory; what messages show.
    path: Path | str | None = None
    #: The report graphs read to build the summaries when the store was opened without them
    #: (written by an older kg); None if it had them.
    rebuilt_on_open: int | None = None

    @property
    def subprocess_readers(self) -> bool:
        """Other processes can open `path` read-only and query it while this object writes
        (the SPARQL endpoint's worker processes, which can be killed mid-query)."""
        return False

    # ---------------------------------------------------------------- opening and closing

    @classmethod
    def open(cls, location: str | Path | None = None) -> "Store":
        """The store at `location`, by its URL scheme, whichever class this is called on."""
        return open_store(location)

    @classmethod
    def memory(cls) -> "Store":
        """A new, empty store in memory (the folder implementation's), with the ontology."""
        return implementation_for(None).memory()

    @classmethod
    @abstractmethod
    def from_location(cls, location: str | Path | None) -> "Store":
        """Opens a location of a scheme this class registered (`open_store` calls it)."""

    @abstractmethod
    def close(self) -> None:
        """Writes what is pending and releases the store; using it afterwards is an error."""

    @property
    @abstractmethod
    def closed(self) -> bool:
        """Whether `close()` was called."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph database, for what only an embedded store can do (`embedded`)."""
        raise StoreError(f"store {self.path}: a remote store has no local Oxigraph database; "
                         f"this needs a store folder (--store DIR)")

    def flush(self) -> None:
        """Writes what the store still holds in memory to disk, if it can."""

    # ---------------------------------------------------------------- the ontology graph

    def _load_ontology(self) -> None:
        """(Re)load ontology/*.ttl into the ontology graph when they differ from what it holds."""
        paths = [ONTOLOGY_DIR / name for name in ONTOLOGY_FILES]
        paths = [p for p in paths if p.is_file()]
        if not paths:
            return  # not written yet: queries just find no labels
        digest = _ontology_hash(paths)
        graph = ox.NamedNode(V.ONTOLOGY_GRAPH)
        marker = ox.Triple(graph, ox.NamedNode(str(V.BKG.contentHash)), ox.Literal(digest))
        marked = self._contains(ox.Quad(marker.subject, marker.predicate, marker.object, graph))
        if marked and not self.counts_marked_graphs:
            return
        triples: list[ox.Triple] = []
        for path in paths:
            try:
                triples.extend(q.triple for q in ox.parse(path=str(path),
                                                          format=ox.RdfFormat.TURTLE))
            except (SyntaxError, OSError) as e:
                raise StoreError(f"{path}: cannot be loaded into the store ({e})") from e
        if marked and self._graph_size(V.ONTOLOGY_GRAPH) == len(set(triples)) + 1:
            return
        self._replace_marked_graph(V.ONTOLOGY_GRAPH, triples, marker)

    #: Whether a graph marked as whole (the ontology's content hash) is counted as well when
    #: the store opens, and written again if it holds another number of triples: on a SPARQL
    #: server, whose writes are not one transaction (SparqlStore).
    counts_marked_graphs: bool = False

    def _graph_size(self, graph_iri: str) -> int:
        """How many triples the named graph holds."""
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> "
                          f"{{ ?s ?p ?o }} }}")
        return next((int(row[0].value) for row in rows), 0)

    def _replace_marked_graph(self, graph_iri: str, triples: list[ox.Triple],
                              marker: ox.Triple) -> None:
        """Makes `triples` and `marker` (the triple saying which content the graph holds) the
        named graph's whole content, the marker never written without the whole content. Here
        one `_replace_graph`, for a store that writes it in one transaction; SparqlStore
        (not one transaction on Virtuoso) writes the marker last, in a request of its own."""
        self._replace_graph(graph_iri, [marker, *triples])

    @abstractmethod
    def _contains(self, quad: ox.Quad) -> bool:
        """Whether the store holds this quad."""

    @abstractmethod
    def _replace_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> None:
        """Makes `triples` the named graph's whole content."""

    # ---------------------------------------------------------------- writing

    def check_writable(self) -> None:
        """StoreError, saying how to write, if this store refuses writes (`read_only`)."""

    @abstractmethod
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Runs a SPARQL UPDATE (atomically when `transactional`)."""

    def user_update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL Update written by a user (the endpoint's clients), which may change report
        graphs behind the summaries' back. Here: run as it is; OxigraphStore brings the
        summaries up to date after it."""
        self.update(sparql, base_iri)

    def replace_report(self, report_id: str, graph: rdflib.Graph) -> None:
        """Makes `graph` the whole content of the report's named graph, atomically."""
        self.replace_reports([(report_id, graph)])

    @abstractmethod
    def replace_reports(self, items: Iterable[tuple[str, rdflib.Graph]]) -> None:
        """Replaces several reports' graphs (report id, rdflib graph): in one transaction
        when `transactional`."""

    @abstractmethod
    def remove_report(self, report_id: str) -> bool:
        """Removes a report's graph; False if the store did not hold it."""

    # ---------------------------------------------------------------- the summary graph
    # kg/summaries.py: counts kept at write time by replace_reports, remove_report and the
    # Graph Store writes to a report graph, in the same transaction (or request) as the write.
    # A SPARQL Update sent to `update` is run as it is: one that changes report graphs keeps
    # the summaries itself (as SparqlStore does through a `kg serve`), or `kg reindex` follows.

    def summaries_current(self) -> bool:
        """Whether the store holds a summary graph of this kg's version (kg/summaries.py)."""
        return self._contains(summaries.marker())

    def _relevant_graphs(self, only=summaries.READ_PREDICATES
                         ) -> Iterator[tuple[str, list[ox.Triple]]]:
        """(report graph IRI, its triples that the summaries read (summaries.READ_PREDICATES),
        or of these predicates (`only`)), for every report graph that has some."""
        by_graph: dict[str, list[ox.Triple]] = {}
        for graph, triple in self._relevant_quads(only):
            by_graph.setdefault(graph, []).append(triple)
        return iter(by_graph.items())

    def _relevant_quads(self, only=summaries.READ_PREDICATES) -> Iterator[tuple[str, ox.Triple]]:
        """(report graph IRI, triple) for every triple of a report graph that the summaries
        read (summaries.READ_PREDICATES), or of these predicates (`only`)."""
        predicates = " ".join(str(p) for p in only)
        types = " ".join(str(t) for t in summaries.READ_TYPES)
        results = self.query(
            f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER(STRSTARTS(STR(?g), \"{REPORT_GRAPH_PREFIX}\")) "
            f"FILTER(?p != <{summaries.RDF_TYPE.value}> || ?o IN ({', '.join(types.split())})) }}")
        for g, s, p, o in results:
            yield g.value, ox.Triple(s, p, o)

    def rebuilt_summary(self, only=summaries.READ_PREDICATES) -> tuple["summaries.Summary", int]:
        """The summary graph as the sum of the report graphs' contributions, and how many
        report graphs were read; `only` some predicates: the part of it they make."""
        total, graphs = summaries.Summary(), 0
        for graph, triples in self._relevant_graphs(only):
            total.add(summaries.contribution(graph, triples))
            graphs += 1
        return total, graphs

    def reindex(self) -> int:
        """Rebuilds the summary graph from the report graphs (`kg reindex`); the number of
        report graphs read. Here the whole summary is summed, then written (a remote store's);
        OxigraphStore's does it a batch of report graphs at a time."""
        self.check_writable()
        total, graphs = self.rebuilt_summary()
        self._write_summary(total.triples())
        return graphs

    @abstractmethod
    def _write_summary(self, triples: list[ox.Triple], complete: bool = True) -> None:
        """Makes `triples` and, if `complete`, the marker (summaries.marker) the summary
        graph's content; the marker is written with the triples or after them, so a write cut
        short leaves a store that is seen to need a rebuild."""

    # ---------------------------------------------------------------- any graph (Graph Store)

    @abstractmethod
    def has_graph(self, graph: str | None) -> bool:
        """Whether the graph exists (the default graph always does)."""

    @abstractmethod
    def dump_graph(self, graph: str | None, fmt: ox.RdfFormat) -> bytes:
        """The graph serialised in `fmt`."""

    @abstractmethod
    def put_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Makes `triples` the graph's whole content."""

    @abstractmethod
    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Adds `triples` to the graph (made if missing)."""

    @abstractmethod
    def delete_graph(self, graph: str | None) -> bool:
        """Empties the default graph or removes a named one; False if there was no such graph."""

    # ---------------------------------------------------------------- reading

    @abstractmethod
    def report_ids(self) -> list[str]:
        """The ids of the stored reports, sorted."""

    def report_hash(self, report_id: str) -> str | None:
        """The content hash stored with a report, None if it is not stored."""
        return self.report_marks(report_id)[0]

    def report_marks(self, report_id: str) -> tuple[str | None, str | None]:
        """The content hash and the extractor (bkg:extractedWith) stored with a report: (None,
        None) if it is not stored; an extractor of None if stored before kg recorded it."""
        rows = self.select(
            f"SELECT ?hash ?extractor WHERE {{ GRAPH <{V.graph_iri(report_id)}> "
            f"{{ ?report <{V.BKG.contentHash}> ?hash "
            f"OPTIONAL {{ ?report <{V.BKG.extractedWith}> ?extractor }} }} }} LIMIT 1")
        if not rows:
            return None, None
        return rows[0]["hash"], rows[0].get("extractor")

    @abstractmethod
    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        """pyoxigraph Quads matching the pattern (None matches anything)."""

    @abstractmethod
    def version(self) -> object:
        """A value that changes with any write adding, removing or replacing triples."""

    @abstractmethod
    def subset(self, graphs: Iterable[str]) -> "Store":
        """A new in-memory store holding a copy of these named graphs (IRIs), without the
        ontology."""

    @abstractmethod
    def query(self, sparql: str, **options):
        """pyoxigraph results of a SPARQL query; pyoxigraph's `Store.query` options."""

    def select(self, sparql: str) -> list[dict[str, str | None]]:
        """A SELECT's rows as dicts of plain strings (an IRI's string, a literal's form)."""
        return plain_rows(self.query(sparql))

    @abstractmethod
    def graph(self, report_id: str) -> rdflib.Graph:
        """A copy of one report's graph, as an in-memory rdflib Graph."""

    @abstractmethod
    def dataset(self) -> rdflib.Dataset:
        """The data as an rdflib Dataset."""

    @abstractmethod
    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Writes the store in one of EXPORT_FORMATS: turtle merges all graphs; trig, nquads
        and jsonld keep them."""

    @abstractmethod
    def stats(self) -> dict[str, int]:
        """Counts of reports, triples, graphs and the COUNTED_CLASSES."""
