"""The viewer: home, graph, query, entity (Linked Data) and report pages, upload, and the JSON
APIs the pages call.

Routes (blueprint "pages"):

- `/`                 home: the store's counts, states, reports, named queries
- `/graph`            interactive network (Cytoscape.js); data from `/api/graph`
- `/query`            SPARQL editor (CodeMirror) over the `/sparql` endpoint; named queries
                      as examples (`/api/query-text` binds their params)
- `/id/<path>`        every IRI under kg.vocabulary.ID: HTML, Turtle or JSON-LD by `Accept`
                      (or `?format=ttl|jsonld`); 404 for an IRI the store does not use
- `/report/<id>`      a report's text with each fact highlighted where it was read
- `/upload`           paste or upload a report (POST needs the update token when one is set,
                      else a loopback client)
- `/api/graph`, `/api/node`, `/api/ego`   JSON for the graph page

Every SPARQL query is a .rq file: the named queries of `queries/` and the page queries of
`kg/web/queries/`, whose `?node`/`?report` are bound by substitution (pyoxigraph's
`substitutions`), so that they are evaluated for that one node rather than filtered after.
Templates autoescape; data reaches scripts only as JSON (`tojson`), never as markup.
"""
from __future__ import annotations

import functools
import os
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import pyoxigraph as ox
from flask import (Blueprint, Response, abort, current_app, jsonify, redirect,
                   render_template, request, url_for)
from werkzeug.utils import secure_filename

from kg import queries as Q
from kg import network
from kg import vocabulary as V
from kg.network import KINDS as CLASS_KINDS
from kg.network import local_name
from kg.web import auth, graphview

if TYPE_CHECKING:
    from kg.store import Store

bp = Blueprint("pages", __name__, template_folder="templates")

HERE = Path(__file__).resolve().parent
PAGE_QUERIES = HERE / "queries"
VENDOR = HERE / "static" / "vendor"
VENDOR_FILES = ("graph-libs.js", "editor.js")
VENDOR_HINT = ("the viewer's front-end libraries are not built: run `make vendor` "
               "(npm ci && npm run build) in the repository")

