"""Entity resolution across reports, and the RDF each report's facts are mapped to.

Reports are invented texts ingested into a real in-memory Oxigraph store through the real
pipeline (read, extract, resolve, map, validate, store).
"""
from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from kg.ingest import ingest
from kg.mapping import date_literal, report_graph
from kg.reports import read_path
from kg.extraction import extract
from kg.store import Store
from kg.vocabulary import BKG, OA, graph_iri

REPORTS = {
    "r1": ("2023-10-02", "BAKU, October 2. The newly appointed Ambassador of Azerbaijan to "
                         "Latvia Gismat Gozalov presented his credentials to President Edgars "
                         "Rinkevics in Riga on Monday."),
    "r2": ("2024-01-15", "RIGA, January 15. Latvian President Edgars Rinkevics received "
                         "Ambassador of Azerbaijan Gismet Gezalov. The two discussed energy "
                         "cooperation between Latvia and Azerbaijan."),
    "r3": ("2024-03-01", "Azerbaijani Ambassador to Latvia Gismet Gozalov attended a reception "
                         "in Riga. Gozalov said trade was growing."),
    # a second Aliyev of Azerbaijan, with another given name: another person
    "r4": ("2024-04-01", "Azerbaijani President Ilham Aliyev received Latvian Foreign Minister "
                         "Baiba Braze in Baku. Deputy Foreign Minister of Azerbaijan Elnur "
                         "Aliyev also attended."),
    "r5": ("2024-05-01", "President Ilham Aliyev of Azerbaijan spoke by telephone with Latvian "
                         "President Edgars Rinkevics. Latvia and Azerbaijan signed a "
                         "Memorandum of Understanding on Energy Cooperation in Riga on 30 April "
                         "2024."),
    "r6": ("2024-06-01", "Latvia and Azerbaijan began to implement the Memorandum of "
                         "Understanding on Energy Cooperation, the Latvian Foreign Ministry "
                         "said."),
}


