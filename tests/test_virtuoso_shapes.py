"""Query shapes for Virtuoso 7.2 (issue 18): texts reshaped so that Virtuoso compiles them
faster, with the rows they gave before.

Much of a state page's first request over Virtuoso is compiling its queries' texts (a text
it has not seen: each state, each page's graphs); Virtuoso's planner explores the joins of
one group together, so a group of many triple patterns costs far more to compile than the
same patterns in small groups tested apart. The test stores are too small for the times to
show, so the shapes are checked on the text, and the rows against the former text on a store
made for the cases the reshaping touches.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg import queries as Q
from kg.sparql_text import blank_out
from kg.store import OxigraphStore


def _groups(text: str) -> list[str]:
    """The text of each { ... } group without its inner groups."""
    blank = blank_out(text)
    stack, found = [], []
    for i, ch in enumerate(blank):
        if ch == "{":
            stack.append([i + 1, []])
        elif ch == "}" and stack:
            start, inner = stack.pop()
            own, last = [], start
            for a, b in inner:
                own.append(blank[last:a])
                last = b
            own.append(blank[last:i])
            found.append("".join(own))
            if stack:
                stack[-1][1].append((start - 1, i + 1))
    return found


def _patterns(group: str) -> int:
    """Triple patterns in a group's own text (its `.` and `;` and `,` separated parts)."""
    body = re.sub(r"\b(FILTER|OPTIONAL|GRAPH|UNION|MINUS|EXISTS|NOT|SELECT|WHERE)\b.*?$", " ",
                  group, flags=re.M)
    parts = [p for p in re.split(r"[.;,]", body) if p.strip()]
    return len(parts)


def _not_exists_groups(text: str) -> list[str]:
    """The own text of each group that a FILTER NOT EXISTS opens."""
    blank = blank_out(text)
    out = []
    for m in re.finditer(r"NOT\s+EXISTS\s*\{", blank):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(blank[i], 0)
            i += 1
        out.append(_groups(blank[m.end() - 1:i])[-1])
    return out


def test_state_relations_rules_out_evidence_in_small_groups():
    """state-relations' branch of relations without evidence tests the evidence's two
    selectors apart (FILTER EXISTS each): one group of its ten patterns took Virtuoso
    1.4-1.6 s to compile at 10,000 reports (the branch alone; 0.4-0.5 s so), and the whole
    page 1.6-2.8 s against 1.0-1.2."""
    text = Q.load("state-relations").text
    outer = [g for g in _not_exists_groups(text) if "oa:hasBody" in g]
    assert outer, "state-relations rules out relations with evidence"
    assert all(_patterns(g) <= 4 for g in outer), outer


PREVIOUS_RULE_OUT = """      FILTER NOT EXISTS {
        ?evidence oa:hasBody ?relation ; oa:hasTarget ?target .
        ?target oa:hasSource ?r ; oa:hasSelector ?position, ?quote .
        ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        ?quote a oa:TextQuoteSelector ; oa:exact ?sentence .
      }
"""

