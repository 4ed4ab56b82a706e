"""Agreements: documents between states, signed, negotiated or proposed.

A document word from kg/data/agreements.yml ("Joint Declaration", "memorandum of
understanding", "pact") marks an agreement; its title is the capitalised name around it
("Joint Declaration on Principles … between India and China") or, in running text, the noun
phrase ("bilateral free trade agreement", "agreement on visa exemption for …"). Items of a
numbered or bulleted list are one agreement each. The status comes from the cues next to it
("signed", "initialled", "negotiations on a draft …"; a signing to come is a proposal), the
parties from the states of its sentence (else the pair the report is about). "The deal" and
"the agreement" refer back; "the agreements reached" and other vague plurals are none.

That is the rule-only path (_find_by_rules), kept for the blank pipeline. With the parse
(_find_parsed, the default) the same documents are found, and the parse decides titles,
generic mentions, status, date, place and parties, and which mentions are one document:
see the section "with the parse" below.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from kg.extraction import lexicon
from kg.extraction.context import Context, entity_at, lowers_of, texts_of
from kg.extraction.events import _a_topic, _named_only, _within_days
from kg.extraction.pipeline import has_parse
from kg.extraction.relations import words as relation_words
from kg.facts import Agreement, Event, Evidence

LIST_MARKER = re.compile(r"^\s*(\(?\d{1,2}[.)]|--|[-•*–—]|\(?[a-z][.)])\s*$")
# (a wire's bullet may be a double hyphen or a dash: "-- the Protocol on ...")
# a bullet may be glued to the item's first word ("-Protocol on ..."): the tokenizer then keeps
# it inside that word, which BULLET strips where a document word is looked up
ITEM_START = re.compile(r"^\s*(\(?\d{1,2}[.)]\s+|(--|[-•*–—])(\s+|(?=[^\W\d_]))|\(?[a-z][.)]\s+)")
BULLET = "-•*–—"
# LIST_MARKER for fullmatch() on a part of the text, which copies nothing
MARKER_ONLY = re.compile(r"\s*(\(?\d{1,2}[.)]|--|[-•*–—]|\(?[a-z][.)])\s*")
NUMBER_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "twenty", "dozen",
                "several", "a number of"}
STOP_LEFT = {"a", "an", "the", "this", "that", "its", "their", "his", "her", "our", "of", "on",
             "in", "with", "and", "to", "has", "have", "had", "was", "were", "is", "are", "by",
             "for", "from", "at", "as", "new", "appropriate", "such", "formal", "final",
             "said", "which", "process", "whether", "join", "joined", "signed", "sign"}
# "between the two countries on the Avoidance of ...": inside a capitalised title
PAIR_NOUNS = {"countries", "states", "governments", "sides", "parties", "nations"}
TITLE_CONNECTORS = {"on", "for", "between", "of", "in", "to", "from", "and", "the", "with",
                    "&", "concerning", "regarding", "about", "-", "’s", "'s", "(", ")"}
RIGHT_STOP = re.compile(r"\s*(?:[;,.:!?()]|\bbetween the two\b|\bbetween the\b|\bbetween\b|"
                        r"\bsigned\b|\bwas\b|\bwere\b|\bwhich\b|\bthat\b|\bwill\b|\bworth\b|"
                        r"\band (?:a|an|the)\b|\bby\b|\bduring\b|\bwith\b)")
ANAPHORS = {"the", "this", "that"}
ANAPHORIC_ADJECTIVES = {"proposed", "planned", "envisaged", "new", "said", "same", "draft",
                        "bilateral", "future", "pending", "signed", "initialled"}
COMPLEMENT_PREPS = {"on", "for", "of", "concerning", "regarding", "about", "between"}
STATUS_WORDS = {"draft", "proposed", "signed", "initialled", "initialed", "ratified"}
PRECEDENCE = ["in_force", "ratified", "signed", "initialled", "draft", "under_negotiation",
              "proposed"]


@dataclass
class Found:
    kind: str
    title: str
    start: int            # token span of the title
    end: int
    kind_end: int         # token index after the document word
    anaphoric: bool = False
    group: bool = False


def find_agreements(context: Context, events: list[Event], officials=(),
                    people_by_sentence: dict[int, set[int]] | None = None) -> list[Agreement]:
    """The documents the report names; `officials` and `people_by_sentence` (kg.extraction.
    officials) tell the sides of a sentence that names people but no state."""
    sides = {start: [officials[i].state for i in sorted(people) if officials[i].state]
             for start, people in (people_by_sentence or {}).items()}
    if has_parse(context.doc):
        return _find_parsed(context, events, sides)
    return _find_by_rules(context, events)


def _find_by_rules(context: Context, events: list[Event]) -> list[Agreement]:
    """The rule-only path (no parse): cues in windows of text around each document."""
    lex = lexicon.agreements()
    denied = lexicon.polarity().denied
    out: list[Agreement] = []
    by_key: dict[tuple[str, str], Agreement] = {}   # (kind, title key) -> the first such
    lead: Span | None = None              # the sentence that introduces a list
    sentences = context.sentences
    told = _Events(events)
    for number, sentence in enumerate(sentences):
        text = sentence.text.strip()
        if LIST_MARKER.match(text):
            continue                      # a lone "1." before its item
        if denied.search(text.lower()):
            continue                      # "X denied reports that it discussed a pact"
        is_item = _is_item(context, sentences, number)
        if not is_item or _introduces_list(context, sentences, number):
            lead = sentence               # (a numbered paragraph may open a list of its own:
            #                               "8. The two Ministers signed the following:")
        found = _documents(context, sentence, lex, item=is_item)
        if is_item and found and found[0].kind_end - sentence.start <= 5:
            found = [_whole_item(sentence, found[0])]
        elif _introduces_list(context, sentences, number):
            found = [f for f in found if not f.group]
        for i, f in enumerate(found):
            evidence = Evidence(sentence.start_char, sentence.end_char)
            status = _status(context, sentence, found, i, lex,
                             lead if is_item else None)
            if f.anaphoric:
                if out:
                    target = out[-1]
                    context.append_new(target.evidence, evidence)
                    target.status = _stronger(target.status, status)
                continue
            parties = _parties(context, sentence, f, lead if is_item else None, told)
            agreement = Agreement(title=f.title, kind=f.kind, status=status, parties=parties,
                                  evidence=[evidence])
            if status == "signed" or status in ("in_force", "ratified") and \
                    SIGNING.search(sentence.text.lower()):
                agreement.date = _date(context, sentence, told)
                agreement.place = _signing_place(context, sentence, f.end)
            key = (agreement.kind, _key(agreement.title))
            same = by_key.get(key)
            if same is not None:
                same.status = _stronger(same.status, status)
                same.date = same.date or agreement.date
                same.place = same.place or agreement.place
                context.append_new(same.evidence, evidence)
                continue
            out.append(agreement)
            by_key[key] = agreement
    return out


class _Events:
    """The report's events, indexed for what an agreement asks of them (a scan of them all
    for each agreement made long reports quadratic), and the states of the officials each
    sentence names (`sides`: sentence start token -> states)."""

    def __init__(self, events: list[Event], sides: dict[int, list[str]] | None = None):
        self.sides = sides or {}
        self.all, self.dated = events, [e for e in events if e.date]
        self._all_low, self._dated_low = _suffix_minima(self.all), _suffix_minima(self.dated)
        self.last_date: dict[str, str] = {}     # kind -> the date of its last dated event
        for event in self.dated:
            self.last_date[event.kind] = event.date

    def latest_told_by(self, position: int, dated: bool = False) -> Event | None:
        """The last event (of those with a date, if `dated`) with evidence starting at or
        before `position`."""
        events, low = (self.dated, self._dated_low) if dated else (self.all, self._all_low)
        n = bisect_right(low, position)   # low[i] <= position exactly for i < n
        return events[n - 1] if n else None


def _suffix_minima(events: list[Event]) -> list[float]:
    """For each event, the earliest evidence start of it and of all events after it."""
    out: list[float] = [math.inf] * len(events)
    low = math.inf
    for i in range(len(events) - 1, -1, -1):
        low = min(low, min((e.start for e in events[i].evidence), default=math.inf))
        out[i] = low
    return out


# ---------------------------------------------------------------- finding documents

def _documents(context: Context, sentence: Span, lex, item: bool,
               parsed: bool = False) -> list[Found]:
    doc = context.doc
    found: list[Found] = []
    i = sentence.start
    while i < sentence.end:
        hit = _kind_at(doc, i, sentence.end, lex)
        if hit is None:
            if doc[i].lower_ in lex.plurals and _counted(doc, i, sentence.start):
                found.append(Found("agreement", doc[_count_start(doc, i, sentence.start):i + 1]
                                   .text, i, i + 1, i + 1, group=True))
            elif parsed and doc[i].lower_ in lex.plurals and i + 1 < sentence.end and (
                    doc[i + 1].lower_ in SUBJECT_PREPS or doc[i + 1].lower_ == "with" or
                    doc[i + 1].lower_ == "of" and
                    i + 2 < sentence.end and doc[i + 2].lower_ == "understanding"):
                # "agreements on tourism, the environment and trade", "FTAs with Chile and
                # Peru": the listed subjects or partners may make documents of it
                # (_subject_list, _partners); a vague plural stays none
                singular = _singular(doc[i].lower_)
                kind = next((k for w, k in lex.kinds if w == (singular,)), "agreement")
                found.append(Found(kind, doc[i].text, i, i + 1, i + 1))
            i += 1
            continue
        kind, size = hit
        found.append(_title(context, sentence, i, i + size, kind, lex))
        if parsed:
            found[-1] = _before_next_document(doc, found[-1], lex)
        i = max(i + size, found[-1].end)
    return found


def _before_next_document(doc, f: Found, lex) -> Found:
    """A title ends where the next document of a coordination starts: "a treaty on the
    border and 12 cooperation documents"."""
    for k in range(f.kind_end, f.end):
        if doc[k].lower_ in ("and", ",", ";") and any(
                t.lower_ in lex.plurals or _kind_at(doc, t.i, f.end, lex) for t in
                doc[k + 1:min(k + 5, f.end)]):
            end = k
            while end > f.kind_end and doc[end - 1].is_punct:
                end -= 1
            return Found(f.kind, doc[f.start:end].text, f.start, end, f.kind_end, f.anaphoric,
                         f.group)
    return f


@lru_cache(maxsize=4)
def _kinds_by_first(kinds: tuple) -> dict:
    """lex.kinds grouped by their first word, each group in lex.kinds' order (longest first):
    a token is compared with the kinds it can start, not with every kind."""
    out: dict = {}
    for words, kind in kinds:
        out.setdefault(words[0], []).append((words, kind))
    return out


def _kind_at(doc, i: int, limit: int, lex) -> tuple[str, int] | None:
    lowers = lowers_of(doc)
    lower = lowers[i:min(i + 4, limit)]
    first = texts_of(doc)[i]
    if first[:1] in BULLET and len(first) > 1 and first[1:2].isalpha():
        lower[0], first = lower[0][1:], first[1:]     # "-Memorandum": a glued bullet
    for words, kind in _kinds_by_first(lex.kinds).get(lower[0] if lower else None, ()):
        if tuple(lower[:len(words)]) != words:
            continue
        end = i + len(words)
        if end < limit and (lowers[end] in ("s", "es") or lowers[end] in lex.institutions_after):
            return None
        if words[-1] in lex.capitalized_only and len(words) == 1 and not first[0].isupper():
            return None
        if words == ("mou",) and texts_of(doc)[i] == "mou":
            return None
        return kind, len(words)
    return None


def _counted(doc, i: int, floor: int) -> bool:
    for k in range(max(floor, i - 3), i):
        if doc[k].like_num or doc[k].lower_ in NUMBER_WORDS:
            return True
    return False


def _count_start(doc, i: int, floor: int) -> int:
    for k in range(max(floor, i - 3), i):
        if doc[k].like_num or doc[k].lower_ in NUMBER_WORDS:
            return k
    return i


