"""Every setting of `kg serve`, read and checked once, at start-up: `Settings`.

`Settings.from_env()` reads the `KG_*` variables below (an option of `kg serve` or an argument
of `create_app` given as a keyword wins over its variable) and refuses a bad value with a
ValueError naming the variable and the value, so that `kg serve` stops with that message
instead of failing every request. `Settings(...)` is explicit configuration (tests, an
embedding application): the environment is not read, and the values are checked the same way.

  KG_UPDATE_TOKEN        the bearer token of every write route; unset: read-only endpoint
  KG_ALLOW_REMOTE        1/true/yes/on: let queries and updates reach the network (SERVICE)
  KG_ALLOWED_HOSTS       Host names answered beside the loopback ones, comma-separated; *: any
  KG_MAX_QUERY_BYTES     body cap of queries and other requests (1 MiB)
  KG_MAX_UPDATE_BYTES    body cap of updates and Graph Store writes with the token (64 MiB)
  KG_MAX_REPORT_BYTES    one report's text (kg.reports.max_report_bytes); /upload's cap
  KG_QUERY_TIMEOUT       seconds a query may run (30)
  KG_RESULT_LIMIT        rows or triples a query may return (100,000)
  KG_RESULT_BYTES        bytes a result may take (256M; 0: no cap)
  KG_QUERY_WORKERS       queries run at once, one worker process each (4)
  KG_QUERY_QUEUE         queries waiting for a worker; more are refused (4)
  KG_QUERY_BUSY_TIMEOUT  seconds a query may run on the reserve worker (5)
  KG_QUERY_MEMORY        memory of each worker process (1G; 0: no cap)
  KG_CONNECTION_LIMIT    open connections (waitress; --connection-limit) (500)
  KG_CHANNEL_TIMEOUT     seconds an idle connection is kept (waitress; --channel-timeout) (20)
  KG_PAGE_SIZE           rows of a long list the viewer shows a page at a time (50)
  KG_WARM_START          0/false/no/off: do not read a large store's first pages before
                         serving it (web/views/warm.py; on by default)

Plain Python, no Flask: `kg serve` reads them before it builds the app.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from typing import Iterable

from kg.web.hosts import LOOPBACK_HOSTS, allowed_host_set

# A store of more reports than this is drawn by the graph page a scope at a time
# (web/graphview.py); `kg serve --viewer-max-reports`.
VIEWER_MAX_REPORTS = 1000
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*", re.IGNORECASE)
_SIZE_KIND = "a size (bytes, or a number with K, M or G)"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


def parse_size(text: str) -> int:
    """Bytes from "1073741824", "1024M", "1G" or "1 GiB"; ValueError otherwise."""
    m = _SIZE.fullmatch(text)
    if not m:
        raise ValueError(f"{text!r} is not {_SIZE_KIND}")
    return int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))


@dataclass(frozen=True)
class _Limit:
    """How a numeric setting is spelt and bounded."""
    variable: str
    # "whole", "number" (a float), "size" (512M), "bytes" (digits, 1_048_576 too) or
    # "serve" (waitress's limits: digits)
    kind: str
    minimum: int         # 0, or 1: above 0


# Field -> its variable and bounds. A size cap of 0 switches the cap off; a queue of 0 refuses
# every query that finds the workers taken.
_LIMITS = {
    "max_query_bytes": _Limit("KG_MAX_QUERY_BYTES", "bytes", 1),
    "max_update_bytes": _Limit("KG_MAX_UPDATE_BYTES", "bytes", 1),
    "query_timeout": _Limit("KG_QUERY_TIMEOUT", "number", 1),
    "result_limit": _Limit("KG_RESULT_LIMIT", "whole", 1),
    "result_bytes": _Limit("KG_RESULT_BYTES", "size", 0),
    "query_workers": _Limit("KG_QUERY_WORKERS", "whole", 1),
    "query_queue": _Limit("KG_QUERY_QUEUE", "whole", 0),
    "query_busy_timeout": _Limit("KG_QUERY_BUSY_TIMEOUT", "number", 0),
    "query_memory": _Limit("KG_QUERY_MEMORY", "size", 0),
    "connection_limit": _Limit("KG_CONNECTION_LIMIT", "serve", 1),
    "channel_timeout": _Limit("KG_CHANNEL_TIMEOUT", "serve", 1),
    "page_size": _Limit("KG_PAGE_SIZE", "whole", 1),
}


def _parse_limit(limit: _Limit, raw: str) -> int | float:
    """The value of `limit`'s variable, spelt `raw`; ValueError naming both if it is bad."""
    shown = f"{limit.variable}={raw!r}"
    if limit.kind in ("bytes", "serve"):
        # The waitress limits and the body caps are whole numbers of at least 1 (the caps
        # may be written 1_048_576).
        text = raw.strip().replace("_", "") if limit.kind == "bytes" else raw.strip()
        if not text.isdigit() or int(text) < 1:
            expected = ("a number of bytes, at least 1" if limit.kind == "bytes"
                        else "a whole number of at least 1")
            raise ValueError(f"{shown}: expected {expected}")
        return int(text)
    try:
        number = parse_size(raw) if limit.kind == "size" else \
            (float(raw) if limit.kind == "number" else int(raw))
    except ValueError:
        kind = {"size": _SIZE_KIND, "number": "a number", "whole": "a whole number"}[limit.kind]
        raise ValueError(f"{shown}: expected {kind}") from None
    if number < 0 or (number == 0 and limit.minimum):
        raise ValueError(f"{shown}: expected a positive number")
    return number


