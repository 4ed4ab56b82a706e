"""kg reason: HermiT (owlready2) and the OWL 2 RL rules on real stores.

Deliberately inconsistent data (a node typed both person and state, a relation with one state,
a person as an event's participant, a post hosted by the state it serves) must be found by
both methods and explained by the facts and reports behind it; the dev corpus must be
consistent, and its inferred graph must hold the role hierarchy and the inverse links without
changing what the contract queries return.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg import queries
from kg import vocabulary as V
from kg.reasoning import INFERRED_GRAPH, reason
from kg.store import Store
from sample_report import BKG, ID, REPORT, report_graph

REPO = Path(__file__).resolve().parent.parent
B = str(V.BKG)
RDF_TYPE = str(RDF.type)
needs_java = [pytest.mark.java,
              pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs java")]
METHODS = [pytest.param("hermit", marks=needs_java), "rl"]


def kg(*args):
    done = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, env=dict(os.environ), timeout=600)
    return done


def memory_store(graph) -> Store:
    store = Store.memory()
    store.replace_report(REPORT, graph)
    return store


def inferred(store) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))}


# ---------------------------------------------------------------- small graphs

@pytest.mark.parametrize("method", METHODS)
def test_valid_report_is_consistent_and_classified(method):
    store = memory_store(report_graph())
    result = reason(store, method=method)
    assert result.consistent, result.text()
    assert result.method == method
    got = inferred(store)
    post, person = str(ID[f"post/{REPORT}/1"]), str(ID["person/gismat-gozalov"])
    for cls in ("AmbassadorPost", "DiplomatPost", "OfficialPost"):
        assert (post, RDF_TYPE, B + cls) in got, cls
    for cls in ("Ambassador", "Diplomat", "Official"):
        assert (person, RDF_TYPE, B + cls) in got, cls
    assert (person, B + "holdsPost", post) in got
    aze, tkm, rel = (str(ID["state/AZE"]), str(ID["state/TKM"]), str(ID["relation/AZE-TKM"]))
    assert (aze, B + "hasRelation", rel) in got and (tkm, B + "hasRelation", rel) in got
    assert (aze, B + "dealsWith", tkm) in got and (tkm, B + "dealsWith", aze) in got
    assert (aze, B + "dealsWith", aze) not in got  # the chain's trivial self-links are left out
    assert (aze, B + "partyTo", str(ID["agreement/joint-declaration-arm-aze"])) in got
    # nothing stated is repeated, and the report graph is untouched
    assert not got & {(str(s), str(p), str(o)) for s, p, o in report_graph()}


@pytest.mark.java
def test_both_methods_infer_the_same_on_a_small_graph():
    if shutil.which("java") is None:
        pytest.skip("HermiT needs java")
    a, b = memory_store(report_graph()), memory_store(report_graph())
    reason(a, method="hermit")
    reason(b, method="rl")
    assert inferred(a) == inferred(b)


def _bad(method, graph):
    store = memory_store(graph)
    store.replace_report("other-report", _other_report())
    before = inferred(store)
    result = reason(store, method=method)
    assert not result.consistent, result.text()
    assert inferred(store) == before  # an inconsistent graph writes nothing
    return result


def _other_report():
    """A second, valid report, so that explanations must pick the right one."""
    keep = {ID["relation/AZE-TKM"], ID["state/AZE"], ID["state/TKM"]}
    other = Graph()
    for s, p, o in report_graph():
        if s in keep:
            other.add((s, p, o))
    return other


@pytest.mark.parametrize("method", METHODS)
def test_person_typed_state_is_inconsistent_and_explained(method):
    g = report_graph()
    person = ID["person/gismat-gozalov"]
    g.add((person, RDF.type, BKG.State))
    result = _bad(method, g)
    hits = [p for p in result.problems if p.node == str(person)]
    assert hits, result.text()
    problem = hits[0]
    assert "bkg:Person" in problem.message and "bkg:State" in problem.message
    facts = {(f.predicate, f.object) for f in problem.facts}
    assert (RDF_TYPE, B + "State") in facts and (RDF_TYPE, B + "Person") in facts
    assert problem.reports == [REPORT]
    text = result.text()
    assert "inconsistent" in text and str(person) in text and REPORT in text


@pytest.mark.parametrize("method", METHODS)
def test_relation_with_one_state_is_inconsistent_and_explained(method):
    g = report_graph()
    rel = ID["relation/AZE-TKM"]
    g.remove((rel, BKG.between, ID["state/TKM"]))
    store = memory_store(g)
    result = reason(store, method=method)
    assert not result.consistent, result.text()
    hits = [p for p in result.problems if p.node == str(rel)]
    assert hits, result.text()
    assert "exactly 2 bkg:between" in hits[0].message and "it has 1" in hits[0].message
    assert any(f.predicate == B + "between" and f.object == str(ID["state/AZE"])
               and f.reports == [REPORT] for f in hits[0].facts)


@pytest.mark.parametrize("method", METHODS)
def test_relation_with_three_states_is_inconsistent(method):
    g = report_graph()
    g.add((ID["relation/AZE-TKM"], BKG.between, ID["state/ARM"]))
    result = reason(memory_store(g), method=method)
    assert not result.consistent
    assert any("it has 3" in p.message for p in result.problems), result.text()


@pytest.mark.parametrize("method", METHODS)
def test_person_as_participant_clashes_through_the_range(method):
    g = report_graph()
    event = ID[f"event/{REPORT}/1"]
    g.add((event, BKG.participant, ID["person/gismat-gozalov"]))
    result = reason(memory_store(g), method=method)
    assert not result.consistent
    problem = next(p for p in result.problems if p.node == str(ID["person/gismat-gozalov"]))
    # the explanation names the link whose range makes the person a state
    assert any(f.subject == str(event) and f.predicate == B + "participant"
               for f in problem.facts), problem.text()


@pytest.mark.parametrize("method", METHODS)
def test_host_state_equal_to_served_state_is_inconsistent(method):
    g = report_graph()
    post = ID[f"post/{REPORT}/1"]
    g.set((post, BKG.hostState, ID["state/AZE"]))
    result = reason(memory_store(g), method=method)
    assert not result.consistent
    assert any("disjoint properties" in p.message and p.node == str(post)
               for p in result.problems), result.text()


@pytest.mark.parametrize("method", METHODS)
def test_two_roles_for_one_post_is_inconsistent(method):
    g = report_graph()
    post = ID[f"post/{REPORT}/1"]
    g.add((post, BKG.role, URIRef("https://bilateral-kg.org/ontology/role/minister")))
    result = reason(memory_store(g), method=method)
    assert not result.consistent
    assert any("functional" in p.message and p.node == str(post) for p in result.problems)


@pytest.mark.java
def test_dates_reach_hermit_as_strings():
    """xsd:date, gYearMonth and gYear are not OWL 2 datatypes; HermiT must still run."""
    if shutil.which("java") is None:
        pytest.skip("HermiT needs java")
    g = report_graph()
    g.add((ID[f"event/{REPORT}/1"], BKG.date, Literal("2025", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#gYear"))))
    g.remove((ID[f"event/{REPORT}/1"], BKG.date, Literal("2025-11-07", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))))
    assert reason(memory_store(g), method="hermit").consistent


@pytest.mark.slow
def test_cli_reason_exit_codes(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    with Store.open(good) as s:
        s.replace_report(REPORT, report_graph())
    g = report_graph()
    g.add((ID["person/gismat-gozalov"], RDF.type, BKG.State))
    with Store.open(bad) as s:
        s.replace_report(REPORT, g)
    done = kg("reason", "--store", good, "--method", "rl")
    assert done.returncode == 0, done.stderr
    assert "OWL 2 RL" in done.stdout and "consistent" in done.stdout
    done = kg("reason", "--store", bad)
    assert done.returncode == 1
    assert "inconsistent" in done.stderr and "gismat-gozalov" in done.stderr
    assert REPORT in done.stderr and "disjoint" in done.stderr
    assert "method:" in done.stderr


# ---------------------------------------------------------------- the dev corpus

CONTRACT = ["states", "officials", "agreements", "events", "relations"]


@pytest.fixture(scope="module")
def dev_store(dev_store, copy_store):
    """A copy of the session's dev store (tests/conftest.py): kg reason writes to it."""
    return copy_store(dev_store)


