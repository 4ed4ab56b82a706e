"""Summaries of the store, kept at write time in their own named graph.

The pages and named queries that aggregate over every report (how many reports name each state,
each pair's polarities, the latest reports) would read the whole store on every first request.
Instead the store keeps, in `<BASE graph/summary>`, the counts they need as W3C Data Cube
observations (qb:Observation, one qb:DataSet per kind of count; docs/rdf-model.md):

- count observations: one per key (a state, a state and a date, a state and a name, a pair of
  partners, a pair's relation, its polarity or a date, a year, a latest date, a node of a
  counted class), with `bkg:reportCount`, how many report graphs give that key. Every other
  triple of the observation is a function of its key, so its IRI is made from the key.
- report digests: one per report graph (id, title, publication date, source, how many states
  and evidence annotations, its earliest and latest date), for the home page's latest reports;
  sort keys for the embedded store's index (the id's `id_keys`, the least agreement and event
  dates: kg/queries.py's walks);
  and the report's network record (`bkg:networkRecord`, `network_record`): the rows kg.network's
  full view reads of that graph, as compact JSON, so that the graph of the latest 1,000 reports
  stating a node reads 1,000 literals, not the 63,000 rows of its six queries.

`contribution(graph_iri, triples)` is what one report graph adds: a pure function of its
triples. The summary graph is the sum of the contributions of the report graphs, so a rebuild
(`kg reindex`) is that sum, and a write changes it by the new graphs' contributions less the
old ones': `delta_update` is that change as SPARQL Update operations, which the stores append
to the same update as the report graphs' own (kg/store/embedded.py, sparql.py). A change that
only adds new report graphs can also be had as triples to remove and to add, given the values
the store holds (`added_as_triples`: the embedded store's writes of new reports;
`added_to_rebuild`: its rebuild, which adds the report graphs a batch at a time).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import quote

import pyoxigraph as ox

from kg import vocabulary as V

SUMMARY_GRAPH = V.GRAPH + "summary"
# Bumped whenever `contribution` changes: a store whose summary graph carries another version
# (or none) is rebuilt from its report graphs when a writer opens it (`_check_summaries` in
# kg/store/embedded.py and sparql.py). Not for the digests' network records (RECORD_VERSION),
# which came later: their reader (kg.network.records) checks that each report it needs has
# one of its version, and reads the report graphs otherwise, so a store summarised before
# them works as it did (`kg reindex` adds them) and is not rebuilt unasked (217 s at 100,000
# reports). Nor for the digests' sort keys (id_keys, least_fact_date), likewise: the walks that
# read them count the digests having them first (kg/queries.py, _keyed_digests).
VERSION = "2"   # 2: the evidence observations (issue 18)
SUMMARY_BASE = V.BASE + "summary/"

_N = ox.NamedNode
RDF_TYPE = _N(str(V.RDF.type))
QB = "http://purl.org/linked-data/cube#"
QB_DATASET = _N(QB + "dataSet")  # its domain makes each node a qb:Observation
REPORT_COUNT = _N(str(V.BKG.reportCount))
SUMMARY_VERSION = _N(str(V.BKG.summaryVersion))
XSD_INTEGER = _N(str(V.XSD.integer))

# The data sets (qb:DataSet): one per kind of observation, <BASE summary/dataset/KIND>.
KINDS = ("state", "state-date", "state-name", "partner", "pair", "pair-polarity", "pair-date",
         "year", "report", "latest", "reports", "node", "class", "evidence")
DATASETS = {kind: _N(SUMMARY_BASE + "dataset/" + kind) for kind in KINDS}

_BKG = {name: _N(str(V.BKG[name])) for name in (
    "Report", "BilateralRelation", "Evidence", "State", "Person", "Agreement", "Post", "Event",
    "iso3", "between", "polarity", "date",
    "signedOn", "asOf")}
# The summary graph's own properties (ontology/bilateral.ttl): none of them is used in a report
# graph, so the queries that read every graph (`GRAPH ?g`, the union) never match its nodes.
_SUM = {name: _N(str(V.BKG[name])) for name in (
    "aboutState", "partnerState", "aboutRelation", "stateCode", "stateCodeA", "stateCodeB",
    "stateName", "reportDate", "aboutPolarity", "year", "digestOf", "reportId", "reportTitle",
    "publishedOn", "reportSource", "stateCount", "factCount", "earliestDate", "latestDate",
    "aboutNode", "aboutClass", "networkRecord", "reportIdPart1", "reportIdPart2",
    "earliestAgreementDate", "earliestEventDate")}
_DCT = {name: _N(str(V.DCTERMS[name])) for name in ("identifier", "title", "date", "publisher")}
RDFS_LABEL = _N(str(V.RDFS.label))
MENTIONS = _N(str(V.SCHEMA.mentions))
XSD_GYEAR = _N(str(V.XSD.gYear))
WITHIN, FIRST, LAST = (_N(str(V.BKG[name])) for name in ("within", "firstDate", "lastDate"))
FACT_DATES = (_BKG["date"], _BKG["signedOn"], _BKG["asOf"])

# What a network record holds (`network_record`): the rows of kg.network's full-view queries
# over one report graph (queries/network/network-nodes, -attributes, -links, -polarities,
# -reports, -evidence), whose VALUES lists these are, in the record's own order (a record
# gives a class, attribute or link by its index here). Changing them changes RECORD_VERSION.
RECORD_VERSION = 1
NETWORK_CLASSES = tuple(_N(str(V.BKG[name])) for name in (
    "State", "Person", "Post", "Organization", "InternationalOrganization", "Ministry",
    "Embassy", "Agreement", "Event", "BilateralRelation", "Report"))
NETWORK_ATTRIBUTES = (RDFS_LABEL, *(_N(str(V.BKG[name])) for name in (
    "iso3", "role", "agreementKind", "eventKind", "status", "date", "signedOn", "asOf", "place",
    "signedAt", "position")))
NETWORK_LINKS = (_N(str(V.ORG.member)), *(_N(str(V.BKG[name])) for name in (
    "servesState", "hostState", "servesOrganization", "party", "participant", "organizer",
    "involves", "between")), MENTIONS)
HAS_BODY = _N(str(V.OA.hasBody))
# The evidence observations (`evidence_counts`): how many sentences queries/evidence.rq gives a
# node of a shared class, kept so that a hub's page need not count 10,000 of them (1.7 s at
# 100,000 reports). A fact gives its evidence to the nodes it links to by these properties
# (kg/mapping.py's); a link by another one is found by the reader
# (web/queries/evidence-count.rq), which then counts with the query.
FACT_CLASSES = tuple(_N(str(V.BKG[name])) for name in (
    "Post", "Agreement", "Event", "BilateralRelation"))
EVIDENCE_LINKS = (_N(str(V.ORG.member)), *(_N(str(V.BKG[name])) for name in (
    "servesState", "hostState", "servesOrganization", "party", "participant", "organizer",
    "involves", "between")))
_OA = {name: _N(str(V.OA[name])) for name in (
    "hasTarget", "hasSource", "hasSelector", "start", "end", "exact")}

# The triples `contribution` reads; the rest of a report graph (texts, evidence selectors,
# ...) never changes a summary, so a rebuild need read only these.
READ_PREDICATES = frozenset((
    RDF_TYPE, _DCT["identifier"], _DCT["title"], _DCT["date"], _DCT["publisher"], MENTIONS,
    _BKG["iso3"], RDFS_LABEL, _BKG["between"], _BKG["polarity"], *FACT_DATES,
    *NETWORK_ATTRIBUTES, *NETWORK_LINKS, HAS_BODY, *EVIDENCE_LINKS, *_OA.values()))
# The classes the home page counts (kg.store.COUNTED_CLASSES): nodes shared by reports are
# counted once each (an observation per node); posts, events and evidence are minted per report
# (vocabulary.report_part_iri), so their per-report counts add up.
SHARED_CLASSES = (_BKG["State"], _BKG["Person"], _BKG["Agreement"], _BKG["BilateralRelation"])
PER_REPORT_CLASSES = (_BKG["Post"], _BKG["Event"], _BKG["Evidence"])
# What the state-name observations are made from (kg.network reads them in a subset's copy).
STATE_NAME_PREDICATES = (_BKG["iso3"], RDFS_LABEL)
READ_TYPES = frozenset((_BKG["Report"], *SHARED_CLASSES, *PER_REPORT_CLASSES,
                        *NETWORK_CLASSES, *FACT_CLASSES))


def _segment(term) -> str:
    text = term.value if hasattr(term, "value") else str(term)
    return quote(text, safe="-._~")


def _hashed(term) -> str:
    """A term as a short IRI segment: names and dates can hold anything (a language tag,
    a datatype), so the segment is a digest of the term's N-Triples form."""
    return hashlib.sha1(str(term).encode("utf-8")).hexdigest()[:16]


