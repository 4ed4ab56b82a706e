"""The knowledge graph as networkx graphs ("views"), for analytics and for Gephi/Cytoscape.

`build(store, view)` reads the store with a few bulk named queries (queries/network-*.rq)
and assembles the graph in Python. Every query reads inside `GRAPH ?g { ... }`: in the union
default graph a triple that several reports state appears once per report, so the per-report
rows are counted here, explicitly, as reports and evidence sentences.

Views (node ids are IRIs; see docs/network.md for every attribute):

- ``"states"``: an undirected `nx.Graph` of states. Two states are linked when a report states
  a bilateral relation between them; the edge counts the facts (relations, agreements, events,
  one per report stating them) and reports behind it, and how many reports showed it
  cooperative or conflictual.
- ``"actors"``: an undirected `nx.Graph` of officials (persons), the posts each report says they
  hold, and the states and international organizations those posts serve or are accredited to.
- ``"full"``: a `nx.MultiDiGraph` of every node (states, persons, posts, organizations,
  agreements, events, relations, reports) and every link a report states between them, keyed
  by the RDF property (`member`, `servesState`, `party`, `participant`, `between`, ...), plus
  a `states` edge from each report to each fact it states.

Attribute values are str, int, float or bool only (never None), so that GraphML and GEXF can
hold them: a missing value is a missing attribute.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterator
from urllib.parse import unquote

from kg import queries
from kg import vocabulary as V
from kg.store import REPORT_GRAPH_PREFIX

if TYPE_CHECKING:  # networkx is imported where a graph is built: `kg` starts faster without it
    import networkx as nx

VIEWS = ("states", "actors", "full")

# The class of a node (its rdf:type's local name) -> the `kind` attribute.
KINDS = {
    "State": "state", "Person": "person", "Post": "post", "Organization": "organization",
    "InternationalOrganization": "organization", "Ministry": "organization",
    "Embassy": "organization", "Agreement": "agreement", "Event": "event",
    "BilateralRelation": "relation", "Report": "report",
}
FACT_KINDS = ("post", "agreement", "event", "relation")


class NetworkError(ValueError):
    """An unknown view, or a node that is not in the graph."""


# ---------------------------------------------------------------- helpers

def local_name(iri: str | None) -> str:
    """The last segment of an IRI ('.../role/ambassador' -> 'ambassador')."""
    if not iri:
        return ""
    return unquote(re.split(r"[/#]", iri.rstrip("/"))[-1]) or iri


def report_id(graph_iri: str) -> str:
    """The report id of a report's named graph IRI."""
    return unquote(graph_iri[len(REPORT_GRAPH_PREFIX):])


def _rows(store, name: str) -> Iterator[dict[str, str | None]]:
    """A named query's rows as {column: plain string or None} (IRIs as strings)."""
    results = queries.run(store, name)
    names = [v.value for v in results.variables]
    for solution in results:
        row = {}
        for n in names:
            term = solution[n]
            row[n] = None if term is None else term.value
        yield row


def _int(value: str | None) -> int:
    return int(value) if value else 0


def _true(value: str | None) -> bool:
    return value == "true"


def _set(attrs: dict, **values) -> dict:
    """Sets the values that are not None (GraphML/GEXF have no null)."""
    attrs.update({k: v for k, v in values.items() if v is not None and v != ""})
    return attrs


def _span(dates) -> dict:
    dates = [d for d in dates if d]
    return {"first": min(dates), "last": max(dates)} if dates else {}


