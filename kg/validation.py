"""Check report graphs against the SHACL shapes in ontology/shapes.ttl.

    result = validate(graph)          # one report's graph, or a Dataset of report graphs
    if not result.conforms:
        print(result.text())

Two checkers read the same shapes. One report's graph (ingest) is checked with Python checks
compiled from them (kg/shape_checks.py, ~5 ms a report); a whole store (`kg validate`) with
pyshacl, the reference (no RDFS/OWL inference, no SHACL-AF, on the data in place), ~37 ms a
report. KG_VALIDATION=pyshacl|compiled (or validate(..., engine=...)) chooses one for all.
The shapes are parsed once per process. A Dataset is checked one named graph at a time, because
each report's graph must be complete on its own.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyshacl
from pyshacl.rdfutil.stringify import stringify_blank_node
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, XSD, NamespaceManager

from kg import vocabulary as V
from kg.resources import data_folder
from kg.shape_checks import CompiledShapes, Data, compile_shapes

SH = V.SH
DEFAULT_BASE = "https://bilateral-kg.org/"  # the base the .ttl files are written with

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Violation:
    focus: str              # the IRI of the node at fault (a blank node is traced to its owner)
    path: str | None        # the property path, compact ('bkg:role', '^oa:hasBody', ...)
    message: str
    severity: str           # 'Violation', 'Warning' or 'Info'
    report: str | None = None  # the id of the report whose graph holds the node

    def text(self) -> str:
        where = f" [{self.report}]" if self.report else ""
        path = f" {self.path}:" if self.path else ":"
        return f"{self.severity}{where} <{self.focus}>{path} {self.message}"


@dataclass
class Validation:
    conforms: bool          # no result of severity Violation (warnings do not count)
    violations: list[Violation] = field(default_factory=list)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]

    def text(self) -> str:
        if not self.violations:
            return "Conforms: no violations."
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {len(self.errors)} violation(s), {len(self.warnings)} warning(s)."]
        lines += [f"  - {v.text()}" for v in self.violations]
        return "\n".join(lines)


def ontology_dir() -> Path:
    env = os.environ.get("KG_ONTOLOGY_DIR")
    return Path(env) if env else data_folder("ontology")


@functools.lru_cache(maxsize=4)
def _shapes(directory: str, base: str) -> Graph:
    text = (Path(directory) / "shapes.ttl").read_text(encoding="utf-8")
    if base != DEFAULT_BASE:
        # The data's IRIs follow KG_BASE; move the shapes' code IRIs and classes with them.
        text = text.replace(DEFAULT_BASE, base)
    return Graph().parse(data=text, format="turtle")


def shapes_graph() -> Graph:
    """The parsed shapes (cached per ontology dir and base)."""
    return _shapes(str(ontology_dir()), V.BASE)


@functools.lru_cache(maxsize=1)
def _namespaces() -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in {
        "bkg": str(V.BKG), "oa": str(V.OA), "schema": str(V.SCHEMA), "dct": str(DCTERMS),
        "foaf": str(FOAF), "org": str(ORG), "skos": str(SKOS), "rdfs": str(RDFS), "rdf": str(RDF),
        "xsd": str(XSD), "role": V.concept("role", ""), "akind": V.concept("agreement-kind", ""),
        "astat": V.concept("agreement-status", ""), "ekind": V.concept("event-kind", ""),
        "pol": V.concept("polarity", ""),
    }.items():
        nm.bind(prefix, ns, override=True)
    return nm


def _compact(node) -> str:
    nm = _namespaces()
    if isinstance(node, URIRef):
        try:
            return nm.normalizeUri(node) if not str(node).startswith(V.ID) else str(node)
        except Exception:  # an IRI that no prefix fits
            return str(node)
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    return str(node)


def _path_text(path, shapes: Graph) -> str | None:
    """A SHACL path as compact text: 'bkg:role', '^oa:hasBody', 'oa:hasTarget/oa:hasSource'."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _compact(path)
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (_path_text(inverse, shapes) or "?")
    if shapes.value(path, RDF.first) is not None:
        return "/".join(_path_text(p, shapes) or "?" for p in Collection(shapes, path))
    return str(path)


def _owner(graph: Graph, node, limit: int = 5) -> tuple[object, list[str]]:
    """Trace a blank node (an evidence's target or selector) up to the IRI that holds it."""
    steps: list[str] = []
    while isinstance(node, BNode) and limit > 0:
        parent = next(iter(graph.subject_predicates(node)), None)
        if parent is None:
            break
        node, predicate = parent
        steps.insert(0, _compact(predicate))
        limit -= 1
    return node, steps


def _report_of_graph(graph: Graph) -> str | None:
    """The report a graph is about: from its name (graph/report/{id}) or its single bkg:Report."""
    named = V.report_of_graph(str(graph.identifier))
    if named is not None:
        return named
    reports = set(graph.subjects(RDF.type, V.BKG.Report))
    if len(reports) == 1:
        ident = graph.value(next(iter(reports)), DCTERMS.identifier)
        return str(ident) if ident is not None else None
    return None


