"""OWL reasoning over the store: consistency, and the inferred graph.

    result = reason(store)             # method "auto": HermiT on small stores, else "rl"
    print(result.text())
    result.consistent                  # False: result.problems name the facts and reports

Two methods, one output:

- ``hermit``: the ontology (ontology/bilateral.ttl, codes.ttl) and the facts of every report
  graph are loaded into an owlready2 World and HermiT (Java, bundled with owlready2) checks
  consistency and realizes every individual (``-Y``: property values too). Complete OWL 2 DL,
  but HermiT's realization grows quickly with the number of individuals: seconds for the dev
  corpus, four minutes for 1,000 synthetic reports (docs/reasoning.md).
- ``rl``: forward-chaining materialization in Python of the OWL 2 RL rules the ontology uses
  (subclass and subproperty, domain and range, inverse, symmetric, property chains, and class
  definitions of the form ``C ≡ D ⊓ ∃p.{a, b}`` / ``D ⊓ ∃p.E``), then the same consistency
  checks as rules (disjoint classes, disjoint properties, functional properties, qualified
  cardinality). Sound but not complete; linear in the data.

Both write the same kind of triples into the named graph ``<GRAPH/inferred>``, replaced in one
transaction: the types of each data node that the axioms entail beyond those stated (all
named superclasses, not only the most specific), and the inverse, symmetric and chained links.
The report graphs are never touched, so queries that read ``GRAPH ?g`` of reports never see
inferred triples; queries over the union default graph see them.

What is handed to the reasoner (see ``_facts``): every triple of the report graphs except the
evidence's selectors and quotes and the report texts (each evidence node keeps its type and its
``oa:hasBody``), because they carry nothing the axioms constrain and are half the triples.
Dates are xsd:date, xsd:gYearMonth or xsd:gYear, which are not OWL 2 datatypes and which HermiT
refuses; they are given to it as plain strings (the date properties range over rdfs:Literal, so
nothing is lost for reasoning). The store is the complete record of each relation's states, so
``bkg:between`` is closed (each relation is between only its stated states) and states, keyed by
ISO code, are all different: a relation with one state, or with three, is then inconsistent.
"""
from __future__ import annotations

import io
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from kg import vocabulary as V

if TYPE_CHECKING:
    from kg.store import Store

INFERRED_GRAPH = V.GRAPH + "inferred"
METHODS = ("auto", "hermit", "rl")
# `auto` uses HermiT up to this many facts (triples handed to the reasoner): about 100
# reports, 20 s. The dev corpus has 1,647 (a few seconds); 1,000 synthetic reports have 68,364,
# on which HermiT takes four minutes and the RL rules 8 s (docs/reasoning.md).
HERMIT_LIMIT = 10_000

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OA = str(V.OA)
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear"}
# Evidence plumbing left out of reasoning (see the module doc).
SKIPPED_PREDICATES = {OA + "hasTarget", OA + "hasSource", OA + "hasSelector", OA + "start",
                      OA + "end", OA + "exact", str(V.SCHEMA.text)}


class ReasoningError(Exception):
    """The reasoner could not run (no Java, a Java error); the message says what to do."""


@dataclass
class Fact:
    subject: str
    predicate: str
    object: str
    reports: list[str]      # the reports whose graphs state it

    def text(self) -> str:
        return (f"<{self.subject}> {_short(self.predicate)} {_term_text(self.object)}"
                f"  [{', '.join(self.reports) or 'ontology'}]")


@dataclass
class Problem:
    """One reason the graph is inconsistent, with the stated facts behind it."""
    node: str
    message: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def reports(self) -> list[str]:
        return sorted({r for f in self.facts for r in f.reports})

    def text(self) -> str:
        lines = [f"<{self.node}>: {self.message}"]
        lines += [f"    {f.text()}" for f in self.facts]
        return "\n".join(lines)


