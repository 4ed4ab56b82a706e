"""The query page (`/query`): a SPARQL editor (CodeMirror) over the `/sparql` endpoint, with
the named queries of queries/ as examples; `/api/query-text` gives one with its params bound.
`/query/<name>` shows a named query's rows a page at a time (`?offset=K`, KG_PAGE_SIZE rows),
with its params as the other arguments.
"""
from __future__ import annotations

from flask import abort, jsonify, render_template, request, url_for

from kg import queries as Q
from kg import vocabulary as V
from kg.web.views.viewer import Page, api_error, bp, named_rows, offset_arg, page_size, \
    paged_rows


def _param_defaults() -> dict[str, str]:
    """Values that make every named query's required params runnable on this store."""
    states = named_rows("states-summary")
    top = max(states, key=lambda r: (int(r["reports"] or 0), r["iso3"] or ""), default=None)
    pairs = named_rows("relations-summary")
    pair = max(pairs, key=lambda r: (int(r["reports"] or 0), r["relation"] or ""), default=None)
    reports = named_rows("reports", limit=1)  # the first report is all that is needed
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
    # Each query's rows a page at a time, its required params given their defaults.
    browse = [(q, url_for("pages.named_query_rows", name=q["name"],
                          **{p["name"]: p["default"] for p in q["params"] if p["default"]}))
              for q in named]
    return render_template("query.html", queries=named, id_base=V.ID, browse=browse,
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
        return api_error(400, str(e))
    return jsonify({"name": name, "text": text, **Q.describe(query)})


@bp.get("/query/<name>")
def named_query_rows(name: str):
    """One page of a named query's rows; the arguments other than `offset` are its params."""
    if name not in Q.available():
        abort(404, f"no named query {name!r}")
    query = Q.describe(Q.load(name))
    values = {k: v for k, v in request.args.items() if k != "offset" and v.strip()}
    missing = [p["name"] for p in query["params"] if p["required"] and p["name"] not in values]
    rows, columns, error = [], [], None
    page = Page("offset", offset_arg("offset"), page_size(), False)
    if missing:
        error = f"give {', '.join(missing)} to run this query"
    else:
        try:
            rows, columns, page = paged_rows(name, "offset", **values)
        except Q.QueryError as e:
            error = str(e)
    status = 400 if error and not missing else 200
    return render_template("query_rows.html", query=query, values=values, rows=rows,
                           columns=columns, page=page, error=error), status
