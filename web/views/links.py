"""Links of the viewer: the page of an IRI of the graph, of a report (at a sentence), and
which stored values may be links at all. Needs an app context (`url_for`)."""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pyoxigraph as ox
from flask import url_for

from kg import vocabulary as V


def entity_url(iri: str | None) -> str | None:
    """The viewer's page for an IRI of the graph (under kg.vocabulary.ID), else None."""
    if not iri or not iri.startswith(V.ID):
        return None
    return url_for("pages.entity", path=unquote(iri[len(V.ID):]))


def safe_href(url: str | None) -> str | None:
    """`url` if it is an http(s) URL, else None: a stored IRI or report URL may be
    `javascript:` or `data:`, which a link would run; templates show those as text."""
    # No whitespace or control character anywhere: browsers drop some of them before
    # reading the scheme.
    if isinstance(url, str) and re.match(r"https?://", url, re.I) and \
            not re.search(r"[\x00-\x20\x7f]", url):
        return url
    return None


def is_iri(value: str) -> bool:
    """Whether `value` is an absolute http(s) IRI, by pyoxigraph's IRI parser (a value such as
    `http://x/}UNION{?s ?p ?o}` starts like one but is not)."""
    if not re.match(r"https?://", value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def iri_of(path: str) -> str:
    # Minted segments keep only unreserved characters (kg.vocabulary._segment), so quoting
    # the decoded path the same way gives back the IRI.
    return V.ID + quote(path, safe="/-._~")


def report_url(report_id: str | None, start: int | None = None) -> str | None:
    if not report_id:
        return None
    url = url_for("pages.report_page", report_id=report_id)
    return f"{url}#at-{start}" if start is not None else url
