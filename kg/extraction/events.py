"""Events: meetings, visits, receptions, negotiations, calls, summits, credentials, conflicts.

A trigger phrase from kg/data/events.yml makes an event of its kind; its date is the date
nearest the trigger in the sentence (relative dates resolved against the report's date), or
the one the sentence before gave; its place follows "in"/"at"/"to"; its participants are the
states the sentence names and the states of the officials it names. A phrase that refers
back ("the meeting", "during the talks") adds evidence to an event already found instead of
making a new one; generic and plural mentions ("recent high-level visits") make none.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import fields

from spacy.tokens import Span

from kg.extraction import lexicon
from kg.extraction.context import Context
from kg.facts import Event, Evidence, Official

# kinds that a meeting trigger in the same sentence only restates ("received credentials")
SPECIFIC = {"credentials", "phone_call", "negotiation"}
# what an anaphoric mention of one kind may refer back to
COMPATIBLE = {"meeting": ("meeting", "credentials", "negotiation"),
              "negotiation": ("negotiation",),
              "reception": ("reception", "meeting", "credentials"),
              "visit": ("visit",), "summit": ("summit",), "phone_call": ("phone_call",),
              "credentials": ("credentials",), "conflict": ("conflict",), "other": ("other",)}
INVITATION = re.compile(r"\binvit\w*\b[^.;]{0,40}$")
# "a reception to mark November 8": a commemorated day is the occasion, not the date
OCCASION = re.compile(r"\b(mark(s|ed|ing)?|celebrat\w*|commemorat\w*|anniversary of|occasion of)"
                      r"\s+(the\s+)?$", re.I)
# kinds whose mentions in one report are told apart by date or place; others merge unless
# their dates disagree
DISTINCT = {"meeting", "visit"}
CESSATION = re.compile(r"\b(cessation of|end to|end the|halt to|halt the|stop the|ceasefire in|"
                       r"truce in)\s+(the\s+)?$")
# How far from its trigger a date may stand and still be the event's (characters)
DATE_REACH = {"conflict": 60}
ENVOY_LIST_REACH = 1500      # characters after a credentials sentence where its envoys are listed
SUMMIT_SIZE = 4               # a meeting of this many states or more is a summit
DEFINITE = re.compile(r"\b(the|this|that|his|her|their|its)\s+([\w-]+\s+){0,3}$")


def find_events(context: Context, officials: list[Official],
                people_by_sentence: dict[int, set[int]]) -> list[Event]:
    lex = lexicon.events()
    denied = lexicon.polarity().denied
    events: list[Event] = []
    weak: set[int] = set()        # events read only from a headline or standfirst line
    inferred_dates: set[int] = set()    # events whose date is the lead's, not their own
    lead_date = _lead_date(context)
    index_of = _index_of(officials)
    for number, sentence in enumerate(context.sentences):
        text = sentence.text
        lower = text.lower()
        if denied.search(lower):
            continue                          # "X denied reports that it held talks"
        dates = [d for d in context.dates_in(sentence)
                 if not OCCASION.search(context.text[max(0, d.start - 25):d.start])]
        people = [officials[i] for i in sorted(people_by_sentence.get(sentence.start, ()))]
        made: set[str] = set()                # kinds this sentence has made an event of
        for kind, start, end in _triggers(lex, lower):
            before = lower[:start].rstrip()
            last_word = before.rsplit(None, 1)[-1] if before else ""
            if last_word in lex.generic_before or INVITATION.search(lower[:start]):
                continue
            if kind == "conflict" and CESSATION.search(lower[:start]):
                continue                      # "a cessation of hostilities" is no fighting
            evidence = Evidence(sentence.start_char, sentence.end_char)
            anaphoric = any(before.endswith(a) for a in lex.anaphoric) or \
                bool(DEFINITE.search(lower[:start])) or "the event" in lower[:start]
            if anaphoric and kind not in ("other", "conflict"):
                target = _latest(events, COMPATIBLE.get(kind, (kind,)))
                if target is not None:
                    context.append_new(target.evidence, evidence)
                    _add_people(target, people, index_of)
                    if target.kind == "summit":   # who else took part is told later
                        for state in _participants(context, sentence, people):
                            if state not in target.participants and \
                                    state not in context.mediators:
                                target.participants.append(state)
                    continue
            if kind in made:
                continue                      # one event of a kind per sentence
            made.add(kind)
            date = _nearest_date(dates, sentence.start_char + start,
                                 DATE_REACH.get(kind, 150))
            inferred = date is None and number <= 3 and kind != "conflict" and lead_date
            participants = [p for p in _participants(context, sentence, people)
                            if p not in context.mediators]
            if kind in lex.bilateral and len(participants) < 2:
                # "the leaders held talks": the two sides the report is about
                if not participants:
                    participants = list(context.main_pair)
                elif context.other_of_pair(participants[0]):
                    participants.append(context.other_of_pair(participants[0]))
            if kind == "meeting" and len(participants) >= SUMMIT_SIZE:
                kind = "summit"               # "the Leaders Meeting" of a dozen states
            event = Event(kind=kind, date=date or (lead_date if inferred else None),
                          place=_place(context, sentence, start, kind),
                          participants=participants, trigger=text[start:end],
                          evidence=[evidence])
            if inferred:
                inferred_dates.add(id(event))
            if kind == "reception" and participants:
                event.organizer = participants[0]
            _add_people(event, people, index_of)
            same = _same_event(events, event, inferred_dates)
            if same is not None:
                _merge(context, same, event)
                continue
            events.append(event)
            if number == 0 and not text.rstrip().endswith((".", "!", "?", "”", '"')):
                weak.add(id(event))
    # a headline's event is the body's event told again: drop it where the body has its kind
    kinds = {e.kind for e in events if id(e) not in weak}
    events = [e for e in events if id(e) not in weak or e.kind not in kinds]
    diplomats = sorted((o.evidence[0].start, i) for i, o in enumerate(officials)
                       if o.role in ("ambassador", "diplomat") and o.state and o.evidence)
    return [split for event in events
            for split in _one_per_envoy(event, officials, diplomats, index_of)]


def _one_per_envoy(event: Event, officials: list[Official], diplomats: list[tuple[int, int]],
                   index_of) -> list[Event]:
    """"Four new envoys presented their credentials: - A, Ambassador of X; - B, …": one
    presentation of credentials per envoy, each between the envoy's state and the host.
    `diplomats` are (first evidence start, index) of the officials who may be envoys, sorted."""
    if event.kind != "credentials" or not event.evidence:
        return [event]
    start = event.evidence[0].start
    # only the diplomats named within reach after the event, taken in the officials' order
    near = diplomats[bisect_left(diplomats, (start, -1)):
                     bisect_right(diplomats, (start + ENVOY_LIST_REACH, len(officials)))]
    envoys: dict[str, Official] = {}
    for _, i in sorted(near, key=lambda pair: pair[1]):
        o = officials[i]
        if o.host_state in event.participants:
            envoys.setdefault(o.state, o)
    if len(envoys) < 2:
        return [event]
    out = []
    told = set(event.evidence)
    for state, envoy in envoys.items():
        out.append(Event(kind="credentials", date=event.date, place=event.place,
                         participants=[state, envoy.host_state], trigger=event.trigger,
                         evidence=list(event.evidence) + [e for e in envoy.evidence
                                                          if e not in told],
                         persons=[index_of(envoy)]))
    return out


def _index_of(officials: list[Official]):
    """`officials.index` for the officials of the list (the first one equal to it) without a
    scan for each look-up, which made long reports quadratic."""
    first: dict[tuple, int] = {}
    by_id: dict[int, int] = {}
    for i, o in enumerate(officials):
        by_id[id(o)] = first.setdefault(_value(o), i)
    return lambda official: by_id[id(official)]


def _value(official: Official) -> tuple:
    """What dataclass equality compares, hashable."""
    values = (getattr(official, f.name) for f in fields(official) if f.compare)
    return tuple(tuple(v) if isinstance(v, list) else v for v in values)


def _triggers(lex, lower: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for kind, pattern in lex.kinds:           # kinds listed first win overlapping words
        for m in pattern.finditer(lower):
            if all(m.end() <= s or m.start() >= e for _, s, e in found):
                found.append((kind, m.start(), m.end()))
    found.sort(key=lambda t: t[1])
    kinds = {k for k, _, _ in found}
    # "received credentials" is one event, not also a meeting; the credentials ceremony is no
    # reception of its own
    return [t for t in found if not (t[0] == "meeting" and kinds & SPECIFIC) and
            not (t[0] == "reception" and "credentials" in kinds)]


def _lead_date(context: Context) -> str | None:
    """The day the report's lead speaks of: the first date in its first sentence, else the
    dateline's date. Events of the lead with no date of their own happened then."""
    if context.sentences:
        first = context.dates_in(context.sentences[0])
        if first:
            return first[0].value
    return context.report_date if getattr(context.report, "dateline_date", None) else None



