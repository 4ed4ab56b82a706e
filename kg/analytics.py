"""Analytics on the networkx views of kg.network: centrality, communities, ego networks, the
chain of facts between two nodes, and a pair's timeline.

Nodes may be given as IRIs, as a state's ISO3 code, or by label (`kg.network.find_node`).
PageRank is computed here with numpy (a spaCy dependency, so always present) rather than by
`nx.pagerank`, which needs scipy, a dependency the project does not have.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from kg import network, queries
from kg import vocabulary as V

if TYPE_CHECKING:
    from kg.store import Store

MEASURES = ("pagerank", "degree", "strength", "betweenness", "eigenvector")
# Betweenness is exact up to this many nodes, else estimated from this many sources.
BETWEENNESS_EXACT = 2000


@dataclass
class CentralState:
    node: str           # the state's IRI
    iso3: str
    label: str
    score: float        # the measure's value
    partners: int       # states it has a relation with
    weight: int         # facts on its relations (sum of the edges' weights)


@dataclass
class CentralOfficial:
    node: str           # the person's IRI
    label: str
    score: float
    posts: int          # posts the reports say they hold (one per report and post)
    roles: list[str]    # role codes
    states: list[str]   # ISO3 codes of the states served


@dataclass
class Community:
    states: list[str]   # ISO3 codes, sorted
    labels: list[str]   # the states' names, in the same order
    nodes: list[str]    # IRIs, in the same order
    weight: int         # facts on the relations inside the community


@dataclass
class EvidenceSentence:
    report: str
    sentence: str
    start: int
    end: int


@dataclass
class Link:
    """One fact of a chain: `fact` links `source` to `target` (the nodes before and after it)."""
    source: str
    fact: str
    target: str | None
    kind: str           # the fact's kind: post, agreement, event or relation
    label: str
    evidence: list[EvidenceSentence] = field(default_factory=list)


@dataclass
class Chain:
    nodes: list[str]    # the path, from a to b: entities and the facts between them
    links: list[Link]   # the facts of the path, in order

    def __len__(self) -> int:
        return len(self.links)


@dataclass
class Month:
    month: str          # YYYY-MM of the reports' publication
    cooperative: int    # reports that month showing the pair cooperative
    conflictual: int    # ... and conflictual

    @property
    def total(self) -> int:
        return self.cooperative + self.conflictual


# ---------------------------------------------------------------- centrality

def pagerank(G: nx.Graph, weight: str | None = "weight", alpha: float = 0.85,
             tol: float = 1.0e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration (numpy); an undirected edge counts in both directions."""
    import numpy as np

    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    src, dst, w = [], [], []
    for u, v, data in G.edges(data=True):
        x = float(data.get(weight, 1)) if weight else 1.0
        src.append(index[u]); dst.append(index[v]); w.append(x)
        if not G.is_directed():
            src.append(index[v]); dst.append(index[u]); w.append(x)
    src, dst, w = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w)
    out = np.bincount(src, weights=w, minlength=n) if len(src) else np.zeros(n)
    share = np.divide(w, out[src], out=np.zeros_like(w), where=out[src] > 0)
    dangling = out == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        spread = np.bincount(dst, weights=rank[src] * share, minlength=n) if len(src) else 0
        new = alpha * (spread + rank[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(new - rank).sum() < n * tol:
            rank = new
            break
        rank = new
    return {node: float(rank[i]) for node, i in index.items()}


def _scores(G: nx.Graph, measure: str) -> dict[str, float]:
    if measure == "pagerank":
        return pagerank(G)
    if measure == "degree":
        return {n: float(d) for n, d in G.degree()}
    if measure == "strength":
        return {n: float(d) for n, d in G.degree(weight="weight")}
    if measure == "betweenness":
        k = None if len(G) <= BETWEENNESS_EXACT else BETWEENNESS_EXACT // 10
        return nx.betweenness_centrality(G, k=k, seed=0)
    if measure == "eigenvector":
        H = G.to_undirected(as_view=True) if G.is_directed() else G
        try:
            return nx.eigenvector_centrality(H, max_iter=1000, weight="weight")
        except (nx.PowerIterationFailedConvergence, nx.NetworkXPointlessConcept):
            return {n: 0.0 for n in G}
    raise network.NetworkError(f"unknown measure {measure!r}; choose one of "
                               f"{', '.join(MEASURES)}")


def central_states(G: nx.Graph, k: int = 10, measure: str = "pagerank") -> list[CentralState]:
    """The k most central states of a states view, by `measure` (see MEASURES): PageRank and
    strength use the edges' `weight` (facts), degree counts partners, betweenness is
    unweighted. Ties go to the state with more facts, then by ISO3."""
    scores = _scores(G, measure)
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("kind") != "state":
            continue
        rows.append(CentralState(
            node=node, iso3=data.get("iso3", network.local_name(node)),
            label=data.get("label", ""), score=round(scores.get(node, 0.0), 6),
            partners=sum(1 for m in G.neighbors(node) if G.nodes[m].get("kind") == "state"),
            weight=int(G.degree(node, weight="weight"))))
    rows.sort(key=lambda r: (-r.score, -r.weight, r.iso3))
    return rows[:k]


def central_officials(G_actors: nx.Graph, k: int = 10,
                      measure: str = "pagerank") -> list[CentralOfficial]:
    """The k most central officials of an actors view. An official who holds posts in many
    reports, serving or accredited to states that matter, ranks high under PageRank; `degree`
    ranks by the number of posts held."""
    scores = _scores(G_actors, measure)
    rows = []
    for node, data in G_actors.nodes(data=True):
        if data.get("kind") != "person":
            continue
        rows.append(CentralOfficial(
            node=node, label=data.get("label", ""), score=round(scores.get(node, 0.0), 6),
            posts=int(data.get("posts", 0)),
            roles=(data.get("roles") or "").split(), states=(data.get("states") or "").split()))
    rows.sort(key=lambda r: (-r.score, -r.posts, r.label, r.node))
    return rows[:k]


# ---------------------------------------------------------------- communities and egos

def communities(G_states: nx.Graph, seed: int = 7, resolution: float = 1.0,
                min_size: int = 2) -> list[Community]:
    """Communities of states (Louvain, weighted by facts, with a fixed seed so that the same
    graph always gives the same communities), largest first; states without relations, which
    would each be a community of one, are left out below `min_size`."""
    H = G_states.subgraph(n for n, k in G_states.nodes(data="kind") if k == "state")
    if H.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                             seed=seed)
    out = []
    for members in found:
        if len(members) < min_size:
            continue
        nodes = sorted(members, key=lambda n: H.nodes[n].get("iso3", n))
        out.append(Community(
            states=[H.nodes[n].get("iso3", network.local_name(n)) for n in nodes],
            labels=[H.nodes[n].get("label", "") for n in nodes], nodes=nodes,
            weight=int(H.subgraph(nodes).size(weight="weight"))))
    out.sort(key=lambda c: (-len(c.states), -c.weight, c.states))
    return out


def ego(G: nx.Graph, node: str, radius: int = 1) -> nx.Graph:
    """The subgraph of the nodes within `radius` links of `node` (an IRI, ISO3 or label), with
    their attributes; links are followed both ways in a directed view."""
    center = network.find_node(G, node)
    # A breadth-first walk over successors and predecessors: nx.ego_graph(undirected=True)
    # would first copy the whole graph as an undirected one.
    seen, frontier = {center}, [center]
    for _ in range(radius):
        nxt = []
        for n in frontier:
            for m in _neighbors(G, n):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    H = G.subgraph(seen).copy()
    H.graph.update(G.graph, center=center, radius=radius)
    return H


def _neighbors(G: nx.Graph, node: str):
    if G.is_directed():
        yield from G.successors(node)
        yield from G.predecessors(node)
    else:
        yield from G.neighbors(node)


# ---------------------------------------------------------------- chains of facts

def _shortest_path(neighbours, start: str, end: str) -> list[str] | None:
    """A shortest path between two nodes by bidirectional breadth-first search, the smaller
    frontier expanded first, stopping where the two searches meet. `neighbours(frontier)` maps
    each node of a frontier to its neighbours in sorted order (so that the same graph gives
    the same path): from a built graph (`_graph_neighbours`) or from the store, a few small
    queries per step (`_store_neighbours`), which give the same path."""
    if start == end:
        return [start]
    parents = [{start: None}, {end: None}]
    frontiers = [[start], [end]]
    while frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        here, there = parents[side], parents[1 - side]
        found = neighbours(frontiers[side])
        nxt = []
        for n in frontiers[side]:
            for m in found[n]:
                if m in here:
                    continue
                here[m] = n
                if m in there:
                    left, right = [], []
                    x = m
                    while x is not None:
                        left.append(x)
                        x = parents[0][x]
                    x = parents[1][m]
                    while x is not None:
                        right.append(x)
                        x = parents[1][x]
                    return left[::-1] + right
                nxt.append(m)
        frontiers[side] = nxt
    return None


class _graph_neighbours:
    """Neighbours in a built graph, links followed both ways, never through a report: paths
    then run entity - fact - entity through the facts the reports state. Computed per node
    when asked (a search usually stops before it has looked at a whole frontier)."""

    def __init__(self, G: nx.Graph):
        self.G = G

    def __call__(self, frontier):
        return self

    def __getitem__(self, n):
        G = self.G
        return sorted(m for m in set(_neighbors(G, n)) if G.nodes[m].get("kind") != "report")


# Frontiers are sent to the store in chunks: a VALUES of thousands of IRIs is a long query.
_CHUNK = 2000


def _store_neighbours(store: Store):
    """Neighbours read from the store (queries/network/network-neighbours.rq): the links of
    the full view but a report's, so the same neighbours as `_graph_neighbours` on a full
    view."""
    def neighbours(frontier):
        found: dict[str, set[str]] = defaultdict(set)
        for i in range(0, len(frontier), _CHUNK):
            for row in queries.run(store, "network-neighbours",
                                   {"node": frontier[i:i + _CHUNK]}):
                found[row[0].value].add(row[1].value)
        return {n: sorted(found.get(n, ())) for n in frontier}
    return neighbours


def _store_classes(store: Store, nodes) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in queries.run(store, "network-node-classes", {"node": sorted(set(nodes))}):
        found[row["node"].value].add(network.local_name(row["class"].value))
    return found


def _store_kind(classes: set[str]) -> str:
    # as kg.network.full_view gives a node's kind: a class and its subclass make one kind
    return next((network.KINDS[c] for c in network.KINDS if c in classes), "other")


def _store_labels(store: Store, nodes) -> dict[str, str]:
    """Node -> its label as the full view gives it: the name most reports give it."""
    names: dict[str, Counter] = defaultdict(Counter)
    for row in queries.run(store, "network-node-labels", {"node": sorted(set(nodes))}):
        names[row["node"].value][row["label"].value] += 1
    return {n: network.most_common(names[n]) or network.local_name(n) for n in nodes}


def _store_find(store: Store, ref: str) -> str:
    """`kg.network.find_node` on the store, without building the full view: an IRI, a
    state's ISO3 code, or a label (case aside; the commonest label of a node, as the view's)."""
    def known(node):
        return bool(_store_classes(store, [node]).get(node)) or bool(
            _store_neighbours(store)([node])[node])

    if _is_iri(ref) and known(ref):
        return ref
    upper = ref.strip().upper()
    if len(upper) == 3 and upper.isalpha() and known(V.state_iri(upper)):
        return V.state_iri(upper)
    folded = ref.strip().casefold()
    candidates = [row["node"].value for row in
                  queries.run(store, "network-find", {"name": [ref.strip().lower()]})]
    labels = _store_labels(store, candidates) if candidates else {}
    matches = sorted(n for n in candidates if labels[n].casefold() == folded)
    if matches:
        classes = _store_classes(store, matches)
        order = {"state": 0, "person": 1, "organization": 2, "agreement": 3}
        return min(matches, key=lambda n: (order.get(_store_kind(classes[n]), 9), n))
    raise network.NetworkError(f"no node {ref!r} in the store (give an IRI, a state's ISO3 "
                               f"code or a label)")


def _is_iri(ref: str) -> bool:  # a full IRI, not a code or a label
    return ref.startswith(("http://", "https://"))


def chain(source, a: str, b: str, store: Store | None = None) -> Chain | None:
    """The shortest chain of facts connecting nodes a and b in the full view, or None.

    `source` is a Store or a full view already built. Each link is a fact (post, agreement,
    event, relation) on the path with the sentences that state it, read from `store` (the
    Store given as source, else the `store` argument; without one the links carry no
    evidence). On a Store the full view is not built: the search asks the store for the
    neighbours of its frontiers, then for the kinds and labels of the path's nodes only."""
    if isinstance(source, nx.Graph):
        G = source
        start, end = network.find_node(G, a), network.find_node(G, b)
        kinds = {node: G.nodes[node].get("kind") for node in (start, end)}
        path = None
        if "report" not in kinds.values():
            path = _shortest_path(_graph_neighbours(G), start, end)
        if path is not None:
            kinds = {node: G.nodes[node].get("kind") for node in path}
            labels = {node: G.nodes[node].get("label", "") for node in path}
    else:
        store = source
        start, end = _store_find(store, a), _store_find(store, b)
        classes = _store_classes(store, [start, end])
        kinds = {node: _store_kind(classes.get(node, set())) for node in (start, end)}
        path = None
        if "report" not in kinds.values():
            path = _shortest_path(_store_neighbours(store), start, end)
        if path is not None:
            classes = _store_classes(store, path)
            kinds = {node: _store_kind(classes.get(node, set())) for node in path}
            facts = [node for node in path if kinds[node] in network.FACT_KINDS]
            labels = _store_labels(store, facts) if facts else {}
    for node in (start, end):
        if kinds.get(node) == "report":
            raise network.NetworkError(f"{node} is a report, not a node a chain can link")
    if path is None:
        return None
    links = []
    for i, node in enumerate(path):
        kind = kinds[node]
        if kind in network.FACT_KINDS and (node not in (start, end) or len(path) == 1):
            links.append(Link(source=path[i - 1] if i > 0 else node, fact=node,
                              target=path[i + 1] if i + 1 < len(path) else None, kind=kind,
                              label=labels.get(node, "")))
    if store is not None and links:
        sentences = _evidence(store, [link.fact for link in links])
        for link in links:
            link.evidence = sentences.get(link.fact, [])
    return Chain(nodes=path, links=links)


def _evidence(store: Store, nodes: list[str]) -> dict[str, list[EvidenceSentence]]:
    """The sentences stating each node itself, through queries/network/chain-evidence.rq
    (the first part of queries/evidence.rq: its second part, the facts linking to a node, is
    not used here and costs the most on a large store)."""
    found: dict[str, list[EvidenceSentence]] = defaultdict(list)
    for row in queries.run(store, "chain-evidence", {"node": sorted(set(nodes))}):
        found[row["node"].value].append(EvidenceSentence(
            report=row["report"].value, sentence=row["sentence"].value,
            start=int(row["start"].value), end=int(row["end"].value)))
    return dict(found)


# ---------------------------------------------------------------- a pair's timeline

def _iso3(ref: str) -> str:
    if ref.startswith(V.ID + "state/"):
        return network.local_name(ref)
    return ref.strip().upper()


def pair_timeline(store: Store, a: str, b: str, fill: bool = False) -> list[Month]:
    """A pair's relations per month (of the reports' publication): how many reports showed
    them cooperative and how many conflictual, as queries/pair-history.rq counts them (read
    here through the pair's relation node, queries/network/network-pair.rq, which is much
    faster on a large store). `a`, `b` are ISO3 codes or state IRIs, in either order; `fill`
    adds the months with no report in between."""
    relation = V.relation_iri(_iso3(a), _iso3(b))
    counts: dict[str, Counter] = defaultdict(Counter)
    seen = set()
    for row in queries.run(store, "network-pair", {"relation": [relation]}):
        published, polarity = row["published"], network.local_name(row["polarity"].value)
        if published is None or (row["g"].value, polarity) in seen:
            continue
        seen.add((row["g"].value, polarity))
        counts[published.value[:7]][polarity] += 1
    months = [Month(m, counts[m]["cooperative"], counts[m]["conflictual"])
              for m in sorted(counts)]
    if not fill or not months:
        return months
    have = {m.month: m for m in months}
    year, month = map(int, months[0].month.split("-"))
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append(have.get(key, Month(key, 0, 0)))
        if key >= months[-1].month:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
