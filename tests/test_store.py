"""The store: atomic replacement of a report's graph, removal, hashes, export, stats."""
import io
import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg import vocabulary as V
from kg.store import Store, StoreError

from helpers import report_graph


def titles(store):
    rows = store.select(f"SELECT ?t WHERE {{ ?r a <{V.BKG.Report}> ; <{DCTERMS.title}> ?t }} "
                        "ORDER BY ?t")
    return [row["t"] for row in rows]


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    s = Store.memory() if request.param == "memory" else Store.open(tmp_path / "kg")
    yield s
    s.close()


def test_replace_then_read_back(store):
    store.replace_report("r1", report_graph("r1"))
    assert store.report_ids() == ["r1"]
    assert store.report_hash("r1") == "h1"
    assert store.report_hash("nope") is None
    assert len(store.graph("r1")) == len(report_graph("r1"))


def test_replace_replaces_rather_than_appends(store):
    store.replace_report("r1", report_graph("r1", "h1", "Old", states=("AZE", "ARM")))
    store.replace_report("r1", report_graph("r1", "h2", "New", states=("TKM",)))
    assert titles(store) == ["New"]
    assert store.report_hash("r1") == "h2"
    isos = {r["iso"] for r in store.select(
        f"SELECT ?iso WHERE {{ GRAPH ?g {{ ?s <{V.BKG.iso3}> ?iso }} }}")}
    assert isos == {"TKM"}
    assert len(store.graph("r1")) == len(report_graph("r1", states=("TKM",)))


def test_replace_that_fails_leaves_the_old_graph(store):
    store.replace_report("r1", report_graph("r1", "h1", "Old"))
    before = sorted(str(q) for q in store.ox)
    bad = report_graph("r1", "h2", "New")
    bad.add((URIRef(V.report_iri("r1")), RDFS.seeAlso, URIRef("http://example.org/a b")))
    with pytest.raises(Exception):
        store.replace_report("r1", bad)
    assert sorted(str(q) for q in store.ox) == before
    assert titles(store) == ["Old"]


def test_the_replace_update_is_one_transaction(store):
    """The DROP and the INSERT run as one update: an error after both undoes both."""
    store.replace_report("r1", report_graph("r1", "h1", "Old"))
    before = sorted(str(q) for q in store.ox)
    new = report_graph("r1", "h2", "New")
    triples = [ox.Triple(*(ox.NamedNode(str(t)) if isinstance(t, URIRef) else
                           ox.BlankNode(str(t)) if isinstance(t, BNode) else ox.Literal(str(t))
                           for t in triple)) for triple in new]
    update = store._replace_update(V.graph_iri("r1"), triples)
    # A graph that does not exist cannot be dropped without SILENT: the update fails at its end.
    with pytest.raises(Exception, match="does not exist"):
        store.update(update + " ;\nDROP GRAPH <urn:kg-test:missing>")
    assert sorted(str(q) for q in store.ox) == before
    store.update(update)
    assert titles(store) == ["New"]


def test_other_reports_are_untouched(store):
    store.replace_report("r1", report_graph("r1", title="One"))
    store.replace_report("r2", report_graph("r2", title="Two"))
    store.replace_report("r1", report_graph("r1", title="One again"))
    assert titles(store) == ["One again", "Two"]
    assert store.report_ids() == ["r1", "r2"]


def test_remove(store):
    store.replace_report("r1", report_graph("r1"))
    store.replace_report("r2", report_graph("r2", title="Two"))
    assert store.remove_report("r1") is True
    assert store.remove_report("r1") is False
    assert store.report_ids() == ["r2"]
    assert titles(store) == ["Two"]


def test_report_ids_with_odd_characters(store):
    store.replace_report("a b/ç", report_graph("a b/ç"))
    assert store.report_ids() == ["a b/ç"]
    assert store.report_hash("a b/ç") == "h1"


def test_select_gives_plain_strings_and_none(store):
    store.replace_report("r1", report_graph("r1"))
    rows = store.select(f"""SELECT ?r ?id ?missing WHERE {{
        ?r <{DCTERMS.identifier}> ?id OPTIONAL {{ ?r <urn:nothing> ?missing }} }}""")
    assert rows == [{"r": V.report_iri("r1"), "id": "r1", "missing": None}]


def test_ontology_is_loaded_once(tmp_path):
    from kg.store import ONTOLOGY_DIR

    if not (ONTOLOGY_DIR / "bilateral.ttl").exists():
        pytest.skip("ontology/bilateral.ttl not written yet")
    with Store.open(tmp_path / "kg") as s:
        graph = ox.NamedNode(V.ONTOLOGY_GRAPH)
        n = len(list(s.ox.quads_for_pattern(None, None, None, graph)))
        assert n > 1
        assert V.ONTOLOGY_GRAPH not in [r for r in s.report_ids()]
    with Store.open(tmp_path / "kg") as s:  # reopening does not load it twice
        assert len(list(s.ox.quads_for_pattern(None, None, None, graph))) == n