def _title(context: Context, sentence: Span, k0: int, k1: int, kind: str, lex) -> Found:
    doc = context.doc
    capital = doc[k0].text[:1].isupper()
    left = k0
    if capital:
        while left > sentence.start and (doc[left - 1].text[:1].isupper() or
                                          doc[left - 1].text in ("-", "–", "of", "on", "and",
                                                                 "for", "de", "del", "da",
                                                                 "do", "di", "du", "des",
                                                                 "la", "el") and left - 2 >=
                                          sentence.start and doc[left - 2].text[:1].isupper()
                                          and doc[left - 2].lower_ not in ("the", "a", "an")):
            if doc[left - 1].lower_ in ("the", "a", "an", "this") or \
                    context.match_at(left - 1) is not None and context.match_at(
                        left - 1).kind != "organization" and left - 1 == sentence.start:
                break
            left -= 1
        right = k1
        while right < sentence.end:
            token = doc[right]
            if token.text[:1].isupper() or token.like_num:
                right += 1
                continue
            if _place_or_date_follows(context, sentence, right):
                break                         # "… on Energy Security in Vilnius on 6 May"
            if token.lower_ in TITLE_CONNECTORS and right + 1 < sentence.end and (
                    doc[right + 1].text[:1].isupper() or doc[right + 1].text == "(" or
                    doc[right + 1].like_num and token.lower_ != "the" or
                    doc[right + 1].lower_ == "the" and right + 2 < sentence.end and
                    doc[right + 2].text[:1].isupper()):
                right += 1
                continue
            if token.text == ")" and right > k1:
                right += 1
                continue
            if token.text in ("-", "–") and not token.whitespace_ and right + 1 < sentence.end \
                    and doc[right + 1].text[:1].isupper() and doc[right - 1].text[:1].isupper():
                right += 1                    # "on the Kyrgyz-Tajik State Border"
                continue
            if token.lower_ == "between" and right + 6 < sentence.end and \
                    [t.lower_ for t in doc[right + 1:right + 3]] == ["the", "two"] and \
                    doc[right + 3].lower_ in PAIR_NOUNS and \
                    doc[right + 4].lower_ in ("on", "for", "concerning") and (
                        doc[right + 5].text[:1].isupper() or doc[right + 5].lower_ == "the" and
                        doc[right + 6].text[:1].isupper()):
                right += 5                    # "Convention between the two countries on ..."
                continue
            listed = _listed_in_title(context, sentence, right) if token.text == "," else None
            if listed is not None:
                right = listed                # "... of Culture, Education and Science"
                continue
            break
        while right > k1 and doc[right - 1].lower_ in TITLE_CONNECTORS - {")"}:
            right -= 1
    else:
        while left > sentence.start:
            token = doc[left - 1]
            if token.lower_ in STOP_LEFT or not (token.is_alpha or token.text in ("-",)) or \
                    (token.lower_.endswith("ed") and not token.text[:1].isupper()) or \
                    token.lower_ in lex.generic_before:
                break
            left -= 1
        while left < k0 and doc[left].text in ("-", "–"):
            left += 1
        right = k1
        # a complement only where a preposition follows: "agreement on visa exemption"
        if k1 < sentence.end and doc[k1].lower_ in COMPLEMENT_PREPS:
            tail = doc[k1:sentence.end].text
            stop = RIGHT_STOP.search(tail, len(doc[k1].text))
            limit = doc[k1].idx + (len(tail) if stop is None else stop.start())
            while right < sentence.end and doc[right].idx < limit and "\n" not in \
                    doc[right].whitespace_ and not (right > k1 and _kind_at(
                        doc, right, sentence.end, lex) is not None):
                right += 1
            if right < sentence.end and "\n" in doc[right - 1].whitespace_ and \
                    doc[right].idx < limit:
                right = k1                    # a line break inside: keep it short
        while right > k1 and doc[right - 1].lower_ in ("of", "and", "the", "a", "an", "on",
                                                     "for", "to", "in"):
            right -= 1
    before = doc[left - 1].lower_ if left > sentence.start else ""
    words = [t for t in doc[left:right]]
    while words and words[0].lower_ in STATUS_WORDS:
        words = words[1:]
    title = doc[words[0].i:words[-1].i + 1].text if words else doc[k0:k1].text
    if before in lex.generic_before:
        return Found(kind, title, left, right, k1, group=True)
    # "the deal", "this agreement", "the proposed pact" refer back; "the Joint Declaration"
    # is a name
    anaphoric = not capital and right == k1 and (
        before in ANAPHORS and left == k0 or
        left == k0 - 1 and doc[left].lower_ in ANAPHORIC_ADJECTIVES and left - 1 >= 0 and
        doc[left - 1].lower_ in ANAPHORS or
        # an apposition: "the Joint Comprehensive Plan of Action, the nuclear deal …"
        before in ANAPHORS and left - 2 >= sentence.start and doc[left - 2].text == "," and
        doc[left - 3].text[:1].isupper())
    return Found(kind, title.strip(" ‘’'\"“”"), left, right, k1, anaphoric=anaphoric)


def _listed_in_title(context: Context, sentence: Span, comma: int) -> int | None:
    """Where a list of capitalised fields a title runs on with ends: ", Education and
    Science" after "... in the Field of Culture"; None if the comma does not start one.
    Only common words: a state, a person or a place after the comma ends the title."""
    doc = context.doc
    i, words = comma + 1, 0
    while i < sentence.end:
        t = doc[i]
        if t.text[:1].isupper() and t.is_alpha:
            if t.ent_type_ in ("GPE", "PERSON", "NORP", "LOC", "DATE") or \
                    context.match_at(i) is not None:
                return None
            words += 1
            i += 1
            continue
        if words and t.text == ",":
            words = 0
            i += 1
            continue
        if words and t.lower_ == "and" and i + 1 < sentence.end and \
                doc[i + 1].text[:1].isupper():
            end = i + 1
            while end < sentence.end and doc[end].text[:1].isupper() and doc[end].is_alpha:
                if doc[end].ent_type_ in ("GPE", "PERSON", "NORP", "LOC", "DATE") or \
                        context.match_at(end) is not None:
                    return None
                end += 1
            return end
        return None
    return None


WEEKDAYS_MONTHS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                   "january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                   "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _place_or_date_follows(context: Context, sentence: Span, i: int) -> bool:
    """Does a signing's place ("in Vilnius") or date ("on 6 May") start at token i?"""
    doc = context.doc
    if i + 1 >= sentence.end:
        return False
    word, nxt = doc[i].lower_, doc[i + 1]
    if word in ("on", "in", "of") and (nxt.lower_ in WEEKDAYS_MONTHS or nxt.like_num):
        return True
    if word in ("in", "at"):
        match = context.match_at(i + 1)
        if match is not None and match.kind in ("capital", "name"):
            return True
        k = i + 1
        while k < sentence.end and doc[k].text[:1].isupper() and doc[k].is_alpha:
            k += 1
        if k == i + 1 or k >= sentence.end:
            return False
        # "in Vilnius on 6 May", "in Riga last week": a place; "in Criminal Matters." is not
        before_date = doc[k].lower_ in ("on", "last", "this", "earlier", "today",
                                        "yesterday") or doc[k].lower_ in WEEKDAYS_MONTHS
        return before_date or (k == i + 2 and doc[k].text in (",", ".") and
                               doc[i + 1].lower_ not in lexicon.titles().portfolio)
    return False


# what a listed item says of its signing after its title ("..., signed for Estonia by Minister
# X"): not part of the title
ITEM_TAIL = re.compile(
    r",\s+(?:signed|initiall?ed|concluded|countersigned)\s+(?:for|by|on|in|at)\b.*$", re.DOTALL)


def _whole_item(sentence: Span, found: Found) -> Found:
    text = ITEM_START.sub("", sentence.text.strip())
    text = ITEM_TAIL.sub("", text)
    text = re.sub(r"(;\s*(and)?|\band\b|[.,;])\s*$", "", text).strip()
    text = re.sub(r"\s+respectively$", "", text)     # "..., and Z respectively."
    text = re.sub(r"^the\s+", "", text)                # "-- the Agreement on ...;"
    return Found(found.kind, text, sentence.start, sentence.end, found.kind_end)


def _is_item(context: Context, sentences: list[Span], number: int) -> bool:
    """Does the sentence stand in a numbered or bulleted list ("3. MOU on …;")?"""
    sentence = sentences[number]
    if ITEM_START.match(sentence.text):
        return True
    # what stands before it on its line, matched in place: no search or copy of a long line
    # for each of its sentences
    return MARKER_ONLY.fullmatch(context.text, context.line_start(sentence.start_char),
                                 sentence.start_char) is not None


def _introduces_list(context: Context, sentences: list[Span], number: int) -> bool:
    return number + 1 < len(sentences) and _is_item(context, sentences, number + 1) and \
        sentences[number].text.rstrip().endswith(":")


# ---------------------------------------------------------------- attributes

def _status(context: Context, sentence: Span, found: list[Found], i: int, lex,
            lead: Span | None) -> str:
    doc = context.doc
    f = found[i]
    s0 = sentence.start_char
    title_start, title_end = doc[f.start].idx - s0, doc[f.end - 1].idx + len(doc[f.end - 1]) - s0
    text = sentence.text.lower()
    # "… the negotiation and signing of a framework agreement": what stands just before
    near = text[max(0, title_start - 45):title_start]
    if re.search(r"negotiat|conclusion of|signing of|to sign|draft|\bpropos", near):
        status = _best(lex, near)
        if status:
            return status
    prev_end = 0 if i == 0 else doc[found[i - 1].end - 1].idx + len(doc[found[i - 1].end - 1]) - s0
    next_start = len(text) if i + 1 >= len(found) else doc[found[i + 1].start].idx - s0
    window = text[prev_end:title_start] + " " + text[title_end:next_start]
    # the sentence outside the documents' own titles: a stage word inside a name ("Protocol
    # on implementation of the Transport Agreement") is a subject, not this document's stage
    outside = text
    for g in found:
        a, b = doc[g.start].idx - s0, doc[g.end - 1].idx + len(doc[g.end - 1]) - s0
        outside = outside[:a] + " " * (b - a) + outside[b:]
    status = _best(lex, window) or _best(lex, outside) or (
        _best(lex, lead.text.lower()) if lead is not None else None)
    return status or "unknown"


def _best(lex, text: str) -> str | None:
    statuses = set()
    for status, pattern in lex.status:
        for m in pattern.finditer(text):
            if status in ("signed", "ratified", "in_force") and \
                    lex.future.search(text[max(0, m.start() - 30):m.start()]):
                statuses.add("proposed")
            else:
                statuses.add(status)
    for status in PRECEDENCE:
        if status in statuses:
            return status
    return None


def _stronger(a: str, b: str) -> str:
    if a == "unknown":
        return b
    if b == "unknown":
        return a
    return a if PRECEDENCE.index(a) <= PRECEDENCE.index(b) else b


def _parties(context: Context, sentence: Span, f: Found, lead: Span | None,
             events: _Events) -> list[str]:
    """The states in the title ("… between India and China"), else those named before it in
    the sentence ("The Philippines and Vietnam signed …"), else all the sentence names; where
    that is fewer than two, the list's lead, the event of the moment, or the report's pair."""
    doc = context.doc
    mediators = context.mediators

    def usable(states):
        return [x for x in states if x not in mediators]

    parties = usable(context.states_in(doc[f.start:f.end]))
    if len(parties) < 2:
        before = usable(context.states_in(doc[sentence.start:f.start]))
        if len(before) + len(parties) >= 2:
            parties += [x for x in before if x not in parties]
        else:
            # (not a state only talked about: "the discussions focused on ... the situation
            # in Mali")
            topics = _named_only(context, sentence, _a_topic)
            parties += [x for x in usable(context.states_in(sentence))
                        if x not in parties and x not in topics]
    if len(parties) < 2 and lead is not None:
        parties += [x for x in usable(context.states_in(lead)) if x not in parties]
    if len(parties) < 2:
        current = events.latest_told_by(sentence.start_char)
        if current is not None and current.kind == "visit" and any(
                other is not current and other.kind == current.kind and
                other.evidence[:1] == current.evidence[:1] for other in events.all):
            current = None                # one of a tour's visits: not "the" event of the moment
        if current is not None and len(current.participants) >= 2 and \
                set(parties) <= set(current.participants):
            parties = list(current.participants)
    if len(parties) < 2:
        parties += [x for x in context.main_pair if x not in parties][:2 - len(parties)]
    return parties


SIGNING = re.compile(r"\b(signed|inked|concluded|signing)\b")


def _date(context: Context, sentence: Span, events: _Events) -> str | None:
    """The date nearest the word "signed" in the sentence; else the date of the meeting or
    visit it was signed at; else the day the report's lead speaks of."""
    dates = context.dates_in(sentence)
    sign = SIGNING.search(sentence.text.lower())
    if dates:
        if sign is None:
            return dates[0].value
        at = sentence.start_char + sign.start()
        return min(dates, key=lambda d: abs(d.start - at)).value
    lower = sentence.text.lower()
    for kind in ("visit", "meeting", "summit", "negotiation"):
        if re.search(rf"\bduring (the|his|her|their) [\w-]*\s*{kind}", lower) or \
                f"during the {kind}" in lower:
            if kind in events.last_date:
                return events.last_date[kind]
    current = events.latest_told_by(sentence.start_char, dated=True)
    return current.date if current is not None else None


def _signing_place(context: Context, sentence: Span, after: int | None = None) -> str | None:
    doc = context.doc
    if after is not None and _place_or_date_follows(context, sentence, after) and \
            doc[after].lower_ in ("in", "at"):
        k = after + 1
        run = k
        while run < sentence.end and doc[run].text[:1].isupper() and run - k < 4:
            run += 1
        return doc[k:run].text
    for token in sentence:
        if token.lower_ in ("signed", "inked", "concluded", "initialled", "initialed") and \
                token.i + 2 < sentence.end and doc[token.i + 1].lower_ in ("in", "at"):
            k = token.i + 2
            run = k
            while run < sentence.end and doc[run].text[:1].isupper() and run - k < 4:
                run += 1
            if run > k:
                return doc[k:run].text
    return None


