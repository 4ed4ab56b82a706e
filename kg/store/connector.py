"""HTTP to a SPARQL 1.1 server, for kg/store/sparql.py: the requests session, authentication,
the retry on the server's first challenge, error messages, reading the server's answers, and
Virtuoso's quirks (its blank node labels, its ASK answers, its trailing VALUES).

The store logic (which queries and updates to send) is in kg/store/sparql.py; this module knows
nothing of the project's graphs.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pyoxigraph as ox
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from kg.sparql_text import blank_out, tokens
from kg.store.base import PageTooDeep, StoreError

ENV_UPDATE_URL = "KG_STORE_UPDATE_URL"
ENV_GSP_URL = "KG_STORE_GSP_URL"
ENV_USER = "KG_STORE_USER"
ENV_PASSWORD = "KG_STORE_PASSWORD"
ENV_TOKEN = "KG_STORE_TOKEN"
ENV_TIMEOUT = "KG_STORE_TIMEOUT"
CREDENTIAL_VARIABLES = f"{ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN})"

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
# Virtuoso's refusal of an ORDER BY whose LIMIT + OFFSET passes its MaxSortedTopRows.
_SORTED_TOP = re.compile(r"SR353\b.*?(\d+) rows to sort\. Only (\d+) are allowed", re.S)


def query_form(text: str) -> str:
    m = _FORM.search(blank_out(text))
    return m.group(1).upper() if m else "SELECT"


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


# The terms sent as Virtuoso parameters: an IRI, or a plain literal without escapes (a code,
# a report id); any other value stays in the text.
_PARAM_TERM = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>|"[^"\\\n\r]*"')


def server_params(text: str) -> tuple[str, list[tuple[str, str]]]:
    """For Virtuoso: each one-row `VALUES (?x ...) { (TERM ...) }` opening a group (how
    kg.queries binds one value of each param where a `# bind:` line says) as
    `BIND(COALESCE(?::kgvN) AS ?x)` for each variable, TERM sent as the request's parameter
    `?kgvN`; the text, and those parameters. Virtuoso
    keeps a compiled plan per query text: a state's page, its code in the text, was compiled
    anew for every state (agreements-by-state 0.5-0.7 s of its 0.7-1.1; the same text again
    0.2 s), while a text whose values are parameters is compiled once for all (0.05-0.1 s
    for each other state). At a group's start the BIND gives the group what the VALUES did:
    the one solution binding ?x, joined with the rest. COALESCE: Virtuoso 7.2 refuses a
    variable bound to a bare parameter where no pattern reads it ("Missing named
    parameter"). Two params on one line (a pair of states: cq-representatives, pair-history)
    are two BINDs: each pair's text was compiled anew (0.9-1.0 s at 10,000 reports, then
    0.01-0.03 s)."""
    toks = tokens(text)
    pieces, params, last = [], [], 0
    for i, tok in enumerate(toks):
        if tok.keyword() != "VALUES" or i == 0 or toks[i - 1].text != "{":
            continue
        # ( ?x1 ... ?xn ) { ( t1 ... tn ) }: n variables, one row of n terms
        n = 0
        while i + 2 + n < len(toks) and toks[i + 2 + n].kind == "var":
            n += 1
        run = toks[i + 1:i + 2 * n + 7]
        shape = [t.kind if t.kind in ("var", "string", "iri") else t.text for t in run]
        terms = run[n + 4:2 * n + 4]
        if n == 0 or shape != ["(", *["var"] * n, ")", "{", "(", *shape[n + 4:2 * n + 4],
                               ")", "}"] or \
                any(t.kind not in ("string", "iri") or not _PARAM_TERM.fullmatch(t.text)
                    for t in terms):
            continue
        binds = []
        for var, term in zip(run[1:n + 1], terms):
            name = f"kgv{len(params)}"
            binds.append(f"BIND(COALESCE(?::{name}) AS {var.text})")
            params.append(("?" + name, term.text))
        pieces += [text[last:tok.start], " ".join(binds)]
        last = run[-1].end
    if not params:
        return text, []
    return "".join(pieces) + text[last:], params


def _mime(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


class SparqlConnector:
    """One SPARQL 1.1 server's query, update and (optional) Graph Store endpoints over HTTP.

    `label` is what error messages call the store. Credentials: HTTP Basic or Digest, chosen
    from the server's first challenge, or a Bearer token; never in a URL.
    """

    def __init__(self, query_url: str, *, update_url: str | None = None,
                 gsp_url: str | None = None, user: str | None = None,
                 password: str | None = None, token: str | None = None,
                 timeout: float = 300.0, label: str | None = None):
        for name, url in (("the store URL", query_url), (ENV_UPDATE_URL, update_url),
                          (ENV_GSP_URL, gsp_url)):
            if url and (urlsplit(url).username or urlsplit(url).password):
                raise StoreError(
                    f"{name}: credentials in the URL are refused (they would show in process "
                    f"lists and logs); remove them and set {CREDENTIAL_VARIABLES}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url or None
        self.timeout = timeout
        self.label = label or query_url
        self._user, self._password, self._token = user, password, token
        self._auth = None  # chosen from the server's first challenge
        self._session = requests.Session()
        self._closed = False
        self.virtuoso = False  # learnt by probe()

    def close(self) -> None:
        if not self._closed:
            self._session.close()
            self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed

    # ------------------------------------------------------------ requests

    def request(self, method: str, url: str, what: str, *, write: bool = False,
                timeout: float | None = None, **kwargs) -> requests.Response:
        """One HTTP request; an answer of 400 or more raises StoreError (SyntaxError for a
        query or update the server refused as malformed)."""
        if self._closed:
            raise StoreError(f"store {self.label}: already closed")
        headers = kwargs.pop("headers", {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        for attempt in range(2):
            try:
                response = self._session.request(
                    method, url, headers=headers, auth=None if self._token else self._auth,
                    timeout=timeout or self.timeout, **kwargs)
            except requests.Timeout:
                raise StoreError(f"store {self.label}: no answer from {url} to a {what} within "
                                 f"{timeout or self.timeout:g} s; check the server, or raise "
                                 f"{ENV_TIMEOUT}") from None
            except requests.RequestException as e:
                reason = getattr(e, "args", [None])[0]
                raise StoreError(
                    f"store {self.label}: cannot reach {url} ({type(e).__name__}: "
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
        where = f"store {self.label}: {url} refused the {what} ({status}"
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
        deep = _SORTED_TOP.search(response.text or "")
        if deep:
            raise PageTooDeep(
                f"store {self.label}: the server sorts at most {int(deep[2]):,} rows for a "
                f"page (LIMIT + OFFSET), and this one reaches {int(deep[1]):,}: raise "
                f"MaxSortedTopRows in the [Parameters] section of its virtuoso.ini, then "
                f"restart it (docs/remote-store.md)")
        raise StoreError(f"{where}: {text}); check the server's log")

    def probe(self) -> None:
        """Checks that the query endpoint answers, and learns whether it is Virtuoso."""
        response = self.request("GET", self.query_url, "query", params={"query": "ASK {}"},
                                headers={"Accept": RESULTS_ACCEPT})
        self.virtuoso = "virtuoso" in response.headers.get("Server", "").lower()

    # ------------------------------------------------------------ queries

    def adapt_query(self, text: str) -> str:
        """The query as this server must get it to answer as Oxigraph does (Virtuoso: a
        trailing VALUES moved inside the WHERE group)."""
        return trailing_values_inside(text) if self.virtuoso else text

    def query(self, text: str, form: str, params: list[tuple[str, str]] | None = None):
        """pyoxigraph results of a query of `form` (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        data = [("query", text)]
        if self.virtuoso:
            text, values = server_params(text)
            data = [("query", text), *values]
        response = self.request(
            "POST", self.query_url, "query", params=params or [],
            data=data,
            headers={"Accept": GRAPH_ACCEPT if graph_result else RESULTS_ACCEPT})
        results = self.parse(response, graph_result)
        if form == "ASK" and not isinstance(results, ox.QueryBoolean):
            # Virtuoso 7 answers ASK as one column __ASK_RETVAL: a row (value 1) means true.
            truth = any(row[0] is not None and row[0].value not in ("0", "false")
                        for row in results)
            results = ox.parse_query_results(
                b'{"head":{},"boolean":' + (b"true" if truth else b"false") + b"}",
                format=ox.QueryResultsFormat.JSON)
        return results

    def parse(self, response: requests.Response, graph_result: bool):
        """The server's answer as pyoxigraph results (QueryTriples for a graph result)."""
        mime = _mime(response)
        try:
            if graph_result:
                fmt = GRAPH_PARSERS.get(mime)
                if fmt is None:
                    raise StoreError(f"store {self.label}: the server answered a CONSTRUCT "
                                     f"with {mime or 'no content type'}, not RDF")
                triples = [q.triple if isinstance(q, ox.Quad) else q
                           for q in ox.parse(response.content, format=fmt)]
                # A genuine QueryTriples, as an embedded store gives, from a scratch store.
                scratch = ox.Store()
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
                return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
            fmt = RESULT_PARSERS.get(mime)
            if fmt is None:
                raise StoreError(f"store {self.label}: the server answered with "
                                 f"{mime or 'no content type'}, not SPARQL results")
            content = response.content
            if self.virtuoso and fmt == ox.QueryResultsFormat.JSON:
                # Virtuoso names blank nodes nodeID://b123, not a valid blank node label.
                content = _VIRTUOSO_BNODE.sub(rb"\1", content)
            return ox.parse_query_results(content, format=fmt)
        except SyntaxError as e:
            raise StoreError(f"store {self.label}: cannot read the server's answer ({e})") \
                from None

    def select_raw(self, sparql: str) -> list[dict[str, str | None]]:
        """Plain SELECT rows, sent as they are (no adaptation)."""
        response = self.request("POST", self.query_url, "query", data={"query": sparql},
                                headers={"Accept": RESULTS_ACCEPT})
        results = self.parse(response, False)
        names = [v.value for v in results.variables]
        return [{n: (t.value if t is not None else None) for n, t in zip(names, row)}
                for row in results]

    # ------------------------------------------------------------ updates and Graph Store

    def update(self, text: str) -> None:
        """One SPARQL Update request."""
        self.request("POST", self.update_url, "update", write=True, data={"update": text},
                     headers={"Accept": "*/*"})

    def gsp_read(self, graph: str) -> list[ox.Triple]:
        """The graph's triples through the Graph Store endpoint (`gsp_url` must be set)."""
        response = self.request("GET", self.gsp_url, "Graph Store read",
                                params={"graph": graph},
                                headers={"Accept": "application/n-triples"})
        fmt = GRAPH_PARSERS.get(_mime(response), ox.RdfFormat.N_TRIPLES)
        return [q.triple if isinstance(q, ox.Quad) else q
                for q in ox.parse(response.content, format=fmt)]

    def gsp_write(self, method: str, graph: str,
                  triples: list[ox.Triple] | None = None) -> None:
        """A Graph Store PUT, POST or DELETE of the graph (`gsp_url` must be set)."""
        body = None if triples is None else ox.serialize(triples,
                                                         format=ox.RdfFormat.N_TRIPLES)
        self.request(method, self.gsp_url, "Graph Store write", write=True,
                     params={"graph": graph}, data=body,
                     headers={"Content-Type": "application/n-triples"} if body is not None
                     else {})