EXPORTS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


@pytest.mark.parametrize("fmt", EXPORTS)
def test_export_parses_back(store, fmt):
    store.replace_report("r1", report_graph("r1", title='Quote " and\nnewline'))
    store.replace_report("r2", report_graph("r2", title="Two"))
    out = io.BytesIO()
    store.export(fmt, out)
    data = out.getvalue().decode("utf-8")
    ds = rdflib.Dataset()
    ds.parse(data=data, format=EXPORTS[fmt])
    # Compared by lexical form: oxrdflib hands rdflib plain strings typed xsd:string.
    title = 'Quote " and\nnewline'
    subject = URIRef(V.report_iri("r1"))
    if fmt == "turtle":  # all graphs merged into one
        assert [str(t) for t in ds.default_graph.objects(subject, DCTERMS.title)] == [title]
    else:
        graph = ds.graph(URIRef(V.graph_iri("r1")))
        assert [str(t) for t in graph.objects(subject, DCTERMS.title)] == [title]
        assert URIRef(V.graph_iri("r2")) in {g.identifier for g in ds.graphs()}
    if fmt == "jsonld":
        json.loads(data)


def test_export_unknown_format(store):
    with pytest.raises(ValueError, match="turtle"):
        store.export("xml", io.BytesIO())


def test_dataset_sees_the_same_data(store):
    store.replace_report("r1", report_graph("r1"))
    ds = store.dataset()
    g = ds.graph(URIRef(V.graph_iri("r1")))
    assert (URIRef(V.report_iri("r1")), V.BKG.contentHash, Literal("h1")) in g


def test_stats(store):
    store.replace_report("r1", report_graph("r1", states=("AZE", "ARM")))
    store.replace_report("r2", report_graph("r2", states=("AZE",)))
    stats = store.stats()
    assert stats["reports"] == 2
    assert stats["states"] == 2  # AZE in two reports is one state
    assert stats["evidence"] == 3
    assert stats["persons"] == stats["agreements"] == stats["events"] == 0
    assert stats["triples"] == len(store.ox)
    assert stats["graphs"] >= 2


def test_reopen_keeps_data(tmp_path):
    with Store.open(tmp_path / "kg") as s:
        s.replace_report("r1", report_graph("r1"))
    with Store.open(tmp_path / "kg") as s:
        assert s.report_ids() == ["r1"]


def test_open_uses_kg_store_env(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "from-env"))
    with Store.open() as s:
        assert s.path == tmp_path / "from-env"
    assert (tmp_path / "from-env").is_dir()


def test_locked_store_is_a_clear_error(tmp_path):
    path = tmp_path / "kg"
    with Store.open(path):
        code = (f"from kg.store import Store, StoreError\n"
                f"try:\n    Store.open({str(path)!r})\n"
                f"except StoreError as e:\n    print(e)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert str(path) in out.stdout
    # It names the holder (this test's process), and says how to read meanwhile.
    assert f"held by another process (pid {os.getpid()}" in out.stdout
    assert "read_only=True" in out.stdout


def test_unusable_folder_is_a_clear_error(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(StoreError, match=str(not_a_folder)):
        Store.open(not_a_folder)


def test_version_changes_with_every_kind_of_write(store):
    seen = [store.version()]

    def changed():
        assert store.version() not in seen
        seen.append(store.version())

    store.replace_report("v1", report_graph("v1"))  # a new report (bulk path)
    changed()
    store.replace_report("v1", report_graph("v1", states=("FRA", "DEU")))  # a replace
    changed()
    store.update("INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> <urn:c> } }")
    changed()
    store.delete_graph("https://example.org/g")
    changed()
    store.remove_report("v1")
    changed()
    with pytest.raises(SyntaxError):
        store.update("INSERT DATA { nonsense")
    changed()  # a failed update may have done nothing, but is not assumed to


def test_subset_copies_the_chosen_graphs_only(store):
    store.replace_report("s1", report_graph("s1", states=("FRA", "DEU")))
    store.replace_report("s2", report_graph("s2", states=("ESP", "PRT")))
    part = store.subset([V.graph_iri("s1")])
    assert part.report_ids() == ["s1"]
    assert part.graph("s1").isomorphic(store.graph("s1"))
    assert store.report_ids().count("s2") == 1  # the store itself is untouched
    part.close()
