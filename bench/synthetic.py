"""Synthetic reports for benchmarks: a seeded generator of report facts (and texts).

The facts go straight into a store through kg.facts -> kg.mapping -> Store.replace_report:
text extraction, resolution and SHACL validation are skipped, because the benchmarks that use
this measure the graph layer (kg.network, kg.analytics), not ingest. The same seed always gives
the same reports.

What a store of N reports holds: `--states` states in regional blocs (most pairs within a bloc,
so that communities exist), officials of each state, a few of them named with spelling
variants across reports (one IRI, as resolution would give), IGO officials, agreements at every
status (one agreement node named by many reports), events of every kind, and relations of both
polarities, each fact with its sentence as evidence.

    python bench/synthetic.py --reports 10000 --store /tmp/kg-bench     # build a store
    python bench/synthetic.py --reports 200 --texts /tmp/reports         # also write texts

`--texts DIR` writes each report as a .txt with front matter too, for ingest benchmarks (what
extraction then finds will differ in places from the generated facts).
"""
from __future__ import annotations

import argparse
import json
import datetime
import hashlib
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kg import gazetteer  # noqa: E402
from kg import vocabulary as V  # noqa: E402
from kg.facts import (Agreement, Event, Evidence, Extraction, Official, Relation,  # noqa: E402
                      StateMention)
from kg.mapping import report_graph  # noqa: E402
from kg.reports import Report  # noqa: E402

STATUSES = ["proposed", "under_negotiation", "draft", "initialled", "signed", "ratified",
            "in_force", "unknown"]
AGREEMENT_KINDS = {
    "treaty": "Treaty on {topic}", "agreement": "Agreement on {topic}",
    "joint_declaration": "Joint Declaration on {topic}",
    "memorandum": "Memorandum of Understanding on {topic}", "protocol": "Protocol on {topic}",
    "plan": "Action Plan on {topic}", "other": "Letter of Intent on {topic}"}
EVENT_KINDS = ["meeting", "visit", "reception", "negotiation", "phone_call", "summit",
               "credentials", "conflict", "other"]
TOPICS = ["Trade", "Energy Cooperation", "Visa Exemption", "Cultural Exchange", "Transport",
          "Border Delimitation", "Investment Protection", "Science and Technology",
          "Customs Cooperation", "Health", "Education", "Fisheries"]
ROLES = [("head_of_state", "President"), ("head_of_government", "Prime Minister"),
         ("foreign_minister", "Foreign Minister"),
         ("deputy_foreign_minister", "Deputy Foreign Minister"),
         ("minister", "Minister of Economy"), ("legislator", "Speaker of Parliament"),
         ("other_official", "Presidential Adviser")]
GIVEN = ["Amir", "Lena", "Tomas", "Nadia", "Rustam", "Mei", "Kofi", "Ana", "Idris", "Sofia",
         "Jun", "Farid", "Elena", "Omar", "Akosua", "Pavel", "Leila", "Marco", "Aida", "Kenji"]
SURNAMES = ["Karimov", "Hasanli", "Novak", "Okafor", "Lindqvist", "Moreno", "Tanaka", "Haddad",
            "Petrov", "Mensah", "Castillo", "Rahimi", "Kowalski", "Nguyen", "Abdullayev",
            "Suleymanov", "Gozalov", "Meredov", "Osei", "Ferreira", "Yilmaz", "Kim"]
IGOS = ["United Nations", "European Union", "African Union", "OSCE"]
FIELDS = ["trade", "energy", "education", "transport", "security", "culture", "health"]
BLOCS = 8


SYLLABLES = ["ka", "ri", "mo", "ha", "sa", "no", "va", "te", "lu", "de", "bo", "zi", "ma",
             "ro", "gu", "fe", "li", "to", "na", "be"]
SUFFIXES = ["ov", "ian", "ez", "son", "i", "a", "en", "yev", "ski", "ura"]


def surname(rng: random.Random) -> str:
    """A made-up surname: usually a listed one, else syllables and a suffix (8000 forms)."""
    if rng.random() < 0.2:
        return rng.choice(SURNAMES)
    word = "".join(rng.choice(SYLLABLES) for _ in range(2)) + rng.choice(SUFFIXES)
    return word.capitalize()


