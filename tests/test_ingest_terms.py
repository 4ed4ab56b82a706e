"""The mapping makes one object per RDF term of a report's graph and adds its triples past
rdflib's Graph.add; validation indexes them past rdflib's generators (issue 17). The triples
and the checks' answers must stay those of rdflib's own ways."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.extraction import extract
from kg.mapping import ReportTriples, report_graph
from kg.reports import read_path
from kg.shape_checks import Data

REPORT = sorted((Path(__file__).resolve().parent / "fixtures" / "corpus").glob("*.txt"))[0]


@pytest.fixture(scope="module")
def light() -> Graph:
    (report,) = read_path(REPORT)
    return report_graph(report, extract(report))


def _memory(graph: Graph) -> Graph:
    memory = Graph(identifier=graph.identifier)
    for triple in graph:
        memory.add(triple)
    return memory


def test_equal_terms_are_one_object(light):
    """Predicates, classes, states, codes and offsets: found by identity in the dicts after
    the mapping (the write's term texts, validation's index), not by rdflib's __eq__."""
    predicates = [p for _, p, _ in light]
    classes = [o for _, p, o in light if p == RDF.type]
    offsets = [o for _, _, o in light if isinstance(o, Literal) and isinstance(o.value, int)]
    states = [o for _, _, o in light if isinstance(o, URIRef) and "/id/state/" in o]
    for terms in (predicates, classes, offsets, states):
        assert len(terms) > len(set(terms)) > 1
        assert len({id(t) for t in terms}) == len(set(terms))


def test_put_and_every_triple_keep_the_order_of_add(light):
    store = ReportTriples()
    triples = list(light)
    for triple in triples + triples[:10]:      # again: a graph is a set
        store.put(triple)
    assert list(store.every_triple()) == triples == list(Graph(store=store))


def test_validation_index_answers_as_over_rdflib(light):
    fast, slow = Data(light), Data(_memory(light))
    def index(data):   # rdflib's Memory store gives the triples in another order
        return {s: {p: sorted(o) for p, o in v.items()} for s, v in data.out.items()}
    assert index(fast) == index(slow)
    for s, p, o in list(light)[::5]:
        assert sorted(fast.subjects(p, o)) == sorted(slow.subjects(p, o)), (p, o)
        assert sorted(fast.objects(s, p)) == sorted(slow.objects(s, p))
        assert ((s, p, o) in fast) and ((s, p, o) in slow)
    assert fast.subjects(RDF.value, Literal("no such value")) == []
    for cls in set(o for _, p, o in light if p == RDF.type):
        assert fast.superclasses(cls) == slow.superclasses(cls) == {cls}
        assert fast.superclasses(cls) is fast.superclasses(cls)