def _key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


# ================================================================ with the parse
#
# The same documents are found as above; the parse then decides, for each mention, its
# title's extent (the document word's subtree), whether it is generic ("such a pact", "a treaty
# is the top-level document"), its status (the word that governs it: "signed", "will sign",
# "negotiations on", "backed out of signing"), the date and place of its signing (attached to
# that word, else the list's lead, the event it was signed at, the previous sentence, the
# report's day for "have signed"), and its parties (subject, "with" and title of the signing).
# Mentions are then resolved into documents: a bare "the agreement" refers back, two mentions
# with the same subject ("free-trade agreement", "China-New Zealand FTA") are one document, a
# counted group the report also lists one by one ("four agreements ...") adds nothing.

COUNT_WORDS = {w: n for w, n in lexicon.NUMBER_WORDS.items() if 2 <= n <= 20} | \
    {"dozen": 12, "both": 2}
DONE = ("signed", "initialled", "ratified", "in_force")
# in force, as a document referred to ("under the agreement", "in accordance with the treaty")
# is: any stage the report tells of it is worth more
REFERRED = "in_force (referred to)"
# how sure a date or place is, by where it came from
ATTACHED, NEAR, LEAD, EVENT, GUESS = 5, 4, 3, 2, 1


@dataclass(frozen=True)
class _Words:
    governors: dict
    status_nouns: dict
    future: frozenset
    abandon: frozenset
    modals: frozenset
    not_subject: frozenset
    generic_dets: frozenset
    kind_words: frozenset
    institutions: frozenset
    status_preps: dict
    circumstances: frozenset
    idioms: dict
    non_state: frozenset
    state_bodies: frozenset
    mediating: frozenset = frozenset()
    describing: frozenset = frozenset()
    protocol_offices: frozenset = frozenset()
    truces: frozenset = frozenset()
    appeals: frozenset = frozenset()


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = lexicon.load("agreements.yml")
    kind_words = {w for k in data["kinds"] for w in re.split(r"[\s-]+", k)}
    kind_words |= set(data["plurals"]) | {"mous", "memorandums", "agreements", "fta", "ftas"}
    return _Words(
        governors={k: REFERRED if v == "referred" else v
                   for k, v in data["governors"].items()},
        status_nouns=dict(data["status_nouns"]),
        future=frozenset(data["future_governors"]),
        abandon=frozenset(data["abandon_governors"]), modals=frozenset(data["modals"]),
        not_subject=frozenset(data["not_subject"]),
        generic_dets=frozenset(data["generic_dets"]), kind_words=frozenset(kind_words),
        institutions=frozenset(data["institutions"]),
        status_preps=dict(data["status_preps"]),
        circumstances=frozenset(data["circumstances"]),
        idioms={k: frozenset(v) for k, v in data["idioms"].items()},
        non_state=frozenset(data["non_state_actors"]),
        state_bodies=frozenset(data["state_bodies"]),
        mediating=frozenset(data.get("mediating", ())),
        describing=frozenset(data.get("describing", ())),
        protocol_offices=frozenset(data.get("protocol_offices", ())),
        truces=frozenset(data.get("truces", ())),
        appeals=frozenset(data.get("appeals", ())))


@dataclass
class _Mention:
    found: Found
    number: int                # its sentence
    status: str
    parties: list[str]
    party_rank: int
    date: str | None
    date_rank: int
    place: str | None
    place_rank: int
    evidence: Evidence
    subject: frozenset
    definite: bool             # "the agreement", "this deal", "the Saudi-Iranian deal"
    count: int = 0             # a counted group: how many
    title_line: bool = False   # in a headline-like line (no verb of its own, or the first line)
    list_id: int = -1          # the lead sentence of the list it is an item of
    alias: bool = False        # another name of the document told just before it
    aside: bool = False        # one of a plural told by its partners ("CEPAs with A and B")
    partner: str | None = None  # "the agreement with Egypt": the state its "with" names


@dataclass
class _Doc:
    agreement: Agreement
    subject: frozenset
    number: int
    date_rank: int = 0
    place_rank: int = 0
    party_rank: int = 0
    bare: bool = False         # named only by its kind so far ("the agreement")
    title_line: bool = False
    last: int = 0              # the sentence of its latest mention
    sentences: set = field(default_factory=set)
    lists: set = field(default_factory=set)
    starts: list = field(default_factory=list)    # (sentence, first token) of its mentions
    partner: str | None = None  # the state its "with" named ("the agreement with Egypt")


def _find_parsed(context: Context, events: list[Event],
                 sides: dict[int, list[str]] | None = None) -> list[Agreement]:
    lex, words = lexicon.agreements(), _words()
    denied = lexicon.polarity().denied
    sentences = context.sentences
    told = _Events(events, sides)
    mentions: list[_Mention] = []
    lead: Span | None = None
    labelled_list = False                 # after "The agreements signed included:"
    for number, sentence in enumerate(sentences):
        text = sentence.text.strip()
        if LIST_MARKER.match(text) or denied.search(text.lower()):
            continue
        is_item = _is_item(context, sentences, number)
        # the words naming a state (a city, even a capital, in a firm's name is not one)
        named = frozenset(i for m in context.matches_in(sentence)
                          if m.kind not in ("organization", "capital")
                          for i in range(m.start, m.end))
        label = _label(context, sentence) if labelled_list else None
        if label is None:
            labelled_list = False
        is_item = is_item or label is not None
        if not is_item or _introduces_list(context, sentences, number):
            lead = sentence               # (a numbered paragraph may open a list of its own:
            #                               "8. The two Ministers signed the following:")
            labelled_list = sentence.text.rstrip().endswith(":") and any(
                t.lower_ in lex.plurals for t in sentence)
        found = _documents(context, sentence, lex, item=is_item, parsed=True)
        if is_item and label is None and found and found[0].kind_end - sentence.start <= 5:
            # the item is one document; another named in its title stands of its own only
            # where a word of its own gives it a stage ("MoU on renewing the Mid-Term
            # Program", "Protocol on implementation of the Transport Agreement")
            found = [_whole_item(sentence, found[0])] + [
                g for g in found[1:] if not g.group and g.start >= found[0].kind_end and
                context.doc[g.start].text[:1].isupper() and has_parse(context.doc) and
                _governed(_head(context, g), words)[0] not in (None, "abandoned")]
        elif _introduces_list(context, sentences, number):
            found = [f for f in found if not f.group]
        found = _governed_lowercase(context, sentence, found, lex, words)
        if label is not None:
            found = _labelled(context, sentence, label, found)
        heads = [_head(context, f) for f in found]
        found = [_parsed_title(context, sentence, f, h, lex) if not is_item and not f.group
                 else f for f, h in zip(found, heads)]
        if not is_item:
            found = _cut_at_next(context.doc, found)
        pairs = [(g, h) for f, h in zip(found, heads) for g in _split_joined(f, lex)]
        pairs = _anothers(context, sentence, pairs)
        found = [g for g, _ in pairs]
        for i, (f, head) in enumerate(pairs):
            if f.group and not _count(context, f):
                continue                  # "other agreements", "previous deals": no document
            if not f.group and head is not None and _described(head, words):
                continue                  # "described it as a one-sided deal"
            if not f.group and _generic(head, words, named):
                continue                  # "such a pact", "a treaty is the top-level document"
            if head is not None and label is None and not is_item and not f.group and \
                    not _count(context, f) and (
                    head.tag_ in ("NNS", "NNPS") or head.lower_ in lex.plurals):
                # "signed agreements on tourism, the environment and trade": one document
                # per subject listed. A counted group stays one ("four agreements on A, B,
                # C and D" is mostly the count of documents named one by one elsewhere)
                partners, side = _partners(context, sentence, head)
                if len(partners) >= 2 and side is not None:
                    # "following the CEPAs with India, Indonesia and Turkey": one document
                    # with each partner
                    words_ = [t.text for t in context.doc[f.start:head.i + 1]]
                    words_[-1] = _singular(head.text)
                    one = Found(f.kind, " ".join(words_).replace(" - ", "-"), f.start,
                                head.i + 1, f.kind_end)
                    for state in partners:
                        m = _mention(context, sentences, number, sentence, found, i, one, head,
                                     None, told, lex, words)
                        m.parties, m.party_rank, m.aside = [side, state], 2, True
                        mentions.append(m)
                    continue
                items = _subject_list(context, sentence, f, head)
                if items:
                    for g in items:
                        mentions.append(_mention(context, sentences, number, sentence, found,
                                                 i, g, head, None, told, lex, words))
                    continue
            if not f.group and head is not None and (head.tag_ in ("NNS", "NNPS") or
                                                     head.lower_ in lex.plurals) and \
                    label is None and not _count(context, f):
                continue                  # "memoranda of understanding": a vague plural
            m = _mention(context, sentences, number, sentence, found, i, f, head,
                         lead if is_item else None, told, lex, words)
            if head is not None and m.status not in DONE and \
                    _truce_elsewhere(context, head, m.parties, words):
                continue                  # "agree on the need for a ceasefire in Gaza"
            if i > 0 and not f.group and not pairs[i - 1][0].group and ALIAS.fullmatch(
                    context.doc[pairs[i - 1][0].end:f.start].text.lower().strip()):
                m.alias = True            # "the X, commonly known as the Y"
            if is_item and lead is not None and (label is not None or i == 0):
                m.list_id = lead.start    # not a document named inside an item's title
            mentions.append(m)
    return _resolve(context, mentions, words)


# What stands between two names of one document: "X, commonly known as (the) Y", "X (Y)".
ALIAS = re.compile(r"[,(]?\s*(\b(commonly|also|better|widely|popularly|informally)\s+)?"
                   r"(known|referred to|called|dubbed)\s+as(\s+the)?|[,(]?\s*or(\s+the)?|"
                   r"((with|between)\s+[^,;.()]{1,40}?\s*)?(--|—|–)(\s*the)?")
# (the dash: "a pact with Japan -- the General Security of ... Agreement")

# Verbs by which a group of documents names its members: "the documents signed included ..."
INCLUDING = frozenset({"include", "be", "comprise", "cover", "consist", "involve"})


def _described(head, words) -> bool:
    """Is the document word what something is called ("described it as a one-sided deal",
    "branded the accord a failure" aside), not a document of its own?"""
    prep = head.head
    return head.dep_ == "pobj" and prep.lower_ == "as" and prep.head != prep and \
        _lemma(prep.head) in words.describing


def _cut_at_next(doc, found: list[Found]) -> list[Found]:
    """A title ends where the next document of its sentence starts ("a joint statement on X
    and a Baku declaration on Y"), also one that only a signing verb made a document."""
    out = []
    for f, g in zip(found, found[1:] + [None]):
        if g is not None and f.kind_end < g.start < f.end and not f.group:
            end = g.start
            while end > f.kind_end and (doc[end - 1].is_punct or doc[end - 1].lower_ in (
                    "and", "a", "an", "the", "or")):
                end -= 1
            f = Found(f.kind, doc[f.start:end].text, f.start, end, f.kind_end, f.anaphoric,
                      f.group)
        out.append(f)
    return out


def _lemma(token) -> str:
    """The word's lemma where the pipeline gives one, else (the rules alone: no lemmatizer)
    the first of its plausible stems that our word lists know ("initialled" -> "initial")."""
    if token.lemma_:
        return token.lemma_.lower()
    w = token.lower_ or token.text.lower()
    words = _words()
    verbs = words.governors.keys() | words.abandon | words.future | INCLUDING
    stems = (w, w[:-1], w[:-2], w[:-3] + "y", w[:-1] if w.endswith("es") else "",
             w[:-2] + "e" if w.endswith("ed") else "", w[:-3], w[:-4], w[:-3] + "e")
    # a verb's stem first: "signing" the verb is "sign", the noun is "signing"
    for known in ((verbs, words.status_nouns.keys()) if token.pos_ in ("VERB", "AUX") else
                  (words.status_nouns.keys(), verbs)):
        for stem in stems:
            if stem and stem in known:
                return stem
    return w


def _label(context: Context, sentence: Span) -> Span | None:
    """ "Health and Medicine: An MoU ...": the label of an item in a run-in list."""
    doc = context.doc
    for t in sentence[:8]:
        if t.text == ":":
            label = doc[sentence.start:t.i]
            words = [w for w in label if w.is_alpha]
            if words and all(w.text[:1].isupper() or w.lower_ in ("and", "of", "for", "on")
                             for w in words):
                return label
            return None
    return None


