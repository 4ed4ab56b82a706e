"""Agreements: documents between states, signed, negotiated or proposed.

A document word from kg/data/agreements.yml ("Joint Declaration", "memorandum of
understanding", "pact") marks an agreement; its title is the capitalised name around it
("Joint Declaration on Principles … between India and China") or, in running text, the noun
phrase ("bilateral free trade agreement", "agreement on visa exemption for …"). Items of a
numbered or bulleted list are one agreement each. The status comes from the cues next to it
("signed", "initialled", "negotiations on a draft …"; a signing to come is a proposal), the
parties from the states of its sentence (else the pair the report is about). "The deal" and
"the agreement" refer back; "the agreements reached" and other vague plurals are none.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Span

from kg.extraction import lexicon
from kg.extraction.context import Context
from kg.facts import Agreement, Event, Evidence

LIST_MARKER = re.compile(r"^\s*(\(?\d{1,2}[.)]|[-•*–]|\(?[a-z][.)])\s*$")
ITEM_START = re.compile(r"^\s*(\(?\d{1,2}[.)]|[-•*–]|\(?[a-z][.)])\s+")
# LIST_MARKER for fullmatch() on a part of the text, which copies nothing
MARKER_ONLY = re.compile(r"\s*(\(?\d{1,2}[.)]|[-•*–]|\(?[a-z][.)])\s*")
NUMBER_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "twenty", "dozen",
                "several", "a number of"}
STOP_LEFT = {"a", "an", "the", "this", "that", "its", "their", "his", "her", "our", "of", "on",
             "in", "with", "and", "to", "has", "have", "had", "was", "were", "is", "are", "by",
             "for", "from", "at", "as", "new", "appropriate", "such", "formal", "final",
             "said", "which", "process", "whether", "join", "joined", "signed", "sign"}
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


def find_agreements(context: Context, events: list[Event]) -> list[Agreement]:
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
        if not is_item:
            lead = sentence
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
    for each agreement made long reports quadratic)."""

    def __init__(self, events: list[Event]):
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

def _documents(context: Context, sentence: Span, lex, item: bool) -> list[Found]:
    doc = context.doc
    found: list[Found] = []
    i = sentence.start
    while i < sentence.end:
        hit = _kind_at(doc, i, sentence.end, lex)
        if hit is None:
            if doc[i].lower_ in lex.plurals and _counted(doc, i, sentence.start):
                found.append(Found("agreement", doc[_count_start(doc, i, sentence.start):i + 1]
                                   .text, i, i + 1, i + 1, group=True))
            i += 1
            continue
        kind, size = hit
        found.append(_title(context, sentence, i, i + size, kind, lex))
        i = max(i + size, found[-1].end)
    return found


def _kind_at(doc, i: int, limit: int, lex) -> tuple[str, int] | None:
    lower = [t.lower_ for t in doc[i:min(i + 4, limit)]]
    for words, kind in lex.kinds:
        if tuple(lower[:len(words)]) != words:
            continue
        end = i + len(words)
        if end < limit and doc[end].lower_ in ("s", "es"):
            return None
        if words[-1] in lex.capitalized_only and len(words) == 1 and not doc[i].text[0].isupper():
            return None
        if words == ("mou",) and doc[i].text == "mou":
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
                                                                 "for") and left - 2 >=
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


def _whole_item(sentence: Span, found: Found) -> Found:
    text = ITEM_START.sub("", sentence.text.strip())
    text = re.sub(r"(;\s*(and)?|\band\b|[.,;])\s*$", "", text).strip()
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
    status = _best(lex, window) or _best(lex, text) or (
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
            parties += [x for x in usable(context.states_in(sentence)) if x not in parties]
    if len(parties) < 2 and lead is not None:
        parties += [x for x in usable(context.states_in(lead)) if x not in parties]
    if len(parties) < 2:
        current = events.latest_told_by(sentence.start_char)
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