def _most_common(values) -> str | None:
    """The most frequent value, ties to the longest (the fullest name form), then sorted."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -len(v), v))


def _polarity(cooperative: int, conflictual: int) -> str:
    if cooperative and conflictual:
        return "mixed"
    if conflictual:
        return "conflictual"
    if cooperative:
        return "cooperative"
    return "unknown"


# ---------------------------------------------------------------- views

def build(store, view: str = "states") -> nx.Graph:
    """The store as a networkx graph: view "states", "actors" or "full" (see the module doc)."""
    builders = {"states": states_view, "actors": actors_view, "full": full_view}
    if view not in builders:
        raise NetworkError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    return builders[view](store)


def _state_nodes(store) -> dict[str, dict]:
    nodes = {}
    for row in _rows(store, "network-state-nodes"):
        nodes[row["state"]] = _set(
            {"kind": "state", "label": row["label"] or row["iso3"], "iso3": row["iso3"]},
            reports=_int(row["reports"]), evidence=_int(row["evidence"]))
    return nodes


def states_view(store) -> nx.Graph:
    """States linked by their bilateral relations.

    An edge is a pair of states some report states a relation between (the pairs of the
    `relations` query). Its attributes count, over all reports:
    `weight` the facts linking the pair (each relation, agreement and event, once per report
    stating it), `reports` the reports stating any of them, `relations` the reports stating the
    relation, `cooperative`/`conflictual` the reports showing that polarity, `agreements` the
    distinct agreements and `events` the events with both states as parties or participants,
    `evidence` the sentences behind those facts, `first`/`last` the reports' publication dates.
    """
    import networkx as nx

    G = nx.Graph(view="states")
    state_nodes = _state_nodes(store)
    pairs: dict[tuple[str, str], dict] = defaultdict(lambda: {
        "facts": set(), "reports": set(), "relations": set(), "cooperative": set(),
        "conflictual": set(), "agreements": set(), "events": set(), "evidence": 0,
        "dates": [], "relation": None})
    for row in _rows(store, "network-states"):
        p = pairs[(row["a"], row["b"])]
        g, fact, kind = row["g"], row["fact"], row["kind"]
        if (g, fact) in p["facts"]:
            continue  # a report stating a fact twice (two dates) counts once
        p["facts"].add((g, fact))
        p["reports"].add(g)
        p["evidence"] += _int(row["evidence"])
        p["dates"].append(row["published"])
        if kind == "relation":
            p["relation"] = fact
            p["relations"].add(g)
            if _true(row["cooperative"]):
                p["cooperative"].add(g)
            if _true(row["conflictual"]):
                p["conflictual"].add(g)
        elif kind == "agreement":
            p["agreements"].add(fact)
        else:
            p["events"].add(fact)

    linked = {(a, b): p for (a, b), p in pairs.items() if p["relation"]}
    # Every state named by a report is a node, linked or not; sorted for stable output.
    for iri in sorted(state_nodes):
        G.add_node(iri, **state_nodes[iri])
    for (a, b) in sorted(linked):
        p = linked[(a, b)]
        for iri in (a, b):
            if iri not in G:
                G.add_node(iri, kind="state", label=local_name(iri), iso3=local_name(iri))
        coop, conf = len(p["cooperative"]), len(p["conflictual"])
        G.add_edge(a, b, kind="relation", relation=p["relation"],
                   label=f"{G.nodes[a]['label']} – {G.nodes[b]['label']}",
                   weight=len(p["facts"]), reports=len(p["reports"]),
                   relations=len(p["relations"]), cooperative=coop, conflictual=conf,
                   polarity=_polarity(coop, conf), agreements=len(p["agreements"]),
                   events=len(p["events"]), evidence=p["evidence"], **_span(p["dates"]))
    return G


def actors_view(store) -> nx.Graph:
    """Officials, the posts reports say they hold, and the states and organizations served.

    Nodes: `person` (with `posts`, `reports`, `evidence`, `first`/`last`, `roles`, `states`),
    `post` (one per report and official: `role`, `position`, `date`, `report`, `evidence`),
    `state`, `organization`. Edges (attribute `kind`): person–post `holds`, post–state
    `serves` or `accredited_to`, post–organization `serves`.
    """
    import networkx as nx

    G = nx.Graph(view="actors")
    state_nodes = _state_nodes(store)
    persons: dict[str, dict] = defaultdict(lambda: {
        "names": [], "reports": set(), "posts": 0, "evidence": 0, "dates": [],
        "roles": set(), "states": set()})
    posts: list[tuple[str, dict, str, list[tuple[str, str]]]] = []
    organizations: dict[str, str] = {}
    seen_posts: set[str] = set()
    for row in sorted(_rows(store, "network-actors"), key=lambda r: (r["g"], r["post"])):
        post = row["post"]
        if post in seen_posts:
            continue  # a post with two titles or dates gives two rows
        seen_posts.add(post)
        person, role = row["person"], local_name(row["role"])
        p = persons[person]
        p["names"].append(row["name"])
        p["reports"].add(row["g"])
        p["posts"] += 1
        p["evidence"] += _int(row["evidence"])
        p["dates"].append(row["published"])
        p["roles"].add(role)
        links = []
        if row["state"]:
            links.append((row["state"], "serves"))
            p["states"].add(local_name(row["state"]))
        if row["host"]:
            links.append((row["host"], "accredited_to"))
        if row["organization"]:
            links.append((row["organization"], "serves"))
            organizations[row["organization"]] = (row["organizationLabel"]
                                                  or local_name(row["organization"]))
        attrs = _set({"kind": "post", "label": row["position"] or role.replace("_", " ")},
                     role=role, position=row["position"], date=row["asOf"],
                     report=report_id(row["g"]), reports=1,
                     evidence=_int(row["evidence"]))
        posts.append((post, attrs, person, links))

    for person in sorted(persons):
        p = persons[person]
        G.add_node(person, **_set(
            {"kind": "person", "label": _most_common(p["names"]) or local_name(person)},
            posts=p["posts"], reports=len(p["reports"]), evidence=p["evidence"],
            roles=" ".join(sorted(p["roles"])), states=" ".join(sorted(p["states"])),
            **_span(p["dates"])))
    for iri in sorted(organizations):
        G.add_node(iri, kind="organization", label=organizations[iri])
    for post, attrs, person, links in posts:
        G.add_node(post, **attrs)
        G.add_edge(person, post, kind="holds", label="holds")
        for target, kind in links:
            if target not in G:
                G.add_node(target, **state_nodes.get(
                    target, {"kind": "state", "label": local_name(target),
                             "iso3": local_name(target)}))
            G.add_edge(post, target, kind=kind, label=kind.replace("_", " "))
    return G


def full_view(store) -> nx.MultiDiGraph:
    """Every node and every link the reports state; see the module doc.

    Nodes carry `kind`, `label`, `reports`, `evidence`, `first`/`last` (publication dates of
    the reports stating them), and by kind: `iso3` (state), `code` (a post's role, an
    agreement's or event's kind), `status` (agreement, as the latest report gives it),
    `date`, `place`, `position` (post), `cooperative`/`conflictual` (relation: reports showing
    each polarity). Edges go from the fact to what it links (from a report to the states it
    mentions and the facts it states), keyed by `kind`, with `reports` and `evidence` counts.
    """
    import networkx as nx

    G = nx.MultiDiGraph(view="full")
    published: dict[str, str] = {}
    report_nodes: dict[str, str] = {}
    per_node: dict[str, list[dict]] = defaultdict(list)
    for row in _rows(store, "network-nodes"):
        per_node[row["node"]].append(row)
        if row["class"] == str(V.BKG.Report):
            report_nodes[row["g"]] = row["node"]
            if row["date"]:
                published[row["g"]] = row["date"]

    # evidence of a node in one report, for the edges' counts
    evidence_in: dict[tuple[str, str], int] = {}
    for node in sorted(per_node):
        rows = per_node[node]
        classes = {local_name(r["class"]) for r in rows}
        # A node typed with a class and its subclass (an organization) has one kind.
        kind = next((KINDS[c] for c in KINDS if c in classes), "other")
        by_report: dict[str, dict] = {}
        for r in rows:
            by_report.setdefault(r["g"], r)
        for g, r in by_report.items():
            evidence_in[(g, node)] = _int(r["evidence"])
        ordered = sorted(by_report.values(), key=lambda r: (published.get(r["g"], ""), r["g"]))
        latest = ordered[-1]
        attrs = {"kind": kind,
                 "label": _most_common(r["label"] for r in ordered) or local_name(node)}
        _set(attrs, iso3=latest["iso3"],
             code=local_name(latest["code"]) or None,
             status=local_name(latest["status"]) or None,
             date=min((r["date"] for r in ordered if r["date"]), default=None),
             place=_most_common(r["place"] for r in ordered),
             position=latest["position"] if kind == "post" else None,
             reports=len(by_report),
             evidence=sum(evidence_in[(g, node)] for g in by_report),
             **_span(published.get(g) for g in by_report))
        if kind == "post":
            attrs["report"] = report_id(ordered[0]["g"])
        if kind == "relation":
            coop = sum(_true(r["cooperative"]) for r in by_report.values())
            conf = sum(_true(r["conflictual"]) for r in by_report.values())
            attrs.update(cooperative=coop, conflictual=conf, polarity=_polarity(coop, conf))
        if kind == "report":
            attrs["report"] = report_id(ordered[0]["g"])
        G.add_node(node, **attrs)

    links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in _rows(store, "network-links"):
        links[(row["source"], row["target"], local_name(row["property"]))].add(row["g"])
    # A report `states` each fact it gives evidence for or lists (posts, events, ...).
    for node, rows in per_node.items():
        if G.nodes[node]["kind"] in FACT_KINDS:
            for r in rows:
                if r["g"] in report_nodes:
                    links[(report_nodes[r["g"]], node, "states")].add(r["g"])

    for (source, target, kind) in sorted(links):
        graphs = links[(source, target, kind)]
        for iri in (source, target):
            if iri not in G:
                G.add_node(iri, kind="other", label=local_name(iri))
        # The sentences behind a link are those of its fact (the target, for a report's links).
        fact = target if G.nodes[source]["kind"] == "report" else source
        G.add_edge(source, target, key=kind, kind=kind, label=kind,
                   reports=len(graphs),
                   evidence=sum(evidence_in.get((g, fact), 0) for g in graphs),
                   **_span(published.get(g) for g in graphs))
    return G


# ---------------------------------------------------------------- finding nodes

def find_node(G: nx.Graph, ref: str) -> str:
    """A node of G by IRI, ISO3 code (a state) or label (case-insensitive, exact)."""
    if ref in G:
        return ref
    upper = ref.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", upper) and V.state_iri(upper) in G:
        return V.state_iri(upper)
    folded = ref.strip().casefold()
    matches = sorted(n for n, label in G.nodes(data="label")
                     if label and label.casefold() == folded)
    if matches:
        # prefer a state or person to a post whose title happens to match
        order = {"state": 0, "person": 1, "organization": 2, "agreement": 3}
        return min(matches, key=lambda n: (order.get(G.nodes[n].get("kind"), 9), n))
    raise NetworkError(f"no node {ref!r} in the {G.graph.get('view', '')} view "
                       f"(give an IRI, a state's ISO3 code or a label)".replace("  ", " "))
