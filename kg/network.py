"""The knowledge graph as networkx graphs ("views"), for analytics and for Gephi/Cytoscape.

`build(store, view)` reads the store with a few bulk named queries (kg's own, in
queries/network/, which `kg query --list` leaves out) and assembles the graph in Python. Every
query reads inside `GRAPH ?g { ... }`: in the union default graph a triple that several reports
state appears once per report, so the per-report rows are counted here, explicitly, as reports
and evidence sentences.

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

import functools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator
from urllib.parse import unquote

import pyoxigraph as ox

from kg import queries
from kg import summaries
from kg.store import iter_plain_rows
from kg import vocabulary as V

if TYPE_CHECKING:  # networkx is imported where a graph is built: `kg` starts faster without it
    import networkx as nx

    from kg.store import Store

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

@functools.lru_cache(maxsize=1 << 14)
def local_name(iri: str | None) -> str:
    """The last segment of an IRI ('.../role/ambassador' -> 'ambassador'). Kept for the
    latest IRIs: a view of 1,000 reports asks it 75,000 times, mostly of a few classes and
    properties (0.1 s, 4 ms kept)."""
    if not iri:
        return ""
    return unquote(re.split(r"[/#]", iri.rstrip("/"))[-1]) or iri


def report_id(graph_iri: str) -> str:
    """The report id of a report's named graph IRI (the IRI itself for another graph)."""
    report = V.report_of_graph(graph_iri)
    return graph_iri if report is None else report


def _rows(store: Store, name: str,
          params: dict[str, list[str]] | None = None) -> Iterator[dict[str, str | None]]:
    """A named query's rows as {column: plain string or None} (IRIs as strings)."""
    if isinstance(store, _Recorded):
        return store.rows(name, params)
    name = getattr(store, "replaced", {}).get(name, name)
    return iter_plain_rows(queries.run(store, name, params))


class _Reports:
    """Some report graphs of an embedded store, read in place: each query sees them as its
    named graphs (and an empty default graph), so `GRAPH ?g` ranges over them alone. A copy
    into memory read every triple of them, their texts too (3 ms a report at 100,000
    reports); the queries read only what they match.

    The state-name counts of the summary graph are the whole store's: here they are counted
    from the reports (`replaced`), as a copy's own summary counted them."""

    replaced = {"network-state-labels": "network-state-names"}

    def __init__(self, store: Store, graphs: Iterable[str]) -> None:
        self.store = store
        self.graphs = [ox.NamedNode(g) for g in graphs]

    def query(self, sparql: str, **options):
        return self.store.query(sparql, default_graph=[], named_graphs=self.graphs, **options)


class _Recorded:
    """Some report graphs as their network records (kg/summaries.py, network_record): the
    rows of the full view's queries over them, decoded from one JSON literal a report instead
    of read from the store (1,000 literals against 63,000 rows for 1,000 reports; Oxigraph's
    decoding of the rows was most of the graph's cost). Only the full view's queries."""

    def __init__(self, records: dict[str, str]) -> None:
        self.records = records
        self._parsed: list | None = None

    def _decoded(self):
        if self._parsed is None:   # once, not once per query
            self._parsed = [(g, json.loads(text)) for g, text in self.records.items()]
        for g, record in self._parsed:
            terms = record["t"]
            yield g, record, (lambda i: None if i < 0 else terms[i])

    def rows(self, name: str, params: dict[str, list[str]] | None = None
             ) -> Iterator[dict[str, str | None]]:
        classes = [c.value for c in summaries.NETWORK_CLASSES]
        attributes = [p.value for p in summaries.NETWORK_ATTRIBUTES]
        links = [p.value for p in summaries.NETWORK_LINKS]
        wanted = set((params or {}).get("property") or links)
        for g, record, t in self._decoded():
            if name == "network-reports":
                for node, published, title in record["r"]:
                    yield {"g": g, "node": t(node), "title": t(title), "published": t(published)}
            elif name == "network-nodes":
                for node, i in record["n"]:
                    yield {"g": g, "node": t(node), "class": classes[i]}
            elif name == "network-attributes":
                for node, i, value in record["a"]:
                    yield {"g": g, "node": t(node), "property": attributes[i], "value": t(value)}
            elif name == "network-links":
                for source, i, target in record["l"]:
                    if links[i] in wanted:
                        yield {"g": g, "source": t(source), "property": links[i],
                               "target": t(target)}
            elif name == "network-polarities":
                for relation, polarity in record["p"]:
                    yield {"g": g, "relation": t(relation), "polarity": t(polarity)}
            else:
                raise NetworkError(f"{name}: not in a network record")

    def evidence(self) -> Counter:
        """network-evidence's rows counted as _evidence_counts counts them."""
        counts: Counter = Counter()
        for g, record, t in self._decoded():
            for node, n in record["e"]:
                counts[(g, t(node))] += n
        return counts