RDF_TYPES = {
    "text/html": None,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
FORMAT_PARAM = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json", "html": "text/html"}
# Kinds shown on report pages, in the order of precedence when one sentence states several.
FACT_KINDS = ("relation", "agreement", "event", "post", "organization", "person", "state")
KIND_NAMES = {"relation": "bilateral relation", "agreement": "agreement", "event": "event",
              "post": "official's post", "organization": "organization", "person": "person",
              "state": "state", "report": "report", "evidence": "evidence", "other": "node"}
LABEL_PROPERTIES = (str(V.RDFS.label), str(V.FOAF.name), str(V.DCTERMS.title),
                    str(V.SKOS.prefLabel))
RDF_TYPE = str(V.RDF.type)
MAX_EVIDENCE = 200
# The security headers (CSP, nosniff, Referrer-Policy) are set for every response by kg/web/app.py.


# ---------------------------------------------------------------- setup

@bp.record_once
def _setup(state) -> None:
    app = state.app
    app.extensions["kg_viewer_cache"] = graphview.ViewerCache(
        app.config.get("KG_VIEWER_MAX_REPORTS", graphview.MAX_REPORTS))
    app.jinja_env.filters["entity_url"] = entity_url
    app.jinja_env.filters["local_name"] = local_name
    app.jinja_env.filters["safe_href"] = safe_href
    app.jinja_env.globals["vendor_missing"] = vendor_missing
    app.jinja_env.globals["kind_names"] = KIND_NAMES
    if vendor_missing():
        app.logger.warning("kg serve: %s; the graph and query pages will say so", VENDOR_HINT)


def vendor_missing() -> bool:
    return not all((VENDOR / name).is_file() for name in VENDOR_FILES)


def _store() -> Store:
    return current_app.config["KG_STORE"]


def _cache() -> graphview.ViewerCache:
    return current_app.extensions["kg_viewer_cache"]


# ---------------------------------------------------------------- queries

@functools.lru_cache(maxsize=None)
def _page_query(name: str) -> Q.NamedQuery:
    return Q.parse(name, PAGE_QUERIES / f"{name}.rq")


def _term(value: str):
    return ox.NamedNode(value) if re.match(r"https?://", value) else ox.Literal(value)


def _page(name: str, **params: str):
    """Runs kg/web/queries/NAME.rq with its params substituted; raw pyoxigraph results."""
    query = _page_query(name)
    subs = {ox.Variable(k): _term(v) for k, v in params.items()}
    return _store().query(query.text, substitutions=subs)


def _plain_rows(results) -> list[dict]:
    names = [v.value for v in results.variables]
    out = []
    for solution in results:
        row = {}
        for name, term in zip(names, solution):
            if term is None:
                row[name] = None
            elif isinstance(term, ox.Literal) and term.datatype is not None and \
                    term.datatype.value == "http://www.w3.org/2001/XMLSchema#integer":
                row[name] = int(term.value)
            else:
                row[name] = term.value
        out.append(row)
    return out


def page_rows(name: str, **params: str) -> list[dict]:
    return _plain_rows(_page(name, **params))


def named_rows(name: str, **params: str) -> list[dict]:
    """A named query of queries/ (bound with VALUES, as `kg query` does) as plain rows."""
    return _plain_rows(Q.run(_store(), name, {k: [v] for k, v in params.items() if v}))


# ---------------------------------------------------------------- IRIs and URLs

def entity_url(iri: str | None) -> str | None:
    """The viewer's page for an IRI of the graph (under kg.vocabulary.ID), else None."""
    if not iri or not iri.startswith(V.ID):
        return None
    return url_for("pages.entity", path=unquote(iri[len(V.ID):]))


def safe_href(url: str | None) -> str | None:
    """`url` if it is an http(s) URL, else None: a stored IRI or report URL may be
    `javascript:` or `data:`, which a link would run; templates show those as text."""
    # No whitespace or control character anywhere: browsers drop some of them before
    # reading the scheme.
    if isinstance(url, str) and re.match(r"https?://", url, re.I) and \
            not re.search(r"[\x00-\x20\x7f]", url):
        return url
    return None


def is_iri(value: str) -> bool:
    """Whether `value` is an absolute http(s) IRI, by pyoxigraph's IRI parser (a value such as
    `http://x/}UNION{?s ?p ?o}` starts like one but is not)."""
    if not re.match(r"https?://", value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def iri_of(path: str) -> str:
    # Minted segments keep only unreserved characters (kg.vocabulary._segment), so quoting
    # the decoded path the same way gives back the IRI.
    return V.ID + quote(path, safe="/-._~")


def report_url(report_id: str | None, start: int | None = None) -> str | None:
    if not report_id:
        return None
    url = url_for("pages.report_page", report_id=report_id)
    return f"{url}#at-{start}" if start is not None else url


def _kind_of(classes) -> str:
    for cls in classes:
        kind = CLASS_KINDS.get(local_name(cls))
        if kind:
            return kind
    if any(local_name(c) == "Evidence" for c in classes):
        return "evidence"
    return "other"


def _evidence(node: str, limit: int = MAX_EVIDENCE) -> tuple[list[dict], int]:
    """The sentences behind a node, each once (one sentence often states several facts about
    it), with links to where they were read; and how many there are in all."""
    rows = named_rows("evidence", node=node)
    by_sentence: dict[tuple, dict] = {}
    for row in rows:
        key = (row["report"], row["start"])
        if key in by_sentence:
            by_sentence[key]["facts"].append(row["fact"])
            continue
        row["start"] = int(row["start"]) if row["start"] is not None else None
        row["url"] = report_url(row["report"], row["start"])
        row["fact_url"] = entity_url(row["fact"])
        row["node"] = node
        row["facts"] = [row["fact"]]
        by_sentence[key] = row
    out = list(by_sentence.values())
    return out[:limit], len(out)


# ---------------------------------------------------------------- home

# The home page lists this many reports, the latest first: a large store's would not fit.
HOME_REPORTS = 100


@bp.get("/")
def home():
    store, cache = _store(), _cache()
    named = []
    for name in Q.available():
        try:
            named.append(Q.describe(Q.load(name)))
        except Q.QueryError as e:
            named.append({"name": name, "title": "", "description": str(e), "params": []})
    # Each read once per store version: on 100,000 reports they take seconds each.
    stats = cache.memo(store, "stats", store.stats)
    states = cache.memo(store, "states-summary", lambda: named_rows("states-summary"))
    latest = cache.memo(store, "latest-reports",
                        lambda: [row for r in network.select_reports(store)[:HOME_REPORTS]
                                 for row in page_rows("report-summary", g=r.graph)])
    return render_template("home.html", stats=stats, queries=named, states=states,
                           reports=latest, reports_total=stats["reports"])


# ---------------------------------------------------------------- graph

def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _state_iris(codes: list[str]) -> list[str]:
    out = []
    for code in codes:
        if re.fullmatch(r"[A-Za-z]{3}", code):
            out.append(V.state_iri(code))
        elif is_iri(code):
            out.append(code)
        else:
            raise ValueError(f"state: expected an ISO3 code or a state IRI, got {code!r}")
    return out


def _api_error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _state_codes(iris: list[str]) -> tuple[str, ...]:
    return tuple(sorted(local_name(i).upper() for i in iris))


@bp.get("/graph")
def graph_page():
    states = sorted(_cache().states(_store()), key=lambda r: (r["name"] or r["iso3"] or ""))
    return render_template("graph.html", states=states, kinds=graphview.KINDS,
                           initial={"view": request.args.get("view", "viewer"),
                                    "kind": _split(request.args.getlist("kind")),
                                    "state": _split(request.args.getlist("state")),
                                    "since": request.args.get("since", ""),
                                    "until": request.args.get("until", ""),
                                    "focus": request.args.get("focus", "")})


def _positions(built: graphview.Built, H) -> dict | None:
    """Server-side positions for a big (sub)graph, from its whole built graph's layout;
    a small one is laid out by the browser (fcose), which looks better."""
    if H.number_of_nodes() <= graphview.PRESET_ABOVE:
        return None
    return _cache().positions(built)


def _page_scope(args) -> tuple[graphview.Scope, list[str]]:
    """The scope the graph page's filters choose, and their state IRIs. ValueError if bad."""
    states = _state_iris(_split(args.getlist("state")))
    since = graphview.check_date(args.get("since"), "since")
    until = graphview.check_date(args.get("until"), "until")
    return graphview.Scope(_state_codes(states), since=since, until=until), states


def _graph_json(built: graphview.Built, H) -> dict:
    data = graphview.cytoscape(H, _positions(built, H))
    data["counts"] = {"nodes": H.number_of_nodes(), "edges": H.number_of_edges(),
                      "total_nodes": built.graph.number_of_nodes(), **built.counts()}
    if built.notice:
        data["notice"] = built.notice
    return data


@bp.get("/api/graph")
def api_graph():
    args = request.args
    view = args.get("view", "viewer")
    try:
        scope, states = _page_scope(args)
        built = _cache().get(_store(), view, scope)
        G = built.graph
        kinds = _split(args.getlist("kind"))
        unknown = [k for k in kinds if k not in {d.get("kind") for _, d in G.nodes(data=True)}
                   and k not in graphview.KINDS]
        if unknown:
            raise ValueError(f"kind: unknown {', '.join(unknown)}; choose among "
                             f"{', '.join(graphview.KINDS)}")
    except ValueError as e:
        return _api_error(400, str(e))
    H = graphview.filter_graph(G, kinds, states, scope.since, scope.until)
    return jsonify(_graph_json(built, H))


@bp.get("/api/ego")
def api_ego():
    iri = request.args.get("iri", "")
    view = request.args.get("view", "viewer")
    if not is_iri(iri):
        return _api_error(400, f"iri: give the node's IRI (an http or https IRI), not {iri!r}")
    try:
        radius = int(request.args.get("radius", "1"))
        if not 1 <= radius <= 3:
            raise ValueError("radius: 1, 2 or 3")
        # On a large store, the graph of the reports stating the node (the latest of them).
        built = _cache().get(_store(), view, graphview.Scope(node=iri))
    except ValueError as e:
        return _api_error(400, str(e))
    if iri not in built.graph:
        return _api_error(404, f"no node {iri!r} in the {view} graph")
    data = _graph_json(built, graphview.ego(built.graph, iri, radius))
    data["centre"] = iri
    return jsonify(data)


@bp.get("/api/node")
def api_node():
    iri = request.args.get("iri", "")
    if not is_iri(iri):
        return _api_error(400, f"iri: give the node's IRI (an http or https IRI), not {iri!r}")
    if not bool(_page("entity-exists", node=iri)):
        return _api_error(404, f"no node {iri!r} in the store")
    try:
        # The page sends its filters: a node of the graph it shows is read from that graph
        # (cached); another one, on a large store, from the reports stating it.
        scope, _ = _page_scope(request.args)
    except ValueError as e:
        return _api_error(400, str(e))
    built = _cache().get(_store(), "viewer", scope)
    if iri not in built.graph:
        built = _cache().get(_store(), "viewer", graphview.Scope(node=iri))
    G = built.graph
    attrs = dict(G.nodes[iri]) if iri in G else {}
    if not attrs:  # not drawn (a report, a post): from its triples (slow for a hub node)
        props = page_rows("entity-properties", node=iri)
        attrs["kind"] = _kind_of([r["o"] for r in props if r["p"] == RDF_TYPE])
        attrs["label"] = _label(iri, props)
    evidence, total = _evidence(iri, limit=100)
    neighbours = []
    if iri in G:
        for n in sorted(G[iri], key=lambda n: (G.nodes[n].get("kind", ""),
                                               G.nodes[n].get("label", ""))):
            neighbours.append({"id": n, "label": G.nodes[n].get("label"),
                               "kind": G.nodes[n].get("kind"),
                               "link": G.edges[iri, n].get("kinds")})
    out = {"iri": iri, "url": entity_url(iri), "attributes": attrs,
           "evidence": [{k: e[k] for k in ("report", "start", "end", "sentence",
                                           "fact", "url", "fact_url")}
                        for e in evidence],
           "evidence_total": total, "neighbours": neighbours[:100],
           "counts": built.counts()}
    if built.notice:
        out["notice"] = built.notice
    return jsonify(out)


# ---------------------------------------------------------------- query

def _param_defaults() -> dict[str, str]:
    """Values that make every named query's required params runnable on this store."""
    states = named_rows("states-summary")
    top = max(states, key=lambda r: (int(r["reports"] or 0), r["iso3"] or ""), default=None)
    pairs = named_rows("relations-summary")
    pair = max(pairs, key=lambda r: (int(r["reports"] or 0), r["relation"] or ""), default=None)
    reports = named_rows("reports")
    out = {}
    if top:
        out.update(state=top["iso3"], iso3=top["iso3"], node=top["state"])
    if pair:
        out.update(a=pair["state_a"], b=pair["state_b"], relation=pair["relation"])
    if reports:
        out["report"] = reports[0]["report"]
    return out


@bp.get("/query")
def query_page():
    named = []
    for q in Q.all_queries():
        named.append(Q.describe(q))
    defaults = _param_defaults()
    for q in named:
        for p in q["params"]:
            p["default"] = defaults.get(p["name"], "") if p["required"] else ""
    start = request.args.get("name", "")
    return render_template("query.html", queries=named, id_base=V.ID,
                           initial={"name": start if start in Q.available() else "",
                                    "query": request.args.get("query", "")})


@bp.get("/api/query-text")
def api_query_text():
    """A named query's text with the given params bound, for the editor."""
    name = request.args.get("name", "")
    try:
        query = Q.load(name)
        values = {k: [v] for k, v in request.args.items() if k != "name" and v.strip()}
        text = query.bind(values)
    except Q.QueryError as e:
        return _api_error(400, str(e))
    return jsonify({"name": name, "text": text, **Q.describe(query)})


# ---------------------------------------------------------------- entity pages

def _label(iri: str, props: list[dict]) -> str:
    for prop in LABEL_PROPERTIES:
        values = [r["o"] for r in props if r["p"] == prop and r["o"]]
        if values:
            return Counter(values).most_common(1)[0][0]
    return local_name(iri)


def _negotiate() -> str:
    fmt = request.args.get("format", "").lower()
    if fmt:
        if fmt not in FORMAT_PARAM:
            abort(400, f"format: choose one of {', '.join(FORMAT_PARAM)}")
        return FORMAT_PARAM[fmt]
    # JSON-LD clients often ask for plain application/json.
    offered = ["text/html", "text/turtle", "application/ld+json", "application/json"]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    return "application/ld+json" if best == "application/json" else best


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
def entity(path: str):
    iri = iri_of(path)
    mime = _negotiate()
    if not bool(_page("entity-exists", node=iri)):
        if mime == "text/html":
            return render_template("not_found.html", iri=iri), 404
        return Response(f"no resource {iri} in this graph\n", status=404,
                        mimetype="text/plain", headers={"Vary": "Accept"})
    if mime != "text/html":
        triples = _page("entity-describe", node=iri)
        from kg.store import PREFIXES
        body = ox.serialize(triples, format=RDF_TYPES[mime],
                            prefixes=PREFIXES if mime == "text/turtle" else None)
        charset = "; charset=utf-8" if mime.startswith("text/") else ""
        return Response(body, content_type=mime + charset, headers={"Vary": "Accept"})
    context = _entity_context(iri)
    response = Response(render_template("entity.html", **context), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    # Relative references (to this path): built from the Host, they would echo whatever
    # name the request was sent to.
    response.headers["Link"] = ('<?format=ttl>; rel="alternate"; type="text/turtle", '
                                '<?format=jsonld>; rel="alternate"; type="application/ld+json"')
    return response


def _properties_table(props: list[dict]) -> list[dict]:
    """Property rows folded over report graphs: property, value, its label and link, and the
    reports stating it."""
    grouped: dict[tuple[str, str], dict] = {}
    for row in props:
        key = (row["p"], row["o"])
        item = grouped.setdefault(key, {"p": row["p"], "p_name": local_name(row["p"]),
                                        "o": row["o"], "label": row["label"],
                                        "url": entity_url(row["o"]), "reports": []})
        report = V.report_of_graph(row["g"] or "")
        if report is not None:
            item["reports"].append(report)
    return sorted(grouped.values(), key=lambda r: (r["p_name"] != "type", r["p_name"],
                                                   str(r["o"])))


def _entity_context(iri: str) -> dict:
    props = page_rows("entity-properties", node=iri)
    classes = sorted({r["o"] for r in props if r["p"] == RDF_TYPE})
    kind = _kind_of(classes)
    ctx = {"iri": iri, "kind": kind, "label": _label(iri, props), "classes": classes,
           "properties": _properties_table(props), "incoming": [], "sections": kind,
           "evidence": [], "evidence_total": 0}
    incoming = page_rows("entity-incoming", node=iri)
    for row in incoming:
        row["url"] = entity_url(row["s"])
        row["kind"] = _kind_of([row["class"]] if row["class"] else [])
        row["p_name"] = local_name(row["p"])
    ctx["incoming"] = incoming
    if kind == "state":
        ctx.update(_state_context(iri, props))
    elif kind == "person":
        ctx.update(_person_context(iri))
    elif kind == "agreement":
        ctx.update(_agreement_context(iri))
    elif kind == "report":
        ctx["report_id"] = next((r["o"] for r in props
                                 if r["p"] == str(V.DCTERMS.identifier)), local_name(iri))
    if kind not in ("state", "report"):
        ctx["evidence"], ctx["evidence_total"] = _evidence(iri)
    return ctx


def _state_context(iri: str, props: list[dict]) -> dict:
    iso3 = next((r["o"] for r in props if r["p"] == str(V.BKG.iso3)), local_name(iri))
    relations: dict[str, dict] = {}
    for row in named_rows("state-relations", state=iso3):
        rel = relations.setdefault(row["other"], {
            "iso3": row["other"], "name": row["other_name"] or row["other"],
            "url": entity_url(V.state_iri(row["other"])),
            "relation_url": entity_url(V.relation_iri(iso3, row["other"])),
            "polarity": Counter(), "reports": set(), "sentences": []})
        if row["report"] not in rel["reports"]:
            rel["polarity"][row["polarity"]] += 1
        rel["reports"].add(row["report"])
        if row["sentence"]:
            rel["sentences"].append({"sentence": row["sentence"], "report": row["report"],
                                     "polarity": row["polarity"],
                                     "url": report_url(row["report"], int(row["start"]))})
    officials = named_rows("state-officials", state=iso3)
    for row in officials:
        row["url"] = entity_url(row["person"])
        row["report_url"] = report_url(row["report"])
    agreements: dict[str, dict] = {}
    for row in named_rows("agreements-by-state", state=iso3):
        a = agreements.setdefault(row["agreement"], {
            "title": row["title"], "url": entity_url(row["agreement"]), "kind": row["kind"],
            "parties": row["parties"], "statuses": [], "date": row["date"],
            "place": row["place"]})
        a["statuses"].append({"status": row["status"], "report": row["report"],
                              "url": report_url(row["report"])})
        a["date"] = a["date"] or row["date"]
    timeline = named_rows("timeline", state=iso3)
    for row in timeline:
        row["url"] = entity_url(row["event"])
        row["report_url"] = report_url(row["report"])
    return {"iso3": iso3, "relations": sorted(relations.values(), key=lambda r: r["name"]),
            "officials": officials, "agreements": list(agreements.values()),
            "timeline": timeline}


def _person_context(iri: str) -> dict:
    posts = page_rows("person-posts", node=iri)
    for row in posts:
        row["state_url"] = entity_url(row["state"])
        row["host_url"] = entity_url(row["host"])
        row["organization_url"] = entity_url(row["organization"])
        row["post_url"] = entity_url(row["post"])
        row["url"] = report_url(row["report"], row["start"])
    events = page_rows("person-events", node=iri)
    for row in events:
        row["event_url"] = entity_url(row["event"])
        row["url"] = report_url(row["report"], row["start"])
    return {"posts": posts, "appearances": events}


def _agreement_context(iri: str) -> dict:
    parties = page_rows("agreement-parties", node=iri)
    for row in parties:
        row["url"] = entity_url(row["state"])
    history = page_rows("agreement-history", node=iri)
    by_report: dict[str, dict] = {}
    for row in history:
        item = by_report.setdefault(row["report"], {**row, "sentences": [],
                                                     "report_url": report_url(row["report"])})
        if row["sentence"] and all(s["start"] != row["start"] for s in item["sentences"]):
            item["sentences"].append({"sentence": row["sentence"], "start": row["start"],
                                      "url": report_url(row["report"], row["start"])})
    steps = list(by_report.values())
    return {"parties": parties, "history": steps,
            "status": steps[-1]["status"] if steps else None}


# ---------------------------------------------------------------- report pages

def _fact_label(row: dict, kind: str) -> str:
    label = row["label"] or local_name(row["fact"])
    if kind == "post" and row.get("person_name"):
        return f"{row['person_name']}, {label}"
    if kind == "relation" and row.get("detail"):
        return f"{label} ({row['detail']})"
    return label


def _rank(kind: str) -> int:
    return FACT_KINDS.index(kind) if kind in FACT_KINDS else len(FACT_KINDS)


def highlight(text: str, facts: dict[str, dict]) -> list[dict]:
    """The text cut at every evidence boundary: each segment with the facts read there."""
    bounds = {0, len(text)}
    for fact in facts.values():
        for start, end in fact["spans"]:
            bounds.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    cuts = sorted(bounds)
    segments = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [f for f in facts.values()
                    if any(s <= a and b <= e for s, e in f["spans"])]
        covering.sort(key=lambda f: _rank(f["kind"]))
        segments.append({"start": a, "end": b, "text": text[a:b], "facts": covering,
                         "kind": covering[0]["kind"] if covering else None,
                         # An anchor where a sentence begins, for links from evidence lists.
                         "anchor": a in {s for f in covering for s, _ in f["spans"]}})
    return segments


@bp.get("/report/<report_id>")
def report_page(report_id: str):
    rows = named_rows("report", report=report_id)
    if not rows:
        return render_template("not_found.html", iri=V.report_iri(report_id),
                               what="report"), 404
    report = rows[0]
    text = report["text"] or ""
    facts: dict[str, dict] = {}
    for row in page_rows("report-facts", report=report_id):
        kind = CLASS_KINDS.get(local_name(row["class"]))
        if kind is None:
            continue
        fact = facts.get(row["fact"])
        if fact is None:
            fact = facts[row["fact"]] = {
                "id": f"f{len(facts) + 1}", "iri": row["fact"], "kind": kind,
                "label": _fact_label(row, kind), "url": entity_url(row["fact"]),
                "spans": []}
        elif _rank(kind) < _rank(fact["kind"]):
            fact["kind"] = kind  # a node with two classes shows as the more specific kind
        span = (int(row["start"]), int(row["end"]))
        if span not in fact["spans"]:
            fact["spans"].append(span)
    segments = highlight(text, facts)
    legend = Counter(f["kind"] for f in facts.values())
    by_kind = defaultdict(list)
    for fact in facts.values():
        by_kind[fact["kind"]].append(fact)
    fact_data = {f["id"]: {"label": f["label"], "kind": f["kind"], "url": f["url"],
                           "spans": f["spans"]} for f in facts.values()}
    return render_template("report.html", report=report, segments=segments,
                           legend=[(k, legend[k]) for k in FACT_KINDS if legend[k]],
                           by_kind=[(k, by_kind[k]) for k in FACT_KINDS if by_kind[k]],
                           fact_data=fact_data, entity=entity_url(V.report_iri(report_id)))


# ---------------------------------------------------------------- upload

@bp.route("/upload", methods=["GET", "POST"])
def upload():
    token_set = bool(auth.update_token())
    if request.method == "GET":
        return render_template("upload.html", token_set=token_set, form={}, errors=[])
    why = auth.upload_refusal()
    if why is not None:
        return render_template("upload.html", token_set=token_set, form=request.form,
                               errors=[why]), 401 if token_set else 403
    errors, ids, summary = _ingest_upload()
    if errors:
        return render_template("upload.html", token_set=token_set, form=request.form,
                               errors=errors), 400
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"reports": ids, "summary": summary.text()})
    if len(ids) == 1:
        return redirect(url_for("pages.report_page", report_id=ids[0]), code=303)
    return render_template("upload.html", token_set=token_set, form={}, errors=[],
                           stored=ids, summary=summary.text())


def _ingest_upload():
    """Stores the pasted text or uploaded file; (errors, report ids, summary)."""
    from kg.ingest import IngestError, IngestSummary, ingest
    from kg.library import KnowledgeGraph
    from kg.reports import EXTENSIONS, Report, read_path

    form = request.form
    upload = request.files.get("file")
    store = _store()
    if upload is not None and upload.filename:
        name = secure_filename(upload.filename) or "report.txt"
        if Path(name).suffix.lower() not in EXTENSIONS:
            return [f"{name}: unsupported file type; expected one of "
                    f"{', '.join(EXTENSIONS)}"], [], None
        with tempfile.TemporaryDirectory(prefix="kg-upload-") as folder:
            path = Path(folder) / name
            upload.save(path)
            items = read_path(path)
            ids = [r.id for r in items if isinstance(r, Report)]
            summary = ingest([path], store, progress=False)
        errors = [f.replace(folder + os.sep, "") for f in summary.failed]
        return errors, ids if not errors else [], summary
    text = form.get("text", "")
    report_id = form.get("id", "").strip()
    if not text.strip():
        return ["give the report's text, or a file"], [], None
    if not report_id:
        return ["give the report's id (letters, digits, '.', '_' or '-')"], [], None
    try:
        summary = KnowledgeGraph(store).ingest_text(
            text, report_id, published=form.get("published", "").strip() or None,
            source=form.get("source", "").strip() or None,
            title=form.get("title", "").strip() or None,
            url=form.get("url", "").strip() or None)
    except (ValueError, IngestError) as e:
        return [str(e)], [], IngestSummary()
    return [], [report_id], summary