@dataclass
class Contribution:
    """What one report graph adds to the summary graph (see the module doc)."""
    counts: Counter = field(default_factory=Counter)        # observation IRI -> reports
    keys: dict = field(default_factory=dict)                # observation IRI -> its triples
    dated: dict = field(default_factory=dict)   # date observation IRI -> (its parent, date)
    digests: dict = field(default_factory=dict)             # digest IRI -> its triples

    def count(self, kind: str, parts: list[str], triples: list[tuple], n: int = 1, *,
              within: str | None = None, date: ox.Literal | None = None) -> str:
        """Counts `n` for the observation of `kind` keyed by `parts`, described by `triples`;
        `within`: the observation it details (a state's, a pair's), whose first and last
        dates are those of its date observations (`date`)."""
        node = _N(SUMMARY_BASE + kind + "/" + "/".join(parts))
        if node.value not in self.keys:
            triples = [(QB_DATASET, DATASETS[kind]), *triples]
            if within is not None:
                triples.append((WITHIN, _N(within)))
            if date is not None:
                triples.append((_SUM["reportDate"], date))
                self.dated[node.value] = (within, date)
            self.keys[node.value] = [ox.Triple(node, p, o) for p, o in triples]
        self.counts[node.value] += n
        return node.value


def digest_iri(graph_iri: str) -> str:
    """The report digest's IRI for a report graph."""
    return SUMMARY_BASE + "report/" + _segment(graph_iri[len(V.REPORT_GRAPH):]
                                               if graph_iri.startswith(V.REPORT_GRAPH)
                                               else graph_iri)


