"""The gazetteer: every sovereign state's names, demonyms and capitals, and international
organizations.

States come from the maintained ISO 3166 packages (pycountry for codes and official names,
countryinfo for other spellings, demonyms and capitals); `data/gazetteer.yml` adds what news
English uses that they lack, and phrases that look like a state but are not one.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml
from unidecode import unidecode

DATA = Path(__file__).parent / "data"

# Kinds of names, in the order a clash between two states' names is settled.
NAME, DEMONYM, CAPITAL, METONYM = "name", "demonym", "capital", "metonym"


@dataclass
class State:
    iso3: str
    iso2: str
    name: str                      # short English name ("South Korea")
    official_name: str
    names: set[str] = field(default_factory=set)
    demonyms: set[str] = field(default_factory=set)
    capitals: set[str] = field(default_factory=set)
    metonyms: set[str] = field(default_factory=set)


@dataclass
class Gazetteer:
    states: dict[str, State]
    organizations: dict[str, set[str]]       # canonical name -> its other names
    not_states: list[str]
    shared_short_names: dict[str, list[str]] = field(default_factory=dict)
    currency_words: frozenset[str] = frozenset()   # "US dollars": a money, no state

    def shared_forms(self) -> dict[str, list[str]]:
        """Forms that more than one state claims (names or demonyms), with their states."""
        owners: dict[str, list[str]] = {}
        for state in self.states.values():
            for form in state.names | state.demonyms:
                owners.setdefault(form, []).append(state.iso3)
        out = {f: sorted(set(isos)) for f, isos in owners.items() if len(set(isos)) > 1}
        out.update(self.shared_short_names)
        return out

    def by_iso2(self, iso2: str) -> State | None:
        iso2 = iso2.upper()
        return next((s for s in self.states.values() if s.iso2 == iso2), None)

    def phrases(self) -> list[tuple[str, str, str]]:
        """(surface form, kind, key) for every matchable phrase; key is ISO3 or an org name."""
        out: list[tuple[str, str, str]] = []
        claimed: dict[str, str] = {}
        for kind, attr in ((NAME, "names"), (DEMONYM, "demonyms"), (CAPITAL, "capitals"),
                           (METONYM, "metonyms")):
            for state in self.states.values():
                for form in getattr(state, attr):
                    # A form claimed by two states (e.g. "Congolese") names neither.
                    owner = claimed.setdefault(form, state.iso3)
                    if owner != state.iso3:
                        claimed[form] = ""
                    out.append((form, kind, state.iso3))
        out = [(f, k, iso) for f, k, iso in out if claimed.get(f) == iso]
        for org, others in self.organizations.items():
            out.extend((form, "organization", org) for form in {org, *others})
        out.extend((phrase, "not_state", "") for phrase in self.not_states)
        return out


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or c in "’‘" for c in text)


def _forms(text: str) -> set[str]:
    """A name as written, without accents and with a curly apostrophe: "Côte d'Ivoire",
    "Cote d'Ivoire", "Cote d’Ivoire"."""
    forms = {text.strip()}
    forms.add(unidecode(text.strip()))
    # news pages print the apostrophe curly: "People’s Republic of China" (else its tail
    # "Republic of China" matches, Taiwan)
    forms |= {f.replace("'", "’") for f in forms}
    return {f for f in forms if f}


def _countryinfo_records() -> dict[str, dict]:
    import countryinfo
    folder = Path(countryinfo.__file__).parent / "data"
    records: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if iso3:
            # Several files can share a code (the Holy See has two): merge their names.
            into = records.setdefault(iso3, {"altSpellings": [], "names": []})
            into["names"].append(record.get("name") or "")
            into["altSpellings"] += record.get("altSpellings") or []
            for key in ("demonym", "capital"):
                if record.get(key) and not into.get(key):
                    into[key] = record[key]
    return records


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    extra = yaml.safe_load((DATA / "gazetteer.yml").read_text(encoding="utf-8"))
    excluded = set(extra["non_sovereign"])
    not_names = set(extra.get("not_names") or [])
    info = _countryinfo_records()
    states: dict[str, State] = {}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        if iso3 in excluded:
            continue
        record = info.get(iso3, {})
        short = record["names"][0] if record.get("names") else getattr(
            country, "common_name", country.name)
        official = getattr(country, "official_name", country.name)
        state = State(iso3=iso3, iso2=country.alpha_2, name=short, official_name=official)
        candidates = {short, official, country.name, getattr(country, "common_name", ""),
                      *record.get("names", []), *record.get("altSpellings", [])}
        for name in candidates:
            # pycountry's inverted forms ("Korea, Republic of") are not how text writes them,
            # and two- or three-letter codes in alt spellings are too ambiguous in prose.
            if not name or "," in name or not _latin(name) or len(name) <= 3:
                continue
            state.names |= _forms(name) - not_names
            if name.lower().startswith("republic of ") or name.lower().startswith("kingdom of "):
                state.names |= _forms("the " + name)
        for demonym in re.split(r"[,/]", record.get("demonym") or ""):
            state.demonyms |= _forms(demonym)
        capital = record.get("capital")
        if isinstance(capital, str) and capital and _latin(capital):
            state.capitals |= _forms(re.sub(r"\s+D\.C\.$", "", capital))
        states[iso3] = state
    for key, attr in (("aliases", "names"), ("demonyms", "demonyms"),
                      ("capitals", "capitals"), ("metonyms", "metonyms"),
                      ("legislatures", "metonyms")):
        for iso3, forms in (extra.get(key) or {}).items():
            for form in forms:
                getattr(states[iso3], attr).update(_forms(form))
    for state in states.values():
        # a people told in the plural stands for its state as its adjective does
        # ("Lithuanians voted", "Iraqis and Kuwaitis", "Czechs and Slovaks"): -an, -in, -i,
        # -er, -o, -k and -ch demonyms take an -s
        state.demonyms |= {d + "s" for d in state.demonyms
                           if re.search(r"(an|in|i|er|o|k|kh|ech)$", d) and " " not in d}
    organizations = {name: set(others or []) for name, others in extra["organizations"].items()}
    return Gazetteer(states=states, organizations=organizations, not_states=extra["not_states"],
                     shared_short_names=extra.get("shared_short_names") or {},
                     currency_words=frozenset(w.lower() for w in
                                              extra.get("currency_words") or []))
