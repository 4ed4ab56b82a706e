"""Graph exports of kg.network's views: GraphML and GEXF (Gephi), Cytoscape.js JSON.

The RDF exports (turtle, trig, nquads, jsonld) are `Store.export`; `export()` here takes
either kind of format, so that `kg export` has one entry point.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Union

from kg import network

if TYPE_CHECKING:  # imported where needed: `kg` starts faster without networkx
    import networkx as nx

    from kg.store import Store

GRAPH_FORMATS = ("graphml", "gexf", "cytoscape")
Out = Union[str, Path, IO[bytes]]

# GEXF gives these attribute names a meaning of its own (time intervals, the node's label and
# the edge's weight are written as GEXF's), so ours are renamed rather than misread by Gephi.
_GEXF_RESERVED = {"start": "start_", "end": "end_", "id": "id_", "spells": "spells_"}


def _clean(G: nx.Graph, reserved: dict[str, str] | None = None) -> nx.Graph:
    """A copy of G whose attribute values are all str/int/float/bool (None dropped)."""
    reserved = reserved or {}

    def fix(data: dict) -> dict:
        out = {}
        for key, value in data.items():
            if value is None:
                continue
            if not isinstance(value, (str, int, float, bool)):
                value = " ".join(map(str, value)) if isinstance(value, (list, tuple, set)) \
                    else str(value)
            out[reserved.get(key, key)] = value
        return out

    H = G.__class__()
    H.graph.update(fix(G.graph))
    H.add_nodes_from((n, fix(d)) for n, d in G.nodes(data=True))
    if G.is_multigraph():
        H.add_edges_from((u, v, k, fix(d)) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        H.add_edges_from((u, v, fix(d)) for u, v, d in G.edges(data=True))
    return H


def _write(out: Out, writer) -> None:
    if isinstance(out, (str, Path)):
        with open(out, "wb") as f:
            writer(f)
    else:
        writer(out)


def to_graphml(G: nx.Graph, out: Out) -> None:
    """Writes G as GraphML (a file path or a binary stream)."""
    import networkx as nx

    H = _clean(G)
    _write(out, lambda f: nx.write_graphml(H, f, encoding="utf-8", named_key_ids=True))


def to_gexf(G: nx.Graph, out: Out) -> None:
    """Writes G as GEXF 1.2 for Gephi (a file path or a binary stream)."""
    import networkx as nx

    H = _clean(G, _GEXF_RESERVED)
    _write(out, lambda f: nx.write_gexf(H, f, encoding="utf-8", version="1.2draft"))


def to_cytoscape(G: nx.Graph) -> dict:
    """G as Cytoscape.js elements JSON:
    {"data": {graph attributes}, "directed": bool, "multigraph": bool,
     "elements": {"nodes": [{"data": {"id", "label", "kind", ...}}],
                  "edges": [{"data": {"id", "source", "target", ...}}]}}.
    Edge ids are "source|key|target" (key: the edge's kind in the full view)."""
    H = _clean(G)
    nodes = [{"data": {**d, "id": n, "label": d.get("label", network.local_name(n))}}
             for n, d in H.nodes(data=True)]
    edges = []
    if H.is_multigraph():
        triples = ((u, v, k, d) for u, v, k, d in H.edges(keys=True, data=True))
    else:
        triples = ((u, v, d.get("kind", "link"), d) for u, v, d in H.edges(data=True))
    for u, v, k, d in triples:
        edges.append({"data": {**d, "id": f"{u}|{k}|{v}", "source": u, "target": v}})
    return {"data": dict(H.graph), "directed": H.is_directed(),
            "multigraph": H.is_multigraph(), "elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape(G: nx.Graph, out: Out) -> None:
    data = json.dumps(to_cytoscape(G), ensure_ascii=False, indent=1).encode("utf-8")
    _write(out, lambda f: f.write(data + b"\n"))


WRITERS = {"graphml": to_graphml, "gexf": to_gexf, "cytoscape": write_cytoscape}


def export(store: Store, fmt: str, out: Out, view: str = "full") -> None:
    """Writes the store in `fmt`: a graph format of `view` (graphml, gexf, cytoscape), or one
    of the store's RDF formats (turtle, trig, nquads, jsonld; `view` does not apply)."""
    from kg.store import EXPORT_FORMATS

    if fmt in WRITERS:
        WRITERS[fmt](network.build(store, view), out)
    elif fmt in EXPORT_FORMATS:
        if isinstance(out, (str, Path)):
            with open(out, "wb") as f:
                store.export(fmt, f)
        else:
            store.export(fmt, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of "
                         f"{', '.join([*EXPORT_FORMATS, *GRAPH_FORMATS])}")


def to_bytes(G: nx.Graph, fmt: str) -> bytes:
    """G in a graph format, as bytes (for a web response)."""
    buffer = io.BytesIO()
    WRITERS[fmt](G, buffer)
    return buffer.getvalue()
