"""The graph page's network: states, officials, agreements and events, built from kg.network.

The "full" view of kg.network holds every node the reports state, including posts, relations
and reports. A reader of the graph page wants fewer, plainer nodes, so here posts become
person–state links ("serves", "accredited to"), relations become state–state links that
carry their polarity, and reports are left out (they are the evidence, shown on click).

Edges keep an `evidence` count (sentences behind the link) and relation edges a `polarity`,
which the page uses for width and colour. Filters by kind, state and date range work on the
built graph, so one build serves every request until the store changes. A store of more
reports than `MAX_REPORTS` is built a `Scope` at a time instead: only the latest reports
naming the chosen states (or stating a node) in the period are read (`ViewerCache.get`);
with no scope at all, such a store is drawn as an overview of its states and the relations
between them, read from the summary graph the store keeps at write time (`overview`).
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import networkx as nx

from kg import network
from kg import queries
from kg import vocabulary as V
from kg.exports import to_cytoscape
from kg.store import iter_plain_rows
from kg.web.settings import VIEWER_MAX_REPORTS

if TYPE_CHECKING:
    from kg.store import Store

KINDS = ("state", "person", "organization", "agreement", "event")
VIEWS = ("viewer", *network.VIEWS)

# full-view edge kind (fact -> target) -> the viewer edge it becomes
_LINKS = {"party": "party", "participant": "participant", "organizer": "organizer",
          "involves": "involves"}
_POST_LINKS = {"servesState": "serves", "hostState": "accredited_to",
               "servesOrganization": "serves"}
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _event_label(attrs: dict, participants: list[str]) -> str:
    kind = (attrs.get("code") or "event").replace("_", " ")
    parts = [kind]
    if participants:
        parts.append("–".join(sorted(participants)[:4]) + ("…" if len(participants) > 4 else ""))
    if attrs.get("date"):
        parts.append(attrs["date"])
    return " ".join(parts)


def _add_edge(G: nx.Graph, a: str, b: str, kind: str, evidence: int, **attrs) -> None:
    """Adds or merges an undirected link: two facts linking the same nodes add up."""
    if a == b:
        return
    if G.has_edge(a, b):
        data = G.edges[a, b]
        data["evidence"] += evidence
        data["links"] += 1
        if kind not in data["kinds"].split():
            data["kinds"] += " " + kind
        return
    G.add_edge(a, b, kind=kind, kinds=kind, evidence=evidence, links=1, **attrs)


def build_viewer(full: nx.MultiDiGraph) -> nx.Graph:
    """The viewer network from kg.network's full view (see the module doc)."""
    G = nx.Graph(view="viewer")
    for n, d in full.nodes(data=True):
        if d.get("kind") in KINDS:
            G.add_node(n, **d)
    # A person's own evidence is that of the posts the reports say they hold.
    for post, d in full.nodes(data=True):
        if d.get("kind") != "post":
            continue
        persons = [v for _, v, k in full.out_edges(post, keys=True) if k == "member"]
        targets = [(v, _POST_LINKS[k]) for _, v, k in full.out_edges(post, keys=True)
                   if k in _POST_LINKS]
        for person in persons:
            p = G.nodes[person]
            p["evidence"] = p.get("evidence", 0) + d.get("evidence", 0)
            if d.get("position") and "position" not in p:
                p["position"] = d["position"]
            for target, kind in targets:
                if target in G:
                    _add_edge(G, person, target, kind, d.get("evidence", 0),
                              label=d.get("position") or kind.replace("_", " "))
    for u, v, k, d in full.edges(keys=True, data=True):
        if k in _LINKS and u in G and v in G:
            _add_edge(G, u, v, _LINKS[k], d.get("evidence", 0), label=_LINKS[k])
    for rel, d in full.nodes(data=True):
        if d.get("kind") != "relation":
            continue
        states = sorted({v for _, v, k in full.out_edges(rel, keys=True) if k == "between"})
        if len(states) != 2 or not all(s in G for s in states):
            continue
        a, b = states
        G.add_edge(a, b, id=rel, kind="relation", kinds="relation", relation=rel,
                   polarity=d.get("polarity", "unknown"),
                   cooperative=d.get("cooperative", 0), conflictual=d.get("conflictual", 0),
                   evidence=d.get("evidence", 0), reports=d.get("reports", 0), links=1,
                   label=f"{G.nodes[a].get('label', a)} – {G.nodes[b].get('label', b)}",
                   **{k: d[k] for k in ("first", "last") if k in d})
    for n, d in G.nodes(data=True):
        if d.get("kind") == "event":
            participants = [G.nodes[s].get("iso3", "") for s in G[n]
                            if G.nodes[s].get("kind") == "state"]
            d["label"] = _event_label(d, [p for p in participants if p])
        d.setdefault("evidence", 0)
        d["degree"] = G.degree(n)
    return G


