"""The competency questions of ontology/competency-questions.md, each answered by its query
in queries/ on a store holding the test report of test_ontology (and a second report)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, XSD

from kg import queries
from kg.reasoning import reason
from kg.store import Store
from sample_report import BKG, ID, REPORT, TEXT, report_graph

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "ontology" / "competency-questions.md"


@pytest.fixture(scope="module")
def store():
    s = Store.memory()
    s.replace_report(REPORT, report_graph())
    # a later report that calls the same agreement in force
    later = report_graph()
    rid = "later-report"
    for t in list(later):
        later.remove(t)
    old = ID[f"report/{REPORT}"]
    for s_, p, o in report_graph():
        if s_ == ID["agreement/joint-declaration-arm-aze"] and p == BKG.status:
            o = o.__class__("https://bilateral-kg.org/ontology/agreement-status/in_force")
        s_, o = (ID[f"report/{rid}"] if x == old else x for x in (s_, o))
        if p == DCTERMS.identifier and str(o) == REPORT:
            o = Literal(rid)
        if p == DCTERMS.date:
            o = Literal("2025-12-01", datatype=XSD.date)
        later.add((s_, p, o))
    s.replace_report(rid, later)
    assert reason(s, method="rl").consistent
    return s


def rows(store, name, **params):
    q = queries.load(name)
    results = queries.run(store, q, {k: [v] if isinstance(v, str) else v
                                     for k, v in params.items()})
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names}
            for row in results]


def test_every_question_names_an_existing_query_with_a_test():
    text = QUESTIONS.read_text(encoding="utf-8")
    named = re.findall(r"`queries/(cq-[a-z-]+)\.rq`", text)
    assert len(named) >= 5
    tests = Path(__file__).read_text(encoding="utf-8")
    for name in named:
        assert name in queries.available(), name
        assert f'"{name}"' in tests, f"no test runs {name}"


def test_who_represents_a_state_in_another(store):
    got = rows(store, "cq-representatives", state="AZE", host="TKM")
    assert {r["name"] for r in got} == {"Gismat Gözalov"}
    assert {r["role"] for r in got} == {"ambassador"}
    assert {r["report"] for r in got} == {REPORT, "later-report"}
    assert rows(store, "cq-representatives", state="TKM", host="AZE") == []


def test_which_agreements_bind_two_states_and_their_status(store):
    got = rows(store, "cq-agreements", a="AZE", b="ARM")
    assert [(r["status"], r["report"], r["published"]) for r in got] == [
        ("in_force", "later-report", "2025-12-01"), ("signed", REPORT, "2025-11-07")]
    assert got[0]["title"] == "Joint Declaration"
    assert rows(store, "cq-agreements", a="ARM", b="AZE") == got  # either order
    assert rows(store, "cq-agreements", a="AZE", b="TKM") == []


def test_what_happened_between_two_states_in_a_period(store):
    got = rows(store, "cq-events", a="TKM", b="AZE", year="2025")
    assert {(r["date"], r["kind"]) for r in got} == {("2025-11-07", "reception")}
    assert all(r["sentence"] in TEXT for r in got)
    assert {r["report"] for r in got} == {REPORT, "later-report"}
    assert rows(store, "cq-events", a="TKM", b="AZE", month="2025-11")
    assert rows(store, "cq-events", a="TKM", b="AZE", month="2025-10") == []
    assert rows(store, "cq-events", a="TKM", b="AZE", year=["2023", "2024"]) == []
    assert rows(store, "cq-events", a="TKM", b="ARM") == []


def test_which_report_says_so(store):
    fact = str(ID[f"post/{REPORT}/1"])
    got = rows(store, "cq-sources", fact=fact)
    sentence = "Ambassador Gismat Gözalov addressed the guests."
    assert [(r["report"], r["publisher"], r["sentence"], r["published"]) for r in got] == [
        (REPORT, "Trend", sentence, "2025-11-07"),
        ("later-report", "Trend", sentence, "2025-12-01")]
    start, end = int(got[0]["start"]), int(got[0]["end"])
    assert TEXT[start:end] == got[0]["sentence"]
    relation = rows(store, "cq-sources", fact=str(ID["relation/AZE-TKM"]))
    assert {r["report"] for r in relation} == {REPORT, "later-report"}


def test_counterparts_and_diplomats_from_the_inferred_graph(store):
    got = rows(store, "cq-counterparts", state="AZE")
    assert ("counterpart", "TKM") in {(r["kind"], r["label"]) for r in got}
    assert ("diplomat", "Gismat Gözalov") in {(r["kind"], r["label"]) for r in got}
    assert not any(r["label"] == "AZE" for r in got)  # no state deals with itself
    empty = Store.memory()
    empty.replace_report(REPORT, report_graph())
    assert rows(empty, "cq-counterparts", state="AZE") == []  # before kg reason
