"""kg.library.KnowledgeGraph: each method on a store built from reports written here, and
`query(name)` against `kg query NAME --format csv` on the dev corpus."""
from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph
from kg.library import QueryError, StoreError, _value, row_class

ROOT = Path(__file__).resolve().parent.parent

OSLO = """OSLO, March 3, 2024 (NTB) - Norwegian Foreign Minister Espen Barth Eide met Chilean \
Foreign Minister Alberto van Klaveren in Oslo on Sunday.

The two ministers signed a Memorandum of Understanding on Green Hydrogen Cooperation between \
Norway and Chile.

Eide said relations between Norway and Chile were excellent and that both countries would \
deepen cooperation in energy and research."""

NAIROBI = """NAIROBI, May 14, 2024 - Kenya summoned the Ugandan High Commissioner to Kenya, \
Mohamed Kule, on Tuesday to protest the detention of Kenyan fishermen.

Kenyan Foreign Minister Musalia Mudavadi condemned the arrests and said Kenya rejected \
Uganda's claims over the disputed border area."""

SANTIAGO = """SANTIAGO, June 20, 2024 - Chilean President Gabriel Boric received the \
Ambassador of Norway to Chile, Mona Aarebrot, who presented her credentials at La Moneda Palace.

Boric said Chile and Norway shared a commitment to cooperation on climate and ocean \
protection."""

STATE = "https://bilateral-kg.org/id/state/"


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    """Two reports given as text, one read from a file with front matter."""
    folder = tmp_path_factory.mktemp("reports")
    (folder / "santiago.txt").write_text(
        "---\nid: santiago\ntitle: Norwegian envoy presents credentials\npublished: "
        "2024-06-20\nsource: La Tercera\n---\n" + SANTIAGO + "\n", encoding="utf-8")
    graph = KnowledgeGraph.memory()
    graph.summaries = [
        graph.ingest_text(OSLO, id="oslo", published="2024-03-04", source="NTB",
                          title="Norway and Chile sign hydrogen memorandum"),
        graph.ingest_text(NAIROBI, id="nairobi", published=datetime.date(2024, 5, 15),
                          source="Daily Nation"),
        graph.ingest(folder),
    ]
    yield graph
    graph.close()


# ---------------------------------------------------------------- ingesting

def test_ingest_summaries(kg):
    oslo, nairobi, folder = kg.summaries
    assert (oslo.added, oslo.replaced, oslo.failed) == (1, 0, [])
    assert oslo.facts["agreements"] == 1 and oslo.facts["officials"] == 2
    assert nairobi.added == 1 and nairobi.facts["relations"] == 1
    assert (folder.added, folder.failed) == (1, [])
    assert kg.store.report_ids() == ["nairobi", "oslo", "santiago"]


def test_ingest_text_again_is_unchanged_unless_forced(kg):
    again = kg.ingest_text(OSLO, id="oslo", published="2024-03-04", source="NTB",
                           title="Norway and Chile sign hydrogen memorandum")
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 1)
    forced = kg.ingest_text(OSLO, id="oslo", published="2024-03-04", source="NTB",
                            title="Norway and Chile sign hydrogen memorandum", force=True)
    assert forced.replaced == 1
    assert kg.store.report_ids() == ["nairobi", "oslo", "santiago"]


def test_ingest_text_hash_is_that_of_the_text(kg):
    import hashlib

    assert kg.report("oslo").hash == hashlib.sha256(OSLO.encode("utf-8")).hexdigest()


def test_ingest_reports_failures_without_raising(kg, tmp_path):
    summary = kg.ingest(tmp_path / "missing.txt")
    assert summary.added == 0
    assert len(summary.failed) == 1 and "missing.txt" in summary.failed[0]


