"""A store on a SPARQL 1.1 endpoint: `--store sparql+http://host:port/path` (or sparql+https).

`RemoteStore` has `Store`'s interface (kg/store.py): `query()` returns the same pyoxigraph
result objects, parsed from the server's answer, so callers cannot tell the two apart. The URL
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
(the report has no stored content hash, so it is not skipped).

Virtuoso's default graph is the union of all its graphs, its own system graphs included. The
named queries only match the project's vocabulary and read report graphs, so these never reach
their rows (tests/test_remote_store.py compares every one with the embedded store's). What
reads whole graphs here (stats, export, quads_for_pattern, version) leaves out the graphs
outside the project's namespace (V.GRAPH) that the server held when the store was opened, with
a standard FILTER: Virtuoso's `define input:default-graph-exclude` pragma also hides graphs
named in GRAPH <...> (7.2), so it is not used.
"""
from __future__ import annotations

import os
import re
import warnings
from typing import IO, Iterable
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import rdflib
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from kg import vocabulary as V
from kg.queries import blank_out
from kg.store import (COUNTED_CLASSES, EXPORT_FORMATS, REMOTE_SCHEMES, REPORT_GRAPH_PREFIX,
                      Store, StoreError, _ox_term)

ENV_UPDATE_URL = "KG_STORE_UPDATE_URL"
ENV_GSP_URL = "KG_STORE_GSP_URL"
ENV_USER = "KG_STORE_USER"
ENV_PASSWORD = "KG_STORE_PASSWORD"
ENV_TOKEN = "KG_STORE_TOKEN"
ENV_TIMEOUT = "KG_STORE_TIMEOUT"
CREDENTIAL_VARIABLES = f"{ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN})"

BLOCK_TRIPLES = 1_000
REQUEST_TRIPLES = 20_000

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RESULT_PARSERS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "text/csv": ox.QueryResultsFormat.CSV,
}
GRAPH_PARSERS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/ntriples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-quads": ox.RdfFormat.N_QUADS,
}

_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)



def query_form(text: str) -> str:
    m = _FORM.search(blank_out(text))
    return m.group(1).upper() if m else "SELECT"


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


def trailing_values_inside(text: str) -> str:
    """A trailing VALUES clause (how kg.queries binds params) moved to the end of the outer
    WHERE group. Virtuoso 7 ignores a trailing VALUES, or refuses it when its variables are
    not projected; joined at the end of the group it binds what it binds on Oxigraph (the
    parity test checks every named query)."""
    blank = blank_out(text)
    depth, top = 0, []
    for i, ch in enumerate(blank):
        if ch == "{":
            depth += 1
            if depth == 1:
                top.append([i, None])
        elif ch == "}":
            depth -= 1
            if depth == 0 and top:
                top[-1][1] = i
    values = None
    for m in re.finditer(r"\bVALUES\b", blank, re.IGNORECASE):
        inside = sum(1 for start, end in top if start < m.start() < (end or len(blank)))
        if not inside:
            values = m.start()
    where = next(((start, end) for start, end in top
                  if re.search(r"\bWHERE\s*$", blank[:start], re.IGNORECASE)), None)
    if where is None and top and not re.search(r"\bCONSTRUCT\s*$", blank[:top[0][0]],
                                               re.IGNORECASE):
        where = top[0]  # SELECT * { ... }: no WHERE keyword
    if values is None or where is None or where[1] is None or values < where[1]:
        return text
    close = where[1]
    return (text[:close] + "\n" + text[values:].strip() + "\n" + text[close:values]).rstrip() \
        + "\n"


