"""The Flask app behind `kg serve`: the viewer, the SPARQL endpoint of kg/web/sparql.py and the
ontology page.

`create_app(store)` is an app factory. Three app-level hooks here apply to every request,
whatever blueprint serves it (the endpoint's too):

- the `Host` must be a name this server answers to (`allowed_hosts`, `KG_ALLOWED_HOSTS`;
  always the loopback names): a page of another site whose name its DNS points at
  127.0.0.1 ("DNS rebinding") reaches the server as same-origin, but with its own name as Host;
- the body must fit the cap of its route: `KG_MAX_QUERY_BYTES` (default 1 MiB) for queries
  and anything else, `KG_MAX_UPDATE_BYTES` (default 64 MiB) for updates and Graph Store
  writes that carry the update token, the report limit plus form overhead for /upload;
- every response carries a Content-Security-Policy, `nosniff` and a Referrer-Policy.
"""
from __future__ import annotations

import ipaddress
import os
import re
from typing import TYPE_CHECKING, Iterable

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from kg.web import auth
from kg.web.ontology_page import ontology_bp
from kg.web.pages import bp as pages_bp
from kg.web.sparql import bp as sparql_bp
from kg.web.sparql import check_settings

if TYPE_CHECKING:
    from kg.store import Store


# Names every server answers to: a rebinding page cannot make a browser send these as Host.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_QUERY_BYTES = 1 << 20
DEFAULT_MAX_UPDATE_BYTES = 64 << 20
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

_HOST = re.compile(r"\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)")
_PORT = re.compile(r":[0-9]{1,5}")


def _normal_host(name: str) -> str:
    """A host name lowercased without its trailing dot, an address in its canonical form
    (so that [::1], ::1 and 0:0:0:0:0:0:0:1 are one name)."""
    name = name.lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def host_name(header: str) -> str | None:
    """The name in a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`), normalised; None
    for anything else."""
    m = _HOST.match(header)
    if m is None or not (m.end() == len(header) or _PORT.fullmatch(header, m.end())):
        return None
    return _normal_host(m[1] or m[2])


def allowed_host_set(names: Iterable[str]) -> frozenset[str] | None:
    """The loopback names and `names` (normalised); None when one is `*` (any Host).
    ValueError names an entry that is not a bare host name or address."""
    out = set(LOOPBACK_HOSTS)
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name == "*":
            return None
        bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
        if not (re.fullmatch(r"[A-Za-z0-9._-]+", bare)
                or (bare.count(":") >= 2 and re.fullmatch(r"[0-9A-Fa-f:.]+", bare))):
            raise ValueError(f"allowed host {raw!r} (--allowed-host or KG_ALLOWED_HOSTS): give "
                             f"a host name or address without scheme, path or port (any "
                             f"port is accepted), or * for any Host")
        out.add(_normal_host(bare))
    return frozenset(out)


def _byte_setting(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={os.environ[name]!r}: expected a number of bytes, at least 1")
    return int(raw)


def create_app(store: Store, *, viewer_max_reports: int | None = None,
               allowed_hosts: Iterable[str] = ()) -> Flask:
    """The app serving `store`. A store of more than `viewer_max_reports` reports (default
    kg.web.graphview.MAX_REPORTS) is drawn by the graph page a scope at a time. Requests are
    answered for the Hosts `allowed_hosts`, those of `KG_ALLOWED_HOSTS` (comma-separated) and
    the loopback names; `*` in either allows any Host (behind a proxy that checks it)."""
    app = Flask(__name__)
    app.config["KG_STORE"] = store
    if viewer_max_reports is not None:
        if viewer_max_reports < 1:
            raise ValueError(f"viewer_max_reports: expected 1 or more, got {viewer_max_reports}")
        app.config["KG_VIEWER_MAX_REPORTS"] = viewer_max_reports
    from_env = os.environ.get("KG_ALLOWED_HOSTS", "").split(",")
    app.config["KG_ALLOWED_HOSTS"] = allowed_host_set([*allowed_hosts, *from_env])
    app.config["KG_MAX_QUERY_BYTES"] = _byte_setting("KG_MAX_QUERY_BYTES",
                                                     DEFAULT_MAX_QUERY_BYTES)
    app.config["KG_MAX_UPDATE_BYTES"] = _byte_setting("KG_MAX_UPDATE_BYTES",
                                                      DEFAULT_MAX_UPDATE_BYTES)
    check_settings(app.config)  # the endpoint's limits: a bad one stops kg serve here
    # App-level hooks run for every blueprint's routes, and for unrouted requests too.
    app.before_request(_check_host)
    app.before_request(_cap_body)
    app.after_request(_security_headers)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    # The viewer (kg/web/pages.py) first: its home page is the one served at /.
    app.register_blueprint(pages_bp)
    # The SPARQL 1.1 Protocol endpoint (/sparql) and Graph Store Protocol (/service).
    app.register_blueprint(sparql_bp)
    # The ontology's reference (kg/web/ontology_page.py), at /ontology.
    app.register_blueprint(ontology_bp)
    return app


def max_body_bytes(app: Flask) -> int:
    """The largest body any route accepts: `kg serve` has waitress refuse bigger ones before
    buffering them."""
    return max(app.config["KG_MAX_QUERY_BYTES"], app.config["KG_MAX_UPDATE_BYTES"],
               _upload_cap("application/x-www-form-urlencoded"))


def _plain(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


# ---------------------------------------------------------------- Host

def _check_host():
    allowed = current_app.config["KG_ALLOWED_HOSTS"]
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

def _upload_cap(mimetype: str) -> int:
    from kg.reports import max_report_bytes

    # A url-encoded form may spell each byte of the text as %XX.
    factor = 3 if mimetype == "application/x-www-form-urlencoded" else 1
    return factor * max_report_bytes() + FORM_OVERHEAD


def _body_cap() -> tuple[int, str]:
    """The largest body this request may carry, and what it is for (for the 413 message)."""
    config = current_app.config
    if request.endpoint == "pages.upload":
        return _upload_cap(request.mimetype), "upload"
    if request.endpoint in ("sparql.sparql", "sparql.graph_store") and \
            request.method in ("POST", "PUT", "DELETE") and auth.carries_update_token():
        return config["KG_MAX_UPDATE_BYTES"], "update"
    return config["KG_MAX_QUERY_BYTES"], "query"


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
    config = current_app.config
    body = f"{size:,} bytes" if size is not None else "larger than that"
    if what == "upload":
        from kg.reports import max_report_bytes

        rule = (f"a report may be at most {max_report_bytes():,} bytes (KG_MAX_REPORT_BYTES), "
                f"its form {limit:,} bytes in all")
    elif what == "update":
        rule = (f"an update or Graph Store write may be at most {limit:,} bytes "
                f"(KG_MAX_UPDATE_BYTES)")
    else:
        rule = (f"a query or other request may be at most {limit:,} bytes (KG_MAX_QUERY_BYTES); "
                f"updates and Graph Store writes sent with the update token may be up to "
                f"{config['KG_MAX_UPDATE_BYTES']:,} (KG_MAX_UPDATE_BYTES)")
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