def _labelled(context: Context, sentence: Span, label: Span, found: list[Found]) -> list[Found]:
    """An item of a run-in list is one document: the one it names (called by its label where
    it names only its kind: "Health and Medicine: An MoU was renewed"), else its label
    ("Digital Partnership: ...")."""
    found = [f for f in found if f.start >= label.end]
    if found:
        f = found[0]
        if f.group and not _count(context, f):
            f = Found(f.kind, f.title, f.start, f.end, f.kind_end)   # "an existing MoU"
        parsed = _parsed_title(context, sentence, f, _head(context, f), lexicon.agreements())
        if parsed.end > parsed.kind_end or f.end == f.kind_end:
            f = parsed                    # else its own words: "an agreement between X and Y"
        if f.end == f.kind_end and f.start >= f.kind_end - 2:
            word = context.doc[f.kind_end - 1].text
            f = Found(f.kind, f"{word} on {label.text}", f.start, f.end, f.kind_end)
        return [f]
    return [Found("other", label.text, label.start, label.end, label.end)]


def _governed_lowercase(context: Context, sentence: Span, found: list[Found], lex,
                        words: _Words) -> list[Found]:
    """A document word that names one only with a capital in running text ("protocol",
    "programme") does when a signing governs it: "signed a protocol on customs", "to adopt
    an action program"."""
    taken = {i for f in found for i in range(f.start, f.end)}
    kinds = {w[0]: k for w, k in lex.kinds if len(w) == 1}
    added = []
    for t in sentence:
        if t.i in taken or t.lower_ not in lex.capitalized_only or t.text[:1].isupper() or \
                t.lower_ not in kinds:
            continue
        if t.dep_ in ("dobj", "nsubjpass", "conj") and words.governors.get(_lemma(t.head)) or \
                t.dep_ in ("conj", "appos") and _listed_with_documents(t, taken) or \
                t.dep_ == "pobj" and t.head.head.lower_ in words.status_nouns and \
                _governed(t, words)[0] not in (None, "abandoned", REFERRED):
            # "negotiations for a convention on ...": a stage noun governs it
            added.append(_title(context, sentence, t.i, t.i + 1, kinds[t.lower_], lex))
    return sorted(found + added, key=lambda f: f.start) if added else found


def _listed_with_documents(t, taken: set) -> bool:
    """Does a conjunct stand in a coordination with documents found ("an agreement on
    fisheries, a protocol on customs")? The parse often hangs it on the last word before."""
    k = t
    for _ in range(5):
        if k.head == k or k.dep_ not in ("conj", "pobj", "prep", "appos"):
            return False
        k = k.head
        if k.i in taken:
            return True
    return False


SUBJECT_PREPS = {"on", "for", "concerning", "regarding"}
ITEM_STOPS = {";", ".", ":", "(", ")", "which", "that", "who", "during", "at", "with", "between",
              "signed", "worth", "under", "while", "as", "to", "by"}


def _singular(word: str) -> str:
    """A plural document word in the singular, its case kept: "MoUs" -> "MoU", "treaties" ->
    "treaty", "memoranda" -> "memorandum"."""
    lower = word.lower()
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith("da"):
        return word[:-1] + "um"
    return word[:-1] if lower.endswith("s") else word


def _partners(context: Context, sentence: Span, head) -> tuple[list[str], str | None]:
    """The states of a plural document's "with" list ("FTAs with Chile, Peru and Japan"),
    a conjunct the parser hung elsewhere in its phrase included ("with India, which ..., Indonesia
    and Turkey"), and the one state of the sentence beside them (the other side of each)."""
    withs = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "with"]
    if not withs or not (head.text[:-1].isupper() or any(
            c.dep_ in ("compound", "amod") for c in head.children)):
        return [], None                   # "agreements with A and B": a vague plural
    start = withs[0].i
    partners = []
    for t in head.subtree:
        if t.i <= start or not (t.dep_ == "conj" or t.dep_ == "pobj" and t.head.i == start):
            continue
        m = context.match_at(t.i)
        if m is not None and m.as_state and m.kind != "organization" and \
                m.key not in partners:
            partners.append(m.key)
    others = {m.key for m in context.matches_in(sentence)
              if m.as_state and m.kind != "organization" and m.key not in partners}
    return partners, (next(iter(others)) if len(others) == 1 else None)


def _subject_list(context: Context, sentence: Span, f: Found, head) -> list[Found]:
    """"agreements on tourism, the environment and trade", "three agreements, on tourism,
    fisheries and energy": one document per subject, titled with the singular document word
    ("agreement on tourism"). Nothing unless at least two subjects are listed."""
    doc = context.doc
    k = head.i + 1
    while k < sentence.end and k < f.kind_end + 3 and doc[k].lower_ in ("of", "understanding"):
        k += 1                                # "memorandums of understanding on ..."
    if k < sentence.end and doc[k].text == ",":
        k += 1
    if k >= sentence.end or doc[k].lower_ not in SUBJECT_PREPS or \
            _place_or_date_follows(context, sentence, k):
        return []
    prep = doc[k]
    items, current, j = [], [], k + 1
    while j < sentence.end:
        t = doc[j]
        if t.lower_ in ITEM_STOPS or t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" or \
                t.lower_ in ("on", "in") and _place_or_date_follows(context, sentence, j):
            break
        if t.text == "," or t.lower_ in ("and", "or") or \
                t.lower_ == "as" and j + 1 < sentence.end and doc[j + 1].lower_ == "well":
            if current:
                items.append(current)
            current = []
            j += 3 if t.lower_ == "as" else 1  # "as well as"
            continue
        current.append(t)
        j += 1
    if current:
        items.append(current)
    items = [x for x in items if any(t.is_alpha and not t.is_stop for t in x)]
    if len(items) < 2 or all(len(x) == 1 and x[0].pos_ == "ADJ" for x in items[:-1]):
        return []                             # "on legal, scientific and technical
        #                                       cooperation": one subject, shared head
    words = [t.text for t in doc[head.i:k] if t.text != ","]
    words[0] = _singular(head.text)
    kind_words = " ".join(words)
    # "cooperation in tourism and in agriculture": an item that starts with a preposition
    # takes the first item's words before its own preposition
    first = items[0]
    out = []
    for item in items:
        text = " ".join(t.text for t in item).replace(" - ", "-")
        if item[0].pos_ == "ADP" and item is not first:
            lead = next((n for n, t in enumerate(first) if t.lower_ == item[0].lower_), None)
            if lead is not None:
                text = " ".join(t.text for t in first[:lead]) + " " + text
        out.append(Found(f.kind, f"{kind_words} {prep.text} {text}", item[0].i, item[-1].i + 1,
                         f.kind_end))
    return out


def _anothers(context: Context, sentence: Span, pairs: list) -> list:
    """"signed an MoU on health, and another on tourism": a second document of the same kind
    and head, on the subject after "another" (and the first one's title without it)."""
    doc = context.doc
    out = list(pairs)
    for t in sentence:
        if t.lower_ != "another" or t.i + 1 >= sentence.end or \
                doc[t.i + 1].lower_ not in ("on", "for", "in"):
            continue
        before = [(i, f, h) for i, (f, h) in enumerate(out)
                  if not f.group and f.start < t.i and f.title]
        if not before:
            continue
        i, f, head = before[-1]
        named = re.match(r"^(.+?) (on|for|in) ", f.title)
        if not named or f" {doc[t.i + 1].lower_} " not in f" {f.title} ":
            continue
        prep = doc[t.i + 1]
        end = max(x.i for x in prep.subtree) + 1
        first = re.sub(r",?\s+and another\b.*$", "", f.title)
        out[i] = (Found(f.kind, first, f.start, min(f.end, t.i), f.kind_end, f.anaphoric),
                  head)
        out.append((Found(f.kind, f"{named.group(1)} {doc[prep.i:end].text}", t.i, end,
                          f.kind_end), head))
    return out


ANOTHER = re.compile(r"^(?P<head>.+?) (?P<prep>on|for|in) (?P<first>.+?),? and another "
                     r"(?P<prep2>on|for|in) (?P<second>.+)$")


def _split_joined(f: Found, lex) -> list[Found]:
    """"Protocol on A;Protocol on B" in one token, "an MoU on A, and another on B" as one
    title (a list item; _anothers reads the running sentence): two documents of one kind."""
    another = ANOTHER.match(f.title) if not f.group else None
    if another:
        head = another["head"]
        return [Found(f.kind, f"{head} {another['prep']} {another['first']}", f.start, f.end,
                      f.kind_end),
                Found(f.kind, f"{head} {another['prep2']} {another['second']}", f.start, f.end,
                      f.kind_end)]
    if f.group or ";" not in f.title:
        return [f]
    out = []
    for part in (p.strip(" []") for p in f.title.split(";")):
        lower = tuple(part.lower().split()[:4])
        kind = next((k for w, k in lex.kinds if lower[:len(w)] == w), None)
        if part and kind:
            out.append(Found(kind, part, f.start, f.end, f.kind_end))
    return out or [f]


def _head(context: Context, f: Found):
    """The document word of a mention: its last kind word, or the kind word that one hangs
    on ("memorandum of understanding": "memorandum", "exchange of notes": "exchange")."""
    doc = context.doc
    token = doc[f.kind_end - 1]
    while token.dep_ in ("pobj", "prep") and f.kind_end - 4 <= token.head.i < token.i and \
            token.head.i >= f.start and token.head.lower_ in _words().kind_words | {"of"}:
        token = token.head
    return token


def _parsed_title(context: Context, sentence: Span, f: Found, head, lex) -> Found:
    """The title a document word's subtree gives: "treaty on allied relations" (not "...
    following their talks"), "China-New Zealand free trade agreement", "agreement to promote
    and protect investments"."""
    doc = context.doc
    if head is None:
        return f
    # "MoU on health": a capitalised document word with a complement in lower case
    nxt = doc[f.kind_end] if f.kind_end < sentence.end else None
    capital = doc[f.kind_end - 1].text[:1].isupper() and not _title_case(sentence) and not (
        f.end == f.kind_end and nxt is not None and (
            nxt.lower_ in COMPLEMENT_PREPS and (
                nxt.head.i == head.i or not _place_or_date_follows(context, sentence, nxt.i)) or
            nxt.lower_ == "to" and nxt.head.head.i == head.i or
            nxt.dep_ == "acl" and nxt.tag_ == "VBG" and nxt.head.i == head.i))
    left, right = f.start, f.end
    sub = [t for t in head.subtree]
    lo, hi = sub[0].i, sub[-1].i + 1
    if not capital:
        # left: the modifiers in the subtree, without determiners and possessives
        k = head.i
        while k - 1 >= max(lo, sentence.start):
            t = doc[k - 1]
            if t.dep_ in ("det", "poss", "predet", "case", "nummod") and not _year(t) or \
                    t.lower_ in STATUS_WORDS or t.text in (",", "(", '"', "“") or \
                    _lemma(t) in _words().governors and t.lower_ != _lemma(t) or \
                    t.lower_ in _words().generic_dets:
                break
            if not t.i < t.head.i <= head.i:
                break                     # not a modifier of the phrase to its right
            k -= 1
        left = k
        # right: a complement in the subtree: "on ...", "for ...", "to promote ..."; the
        # parse often hangs "on ..." on the verb ("signed a treaty on the border")
        r = f.kind_end
        nxt = doc[r] if r < sentence.end else None
        if nxt is not None and nxt.lower_ in COMPLEMENT_PREPS and nxt.head.i != head.i and \
                nxt.i >= hi and not _place_or_date_follows(context, sentence, r) and not any(
                    o.lower_ in _words().circumstances for o in nxt.children):
            hi = max(hi, max(t.i for t in nxt.subtree) + 1)
        while r < min(hi, sentence.end):
            t = doc[r]
            if t.text in (",", ";", ":", "(", ")") or t.dep_ == "relcl" or \
                    _in_relative_clause(t, head) or \
                    t.dep_ == "cc" and t.head.i == head.i or \
                    t.dep_ == "acl" and t.tag_ == "VBN" or \
                    t.dep_ == "acl" and r + 1 < sentence.end and doc[r + 1].lower_ == "that" or \
                    _place_or_date_follows(context, sentence, r) or \
                    t.dep_ == "conj" and _kind_at(doc, r, sentence.end, lex) or \
                    t.lower_ in ("signed", "which", "that", "who", "worth", "by") or \
                    t.dep_ == "prep" and t.lower_ in TIME_PREPS:
                break                     # "... on shipping | during the visit"
            if t.lower_ == "with" and t.head.i == head.i:
                # "the treaty with Belgium on the correction of ...": past its party
                after = max(x.i for x in t.subtree) + 1
                if after < sentence.end and doc[after].head.i in (head.i, head.head.i) and \
                        doc[after].lower_ in COMPLEMENT_PREPS - {"between"} and \
                        not _place_or_date_follows(context, sentence, after) and not any(
                            o.lower_ in _words().circumstances for o in doc[after].children):
                    hi = max(hi, max(x.i for x in doc[after].subtree) + 1)
                    r = after
                    continue
                break
            if t.head.i == head.i and t.dep_ == "prep" and t.lower_ not in \
                    COMPLEMENT_PREPS | {"to"}:
                break
            r += 1
        right = r
        for t in doc[f.kind_end:right]:
            # "the first trade agreement between China and a developed economy": no parties
            if t.lower_ == "between" and t.head.i == head.i and \
                    len(context.states_in(doc[t.i:right])) < 2:
                right = t.i
                break
        while right > f.kind_end and doc[right - 1].lower_ in ("of", "and", "the", "a", "an",
                                                              "on", "for", "to", "in", "-"):
            right -= 1
    else:
        if left > sentence.start and _year(doc[left - 1]):
            left -= 1                     # "the 2009 Turkey-Armenia Protocol"
        right = min(f.end, max(hi, f.kind_end)) if hi > f.kind_end else f.end
        if right < f.end and doc[right].lower_ in COMPLEMENT_PREPS - {"between"} and \
                not _place_or_date_follows(context, sentence, right):
            right = f.end            # "Treaty between A and B on the State Border", the
            #                          parse hanging "on ..." on the verb
        for c in head.children:      # "the Association Agreement with the EU": its parties
            if c.dep_ == "prep" and c.lower_ == "with" and f.kind_end <= c.i < right:
                right = c.i
    if left >= right:
        return f
    words = list(doc[left:right])
    while words and words[0].lower_ in STATUS_WORDS:
        words = words[1:]
    if not words:
        return f
    title = doc[words[0].i:words[-1].i + 1].text.strip(" ‘’'\"“”\n–-")
    # "the treaty with Belgium on ...": a complement makes it a name, not a reference back
    anaphoric = f.anaphoric and right <= f.kind_end
    return _before_next_document(doc, Found(f.kind, title, left, right, f.kind_end,
                                            anaphoric, f.group), lex)