def relevant(triple: ox.Triple) -> bool:
    """Whether `contribution` reads this triple."""
    return triple.predicate in READ_PREDICATES and (
        triple.predicate != RDF_TYPE or triple.object in READ_TYPES)


def contribution(graph_iri: str, triples: Iterable[ox.Triple]) -> Contribution:
    """What the report graph `graph_iri` holding `triples` adds to the summary graph.

    Each count reproduces, for this one graph, what the aggregating queries counted per report
    graph (their GROUP BY over `GRAPH ?g`), so that the sum over graphs gives their figures:
    states-summary, relations-summary, network-state-labels, and the home page's reports."""
    by_p: dict = defaultdict(lambda: defaultdict(list))  # predicate -> subject -> objects
    typed: dict = defaultdict(set)                       # class -> subjects
    for subject, predicate, object_ in triples:   # each term converted once (relevant's test)
        if predicate not in READ_PREDICATES:
            continue
        if predicate == RDF_TYPE:
            if object_ in READ_TYPES:
                typed[object_].add(subject)
            continue
        objects = by_p[predicate][subject]
        if object_ not in objects:
            objects.append(object_)
    out = Contribution()
    reports = sorted(typed[_BKG["Report"]], key=str)
    iso3 = by_p[_BKG["iso3"]]
    dates = by_p[_DCT["date"]]

    # States: the reports naming them, by publication date, and their names.
    for r in reports:
        for s in by_p[MENTIONS].get(r, ()):
            state = out.count("state", [_hashed(s)], [(_SUM["aboutState"], s)])
            for d in dates.get(r, ()):
                out.count("state-date", [_hashed(s), _hashed(d)], [], within=state, date=d)
        for d in dates.get(r, ()):
            out.count("year", [d.value[:4]],
                      [(_SUM["year"], ox.Literal(d.value[:4], datatype=XSD_GYEAR))])
    for s, codes in iso3.items():
        names = by_p[RDFS_LABEL].get(s) or [None]
        for code in codes:
            for name in names:
                triples_ = [(_SUM["aboutState"], s), (_SUM["stateCode"], code)]
                if name is not None:
                    triples_.append((_SUM["stateName"], name))
                out.count("state-name", [_hashed(s), _hashed(code),
                                         _hashed(name) if name is not None else "-"], triples_)

    # Relations: partners of each state; each pair's reports, polarities and dates.
    for rel in sorted(typed[_BKG["BilateralRelation"]], key=str):
        states = by_p[_BKG["between"]].get(rel, [])
        for x in states:
            for y in states:
                if x != y:
                    out.count("partner", [_hashed(x), _hashed(y)],
                              [(_SUM["aboutState"], x), (_SUM["partnerState"], y)])
        polarities = by_p[_BKG["polarity"]].get(rel, [])
        if not reports or not polarities:
            continue
        codes = sorted({c.value for s in states for c in iso3.get(s, ())})
        # One row of relations-summary's per report, polarity and publication date.
        rows = sum(max(1, len(dates.get(r, ()))) for r in reports)
        for a in codes:
            for b in codes:
                if not a < b:
                    continue
                key = [_hashed(rel), quote(a, safe=""), quote(b, safe="")]
                pair = [(_SUM["aboutRelation"], rel), (_SUM["stateCodeA"], ox.Literal(a)),
                        (_SUM["stateCodeB"], ox.Literal(b))]
                node = out.count("pair", key, pair, len(reports))
                for p in polarities:
                    out.count("pair-polarity", [*key, _hashed(p)],
                              [(_SUM["aboutPolarity"], p)], rows, within=node)
                for r in reports:
                    for d in dates.get(r, ()):
                        out.count("pair-date", [*key, _hashed(d)], [], within=node, date=d)

    # The store's counts: its report graphs, and the nodes of the counted classes.
    out.count("reports", ["report-graphs"], [])
    for cls in SHARED_CLASSES:
        for node in typed[cls]:
            out.count("node", [_hashed(node)], [(_SUM["aboutNode"], node),
                                                (_SUM["aboutClass"], cls)])
    for cls in PER_REPORT_CLASSES:
        if typed[cls]:
            out.count("class", [_hashed(cls)], [(_SUM["aboutClass"], cls)], len(typed[cls]))
    for node, n in evidence_counts(by_p, typed).items():
        out.count("evidence", [_hashed(node)], [(_SUM["aboutNode"], node)], n)

    # The report's digest: its row on the home page, and the dates kg.network orders by.
    every_date = [d.value for p in (_DCT["date"], *FACT_DATES)
                  for objects in by_p[p].values() for d in objects]
    evidence = len(typed[_BKG["Evidence"]])
    record = network_record(by_p, typed) if reports else None
    for r in reports:
        node = _N(digest_iri(graph_iri))
        latest = ox.Literal(max(every_date + [""]))
        # Digests hang off an observation per latest date: the home page reads the latest
        # few dates (a sort of distinct dates), then their digests, not every digest.
        day = out.count("latest", [_hashed(latest)], [(_SUM["latestDate"], latest)])
        rows = [(QB_DATASET, DATASETS["report"]), (_SUM["digestOf"], _N(graph_iri)),
                (WITHIN, _N(day)),
                (_SUM["stateCount"], ox.Literal(str(len(by_p[MENTIONS].get(r, ()))),
                                                datatype=XSD_INTEGER)),
                (_SUM["factCount"], ox.Literal(str(evidence), datatype=XSD_INTEGER)),
                (_SUM["earliestDate"], ox.Literal(min(every_date + ["~"]))),
                (_SUM["latestDate"], latest)]
        if record is not None:
            rows.append((_SUM["networkRecord"], ox.Literal(record)))
        report_id = V.report_of_graph(graph_iri)
        if report_id is not None:
            rows.extend((p, ox.Literal(key)) for p, key in zip(
                (_SUM["reportIdPart1"], _SUM["reportIdPart2"]), id_keys(report_id)))
        for p, cls, date in (("earliestAgreementDate", "Agreement", "signedOn"),
                             ("earliestEventDate", "Event", "date")):
            least = least_fact_date(typed[_BKG[cls]], by_p[_BKG[date]])
            if least is not None:
                rows.append((_SUM[p], ox.Literal(least)))
        published = [ox.Literal(d.value) for d in dates.get(r, ())]
        for p, values in ((_SUM["reportId"], by_p[_DCT["identifier"]].get(r, ())),
                          (_SUM["reportTitle"], by_p[_DCT["title"]].get(r, ())),
                          (_SUM["reportSource"], by_p[_DCT["publisher"]].get(r, ())),
                          (_SUM["publishedOn"], published)):
            rows.extend((p, v) for v in values)
        out.digests[node.value] = [ox.Triple(node, p, o) for p, o in rows]
    return out