@dataclass
class Reasoning:
    method: str                 # 'hermit' or 'rl', the one that ran
    consistent: bool
    facts: int                  # triples handed to the reasoner
    inferred: int = 0           # triples written to the inferred graph
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    note: str = ""

    def text(self) -> str:
        how = {"hermit": "HermiT (owlready2, OWL 2 DL)",
               "rl": "OWL 2 RL rules (materialization in Python)"}[self.method]
        head = f"method: {how}; {self.facts} facts; {self.seconds:.1f} s"
        if self.note:
            head += f"\nnote: {self.note}"
        if self.consistent:
            return (f"{head}\nconsistent; {self.inferred} inferred triples written to "
                    f"<{INFERRED_GRAPH}>")
        lines = [head, f"inconsistent: {len(self.problems)} problem(s); the inferred graph is "
                       f"left as it was"]
        lines += [p.text() for p in self.problems]
        if not self.problems:
            lines.append("  HermiT found the graph inconsistent, but none of the rule checks "
                         "(disjoint classes and properties, functional properties, cardinality) "
                         "points at a cause.")
        return "\n".join(lines)


# ---------------------------------------------------------------- terms

def _short(iri: str) -> str:
    for prefix, ns in (("bkg:", str(V.BKG)), ("rdf:", RDF_TYPE[:-4]), ("rdfs:", RDFS),
                       ("owl:", OWL), ("org:", str(V.ORG)), ("oa:", OA),
                       ("skos:", str(V.SKOS)), ("role:", V.concept("role", ""))):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return f"<{iri}>"


def _term_text(term: str) -> str:
    return term[1:] if term.startswith("\x00") else _short(term)  # literals are marked by \x00


