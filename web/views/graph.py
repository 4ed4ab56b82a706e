"""The graph page (`/graph`, an interactive network drawn by Cytoscape.js) and the JSON it
reads: `/api/graph` (the network, filtered by kind, state and period), `/api/ego` (a node's
neighbourhood) and `/api/node` (one node's attributes, evidence and neighbours). The networks
are built and cached by web/graphview.py.
"""
from __future__ import annotations

import re

from flask import jsonify, render_template, request

from kg import network
from kg import queries as Q
from kg import vocabulary as V
from kg.network import local_name
from kg.store import plain_rows
from kg.web import graphview
from kg.web.views.entities import (RDF_TYPE, evidence_of, fold_evidence, kind_of, label_of,
                                   walked_evidence)
from kg.web.views.links import entity_url, is_iri
from kg.web.views.viewer import api_error, bp, current_store, page, page_rows, viewer_cache


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _state_iris(codes: list[str]) -> list[str]:
    out = []
    for code in codes:
        if re.fullmatch(r"[A-Za-z]{3}", code):
            out.append(V.state_iri(code))
        elif is_iri(code):
            out.append(code)
        else:
            raise ValueError(f"state: expected an ISO3 code or a state IRI, got {code!r}")
    return out


def _state_codes(iris: list[str]) -> tuple[str, ...]:
    return tuple(sorted(local_name(i).upper() for i in iris))


@bp.get("/graph")
def graph_page():
    states = sorted(viewer_cache().states(current_store()),
                    key=lambda r: (r["name"] or r["iso3"] or ""))
    return render_template("graph.html", states=states, kinds=graphview.KINDS,
                           initial={"view": request.args.get("view", "viewer"),
                                    "kind": _split(request.args.getlist("kind")),
                                    "state": _split(request.args.getlist("state")),
                                    "since": request.args.get("since", ""),
                                    "until": request.args.get("until", ""),
                                    "focus": request.args.get("focus", "")})


def _positions(built: graphview.Built, H) -> dict | None:
    """Server-side positions for a big (sub)graph, from its whole built graph's layout;
    a small one is laid out by the browser (fcose), which looks better."""
    if H.number_of_nodes() <= graphview.PRESET_ABOVE:
        return None
    return viewer_cache().positions(built)


def _page_scope(args) -> tuple[graphview.Scope, list[str]]:
    """The scope the graph page's filters choose, and their state IRIs. ValueError if bad."""
    states = _state_iris(_split(args.getlist("state")))
    since = graphview.check_date(args.get("since"), "since")
    until = graphview.check_date(args.get("until"), "until")
    return graphview.Scope(_state_codes(states), since=since, until=until), states


def _graph_json(built: graphview.Built, H) -> dict:
    data = graphview.cytoscape(H, _positions(built, H))
    data["counts"] = {"nodes": H.number_of_nodes(), "edges": H.number_of_edges(),
                      "total_nodes": built.graph.number_of_nodes(), **built.counts()}
    if built.notice:
        data["notice"] = built.notice
    return data


@bp.get("/api/graph")
def api_graph():
    args = request.args
    view = args.get("view", "viewer")
    try:
        scope, states = _page_scope(args)
        built = viewer_cache().get(current_store(), view, scope)
        G = built.graph
        kinds = _split(args.getlist("kind"))
        unknown = [k for k in kinds if k not in {d.get("kind") for _, d in G.nodes(data=True)}
                   and k not in graphview.KINDS]
        if unknown:
            raise ValueError(f"kind: unknown {', '.join(unknown)}; choose among "
                             f"{', '.join(graphview.KINDS)}")
    except ValueError as e:
        return api_error(400, str(e))
    H = graphview.filter_graph(G, kinds, states, scope.since, scope.until)
    return jsonify(_graph_json(built, H))