def _contract_rows(store) -> dict[str, bytes]:
    return {name: queries.render(queries.run(store, queries.load(name), {}), "csv")
            for name in CONTRACT}


@pytest.fixture(scope="module")
def reasoned(dev_store):
    with Store.open(dev_store) as store:
        before = _contract_rows(store)
        result = reason(store)  # auto: HermiT on the dev corpus when Java is present
        after = _contract_rows(store)
        got = inferred(store)
        rows = store.select(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), '{V.GRAPH}report/')) }}")
        stated = {(r["s"], r["p"], r["o"]) for r in rows}
    return result, before, after, got, stated


@pytest.mark.slow
def test_dev_corpus_is_consistent(reasoned):
    result = reasoned[0]
    assert result.consistent, result.text()
    assert result.inferred > 0
    assert result.method == ("hermit" if shutil.which("java") else "rl") or \
        result.facts > 10_000


@pytest.mark.slow
def test_dev_contract_queries_unchanged_by_the_inferred_graph(reasoned):
    _, before, after, _, _ = reasoned
    assert before == after


@pytest.mark.slow
def test_dev_every_ambassador_is_a_diplomat_and_an_official(reasoned):
    _, _, _, got, stated = reasoned
    role = "https://bilateral-kg.org/ontology/role/"
    posts = {s for s, p, o in stated if p == B + "role" and o == role + "ambassador"}
    assert posts, "the dev corpus has ambassadors"
    holders = {o for s, p, o in stated if p == "http://www.w3.org/ns/org#member" and s in posts}
    for post in posts:
        for cls in ("AmbassadorPost", "DiplomatPost", "OfficialPost"):
            assert (post, RDF_TYPE, B + cls) in got, (post, cls)
    for person in holders:
        for cls in ("Ambassador", "Diplomat", "Official"):
            assert (person, RDF_TYPE, B + cls) in got, (person, cls)
    # and nobody who holds no ambassador's post is called one
    ambassadors = {s for s, p, o in got if p == RDF_TYPE and o == B + "Ambassador"}
    assert ambassadors == holders