def _pyshacl_results(graph: Graph) -> Iterable[tuple]:
    """(focus, path text, value, severity, messages) of each pyshacl result."""
    if not graph.store.context_aware:
        # pyshacl wraps the data graph in a ConjunctiveGraph, which needs a context-aware
        # store; a report's graph from kg.mapping has a lighter one
        copy = Graph(identifier=graph.identifier)
        for triple in graph:
            copy.add(triple)
        graph = copy
    try:
        _, results_graph, _ = pyshacl.validate(
            graph, shacl_graph=shapes_graph(), inference="none", advanced=False, inplace=True,
            allow_warnings=True, allow_infos=True, abort_on_first=False, meta_shacl=False,
            js=False, debug=False,
        )
    finally:
        _forget_blank_node_texts()
    # The report's own results only: the results nested under them by sh:detail (why an
    # sh:node value failed its shape) have the value as focus and pyshacl's generic wording.
    for result in results_graph.objects(None, SH.result):
        yield (results_graph.value(result, SH.focusNode),
               _path_text(results_graph.value(result, SH.resultPath), results_graph),
               results_graph.value(result, SH.value),
               SEVERITIES.get(results_graph.value(result, SH.resultSeverity), "Violation"),
               sorted(str(m) for m in results_graph.objects(result, SH.resultMessage)))


def compiled_checks() -> CompiledShapes:
    """The checks compiled from the shapes (cached with them)."""
    return _compiled(str(ontology_dir()), V.BASE)


@functools.lru_cache(maxsize=4)
def _compiled(directory: str, base: str) -> CompiledShapes:
    return compile_shapes(_shapes(directory, base))


def _compiled_results(graph: Graph, data: Data) -> Iterable[tuple]:
    checks = compiled_checks()
    for focus, path, value, severity, messages in checks.results(graph, data):
        yield focus, _path_text(path, checks.source), value, severity, messages


def _check(graph: Graph, report: str | None,
           report_of: Callable[[str], str | None] | None, engine: str) -> list[Violation]:
    data = Data(graph)   # one index of the triples, read by the compiled and cross checks
    results = _pyshacl_results(graph) if engine == "pyshacl" else _compiled_results(graph, data)
    out: list[Violation] = []
    for focus, path, value, severity, messages in results:
        message = " ".join(messages) or "Does not conform to the shapes."
        if value is not None and value != focus:
            message += f" (found: {_compact(value)})"
        if isinstance(focus, BNode):
            focus, steps = _owner(graph, focus)
            if steps:
                path = "/".join(steps + ([path] if path else []))
        focus_text = str(focus)
        owner = (report_of(focus_text) if report_of else None) or report
        out.append(Violation(focus_text, path, message, severity, owner))
    for focus, path, message in _cross_checks(data):
        owner = (report_of(str(focus)) if report_of else None) or report
        out.append(Violation(str(focus), path, message, "Violation", owner))
    return out


def _forget_blank_node_texts() -> None:
    """Empties pyshacl's module-wide cache of blank-node texts (pyshacl 0.40).

    pyshacl keys it on (id(data graph), blank node) and never empties it, so a process that
    validates report after report kept every report's evidence selectors as text: about
    8 MB per 1,000 reports, the linear growth `kg ingest` showed over 46,000 reports.
    Each validation builds a new data graph, so no entry is ever read again after it.
    """
    cache = getattr(stringify_blank_node, "dict_cache", None)
    if cache is not None:
        cache.clear()


# Checks that compare values across nodes. They would be SHACL-SPARQL constraints, but pyshacl
# re-parses a SPARQL query for every focus node (about 50 ms each); in Python they cost microseconds.
ISO3 = re.compile(r"^[A-Z]{3}$")
INTEGER_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long}


def _integer(node) -> int | None:
    if isinstance(node, Literal) and node.datatype in INTEGER_TYPES:
        value = node.toPython()
        return value if isinstance(value, int) else None  # an ill-typed literal stays a Literal
    return None


# The terms the cross checks read, made once: a namespace's attribute makes a new URIRef at
# each use, and these are read for every state, relation and evidence of a report.
_TYPE = RDF.type
_STATE, _ISO3, _RELATION, _BETWEEN, _EVIDENCE = (V.BKG[n] for n in (
    "State", "iso3", "BilateralRelation", "between", "Evidence"))
_HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR, _QUOTE, _POSITION, _START, _END, _EXACT = (
    V.OA[n] for n in ("hasTarget", "hasSource", "hasSelector", "TextQuoteSelector",
                      "TextPositionSelector", "start", "end", "exact"))
_TEXT = V.SCHEMA.text


