"""The `state-relations` named query when one report shows a pair both ways: each evidence
sentence is listed under the polarity it shows (bkg:showsPolarity on the evidence), not under
both; and the state page built on it. The report is written here and read by the real
pipeline into an in-memory store."""
from __future__ import annotations

import collections
import os

import pytest

from kg import vocabulary as V
from kg.library import KnowledgeGraph
from kg.web.app import create_app

from helpers import write_report
from query_cases import term_rows

RID = "gha-tgo-road-and-border"
SIGNED = "Ghana and Togo signed an agreement on road transport in Accra on March 3, 2024."
AGREED = "The two ministers agreed to deepen cooperation in trade and energy."
ACCUSED = ("Earlier in the week, Ghana accused Togo of violating the border protocol and "
           "condemned the closure of the Aflao crossing.")
SUMMONED = "Ghana also summoned the ambassador of Togo over the incident."
TEXT = f"ACCRA, March 4. {SIGNED}\n\n{AGREED}\n\n{ACCUSED}\n\n{SUMMONED}"
SHOWN = {SIGNED: {"cooperative"}, AGREED: {"cooperative"},
         ACCUSED: {"conflictual"}, SUMMONED: {"conflictual"}}
SHOWS_POLARITY = "https://bilateral-kg.org/ontology#showsPolarity"


@pytest.fixture
def kg():
    with KnowledgeGraph.memory() as graph:
        graph.ingest_text(TEXT, RID, published="2024-03-04", title="Road deal and a border row")
        yield graph


def polarities_by_sentence(rows, other: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in rows:
        if row.other == other and row.sentence:
            out.setdefault(row.sentence, set()).add(row.polarity)
    return out


def test_each_sentence_is_listed_under_the_polarity_it_shows(kg):
    rows = kg.query("state-relations", state="GHA")
    assert {r.polarity for r in rows if r.other == "TGO"} == {"cooperative", "conflictual"}
    assert polarities_by_sentence(rows, "TGO") == SHOWN
    # from the other side too, and with the offsets of the sentence in the report
    rows = kg.query("state-relations", state="TGO")
    assert polarities_by_sentence(rows, "GHA") == SHOWN
    for row in rows:
        assert TEXT[row.start:row.end] == row.sentence


def test_the_evidence_says_which_polarity_it_shows(kg):
    rows = kg.store.select(f"""
        SELECT ?sentence ?polarity WHERE {{
          ?evidence <http://www.w3.org/ns/oa#hasBody> <{V.relation_iri("GHA", "TGO")}> ;
                    <{SHOWS_POLARITY}> ?concept ;
                    <http://www.w3.org/ns/oa#hasTarget>/<http://www.w3.org/ns/oa#hasSelector>
                        /<http://www.w3.org/ns/oa#exact> ?sentence .
          ?concept <http://www.w3.org/2004/02/skos/core#notation> ?polarity }}""")
    got: dict[str, set[str]] = {}
    for row in rows:
        got.setdefault(str(row["sentence"]), set()).add(str(row["polarity"]))
    assert got == SHOWN


def test_virtuoso_gives_the_same_rows(virtuoso, kg, monkeypatch, tmp_path):
    # The query's EXISTS / NOT EXISTS filter on Virtuoso 7, over the same report ingested there.
    from kg.ingest import ingest
    from kg.store import Store

    monkeypatch.setenv("KG_STORE_UPDATE_URL", f"{virtuoso}/sparql-auth")
    monkeypatch.setenv("KG_STORE_USER", os.environ.get("KG_TEST_VIRTUOSO_USER", "dba"))
    monkeypatch.setenv("KG_STORE_PASSWORD", os.environ.get("KG_TEST_VIRTUOSO_PASSWORD", "dba"))
    write_report(tmp_path / "reports", RID, TEXT, published="2024-03-04")
    with Store.open(f"sparql+{virtuoso}/sparql") as remote:
        remote.remove_report(RID)
        try:
            ingest([tmp_path / "reports"], remote, progress=False)
            for state in ("GHA", "TGO"):
                names, here = term_rows(kg.store, "state-relations", {"state": state})
                names_there, there = term_rows(remote, "state-relations", {"state": state})
                assert names_there == names
                assert collections.Counter(there) == collections.Counter(here)
                assert len(here) == len(SHOWN)
        finally:
            remote.remove_report(RID)


def test_a_store_written_before_lists_each_sentence_under_each_polarity(kg):
    # Evidence stored before sentences carried their polarity: nothing is lost, each
    # sentence stays under every polarity its report shows (what the query gave before).
    kg.store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?e <{SHOWS_POLARITY}> ?p }} }}")
    rows = kg.query("state-relations", state="GHA")
    both = {"cooperative", "conflictual"}
    assert polarities_by_sentence(rows, "TGO") == {s: both for s in SHOWN}


def test_the_state_page_lists_each_sentence_once_with_its_polarity(kg):
    body = create_app(kg.store).test_client().get("/id/state/GHA").get_data(as_text=True)
    section = body[body.index('id="relations"'):body.index('id="officials"')]
    assert "cooperative × 1" in section and "conflictual × 1" in section
    for sentence, polarity in SHOWN.items():
        assert section.count(f"<q>{sentence}</q>") == 1
        item = section[section.index(f"<q>{sentence}</q>"):]
        item = item[:item.index("</li>")]
        assert item.endswith(f" · {next(iter(polarity))}</span>"), item
