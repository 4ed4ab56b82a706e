"""The Python API: `KnowledgeGraph`, one object over a store that ingests reports and answers
questions with typed rows.

It is a thin layer over the modules the `kg` command uses: `kg.store` holds the data,
`kg.ingest` runs the pipeline for each report, `kg.queries` loads and binds the named queries.
Every query a method runs is a `.rq` file in `queries/`, so what the library answers is what
`kg query NAME` answers. See docs/library.md for a tour.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import keyword
import os
import re
import time
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Iterable, Optional, Sequence, Union

import pyoxigraph as ox

from kg import queries as Q
from kg import vocabulary as V
from kg.ingest import IngestError, IngestSummary, ingest
from kg.network import overlaps
from kg.queries import QueryError
from kg.store import Store, StoreError, StoreLocked

if TYPE_CHECKING:  # only for annotations: these import networkx and friends
    import networkx
    import rdflib

    from kg.reports import Report

__all__ = ["KnowledgeGraph", "Row", "Value", "QueryError", "StoreError", "StoreLocked",
           "IngestError", "IngestSummary"]

#: What a cell of a typed row holds.
Value = Union[str, int, datetime.date, None]
#: A typed row: a frozen dataclass whose fields are the query's columns.
Row = Any

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = frozenset(_XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))
_XSD_DATE = _XSD + "date"
_XSD_STRING = _XSD + "string"
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_ISO3 = re.compile(r"[A-Za-z]{3}")
_REPORT_ID = re.compile(r"[A-Za-z0-9._-]+")

# One dataclass per query name (or per column list for ad hoc SPARQL), made once.
_ROW_CLASSES: dict[tuple[str, tuple[str, ...]], type] = {}


def _class_name(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words) + "Row" if words else "Row"


def _field_name(column: str) -> str:
    # A column like ?class or ?from is a valid SPARQL variable but a Python keyword.
    return column + "_" if keyword.iskeyword(column) else column


def row_class(name: str, columns: Sequence[str]) -> type:
    """The (cached) frozen dataclass for the rows of query `name` with these columns."""
    key = (name, tuple(columns))
    cls = _ROW_CLASSES.get(key)
    if cls is None:
        cls = dataclasses.make_dataclass(
            _class_name(name), [(_field_name(c), Optional[Union[str, int, datetime.date]])
                                for c in columns],
            frozen=True)
        cls.__module__ = __name__  # make_dataclass's module= needs Python 3.12
        cls.__doc__ = f"A row of query {name!r}: {', '.join(columns)}."
        _ROW_CLASSES[key] = cls
    return cls


def _value(term: Any) -> Value:
    """A result term as a Python value: an IRI's string, an integer literal as int, a complete
    date (typed xsd:date, or a plain string YYYY-MM-DD as the queries' STR(?date) give) as
    datetime.date, anything else as its lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        text = term.value
        datatype = term.datatype.value if term.datatype is not None else _XSD_STRING
        if datatype in _INTEGER_TYPES:
            try:
                return int(text)
            except ValueError:
                return text
        if datatype in (_XSD_DATE, _XSD_STRING) and _FULL_DATE.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:  # "2024-02-30" stays what the report said
                return text
        return text
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _rows(results: Any, name: str) -> list[Row]:
    columns = [v.value for v in results.variables]
    cls = row_class(name, columns)
    return [cls(*(_value(solution[c]) for c in columns)) for solution in results]


def _iso3(value: str, what: str) -> str:
    if not isinstance(value, str) or not _ISO3.fullmatch(value):
        raise ValueError(f"{what}: expected an ISO 3166-1 alpha-3 code such as 'AZE', "
                         f"got {value!r}")
    return value.upper()


def _pair(between: Sequence[str], method: str) -> tuple[str, str]:
    if isinstance(between, str) or len(between) != 2:
        raise ValueError(f"{method}(between=...): expected a pair of ISO3 codes such as "
                         f"('ARM', 'AZE'), got {between!r}")
    return _iso3(between[0], f"{method}(between=...)"), _iso3(between[1], f"{method}(between=...)")


def _bound(value: datetime.date | str | None, what: str) -> str | None:
    """since/until as an ISO date string (YYYY, YYYY-MM or YYYY-MM-DD) for prefix comparison."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError(f"events({what}=...): expected a datetime.date or 'YYYY[-MM[-DD]]', "
                     f"got {value!r}")


def _within(date: Value, since: str | None, until: str | None) -> bool:
    """Whether a date of any precision may fall within [since, until]: both sides are compared
    at the coarser precision, so '2024-05' is within since='2024-05-10'. An undated event
    cannot be placed in a period."""
    if date is None:
        return since is None and until is None
    text = date.isoformat() if isinstance(date, datetime.date) else str(date)
    return overlaps(text, text, since, until)


def _published(value: datetime.date | str | None) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value.date() if isinstance(value, datetime.datetime) else value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"published: expected a datetime.date or 'YYYY-MM-DD', "
                         f"got {value!r}") from None


class KnowledgeGraph:
    """A knowledge graph of bilateral relations held in an Oxigraph store.

    Open one with `KnowledgeGraph.open(path)` (on disk, the default store without a path) or
    `KnowledgeGraph.memory()`; use it in a `with` block, or call `close()`, to release the
    store. Query methods return lists of frozen dataclasses whose fields are the query's
    columns: IRIs and text as `str`, counts and offsets as `int`, complete dates as
    `datetime.date` (a `YYYY-MM` or `YYYY` date stays a string), unbound cells as `None`.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, store: str | Path | Store | None = None, *,
             read_only: bool = False) -> "KnowledgeGraph":
        """The store at `store` (a folder, made if missing), or `$KG_STORE`, else ./kg-data;
        an already open `Store` is used as it is. Raises StoreError if it cannot be opened;
        StoreLocked (a StoreError) if another process holds it, naming the process.

        `read_only=True` opens an existing folder for reading only, even while another
        process holds it (a running `kg serve`, a `kg ingest`): a snapshot holding every write
        made before it was opened, none made after (open it again to see them); writes raise
        StoreError."""
        if isinstance(store, Store):
            if read_only and not store.read_only:
                raise ValueError("KnowledgeGraph.open(store, read_only=True): the store is "
                                 "already open for writing; give its folder instead")
            return cls(store)
        if read_only:
            from kg.store import OxigraphStore, is_remote_location

            location = store if store is not None else os.environ.get("KG_STORE") or None
            if is_remote_location(location):
                raise ValueError(f"KnowledgeGraph.open({str(location)!r}, read_only=True): "
                                 f"read_only is for a store folder; a SPARQL endpoint's "
                                 f"writes are allowed or not by its credentials")
            return cls(OxigraphStore.open_read_only(location))
        return cls(Store.open(store))

    @classmethod
    def memory(cls) -> "KnowledgeGraph":
        """A new, empty store in memory; gone when closed."""
        return cls(Store.memory())

    def close(self) -> None:
        """Writes the store to disk (unless read-only) and releases it; the object cannot be
        used afterwards."""
        self.store.close()

    @property
    def closed(self) -> bool:
        return self.store.closed

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        where = "closed" if self.closed else (str(self.store.path) if self.store.path
                                              else "memory")
        return f"KnowledgeGraph({where}{', read-only' if self.store.read_only else ''})"

    # ------------------------------------------------------------ writing

    def ingest(self, *paths: str | Path, force: bool = False) -> IngestSummary:
        """Reads report files or folders (recursively) into the store, as `kg ingest` does.

        Reports that cannot be read or are refused do not stop the others: they are listed
        in the summary's `failed`, with the reason. An unchanged report is skipped unless
        `force`.
        """
        if not paths:
            raise ValueError("ingest(): give at least one report file or folder")
        self._writable()
        return ingest([Path(p) for p in paths], self.store, progress=False, force=force)

    def ingest_text(self, text: str, id: str, published: datetime.date | str | None = None,
                    source: str | None = None, *, title: str | None = None,
                    url: str | None = None, force: bool = False) -> IngestSummary:
        """Stores one report given as text (the body, without front matter), as if read from
        a file with that id and metadata. Raises ValueError for an unusable id, date or
        text, and IngestError if the report's facts do not pass validation."""
        from kg.ingest import store_report

        self._writable()
        start = time.perf_counter()
        report = self._report_from_text(text, id, published, source, title, url)
        # The same per-report stages as `kg ingest` (extract, resolve, map, validate, store).
        summary = store_report(report, self.store, force)
        summary.seconds = time.perf_counter() - start
        return summary

    @staticmethod
    def _report_from_text(text: str, id: str, published: datetime.date | str | None,
                          source: str | None, title: str | None, url: str | None) -> "Report":
        from kg.reports import Report, apply_dateline, max_report_bytes, metadata_problem

        if not isinstance(id, str) or not _REPORT_ID.fullmatch(id) or set(id) == {"."}:
            raise ValueError(f"ingest_text: report id {id!r} must be letters, digits, '.', "
                             f"'_' or '-'")
        if not isinstance(text, str):
            raise ValueError(f"ingest_text({id!r}): text must be a str, not "
                             f"{type(text).__name__}")
        # The same normalisation as a file's body, so offsets match reading it from a file.
        body = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not body:
            raise ValueError(f"ingest_text({id!r}): the text is empty")
        size = len(body.encode("utf-8"))
        if size > max_report_bytes():
            raise ValueError(f"ingest_text({id!r}): {size:,} bytes of text, over the limit of "
                             f"{max_report_bytes():,} bytes (KG_MAX_REPORT_BYTES)")
        problem = metadata_problem({"title": title, "source": source, "url": url,
                                    "published": published})
        if problem:
            raise ValueError(f"ingest_text({id!r}): {problem}")
        date = _published(published)
        warnings: list[str] = []
        report = Report(id=id, text=body, published=date, title=title, source=source, url=url,
                        path=f"<text {id}>",
                        # As for a file: the hash of the raw bytes given, so that ingesting
                        # the same text again is skipped as unchanged.
                        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        warnings=warnings)
        apply_dateline(report)
        return report

    def remove_report(self, id: str) -> bool:
        """Removes one report's graph; False if no report has that id."""
        self._writable()
        return self.store.remove_report(id)

    def _writable(self) -> None:
        # Before any work: otherwise the store's refusal would only come at the write, after
        # the extraction, as one failed report of a summary.
        self.store.check_writable()

    # ------------------------------------------------------------ querying

    def queries(self) -> list[str]:
        """The names of the named queries (queries/*.rq)."""
        return Q.available()

    def query(self, name: str, *, limit: int | None = None, offset: int | None = None,
              **params: str | Iterable[str] | None) -> list[Row]:
        """Runs the named query `queries/NAME.rq` with its declared params bound (a list of
        values gives alternatives); one typed row per result. `limit` and `offset` give one
        page of the rows, in the query's order (as `kg query --limit N --offset K`); a value
        that is not a whole number of at least 0 raises QueryError."""
        query = Q.load(name)
        values: dict[str, list[str]] = {}
        for key, value in params.items():
            if value is None:
                continue  # an omitted optional param
            items = [value] if isinstance(value, (str, int)) else list(value)
            for item in items:
                if not isinstance(item, (str, int)):
                    raise QueryError(f"query {name}: param {key} must be a string (or a list "
                                     f"of strings), got {type(item).__name__}")
            values[key] = [str(v) for v in items]
        results = Q.run(self.store, query, values, limit=limit, offset=offset)
        return _rows(results, name)

    def sparql(self, text: str) -> "list[Row] | bool | rdflib.Graph":
        """Any SPARQL query: SELECT gives typed rows, ASK a bool, CONSTRUCT and DESCRIBE an
        rdflib Graph. The default graph is the union of all graphs."""
        try:
            results = self.store.query(text)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from e
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        if isinstance(results, ox.QueryTriples):
            import rdflib

            data = ox.serialize(results, format=ox.RdfFormat.N_TRIPLES)
            return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")
        return _rows(results, "sparql")

    # ------------------------------------------------------------ domain methods

    def report(self, id: str) -> Row | None:
        """One stored report's metadata, text, content hash and counts; None if not stored."""
        rows = self.query("report", report=id)
        return rows[0] if rows else None

    def reports(self) -> list[Row]:
        """Every stored report with its metadata and counts."""
        return self.query("reports")

    def states(self) -> list[Row]:
        """Each state named in the reports, once: iso3, name, how many reports name it, how
        many partners it has relations with, first and last report dates."""
        return self.query("states-summary")

    def officials(self, state: str | None = None, role: str | None = None) -> list[Row]:
        """Office holders, one row per post and report: the state served and (for envoys)
        the host state, the role code and the position as written."""
        return self.query("officials", state=state and _iso3(state, "officials(state=...)"),
                          role=role)

    def agreements(self, state: str | None = None, between: Sequence[str] | None = None,
                   status: str | None = None) -> list[Row]:
        """Agreements, one row per agreement and report with all parties in one cell
        (`parties`, space-separated): those binding `state`, or both states of `between`,
        with the given status code."""
        if state is not None and between is not None:
            raise ValueError("agreements(): give state or between, not both")
        a, b = _pair(between, "agreements") if between is not None else (state, None)
        return self.query("agreements-by-state", state=a and _iso3(a, "agreements(state=...)"),
                          other=b, status=status)

    def events(self, state: str | None = None, between: Sequence[str] | None = None,
               kind: str | None = None, since: datetime.date | str | None = None,
               until: datetime.date | str | None = None) -> list[Row]:
        """Events, oldest first and undated last, one row per event and report with all
        participants in one cell: those `state` (or both states of `between`) take part in,
        of an event kind, dated within [since, until] (a date is compared at its own
        precision; undated events are left out when a bound is given)."""
        if state is not None and between is not None:
            raise ValueError("events(): give state or between, not both")
        a, b = _pair(between, "events") if between is not None else (state, None)
        lo, hi = _bound(since, "since"), _bound(until, "until")
        rows = self.query("events-by-state", state=a and _iso3(a, "events(state=...)"),
                          other=b, kind=kind)
        # VALUES cannot express a range, so the period is applied to the typed rows.
        return [r for r in rows if _within(r.date, lo, hi)]

    def relations(self, state: str | None = None) -> list[Row]:
        """One row per pair of states (state_a before state_b): reports showing the pair
        cooperative and conflictual, and the first and last of those reports' dates."""
        return self.query("relations-summary",
                          state=state and _iso3(state, "relations(state=...)"))

    def evidence(self, node: str) -> list[Row]:
        """The report sentences behind a node (an IRI, or a state's ISO3 code): report,
        start and end offsets in the report's text, the sentence, and the fact it supports."""
        if isinstance(node, str) and _ISO3.fullmatch(node):
            node = V.state_iri(node)
        if not isinstance(node, str) or not re.match(r"https?://", node):
            raise ValueError(f"evidence(): expected a node IRI or an ISO3 code, got {node!r}")
        return self.query("evidence", node=node)

    # ------------------------------------------------------------ networks and exports

    def to_networkx(self, view: str = "states") -> "networkx.Graph":
        """The graph as networkx (see docs/network.md for the views)."""
        from kg.network import build

        return build(self.store, view)

    def central_states(self, k: int = 10) -> list[Any]:
        """The `k` most central states of the states view, by PageRank (kg.analytics)."""
        from kg import analytics

        return analytics.central_states(self.to_networkx("states"), k=k)

    def communities(self) -> list[Any]:
        """Groups of states that deal mostly with each other, largest first (kg.analytics)."""
        from kg import analytics

        return analytics.communities(self.to_networkx("states"))

    def ego(self, node: str, radius: int = 1, view: str = "full") -> "networkx.Graph":
        """The nodes within `radius` links of `node` (an IRI, ISO3 code or label) in a view,
        as a networkx subgraph (kg.analytics)."""
        from kg import analytics

        return analytics.ego(self.to_networkx(view), node, radius=radius)

    def chain(self, a: str, b: str) -> Any:
        """The shortest chain of facts linking two nodes, with the sentences stating each
        link, or None if they are not connected (kg.analytics)."""
        from kg import analytics

        return analytics.chain(self.store, a, b)

    def pair_timeline(self, a: str, b: str) -> list[Any]:
        """Two states' relations per month: reports showing them cooperative and conflictual
        (kg.analytics)."""
        from kg import analytics

        return analytics.pair_timeline(self.store, a, b)

    def export(self, path_or_file: str | Path | IO[bytes], format: str,
               view: str = "full") -> None:
        """Writes the graph to a path or a binary file: RDF (turtle, trig, nquads, jsonld) or a
        network view (graphml, gexf, cytoscape) (kg.exports)."""
        from kg import exports

        exports.export(self.store, format, path_or_file, view=view)