# The digests' sort keys are strings of at most this many bytes of UTF-8: Oxigraph's on-disk
# store keeps such a literal in its index keys, so its GPOS index gives them in byte order
# (which is the order of code points, SPARQL's and Python's string order); a longer one it
# keeps by a hash, in no order (kg/queries.py reads them so).
KEY_BYTES = 15


def _cut(text: str) -> str:
    """The longest run of whole characters from the start of `text` of at most KEY_BYTES
    bytes of UTF-8: a prefix, so never after `text`."""
    data = text.encode("utf-8")[:KEY_BYTES + 1]
    end = min(len(data), KEY_BYTES)
    while end < len(data) and data[end] & 0xC0 == 0x80:   # inside a character: before it
        end -= 1
    return data[:end].decode("utf-8")


def sort_text(report_id: str) -> str:
    """The report id's bytes of UTF-8 as ASCII, in their order: a byte below 0x7E as its
    character, one from 0x7E ("~") up as "~" and two hex digits (an escape sorting after every
    byte kept as it is). Of two ids, the one first in code points (SPARQL's and Python's
    order) gives the text first, and cut to any length, a text not after. Ids of ASCII
    without "~" (kg's, most feeds') are their own text."""
    return "".join(chr(b) if b < 0x7E else f"~{b:02x}" for b in report_id.encode("utf-8"))


