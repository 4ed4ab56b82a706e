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


# More states than this in one sentence (or as one fact's parties) make a list, such as a
# summit's attendees, not dealings between each two of them.
MAX_STATES = 3


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
            context.append_new(relation.evidence, e)

    officials = extraction.officials
    mediators = context.mediators
    denied_sentences = set()
    for sentence in context.sentences:
        lower = sentence.text.lower()
        if cues.denied.search(lower):
            denied_sentences.add(sentence.start_char)
            continue
        states = [s for s in context.states_in(sentence) if s not in mediators]
        for index in sorted(people_by_sentence.get(sentence.start, ())):
            state = officials[index].state
            if state and state not in states and state not in mediators:
                states.append(state)
        if len(states) < 2 or len(states) > MAX_STATES:
            continue                  # a list of attendees is no dealing between each two
        polarities = sentence_polarity(lower, cues)
        if not polarities:
            continue
        evidence = [Evidence(sentence.start_char, sentence.end_char)]
        for a, b in combinations(states, 2):
            for polarity in polarities:
                add(a, b, polarity, evidence)

    def told(evidence: list[Evidence]) -> bool:
        return any(e.start not in denied_sentences for e in evidence)

    # facts whose states the sentence did not name together (the report's pair stood in)
    for event in extraction.events:
        if event.kind in ("other", "summit") or not told(event.evidence) or \
                len(event.participants) > MAX_STATES:
            continue                  # an expulsion or a summit: its sentences tell
        polarity = "conflictual" if event.kind == "conflict" else "cooperative"
        for a, b in combinations([s for s in event.participants if s not in mediators], 2):
            if tuple(sorted((a, b))) not in found:
                add(a, b, polarity, event.evidence)
    for agreement in extraction.agreements:
        if "cease" in agreement.title.lower() or not told(agreement.evidence):
            continue
        parties = [s for s in agreement.parties if s not in mediators]
        if len(parties) > MAX_STATES:
            continue
        for a, b in combinations(parties, 2):
            if tuple(sorted((a, b))) not in found:
                add(a, b, "cooperative", agreement.evidence)
    for official in officials:
        if official.role in ("ambassador", "diplomat") and official.state and \
                official.host_state and tuple(sorted((official.state, official.host_state))) \
                not in found:
            add(official.state, official.host_state, "cooperative", official.evidence)
    return list(found.values())


def sentence_polarity(lower: str, cues) -> list[str]:
    """Conflictual where conflict is said; cooperative where cooperation is, or where only
    contact is and nothing conflictual; both where both are; none for mere juxtaposition."""
    conflictual = bool(cues.conflictual.search(lower))
    cooperative = bool(cues.cooperative.search(lower))
    contact = bool(cues.contact.search(lower))
    if not (conflictual or cooperative or contact) and cues.no_dealing.search(lower):
        return []
    out = ["conflictual"] if conflictual else []
    if cooperative or not conflictual:
        out.append("cooperative")
    return out
