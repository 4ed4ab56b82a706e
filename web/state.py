"""What one app holds while it serves: `AppState`, made by create_app and kept in
`app.extensions["kg"]`; views reach it with `state()`.

It owns the store, the viewer's cache of what it read from it, the endpoint's query runner
(a pool of worker processes) and its writer thread, and closes all of them in `close()`,
which `kg serve` calls when it stops (tests call it too).
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from flask import current_app

from kg.store import Store
from kg.web.graphview import ViewerCache
from kg.web.no_network import deny_network
from kg.web.runner import QueryRunner
from kg.web.settings import Settings

if TYPE_CHECKING:
    from flask import Flask

EXTENSION = "kg"


class AppState:
    """The store, caches and query runner of one app, made from its settings."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.viewer_cache = ViewerCache(settings.viewer_max_reports)
        # Neither starts a process or thread until the first query or write.
        self.runner = QueryRunner(store, settings.query_workers,
                                  max_queue=settings.query_queue,
                                  busy_timeout=settings.query_busy_timeout,
                                  memory=settings.query_memory,
                                  allow_network=settings.allow_remote)
        # The embedded store's writes run in this one thread, which has no network access.
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="kg-writer",
                                         initializer=deny_network)
        # One endpoint or Graph Store write at a time, each whole. What readers see needs no
        # lock: every write, the upload page's too, changes store.version() once it is over,
        # and the query workers and the viewer's cache compare that.
        self.write_lock = threading.Lock()
        # What create_app read before serving (web/views/warm.py): seconds by part.
        self.warmed: dict[str, float | None] = {}

    def close(self) -> None:
        """Stops the query workers and the writer thread, then closes the store. Safe to
        call more than once."""
        self.runner.close()
        self.writer.shutdown(wait=True)
        if not self.store.closed:
            self.store.close()


def state(app: Flask | None = None) -> AppState:
    """The state of `app`, by default the app handling the current request."""
    return (app or current_app).extensions[EXTENSION]