def id_keys(report_id: str) -> tuple[str, str]:
    """A report id's two sort keys (bkg:reportIdPart1, bkg:reportIdPart2): characters 0-15 and
    15-30 of its `sort_text` (its bytes 0-15 and 15-30 for an id of plain ASCII). An id before
    another never has greater keys, so the digests ordered by their keys, then ids alike in
    both by the whole id, are in the ids' order."""
    text = sort_text(report_id)
    return text[:KEY_BYTES], text[KEY_BYTES:2 * KEY_BYTES]


def least_fact_date(facts: Iterable, dates: dict) -> str | None:
    """The least date, as text, of these facts (their `dates`: subject -> objects; "~" for
    a fact with none, as the by-date listings sort it), cut to KEY_BYTES (a prefix: never
    later than the date); None for no fact. No row of those listings from this graph is
    dated before it."""
    least = min((min((d.value for d in dates.get(f, ())), default="~") for f in facts),
                default=None)
    return None if least is None else _cut(least)


def evidence_counts(by_p: dict, typed: dict) -> dict:
    """Node -> how many rows of distinct (?report, ?start) queries/evidence.rq gives it in
    this graph (network-evidence-reports' count), for each node of a shared class typed here:
    the evidence whose body it is, and that of each fact (FACT_CLASSES) linking to it by
    EVIDENCE_LINKS, each with a target whose source has an id, a selector with a start and
    an end, and a selector with a quote."""
    body_of = by_p.get(HAS_BODY, {})
    targets, sources = by_p.get(_OA["hasTarget"], {}), by_p.get(_OA["hasSource"], {})
    selectors, ids = by_p.get(_OA["hasSelector"], {}), by_p.get(_DCT["identifier"], {})
    starts, ends = by_p.get(_OA["start"], {}), by_p.get(_OA["end"], {})
    exact = by_p.get(_OA["exact"], {})
    sentences: dict = defaultdict(set)   # a body -> its (report id, start) pairs
    for evidence, bodies in body_of.items():
        pairs = set()
        for target in targets.get(evidence, ()):
            chosen = selectors.get(target, ())
            if not any(exact.get(s) for s in chosen):
                continue
            found = [start for s in chosen if ends.get(s) for start in starts.get(s, ())]
            pairs.update((report, start) for r in sources.get(target, ())
                         for report in ids.get(r, ()) for start in found)
        for body in bodies:
            sentences[body] |= pairs
    facts = {f for cls in FACT_CLASSES for f in typed.get(cls, ())}
    given: dict = defaultdict(set)
    for link in EVIDENCE_LINKS:
        for fact, objects in by_p.get(link, {}).items():
            if fact in facts and sentences.get(fact):
                for node in objects:
                    given[node] |= sentences[fact]
    out = {}
    for node in {n for cls in SHARED_CLASSES for n in typed.get(cls, ())}:
        n = len(sentences.get(node, set()) | given.get(node, set()))
        if n:
            out[node] = n
    return out


