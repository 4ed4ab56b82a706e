"""A small report graph that follows docs/rdf-model.md (REPORT, its TEXT and its facts with
their evidence), shared by the ontology, validation, reasoning and competency tests."""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
import rdflib.namespace as rns
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS

BKG = Namespace("https://bilateral-kg.org/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://bilateral-kg.org/id/")
CODE = "https://bilateral-kg.org/ontology/"

REPORT = "trend-2025-11-07-aze-tkm-reception"
TEXT = ("BAKU, Azerbaijan, November 7. The Embassy of Azerbaijan in Turkmenistan held a reception. "
        "Ambassador Gismat Gözalov addressed the guests. "
        "Armenia and Azerbaijan signed the Joint Declaration in Washington on August 8.")


def _span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def report_graph() -> Graph:
    """A small report graph that follows docs/rdf-model.md."""
    g = Graph()
    report = ID[f"report/{REPORT}"]
    g.add((report, RDF.type, BKG.Report))
    g.add((report, DCTERMS.identifier, Literal(REPORT)))
    g.add((report, DCTERMS.title, Literal("Azerbaijan's Victory Day marked in Turkmenistan")))
    g.add((report, DCTERMS.date, Literal("2025-11-07", datatype=rns.XSD.date)))
    g.add((report, DCTERMS.publisher, Literal("Trend")))
    g.add((report, SCHEMA.url, URIRef("https://example.org/news/1")))
    g.add((report, SCHEMA.text, Literal(TEXT)))
    g.add((report, BKG.contentHash, Literal("ab" * 32)))
    for iso, name in (("AZE", "Azerbaijan"), ("TKM", "Turkmenistan"), ("ARM", "Armenia")):
        s = ID[f"state/{iso}"]
        g.add((s, RDF.type, BKG.State))
        g.add((s, BKG.iso3, Literal(iso)))
        g.add((s, RDFS.label, Literal(name, lang="en")))
        g.add((report, SCHEMA.mentions, s))
    person = ID["person/gismat-gozalov"]
    g.add((person, RDF.type, BKG.Person))
    g.add((person, FOAF.name, Literal("Gismat Gözalov")))
    g.add((person, SKOS.altLabel, Literal("Gözalov")))
    g.add((person, BKG.nameKey, Literal("aze gzlv g")))
    post = ID[f"post/{REPORT}/1"]
    g.add((post, RDF.type, BKG.Post))
    g.add((post, ORG.member, person))
    g.add((post, BKG.role, URIRef(CODE + "role/ambassador")))
    g.add((post, BKG.position, Literal("Ambassador")))
    g.add((post, BKG.servesState, ID["state/AZE"]))
    g.add((post, BKG.hostState, ID["state/TKM"]))
    g.add((post, BKG.asOf, Literal("2025-11-07", datatype=rns.XSD.date)))
    agreement = ID["agreement/joint-declaration-arm-aze"]
    g.add((agreement, RDF.type, BKG.Agreement))
    g.add((agreement, DCTERMS.title, Literal("Joint Declaration")))
    g.add((agreement, BKG.agreementKind, URIRef(CODE + "agreement-kind/joint_declaration")))
    g.add((agreement, BKG.party, ID["state/ARM"]))
    g.add((agreement, BKG.party, ID["state/AZE"]))
    g.add((agreement, BKG.status, URIRef(CODE + "agreement-status/signed")))
    g.add((agreement, BKG.signedOn, Literal("2025-08", datatype=rns.XSD.gYearMonth)))
    g.add((agreement, BKG.signedAt, Literal("Washington")))
    event = ID[f"event/{REPORT}/1"]
    g.add((event, RDF.type, BKG.Event))
    g.add((event, BKG.eventKind, URIRef(CODE + "event-kind/reception")))
    g.add((event, BKG.date, Literal("2025-11-07", datatype=rns.XSD.date)))
    g.add((event, BKG.place, Literal("Turkmenistan")))
    g.add((event, BKG.participant, ID["state/AZE"]))
    g.add((event, BKG.participant, ID["state/TKM"]))
    g.add((event, BKG.organizer, ID["state/AZE"]))
    g.add((event, BKG.involves, person))
    relation = ID["relation/AZE-TKM"]
    g.add((relation, RDF.type, BKG.BilateralRelation))
    g.add((relation, BKG.between, ID["state/AZE"]))
    g.add((relation, BKG.between, ID["state/TKM"]))
    g.add((relation, BKG.polarity, URIRef(CODE + "polarity/cooperative")))
    sentences = {
        post: "Ambassador Gismat Gözalov addressed the guests.",
        agreement: "Armenia and Azerbaijan signed the Joint Declaration in Washington on August 8.",
        event: "The Embassy of Azerbaijan in Turkmenistan held a reception.",
        relation: "The Embassy of Azerbaijan in Turkmenistan held a reception.",
        ID["state/AZE"]: "BAKU, Azerbaijan, November 7.",
    }
    for n, (body, sentence) in enumerate(sentences.items(), start=1):
        add_evidence(g, n, body, sentence)
    return g


def add_evidence(g: Graph, n: int, body, sentence: str, start: int | None = None,
                 end: int | None = None) -> URIRef:
    s, e = _span(sentence)
    ev = ID[f"evidence/{REPORT}/{n}"]
    target, pos, quote = BNode(), BNode(), BNode()
    g.add((ev, RDF.type, BKG.Evidence))
    g.add((ev, OA.hasBody, body))
    g.add((ev, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, ID[f"report/{REPORT}"]))
    g.add((target, OA.hasSelector, pos))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(s if start is None else start)))
    g.add((pos, OA.end, Literal(e if end is None else end)))
    g.add((target, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(sentence)))
    return ev