def _in_relative_clause(t, head) -> bool:
    """Does the word stand in a relative clause on the document ("the treaty he is expected
    to sign": "he" opens it, before its verb)?"""
    k = t
    for _ in range(6):
        if k == head or k.head == k:
            return False
        if k.dep_ == "relcl" and k.head == head:
            return True
        k = k.head
    return False


def _title_case(sentence: Span) -> bool:
    """A headline in title case ("Presidents To Sign Breakthrough Treaty"): its capitals say
    nothing of where a name starts."""
    words = [t for t in sentence if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and all(t.text[:1].isupper() for t in words)


def _year(token) -> bool:
    return token.like_num and re.fullmatch(r"(1[89]|20)\d\d", token.text) is not None


def _generic(head, words: _Words, states: frozenset = frozenset()) -> bool:
    """'such a pact', 'any agreement', 'a treaty on X is the top-level document that ...'.
    `states`: the indexes of the words that name a state in the sentence."""
    if head is None:
        return False
    if head.pos_ in ("VERB", "AUX"):
        return True                        # "agreed to deal with the crisis"
    if head.dep_ == "pobj" and head.head.lower_ in ("in", "without") and not any(
            c.dep_ in ("det", "poss") for c in head.children) and not head.text[:1].isupper():
        return True                        # "in (full) accord on", "in agreement with",
        #                                    "ended without agreement on the agenda"
    if head.dep_ == "compound" and head.head.i > head.i and \
            head.head.lower_ in words.institutions:
        return True                        # "the Convention Centre", "Treaty Organization"
    if _protocol_office(head, words):
        return True                        # "Chief of the Royal Protocol"
    if any(c.dep_ == "prep" and c.lower_ == "of" and any(
            o.dep_ == "pobj" and o.lower_ in ("kind", "type", "sort") for o in c.children)
            for c in head.children):
        return True                        # "the fourth agreement of its kind": a count of
        #                                    documents, the one meant is named elsewhere
    for c in head.children:
        # "the peace accord with northern armed groups": not between states
        if c.dep_ == "prep" and c.lower_ == "with" and any(
                o.dep_ == "pobj" and o.tag_ == "NNS" and not o.ent_type_ for o in c.children):
            return True
    # "an MoU between Keppel Offshore and PEMEX", "the signing of an MoU between the
    # Ethiopian and Kenyan Chambers of Commerce": firms' or associations' document
    holders = [head] + ([head.head.head] if head.dep_ == "pobj" and head.head.lower_ == "of"
                        else [])
    for c in (c for h in holders for c in h.children):
        if c.dep_ == "prep" and c.lower_ == "between":
            sides = [o for o in c.children if o.dep_ == "pobj"]
            # a coordinated adjective ("the Ethiopian and Kenyan Chambers") only qualifies
            # the noun after it
            sides = [o for o in sides + [k for o in sides for k in o.conjuncts]
                     if o.pos_ != "ADJ"]
            if sides and all(_not_a_state_body(o, words, states) for o in sides):
                return True
    dets = [c for c in head.children if c.dep_ in ("det", "predet", "amod")]
    if any(c.lower_ in words.generic_dets for c in dets):
        return True
    if any(c.lower_ in words.idioms.get(head.lower_, ()) for c in dets):
        return True                        # "a great deal of progress"
    verbs = [head.head] if head.dep_ in ("dobj", "nsubjpass") else []
    verbs += [c for c in head.children if c.dep_ == "acl"]   # "the accord concluded by ..."
    for verb in verbs:
        # "a telecom company signed a contract with a Chinese firm", "the agreement concluded
        # by the country's political forces": not between states
        actors = [c for c in verb.children if c.dep_ in ("nsubj", "agent")] + [
            o for c in list(verb.children) + list(head.children)
            if c.dep_ in ("prep", "agent") and c.lower_ in ("with", "by")
            for o in c.children if o.dep_ == "pobj"]
        if any(a.lower_ in words.non_state for a in actors):
            return True
    if any(c.lower_ in ("a", "an") for c in dets) and head.dep_ == "nsubj" and \
            head.head.lower_ in ("is", "are", "was", "be") and any(c.dep_ == "attr" for c in head.head.children):
        return True                        # a definition, not a document
    return False


def _truce_elsewhere(context: Context, head, parties: list[str], words: _Words) -> bool:
    """A ceasefire in a place none of its parties names ("a ceasefire in Gaza"), or appealed
    for in a sentence that names such a place ("With regard to the Middle East, A and B agree
    on the need to achieve an immediate ceasefire ... into the Gaza Strip"): others' fighting,
    no document of the states named. (The caller checks it is not told as agreed; a ceasefire
    the fighting sides call for is their proposed one.)"""
    if _lemma(head) not in words.truces:
        return False

    def elsewhere(t) -> bool:
        if t.ent_type_ not in ("GPE", "LOC") and context.match_at(t.i) is None:
            return False
        m = context.match_at(t.i)
        return m is None or m.key not in parties

    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "across", "throughout"):
            if any(o.dep_ == "pobj" and elsewhere(o) for o in c.children):
                return True
    appealed = any(_lemma(t) in words.appeals for t in list(head.ancestors)[:3])
    return appealed and any(elsewhere(t) for t in head.sent)


def _protocol_office(head, words: _Words) -> bool:
    """'Protocol' naming a government's office of ceremonies, not a document: "Chief of (the
    Royal) Protocol", "the Director of State Protocol", "the Protocol Department". Read from
    the words around it: the parser takes such names apart in many ways."""
    if head.lower_ == "of":                    # (the head found may be "of" itself)
        head = next((o for o in head.children if o.lower_ == "protocol"), head)
    if head.lower_ != "protocol":
        return False
    doc = head.doc
    before = doc.text[max(0, head.idx - 60):head.idx].lower()
    after = doc[head.i + 1].lower_ if head.i + 1 < len(doc) else ""
    return bool(_office_of(words.protocol_offices).search(before)) or \
        after in words.protocol_offices           # "the Protocol Department"


@lru_cache(maxsize=1)
def _office_of(offices: frozenset) -> re.Pattern:
    """The words before 'Protocol' that make it an office: "Chief of the Royal "."""
    return re.compile(rf"\b({'|'.join(sorted(offices))})( general)? of (the )?"
                      rf"((state|royal|presidential|diplomatic|\w+ ministry's) )?$")


def _not_a_state_body(word, words: _Words, states: frozenset) -> bool:
    """A side of a "between" phrase that is a firm or an association: a word of the non-state
    list, or a named organisation with no state and nothing of a state's in its name."""
    if word.lower_ in words.non_state:
        return True
    if word.pos_ != "PROPN":
        return False
    return not any(t.i in states or t.lower_ in words.state_bodies or t.ent_type_ == "GPE"
                   for t in word.subtree)


def _count(context: Context, f: Found) -> int:
    for t in context.doc[max(f.start - 3, 0):f.end]:
        if t.lower_ in COUNT_WORDS:
            return COUNT_WORDS[t.lower_]
        if t.like_num and t.text.isdigit() and not _year(t):
            return int(t.text)
    return 0


# ---------------------------------------------------------------- one mention

# words that make a document one of three states
THREE_WAY = ("tripartite", "trilateral", "three-way")


def _mention(context, sentences, number, sentence, found, i, f, head, lead, told, lex,
             words) -> _Mention:
    status, verb, local = _governed(head, words) if head is not None else (None, None, False)
    if status is None:
        if local:   # the document's own verb says nothing of its status: look only near it
            status = _window_status(context, sentence, found, i, lex) or "unknown"
        else:
            status = _status(context, sentence, found, i, lex, lead)
    elif status == "abandoned":
        status = "unknown"
    if status == "unknown" and lead is not None:
        status = _lead_status(lead, lex, words)
    parties, party_rank = _parsed_parties(context, sentence, f, head, verb, lead, told)
    if any(t.lower_ in THREE_WAY for t in context.doc[max(f.start - 2, 0):f.kind_end]):
        # "the tripartite Treaty on the Junction Point" of the three states the sentence
        # names ("the borders of Cambodia, Laos and Vietnam")
        named = list(dict.fromkeys(m.key for m in context.matches_in(sentence)
                                   if m.kind != "organization"))
        if len(named) == 3 and set(parties) <= set(named):
            parties = named
    date, date_rank, place, place_rank = None, 0, None, 0
    if status not in ("proposed", "under_negotiation", "draft"):
        date, date_rank = _parsed_date(context, sentences, number, sentence, f, head, verb,
                                       lead, told, status)
        if status in DONE or _own_signing(head, f) is not None:   # or recalled with it
            place, place_rank = _parsed_place(context, sentence, f, head, verb, lead, told,
                                              status)
        if place is None and status == "signed" and number <= 2 and date and \
                len(date) == 10 and context.report_date and \
                _within_days(date, context.report_date, 3):
            # signed in the report's lead, its day the report's, with no word of where: where
            # the report is filed from, as the lead's meeting is (events.py)
            place = getattr(context.report, "dateline_place", None)
            place_rank = GUESS if place else 0
    definite = _definite(context, f, head)
    subject = _subject(context, f, words)
    partner = _with_partner(context, head) if not subject and not f.group else None
    if partner is not None and not (set(parties) - {partner}) & {
            m.key for m in context.matches_in(sentence) if m.as_state}:
        # "The agreement with Egypt, signed in Cairo in 2003": the report's own state and
        # Egypt, where the sentence names no other side
        side = next((s for s in (context.outlet_state, context.home_state,
                                 context.other_of_pair(partner)) if s and s != partner), None)
        if side is not None:
            parties, party_rank = [side, partner], max(party_rank, 2)
    return _Mention(f, number, status, parties, party_rank, date, date_rank, place, place_rank,
                    Evidence(sentence.start_char, sentence.end_char),
                    subject, definite,
                    count=_count(context, f) if f.group else 0,
                    title_line=number == 0 or not sentence.text.rstrip()[-1:] in ".!?\"”",
                    partner=partner)


def _with_partner(context: Context, head) -> str | None:
    """The one state a singular document word's "with" phrase names ("the agreement with
    Egypt"), else None."""
    if head is None or head.tag_ in ("NNS", "NNPS"):
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "with":
            nouns = [c for c in prep.children if c.dep_ == "pobj"]
            if len(nouns) == 1 and not nouns[0].conjuncts:
                m = context.match_at(nouns[0].i)
                if m is not None and m.as_state and m.kind in ("name", "demonym"):
                    return m.key
    return None


def _lead_status(lead: Span, lex, words: _Words) -> str:
    """What the lead of a list says of its items: "The agreements exchanged included:"."""
    for t in lead:
        if t.lower_ in lex.plurals or t.lower_ in words.kind_words:
            status = _governed(t, words)[0]
            if status is not None and status != "abandoned":
                return status
    return _best(lex, lead.text.lower()) or "unknown"


def _definite(context: Context, f: Found, head) -> bool:
    if f.anaphoric:
        return True
    if head is None:
        return False
    for c in head.children:
        if c.i < head.i and (c.dep_ == "poss" or c.lower_ in ("the", "this", "that", "these",
                                                               "those", "its", "their")):
            return True
    # "the last of three agreements": a part of documents told already
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in (
            "last", "first", "one", "both", "all", "each", "second", "third", "either"):
        return True
    return False


