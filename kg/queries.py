"""Named queries: `queries/NAME.rq`, their parameters, and the formats results are written in.

A .rq file may start with header comments:

    # title: Officials
    # description: Office holders, with the post each report says they hold.
    # param state (iso3): ISO3 code of the state served
    # param report (required): the report's id

A param marked `(iso3)` (or `(required, iso3)`) takes an ISO 3166-1 alpha-3 code in any case,
bound in upper case, as the graph stores it; a value that is no such code is an error naming
the param, not a query that silently finds nothing.

`--param KEY=VALUE` binds a declared parameter by appending a `VALUES` clause to the query,
which joins with the query's pattern; so the query must use `?KEY` in its WHERE clause. A
`FILTER(BOUND(?KEY))` closing the WHERE group goes with it: a row whose `?KEY` an OPTIONAL
left unbound would otherwise join with any value and come back stamped with the param.

`--limit N --offset K` (`run(..., limit=, offset=)`) returns one page of the rows: the query's
own LIMIT and OFFSET, if it has any, are composed with the page's (the page is taken from the
rows the query would return), and the result is set before the trailing VALUES clause of the
params. Every listing query has an ORDER BY whose keys make the order total, so pages taken
one after the other give each row once.

A comment line `# bind: KEY ...` inside a group puts those params' `VALUES` there instead,
for a param whose variable that group binds and passes on to the results unchanged (an
OPTIONAL group too: the closing FILTER(BOUND) drops the rows it leaves unbound). Oxigraph
plans a group knowing what an inner VALUES binds, and pushes a trailing one neither into
subqueries nor ahead of other patterns: at 10,000 reports, tens of milliseconds against
seconds. tests/test_query_binding.py checks that both placements give the same rows.

A header line `# paged by: report` says that the query's rows come from report graphs
(`GRAPH ?g`, with `dct:identifier ?report`) and that its ORDER BY starts with `STR(?report)`. On the
embedded store, a page of such a listing is then read from the report graphs in id order, a
few at a time (`plan`): Oxigraph sorts every row of a query before giving its first, so the
first page of a whole-store listing would cost the whole listing (20 s and more at 100,000
reports). Each step runs the query on a dataset of a few report graphs (pyoxigraph's
`named_graphs`; the ontology graph as the default graph), counting rows
until the page is covered; the page is then the query's own page over the covering graphs.
Rows sorted by report first, then by the query's other keys, are the same rows in the same
order. tests/test_paging.py compares every page with the unpaged query.

A listing paged by report bound to a state starts from the state's code over the whole
store, but where a `# graphs by: PARAM NAME` line names that param (an ISO3 code), the internal
query NAME, bound to the param's values, gives the report graphs holding such rows (`?g`, from
the code: a few hundred lookups), and on the embedded store the walk reads those graphs in id
order instead of every report's (`_graphs_by`): `officials` bound to a hub state took 17-93 s
at 100,000 reports, Oxigraph reading every post of the store before testing its state.

`# paged by: published` says the same of a query ordered by the report's publication date
(`?published`, empty first) and then `?report`: its steps are whole publication dates, read
from the report digests of the summary graph (queries/network/published-*.rq).

`# paged by: keys NAME` is for a listing bound to a node or a state whose rows are many
(a hub state's 11,000 sentences of evidence, sorted whole before the first: 2.3-2.9 s at
100,000 reports) and each all in one report graph: the internal query NAME (queries/network/)
takes the listing's params and gives, cheaply and unsorted, each row's graph `?g` and its
first ORDER BY keys, the columns its `# key: COLUMN` lines name in order, which the listing
gives too (`(unbound last)` or `(unbound as "~")` where the ORDER BY puts an unbound value
there; else first, as SPARQL does). A page is then read over the graphs of its first keys
(`_keyed`), on the embedded store, when the keys query takes every param given. A keys query
saying `# binds: PARAM` gives the values of the listing's param PARAM instead of graphs, and
the page binds it to those of its first keys (relations-summary, from the summary graph).
A keys query saying `# narrows: PARAM` gives each row's graph and its value of the
listing's param PARAM, and the page binds both to those of its first keys (state-relations'
relations, for Virtuoso). A keys query saying `# binds: PARAM` and `# in order: NAME`, whose
first key is the value of bkg:NAME of the summary graph's nodes it binds PARAM to (a string of
at most 15 bytes), and which takes PARAM itself: on disk its first keys come from that
property's index, in order, the keys query bound to the nodes of its first values only
(`_ordered_keys`: relations-summary's pairs by their first state's code, where reading every
pair's keys took 0.2 s at 100,000 reports).

A keys query saying `# on a SPARQL server: NAME` is read there (a store that is not the
embedded one) as the internal query NAME, the same keys in a shape that server plans well
(timeline's: Virtuoso read a hub state's keys in 4-4.5 s at 100,000 reports, the shape
Oxigraph reads in 2 s; the other, 0.5 s there, took Oxigraph 7 s). NAME may take fewer
params: a listing given one it does not take is read whole there, as above.

`# paged by: earliest NAME` is for a listing whose ORDER BY starts with
`COALESCE(?date, "~")`, `?date` a date of the row's report graph (`GRAPH ?g`), all of each
row in that graph: `agreements-by-state` and `events-by-state` with no state, every agreement
or event of the store sorted by date (over 15 s at 100,000 reports). No row of a report is
dated before the least date of its graph, which its digest in the summary graph keeps
(`bkg:earliestDate`), so the report graphs are walked in the order of those dates and the
internal query NAME, bound to a step's graphs (its param `graph`), gives their rows' dates
(`# key: date (unbound as "~")`); the page is read over the graphs of its first dates
(`_by_earliest`).

On disk, where each report digest has its sort keys (docs/rdf-model.md: bkg:reportIdPart1 and
Part2, bkg:earliestAgreementDate and EventDate, strings of at most 15 bytes, which Oxigraph's
index gives in order), the walk by id reads its first report graphs from the id keys' index
instead of listing every graph (`_by_id_keys`), and the walk by earliest date the graphs holding
a listing's rows, by their least date, named by the keys query's `# least date: NAME` line
(`_IndexedDates`), instead of counting every digest's earliest date first. A store summarised
before the keys (or a report written since by such a kg) is walked as before (`_keyed_digests`).

On Virtuoso (a store whose `pages_by_graph_values` is true) the walks run too, a step's or a
page's report graphs bound to `?g` by a VALUES where ?g is in scope (`_over`), not as a
dataset: its planner sorts a whole listing otherwise (at 10,000 reports `reports`' first page
12.3 s, `events-by-state`'s over 60). By report id, the graphs come from the summary's report
digests, a step at a time in the order of their ids (queries/network/report-graphs.rq), where
they give every report once (report-graphs-counted): listing the report graphs themselves
reads every quad there. The walks bind each graph's report id beside it (`_over`'s
`reports`, from the digests), and a listing paged by earliest may name a query giving its
rows of a page's nodes there (`# on a SPARQL server:`, `_on_a_server`). Bound to a state
there, such a listing's keys come at once from the query its keys query's `# on a SPARQL
server:` line names, led by the state's nodes (state-nodes; its param `node`), and its page
from its rows of the first keys' nodes (`_state_on_a_server`): Virtuoso plans a code bound
through `bkg:party/bkg:iso3` from every report (a hub's first page 22-26 s at 100,000
reports, events past 40 s). A listing paged by nothing may name there (`# on a SPARQL
server:`) its own text with each graph's report id and date from its digest, read instead
where the digests give every report graph (`_by_digests_on_a_server`).
"""
from __future__ import annotations

import bisect
import itertools
import os
import re
import weakref
from stat import S_ISREG
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from kg import summaries
from kg import vocabulary as V
from kg.resources import data_folder
from kg.sparql_text import blank_out

if TYPE_CHECKING:
    from kg.store import Store

FORMATS = ("csv", "tsv", "json", "table")
RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

