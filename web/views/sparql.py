"""The SPARQL Protocol endpoint (`/sparql`: 1.1, and 1.2's `version` parameter) and the Graph
Store HTTP Protocol (`/service`).

Reads need no token. Updates and Graph Store writes need `Authorization: Bearer <token>` when
`KG_UPDATE_TOKEN` is set, and are refused when it is not (web/auth.py). Queries run with a
deadline (`KG_QUERY_TIMEOUT`, seconds) and a cap on the rows or triples they return
(`KG_RESULT_LIMIT`), by the app's query runner (web/runner.py: worker processes that can be
killed); the limits come from the app's settings (web/settings.py).
"""
from __future__ import annotations

import os
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kg import queries as Q
from kg.sparql_text import Token
from kg.sparql_text import tokens as _tokens
from kg.store import PREFIXES, PageTooDeep, StoreError
from kg.web import auth
from kg.web.runner import BadQuery, QueryBusy, QueryFailed, QueryOutOfMemory, QueryTimeout
from kg.web.sparql_worker import Job, ResultTooLarge
from kg.web.state import state

bp = Blueprint("sparql", __name__)

# Media types, by the name pyoxigraph's serializers know; the first of each is the default.
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/xml": "XML",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/x-turtle": "TURTLE",
    "text/plain": "N_TRIPLES",
}
# Short names for the `format` parameter (for links and browsers that cannot set Accept).
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "ntriples": "application/n-triples",
    "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# Bodies the Graph Store Protocol accepts (graphs only: a PUT or POST writes one graph).
GSP_INPUT_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/n3": ox.RdfFormat.N3,
}
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"

class ProtocolError(Exception):
    """A request the endpoint refuses; `status` and the message go back as plain text."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def _error(status: int, message: str, headers: dict | None = None) -> Response:
    response = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


@bp.errorhandler(ProtocolError)
def _protocol_error(e: ProtocolError):
    return _error(e.status, str(e), e.headers)


@bp.errorhandler(StoreError)
def _store_error(e: StoreError):
    # Only a remote store (kg/store/sparql.py) fails this way while serving: its server is
    # at fault.
    return _error(502, str(e))


@bp.after_request
def _cors(response: Response) -> Response:
    # Reads are public, so any page may call the endpoint; writes still need the token, which
    # a page only has if its user gave it (no cookies are involved).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Content-Type, Location"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Authorization, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


# ------------------------------------------------------------------ reading the query
# kg.sparql_text's lexer tells keywords from strings, IRIs and comments, so that SERVICE and
# LOAD are found wherever they are and USING clauses can be added to updates.


def _refuse_remote(tokens: list[Token]) -> None:
    """SERVICE and LOAD would make the server fetch any IRI, file: included: refused."""
    if state().settings.allow_remote:
        return
    for i, t in enumerate(tokens):
        # A word may hold a keyword after a dot (".SERVICE"): the lexer keeps dots in words,
        # as prefixed names may have them. This is only the early, readable refusal: the
        # queries and updates themselves run without network access (web/no_network.py).
        parts = (t.keyword() or "").split(".")
        word = next((w for w in parts if w in ("SERVICE", "LOAD")), None)
        if word:
            target = next((u.text for u in tokens[i + 1:i + 3] if u.kind in ("iri", "var")),
                          "")
            what = "SERVICE (a federated query)" if word == "SERVICE" else "LOAD"
            raise ProtocolError(400, f"{what} {target} is refused: this endpoint does not "
                                     f"fetch remote or file IRIs".replace("  ", " "))


def _iri(value: str, param: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError:
        raise ProtocolError(400, f"{param}={value!r} is not an absolute IRI") from None


def _add_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri as USING clauses.

    The protocol forbids both at once with USING, USING NAMED or WITH in the update itself.
    """
    tokens = _tokens(text)
    clause = " ".join([f"USING {g}" for g in using] + [f"USING NAMED {g}" for g in using_named])
    edits: list[tuple[int, int, str]] = []
    operations, current = [], []
    for t in tokens:
        if t.depth == 0 and t.kind == "punct" and t.text == ";":
            operations.append(current)
            current = []
        else:
            current.append(t)
    operations.append(current)
    for op in operations:
        top = [t for t in op if t.depth == 0]
        if any(t.keyword() in ("USING", "WITH") for t in top):
            raise ProtocolError(400, "the update has USING, USING NAMED or WITH and the request "
                                     "has using-graph-uri or using-named-graph-uri: give one")
        words = [t.keyword() for t in top]
        for i, word in enumerate(words):
            if word in ("INSERT", "DELETE"):
                break
        else:
            continue  # not a DELETE/INSERT operation: no dataset to set
        following = words[i + 1] if i + 1 < len(words) else None
        if following == "DATA":
            continue
        where = next((t for t in top[i + 1:] if t.keyword() == "WHERE"), None)
        if where is None:
            continue
        if word == "DELETE" and following == "WHERE":
            # DELETE WHERE { P } takes no USING: write it as DELETE { P } USING ... WHERE { P }.
            after = op.index(where) + 1
            if after >= len(op) or op[after].text != "{":
                continue
            close = next((t for t in op[after + 1:] if t.depth == 0 and t.text == "}"), None)
            if close is None:
                continue
            pattern = text[op[after].start:close.end]
            edits.append((where.start, close.end, f"{pattern} {clause} WHERE {pattern}"))
        else:
            edits.append((where.start, where.start, f"{clause} "))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


