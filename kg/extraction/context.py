"""What every extractor needs to know about one report: its parsed text, its sentences, the
states it names and in what capacity, its dates, and which states it is mainly about."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import urlparse

from spacy.tokens import Doc, Span

from kg import gazetteer
from kg.facts import Evidence
from kg.extraction import lexicon
from kg.extraction.pipeline import nlp

# A capital preceded by one of these is a place, not a government ("signed in Washington").
LOCATIVE = {"in", "at", "to", "from", "near", "into", "via", "outside", "inside", "across",
            "around", "through", "toward", "towards", "within", "of", "between", "visiting",
            "visit", "arrived", "reached", "left", "leaving", "landed"}
# what stands between two members of one list of states ("A, B and the C")
LIST_JOINT = re.compile(r"\s*(,|,? and|,? or|,? as well as)\s+(the )?", re.I)
HOSTED_BY = re.compile(r"\b(hosted|convened|organi[sz]ed) by (the )?$|\bas (the )?hosts? ?$")

# Country-code top-level domains that outlets use without being from that country.
GENERIC_CCTLDS = {"io", "co", "tv", "me", "ly", "ai", "fm", "am", "to", "cc", "ws", "la", "is",
                  "im", "gg", "sh", "so", "st", "vc", "ms"}


@dataclass
class StateSpan:
    """A gazetteer match: a state named, or an organization."""
    span: Span
    kind: str          # name, demonym, capital, metonym, organization
    key: str           # ISO3, or the organization's canonical name
    as_state: bool     # does it refer to the state (not only a place)?

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


@dataclass
class Context:
    report: object                      # kg.reports.Report
    doc: Doc
    sentences: list[Span]
    matches: list[StateSpan]
    title_doc: Doc | None = None
    _by_token: dict[int, StateSpan] = field(default_factory=dict)
    # spaCy rebuilds Doc.text from its tokens at each call: read the report's text from here
    text: str = ""
    _match_starts: list[int] = field(default_factory=list)
    _held: dict[int, list] = field(default_factory=dict)   # id(list) -> [list, set, length]

    # ------------------------------------------------------------ construction
    @classmethod
    def build(cls, report, doc: Doc | None = None, title_doc: Doc | None = None) -> "Context":
        """The context of `report`; `doc` and `title_doc` are its text and title already run
        through nlp() (see analyse), else they are run here."""
        if doc is None:
            doc = nlp()(_text_doc(report))
        dateline_end = getattr(report, "dateline_end", 0) or 0
        # (the dateline's line, parsed apart from the lead (_text_doc), is no sentence of its
        # own; a headline above it in the text is)
        line_start = report.text.rfind("\n", 0, len(report.text[:dateline_end].rstrip())) + 1
        sentences = [s for s in doc.sents if s.text.strip() and any(t.is_alpha for t in s)
                     and not line_start <= s.start_char < s.end_char <= dateline_end]
        gazetteer_spans = list(doc.spans["gazetteer"])
        in_gazetteer = {i for span in gazetteer_spans for i in range(span.start, span.end)}
        matches = []
        inside = {span.start for span in gazetteer_spans
                  if span.label_ in ("name", "capital") and _inside_a_name(span, in_gazetteer)}
        surnames = {span.text for span in gazetteer_spans if span.start in inside}
        for span in gazetteer_spans:
            kind, key = span.label_, span.kb_id_
            if kind in ("name", "capital") and (span.start in inside or
                                                _a_given_name(span, in_gazetteer)) or \
                    kind == "demonym" and _a_given_name_after_a_title(span):
                continue                         # "Roberto Lima", "Santiago Benítez",
                #                                  "President German Restrepo"
            if kind == "name" and span.text in surnames and span.end < len(doc) and \
                    doc[span.end].lemma_ in lexicon.titles().saying_verbs and \
                    doc[span.end].pos_ == "VERB":
                continue                         # "Foreign Minister Álvaro Montenegro Vargas
                #                                  ...", then "Montenegro told reporters"
            as_state = True
            if span.start_char < dateline_end:
                as_state = False                 # a dateline names a place
            elif span.end < len(doc) and doc[span.end].lower_ in ("time", "timezone") and \
                    kind in ("name", "demonym", "capital"):
                as_state = False                 # a clock: "on Tuesday (U.S. time)"
            elif kind == "capital":
                as_state = _capital_as_government(span)
            matches.append(StateSpan(span, kind, key, as_state))
        matches = _elided_names(doc, matches)
        matches = _settle_shared_forms(doc, matches)
        title = getattr(report, "title", None)
        if title_doc is None and title:
            title_doc = nlp()(title)
        context = cls(report=report, doc=doc, sentences=sentences, matches=matches,
                      title_doc=title_doc if title else None, text=doc.text,
                      _match_starts=[m.start for m in matches])
        home = context.home_state
        if home in STYLED:
            # "the Kingdom" in a report filed from Riyadh or Rabat is that state (agency
            # style), not only a word: add it as a mention of the state
            style = STYLED[home]
            taken = {i for m in matches for i in range(m.start, m.end)}
            extra = [StateSpan(doc[t.i:t.i + 1], "metonym", home, True) for t in doc
                     if t.text == style and t.i > 0 and doc[t.i - 1].lower_ == "the" and
                     t.i not in taken and t.idx >= dateline_end and
                     (t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "of")]
            if extra:
                matches = sorted(matches + extra, key=lambda m: m.start)
                context.matches = matches
                context._match_starts = [m.start for m in matches]
        for match in matches:
            for i in range(match.start, match.end):
                context._by_token[i] = match
        return context

    # ------------------------------------------------------------ look-ups
    def match_at(self, token_index: int) -> StateSpan | None:
        return self._by_token.get(token_index)

    def matches_in(self, span: Span) -> list[StateSpan]:
        # matches are sorted by start: look only at those starting inside the span
        out = []
        for k in range(bisect_left(self._match_starts, span.start), len(self.matches)):
            m = self.matches[k]
            if m.start >= span.end:
                break
            if m.end <= span.end:
                out.append(m)
        return out

    def states_in(self, span: Span, places_too: bool = False) -> list[str]:
        """ISO3 codes of the states a span names, in order, without repeats."""
        out: list[str] = []
        for m in self.matches_in(span):
            if m.kind != "organization" and (m.as_state or places_too) and m.key not in out:
                out.append(m.key)
        return out

    def evidence(self, span: Span) -> Evidence:
        sentence = span.sent if span.sent is not None else span
        return Evidence(sentence.start_char, sentence.end_char)

    def sentence_of(self, token_index: int) -> Span:
        return self.doc[token_index].sent

    # ------------------------------------------------------------ dates
    @property
    def anchor(self) -> dt.date | None:
        report = self.report
        date = getattr(report, "date", None) or getattr(report, "published", None)
        return date if isinstance(date, dt.date) else None

    @cached_property
    def report_date(self) -> str | None:
        """The day the report speaks from: its dateline's date, else its publication date."""
        value = getattr(self.report, "dateline_date", None)
        if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
        return self.anchor.isoformat() if self.anchor else None

    @cached_property
    def dates(self):
        from kg.dates import find_dates
        return find_dates(self.text, self.anchor)

    @cached_property
    def _date_starts(self) -> list[int]:
        return [d.start for d in self.dates]     # find_dates gives them sorted by start

    def dates_in(self, span: Span):
        dates, out = self.dates, []
        for k in range(bisect_left(self._date_starts, span.start_char), len(dates)):
            if dates[k].start >= span.end_char:
                break
            if dates[k].end <= span.end_char:
                out.append(dates[k])
        return out

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]

    def line_start(self, offset: int) -> int:
        """Where the line holding `offset` starts (a search back over a long line for each
        sentence in it would be quadratic)."""
        k = bisect_left(self._newlines, offset)
        return self._newlines[k - 1] + 1 if k else 0

    def append_new(self, items: list, item) -> bool:
        """Appends `item` to a fact's list (of evidence) unless the list holds it already.

        A state or person named in every sentence of a long report has thousands of pieces
        of evidence: `item not in items` on each mention made extraction quadratic.
        """
        held = self._held_set(items)
        if item in held:
            return False
        items.append(item)
        held.add(item)
        self._held[id(items)][2] += 1
        return True

    def tells(self, evidence: list[Evidence], words: set[str], besides: int) -> bool:
        """Does a sentence of `evidence`, other than the one starting at char `besides`, hold
        one of `words` (a word's start: "commission" in "commission's")? How a mention ("the
        commission's meeting") finds the event it refers to."""
        if not words:
            return False
        told = " ".join(self.text[e.start:e.end] for e in evidence if e.start != besides).lower()
        return any(re.search(rf"\b{re.escape(w)}", told) for w in words)

    def holds(self, items: list, item) -> bool:
        """`item in items`, from the set kept beside the list."""
        return item in self._held_set(items)

    def _held_set(self, items: list) -> set:
        held = self._held.get(id(items))
        if held is None or held[2] != len(items):   # new, or grown by other means
            # the list itself is kept too, so that its id is not reused by another list
            held = self._held[id(items)] = [items, set(items), len(items)]
        return held[1]

    # ------------------------------------------------------------ salience
    @cached_property
    def state_counts(self) -> Counter:
        counts = Counter(m.key for m in self.matches if m.kind != "organization" and m.as_state)
        if self.title_doc is not None:
            for span in self.title_doc.spans["gazetteer"]:
                if span.label_ in ("name", "demonym"):
                    counts[span.kb_id_] += 2   # a state in the headline is what the report is about
        return counts

    @cached_property
    def main_pair(self) -> tuple[str, ...]:
        ranked = [iso for iso, _ in self.state_counts.most_common()]
        # a mediator named most ("the Iranian-brokered pledge", "Iran's mediation") is not
        # one of the two the report is about, where two others are named
        dealing = [iso for iso in ranked if iso not in self._told_brokering]
        return tuple(dealing[:2] if len(dealing) >= 2 else ranked[:2])

    @cached_property
    def outlet_state(self) -> str | None:
        """The state whose national agency or ministry the report comes from (its `source:`,
        the agency of its dateline; kg/data/outlets.yml), whatever its dateline: None for an
        international wire."""
        for told in (getattr(self.report, "source", None),
                     getattr(self.report, "dateline_agency", None)):
            # (a state the source names itself first: "Department of Foreign Affairs and
            # Trade (Ireland)" is not Australia's department of that name)
            state = _source_state(told or "") if _agency_state(told or "") else None
            state = state or _agency_state(told or "") or _source_state(told or "")
            if state:
                return state
        return None

    @cached_property
    def home_state(self) -> str | None:
        """The state the report is written from: its dateline's place, else its outlet's
        country-code domain."""
        place = getattr(self.report, "dateline_place", None)
        if place:
            for form, kind, key in _place_index().get(place.lower(), []):
                return key
        url = getattr(self.report, "url", None)
        if url:
            host = urlparse(url).hostname or ""
            tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
            if len(tld) == 2 and tld not in GENERIC_CCTLDS:
                state = gazetteer.load().by_iso2("GB" if tld == "uk" else tld)
                if state:
                    return state.iso3
        dateline_end = getattr(self.report, "dateline_end", 0) or 0
        for m in self.matches:
            if m.kind in ("capital", "name") and m.span.start_char < dateline_end:
                return m.key                      # the dateline city
        # an outlet or ministry named after its state ("Ministry for Foreign Affairs of
        # Finland", "Vietnam News Agency", "The Kathmandu Post")
        source = _source_state(getattr(self.report, "source", None) or "")
        if source:
            return source
        # a dateline kg.reports does not read ("Riyadh, Safar 9, 1441, October 8, 2019, SPA
        # --"): a capital opening the text, then a comma
        first = next((t for t in self.doc if not t.is_space), None)
        if first is not None and first.i + 1 < len(self.doc) and \
                self.doc[first.i + 1].text == ",":
            for m in self.matches:        # (read before the token index is built)
                if m.start == first.i and m.end == first.i + 1 and m.kind == "capital":
                    return m.key
        return None

    @cached_property
    def filed_from_a_town(self) -> bool:
        """Is the dateline a town that is no state's name or capital ("PUERTO IGUAZU,
        Argentina"): the venue of others' meeting rather than a government's seat?"""
        place = (getattr(self.report, "dateline_place", None) or "").lower()
        return bool(place) and place not in _place_index()

    @cached_property
    def hosts(self) -> set[str]:
        """Of the mediators, those only told as hosts ("the Forum meeting hosted by Tonga"):
        a multilateral summit's host takes part in it."""
        out = set()
        for match in self.matches:
            before = self.text[max(0, match.span.start_char - 40):match.span.start_char].lower()
            if HOSTED_BY.search(before):
                out.add(match.key)
        return out & self.mediators

    @cached_property
    def mediators(self) -> set[str]:
        """States that host or mediate others' dealings ("talks hosted by Qatar", "the process
        led by Angola", "Oman's Foreign Minister carrying messages between the two")."""
        # a state the report is about is never only a mediator
        return self._told_mediating - set(self.main_pair)

    @cached_property
    def _told_brokering(self) -> set[str]:
        """The states told as brokering others' dealings, not only hosting them ("the
        Iranian-brokered pledge", "Iran's mediation", "talks mediated by Kuwait")."""
        cues = lexicon.polarity()
        out = set()
        for match in self.matches:
            if match.kind == "organization":
                continue
            start, end = match.span.start_char, match.span.end_char
            if cues.brokering_before.search(self.text[max(0, start - 40):start].lower()) or \
                    cues.brokering_after.match(self.text[end:end + 40].lower()):
                out.add(match.key)
        return out

    @cached_property
    def _told_mediating(self) -> set[str]:
        """The states some words tell as hosting or mediating others' dealings."""
        cues = lexicon.polarity()
        doc = self.doc
        out = set()
        out_matches = []                        # the matches told by the words before them
        for match in self.matches:
            if match.kind == "organization":
                continue
            before = self.text[max(0, match.span.start_char - 40):match.span.start_char].lower()
            after_text = self.text[match.span.end_char:match.span.sent.end_char]
            told_after = cues.mediator_after.search(after_text)
            if told_after and NEGATED.search(after_text[:told_after.end()]):
                told_after = None             # "the United States would not act as a mediator"
            if cues.mediator.search(before) or told_after:
                out.add(match.key)
                if not told_after:
                    out_matches.append(match)
                continue
            if self._listed_after(match, out_matches):
                out.add(match.key)              # "mediated by Argentina, Brazil and Chile"
                out_matches.append(match)
                continue
            after = doc[match.end].text if match.end < len(doc) else ""
            if after in ("’s", "'s") and cues.mediation.search(match.span.sent.text.lower()):
                out.add(match.key)
        return out

    def _listed_after(self, match, told: list) -> bool:
        """Does the state follow, in one list, a state the words before it told as a mediator
        ("mediated by Argentina, Brazil, Chile and the United States": the cue is said once,
        before the list's first member)?"""
        if not told:
            return False
        last = told[-1]
        if last.span.end_char > match.span.start_char:
            return False
        between = self.text[last.span.end_char:match.span.start_char]
        return bool(LIST_JOINT.fullmatch(between))

    def other_of_pair(self, iso3: str | None) -> str | None:
        pair = self.main_pair
        if iso3 in pair and len(pair) == 2:
            return pair[1] if pair[0] == iso3 else pair[0]
        return None


def entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity holding token i, read from the tokens' IOB tags: `doc.ents` builds
    every entity of the Doc at each call, which made long reports quadratic."""
    if not doc[i].ent_iob_ or doc[i].ent_iob_ == "O":
        return None
    start, end = i, i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def texts_of(doc: Doc) -> list[str]:
    """Each token's text, read from spaCy once per Doc: the rules look at words at thousands
    of positions a report, and each `doc[i]` makes a new Token object."""
    texts = doc.user_data.get("kg.texts")
    if texts is None:
        texts = doc.user_data["kg.texts"] = [t.text for t in doc]
    return texts


def lowers_of(doc: Doc) -> list[str]:
    """Each token's lower-case text (Token.lower_), read once per Doc (see texts_of)."""
    lowers = doc.user_data.get("kg.lowers")
    if lowers is None:
        lowers = doc.user_data["kg.lowers"] = [t.lower_ for t in doc]
    return lowers


def analyse(reports: list) -> list:
    """Context.build for each of `reports`, with the spaCy pipeline run over all their texts
    and titles in one nlp.pipe call: batched, the statistical components cost about half as
    much a report as one text at a time, and give the same analysis.

    Each item is the report's Context, or the exception building it raised: one report's
    failure is its own. If the batch itself fails, each report is analysed alone.
    """
    texts: list = []
    for report in reports:
        texts.append(_text_doc(report))
        if getattr(report, "title", None):
            texts.append(report.title)
    try:
        docs = iter(list(nlp().pipe(texts, batch_size=max(1, len(texts)))))
    except Exception:
        docs = None
    out: list = []
    for report in reports:
        try:
            if docs is None:
                out.append(Context.build(report))
            else:
                doc = next(docs)
                title_doc = next(docs) if getattr(report, "title", None) else None
                out.append(Context.build(report, doc, title_doc))
        except Exception as e:
            out.append(e)
    return out