def _subject(context: Context, f: Found, words: _Words) -> frozenset:
    """What a title says the document is about: its words, less kind words, parties and
    modifiers that name no subject."""
    doc = context.doc
    places = {w.lower() for m in context.matches_in(doc[f.start:f.end])
              for w in re.split(r"[\W_]+", m.span.text) if w}
    out = set()
    # a hyphenated modifier is one word ("wide-ranging") before its parts are
    whole = [w.strip(".,;:()\"'“”‘’") for w in f.title.lower().split()]
    for w in re.split(r"[^\w]+", " ".join(w for w in whole if w not in words.not_subject)):
        if not w or w.isdigit() or w in words.not_subject or w in words.kind_words or \
                w in places or w in ("s", "understanding", "intent", "notes", "letters"):
            continue
        out.add(w)
    return frozenset(out)


def _governed(head, words: _Words):
    """The status the word governing a document gives it, with that word: (status, verb,
    local). `local` is True where the document's own predicate says nothing ("the deal
    sidelines ...", "this follows an agreement ..."), so that no other word of the sentence
    is taken for it."""
    own = _own_status(head, words)
    if own is not None and own[1] is not None and own[0] in DONE:
        # "has ratified the treaty, which they signed last year": the further stage of the
        # two, dated by the signing
        other = _governor_walk(head, words)
        if other[0] in DONE and _stronger(own[0], other[0]) != own[0]:
            return other[0], own[1], False
        return own
    if own is not None:
        return own
    return _governor_walk(head, words)


def _governor_walk(head, words: _Words):
    t = head
    crossed = False          # a verb of another clause lies between: "agreed to work towards"
    for _ in range(12):
        up = t.head
        if up == t:
            return None, None, False
        lemma = _lemma(up)
        if up.pos_ == "ADP" and t == head and up.lower_ in words.status_preps:
            return REFERRED, None, False
        if up.pos_ == "ADP" and up.lower_ in words.future:
            return "proposed", None, False         # "towards a trade deal"
        if up.pos_ in ("VERB", "AUX") or up.tag_ in ("VBG", "VBN"):
            status = words.governors.get(lemma)
            if status == REFERRED:
                return REFERRED, None, False        # "reaffirmed the 2009 Exchange of Letters"
            if status is not None:
                if crossed and status in DONE:
                    return None, up, True
                return _modality(up, status, words), up, False
            if lemma in words.abandon:
                return "abandoned", up, False
            if lemma in words.future and lemma != "agree":
                return "proposed", up, False       # "calls for a ceasefire", "urged a deal"
            if lemma == "be" and t.dep_ in ("nsubj", "nsubjpass"):
                # "two accords were also to be signed": the signing under "be to" is to come
                for c in up.children:
                    status = words.governors.get(_lemma(c))
                    if c.dep_ == "xcomp" and status and status != REFERRED and any(
                            a.lower_ == "to" for a in c.children):
                        return _modality(c, status, words), c, False
            if t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and \
                    _is_document_chain(t, head):
                # "the documents signed during the visit included an agreement on ...": the
                # status of the documents it is one of
                if lemma in INCLUDING:
                    for s in up.children:
                        if s.dep_ in ("nsubj", "nsubjpass") and s != t and \
                                s.lower_ in words.kind_words:
                            found = _governed(s, words)
                            if found[0] is not None:
                                return found
                        if s.dep_ in ("nsubj", "nsubjpass") and s != t and \
                                s.lower_ in ("these", "they", "those"):
                            # "... witnessed the signing of several documents. These
                            # included ...": the documents of the sentence before
                            found = _antecedent_status(s, words)
                            if found is not None:
                                return found
                    # "The following is the Joint Declaration ..., as issued after the meeting"
                    for c in up.children:
                        status = words.governors.get(_lemma(c))
                        if c.dep_ == "advcl" and status and any(
                                m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
                            return _modality(c, status, words), c, False
                return None, up, True
            # a clause of a document's own ("an agreement to promote and protect ...") is
            # part of it; any other verb stands between the document and a later signing
            if not _clause_of_document(up, words) and up.dep_ != "prep":
                crossed = True            # ("including", "following" are prepositions)
        elif up.pos_ in ("NOUN", "PROPN"):
            status = words.status_nouns.get(up.lower_) or words.status_nouns.get(lemma)
            if status is not None:
                if up.lower_ in ("accordance", "compliance"):
                    return REFERRED, None, False   # "will act in accordance with the treaty"
                return _modality(up, status, words), up, False
            if up.lower_ in words.kind_words and t.dep_ in ("conj", "appos"):
                # "the documents signed ..., an agreement on ...": what the group is
                own = _own_status(up, words)
                if own is not None:
                    return own
        t = up
    return None, None, False


def _antecedent_status(pronoun, words: _Words):
    """The status of the documents a sentence-initial "These" or "They" stands for: a plural
    document word of the sentence before, or a signing noun there ("the signing of several
    documents")."""
    start = pronoun.sent.start
    if start == 0 or pronoun.i - start > 1:
        return None
    before = pronoun.doc[start - 1].sent
    for t in before:
        if t.tag_ in ("NNS", "NNPS") and t.lower_ in words.kind_words:
            found = _governed(t, words)
            if found[0] is not None and found[0] != "abandoned":
                return found
    return None


def _clause_of_document(verb, words: _Words) -> bool:
    k = verb
    for _ in range(4):
        if k.dep_ in ("acl", "relcl") and k.head.lower_ in words.kind_words:
            return True
        if k.dep_ not in ("conj", "xcomp") or k.head == k:
            return False
        k = k.head
    return False


def _own_status(head, words: _Words):
    """What a document's own modifiers say: "draft treaty", "the proposed pact", "an
    agreement signed on ..."."""
    for c in head.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.i < head.i and c.lower_ in (
                "draft", "proposed", "planned", "envisaged", "future"):
            return ("draft" if c.lower_ == "draft" else "proposed"), None, False
    # "the treaty on the free movement of persons, which they signed in 2019": the parse
    # may hang the clause on the title's last word; a signing clause is the document's
    clauses = [c for c in head.children if c.dep_ in ("acl", "relcl")] + [
        c for t in head.subtree if t != head and t.i > head.i for c in t.children
        if c.dep_ in ("relcl", "acl") and c.tag_ in ("VBN", "VBD") and
        words.governors.get(_lemma(c))]
    for c in clauses:
        # "an agreement signed in May", "which they signed"; not "a statement reaffirming ..."
        if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX") and \
                not (c.dep_ == "acl" and c.tag_ == "VBG") and not _said_within(c):
            status = words.governors.get(_lemma(c))
            if status is not None:
                return _modality(c, status, words), c, False
            if c.dep_ == "relcl" and re.search(r"\b(in|into) force\b", " ".join(
                    t.lower_ for t in c.subtree)):
                return "in_force", None, False    # "..., which has been in force since 2023"
    return None


def _said_within(clause) -> bool:
    """A relative clause of what the document holds ("a communiqué, in which they reaffirmed
    ...", "under which China will provide"): its verb is not done to the document."""
    return any(c.dep_ == "prep" and any(g.dep_ == "pobj" and g.lower_ in ("which", "whom")
                                        for g in c.children) for c in clause.children)


def _held_within(t, head) -> bool:
    """Is t inside such a clause of `head` (what the document holds, not its signing)?"""
    while t != head and t.head != t:
        if t.dep_ == "relcl" and _said_within(t):
            return True
        t = t.head
    return False


def _is_document_chain(t, head) -> bool:
    """Is t the document, or a document it stands in coordination or apposition with?"""
    k = head
    for _ in range(8):
        if k == t:
            return True
        if k.dep_ not in ("conj", "appos") or k.head == k or \
                k.head.lower_ not in _words().kind_words:
            return False
        k = k.head
    return False


def _modality(word, status: str, words: _Words) -> str:
    """A signing to come ("will sign", "plans to sign", "ready for signing", "if they sign")
    is a proposal; one denied ("did not sign") or taken back ("backed out of signing") tells
    nothing. The walk goes up through verbs, adjectives and prepositions only: "the agreement
    signed in May will help" is signed, whatever the clause around the document says."""
    if status not in DONE:
        return status
    if any(c.dep_ == "neg" for c in word.children):
        return "abandoned"
    t = word
    for step in range(5):
        children = list(t.children)
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in words.modals for c in children) or \
                any(c.dep_ == "aux" and c.lower_ == "to" for c in children) or \
                any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "once") for c in children):
            return "proposed"
        if t != word and (_lemma(t) in words.future or t.lower_ in words.future):
            return "proposed"
        if t != word and _lemma(t) in words.abandon:
            return "abandoned"
        if t.lower_ == "for" and t.dep_ == "prep" and t.head.pos_ == "NOUN" and \
                word.tag_ == "VBG":
            return "proposed"   # "the way for signing", "preparations for signing" it
        up = t.head
        if up == t or t.pos_ in ("NOUN", "PROPN") and (t != word or t.dep_ not in (
                "pobj", "compound", "conj", "dobj")):
            break                           # "the implementation of X was discussed"
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("xcomp", "pcomp", "advcl", "conj",
                                                        "ccomp") and t != word:
            break
        if t == word and t.tag_ == "VBG" and t.dep_ == "acl" and up.dep_ == "pobj":
            t = up.head                     # "would depend on both countries signing it":
            continue                        # the gerund's subject is the preposition's object
        if t == word and t.pos_ == "VERB" and t.dep_ in ("acl", "relcl", "ROOT"):
            break                           # its own clause: the modality is on it
        t = up
    return status


def _window_status(context: Context, sentence: Span, found: list[Found], i: int, lex):
    doc = context.doc
    f = found[i]
    s0 = sentence.start_char
    text = sentence.text.lower()
    title_start = doc[f.start].idx - s0
    title_end = doc[f.end - 1].idx + len(doc[f.end - 1]) - s0
    prev_end = 0 if i == 0 else doc[found[i - 1].end - 1].idx + len(doc[found[i - 1].end - 1]) - s0
    next_start = len(text) if i + 1 >= len(found) else doc[found[i + 1].start].idx - s0
    return _best(lex, text[max(prev_end, title_start - 30):title_start] + " " +
                 text[title_end:min(next_start, title_end + 30)])


# ---------------------------------------------------------------- parties, date, place

def _located(context: Context, token) -> bool:
    """Is the token part of a place ("in Zurich, Switzerland", "at the summit in Brussels")?"""
    t = token
    for _ in range(4):
        if t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "near", "from", "to"):
            return True
        if t.dep_ in ("appos", "conj", "compound", "npadvmod") and t.head != t and \
                t.head.ent_type_ in ("GPE", "LOC", "FAC"):
            t = t.head
            continue
        if t.dep_ == "compound" or t.dep_ == "poss" and t.head.ent_type_ in ("GPE", "LOC"):
            t = t.head
            continue
        return False
    return False