# ------------------------------------------------------------------ content negotiation

def _negotiate(types: dict[str, str]) -> str:
    """The media type to answer with: the `format` parameter, else Accept, else the default."""
    default = next(iter(types))
    wanted = request.values.get("format")
    if wanted:
        mime = FORMAT_NAMES.get(wanted.lower(), wanted.lower())
        return mime if mime in types else default
    return request.accept_mimetypes.best_match(list(types), default=default) or default


def _content_type(mime: str) -> str:
    return mime + ("; charset=utf-8" if mime.startswith("text/") else "")


# ------------------------------------------------------------------ /sparql

def _body_text() -> str:
    """The request body as UTF-8, the only encoding the protocol allows for a direct POST."""
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"the body is {charset}: send it as UTF-8")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the body is not valid UTF-8") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    # SPARQL 1.2 Protocol: a request names at most one version of the language (URL or form).
    _one(request.values.getlist("version"), "version")
    # The operation, and the parameters that came with it (URL and form alike).
    if request.method == "GET":
        params = request.args
        if request.content_length or "chunked" in request.headers.get("Transfer-Encoding", ""):
            # The protocol forbids it (1.2, 2.2.1): a body beside the URL's query is ambiguous.
            raise ProtocolError(400, "a GET request has no body: send the query in the URL, "
                                     "or POST it")
        if "update" in params:
            raise ProtocolError(400, "an update must be sent by POST, not GET")
        query = _one(params.getlist("query"), "query")
        if query is None:
            return _service_description()
        return _query(query, params)
    mime = request.mimetype
    if mime == "application/x-www-form-urlencoded":
        params = request.values  # the protocol's parameters may also be in the URL
        queries, updates = params.getlist("query"), params.getlist("update")
        if queries and updates:
            raise ProtocolError(400, "give a 'query' or an 'update' parameter, not both")
        if updates and "update" not in request.form:
            # The protocol puts a form's update in the body: a URL (and the update in it) is
            # logged and may be fetched again.
            raise ProtocolError(400, "the form has no 'update' field: send the update in the "
                                     "request body, not in the URL")
        if updates:
            return _update(_one(updates, "update"), params)
        query = _one(queries, "query")
        if query is None:
            raise ProtocolError(400, "missing 'query' or 'update' parameter in the form")
        return _query(query, params)
    if mime == "application/sparql-query":
        if "query" in request.args:
            raise ProtocolError(400, "the query is the body: give no 'query' parameter too")
        return _query(_body_text(), request.args)
    if mime == "application/sparql-update":
        if "update" in request.args:
            raise ProtocolError(400, "the update is the body: give no 'update' parameter too")
        _authorize()
        return _update(_body_text(), request.args)
    raise ProtocolError(415, f"unsupported content type {mime or '(none)'}: send "
                             "application/x-www-form-urlencoded, application/sparql-query or "
                             "application/sparql-update")