def _text_doc(report) -> Doc:
    """The report's text, tokenized, its first sentence starting after the dateline: the
    parser would otherwise take the dateline's city for the subject of the lead ("DAKAR, 8 May
    - the minister was received": "DAKAR" received)."""
    doc = nlp().make_doc(report.text)
    end = getattr(report, "dateline_end", 0) or 0
    if end:
        first = next((t for t in doc if t.idx >= end and not t.is_space), None)
        if first is not None and first.i > 0:
            first.is_sent_start = True
    return doc


def _settle_shared_forms(doc: Doc, matches: list[StateSpan]) -> list[StateSpan]:
    """Give a form two states share ("Congolese", "Congo") to the one the report otherwise
    names; a shared form with no such clue names no state."""
    shared = gazetteer.load().shared_forms()
    named = {m.key for m in matches if m.kind != "organization" and m.span.text not in shared}
    out = [m for m in matches if m.span.text not in shared]
    for m in matches:
        candidates = shared.get(m.span.text)
        if candidates is None:
            continue
        clues = [iso for iso in candidates if iso in named]
        if len(clues) == 1:
            m.key = clues[0]
            out.append(m)
        elif not clues and m.span.text in gazetteer.load().shared_short_names:
            m.key = candidates[0]
            out.append(m)
    # single-token demonyms the matcher left out because two states claim them
    taken = {i for m in out for i in range(m.start, m.end)}
    for i, text in enumerate(texts_of(doc)):
        candidates = shared.get(text)
        if candidates is None or i in taken or text in gazetteer.load().shared_short_names:
            continue
        token = doc[i]
        clues = [iso for iso in candidates if iso in named]
        if len(clues) == 1:
            span = Span(doc, token.i, token.i + 1, label="demonym", kb_id=clues[0])
            out.append(StateSpan(span, "demonym", clues[0], True))
    return sorted(out, key=lambda m: m.start)


