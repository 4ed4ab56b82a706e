"""Python checks compiled from the SHACL shapes (ontology/shapes.ttl), for one report's graph.

    checks = compile_shapes(shapes_graph)
    for focus, path, value, severity, messages in checks.results(graph): ...

pyshacl took ~37 ms a report at ingest (61 shared reports; ~114 ms under cProfile, more than
the rules); these checks give the same results (focus node, path, value, severity, sh:message)
in ~2.5 ms. They are built from the shapes when they are loaded, never written beside them:
the compiler knows exactly the SHACL features shapes.ttl uses, and a shape using any other
feature makes it fail with a ShapeCompileError naming the shape and the feature, so a new kind
of constraint cannot be skipped silently. `kg validate` keeps pyshacl;
tests/test_validation_compiled.py checks that every constraint of the file is caught by both
with the same focus node and message.

The semantics follow pyshacl 0.40 where SHACL leaves room (e.g. sh:class follows
rdfs:subClassOf in the data graph, sh:datatype refuses ill-typed literals).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Iterator

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

# What a shape may say besides constraints.
DESCRIPTIVE = {RDF.type, RDFS.comment, RDFS.label, SH.message, SH.severity, SH.property,
               SH.path, SH.targetClass, SH.targetObjectsOf}
# Constraint parameters read together with another one (sh:qualifiedValueShape).
QUALIFIED = {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}

# (data, focus, value nodes) -> the failing value nodes; NO_VALUE for a count (no sh:value).
Check = Callable[["Data", object, list], Iterable[object]]
# (focus, sh:path node or None, value or None, severity, sh:message texts)
Result = tuple[object, object, object, str, list[str]]
NO_VALUE = object()


class ShapeCompileError(ValueError):
    """The shapes use a SHACL feature the compiled checks do not implement."""


@dataclass
class CompiledShape:
    node: object                      # the shape's node in the shapes graph
    path: object = None               # a property shape's sh:path (shapes-graph node), or None
    values: Callable[["Data", object], list] | None = None
    severity: str = "Violation"
    messages: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list["CompiledShape"] = field(default_factory=list)
    targets: list[Callable[["Data"], Iterable[object]]] = field(default_factory=list)

    def validate(self, data: Data, focus) -> Iterator[Result]:
        """(focus, path, value, severity, messages) for each result of this shape on `focus`."""
        values = self.values(data, focus) if self.values else [focus]
        for check in self.checks:
            for value in check(data, focus, values):
                yield focus, self.path, (None if value is NO_VALUE else value), \
                    self.severity, self.messages
        for prop in self.properties:
            yield from prop.validate(data, focus)

    def conforms(self, data: Data, focus) -> bool:
        return next(iter(self.validate(data, focus)), None) is None


class Data:
    """One report's triples indexed both ways. The checks ask for a node's values thousands of
    times a report; rdflib's in-memory store answers each lookup through several generators,
    which made those lookups most of the checks' time."""

    def __init__(self, graph: Graph):
        self.out: dict = defaultdict(lambda: defaultdict(list))
        # Nodes only: the shapes and cross checks never ask what has a literal as value, and
        # rdflib hashes and compares literals in Python (half of this index's cost); their
        # entries are made on the first such question (_literals_into).
        self.into: dict = defaultdict(lambda: defaultdict(list))
        self._literals_into: dict | None = None
        self._superclasses: dict = {}
        # A report's graph from kg.mapping hands its triples over without rdflib's generators.
        every = getattr(graph.store, "every_triple", None)
        triples = every() if every is not None else graph
        out, into = self.out, self.into
        for triple in triples:
            s, p, o = triple
            out[s][p].append(o)
            if not isinstance(o, Literal):
                into[o][p].append(s)

    def objects(self, subject, predicate) -> list:
        values = self.out.get(subject)
        return values.get(predicate, []) if values else []

    def subjects(self, predicate, obj) -> list:
        if isinstance(obj, Literal):
            if self._literals_into is None:
                self._literals_into = defaultdict(lambda: defaultdict(list))
                for s, values in self.out.items():
                    for p, objects in values.items():
                        for o in objects:
                            if isinstance(o, Literal):
                                self._literals_into[o][p].append(s)
            values = self._literals_into.get(obj)
        else:
            values = self.into.get(obj)
        return values.get(predicate, []) if values else []

    def all_objects(self, predicate) -> set:
        return {o for values in self.out.values() for o in values.get(predicate, ())}

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self.objects(s, p)

    def superclasses(self, cls) -> set:
        """`cls` and every class above it by rdfs:subClassOf in the data graph (kept: sh:class
        asks it for the type of every value it checks)."""
        found = self._superclasses.get(cls)
        if found is None:
            found = self._superclasses[cls] = self._above(cls)
        return found

    def _above(self, cls) -> set:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self.objects(todo.pop(), RDFS.subClassOf):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def subclasses(self, cls) -> set:
        seen, todo = {cls}, [cls]
        while todo:
            for child in self.subjects(RDFS.subClassOf, todo.pop()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen


class CompiledShapes:
    def __init__(self, shapes: list[CompiledShape], source: Graph):
        self.shapes = shapes          # the shapes with targets
        self.source = source

    def results(self, graph: Graph, data: Data | None = None) -> Iterator[Result]:
        """The results on `graph`; `data`, if given, is Data(graph) already built."""
        data = Data(graph) if data is None else data
        for shape in self.shapes:
            focus_nodes: set = set()
            for target in shape.targets:
                focus_nodes.update(target(data))
            for focus in focus_nodes:
                yield from shape.validate(data, focus)


def _instances(data: Data, cls) -> set:
    """Nodes typed `cls` or a subclass of it in the data graph (as SHACL's targetClass)."""
    return {s for c in data.subclasses(cls) for s in data.subjects(RDF.type, c)}


def _has_class(data: Data, node, cls) -> bool:
    if isinstance(node, Literal):
        return False
    for t in data.objects(node, RDF.type):
        if t == cls or cls in data.superclasses(t):
            return True
    return False


def _integer(value) -> bool:
    return isinstance(value, int)


# What a literal's Python value must be for sh:datatype (as pyshacl checks it); others pass.
DATATYPE_VALUES: dict = {XSD.string: lambda v: isinstance(v, (str, bytes)),
                         RDF.langString: lambda v: isinstance(v, (str, bytes)),
                         XSD.integer: _integer, XSD.date: lambda v: isinstance(v, date)}


def _has_datatype(node, datatype) -> bool:
    if not isinstance(node, Literal):
        return False
    if node.datatype == datatype:
        if getattr(node, "ill_typed", None) is True:
            return False
    elif datatype == RDFS.Literal:
        return True
    elif not (node.datatype is None and node.language is None and datatype == XSD.string) \
            and not (datatype == RDF.langString and node.language):
        return False
    test = DATATYPE_VALUES.get(datatype)
    return test(node.value) if test else True


NODE_KINDS = {SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,),
              SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
              SH.IRIOrLiteral: (URIRef, Literal)}