def _query(text: str, params) -> Response:
    settings = state().settings
    tokens = _tokens(text)
    _refuse_remote(tokens)
    default_graphs = [_iri(g, "default-graph-uri") for g in params.getlist("default-graph-uri")]
    named_graphs = [_iri(g, "named-graph-uri") for g in params.getlist("named-graph-uri")]
    protocol_dataset = bool(default_graphs or named_graphs)
    # With a dataset from the protocol, it replaces the query's own FROM / FROM NAMED; without,
    # the default graph is the union of all graphs, unless the query names its own.
    own_dataset = any(t.keyword() == "FROM" for t in tokens)
    results_mime = _negotiate(RESULT_TYPES)
    graph_mime = _negotiate(GRAPH_TYPES)
    page = None if protocol_dataset or own_dataset else _named_page(text)
    if page is not None and page.rows is not None:
        # Rows the walk already read to check the page: not read again in a worker, unless
        # they pass the endpoint's caps (the worker then refuses them as it would).
        rows = ox.parse_query_results(page.rows, format=ox.QueryResultsFormat.TSV)
        body = rows.serialize(format=getattr(ox.QueryResultsFormat,
                                             RESULT_TYPES[results_mime]))
        if page.rows.count(b"\n") - 1 <= settings.result_limit and \
                (not settings.result_bytes or len(body) <= settings.result_bytes):
            return Response(body, content_type=_content_type(results_mime),
                            headers={"Vary": "Accept"})
    if page is not None and page.named_graphs is not None:
        default_graphs = [f"<{g}>" for g in page.default_graph or ()]
        named_graphs = [f"<{g}>" for g in page.named_graphs]
        protocol_dataset = True
    job = Job(
        query=text if page is None else page.text, base_iri=request.base_url,
        default_graph=[g[1:-1] for g in default_graphs] if protocol_dataset else None,
        named_graphs=[g[1:-1] for g in named_graphs] if protocol_dataset else None,
        union=not protocol_dataset and not own_dataset,
        results_format=RESULT_TYPES[results_mime], graph_format=GRAPH_TYPES[graph_mime],
        limit=settings.result_limit, max_bytes=settings.result_bytes, prefixes=PREFIXES)
    timeout = settings.query_timeout
    try:
        kind, body = state().runner.run(job, timeout)
    except BadQuery as e:
        raise ProtocolError(400, f"bad query: {e}") from None
    except QueryFailed as e:
        raise ProtocolError(500, str(e)) from None
    except QueryTimeout:
        return _error(503, f"query stopped: it ran past the {timeout:g} s limit "
                           f"(KG_QUERY_TIMEOUT); narrow it or add a LIMIT")
    except (ResultTooLarge, PageTooDeep) as e:
        return _error(503, f"query refused: {e}")
    except QueryOutOfMemory as e:
        return _error(503, f"query stopped: {e}; narrow it")
    except QueryBusy as e:
        return _error(503, f"query refused: {e}", {"Retry-After": str(e.retry_after)})
    mime = graph_mime if kind == "graph" else results_mime
    return Response(body, content_type=_content_type(mime), headers={"Vary": "Accept"})


# The deepest row a page answered through kg.queries.plan may end at: its walk runs in the
# server's process, with no deadline, and costs about what the rows before the page cost; a
# page past it runs as given, in a query worker with KG_QUERY_TIMEOUT, as any other text.
WALKED_ROWS = 1000


def _named_page(text: str):
    """kg.queries.plan's page where the text is a named query's, its params bound as kg binds
    them, with a LIMIT (and OFFSET) after it (kg.queries.recognise), on the embedded store:
    the same rows as the text, read as `kg query NAME --limit N --offset K` reads them,
    instead of Oxigraph sorting every row of the store before the first (over 30 s for a
    whole-store listing at 100,000 reports); on Virtuoso too, whose pages it reads over a few
    report graphs (kg.queries._walks), and a listing with a text by digests there
    (kg.queries._by_digests_on_a_server: `cq-agreements` of a pair past 40 s at 100,000
    reports, 1.3 s so). None for any other text, which runs as it is."""
    store = state().store
    if not getattr(store, "embedded", False) and \
            not getattr(store, "pages_by_graph_values", False):
        return None
    found = Q.recognise(text)
    if found is None:
        return None
    query, params, limit, offset = found
    if limit + (offset or 0) > WALKED_ROWS:
        return None
    if not query.paged_by and getattr(store, "embedded", False):
        return None   # read by digests on a server only: here the text as it is

    try:
        return Q.plan(store, query, params, limit, offset)
    except Q.QueryError:
        return None


def _authorize() -> None:
    """Writes need the configured bearer token; with none configured they are refused."""
    refusal = auth.endpoint_refusal()
    if refusal is not None:
        raise ProtocolError(*refusal)


def _update(text: str, params) -> Response:
    _authorize()
    tokens = _tokens(text)
    _refuse_remote(tokens)
    using = [_iri(g, "using-graph-uri") for g in params.getlist("using-graph-uri")]
    using_named = [_iri(g, "using-named-graph-uri") for g in params.getlist("using-named-graph-uri")]
    if using or using_named:
        text = _add_using(text, using, using_named)
    app_state = state()
    with app_state.write_lock:
        try:
            # the summaries of the report graphs it changes follow (kg/store)
            _write(app_state.store.user_update, text, base_iri=request.base_url)
        except SyntaxError as e:
            raise ProtocolError(400, f"bad update: {e}") from None
        except (ValueError, OSError) as e:
            raise ProtocolError(400 if isinstance(e, ValueError) else 500,
                                f"the update failed: {e}") from None
        except StoreError as e:  # a remote store (kg/store/sparql.py) refused or is unreachable
            raise ProtocolError(502, f"the update failed: {e}") from None
    return Response(status=204)


