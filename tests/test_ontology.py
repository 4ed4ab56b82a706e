"""The ontology, code lists and shapes in ontology/, and kg.validation."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
import rdflib.namespace as rns
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, RDF, RDFS, SKOS

from kg import vocabulary as V
from kg.validation import shapes_graph, validate

from sample_report import REPORT, TEXT, _span, add_evidence, report_graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
MODEL_DOC = ROOT / "docs" / "rdf-model.md"
CODES_YML = ROOT / "kg" / "data" / "codes.yml"

BKG = Namespace("https://bilateral-kg.org/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
ID = Namespace("https://bilateral-kg.org/id/")
CODE = "https://bilateral-kg.org/ontology/"


def parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY / name, format="turtle")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return parse("bilateral.ttl")


@pytest.fixture(scope="module")
def codes() -> dict:
    return yaml.safe_load(CODES_YML.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the files

@pytest.mark.parametrize("name", ["bilateral.ttl", "codes.ttl", "shapes.ttl"])
def test_turtle_files_parse(name):
    assert len(parse(name)) > 50


def test_ontology_header(onto):
    o = URIRef("https://bilateral-kg.org/ontology")
    assert (o, RDF.type, OWL.Ontology) in onto
    for p in (OWL.versionInfo, DCTERMS.title, DCTERMS.description):
        assert onto.value(o, p) is not None, p


def _model_bkg_terms() -> set[str]:
    """Every bkg: local name used in the turtle blocks of docs/rdf-model.md."""
    text = MODEL_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```turtle\n(.*?)```", text, flags=re.S)
    assert blocks, "rdf-model.md has no turtle example"
    # the class table names classes outside the turtle block (Organization and its subclasses)
    table = re.findall(r"`bkg:(\w+)`", text)
    return set(re.findall(r"\bbkg:(\w+)", "\n".join(blocks))) | set(table)


def test_every_model_term_is_declared_and_documented(onto):
    terms = _model_bkg_terms()
    assert {"Report", "Post", "role", "between", "contentHash"} <= terms  # the regex works
    declared = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name in sorted(terms):
        term = BKG[name]
        assert set(onto.objects(term, RDF.type)) & declared, f"bkg:{name} is not declared"
        for p in (RDFS.label, RDFS.comment, SKOS.example):
            assert onto.value(term, p) is not None, f"bkg:{name} has no {p}"


def test_every_declared_term_is_documented_and_typed_once(onto):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(BKG))}
    assert len(terms) >= 30
    for t in terms:
        assert len(set(onto.objects(t, RDF.type)) & kinds) == 1, t
        for p in (RDFS.label, RDFS.comment, SKOS.example):
            assert onto.value(t, p) is not None, f"{t} has no {p}"
        if (t, RDF.type, OWL.Class) not in onto:
            assert onto.value(t, RDFS.domain) is not None, f"{t} has no domain"
            assert onto.value(t, RDFS.range) is not None, f"{t} has no range"


def test_model_superclasses(onto):
    expected = {
        "State": [SCHEMA.Country, ORG.FormalOrganization],
        "Person": [FOAF.Person, URIRef("http://www.w3.org/ns/prov#Agent")],
        "Post": [ORG.Membership],
        "Event": [SCHEMA.Event, URIRef("http://www.w3.org/ns/prov#Activity")],
        "Report": [SCHEMA.NewsArticle, URIRef("http://www.w3.org/ns/prov#Entity")],
        "Evidence": [OA.Annotation],
        "Ministry": [BKG.Organization],
        "Organization": [ORG.Organization],
    }
    for cls, supers in expected.items():
        for sup in supers:
            assert (BKG[cls], RDFS.subClassOf, sup) in onto, (cls, sup)
    assert (BKG.hasRelation, OWL.inverseOf, BKG.between) in onto


def test_main_classes_are_disjoint(onto):
    members = set()
    for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        members |= set(onto.items(onto.value(node, OWL.members)))
    main = {"Person", "State", "Agreement", "Event", "Report", "Evidence", "BilateralRelation", "Post"}
    assert {BKG[c] for c in main} <= members


def _owl_world():
    owlready2 = pytest.importorskip("owlready2")
    xml = Graph().parse(ONTOLOGY / "bilateral.ttl").serialize(format="xml")
    world = owlready2.World()
    # owlready2 reads RDF/XML, not Turtle
    onto = world.get_ontology("https://bilateral-kg.org/ontology").load(fileobj=__import__("io").BytesIO(xml.encode()))
    return owlready2, world, onto


def test_owlready2_loads_the_ontology():
    _, world, onto = _owl_world()
    names = {c.name for c in onto.classes()}
    assert {"State", "Person", "Post", "BilateralRelation", "Evidence"} <= names
    between = onto.search_one(iri="https://bilateral-kg.org/ontology#between")
    assert between is not None and between.inverse_property.name == "hasRelation"


@pytest.mark.java
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs java")
def test_hermit_finds_the_ontology_consistent_and_disjointness_bites():
    owlready2, world, onto = _owl_world()
    with onto:
        owlready2.sync_reasoner(world, debug=0)
    assert list(world.inconsistent_classes()) == []
    # a node typed both person and state contradicts the disjointness axiom
    with onto:
        onto.Person("both")
        world["https://bilateral-kg.org/ontology#both"].is_a.append(onto.State)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        with onto:
            owlready2.sync_reasoner(world, debug=0)


# ---------------------------------------------------------------- the code lists

def test_codes_ttl_agrees_with_codes_yml(codes):
    g = parse("codes.ttl")
    assert set(codes) == set(V.CODE_SCHEMES)
    for scheme, entries in codes.items():
        scheme_iri = URIRef(CODE + scheme)
        assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in g
        in_scheme = set(g.subjects(SKOS.inScheme, scheme_iri))
        assert in_scheme == {URIRef(CODE + f"{scheme}/{code}") for code in entries}, scheme
        for code in entries:
            c = URIRef(CODE + f"{scheme}/{code}")
            assert (c, RDF.type, SKOS.Concept) in g
            assert list(g.objects(c, SKOS.notation)) == [Literal(code)]
            labels = list(g.objects(c, SKOS.prefLabel))
            assert len(labels) == 1 and labels[0].language == "en"
            assert g.value(c, SKOS.definition) is not None


def test_codes_ttl_is_the_generator_output():
    run = subprocess.run([sys.executable, str(ONTOLOGY / "build_codes.py"), "--check"])
    assert run.returncode == 0, "codes.ttl is stale: run python ontology/build_codes.py"


def test_shape_code_lists_agree_with_codes_yml(codes):
    shapes = parse("shapes.ttl")
    where = {"role": BKG.role, "agreement-kind": BKG.agreementKind,
             "agreement-status": BKG.status, "event-kind": BKG.eventKind, "polarity": BKG.polarity}
    for scheme, path in where.items():
        lists = [shapes.value(ps, SH["in"]) for ps in shapes.subjects(SH.path, path)]
        lists = [set(shapes.items(x)) for x in lists if x is not None]
        assert lists, f"no sh:in for {scheme}"
        for allowed in lists:
            assert allowed == {URIRef(CODE + f"{scheme}/{c}") for c in codes[scheme]}, scheme


# ---------------------------------------------------------------- validation

def assert_rejected(g: Graph, focus, words: str):
    result = validate(g)
    assert not result.conforms, "expected a violation"
    hits = [v for v in result.errors if v.focus == str(focus) and words in v.message]
    assert hits, f"no violation on {focus} saying {words!r}:\n{result.text()}"
    assert str(focus) in result.text()
    assert hits[0].report == REPORT
    return hits[0]


def test_valid_report_graph_conforms():
    g = report_graph()
    before = set(g)
    result = validate(g)
    assert result.conforms, result.text()
    assert result.violations == []
    assert set(g) == before  # validation runs in place and must not touch the data


def test_post_without_person():
    g = report_graph()
    post = ID[f"post/{REPORT}/1"]
    g.remove((post, ORG.member, None))
    v = assert_rejected(g, post, "holder")
    assert v.path == "org:member"


def test_post_member_must_be_a_person():
    g = report_graph()
    post = ID[f"post/{REPORT}/1"]
    g.remove((ID["person/gismat-gozalov"], RDF.type, BKG.Person))
    assert_rejected(g, post, "holder")


def test_post_role_must_be_a_code_and_host_differ():
    g = report_graph()
    post = ID[f"post/{REPORT}/1"]
    g.set((post, BKG.role, URIRef(CODE + "role/chancellor")))
    g.set((post, BKG.hostState, ID["state/AZE"]))
    v = assert_rejected(g, post, "role code list")
    assert "role:chancellor" in v.message
    assert_rejected(g, post, "other than the state it serves")


def test_relation_with_one_state():
    g = report_graph()
    relation = ID["relation/AZE-TKM"]
    g.remove((relation, BKG.between, ID["state/TKM"]))
    v = assert_rejected(g, relation, "exactly two")
    assert v.path == "bkg:between"


def test_relation_iri_must_match_its_states():
    g = report_graph()
    relation = ID["relation/AZE-TKM"]
    g.remove((relation, BKG.between, ID["state/TKM"]))
    g.add((relation, BKG.between, ID["state/ARM"]))
    assert_rejected(g, relation, "sorted")


def test_state_with_bad_iso3():
    g = report_graph()
    state = ID["state/TKM"]
    g.set((state, BKG.iso3, Literal("tkm")))
    v = assert_rejected(g, state, "ISO 3166-1")
    assert v.path == "bkg:iso3"


def test_state_iri_must_match_its_code():
    g = report_graph()
    g.add((ID["state/TURKMENISTAN"], RDF.type, BKG.State))
    g.add((ID["state/TURKMENISTAN"], BKG.iso3, Literal("TKM")))
    assert_rejected(g, ID["state/TURKMENISTAN"], "must end in /state/")


def test_agreement_kind_not_a_code():
    g = report_graph()
    agreement = ID["agreement/joint-declaration-arm-aze"]
    g.set((agreement, BKG.agreementKind, URIRef(CODE + "agreement-kind/communique")))
    assert_rejected(g, agreement, "agreement-kind code list")


def test_agreement_date_and_party_types():
    g = report_graph()
    agreement = ID["agreement/joint-declaration-arm-aze"]
    g.set((agreement, BKG.signedOn, Literal("8 August 2025")))
    g.add((agreement, BKG.party, ID["organization/united-nations"]))
    assert_rejected(g, agreement, "signing date")
    assert_rejected(g, agreement, "must be states")


def test_event_kind_and_participants():
    g = report_graph()
    event = ID[f"event/{REPORT}/1"]
    g.remove((event, BKG.eventKind, None))
    g.add((event, BKG.participant, ID["person/gismat-gozalov"]))
    assert_rejected(g, event, "event-kind code list")
    assert_rejected(g, event, "must be states")


def test_fact_without_evidence():
    g = report_graph()
    event = ID[f"event/{REPORT}/1"]
    g.remove((None, OA.hasBody, event))
    v = assert_rejected(g, event, "evidence")
    assert v.path == "^oa:hasBody"


def test_evidence_offsets():
    g = report_graph()
    sentence = "Ambassador Gismat Gözalov addressed the guests."
    start, end = _span(sentence)
    backwards = add_evidence(g, 10, ID[f"post/{REPORT}/1"], sentence, start=end, end=start)
    v = assert_rejected(g, backwards, "must not be after")
    assert v.path == "oa:hasTarget/oa:hasSelector/oa:start"
    shifted = add_evidence(g, 11, ID[f"post/{REPORT}/1"], sentence, start=start + 1, end=end + 1)
    assert_rejected(g, shifted, "not the text between")
    beyond = add_evidence(g, 12, ID[f"post/{REPORT}/1"], sentence, start=start, end=len(TEXT) + 5)
    assert_rejected(g, beyond, "beyond the end")


def test_evidence_with_two_quotes():
    g = report_graph()
    sentence = "Ambassador Gismat Gözalov addressed the guests."
    ev = add_evidence(g, 13, ID[f"post/{REPORT}/1"], sentence)
    target = g.value(ev, OA.hasTarget)
    extra = BNode()
    g.add((target, OA.hasSelector, extra))
    g.add((extra, RDF.type, OA.TextQuoteSelector))
    g.add((extra, OA.exact, Literal(sentence)))
    assert_rejected(g, ev, "at most one oa:TextQuoteSelector")


def test_offsets_count_code_points():
    # 'Gözalov' has a non-ASCII letter before the sentence ends: a byte count would shift it
    g = report_graph()
    sentence = "Armenia and Azerbaijan signed the Joint Declaration in Washington on August 8."
    start, end = _span(sentence)
    assert len(TEXT[:start].encode("utf-8")) != start
    add_evidence(g, 20, ID["agreement/joint-declaration-arm-aze"], sentence)
    assert validate(g).conforms


def test_warning_does_not_break_conformance():
    g = report_graph()
    relation = ID["relation/AZE-TKM"]
    g.remove((relation, BKG.polarity, None))
    result = validate(g)
    assert result.conforms, result.text()
    assert [v.severity for v in result.violations] == ["Warning"]
    assert "polarity" in result.text()


def test_dataset_is_checked_graph_by_graph():
    ds = Dataset()
    good = ds.graph(URIRef(V.graph_iri(REPORT)))
    for t in report_graph():
        good.add(t)
    other = "other-report"
    bad = ds.graph(URIRef(V.graph_iri(other)))
    bad.add((ID["state/XKX"], RDF.type, BKG.State))  # no iso3 in this graph
    # the ontology graph holds no report data and is not validated
    ontology = ds.graph(URIRef(V.ONTOLOGY_GRAPH))
    for t in parse("codes.ttl"):
        ontology.add(t)
    result = validate(ds)
    assert not result.conforms
    assert {(v.focus, v.report) for v in result.errors} == {(str(ID["state/XKX"]), other)}
    custom = validate(ds, report_of=lambda focus: "from-callback")
    assert {v.report for v in custom.violations} == {"from-callback"}


def test_shapes_are_parsed_once():
    assert shapes_graph() is shapes_graph()


def test_shapes_follow_kg_base_and_ontology_dir(tmp_path, monkeypatch):
    from kg.validation import _shapes

    moved = _shapes(str(ONTOLOGY), "https://example.org/kg/")
    roles = {o for o in moved.objects() if str(o).startswith("https://example.org/kg/ontology/role/")}
    assert len(roles) == 11
    assert not any(str(o).startswith("https://bilateral-kg.org/") for o in moved.objects())
    # KG_ONTOLOGY_DIR points validation at other shapes
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass <https://bilateral-kg.org/ontology#Report> ;\n"
        "  sh:property [ sh:path <urn:p> ; sh:minCount 1 ; sh:message \"needs urn:p\" ] .\n")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    result = validate(report_graph())
    assert [v.message for v in result.violations] == ["needs urn:p"]