def network_record(by_p: dict, typed: dict) -> str | None:
    """A report graph's network record: the rows kg.network's full view reads of it (see
    NETWORK_CLASSES), as compact JSON (kg.network's _Recorded reads it), from `contribution`'s
    predicate -> subject -> objects and class -> subjects of the graph's triples. None if any
    of those terms is a blank node, whose label a store does not keep.

    {"v": RECORD_VERSION, "t": [the terms' plain values, sorted], and rows of indices into "t"
    (-1: unbound): "r" [report, publication date, title] (network-reports), "n" [node, class
    index] (network-nodes), "a" [node, attribute index, value] (network-attributes), "l"
    [source, link index, target] (network-links), "p" [relation, polarity]
    (network-polarities), "e" [node, annotations whose body it is] (network-evidence)}.
    Sorted throughout: the same graph gives the same text."""
    nodes = [(node, i) for i, cls in enumerate(NETWORK_CLASSES) for node in typed.get(cls, ())]
    attributes = [(s, i, o) for i, p in enumerate(NETWORK_ATTRIBUTES)
                  for s, objects in by_p.get(p, {}).items() for o in objects]
    links = [(s, i, o) for i, p in enumerate(NETWORK_LINKS)
             for s, objects in by_p.get(p, {}).items() for o in objects]
    polarities = [(s, o) for s, objects in by_p.get(_BKG["polarity"], {}).items()
                  for o in objects]
    bodies = Counter(o for objects in by_p.get(HAS_BODY, {}).values() for o in objects)
    dates, labels = by_p.get(_DCT["date"], {}), by_p.get(RDFS_LABEL, {})
    reports = [(r, d, t) for r in typed.get(_BKG["Report"], ())
               for d in dates.get(r) or [None] for t in labels.get(r) or [None]]
    terms = {node for node, _ in nodes}
    terms.update(x for s, _, o in attributes for x in (s, o))
    terms.update(x for s, _, o in links for x in (s, o))
    terms.update(x for row in polarities for x in row)
    terms.update(bodies)
    terms.update(x for row in reports for x in row if x is not None)
    if any(isinstance(t, ox.BlankNode) for t in terms):
        return None
    # Two terms of one plain value (an IRI and a string) are one entry: the rows are plain.
    plain = {t: t.value for t in terms}
    values = sorted(set(plain.values()))
    index = {v: i for i, v in enumerate(values)}
    code = {t: index[v] for t, v in plain.items()}
    code[None] = -1
    out = {"v": RECORD_VERSION, "t": values,
           "r": sorted([code[r], code[d], code[t]] for r, d, t in reports),
           "n": sorted([code[node], i] for node, i in nodes),
           "a": sorted([code[s], i, code[o]] for s, i, o in attributes),
           "l": sorted([code[s], i, code[o]] for s, i, o in links),
           "p": sorted([code[s], code[o]] for s, o in polarities),
           "e": sorted([code[t], n] for t, n in bodies.items())}
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False)


