"""The viewer's blueprint ("pages") and what all its pages share: the template helpers, the
state they read (`current_store()`, `viewer_cache()`), the page queries of
web/queries/*.rq and the named queries of queries/ as plain rows, and the JSON error of the
`/api/...` routes.

The page families (web/views/home.py, graph.py, query.py, entities.py, reports.py,
upload.py) add their routes to `bp`; their endpoint names (`pages.home`, ...) are what the
templates' `url_for` calls use.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import Blueprint, Response, abort, jsonify, request

from kg import queries as Q
from kg.network import local_name
from kg.store import plain_rows
from kg.web import graphview
from kg.web.state import state
from kg.web.views.links import entity_url, safe_href

if TYPE_CHECKING:
    from kg.store import Store

bp = Blueprint("pages", __name__)

# web/: the page queries and the built front-end are beside the views' package.
WEB = Path(__file__).resolve().parents[1]
PAGE_QUERIES = WEB / "queries"
VENDOR = WEB / "static" / "vendor"

VENDOR_FILES = ("graph-libs.js", "editor.js")
VENDOR_HINT = ("the viewer's front-end libraries are not built: run `make vendor` "
               "(npm ci && npm run build) in the repository")
KIND_NAMES = {"relation": "bilateral relation", "agreement": "agreement", "event": "event",
              "post": "official's post", "organization": "organization", "person": "person",
              "state": "state", "report": "report", "evidence": "evidence", "other": "node"}
# The security headers (CSP, nosniff, Referrer-Policy) are set for every response by web/app.py.


@bp.record_once
def _setup(setup_state) -> None:
    app = setup_state.app
    app.jinja_env.filters["entity_url"] = entity_url
    app.jinja_env.filters["local_name"] = local_name
    app.jinja_env.filters["safe_href"] = safe_href
    app.jinja_env.globals["vendor_missing"] = vendor_missing
    app.jinja_env.globals["kind_names"] = KIND_NAMES
    if vendor_missing():
        app.logger.warning("kg serve: %s; the graph and query pages will say so", VENDOR_HINT)


def vendor_missing() -> bool:
    return not all((VENDOR / name).is_file() for name in VENDOR_FILES)


def current_store() -> Store:
    return state().store


def viewer_cache() -> graphview.ViewerCache:
    return state().viewer_cache


def api_error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


# ---------------------------------------------------------------- queries

@functools.lru_cache(maxsize=None)
def page_query(name: str) -> Q.NamedQuery:
    """web/queries/NAME.rq, parsed once: kg's own files, read on every page otherwise."""
    return Q.parse(name, PAGE_QUERIES / f"{name}.rq")


def _binding(value: str):
    """A page query's parameter as the term substituted for it: an http(s) IRI, else a plain
    literal (a report id)."""
    return ox.NamedNode(value) if re.match(r"https?://", value) else ox.Literal(value)


def page(name: str, **params: str):
    """Runs web/queries/NAME.rq with its params bound; raw pyoxigraph results. A query with
    `# bind:` lines has them bound by VALUES there, as kg.queries binds the named queries:
    Oxigraph plans a substitution as an unbound variable, filtered once the patterns are
    read, and never carries it into a subquery (a hub person's page read every event and post
    in the store: 40 s at 10,000 reports). Any other is run with its params substituted."""
    query = page_query(name)
    if query.marked():
        return current_store().query(query.bind({k: [v] for k, v in params.items()}))
    subs = {ox.Variable(k): _binding(v) for k, v in params.items()}
    return current_store().query(query.text, substitutions=subs)


def page_rows(name: str, **params: str) -> list[dict]:
    return plain_rows(page(name, **params), integers=True)


def named_rows(name: str, *, limit: int | None = None, offset: int | None = None,
               **params: str) -> list[dict]:
    """A named query of queries/ (bound with VALUES, as `kg query` does) as plain rows; with
    `limit` or `offset`, that page of them."""
    return plain_rows(Q.run(current_store(), name, {k: [v] for k, v in params.items() if v},
                            limit=limit, offset=offset), integers=True)


# ---------------------------------------------------------------- pages of a long list

@dataclass(frozen=True)
class Page:
    """Where a page of a list starts, its size, and whether rows follow it: the query is
    asked for one row more than the page (a count would read the whole list)."""
    arg: str       # the request argument holding the offset, one per list on a page
    offset: int
    size: int
    more: bool
    count: int = 0  # rows on this page
    anchor: str | None = None  # the id of the list's section, where its links lead

    @property
    def previous(self) -> int | None:
        return max(self.offset - self.size, 0) if self.offset else None

    @property
    def next(self) -> int | None:
        return self.offset + self.size if self.more else None

    def url(self, offset: int) -> str:
        """This page's URL with the list's offset changed; the other arguments kept."""
        from urllib.parse import urlencode

        args = [(k, v) for k, v in request.args.items(multi=True) if k != self.arg]
        if offset:
            args.append((self.arg, str(offset)))
        return (request.path + (f"?{urlencode(args)}" if args else "")
                + (f"#{self.anchor}" if self.anchor else ""))


def page_size() -> int:
    return state().settings.page_size


def offset_arg(arg: str) -> int:
    """The offset a request asks for in `arg` (0 if absent); 400 naming it if not a whole
    number of at least 0."""
    raw = request.args.get(arg, "")
    if not raw:
        return 0
    if not re.fullmatch(r"[0-9]{1,12}", raw):
        abort(400, f"{arg}: expected a whole number of at least 0, not {raw!r}")
    return int(raw)


def paged_rows(name: str, arg: str = "offset", anchor: str | None = None, **params: str
               ) -> tuple[list[dict], list[str], Page]:
    """A page of a named query's rows, from the offset the request gives in `arg`; and the
    query's columns (known even when the page has no row). `anchor`: the id of the element
    the page's links lead to."""
    offset, size = offset_arg(arg), page_size()
    results = Q.run(current_store(), name, {k: [v] for k, v in params.items() if v},
                    limit=size + 1, offset=offset)
    columns = [v.value for v in results.variables]
    rows = plain_rows(results, integers=True)
    return rows[:size], columns, Page(arg, offset, size, len(rows) > size,
                                      min(len(rows), size), anchor)
