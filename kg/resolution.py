"""Entity resolution across reports: one IRI per person and per agreement, whatever the
spelling each report uses.

States need none: their IRI is their ISO3 code. A person is keyed by the state they serve,
the consonant skeleton of their surname and the initial of their given name, so "Gismat
Gozalov", "Gismet Gezalov" and "Gismat Fuzuli oglu Gozalov" of Azerbaijan are one person,
while two officials who share a surname but not a given name stay two. An agreement is the
same where the kind and parties agree and the titles are close.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from unidecode import unidecode

from kg import vocabulary as v
from kg.facts import Agreement, Extraction, Official

NS = f"PREFIX bkg: <{v.BKG}> PREFIX foaf: <http://xmlns.com/foaf/0.1/> " \
     f"PREFIX dct: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
PARTICLES = {"oglu", "ogly", "kyzy", "qizi", "gizi", "bin", "ibn", "bint", "al", "el", "de",
             "da", "van", "von", "der", "la", "le"}


def words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", unidecode(name).lower())]


def skeleton(word: str) -> str:
    """A word's consonants after its first letter: transliterations share it (Gozalov/Gezalov)."""
    return word[:1] + re.sub(r"[aeiouy]", "", word[1:])


def name_key(official: Official) -> str:
    """'AZE|gzlv|g': state (or IGO), surname skeleton, given-name initial (empty if none)."""
    parts = [w for w in words(official.name) if w not in PARTICLES]
    if not parts:
        parts = words(official.name) or ["x"]
    surname = parts[-1]
    initial = parts[0][0] if len(parts) > 1 else ""
    owner = official.state or ("IGO-" + v.slug(official.organization or "")
                               if official.organization else "NONE")
    return f"{owner}|{skeleton(surname)}|{initial}"


def given_names_agree(a: str, b: str) -> bool:
    wa = [w for w in words(a) if w not in PARTICLES][:-1]
    wb = [w for w in words(b) if w not in PARTICLES][:-1]
    if not wa or not wb:
        return True                          # a surname alone agrees with any given name
    x, y = wa[0], wb[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return skeleton(x) == skeleton(y) or SequenceMatcher(None, x, y).ratio() >= 0.75


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Resolver:
    def __init__(self, store):
        self.store = store

    def resolve(self, report, extraction: Extraction) -> None:
        for official in extraction.officials:
            official.name_key = name_key(official)
            official.iri = self._person(official)
        for agreement in extraction.agreements:
            agreement.iri = self._agreement(agreement)
        _merge_same_nodes(extraction)

    # ------------------------------------------------------------ persons
    def _person(self, official: Official) -> str:
        key = official.name_key
        prefix = key.rsplit("|", 1)[0] + "|"
        rows = self.store.select(
            NS + "SELECT DISTINCT ?p ?key ?name WHERE { ?p bkg:nameKey ?key ; foaf:name ?name "
            f"FILTER(STRSTARTS(?key, {_literal(prefix)})) }}")
        candidates: dict[str, list[tuple[str, str]]] = {}
        for row in rows:
            candidates.setdefault(row["p"], []).append((row["key"], row["name"]))
        initial = key.rsplit("|", 1)[1]
        fits = []
        for iri, forms in candidates.items():
            for stored_key, stored_name in forms:
                stored_initial = stored_key.rsplit("|", 1)[1]
                if initial and stored_initial and initial != stored_initial:
                    continue
                if given_names_agree(official.name, stored_name):
                    fits.append(iri)
                    break
        if len(set(fits)) == 1:
            return fits[0]
        if fits and initial:
            return sorted(set(fits))[0]
        return self._mint(v.person_iri, v.slug(official.name), "bkg:nameKey", key)

    # ------------------------------------------------------------ agreements
    def _agreement(self, agreement: Agreement) -> str:
        parties = sorted(set(agreement.parties))
        if not parties:
            return self._mint(v.agreement_iri, v.slug(agreement.title), None, None)
        rows = self.store.select(
            NS + "SELECT ?a ?title ?kind (GROUP_CONCAT(DISTINCT ?iso; separator=' ') AS ?parties) "
            "WHERE { ?a a bkg:Agreement ; dct:title ?title ; bkg:agreementKind ?kind ; "
            "bkg:party/bkg:iso3 ?iso . "
            f"FILTER EXISTS {{ ?a bkg:party/bkg:iso3 {_literal(parties[0])} }} }} "
            "GROUP BY ?a ?title ?kind")
        kind_iri = v.concept("agreement-kind", agreement.kind)
        mine = set(words(agreement.title))
        for row in rows:
            if row["kind"] != kind_iri or sorted(set(row["parties"].split())) != parties:
                continue
            theirs = set(words(row["title"]))
            overlap = len(mine & theirs) / max(1, len(mine | theirs))
            if overlap >= 0.6 or SequenceMatcher(None, agreement.title.lower(),
                                                 row["title"].lower()).ratio() >= 0.85:
                return row["a"]
        base = v.slug(f"{agreement.title} {' '.join(p.lower() for p in parties)}", limit=90)
        return self._mint(v.agreement_iri, base, None, None)

    def _mint(self, make, base: str, key_property: str | None, key: str | None) -> str:
        """A new readable IRI; a number is added where the plain one is taken."""
        n = 1
        while True:
            iri = make(base if n == 1 else f"{base}-{n}")
            rows = self.store.select(f"SELECT ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 1")
            if not rows:
                return iri
            if key_property and self.store.select(
                    NS + f"SELECT ?k WHERE {{ <{iri}> {key_property} ?k "
                    f"FILTER(?k = {_literal(key)}) }} LIMIT 1"):
                return iri
            n += 1


STATUS_ORDER = ["in_force", "ratified", "signed", "initialled", "draft", "under_negotiation",
                "proposed", "unknown"]


def _merge_same_nodes(extraction: Extraction) -> None:
    """Two facts of one report that resolve to one node (an official named twice in ways the
    report did not link, two mentions of a stored agreement) become one fact, so that the
    report's graph says one name and one title per node, as the shapes require."""
    people: dict[str, Official] = {}
    kept: list[Official] = []
    index_map: dict[int, int] = {}
    for i, official in enumerate(extraction.officials):
        first = people.get(official.iri)
        if first is None:
            people[official.iri] = official
            index_map[i] = len(kept)
            kept.append(official)
            continue
        index_map[i] = kept.index(first)
        if len(official.name) > len(first.name):
            first.aliases.append(first.name)
            first.name, first.name_key = official.name, official.name_key
        elif official.name != first.name:
            first.aliases.append(official.name)
        first.aliases = [a for a in dict.fromkeys(first.aliases + official.aliases)
                         if a != first.name]
        first.state = first.state or official.state
        first.host_state = first.host_state or official.host_state
        first.evidence += [e for e in official.evidence if e not in first.evidence]
    if len(kept) != len(extraction.officials):
        extraction.officials = kept
        for event in extraction.events:
            event.persons = list(dict.fromkeys(index_map[p] for p in event.persons))

    agreements: dict[str, Agreement] = {}
    merged: list[Agreement] = []
    for agreement in extraction.agreements:
        first = agreements.get(agreement.iri)
        if first is None:
            agreements[agreement.iri] = agreement
            merged.append(agreement)
            continue
        first.parties += [p for p in agreement.parties if p not in first.parties]
        first.status = min(first.status, agreement.status, key=STATUS_ORDER.index)
        first.date = first.date or agreement.date
        first.place = first.place or agreement.place
        first.evidence += [e for e in agreement.evidence if e not in first.evidence]
    extraction.agreements = merged