def _key(term) -> str | None:
    """An Oxigraph term as a string key: an IRI as itself, a literal as '\\x00' + N-Triples."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return "\x00" + str(term)
    return None  # blank nodes: only evidence selectors have them, and those are skipped


# ---------------------------------------------------------------- the ontology

@dataclass
class Axioms:
    subclass: dict[str, set[str]]             # named class -> its named superclasses (direct)
    subproperty: dict[str, set[str]]
    domain: dict[str, set[str]]
    range: dict[str, set[str]]                # named classes only
    inverse: list[tuple[str, str]]            # (p, q): p(x, y) <-> q(y, x)
    symmetric: set[str]
    chains: list[tuple[str, str, str]]        # (p1, p2, q): p1(x, y), p2(y, z) -> q(x, z)
    definitions: list[tuple[str, str, str, frozenset[str] | None, str | None]]
    # (C, D, p, values, E): x a D, p(x, v), v in values (or v a E) -> x a C
    disjoint: list[tuple[str, str]]
    disjoint_properties: list[tuple[str, str]]
    functional: set[str]
    different: list[frozenset[str]]           # owl:AllDifferent member sets
    cardinality: list[tuple[str, str, str, int]]   # (C, p, class, n): C ⊑ =n p.class

    def superclasses(self, cls: str) -> set[str]:
        """cls and all its named superclasses (reflexive, transitive)."""
        seen, todo = {cls}, [cls]
        while todo:
            for sup in self.subclass.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def superproperties(self, prop: str) -> set[str]:
        seen, todo = {prop}, [prop]
        while todo:
            for sup in self.subproperty.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen


def _ontology_triples(store: Store) -> list[tuple]:
    return [(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(
        None, None, None, ox.NamedNode(V.ONTOLOGY_GRAPH))]


def load_axioms(store: Store) -> Axioms:
    """The axioms of the ontology graph the store holds, in the forms the rules use."""
    spo: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in _ontology_triples(store):
        spo[s][p.value].append(o)

    def one(node, p):
        values = spo.get(node, {}).get(p, [])
        return values[0] if values else None

    def items(node) -> list:
        out = []
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF_NIL):
            first = one(node, RDF_FIRST)
            if first is None:
                break
            out.append(first)
            node = one(node, RDF_REST)
        return out

    named = lambda n: isinstance(n, ox.NamedNode)  # noqa: E731
    ax = Axioms(defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(set), [],
                set(), [], [], [], [], set(), [], [])
    for s, props in spo.items():
        types = {t.value for t in props.get(RDF_TYPE, []) if named(t)}
        if named(s):
            for o in props.get(RDFS + "subClassOf", []):
                if named(o):
                    ax.subclass[s.value].add(o.value)
                elif one(o, OWL + "qualifiedCardinality") is not None:
                    ax.cardinality.append((s.value, one(o, OWL + "onProperty").value,
                                           one(o, OWL + "onClass").value,
                                           int(one(o, OWL + "qualifiedCardinality").value)))
            for o in props.get(RDFS + "subPropertyOf", []):
                ax.subproperty[s.value].add(o.value)
            for o in props.get(RDFS + "domain", []):
                if named(o):
                    ax.domain[s.value].add(o.value)
            for o in props.get(RDFS + "range", []):
                if named(o) and not o.value.startswith(XSD) and o.value != RDFS + "Literal":
                    ax.range[s.value].add(o.value)
            for o in props.get(OWL + "inverseOf", []):
                ax.inverse.append((s.value, o.value))
            for o in props.get(OWL + "propertyDisjointWith", []):
                ax.disjoint_properties.append((s.value, o.value))
            for o in props.get(OWL + "disjointWith", []):
                ax.disjoint.append((s.value, o.value))
            if OWL + "SymmetricProperty" in types:
                ax.symmetric.add(s.value)
            if OWL + "FunctionalProperty" in types:
                ax.functional.add(s.value)
            for chain in props.get(OWL + "propertyChainAxiom", []):
                links = [n.value for n in items(chain)]
                if len(links) == 2:
                    ax.chains.append((links[0], links[1], s.value))
            for eq in props.get(OWL + "equivalentClass", []):
                parts = items(one(eq, OWL + "intersectionOf"))
                bases = [n.value for n in parts if named(n)]
                restrictions = [n for n in parts if not named(n)]
                if len(bases) != 1 or len(restrictions) != 1:
                    continue  # not a definition form the rules handle
                r = restrictions[0]
                prop = one(r, OWL + "onProperty").value
                value, some = one(r, OWL + "hasValue"), one(r, OWL + "someValuesFrom")
                if value is not None:
                    ax.definitions.append((s.value, bases[0], prop, frozenset([value.value]), None))
                elif some is not None and named(some):
                    ax.definitions.append((s.value, bases[0], prop, None, some.value))
                elif some is not None and one(some, OWL + "oneOf") is not None:
                    values = frozenset(n.value for n in items(one(some, OWL + "oneOf")))
                    ax.definitions.append((s.value, bases[0], prop, values, None))
        if OWL + "AllDisjointClasses" in types:
            members = [n.value for n in items(one(s, OWL + "members"))]
            ax.disjoint += [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        if OWL + "AllDifferent" in types:
            ax.different.append(frozenset(n.value for n in items(one(s, OWL + "distinctMembers"))))
    return ax


# ---------------------------------------------------------------- the facts

class Facts:
    """The triples handed to the reasoner, with the reports that state each."""

    def __init__(self):
        self.where: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    def add(self, s: str, p: str, o: str, report: str) -> None:
        self.where[(s, p, o)].add(report)

    def __len__(self) -> int:
        return len(self.where)

    def fact(self, s: str, p: str, o: str) -> Fact:
        return Fact(s, p, o, sorted(self.where.get((s, p, o), ())))


def _facts(store: Store) -> Facts:
    facts = Facts()
    for q in store.quads_for_pattern(None, None, None):
        graph = q.graph_name
        report = V.report_of_graph(graph.value) if isinstance(graph, ox.NamedNode) else None
        if report is None:
            continue  # the ontology and the inferred graph are not facts
        if q.predicate.value in SKIPPED_PREDICATES:
            continue
        s, o = _key(q.subject), _key(q.object)
        if s is None or o is None:
            continue
        facts.add(s, q.predicate.value, o, report)
    return facts


# ---------------------------------------------------------------- OWL 2 RL rules

class Closure:
    """The facts closed under the RL rules; `derived` holds what was not stated."""

    def __init__(self, facts: Facts, ax: Axioms):
        self.ax = ax
        self.types: dict[str, set[str]] = defaultdict(set)
        self.out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.stated: set[tuple[str, str, str]] = set(facts.where)
        for s, p, o in facts.where:
            if p == RDF_TYPE:
                self.types[s].add(o)
            else:
                self.out[p][s].add(o)
        self._run()

    def _link(self, p: str, s: str, o: str) -> bool:
        if o in self.out[p][s]:
            return False
        self.out[p][s].add(o)
        return True

    def _run(self) -> None:
        ax = self.ax
        changed = True
        while changed:
            changed = False
            for p in list(self.out):
                for sup in ax.superproperties(p) - {p}:
                    for s, objects in list(self.out[p].items()):
                        for o in list(objects):
                            changed |= self._link(sup, s, o)
            for p, q in ax.inverse:
                for a, b in ((p, q), (q, p)):
                    for s, objects in list(self.out[a].items()):
                        for o in list(objects):
                            changed |= self._link(b, o, s)
            for p in ax.symmetric:
                for s, objects in list(self.out[p].items()):
                    for o in list(objects):
                        changed |= self._link(p, o, s)
            for p1, p2, q in ax.chains:
                for x, ys in list(self.out[p1].items()):
                    for y in list(ys):
                        for z in list(self.out[p2].get(y, ())):
                            changed |= self._link(q, x, z)
            changed |= self._types()

    def _types(self) -> bool:
        ax = self.ax
        before = sum(len(t) for t in self.types.values())
        for p, classes in ax.domain.items():
            for s in self.out.get(p, {}):
                self.types[s] |= classes
        for p, classes in ax.range.items():
            for objects in self.out.get(p, {}).values():
                for o in objects:
                    if not o.startswith("\x00"):
                        self.types[o] |= classes
        grew = True
        while grew:  # definitions may feed each other (a person's class needs the post's)
            grew = False
            for node, classes in list(self.types.items()):
                closed = set().union(*(ax.superclasses(c) for c in classes))
                if closed - classes:
                    classes |= closed
            for cls, base, p, values, filler in ax.definitions:
                for s, objects in self.out.get(p, {}).items():
                    if cls in self.types.get(s, ()) or base not in self.types.get(s, ()):
                        continue
                    if (values is not None and objects & values) or (
                            filler is not None and any(filler in self.types.get(o, ())
                                                       for o in objects)):
                        self.types[s] |= self.ax.superclasses(cls)
                        grew = True
        return sum(len(t) for t in self.types.values()) != before

    def triples(self) -> Iterable[tuple[str, str, str]]:
        for s, classes in self.types.items():
            for c in classes:
                yield s, RDF_TYPE, c
        for p, links in self.out.items():
            for s, objects in links.items():
                for o in objects:
                    yield s, p, o


def _distinct(a: str, b: str, ax: Axioms, closure: Closure) -> bool:
    """Whether two values are known to be different individuals (or different literals)."""
    if a == b:
        return False
    if a.startswith("\x00") or b.startswith("\x00"):
        return a.startswith("\x00") and b.startswith("\x00")
    if any(a in d and b in d for d in ax.different):
        return True
    state = str(V.BKG.State)  # states are all different: one per ISO code
    return state in closure.types.get(a, ()) and state in closure.types.get(b, ())


def check(facts: Facts, ax: Axioms, closure: Closure) -> list[Problem]:
    """The inconsistencies the rules can see, each with the stated facts behind it."""
    problems: list[Problem] = []

    def why_type(node: str, cls: str) -> list[Fact]:
        """The stated facts that make `node` a `cls`: its types below cls, or a link whose
        domain or range is below cls."""
        out = []
        for (s, p, o) in facts.where:
            if s == node and p == RDF_TYPE and cls in ax.superclasses(o):
                out.append(facts.fact(s, p, o))
            elif s == node and p != RDF_TYPE and any(
                    cls in ax.superclasses(d) for q in ax.superproperties(p)
                    for d in ax.domain.get(q, ())):
                out.append(facts.fact(s, p, o))
            elif o == node and p != RDF_TYPE and any(
                    cls in ax.superclasses(r) for q in ax.superproperties(p)
                    for r in ax.range.get(q, ())):
                out.append(facts.fact(s, p, o))
        return out

    def stated_links(s: str, p: str) -> list[Fact]:
        return [facts.fact(s, q, o) for (x, q, o) in facts.where
                if x == s and p in ax.superproperties(q) and q != RDF_TYPE]

    for a, b in ax.disjoint:
        for node, classes in closure.types.items():
            if a in classes and b in classes:
                problems.append(Problem(
                    node, f"is both {_short(a)} and {_short(b)}, which are disjoint classes",
                    why_type(node, a) + why_type(node, b)))
    for p, q in ax.disjoint_properties:
        for s, objects in closure.out.get(p, {}).items():
            for o in objects & closure.out.get(q, {}).get(s, set()):
                problems.append(Problem(
                    s, f"links {_term_text(o)} by both {_short(p)} and {_short(q)}, which are "
                       f"disjoint properties", [facts.fact(s, p, o), facts.fact(s, q, o)]))
    for p in ax.functional:
        for s, objects in closure.out.get(p, {}).items():
            values = sorted(objects)
            if any(_distinct(x, y, ax, closure) for i, x in enumerate(values)
                   for y in values[i + 1:]):
                problems.append(Problem(
                    s, f"has {len(values)} different values of {_short(p)}, a functional "
                       f"property: {', '.join(_term_text(v) for v in values)}",
                    stated_links(s, p)))
    for cls, p, filler, n in ax.cardinality:
        for node, classes in closure.types.items():
            if cls not in classes:
                continue
            values = sorted(o for o in closure.out.get(p, {}).get(node, ())
                            if filler in closure.types.get(o, ()))
            if len(values) != n:
                problems.append(Problem(
                    node, f"a {_short(cls)} must have exactly {n} {_short(p)} of class "
                          f"{_short(filler)}; it has {len(values)}"
                          + (f" ({', '.join(_short(v) for v in values)})" if values else ""),
                    [facts.fact(node, RDF_TYPE, c) for c in sorted(classes)
                     if (node, RDF_TYPE, c) in facts.where] + stated_links(node, p)))
    problems.sort(key=lambda pr: (pr.node, pr.message))
    return problems


def _inferred_from_closure(facts: Facts, closure: Closure) -> set[tuple[str, str, str]]:
    data = _data_nodes(facts)
    return {(s, p, o) for s, p, o in closure.triples()
            if (s, p, o) not in closure.stated and s in data and _keep(s, p, o)}


def _data_nodes(facts: Facts) -> set[str]:
    return {s for (s, _p, _o) in facts.where if s.startswith(V.ID)}


def _keep(s: str, p: str, o: str) -> bool:
    """What the inferred graph holds: types, and links of the project's own properties (the
    reused vocabularies' super-properties, org:role or prov:wasAssociatedWith, would only
    repeat bkg:role or bkg:participant under another name)."""
    if p == RDF_TYPE:
        return o != OWL + "Thing"
    # A state dealing with itself follows from the chain but says nothing.
    return p.startswith(str(V.BKG)) and not (p == str(V.BKG.dealsWith) and s == o)


# ---------------------------------------------------------------- HermiT

def _ntriples(facts: Facts) -> bytes:
    lines = []
    for s, p, o in facts.where:
        if o.startswith("\x00"):
            lit = o[1:]
            for dt in DATE_TYPES:  # not OWL 2 datatypes: HermiT refuses them
                if lit.endswith(f"^^<{dt}>"):
                    lit = lit[: -len(f"^^<{dt}>")]
            lines.append(f"<{s}> <{p}> {lit} .")
        else:
            lines.append(f"<{s}> <{p}> <{o}> .")
    return "\n".join(lines).encode("utf-8")


def _java() -> str | None:
    import owlready2

    return shutil.which(owlready2.JAVA_EXE)


def _hermit(store: Store, facts: Facts, ax: Axioms) -> tuple[bool, set[tuple[str, str, str]]]:
    """Consistency and the inferred triples, by HermiT through owlready2."""
    import owlready2

    if _java() is None:
        raise ReasoningError("HermiT needs Java, and no `java` is on the PATH: install a Java "
                             "runtime (apt-get install default-jre-headless) or use --method rl")
    world = owlready2.World()
    onto_nt = "\n".join(f"{s} {p} {o} ." for s, p, o in _ontology_triples(store)
                        if not (p.value == str(V.BKG.contentHash)))
    world.get_ontology(str(V.BKG)[:-1]).load(fileobj=io.BytesIO(onto_nt.encode("utf-8")),
                                              format="ntriples")
    data = world.get_ontology(V.GRAPH + "reasoning").load(
        fileobj=io.BytesIO(_ntriples(facts)), format="ntriples")
    B = str(V.BKG)
    between, state_cls = world[B + "between"], world[B + "State"]
    with data:
        states = list(state_cls.instances()) if state_cls is not None else []
        if len(states) > 1:
            owlready2.AllDifferent(states)  # one state per ISO code
        relation_cls = world[B + "BilateralRelation"]
        for rel in (relation_cls.instances() if relation_cls is not None else []):
            # the store is the complete record of a relation's states: close bkg:between
            rel.is_a.append(between.only(owlready2.OneOf(list(between[rel]))))
    try:
        with data:
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False, set()
    except owlready2.OwlReadyJavaError as e:
        raise ReasoningError(f"HermiT failed: {str(e).strip()[:2000]}") from e

    nodes = _data_nodes(facts)
    inferred: set[tuple[str, str, str]] = set()
    for iri in nodes:
        ind = world[iri]
        if ind is None or not isinstance(ind, owlready2.Thing):
            continue
        for cls in ind.INDIRECT_is_a:
            if isinstance(cls, owlready2.ThingClass) and cls is not owlready2.Thing:
                inferred.add((iri, RDF_TYPE, cls.iri))
    # Property values: HermiT's (-Y) went into the world; owlready2 keeps inverses implicit,
    # so each declared inverse pair is read off in both directions.
    props = {p for p in world.object_properties() if p.iri.startswith(B)}
    for prop in props:
        for s, o in prop.get_relations():
            if isinstance(s, owlready2.Thing) and isinstance(o, owlready2.Thing):
                inferred.add((s.iri, prop.iri, o.iri))
                inverse = prop.inverse_property
                if inverse is not None:
                    inferred.add((o.iri, inverse.iri, s.iri))
    stated = set(facts.where)
    return True, {t for t in inferred
                  if t not in stated and t[0] in nodes and _keep(*t)}


# ---------------------------------------------------------------- driver

def _write_inferred(store: Store, triples: set[tuple[str, str, str]]) -> None:
    def term(x: str):
        return ox.NamedNode(x)
    store.put_graph(INFERRED_GRAPH, [ox.Triple(term(s), term(p), term(o))
                                     for s, p, o in sorted(triples)])


def reason(store: Store, method: str = "auto", write: bool = True) -> Reasoning:
    """Checks the store's graph for consistency and, when consistent (and `write`), replaces
    the inferred graph with what the axioms entail. See the module doc for the methods."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    start = time.perf_counter()
    ax = load_axioms(store)
    facts = _facts(store)
    note = ""
    if method == "auto":
        java = _java() is not None
        method = "hermit" if len(facts) <= HERMIT_LIMIT and java else "rl"
        note = (f"auto: {len(facts)} facts " + ("<=" if len(facts) <= HERMIT_LIMIT else ">")
                + f" {HERMIT_LIMIT}" + ("" if java else ", and no Java for HermiT")
                + f", so {'HermiT' if method == 'hermit' else 'OWL 2 RL rules'}")
    closure = Closure(facts, ax)
    if method == "hermit":
        consistent, inferred = _hermit(store, facts, ax)
        # HermiT says whether; the rules say where (a contradiction a rule cannot see is
        # reported as such by Reasoning.text()).
        problems = [] if consistent else check(facts, ax, closure)
    else:
        problems = check(facts, ax, closure)
        consistent = not problems
        inferred = _inferred_from_closure(facts, closure) if consistent else set()
    result = Reasoning(method, consistent, len(facts), problems=problems, note=note)
    if consistent and write:
        _write_inferred(store, inferred)
        result.inferred = len(inferred)
    result.seconds = time.perf_counter() - start
    return result
