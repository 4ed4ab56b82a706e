"""Host names as `kg serve` compares them: the loopback names every server answers to, the
name in a `Host` header, and the allow-list of `--allowed-host` / `KG_ALLOWED_HOSTS`.

Plain functions of strings (no Flask): web/settings.py builds the allow-list at start-up,
web/app.py checks each request's Host against it and web/auth.py asks whether an upload
came addressed by a loopback name.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Iterable

# Names every server answers to: a rebinding page cannot make a browser send these as Host.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

_HOST = re.compile(r"\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)")
_PORT = re.compile(r":[0-9]{1,5}")


def normal_host(name: str) -> str:
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
    return normal_host(m[1] or m[2])


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
        out.add(normal_host(bare))
    return frozenset(out)
