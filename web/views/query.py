"""The query page (`/query`): a SPARQL editor (CodeMirror) over the `/sparql` endpoint, with
the named queries of queries/ as examples; `/api/query-text` gives one with its params bound.
`/query/<name>` shows a named query's rows a page at a time (`?offset=K`, KG_PAGE_SIZE rows),
with its params as the other arguments; run by the query workers, as the endpoint's queries
are, within KG_QUERY_TIMEOUT. A listing paged by report or by keys (`# paged by:`) reads only
the report graphs (or summary observations) that hold its page (kg.queries.plan); any other
listing's first page costs what the whole listing does (Oxigraph sorts every row first).
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import abort, jsonify, render_template, request, url_for

from kg import queries as Q
from kg import vocabulary as V
from kg.store import PageTooDeep, plain_rows
from kg.web.runner import QueryBusy, QueryOutOfMemory, QueryTimeout
from kg.web.sparql_worker import Job, ResultTooLarge
from kg.web.state import state
from kg.web.views.viewer import (Page, api_error, bp, current_store, named_rows, offset_arg,
                                 page_query, page_size, viewer_cache)


def param_defaults() -> dict[str, str]:
    """_param_defaults(), kept once per store version."""
    return viewer_cache().memo(current_store(), "query-defaults", _param_defaults)


def _param_defaults() -> dict[str, str]:
    """Values that make every named query's required params runnable on this store: the
    state and the pair in most reports (the largest counts from the summary graph,
    queries/network/query-defaults.rq, then the observations holding them), and the first
    report naming that state (query-default-report; the first page of `states`, read
    before, read the store's 100,000 report ids: 1.1 s)."""
    most = next(iter(named_rows("query-defaults")), {})
    text = page_query("query-defaults-of").text
    for name in ("stateMost", "pairMost"):
        # a whole number, or 0 (no observation has it) on an empty store
        count = int(most.get(name) or 0)
        text = text.replace(f"VALUES ?{name} {{ 0 }}", f"VALUES ?{name} {{ {count} }}")
    row = next(iter(plain_rows(current_store().query(text))), {})
    out = {}
    if row.get("iso3"):
        out.update(state=row["iso3"], iso3=row["iso3"], node=row["state"])
        first = next(iter(named_rows("query-default-report", state=row["state"])), {})
        if first.get("report"):
            out["report"] = first["report"]
    if row.get("relation"):
        out.update(a=row["state_a"], b=row["state_b"], relation=row["relation"])
    return out


@bp.get("/query")
def query_page():
    named = []
    for q in Q.all_queries():
        named.append(Q.describe(q))
    defaults = param_defaults()
    for q in named:
        for p in q["params"]:
            p["default"] = defaults.get(p["name"], "") if p["required"] else ""
    start = request.args.get("name", "")
    # Each query's rows a page at a time, its required params given their defaults.
    browse = [(q, url_for("pages.named_query_rows", name=q["name"],
                          **{p["name"]: p["default"] for p in q["params"] if p["default"]}))
              for q in named]
    return render_template("query.html", queries=named, id_base=V.ID, browse=browse,
                           page_size=page_size(),
                           initial={"name": start if start in Q.available() else "",
                                    "query": request.args.get("query", "")})


@bp.get("/api/query-text")
def api_query_text():
    """A named query's text with the given params bound, for the editor; with `limit`, its
    first `limit` rows (NamedQuery.paged), as the query page loads an example: the endpoint
    answers that text as kg's page of the listing (kg.queries.recognise), where the whole
    text has Oxigraph sort every row of the store first (`states` at 100,000 reports: over
    30 s, hundreds of thousands of rows)."""
    name = request.args.get("name", "")
    try:
        query = Q.load(name)
        limit = request.args.get("limit", "").strip()
        if limit and not limit.isdigit():
            raise Q.QueryError(f"limit must be a whole number of at least 0, not {limit!r}")
        values = {k: [v] for k, v in request.args.items()
                  if k not in ("name", "limit") and v.strip()}
        text = (query.paged(int(limit)) if limit else query).bind(values)
    except Q.QueryError as e:
        return api_error(400, str(e))
    return jsonify({"name": name, "text": text, **Q.describe(query)})


def _page_of(name: str, values: dict[str, str], offset: int
             ) -> tuple[list[dict], list[str], Page]:
    """A page of the query's rows, from a query worker (one row more than the page, to know
    whether another follows); QueryError, or the runner's refusals."""
    size, settings = page_size(), state().settings
    # The page's text and the report graphs it reads (kg.queries.plan: a listing paged by
    # report reads only the graphs that hold its page; any other, the whole store).
    page = Q.plan(current_store(), Q.load(name), {k: [v] for k, v in values.items()},
                  size + 1, offset)
    whole = page.named_graphs is None
    # TSV: the cells are the terms' own syntax, so they come back as they were.
    job = Job(query=page.text, base_iri=None,
              default_graph=None if whole else list(page.default_graph or ()),
              named_graphs=None if whole else list(page.named_graphs), union=whole,
              results_format="TSV", graph_format="N_TRIPLES", limit=size + 1,
              max_bytes=settings.result_bytes)
    # A page the walk ran to check it (Plan.rows) is not run again in a worker.
    checked = page.rows is not None and (not settings.result_bytes
                                         or len(page.rows) <= settings.result_bytes)
    body = page.rows if checked else state().runner.run(job, settings.query_timeout)[1]
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    columns = [v.value for v in results.variables]
    rows = plain_rows(results, integers=True)
    return rows[:size], columns, Page("offset", offset, size, len(rows) > size,
                                      min(len(rows), size))


@bp.get("/query/<name>")
def named_query_rows(name: str):
    """One page of a named query's rows; the arguments other than `offset` are its params."""
    if name not in Q.available():
        abort(404, f"no named query {name!r}")
    query = Q.describe(Q.load(name))
    values = {k: v for k, v in request.args.items() if k != "offset" and v.strip()}
    missing = [p["name"] for p in query["params"] if p["required"] and p["name"] not in values]
    rows, columns, error, status = [], [], None, 200
    page = Page("offset", offset_arg("offset"), page_size(), False)
    if missing:
        error = f"give {', '.join(missing)} to run this query"
    else:
        try:
            rows, columns, page = _page_of(name, values, page.offset)
        except Q.QueryError as e:
            error, status = str(e), 400
        except QueryTimeout:
            error, status = (f"the query ran past the {state().settings.query_timeout:g} s "
                             f"limit (KG_QUERY_TIMEOUT); give a param to narrow it"), 503
        except (QueryBusy, QueryOutOfMemory, ResultTooLarge) as e:
            error, status = f"the query was refused: {e}", 503
        except PageTooDeep as e:
            error, status = f"the page at offset {page.offset} was refused: {e}", 503
    return render_template("query_rows.html", query=query, values=values, rows=rows,
                           columns=columns, page=page, error=error), status