def variant(name: str, rng: random.Random) -> str:
    """A spelling variant a wire might print ('Gozalov' -> 'Gezalov', 'Karimov' -> 'Karimow')."""
    for a, b in (("o", "e"), ("ov", "ow"), ("i", "y"), ("a", "e")):
        if a in name[1:]:
            i = name.index(a, 1)
            return name[:i] + b + name[i + len(a):]
    return name + "e"


@dataclass
class Person:
    iri: str
    name: str
    forms: list[str]     # the canonical name and its variants
    role: str
    position: str
    state: str | None
    host: str | None = None
    organization: str | None = None


class World:
    """The states, their people and agreements, from which reports are drawn."""

    def __init__(self, seed: int, n_states: int):
        self.rng = rng = random.Random(seed)
        gaz = gazetteer.load()
        codes = sorted(gaz.states)
        self.states = sorted(rng.sample(codes, min(n_states, len(codes))))
        self.names = {c: gaz.states[c].name for c in self.states}
        self.bloc = {c: i % BLOCS for i, c in enumerate(rng.sample(self.states, len(self.states)))}
        self.people: dict[str, list[Person]] = {}
        used: set[str] = set()
        for state in self.states:
            staff = []
            for role, position in ROLES + [("ambassador", "Ambassador")] * 3:
                while True:
                    name = f"{rng.choice(GIVEN)} {surname(rng)}"
                    if name not in used:
                        break
                used.add(name)
                forms = [name]
                if rng.random() < 0.3:  # some are spelt two or three ways across reports
                    given, family = name.split(" ", 1)
                    forms.append(f"{given} {variant(family, rng)}")
                    if rng.random() < 0.5:
                        forms.append(f"{variant(given, rng)} {family}")
                host = rng.choice([s for s in self.states if s != state]) \
                    if role == "ambassador" else None
                staff.append(Person(V.person_iri(V.slug(name)), name, forms, role, position,
                                    state, host))
            self.people[state] = staff
        self.igo_people = []
        for org in IGOS:
            name = f"{rng.choice(GIVEN)} {surname(rng)}"
            self.igo_people.append(Person(V.person_iri(V.slug(name)), name, [name],
                                          "igo_official", f"Secretary-General of the {org}",
                                          None, organization=org))

    def pair(self) -> tuple[str, str]:
        rng = self.rng
        a = rng.choice(self.states)
        if rng.random() < 0.8:  # most dealings are within a bloc
            others = [s for s in self.states if self.bloc[s] == self.bloc[a] and s != a]
        else:
            others = [s for s in self.states if s != a]
        return a, rng.choice(others)

    def agreement_title(self, a: str, b: str) -> tuple[str, str]:
        """One of a few documents per pair, so that many reports name the same agreement."""
        pair_rng = random.Random(f"{min(a, b)}{max(a, b)}")
        kind = pair_rng.choice(sorted(AGREEMENT_KINDS))
        topic = self.rng.choice(pair_rng.sample(TOPICS, 3))
        return kind, AGREEMENT_KINDS[kind].format(topic=topic)


