"""The query page (`/query`): a SPARQL editor (CodeMirror) over the `/sparql` endpoint, with
the named queries of queries/ as examples; `/api/query-text` gives one with its params bound.
"""
from __future__ import annotations

from flask import jsonify, render_template, request

from kg import queries as Q
from kg import vocabulary as V
from kg.web.views.viewer import api_error, bp, named_rows


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
        return api_error(400, str(e))
    return jsonify({"name": name, "text": text, **Q.describe(query)})