def overview(store: Store, around: str | None = None) -> nx.Graph:
    """The viewer network of a whole large store: its states and the relations between them,
    with the counts of all its reports, from the summary graph (network-states and
    network-pairs, which read it; network.state_names for the commonest name): under a second
    at 100,000 reports, where building it from the reports reads them all.

    With `around` (a state's IRI), only that state's relations are read (network-state-pairs,
    0.1 s against network-pairs' 0.7 at 100,000 reports): every state is a node, but only
    `around`'s own attributes and links are those of the whole overview (the node details of
    /api/node)."""
    names = network.state_names(store)
    G = nx.Graph(view="viewer")
    for row in iter_plain_rows(queries.run(store, "network-states")):
        code = row["iso3"]
        G.add_node(row["state"], kind="state", label=names.get(code) or code, iso3=code,
                   reports=int(row["reports"]),
                   **{k: row[k] for k in ("first", "last") if row[k]})
    if around is None:
        pairs = queries.run(store, "network-pairs")
    elif around in G:
        pairs = queries.run(store, "network-state-pairs", {"state": [G.nodes[around]["iso3"]]})
    else:
        pairs = None  # not a state of the overview
    for row in iter_plain_rows(pairs) if pairs is not None else ():
        a, b = V.state_iri(row["state_a"]), V.state_iri(row["state_b"])
        if a not in G or b not in G:
            continue
        coop, conf = int(row["cooperative"]), int(row["conflictual"])
        G.add_edge(a, b, id=row["relation"], kind="relation", kinds="relation",
                   relation=row["relation"], polarity=network._polarity(coop, conf),
                   cooperative=coop, conflictual=conf, reports=int(row["reports"]), links=1,
                   label=f"{G.nodes[a]['label']} – {G.nodes[b]['label']}",
                   **{k: row[k] for k in ("first", "last") if row[k]})
    for n, d in G.nodes(data=True):
        d["degree"] = G.degree(n)
    return G


def _span(d: dict) -> tuple[str | None, str | None]:
    """The dates a node or edge covers: its own date, else the first and last reports'."""
    if d.get("date"):
        return d["date"], d["date"]
    return d.get("first"), d.get("last")


