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
from typing import TYPE_CHECKING

from unidecode import unidecode

from kg import vocabulary as v
from kg.facts import Agreement, Extraction, Official

if TYPE_CHECKING:
    from kg.store import Store

NS = f"PREFIX bkg: <{v.BKG}> PREFIX foaf: <http://xmlns.com/foaf/0.1/> " \
     f"PREFIX dct: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
PARTICLES = {"oglu", "ogly", "kyzy", "qizi", "gizi", "bin", "ibn", "bint", "al", "el", "de",
             "da", "van", "von", "der", "la", "le"}


# Letters unidecode turns into something other than letters: the schwa of Azerbaijani Latin
# script (Məmmədyarov) comes out as "@", which would cut the word in two.
LETTERS = str.maketrans({"ə": "a", "Ə": "A", "ǝ": "a", "Ǝ": "A"})


def words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", unidecode(name.translate(LETTERS)).lower())]


def has_given_name(name: str) -> bool:
    return len([w for w in words(name) if w not in PARTICLES]) > 1


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


class Resolver:
    """Chooses the IRIs of a report's persons and agreements.

    It reads an in-memory index of the stored persons (name keys, names) and agreements
    (titles, kinds, parties), loaded from the store once and then kept equal to it: `add()`
    once a report's graph is sure to be written, `reload()` for the nodes of a replaced
    report's old graph once the new one is written. So resolving costs no store query (a
    remote store stays cheap, and several reports can be written in one transaction), and
    the index grows only with the number of distinct persons and agreements.
    """

    def __init__(self, store: Store):
        self.store = store
        self._loaded = False
        self.person_keys: dict[str, set[str]] = {}      # IRI -> its bkg:nameKey values
        self.person_names: dict[str, set[str]] = {}     # IRI -> its foaf:name values
        self.by_prefix: dict[str, set[str]] = {}        # 'AZE|gzlv|' -> IRIs with such a key
        self.agreements: dict[str, tuple[set, set, set]] = {}  # IRI -> titles, kinds, parties
        self.by_party: dict[str, set[str]] = {}         # ISO3 -> agreement IRIs
        self.taken: set[str] = set()                    # person and agreement IRIs in use
        self._minted_here: dict[str, tuple] = {}        # new agreement IRI -> what it names,
        #                                                 for the report being resolved

    def resolve(self, report, extraction: Extraction) -> None:
        """Sets the IRIs; reads the index only (this report's own facts are added by add())."""
        self._load()
        for official in extraction.officials:
            official.name_key = name_key(official)
            official.iri = self._person(official)
        self._minted_here: dict[str, tuple] = {}
        for agreement in extraction.agreements:
            agreement.iri = self._agreement(agreement)
        _merge_same_nodes(extraction)

    # ------------------------------------------------------------ the index

    def _load(self, only: set[str] | None = None) -> None:
        """Reads the index from the store: all of it, or the entries of the IRIs `only`."""
        if only is None:
            if self._loaded:
                return
            self._loaded = True
            values = ""
        else:
            for iri in only:
                self._drop(iri)
            if not only:
                return
            values = "VALUES ?s { " + " ".join(f"<{iri}>" for iri in sorted(only)) + " } "
        q = self.store.select
        for row in q(NS + "SELECT DISTINCT ?s ?key WHERE { " + values + "?s bkg:nameKey ?key }"):
            self._add_key(row["s"], row["key"])
        # Each pattern reads every report graph's copy of a triple: the nodes are made
        # distinct first, so that two patterns' copies never multiply (minutes at 100,000).
        persons = "{ SELECT DISTINCT ?s WHERE { " + values + "?s bkg:nameKey [] } } "
        agreements = "{ SELECT DISTINCT ?s WHERE { " + values + "?s a bkg:Agreement } } "
        for row in q(NS + "SELECT DISTINCT ?s ?name WHERE { " + persons + "?s foaf:name ?name }"):
            self.person_names.setdefault(row["s"], set()).add(row["name"])
        for row in q(NS + "SELECT DISTINCT ?s WHERE { " + values +
                     "{ ?s a bkg:Person } UNION { ?s a bkg:Agreement } }"):
            self.taken.add(row["s"])
        for row in q(NS + "SELECT DISTINCT ?s ?title WHERE { " + agreements +
                     "?s dct:title ?title }"):
            self._agreement_entry(row["s"])[0].add(row["title"])
        for row in q(NS + "SELECT DISTINCT ?s ?kind WHERE { " + agreements +
                     "?s bkg:agreementKind ?kind }"):
            self._agreement_entry(row["s"])[1].add(row["kind"])
        # Parties and the states' codes apart, joined here (one code per state).
        parties = q(NS + "SELECT DISTINCT ?s ?x WHERE { " + agreements + "?s bkg:party ?x }")
        codes = {row["x"]: row["iso"] for row in q(
            NS + "SELECT DISTINCT ?x ?iso WHERE { ?x bkg:iso3 ?iso }")}
        for row in parties:
            iso = codes.get(row["x"])
            if iso is not None:
                self._agreement_entry(row["s"])[2].add(iso)
                self.by_party.setdefault(iso, set()).add(row["s"])

    def _add_key(self, iri: str, key: str) -> None:
        self.person_keys.setdefault(iri, set()).add(key)
        self.by_prefix.setdefault(key.rsplit("|", 1)[0] + "|", set()).add(iri)
        self.taken.add(iri)

    def _agreement_entry(self, iri: str) -> tuple[set, set, set]:
        self.taken.add(iri)
        return self.agreements.setdefault(iri, (set(), set(), set()))

    def _drop(self, iri: str) -> None:
        for key in self.person_keys.pop(iri, ()):
            self.by_prefix.get(key.rsplit("|", 1)[0] + "|", set()).discard(iri)
        self.person_names.pop(iri, None)
        for party in self.agreements.pop(iri, (set(), set(), set()))[2]:
            self.by_party.get(party, set()).discard(iri)
        self.taken.discard(iri)

    def add(self, extraction: Extraction) -> None:
        """Adds a resolved report's persons and agreements, as its graph will store them."""
        for official in extraction.officials:
            self._add_key(official.iri, official.name_key)
            self.person_names.setdefault(official.iri, set()).add(official.name)
        for agreement in extraction.agreements:
            titles, kinds, parties = self._agreement_entry(agreement.iri)
            titles.add(agreement.title)
            kinds.add(v.concept("agreement-kind", agreement.kind))
            parties.update(agreement.parties)
            for party in agreement.parties:
                self.by_party.setdefault(party, set()).add(agreement.iri)

    def nodes_of(self, report_id: str) -> set[str]:
        """The persons and agreements of a stored report's graph (to reload() once replaced)."""
        return {row["s"] for row in self.store.select(
            NS + f"SELECT DISTINCT ?s WHERE {{ GRAPH <{v.graph_iri(report_id)}> "
            "{ { ?s a bkg:Person } UNION { ?s a bkg:Agreement } } }")}

    def reload(self, iris: set[str]) -> None:
        """Reads these IRIs' entries from the store again (their graphs were replaced)."""
        if self._loaded:
            self._load(set(iris))

    # ------------------------------------------------------------ persons
    def _person(self, official: Official) -> str:
        key = official.name_key
        prefix = key.rsplit("|", 1)[0] + "|"
        initial = key.rsplit("|", 1)[1]
        fits, same_initial = [], []
        for iri in sorted(self.by_prefix.get(prefix, ())):
            names = self.person_names.get(iri, ())
            for stored_key in self.person_keys.get(iri, ()):
                if not stored_key.startswith(prefix):
                    continue
                stored_initial = stored_key.rsplit("|", 1)[1]
                if initial and stored_initial and initial != stored_initial:
                    continue
                # Only the person's full names speak for its given name: a bare surname it was
                # also called by agrees with every given name, and would merge a namesake.
                full = [name for name in names if has_given_name(name)] or list(names)
                if any(given_names_agree(official.name, name) for name in full):
                    fits.append(iri)
                    if initial and any(k == key for k in self.person_keys.get(iri, ())):
                        same_initial.append(iri)
                    break
        # A full name goes to the person known by that initial before one known only by the
        # surname (a bare "Aliyev" minted apart because several Aliyevs were stored).
        if same_initial:
            fits = same_initial
        if len(set(fits)) == 1:
            return fits[0]
        if fits and initial:
            return sorted(set(fits))[0]
        return self._mint(v.person_iri, v.slug(official.name), key)

    # ------------------------------------------------------------ agreements
    def _agreement(self, agreement: Agreement) -> str:
        parties = sorted(set(agreement.parties))
        # what tells two new documents of one report apart where their IRIs' shortened titles
        # agree ("Joint Communiqué on the Establishment of Diplomatic Relations between the
        # Republic of Iceland and the Republic of Estonia", "... of Latvia")
        sign = (v.slug(agreement.title, limit=10_000), tuple(parties))
        if not parties:
            return self._mint(v.agreement_iri, v.slug(agreement.title), None, sign)
        kind_iri = v.concept("agreement-kind", agreement.kind)
        mine = set(words(agreement.title))
        # In IRI order, so that the choice among several fits does not depend on how the
        # index was filled (loaded from the store, or report by report).
        for iri in sorted(self.by_party.get(parties[0], ())):
            titles, kinds, stored_parties = self.agreements[iri]
            if kind_iri not in kinds or sorted(stored_parties) != parties:
                continue
            for title in sorted(titles):
                theirs = set(words(title))
                overlap = len(mine & theirs) / max(1, len(mine | theirs))
                if overlap >= 0.6 or SequenceMatcher(None, agreement.title.lower(),
                                                     title.lower()).ratio() >= 0.85:
                    return iri
        base = v.slug(f"{agreement.title} {' '.join(p.lower() for p in parties)}", limit=90)
        return self._mint(v.agreement_iri, base, None, sign)

    def _mint(self, make, base: str, key: str | None, sign: tuple | None = None) -> str:
        """A new readable IRI; a number is added where the plain one is taken (by a person
        with another name key, or by another new document of this report: `sign`)."""
        minted = self._minted_here
        n = 1
        while True:
            iri = make(base if n == 1 else f"{base}-{n}")
            if (iri not in self.taken or (key and key in self.person_keys.get(iri, ()))) and \
                    (sign is None or minted.setdefault(iri, sign) == sign):
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
        if official.host_state != first.state:
            # two mentions of one person told with different titles (a president, and the
            # same name misread as an envoy to that president's state): never a post hosted
            # by the state it serves
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

