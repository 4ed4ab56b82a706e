"""Write ontology/ontology.md, the reference of the ontology's terms, from the .ttl files.

    python ontology/build_docs.py            # (re)write ontology.md, then commit it
    python ontology/build_docs.py --check    # exit 1 if ontology.md is stale (tests use this)

`collect()` is also what the viewer's /ontology page renders (kg/web/views/ontology.py), so the
page and the file always show the same terms.
"""
from __future__ import annotations

import sys
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

HERE = Path(__file__).resolve().parent
OUT = HERE / "ontology.md"
BKG = "https://bilateral-kg.org/ontology#"
PREFIXES = {
    "bkg:": BKG, "role:": "https://bilateral-kg.org/ontology/role/",
    "akind:": "https://bilateral-kg.org/ontology/agreement-kind/",
    "astat:": "https://bilateral-kg.org/ontology/agreement-status/",
    "ekind:": "https://bilateral-kg.org/ontology/event-kind/",
    "pol:": "https://bilateral-kg.org/ontology/polarity/",
    "owl:": str(OWL), "rdfs:": str(RDFS), "rdf:": str(RDF), "skos:": str(SKOS),
    "xsd:": "http://www.w3.org/2001/XMLSchema#", "foaf:": "http://xmlns.com/foaf/0.1/",
    "org:": "http://www.w3.org/ns/org#", "prov:": "http://www.w3.org/ns/prov#",
    "oa:": "http://www.w3.org/ns/oa#", "schema:": "https://schema.org/",
    "dct:": "http://purl.org/dc/terms/",
}
CHARACTERISTICS = {OWL.FunctionalProperty: "functional", OWL.SymmetricProperty: "symmetric",
                   OWL.TransitiveProperty: "transitive"}


def short(node) -> str:
    text = str(node)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return f"<{text}>"


def _expr(g: Graph, node) -> str:
    """A class expression in Manchester-like text."""
    if isinstance(node, URIRef):
        return short(node)
    if (node, OWL.intersectionOf, None) in g:
        return " and ".join(_expr(g, n) for n in Collection(g, g.value(node, OWL.intersectionOf)))
    if (node, OWL.unionOf, None) in g:
        return "(" + " or ".join(_expr(g, n) for n in Collection(g, g.value(node, OWL.unionOf))) + ")"
    if (node, OWL.oneOf, None) in g:
        return "{" + ", ".join(short(n) for n in Collection(g, g.value(node, OWL.oneOf))) + "}"
    prop = g.value(node, OWL.onProperty)
    if prop is not None:
        p = short(prop)
        if g.value(node, OWL.hasValue) is not None:
            return f"{p} value {short(g.value(node, OWL.hasValue))}"
        if g.value(node, OWL.someValuesFrom) is not None:
            return f"{p} some {_expr(g, g.value(node, OWL.someValuesFrom))}"
        if g.value(node, OWL.allValuesFrom) is not None:
            return f"{p} only {_expr(g, g.value(node, OWL.allValuesFrom))}"
        n = g.value(node, OWL.qualifiedCardinality)
        if n is not None:
            return f"{p} exactly {n} {_expr(g, g.value(node, OWL.onClass))}"
    return "(an anonymous class)"


def _text(g: Graph, node, prop) -> str:
    values = sorted(str(v) for v in g.objects(node, prop))
    return " ".join(" ".join(v.split()) for v in values)