def check_date(value: str | None, what: str) -> str | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not _DATE.fullmatch(value):
        raise ValueError(f"{what}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value


def filter_graph(G: nx.Graph, kinds: Iterable[str] | None = None,
                 states: Iterable[str] | None = None, since: str | None = None,
                 until: str | None = None) -> nx.Graph:
    """A copy of G keeping the nodes of `kinds`, around the `states` (IRIs: the states and
    what links to them), and dated within [since, until]. A state stays while something
    kept links to it; relation edges are kept when their reports fall in the period.
    G itself when nothing filters: a copy of the overview of 100,000 reports takes 0.05 s."""
    if not kinds and not states and since is None and until is None:
        return G
    keep = set(G)
    if kinds:
        kinds = set(kinds)
        keep = {n for n in keep if G.nodes[n].get("kind") in kinds}
    dated = since is not None or until is not None
    if dated:
        keep = {n for n in keep if G.nodes[n].get("kind") == "state"
                or network.overlaps(*_span(G.nodes[n]), since, until)}
    if states:
        centre = {s for s in states if s in G}
        around = set(centre)
        for s in centre:
            around.update(G[s])
        keep &= around | centre
    H = G.subgraph(keep).copy()
    if dated:
        H.remove_edges_from([(u, v) for u, v, d in H.edges(data=True)
                             if d.get("kind") == "relation"
                             and not network.overlaps(*_span(d), since, until)])
        # A state that no dated fact or relation reaches has nothing to show in the period.
        H.remove_nodes_from([n for n in list(H) if H.nodes[n].get("kind") == "state"
                             and H.degree(n) == 0 and n not in set(states or ())])
    return H


def ego(G: nx.Graph, node: str, radius: int = 1) -> nx.Graph:
    return nx.ego_graph(G, node, radius=radius).copy()


def layout(G: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions for a big graph, computed here because a force layout of thousands of nodes
    takes the browser many seconds. States are laid out by a force layout of their relations
    (a few hundred nodes at most); every other node sits on a sunflower spiral around the
    centre of the states it links to, so that a pair's events and agreements gather between
    the two states. Nodes reaching no state are placed by their neighbours, then on a ring."""
    import math
    import random

    rng = random.Random(7)
    states = [n for n, d in G.nodes(data=True) if d.get("kind") == "state"]
    scale = max(400.0, 32.0 * math.sqrt(max(1, G.number_of_nodes())))
    # The states' graph in G's order: G.subgraph would give them in the order of a set of
    # IRIs (where they are under half of G), which changes with Python's hash seed, and so
    # would the layout, from one server to the next.
    S = nx.Graph()
    S.add_nodes_from(states)
    keep = set(states)
    S.add_edges_from((u, v, d) for u, v, d in G.edges(states, data=True) if v in keep)
    if states:
        raw = nx.spring_layout(S, seed=7, iterations=60) if len(states) > 1 else {states[0]: (0, 0)}
        pos = {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}
    else:
        pos = {}
    placed = set(pos)
    groups: dict[tuple, list[str]] = {}
    pending = [n for n in G if n not in placed]
    # The first pass anchors on states only; later ones on any placed neighbour, until no
    # more nodes can be placed.
    first = True
    while pending:
        later = []
        for n in pending:
            anchors = tuple(sorted(m for m in G[n] if m in placed and
                                   (not first or G.nodes[m].get("kind") == "state")))
            if anchors:
                groups.setdefault(anchors, []).append(n)
            else:
                later.append(n)
        for anchors, members in groups.items():
            cx = sum(pos[a][0] for a in anchors) / len(anchors)
            cy = sum(pos[a][1] for a in anchors) / len(anchors)
            turn = rng.random() * 2 * math.pi
            for i, n in enumerate(sorted(members), start=1):
                r = 16.0 * math.sqrt(i + 2)
                angle = turn + i * 2.39996  # the golden angle: even spacing, no spokes
                pos[n] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
                placed.add(n)
        groups = {}
        if len(later) == len(pending) and not first:
            break  # what is left reaches nothing placed
        first = False
        pending = later
    # Groups that reach no state (an organization and its officials) sit around the edge,
    # each group together.
    rest = sorted((sorted(c) for c in nx.connected_components(G.subgraph(pending))))
    for k, members in enumerate(rest):
        angle = 2 * math.pi * k / max(1, len(rest))
        cx, cy = 1.2 * scale * math.cos(angle), 1.2 * scale * math.sin(angle)
        for i, n in enumerate(members):
            r = 16.0 * math.sqrt(i)
            pos[n] = (cx + r * math.cos(i * 2.39996), cy + r * math.sin(i * 2.39996))
    return pos


def cytoscape(G: nx.Graph, positions: dict | None = None) -> dict:
    """Cytoscape.js elements; a relation edge's id is its relation IRI, so a click can ask
    for its details like a node's. With `positions`, each node carries its `position`."""
    data = to_cytoscape(G)
    for edge in data["elements"]["edges"]:
        d = edge["data"]
        if d.get("kind") == "relation" and d.get("relation"):
            d["id"] = d["relation"]
    if positions:
        for node in data["elements"]["nodes"]:
            xy = positions.get(node["data"]["id"])
            if xy is not None:
                node["position"] = {"x": round(xy[0], 1), "y": round(xy[1], 1)}
        data["layout"] = "preset"
    return data


# Above this many nodes the page gets positions from the server (see `layout`).
PRESET_ABOVE = 600
# A store of more reports than this is not drawn whole: the graph reads the latest this
# many of the reports in the chosen scope (kg serve --viewer-max-reports).
MAX_REPORTS = VIEWER_MAX_REPORTS


@dataclass(frozen=True)
class Scope:
    """Which reports a graph is read from: those naming any of `states` (ISO3 codes), or
    stating `node`, with dates meeting [since, until]; everything when all are empty."""
    states: tuple[str, ...] = ()
    node: str | None = None
    since: str | None = None
    until: str | None = None

    def describe(self) -> str:
        parts = []
        if self.node:
            parts.append(f"stating {network.local_name(self.node)}")
        elif self.states:
            parts.append("naming " + " or ".join(self.states))
        if self.since or self.until:
            parts.append(f"dated {self.since or '…'} to {self.until or '…'}")
        return " ".join(parts)


@dataclass
class Built:
    """A graph and what it was read from: `shown` reports of the `matching` ones in scope,
    in a store of `total` reports; `notice` says so when that is not the whole store."""
    graph: nx.Graph
    shown: int
    matching: int
    total: int
    notice: str = ""
    positions: dict | None = field(default=None, repr=False)

    def counts(self) -> dict:
        return {"reports_shown": self.shown, "reports_matching": self.matching,
                "reports_total": self.total}


_OVERVIEW = ("This store holds {:,} reports, too many to draw at once: the overview shows its "
             "states and the relations between them, counted over all the reports. Choose a "
             "state or a period to see officials, agreements and events.")


def _notice(scope: Scope, shown: int, matching: int, total: int) -> str:
    reports = f"reports {scope.describe()}".strip()
    if matching > shown:
        hint = "a shorter period" if scope.states or scope.node else "a state or a period"
        return (f"This store holds {total:,} reports, too many to draw at once: the graph reads "
                f"the latest {shown:,} of the {matching:,} {reports}. Choose {hint} to see "
                f"the others.")
    return (f"Read from the {matching:,} {reports} (of {total:,} in the store); counts are over "
            f"those reports.")


class ViewerCache:
    """What the viewer reads from the store, kept until the store changes: built graphs (the
    whole store's per view when it holds at most `max_reports` reports, else per `Scope`),
    the state menu, the home page's lists. The least recently used go first."""

    KEEP = 24  # entries: a few fixed ones, one per view, and the latest scopes'

    def __init__(self, max_reports: int = MAX_REPORTS) -> None:
        self.max_reports = max_reports
        self._lock = threading.Lock()
        self._entries: OrderedDict[object, tuple[object, object]] = OrderedDict()

    def positions(self, built: Built) -> dict:
        """The layout of a built graph, computed once."""
        if built.positions is None:
            built.positions = layout(built.graph)
        return built.positions

    def memo(self, store: Store, key, make):
        """`make()`, computed once per store version (while `key` is among the kept)."""
        version = store.version()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == version:
                self._entries.move_to_end(key)
                return hit[1]
        value = make()
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.KEEP:
                self._entries.popitem(last=False)
        return value

    def peek(self, store: Store, key):
        """What `memo` keeps for `key` at the store's version, or None (nothing is made)."""
        version = store.version()
        with self._lock:
            hit = self._entries.get(key)
        return hit[1] if hit is not None and hit[0] == version else None

    def total_reports(self, store: Store) -> int:
        """The store's reports, as the summary graph counts them (a lookup)."""
        def make():
            rows = list(iter_plain_rows(queries.run(store, "network-report-count")))
            return int(rows[0]["n"]) if rows else 0
        return self.memo(store, "reports", make)

    def states(self, store: Store) -> list[dict[str, str]]:
        """Every state the reports name: its ISO3 code and commonest name (for the page's
        state menu; the states-summary query would cost several times more)."""
        def make():
            return [{"iso3": code, "name": name}
                    for code, name in network.state_names(store).items()]
        return self.memo(store, "states", make)

    def get(self, store: Store, view: str = "viewer", scope: Scope | None = None) -> Built:
        """The graph of a view: the whole store's, or, for a store of more than
        `max_reports` reports, that of the latest `max_reports` reports in `scope`."""
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
        total = self.total_reports(store)
        if total <= self.max_reports:
            scope = None  # small enough: one whole graph serves every scope

        def make() -> Built:
            if scope is None:
                return Built(_build(store, view), total, total, total)
            if view == "viewer" and scope == Scope():
                return Built(overview(store), total, total, total, _OVERVIEW.format(total))
            found = network.select_reports(store, scope.states, scope.node, scope.since,
                                           scope.until)
            chosen = [r.graph for r in found[:self.max_reports]]
            return Built(_build(store, view, chosen), len(chosen), len(found), total,
                         _notice(scope, len(chosen), len(found), total))
        return self.memo(store, (view, scope), make)

    def around(self, store: Store, scope: Scope, node: str) -> Built:
        """The viewer graph a node's details (/api/node) are read from: that of `scope` when
        it holds the node, else, on a large store, that of the reports stating the node.
        The overview of a large store is not built for them when not kept: a state's
        attributes and relations are read alone (`overview(around=)`, 0.2 s against 1 s at
        100,000 reports), and any other node is in no overview."""
        total = self.total_reports(store)
        if total > self.max_reports and scope == Scope():
            built = self.peek(store, ("viewer", scope))
            if built is None:
                G = overview(store, around=node)
                if node in G:
                    return Built(G, total, total, total, _OVERVIEW.format(total))
                return self.get(store, "viewer", Scope(node=node))
        else:
            built = self.get(store, "viewer", scope)
        if node in built.graph:
            return built
        return self.get(store, "viewer", Scope(node=node))


def _build(store: Store, view: str, reports: list[str] | None = None) -> nx.Graph:
    if view == "viewer":
        return build_viewer(network.build(store, "full", reports))
    return network.build(store, view, reports)
