"""Mapping: one report's facts to the RDF of its named graph (see docs/rdf-model.md).

Every fact gets a `bkg:Evidence` annotation per sentence that states it: the report, the
sentence's character offsets and its text (Web Annotation selectors).
"""
from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, XSD
from rdflib.store import Store

from kg import gazetteer
from kg import vocabulary as v
from kg.facts import Evidence, Extraction
from kg.vocabulary import BKG, OA, SCHEMA


def date_literal(value: str | None) -> Literal | None:
    """'2025-08-08', '2025-08' or '2025' as xsd:date, xsd:gYearMonth or xsd:gYear."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return None


class _Terms:
    """A namespace whose terms are made once: rdflib makes a new URIRef at each attribute
    (a call), and a term that is a new object equal to a key makes each dict look-up after
    the mapping (the triples' dict, the write's term texts, validation's index) compare
    strings in Python (rdflib's __eq__); one object per term is found by identity."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


BKG, OA, SCHEMA = _Terms(BKG), _Terms(OA), _Terms(SCHEMA)
DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, XSD = (_Terms(n) for n in (DCTERMS, FOAF, ORG, RDF, RDFS,
                                                                 SKOS, XSD))
_CONCEPTS: dict[tuple[str, str], URIRef] = {}


def _concept(scheme: str, code: str) -> URIRef:
    """A code's concept IRI, one object per code (see _Terms); the codes are a few dozen."""
    try:
        return _CONCEPTS[scheme, code]
    except KeyError:
        return _CONCEPTS.setdefault((scheme, code), URIRef(v.concept(scheme, code)))


# The terms of an evidence annotation, looked up once (a namespace's attribute is a call).
_TYPE, _EVIDENCE, _SPECIFIC_RESOURCE = RDF.type, BKG.Evidence, OA.SpecificResource
_HAS_BODY, _HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = \
    OA.hasBody, OA.hasTarget, OA.hasSource, OA.hasSelector
_POSITION_SELECTOR, _START, _END = OA.TextPositionSelector, OA.start, OA.end
_QUOTE_SELECTOR, _EXACT = OA.TextQuoteSelector, OA.exact
_SHOWS_POLARITY = BKG.showsPolarity


class ReportTriples(Store):
    """The rdflib store under a report's graph: its triples are added once, then read a few
    times (validation, the write). rdflib's Memory store keeps three indexes and the graph's
    contexts and sends an event for each triple added, which was most of the mapping's time;
    here a triple is one entry of an (ordered) dict, and the indexes a pattern needs are
    built on the first look-up after a change. The graph over it is an ordinary rdflib Graph
    (not context-aware: a single graph)."""

    def __init__(self):
        super().__init__()
        self._triples: dict = {}
        self._index: tuple[dict, ...] | None = None
        self._namespaces: dict[str, URIRef] = {}

    def add(self, triple, context, quoted: bool = False) -> None:
        if triple not in self._triples:
            self._triples[triple] = None
            self._index = None

    def put(self, triple) -> None:
        """add() for the mapping, past rdflib's Graph.add (its checks and a call a triple):
        a triple already held keeps its place, as with add()."""
        self._triples[triple] = None
        self._index = None

    def every_triple(self):
        """The triples, in the order they were added (what iterating the graph gives)."""
        return self._triples.keys()

    def remove(self, triple, context=None) -> None:
        for found in [t for t, _ in self.triples(triple)]:
            del self._triples[found]
        self._index = None

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        if s is None and p is None and o is None:
            found = list(self._triples)
        elif s is not None and p is not None and o is not None:
            found = [triple_pattern] if triple_pattern in self._triples else []
        else:
            by_sp, by_po, by_s, by_p, by_o = self._indexes()
            if s is not None:
                found = by_sp.get((s, p), ()) if p is not None else \
                    [t for t in by_s.get(s, ()) if o is None or t[2] == o]
            elif p is not None:
                found = by_po.get((p, o), ()) if o is not None else by_p.get(p, ())
            else:
                found = by_o.get(o, ())
        for t in found:
            yield t, iter(())

    def _indexes(self) -> tuple[dict, dict, dict, dict, dict]:
        if self._index is None:
            by_sp: dict = {}
            by_po: dict = {}
            by_s: dict = {}
            by_p: dict = {}
            by_o: dict = {}
            for t in self._triples:
                by_sp.setdefault((t[0], t[1]), []).append(t)
                by_po.setdefault((t[1], t[2]), []).append(t)
                by_s.setdefault(t[0], []).append(t)
                by_p.setdefault(t[1], []).append(t)
                by_o.setdefault(t[2], []).append(t)
            self._index = by_sp, by_po, by_s, by_p, by_o
        return self._index

    def __len__(self, context=None) -> int:
        return len(self._triples)

    def contexts(self, triple=None):
        return iter(())

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        if override or prefix not in self._namespaces:
            self._namespaces[prefix] = namespace

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return next((p for p, n in self._namespaces.items() if n == namespace), None)

    def namespaces(self):
        yield from self._namespaces.items()


class ReportGraph:
    def __init__(self, report):
        self.report = report
        store = ReportTriples()
        self.graph = Graph(store=store, identifier=URIRef(v.graph_iri(report.id)))
        self.put = store.put
        self.report_node = URIRef(v.report_iri(report.id))
        self.counters: dict[str, int] = {}
        self.states: dict[str, URIRef] = {}     # ISO3 -> the state's node, one object each
        self.literals: dict = {}                # (type, value) -> its Literal, one object each

    def literal(self, value) -> Literal:
        """Literal(value), one object per value in the report: offsets and sentences come
        back for every fact a sentence tells (see _Terms for why it matters)."""
        key = (type(value), value)
        found = self.literals.get(key)
        if found is None:
            found = self.literals[key] = Literal(value)
        return found

    def mint(self, kind: str) -> URIRef:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return URIRef(v.report_part_iri(kind, self.report.id, self.counters[kind]))

    def add(self, s, p, o) -> None:
        if o is not None:
            self.put((s, p, o))

    def evidence(self, body: URIRef, evidence: list[Evidence],
                 polarities: dict[int, set[str]] | None = None) -> None:
        """One annotation per sentence; for a relation, with the polarities it shows
        (`polarities`, by the sentence's start offset)."""
        text = self.report.text
        add, literal = self.put, self.literal
        for e in evidence:
            # quote the sentence without the white space around it, and point at just that
            quote_text = text[e.start:e.end]
            start = e.start + len(quote_text) - len(quote_text.lstrip())
            end = start + len(quote_text.strip())
            node = self.mint("evidence")
            target, position, quote = BNode(), BNode(), BNode()
            add((node, _TYPE, _EVIDENCE))
            add((node, _HAS_BODY, body))
            add((node, _HAS_TARGET, target))
            add((target, _TYPE, _SPECIFIC_RESOURCE))
            add((target, _HAS_SOURCE, self.report_node))
            add((target, _HAS_SELECTOR, position))
            add((target, _HAS_SELECTOR, quote))
            add((position, _TYPE, _POSITION_SELECTOR))
            add((position, _START, literal(start)))
            add((position, _END, literal(end)))
            add((quote, _TYPE, _QUOTE_SELECTOR))
            add((quote, _EXACT, literal(text[start:end])))
            for polarity in sorted((polarities or {}).get(e.start, ())):
                add((node, _SHOWS_POLARITY, _concept("polarity", polarity)))

    def state(self, iso3: str) -> URIRef:
        node = self.states.get(iso3)
        if node is None:
            node = self.states[iso3] = URIRef(v.state_iri(iso3))
            known = gazetteer.load().states.get(iso3)
            self.add(node, RDF.type, BKG.State)
            self.add(node, BKG.iso3, Literal(iso3))
            if known is not None:
                self.add(node, RDFS.label, Literal(known.name, lang="en"))
                self.add(node, BKG.officialName, Literal(known.official_name))
        return node


def report_graph(report, extraction: Extraction) -> Graph:
    """The triples of one report's named graph."""
    rg = ReportGraph(report)
    g, r = rg.graph, rg.report_node
    add = rg.put
    _report_metadata(rg, report)
    _extractor(rg, extraction)

    for mention in extraction.states:
        node = rg.state(mention.iso3)
        add((r, SCHEMA.mentions, node))
        rg.evidence(node, mention.evidence)

    for official in extraction.officials:
        person = URIRef(official.iri or v.person_iri(v.slug(official.name)))
        add((person, RDF.type, BKG.Person))
        add((person, FOAF.name, Literal(official.name)))
        add((person, RDFS.label, Literal(official.name)))
        for alias in official.aliases:
            add((person, SKOS.altLabel, Literal(alias)))
        key = getattr(official, "name_key", None)
        if key:
            add((person, BKG.nameKey, Literal(key)))
        post = rg.mint("post")
        add((post, RDF.type, BKG.Post))
        add((post, ORG.member, person))
        add((post, BKG.role, _concept("role", official.role)))
        rg.add(post, BKG.position, Literal(official.position) if official.position else None)
        if official.state:
            add((post, BKG.servesState, rg.state(official.state)))
        if official.host_state:
            add((post, BKG.hostState, rg.state(official.host_state)))
        if official.organization:
            org = URIRef(v.organization_iri(official.organization))
            add((org, RDF.type, BKG.InternationalOrganization))
            add((org, RDFS.label, Literal(official.organization)))
            add((post, BKG.servesOrganization, org))
        rg.add(post, BKG.asOf, date_literal(rg_date(report)))
        rg.evidence(post, official.evidence)

    for agreement in extraction.agreements:
        node = URIRef(agreement.iri or v.agreement_iri(_agreement_key(agreement)))
        add((node, RDF.type, BKG.Agreement))
        add((node, DCTERMS.title, Literal(agreement.title)))
        add((node, RDFS.label, Literal(agreement.title)))
        add((node, BKG.agreementKind, _concept("agreement-kind", agreement.kind)))
        add((node, BKG.status, _concept("agreement-status", agreement.status)))
        for party in agreement.parties:
            add((node, BKG.party, rg.state(party)))
        rg.add(node, BKG.signedOn, date_literal(agreement.date))
        rg.add(node, BKG.signedAt, Literal(agreement.place) if agreement.place else None)
        rg.evidence(node, agreement.evidence)

    for event in extraction.events:
        node = rg.mint("event")
        add((node, RDF.type, BKG.Event))
        add((node, BKG.eventKind, _concept("event-kind", event.kind)))
        label = event.kind.replace("_", " ")
        add((node, RDFS.label, Literal(f"{label} {event.date or ''}".strip())))
        rg.add(node, BKG.date, date_literal(event.date))
        rg.add(node, BKG.place, Literal(event.place) if event.place else None)
        for state in event.participants:
            add((node, BKG.participant, rg.state(state)))
        if event.organizer:
            add((node, BKG.organizer, rg.state(event.organizer)))
        for index in event.persons:
            official = extraction.officials[index]
            add((node, BKG.involves,
                   URIRef(official.iri or v.person_iri(v.slug(official.name)))))
        rg.evidence(node, event.evidence)

    for relation in extraction.relations:
        a, b = relation.states
        node = URIRef(v.relation_iri(a, b))
        add((node, RDF.type, BKG.BilateralRelation))
        add((node, RDFS.label, Literal(f"{a}–{b}")))
        add((node, BKG.between, rg.state(a)))
        add((node, BKG.between, rg.state(b)))
        for polarity in sorted(relation.polarities):
            add((node, BKG.polarity, _concept("polarity", polarity)))
        rg.evidence(node, relation.evidence, relation.shown)
    return g


def rg_date(report) -> str | None:
    date = getattr(report, "date", None)
    return date.isoformat() if date else None


def _report_metadata(rg: ReportGraph, report) -> None:
    g, r = rg.graph, rg.report_node
    g.add((r, RDF.type, BKG.Report))
    g.add((r, DCTERMS.identifier, Literal(report.id)))
    g.add((r, RDFS.label, Literal(report.title or report.id)))
    rg.add(r, DCTERMS.title, Literal(report.title) if report.title else None)
    date = getattr(report, "date", None) or report.published   # published, else the dateline's
    if date:
        g.add((r, DCTERMS.date, Literal(date.isoformat(), datatype=XSD.date)))
    rg.add(r, DCTERMS.publisher, Literal(report.source) if report.source else None)
    if report.url and re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", report.url):
        g.add((r, SCHEMA.url, URIRef(report.url)))
    g.add((r, SCHEMA.text, Literal(report.text)))
    if report.content_hash:
        g.add((r, BKG.contentHash, Literal(report.content_hash)))


def _extractor(rg: ReportGraph, extraction) -> None:
    if extraction.extractor:
        rg.graph.add((rg.report_node, BKG.extractedWith, Literal(extraction.extractor)))


def _agreement_key(agreement) -> str:
    """A readable key for an agreement not yet matched to a stored one."""
    parties = "-".join(sorted(p.lower() for p in agreement.parties))
    return v.slug(f"{agreement.title} {parties}", limit=90)