def collect(directory: Path = HERE) -> dict:
    """The terms of bilateral.ttl and the code lists of codes.ttl, as plain data."""
    g = Graph().parse(directory / "bilateral.ttl", format="turtle")
    codes = Graph().parse(directory / "codes.ttl", format="turtle")
    disjoint = []
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        disjoint.append([short(m) for m in Collection(g, g.value(node, OWL.members))])

    def term(node) -> dict:
        return {"name": short(node), "iri": str(node), "label": _text(g, node, RDFS.label),
                "comment": _text(g, node, RDFS.comment),
                "example": str(g.value(node, SKOS.example) or "")}

    classes = []
    for node in sorted(set(g.subjects(RDF.type, OWL.Class)), key=str):
        if not str(node).startswith(BKG):
            continue
        t = term(node)
        t["superclasses"] = sorted(short(s) for s in g.objects(node, RDFS.subClassOf)
                                   if isinstance(s, URIRef))
        t["restrictions"] = sorted(_expr(g, s) for s in g.objects(node, RDFS.subClassOf)
                                   if isinstance(s, BNode))
        t["definition"] = "; ".join(_expr(g, e) for e in g.objects(node, OWL.equivalentClass))
        t["disjoint"] = sorted({m for group in disjoint if t["name"] in group for m in group}
                               - {t["name"]})
        classes.append(t)

    def properties(kind) -> list[dict]:
        out = []
        for node in sorted(set(g.subjects(RDF.type, kind)), key=str):
            if not str(node).startswith(BKG):
                continue
            t = term(node)
            t["domain"] = ", ".join(_expr(g, d) for d in g.objects(node, RDFS.domain))
            t["range"] = ", ".join(_expr(g, r) for r in g.objects(node, RDFS.range))
            extra = [c for k, c in CHARACTERISTICS.items() if (node, RDF.type, k) in g]
            extra += [f"inverse of {short(o)}" for o in g.objects(node, OWL.inverseOf)]
            extra += [f"inverse of {short(s)}" for s in g.subjects(OWL.inverseOf, node)]
            extra += [f"sub-property of {short(o)}" for o in g.objects(node, RDFS.subPropertyOf)]
            extra += [f"disjoint with {short(o)}" for o in g.objects(node, OWL.propertyDisjointWith)]
            extra += ["chain " + " / ".join(short(n) for n in Collection(g, c))
                      for c in g.objects(node, OWL.propertyChainAxiom)]
            t["characteristics"] = extra
            out.append(t)
        return out

    schemes = []
    for scheme in sorted(codes.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        concepts = sorted(codes.subjects(SKOS.inScheme, scheme), key=str)
        schemes.append({
            "name": str(codes.value(scheme, SKOS.notation)), "iri": str(scheme),
            "title": str(codes.value(scheme, SKOS.prefLabel)),
            "codes": [{"code": str(codes.value(c, SKOS.notation)), "iri": str(c),
                       "label": str(codes.value(c, SKOS.prefLabel)),
                       "definition": str(codes.value(c, SKOS.definition) or "")}
                      for c in concepts]})
    onto = URIRef("https://bilateral-kg.org/ontology")
    return {"title": _text(g, onto, URIRef("http://purl.org/dc/terms/title")),
            "description": _text(g, onto, URIRef("http://purl.org/dc/terms/description")),
            "version": str(g.value(onto, OWL.versionInfo) or ""),
            "classes": classes, "object_properties": properties(OWL.ObjectProperty),
            "datatype_properties": properties(OWL.DatatypeProperty), "schemes": schemes}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(doc: dict) -> str:
    out = ["<!-- Generated by ontology/build_docs.py from bilateral.ttl and codes.ttl. "
           "Do not edit by hand. -->", "", f"# {doc['title']} {doc['version']}", "",
           doc["description"], "",
           "Contents: [classes](#classes), [object properties](#object-properties), "
           "[datatype properties](#datatype-properties), [code lists](#code-lists). "
           "Reasoning over these axioms: docs/reasoning.md; the questions they answer: "
           "ontology/competency-questions.md.", "", "## Classes", ""]
    for c in doc["classes"]:
        out += [f"### {c['name']}", "", f"*{c['label']}*. {c['comment']}", ""]
        if c["superclasses"]:
            out.append(f"- subclass of: {', '.join(c['superclasses'])}")
        for r in c["restrictions"]:
            out.append(f"- every member: {r}")
        if c["definition"]:
            out.append(f"- defined as: {c['definition']}")
        if c["disjoint"]:
            out.append(f"- disjoint with: {', '.join(c['disjoint'])}")
        out += ["", "Example:", "", "```", c["example"], "```", ""]
    for title, key in (("Object properties", "object_properties"),
                       ("Datatype properties", "datatype_properties")):
        out += [f"## {title}", ""]
        for p in doc[key]:
            out += [f"### {p['name']}", "", f"*{p['label']}*. {p['comment']}", "",
                    f"- domain: {p['domain'] or '-'}; range: {p['range'] or '-'}"]
            if p["characteristics"]:
                out.append(f"- {'; '.join(p['characteristics'])}")
            out += ["", "Example:", "", "```", p["example"], "```", ""]
    out += ["## Code lists", "",
            "SKOS concept schemes (ontology/codes.ttl, generated from kg/data/codes.yml); the "
            "notation of each concept is its code.", ""]
    for s in doc["schemes"]:
        out += [f"### {s['title']} (`{s['name']}`)", "", f"<{s['iri']}>", "",
                "| code | label | definition |", "| --- | --- | --- |"]
        out += [f"| `{c['code']}` | {_cell(c['label'])} | {_cell(c['definition'])} |"
                for c in s["codes"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = markdown(collect())
    if "--check" in argv:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python ontology/build_docs.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