def _flag(variable: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError(f"{variable}={raw!r}: expected 1, true, yes or on (or 0, false, no, off)")


@dataclass(frozen=True)
class Settings:
    """The settings of one app (see the module doc for each). `allowed_hosts` holds the
    normalised names answered (always the loopback ones), None for any Host."""
    update_token: str | None = None
    allow_remote: bool = False
    allowed_hosts: frozenset[str] | None = frozenset(LOOPBACK_HOSTS)
    max_query_bytes: int = 1 << 20
    max_update_bytes: int = 64 << 20
    max_report_bytes: int = 512 << 10
    query_timeout: float = 30.0
    result_limit: int = 100_000
    result_bytes: int = 256 << 20
    query_workers: int = 4
    query_queue: int = 4
    query_busy_timeout: float = 5.0
    query_memory: int = 1 << 30
    connection_limit: int = 500
    channel_timeout: int = 20
    viewer_max_reports: int = VIEWER_MAX_REPORTS
    page_size: int = 50
    warm_start: bool = True

    def __post_init__(self) -> None:
        # Explicit values are checked as the variables are, but named by field.
        for name, limit in _LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                    or (value == 0 and limit.minimum) \
                    or (limit.kind != "number" and not isinstance(value, int)):
                raise ValueError(f"{name}={value!r} ({limit.variable}): expected a "
                                 f"{'positive ' if limit.minimum else ''}"
                                 f"{'number' if limit.kind == 'number' else 'whole number'}"
                                 f"{'' if limit.minimum else ' or 0'}")
        if self.max_report_bytes < 1:
            raise ValueError(f"max_report_bytes={self.max_report_bytes!r} "
                             f"(KG_MAX_REPORT_BYTES): expected 1 or more")
        if self.viewer_max_reports < 1:
            raise ValueError(f"viewer_max_reports: expected 1 or more, got "
                             f"{self.viewer_max_reports}")

    @classmethod
    def from_env(cls, *, allowed_hosts: Iterable[str] = (), **given) -> Settings:
        """The settings from the environment. A keyword names a field and
        wins over its variable when it is not None; `allowed_hosts` are added to those of
        KG_ALLOWED_HOSTS. ValueError names a bad variable and its value."""
        from kg.reports import max_report_bytes

        env = os.environ
        values: dict = {}
        for name, limit in _LIMITS.items():
            raw = env.get(limit.variable, "")
            if raw.strip():
                values[name] = _parse_limit(limit, raw)
        token = env.get("KG_UPDATE_TOKEN")
        values["update_token"] = token or None
        values["allow_remote"] = _flag("KG_ALLOW_REMOTE", env.get("KG_ALLOW_REMOTE", ""))
        # On unless switched off: an empty value is the default.
        values["warm_start"] = _flag("KG_WARM_START",
                                     env.get("KG_WARM_START", "").strip() or "1")
        values["allowed_hosts"] = allowed_host_set(
            [*allowed_hosts, *env.get("KG_ALLOWED_HOSTS", "").split(",")])
        # kg.reports owns this limit (ingest refuses a longer report); /upload caps its body
        # by it.
        values["max_report_bytes"] = max_report_bytes()
        unknown = set(given) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise TypeError(f"Settings.from_env: no setting {', '.join(sorted(unknown))}")
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)

    def replace(self, **changes) -> Settings:
        """A copy with `changes` (checked again)."""
        return dataclasses.replace(self, **changes)