def _both_of_pair(verb) -> bool:
    """Is the signing's subject the report's two states told as a group ("both countries",
    "the two sides"), as its subject or, for a gerund after a noun ("on both countries
    signing"), that noun? Not a described two ("the two Gulf neighbours"): which two that
    is, the report's pair or another, the words do not tell."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        subjects.append(verb.head)
    # the group nouns relations.py reads as the report's pair (kg/data/relations.yml)
    pair_nouns = relation_words().group_nouns
    return any(n.lower_ in pair_nouns and any(c.lower_ in ("both", "two") for c in n.children)
               and not any(c.dep_ in ("amod", "compound") for c in n.children)
               for n in subjects)


def _parsed_parties(context: Context, sentence: Span, f: Found, head, verb, lead, told):
    """The states in the title ("between India and China", "Saudi-Iranian"), those that sign
    (the subject of the signing) and those it is signed with; else, as without the parse,
    the sentence, the list's lead, the event of the moment, the report's pair."""
    doc = context.doc
    mediators = context.mediators

    def states(tokens):
        out = []
        for t in tokens:
            m = context.match_at(t.i)
            if m is None or m.kind == "organization" or not m.as_state or m.key in mediators \
                    or m.key in out:
                continue
            if m.kind in ("name", "capital") and _located(context, doc[m.span.end - 1]):
                continue
            out.append(m.key)
        return out

    # a capital in a title names where it was signed ("the Paris Agreement"), not a party
    parties = [x for x in states(doc[f.start:f.end]) if not any(
        m.key == x and m.kind == "capital" and m.start < f.kind_end
        for m in context.matches_in(doc[f.start:f.end]))]
    brokers: set = set()
    if verb is not None and verb.pos_ in ("VERB", "AUX") and \
            _lemma(verb) in _words().mediating:
        # "a ceasefire brokered by Algeria with the support of the US": no parties
        for c in verb.children:
            if c.dep_ in ("nsubj", "agent") or c.dep_ == "prep" and c.lower_ in ("with", "by"):
                brokers.update(states(c.subtree))
        parties = [x for x in parties if x not in brokers]
    elif verb is not None and verb.pos_ in ("VERB", "AUX"):
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass", "agent") or c.dep_ == "prep" and \
                    c.lower_ in ("with", "between", "by"):
                parties += [x for x in states(c.subtree) if x not in parties]
    if head is not None:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "between") and c.i >= f.end:
                parties += [x for x in states(c.subtree) if x not in parties]
    if len(parties) >= 2:
        return parties, 2
    people = [x for x in dict.fromkeys(told.sides.get(sentence.start, ()))
              if x not in mediators and x not in brokers]
    if len(people) == 2 and set(parties) <= set(people) and \
            set(states(sentence)) <= set(people):
        # "Speaking to Ambassador Prado, President Enkhtaivan welcomed the agreement on visa
        # exemption": the sides of the people the sentence names, where it names no other
        return people, 1
    named = [x for x in states(sentence) if x not in brokers and not any(
        m.key == x and m.kind == "capital" for m in context.matches_in(doc[f.start:f.end]))]
    if not parties and len(named) == 2 and verb is not None and _both_of_pair(verb):
        return named, 2                    # "relations between A and B ..., during which the
        #                                    two countries signed a memorandum"
    pair = [x for x in context.main_pair if x not in mediators]
    if verb is not None and len(pair) == 2 and set(parties) <= set(pair) and \
            _both_of_pair(verb):
        return pair, 2                     # "both countries signing the treaty"
    # "the Paris Agreement", "the Minsk accords": a capital naming a document is a place
    title_places = {m.key for m in context.matches_in(doc[f.start:f.end])
                    if m.kind == "capital" and m.start < f.kind_end}
    title_places -= {m.key for m in context.matches_in(sentence)
                     if not f.start <= m.start < f.end}
    in_sentence = [x for x in states(sentence) if x not in parties and x not in title_places
                   and x not in brokers]
    pair = [x for x in context.main_pair if x not in mediators]
    if len(parties) + len(in_sentence) > 2 and len(pair) == 2 and set(pair) <= \
            set(parties) | set(in_sentence):
        return pair, 1                     # more states than parties: the report's pair
    old = _parties(context, sentence, f, lead, told)
    old = [x for x in old if (x in parties or x in in_sentence or x not in states(sentence))
           and x not in title_places and x not in brokers]
    if brokers and len(old or parties) < 2 and len(pair) == 2 and not set(pair) & brokers:
        return pair, 1                     # brokered between others: the report's pair
    return (old or parties), 1


# the occasions a document is signed at, named by a noun ("the visit ..., during which")
OCCASIONS = {"visit", "meeting", "talks", "summit", "session", "trip", "tour", "ceremony"}


def _occasion(signing):
    """The occasion a signing clause opens on ("the visit ..., during which they signed"):
    the noun "which" stands for, the last occasion word before the clause; None where the
    clause opens on no "during/at which"."""
    if not any(c.dep_ == "prep" and c.lower_ in ("during", "at", "in") and
               any(o.lower_ == "which" for o in c.children) for c in signing.children):
        return None
    start = signing.left_edge.i
    return next((t for t in reversed(signing.doc[signing.sent.start:start])
                 if t.lemma_ in OCCASIONS), None)


RELATIVE_DAYS = ("today", "yesterday", "tonight")


def _attached(context: Context, token, verb, f: Found) -> bool:
    """Does a date or place token hang on the signing word (or on the document itself)?"""
    if token.lower_ in RELATIVE_DAYS and token.i < verb.i and \
            token.head.dep_ in ("nsubj", "nsubjpass", "conj") and verb.i in (
                token.head.head.i, token.head.head.head.i):
        return True               # "Malaysia and Argentina today signed": the parser may hang
        #                           "today" on the subject
    t = token
    linked = {verb.i} | {c.i for c in verb.children if c.dep_ == "conj"} | (
        {verb.head.i} if verb.dep_ == "conj" else set())
    for _ in range(8):
        if t.i in linked or f.start <= t.i < f.end:
            return True
        if t.head == t:
            return False
        if t.pos_ in ("VERB", "AUX") and t != token and not (
                t.dep_ == "acl" and f.start <= t.head.i < f.end):
            return False          # (but "documents covering trade ... on Tuesday" is theirs)
        if t.pos_ in ("NOUN", "PROPN") and t != token and t.ent_type_ != "DATE":
            return False          # "the move last month": the date of something else
        t = t.head
    return False


def _parsed_date(context, sentences, number, sentence, f, head, verb, lead, told, status):
    doc = context.doc
    signing = verb if verb is not None and (_lemma(verb) in _words().governors or
                                            verb.lower_ in _words().status_nouns) else None
    ratified_only = status in ("ratified", "in_force") and signing is not None and \
        _words().governors.get(_lemma(signing)) in ("ratified", "in_force")
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    dates = [d for d in context.dates_in(sentence) if d.start >= dateline_end]
    signs = status == "signed" or status in DONE and signing is not None and \
        _words().governors.get(_lemma(signing)) == "signed"
    own = _own_signing(head, f)
    if own is not None and (signing is None or signing.i != own.i):
        # "the Treaty of Friendship signed in Apia on 1 August 1962", recalled: the
        # document's own signing tells its date, whatever the sentence does with it
        for d in dates:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and _attached(context, span.root, own, f):
                return d.value, ATTACHED
    if not ratified_only and signs:
        for d in dates:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if signing is not None and _attached(context, root, signing, f) or \
                    signing is None and head is not None and _attached(context, root, head, f):
                return d.value, ATTACHED
    occasion = _occasion(signing) if signs and signing is not None else None
    if occasion is not None:
        # "the visit of the minister to Riyadh in May, during which the two countries signed
        # a memorandum": the occasion's day, told outside the clause
        clause = range(signing.left_edge.i, signing.right_edge.i + 1)
        for d in dates:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and span.root.i not in clause and \
                    occasion.left_edge.i <= span.root.i <= occasion.right_edge.i:
                return d.value, ATTACHED
    # "the Geneva Agreement dated 17 February 1966"
    end_char = doc[f.end - 1].idx + len(doc[f.end - 1])
    for d in dates:
        if 0 <= d.start - end_char <= 12 and re.match(r"\W*(dated|of)\b",
                                                      context.text[end_char:d.start]):
            return d.value, ATTACHED
    # "the 2009 ... Protocol"
    for t in doc[f.start:min(f.kind_end, f.end)]:   # not "programme for 2024-2026"
        if _year(t) and status not in ("proposed", "under_negotiation", "draft"):
            return t.text, NEAR
    if ratified_only or status != "signed":
        return None, 0                    # the date is the signing's, not the initialling's
    if lead is not None:
        lead_dates = context.dates_in(lead)
        if lead_dates:
            return lead_dates[0].value, LEAD
    event = _event_of(context, sentence, signing or head, told, head) or (
        _event_of(context, lead, lead.root, told) if lead is not None else None)
    # an event dated by a date the parse gives to another clause of this sentence ("during
    # the visit ... since the move last month") does not date the signing either
    elsewhere = {d.value for d in dates if signing is not None and _in_other_clause(
        context, d, signing)}
    if event is not None and event.date and event.date not in elsewhere:
        return event.date, EVENT
    if len(dates) == 1 and signing is not None and not _in_other_clause(context, dates[0],
                                                                          signing):
        return dates[0].value, NEAR
    if number > 0:
        before = {d.value for d in context.dates_in(sentences[number - 1])}
        if len(before) == 1:
            return before.pop(), GUESS
    if signing is not None and (any(c.lower_ in ("have", "has", "'ve") for c in
                                    signing.children) or signing.tag_ in ("VBZ", "VBP")):
        return context.report_date, GUESS      # "have signed", "sign" in a headline: news
    current = told.latest_told_by(sentence.start_char, dated=True)
    if current is not None and current.kind in OCCASIONS:
        return current.date, GUESS
    return None, 0


def _in_other_clause(context, d, signing) -> bool:
    span = context.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return True
    t = span.root
    for _ in range(8):
        if t == signing:
            return False
        if t.head == t:
            return True
        if t.pos_ == "VERB" and t != span.root or t.lower_ in (
                "since", "after", "before", "following", "until", "ahead", "than"):
            return True           # "signed ... since the move last month"
        t = t.head
    return True


# Prepositions of the circumstances of a signing, which no title runs into.
TIME_PREPS = {"during", "following", "after", "before", "since", "amid", "until", "ahead",
              "at", "within", "throughout"}
# The events at which documents are signed.
OCCASIONS = ("meeting", "visit", "summit", "negotiation", "reception")
EVENT_NOUNS = {"visit": ("visit",), "trip": ("visit",), "tour": ("visit",),
               "talks": ("meeting", "negotiation"), "meeting": ("meeting",),
               "summit": ("summit",), "forum": ("summit",), "conference": ("summit",),
               "session": ("meeting", "summit"), "ceremony": ("reception",),
               "negotiations": ("negotiation",), "consultations": ("meeting",)}


def _event_of(context: Context, sentence: Span, word, told: _Events, phrase=None):
    """The event during which a document was signed: "during the visit", "following their
    talks", "at the summit" (the report's events, as events.py found them)."""
    if word is None:
        return None
    # the event may be told in the next sentence ("... after an emergency meeting. On
    # Thursday, in Argyle, the presidents held discussions ...")
    doc = sentence.doc
    limit = doc[sentence.end].sent.end_char if sentence.end < len(doc) else sentence.end_char
    near = list(word.children) + ([word.head] if word.head != word else [])
    first = word
    while first.dep_ == "conj" and first.head != first:
        first = first.head                    # "... of an agreement and an exchange of letters"
    if first.dep_ == "pobj" and first.head.lower_ == "of" and \
            first.head.head.lower_ in _words().status_nouns:
        first = first.head.head               # "the signing of an agreement"
    if first.head != first and first.head.pos_ in ("VERB", "AUX") and first.dep_ == "dobj":
        # "after the talks, the ministers attended the signing of ...": the verb whose
        # object the signing is tells when
        near += [c for c in first.head.children if c.i != first.i]
    if phrase is not None:        # the parse may hang "during the visit" on the title
        near += [t for t in phrase.subtree if t.dep_ == "prep" and not _held_within(t, phrase)]
    for c in near:
        if c.dep_ != "prep" or c.lower_ not in ("during", "at", "following", "after", "on",
                                                "in", "amid", "within", "ahead"):
            continue
        for noun in c.subtree:
            kinds = EVENT_NOUNS.get(noun.lower_)
            if not kinds:
                continue
            candidates = [e for e in told.all if e.kind in kinds and any(
                ev.start <= limit for ev in e.evidence)]
            if candidates:
                # the one whose telling shares a word of the phrase ("following the
                # commission's meeting": the commission's session, not the call on the
                # premier the day before), then the last told, preferring one that says
                # when and where
                named = {t.lower_ for t in noun.subtree if t.i != noun.i and t.is_alpha
                         and not t.is_stop and len(t) > 3}
                # ("at the end of the Session": the event told as a session, not the
                # meeting planned since)
                # ... and, for a bare "the Session", the latest one held by the report's day
                # over an earlier one recalled ("reviewed the decisions of the Fourth
                # Session, held in 2012")
                today = "" if named else context.report_date or ""
                return max(enumerate(candidates), key=lambda ie: (
                    context.tells(ie[1].evidence, named, sentence.start_char),
                    noun.lower_ in (ie[1].trigger or "").lower(),
                    (ie[1].date or "") if (ie[1].date or "") <= today else "",
                    bool(ie[1].date) + bool(ie[1].place), ie[0]))[1]
    return None


def _own_signing(head, f: Found):
    """The participle of signing that hangs on the document itself ("the treaty signed in
    Apia in 1962", "the accord, concluded in Tokyo"), if any."""
    if head is None:
        return None
    doc = head.doc
    for c in head.children:
        if c.dep_ == "acl" and c.tag_ == "VBN" and c.i >= f.end and \
                _words().governors.get(_lemma(c)) == "signed":
            return c
    # straight after the title, wherever the parser hangs it (it often takes a participle
    # after "of Friendship" for a past verb of an earlier noun): "... Friendship signed in",
    # "..., signed in", "(signed in"
    k = f.end
    while k < len(doc) and k - f.end < 2 and doc[k].text in (",", "("):
        k += 1
    if k < len(doc) and doc[k].tag_ in ("VBN", "VBD") and \
            _words().governors.get(_lemma(doc[k])) == "signed" and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in doc[k].children):
        return doc[k]
    return None