def records(store: Store, graphs: list[str]) -> dict[str, str] | None:
    """The network records of these report graphs (graph IRI -> JSON), or None if any has
    none of this kg's record version (a store written before they were kept, or by an older
    kg: `kg reindex` writes them)."""
    if not graphs:
        return None
    found = {}
    for row in _rows(store, "network-records", {"graph": graphs}):
        found[row["graph"]] = row["record"]
    wanted = f'{{"v":{summaries.RECORD_VERSION},'
    if set(found) != set(graphs) or not all(t.startswith(wanted) for t in found.values()):
        return None
    return {g: found[g] for g in graphs}


def in_place(store: Store, graphs: Iterable[str]) -> _Reports:
    """Some report graphs of an embedded store as a store to query (see `_Reports`)."""
    return _Reports(store, graphs)


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


def most_common(values) -> str | None:
    """The most frequent value, ties to the longest (the fullest name form), then sorted.
    `values` is an iterable of values or a Counter of them."""
    counts = values if isinstance(values, Counter) else Counter(v for v in values if v)
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

def build(store: Store, view: str = "states", reports: Iterable[str] | None = None) -> nx.Graph:
    """The store as a networkx graph: view "states", "actors" or "full" (see the module doc).

    With `reports` (report graph IRIs, e.g. from `select_reports`), only those reports are
    read (in place on an embedded store, else from a copy in memory), so a view of a few
    reports of a large store costs what those reports cost. Counts (reports, evidence, ...)
    are then over them."""
    builders = {"states": states_view, "actors": actors_view, "full": full_view}
    if view not in builders:
        raise NetworkError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if reports is not None:
        reports = list(reports)
        # The full view from the reports' network records where the store has them all.
        found = records(store, reports) if view == "full" else None
        if found is not None:
            return full_view(_Recorded(found))
        # In place where the store can restrict a query to some graphs at no cost (an
        # embedded one); a SPARQL server would get the graphs' list with every query.
        store = _Reports(store, reports) if store.embedded else store.subset(reports)
    return builders[view](store)


# ---------------------------------------------------------------- choosing reports

def overlaps(lo: str | None, hi: str | None, since: str | None, until: str | None) -> bool:
    """Whether the dates [lo, hi] may meet [since, until] (ISO dates of any precision,
    compared at the coarser one: 2025-08 meets 2025-08-08). Undated never meets a period."""
    if since is None and until is None:
        return True
    if lo is None and hi is None:
        return False
    lo, hi = lo or hi, hi or lo
    if since is not None:
        n = min(len(hi), len(since))
        if hi[:n] < since[:n]:
            return False
    if until is not None:
        n = min(len(lo), len(until))
        if lo[:n] > until[:n]:
            return False
    return True


@dataclass(frozen=True)
class ReportDates:
    """A report graph and the earliest and latest dates it gives (publication or facts)."""
    graph: str
    first: str | None
    last: str | None


def select_reports(store: Store, states: Iterable[str] = (), node: str | None = None,
                   since: str | None = None, until: str | None = None) -> list[ReportDates]:
    """The reports that name any of `states` (ISO3 codes; all reports if none), or in which
    `node` (an IRI) has a class, and whose dates meet [since, until]; the latest first.

    A report is kept when the span from its earliest to its latest date (its publication's
    and its facts') meets the period, so every dated fact of the period, and every undated
    fact of a report published in it, is in a report kept."""
    states = [s.upper() for s in states]
    if node is not None:
        rows = _rows(store, "network-scope-node", {"node": [node]})
    elif states:
        rows = _rows(store, "network-scope-state", {"state": states})
    else:
        rows = _rows(store, "network-scope")
    # A dict: a report naming two of the states has a row for each. "~" and "" are the
    # query's marks for a report that gives no date.
    found = {}
    for r in rows:
        dates = ReportDates(r["g"], r["first"] if r["first"] != "~" else None, r["last"] or None)
        if dates.graph.startswith(V.REPORT_GRAPH) and overlaps(dates.first, dates.last,
                                                                    since, until):
            found[dates.graph] = dates
    return sorted(found.values(), key=lambda r: (r.last or "", r.graph), reverse=True)