@pytest.mark.parametrize("kwargs, message", [
    ({"text": OSLO, "id": "bad id"}, "report id 'bad id'"),
    ({"text": "   \n ", "id": "blank"}, "the text is empty"),
    ({"text": OSLO, "id": "x", "published": "3 March"}, "published"),
    ({"text": OSLO, "id": "x", "published": "2024-02-30"}, "published"),
])
def test_ingest_text_refuses_bad_input(kg, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kg.ingest_text(**kwargs)
    assert kg.store.report_ids() == ["nairobi", "oslo", "santiago"]


def test_ingest_needs_a_path(kg):
    with pytest.raises(ValueError, match="at least one"):
        kg.ingest()


def test_remove_report():
    with KnowledgeGraph.memory() as graph:
        graph.ingest_text(NAIROBI, id="nairobi", published="2024-05-15")
        assert graph.report("nairobi") is not None
        assert graph.remove_report("nairobi") is True
        assert graph.remove_report("nairobi") is False
        assert graph.report("nairobi") is None
        assert graph.states() == [] and graph.relations() == []


# ---------------------------------------------------------------- report

def test_report(kg):
    r = kg.report("oslo")
    assert r.report == "oslo"
    assert r.title == "Norway and Chile sign hydrogen memorandum"
    assert r.published == datetime.date(2024, 3, 4)
    assert r.source == "NTB" and r.url is None
    assert r.text == OSLO
    assert r.states == 2 and isinstance(r.facts, int) and r.facts > 5
    santiago = kg.report("santiago")
    assert santiago.source == "La Tercera" and santiago.text == SANTIAGO
    assert kg.report("nowhere") is None


def test_reports(kg):
    assert [r.report for r in kg.reports()] == ["oslo", "nairobi", "santiago"]


# ---------------------------------------------------------------- typed rows

def test_query_rows_are_dataclasses_with_the_columns(kg):
    rows = kg.query("agreements")
    assert rows and dataclasses.is_dataclass(rows[0])
    assert [f.name for f in dataclasses.fields(rows[0])] == [
        "agreement", "title", "kind", "party", "date", "place", "status", "report"]
    assert {(r.party, r.date, r.status) for r in rows} == {
        ("CHL", datetime.date(2024, 3, 3), "signed"), ("NOR", datetime.date(2024, 3, 3), "signed")}
    with pytest.raises(dataclasses.FrozenInstanceError):
        rows[0].party = "ARG"


def test_row_classes_are_cached_per_query(kg):
    a, b = kg.query("relations"), kg.query("relations", report="oslo")
    assert type(a[0]) is type(b[0])
    assert type(a[0]).__name__ == "RelationsRow"
    assert type(kg.query("states")[0]) is not type(a[0])


def test_query_params_and_alternatives(kg):
    assert {r.report for r in kg.query("states", iso3="KEN")} == {"nairobi"}
    assert {r.iso3 for r in kg.query("states", iso3=["KEN", "NOR"])} == {"KEN", "NOR"}
    assert kg.query("states", iso3="KEN", report=None)  # None leaves an optional param out
    rows = kg.query("state-relations", state="UGA")
    assert {(r.other, r.polarity) for r in rows} == {("KEN", "conflictual")}
    assert all(isinstance(r.start, int) and isinstance(r.end, int) for r in rows)


def test_values_typed():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert _value(ox.Literal("2024-05", datatype=ox.NamedNode(xsd + "gYearMonth"))) == "2024-05"
    assert _value(ox.Literal("2024")) == "2024"
    assert _value(ox.Literal("2024-05-14")) == datetime.date(2024, 5, 14)
    assert _value(ox.Literal("2024-05-14", datatype=ox.NamedNode(xsd + "date"))) == \
        datetime.date(2024, 5, 14)
    assert _value(ox.Literal("12", datatype=ox.NamedNode(xsd + "nonNegativeInteger"))) == 12
    assert _value(ox.Literal("2024-02-30")) == "2024-02-30"
    assert _value(ox.Literal("Oslo", language="en")) == "Oslo"
    assert _value(ox.NamedNode(STATE + "NOR")) == STATE + "NOR"
    assert _value(None) is None


def test_keyword_columns_get_an_underscore():
    cls = row_class("test-keywords", ["class", "name"])
    assert [f.name for f in dataclasses.fields(cls)] == ["class_", "name"]


def test_sparql(kg):
    rows = kg.sparql("PREFIX bkg: <https://bilateral-kg.org/ontology#> "
                     "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a bkg:State }")
    assert rows[0].n == 4 and type(rows[0]).__name__ == "SparqlRow"
    assert kg.sparql("ASK { ?s ?p ?o }") is True
    graph = kg.sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5")
    assert len(graph) == 5
    with pytest.raises(QueryError, match="syntax"):
        kg.sparql("SELEC nothing")


# ---------------------------------------------------------------- errors

def test_unknown_query_is_named(kg):
    with pytest.raises(QueryError, match="no query named 'no-such-query'.*officials"):
        kg.query("no-such-query")


def test_unknown_param_is_named(kg):
    with pytest.raises(QueryError, match="query officials: unknown param colour"):
        kg.query("officials", colour="red")


def test_missing_required_param_is_named(kg):
    with pytest.raises(QueryError, match="query evidence: missing required param node"):
        kg.query("evidence")


def test_bad_param_value(kg):
    with pytest.raises(QueryError, match="param state must be a string"):
        kg.query("officials", state=[3.5])


@pytest.mark.parametrize("call, message", [
    (lambda g: g.officials(state="Norway"), r"officials\(state=...\).*'Norway'"),
    (lambda g: g.agreements(between="NOR"), r"agreements\(between=...\)"),
    (lambda g: g.agreements(between=("NOR", "CHL", "KEN")), "pair"),
    (lambda g: g.agreements(state="NOR", between=("NOR", "CHL")), "not both"),
    (lambda g: g.events(state="NOR", between=("NOR", "CHL")), "not both"),
    (lambda g: g.events(since="March 2024"), r"events\(since=...\)"),
    (lambda g: g.relations(state="N"), r"relations\(state=...\)"),
    (lambda g: g.evidence("Norway"), r"evidence\(\)"),
])
def test_domain_methods_refuse_bad_arguments(kg, call, message):
    with pytest.raises(ValueError, match=message):
        call(kg)


# ---------------------------------------------------------------- domain methods

def test_states(kg):
    rows = kg.states()
    assert [r.iso3 for r in rows] == ["CHL", "KEN", "NOR", "UGA"]
    chile = rows[0]
    assert chile.state == STATE + "CHL" and chile.name == "Chile"
    assert (chile.reports, chile.partners) == (2, 1)
    assert (chile.first, chile.last) == (datetime.date(2024, 3, 4), datetime.date(2024, 6, 20))


def test_officials(kg):
    rows = kg.officials()
    assert {r.name for r in rows} == {"Espen Barth Eide", "Alberto van Klaveren",
                                      "Mohamed Kule", "Musalia Mudavadi", "Gabriel Boric",
                                      "Mona Aarebrot"}
    norway = kg.officials(state="nor")
    assert {(r.name, r.role, r.host_state) for r in norway} == {
        ("Espen Barth Eide", "foreign_minister", None), ("Mona Aarebrot", "ambassador", "CHL")}
    envoys = kg.officials(role="ambassador")
    assert {(r.name, r.state, r.host_state) for r in envoys} == {
        ("Mohamed Kule", "UGA", "KEN"), ("Mona Aarebrot", "NOR", "CHL")}
    assert [r.name for r in kg.officials(state="UGA", role="ambassador")] == ["Mohamed Kule"]


def test_agreements(kg):
    (memo,) = kg.agreements()
    assert memo.kind == "memorandum" and memo.status == "signed"
    assert memo.parties == "CHL NOR" and memo.report == "oslo"
    assert memo.date == datetime.date(2024, 3, 3)
    assert memo.title.startswith("Memorandum of Understanding on Green Hydrogen")
    assert kg.agreements(state="CHL") == [memo]
    assert kg.agreements(between=("NOR", "CHL")) == [memo]
    assert kg.agreements(between=("NOR", "KEN")) == []
    assert kg.agreements(state="KEN") == []
    assert kg.agreements(status="signed") == [memo]
    assert kg.agreements(status="ratified") == []


def test_events(kg):
    rows = kg.events()
    assert [(r.report, r.kind, r.date) for r in rows] == [
        ("oslo", "meeting", datetime.date(2024, 3, 3)),
        ("nairobi", "meeting", datetime.date(2024, 5, 14)),
        # the fishermen's detention the summons protests: an act of the two (a seizure)
        ("nairobi", "other", datetime.date(2024, 5, 14)),
        ("santiago", "credentials", datetime.date(2024, 6, 20))]
    assert rows[0].participants == "CHL NOR" and rows[0].place == "Oslo"
    # (the sentence after the dateline, which is parsed apart from it)
    assert rows[3].sentence.startswith("Chilean President Gabriel Boric received")
    assert [r.report for r in kg.events(state="CHL")] == ["oslo", "santiago"]
    assert [r.report for r in kg.events(between=("UGA", "KEN"))] == ["nairobi", "nairobi"]
    assert kg.events(between=("UGA", "CHL")) == []
    assert [r.report for r in kg.events(kind="credentials")] == ["santiago"]
    assert [r.report for r in kg.events(state="NOR", kind="meeting")] == ["oslo"]


def test_events_since_until(kg):
    def reports(**kw):
        return [r.report for r in kg.events(**kw)]

    # (the Nairobi report tells two events: the summons and the detention it protests)
    assert reports(since=datetime.date(2024, 5, 1)) == ["nairobi", "nairobi", "santiago"]
    assert reports(until="2024-05-14") == ["oslo", "nairobi", "nairobi"]
    assert reports(since="2024-04", until="2024-05") == ["nairobi", "nairobi"]
    assert reports(since="2025") == []
    assert reports(state="CHL", since="2024-06-20", until=datetime.date(2024, 6, 20)) == \
        ["santiago"]


def test_relations(kg):
    rows = kg.relations()
    assert [(r.state_a, r.state_b, r.cooperative, r.conflictual, r.reports) for r in rows] == [
        ("CHL", "NOR", 2, 0, 2), ("KEN", "UGA", 0, 1, 1)]
    chl_nor = rows[0]
    assert chl_nor.relation == "https://bilateral-kg.org/id/relation/CHL-NOR"
    assert (chl_nor.first, chl_nor.last) == (datetime.date(2024, 3, 4),
                                             datetime.date(2024, 6, 20))
    assert kg.relations(state="uga") == [rows[1]]
    assert kg.relations(state="NOR") == [rows[0]]
    assert kg.relations(state="ARG") == []


def test_evidence_points_into_the_report_text(kg):
    rows = kg.evidence(STATE + "KEN")
    assert rows and {r.report for r in rows} == {"nairobi"}
    text = kg.report("nairobi").text
    for r in rows:
        assert text[r.start:r.end] == r.sentence
    facts = {r.fact.rsplit("/id/", 1)[1].split("/")[0] for r in rows}
    assert {"state", "post", "event", "relation"} <= facts


def test_evidence_of_an_iso3_code_and_a_person(kg):
    assert kg.evidence("KEN") == kg.evidence(STATE + "KEN")
    (boric,) = {r.person for r in kg.officials(state="CHL", role="head_of_state")}
    rows = kg.evidence(boric)
    assert rows and all(r.report == "santiago" for r in rows)
    assert any("Gabriel Boric" in r.sentence for r in rows)
    assert kg.evidence("https://bilateral-kg.org/id/person/nobody") == []


# ---------------------------------------------------------------- networks and exports

def test_network_wrappers(kg):
    pytest.importorskip("kg.network")
    G = kg.to_networkx()
    assert {STATE + "CHL", STATE + "NOR"} <= set(G.nodes)
    assert [s.iso3 for s in kg.central_states(k=2)] and len(kg.central_states(k=2)) == 2
    assert any(set(c.states) == {"CHL", "NOR"} for c in kg.communities())
    assert STATE + "NOR" in kg.ego("CHL", view="states").nodes
    assert kg.chain("KEN", "UGA") is not None
    months = kg.pair_timeline("NOR", "CHL")
    assert [(m.month, m.cooperative) for m in months] == [("2024-03", 1), ("2024-06", 1)]


def test_export_wrapper(kg, tmp_path):
    pytest.importorskip("kg.exports")
    kg.export(tmp_path / "kg.trig", "trig")
    assert b"Memorandum of Understanding" in (tmp_path / "kg.trig").read_bytes()
    out = io.BytesIO()
    kg.export(out, "graphml", view="states")
    assert b"graphml" in out.getvalue()


# ---------------------------------------------------------------- opening and closing

def test_context_manager_closes_and_persists(tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as graph:
        graph.ingest_text(NAIROBI, id="nairobi", published="2024-05-15")
        assert not graph.closed
    assert graph.closed and "closed" in repr(graph)
    with pytest.raises(StoreError, match="closed"):
        graph.states()
    # Closing released the folder: it opens again, with the report in it.
    with KnowledgeGraph.open(str(tmp_path / "store")) as again:
        assert [r.report for r in again.reports()] == ["nairobi"]


def test_open_default_store_and_an_open_store(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "default"))
    with KnowledgeGraph.open() as graph:
        assert graph.store.path == tmp_path / "default"
        assert KnowledgeGraph.open(graph.store).store is graph.store


def test_open_a_store_in_use_fails_clearly(tmp_path):
    with KnowledgeGraph.open(tmp_path / "store"):
        with pytest.raises(StoreError, match="store"):
            KnowledgeGraph.open(tmp_path / "store")


def test_import_kg_is_cheap_and_exports_the_class():
    code = ("import sys, kg; assert 'kg.library' not in sys.modules; "
            "assert 'pyoxigraph' not in sys.modules; "
            "from kg import KnowledgeGraph; assert KnowledgeGraph.__module__ == 'kg.library'; "
            "import kg as k\n"
            "try:\n    k.Nope\nexcept AttributeError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert "Nope" in out.stdout


def test_py_typed_is_shipped():
    assert (ROOT / "kg" / "py.typed").is_file()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the dev corpus

# Queries without required params, and one with, compared with `kg query`.
DEV_QUERIES = [("states", {}), ("officials", {}), ("agreements", {}), ("events", {}),
               ("relations", {}), ("reports", {}), ("states-summary", {}),
               ("agreements-by-state", {}), ("events-by-state", {}),
               ("relations-summary", {}), ("state-relations", {"state": "AZE"}),
               ("officials", {"state": "AZE"})]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@pytest.mark.parametrize("name, params", DEV_QUERIES,
                         ids=[n + "".join(f"-{v}" for v in p.values()) for n, p in DEV_QUERIES])
def test_query_matches_kg_query_on_the_dev_corpus(dev_store, name, params):
    argv = ["query", name, "--store", str(dev_store), "--format", "csv"]
    for key, value in params.items():
        argv += ["--param", f"{key}={value}"]
    out = subprocess.run([sys.executable, "-c", "import sys; from kg.cli import main; "
                          "sys.exit(main(sys.argv[1:]))", *argv],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    table = list(csv.reader(io.StringIO(out)))
    header, cli_rows = table[0], [tuple(r) for r in table[1:]]
    with KnowledgeGraph.open(dev_store) as graph:
        rows = graph.query(name, **params)
    assert cli_rows, f"kg query {name} gave no rows on the dev corpus"
    assert rows and [f.name for f in dataclasses.fields(rows[0])] == header
    assert sorted(tuple(_cell(getattr(r, c)) for c in header) for r in rows) == sorted(cli_rows)
