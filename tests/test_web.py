"""The web app: the index page and the SPARQL protocol endpoint; and `kg serve` for real."""
import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
import rdflib

from kg import vocabulary as V
from kg.store import Store
from kg.web.app import create_app

from helpers import report_graph

COUNT = f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a <{V.BKG.State}> }}"


@pytest.fixture
def client():
    store = Store.memory()
    store.replace_report("r1", report_graph("r1", states=("AZE", "ARM")))
    app = create_app(store)
    yield app.test_client()
    store.close()


def test_index(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b"bilateral-kg" in page.data and b"/sparql" in page.data


def test_get_select_defaults_to_json(client):
    r = client.get("/sparql", query_string={"query": COUNT})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    assert r.json["results"]["bindings"][0]["n"]["value"] == "2"


@pytest.mark.parametrize("accept,mime,start", [
    ("text/csv", "text/csv", b"n\r\n2"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?n\n2"),
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
])
def test_accept(client, accept, mime, start):
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mime
    assert r.data.startswith(start)


def test_post_form_and_direct(client):
    r = client.post("/sparql", data={"query": COUNT})
    assert r.status_code == 200 and r.json["results"]["bindings"][0]["n"]["value"] == "2"
    r = client.post("/sparql", data=COUNT, content_type="application/sparql-query")
    assert r.status_code == 200 and r.json["results"]["bindings"][0]["n"]["value"] == "2"


def test_ask_and_construct(client):
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert r.json == {"head": {}, "boolean": True}
    r = client.get("/sparql", query_string={
        "query": f"CONSTRUCT {{ ?s a <{V.BKG.State}> }} WHERE {{ ?s a <{V.BKG.State}> }}"})
    assert r.mimetype == "text/turtle"
    assert len(rdflib.Graph().parse(data=r.data.decode(), format="turtle")) == 2


def test_dataset_parameters(client):
    graph = V.graph_iri("r1")
    r = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": graph})
    assert r.json["results"]["bindings"][0]["n"]["value"] == "2"
    r = client.get("/sparql", query_string={"query": COUNT,
                                            "default-graph-uri": "http://example.org/none"})
    assert r.json["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize("request_kwargs,status", [
    ({"method": "GET", "query_string": {"query": "SELECT WHERE {"}}, 400),
    ({"method": "POST", "data": {"other": "x"}}, 400),
    ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ({"method": "POST", "data": "ASK {}", "content_type": "text/plain"}, 415),
    ({"method": "POST", "data": b"ASK { \xff }", "content_type": "application/sparql-query"},
     400),
    ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 403),
    ({"method": "PUT", "data": "ASK {}"}, 405),
])
def test_bad_requests(client, request_kwargs, status):
    assert client.open("/sparql", **request_kwargs).status_code == status


def test_get_without_query_is_the_service_description(client):
    r = client.get("/sparql")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=r.data.decode(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.endpoint, rdflib.URIRef("http://localhost/sparql")) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kg_serve_answers(tmp_path):
    path = tmp_path / "kg"
    with Store.open(path) as s:
        s.replace_report("r1", report_graph("r1"))
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(path),
                               "--port", str(port)], stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": COUNT})
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    body = json.load(r)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert body["results"]["bindings"][0]["n"]["value"] == "1"
    finally:
        server.terminate()
        server.wait(timeout=10)