def _state_nodes(store: Store,
                 evidence: dict[tuple[str, str], int] | None = None) -> dict[str, dict]:
    """State IRI -> node attributes; `evidence` ((graph, node) -> sentences) adds the counts.

    Read from two queries grouped in the store (a row per state and name): the per-report rows
    they replace cost more to read out than to count."""
    names: dict[str, Counter] = defaultdict(Counter)
    iso3: dict[str, str] = {}
    for row in _rows(store, "network-state-labels"):
        iso3.setdefault(row["state"], row["iso3"])
        if row["label"]:
            names[row["state"]][row["label"]] += _int(row["n"])
    reports = {row["state"]: _int(row["reports"]) for row in _rows(store, "network-state-reports")}
    about: Counter = Counter()
    if evidence is not None:
        # A state's sentences are in the reports naming it (the mapping gives every state it
        # uses its ISO3 code there), so the total over all reports is the same count.
        for (g, node), n in evidence.items():
            if node in iso3:
                about[node] += n
    nodes = {}
    for state in iso3:
        attrs = {"kind": "state", "label": most_common(names[state]) or iso3[state],
                 "iso3": iso3[state], "reports": reports.get(state, 0)}
        if evidence is not None:
            attrs["evidence"] = about[state]
        nodes[state] = attrs
    return nodes


def state_names(store: Store) -> dict[str, str]:
    """ISO3 code -> the commonest name the reports give the state, for every state named."""
    names: dict[str, Counter] = defaultdict(Counter)
    for row in _rows(store, "network-state-labels"):
        counts = names[row["iso3"]]
        if row["label"]:
            counts[row["label"]] += _int(row["n"])
    return {code: most_common(counts) or code for code, counts in sorted(names.items())}


def _evidence_counts(store: Store) -> dict[tuple[str, str], int]:
    """(report graph, node) -> the number of evidence sentences about the node there."""
    if isinstance(store, _Recorded):
        return store.evidence()
    results = queries.run(store, "network-evidence")
    return Counter((solution[0].value, solution[1].value) for solution in results)


def _published(store: Store) -> dict[str, str]:
    """Report graph -> publication date (ISO)."""
    return {row["g"]: row["published"] for row in _rows(store, "network-published")
            if row["published"]}


PAIR_PROPERTIES = {str(V.BKG.between): "relation", str(V.BKG.party): "agreement",
                   str(V.BKG.participant): "event"}


def states_view(store: Store) -> nx.Graph:
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

    evidence = _evidence_counts(store)
    published = _published(store)
    state_nodes = _state_nodes(store, evidence)
    # (graph, fact) -> its kind and the states it links, from simple per-report rows: joining
    # them in Python is several times faster than one SPARQL join over every report graph.
    facts: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for row in _rows(store, "network-links", {"property": list(PAIR_PROPERTIES)}):
        key = (row["g"], row["source"])
        if key not in facts:
            facts[key] = (PAIR_PROPERTIES[row["property"]], [])
        facts[key][1].append(row["target"])
    polarities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(store, "network-polarities"):
        polarities[(row["g"], row["relation"])].add(local_name(row["polarity"]))

    pairs: dict[tuple[str, str], dict] = defaultdict(lambda: {
        "weight": 0, "reports": set(), "relations": set(), "cooperative": set(),
        "conflictual": set(), "agreements": set(), "events": 0, "evidence": 0,
        "dates": [], "relation": None})
    for (g, fact), (kind, states) in facts.items():
        states = sorted(set(states))
        for i, a in enumerate(states):
            for b in states[i + 1:]:
                p = pairs[(a, b)]
                p["weight"] += 1
                p["reports"].add(g)
                p["evidence"] += evidence.get((g, fact), 0)
                p["dates"].append(published.get(g))
                if kind == "relation":
                    p["relation"] = fact
                    p["relations"].add(g)
                    for polarity in polarities.get((g, fact), ()):
                        if polarity in ("cooperative", "conflictual"):
                            p[polarity].add(g)
                elif kind == "agreement":
                    p["agreements"].add(fact)
                else:
                    p["events"] += 1

    G = nx.Graph(view="states")
    # Every state named by a report is a node, linked or not; sorted for stable output.
    for iri in sorted(state_nodes):
        G.add_node(iri, **state_nodes[iri])
    for (a, b) in sorted(k for k, p in pairs.items() if p["relation"]):
        p = pairs[(a, b)]
        for iri in (a, b):
            if iri not in G:
                G.add_node(iri, kind="state", label=local_name(iri), iso3=local_name(iri))
        coop, conf = len(p["cooperative"]), len(p["conflictual"])
        G.add_edge(a, b, kind="relation", relation=p["relation"],
                   label=f"{G.nodes[a]['label']} – {G.nodes[b]['label']}",
                   weight=p["weight"], reports=len(p["reports"]),
                   relations=len(p["relations"]), cooperative=coop, conflictual=conf,
                   polarity=_polarity(coop, conf), agreements=len(p["agreements"]),
                   events=p["events"], evidence=p["evidence"], **_span(p["dates"]))
    return G


