"""The word lists and patterns of kg/data/, loaded once and compiled."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name: str) -> dict:
    """A data file of kg/data/, parsed (each extractor caches what it builds from it)."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def any_of(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class Titles:
    heads: tuple[tuple[str, ...], ...]   # token sequences, longest first
    modifiers: frozenset[str]
    portfolio: frozenset[str]
    honorifics: frozenset[str]
    postnominals: frozenset[str]
    particles: frozenset[str]
    not_names: frozenset[str]
    roles: tuple[tuple[str, re.Pattern], ...]
    implied_states: dict
    person_nouns: frozenset[str]

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
        not_names=frozenset(w.lower() for w in data["not_names"]),
        roles=tuple((role, re.compile(pattern)) for role, pattern in data["roles"]),
        implied_states=data.get("implied_states") or {},
        person_nouns=frozenset(w.lower() for w in data.get("person_nouns") or ()),
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
        kinds=tuple((k, re.compile("|".join(f"(?:{p})" for p in v))) for k, v in
                    data["kinds"].items()),
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


FIELDS = ("conflictual", "cooperative", "contact", "no_dealing", "denied", "mediator",
          "mediator_after", "mediation")


@lru_cache(maxsize=1)
def polarity() -> Polarity:
    data = load("relations.yml")
    return Polarity(*(any_of(data[k]) for k in FIELDS))


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