def _latest(events: list[Event], kinds) -> Event | None:
    for event in reversed(events):
        if event.kind in kinds:
            return event
    return None


def _nearest_date(dates, position: int, reach: int) -> str | None:
    if not dates:
        return None
    distance = lambda d: min(abs(d.start - position), abs(d.end - position))  # noqa: E731
    best = min(dates, key=distance)
    return best.value if distance(best) <= reach else None


def _participants(context: Context, sentence: Span, people: list[Official]) -> list[str]:
    out = context.states_in(sentence)
    for person in people:
        if person.state and person.state not in out:
            out.append(person.state)
    return out


def _place(context: Context, sentence: Span, start_char: int, kind: str) -> str | None:
    """The first "in X"/"at X" (or, for a visit, "to X") after the trigger, else before it."""
    doc = context.doc
    trigger_token = next((t.i for t in sentence if t.idx - sentence.start_char >= start_char),
                         sentence.end)
    preps = ("in", "at", "to") if kind == "visit" else ("in", "at")
    candidates = []
    for token in sentence:
        if token.lower_ not in preps or token.i + 1 >= sentence.end:
            continue
        k = token.i + 1
        match = context.match_at(k)
        if match is not None and match.start == k and match.kind != "organization":
            candidates.append((token.i, doc[match.start:match.end].text))
            continue
        run = k
        while run < sentence.end and run - k < 4 and doc[run].text[:1].isupper() and \
                doc[run].is_alpha and doc[run].lower_ not in ("the", "president", "minister"):
            run += 1
        if run > k:
            candidates.append((token.i, doc[k:run].text))
    after = [c for c in candidates if c[0] >= trigger_token]
    before = [c for c in candidates if c[0] < trigger_token]
    if after:
        return after[0][1]
    return before[-1][1] if before else None


