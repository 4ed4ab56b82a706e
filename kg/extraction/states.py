"""States: every sovereign state the report names, by name, demonym, or a capital or
building that stands for its government ("Moscow said", "the Kremlin").

Beside the gazetteer's matches (kg.extraction.context), two readings of our own: a plural
demonym names its state ("the Palestinians"), and a name that only labels something else is
no state: a capital before a noun ("the Moscow meeting", "the Minsk agreements") is where it
happened, and "Northern Ireland" is not Ireland.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from spacy.tokens import Span

from kg import gazetteer
from kg.extraction.context import Context, StateSpan, lowers_of, texts_of
from kg.facts import StateMention

# A capital before one of these nouns still stands for its government ("the Moscow
# authorities"); before any other noun it names a place ("the Moscow talks").
GOVERNMENT_NOUNS = {"government", "governments", "authorities", "officials", "leadership",
                    "regime", "administration", "side", "leaders", "establishment"}
# "Northern Ireland", "Southern Cameroons": a region with a name of its own.
REGION_WORDS = {"Northern", "Southern", "Eastern", "Western", "Upper", "Lower"}


def find_states(context: Context) -> list[StateMention]:
    found: dict[str, StateMention] = {}
    for match in state_matches(context):
        mention = found.setdefault(match.key, StateMention(match.key))
        context.append_new(mention.evidence, context.evidence(match.span))
    # A dateline's city is only where the report was written, but a dateline that is a
    # country's name ("CANADA, May 2 -", a government's own release) names that country.
    # (Kept out of state_matches: where a report was written is no dealing.)
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    for match in context.matches:
        if match.kind == "name" and not match.as_state and \
                match.span.start_char < dateline_end:
            mention = found.setdefault(match.key, StateMention(match.key))
            context.append_new(mention.evidence, context.evidence(match.span))
    return list(found.values())


def state_matches(context: Context) -> list[StateSpan]:
    """The matches that name a state (not an organization, not only a place), in order, with
    the plural demonyms the gazetteer leaves out. Computed once per report."""
    cached = getattr(context, "_state_matches", None)
    if cached is not None:
        return cached
    out = [_whole_name(m) for m in context.matches
           if m.kind != "organization" and m.as_state and not _only_a_label(m)]
    out.extend(_plural_demonyms(context))
    out.extend(_compass_variants(context, out))
    out.sort(key=lambda m: m.start)
    context._state_matches = out
    context._state_starts = [m.start for m in out]
    return out


def state_matches_in(context: Context, span: Span) -> list[StateSpan]:
    matches = state_matches(context)
    starts = context._state_starts
    out = []
    for k in range(bisect_left(starts, span.start), len(matches)):
        m = matches[k]
        if m.start >= span.end:
            break
        if m.end <= span.end:
            out.append(m)
    return out


LANGUAGE_AFTER = {"language", "-language", "speaking", "-speaking", "speakers", "speaker",
                  "translation", "translator", "translators", "interpreter", "dialect",
                  "version", "subtitles", "classes", "lessons", "course", "courses",
                  "literature", "text", "original"}
LANGUAGE_BEFORE = {"in", "into", "from", "speak", "speaks", "spoke", "speaking", "fluent",
                   "learn", "learning", "teach", "teaching", "translated", "written"}


def _a_currency(match: StateSpan) -> bool:
    """"230 million US dollars", "in Canadian dollars": a state's money, no dealing."""
    span = match.span
    doc = span.doc
    return match.kind in ("name", "demonym") and span.end < len(doc) and \
        doc[span.end].lower_ in gazetteer.load().currency_words and \
        doc[span.end].pos_ in ("NOUN", "PROPN")   # (not "Chile won the case", "Israel pounds")


