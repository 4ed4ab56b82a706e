"""The Flask app behind `kg serve`: `create_app(store, settings)` builds it from the views of
web/views/ and holds its state (web/state.py) in `app.extensions["kg"]`;
`close_app(app)` stops its query workers and closes the store.

The settings (web/settings.py) are read and checked once, here: a bad `KG_*` value is a
ValueError naming it, which stops `kg serve` before it listens. Three app-level hooks apply to
every request, whatever blueprint serves it (the endpoint's too):

- the `Host` must be a name this server answers to (`allowed_hosts`, `KG_ALLOWED_HOSTS`;
  always the loopback names): a page of another site whose name its DNS points at
  127.0.0.1 ("DNS rebinding") reaches the server as same-origin, but with its own name as Host;
- the body must fit the cap of its route: `KG_MAX_QUERY_BYTES` (default 1 MiB) for queries
  and anything else, `KG_MAX_UPDATE_BYTES` (default 64 MiB) for updates and Graph Store
  writes that carry the update token, the report limit plus form overhead for /upload;
- every response carries a Content-Security-Policy, `nosniff` and a Referrer-Policy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from flask import Flask, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from kg.web import auth
from kg.web.hosts import host_name
from kg.web.settings import Settings
from kg.web.state import EXTENSION, AppState, state
from kg.web.views import ontology_bp, sparql_bp, viewer_bp
from kg.web.views.warm import warm

if TYPE_CHECKING:
    from kg.store import Store


# Room for a form's other fields and multipart boundaries around an uploaded report.
FORM_OVERHEAD = 64 << 10

# The viewer's pages: no inline script may run, whatever a report says.
VIEWER_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'; form-action 'self'")
# Everything else (query results, RDF, plain-text errors, Flask's error pages) is data: a
# browser opening it directly may load nothing and run nothing.
DATA_CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
VIEWER_BLUEPRINTS = frozenset({"pages", "ontology"})
# same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on a form
# POST, and /upload without a token checks that Origin against the Host.
REFERRER_POLICY = "same-origin"


def create_app(store: Store, settings: Settings | None = None, *,
               viewer_max_reports: int | None = None,
               allowed_hosts: Iterable[str] = ()) -> Flask:
    """The app serving `store` with `settings`; without them, the settings of the environment
    (Settings.from_env: ValueError naming a bad variable), with `viewer_max_reports` (a store
    of more reports, default 1000, is drawn by the graph page a scope at a time) and the Hosts
    `allowed_hosts` added to those of `KG_ALLOWED_HOSTS` and the loopback names (`*`: any
    Host, behind a proxy that checks it). The app's state owns the store from now on:
    `close_app` closes it."""
    if settings is None:
        settings = Settings.from_env(viewer_max_reports=viewer_max_reports,
                                     allowed_hosts=allowed_hosts)
    elif viewer_max_reports is not None or allowed_hosts:
        raise TypeError("create_app: give viewer_max_reports and allowed_hosts in the "
                        "settings, not beside them")
    app = Flask(__name__)
    app.extensions[EXTENSION] = AppState(store, settings)
    # App-level hooks run for every blueprint's routes, and for unrouted requests too.
    app.before_request(_check_host)
    app.before_request(_cap_body)
    app.after_request(_security_headers)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    # The viewer (web/views/) first: its home page is the one served at /.
    app.register_blueprint(viewer_bp)
    # The SPARQL 1.1 Protocol endpoint (/sparql) and Graph Store Protocol (/service).
    app.register_blueprint(sparql_bp)
    # The ontology's reference (web/views/ontology.py), at /ontology.
    app.register_blueprint(ontology_bp)
    # A large store's first pages read now, before kg serve listens (web/views/warm.py).
    app.extensions[EXTENSION].warmed = warm(app)
    return app


def close_app(app: Flask) -> None:
    """Stops the app's query workers and writer thread and closes its store (once)."""
    state(app).close()


def max_body_bytes(app: Flask) -> int:
    """The largest body any route accepts: `kg serve` has waitress refuse bigger ones before
    buffering them."""
    settings = state(app).settings
    return max(settings.max_query_bytes, settings.max_update_bytes,
               _upload_cap(settings, "application/x-www-form-urlencoded"))


def _plain(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


# ---------------------------------------------------------------- Host

def _check_host():
    allowed = state().settings.allowed_hosts
    header = request.headers.get("Host")
    # No Host at all is an HTTP/1.0 client, not a browser: nothing to rebind.
    if allowed is None or header is None or host_name(header) in allowed:
        return None
    shown = header if len(header) <= 100 else header[:100] + "..."
    name = host_name(header)
    how = (f"start kg serve with --allowed-host {name} or set KG_ALLOWED_HOSTS={name}"
           if name else "send the server's own name as Host")
    served = ", ".join(f"[{h}]" if ":" in h else h for h in sorted(allowed))
    return _plain(400, f"{request.method} {request.path}: refused: Host {shown!r} is not a "
                       f"name this server answers to ({served}); to serve it under that "
                       f"name, {how}")


# ---------------------------------------------------------------- body caps

def _upload_cap(settings: Settings, mimetype: str) -> int:
    # A url-encoded form may spell each byte of the text as %XX.
    factor = 3 if mimetype == "application/x-www-form-urlencoded" else 1
    return factor * settings.max_report_bytes + FORM_OVERHEAD


def _body_cap() -> tuple[int, str]:
    """The largest body this request may carry, and what it is for (for the 413 message)."""
    settings = state().settings
    if request.endpoint == "pages.upload":
        return _upload_cap(settings, request.mimetype), "upload"
    if request.endpoint in ("sparql.sparql", "sparql.graph_store") and \
            request.method in ("POST", "PUT", "DELETE") and auth.carries_update_token():
        return settings.max_update_bytes, "update"
    return settings.max_query_bytes, "query"


def _cap_body():
    limit, what = _body_cap()
    g.kg_body_cap = (limit, what)
    # Both are read by werkzeug when the body or form is parsed (a chunked body has no
    # Content-Length to check here); Flask's own limit on a multipart text field (500 kB)
    # would refuse a pasted report well under the report limit.
    request.max_content_length = limit
    request.max_form_memory_size = limit
    size = request.content_length
    if size is not None and size > limit:
        return _too_large_response(size)
    return None


def _too_large_response(size: int | None) -> Response:
    limit, what = g.get("kg_body_cap") or _body_cap()
    settings = state().settings
    body = f"{size:,} bytes" if size is not None else "larger than that"
    if what == "upload":
        rule = (f"a report may be at most {settings.max_report_bytes:,} bytes "
                f"(KG_MAX_REPORT_BYTES), "
                f"its form {limit:,} bytes in all")
    elif what == "update":
        rule = (f"an update or Graph Store write may be at most {limit:,} bytes "
                f"(KG_MAX_UPDATE_BYTES)")
    else:
        rule = (f"a query or other request may be at most {limit:,} bytes (KG_MAX_QUERY_BYTES); "
                f"updates and Graph Store writes sent with the update token may be up to "
                f"{settings.max_update_bytes:,} (KG_MAX_UPDATE_BYTES)")
    return _plain(413, f"{request.method} {request.path}: refused: the body is {body}; {rule}")


def _too_large(e: RequestEntityTooLarge) -> Response:
    return _too_large_response(request.content_length)


# ---------------------------------------------------------------- headers

def _security_headers(response: Response) -> Response:
    viewer = request.blueprint in VIEWER_BLUEPRINTS
    # setdefault: a route that sets a stricter policy of its own keeps it.
    response.headers.setdefault("Content-Security-Policy", VIEWER_CSP if viewer else DATA_CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    return response