def _has_kind(node, kind) -> bool:
    # A BNode is not a URIRef nor a Literal in rdflib, so isinstance decides.
    return isinstance(node, NODE_KINDS[kind])


def _pattern_text(node) -> str:
    if isinstance(node, Literal) and node.value is not None \
            and node.datatype in (None, RDF.langString, XSD.string):
        return str(node.value)
    return str(node)


def _comparable(node):
    """A value as sh:lessThanOrEquals compares it (IRIs and strings as text)."""
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def _less_or_equal(a, b) -> bool:
    (x, x_text), (y, y_text) = _comparable(a), _comparable(b)
    if x_text != y_text:
        return False
    try:
        return bool(x <= y)
    except TypeError:
        return False


def _at_least(node, minimum: Literal) -> bool:
    if not isinstance(node, Literal):
        return False
    if isinstance(minimum.value, str) != isinstance(node.value, str):
        return False
    try:
        return compare_literal(node, minimum) >= 0
    except (TypeError, NotImplementedError):
        return False


class _Compiler:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self.compiled: dict = {}

    def fail(self, shape, what: str):
        raise ShapeCompileError(f"shapes.ttl: shape {shape}: {what}")

    def one(self, shape, predicate):
        values = list(self.g.objects(shape, predicate))
        if len(values) != 1:
            self.fail(shape, f"needs exactly one {predicate.n3(self.g.namespace_manager)}, "
                             f"found {len(values)}")
        return values[0]

    def path(self, shape, path) -> Callable[["Data", object], list]:
        if isinstance(path, URIRef):
            return lambda data, focus: data.objects(focus, path)
        # Only what shapes.ttl uses: a property, or the inverse of one.
        inverse = self.g.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(self.g.predicate_objects(path))) == 1:
            return lambda data, focus: data.subjects(inverse, focus)
        self.fail(shape, "a sh:path the compiled checks do not support (only an IRI or "
                         f"[ sh:inversePath IRI ]): {sorted(self.g.predicate_objects(path))}")

    def shape(self, node) -> CompiledShape:
        if node in self.compiled:
            return self.compiled[node]
        shape = CompiledShape(node)
        self.compiled[node] = shape   # first, so a shape that refers to itself ends
        g = self.g
        for predicate in set(g.predicates(node)):
            if predicate not in DESCRIPTIVE and predicate not in QUALIFIED \
                    and predicate not in CONSTRAINTS:
                self.fail(node, f"{predicate.n3(g.namespace_manager)} is not supported by the "
                                "compiled checks (kg/shape_checks.py)")
        path = g.value(node, SH.path)
        if path is not None:
            shape.path, shape.values = path, self.path(node, path)
        severity = g.value(node, SH.severity)
        if severity is not None:
            if severity not in SEVERITIES:
                self.fail(node, f"unknown sh:severity {severity}")
            shape.severity = SEVERITIES[severity]
        shape.messages = sorted(str(m) for m in g.objects(node, SH.message))
        for cls in g.objects(node, SH.targetClass):
            shape.targets.append(lambda data, cls=cls: _instances(data, cls))
        for p in g.objects(node, SH.targetObjectsOf):
            shape.targets.append(lambda data, p=p: data.all_objects(p))
        for predicate, build in CONSTRAINTS.items():
            for parameter in g.objects(node, predicate):
                shape.checks.append(build(self, node, parameter))
        if (node, SH.qualifiedValueShape, None) in g:
            shape.checks.append(self.qualified(node))
        for prop in g.objects(node, SH.property):
            if g.value(prop, SH.path) is None:
                self.fail(prop, "a property shape without sh:path")
            shape.properties.append(self.shape(prop))
        return shape

    def qualified(self, node) -> Check:
        if self.g.value(node, SH.path) is None:
            self.fail(node, "sh:qualifiedValueShape outside a property shape")
        inner = self.shape(self.one(node, SH.qualifiedValueShape))
        low = self.g.value(node, SH.qualifiedMinCount)
        high = self.g.value(node, SH.qualifiedMaxCount)
        low = None if low is None else int(low)
        high = None if high is None else int(high)

        def check(data, focus, values):
            n = sum(1 for v in values if inner.conforms(data, v))
            if low is not None and n < low:
                yield NO_VALUE
            if high is not None and n > high:
                yield NO_VALUE
        return check