def _mime(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


class RemoteStore(Store):
    """`Store` over HTTP; see the module doc. Use `Store.open("sparql+http://...")`."""

    is_remote = True

    def __init__(self, query_url: str, *, update_url: str | None = None,
                 gsp_url: str | None = None, user: str | None = None,
                 password: str | None = None, token: str | None = None,
                 timeout: float = 300.0):
        for name, url in (("the store URL", query_url), (ENV_UPDATE_URL, update_url),
                          (ENV_GSP_URL, gsp_url)):
            if url and (urlsplit(url).username or urlsplit(url).password):
                raise StoreError(
                    f"{name}: credentials in the URL are refused (they would show in process "
                    f"lists and logs); remove them and set {CREDENTIAL_VARIABLES}")
        self.url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url or None
        self.path = "sparql+" + query_url  # what messages show, as a folder's path does
        self.timeout = timeout
        self._user, self._password, self._token = user, password, token
        self._auth = None  # chosen from the server's first challenge
        self._session = requests.Session()
        self._closed = False
        self._virtuoso = False
        self._excluded: list[str] = []
        self._ontology_error: StoreError | None = None
        self._probe()
        try:
            self._load_ontology()
        except StoreError as e:
            # A read-only user can still query; writes will say why the ontology is missing.
            self._ontology_error = e
            warnings.warn(f"{e} (queries run without the current ontology graph)",
                          stacklevel=2)

    @classmethod
    def from_url(cls, location: str) -> "RemoteStore":
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

    # ------------------------------------------------------------ HTTP

    def _request(self, method: str, url: str, what: str, *, write: bool = False,
                 timeout: float | None = None, **kwargs) -> requests.Response:
        if self._closed:
            raise StoreError(f"store {self.path}: already closed")
        headers = kwargs.pop("headers", {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        for attempt in range(2):
            try:
                response = self._session.request(
                    method, url, headers=headers, auth=None if self._token else self._auth,
                    timeout=timeout or self.timeout, **kwargs)
            except requests.Timeout:
                raise StoreError(f"store {self.path}: no answer from {url} to a {what} within "
                                 f"{timeout or self.timeout:g} s; check the server, or raise "
                                 f"{ENV_TIMEOUT}") from None
            except requests.RequestException as e:
                reason = getattr(e, "args", [None])[0]
                raise StoreError(
                    f"store {self.path}: cannot reach {url} ({type(e).__name__}: "
                    f"{_short(str(reason), 160)}); check that the server runs and that the "
                    f"URL is right") from None
            if (response.status_code == 401 and attempt == 0 and self._auth is None
                    and self._user and not self._token):
                challenge = response.headers.get("WWW-Authenticate", "").lower()
                self._auth = (HTTPBasicAuth if challenge.startswith("basic")
                              else HTTPDigestAuth)(self._user, self._password)
                continue
            break
        if response.status_code < 400:
            return response
        self._raise(response, url, what, write)

    def _raise(self, response: requests.Response, url: str, what: str, write: bool):
        status, text = response.status_code, _short(response.text or response.reason or "")
        where = f"store {self.path}: {url} refused the {what} ({status}"
        if status == 401:
            if self._user or self._token:
                raise StoreError(f"{where}: wrong credentials); check {CREDENTIAL_VARIABLES}")
            raise StoreError(f"{where}: it needs credentials); set {CREDENTIAL_VARIABLES}")
        readonly = status == 403 or (status >= 500 and re.search(
            r"SECURITY|permission|read-only", text, re.IGNORECASE))
        if write and readonly:
            raise StoreError(
                f"{where}: {text}); it does not take writes from this user. Set "
                f"{ENV_UPDATE_URL} to an update endpoint (Virtuoso: http://HOST:PORT/"
                f"sparql-auth) and {CREDENTIAL_VARIABLES}")
        if status == 400 and what in ("query", "update"):
            raise SyntaxError(f"{url} refused the {what}: {text}")
        raise StoreError(f"{where}: {text}); check the server's log")

    def _probe(self) -> None:
        """Checks that the endpoint answers, and learns whether it is Virtuoso."""
        response = self._request("GET", self.url, "query", params={"query": "ASK {}"},
                                 headers={"Accept": RESULTS_ACCEPT})
        self._virtuoso = "virtuoso" in response.headers.get("Server", "").lower()
        if self._virtuoso:
            rows = self._select_raw(
                f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(!STRSTARTS(STR(?g), \"{V.GRAPH}\")) }}")
            self._excluded = sorted(r["g"] for r in rows if r["g"])

    # ------------------------------------------------------------ opening and closing

    def flush(self) -> None:
        """Nothing to do: the server decides when its writes reach disk."""

    def close(self) -> None:
        if not self._closed:
            self._session.close()
            self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def ox(self):
        raise StoreError(f"store {self.path}: a remote store has no local Oxigraph database; "
                         f"this needs a store folder (--store DIR)")

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
        if self._virtuoso:
            text = trailing_values_inside(text)
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
        form = query_form(sparql)
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        response = self._request(
            "POST", self.url, "query", params=params,
            data={"query": text},
            headers={"Accept": GRAPH_ACCEPT if graph_result else RESULTS_ACCEPT})
        results = self._parse(response, graph_result)
        if form == "ASK" and not isinstance(results, ox.QueryBoolean):
            # Virtuoso 7 answers ASK as one column __ASK_RETVAL: a row (value 1) means true.
            truth = any(row[0] is not None and row[0].value not in ("0", "false")
                        for row in results)
            results = ox.parse_query_results(
                b'{"head":{},"boolean":' + (b"true" if truth else b"false") + b"}",
                format=ox.QueryResultsFormat.JSON)
        return results

    def _parse(self, response: requests.Response, graph_result: bool):
        mime = _mime(response)
        try:
            if graph_result:
                fmt = GRAPH_PARSERS.get(mime)
                if fmt is None:
                    raise StoreError(f"store {self.path}: the server answered a CONSTRUCT "
                                     f"with {mime or 'no content type'}, not RDF")
                triples = [q.triple if isinstance(q, ox.Quad) else q
                           for q in ox.parse(response.content, format=fmt)]
                # A genuine QueryTriples, as an embedded store gives, from a scratch store.
                scratch = ox.Store()
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
                return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
            fmt = RESULT_PARSERS.get(mime)
            if fmt is None:
                raise StoreError(f"store {self.path}: the server answered with "
                                 f"{mime or 'no content type'}, not SPARQL results")
            content = response.content
            if self._virtuoso and fmt == ox.QueryResultsFormat.JSON:
                # Virtuoso names blank nodes nodeID://b123, not a valid blank node label.
                content = _VIRTUOSO_BNODE.sub(rb"\1", content)
            return ox.parse_query_results(content, format=fmt)
        except SyntaxError as e:
            raise StoreError(f"store {self.path}: cannot read the server's answer ({e})") \
                from None

    def _select_raw(self, sparql: str) -> list[dict[str, str | None]]:
        """Plain SELECT rows, before the store is fully set up."""
        response = self._request("POST", self.url, "query", data={"query": sparql},
                                 headers={"Accept": RESULTS_ACCEPT})
        results = self._parse(response, False)
        names = [v.value for v in results.variables]
        return [{n: (t.value if t is not None else None) for n, t in zip(names, row)}
                for row in results]

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
            response = self._request("GET", self.gsp_url, "Graph Store read",
                                     params={"graph": graph},
                                     headers={"Accept": "application/n-triples"})
            fmt = GRAPH_PARSERS.get(_mime(response), ox.RdfFormat.N_TRIPLES)
            return [q.triple if isinstance(q, ox.Quad) else q
                    for q in ox.parse(response.content, format=fmt)]
        return list(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> "
                               f"{{ ?s ?p ?o }} }}"))

    def dump_graph(self, graph: str | None, fmt: ox.RdfFormat) -> bytes:
        if graph is None:
            raise StoreError(f"store {self.path}: a remote store's default graph is the union "
                             f"of its graphs; name a graph")
        from kg.store import PREFIXES

        return ox.serialize(self._graph_triples(graph), format=fmt,
                            prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)

    def graph(self, report_id: str) -> rdflib.Graph:
        data = self.dump_graph(V.graph_iri(report_id), ox.RdfFormat.N_TRIPLES)
        graph = rdflib.Graph(identifier=rdflib.URIRef(V.graph_iri(report_id)))
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def _snapshot(self) -> Store:
        """The project's graphs copied into an in-memory Store (for exports and rdflib)."""
        scratch = ox.Store()
        scratch.extend(self.quads_for_pattern())
        return Store(scratch, ontology=False)

    def subset(self, graphs: Iterable[str]) -> Store:
        """A new in-memory Store holding a copy of these named graphs (see Store.subset)."""
        copy = Store(ox.Store(), ontology=False)
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
        return {"reports": len(self.report_ids()), "triples": self.version(),
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
        self._request("POST", self.update_url, "update", write=True, data={"update": text},
                      headers={"Accept": "*/*"})

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

    def _write_units(self, units: list[tuple[list[str], int]]) -> None:
        """Sends units (operations, triple count): whole units per request when they fit in
        REQUEST_TRIPLES; a unit larger than that is split between requests."""
        pending: list[str] = []
        size = 0
        for ops, n in units:
            if pending and size + n > REQUEST_TRIPLES:
                self._send_update(" ;\n".join(pending))
                pending, size = [], 0
            if n > REQUEST_TRIPLES:
                per = max(1, REQUEST_TRIPLES // BLOCK_TRIPLES)
                for start in range(0, len(ops), per):
                    self._send_update(" ;\n".join(ops[start:start + per]))
                continue
            pending.extend(ops)
            size += n
        if pending:
            self._send_update(" ;\n".join(pending))

    def _replace_unit(self, graph: str, triples: list[ox.Triple]) -> tuple[list[str], int]:
        return [f"DROP SILENT GRAPH <{graph}>", *self._insert_blocks(graph, triples)], \
            len(triples)

    def _replace_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> None:
        self._write_units([self._replace_unit(graph_iri, list(triples))])

    def replace_reports(self, items: Iterable[tuple[str, rdflib.Graph]]) -> None:
        """Replaces several reports' graphs: each report's in one request (module doc)."""
        self._writable()
        self._write_units([self._replace_unit(
            V.graph_iri(report_id),
            [ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in graph])
            for report_id, graph in items])

    def remove_report(self, report_id: str) -> bool:
        return self.delete_graph(V.graph_iri(report_id))

    def _gsp(self, method: str, graph: str, triples: list[ox.Triple] | None = None) -> None:
        body = None if triples is None else ox.serialize(triples,
                                                         format=ox.RdfFormat.N_TRIPLES)
        self._request(method, self.gsp_url, "Graph Store write", write=True,
                      params={"graph": graph}, data=body,
                      headers={"Content-Type": "application/n-triples"} if body is not None
                      else {})

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
        if self.gsp_url:
            self._gsp("PUT", graph, triples)
        else:
            self._replace_graph(graph, triples)

    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        self._writable()
        graph, triples = self._named_only(graph), list(triples)
        self._include(graph)
        if self.gsp_url:
            self._gsp("POST", graph, triples)
        elif triples:
            self._write_units([(self._insert_blocks(graph, triples), len(triples))])

    def delete_graph(self, graph: str | None) -> bool:
        self._writable()
        graph = self._named_only(graph)
        if not self.has_graph(graph):
            return False
        self._send_update(f"DROP SILENT GRAPH <{graph}>")
        return True

    def _include(self, graph: str) -> None:
        # A graph written through kg is part of the project's data from now on.
        if graph in self._excluded:
            self._excluded.remove(graph)


__all__ = ["RemoteStore", "query_form", "ENV_UPDATE_URL", "ENV_GSP_URL", "ENV_USER",
           "ENV_PASSWORD", "ENV_TOKEN", "ENV_TIMEOUT"]
