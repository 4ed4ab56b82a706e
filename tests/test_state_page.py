"""A hub node's page at 100,000 reports (issue 18): entity-properties and entity-incoming come
unsorted and the page sorts them (Oxigraph took 2-3 s each to sort a hub state's thousands of
rows, reading both strings of every comparison from disk; Python takes milliseconds). These
tests hold the page's rows to what the former sorted texts (below) gave, for every node of the
dev corpus: the same rows in the same order, and the same cut at MAX_INCOMING."""
from __future__ import annotations

import collections

import pyoxigraph as ox
import pytest

from kg.store import OxigraphStore
from kg.store.base import plain
from kg.web.views import entities, viewer

OLD_PROPERTIES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?node ?p ?o (SAMPLE(?anyLabel) AS ?label) ?g WHERE {
  GRAPH ?g { ?node ?p ?o }
  OPTIONAL { GRAPH ?g { { ?o rdfs:label ?graphLabel } UNION { ?o dct:title ?graphLabel } } }
  OPTIONAL { GRAPH <https://bilateral-kg.org/graph/ontology> {
      { ?o rdfs:label ?ontologyLabel } UNION { ?o skos:prefLabel ?ontologyLabel } } }
  BIND(COALESCE(?graphLabel, ?ontologyLabel) AS ?anyLabel)
}
GROUP BY ?node ?p ?o ?g
ORDER BY ?p ?o ?g
"""

OLD_INCOMING = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
SELECT ?node ?s ?p ?class (SAMPLE(?anyLabel) AS ?label) (COUNT(DISTINCT ?g) AS ?reports) WHERE {
  GRAPH ?g { ?s ?p ?node . OPTIONAL { ?s a ?class } }
  FILTER(?p NOT IN (oa:hasBody, oa:hasSource, schema:mentions))
  OPTIONAL { { ?s rdfs:label ?anyLabel } UNION { ?s dct:title ?anyLabel } }
}
GROUP BY ?node ?s ?p ?class
ORDER BY ?p ?s
LIMIT %d
"""


@pytest.fixture(scope="module")
def app(dev_store):
    from kg.web.app import close_app, create_app

    app = create_app(OxigraphStore.open_read_only(dev_store))
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def every_node(app):
    with app.test_request_context("/"):
        rows = viewer.current_store().query(
            "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?n ?p ?o } "
            "FILTER(STRSTARTS(STR(?n), 'https://bilateral-kg.org/id/')) } ORDER BY ?n")
        return [r[0].value for r in rows]


def old_rows(text: str, node: str) -> list[dict]:
    results = viewer.current_store().query(
        text, substitutions={ox.Variable("node"): ox.NamedNode(node)})
    names = [v.value for v in results.variables]
    return [{n: plain(t, integers=True) for n, t in zip(names, s)} for s in results]


def test_the_page_queries_sort_nothing():
    """The hub's rows are sorted by the page, not by Oxigraph (the former texts sorted)."""
    for name in ("entity-properties", "entity-incoming"):
        text = viewer._page_query(name).text
        body = "\n".join(line.split("#")[0] for line in text.splitlines())
        assert "ORDER BY" not in body and "LIMIT" not in body, name


def test_property_rows_come_in_the_old_order(app, every_node):
    kinds = collections.Counter()
    with app.test_request_context("/"):
        for node in every_node:
            old = old_rows(OLD_PROPERTIES, node)
            assert entities.property_rows(node) == old, node
            kinds[entities.kind_of(r["o"] for r in old if r["p"] == entities.RDF_TYPE)] += 1
    assert {"state", "person", "agreement", "report", "event"} <= set(kinds), kinds


def test_incoming_rows_are_the_old_first_ones(app, every_node, monkeypatch):
    """The same links, in the same order of property and node, also where the cut falls
    inside a node's links (a small MAX_INCOMING). The label is SAMPLE's (any of the node's):
    compared where the node has one label only."""
    labels = collections.defaultdict(set)
    with app.test_request_context("/"):
        for row in viewer.current_store().query(
                "SELECT ?s ?l WHERE { GRAPH ?g { { ?s <http://www.w3.org/2000/01/rdf-schema#label> "
                "?l } UNION { ?s <http://purl.org/dc/terms/title> ?l } } }"):
            labels[row[0].value].add(row[1].value)
        cut = 0
        for limit in (entities.MAX_INCOMING, 2):
            monkeypatch.setattr(entities, "MAX_INCOMING", limit)
            for node in every_node:
                old = old_rows(OLD_INCOMING % limit, node)
                new = entities.incoming_rows(node)
                assert [(r["p"], r["s"]) for r in new] == [(r["p"], r["s"]) for r in old], node
                for a, b in zip(old, new):
                    if len(labels[a["s"]]) <= 1:
                        assert a == b, node
                    else:
                        assert b["label"] in labels[a["s"]]
                cut += len(old) == limit < len(old_rows(OLD_INCOMING % 10_000, node))
        assert cut >= 5, "too few nodes whose links the cut falls inside"


def test_labels_and_kinds_do_not_depend_on_the_rows_order(app, every_node):
    """graph.py reads entity-properties' rows as they come (now unsorted) for kind_of and
    label_of: both give what the sorted rows gave."""
    with app.test_request_context("/"):
        for node in every_node:
            rows = entities.property_rows(node)
            for order in (rows, rows[::-1]):
                classes = [r["o"] for r in order if r["p"] == entities.RDF_TYPE]
                assert entities.label_of(node, order) == entities.label_of(node, rows)
                assert entities.kind_of(classes) == entities.kind_of(
                    [r["o"] for r in rows if r["p"] == entities.RDF_TYPE])


def test_label_of_breaks_ties_in_sparql_order():
    rows = [{"p": entities.LABEL_PROPERTIES[0], "o": o} for o in ("Zed", "Abe", "Zed", "Abe")]
    assert entities.label_of("x", rows) == "Abe"
    assert entities.label_of("x", rows[:3]) == "Zed"