def _add_people(event: Event, people: list[Official], index_of) -> None:
    for person in people:
        index = index_of(person)
        if index not in event.persons:
            event.persons.append(index)


def _same_event(events: list[Event], event: Event, inferred: set[int]) -> Event | None:
    """An event found before that this one tells again."""
    for other in reversed(events):
        if other.kind != event.kind:
            continue
        if event.kind not in DISTINCT and set(other.participants) & set(event.participants) \
                and not (other.date and event.date and not _dates_agree(other.date, event.date)):
            return other
        if event.kind == "visit" and set(other.participants) == set(event.participants) and \
                _within_days(other.date, event.date, 10):
            return other                      # a visit lasts days: one visit, told again
        # the same two sides meeting again in the next sentence or two, with nothing saying
        # it is another day or place: one meeting told again
        explicit = [d for e, d in ((other, other.date), (event, event.date))
                    if d and id(e) not in inferred]
        near = event.evidence[0].start - other.evidence[-1].end < 600
        if near and set(other.participants) == set(event.participants) and \
                (len(explicit) < 2 or explicit[0] == explicit[1]) and \
                (not other.place or not event.place or other.place == event.place):
            return other
        if other.date and event.date and (other.date.startswith(event.date) or
                                          event.date.startswith(other.date)):
            return other
        if other.place and event.place and other.place == event.place and \
                not (other.date and event.date):
            return other
    return None


def _within_days(a: str | None, b: str | None, days: int) -> bool:
    if not a or not b:
        return True
    if len(a) < 10 or len(b) < 10:
        return _dates_agree(a, b)
    from datetime import date
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= days


def _dates_agree(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _merge(context: Context, into: Event, event: Event) -> None:
    if event.date and (not into.date or len(event.date) > len(into.date)):
        into.date = event.date
    into.place = into.place or event.place
    for state in event.participants:
        if state not in into.participants:
            into.participants.append(state)
    for evidence in event.evidence:
        context.append_new(into.evidence, evidence)
    for person in event.persons:
        if person not in into.persons:
            into.persons.append(person)