def _parsed_place(context, sentence, f, head, verb, lead, told, status=None):
    word = verb if verb is not None else head
    own = _own_signing(head, f)
    if own is not None and (word is None or word.i != own.i):
        place = _place_under(context, own, None)
        if place:
            return place, ATTACHED            # "the treaty signed in Apia in 1962"
    if word is not None:
        place = _place_under(context, word, f)
        if place:
            return place, ATTACHED
        # "In Hanoi, the presidents witnessed the exchange of four documents: ...": the
        # clause the signing word belongs to says where
        for up in list(word.ancestors)[:3]:
            place = _place_under(context, up, None) if up.pos_ in ("VERB", "AUX") else None
            if place:
                return place, ATTACHED
    if lead is not None:
        root = lead.root
        place = _place_under(context, root, None)
        if place:
            return place, LEAD
    event = _event_of(context, sentence, word, told, head) or (
        _event_of(context, lead, lead.root, told) if lead is not None else None)
    if event is not None and event.place:
        return event.place, EVENT
    # signed with no word of where: where the occasion being told takes place (the visit,
    # the talks), as the date falls back to its day. Not for a document only said to be in
    # force ("reviewed the implementation of the MoU"): it was not signed at this occasion.
    if status == "in_force":
        return None, 0
    current = told.latest_told_by(sentence.start_char)
    if current is not None and current.kind in OCCASIONS and current.place:
        return current.place, GUESS
    return None, 0


def _place_under(context: Context, word, f: Found | None) -> str | None:
    """ "signed ... in Brussels", "at the summit in Brussels", "In Zurich, ... signed"."""
    doc = context.doc
    queue = [c for c in word.children if c.dep_ == "prep" and c.lower_ in ("in", "at",
                                                                         "during")]
    if f is not None:     # "the Memorandum on Energy Security in Vilnius": after the title
        queue += [c for t in context.doc[f.start:f.end] for c in t.children
                  if c.dep_ == "prep" and c.lower_ in ("in", "at") and c.i >= f.end]
    seen = 0
    while queue and seen < 12:
        prep = queue.pop(0)
        seen += 1
        # "in the Algerian capital, Algiers": the place may stand in apposition
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        objects += [a for o in objects for a in o.children if a.dep_ == "appos"]
        for obj in objects:
            if f is not None and f.start <= obj.i < f.end:
                continue
            m = context.match_at(obj.i)
            if obj.ent_type_ in ("GPE", "LOC", "FAC") or m is not None and m.kind in (
                    "capital", "name"):
                if obj.ent_type_ in ("GPE", "LOC", "FAC"):
                    ent = entity_at(doc, obj.i)
                    if ent is not None:
                        return ent.text
                if m is not None:
                    return m.span.text
                return obj.text
            if obj.ent_type_ == "DATE" or obj.like_num:
                continue
            queue += [c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("in", "at")]
    return None


# ---------------------------------------------------------------- mentions into documents

def _same_subject(a: frozenset, b: frozenset, title_a: str, title_b: str) -> bool:
    if a and b:
        # one names all the other does ("trade agreement", "free-trade agreement"); a share
        # of words is not enough ("Programme for Cultural Exchanges", "... for Educational
        # Cooperation and Exchanges" are two)
        if a <= b or b <= a:
            return True
    return _acronym(title_a, title_b) or _acronym(title_b, title_a)


def _acronym(short: str, long: str) -> bool:
    """ "CEPA" for "Comprehensive and Enhanced Partnership Agreement", "FTA" for "free
    trade agreement", "DCA" in "the DCA"."""
    for w in re.findall(r"\b[A-Z]{2,6}s?\b", short):
        w = w.rstrip("s") if len(w) > 2 and w.endswith("s") else w
        parts = [p for p in re.split(r"[\s-]+", long) if p and p.lower() not in
                 ("and", "of", "on", "the", "for", "in", "between", "a", "an")]
        initials = "".join(p[0].upper() for p in parts if p[0].isalpha())
        if len(w) >= 2 and w in initials:
            return True
    return False


def _resolve(context: Context, mentions: list[_Mention], words: _Words) -> list[Agreement]:
    docs: list[_Doc] = []
    asides: list[_Doc] = []
    groups: list[_Mention] = []

    def merge(target: _Doc, m: _Mention):
        a = target.agreement
        target.last = max(target.last, m.number)
        if not m.found.group:
            target.sentences.add(m.number)
            target.starts.append((m.number, m.found.start))
            if m.list_id >= 0:
                target.lists.add(m.list_id)
        context.append_new(a.evidence, m.evidence)
        a.status = _merged_status(a.status, m.status)
        if m.date and m.date_rank > target.date_rank:
            a.date, target.date_rank = m.date, m.date_rank
        if m.place and m.place_rank > target.place_rank:
            a.place, target.place_rank = m.place, m.place_rank
        if m.party_rank > target.party_rank and len(m.parties) >= 2 and \
                not (not m.subject and target.subject and len(a.parties) >= 2):
            # (not a bare "the agreement" that a third state welcomed, over the named
            # document's parties)
            a.parties, target.party_rank = list(m.parties), m.party_rank
        if target.subject and m.subject > target.subject and not m.found.group:
            a.title, target.subject = m.found.title, m.subject    # the fuller name
        if target.bare and m.subject:
            a.title, a.kind, target.subject, target.bare = m.found.title, m.found.kind, \
                m.subject, False

    def new(m: _Mention) -> _Doc:
        a = Agreement(title=m.found.title, kind=m.found.kind, status=m.status,
                      parties=list(m.parties), date=m.date, place=m.place,
                      evidence=[m.evidence])
        d = _Doc(a, m.subject, m.number, m.date_rank, m.place_rank, m.party_rank,
                 bare=not m.subject, title_line=m.title_line, last=m.number,
                 sentences={m.number}, lists={m.list_id} - {-1},
                 starts=[(m.number, m.found.start)], partner=m.partner)
        docs.append(d)
        return d

    for m in mentions:
        f = m.found
        if m.aside:
            new(m)
            asides.append(docs.pop())     # no later mention is one of these
            continue
        if m.alias and docs:
            # one document named two ways: later mentions may use either name; the first
            # name stays its title
            title, kind = docs[-1].agreement.title, docs[-1].agreement.kind
            merge(docs[-1], m)
            if not title[:1].isupper() and f.title[:1].isupper():
                title, kind = f.title, f.kind       # a proper name after a description
            docs[-1].agreement.title, docs[-1].agreement.kind = title, kind
            docs[-1].bare = False
            docs[-1].subject = docs[-1].subject | m.subject
            continue
        if f.group:
            if m.definite:
                # "the two agreements": the last documents told
                if m.count and len(docs) >= m.count:
                    for d in docs[-m.count:]:
                        merge(d, _without_parties(m))
                continue
            groups.append(m)
            continue
        if not m.subject:
            indefinite = not m.definite and not f.anaphoric and any(
                t.lower_ in ("a", "an") for t in context.doc[max(0, f.start - 1):f.start + 1])
            # a bare name ("the Joint Declaration") is one of its kind; no document refers
            # to another of its own sentence, but for an apposition
            named = context.doc[f.kind_end - 1].text[:1].isupper()
            earlier = [d for d in docs if not indefinite and _compatible(d, m) and
                       (f.anaphoric or m.number not in d.sentences) and
                       (not named or d.agreement.kind == f.kind) and
                       m.list_id not in d.lists and
                       # "the agreement with Egypt ... The agreement with Israel": two
                       (m.partner is None or d.partner == m.partner or
                        d.partner is None and m.partner in d.agreement.parties)]
            if any(t.lower_ == "following" for t in context.doc[f.start:f.kind_end]):
                # "issued the following joint statement:" tells the text that comes next: the
                # document a heading line named, or a new one, never one told before
                earlier = [d for d in docs if d.title_line and _compatible(d, m) and
                           _family(d.agreement.kind) == _family(f.kind)]
                if not earlier:
                    new(m)
                    continue
            if indefinite:
                # "a treaty" told in the body after the headline's bare "Treaty": the same one
                earlier = [d for d in docs if d.title_line and d.bare and
                           m.number not in d.sentences and
                           _family(d.agreement.kind) == _family(f.kind) and _compatible(d, m)]
            if earlier:
                # the document told last; "the 2007 agreement": the one of that year
                year = next((t.text for t in context.doc[f.start:f.end] if _year(t)), None)
                if year:      # "the 2009 Exchange of Letters" is not a document of another year
                    earlier = [d for d in earlier if (d.agreement.date or "")[:4] == year]
                # "the treaty" after a treaty and a pact: the one called by the same word
                word = context.doc[f.kind_end - 1].lower_
                same_word = [d for d in earlier if word in
                             re.split(r"[^\w]+", d.agreement.title.lower())]
                if same_word:
                    earlier = same_word
                if earlier:
                    merge(max(earlier, key=lambda d: d.last), m)
                    continue
            if f.anaphoric and m.status not in DONE:
                continue              # "the deal", with nothing told before it
            new(m)
            continue
        same = next((d for d in docs if d.subject and m.number not in d.sentences and
                     m.list_id not in d.lists and _compatible(d, m) and _same_subject(
            d.subject, m.subject, d.agreement.title, f.title) and
                     not _years_apart(context, d, m)), None)
        if same is not None:
            merge(same, m)
            continue
        # a bare mention in a headline-like first line names the document told next
        # and a definite name ("the friendship treaty") the bare document told before ("a
        # wide-ranging treaty") in an earlier sentence
        ahead = next((d for d in docs if d.bare and (d.title_line or m.definite and
                                                     m.number not in d.sentences and
                                                     m.list_id not in d.lists) and
                      _family(d.agreement.kind) == _family(f.kind) and _compatible(d, m)), None)
        if ahead is not None:
            merge(ahead, m)
            ahead.agreement.title, ahead.agreement.kind = f.title, f.kind
            ahead.subject, ahead.bare = m.subject, False
            continue
        new(m)

    singles = [d for d in docs]
    for g in groups:
        in_sentence = [d for d in singles if g.number in d.sentences]
        after_list = len(in_sentence) >= 2 and all(
            k < g.found.start for d in in_sentence for n, k in d.starts if n == g.number)
        if after_list or g.count and len(
                [d for d in singles if d.agreement.status not in ("proposed",)]) >= g.count:
            # told one by one (or counted after the list: "..., eight agreements in all"): the
            # group adds nothing but what it says of them; "16 agreements, including an MoU
            # on ..." stays a group beside the documents it names
            listed = Counter(d.number for d in singles)
            targets = sorted(singles, key=lambda d: (not d.lists, listed[d.number] < 2,
                                                     d.number < g.number,
                                                     abs(d.number - g.number)))
            for d in targets[:g.count or len(in_sentence)]:
                if d.agreement.status == g.status or d.agreement.status == "unknown":
                    merge(d, _without_parties(g))
            continue
        new(g)
    docs += asides
    today = str(context.report_date) if context.report_date else None
    for d in docs:
        if d.agreement.status == REFERRED:
            d.agreement.status = "in_force"
        date = d.agreement.date
        if d.agreement.status == "unknown" and date and today and date < today[:len(date)]:
            # "the 1951 Mutual Defense Treaty": a document with a day of its own before the
            # report's was signed then (its date is its signing's)
            d.agreement.status = "signed"
    return [d.agreement for d in docs]


def _merged_status(a: str, b: str) -> str:
    """Two mentions of one document: the furthest stage reached wins (gold-format.md: the
    stage the report shows; a stage to come does not undo one reached); that a document is
    referred to as in force ("under the agreement") gives way to any stage told of it."""
    if a == REFERRED:
        return a if b == "unknown" else b
    if b == REFERRED:
        return b if a == "unknown" else a
    return _stronger(a, b)


def _without_parties(m: _Mention) -> _Mention:
    return _Mention(m.found, m.number, m.status, [], 0, m.date, m.date_rank, m.place,
                    m.place_rank, m.evidence, frozenset(), m.definite, m.count)


def _years_apart(context: Context, d: _Doc, m: _Mention) -> bool:
    """Is one of the two, called by another kind word, told as signed in an earlier year and
    the other as yet to be signed ("the Boundary Treaty signed in 1961", "an agreement on the
    boundary pillars expected to be signed during the visit")? Then they are two documents,
    whatever words they share."""
    if d.agreement.kind == m.found.kind:
        return False                          # (the border treaty signed in 2014 and still
        #                                       to be ratified: one)
    year = (context.report_date or "")[:4]
    pending = ("proposed", "draft", "under_negotiation")
    told = [(d.agreement.status, d.agreement.date), (m.status, m.date)]
    return any(status in DONE and date and year and date[:4] < year and
               other_status in pending
               for (status, date), (other_status, _) in (told, told[::-1]))


def _family(kind: str) -> str:
    return "agreement" if kind in ("agreement", "treaty") else kind


def _compatible(d: _Doc, m: _Mention) -> bool:
    """Could the two be one document? Not when each names its two parties and they differ."""
    a = set(d.agreement.parties)
    b = set(m.parties)
    if len(a) >= 2 and len(b) >= 2 and d.party_rank >= 2 and m.party_rank >= 2:
        return a == b
    return not a or not b or bool(a & b)
