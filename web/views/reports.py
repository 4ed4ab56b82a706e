"""The report pages (`/report/<id>`): a report's text with each fact highlighted where it was
read, and a legend and list of the facts by kind."""
from __future__ import annotations

from collections import Counter, defaultdict

from flask import render_template

from kg import vocabulary as V
from kg.network import KINDS as CLASS_KINDS
from kg.network import local_name
from kg.web.views.links import entity_url
from kg.web.views.viewer import bp, named_rows, page_rows

# Kinds shown on report pages, in the order of precedence when one sentence states several.
FACT_KINDS = ("relation", "agreement", "event", "post", "organization", "person", "state")


def _fact_label(row: dict, kind: str) -> str:
    label = row["label"] or local_name(row["fact"])
    if kind == "post" and row.get("person_name"):
        return f"{row['person_name']}, {label}"
    if kind == "relation" and row.get("detail"):
        return f"{label} ({row['detail']})"
    return label


def _rank(kind: str) -> int:
    return FACT_KINDS.index(kind) if kind in FACT_KINDS else len(FACT_KINDS)


def highlight(text: str, facts: dict[str, dict]) -> list[dict]:
    """The text cut at every evidence boundary: each segment with the facts read there."""
    bounds = {0, len(text)}
    for fact in facts.values():
        for start, end in fact["spans"]:
            bounds.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    cuts = sorted(bounds)
    segments = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [f for f in facts.values()
                    if any(s <= a and b <= e for s, e in f["spans"])]
        covering.sort(key=lambda f: _rank(f["kind"]))
        segments.append({"start": a, "end": b, "text": text[a:b], "facts": covering,
                         "kind": covering[0]["kind"] if covering else None,
                         # An anchor where a sentence begins, for links from evidence lists.
                         "anchor": a in {s for f in covering for s, _ in f["spans"]}})
    return segments


@bp.get("/report/<report_id>")
def report_page(report_id: str):
    rows = named_rows("report", report=report_id)
    if not rows:
        return render_template("not_found.html", iri=V.report_iri(report_id),
                               what="report"), 404
    report = rows[0]
    text = report["text"] or ""
    facts: dict[str, dict] = {}
    # The facts are read from the report's graph, found first: a lookup, where matching the
    # id inside the facts' query read every report graph.
    rows = [row for found in page_rows("report-graphs", report=report_id)
            for row in page_rows("report-facts", report=report_id, g=found["g"])]
    for row in sorted(rows, key=lambda r: (int(r["start"]), r["fact"])):
        kind = CLASS_KINDS.get(local_name(row["class"]))
        if kind is None:
            continue
        fact = facts.get(row["fact"])
        if fact is None:
            fact = facts[row["fact"]] = {
                "id": f"f{len(facts) + 1}", "iri": row["fact"], "kind": kind,
                "label": _fact_label(row, kind), "url": entity_url(row["fact"]),
                "spans": []}
        elif _rank(kind) < _rank(fact["kind"]):
            fact["kind"] = kind  # a node with two classes shows as the more specific kind
        span = (int(row["start"]), int(row["end"]))
        if span not in fact["spans"]:
            fact["spans"].append(span)
    segments = highlight(text, facts)
    legend = Counter(f["kind"] for f in facts.values())
    by_kind = defaultdict(list)
    for fact in facts.values():
        by_kind[fact["kind"]].append(fact)
    fact_data = {f["id"]: {"label": f["label"], "kind": f["kind"], "url": f["url"],
                           "spans": f["spans"]} for f in facts.values()}
    return render_template("report.html", report=report, segments=segments,
                           legend=[(k, legend[k]) for k in FACT_KINDS if legend[k]],
                           by_kind=[(k, by_kind[k]) for k in FACT_KINDS if by_kind[k]],
                           fact_data=fact_data, entity=entity_url(V.report_iri(report_id)))
