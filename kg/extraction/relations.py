"""Relations: the pairs of states whose dealings the report describes, with polarity.

Where the statistical parse ran, the parse decides who deals with whom in a sentence: the
states acting (subjects, "by" agents, the states of the officials acting) deal with the
states acted on (objects, "with", "to", "from", "against" phrases), the states under one
"between" or joined by a hyphen ("the Saudi-Iranian deal") deal with each other, states acting
together on no one deal with each other, and a dealing named as a thing ("Russia's invasion of
Ukraine") relates its two states. Group nouns ("the two countries", "both sides") stand for
the pair the last sentences dealt with, or the report's main pair ("two Chilean ministers" are
persons of one state, no group). A state named only as a place ("met in Kenya's capital",
"through Poland"), where a trip set out from ("on his return from Sweden"), a topic ("they
discussed Syria"), a mediator or a host of others' talks ("Qatar-brokered", "with
Switzerland's assistance"), an onlooker at others' agreement ("were in X to witness the
accord") or where an envoy is accredited ("Japan's ambassador to Kenya") deals with no one
there; a dealing said not to have happened ("has never sold arms to") is none. A capital a trip
goes to ("his visit to Washington") stands for its state; those a verb urges to act on no one
act together ("urged A and B to end their arms race"); the holders of a concern deal with the
owner of what it is about ("the concerns of A about B's influence"). A sentence naming two states pairs them unless
one is only such a place, topic or mediator; one naming more pairs only what the parse
relates (one actor with a list, never the items of a list among themselves).

Where the parse is missing (the rule-only pipeline), two or three states named in one sentence
(by name, demonym, a government's seat, or through an official of theirs) are paired, and an
envoy with the state they are accredited to.

Beside sentences, an event both take part in and an agreement binding both relate two states
that deal somewhere in the report (not where a sentence of that fact named both without
pairing them), and envoys presenting credentials relate to the state receiving them. Cue words
of kg/data/relations.yml give the polarity; sentences that only set states side by side
("shares a border with") or report dealings as alleged or denied give none.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from spacy.tokens import Span, Token

from kg.extraction import lexicon
from kg.extraction.context import Context
from kg.extraction.officials import name_token
from kg.extraction.pipeline import has_parse
from kg.extraction.states import state_matches_in
from kg.facts import Evidence, Extraction, Relation


# More states than this in one sentence (or as one fact's parties) make a list, such as a
# summit's attendees, not dealings between each two of them.
MAX_STATES = 3

VERBS = ("VERB", "AUX")
SUBJECTS = ("nsubj", "csubj", "expl")
OBJECTS = ("dobj", "dative", "iobj", "obj", "attr", "oprd")
PERIPHERAL = ("location", "topic", "accredited", "origin")


@dataclass(frozen=True)
class Words:
    """The parse-level word lists of kg/data/relations.yml."""
    locative: frozenset[str]
    topic: frozenset[str]
    patient: frozenset[str]
    transparent: frozenset[str]
    discuss_nouns: frozenset[str]
    discuss_verbs: frozenset[str]
    mediation_verbs: frozenset[str]
    mediation_nouns: frozenset[str]
    arrival_verbs: frozenset[str]
    control_verbs: frozenset[str]
    hosting_verbs: frozenset[str]
    witness_verbs: frozenset[str]
    envoy_nouns: frozenset[str]
    movement_nouns: frozenset[str]
    non_state_actors: frozenset[str]
    speech_nouns: frozenset[str]
    standing_nouns: frozenset[str]
    hyphen_dealings: frozenset[str]
    reaction_verbs: frozenset[str]
    addressing_words: frozenset[str]
    border_nouns: frozenset[str]
    place_nouns: frozenset[str]
    feature_nouns: frozenset[str]
    accreditation_verbs: frozenset[str]
    not_dealings: frozenset[str]
    nominal_preps: frozenset[str]
    hosted_events: frozenset[str]
    coordinating: frozenset[str]
    group_nouns: frozenset[str]
    calming: frozenset[str]
    exchanged_views: frozenset[str]
    joining_verbs: frozenset[str]
    contact_verbs: frozenset[str]
    signing_verbs: frozenset[str]
    time_preps: frozenset[str]
    group_numbers: dict
    credentials: re.Pattern
    regional_groups: dict
    messages: re.Pattern
    own_acts: re.Pattern


@lru_cache(maxsize=1)
def words() -> Words:
    data = lexicon.load("relations.yml")
    lists = ("locative_preps", "topic_preps", "patient_preps", "transparent_preps",
             "discuss_nouns", "discuss_verbs", "mediation_verbs", "mediation_nouns",
             "arrival_verbs", "control_verbs", "hosting_verbs", "witness_verbs", "envoy_nouns",
             "movement_nouns", "non_state_actors", "speech_nouns", "standing_nouns",
             "hyphen_dealings", "reaction_verbs",
             "addressing_words", "border_nouns", "place_nouns", "feature_nouns",
             "accreditation_verbs", "not_dealings", "nominal_preps",
             "hosted_events", "coordinating", "group_nouns", "calming", "exchanged_views",
             "joining_verbs", "contact_verbs", "signing_verbs", "time_preps")
    return Words(*(frozenset(str(w) for w in data[k]) for k in lists),
                 group_numbers={str(k): int(v) for k, v in data["group_numbers"].items()},
                 credentials=lexicon.any_of(data["credentials"]),
                 regional_groups={str(k).lower(): tuple(v)
                                  for k, v in data["regional_groups"].items()},
                 messages=lexicon.any_of(data["messages"]),
                 own_acts=lexicon.any_of(data["own_acts"]))


@dataclass
class Mention:
    """A state in a sentence: named, through an official of its, or in a group noun."""
    iso: str
    token: Token | None           # the head of the words naming it (None: not found)
    start: int = -1               # token span of the name (for hyphenated pairs)
    end: int = -1
    group: int | None = None      # the group noun's token index, for the states it stands for
    role: str = "other"           # agent, patient, between, location, topic, mediator, other
    verb: Token | None = None     # the clause it belongs to
    anchor: int | None = None     # the "between" it hangs from
    envoy: bool = False           # the state of an envoy named abroad: the sending state


def find_relations(context: Context, extraction: Extraction,
                   people_by_sentence: dict[int, set[int]],
                   pronouns: dict[int, dict[int, int]] | None = None) -> list[Relation]:
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
            relation.shown.setdefault(e.start, set()).add(polarity)

    officials = extraction.officials
    mediators = context.mediators
    parsed = has_parse(context.doc)
    denied_sentences = set()
    named: set[str] = set()           # states named in some sentence
    acting: set[str] = set()          # ... and dealing there, not only a place or a topic
    decided: dict[int, set[str]] = {}  # sentence start -> the states it named
    recent: dict[int, list[tuple[str, str]]] = {}   # sentence number -> the pairs it gave
    # a state agency's own state, writing from home (not a national wire abroad): the one its
    # round-ups of messages are addressed to
    home = context.outlet_state if context.outlet_state == context.home_state else None
    for number, sentence in enumerate(context.sentences):
        lower = sentence.text.lower()
        unsaid_here: set[int] = set()
        if cues.denied.search(lower):
            unsaid_here = _denied_tokens(sentence, cues.denied) if parsed else set()
            if not unsaid_here:
                denied_sentences.add(sentence.start_char)
                continue
        people = sorted(people_by_sentence.get(sentence.start, ()))
        if parsed:
            mentions = sentence_mentions(context, number, sentence, officials, people,
                                         recent, (pronouns or {}).get(sentence.start, {}))
            if unsaid_here:
                # what is alleged or denied deals with no one; the clause around it may:
                # "accused Kuwait of exceeding its quota and claimed that it had drawn oil"
                mentions = [m for m in mentions
                            if m.token is None or m.token.i not in unsaid_here]
                if len({m.iso for m in mentions}) < 2:
                    denied_sentences.add(sentence.start_char)
                    continue
            named.update(m.iso for m in mentions)
            participants, pairs = sentence_pairs(mentions, mediators)
            if home and words().messages.search(lower) and \
                    home not in {m.iso for m in mentions}:
                # a state agency's round-up: "Messages also came from the President of Turkey,
                # the Chancellor of Germany and the Emir of Qatar" to its own head of state:
                # each sender deals with the agency's state, not with the other senders
                senders = list(dict.fromkeys(
                    m.iso for m in mentions if m.iso not in mediators and
                    m.role not in PERIPHERAL + ("mediator",)))
                if senders:
                    participants, pairs = set(senders) | {home}, [(home, s) for s in senders]
            if pairs and words().credentials.search(lower):
                # "the ambassadors of Mongolia and Peru presented their credentials": each
                # deals with the state receiving them (credentials_pairs), not with the other
                received = {m.iso for m in mentions if _received(m)}
                pairs = [(a, b) for a, b in pairs if a in received or b in received]
            acting.update(participants)
            decided[sentence.start_char] = {m.iso for m in mentions}
            recent[number] = pairs
        else:
            states = [s for s in context.states_in(sentence) if s not in mediators]
            for index in people:
                state = officials[index].state
                if state and state not in states and state not in mediators:
                    states.append(state)
            pairs = list(combinations(states, 2)) if len(states) <= MAX_STATES else []
        if not pairs:
            continue
        polarities = sentence_polarity(lower, cues)
        if not polarities:
            continue
        evidence = [Evidence(sentence.start_char, sentence.end_char)]
        told: set[tuple[str, str]] = set()
        own = polarities
        topics = _topic_tokens(sentence) if parsed else set()
        if topics:
            # what is only discussed ("discussed the war in the region") does not make the
            # dealings of those discussing it conflictual; a dealing it names keeps its own
            told = {tuple(sorted(p)) for p in _nominal_pairs(
                [m for m in mentions if m.iso not in mediators and m.role != "mediator"])}
            outside = " ".join(t.text for t in sentence if t.i not in topics).lower()
            own = sentence_polarity(outside, cues) or ["cooperative"]
        for a, b in pairs:
            as_thing = tuple(sorted((a, b))) in told
            said = polarities if as_thing else own
            if parsed:
                said = _pair_polarity(sentence, mentions, a, b, cues,
                                      set() if as_thing else topics) or said
            for polarity in said:
                add(a, b, polarity, evidence)

    def told(evidence: list[Evidence]) -> bool:
        return any(e.start not in denied_sentences for e in evidence)

    # a state named only as a place, a topic or a mediator takes part in no fact's dealings
    aside = set(mediators) | (named - acting)

    def dealing(states: list[str]) -> list[str]:
        # with the parse, only states that deal in some sentence take part in facts' pairs
        return [s for s in states if s not in aside and (not parsed or s in acting)]

    def unsaid(a: str, b: str, evidence: list[Evidence]) -> bool:
        # a sentence of the fact that named both and did not pair them has said they don't
        # deal ("Ghana and Togo condemned the attack by Burkina Faso", "discussed the sale
        # of arms to X")
        return tuple(sorted((a, b))) not in found and not any(
            {a, b} <= decided.get(e.start, set()) for e in evidence)

    if parsed:
        for a, b, evidence in credentials_pairs(context, officials, people_by_sentence):
            if a not in mediators and b not in mediators and told(evidence):
                add(a, b, "cooperative", evidence)

    # facts whose states the sentence did not name together (the report's pair stood in)
    for event in extraction.events:
        if event.kind == "other" and len(event.participants) == 2 and told(event.evidence):
            # "recalled its ambassador to Spain": an act whose own words say how the two
            # deal, between the two sides events.py read from the parse
            a, b = event.participants
            lower = event.trigger.lower()
            if a not in mediators and b not in mediators and cues.dealing_acts.search(lower):
                for polarity in sentence_polarity(lower, cues):
                    add(a, b, polarity, event.evidence)
            continue
        if event.kind in ("other", "summit") or not told(event.evidence) or \
                len(event.participants) > MAX_STATES:
            continue                  # an expulsion or a summit: its sentences tell
        polarity = "conflictual" if event.kind == "conflict" else "cooperative"
        sides = dealing(event.participants)
        # one of the visits a tour of several states was told as (events.py splits it, each
        # with the same telling): who went where says they deal
        went = event.kind == "visit" and len(event.participants) == 2 and \
            not set(event.participants) & set(mediators) and any(
                other is not event and other.kind == "visit" and
                other.evidence[:1] == event.evidence[:1] for other in extraction.events)
        if went:
            sides = event.participants
        for a, b in combinations(sides, 2):
            if went or unsaid(a, b, event.evidence):
                add(a, b, polarity, event.evidence)
    for agreement in extraction.agreements:
        if "cease" in agreement.title.lower() or not told(agreement.evidence):
            continue
        parties = dealing(agreement.parties)
        if len(parties) > MAX_STATES:
            continue
        for a, b in combinations(parties, 2):
            if unsaid(a, b, agreement.evidence):
                add(a, b, "cooperative", agreement.evidence)
    # an envoy's accreditation alone is no dealing: with the parse, the sentences tell
    for official in ([] if parsed else officials):
        if official.role in ("ambassador", "diplomat") and official.state and \
                official.host_state and tuple(sorted((official.state, official.host_state))) \
                not in found and official.host_state not in aside:
            add(official.state, official.host_state, "cooperative", official.evidence)
    return list(found.values())


def _pair_polarity(sentence: Span, mentions: list[Mention], a: str, b: str, cues,
                   topics: set[int]) -> list[str]:
    """The polarity of a pair's own words: without the relative clauses that name neither
    ("China, which has condemned the Indian tests, has sent its minister to Islamabad" is a
    cooperative dealing of China and Pakistan). Empty where no such clause is set aside."""
    own = {m.token.i for m in mentions if m.iso in (a, b) and m.token is not None}
    dropped: set[int] = set()
    for token in sentence:
        if token.dep_ == "relcl":
            inside = {t.i for t in token.subtree}
            if not inside & own:
                dropped |= inside
    if not dropped:
        return []
    dropped |= topics                 # what is only discussed, as for the whole sentence
    return sentence_polarity(" ".join(t.text for t in sentence if t.i not in dropped).lower(),
                             cues) or (["cooperative"] if topics else [])


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


# ---------------------------------------------------------------- mentions in a sentence

def sentence_mentions(context: Context, number: int, sentence: Span, officials,
                      people: list[int], recent: dict | None = None,
                      pronouns: dict[int, int] | None = None) -> list[Mention]:
    """The states of a sentence with their role in it: named, through the officials it
    names (or a pronoun stands for: `pronouns`, official -> token), and through its group
    nouns."""
    out = []
    for match in state_matches_in(context, sentence):
        out.append(Mention(match.key, match.span.root, match.start, match.end))
    for index in people:
        official = officials[index]
        if official.state:
            token = context.doc[pronouns[index]] if pronouns and index in pronouns else \
                name_token(sentence, official)
            out.append(Mention(official.state, token, token.i if token is not None else -1,
                               token.i + 1 if token is not None else -1,
                               envoy=official.role in ("ambassador", "diplomat") and
                               bool(official.host_state)))
    for mention in out:
        if mention.token is not None:
            mention.role, mention.verb, mention.anchor = _role(mention.token, sentence)
            if _after_a_place(mention, sentence):
                mention.role = "location"      # "in Argyle, Saint Vincent and the Grenadines"
    _list_past_a_clause(out, sentence)
    out.extend(_capitals_as_states(context, sentence, out))
    # whoever a verb of mediation has as its subject or agent mediates, however the words
    # inside are parsed ("facilitated by the Prime Minister of X and the Prime Minister of Y")
    mediating = _mediating_tokens(sentence)
    for mention in out:
        if mention.token is not None and mention.token.i in mediating:
            mention.role = "mediator"
    # onlookers: the states that only witness others' agreement
    onlookers: dict[int, list[Mention]] = {}
    for mention in out:
        if mention.role == "agent" and mention.verb is not None and _witnessing(mention.verb):
            onlookers.setdefault(mention.verb.i, []).append(mention)
    for own in onlookers.values():
        if not any(m.iso in context.main_pair for m in own):
            for m in own:
                m.role = "mediator"
    central = {m.iso for m in out if m.role not in PERIPHERAL + ("mediator",)}
    named_at = {i for m in out if m.start >= 0 for i in range(m.start, m.end)}
    for token, count in _group_nouns(sentence):
        if count and len(central) >= count:
            continue                  # the sentence names them itself
        if any(c.i in named_at and c.dep_ in ("amod", "compound", "nmod", "poss")
               for c in token.children):
            continue                  # "two Australian ministers": persons of one state
        region = _region(token)
        members = [iso for iso in region if context.state_counts.get(iso)] if region else []
        if region and (len(members) < 2 or count and len(members) != count):
            members = []
        if not region or not members:
            if not count:
                continue
            members = _group_members(context, number, count, recent or {})
        for iso in members:
            mention = Mention(iso, token, token.i, token.i + 1, group=token.i)
            mention.role, mention.verb, mention.anchor = _role(token, sentence)
            out.append(mention)
    return out


def _list_past_a_clause(mentions: list[Mention], sentence: Span) -> None:
    """A list that a relative clause interrupts ("with India, which signed in May 2022,
    Indonesia and Turkey"): the parse hangs the items after the clause on a word inside it;
    they take the role of the item before it."""
    doc = sentence.doc
    placed = sorted((m for m in mentions if m.token is not None and m.start >= 0),
                    key=lambda m: m.start)
    at = {m.token.i: m for m in placed}
    for k, first in enumerate(placed):
        token = first.token
        if token.dep_ != "conj" or token.head.i in at or first.start < 1 or \
                doc[first.start - 1].text != ",":
            continue
        before = [m for m in placed[:k] if first.start - m.end < 25]
        if not before:
            continue
        item = before[-1]
        if item.end + 1 >= first.start or doc[item.end].text != "," or \
                doc[item.end + 1].lower_ not in ("which", "who", "whose"):
            continue
        # the items joined to this one come with it
        chain = {token.i} | {t.i for t in token.subtree if t.dep_ == "conj"}
        for m in placed[k:]:
            if m.token.i in chain:
                m.role, m.verb, m.anchor = item.role, item.verb, item.anchor


def _capitals_as_states(context: Context, sentence: Span, found: list[Mention]) \
        -> list[Mention]:
    """A capital that a trip goes to ("his visit to Washington", "will travel to Honiara",
    "visited Ankara") or that is addressed ("protested to Beijing") stands for its state: a
    dealing with it, though the city is only a place for the list of states."""
    w = words()
    taken = {i for m in found if m.start >= 0 for i in range(m.start, m.end)}
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    out = []
    for match in context.matches_in(sentence):
        if match.kind != "capital" or match.as_state or match.start in taken or \
                match.span.start_char < dateline_end:
            continue
        token = match.span.root
        while token.dep_ in ("compound", "flat") and token.head.i != token.i and \
                token.head.i < match.end + 2:
            token = token.head            # "Washington DC"
        head = token.head
        visited = token.dep_ == "dobj" and head.pos_ in VERBS and _stem(head, w.arrival_verbs)
        if token.dep_ == "pobj" and head.lower_ == "to":
            goer = head.head
            visited = _noun(goer, w.movement_nouns) or \
                goer.pos_ in VERBS and _stem(goer, w.arrival_verbs)
        due = token.dep_ == "pobj" and head.lower_ == "in" and head.head.lower_ == "due"
        # "protested to Beijing", "a response from Cairo": the government is addressed
        addressed = token.dep_ == "pobj" and head.lower_ in ("to", "from") and \
            head.head.pos_ in VERBS + ("NOUN",) and _stem(head.head, w.addressing_words) or \
            token.dep_ == "pobj" and head.lower_ == "of" and _noun(head.head, w.standing_nouns)
        if visited or due or addressed:
            mention = Mention(match.key, token, match.start, match.end)
            mention.role, mention.verb, mention.anchor = _role(token, sentence)
            if due:                       # "Hiyari is due in Rabat on Saturday": gone to
                mention.role, mention.verb = "patient", _verb_of(head.head)
            if head.lower_ == "of" and addressed:
                mention.role = "patient"  # "Iran, an ally of Baghdad, ...": allied with it
            if mention.role == "patient":
                out.append(mention)
    return out


def sentence_pairs(mentions: list[Mention], mediators: set[str]) \
        -> tuple[set[str], list[tuple[str, str]]]:
    """The states that deal in a sentence, and the pairs of them that deal with each other."""
    mediating = {m.iso for m in mentions if m.role == "mediator"} | set(mediators)
    kept = [m for m in mentions if m.iso not in mediating]
    central = {m.iso for m in kept if m.role not in PERIPHERAL}
    if len(central) >= 2:
        # a place or a topic beside two states that deal is no party to their dealings
        kept = [m for m in kept if m.role not in PERIPHERAL]
    elif central and any(m.role == "agent" for m in kept if m.role not in PERIPHERAL):
        # one state acting: on a place it deals with ("troops in Ukraine"), not on a topic
        kept = [m for m in kept if m.role not in ("topic", "accredited", "origin")]
    elif central:
        # one state named but not acting ("a pipeline linking Lithuania ... through Poland"):
        # beside a place only, no dealing
        kept = [m for m in kept if m.role not in PERIPHERAL]
    else:
        kept = []                     # places and topics only ("the war in Yemen")
    told = _nominal_pairs([m for m in mentions if m.iso not in mediating])
    participants = list(dict.fromkeys(m.iso for m in kept))
    if len(participants) < 2:
        pairs = []
    elif len(participants) == 2:
        verbs = [m.verb for m in kept if m.verb is not None]
        # "China has never sold arms to Myanmar"
        negated = bool(verbs) and all(_negated(v) for v in verbs)
        # both inside a clause on a place or a topic ("discussed the corridor, which will
        # link Brazil to Chile"): what is discussed, not a dealing
        aside = len(verbs) == len(kept) and all(
            v.dep_ in ("relcl", "acl") and _role(v.head, v.sent)[0] in PERIPHERAL
            for v in verbs)
        # both acted on together by no state ("will visit Kenya and Tanzania", the visitor's
        # state not found): no dealing between the two (unless pressed to act together,
        # "urged Kenya and Tanzania to settle")
        together = len(kept) == 2 and all(m.role == "patient" for m in kept) and \
            kept[0].verb is not None and kept[1].verb is not None and \
            kept[0].verb.i == kept[1].verb.i and \
            not _stem(kept[0].verb, words().control_verbs) and \
            any(m.token is not None and m.token.dep_ == "conj" for m in kept)
        # both only reacting to a third party's act ("the United States and France issued
        # statements welcoming the treaty"): each reacts; no dealing between them
        reacting = len(kept) == 2 and all(m.role == "agent" for m in kept) and \
            kept[0].verb is not None and kept[1].verb is not None and \
            kept[0].verb.i == kept[1].verb.i and _reacting(kept[0].verb)
        # both doing an act each does on its own ("Estonia and Latvia joined NATO")
        alone = len(kept) == 2 and all(m.role == "agent" for m in kept) and \
            kept[0].verb is not None and kept[1].verb is not None and \
            kept[0].verb.i == kept[1].verb.i and _own_act(kept[0].verb, words().own_acts)
        pairs = [] if negated or aside or together or reacting or alone \
            else [tuple(participants)]
    else:
        pairs = _structural_pairs(kept, len(participants))
    # a dealing named as a thing ("Russia's invasion of Ukraine") is told, even as a topic
    for a, b in told:
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    return set(participants) | {s for p in told for s in p}, pairs


def _reacting(verb: Token) -> bool:
    """Is the verb, or the participle on its object ("issued statements welcoming"), a
    reaction to what others did, and not told as done together?"""
    w = words()
    clause = [verb] + [c for o in verb.children if o.dep_ in OBJECTS for c in o.children
                       if c.dep_ == "acl" and c.tag_ == "VBG"]
    if not any(_stem(v, w.reaction_verbs) for v in clause):
        return False
    return not any(t.lower_ in ("their", "joint", "jointly", "together", "each", "both")
                   for t in verb.sent)


def _topic_tokens(sentence: Span) -> set[int]:
    """The words of what a sentence's verbs and nouns of discussion are about ("discussed
    the war in Sudan", "exchanged views on the crisis", "talks on the conflict")."""
    w = words()
    out: set[int] = set()
    for token in sentence:
        if token.pos_ in VERBS and _stem(token, w.discuss_verbs):
            for child in token.children:
                if child.dep_ in ("dobj", "obj") and token.lower_.startswith("exchang") and \
                        not _noun(child, w.exchanged_views):
                    continue                  # "exchanged fire", "exchanged accusations"
                if child.dep_ in ("dobj", "obj") or (child.dep_ == "prep" and child.lower_ in
                                                     ("on", "about", "over", "regarding",
                                                      "concerning")):
                    out.update(t.i for t in child.subtree)
        elif token.pos_ == "NOUN" and _noun(token, w.discuss_nouns):
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("on", "about", "over",
                                                             "regarding", "concerning"):
                    out.update(t.i for t in child.subtree)
    return out


def _nominal_pairs(mentions: list[Mention]) -> list[tuple[str, str]]:
    """States in a noun of dealing: its possessor and its object ("Russia's invasion of
    Ukraine", "Armenia's recognition of Azerbaijan's integrity", "Iran's support for Russia").
    """
    w = words()
    placed = [m for m in mentions if m.token is not None]
    owners: dict[int, list[str]] = {}
    for m in placed:
        t = m.token
        if t.dep_ in ("poss", "amod", "compound") and t.head.pos_ == "NOUN" and \
                t.head.i > t.i and not _noun(t.head, w.not_dealings | w.envoy_nouns):
            owners.setdefault(t.head.i, []).append(m.iso)
    out: list[tuple[str, str]] = []
    if not placed:
        return out
    for m in placed if owners else ():
        cur = m.token
        while cur.dep_ in ("poss", "compound", "amod", "conj") and cur.head.i != cur.i and \
                cur.head.pos_ in ("NOUN", "PROPN"):
            cur = cur.head
        prep = cur.head
        if cur.dep_ != "pobj" or prep.dep_ != "prep":
            continue
        noun = prep.head
        if noun.i not in owners and prep.lower_ != "of" and noun.dep_ == "pobj" and \
                noun.head.lower_ == "of" and noun.head.head.i in owners:
            noun = noun.head.head         # "Russia's war of aggression against Ukraine"
        if noun.i not in owners:
            continue
        if prep.lower_ not in w.nominal_preps or \
                (prep.lower_ == "on" and _noun(noun, w.discuss_nouns)):
            continue
        for owner in owners[noun.i]:
            if owner != m.iso and (owner, m.iso) not in out and (m.iso, owner) not in out:
                out.append((owner, m.iso))
    # the holders of an attitude and the owner of what it is about ("the concerns of Japan
    # and Chile about Chinese influence", "Peru's anger over Chile's claim")
    # states joined by hyphens on a noun of dealing ("the trilateral Mongolia-Japan-United
    # States policy dialogue")
    doc = placed[0].token.doc
    chain: list[Mention] = []
    for m in sorted(placed, key=lambda x: x.start) + [None]:
        if m is not None and chain and _dashed(doc, chain[-1], m):
            chain.append(m)
            continue
        if len(chain) >= 2:
            cur = chain[-1].token
            while cur.dep_ in ("compound", "amod", "nmod") and cur.head.i > cur.i and \
                    cur.head.pos_ in ("NOUN", "PROPN"):
                cur = cur.head
            if cur.i != chain[-1].token.i and _noun(cur, w.hyphen_dealings):
                for a, b in combinations([c.iso for c in chain], 2):
                    if a != b and (a, b) not in out and (b, a) not in out:
                        out.append((a, b))
        chain = [m] if m is not None else []
    for noun_i, targets in owners.items():
        noun = placed[0].token.doc[noun_i]
        if noun.dep_ == "dobj" and noun.head.dep_ == "pcomp":
            noun = noun.head              # "about growing Russian influence"
        prep = noun.head
        if noun.dep_ not in ("pobj", "pcomp") or prep.lower_ not in ("about", "over", "at") or \
                prep.head.pos_ != "NOUN":
            continue
        attitude = prep.head
        for m in placed:
            cur = m.token
            while cur.dep_ in ("conj", "appos", "compound", "amod") and cur.head.i != cur.i:
                cur = cur.head
            held = cur.dep_ == "poss" and cur.head.i == attitude.i or \
                cur.dep_ == "pobj" and cur.head.lower_ == "of" and \
                cur.head.head.i == attitude.i
            for owner in targets if held else ():
                if owner != m.iso and (owner, m.iso) not in out and (m.iso, owner) not in out:
                    out.append((m.iso, owner))
    return out


MODALS = {"can", "could", "must", "should", "would", "will", "may", "might", "shall", "ca",
          "wo"}


def _negated(verb: Token) -> bool:
    """Is the verb said not to have happened ("never sold", "did not recall")? A modal
    ("cannot cede") speaks of what may be, not of what was not."""
    children = list(verb.children)
    if verb.lower_.startswith(("stay", "kept", "keep", "remain")) and any(
            c.lower_ in ("out", "aloof", "away") and c.dep_ in ("prt", "advmod", "prep",
                                                                 "acomp")
            for c in children) or verb.lower_.startswith(("abstain", "refrain")):
        return True                   # "Belgrade has stayed out of the dispute": kept apart
    return any(c.dep_ == "neg" for c in children) and \
        not any(c.dep_ == "aux" and c.lower_ in MODALS for c in children)


def _structural_pairs(mentions: list[Mention], named: int) -> list[tuple[str, str]]:
    w = words()
    pairs: list[tuple[str, str]] = []

    def pair(a: str, b: str) -> None:
        if a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))

    placed = [m for m in mentions if m.token is not None]
    by_token = {m.token.i: m for m in placed}
    agents: dict[int, list[Mention]] = {}
    patients: dict[int, list[Mention]] = {}
    for m in placed:
        if m.verb is not None and m.role in ("agent", "patient"):
            (agents if m.role == "agent" else patients).setdefault(m.verb.i, []).append(m)

    def agents_of(verb: Token | None, depth: int = 0) -> list[Mention]:
        if verb is None or depth > 8:
            return []
        if verb.i in agents:
            return agents[verb.i]
        if verb.dep_ == "relcl" and verb.head.i in by_token and any(
                c.dep_ == "nsubj" and c.lower_ in ("which", "who", "that")
                for c in verb.children):
            return [by_token[verb.head.i]]    # "Honduras, which disputes the cays with Belize"
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and _noun(verb.head, w.speech_nouns) and \
                verb.head.dep_ in OBJECTS:
            # "issued a statement reaffirming its ties with X": the issuer reaffirms
            return agents_of(_verb_of(verb.head), depth + 1)
        if verb.dep_ in ("relcl", "acl") or verb.head.i == verb.i:
            return []                 # a clause on a noun has a subject of its own
        if any(c.dep_ in ("nsubj", "nsubjpass") and _noun(c, w.non_state_actors)
               for c in verb.children):
            return []                 # "... although opposition candidates have spoken of"
        outer = _verb_of(verb.head)
        if outer is None:
            return []
        if verb.dep_ == "xcomp" and _stem(outer, w.control_verbs) and outer.i in patients:
            return patients[outer.i]  # "pressed Yerevan to accept": Yerevan accepts
        return agents_of(outer, depth + 1)

    # the acting states deal with the states acted on; where many are named, one side is
    # a single state ("Peru recalled its envoys from Chile, Bolivia and Ecuador")
    acted: dict[tuple[int, int], tuple[set[str], set[str]]] = {}
    alive = []                        # the lists keyed by id stay referenced (no id reused)
    # the one state that acts in the sentence, when its verbs' agents are all that one
    sole = list(agents.values())[0] if len(
        {a.iso for own in agents.values() for a in own}) == 1 and len(agents) == 1 else []
    for m in placed:
        if m.role == "patient":
            # a verb with no subject of its own ("following the CEPAs with India") is the
            # sentence's one acting state's
            doers = agents_of(m.verb) or (sole if m.verb is not None and
                                          m.verb.i not in agents and not any(
                                              c.dep_ in ("nsubj", "nsubjpass", "expl")
                                              for c in m.verb.children) else [])
            alive.append(doers)
            if doers:
                sides = acted.setdefault((id(doers), m.verb.i), (set(), set()))
                sides[0].update(a.iso for a in doers)
                sides[1].add(m.iso)
    # "X signed the declaration and was welcomed by his counterparts from A, B and C": the
    # passive verb joined to X's has X for its subject, the one acted on
    for verb_i, own in agents.items():
        verb = own[0].verb
        if verb.dep_ == "conj" and verb_i not in patients and \
                any(c.dep_ == "auxpass" for c in verb.children) and \
                not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            subjects = [a for a in agents_of(verb.head) if a.iso not in {o.iso for o in own}]
            if subjects:
                sides = acted.setdefault((id(own), verb_i), (set(), set()))
                sides[0].update(a.iso for a in own)
                sides[1].update(a.iso for a in subjects)
    for (_, verb_i), (doers, done) in acted.items():
        if named > MAX_STATES and len(doers) > 1 and len(done - doers) > 1:
            continue                  # a list on both sides is a misparsed list
        verb = placed[0].token.doc[verb_i]
        if _negated(verb):
            continue                  # "Peru did not recall its envoy from Chile"
        if _appeals_for_calm(verb):
            continue                  # "spoke with X and urged both sides to calm the dispute"
        for a in doers:
            for b in done:
                pair(a, b)
        if _stem(verb, w.contact_verbs) and len(doers) <= MAX_STATES:
            # "A and B spoke with C": one call of the three, A and B in it together (not so
            # an act on C: "A and B expelled C's diplomats")
            for a, b in combinations(sorted(doers), 2):
                pair(a, b)
    # a clause on a noun ("the sanctions announced by Canada") deals with the clause the noun
    # belongs to
    linked: set[int] = set()
    for own in agents.values():
        verb = own[0].verb
        if verb.dep_ in ("relcl", "acl") and \
                _role(verb.head, verb.sent)[0] not in PERIPHERAL:   # "in waters claimed by"
            outer = _verb_of(verb.head)
            for other in (agents_of(outer) if outer is not None else []):
                linked.add(id(own))       # they act on the noun, not together
                for a in own if _acted_on(verb.head) else ():
                    pair(a.iso, other.iso)
    # states under one "between" deal with each other
    anchors: dict[int, list[str]] = {}
    for m in placed:
        if m.role == "between" and m.anchor is not None:
            anchors.setdefault(m.anchor, []).append(m.iso)
    for isos in anchors.values():
        for a, b in combinations(dict.fromkeys(isos), 2):
            pair(a, b)
    # "the Saudi-Iranian deal", "Colombia-Ecuador borders"
    doc = placed[0].token.doc if placed else None
    for m, n in combinations(sorted(placed, key=lambda x: x.start), 2):
        if _dashed(doc, m, n):
            pair(m.iso, n.iso)
    # the states a group noun stands for deal with each other, unless together they act on
    # another ("the three Baltic states condemned Russia": the co-agents' rule below)
    groups: dict[int, list[str]] = {}
    for m in placed:
        if m.group is not None and m.role != "agent":
            groups.setdefault(m.group, []).append(m.iso)
    for isos in groups.values():
        for a, b in combinations(dict.fromkeys(isos), 2):
            pair(a, b)
    # states acting together on no state deal with each other ("Peru and Chile agreed ...");
    # not two items of a long list the parse took for subjects
    in_list = _long_list(placed)
    for verb_i, own in agents.items():
        isos = list(dict.fromkeys(a.iso for a in own))
        verb = own[0].verb
        if verb.dep_ in ("relcl", "acl") and _role(verb.head, verb.sent)[0] in PERIPHERAL:
            continue                  # "waters claimed by A and B": a place, no dealing
        if _negated(verb):
            continue                  # "A and B have not completed their ratification"
        if _own_act(verb, w.own_acts):
            continue                  # "A and B joined NATO": each on its own
        if all(_listed_members(a.token) for a in own):
            continue                  # "the co-chairs of the Minsk Group, Russia, the United
            #                           States and France, welcomed ...": members of a body
            #                           named by it, not dealing with each other
        signers = verb.dep_ in ("relcl", "acl") and _stem(verb, w.signing_verbs)
        if 2 <= len(isos) <= MAX_STATES and (id(own) not in linked or signers) \
                and not any(key[0] == id(own) for key in acted) and \
                (named <= MAX_STATES or not any(a.token.i in in_list for a in own)):
            for a, b in combinations(isos, 2):
                pair(a, b)
    # those a control verb presses to act together ("urged India and Pakistan to end their
    # arms race") act together: on no state, they deal with each other
    for verb_i, done in patients.items():
        verb = done[0].verb
        isos = list(dict.fromkeys(p.iso for p in done))
        if not (2 <= len(isos) <= MAX_STATES) or not _stem(verb, w.control_verbs) or \
                any(p.token.i in in_list for p in done):
            continue
        for action in verb.children:
            if action.dep_ == "xcomp" and action.i not in agents and action.i not in patients:
                for a, b in combinations(isos, 2):
                    pair(a, b)
                break
    return pairs


