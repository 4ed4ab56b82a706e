"""The Flask app behind `kg serve`: an index page and a SPARQL 1.1 Protocol query endpoint.

`create_app(store)` is an app factory; the pages live in one blueprint so that the viewer can
grow beside them. The endpoint is read-only: it answers queries, never updates.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, render_template, request

from kg import queries
from kg.vocabulary import BKG

bp = Blueprint("kg", __name__, template_folder="templates")

# Media types the endpoint can answer with; the first of each list is the default.
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def create_app(store) -> Flask:
    app = Flask(__name__)
    app.config["KG_STORE"] = store
    app.register_blueprint(bp)
    return app


def _store():
    return current_app.config["KG_STORE"]


def _error(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


@bp.get("/")
def index():
    named = []
    for name in queries.available():
        try:
            named.append(queries.describe(queries.load(name)))
        except queries.QueryError as e:
            named.append({"name": name, "title": "", "description": str(e), "params": []})
    return render_template("index.html", stats=_store().stats(), queries=named,
                           bkg=str(BKG))


def _query_request() -> tuple[str, list[str], list[str]] | Response:
    """The query and dataset of a protocol request, or the error response to send."""
    if request.method == "GET":
        args = request.args
        text_list = args.getlist("query")
    else:
        ctype = request.mimetype
        if ctype == "application/x-www-form-urlencoded":
            args = request.form
            text_list = args.getlist("query")
        elif ctype == "application/sparql-query":
            args = request.args
            try:
                text_list = [request.get_data().decode("utf-8")]
            except UnicodeDecodeError:
                return _error(400, "the query is not UTF-8")
        else:
            return _error(415, f"unsupported content type {ctype or '(none)'}: send "
                               "application/x-www-form-urlencoded or application/sparql-query")
    if "update" in args:
        return _error(403, "this endpoint is read-only: updates are not accepted")
    if len(text_list) != 1:
        return _error(400, "give exactly one 'query' parameter" if text_list else
                      "missing 'query' parameter")
    return text_list[0], args.getlist("default-graph-uri"), args.getlist("named-graph-uri")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    parsed = _query_request()
    if isinstance(parsed, Response):
        return parsed
    text, default_graphs, named_graphs = parsed
    options = {}
    try:
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        results = _store().query(text, **options)
    except (SyntaxError, ValueError) as e:
        return _error(400, f"bad query: {e}")
    if isinstance(results, ox.QueryTriples):
        mime = request.accept_mimetypes.best_match(list(GRAPH_TYPES), default="text/turtle")
        body = ox.serialize(results, format=GRAPH_TYPES[mime])
    else:
        mime = request.accept_mimetypes.best_match(list(RESULT_TYPES),
                                                   default="application/sparql-results+json")
        body = results.serialize(format=RESULT_TYPES[mime])
    charset = "; charset=utf-8" if mime.startswith("text/") else ""
    return Response(body, content_type=mime + charset)
