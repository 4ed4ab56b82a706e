"""Reading a large store's first pages before `kg serve` answers (issue 18).

The home page, the graph page's overview and state menu, the query page's defaults and the
walks of the paged listings (kg.queries.plan) read the summary graph once per store version
and keep what they read (the viewer's cache). On a freshly opened store of 100,000 reports
the first of those reads also pays the store's cold caches: `/` took 3.1-3.3 s and
`/api/graph` 3.2-3.9 s after start, against 1.1-1.4 s after a write. `create_app` therefore
reads them itself before it returns, when the store holds more reports than the viewer draws
whole (`viewer_max_reports`), so `kg serve` says it is serving, and listens, only once they
are read: its start takes those seconds longer, and its first requests do not. A write
still makes the next request of each page read again (the cache is per store version).
On a SPARQL server it also sends the texts every state's and person's page sends, for a
state and a person the store does not hold, so that Virtuoso has compiled them
(entities.compile_page_texts), several at once and beside the other reads: one after the
other, 8.6-13.3 s at 10,000 reports.
`KG_WARM_START=0` leaves it all to the first requests. A smaller store is not read ahead:
its pages are cheap anyway.
"""
from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from kg import queries as Q
from kg.web import graphview
from kg.web.state import state
from kg.web.views import entities, home, query

if TYPE_CHECKING:
    from flask import Flask


def warm(app: Flask) -> dict[str, float | None]:
    """Reads the app's first pages' data into its cache (see the module doc); the seconds
    each part took, by name (empty when nothing was read; None for a part that failed). A
    part that fails (a remote store that does not answer, say) is logged and left to the
    first request, as it was before: the server still starts."""
    st = state(app)
    store, cache = st.store, st.viewer_cache
    if not st.settings.warm_start or \
            cache.total_reports(store) <= st.settings.viewer_max_reports:
        return {}
    parts = {"home": home.home_lists,
             "overview": lambda: cache.get(store, "viewer", graphview.Scope()),
             "states": lambda: cache.states(store),
             "query-defaults": query.param_defaults,
             "walks": lambda: Q.prepare(store)}
    took: dict[str, float | None] = {}

    def read(name, part):
        start = time.perf_counter()
        try:
            part()
        except Exception as e:  # noqa: BLE001 - whatever the store raised, serve anyway
            app.logger.warning("kg serve: reading %s before serving failed (%s: %s); "
                               "its first request reads it", name, type(e).__name__, e)
            took[name] = None
            return
        took[name] = round(time.perf_counter() - start, 3)

    texts = None
    if not getattr(store, "embedded", False):
        # Beside the other parts: the server compiles the page texts while it answers them
        # (over Virtuoso at 10,000 reports the texts took 6.6 s, the rest 2.0 s).
        texts = threading.Thread(target=read, name="kg-warm-texts", args=(
            "page-texts", lambda: _in_request(app, entities.compile_page_texts)))
        texts.start()
    with app.app_context():
        for name, part in parts.items():
            read(name, part)
    if texts is not None:
        texts.join()
    return took


def _in_request(app: Flask, read):
    with app.test_request_context("/"):
        return read()
