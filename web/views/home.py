"""The home page (`/`): the store's counts, its states, the latest reports and the named
queries."""
from __future__ import annotations

from flask import render_template

from kg import network
from kg import queries as Q
from kg.web.views.viewer import bp, current_store, named_rows, page_rows, viewer_cache

# The home page lists this many reports, the latest first: a large store's would not fit.
HOME_REPORTS = 100

# What each of the store's counts counts. The store counts distinct nodes: a state named by
# ten reports is one state, while `kg ingest` sums each report's facts, so its figures are
# higher; the page says which is which.
STAT_NAMES = {
    "reports": "reports",
    "states": "distinct states",
    "persons": "distinct officials",
    "posts": "posts held (one per official and report)",
    "agreements": "distinct agreements",
    "events": "events (one per report telling it)",
    "relations": "distinct pairs of states in relation",
    "evidence": "evidence annotations (a fact and a sentence stating it)",
    "triples": "triples",
    "graphs": "named graphs",
}


def stat_rows(stats: dict[str, int]) -> list[tuple[str, str, int]]:
    """(key, what it counts, count) for the page's table, in the store's order."""
    return [(key, STAT_NAMES.get(key, key), value) for key, value in stats.items()]


@bp.get("/")
def home():
    store, cache = current_store(), viewer_cache()
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
    return render_template("home.html", stats=stat_rows(stats), queries=named, states=states,
                           reports=latest, reports_total=stats["reports"])