@pytest.mark.slow
def test_dev_every_relation_is_reachable_from_both_states(reasoned):
    _, _, _, got, stated = reasoned
    between = {(s, o) for s, p, o in stated if p == B + "between"}
    assert between
    for rel, state in between:
        assert (state, B + "hasRelation", rel) in got
    pairs = {}
    for rel, state in between:
        pairs.setdefault(rel, set()).add(state)
    for rel, states in pairs.items():
        a, b = sorted(states)
        assert (a, B + "dealsWith", b) in got and (b, B + "dealsWith", a) in got


@pytest.mark.slow
@pytest.mark.java
def test_dev_both_methods_agree(dev_store, reasoned):
    if shutil.which("java") is None:
        pytest.skip("HermiT needs java")
    with Store.open(dev_store) as store:
        result = reason(store, method="rl" if reasoned[0].method == "hermit" else "hermit")
        assert result.consistent
        assert inferred(store) == reasoned[3]


@pytest.mark.slow
def test_dev_cli_reason_and_validate_succeed(dev_store, reasoned):
    done = kg("reason", "--store", dev_store, "--method", "rl")
    assert done.returncode == 0, done.stderr
    done = kg("validate", "--store", dev_store)
    assert done.returncode == 0, done.stdout + done.stderr  # the inferred graph is not validated
    with Store.open(dev_store) as store:
        assert INFERRED_GRAPH.rsplit("/", 1)[-1] not in store.report_ids()


@pytest.mark.slow
def test_rl_scales_to_synthetic_reports(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import build_store

    with Store.open(tmp_path / "syn") as store:
        build_store(store, 300, seed=5)
        result = reason(store, method="auto")
    assert result.consistent, result.text()[:2000]
    assert result.method == "rl" and "auto:" in result.note
    assert result.seconds < 30


# ---------------------------------------------------------------- ontology docs

def test_ontology_md_is_the_generator_output():
    done = subprocess.run([sys.executable, str(REPO / "ontology" / "build_docs.py"), "--check"])
    assert done.returncode == 0, "ontology.md is stale: run python ontology/build_docs.py"
    text = (REPO / "ontology" / "ontology.md").read_text(encoding="utf-8")
    for term in ("### bkg:AmbassadorPost", "### bkg:dealsWith", "### bkg:between",
                 "bkg:Post and bkg:role value role:ambassador", "`head_of_state`",
                 "symmetric; chain bkg:hasRelation / bkg:between"):
        assert term in text, term


def test_viewer_ontology_page_is_escaped():
    from kg.web.app import create_app

    client = create_app(Store.memory()).test_client()
    page = client.get("/ontology")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "bkg:AmbassadorPost" in html and "bkg:Diplomat" in html
    assert "role:ambassador" in html and "Roles of office holders" in html
    # the description's <https://...> is text, not a tag
    assert "&lt;https://bilateral-kg.org/ontology/role&gt;" in html
