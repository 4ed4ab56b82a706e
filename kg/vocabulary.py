"""Namespaces and IRI minting: every IRI the project writes is made here.

IRIs are readable and stable: a state is keyed by its ISO 3166-1 alpha-3 code, a report by
its id, a person by a slug of their name. `kg serve` resolves all of them (Linked Data).
The base can be changed with the KG_BASE environment variable before anything is stored.
"""
from __future__ import annotations

import os
import re
from urllib.parse import quote, unquote

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401
from unidecode import unidecode

BASE = os.environ.get("KG_BASE", "https://bilateral-kg.org/").rstrip("/") + "/"

BKG = Namespace(BASE + "ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

# SKOS concept schemes of the contract's codes: <BASE>ontology/<scheme>/<code>
CODE_SCHEMES = ("role", "agreement-kind", "agreement-status", "event-kind", "polarity")
ID = BASE + "id/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"


def slug(text: str, limit: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens: 'Gismat Gözalov' -> 'gismat-gozalov'."""
    words = re.findall(r"[a-z0-9]+", unidecode(text or "").lower())
    out = "-".join(words)[:limit].strip("-")
    return out or "x"


def _segment(text: str) -> str:
    return quote(text, safe="-._~")


def concept(scheme: str, code: str) -> str:
    return f"{BASE}ontology/{scheme}/{code}"


def state_iri(iso3: str) -> str:
    return f"{ID}state/{iso3.upper()}"


def report_iri(report_id: str) -> str:
    return f"{ID}report/{_segment(report_id)}"


REPORT_GRAPH = GRAPH + "report/"


def graph_iri(report_id: str) -> str:
    """The named graph that holds one report's facts."""
    return f"{REPORT_GRAPH}{_segment(report_id)}"


def report_of_graph(iri: str) -> str | None:
    """The report id whose named graph `iri` is (graph_iri's inverse); None for any other
    graph (the ontology's, the inferred one, a graph written through the Graph Store)."""
    if not iri.startswith(REPORT_GRAPH):
        return None
    return unquote(iri[len(REPORT_GRAPH):])


def person_iri(key: str) -> str:
    return f"{ID}person/{_segment(key)}"


def agreement_iri(key: str) -> str:
    return f"{ID}agreement/{_segment(key)}"


def relation_iri(a: str, b: str) -> str:
    a, b = sorted((a.upper(), b.upper()))
    return f"{ID}relation/{a}-{b}"


def organization_iri(name: str) -> str:
    return f"{ID}organization/{slug(name)}"


def report_part_iri(kind: str, report_id: str, n: int) -> str:
    """A node that exists only within one report: post, event, evidence."""
    return f"{ID}{kind}/{_segment(report_id)}/{n}"
