"""Helpers shared by several test modules (no test module imports another one).

Plain functions and constants; the fixtures built on them are in tests/conftest.py.
"""
from __future__ import annotations

import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg import vocabulary as V

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
# The `kg` console script of the venv the tests run in.
KG = Path(sys.executable).with_name("kg")

# The viewer's built front-end (make vendor): the graph and query pages load these files.
VENDOR = ROOT / "kg" / "web" / "static" / "vendor"
VENDOR_FILES = ("graph-libs.js", "editor.js")
needs_vendor = pytest.mark.skipif(
    not all((VENDOR / name).is_file() for name in VENDOR_FILES),
    reason="the viewer's front-end is not built in web/static/vendor/ (run `make vendor`)")


# ---------------------------------------------------------------- reports and graphs

def write_report(folder: Path, rid: str, text: str, **front_matter) -> Path:
    """Writes FOLDER/RID.txt: front matter (id, then the given fields in order; None is left
    out) and the text. Returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    fields = "".join(f"{key}: {value}\n" for key, value in front_matter.items()
                     if value is not None)
    path = folder / f"{rid}.txt"
    path.write_text(f"---\nid: {rid}\n{fields}---\n{text}\n", encoding="utf-8")
    return path


def written_report(folder: Path, rid: str, text: str, **front_matter):
    """write_report, read back as kg reads it: the one kg.reports.Report it holds."""
    from kg.reports import Report, read_path

    (item,) = read_path(write_report(folder, rid, text, **front_matter))
    assert isinstance(item, Report), item
    return item


def report_graph(report_id, content_hash="h1", title="A title", states=("AZE",)):
    """A small hand-built report graph in the shape docs/rdf-model.md describes."""
    g = rdflib.Graph()
    r = URIRef(V.report_iri(report_id))
    g.add((r, RDF.type, V.BKG.Report))
    g.add((r, DCTERMS.identifier, Literal(report_id)))
    g.add((r, DCTERMS.title, Literal(title)))
    g.add((r, V.BKG.contentHash, Literal(content_hash)))
    for iso3 in states:
        s = URIRef(V.state_iri(iso3))
        g.add((s, RDF.type, V.BKG.State))
        g.add((s, V.BKG.iso3, Literal(iso3)))
        g.add((r, V.SCHEMA.mentions, s))
        ev = URIRef(V.report_part_iri("evidence", report_id, len(g)))
        g.add((ev, RDF.type, V.BKG.Evidence))
        g.add((ev, V.OA.hasBody, s))
        target = BNode()
        g.add((ev, V.OA.hasTarget, target))
        g.add((target, V.OA.hasSource, r))
    return g


# ---------------------------------------------------------------- HTTP against kg serve

def call(url: str, method: str = "GET", body: bytes | str | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60):
    """(status, headers, body) of one request; error statuses are returned, not raised."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def query(base: str, text: str, **headers):
    return call(f"{base}/sparql?" + urllib.parse.urlencode({"query": text}),
                headers={"Accept": "application/sparql-results+json", **headers})


def update(base: str, text: str, token: str | None = None, scheme: str = "Bearer"):
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"{scheme} {token}"
    return call(f"{base}/sparql", "POST", text, headers)


class QuerySpy:
    """A store that records the text of each query before running it on the real store
    (cost tests: which query a view sent, and what it read)."""

    def __init__(self, store, texts: list[str]):
        self._store, self.texts = store, texts

    def __getattr__(self, name):
        return getattr(self._store, name)

    def query(self, text, **kw):
        self.texts.append(text)
        return self._store.query(text, **kw)
