"""The W3C SPARQL 1.1 Protocol tests (../shared/w3c-protocol/manifest.ttl) against `kg serve`.

Each mf:ProtocolTest is run as its manifest describes: its ut:graphData are loaded through the
Graph Store Protocol with the bearer token, then its ht:Requests are sent in order and each
response's status class, content type (mf:expectedFormat) and boolean are checked. A second
test runs the same manifest with rdf-test-suite, an independent runner from npm.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection

from kg_server import kg_serve

SHARED = Path(__file__).resolve().parents[2] / "shared"
MANIFEST = SHARED / "w3c-protocol" / "manifest.ttl"
RUNNER = Path(__file__).resolve().parent / "w3c_runner"
TOKEN = "w3c-protocol-test-token"
# Where the W3C publishes this manifest; rdf-test-suite maps it to the local copy (-m), so
# nothing is fetched from the network.
OFFICIAL = "https://w3c.github.io/rdf-tests/sparql/sparql11/protocol/"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

# The media types each mf:expectedFormat allows (from the tests' names: XML, JSON, CSV, TSV for
# tables; XML or JSON for booleans; RDF/XML, Turtle, N-Triples or RDFa for graphs).
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples",
            "application/xhtml+xml", "text/html"},
}

pytestmark = pytest.mark.skipif(not MANIFEST.is_file(), reason=f"no manifest at {MANIFEST}")


def _load_manifest() -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    graph = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = list(Collection(graph, graph.value(manifest, MF.entries)))
    return graph, entries


GRAPH, ENTRIES = _load_manifest() if MANIFEST.is_file() else (rdflib.Graph(), [])


def _test_id(entry) -> str:
    return str(entry).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    store = tmp_path_factory.mktemp("w3c") / "kg"
    with kg_serve(store, env={"KG_UPDATE_TOKEN": TOKEN}) as served:
        yield served.url


def _send(base: str, method: str, path: str, headers: dict[str, str] | None = None,
          body: bytes | None = None) -> tuple[int, str, bytes]:
    """One request exactly as given: http.client adds no Content-Type of its own."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def _reset_and_load(base: str, entry) -> None:
    """An empty store, then the test's graphs, each PUT through the Graph Store Protocol."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _, text = _send(base, "POST", "/sparql", {**auth,
                            "Content-Type": "application/sparql-update"}, b"DROP ALL")
    assert status == 204, text
    for data in GRAPH.objects(entry, UT.graphData):
        source = Path(urllib.parse.unquote(urllib.parse.urlsplit(GRAPH.value(data, UT.graph)).path))
        name = str(GRAPH.value(data, RDFS.label))
        status, _, text = _send(base, "PUT", "/service?" + urllib.parse.urlencode({"graph": name}),
                                {**auth, "Content-Type": "application/n-triples"},
                                source.read_bytes())
        assert status in (201, 204), f"loading {source.name} into <{name}>: {status} {text!r}"


def _boolean(content_type: str, body: bytes) -> bool:
    mime = content_type.split(";")[0].strip()
    if mime == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    if mime == "application/sparql-results+xml":
        element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return element.text.strip() == "true"
    raise AssertionError(f"no boolean can be read from {content_type}")


@pytest.mark.parametrize("entry", ENTRIES, ids=_test_id)
def test_protocol(endpoint, entry):
    assert (entry, RDF.type, MF.ProtocolTest) in GRAPH
    _reset_and_load(endpoint, entry)
    action = GRAPH.value(entry, MF.action)
    requests = list(Collection(GRAPH, GRAPH.value(action, HT.requests)))
    assert requests, "the test has no request"
    for number, req in enumerate(requests, 1):
        path = str(GRAPH.value(req, HT.absolutePath))
        # The manifest's paths start with /sparql/; this endpoint is /sparql.
        assert path.startswith("/sparql/")
        path = "/sparql" + path[len("/sparql/"):]
        headers = {}
        header_list = GRAPH.value(req, HT.headers)
        if header_list is not None:
            for header in Collection(GRAPH, header_list):
                headers[str(GRAPH.value(header, HT.fieldName))] = str(
                    GRAPH.value(header, HT.fieldValue))
        headers["Authorization"] = f"Bearer {TOKEN}"
        body = None
        body_node = GRAPH.value(req, HT.body)
        if body_node is not None:
            encoding = str(GRAPH.value(body_node, CNT.characterEncoding) or "UTF-8")
            # Python's "utf-16" writes a byte-order mark, as a UTF-16 client would.
            body = str(GRAPH.value(body_node, CNT.chars)).encode(encoding.lower())
        method = str(GRAPH.value(req, HT.methodName))
        status, content_type, data = _send(endpoint, method, path, headers, body)
        where = f"request {number} ({method} {path[:80]}): {status} {content_type} {data[:300]!r}"

        resp = GRAPH.value(req, HT.resp)
        classes = {int(str(s)[len(HTS)]) for s in GRAPH.objects(resp, MF.expectedStatus)}
        assert classes and status // 100 in classes, where
        fmt = GRAPH.value(resp, MF.expectedFormat)
        if fmt is not None:
            assert content_type.split(";")[0].strip() in FORMATS[str(fmt)], where
        expected = GRAPH.value(resp, MF.expectedBoolean)
        if expected is not None:
            assert _boolean(content_type, data) is expected.toPython(), where


def test_manifest_lists_every_protocol_test():
    """Every mf:ProtocolTest in the file is an entry, so none is silently left out."""
    assert set(GRAPH.subjects(RDF.type, MF.ProtocolTest)) == set(ENTRIES)
    assert len(ENTRIES) == 34


# ------------------------------------------------------------------ an independent runner

def _runner_installed() -> bool:
    return (RUNNER / "node_modules" / "rdf-test-suite" / "bin" / "Runner.js").is_file()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_independent_runner_rdf_test_suite(tmp_path):
    """rdf-test-suite (npm) runs the same manifest; its engine file only adds the token."""
    if not _runner_installed():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install rdf-test-suite (make install-test does it)"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(RUNNER)],
                       check=True, capture_output=True, timeout=600)
    store = tmp_path / "kg"
    with kg_serve(store, env={"KG_UPDATE_TOKEN": TOKEN}) as served:
        result = subprocess.run(
            ["node", str(RUNNER / "node_modules" / "rdf-test-suite" / "bin" / "Runner.js"),
             "engine.js", OFFICIAL + "manifest.ttl", "-m", f"{OFFICIAL}~{MANIFEST.parent}/",
             "-i", json.dumps({"protocolEndpoint": served.url + "/sparql"}), "-d", "30000"],
            cwd=RUNNER, env={**os.environ, "KG_TEST_TOKEN": TOKEN},
            capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = {line.rsplit("(", 1)[-1].split(")")[0] for line in output.splitlines()
              if line.startswith("✔ ") and "manifest#" in line}
    assert passed == {str(e) for e in ENTRIES}, output
    assert f"{len(ENTRIES)} / {len(ENTRIES)} tests succeeded" in output, output