def _inside_a_name(span: Span, in_gazetteer: set[int]) -> bool:
    """Is a capital's or state's name here the surname of a person ("Roberto Lima")? It is
    where a capitalised word that is no title, function word or place stands just before it,
    in a sentence that is not a headline in title case."""
    doc = span.doc
    if span.start == 0 or span.start == span.sent.start:
        return False
    before = doc[span.start - 1]
    if not before.is_alpha or not before.text[:1].isupper() or before.is_upper:
        return False
    words = lexicon.titles()
    lower = before.lower_
    if lower in words.not_names or lower in words.honorifics or lower in words.modifiers or \
            lower in words.portfolio or any(lower in head for head in words.heads):
        return False
    if before.i in in_gazetteer:
        return False
    if sum(1 for t in span.sent if t.is_alpha and t.text[:1].islower()) < 2:
        return False                          # a headline: "Kenya Hosts Uganda"
    return True


NEGATED = re.compile(r"\b(not|never|no longer|refused|declined|ruled out)\b|n't\b")


# How a state's own agencies call it: "the Kingdom" (Saudi Arabia, Morocco, Jordan, Bahrain),
# "the Sultanate" (Oman)
STYLED = {"SAU": "Kingdom", "MAR": "Kingdom", "JOR": "Kingdom", "BHR": "Kingdom",
          "OMN": "Sultanate"}