def _write(method, *args, **kwargs):
    """Runs a write on the embedded store in the app's one writer thread, which has no network
    access (an update's LOAD, however spelt, fetches nothing); a remote store's writes are
    HTTP requests, made from the request's thread."""
    app_state = state()
    if app_state.store.needs_network or app_state.settings.allow_remote:
        return method(*args, **kwargs)
    return app_state.writer.submit(method, *args, **kwargs).result()


def _service_description() -> Response:
    settings = state().settings
    endpoint = str(ox.NamedNode(request.base_url))
    languages = f"<{SD}SPARQL11Query>"
    if settings.update_token:
        languages += f", <{SD}SPARQL11Update>"
    formats = ", ".join(f"<{FORMATS}{name}>" for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
        "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    turtle = f"""
@prefix sd: <{SD}> .
@prefix dct: <http://purl.org/dc/terms/> .
[] a sd:Service ;
   sd:endpoint {endpoint} ;
   sd:supportedLanguage {languages} ;
   sd:resultFormat {formats} ;
   sd:feature sd:UnionDefaultGraph ;
   sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] ;
   dct:description "bilateral-kg: one named graph per report; the default graph is the union of all graphs. Queries stop after {settings.query_timeout:g} s and at {settings.result_limit} rows; SERVICE and LOAD are refused." .
"""
    mime = _negotiate(GRAPH_TYPES)
    triples = [q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_TYPES[mime]),
                        prefixes={"sd": SD, "dct": "http://purl.org/dc/terms/"}
                        if GRAPH_TYPES[mime] == "TURTLE" else None)
    return Response(body, content_type=_content_type(mime), headers={"Vary": "Accept"})


# ------------------------------------------------------------------ /service (Graph Store)

def _target_graph() -> str | None:
    """The graph a Graph Store request is about: an IRI, or None for the default graph."""
    graphs = request.args.getlist("graph")
    if "default" in request.args:
        if graphs:
            raise ProtocolError(400, "give 'graph' or 'default', not both")
        return None
    if len(graphs) != 1:
        raise ProtocolError(400, "give one 'graph=<IRI>' parameter, or 'default'")
    return _iri(graphs[0], "graph")[1:-1]


def _request_triples(graph: str | None) -> list[ox.Triple]:
    mime = request.mimetype
    fmt = GSP_INPUT_TYPES.get(mime)
    if fmt is None:
        raise ProtocolError(415, f"unsupported content type {mime or '(none)'}: send one of "
                                 f"{', '.join(GSP_INPUT_TYPES)}")
    base = graph or request.base_url
    try:
        return [q.triple for q in ox.parse(request.get_data(), format=fmt, base_iri=base)]
    except (SyntaxError, ValueError) as e:
        raise ProtocolError(400, f"the body is not valid {mime}: {e}") from None


@bp.route("/service", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store():
    app_state = state()
    store = app_state.store
    if request.method == "GET":  # HEAD too: Flask answers it with GET's headers
        graph = _target_graph()
        if graph is not None and not store.has_graph(graph):
            raise ProtocolError(404, f"no graph <{graph}> in the store")
        mime = _negotiate(GRAPH_TYPES)
        body = store.dump_graph(graph, getattr(ox.RdfFormat, GRAPH_TYPES[mime]))
        return Response(body, content_type=_content_type(mime), headers={"Vary": "Accept"})
    _authorize()
    if request.method == "POST" and not request.args:
        # POST to the store itself: a new graph, named by the server (Graph Store 5.5).
        graph = request.host_url + "graph/" + quote(os.urandom(8).hex())
        created = True
    else:
        graph = _target_graph()
        created = graph is not None and not store.has_graph(graph)
    with app_state.write_lock:
        if request.method == "DELETE":
            if not store.delete_graph(graph):
                raise ProtocolError(404, f"no graph <{graph}> in the store")
            return Response(status=204)
        triples = _request_triples(graph)
        if request.method == "PUT":
            store.put_graph(graph, triples)
        else:
            store.add_to_graph(graph, triples)
    if created:
        return Response(status=201, headers={"Location": graph} if request.method == "POST"
                        and not request.args else None)
    return Response(status=204)