@bp.get("/api/ego")
def api_ego():
    iri = request.args.get("iri", "")
    view = request.args.get("view", "viewer")
    if not is_iri(iri):
        return api_error(400, f"iri: give the node's IRI (an http or https IRI), not {iri!r}")
    try:
        radius = int(request.args.get("radius", "1"))
        if not 1 <= radius <= 3:
            raise ValueError("radius: 1, 2 or 3")
        # On a large store, the graph of the reports stating the node (the latest of them).
        built = viewer_cache().get(current_store(), view, graphview.Scope(node=iri))
    except ValueError as e:
        return api_error(400, str(e))
    if iri not in built.graph:
        return api_error(404, f"no node {iri!r} in the {view} graph")
    data = _graph_json(built, graphview.ego(built.graph, iri, radius))
    data["centre"] = iri
    return jsonify(data)


# The sentences /api/node shows of a node's evidence (it gives their total too).
NODE_EVIDENCE = 100


def node_evidence(iri: str, limit: int) -> tuple[list[dict], int]:
    """entities.evidence_of(iri, limit): the first `limit` sentences behind a node and how
    many there are, read from the first reports only where the summary counts them
    (entities.walked_evidence, on a SPARQL server too). Else, on the embedded store, counted by report
    (network-evidence-reports: the whole evidence of a hub state, 10,000 sentences at 100,000
    reports, took 3 s to read and sort, its count 1.7 s) and the sentences shown read from the
    reports that hold them, the first in id order (the evidence query's order starts with the
    report's id)."""
    store = current_store()
    if not store.embedded:
        return evidence_of(iri, limit=limit)   # walked_evidence there too
    walked = walked_evidence(iri, limit)
    if walked is not None:
        return walked
    counts: dict[str, list[tuple[str, int]]] = {}
    for row in plain_rows(Q.run(store, "network-evidence-reports", {"node": [iri]})):
        counts.setdefault(row["report"], []).append((row["g"], int(row["sentences"])))
    if any(len(graphs) > 1 for graphs in counts.values()):
        return evidence_of(iri, limit=limit)  # a report's sentences in two graphs: the old way
    total = sum(n for graphs in counts.values() for _, n in graphs)
    first, covered = [], 0
    for report in sorted(counts):  # code points, as the query's ORDER BY compares ids
        if covered >= limit:
            break
        graph, n = counts[report][0]
        first.append(graph)
        covered += n
    rows = plain_rows(Q.run(network.in_place(store, first), "evidence", {"node": [iri]}),
                      integers=True) if first else []
    return fold_evidence(rows, iri, limit), total


@bp.get("/api/node")
def api_node():
    iri = request.args.get("iri", "")
    if not is_iri(iri):
        return api_error(400, f"iri: give the node's IRI (an http or https IRI), not {iri!r}")
    if not bool(page("entity-exists", node=iri)):
        return api_error(404, f"no node {iri!r} in the store")
    try:
        # The page sends its filters: a node of the graph it shows is read from that graph
        # (cached); another one, on a large store, from the reports stating it.
        scope, _ = _page_scope(request.args)
    except ValueError as e:
        return api_error(400, str(e))
    built = viewer_cache().around(current_store(), scope, iri)
    G = built.graph
    attrs = dict(G.nodes[iri]) if iri in G else {}
    if not attrs:  # not drawn (a report, a post): from its triples (slow for a hub node)
        props = page_rows("entity-properties", node=iri)
        attrs["kind"] = kind_of([r["o"] for r in props if r["p"] == RDF_TYPE])
        attrs["label"] = label_of(iri, props)
    evidence, total = node_evidence(iri, limit=NODE_EVIDENCE)
    neighbours = []
    if iri in G:
        for n in sorted(G[iri], key=lambda n: (G.nodes[n].get("kind", ""),
                                               G.nodes[n].get("label", ""))):
            neighbours.append({"id": n, "label": G.nodes[n].get("label"),
                               "kind": G.nodes[n].get("kind"),
                               "link": G.edges[iri, n].get("kinds")})
    out = {"iri": iri, "url": entity_url(iri), "attributes": attrs,
           "evidence": [{k: e[k] for k in ("report", "start", "end", "sentence",
                                           "fact", "url", "fact_url")}
                        for e in evidence],
           "evidence_total": total, "neighbours": neighbours[:100],
           "counts": built.counts()}
    if built.notice:
        out["notice"] = built.notice
    return jsonify(out)