def _a_given_name(span: Span, in_gazetteer: set[int]) -> bool:
    """Is a capital's or state's name here a person's given name ("Santiago Benítez Ayala",
    "Israel Katz")? Where the statistical entities make it the first word of a person's name
    that runs on to a capitalised word of no place."""
    doc = span.doc
    if len(span) != 1 or span.end >= len(doc):
        return False
    first = doc[span.start]
    after = doc[span.end]
    if first.ent_type_ != "PERSON" or first.ent_iob_ != "B" or after.ent_type_ != "PERSON" or \
            after.ent_iob_ != "I":
        return False
    if span.start > 0 and doc[span.start - 1].lower_ in ("of", "from", "for", "to", "in", "and",
                                                          "with", "by"):
        return False          # "Deputy Prime Minister of Azerbaijan Shahin Mustafayev": the
        #                       entities often take the state into the name after "of"
    return after.is_alpha and after.text[:1].isupper() and after.i not in in_gazetteer and \
        after.lower_ not in lexicon.titles().not_names


def _a_given_name_after_a_title(span: Span) -> bool:
    """Is a demonym a given name ("President German Restrepo Ortiz")? Between a title's head
    and a person's name: a people's word never stands there ("the Colombian President ...")."""
    doc = span.doc
    if len(span) != 1 or span.start == 0 or span.end >= len(doc):
        return False
    before, after = doc[span.start - 1], doc[span.end]
    word = doc[span.start]
    return before.lower_ in lexicon.titles().head_words and before.text[:1].isupper() and \
        after.ent_type_ == "PERSON" and after.text[:1].isupper() and (
            after.ent_iob_ == "B" or word.ent_type_ == "PERSON" and word.ent_iob_ == "B")