_HEADER = re.compile(r"#\s*(title|description)\s*:\s*(.*)", re.I)
_PAGED_BY = re.compile(r"#\s*paged by\s*:\s*(.*)", re.I)
PAGED_BY = ("report", "published", "keys", "earliest")  # what a `# paged by:` line may name
# A keys query's `# key: NAME (unbound last)` or `# key: NAME (unbound as "~")` lines.
# A keys query's `# binds: PARAM` line (module doc).
_BINDS = re.compile(r"#\s*binds\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.I)
# A keys query's `# narrows: PARAM` line (module doc).
_NARROWS = re.compile(r"#\s*narrows\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.I)
# A keys query's `# least date: NAME` line: the digests' property (bkg:NAME) keeping each
# report graph's least date of its rows (module doc).
_LEAST_DATE = re.compile(r"#\s*least date\s*:\s*([A-Za-z][A-Za-z0-9]*)\s*$", re.I)
# A keys query's `# in order: NAME` line: the summary graph's property (bkg:NAME) whose
# values are its first key, for the values of its `binds` param (module doc).
_IN_ORDER = re.compile(r"#\s*in order\s*:\s*([A-Za-z][A-Za-z0-9]*)\s*$", re.I)
_ON_A_SERVER = re.compile(r"#\s*on a sparql server\s*:\s*([A-Za-z0-9_-]+)\s*$", re.I)
# A listing's `# graphs by: PARAM QUERY` lines (module doc).
_GRAPHS_BY = re.compile(r"#\s*graphs by\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z0-9_-]+)\s*$",
                        re.I)
_KEY = re.compile(r'#\s*key\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*'
                  r'(?:\(\s*unbound\s+(last|as\s+"([^"]*)")\s*\))?\s*$', re.I)
_PARAM = re.compile(r"#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:?\s*(.*)", re.I)
_PARAM_FLAGS = {"required", "iso3"}
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The query's own LIMIT and OFFSET: after the WHERE group, in the text blanked by blank_out.
_SLICE = re.compile(r"\b(LIMIT|OFFSET)\s+(\d+)", re.I)
_BIND_HERE = re.compile(r"^[ \t]*#[ \t]*bind[ \t]*:[ \t]*([A-Za-z0-9_ \t]*?)[ \t]*$", re.M)
# Strings, IRIs and comments, skipped when looking for keywords or braces in a query's text.
class QueryError(Exception):
    """A named query that cannot be found, bound or run; the message names it."""


@dataclass
class Param:
    name: str
    description: str = ""
    required: bool = False
    iso3: bool = False  # an ISO 3166-1 alpha-3 code, accepted in any case


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    paged_by: str = ""  # rows read report by report: "report", "published" or "keys" (module's doc)
    keys_query: str = ""  # paged by keys: the internal query giving the rows' keys and graphs
    # A keys query's `# key:` lines: (column, unbound) with unbound None (sorted first, as
    # SPARQL does), "last", or the string an unbound value sorts as.
    sort_keys: list[tuple[str, str | None]] = field(default_factory=list)
    binds: str = ""  # a keys query's `# binds:` param; "" : its rows' graphs (?g)
    narrows: str = ""  # a keys query's `# narrows:` param, bound besides the graphs
    least_date: str = ""  # a keys query's `# least date:` property (a bkg: local name)
    in_order: str = ""  # a keys query's `# in order:` property (a bkg: local name)
    # A keys query's `# on a SPARQL server:` query, read there instead; a listing paged by
    # earliest's, giving a page's rows there (_on_a_server)
    on_a_server: str = ""
    # `# graphs by:` lines: a param -> the internal query giving the graphs of its rows
    graphs_by: dict[str, str] = field(default_factory=dict)
    # (text, offset) of _where_end(); a field so that load()'s copies keep it
    where_end: tuple[str, int] | None = field(default=None, repr=False, compare=False)

    def signature(self) -> str:
        """`name [required=...] [optional=...]`, for listings and error messages."""
        if not self.params:
            return f"{self.name} (no params)"
        parts = [p.name if p.required else f"[{p.name}]" for p in self.params.values()]
        return f"{self.name} " + " ".join(parts)

    def _where_end(self) -> int:
        """Offset of the brace closing the WHERE group (.rq files end with it), cached: a
        query is bound on every call, and scanning its text costs as much as a small query."""
        if self.where_end is None or self.where_end[0] is not self.text:
            self.where_end = (self.text, blank_out(self.text).rfind("}"))
        return self.where_end[1]

    def unordered(self) -> "NamedQuery":
        """A copy whose text stops at the brace closing the WHERE group: no ORDER BY, LIMIT
        or OFFSET, for a caller that sorts the rows itself."""
        return replace(self, text=self.text[:self._where_end() + 1] + "\n", where_end=None)

    def paged(self, limit: int | None = None, offset: int | None = None) -> "NamedQuery":
        """A copy whose text returns rows [offset, offset + limit) of this query's rows;
        itself when neither is given. Raises QueryError for a value that is not a whole
        number of at least 0."""
        if limit is None and offset is None:
            return self
        for option, value in (("limit", limit), ("offset", offset)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 0):
                raise QueryError(f"query {self.name}: {option} must be a whole number of at "
                                 f"least 0, not {value!r}")
        close = self._where_end()
        head, tail = self.text[:close + 1], self.text[close + 1:]
        own = {"LIMIT": None, "OFFSET": 0}
        kept, last = [], 0
        for m in _SLICE.finditer(blank_out(tail)):
            own[m[1].upper()] = int(m[2])
            kept.append(tail[last:m.start()])
            last = m.end()
        tail = "".join(kept) + tail[last:]
        start = own["OFFSET"] + (offset or 0)
        # What is left of the query's own LIMIT after the page's offset, if it has one.
        room = None if own["LIMIT"] is None else max(own["LIMIT"] - (offset or 0), 0)
        size = limit if room is None else room if limit is None else min(limit, room)
        clause = (f"LIMIT {size} " if size is not None else "") + (f"OFFSET {start}" if start
                                                                   else "")
        return replace(self, text=f"{head}{tail.rstrip()}\n{clause.rstrip()}\n",
                       where_end=None)

    def marked(self) -> set[str]:
        """The params some `# bind:` line names (placed inside a group when given)."""
        return {n for m in _BIND_HERE.finditer(self.text) for n in m[1].split()}

    def bind(self, values: dict[str, list[str]] | None = None, inline: bool = True) -> str:
        """The query text with `values` (name -> one or more values) bound as VALUES: where a
        `# bind:` line names them (unless `inline` is false), else trailing."""
        values = {k: v for k, v in (values or {}).items() if v}
        unknown = [k for k in values if k not in self.params]
        if unknown:
            declared = ", ".join(self.params) or "none"
            raise QueryError(f"query {self.name}: unknown param {', '.join(unknown)} "
                             f"(declared params: {declared})")
        missing = [p.name for p in self.params.values() if p.required and p.name not in values]
        if missing:
            raise QueryError(f"query {self.name}: missing required param "
                             f"{', '.join(missing)} (give --param {missing[0]}=VALUE)")
        values = {k: [_iso3(self.name, k, v) for v in items] if self.params[k].iso3 else items
                  for k, items in values.items()}
        for key, items in values.items():
            for value in items:
                why = _not_an_iri(value)
                if why:
                    raise QueryError(f"query {self.name}: param {key}: {value!r} starts with "
                                     f"http:// or https://, so it is bound as an IRI, but it "
                                     f"is not one ({why})")
        if not values:
            return self.text
        text, close = self.text, self._where_end()
        # FILTER(BOUND) for every given param, placed or trailing: a marker inside an OPTIONAL
        # then leaves the rows it does not match unbound, and this drops them.
        bound = " ".join(f"FILTER(BOUND(?{n}))" for n in values)
        if inline:
            # Each marker (a comment line) is followed by the VALUES of the given params it
            # names; what is inserted before the WHERE group's end shifts that offset.
            placed: set[str] = set()
            pieces, last = [], 0
            for m in _BIND_HERE.finditer(text):
                here = [n for n in m[1].split() if n in values]
                if here:
                    clause = "\n" + _values(here, values)
                    pieces += [text[last:m.end()], clause]
                    last = m.end()
                    placed.update(here)
                    if m.end() <= close:
                        close += len(clause)
            text = "".join(pieces) + text[last:]
            values = {k: v for k, v in values.items() if k not in placed}
        if close >= 0:
            text = f"{text[:close]}  {bound}\n{text[close:]}"
        if not values:
            return text
        names = list(values)
        # One trailing VALUES clause: SPARQL allows only one after the solution modifiers.
        return f"{text.rstrip()}\n{_values(names, values)}\n"


def _iso3(query: str, param: str, value: str) -> str:
    """The code in upper case, as the graph stores it; a QueryError if it is no ISO code."""
    import pycountry   # here: 0.03-0.04 s of every `kg query`'s start-up, needed by few

    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.countries.get(alpha_3=code) is None:
        raise QueryError(f"query {query}: param {param}: {value!r} is not an ISO 3166-1 "
                         f"alpha-3 code (such as FRA, in any case)")
    return code


def _values(names: list[str], values: dict[str, list[str]]) -> str:
    """`VALUES (?a ?b) { ("x" "y") ... }`: every combination of the names' values."""
    rows = itertools.product(*(values[n] for n in names))
    head = " ".join(f"?{n}" for n in names)
    body = " ".join("(" + " ".join(sparql_term(v) for v in row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {body} }}"


# The repository's queries/ (or the wheel's copy of it: kg/resources.py).
_DEFAULT_DIR = data_folder("queries")
# The queries kg itself runs to build its views (kg/network.py, kg/analytics.py): kept apart
# so that listings show the user's; always kg's own, whatever KG_QUERIES_DIR says.
INTERNAL_DIR = _DEFAULT_DIR / "network"


def queries_dir() -> Path:
    override = os.environ.get("KG_QUERIES_DIR")
    return Path(override) if override else _DEFAULT_DIR


def _not_an_iri(value: str) -> str | None:
    """Why a value starting with http:// or https:// is not an IRI, by pyoxigraph's IRI parser
    (any of the characters that could end an IRI in the query text, such as > or }, makes it
    invalid); None if it is one, or does not start so."""
    if not re.match(r"https?://", value):
        return None
    try:
        ox.NamedNode(value)
    except ValueError as e:
        return str(e) or "not a valid IRI"
    return None


def sparql_term(value: str) -> str:
    """A parameter value as a SPARQL term: an absolute http(s) IRI, else a string literal
    (NamedQuery.bind refuses a value that starts like an IRI but is not one)."""
    if re.match(r"https?://", value) and _not_an_iri(value) is None:
        return f"<{value}>"
    return _string_literal(value)


def _string_literal(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def parse(name: str, path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"query {name}: cannot read {path} ({e})") from e
    query = NamedQuery(name, path, text)
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break  # parameters and titles are declared in the header only
        if m := _PARAM.match(line):
            flags = {f.strip().lower() for f in (m[2] or "").split(",") if f.strip()}
            if flags - _PARAM_FLAGS:
                raise QueryError(f"query {name} ({path}): param {m[1]}: unknown "
                                 f"{', '.join(sorted(flags - _PARAM_FLAGS))} in brackets "
                                 f"(known: {', '.join(sorted(_PARAM_FLAGS))})")
            query.params[m[1]] = Param(m[1], m[3].strip(), "required" in flags, "iso3" in flags)
        elif m := _PAGED_BY.match(line):
            order, *keys = m[1].split()
            if order not in PAGED_BY or len(keys) != (order in ("keys", "earliest")):
                raise QueryError(f"query {name} ({path}): paged by {m[1].strip()!r}: "
                                 f"known: report, published, keys QUERY, earliest QUERY")
            query.paged_by = order
            query.keys_query = keys[0] if keys else ""
        elif m := _BINDS.match(line):
            query.binds = m[1]
        elif m := _NARROWS.match(line):
            query.narrows = m[1]
        elif m := _LEAST_DATE.match(line):
            query.least_date = m[1]
        elif m := _IN_ORDER.match(line):
            query.in_order = m[1]
        elif m := _ON_A_SERVER.match(line):
            query.on_a_server = m[1]
        elif m := _GRAPHS_BY.match(line):
            query.graphs_by[m[1]] = m[2]
        elif m := _KEY.match(line):
            query.sort_keys.append((m[1], "last" if m[2].lower() == "last" else m[3])
                                   if m[2] else (m[1], None))
        elif m := _HEADER.match(line):
            setattr(query, m[1].lower(), m[2].strip())
    unknown = [p for p in query.graphs_by if p not in query.params]
    if unknown:
        raise QueryError(f"query {name} ({path}): graphs by {unknown[0]}: no such param")
    query._where_end()  # once here, not on every bind of load()'s copies
    return query


def available(internal: bool = False) -> list[str]:
    """The user's named queries; with `internal`, kg's own (INTERNAL_DIR) too."""
    folders = [queries_dir(), *([INTERNAL_DIR] if internal else [])]
    return sorted(p.stem for folder in folders if folder.is_dir() for p in folder.glob("*.rq"))


# Parsed queries by path, kept while the file's mtime and size are unchanged: reading and
# parsing the .rq file cost ~0.2 ms a call, as much as a small query itself (bench/run.py).
_PARSED: dict[Path, tuple[tuple[int, int], NamedQuery]] = {}


def _stat(path: Path):
    try:
        return path.stat()
    except OSError:
        return None


def load(name: str) -> NamedQuery:
    """The user's query of that name, else kg's own (INTERNAL_DIR)."""
    stat = path = None
    if _VARNAME.fullmatch(name.replace("-", "_")):
        for path in (queries_dir() / f"{name}.rq", INTERNAL_DIR / f"{name}.rq"):
            if stat := _stat(path):
                break
    if stat is None or not S_ISREG(stat.st_mode):
        names = available()
        listing = ", ".join(names) if names else f"none in {queries_dir()}"
        raise QueryError(f"no query named {name!r}; available: {listing}")
    key = (stat.st_mtime_ns, stat.st_size)
    hit = _PARSED.get(path)
    if hit is None or hit[0] != key:
        hit = _PARSED[path] = (key, parse(name, path))
    query = hit[1]
    # a copy, so that a caller changing it does not change what the next caller gets
    return replace(query, params=dict(query.params), graphs_by=dict(query.graphs_by))


def all_queries() -> list[NamedQuery]:
    return [load(name) for name in available()]


def parse_params(pairs: list[str]) -> dict[str, list[str]]:
    """`KEY=VALUE` strings -> {KEY: [VALUE, ...]}; a repeated KEY gives alternatives."""
    values: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not _VARNAME.fullmatch(key):
            raise QueryError(f"--param {pair!r}: expected KEY=VALUE")
        values.setdefault(key, []).append(value)
    return values


def recognise(text: str) -> tuple[NamedQuery, dict[str, list[str]], int, int | None] | None:
    """(query, params, limit, offset) if `text` is the text of a named query of queries/ that
    `plan` pages (a `# paged by:` line, or a `# on a SPARQL server:` text by digests; no LIMIT
    or OFFSET of its own), as `bind` gives it for
    those params (all placed by `# bind:` lines; none is fine where none is required), with a
    LIMIT (and an OFFSET) after it, as `--limit N --offset K` would page it; else None. The
    text must be that to the character, but for the whitespace before and after those
    clauses (the params are read from its VALUES, then bound again and compared): the SPARQL
    endpoint then answers it as that page, with the same rows."""
    blank = blank_out(text)
    close = blank.rfind("}")
    if close < 0:
        return None
    head, rest = text[:close + 1], text[close + 1:]
    for name in available():
        query = load(name)
        end = query._where_end()
        own = query.text[end + 1:].rstrip()
        # (or that a SPARQL server reads by its digests' text, `_by_digests_on_a_server`)
        if not (query.paged_by or query.on_a_server and not query.sort_keys) or end < 0 or \
                not rest.startswith(own) or _SLICE.search(blank_out(own)):
            continue
        slices = _slices(rest[len(own):], blank[close + 1 + len(own):])
        if slices is None:
            continue
        params = {} if head == query.text[:end + 1] else _bound(query, head)
        if params is None or any(p.required and p.name not in params
                                 for p in query.params.values()):
            continue
        return query, params, slices[0], slices[1]
    return None


def _slices(rest: str, blank: str) -> tuple[int, int | None] | None:
    """(limit, offset) of `rest`, the text after a query: `LIMIT N` and, if any, `OFFSET K`, in
    either order, words of their own (`blank`: the same with comments blanked); else None."""
    words = rest.split()
    if not words or len(words) % 2 or not rest[0].isspace() or blank != rest:
        return None
    slices: dict[str, int | None] = {"LIMIT": None, "OFFSET": None}
    for keyword, number in zip(words[::2], words[1::2]):
        keyword = keyword.upper()
        if keyword not in slices or slices[keyword] is not None or \
                not re.fullmatch(r"\d+", number):
            return None
        slices[keyword] = int(number)
    return None if slices["LIMIT"] is None else (slices["LIMIT"], slices["OFFSET"])


_VALUES_CLAUSE = re.compile(r"VALUES \(([^()]*)\) \{ (.*?) \}$", re.M)
_TERM = re.compile(r'<([^<>"{}|^`\\\s]*)>|"((?:[^"\\]|\\.)*)"')
_UNESCAPE = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


def _bound(query: NamedQuery, head: str) -> dict[str, list[str]] | None:
    """The params `head` (a text up to its WHERE group's end) is `query`'s text bound to, by
    `bind`'s placed VALUES clauses: read from them, then bound again and compared; None if
    that does not give `head` back."""
    values: dict[str, list[str]] = {}
    for m in _VALUES_CLAUSE.finditer(head):
        names = m[1].split()
        terms = [t[1] if t[1] is not None else re.sub(r"\\(.)", lambda e: _UNESCAPE.get(
            e[1], e[1]), t[2]) for t in _TERM.finditer(m[2])]
        if not names or len(terms) % len(names) or any(not n.startswith("?") for n in names):
            return None
        for i, term in enumerate(terms):
            found = values.setdefault(names[i % len(names)][1:], [])
            if term not in found:
                found.append(term)
    if not values or any(n not in query.params for n in values):
        return None
    try:
        bound = query.bind(values)
    except QueryError:
        return None
    own = query.text[query._where_end() + 1:]
    return values if bound == head + own else None


def run(store: Store, query: NamedQuery | str, params: dict[str, list[str]] | None = None,
        limit: int | None = None, offset: int | None = None):
    """Runs a named query (or the query of that name) on the store; pyoxigraph results. With
    `limit` or `offset`, one page of its rows (NamedQuery.paged, or `plan`)."""
    if isinstance(query, str):
        query = load(query)
    try:
        page = plan(store, query, params, limit, offset)
        if page.rows is not None:
            return ox.parse_query_results(page.rows, format=ox.QueryResultsFormat.TSV)
        return store.query(page.text, **page.options())
    except SyntaxError as e:
        raise QueryError(f"query {query.name} ({query.path}): {e}") from e
    except Exception as e:
        # kg.store's PageTooDeep (a layer this one does not import): the page named too
        if not getattr(e, "page_too_deep", False):
            raise
        raise type(e)(f"query {query.name}, the page of {limit} rows at offset "
                      f"{offset or 0}: {e}") from e


# ---------------------------------------------------------------- pages read report by report

# Report graphs per step: the first step covers a page of most listings (a report gives a
# few rows); each next step doubles, up to the largest, so that a listing whose rows are
# sparse, or a page far in, takes fewer steps. Not more: a query's time grows faster than
# its dataset's graphs (at 10,000 reports, agreements over 256 graphs 0.07 s, 1,024 0.38 s,
# 4,096 3.5 s), so a page K rows in costs about what K rows of the whole listing do.
FIRST_STEP = 32
LARGEST_STEP = 256
# The most report graphs a page paged by earliest is read over; past it, the whole query.
# Oxigraph looks up a `GRAPH ?var` pattern of a bound node once per graph of the dataset,
# so such a query's time grows with the square of its graphs (events-by-state over 138
# graphs 1.7 s, over 1,555 420 s at 10,000 reports, where the whole query takes 35 s).
MOST_GRAPHS = 256
# On the embedded store such a page is read CHUNK graphs a query (`_in_chunks`), its time
# then growing with its graphs (events-by-state at 100,000 reports over 32 graphs 0.10 s, 64
# 0.34, 128 1.34; the whole query 478 s), up to MOST_CHUNKED_GRAPHS.
CHUNK = 16
MOST_CHUNKED_GRAPHS = 4096


@dataclass(frozen=True)
class Plan:
    """What runs for one page: the query's text, and the dataset it reads (None: the whole
    store, its default graph the union of every graph)."""
    text: str
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    # The page's rows as SPARQL TSV, where the walk ran its text to check it (`_checked`):
    # `run` gives them instead of running it again. Not part of what a query worker is sent.
    rows: bytes | None = field(default=None, compare=False, repr=False)

    def options(self) -> dict:
        """The dataset as pyoxigraph's `Store.query` options."""
        if self.named_graphs is None:
            return {}
        return {"default_graph": [ox.NamedNode(g) for g in self.default_graph or ()],
                "named_graphs": [ox.NamedNode(g) for g in self.named_graphs]}


def plan(store: Store, query: NamedQuery, params: dict[str, list[str]] | None = None,
         limit: int | None = None, offset: int | None = None) -> Plan:
    """The text (and dataset) that gives rows [offset, offset + limit) of the query. On the
    embedded store, a query paged by report (see the module's docstring) reads only the
    graphs of the reports its `report` param names, or, with a page size and no param that
    narrows it to a state, the graphs that hold the page, a few at a time. Else the query's
    own page (NamedQuery.paged) over the whole store (a SPARQL server such as Virtuoso stops
    sorting at the page's end itself)."""
    page = query.paged(limit, offset)
    text = page.bind(params)  # the params' errors before any step
    if not query.paged_by and query.on_a_server and not query.sort_keys:
        # (a keys query's line names its keys' shape there: _keyed, _state_on_a_server)
        return _by_digests_on_a_server(store, query, params, limit, offset, text)
    if not query.paged_by or not _walks(store, query.paged_by):
        return Plan(text)
    given = {k: v for k, v in (params or {}).items() if v and k in query.params}
    if query.paged_by == "keys":
        return _keyed(store, query, given, limit, offset or 0) if limit is not None \
            else Plan(text)
    if "report" in given:
        # Its rows are in these graphs; over the whole store, an OPTIONAL of two patterns
        # (a post's state and its code) is joined with every such pair in the store.
        return _over(store, [V.graph_iri(r) for r in given["report"]], text)
    if limit is None:
        return Plan(text)
    offset = offset or 0
    # Most reports give a row or more: the first step holds as many reports as the page
    # needs rows, within the bounds (twice as many cost more than a second step).
    first = min(max(FIRST_STEP, offset + limit), LARGEST_STEP)
    if any(query.params[k].iso3 for k in given):
        if query.paged_by == "earliest" and not getattr(store, "embedded", False):
            return _state_on_a_server(store, query, given, limit, offset)
        graphs = _graphs_by(store, query, given)
        if graphs is None:
            return Plan(text)  # a state's rows start from its code
        steps = _sizes(graphs, first)
    elif query.paged_by == "earliest":
        return _by_earliest(store, query, given, limit, offset)
    elif not getattr(store, "embedded", False):
        return _read_ahead(store, query, params, text, limit, offset)
    else:
        steps = _steps(store, query.paged_by, first)
    if steps is None:
        return Plan(text)
    whole = query.bind(params)
    seen, before, covering = 0, None, []
    for part in steps:
        if seen >= offset + limit:
            break
        step = _over(store, part, whole)
        found = sum(1 for _ in store.query(step.text, **step.options()))
        if before is None and seen + found > offset:
            before = seen  # the page's first row is in this step
        if before is not None:
            covering += part
        seen += found
    return _over(store, covering, query.paged(limit, offset - (before or 0)).bind(params))


def _by_digests_on_a_server(store: Store, query: NamedQuery,
                            params: dict[str, list[str]] | None, limit: int | None,
                            offset: int | None, text: str) -> Plan:
    """A listing not paged by anything naming a `# on a SPARQL server:` query: on a SPARQL
    server whose digests give every report graph once with its id (`_by_digests`), that
    query with the same params and page, the listing's text with each graph's report id and
    date read from its digest (the same rows in the same order); else the listing's `text`.
    Virtuoso has no index led by the graph and looked `?r a bkg:Report` up in every graph of
    a pair's agreements past its 40 s at 100,000 reports (so 0.9-1.2 s)."""
    if getattr(store, "embedded", False) or \
            not getattr(store, "pages_by_graph_values", False) or not _by_digests(store):
        return Plan(text)
    server = load(query.on_a_server)
    if any(k not in server.params for k, v in (params or {}).items() if v):
        return Plan(text)
    return Plan(server.paged(limit, offset).bind(params))


def _graphs_by(store: Store, query: NamedQuery, given: dict[str, list[str]]) -> list[str] | None:
    """The report graphs holding the rows of a listing paged by report bound to a state, in
    the order of their ids, from the internal query its `# graphs by: PARAM QUERY` line
    names for a given PARAM (module doc): on the embedded store only. None where there is
    none, for the whole query (Oxigraph starts a state's rows from its code)."""
    if query.paged_by != "report" or not getattr(store, "embedded", False):
        return None
    param = next((p for p in query.graphs_by if p in given), None)
    if param is None:
        return None
    name, values = query.graphs_by[param], given[param]
    # Kept with the store's version, all of them dropped at its next write.
    kept = _per_version(store, "graphs-by", lambda store: {})
    key = (name, param, tuple(values))
    if key not in kept:
        ids = {V.report_of_graph(row["g"].value) for row in run(store, name, {param: values})}
        kept[key] = [V.graph_iri(i) for i in sorted(i for i in ids if i is not None)]
    return kept[key]


# The most report graphs a page is read over on a SPARQL server (_read_ahead); past them,
# the whole query. Virtuoso read `agreements` over 512 graphs in 1.0 s (the whole listing
# 1.0-1.6 s at 10,000 reports).
MOST_REMOTE_GRAPHS = 512


def _read_ahead(store: Store, query: NamedQuery, params: dict[str, list[str]], text: str,
                limit: int, offset: int) -> Plan:
    """A page of a query paged by report or by publication date on a SPARQL server: the page
    itself read over the first graphs of the walk, then over as many again, until it comes
    back whole (its rows are then the listing's: every row of those graphs comes before any
    other graph's), not counted step by step as on the embedded store. On Virtuoso a query
    costs about as much over 50 graphs as over 256 (its compiling; `agreements` 0.64 s and
    0.78 s at 10,000 reports), so the first read takes twice the graphs the page needs rows
    (most reports give a row or more) and one query often is the page."""
    if 2 * (offset + limit) > MOST_REMOTE_GRAPHS:
        return Plan(text)   # a page far in: about as many graphs as the whole costs
    reports: dict[str, str] = {}
    steps = _steps(store, query.paged_by,
                   min(max(FIRST_STEP, 2 * (offset + limit)), LARGEST_STEP), reports)
    if steps is None:
        return Plan(text)
    covering: list[str] = []
    found = Plan(text)
    for part in steps:
        covering += part
        if len(covering) > MOST_REMOTE_GRAPHS:
            return Plan(text)
        # Undated reports' graphs (_by_dates) come without their digest's id.
        known = reports if all(g in reports for g in covering) else None
        found, rows = _checked(store, _over(store, covering, text, known))
        if len(rows) == limit:
            return found
    return found   # every report graph read: the page is what they give


def _by_earliest(store: Store, query: NamedQuery, params: dict[str, list[str]], limit: int,
                 offset: int) -> Plan:
    """A page of a query paged by earliest (module doc). The report graphs are walked in the
    order of their earliest dates, whole dates at a time, each step as many graphs again, and
    the keys query (`graph` bound to the step's graphs) gives each row's first sort keys, the
    date first, and its graph; a key dated before the next graph's earliest date is final (no
    graph not yet read has a row dated before its own earliest). The page is then read over
    the graphs of the first offset + limit final keys, as `_keyed` does, and over twice as
    many keys where some gave no row (each key counted once per row giving it). Reading the
    page over every graph walked instead cost 3.3 s for 377 graphs at 10,000 reports
    (MOST_GRAPHS); on the embedded store the page is read CHUNK graphs a query (_in_chunks).
    The whole query where the page would be read over more than MOST_GRAPHS graphs (on the
    embedded store MOST_CHUNKED_GRAPHS), the walk would read half the store's, or the summary
    does not give every report's earliest date.

    The earliest dates: where the keys query names the digests' least date of its rows
    (`# least date:`, bkg:earliestAgreementDate say) and the store's index gives them in order
    (`_keyed_digests`), the graphs holding such rows, read from that index a date at a time
    as the walk comes to it (`_IndexedDates`): neither every digest's earliest date counted
    first (earliest-dates: 0.2-0.6 s at 100,000 reports) nor the graphs without such rows
    read; else every report graph's earliest date (bkg:earliestDate, `_CountedDates`)."""
    keys_query = load(query.keys_query)
    text = query.paged(limit, offset).bind(params)
    if keys_query.sort_keys[:1] != [("date", "~")]:
        return Plan(text)
    total = _keyed_digests(store) if keys_query.least_date else None
    if total is not None:
        try:
            return _walk_earliest(store, query, keys_query, params, limit, offset,
                                  _IndexedDates(store, keys_query.least_date, total))
        except _Unordered:
            pass   # not as summaries writes them: the counted dates below
    least = _least_dates(store, keys_query.least_date) if keys_query.least_date else None
    if least is not None:
        return _walk_earliest(store, query, keys_query, params, limit, offset,
                              _CountedDates(store, *least, keys_query.least_date))
    counted = _earliest_dates(store)
    if counted is None:
        return Plan(text)
    return _walk_earliest(store, query, keys_query, params, limit, offset,
                          _CountedDates(store, counted))


class _CountedDates:
    """The report graphs by earliest date for `_walk_earliest`: each digest's earliest date
    (bkg:earliestDate) with its reports, counted in the store (earliest-dates), and the graphs
    of some dates read by earliest-reports; or, with `least` (a keys query's `# least date:`
    property) on a SPARQL server, the dates of that property and the graphs having them
    (least-dates, least-reports), `total` the store's reports."""

    def __init__(self, store: Store, counted: list[tuple[str, int]], total: int | None = None,
                 least: str = "") -> None:
        self.store, self.counted, self.least = store, counted, least
        self.total = sum(n for _, n in counted) if total is None else total
        self.ids: dict[str, str] = {}   # with `least`: each graph read's report id

    def run(self, i: int) -> tuple[str, int] | None:
        """The i-th date and its reports; None past the last."""
        return self.counted[i] if i < len(self.counted) else None

    def graphs(self, i: int, j: int) -> list[str]:
        """The report graphs of the dates i to j - 1."""
        dates = [d for d, _ in self.counted[i:j]]
        if self.least:
            rows = [(r["g"].value, r["report"].value) for r in run(
                self.store, "least-reports",
                {"property": [str(V.BKG[self.least])], "earliest": dates})]
            self.ids.update(rows)
            return [g for g, _ in rows]
        return [r["g"].value for r in run(self.store, "earliest-reports",
                                          {"earliest": dates})]


class _IndexedDates:
    """The report graphs by a least date of the digests (a keys query's `# least date:`
    property, written only where the graph has such rows), read from the store's index in
    date order (`_date_runs`), a date's digests at a time as the walk asks for them; the
    digests' graphs looked up one by one (bkg:digestOf). `total`: the store's reports, for the
    walk's bound. _Unordered where the index is not as summaries writes it."""

    def __init__(self, store: Store, name: str, total: int) -> None:
        self.store, self.total = store, total
        self._runs = _date_runs(store.quads_for_pattern(
            None, ox.NamedNode(str(V.BKG[name])), None, _SUMMARY))
        self._read: list[tuple[str, list]] = []   # (date, its digests), in order

    def run(self, i: int) -> tuple[str, int] | None:
        while len(self._read) <= i:
            found = next(self._runs, None)
            if found is None:
                return None
            self._read.append(found)
        date, digests = self._read[i]
        return date, len(digests)

    def graphs(self, i: int, j: int) -> list[str]:
        return [_digest_graph(self.store, d)[1] for _, digests in self._read[i:j]
                for d in digests]


def _walk_earliest(store: Store, query: NamedQuery, keys_query: NamedQuery,
                   params: dict[str, list[str]], limit: int, offset: int, dates) -> Plan:
    """_by_earliest's walk over `dates` (_CountedDates or _IndexedDates)."""
    page = query.paged(limit, offset)
    text = page.bind(params)
    total, walked = dates.total, 0
    holders: dict[tuple, list[str]] = {}   # key -> the graph of each row giving it
    ids: dict[str, str] = {}   # graph -> its report's id, from the keys
    step, i = min(max(FIRST_STEP, offset + limit), LARGEST_STEP), 0
    take = max(offset + limit, 1)   # rows of the keys to read the page over
    while True:
        while True:
            here = dates.run(i)
            bound = here[0] if here is not None else None
            # Later keys break ties within a date: a page takes the graphs of its rows only.
            final = sorted(k for k in holders if bound is None or k[0][1] < bound)
            if sum(len(holders[k]) for k in final) >= take or bound is None:
                break
            j, reports = i, 0
            while (there := dates.run(j)) is not None and (reports < step or j == i):
                reports += there[1]
                j += 1
            walked += reports
            if 2 * walked > total:
                return Plan(text)   # most of the store: the query itself costs less
            graphs = dates.graphs(i, j)
            # A few hundred graphs a query: bound to 1,280 at once, Oxigraph took 10.8 s
            # where 613 took 0.1 (at 100,000 reports; it plans a large VALUES otherwise).
            known = getattr(dates, "ids", {})
            for start in range(0, len(graphs), LARGEST_STEP):
                chunk = graphs[start:start + LARGEST_STEP]
                keys_text = keys_query.bind({"graph": chunk})
                if all(g in known for g in chunk):
                    # On a server, each graph's report id bound beside it: Virtuoso read
                    # two graphs bound alone past its 40 s at 100,000 reports, 0.01 s so
                    # (as _over does for the listings).
                    alone = _values(["graph"], {"graph": chunk})
                    pairs = " ".join(f"(<{g}> {_string_literal(known[g])})" for g in chunk)
                    keys_text = keys_text.replace(
                        alone, f"VALUES (?graph ?report) {{ {pairs} }}", 1)
                for row in iter_rows(store.query(keys_text)):
                    holders.setdefault(_sort_key(keys_query.sort_keys, row), []).append(
                        row["g"])
                    if row.get("report") is not None:
                        ids[row["g"]] = row["report"]
            i, step = j, 2 * step
        # The fewest first keys giving `take` rows, all of the last key's.
        chosen, n, last = set(), 0, None
        for key in final:
            if n >= take:
                break
            chosen.update(holders[key])
            n, last = n + len(holders[key]), key
        embedded = getattr(store, "embedded", False)
        # A server's page led by its nodes (_on_a_server) reads as many graphs as a walk by
        # report does there.
        most = MOST_CHUNKED_GRAPHS if embedded else \
            MOST_REMOTE_GRAPHS if query.on_a_server else MOST_GRAPHS
        if len(chosen) > most:
            return Plan(text)
        if embedded:
            found = _in_chunks(store, query, params, sorted(chosen), limit, offset)
        else:
            # the page's first keys' nodes (their last key: an agreement, an event)
            nodes = sorted({k[-1][1] for k in final[:final.index(last) + 1] if k[-1][0] == 0}
                           if last is not None else ())
            found = _on_a_server(store, query, params, sorted(chosen), ids, nodes, limit,
                                 offset)
        if limit == 0 or last is None:
            return found
        found, rows = _checked(store, found)
        if len(rows) == limit and _sort_key(keys_query.sort_keys, rows[-1]) <= last or \
                (bound is None and n >= sum(len(g) for g in holders.values())):
            return found
        take *= 2


def _on_a_server(store: Store, query: NamedQuery, params: dict[str, list[str]],
                 graphs: list[str], reports: dict[str, str], nodes: list[str], limit: int,
                 offset: int) -> Plan:
    """The page [offset, offset + limit) of a listing paged by earliest on a SPARQL server,
    over these report graphs: where the listing names a `# on a SPARQL server:` query that
    takes every param given, that query's rows of the page's first keys' nodes (its required
    param, the keys query's last key: agreements-by-state's agreements) over the graphs with
    their reports' ids bound (`_over`), then sorted and sliced by the listing's own ORDER BY,
    LIMIT and OFFSET in a query of those rows alone (`_sorted_parts`); else the listing's text
    over the graphs. Virtuoso took the listing's text over a page's graphs 12 s (events) and
    past its 40 s limit (agreements) at 100,000 reports, gathering every event's participants
    and sentences, every agreement's parties, before the join."""
    known = reports if all(g in reports for g in graphs) else None
    text = query.paged(limit, offset).bind(params)
    if query.on_a_server and nodes:
        server = load(query.on_a_server)
        node = next((p for p, param in server.params.items() if param.required), None)
        if node is not None and all(k in server.params for k in params if params[k]):
            part = _over(store, graphs, server.bind({**params, node: nodes}), known)
            found = _sorted_parts(store, query.paged(limit, offset), [part])
            if found is not None:
                return found
    return _over(store, graphs, text, known)


def _state_on_a_server(store: Store, query: NamedQuery, params: dict[str, list[str]],
                       limit: int, offset: int) -> Plan:
    """A page of a listing paged by earliest bound to a state (its param `state`) on a SPARQL
    server, where its keys query names a `# on a SPARQL server:` query taking `state` and
    `node`, and the listing one giving its rows of some nodes (`_on_a_server`): every key of
    the state's rows at once, from that keys query led by the state's nodes (state-nodes)
    and bound to them (a hub's rows are a few thousand), each graph's report id from its
    digest; then, as `_walk_earliest` does, the page's rows of its first keys' nodes over
    their graphs, sorted and sliced by the listing's ORDER BY (`_sorted_parts`), over twice
    as many keys where some gave no row. The listing's text where a param given is taken by
    neither query, or the digests do not give every report once. Virtuoso planned the code
    bound through `bkg:party/bkg:iso3` from every report: agreements-by-state's first page of
    a hub state 22-26 s at 100,000 reports, events-by-state's past its 40 s."""
    text = query.paged(limit, offset).bind(params)
    keys_query = load(query.keys_query)
    if not keys_query.on_a_server or not query.on_a_server or not \
            getattr(store, "pages_by_graph_values", False) or not _by_digests(store):
        return Plan(text)
    keys_query = load(keys_query.on_a_server)
    rows_query = load(query.on_a_server)
    node = next((p for p, param in rows_query.params.items() if param.required), None)
    own = {k: v for k, v in params.items() if k in keys_query.params}
    rest = {k: v for k, v in params.items() if k not in keys_query.params}
    if node is None or "state" not in own or "node" not in keys_query.params or \
            any(k not in rows_query.params for k in rest) or len(own["state"]) != 1:
        return Plan(text)
    nodes = sorted(r["node"] for r in iter_rows(run(store, "state-nodes",
                                                   {"state": own["state"]})))
    # No rows: the listing over no graph (its text whole planned from the code)
    none = _over(store, [], text, {})
    if not nodes:
        return none
    holders: dict[tuple, set[str]] = {}   # key -> its rows' graphs
    ids: dict[str, str] = {}   # graph -> its report's id
    for row in iter_rows(store.query(keys_query.bind({**own, "node": nodes}))):
        holders.setdefault(_sort_key(keys_query.sort_keys, row), set()).add(row["g"])
        ids[row["g"]] = row["report"]
    keys = sorted(holders)
    take = max(offset + limit, 1)
    while True:
        first = keys[:take]
        if not first:
            return none
        last = first[-1]
        graphs = sorted(set().union(*(holders[k] for k in first)))
        # MOST_REMOTE_GRAPHS graphs a part, each bound to the nodes of the first keys it has
        # (their last key: an agreement, an event): a state's rows of a kind may be sparse.
        parts = []
        for start in range(0, len(graphs), MOST_REMOTE_GRAPHS):
            chunk = graphs[start:start + MOST_REMOTE_GRAPHS]
            inside = set(chunk)
            nodes = sorted({k[-1][1] for k in first if k[-1][0] == 0 and holders[k] & inside})
            if nodes:
                parts.append(_over(store, chunk, rows_query.bind({**rest, node: nodes}), ids))
        found = _sorted_parts(store, query.paged(limit, offset), parts) if parts else None
        if found is None:
            return Plan(text)
        if limit == 0:
            return found
        found, rows = _checked(store, found)
        if take >= len(keys) or \
                len(rows) == limit and _sort_key(keys_query.sort_keys, rows[-1]) <= last:
            return found
        take *= 2


def _in_chunks(store: Store, query: NamedQuery, params: dict[str, list[str]],
               graphs: list[str], limit: int, offset: int) -> Plan:
    """The page [offset, offset + limit) of the query over these report graphs on the embedded
    store, as over their dataset (`_over`), for a query all of each of whose rows is in one
    report graph (paged by earliest): past CHUNK graphs, the rows of each CHUNK graphs read
    whole, one query a chunk (their rows are those of the whole dataset's), then sorted and
    sliced by the query's own ORDER BY, LIMIT and OFFSET in a query of those rows alone (a
    VALUES), so that the store orders them as the query does. Over one dataset, Oxigraph
    looks up each GRAPH ?var pattern of a bound node once per graph: events-by-state's page at
    offset 300 of 100,000 reports, over 280 graphs, took 478 s (the whole query's, past
    MOST_GRAPHS)."""
    page = query.paged(limit, offset)
    if len(graphs) <= CHUNK:
        return _over(store, graphs, page.bind(params))
    whole = query.bind(params)
    parts = [_over(store, graphs[start:start + CHUNK], whole)
             for start in range(0, len(graphs), CHUNK)]
    return _sorted_parts(store, page, parts) or _over(store, graphs, page.bind(params))


def _sorted_parts(store: Store, page: NamedQuery, parts: list[Plan]) -> Plan | None:
    """The page `page` (a listing's paged copy) of the rows of `parts`, which together give
    each of its rows once: each part run whole, then its rows sorted and sliced by the page's
    own ORDER BY, LIMIT and OFFSET in a query of those rows alone (a VALUES), so that the store
    orders them as the query does. None where a row holds a blank node (no VALUES of them)."""
    names: list[str] = []
    rows: list[str] = []
    for part in parts:
        results = store.query(part.text, **part.options())
        variables = results.variables
        names = [f"?{v.value}" for v in variables]
        for solution in results:
            terms = [solution[v] for v in variables]
            if any(isinstance(t, ox.BlankNode) for t in terms):
                return None
            rows.append("(" + " ".join("UNDEF" if t is None else str(t) for t in terms) + ")")
    # The query's prologue (its PREFIXes, which the ORDER BY may use) and its solution
    # modifiers (ORDER BY, this page's LIMIT and OFFSET) around the rows.
    blank = blank_out(page.text)
    select = re.search(r"\bSELECT\b", blank, re.IGNORECASE)
    head, tail = page.text[:select.start()], page.text[page._where_end() + 1:]
    # A row two parts give is one row of the listing, as its DISTINCT has it.
    distinct = "DISTINCT " if re.match(r"\s*DISTINCT\b", blank[select.end():], re.I) else ""
    columns = " ".join(names)
    body = "\n    ".join(rows)
    return Plan(f"{head}SELECT {distinct}{columns} WHERE {{\n  VALUES ({columns}) {{\n    {body}\n"
                f"  }}\n}}{tail}")


def _checked(store: Store, found: Plan) -> tuple[Plan, list[dict]]:
    """The plan's page run, for a walk to check it: the plan with its rows kept (Plan.rows:
    terms in their N-Triples syntax, as SPARQL TSV has them), and the rows as plain values."""
    results = store.query(found.text, **found.options())
    names = results.variables
    solutions = list(results)
    lines = ["\t".join(str(v) for v in names)]
    lines += ["\t".join("" if s[v] is None else str(s[v]) for v in names) for s in solutions]
    plain = [{v.value: (None if s[v] is None else s[v].value) for v in names}
             for s in solutions]
    return replace(found, rows=("\n".join(lines) + "\n").encode("utf-8")), plain


def prepare(store: Store) -> None:
    """Reads now what the walks read once per store version (the report graphs in id order,
    the publication dates), so that the first page after it costs only its steps: a server
    does this before it answers (web/warm.py). Nothing on a store the walks do not read."""
    if getattr(store, "embedded", False):
        dates, keyed = _published_dates(store), _keyed_digests(store) is not None
        # Where the digests' keys cannot lead the walks by id and by earliest date; and for
        # the walk by publication date over reports with none.
        if not keyed or dates is not None and dates[0]:
            _report_graphs(store)
        if not keyed:
            _earliest_dates(store)


def _keyed(store: Store, query: NamedQuery, params: dict[str, list[str]], limit: int,
           offset: int) -> Plan:
    """A page of a query paged by keys (module doc), read over the report graphs of its
    first keys: the keys query gives each row's first ORDER BY keys (its `# key:` columns,
    which are the listing's too) and the graph holding all of that row, cheaply and unsorted;
    the page then runs over the graphs of the first offset + limit keys in key order. It is
    the listing's page if its last row's key is among those keys (every row up to it is then
    in a graph read); else some keys gave no row and twice as many are read. The whole store
    where the keys query does not take a given param.

    A keys query with a `# binds: PARAM` line gives, instead of ?g, the value of the
    listing's param PARAM that narrows it to that row (relations-summary's `pair`: the
    summary graph's observations are in one graph); the page is then the listing with PARAM
    bound to the first keys' values, where the user has not given PARAM.

    A keys query with a `# narrows: PARAM` line gives the graphs and, in the column PARAM,
    the value of the listing's param PARAM each row has: the page is then read over the
    graphs of its first keys with PARAM bound to their values too, where the user has not
    given PARAM (state-relations' relations: Virtuoso read a hub's page over 48 graphs in 7-9
    s, over them and their 11 relations in 1.3 s). Rows of those graphs and values only,
    so the same check holds."""
    keys_query = load(query.keys_query)
    # On a SPARQL server, where the keys come from the keys query's shape for that server,
    # each graph's report id (the keys' `report`) is bound beside the graph (_over):
    # Virtuoso read timeline's page over a hub's graphs in 2.8-4.0 s at 100,000 reports,
    # 0.1-0.7 s so. Not for the others: bound so, evidence's page took it 10-11 s against
    # 0.4-0.8 s, and state-relations' (with its relations) ran past its 40 s.
    reports: dict[str, str] | None = None
    if keys_query.on_a_server and not getattr(store, "embedded", False):
        keys_query = load(keys_query.on_a_server)
        reports = {}
    page = query.paged(limit, offset)
    text = page.bind(params)
    binds = keys_query.binds
    if not keys_query.sort_keys or any(k not in keys_query.params for k in params) or \
            (binds and (binds not in query.params or binds in params)):
        return Plan(text)
    narrows = keys_query.narrows if keys_query.narrows in query.params and \
        keys_query.narrows not in params else ""
    # key -> the graphs holding its rows, or the values of the param `binds` naming them
    holders: dict[tuple, set[str]] = {}
    narrowed: dict[tuple, set[str]] = {}   # key -> its rows' values of the param `narrows`

    def add(rows) -> None:
        for row in rows:
            key = _sort_key(keys_query.sort_keys, row)
            holders.setdefault(key, set()).add(row[binds or "g"])
            if narrows and row.get(narrows) is not None:
                narrowed.setdefault(key, set()).add(row[narrows])
            if reports is not None and not binds and row.get("report") is not None:
                reports[row["g"]] = row["report"]

    take = max(offset + limit, 1)
    # A page far in reads most keys either way: the keys query whole is one read of them.
    walk = _ordered_keys(store, keys_query, add) if not params and take <= LARGEST_STEP \
        else None
    if walk is not None:
        try:
            walk.up_to(take)
        except _Unordered:
            holders.clear()
            narrowed.clear()
            walk = None
    if walk is None:
        add(iter_rows(store.query(keys_query.bind(params))))
    complete = walk is None or walk.done
    keys = sorted(holders) if complete else walk.final(holders)
    while True:
        while not complete and len(keys) < take:
            try:
                walk.up_to(take)
            except _Unordered:
                return Plan(text)   # not as summaries writes them: the listing itself
            complete = walk.done
            keys = sorted(holders) if complete else walk.final(holders)
        if complete and 2 * take > len(keys):
            # Most of the rows: the listing itself costs less than the walk (binding
            # relations-summary to 3,050 of 3,735 pairs took 2.3 s, the whole 0.3).
            return Plan(text)
        chosen = sorted(set().union(*(holders[k] for k in keys[:take])))
        if binds and len(chosen) > LARGEST_STEP:
            # Bound to thousands of values at once a listing's VALUES joins cost more than
            # its rows (relations-summary over 3,000 pairs: 4.8 s; 256 at a time, 2.4).
            found = _sorted_parts(store, page, [
                Plan(query.bind({**params, binds: chosen[i:i + LARGEST_STEP]}))
                for i in range(0, len(chosen), LARGEST_STEP)]) or \
                Plan(page.bind({**params, binds: chosen}))
        elif binds:
            found = Plan(page.bind({**params, binds: chosen}))
        elif narrows:
            values = sorted(set().union(*(narrowed.get(k, ()) for k in keys[:take])))
            found = _over(store, chosen, page.bind({**params, narrows: values}))
        else:
            found = _over(store, chosen, text,
                          reports if reports and all(g in reports for g in chosen) else None)
        found, rows = _checked(store, found)
        if limit == 0 or len(rows) == limit and \
                _sort_key(keys_query.sort_keys, rows[-1]) <= keys[take - 1]:
            return found
        take *= 2


def _ordered_keys(store: Store, keys_query: NamedQuery, add) -> "_OrderedKeys | None":
    """The keys query's rows read a first key at a time in that key's order (`_OrderedKeys`),
    from the index of its `# in order:` property in the summary graph; None where the store's
    index keeps no order or the query has no such line."""
    binds = keys_query.binds
    if not keys_query.in_order or not binds or binds not in keys_query.params or \
            not getattr(store, "sorts_short_strings", False):
        return None
    return _OrderedKeys(store, keys_query, add)


class _OrderedKeys:
    """A walk of a keys query's rows in the order of its first key: the values of its
    `# in order:` property read from the index (`_date_runs`), and the keys query bound to the
    nodes of each next few values (its `binds` param), its rows given to `add`. Keys up to the
    last value read are final: no node not yet read has a lesser first key. _Unordered where
    the index is not as summaries writes it."""

    def __init__(self, store: Store, keys_query: NamedQuery, add) -> None:
        self.store, self.keys_query, self.add = store, keys_query, add
        self.runs = _date_runs(store.quads_for_pattern(
            None, ox.NamedNode(str(V.BKG[keys_query.in_order])), None, _SUMMARY))
        self.last: str | None = None
        self.done = False
        self.read = 0   # the nodes read

    def up_to(self, take: int) -> None:
        """Reads on until `take` nodes have been read past those before, or to the end."""
        goal, nodes = self.read + take, []
        while self.read < goal:
            run = next(self.runs, None)
            if run is None:
                self.done = True
                break
            self.last = run[0]
            nodes += [n.value for n in run[1]]
            self.read += len(run[1])
        for i in range(0, len(nodes), LARGEST_STEP):   # a large VALUES is slow (module doc)
            self.add(iter_rows(self.store.query(self.keys_query.bind(
                {self.keys_query.binds: nodes[i:i + LARGEST_STEP]}))))

    def final(self, holders: dict) -> list[tuple]:
        """The keys known to be in their place, in order: those whose first key is at most
        the last value read (a node may have another, later value too)."""
        return sorted(k for k in holders if self.last is not None and k[0] <= (0, self.last))


def _sort_key(columns: list[tuple[str, str | None]], row: dict) -> tuple:
    """A row's place in the order of its `# key:` columns (see NamedQuery.sort_keys), as
    SPARQL orders them: plain values compare as strings (code points)."""
    out = []
    for name, unbound in columns:
        value = row.get(name)
        if value is None:
            out.append((1, "") if unbound == "last" else (0, unbound) if unbound is not None
                       else (-1, ""))
        else:
            out.append((0, value))
    return tuple(out)


def iter_rows(results):
    """Solutions as dicts of plain values (an IRI's or a literal's text; None if unbound)."""
    names = [v.value for v in results.variables]
    for solution in results:
        yield {n: (None if (t := solution[n]) is None else t.value) for n in names}


def _steps(store: Store, order: str, first: int, reports: dict[str, str] | None = None):
    """The store's report graphs in the order `order` names, as lists of a few graphs, each
    list growing up to LARGEST_STEP; None where that order cannot be read (report digests
    that give a report two publication dates). On a SPARQL server, `reports` is given each
    graph's report id, from its digest, as the steps are read."""
    if order == "report":
        if not getattr(store, "embedded", False):
            return _digest_steps(store, first, reports)
        if _keyed_digests(store) is not None:
            return _sizes(_by_id_keys(store), first)
        return _sizes(_report_graphs(store), first)
    dates = _published_dates(store)
    if dates is None:
        return None
    return _by_dates(store, dates, first, reports)


def _digest_steps(store: Store, first: int, reports: dict[str, str] | None = None):
    """The report graphs in the order of their ids, steps as _sizes makes them, each read from
    the summary's digests when the walk comes to it (report-graphs, a page of it): on a
    SPARQL server, where reading every report graph's name reads every quad (Virtuoso)."""
    start, step = 0, first
    while True:
        rows = [(row["g"].value, row["report"].value)
                for row in run(store, "report-graphs", limit=step, offset=start)]
        graphs = [g for g, _ in rows]
        if reports is not None:
            reports.update(rows)
        if graphs:
            yield graphs
        if len(graphs) < step:
            return
        start, step = start + step, min(step * 2, LARGEST_STEP)


def _sizes(graphs: Iterable[str], first: int):
    """The graphs as lists of `first`, then twice as many, up to LARGEST_STEP; read from
    `graphs` (a list, or a walk) only as the steps are taken."""
    graphs, step = iter(graphs), first
    while part := list(itertools.islice(graphs, step)):
        yield part
        step = min(step * 2, LARGEST_STEP)


def _by_dates(store: Store, dates: tuple[int, list[tuple[str, int]]], first: int,
              ids: dict[str, str] | None = None):
    """The reports with no publication date, then those of each date in order, a step of
    whole dates at a time (a page boundary inside a date is the query's to place)."""
    undated, counted = dates
    if undated:
        # Rare (kg writes a date for every report): every dated id read to leave them out.
        dated = {r[0].value for r in run(store, "published-reports",
                                         {"published": [d for d, _ in counted]})}
        yield from _sizes([g for g in _report_graphs(store)
                           if V.report_of_graph(g) not in dated], first)
    step, i = first, 0
    while i < len(counted):
        j, reports = i, 0
        while j < len(counted) and (reports < step or j == i):
            reports += counted[j][1]
            j += 1
        chosen = sorted(r[0].value for r in run(store, "published-reports",
                                                {"published": [d for d, _ in counted[i:j]]}))
        if ids is not None:
            ids.update((V.graph_iri(r), r) for r in chosen)
        yield [V.graph_iri(r) for r in chosen]
        i, step = j, min(step * 2, LARGEST_STEP)


def _walks(store: Store, order: str) -> bool:
    """Whether a page of a listing paged by `order` is read over a few report graphs on this
    store: on the embedded one, and on a store that says it reads a page of GRAPH ?g bound by
    VALUES fast (Virtuoso: `reports`' first page over 55 graphs 0.12 s, the whole 12.3 s, at
    10,000 reports); by report id there where the summary's digests give every report graph
    with its id (_by_digests), as listing the graphs themselves reads every quad there."""
    if getattr(store, "embedded", False):
        return True
    return getattr(store, "pages_by_graph_values", False) and \
        (order != "report" or _by_digests(store))


def _by_digests(store: Store) -> bool:
    """Whether the summary's digests give each report graph once, with one id, and as many
    as the reports it counts (report-graphs-counted); read again after any write."""
    def read(store):
        rows = list(iter_rows(run(store, "report-graphs-counted")))
        return len(rows) == 1 and rows[0]["ids"] is not None and \
            rows[0]["ids"] == rows[0]["graphs"] == rows[0]["all"]
    return _per_version(store, "digests", read)


def _over(store: Store, graphs: list[str], text: str,
          reports: dict[str, str] | None = None) -> Plan:
    """`text` read over these report graphs: on the embedded store as its dataset
    (`_dataset`); on another, with `?g` bound to them by a VALUES opening the WHERE group,
    which gives the rows of the whole query whose ?g is one of them, as the dataset does (a
    query paged by graphs has all of each row in its graph ?g). With `reports` (each graph's
    report id, from its digest), `?report` is bound beside it, pair by pair: for a listing
    paged by report or by date, whose GRAPH ?g reads the report's `dct:identifier ?report`,
    the same rows. Virtuoso has no index led by the graph, and read a graph bound alone from
    every graph's entries of each pattern: at 100,000 reports the first page of `relations`,
    `agreements` over 100 graphs past its 40 s limit, `officials` 29 s; with the id bound it
    starts from the report's node, 0.2-0.6 s."""
    if getattr(store, "embedded", False):
        return replace(_dataset(graphs), text=text)
    blank = blank_out(text)
    first = re.search(r"\bGRAPH\s+\?g\s*\{", blank, re.IGNORECASE)
    if first is None:
        raise QueryError("a listing paged by graphs reads GRAPH ?g")
    # The outermost WHERE group around the first GRAPH ?g where ?g is in scope: each
    # subquery between them keeps it (`SELECT *` or `?g`); a VALUES outside a subquery that
    # keeps ?g to itself would bind nothing. (Virtuoso read timeline's page over 36 graphs in
    # 0.27 s so, 1.8 s with the VALUES inside its subquery.)
    groups: list[tuple[int, str] | None] = []   # open there: WHERE's brace end, projection
    for m in re.finditer(r"\bWHERE\s*\{|[{}]", blank[:first.start()], re.IGNORECASE):
        if m[0] == "}":
            groups.pop()
        elif m[0] == "{":
            groups.append(None)
        else:
            select = max((s.end() for s in re.finditer(r"\bSELECT\b", blank[:m.start()],
                                                        re.IGNORECASE)), default=m.start())
            groups.append((m.end(), blank[select:m.start()]))
    wheres = [g for g in groups if g is not None]
    if not wheres:
        raise QueryError("a listing paged by graphs reads GRAPH ?g in a WHERE group")
    where, projection = wheres[-1]
    for outer, outer_projection in reversed(wheres[:-1]):
        if not re.search(r"\*|\?g\b", projection):
            break
        where, projection = outer, outer_projection
    if reports is not None:
        values = " ".join(f"(<{g}> {_string_literal(reports[g])})" for g in graphs)
        return Plan(f"{text[:where]}\n  VALUES (?g ?report) {{ {values} }}{text[where:]}")
    values = " ".join(f"<{g}>" for g in graphs)
    return Plan(f"{text[:where]}\n  VALUES ?g {{ {values} }}{text[where:]}")


def _dataset(graphs: list[str]) -> Plan:
    # The default graph: the ontology's, whose code lists (skos:notation) are all a query
    # paged by report reads outside GRAPH ?g. With the report graphs in it too, Oxigraph
    # joins them with one another: 5 s for 512 graphs against 0.2.
    return Plan("", default_graph=(V.ONTOLOGY_GRAPH,), named_graphs=tuple(graphs))


# What the walks read of each store, by name, with the store's version it was read at.
_READ: "weakref.WeakKeyDictionary[Store, dict[str, tuple[object, object]]]" = (
    weakref.WeakKeyDictionary())


def _per_version(store: Store, name: str, read):
    """`read(store)`, kept until the store's next write."""
    version, kept = store.version(), _READ.setdefault(store, {})
    hit = kept.get(name)
    if hit is None or hit[0] != version:
        hit = kept[name] = (version, read(store))
    return hit[1]


def _published_dates(store: Store) -> tuple[int, list[tuple[str, int]]] | None:
    """How many reports have no publication date, and each date with its reports, in order;
    read again after any write. None if the summary does not count the reports, or gives a
    report two dates (its rows would come in two steps)."""
    return _per_version(store, "dates", _read_dates)


def _read_dates(store: Store) -> tuple[int, list[tuple[str, int]]] | None:
    counted, dated, total = [], 0, None
    for row in run(store, "published-dates"):
        counted.append((row["published"].value, int(row["reports"].value)))
        dated, total = int(row["dated"].value), int(row["all"].value)
    counted.sort()
    # No count of reports: the summary graph is missing (a store opened read-only, written
    # by an older kg); the whole query then, not an empty listing.
    usable = total is not None and sum(n for _, n in counted) == dated <= total
    return (total - dated, counted) if usable else None


def _earliest_dates(store: Store) -> list[tuple[str, int]] | None:
    """Each earliest date of the report digests (a report graph's least date) with its
    reports, in order; read again after any write. None if the summary does not give every
    report one."""
    return _per_version(store, "earliest", _read_earliest)


def _read_earliest(store: Store) -> list[tuple[str, int]] | None:
    counted, total = [], None
    for row in run(store, "earliest-dates"):
        counted.append((row["earliest"].value, int(row["reports"].value)))
        total = int(row["all"].value)
    counted.sort()
    # A report with no digest, or two earliest dates, would be missed or read twice.
    return counted if total is not None and sum(n for _, n in counted) == total else None


def _least_dates(store: Store, least: str) -> tuple[list[tuple[str, int]], int] | None:
    """On a SPARQL server, each date the digests' property bkg:`least` gives (a keys query's
    `# least date:`) with its reports, in order, and the store's reports; read again after any
    write. None on the embedded store (_IndexedDates reads them from its index), or where
    some digest lacks the id keys written with these dates (a store summarised before them):
    then the earliest dates. Virtuoso walked agreements-by-state's first page over the first
    earliest date's 295 graphs at 100,000 reports; its first least agreement dates hold 3
    each."""
    if getattr(store, "embedded", False) or not getattr(store, "pages_by_graph_values", False):
        return None

    def read(store):
        total = _all_keyed(store)
        if total is None:
            return None
        counted = sorted((row["earliest"].value, int(row["reports"].value)) for row in
                         run(store, "least-dates", {"property": [str(V.BKG[least])]}))
        return counted, total
    return _per_version(store, f"least {least}", read)


# ---------------------------------------------------------------- the digests' sort keys
# On disk Oxigraph keeps a string literal of at most 15 bytes in the index key itself, so its
# GPOS index gives a predicate's such objects in byte order, the ids' order (summaries.id_keys;
# the store's `sorts_short_strings`). The digests' id keys (bkg:reportIdPart1, Part2) then
# give the first report graphs in id order without listing every graph (0.66-0.75 s at
# 100,000 reports, the most of `kg query`'s first page of a whole-store listing), and their
# least agreement and event dates the graphs the by-date listings read first.

_SUMMARY = ox.NamedNode(summaries.SUMMARY_GRAPH)
_PART1, _PART2, _DIGEST_OF = (ox.NamedNode(str(V.BKG[name])) for name in (
    "reportIdPart1", "reportIdPart2", "digestOf"))
_XSD_STRING = ox.NamedNode(str(V.XSD.string))
# A walk by id reads the keys for at most this many report graphs, then goes on over the list
# of every report graph from the last id it gave: a page that far in costs that list anyway.
KEYED_GRAPHS = 2048
# The digests alike in their first key are read from its index and ordered by each one's second
# key looked up, up to this many; past it (a year of "synthetic-2015-..." ids: 9,000 at 100,000
# reports, 0.15 s to read their digests' IRIs from that index), the second key's index is read
# in order and its digests of that first key picked out, as many as the page needs.
SMALL_GROUP = 512


class _Unordered(Exception):
    """The keys' index gave what summaries does not write: keys out of order or not short
    strings, a digest without one key or graph. The walk goes on the way it reads a store
    without keys."""


def _keyed_digests(store: Store) -> int | None:
    """The reports the summary counts, where as many digests have a first id key and as many
    a second (so written by a kg that writes them, with the least agreement and event dates
    beside: a store summarised before them has none until `kg reindex`, and a report written
    since by an older kg has none) and the store's index gives them in order; else None. Read
    again after any write: 0.06 s at 100,000 reports (each key counted alone: counting the
    digests with both took 1.7 s)."""
    if not getattr(store, "sorts_short_strings", False):
        return None
    return _per_version(store, "keyed", _all_keyed)


def _all_keyed(store: Store) -> int | None:
    """The reports the summary counts, where every digest has both id keys; else None."""
    rows = list(iter_rows(run(store, "report-keys-counted")))
    if len(rows) != 1 or rows[0]["all"] is None:
        return None
    part1, part2, total = (int(rows[0][k]) for k in ("part1", "part2", "all"))
    return total if part1 == part2 == total else None


def _key_text(term) -> str:
    """A key's text; _Unordered if it is not a string of at most KEY_BYTES bytes (whose place
    in the index is not its text's)."""
    if not isinstance(term, ox.Literal) or term.datatype != _XSD_STRING or \
            len(term.value.encode("utf-8")) > summaries.KEY_BYTES:
        raise _Unordered
    return term.value


def _date_runs(quads):
    """(value, subjects) of each run of equal objects of `quads`, given in object order (a
    predicate's index); _Unordered if an object is not a short string or comes before the
    one before it."""
    value, subjects = None, []
    for q in quads:
        text = _key_text(q.object)
        if text != value:
            if subjects:
                if text < value:
                    raise _Unordered
                yield value, subjects
            value, subjects = text, []
        subjects.append(q.subject)
    if subjects:
        yield value, subjects


def _digest_graph(store: Store, digest) -> tuple[str, str]:
    """(report id, report graph IRI) of a digest (bkg:digestOf)."""
    found = [q.object.value for q in store.quads_for_pattern(digest, _DIGEST_OF, None,
                                                             _SUMMARY)]
    report = V.report_of_graph(found[0]) if len(found) == 1 else None
    if report is None:
        raise _Unordered
    return report, found[0]


def _by_keys_index(store: Store):
    """(report id, graph) of each digest, in id order, from the id keys' index: the digests
    of the least first key, ordered by their second keys then their ids, then the next."""
    quads = store.quads_for_pattern
    index = iter(quads(None, _PART1, None, _SUMMARY))
    ahead = [next(index, None)]   # the first quad of the next first key's digests
    while ahead[0] is not None:
        key, group = _key_text(ahead[0].object), [ahead[0].subject]
        ahead[0] = None
        # A key that a param would bind as an IRI (an id "https://..."): its group read whole.
        large = False
        for q in _same_key(index, key, ahead):
            group.append(q.subject)
            if len(group) > SMALL_GROUP and not re.match(r"https?://", key):
                large = True
                break
        if not large:
            keyed = []
            for digest in group:
                second = [q.object for q in quads(digest, _PART2, None, _SUMMARY)]
                if len(second) != 1:
                    raise _Unordered
                keyed.append((_key_text(second[0]), *_digest_graph(store, digest)))
            yield from ((report, graph) for _, report, graph in sorted(keyed))
            continue
        yield from _large_group(store, key)
        for _ in _same_key(index, key, ahead):
            pass          # past the rest of the group: only when the walk goes beyond it


def _same_key(index, key: str, ahead: list):
    """The quads the first keys' index gives next while their key is `key`; the first quad
    of another key goes into `ahead[0]` (it stays None at the index's end). A lesser key
    means the index is not in order."""
    for q in index:
        text = _key_text(q.object)
        if text != key:
            if text < key:
                raise _Unordered
            ahead[0] = q
            return
        yield q


def _large_group(store: Store, key: str):
    """(report id, graph) of the digests of first key `key`, in id order: from the second
    key's index read in order, each digest's first key looked up, as far as the walk goes
    (counted first, report-key-group, to know where the group ends)."""
    rows = list(iter_rows(run(store, "report-key-group", {"key": [key]})))
    if len(rows) != 1:
        raise _Unordered
    left, first = int(rows[0]["digests"]), ox.Literal(key)
    quads = store.quads_for_pattern
    value, alike = None, []
    for q in quads(None, _PART2, None, _SUMMARY):
        text = _key_text(q.object)
        if text != value:
            if value is not None and text < value:
                raise _Unordered
            if alike:
                # Ids alike in their first 30 bytes: in the order of the whole ids.
                yield from sorted(_digest_graph(store, d) for d in alike)
                left, alike = left - len(alike), []
                if left == 0:
                    return
            value = text
        if any(True for _ in quads(q.subject, _PART1, first, _SUMMARY)):
            alike.append(q.subject)
    yield from sorted(_digest_graph(store, d) for d in alike)
    if left != len(alike):
        raise _Unordered


def _by_id_keys(store: Store):
    """The report graphs in the order of their ids, as `_report_graphs` gives them: the first
    KEYED_GRAPHS from the digests' keys (`_by_keys_index`), each id checked to come after the
    one before; the rest, or all after the last id given where the keys are not as summaries
    writes them, from `_report_graphs`."""
    last = None
    try:
        for n, (report, graph) in enumerate(_by_keys_index(store)):
            if n == KEYED_GRAPHS:
                break
            if last is not None and report <= last:
                raise _Unordered
            yield graph
            last = report
        else:
            return   # every digest given: every report graph a listing has rows of
    except _Unordered:
        pass
    graphs = _report_graphs(store)
    start = 0 if last is None else bisect.bisect_right(graphs, last, key=V.report_of_graph)
    yield from graphs[start:]


def _report_graphs(store: Store) -> list[str]:
    """The store's report graphs (IRIs), in the order of their ids (the order of ?report in
    ORDER BY: both compare code points); read again after any write."""
    # ~0.35 s at 100,000 reports; once per write, not per page.
    return _per_version(store, "graphs",
                        lambda s: [V.graph_iri(i) for i in s.report_ids()])


# ---------------------------------------------------------------- formatting

def _short(term) -> str:
    """A readable cell: an IRI's last path segment, a literal's lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        tail = re.split(r"[/#]", term.value.rstrip("/"))[-1]
        return tail or term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def table(results) -> str:
    """Aligned text for people; IRIs shortened to their last segment."""
    if isinstance(results, ox.QueryBoolean):
        return "true\n" if bool(results) else "false\n"
    names = [v.value for v in results.variables]
    # Control characters would break the alignment; a space keeps the words apart.
    rows = [[re.sub(r"[\t\r\n]+", " ", _short(row[n])) for n in names] for row in results]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(results, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """SELECT/ASK results in csv, tsv, json, xml or table; CONSTRUCT/DESCRIBE as Turtle, with
    `prefixes` (name -> namespace; the store's PREFIXES, which this layer cannot import)."""
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    if fmt == "table":
        return table(results).encode("utf-8")
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if isinstance(results, ox.QueryBoolean) and fmt in ("csv", "tsv"):
        # The W3C CSV/TSV formats define no boolean form; a bare value is the usual practice.
        return b"true\n" if bool(results) else b"false\n"
    return results.serialize(format=RESULT_FORMATS[fmt])


def describe(query: NamedQuery) -> dict:
    """A named query as plain data, for `kg query --list` and the web index."""
    return {"name": query.name, "title": query.title, "description": query.description,
            "params": [{"name": p.name, "required": p.required, "description": p.description}
                       for p in query.params.values()]}


def listing(queries: list[NamedQuery]) -> str:
    out = []
    for q in queries:
        out.append(q.signature())
        if q.title or q.description:
            out.append("    " + " - ".join(x for x in (q.title, q.description) if x))
        for p in q.params.values():
            req = " (required)" if p.required else ""
            out.append(f"    --param {p.name}=...{req}  {p.description}".rstrip())
    return "\n".join(out) + ("\n" if out else "")