def write(folder, rid, published, body):
    path = folder / f"{rid}.txt"
    path.write_text(f"---\nid: {rid}\npublished: {published}\nsource: Test Wire\n---\n{body}\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for rid, (published, body) in REPORTS.items():
        write(folder, rid, published, body)
    with Store.memory() as s:
        summary = ingest([folder], s, progress=False)
        assert not summary.failed, summary.failed
        yield s


def persons(store, surname):
    rows = store.select(
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
        "SELECT DISTINCT ?p ?name ?g WHERE { GRAPH ?g { ?p foaf:name ?name } "
        f'FILTER(CONTAINS(?name, "{surname}")) }}')
    return rows


def test_spelling_variants_of_one_person_are_one_iri(store):
    rows = persons(store, "G")
    gozalov = {r["p"] for r in rows if r["name"].endswith(("Gozalov", "Gezalov"))}
    names = {r["name"] for r in rows if r["name"].endswith(("Gozalov", "Gezalov"))}
    assert names == {"Gismat Gozalov", "Gismet Gezalov", "Gismet Gozalov"}
    assert len(gozalov) == 1
    assert gozalov.pop().endswith("/person/gismat-gozalov")   # the first spelling names it


def test_same_surname_different_given_name_stays_two(store):
    rows = persons(store, "Aliyev")
    by_name = {}
    for r in rows:
        by_name.setdefault(r["name"], set()).add(r["p"])
    assert set(by_name) == {"Ilham Aliyev", "Elnur Aliyev"}
    assert by_name["Ilham Aliyev"].isdisjoint(by_name["Elnur Aliyev"])
    assert len(by_name["Ilham Aliyev"]) == 1                  # and one across r4 and r5


def test_one_person_across_all_reports_in_officials_query(store):
    rows = store.select(
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?post org:member "
        "<https://bilateral-kg.org/id/person/edgars-rinkevics> } }")
    assert {r["g"].rsplit("/", 1)[1] for r in rows} == {"r1", "r2", "r5"}


def test_the_same_agreement_named_by_two_reports_is_one_node(store):
    rows = store.select(
        "PREFIX bkg: <https://bilateral-kg.org/ontology#> "
        "SELECT DISTINCT ?a ?g WHERE { GRAPH ?g { ?a a bkg:Agreement } }")
    nodes = {r["a"] for r in rows}
    assert len(nodes) == 1, rows
    assert {r["g"].rsplit("/", 1)[1] for r in rows} == {"r5", "r6"}


def test_re_ingesting_keeps_person_iris(store, tmp_path):
    before = {r["p"] for r in persons(store, "Gozalov")}
    path = write(tmp_path, "r3", *REPORTS["r3"])
    summary = ingest([path], store, progress=False, force=True)
    assert not summary.failed
    assert {r["p"] for r in persons(store, "Gozalov")} == before


# ---------------------------------------------------------------- mapping

@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one")
    path = write(folder, "r5", *REPORTS["r5"])
    report = read_path(path)[0]
    extraction = extract(report)
    return report, extraction, report_graph(report, extraction)


def test_every_fact_has_evidence_whose_quote_is_the_text_at_its_offsets(mapped):
    report, _, g = mapped
    facts = set()
    for cls in (BKG.Post, BKG.Agreement, BKG.Event, BKG.BilateralRelation, BKG.State):
        facts |= set(g.subjects(RDF.type, cls))
    assert facts
    bodies = set(g.objects(None, OA.hasBody))
    assert facts <= bodies
    for ev in g.subjects(RDF.type, BKG.Evidence):
        target = g.value(ev, OA.hasTarget)
        assert g.value(target, OA.hasSource) == URIRef(
            "https://bilateral-kg.org/id/report/r5")
        selectors = list(g.objects(target, OA.hasSelector))
        start = end = exact = None
        for sel in selectors:
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
            else:
                exact = str(g.value(sel, OA.exact))
        assert report.text[start:end] == exact and exact.strip() == exact and exact


def test_graph_is_the_reports_named_graph_with_typed_dates(mapped):
    _, extraction, g = mapped
    assert str(g.identifier) == graph_iri("r5")
    agreement = next(g.subjects(RDF.type, BKG.Agreement))
    assert str(g.value(agreement, BKG.signedOn)) == "2024-04-30"
    assert date_literal("2024-04").datatype.endswith("gYearMonth")
    assert date_literal("2024").datatype.endswith("gYear")
    assert date_literal("April") is None


def test_state_iris_are_keyed_by_iso3(mapped):
    _, _, g = mapped
    states = {str(s) for s in g.subjects(RDF.type, BKG.State)}
    assert states == {"https://bilateral-kg.org/id/state/AZE",
                      "https://bilateral-kg.org/id/state/LVA"}


PARTY_SETS = """PREFIX bkg: <https://bilateral-kg.org/ontology#>
SELECT ?a ?g (GROUP_CONCAT(?iso; SEPARATOR=" ") AS ?parties) WHERE {
  { SELECT DISTINCT ?a ?g ?iso WHERE {
      GRAPH ?g { ?a a bkg:Agreement OPTIONAL { ?a bkg:party/bkg:iso3 ?iso } } } ORDER BY ?iso }
} GROUP BY ?a ?g"""


def test_every_report_naming_an_agreement_states_the_same_parties(tmp_path):
    """Named queries (agreements-by-state) read an agreement's parties from one report's
    graph, so resolution must never join mentions whose parties differ."""
    texts = {
        "p1": "Latvia and Azerbaijan signed an Agreement on Air Services in Riga on 3 May 2024.",
        "p2": "Latvia and Georgia signed an Agreement on Air Services in Tbilisi on 9 May 2024.",
        "p3": "Azerbaijan and Latvia ratified the Agreement on Air Services, the Latvian "
              "Foreign Ministry said.",
    }
    for rid, body in texts.items():
        write(tmp_path, rid, "2024-06-01", body)
    with Store.memory() as s:
        assert not ingest([tmp_path], s, progress=False).failed
        by_agreement: dict = {}
        for row in s.select(PARTY_SETS):
            by_agreement.setdefault(row["a"], set()).add(row["parties"])
    assert len(by_agreement) == 2, by_agreement          # p1 and p3 name one agreement
    assert all(len(sets) == 1 for sets in by_agreement.values()), by_agreement
    assert {next(iter(sets)) for sets in by_agreement.values()} == {"AZE LVA", "GEO LVA"}


def test_report_of_graph_inverts_graph_iri():
    from kg import vocabulary as V

    for report in ("plain-id", "a.b_c-2024", "id with space", "é-accent"):
        assert V.report_of_graph(V.graph_iri(report)) == report
    assert V.report_of_graph(V.ONTOLOGY_GRAPH) is None
    assert V.report_of_graph(V.GRAPH + "inferred") is None
    assert V.report_of_graph("http://example.org/graph/report/x") is None


def test_two_new_documents_of_a_report_with_long_titles_alike_are_two_nodes(tmp_path):
    """An agreement's IRI keeps the start of its title: two documents of one report whose
    long titles part only near their end are still two, each with its own parties; one
    document named twice in it stays one."""
    common = ("Joint Communique on the Establishment of Diplomatic Relations between the "
              "Republic of Iceland and the Republic of")
    write(tmp_path, "q1", "1991-08-27",
          "REYKJAVIK, Aug 26 - Iceland signed the following documents on Monday:\n\n"
          f"1. {common} Estonia, signed for Estonia by Minister Rein Kask;\n"
          f"2. {common} Latvia, signed for Latvia by Minister Janis Berzins.\n\n"
          f"The {common} Estonia enters into force at once.")
    with Store.memory() as s:
        assert not ingest([tmp_path], s, progress=False).failed
        by_agreement: dict = {}
        for row in s.select(PARTY_SETS):
            by_agreement.setdefault(row["a"], set()).add(row["parties"])
    assert sorted(p for sets in by_agreement.values() for p in sets) == ["EST ISL", "ISL LVA"]