def actors_view(store: Store) -> nx.Graph:
    """Officials, the posts reports say they hold, and the states and organizations served.

    Nodes: `person` (with `posts`, `reports`, `evidence`, `first`/`last`, `roles`, `states`),
    `post` (one per report and official: `role`, `position`, `date`, `report`, `evidence`),
    `state`, `organization`. Edges (attribute `kind`): person–post `holds`, post–state
    `serves` or `accredited_to`, post–organization `serves`.
    """
    import networkx as nx

    G = nx.Graph(view="actors")
    state_nodes = _state_nodes(store)
    published = _published(store)
    # Flat rows (a row per post, per post detail, per post's evidence count, per name)
    # joined here: one grouped query with every optional part took twice as long.
    evidence = {row["post"]: _int(row["n"]) for row in _rows(store, "network-post-evidence")}
    names: dict[str, Counter] = defaultdict(Counter)
    for row in _rows(store, "network-names"):
        names[row["node"]][row["name"]] += _int(row["n"])
    persons: dict[str, dict] = defaultdict(lambda: {
        "reports": set(), "posts": 0, "evidence": 0, "dates": [],
        "roles": set(), "states": set()})
    posts: list[tuple[str, dict, str, list[tuple[str, str]]]] = []
    organizations: dict[str, str] = {}
    seen_posts: set[str] = set()
    details: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _rows(store, "network-post-details"):
        # a post with two titles or dates keeps one (the store's order)
        details[row["post"]].setdefault(local_name(row["property"]), row["value"])
    for row in sorted(_rows(store, "network-posts"), key=lambda r: (r["g"], r["post"])):
        post = row["post"]
        if post in seen_posts:
            continue  # a post with two roles or holders keeps one
        seen_posts.add(post)
        row.update({name: details[post].get(prop) for name, prop in (
            ("position", "position"), ("asOf", "asOf"), ("state", "servesState"),
            ("host", "hostState"), ("organization", "servesOrganization"))})
        person, role = row["person"], local_name(row["role"])
        p = persons[person]
        p["reports"].add(row["g"])
        p["posts"] += 1
        p["evidence"] += evidence.get(post, 0)
        p["dates"].append(published.get(row["g"]))
        p["roles"].add(role)
        links = []
        if row["state"]:
            links.append((row["state"], "serves"))
            p["states"].add(local_name(row["state"]))
        if row["host"]:
            links.append((row["host"], "accredited_to"))
        if row["organization"]:
            links.append((row["organization"], "serves"))
            organizations[row["organization"]] = (most_common(names[row["organization"]])
                                                  or local_name(row["organization"]))
        attrs = _set({"kind": "post", "label": row["position"] or role.replace("_", " ")},
                     role=role, position=row["position"], date=row["asOf"],
                     report=report_id(row["g"]), reports=1,
                     evidence=evidence.get(post, 0))
        posts.append((post, attrs, person, links))

    for person in sorted(persons):
        p = persons[person]
        G.add_node(person, **_set(
            {"kind": "person", "label": most_common(names[person]) or local_name(person)},
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


def full_view(store: Store) -> nx.MultiDiGraph:
    """Every node and every link the reports state; see the module doc.

    Nodes carry `kind`, `label`, `reports`, `evidence`, `first`/`last` (publication dates of
    the reports stating them), and by kind: `iso3` (state), `code` (a post's role, an
    agreement's or event's kind), `status` (agreement, as the latest report gives it),
    `date`, `place`, `position` (post), `cooperative`/`conflictual` (relation: reports showing
    each polarity). Edges go from the fact to what it links (from a report to the states it
    mentions and the facts it states), keyed by `kind`, with `reports` and `evidence` counts.
    """
    import networkx as nx

    evidence = _evidence_counts(store)
    published: dict[str, str] = {}
    report_nodes: dict[str, str] = {}
    titles: dict[str, str] = {}
    for row in _rows(store, "network-reports"):
        report_nodes[row["g"]] = row["node"]
        if row["published"]:
            published[row["g"]] = row["published"]
        if row["title"]:
            titles[row["node"]] = row["title"]
    classes: dict[str, set[str]] = defaultdict(set)
    graphs: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "network-nodes"):
        classes[row["node"]].add(local_name(row["class"]))
        graphs[row["node"]].add(row["g"])
    # node -> property -> [(publication date, graph, value)], to pick the latest or commonest
    values: dict[str, dict[str, list[tuple[str, str, str]]]] = defaultdict(
        lambda: defaultdict(list))
    for row in _rows(store, "network-attributes"):
        values[row["node"]][local_name(row["property"])].append(
            (published.get(row["g"], ""), row["g"], row["value"]))
    polarities: dict[str, Counter] = defaultdict(Counter)
    for row in _rows(store, "network-polarities"):
        polarities[row["relation"]][local_name(row["polarity"])] += 1

    def latest(node, *properties):
        found = [v for prop in properties for v in values[node].get(prop, ())]
        return max(found)[2] if found else None

    def common(node, *properties):
        return most_common(v[2] for prop in properties for v in values[node].get(prop, ()))

    G = nx.MultiDiGraph(view="full")
    for node in sorted(classes):
        # A node typed with a class and its subclass (an organization) has one kind.
        kind = next((KINDS[c] for c in KINDS if c in classes[node]), "other")
        in_graphs = graphs[node]
        dates = [v[2] for prop in ("date", "signedOn", "asOf") for v in values[node].get(prop, ())]
        attrs = {"kind": kind,
                 "label": (titles.get(node) if kind == "report" else common(node, "label"))
                 or local_name(node)}
        _set(attrs, iso3=latest(node, "iso3"),
             code=local_name(latest(node, "role", "agreementKind", "eventKind")) or None,
             status=local_name(latest(node, "status")) or None,
             date=min(dates) if dates else None,
             place=common(node, "place", "signedAt"),
             position=latest(node, "position"),
             reports=len(in_graphs),
             evidence=sum(evidence.get((g, node), 0) for g in in_graphs),
             **_span(published.get(g) for g in in_graphs))
        if kind in ("post", "report"):
            attrs["report"] = report_id(min(in_graphs))
        if kind == "report" and min(in_graphs) in published:
            attrs["date"] = published[min(in_graphs)]
        if kind == "relation":
            coop, conf = polarities[node]["cooperative"], polarities[node]["conflictual"]
            attrs.update(cooperative=coop, conflictual=conf, polarity=_polarity(coop, conf))
        G.add_node(node, **attrs)
    for g, node in report_nodes.items():
        if node not in G:
            G.add_node(node, kind="report", label=titles.get(node) or report_id(g),
                       report=report_id(g), reports=1)

    links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in _rows(store, "network-links"):
        links[(row["source"], row["target"], local_name(row["property"]))].add(row["g"])
    # A report `states` each fact (post, agreement, event, relation) its graph holds.
    for node, in_graphs in graphs.items():
        if G.nodes[node]["kind"] in FACT_KINDS:
            for g in in_graphs:
                if g in report_nodes:
                    links[(report_nodes[g], node, "states")].add(g)

    for (source, target, kind) in sorted(links):
        in_graphs = links[(source, target, kind)]
        for iri in (source, target):
            if iri not in G:
                G.add_node(iri, kind="other", label=local_name(iri))
        # The sentences behind a link are those of its fact (the target, for a report's links).
        fact = target if G.nodes[source]["kind"] == "report" else source
        G.add_edge(source, target, key=kind, kind=kind, label=kind,
                   reports=len(in_graphs),
                   evidence=sum(evidence.get((g, fact), 0) for g in in_graphs),
                   **_span(published.get(g) for g in in_graphs))
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
