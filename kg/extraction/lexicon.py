"""The word lists and patterns of kg/data/, loaded once and compiled."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"


# libyaml's parser where PyYAML has it: the same data, a quarter of a second less at start.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# numbers written as words ("twenty years after", "two days of talks", "four agreements")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70}


def count_of(word) -> int | None:
    """The number a token writes in digits or as a word, else None."""
    return int(word.text) if word.text.isdigit() else NUMBER_WORDS.get(word.lower_)


def load(name: str) -> dict:
    """A data file of kg/data/, parsed (each extractor caches what it builds from it)."""
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=_LOADER)


def any_of(patterns: list[str]) -> re.Pattern:
    return guarded("|".join(f"(?:{p})" for p in patterns))


def guarded(pattern: str) -> re.Pattern:
    """`pattern` compiled, led by a look-ahead for where any of its matches can start: at a
    word boundary before one of some characters, or before one of others. A word list of
    dozens of alternatives is then tried only where one of them could start, not at every
    position of every sentence (Python's re tries each alternative in turn). The matches
    are the same: the look-ahead only skips positions where no alternative could match."""
    parsed = re._parser.parse(pattern)
    # flags (case, verbose) would change what the look-ahead's characters mean, or its place
    first = None if parsed.state.flags & ~re.UNICODE else _first_chars(parsed, False)
    if not first:
        return re.compile(pattern)
    after_boundary = "".join(sorted(item for boundary, item in first if boundary))
    anywhere = "".join(sorted(item for boundary, item in first if not boundary))
    starts = ([f"\\b[{after_boundary}]"] if after_boundary else []) + \
        ([f"[{anywhere}]"] if anywhere else [])
    return re.compile(f"(?={'|'.join(starts)})(?:{pattern})")


def _first_chars(items, boundary: bool) -> set[tuple[bool, str]] | None:
    """Where a match of the parsed pattern `items` can start: (after a word boundary, an item
    of a character class: an escaped character or \\d) pairs; `boundary` if a \\b stands
    just before `items`. None when that cannot be told simply (a class like \\w, any
    character, a match that may be empty)."""
    from re import _constants as c

    out: set[tuple[bool, str]] = set()
    for op, arg in items:
        if op is c.AT and arg is c.AT_BOUNDARY:
            boundary = True
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue                      # zero-width: the next item gives the character
        if op is c.LITERAL:
            return out | {(boundary, re.escape(chr(arg)))}
        if op is c.IN:
            for kind, value in arg:
                if kind is c.LITERAL:
                    out.add((boundary, re.escape(chr(value))))
                elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                    out.add((boundary, r"\d"))
                else:
                    return None           # a range, a negation, another category
            return out
        if op is c.SUBPATTERN:
            if arg[1] or arg[2]:
                return None               # (?i:...) and the like
            inner = _first_chars(arg[-1], boundary)
            if inner is None:
                return None
            return out | inner
        if op is c.BRANCH:
            alternatives = [_first_chars(branch, boundary) for branch in arg[1]]
            if any(a is None for a in alternatives):
                return None
            return out.union(*alternatives)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _, body = arg
            inner = _first_chars(body, boundary)
            if inner is None:
                return None
            out |= inner
            if low >= 1:
                return out
            continue                      # it may match nothing: the next item may lead
        return None
    return None                           # the pattern may match the empty string


@dataclass(frozen=True)
class Titles:
    heads: tuple[tuple[str, ...], ...]   # token sequences, longest first
    modifiers: frozenset[str]
    portfolio: frozenset[str]
    honorifics: frozenset[str]
    postnominals: frozenset[str]
    particles: frozenset[str]
    patronymic: frozenset[str]    # particles after which a title word is a father's name
    not_names: frozenset[str]
    roles: tuple[tuple[str, re.Pattern], ...]
    implied_states: dict
    person_nouns: frozenset[str]
    saying_verbs: frozenset[str] = frozenset()
    buildings: frozenset[str] = frozenset()
    appointed: re.Pattern | None = None
    appointments: re.Pattern | None = None

    @property
    def head_words(self) -> frozenset[str]:
        return frozenset(h[-1] for h in self.heads)

    def role_of(self, title: str) -> str:
        title = re.sub(r"\s+", " ", title.lower().replace("’", "'")).strip()
        for role, pattern in self.roles:
            if pattern.search(title):
                return role
        return "other_official"


@lru_cache(maxsize=1)
def titles() -> Titles:
    data = load("titles.yml")
    heads = sorted({tuple(split(h)) for h in data["heads"]}, key=len, reverse=True)
    return Titles(
        heads=tuple(heads),
        modifiers=frozenset(w.lower() for w in data["modifiers"]),
        portfolio=frozenset(w.lower() for w in data["portfolio_words"]),
        honorifics=frozenset(w.lower() for w in data["honorifics"]),
        postnominals=frozenset(w.lower() for w in data["postnominals"]),
        particles=frozenset(w.lower() for w in data["name_particles"]),
        patronymic=frozenset(w.lower() for w in data["patronymic_particles"]),
        not_names=frozenset(w.lower() for w in data["not_names"]),
        roles=tuple((role, re.compile(pattern)) for role, pattern in data["roles"]),
        implied_states=data.get("implied_states") or {},
        person_nouns=frozenset(w.lower() for w in data.get("person_nouns") or ()),
        saying_verbs=frozenset(data["saying_verbs"]),
        buildings=frozenset(data["buildings"]),
        appointed=re.compile(data["appointed_before_title"], re.I),
        appointments=re.compile(data["appointments"], re.I),
    )


def split(phrase: str) -> list[str]:
    """Split a phrase the way spaCy's English tokenizer splits it: at hyphens between
    letters; "d'Affaires" stays one token."""
    out = []
    for word in phrase.lower().split():
        out.extend(t for t in re.split(r"(-)", word) if t)
    return out


@dataclass(frozen=True)
class Agreements:
    kinds: tuple[tuple[tuple[str, ...], str], ...]   # (token sequence, kind), longest first
    capitalized_only: frozenset[str]
    plurals: frozenset[str]
    generic_before: frozenset[str]
    institutions_after: frozenset[str]
    status: tuple[tuple[str, re.Pattern], ...]        # strongest completed status first
    future: re.Pattern


@lru_cache(maxsize=1)
def agreements() -> Agreements:
    data = load("agreements.yml")
    kinds = sorted(((tuple(split(k)), v) for k, v in data["kinds"].items()),
                   key=lambda kv: len(kv[0]), reverse=True)
    return Agreements(
        kinds=tuple(kinds),
        capitalized_only=frozenset(data["capitalized_only"]),
        plurals=frozenset(data["plurals"]),
        generic_before=frozenset(data["generic_before"]),
        institutions_after=frozenset(data["institutions_after"]),
        status=tuple((s, any_of(p)) for s, p in data["status"].items()),
        future=any_of(data["future"]),
    )


@dataclass(frozen=True)
class Events:
    kinds: tuple[tuple[str, re.Pattern], ...]
    generic_before: frozenset[str]
    anaphoric: tuple[str, ...]
    bilateral: frozenset[str]


@lru_cache(maxsize=1)
def events() -> Events:
    data = load("events.yml")
    return Events(
        kinds=tuple((k, any_of(v)) for k, v in data["kinds"].items()),
        generic_before=frozenset(data["generic_before"]),
        anaphoric=tuple(sorted(data["anaphoric"], key=len, reverse=True)),
        bilateral=frozenset(data["bilateral"]),
    )


@dataclass(frozen=True)
class Polarity:
    conflictual: re.Pattern
    cooperative: re.Pattern
    contact: re.Pattern
    no_dealing: re.Pattern
    denied: re.Pattern
    mediator: re.Pattern          # matched against the text just before a state's name
    mediator_after: re.Pattern    # ... and just after it
    mediation: re.Pattern
    brokering_before: re.Pattern  # what tells a state brokering, not only hosting: before
    brokering_after: re.Pattern   # ... and after its name
    dealing_acts: re.Pattern      # an `other` event's words that are a dealing of its sides


FIELDS = ("conflictual", "cooperative", "contact", "no_dealing", "denied", "mediator",
          "mediator_after", "mediation", "brokering_before", "brokering_after", "dealing_acts")


@lru_cache(maxsize=1)
def polarity() -> Polarity:
    data = load("relations.yml")
    lists = {k: data[k] for k in FIELDS}
    # a broker mediates
    lists["mediator"] = data["mediator"] + data["brokering_before"]
    lists["mediator_after"] = data["mediator_after"] + data["brokering_after"]
    return Polarity(*(any_of(lists[k]) for k in FIELDS))


@dataclass(frozen=True)
class Term:
    """A term of office of someone news name without a title (kg/data/leaders.yml)."""
    name: str
    state: str | None
    role: str
    start: str                 # YYYY-MM
    end: str | None            # YYYY-MM, None while in office
    alone: str | None          # the form that may stand alone for the person

    def holds(self, month: str) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)


@lru_cache(maxsize=1)
def leaders() -> tuple[Term, ...]:
    data = load("leaders.yml")
    alone = data.get("alone") or {}
    return tuple(Term(name, state, role, str(start), None if end is None else str(end),
                      alone[name] if name in alone else name.split()[-1])
                 for name, state, role, start, end in data["terms"])
