"""A report's graph is built on kg.mapping.ReportTriples, a lighter rdflib store than Memory
(issue 17): it must answer every triple pattern as rdflib's Memory store does."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from kg.extraction import extract
from kg.mapping import ReportTriples, report_graph
from kg.reports import read_path

REPORT = sorted((Path(__file__).resolve().parent / "fixtures" / "corpus").glob("*.txt"))[0]


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    (report,) = read_path(REPORT)
    light = report_graph(report, extract(report))
    assert isinstance(light.store, ReportTriples)
    memory = Graph(identifier=light.identifier)
    for triple in light:
        memory.add(triple)
    return light, memory


def test_same_triples(graphs):
    light, memory = graphs
    assert len(light) == len(memory) > 100
    assert set(light) == set(memory)


def test_every_pattern_answers_the_same(graphs):
    light, memory = graphs
    triples = list(memory)[::7]
    for s, p, o in triples:
        for keep in itertools.product((True, False), repeat=3):
            pattern = tuple(term if k else None for term, k in zip((s, p, o), keep))
            assert sorted(light.triples(pattern)) == sorted(memory.triples(pattern)), pattern
            assert (pattern in light) == (pattern in memory)
    assert not list(light.triples((None, None, Literal("no such value"))))


def test_add_and_remove_keep_the_indexes_right(graphs):
    light, _ = graphs
    graph = Graph(store=ReportTriples())
    for triple in itertools.islice(iter(light), 50):
        graph.add(triple)
        graph.add(triple)                      # a graph is a set
    assert len(graph) == 50
    s, p, o = next(iter(graph))
    assert (s, p, o) in graph and o in list(graph.objects(s, p))
    graph.remove((s, p, None))
    assert (s, p, o) not in graph and not list(graph.objects(s, p))
    graph.add((s, p, o))
    assert list(graph.subjects(p, o)) == [s]