def _each(test: Callable[["Data", object, object], bool]) -> Check:
    """A value-type check: one result per value node that fails `test(data, focus, value)`."""
    return lambda data, focus, values: (v for v in values if not test(data, focus, v))


def _min_count(c: _Compiler, shape, n) -> Check:
    n = int(n)
    return lambda data, focus, values: (NO_VALUE,) if len(values) < n else ()


def _max_count(c: _Compiler, shape, n) -> Check:
    n = int(n)
    return lambda data, focus, values: (NO_VALUE,) if len(values) > n else ()


def _class(c: _Compiler, shape, cls) -> Check:
    return _each(lambda data, focus, v: _has_class(data, v, cls))


def _datatype(c: _Compiler, shape, datatype) -> Check:
    return _each(lambda data, focus, v: _has_datatype(v, datatype))


def _node_kind(c: _Compiler, shape, kind) -> Check:
    if kind not in NODE_KINDS:
        c.fail(shape, f"unknown sh:nodeKind {kind}")
    return _each(lambda data, focus, v: _has_kind(v, kind))


def _pattern(c: _Compiler, shape, pattern) -> Check:
    regex = re.compile(str(pattern))
    return _each(lambda data, focus, v: not isinstance(v, BNode)
                 and regex.search(_pattern_text(v)) is not None)


