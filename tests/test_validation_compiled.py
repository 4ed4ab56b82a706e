"""The checks compiled from ontology/shapes.ttl (kg/shape_checks.py) give what pyshacl gives.

Ingest validates each report with the compiled checks, `kg validate` with pyshacl. The cases
below are generated from the shapes themselves: for every constraint of every shape (a node
shape's own or one of its property shapes'), the valid sample report is changed so that it
breaks that constraint, and both checkers must report it with the same focus node, path and
sh:message, and give the same list of results. A new constraint in shapes.ttl gets its case
without an edit here, and a kind of constraint this generator cannot break fails the test.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, SH

from kg import validation
from kg.ingest import ingest
from kg.shape_checks import CONSTRAINTS, QUALIFIED, ShapeCompileError, compile_shapes
from kg.store import OxigraphStore as Store
from sample_report import ID, report_graph

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV, TRAIN = SHARED / "corpus" / "dev", SHARED / "corpus" / "train"
TARGETS = (SH.targetClass, SH.targetObjectsOf)


def _shapes() -> Graph:
    return validation.shapes_graph()


def _rows(result: validation.Validation) -> list[tuple]:
    return sorted((v.severity, v.report or "", v.focus, v.path or "", v.message)
                  for v in result.violations)


def _both(graph: Graph) -> tuple[list, list]:
    return (_rows(validation.validate(graph, engine="compiled")),
            _rows(validation.validate(graph, engine="pyshacl")))


# --- building a graph that breaks one constraint -------------------------------------------

def _path_values(g: Graph, focus, path, shapes: Graph) -> list:
    if isinstance(path, URIRef):
        return list(g.objects(focus, path))
    return list(g.subjects(shapes.value(path, SH.inversePath), focus))


def _set_values(g: Graph, focus, path, values, shapes: Graph) -> None:
    if isinstance(path, URIRef):
        g.remove((focus, path, None))
        for v in values:
            g.add((focus, path, v))
        return
    inverse = shapes.value(path, SH.inversePath)
    g.remove((None, inverse, focus))
    for v in values:
        g.add((v, inverse, focus))


def _valid_value(g: Graph, shape, shapes: Graph, i: int):
    """A new value that meets the value constraints of `shape` (for adding one too many)."""
    from rdflib.namespace import XSD  # here: pytest's collection trips on it as a module name
    members = shapes.value(shape, SH["in"])
    if members is not None:
        return list(Collection(shapes, members))[i]
    cls = shapes.value(shape, SH["class"])
    if cls is not None:
        node = ID[f"extra/{i}"]
        g.add((node, RDF.type, cls))
        return node
    datatype = shapes.value(shape, SH.datatype)
    if datatype == XSD.integer:
        return Literal(i)
    if datatype is not None and datatype != XSD.string:
        return Literal(f"202{i}-01-01", datatype=datatype) if datatype == XSD.date \
            else Literal(f"202{i}", datatype=XSD.gYear)
    for nested in (shapes.value(shape, SH.node),):
        if nested is not None:
            return _valid_value(g, nested, shapes, i)
    alternatives = shapes.value(shape, SH["or"])
    if alternatives is not None:
        return _valid_value(g, next(iter(Collection(shapes, alternatives))), shapes, i)
    if shapes.value(shape, SH.nodeKind) == SH.IRI:
        return ID[f"extra/{i}"]
    return Literal(f"extra {i}")


def _break(g: Graph, focus, shape, parameter, value, shapes: Graph, which: str = "") -> None:
    """Changes `g` so that `focus` breaks the constraint (parameter, value) of `shape`."""
    path = shapes.value(shape, SH.path)
    current = _path_values(g, focus, path, shapes) if path is not None else [focus]

    def replace(new):
        if path is None:
            raise AssertionError(f"no way to break {parameter} on node shape {shape}")
        _set_values(g, focus, path, new, shapes)

    if parameter == SH.minCount:
        replace([])
    elif parameter == SH.maxCount:
        extra, i = [], 0
        while len(current) + len(extra) <= int(value):
            candidate = _valid_value(g, shape, shapes, i)
            i += 1
            if candidate not in current and candidate not in extra:
                extra.append(candidate)
        replace(current + extra)
    elif parameter == SH["class"]:
        if path is None:
            g.remove((focus, RDF.type, None))
        else:
            replace([ID["untyped-node"]])
    elif parameter == SH.datatype:
        replace([Literal("wrong", lang="en")])
    elif parameter == SH.nodeKind:
        replace([Literal("wrong")] if value in (SH.IRI, SH.BlankNodeOrIRI) else [ID["not-text"]])
    elif parameter == SH.pattern:
        replace([Literal("does not match!")])
    elif parameter == SH["in"]:
        replace([URIRef(str(next(iter(Collection(shapes, value)))) + "-not-a-code")])
    elif parameter in (SH.node, SH["or"]) and path is not None:
        replace([Literal("wrong", lang="en")])
    elif parameter == SH["or"]:
        # A node shape's own sh:or: the focus loses what every alternative asks for.
        for alternative in Collection(shapes, value):
            alt_path = shapes.value(alternative, SH.path)
            assert alt_path is not None and shapes.value(alternative, SH.minCount) is not None, \
                f"no way to break the sh:or of {shape}"
            _set_values(g, focus, alt_path, [], shapes)
    elif parameter == SH.minInclusive:
        replace([Literal(int(value) - 1)])
    elif parameter == SH.disjoint:
        shared = current or [ID["shared-node"]]
        replace(shared)
        for v in shared:
            g.add((focus, value, v))
    elif parameter == SH.lessThanOrEquals:
        others = list(g.objects(focus, value))
        assert others, f"{focus} has no {value} to compare with"
        replace([Literal(max(int(o) for o in others) + 1)])
    elif parameter == SH.qualifiedValueShape:
        inner = value
        fits = [v for v in current if _conforms(g, v, inner, shapes)]
        if which == "min":
            replace([v for v in current if v not in fits])
        else:
            count = int(shapes.value(shape, SH.qualifiedMaxCount))
            extra = []
            for i in range(count + 1 - len(fits)):
                node = BNode()
                g.add((node, RDF.type, shapes.value(inner, SH["class"])))
                extra.append(node)
            replace(current + extra)
    else:
        raise AssertionError(f"the test cannot break {parameter} (add it to _break)")


def _conforms(g: Graph, node, shape, shapes: Graph) -> bool:
    """Whether `node` meets a qualified value shape (those of shapes.ttl name one class)."""
    cls = shapes.value(shape, SH["class"])
    assert cls is not None and len(set(shapes.predicate_objects(shape))) == 1, shape
    return (node, RDF.type, cls) in g


def _focus(g: Graph, shape, shapes: Graph):
    nodes = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes |= set(g.subjects(RDF.type, cls))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(g.objects(None, p))
    assert nodes, f"the sample report has nothing {shape} targets"
    # Blank nodes by the IRI that holds them: their own labels change from run to run.
    return sorted(nodes, key=lambda n: (str(_owner(g, n)[0]), _owner(g, n)[1]))[0]


def _owner(g: Graph, node) -> tuple[object, list[str]]:
    """The IRI above a blank node, and the predicates down to it (how violations name it)."""
    steps = []
    while isinstance(node, BNode):
        node, predicate = next(iter(g.subject_predicates(node)))
        steps.insert(0, validation._compact(predicate))
    return node, steps


def cases():
    """(id, shape, parameter, value, which) for every constraint of every targeted shape."""
    shapes = _shapes()
    out = []
    roots = sorted({s for t in TARGETS for s in shapes.subjects(t, None)}, key=str)
    for root in roots:
        holders = [root] + sorted(shapes.objects(root, SH.property),
                                  key=lambda p: validation._path_text(shapes.value(p, SH.path),
                                                                      shapes))
        for holder in holders:
            where = validation._path_text(shapes.value(holder, SH.path), shapes) or "node"
            for parameter in [*CONSTRAINTS, SH.qualifiedValueShape]:
                for value in shapes.objects(holder, parameter):
                    name = str(parameter).split('#')[-1]
                    for which in (("min", "max") if parameter == SH.qualifiedValueShape else ("",)):
                        label = f"{root.split('#')[-1]}-{where}-{name}{which}"
                        out.append(pytest.param(root, holder, parameter, value, which, id=label))
    return out


CASES = cases()


@pytest.mark.parametrize("root, shape, parameter, value, which", CASES)
def test_each_constraint_is_caught_by_both_checkers(root, shape, parameter, value, which):
    shapes = _shapes()
    g = report_graph()
    assert _both(g) == ([], [])
    focus = _focus(g, root, shapes)
    _break(g, focus, shape, parameter, value, shapes, which)
    compiled, reference = _both(g)
    assert compiled == reference
    owner, steps = _owner(g, focus)
    path = validation._path_text(shapes.value(shape, SH.path), shapes)
    path = "/".join(steps + ([path] if path else [])) or ""
    message = " ".join(sorted(str(m) for m in shapes.objects(shape, SH.message)))
    severity = validation.SEVERITIES.get(shapes.value(shape, SH.severity), "Violation")
    hits = [r for r in compiled if r[0] == severity and r[2] == str(owner) and r[3] == path
            and r[4].startswith(message)]
    assert hits, f"expected {severity} <{owner}> {path}: {message}\ngot: {compiled}"


def test_every_constraint_kind_in_the_shapes_has_a_case():
    shapes = _shapes()
    used = {p for p in shapes.predicates() if p in CONSTRAINTS or p in QUALIFIED}
    covered = {c.values[2] for c in CASES}
    assert used - {SH.qualifiedMinCount, SH.qualifiedMaxCount} == covered
    # and every targeted shape has at least one case
    roots = {s for t in TARGETS for s in shapes.subjects(t, None)}
    assert roots == {c.values[0] for c in CASES}


def _alternatives(shape, shapes: Graph) -> list:
    """The simplest shapes a value can meet to meet `shape` (sh:node and sh:or unfolded)."""
    nested = shapes.value(shape, SH.node)
    if nested is not None:
        return _alternatives(nested, shapes)
    members = shapes.value(shape, SH["or"])
    if members is not None:
        return [a for m in Collection(shapes, members) for a in _alternatives(m, shapes)]
    return [shape]


def alternative_cases():
    """(root, property shape, alternative) for each way a value may meet an sh:node / sh:or."""
    shapes = _shapes()
    out = []
    for root in sorted({s for t in TARGETS for s in shapes.subjects(t, None)}, key=str):
        for prop in shapes.objects(root, SH.property):
            if shapes.value(prop, SH.node) is None and shapes.value(prop, SH["or"]) is None:
                continue
            where = validation._path_text(shapes.value(prop, SH.path), shapes)
            for i, alternative in enumerate(_alternatives(prop, shapes)):
                out.append(pytest.param(root, prop, alternative,
                                        id=f"{root.split('#')[-1]}-{where}-{i}"))
    return out


@pytest.mark.parametrize("root, prop, alternative", alternative_cases())
def test_each_alternative_of_a_nested_shape_is_accepted_by_both(root, prop, alternative):
    """The other side of the sh:node and sh:or cases: a value meeting just one alternative
    (a bkg:Ministry as organization, an xsd:gYear as date, ...) passes on both checkers."""
    shapes = _shapes()
    g = report_graph()
    focus = _focus(g, root, shapes)
    _set_values(g, focus, shapes.value(prop, SH.path),
                [_valid_value(g, alternative, shapes, 1)], shapes)
    compiled, reference = _both(g)
    assert compiled == reference
    message = " ".join(sorted(str(m) for m in shapes.objects(prop, SH.message)))
    assert not [r for r in compiled if r[2] == str(focus) and r[4].startswith(message)], compiled


@pytest.mark.parametrize("addition", [
    "bkgsh:ReportShape sh:closed true .",
    "bkgsh:StateShape sh:property [ sh:path bkg:iso3 ; sh:minLength 3 ; sh:message \"m\" ] .",
    "bkgsh:StateShape sh:property [ sh:path [ sh:alternativePath ( bkg:a bkg:b ) ] ; "
    "sh:minCount 1 ; sh:message \"m\" ] .",
    "bkgsh:StateShape sh:property [ sh:path ( bkg:hasRelation bkg:between ) ; sh:minCount 1 ; "
    "sh:message \"m\" ] .",
    "bkgsh:StateShape sh:property [ sh:path bkg:iso3 ; sh:pattern \"^a\" ; sh:flags \"i\" ; "
    "sh:message \"m\" ] .",
    "bkgsh:StateShape sh:property [ sh:path bkg:iso3 ; sh:maxCount 1 ] .",
    "bkgsh:X a sh:NodeShape ; sh:targetSubjectsOf bkg:iso3 ; sh:minCount 1 .",
    "bkgsh:StateShape bkg:unknownSetting 3 .",
])
def test_an_unknown_feature_stops_the_compiler(addition):
    text = (validation.ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    shapes = Graph().parse(data=text + "\n" + addition + "\n", format="turtle")
    with pytest.raises(ShapeCompileError, match="shapes.ttl"):
        compile_shapes(shapes)


def test_which_checker_runs(monkeypatch):
    monkeypatch.delenv("KG_VALIDATION", raising=False)
    assert validation._engine(Dataset(), None) == "pyshacl"     # a whole store: kg validate
    assert validation._engine(report_graph(), None) == "compiled"   # one report: ingest
    assert validation._engine(report_graph(), "pyshacl") == "pyshacl"
    monkeypatch.setenv("KG_VALIDATION", "pyshacl")
    assert validation._engine(report_graph(), None) == "pyshacl"


def test_the_engine_is_named_correctly(monkeypatch):
    monkeypatch.setenv("KG_VALIDATION", "fast")
    with pytest.raises(ValueError, match="KG_VALIDATION.*'fast'"):
        validation.validate(report_graph())


# --- real reports ---------------------------------------------------------------------------

def _ingest(corpus: Path, path: Path, engine: str, monkeypatch) -> None:
    monkeypatch.setenv("KG_VALIDATION", engine)
    with Store.open(path) as store:
        summary = ingest([corpus], store, progress=False, jobs=1)
    assert not summary.failed, summary.failed
    assert summary.added > 0


def _canonical_quads(path: Path) -> list[str]:
    """The store as sorted N-Quads, blank nodes named canonically within each graph."""
    lines = []
    with Store.open(path) as store:
        for name in [ox.DefaultGraph(), *store.ox.named_graphs()]:
            data = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).decode("utf-8")
            graph = to_canonical_graph(Graph().parse(data=data, format="nt"))
            label = "" if isinstance(name, ox.DefaultGraph) else f" {name}"
            lines += [f"{line.rstrip(' .')}{label} ." for line in
                      graph.serialize(format="nt").splitlines() if line.strip()]
    return sorted(lines)


@pytest.mark.slow
def test_ingest_stores_the_same_with_either_checker(tmp_path, monkeypatch):
    _ingest(DEV, tmp_path / "compiled", "compiled", monkeypatch)
    _ingest(DEV, tmp_path / "pyshacl", "pyshacl", monkeypatch)
    compiled = _canonical_quads(tmp_path / "compiled")
    reference = _canonical_quads(tmp_path / "pyshacl")
    assert len(compiled) > 1000
    assert compiled == reference


@pytest.mark.slow
@pytest.mark.parametrize("corpus", [DEV, TRAIN], ids=["dev", "train"])
def test_real_report_graphs_conform_on_both_paths(corpus, tmp_path, monkeypatch):
    _ingest(corpus, tmp_path / "kg", "compiled", monkeypatch)
    with Store.open(tmp_path / "kg") as store:
        ids = store.report_ids()
        graphs = [store.graph(rid) for rid in ids]
    assert len(graphs) == len(list(corpus.glob("*.txt")))
    for rid, graph in zip(ids, graphs):
        compiled, reference = _both(graph)
        assert compiled == reference, rid
        assert not [r for r in compiled if r[0] == "Violation"], rid