def _cross_checks(graph: Data) -> list[tuple[object, str, str]]:
    """(focus, path, message) for what the shapes cannot cheaply say; `graph` is the
    report's triples indexed (kg.shape_checks.Data)."""
    out: list[tuple[object, str, str]] = []

    def code(state) -> str | None:
        codes = [str(c) for c in graph.objects(state, _ISO3)]
        return codes[0] if len(codes) == 1 and ISO3.match(codes[0]) else None

    for state in graph.subjects(_TYPE, _STATE):
        iso = code(state)
        if iso and not str(state).endswith(f"/state/{iso}"):
            out.append((state, "bkg:iso3",
                        f"The IRI of a state must end in /state/ and its ISO3 code (found: {iso})."))

    for relation in graph.subjects(_TYPE, _RELATION):
        codes = sorted(filter(None, (code(s) for s in set(graph.objects(relation, _BETWEEN)))))
        if len(codes) == 2 and not str(relation).endswith(f"/relation/{codes[0]}-{codes[1]}"):
            out.append((relation, "bkg:between",
                        "The IRI of a relation must end in /relation/ and the ISO3 codes of its "
                        f"two states, sorted (expected .../relation/{codes[0]}-{codes[1]})."))

    for evidence in graph.subjects(_TYPE, _EVIDENCE):
        for target in graph.objects(evidence, _HAS_TARGET):
            texts = [str(t) for r in graph.objects(target, _HAS_SOURCE)
                     for t in graph.objects(r, _TEXT)]
            selectors = list(graph.objects(target, _HAS_SELECTOR))
            quotes = [q for q in selectors if (q, _TYPE, _QUOTE) in graph]
            if len(quotes) > 1:
                out.append((evidence, "oa:hasTarget/oa:hasSelector",
                             "The target of an evidence has at most one oa:TextQuoteSelector."))
            if len(texts) != 1:
                continue  # no text to check against (its absence is the shapes' business)
            text = texts[0]
            for sel in selectors:
                if (sel, _TYPE, _POSITION) not in graph:
                    continue
                start = _integer(_value(graph, sel, _START))
                end = _integer(_value(graph, sel, _END))
                if start is None or end is None or not 0 <= start <= end:
                    continue  # malformed offsets are reported by the shapes
                if end > len(text):
                    out.append((evidence, "oa:hasTarget/oa:hasSelector/oa:end",
                                "The evidence's oa:end lies beyond the end of the report's text "
                                f"(schema:text has {len(text)} characters, found: {end})."))
                    continue
                for q in quotes:
                    exact = _value(graph, q, _EXACT)
                    if exact is not None and str(exact) != text[start:end]:
                        out.append((evidence, "oa:hasTarget/oa:hasSelector/oa:exact",
                                    "The evidence's quoted text (oa:exact) is not the text between "
                                    f"its oa:start and oa:end offsets ({start}-{end}: "
                                    f"{_compact(Literal(text[start:end]))}, found: "
                                    f"{_compact(exact)})."))
    return out


def _value(data: Data, subject, predicate):
    """rdflib's Graph.value: the first object, or None."""
    objects = data.objects(subject, predicate)
    return objects[0] if objects else None


def _graphs(data: Graph) -> Iterable[Graph]:
    if isinstance(data, ConjunctiveGraph):  # also a Dataset
        skip = {V.ONTOLOGY_GRAPH, V.GRAPH + "inferred"}
        graphs = data.graphs() if isinstance(data, Dataset) else data.contexts()
        for g in graphs:
            if str(g.identifier) in skip:
                continue
            # an in-memory copy: pyshacl reads an Oxigraph-backed graph (oxrdflib) at about half speed
            copy = Graph(identifier=g.identifier)
            for triple in g:
                copy.add(triple)
            if len(copy):
                yield copy
    else:
        yield data


ENGINES = ("compiled", "pyshacl")


def _engine(data: Graph, engine: str | None) -> str:
    """Which checker runs: `engine`, else $KG_VALIDATION, else pyshacl for a whole store (a
    Dataset: `kg validate`) and the compiled checks for one report's graph (ingest)."""
    chosen = engine or os.environ.get("KG_VALIDATION") or (
        "pyshacl" if isinstance(data, ConjunctiveGraph) else "compiled")
    if chosen not in ENGINES:
        raise ValueError(f"KG_VALIDATION / engine: {chosen!r} is not one of {', '.join(ENGINES)}")
    return chosen


def validate(data: Graph, report_of: Callable[[str], str | None] | None = None,
             engine: str | None = None) -> Validation:
    """Validate one report's graph, or each named graph of a Dataset (the ontology graph and the
    inferred graph are skipped).

    `report_of(focus_iri)` may name the report a faulty node belongs to; by default it is the
    report whose named graph (graph/report/{id}) holds the node, or the graph's only bkg:Report.
    `engine` is 'pyshacl' or 'compiled' (checks compiled from the same shapes, kg/shape_checks.py;
    the same results about seven times faster); see _engine for the default.
    """
    chosen = _engine(data, engine)
    violations: list[Violation] = []
    for graph in _graphs(data):
        violations += _check(graph, _report_of_graph(graph), report_of, chosen)
    violations.sort(key=lambda v: (v.severity != "Violation", v.report or "", v.focus,
                                   v.path or "", v.message))
    return Validation(not any(v.severity == "Violation" for v in violations), violations)
