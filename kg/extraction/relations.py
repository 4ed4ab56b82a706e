"""Relations: the pairs of states whose dealings the report describes, with polarity.

Two states are related where one sentence has both act (by name, demonym, a government's
seat, or through an official of theirs), where an event has both take part, where an
agreement binds both, and where one accredits an ambassador to the other. Cue words of
kg/data/relations.yml give the polarity; sentences that only set states side by side ("shares
a border with") or report dealings as alleged or denied give none.
"""
from __future__ import annotations

from itertools import combinations

from kg.extraction import lexicon
from kg.extraction.context import Context
from kg.facts import Evidence, Extraction, Relation


def find_relations(context: Context, extraction: Extraction,
                   people_by_sentence: dict[int, set[int]]) -> list[Relation]:
    cues = lexicon.polarity()
    found: dict[tuple[str, str], Relation] = {}

    def add(a: str, b: str, polarity: str, evidence: list[Evidence]) -> None:
        if not a or not b or a == b:
            return
        pair = tuple(sorted((a, b)))
        relation = found.setdefault(pair, Relation(states=pair))
        relation.polarities.add(polarity)
        for e in evidence:
            if e not in relation.evidence:
                relation.evidence.append(e)

    officials = extraction.officials
    for sentence in context.sentences:
        lower = sentence.text.lower()
        if cues.denied.search(lower):
            continue
        states = context.states_in(sentence)
        for index in sorted(people_by_sentence.get(sentence.start, ())):
            state = officials[index].state
            if state and state not in states:
                states.append(state)
        if len(states) < 2:
            continue
        conflictual = bool(cues.conflictual.search(lower))
        cooperative = bool(cues.cooperative.search(lower))
        if not (conflictual or cooperative) and cues.no_dealing.search(lower):
            continue
        polarities = (["conflictual"] if conflictual else []) + (
            ["cooperative"] if cooperative or not conflictual else [])
        evidence = [Evidence(sentence.start_char, sentence.end_char)]
        for a, b in combinations(states, 2):
            for polarity in polarities:
                add(a, b, polarity, evidence)

    for event in extraction.events:
        if event.kind == "other":
            continue                  # an expulsion or a restored tie: its sentence tells
        polarity = "conflictual" if event.kind == "conflict" else "cooperative"
        for a, b in combinations(event.participants, 2):
            add(a, b, polarity, event.evidence)
    for agreement in extraction.agreements:
        if agreement.kind != "other" or "cease" not in agreement.title.lower():
            for a, b in combinations(agreement.parties, 2):
                add(a, b, "cooperative", agreement.evidence)
    for official in officials:
        if official.role in ("ambassador", "diplomat") and official.state and official.host_state:
            add(official.state, official.host_state, "cooperative", official.evidence)
    return list(found.values())