def _in(c: _Compiler, shape, members) -> Check:
    allowed = set(Collection(c.g, members))
    return _each(lambda data, focus, v: v in allowed)


def _node(c: _Compiler, shape, other) -> Check:
    inner = c.shape(other)
    return _each(lambda data, focus, v: inner.conforms(data, v))


def _or(c: _Compiler, shape, members) -> Check:
    inner = [c.shape(m) for m in Collection(c.g, members)]
    return _each(lambda data, focus, v: any(s.conforms(data, v) for s in inner))


def _min_inclusive(c: _Compiler, shape, minimum) -> Check:
    if not isinstance(minimum, Literal):
        c.fail(shape, "sh:minInclusive must be a literal")
    return _each(lambda data, focus, v: _at_least(v, minimum))


def _disjoint(c: _Compiler, shape, other) -> Check:
    return _each(lambda data, focus, v: (focus, other, v) not in data)


def _less_than_or_equals(c: _Compiler, shape, other) -> Check:
    def check(data, focus, values):
        others = data.objects(focus, other)
        for v in values:
            for o in others:
                if not _less_or_equal(v, o):
                    yield v   # one result per failing pair, as pyshacl gives
    return check


CONSTRAINTS: dict = {
    SH.minCount: _min_count, SH.maxCount: _max_count, SH["class"]: _class,
    SH.datatype: _datatype, SH.nodeKind: _node_kind, SH.pattern: _pattern, SH["in"]: _in,
    SH.node: _node, SH["or"]: _or, SH.minInclusive: _min_inclusive, SH.disjoint: _disjoint,
    SH.lessThanOrEquals: _less_than_or_equals,
}

# Every SHACL term the compiler understands; any other sh: term in the file is refused.
SUPPORTED = ({p for p in DESCRIPTIVE if p.startswith(str(SH))} | QUALIFIED | set(CONSTRAINTS)
             | {SH.inversePath, SH.NodeShape, SH.PropertyShape, *SEVERITIES, *NODE_KINDS})


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Checks for every shape of `shapes` that has a target (the others are reached from them)."""
    for s, p, o in shapes:
        for term in (p, o):
            if isinstance(term, URIRef) and str(term).startswith(str(SH)) and term not in SUPPORTED:
                raise ShapeCompileError(
                    f"shapes.ttl: {term.n3(shapes.namespace_manager)} (on {s}) is not supported "
                    "by the compiled checks (kg/shape_checks.py)")
    compiler = _Compiler(shapes)
    targets = (SH.targetClass, SH.targetObjectsOf)
    roots = sorted({s for t in targets for s in shapes.subjects(t, None)}, key=str)
    compiled = []
    for root in roots:
        shape = compiler.shape(root)
        for reported in [shape, *shape.properties]:
            if reported.checks and not reported.messages:
                compiler.fail(reported.node, "a reported shape needs an sh:message (the compiled "
                                             "checks do not make up pyshacl's default texts)")
        compiled.append(shape)
    # Shapes with no target and no reference from one would be checked by nothing.
    for node in shapes.subjects(RDF.type, SH.NodeShape):
        compiler.shape(node)
    return CompiledShapes(compiled, shapes)