def _own_act(verb: Token, own_acts: re.Pattern) -> bool:
    """Whether the verb and its object tell an act each subject does on its own ("joined
    NATO", "declared independence", "held elections"), not one they do together."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "attr", "acomp")]
    end = max((o.right_edge.i for o in objects), default=verb.i) + 1
    return bool(own_acts.match(verb.doc[verb.i:end].text.lower()))


def _dashed(doc, m: Mention, n: Mention) -> bool:
    """Is `n` joined to `m` by a dash or slash ("the Saudi-Iranian deal", "Chile/Peru")?"""
    return m.end >= 0 and n.start == m.end + 1 and doc[m.end].text in ("-", "–", "—", "/")


def _listed_members(token: Token) -> bool:
    """Is the state named in apposition to a common noun ("the co-chairs, Russia, the United
    States and France")?"""
    word = token
    for _ in range(6):
        if word.dep_ != "conj" or word.head.i == word.i:
            break
        if word.head.ent_type_ not in ("GPE", "NORP", "LOC") and \
                word.head.pos_ in ("NOUN", "PROPN") and word.i > 0 and \
                word.doc[word.left_edge.i - 1].text == ",":
            return True               # the parser's "conj" of the body's name for an apposition
        word = word.head
    return word.dep_ == "appos" and word.head.pos_ in ("NOUN", "PROPN")


def _acted_on(noun: Token) -> bool:
    """Is the noun what its clause's verb acts on ("condemned the sanctions announced by
    Canada"), not something further down ("condolences for the deaths caused by X")?"""
    if noun.dep_ in OBJECTS + ("nsubjpass",):
        return True
    return noun.dep_ == "pobj" and noun.head.dep_ == "prep" and \
        noun.head.head.pos_ in VERBS and noun.head.lower_ in words().patient


def _long_list(mentions: list[Mention]) -> set[int]:
    """The tokens of states named in one enumeration of four or more ("A of Nigeria, B of
    Chile, ..."), found by climbing from each name to the first item of its coordination."""
    heads: dict[int, list[int]] = {}
    for m in mentions:
        cur = m.token
        for _ in range(12):
            if cur.dep_ in ("compound", "poss", "amod", "nmod", "flat", "conj", "appos") and \
                    cur.head.i != cur.i:
                cur = cur.head
            elif cur.dep_ == "pobj" and cur.head.lower_ in ("of", "from", "for") and \
                    cur.head.head.i != cur.head.i:
                cur = cur.head.head
            else:
                break
        heads.setdefault(cur.i, []).append(m.token.i)
    return {i for items in heads.values() if len(set(items)) >= 4 for i in items}


def _after_a_place(mention: Mention, sentence: Span) -> bool:
    """Is the state named as the country of a place just named ("in Argyle, Saint Vincent",
    "at Camp David, United States")?"""
    doc = sentence.doc
    k = mention.start - 1
    if k <= sentence.start or doc[k].text != ",":
        return False
    k -= 1
    while k > sentence.start and doc[k].text[:1].isupper() and doc[k].is_alpha:
        k -= 1
    return k < mention.start - 2 and doc[k].lower_ in words().locative


def _witnessing(verb: Token) -> bool:
    """Is the verb, or the purpose its clause has ("were in Algiers to witness"), looking on?"""
    w = words()
    if _stem(verb, w.witness_verbs):
        return True
    return any(c.dep_ in ("xcomp", "advcl") and c.pos_ in VERBS and _stem(c, w.witness_verbs)
               for c in verb.children)


def _mediates(verb: Token) -> bool:
    """A verb of mediation; hosting only others' meeting ("hosted talks between"), not a
    guest ("hosted the President of Chile")."""
    w = words()
    if _furthers_between(verb):
        return True
    if not _stem(verb, w.mediation_verbs):
        return False
    if _stem(verb, w.hosting_verbs):
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if verb.dep_ in ("amod", "acl", "relcl"):
            objects.append(verb.head)         # "the Qatar-hosted talks", "a forum hosted by"
        # A host that its meeting also lists as taking part ("Tanzania hosted a summit of
        # Tanzania, Kenya and Brazil") is a participant, not only a host.
        hosts = {t.lower_ for c in verb.children if c.dep_ in ("nsubj", "agent")
                 for t in c.subtree if t.pos_ == "PROPN"}
        if hosts and any(t.lower_ in hosts for o in objects for t in o.subtree
                         if t.pos_ == "PROPN"):
            return False
        return any(_noun(o, w.hosted_events) for o in objects)
    return True


def _furthers_between(verb: Token) -> bool:
    """"are promoting dialogue between the government and the opposition", "encouraged talks
    between A and B": furthering others' talks, its subject not among them."""
    w = words()
    subjects = {t.lower_ for c in verb.children if c.dep_ == "nsubj" for t in c.subtree
                if t.pos_ == "PROPN"}
    for obj in verb.children:
        if obj.dep_ != "dobj" or not _noun(obj, w.hosted_events):
            continue
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ == "between" and \
                    not any(t.lower_ in subjects for t in prep.subtree):
                return True
    return False


def _mediating_tokens(sentence: Span) -> set[int]:
    w = words()
    out: set[int] = set()
    for token in sentence:
        if token.lower_ == "for" and token.dep_ == "prep" and any(
                c.dep_ == "pcomp" and _stem(c, w.hosting_verbs) and
                any(_noun(o, w.hosted_events) for o in c.children if o.dep_ == "dobj")
                for c in token.children):
            # "thanked Kuwait for hosting the talks", "appreciation to Kuwait for hosting
            # the meeting": the host thanked gains no relation
            thanker = token.head
            for child in thanker.children:
                if child.dep_ == "dobj" and thanker.pos_ in VERBS or \
                        child.dep_ == "prep" and child.lower_ == "to":
                    out.update(t.i for t in child.subtree)
            continue
        if token.pos_ in VERBS and _mediates(token):
            for child in token.children:
                if child.dep_ in ("agent", "nsubj", "npadvmod") or \
                        (child.dep_ == "compound" and token.dep_ == "amod"):
                    out.update(t.i for t in child.subtree)
                if child.dep_ == "agent":
                    # all the "by" phrase says, however its coordination is parsed
                    out.update(range(child.i, token.right_edge.i + 1))
        elif token.pos_ in VERBS and _appeals_for_calm(token):
            # "Russia urged both sides to show restraint": a third party's appeal, no dealing
            for child in token.children:
                if child.dep_ == "nsubj":
                    out.update(t.i for t in child.subtree)
        elif token.pos_ in VERBS:
            # "X acted as mediator", "X served as the principal interlocutors"
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "as" and any(
                        _noun(g, w.mediation_nouns) for g in child.children):
                    for subject in token.children:
                        if subject.dep_ in ("nsubj", "nsubjpass"):
                            out.update(t.i for t in subject.subtree)
    return out


def _appeals_for_calm(verb: Token) -> bool:
    """"urged both sides to show restraint", "called on A and B to resolve ... through
    dialogue": a verb of asking, addressed to two parties or more, for calm."""
    w = words()
    if not _stem(verb, w.control_verbs):
        return False
    addressed = [c for c in verb.subtree if c.dep_ in ("dobj", "pobj") and c.head in
                 (verb, *verb.children)]
    several = any(c.lower_ in w.group_nouns or any(g.dep_ == "conj" for g in c.children)
                  for c in addressed)
    calm = any(_stem(t, w.calming) for t in verb.subtree if t.i > verb.i)
    return several and calm


def _verb_of(token: Token) -> Token | None:
    """The verb of the clause a token belongs to."""
    seen = 0
    while token.pos_ not in VERBS or token.dep_ in ("amod", "aux", "auxpass"):
        if token.head.i == token.i or seen > 30:
            return token if token.pos_ in VERBS else None
        token = token.head
        seen += 1
    return token


def _stem(token: Token, stems: frozenset[str]) -> bool:
    """Is the token a form of one of these words? Matched on the word's own form (stems in
    relations.yml), so that the rules alone, with no lemmas, read the same."""
    lower = token.lower_
    return any(lower.startswith(stem) for stem in stems)


def _noun(token: Token, nouns: frozenset[str]) -> bool:
    lower = token.lower_
    return lower in nouns or lower.rstrip("s") in nouns or (lower[:-2] in nouns and
                                                            lower.endswith("es"))


BE = {"be", "is", "are", "was", "were", "been", "being", "am"}


def _denied_tokens(sentence: Span, denied: re.Pattern) -> set[int]:
    """The tokens of what a sentence tells as alleged, claimed or denied: the complement of a
    verb of denial or claim. Empty where a cue is no such verb (then the whole sentence is)."""
    doc = sentence.doc
    out: set[int] = set()
    for m in denied.finditer(sentence.text.lower()):
        span = doc.char_span(sentence.start_char + m.start(), sentence.start_char + m.end(),
                             alignment_mode="expand")
        if span is None:
            return set()
        cue = span.root
        if cue.dep_ in ("relcl", "acl") or any(t.tag_ in ("WDT", "WP") for t in cue.children):
            return set()              # "reports that ..., which the government denied": what
            #                           is denied is told before its verb; all of it, then
        parts = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp", "dobj")] \
            if cue.pos_ in ("VERB", "AUX") else []
        if not parts:
            return set()              # "dismissed as fabrications reports that ...", "the
            #                           alleged talks": where it lies, the parse does not say
        for c in parts:
            out.update(t.i for t in c.subtree)
    return out


def _role(token: Token, sentence: Span) -> tuple[str, Token | None, int | None]:
    """What a state named at `token` does in its clause: (role, clause verb, between-anchor).

    Walks up the parse from the name: through possessives, modifiers, appositions,
    coordination and "of"-like prepositions, to the first preposition that says where, about
    what or with whom, or to the verb and the name's function under it."""
    w = words()
    cur = token
    for _ in range(40):
        head = cur.head
        if head.i == cur.i or not (sentence.start <= head.i < sentence.end):
            return "other", None, None
        dep = cur.dep_
        if cur.i == token.i and dep == "compound" and head.pos_ == "PROPN" and \
                _noun(head, w.feature_nouns):
            return "location", _verb_of(head), None   # "the Paraguay River"
        if cur.i == token.i and dep in ("amod", "compound", "poss", "nmod") and \
                head.pos_ == "NOUN" and _noun(head, w.non_state_actors):
            return "origin", _verb_of(head), None     # "Chinese companies supplied": not China
        if dep in ("pobj", "pcomp") and head.dep_ in ("prep", "agent"):
            prep, attach = head.lower_, head.head
            if head.dep_ == "agent":
                verb = _verb_of(attach)
                if _mediates(attach):
                    return "mediator", verb, None
                return "agent", verb, None
            if prep == "as" and (attach.lower_ == "such" or
                                 (head.i > 0 and head.doc[head.i - 1].lower_ == "such")):
                prep = "such"         # "partners such as Rwanda": a member of the list
            if prep == "with" and _noun(attach, w.border_nouns) and \
                    attach.dep_ == "pobj" and attach.head.lower_ in w.locative:
                # "shot down a bomber near the border with Syria": where, not with whom
                # (but "closed its border with Syria" acts on Syria)
                return "location", _verb_of(attach), None
            if attach.lower_ in w.coordinating or prep in w.coordinating:
                cur = attach          # "along with the envoy of Chile": like "and"
                while cur.lower_ in w.coordinating and cur.head.i != cur.i:
                    cur = cur.head
                if cur.pos_ in VERBS:
                    return "agent", cur, None   # "X, along with Y, did": Y did it with X
                continue
            on_verb = attach.pos_ in VERBS and attach.dep_ != "amod"
            if prep == "between":
                return "between", _verb_of(attach), head.i
            if _noun(attach, w.mediation_nouns) and prep in ("of", "by", "from"):
                return "mediator", _verb_of(attach), None
            if prep in w.locative:
                if on_verb and _stem(attach, w.arrival_verbs):
                    return "patient", attach, None
                return "location", _verb_of(attach), None
            if on_verb:
                if prep == "to" and _stem(attach, w.accreditation_verbs):
                    return "accredited", attach, None   # "is also accredited to X"
                if prep in w.topic and (prep != "on" or _stem(attach, w.discuss_verbs)):
                    return "topic", attach, None
                if prep == "on" and cur.i != token.i and cur.pos_ != "PROPN":
                    return "other", attach, None      # "on his return from Sweden"
                if prep in w.patient:
                    return "patient", attach, None
                return "other", attach, None
            # a preposition on a noun
            if prep == "of" and _noun(attach, w.place_nouns):
                return "location", _verb_of(attach), None   # "the ports of northern Chile"
            if prep in w.topic and (prep != "on" or _noun(attach, w.discuss_nouns)):
                return "topic", _verb_of(attach), None
            if prep in w.patient and prep not in w.transparent:
                verb = _verb_of(attach)
                if attach.dep_ == "pobj" and attach.head.lower_ in w.time_preps:
                    # "loans it extended to Iraq during its war with Iran": when, not with
                    # whom the clause's act deals
                    return "other", verb, None
                if attach.dep_ in OBJECTS and verb is not None and attach.head.i == verb.i \
                        and prep != "with" and _stem(verb, w.discuss_verbs):
                    # "citing the attacks on Holland" (but "discussed trade with Peru")
                    return "topic", verb, None
                return "patient", verb, None
            if prep == "to" and _noun(attach, w.movement_nouns):
                return "patient", _verb_of(attach), None
            if prep == "from" and _noun(attach, w.movement_nouns):
                # where a trip set out from ("on his return from Sweden"): not even a
                # place the traveller deals with there
                return "origin", _verb_of(attach), None
            if prep == "to" and _noun(attach, w.envoy_nouns):
                return "accredited", _verb_of(attach), None
            if attach.lower_ == "such":
                attach = attach.head
            cur = attach              # "of", "for", "to", "from" pass the noun's role on
            continue
        if head.pos_ in VERBS and dep not in ("amod", "aux", "auxpass") and \
                not (dep == "conj" and cur.pos_ in VERBS):
            verb = head
            if _mediates(verb) and dep in SUBJECTS + ("npadvmod", "compound"):
                return "mediator", verb, None
            if dep in SUBJECTS:
                return "agent", verb, None
            if dep == "nsubjpass":
                if cur.i != token.i and any(c.dep_ == "prep" and c.lower_ == "with"
                                            for c in verb.children):
                    # "the Polish decision was coordinated with Prague": the state whose
                    # thing it is acts with those of the "with" phrase
                    return "agent", verb, None
                return "patient", verb, None
            if dep in OBJECTS:
                if verb.lower_ in BE:
                    return "other", verb, None      # "one of them being X"
                if _stem(verb, w.joining_verbs) and any(
                        c.dep_ == "prep" and c.lower_ == "in" and
                        any(g.dep_ == "pcomp" and g.tag_ == "VBG" for g in c.children)
                        for c in verb.subtree):
                    # "expelled two diplomats, joining Denmark and Sweden in expelling
                    # theirs": acting beside the subject, on its object, not on the subject
                    outer = verb.head if verb.dep_ in ("advcl", "conj", "xcomp") and \
                        verb.head.pos_ in VERBS else verb
                    return "agent", outer, None
                if _stem(verb, w.discuss_verbs):
                    return "topic", verb, None
                return "patient", verb, None
            return "other", verb, None
        if dep in ("poss", "compound", "amod", "nmod", "npadvmod") and \
                _noun(head, w.mediation_nouns):
            return "mediator", _verb_of(head), None
        cur = head
    return "other", None, None


# ---------------------------------------------------------------- group nouns

def _group_nouns(sentence: Span) -> list[tuple[Token, int]]:
    """'the two countries', 'both sides', 'the three Baltic states', 'the two': the token
    that heads the group, and how many states it stands for."""
    w = words()
    out = []
    for token in sentence:
        lower = token.lower_
        if lower in w.group_nouns and token.pos_ in ("NOUN", "PROPN"):
            for child in token.children:
                count = w.group_numbers.get(child.lower_)
                if count and child.dep_ in ("nummod", "det", "predet", "amod", "quantmod"):
                    out.append((token, count))
                    break
            else:
                if _region(token):
                    out.append((token, 0))    # "the Baltic states": as many as it has
        elif lower in w.group_numbers and (
                token.dep_ in SUBJECTS + OBJECTS + ("nsubjpass", "pobj") and
                token.i > sentence.start and token.doc[token.i - 1].lower_ in ("the", "both")
                or lower == "both" and token.dep_ in SUBJECTS + ("nsubjpass",)):
            out.append((token, w.group_numbers[lower]))
    return out


def _region(token: Token) -> tuple[str, ...]:
    """The members of the regional group a group noun's modifier names ("the three Baltic
    states", "the Nordic ministers"), or ()."""
    groups = words().regional_groups
    for child in token.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.lower_ in groups:
            return groups[child.lower_]
    return ()


def _group_members(context: Context, number: int, count: int,
                   recent: dict[int, list[tuple[str, str]]]) -> list[str]:
    """The states a group noun of `count` stands for. For two: the pair the last sentences
    set in relation, where both are named more than once in the report ("Azerbaijan blamed
    Armenia ... The two republics"), else the report's main pair. For more: the last sentence
    before that names exactly that many."""
    counts = context.state_counts
    if count == 2:
        for k in range(number - 1, max(-1, number - 4), -1):
            found = [p for p in recent.get(k, []) if counts[p[0]] >= 2 and counts[p[1]] >= 2]
            if found:
                # of several, the pair the report names most (its parties, not a backer)
                return list(max(found, key=lambda p: (min(counts[p[0]], counts[p[1]]),
                                                      -found.index(p))))
        pair = context.main_pair
        if len(pair) == 2 and counts[pair[1]] >= 2:
            return list(pair)
        return []
    for k in range(number - 1, max(-1, number - 5), -1):
        # the states that dealt with each other in a sentence just before, their officials'
        # states included ("A, the U.S. Secretary of State and Japan's minister met. The
        # three countries urged ...")
        dealt = {iso for pair in recent.get(k, []) for iso in pair}
        if len(dealt) == count:
            return sorted(dealt)
        sentence = context.sentences[k]
        states = [s for s in context.states_in(sentence) if s not in context.mediators]
        if len(states) == count:
            return states
    return []


# ---------------------------------------------------------------- credentials

def credentials_pairs(context: Context, officials, people_by_sentence):
    """Envoys presenting credentials deal with the state that receives them, however many of
    them one sentence lists: the state the sentence names after "to" or "accredited to",
    else the report's receiving state (the one most often so named, or the envoys' host)."""
    w = words()
    sentences = []
    listing = False                   # in the items of a list a credentials sentence leads
    for number, sentence in enumerate(context.sentences):
        text = sentence.text.strip()
        item = bool(re.match(r"(?:[•·*\-–—]|\d+[.)])\s", text))
        listing = listing and item
        if w.credentials.search(text.lower()) or listing:
            listing = listing or text.endswith(":")
            people = sorted(people_by_sentence.get(sentence.start, ()))
            mentions = [m for m in sentence_mentions(context, number, sentence, officials,
                                                     people)
                        if m.role not in ("location", "mediator", "topic") and m.group is None]
            sentences.append((sentence, mentions, {m.iso for m in mentions if _received(m)}))
    if not sentences:
        return []
    votes: Counter = Counter(iso for _, _, receivers in sentences for iso in receivers)
    for official in officials:
        if official.role in ("ambassador", "diplomat") and official.host_state:
            votes[official.host_state] += 1
    out = []
    for sentence, mentions, receivers in sentences:
        if not receivers and votes:
            receivers = {votes.most_common(1)[0][0]}
        evidence = [Evidence(sentence.start_char, sentence.end_char)]
        for iso in {m.iso for m in mentions} - receivers:
            for receiver in receivers:
                out.append((receiver, iso, evidence))
    return out


def _an_envoys_title(word: Token, envoys) -> bool:
    """Is the word an envoy's title ("Ambassador", "Ambassador Extraordinary and
    Plenipotentiary"), or a state's formal name within one ("the Republic of")?"""
    for _ in range(4):
        if _noun(word, envoys) or word.lower_ in ("extraordinary", "plenipotentiary") or any(
                c.dep_ == "compound" and _noun(c, envoys) for c in word.children):
            return True
        if word.lower_ not in ("republic", "state", "kingdom", "federation", "union") or \
                word.dep_ != "pobj" or word.head.lower_ != "of":
            return False
        word = word.head.head
    return False


def _received(mention: Mention) -> bool:
    """Is the state named as the one an envoy goes to ("credentials to President X of Y",
    "accredited to Y", "ambassador to Y")?"""
    if mention.token is None or mention.envoy:
        return False                  # an envoy's own state sends them
    if mention.role == "accredited":
        return True
    sentence = mention.token.sent
    envoys = words().envoy_nouns
    for ancestor in [mention.token] + list(mention.token.ancestors):
        if ancestor.dep_ == "pobj" and ancestor.head.lower_ == "to":
            return True
        if ancestor.dep_ == "pobj" and ancestor.head.lower_ == "of" and \
                _an_envoys_title(ancestor.head.head, envoys):
            return False              # "the Ambassador of (the Republic of) Turkey": the sender
        if not (sentence.start <= ancestor.head.i < sentence.end):
            break
    return False