class Writer:
    """Builds a report's text sentence by sentence, handing back each sentence's span."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def say(self, sentence: str) -> list[Evidence]:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        start = self.length
        self.parts.append(sentence)
        self.length += len(sentence)
        return [Evidence(start, self.length)]

    @property
    def text(self) -> str:
        return "".join(self.parts)


def make_report(world: World, n: int) -> tuple[Report, Extraction]:
    rng = world.rng
    day = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(11 * 365))
    a, b = world.pair()
    states = [a, b]
    if rng.random() < 0.2:
        states.append(rng.choice([s for s in world.states if s not in states]))
    name = world.names
    w, x = Writer(), Extraction()

    officials: list[Person] = [rng.choice(world.people[s][:7]) for s in (a, b)]
    if rng.random() < 0.3:
        envoy = world.people[a][7 + rng.randrange(3)]
        officials.append(envoy)
        if envoy.host not in states:
            states.append(envoy.host)
    if rng.random() < 0.1:
        officials.append(rng.choice(world.igo_people))

    for p in officials:
        shown = rng.choice(p.forms)
        if p.organization:
            text = f"{p.position} {shown} welcomed the talks."
        elif p.host:
            text = f"The Ambassador of {name[p.state]} to {name[p.host]} {shown} attended."
        else:
            text = f"{p.position} of {name[p.state]} {shown} took part."
        x.officials.append(Official(name=shown, role=p.role, position=p.position,
                                    state=p.state, host_state=p.host,
                                    organization=p.organization, evidence=w.say(text),
                                    iri=p.iri))

    kinds = [rng.choice(EVENT_KINDS) for _ in range(rng.choice((1, 1, 2)))]
    for kind in kinds:
        parts = states if kind == "summit" else [a, b]
        date = day.isoformat() if rng.random() < 0.7 else day.strftime("%Y-%m")
        text = (f"The {kind.replace('_', ' ')} between "
                f"{' and '.join(name[s] for s in parts)} took place in {name[a]} on {date}.")
        x.events.append(Event(kind=kind, date=date, place=name[a], participants=list(parts),
                              organizer=a, persons=[0, 1], trigger=kind,
                              evidence=w.say(text)))

    if rng.random() < 0.5:
        kind, title = world.agreement_title(a, b)
        status = rng.choice(STATUSES)
        text = f"The {title} between {name[a]} and {name[b]} is {status.replace('_', ' ')}."
        x.agreements.append(Agreement(
            title=title, kind=kind, status=status, parties=sorted((a, b)),
            date=day.isoformat() if status in ("signed", "initialled") else None,
            place=name[a], evidence=w.say(text),
            iri=V.agreement_iri(V.slug(f"{title} {a} {b}".lower()
                                       if a < b else f"{title} {b} {a}".lower(), limit=90))))

    roll = rng.random()
    polarities = ({"cooperative"} if roll < 0.7 else {"conflictual"} if roll < 0.9
                  else {"cooperative", "conflictual"})
    for s, t in [(a, b)] + ([(a, states[2])] if len(states) > 2 else []):
        words = []
        if "cooperative" in polarities:
            words.append(f"{name[s]} and {name[t]} agreed to deepen cooperation in "
                         f"{rng.choice(FIELDS)}.")
        if "conflictual" in polarities:
            words.append(f"{name[s]} protested against the actions of {name[t]}.")
        evidence = [e for sentence in words for e in w.say(sentence)]
        x.relations.append(Relation(states=tuple(sorted((s, t))), polarities=set(polarities),
                                    evidence=evidence))

    text = w.text
    for s in states:
        x.states.append(StateMention(s, [Evidence(0, text.index(".") + 1)]))
    rid = f"synthetic-{day.isoformat()}-{n:06d}"
    title = f"{name[a]} and {name[b]}: {kinds[0].replace('_', ' ')}"
    report = Report(id=rid, text=text, published=day, title=title, source="Synthetic Wire",
                    url=f"https://example.org/synthetic/{rid}",
                    content_hash=hashlib.sha256(text.encode()).hexdigest())
    return report, x


def generate(n_reports: int, seed: int = 1, n_states: int = 120):
    """(Report, Extraction) pairs, n_reports of them, the same for the same seed."""
    world = World(seed, n_states)
    for n in range(n_reports):
        yield make_report(world, n)


def build_store(store, n_reports: int, seed: int = 1, n_states: int = 120,
                texts: Path | None = None, progress: bool = False) -> int:
    """Writes n_reports synthetic reports into `store`; returns how many were written."""
    if texts is not None:
        texts.mkdir(parents=True, exist_ok=True)
    count = 0
    for report, extraction in generate(n_reports, seed, n_states):
        store.replace_report(report.id, report_graph(report, extraction))
        if texts is not None:
            (texts / f"{report.id}.txt").write_text(
                f"---\nid: {report.id}\ntitle: {json.dumps(report.title)}\n"   # a quoted YAML string
                f"published: {report.published.isoformat()}\nsource: {report.source}\n"
                f"url: {report.url}\n---\n{report.text}\n", encoding="utf-8")
        count += 1
        if progress and count % 1000 == 0:
            print(f"  {count} reports", file=sys.stderr)
    return count


def main(argv=None) -> int:
    from kg.store import Store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--states", type=int, default=120, help="how many states (default 120)")
    ap.add_argument("--store", required=True, metavar="DIR", help="store folder to write")
    ap.add_argument("--texts", type=Path, metavar="DIR", help="also write the report texts")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    with Store.open(args.store) as store:
        n = build_store(store, args.reports, args.seed, args.states, args.texts, progress=True)
        stats = store.stats()
    print(f"{n} synthetic reports into {args.store} in {time.perf_counter() - start:.1f} s; "
          f"{stats['triples']} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