class Summary:
    """A sum of contributions: the whole summary graph (a rebuild), or a write's change."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.keys: dict = {}
        self.dated: dict = {}
        self.digests: dict = {}          # digest IRI -> triples (None: removed)

    def add(self, c: Contribution, sign: int = 1) -> None:
        for node, n in c.counts.items():
            self.counts[node] += sign * n
            self.keys.setdefault(node, c.keys[node])
        self.dated.update(c.dated)
        for node, triples in c.digests.items():
            if sign > 0:
                self.digests[node] = triples
            else:
                self.digests.setdefault(node, None)

    def merge(self, other: "Summary") -> None:
        """Adds another change to this one (a request carrying several reports')."""
        for node, n in other.counts.items():
            self.counts[node] += n
            self.keys.setdefault(node, other.keys[node])
        self.dated.update(other.dated)
        for node, triples in other.digests.items():
            if triples is not None or node not in self.digests:
                self.digests[node] = triples

    def triples(self) -> list[ox.Triple]:
        """The summary graph holding this sum (counts not positive left out), without its
        version marker (`marker`), which the store writes with them or after them."""
        out = []
        spans: dict = defaultdict(list)
        for node, n in self.counts.items():
            if n > 0:
                out.extend(self.keys[node])
                out.append(ox.Triple(_N(node), REPORT_COUNT,
                                     ox.Literal(str(n), datatype=XSD_INTEGER)))
                if node in self.dated:
                    parent, date = self.dated[node]
                    spans[parent].append(date)
        for parent, dates in spans.items():
            # As SPARQL's MIN and MAX order them: report dates are all xsd:date.
            out.append(ox.Triple(_N(parent), FIRST, min(dates, key=lambda d: d.value)))
            out.append(ox.Triple(_N(parent), LAST, max(dates, key=lambda d: d.value)))
        for triples in self.digests.values():
            out.extend(triples or ())
        return out

    def delta_update(self) -> list[str]:
        """SPARQL Update operations applying this change (new contributions less old ones)
        to a store's summary graph: counts by arithmetic in the store, so that the update
        needs no value read before it; observations whose count falls to 0 removed; digests
        replaced."""
        g = f"<{SUMMARY_GRAPH}>"
        changed = {node: n for node, n in self.counts.items() if n}
        ops = []
        gone = list(self.digests)   # replaced or removed: their old triples go first
        if gone:
            ops.append(f"DELETE {{ GRAPH {g} {{ ?d ?p ?o }} }} WHERE {{ VALUES ?d "
                       f"{{ {' '.join(f'<{d}>' for d in gone)} }} GRAPH {g} {{ ?d ?p ?o }} }}")
        added = [t for node, n in changed.items() if n > 0 for t in self.keys[node]]
        added += [t for triples in self.digests.values() for t in triples or ()]
        if added:
            ops.append(f"INSERT DATA {{ GRAPH {g} {{ {' . '.join(map(str, added))} }} }}")
        if changed:
            values = " ".join(f"(<{node}> {n})" for node, n in changed.items())
            ops.append(
                f"DELETE {{ GRAPH {g} {{ ?n <{REPORT_COUNT.value}> ?old }} }} "
                f"INSERT {{ GRAPH {g} {{ ?n <{REPORT_COUNT.value}> ?new }} }} "
                f"WHERE {{ VALUES (?n ?d) {{ {values} }} "
                f"OPTIONAL {{ GRAPH {g} {{ ?n <{REPORT_COUNT.value}> ?old }} }} "
                f"BIND(COALESCE(?old, 0) + ?d AS ?new) }}")
            fallen = [node for node, n in changed.items() if n < 0]
            if fallen:
                ops.append(
                    f"DELETE {{ GRAPH {g} {{ ?n ?p ?o }} }} WHERE {{ VALUES ?n "
                    f"{{ {' '.join(f'<{n}>' for n in fallen)} }} "
                    f"GRAPH {g} {{ ?n <{REPORT_COUNT.value}> 0 ; ?p ?o }} }}")
        # First and last dates of the states and pairs whose dates changed, from their date
        # observations as they now are (a few hundred for the busiest state).
        parents = sorted({self.dated[node][0] for node in changed if node in self.dated})
        if parents:
            values = " ".join(f"<{p}>" for p in parents)
            ops.append(f"DELETE {{ GRAPH {g} {{ ?o ?p ?d }} }} WHERE {{ "
                       f"VALUES ?o {{ {values} }} VALUES ?p {{ <{FIRST.value}> <{LAST.value}> }} "
                       f"GRAPH {g} {{ ?o ?p ?d }} }}")
            ops.append(
                f"INSERT {{ GRAPH {g} {{ ?o <{FIRST.value}> ?first ; <{LAST.value}> ?last }} }} "
                f"WHERE {{ SELECT ?o (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {{ "
                f"VALUES ?o {{ {values} }} GRAPH {g} {{ ?x <{WITHIN.value}> ?o ; "
                f"<{_SUM['reportDate'].value}> ?d }} }} GROUP BY ?o }}")
        return ops

    def added_as_triples(self, stored) -> tuple[list[ox.Triple], list[ox.Triple]] | None:
        """This change, when it only adds new report graphs, as the summary triples to remove
        and to add: the same summary graph as `delta_update` leaves, with the arithmetic done
        here on the values read through `stored(subject, predicate)` (the objects of the summary
        graph's triples; predicate None: any). An update of ground data then evaluates no WHERE
        inside its transaction (delta_update's were a third of the embedded store's write).

        None (use `delta_update`) if anything falls outside what that takes for granted: a
        count that is not positive (a removal or a replacement), a digest already stored, a
        stored value that is not a single xsd:integer count, or a first or last date that is
        not an xsd:date of the form YYYY-MM-DD (whose order as strings is SPARQL's MIN/MAX)."""
        if any(n <= 0 for n in self.counts.values()) or None in self.digests.values():
            return None
        if any(stored(_N(node), None) for node in self.digests):
            return None
        return self._added(stored, checked=True)

    def added_to_rebuild(self, stored) -> tuple[list[ox.Triple], list[ox.Triple]]:
        """This sum of report graphs' contributions added to a summary graph that sums those of
        other report graphs (a rebuild done a batch at a time, OxigraphStore.reindex), as the
        summary triples to remove and to add, `stored` as in `added_as_triples`: the graph that
        `triples` gives of the sum of both. Its first and last dates are those `triples` picks
        of the two: the stored one before this sum's, so that of dates of one value, the one
        counted first stays, as in `triples` (a date and the same day as a string, say)."""
        return self._added(stored, checked=False)

    def _added(self, stored, *, checked: bool):
        """added_as_triples's and added_to_rebuild's arithmetic; `checked`: None where
        added_as_triples's doc says."""
        removed, added = [], []
        spans: dict = defaultdict(list)
        for node, n in self.counts.items():
            subject = _N(node)
            old = stored(subject, REPORT_COUNT)
            if old:
                if checked and (len(old) > 1 or not _is_integer(old[0])):
                    return None
                removed.append(ox.Triple(subject, REPORT_COUNT, old[0]))
                n += int(old[0].value)
            else:
                # A new observation: its key triples go in with its count (an observation
                # with a count has them already: they are written and removed together).
                added.extend(self.keys[node])
            added.append(ox.Triple(subject, REPORT_COUNT,
                                   ox.Literal(str(n), datatype=XSD_INTEGER)))
            if node in self.dated:
                parent, date = self.dated[node]
                spans[parent].append(date)
        for parent, dates in spans.items():
            subject = _N(parent)
            bounds = [(FIRST, min, stored(subject, FIRST)), (LAST, max, stored(subject, LAST))]
            # The stored first and last are the MIN and MAX of the parent's date observations
            # so far (delta_update keeps them so): with dates only added, the new bounds are
            # those of the old bounds and the added dates.
            if checked and (any(len(old) > 1 for _, _, old in bounds) or not all(
                    _is_day(d) for d in [*dates, *(o for _, _, old in bounds for o in old)])):
                return None
            for predicate, pick, old in bounds:
                best = pick([*old, *dates], key=lambda d: d.value)
                if old != [best]:
                    removed.extend(ox.Triple(subject, predicate, o) for o in old)
                    added.append(ox.Triple(subject, predicate, best))
        for triples in self.digests.values():
            added.extend(triples)
        return removed, added


def _is_integer(term) -> bool:
    return isinstance(term, ox.Literal) and term.datatype == XSD_INTEGER


XSD_DATE = _N(str(V.XSD.date))
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_day(term) -> bool:
    return (isinstance(term, ox.Literal) and term.datatype == XSD_DATE
            and _DAY.fullmatch(term.value) is not None)


def marker() -> ox.Quad:
    """The quad saying the summary graph is complete and of this VERSION."""
    return ox.Quad(_N(SUMMARY_GRAPH), SUMMARY_VERSION, ox.Literal(VERSION), _N(SUMMARY_GRAPH))
