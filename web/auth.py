"""Who may write through `kg serve`: the one place every write route asks.

Writes (a SPARQL update, a Graph Store PUT, POST or DELETE, an upload) need the update token,
`KG_UPDATE_TOKEN` (the app's settings, web/settings.py), sent as
`Authorization: Bearer <token>`; the scheme's name is matched in any case (RFC 7235) and the
token in constant time. The upload form may also carry it as a field. Without a token
configured the endpoint is read-only, and `/upload` takes a report only from a loopback client
that addressed the server by a loopback name, from the viewer's own page (see
upload_refusal).
"""
from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from flask import request

from kg.web.hosts import LOOPBACK_HOSTS, host_name
from kg.web.state import state


def update_token() -> str | None:
    """The configured update token, or None when the server is read-only."""
    return state().settings.update_token or None


def bearer_token() -> str | None:
    """The token of the request's `Authorization: Bearer ...` header, if it has one."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return given.strip() or None if scheme.lower() == "bearer" else None


def _matches(given: str | None, token: str | None) -> bool:
    return bool(given and token) and hmac.compare_digest(given.encode(), token.encode())


def carries_update_token() -> bool:
    """Whether the request's bearer token is the configured one."""
    return _matches(bearer_token(), update_token())


def endpoint_refusal() -> tuple[int, str, dict[str, str]] | None:
    """Why the endpoint refuses this write (status, message, headers), or None if it may."""
    token = update_token()
    if not token:
        return 403, ("this endpoint is read-only: updates and Graph Store writes are refused "
                     "(start kg serve with KG_UPDATE_TOKEN set to accept them)"), {}
    if not request.headers.get("Authorization"):
        return 401, "this write needs 'Authorization: Bearer <token>'", \
            {"WWW-Authenticate": 'Bearer realm="kg"'}
    if not carries_update_token():
        return 401, "wrong token: this write needs the server's bearer token", \
            {"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'}
    return None


def upload_refusal() -> str | None:
    """Why /upload refuses this request, or None if it may store the report."""
    token = update_token()
    if token:
        given = bearer_token() or request.form.get("token", "")
        if _matches(given, token):
            return None
        return "a valid update token is required (Authorization: Bearer or the form's token)"
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return ("no update token is configured (KG_UPDATE_TOKEN), so reports are accepted "
                "only from this machine")
    # A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own
    # name as Host, even where the server is told to accept any Host (--allowed-host '*').
    host = request.headers.get("Host", "")
    if host_name(host) not in LOOPBACK_HOSTS:
        return (f"no update token is configured (KG_UPDATE_TOKEN), so reports are accepted "
                f"only from this machine addressed as {', '.join(LOOPBACK_HOSTS)}, not as "
                f"Host {host!r}")
    # Without a token a page on another site could make the reader's browser post here.
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin and urlsplit(origin).netloc.lower() != host.lower():
        return "refused: the form was sent from another site"
    return None