def _a_language(match: StateSpan) -> bool:
    """"speaking in Spanish", "an English-language school", "Arabic classes": a language
    named by the demonym, no state."""
    if match.kind != "demonym":
        return False
    span = match.span
    doc = span.doc
    if _plain(span.text) in _names():
        return False                          # "in Myanmar": the state's name, no language
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after == "-" and span.end + 1 < len(doc):
        after = "-" + doc[span.end + 1].lower_
    before = doc[span.start - 1].lower_ if span.start > span.sent.start else ""
    return after in LANGUAGE_AFTER or before in LANGUAGE_BEFORE and \
        doc[span.start].pos_ in ("PROPN", "NOUN") and after not in (
            "government", "side", "president", "minister", "embassy", "delegation", "troops",
            "forces", "officials", "authorities")


def _only_a_label(match: StateSpan) -> bool:
    span = match.span
    doc = span.doc
    if _a_language(match) or _a_currency(match):
        return True
    if match.kind == "name" and span.start > span.sent.start and \
            doc[span.start - 1].text in REGION_WORDS:
        return True
    if match.kind == "capital":
        if len(span) == 1 and span[0].pos_ == "ADJ":
            return True                       # "Male delegates": an adjective, not Malé
        root = span.root
        head = root.head
        if root.dep_ in ("compound", "nmod") and head.i != root.i and \
                head.pos_ in ("NOUN", "PROPN") and head.lower_ not in GOVERNMENT_NOUNS and \
                head.i >= span.end:
            return True
    return False


def _whole_name(match: StateSpan) -> StateSpan:
    """A name that ends a longer name of another state, written with a curly apostrophe the
    gazetteer does not hold ("People’s Republic of China" is China, not the "Republic of
    China")."""
    if match.kind != "name":
        return match
    doc = match.span.doc
    names = _names()
    for k in (1, 2, 3):
        start = match.start - k
        if start < match.span.sent.start:
            break
        key = names.get(_plain(doc[start:match.end].text))
        if key and key != match.key:
            span = Span(doc, start, match.end, label="name", kb_id=key)
            return StateSpan(span, "name", key, match.as_state)
    return match


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace(" 's", "'s").replace(" '", "'")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {_plain(form): key for form, kind, key in gazetteer.load().phrases()
            if kind == "name" and key}


COMPASS = {"Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West"}


def _compass_variants(context: Context, found: list[StateSpan]) -> list[StateSpan]:
    """'Northern Macedonia', 'Southern Sudan': a state whose name begins with a point of the
    compass, written with the adjective."""
    names = _names()
    taken = {i for m in found for i in range(m.start, m.end)}
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    doc = context.doc
    out = []
    for i, text in enumerate(texts_of(doc)):
        short = COMPASS.get(text)
        if short is None:
            continue
        token = doc[i]
        if token.idx < dateline_end:
            continue
        for end in (token.i + 2, token.i + 3):
            if end > len(doc) or any(i in taken for i in range(token.i + 1, end)):
                break
            key = names.get(_plain(short + " " + doc[token.i + 1:end].text))
            if key:
                span = Span(doc, token.i, end, label="name", kb_id=key)
                out.append(StateSpan(span, "name", key, True))
                break
    return out


def _plural_demonyms(context: Context) -> list[StateSpan]:
    """'the Palestinians', 'Iranians': a demonym in the plural names its state."""
    demonyms = _demonyms()
    dateline_end = getattr(context.report, "dateline_end", 0) or 0
    out = []
    for i, text in enumerate(texts_of(context.doc)):
        if len(text) < 5 or not text[:1].isupper() or not text.endswith("s"):
            continue
        token = context.doc[i]
        if context.match_at(token.i) is not None or token.idx < dateline_end:
            continue
        key = demonyms.get(text[:-1])
        if key:
            span = Span(context.doc, token.i, token.i + 1, label="demonym", kb_id=key)
            out.append(StateSpan(span, "demonym", key, True))
    return out


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Singular demonyms that name one state only -> ISO3."""
    index: dict[str, set[str]] = {}
    for form, kind, key in gazetteer.load().phrases():
        if kind == "demonym" and " " not in form:
            index.setdefault(form, set()).add(key)
    shared = gazetteer.load().shared_forms()
    return {form: next(iter(keys)) for form, keys in index.items()
            if len(keys) == 1 and form not in shared}
