"""The home page (`/`): the store's counts, its states, the latest reports and the named
queries."""
from __future__ import annotations

from flask import render_template

from kg import queries as Q
from kg.store import COUNTED_CLASSES, plain_rows
from kg import vocabulary as V
from kg.web.views.viewer import (bp, current_store, named_rows, page_query, page_rows,
                                 viewer_cache)

# What each of the store's counts counts. The store counts distinct nodes: a state named by
# ten reports is one state, while `kg ingest` sums each report's facts, so its figures are
# higher; the page says which is which. (`kg stats` also counts triples and graphs: a scan of
# the whole store, which the page leaves out.)
STAT_NAMES = {
    "reports": "reports",
    "states": "distinct states",
    "persons": "distinct officials",
    "posts": "posts held (one per official and report)",
    "agreements": "distinct agreements",
    "events": "events (one per report telling it)",
    "relations": "distinct pairs of states in relation",
    "evidence": "evidence annotations (a fact and a sentence stating it)",
}
_CLASS_KEYS = {str(V.BKG[cls]): key for key, cls in COUNTED_CLASSES.items()}
_CLASS_KEYS[str(V.BKG.Report)] = "reports"


def store_counts() -> dict[str, int]:
    """The counts of STAT_NAMES, read from the summary graph (web/queries/store-counts.rq):
    the same figures as `kg stats`, without reading the reports."""
    counts = dict.fromkeys(STAT_NAMES, 0)
    for row in page_rows("store-counts"):
        if row["class"] in _CLASS_KEYS:
            counts[_CLASS_KEYS[row["class"]]] = int(row["count"])
    return counts


def latest_reports() -> list[dict]:
    """latest-reports' rows (the latest 100 reports), read for the fewest latest dates that
    hold 100 reports (latest-days counts them): at 100,000 reports the latest 100 dates held
    2,500 reports' digests (0.4 s), the first four or five of them hold 100."""
    days, covered = [], 0
    for row in page_rows("latest-days"):
        if covered >= 100:
            break
        days.append(row["day"])
        covered += row["reports"]
    if not days:
        return []
    query = page_query("latest-reports").bind({"day": days})
    return plain_rows(current_store().query(query), integers=True)


def stat_rows(stats: dict[str, int]) -> list[tuple[str, str, int]]:
    """(key, what it counts, count) for the page's table, in the store's order."""
    return [(key, STAT_NAMES.get(key, key), value) for key, value in stats.items()]


def home_lists() -> tuple[dict[str, int], list[dict], list[dict]]:
    """The store's counts, its states and the latest reports, kept once per store version
    (web/warm.py reads them before a large store is served)."""
    store, cache = current_store(), viewer_cache()
    # All three read the summary graph the store keeps at write time (kg/summaries.py), not
    # the reports: 0.1-0.4 s each at 100,000 reports.
    return (cache.memo(store, "store-counts", store_counts),
            cache.memo(store, "states-summary", lambda: named_rows("states-summary")),
            cache.memo(store, "latest-reports", latest_reports))


@bp.get("/")
def home():
    named = []
    for name in Q.available():
        try:
            named.append(Q.describe(Q.load(name)))
        except Q.QueryError as e:
            named.append({"name": name, "title": "", "description": str(e), "params": []})
    stats, states, latest = home_lists()
    return render_template("home.html", stats=stat_rows(stats), queries=named, states=states,
                           reports=latest, reports_total=stats["reports"])