# what a name holding a city may be beside a document (agreements.yml's kinds): "the Minsk
# Group", "the Astana format", "the Madrid Conference"
NAMED_AFTER_A_CITY = {"process", "group", "format", "conference", "summit", "talks", "plan",
                      "initiative", "consensus", "statement", "act", "document", "principles",
                      "framework"}


@lru_cache(maxsize=1)
def _named_after_a_city() -> frozenset[str]:
    documents = {words[0] for words, _ in lexicon.agreements().kinds if len(words) == 1}
    return frozenset(NAMED_AFTER_A_CITY | documents | {w + "s" for w in documents})


def _capital_as_government(span: Span) -> bool:
    """'Moscow said', 'warning Yerevan', 'behind Baku' name a government; 'in Baku' a place."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and (before.lower_ in LOCATIVE or before.is_digit):
        return False
    if after is not None and after.text[:1].isupper() and after.lower_ in _named_after_a_city():
        return False                      # "the Washington Declaration", "the Minsk Group":
        #                                   a name that holds a city, not its government
    if after is not None and after.text in {",", "-"} and span.end + 1 < len(doc) and \
            doc[span.end + 1].text[:1].isupper() and after.text == ",":
        return False                      # "Baku, Azerbaijan": a place with its country
    if span.start == span.sent.start and after is not None and after.text in {",", ":"} and \
            not (span.end + 1 < len(doc) and doc[span.end + 1].is_lower):
        return False                      # a dateline at the head of a paragraph (not
        #                                   "Washington, an ally of both, urged ...")
    return True


@lru_cache(maxsize=1)
def _source_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern over the gazetteer's state names, capitals and demonyms, longest first."""
    keys: dict[str, str] = {}
    for form, kind, key in gazetteer.load().phrases():
        if kind in ("capital", "name", "demonym") and len(form) > 3:
            keys.setdefault(form.lower(), key)
    forms = sorted(keys, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(f) for f in forms) + r")\b"), keys


@lru_cache(maxsize=1)
def _agency_pattern() -> tuple[re.Pattern, dict[str, str]]:
    # as written or in capitals ("Xinhua", "XINHUA"): an acronym ("MAP", "AA") is no word
    outlets = lexicon.load("outlets.yml")
    keys = {form: iso for section in ("agencies", "governments")
            for iso, names in outlets[section].items()
            for name in names for form in (name, name.upper())}
    forms = sorted(keys, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])"), \
        keys


@lru_cache(maxsize=256)
def _agency_state(source: str) -> str | None:
    """The state of the one national agency or government office a source names
    (kg/data/outlets.yml)."""
    pattern, keys = _agency_pattern()
    found = {keys[m.group(1)] for m in pattern.finditer(source)}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=256)
def _source_state(source: str) -> str | None:
    """The one state a report's source names, if it names exactly one."""
    if not source:
        return None
    pattern, keys = _source_pattern()
    found = {keys[m.group(1)] for m in pattern.finditer(source.lower())}
    return found.pop() if len(found) == 1 else None


def _elided_names(doc: Doc, matches: list[StateSpan]) -> list[StateSpan]:
    """"South and North Korea", "East and West Germany": the first word of a coordination
    whose name the second completes names a state of its own."""
    taken = {i for m in matches for i in range(m.start, m.end)}
    extra = []
    for m in matches:
        if m.kind != "name" or m.end - m.start < 2 or m.start < 2 or \
                doc[m.start - 1].lower_ not in ("and", "or", "&"):
            continue
        first = doc[m.start - 2]
        whole = f"{first.text} {doc[m.start + 1:m.end].text}"
        key = next((k for form, kind, k in _place_index().get(whole.lower(), ())
                    if kind == "name" and form == whole), None)
        if key and key != m.key and first.i not in taken and first.text[:1].isupper():
            extra.append(StateSpan(doc[first.i:first.i + 1], "name", key, m.as_state))
    return sorted(matches + extra, key=lambda m: m.start) if extra else matches


@lru_cache(maxsize=1)
def _place_index() -> dict[str, list]:
    """Lower-cased state names and capitals -> (form, kind, ISO3), to place a dateline (and
    to complete an elided name)."""
    index: dict[str, list] = {}
    for form, kind, key in gazetteer.load().phrases():
        if kind in ("capital", "name"):
            index.setdefault(form.lower(), []).append((form, kind, key))
    return index