# A report on Iceland and its partners: a relation with whole evidence (NOR), evidence whose
# target has no quote (DNK), none with a position (FIN), none at all (SWE), evidence whose
# target is another report's (GBR), and a position that is no TextPositionSelector (DEU).
CASES = """
@prefix bkg: <https://bilateral-kg.org/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pol: <https://bilateral-kg.org/ontology/polarity/> .
@prefix id: <https://bilateral-kg.org/id/> .
<https://bilateral-kg.org/graph/report/r1> {
  id:report\\/r1 a bkg:Report ; dct:identifier "r1" .
  id:state\\/ISL bkg:iso3 "ISL" .
  id:state\\/NOR bkg:iso3 "NOR" ; rdfs:label "Norway" .
  id:state\\/DNK bkg:iso3 "DNK" .
  id:state\\/FIN bkg:iso3 "FIN" .
  id:state\\/SWE bkg:iso3 "SWE" .
  id:state\\/GBR bkg:iso3 "GBR" .
  id:state\\/DEU bkg:iso3 "DEU" .
  id:relation\\/ISL-NOR a bkg:BilateralRelation ; bkg:between id:state\\/ISL, id:state\\/NOR ;
      bkg:polarity pol:cooperative, pol:conflictual .
  id:relation\\/DNK-ISL a bkg:BilateralRelation ; bkg:between id:state\\/ISL, id:state\\/DNK ;
      bkg:polarity pol:cooperative .
  id:relation\\/FIN-ISL a bkg:BilateralRelation ; bkg:between id:state\\/ISL, id:state\\/FIN ;
      bkg:polarity pol:conflictual .
  id:relation\\/ISL-SWE a bkg:BilateralRelation ; bkg:between id:state\\/ISL, id:state\\/SWE ;
      bkg:polarity pol:cooperative .
  id:relation\\/GBR-ISL a bkg:BilateralRelation ; bkg:between id:state\\/ISL, id:state\\/GBR ;
      bkg:polarity pol:cooperative .
  id:relation\\/DEU-ISL a bkg:BilateralRelation ; bkg:between id:state\\/ISL, id:state\\/DEU ;
      bkg:polarity pol:cooperative .
  _:e1 oa:hasBody id:relation\\/ISL-NOR ; oa:hasTarget _:t1 ; bkg:showsPolarity pol:cooperative .
  _:t1 oa:hasSource id:report\\/r1 ; oa:hasSelector _:p1, _:q1 .
  _:p1 a oa:TextPositionSelector ; oa:start 0 ; oa:end 10 .
  _:q1 a oa:TextQuoteSelector ; oa:exact "Iceland and Norway agreed." .
  _:e2 oa:hasBody id:relation\\/DNK-ISL ; oa:hasTarget _:t2 .
  _:t2 oa:hasSource id:report\\/r1 ; oa:hasSelector _:p2 .
  _:p2 a oa:TextPositionSelector ; oa:start 20 ; oa:end 30 .
  _:e3 oa:hasBody id:relation\\/FIN-ISL ; oa:hasTarget _:t3 .
  _:t3 oa:hasSource id:report\\/r1 ; oa:hasSelector _:q3 .
  _:q3 a oa:TextQuoteSelector ; oa:exact "Finland protested." .
  _:e5 oa:hasBody id:relation\\/GBR-ISL ; oa:hasTarget _:t5 .
  _:t5 oa:hasSource id:report\\/r2 ; oa:hasSelector _:p5, _:q5 .
  _:p5 a oa:TextPositionSelector ; oa:start 40 ; oa:end 50 .
  _:q5 a oa:TextQuoteSelector ; oa:exact "Britain and Iceland." .
  _:e6 oa:hasBody id:relation\\/DEU-ISL ; oa:hasTarget _:t6 .
  _:t6 oa:hasSource id:report\\/r1 ; oa:hasSelector _:p6, _:q6 .
  _:p6 oa:start 60 ; oa:end 70 .
  _:q6 a oa:TextQuoteSelector ; oa:exact "Germany and Iceland." .
}
"""


def test_state_relations_rows_are_the_former_texts(tmp_path):
    """The reshaped rule-out gives the rows the former one gave, for each way evidence may
    be incomplete (a relation then comes once, with no sentence)."""
    store = OxigraphStore.memory()
    store._ox.load(CASES.encode(), format=ox.RdfFormat.TRIG)
    query = Q.load("state-relations")
    text = query.text
    start = text.index("      # The first branch's evidence")
    end = text.index("      }\n", text.index("FILTER NOT EXISTS", start)) + len("      }\n")
    old_path = tmp_path / "state-relations.rq"
    old_path.write_text(text[:start] + PREVIOUS_RULE_OUT + text[end:], encoding="utf-8")
    old = Q.parse("state-relations", old_path)
    for params in ({"state": ["ISL"]}, {"state": ["NOR"]}, {"state": ["SWE"]}):
        before = [tuple(map(str, r)) for r in Q.run(store, old, params)]
        assert [tuple(map(str, r)) for r in Q.run(store, query, params)] == before, params
    rows = {(r["other"].value, r["sentence"] is None)
            for r in Q.run(store, query, {"state": ["ISL"]})}
    assert rows == {("NOR", False), ("DNK", True), ("FIN", True), ("SWE", True),
                    ("GBR", True), ("DEU", True)}
