"""The endpoint's formats, Graph Store Protocol and update datasets, through Flask's client."""
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF

from kg import vocabulary as V
from kg.store import PREFIXES, Store
from kg.web.app import create_app
from kg.web.settings import Settings
from kg.web.views.sparql import _add_using, ProtocolError

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DATA = ("<http://example.org/a> <http://example.org/p> \"tab\\there\"@en .\n"
        "<http://example.org/a> <http://example.org/q> _:b .\n")
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
SELECT = "SELECT ?s ?o WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } } ORDER BY ?o"


@pytest.fixture
def client():
    store = Store.memory()
    app = create_app(store, Settings(update_token=TOKEN))
    client = app.test_client()
    r = client.put("/service?graph=http://example.org/g", data=DATA,
                   content_type="application/n-triples", headers=AUTH)
    assert r.status_code == 201, r.data
    yield client
    store.close()


@pytest.mark.parametrize("accept,mime,rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_construct_formats(client, accept, mime, rdflib_format):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mime
    graph = rdflib.Graph().parse(data=r.data, format=rdflib_format)
    assert len(graph) == 2
    assert rdflib.Literal("tab\there", lang="en") in set(graph.objects())


@pytest.mark.parametrize("query", [
    "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }",
    "DESCRIBE ?s WHERE { ?s a ?c }",
])
def test_turtle_graphs_use_the_ontology_prefixes(query):
    store = Store.memory()
    state, person = V.ID + "state/FRA", V.ID + "person/x"
    store.ox.add(ox.Quad(ox.NamedNode(state), ox.NamedNode(str(RDF.type)),
                         ox.NamedNode(str(V.BKG.State)), ox.NamedNode("http://example.org/g")))
    store.ox.add(ox.Quad(ox.NamedNode(person), ox.NamedNode(str(V.FOAF.name)),
                         ox.Literal("X"), ox.NamedNode("http://example.org/g")))
    client = create_app(store, Settings()).test_client()
    try:
        r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/turtle"})
    finally:
        store.close()
    assert r.status_code == 200, r.data
    text = r.data.decode()
    for name, namespace in PREFIXES.items():
        assert f"@prefix {name}: <{namespace}> ." in text
    assert "bkg:State" in text and f"<{V.BKG.State}>" not in text
    assert len(rdflib.Graph().parse(data=text, format="turtle")) >= 1


@pytest.mark.parametrize("fmt,mime", [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                      ("xml", "application/sparql-results+xml"),
                                      ("json", "application/sparql-results+json")])
def test_format_parameter_overrides_accept(client, fmt, mime):
    r = client.get("/sparql", query_string={"query": SELECT, "format": fmt},
                   headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == mime
    if fmt == "csv":  # pyoxigraph does not read CSV results back: it is lossy
        assert r.data.startswith(b"s,o\r\n") and r.data.count(b"\r\n") == 3
        return
    rows = list(ox.parse_query_results(r.data, format=getattr(ox.QueryResultsFormat,
                                                              fmt.upper())))
    assert len(rows) == 2


def test_select_terms_survive(client):
    r = client.get("/sparql", query_string={"query": SELECT})
    bindings = r.json["results"]["bindings"]
    literal = next(b["o"] for b in bindings if b["o"]["type"] == "literal")
    assert literal == {"type": "literal", "value": "tab\there", "xml:lang": "en"}
    assert any(b["o"]["type"] == "bnode" for b in bindings)


def test_service_description_in_other_formats(client):
    r = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"
    assert b"http://www.w3.org/ns/sparql-service-description#SPARQL11Update" in r.data


def test_graph_store_round_trip(client):
    r = client.get("/service?graph=http://example.org/g", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and len(rdflib.Graph().parse(data=r.data, format="turtle")) == 2
    assert client.post("/service?graph=http://example.org/g", headers=AUTH,
                       data="<http://example.org/c> <http://example.org/p> 3 .",
                       content_type="text/turtle").status_code == 204
    r = client.get("/service?graph=http://example.org/g", headers={"Accept": "application/n-triples"})
    assert len(r.data.strip().splitlines()) == 3
    # the default graph, and a graph named by the server
    assert client.put("/service?default", headers=AUTH, data=DATA,
                      content_type="application/n-triples").status_code == 204
    r = client.post("/service", headers=AUTH, data=DATA, content_type="application/n-triples")
    assert r.status_code == 201 and r.headers["Location"].startswith("http://localhost/graph/")
    assert client.get("/service", query_string={"graph": r.headers["Location"]}).status_code == 200
    # bad requests
    assert client.put("/service?graph=http://example.org/g", headers=AUTH, data="nonsense",
                      content_type="text/turtle").status_code == 400
    assert client.put("/service?graph=http://example.org/g", headers=AUTH, data=DATA,
                      content_type="application/json").status_code == 415
    assert client.get("/service?graph=not%20an%20iri").status_code == 400
    assert client.get("/service").status_code == 400


def test_update_with_using_parameters(client):
    update = ("DELETE WHERE { ?s <http://example.org/p> ?o } ; "
              "INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Seen> } } "
              "WHERE { ?s ?p ?o }")
    r = client.post("/sparql?using-graph-uri=http://example.org/g", data=update,
                    content_type="application/sparql-update", headers=AUTH)
    assert r.status_code == 204, r.data
    ask = "ASK { GRAPH <http://example.org/out> { <http://example.org/a> a <http://example.org/Seen> } }"
    assert client.get("/sparql", query_string={"query": ask}).json["boolean"] is True


def test_add_using_rewrites_only_where_it_should():
    text = ('PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:where "WHERE" } ; '
            'DELETE WHERE { ?s ex:p ?o } ; INSERT { ?s ex:q 1 } WHERE { ?s ex:p ?o }')
    out = _add_using(text, ["<http://g>"], [])
    assert 'INSERT DATA { ex:a ex:where "WHERE" }' in out
    assert "DELETE { ?s ex:p ?o } USING <http://g> WHERE { ?s ex:p ?o }" in out
    assert "INSERT { ?s ex:q 1 } USING <http://g> WHERE { ?s ex:p ?o }" in out
    ox.Store().update(out)  # still valid SPARQL
    with pytest.raises(ProtocolError):
        _add_using("WITH <http://h> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["<http://g>"], [])
