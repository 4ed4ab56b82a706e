"""The Linked Data pages (`/id/<path>`): every IRI under kg.vocabulary.ID as HTML, Turtle or
JSON-LD by `Accept` (or `?format=ttl|jsonld`), 404 for an IRI the store does not use. The HTML
page shows a node's properties, what links to it and the sentences behind it, and by kind a
state's relations, officials, agreements and timeline, a person's posts and appearances, an
agreement's parties and history.
"""
from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
from flask import Response, abort, copy_current_request_context, g, render_template, request

from kg import network
from kg import queries as Q
from kg import vocabulary as V
from kg.network import KINDS as CLASS_KINDS
from kg.network import local_name
from kg.store import PREFIXES
from kg.store.base import plain, plain_rows
from kg.web.views.links import entity_url, iri_of, report_url
from kg.web.views.viewer import (Page, page_query, bp, current_store, named_rows,
                                 offset_arg, page, page_rows, page_size, paged_rows)

RDF_TYPES = {
    "text/html": None,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
FORMAT_PARAM = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json", "html": "text/html"}
LABEL_PROPERTIES = (str(V.RDFS.label), str(V.FOAF.name), str(V.DCTERMS.title),
                    str(V.SKOS.prefLabel))
RDF_TYPE = str(V.RDF.type)
MAX_EVIDENCE = 200
NUMBERS = {str(V.XSD[t]) for t in ("integer", "decimal", "double", "float", "int", "long",
                                   "nonNegativeInteger", "positiveInteger")}
# The evidence listing's ORDER BY, which evidence_of sorts by on the embedded store.
EVIDENCE_ORDER = ("report", "start", "fact", "end", "sentence")
MAX_INCOMING = 500
# A node stated in more (value, report) pairs has its properties shown one row per value, with
# the number of reports and the first (a hub state's 10,000 report links, 0.3-0.4 s to read
# and as long to show); ?properties=all lists them all.
MAX_PROPERTY_ROWS = 1000


def _entity_url(iri: str | None) -> str | None:
    """links.entity_url, each IRI's once a request: a hub's page links the same states and
    reports thousands of times, and url_for costs 10-15 µs (0.3 s of a hub person's page)."""
    urls = g.setdefault("entity_urls", {})
    if iri not in urls:
        urls[iri] = entity_url(iri)
    return urls[iri]


def _report_url(report_id: str | None, start: int | None = None) -> str | None:
    """links.report_url, each report's URL built once a request."""
    urls = g.setdefault("report_urls", {})
    if report_id not in urls:
        urls[report_id] = report_url(report_id)
    url = urls[report_id]
    return f"{url}#at-{start}" if url is not None and start is not None else url


def kind_of(classes) -> str:
    # In IRI order, whatever order the rows came in: the first class with a kind decides.
    for cls in sorted(classes):
        kind = CLASS_KINDS.get(local_name(cls))
        if kind:
            return kind
    if any(local_name(c) == "Evidence" for c in classes):
        return "evidence"
    return "other"


def label_of(iri: str, props: list[dict]) -> str:
    """The value of the first label property the node has that most reports give; of
    equally frequent ones the first in SPARQL order (the rows may come in any order)."""
    for prop in LABEL_PROPERTIES:
        values: Counter = Counter()
        for r in props:
            if r["p"] == prop and r["o"]:
                # a row per report, or per value with its number of reports (counted rows)
                values[str(r["o"])] += r.get("reports", 1)
        if values:
            most = max(values.values())
            return min(v for v, n in values.items() if n == most)
    return local_name(iri)


def sparql_key(term) -> tuple:
    """A term's place in SPARQL's ORDER BY as Oxigraph sorts the terms these pages sort by:
    unbound first, then blank nodes, IRIs and literals; IRIs and strings by code point (Python's
    string order), numbers by value. Sorting here costs milliseconds where Oxigraph takes
    seconds for a hub's thousands of rows, reading both strings of every comparison from disk."""
    if term is None:
        return (0, "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    if term.datatype is not None and term.datatype.value in NUMBERS:
        return (3, 0, float(term.value))
    return (3, 1, term.value)


def _sorted_rows(results, *keys: str, limit: int | None = None) -> list[dict]:
    """A page query's rows as plain values (integers as int), sorted by the named columns'
    terms in SPARQL order (rows equal in those keep their order); the first `limit` only."""
    names = [v.value for v in results.variables]
    at = [names.index(k) for k in keys]
    solutions = sorted(results, key=lambda s: tuple(sparql_key(s[i]) for i in at))
    # Only the rows kept made into dicts (a hub state's 6,000 links, 500 shown).
    return [{n: plain(t, integers=True) for n, t in zip(names, s)}
            for s in solutions[:limit]]


def property_rows(iri: str) -> list[dict]:
    """entity-properties' rows in the order of `ORDER BY ?p ?o ?g` (the query leaves them
    unsorted): the first label, code and reports of a value are the page's."""
    return _sorted_rows(page("entity-properties", node=iri), "p", "o", "g")


def counted_property_rows(iri: str) -> list[dict]:
    """entity-property-counts' rows (a property, a value, how many reports state it and the
    first) in the order of `ORDER BY ?p ?o`, as property_rows' would be folded."""
    return _sorted_rows(page("entity-property-counts", node=iri), "p", "o")


def node_properties(iri: str) -> tuple[list[dict], bool]:
    """The rows the page reads its label, classes and properties table from, and whether they
    are counted: property_rows', unless the node is stated in more than MAX_PROPERTY_ROWS
    (value, report) pairs and the request does not ask for them all (?properties=all)."""
    counted = counted_property_rows(iri)
    if request.args.get("properties") == "all" or \
            sum(r["reports"] for r in counted) <= MAX_PROPERTY_ROWS:
        return property_rows(iri), False
    return counted, True


def incoming_rows(iri: str) -> list[dict]:
    """The first MAX_INCOMING links into a node by property and node (entity-incoming's rows,
    which come unsorted), each with a label of the linking node; the class breaks ties, so
    that the cut is the same every time."""
    # Only the first properties, those linking at least MAX_INCOMING nodes (each a row or
    # more): a hub state's 6,600 links took 0.3 s to read, the 900 of its first four 0.01.
    counts = sorted((r["p"], r["nodes"]) for r in page_rows("entity-incoming-counts", node=iri))
    chosen, covered = [], 0
    for p, n in counts:
        if covered >= MAX_INCOMING:
            break
        chosen.append(p)
        covered += n
    params = {"node": [iri]}
    if len(chosen) < len(counts) and all(re.match(r"https?://", p) for p in chosen):
        params["p"] = chosen  # (bound as IRIs: kg.queries binds other values as strings)
    results = current_store().query(page_query("entity-incoming").bind(params))
    rows = _sorted_rows(results, "p", "s", "class", limit=MAX_INCOMING)
    nodes = sorted({r["s"] for r in rows})
    labels = {}
    if nodes:
        # All at once, bound by VALUES (viewer.page binds one value a param).
        query = page_query("entity-labels").bind({"node": nodes})
        labels = {r["node"]: r["label"] for r in plain_rows(current_store().query(query))}
    for row in rows:
        row["label"] = labels.get(row["s"])
    return rows


def _evidence_rows(node: str) -> list[dict]:
    """The evidence listing's rows about a node; on the embedded store read unsorted and sorted
    here, by its ORDER BY (EVIDENCE_ORDER): Oxigraph took 0.2 s to sort a hub person's 3,000
    rows, 0.9 s a hub state's 11,000. On another store, as the listing gives them (its own
    string order may not be Python's)."""
    store = current_store()
    if not getattr(store, "embedded", False):
        return named_rows("evidence", node=node)
    query = Q.load("evidence")
    unsorted = query.unordered()
    return _sorted_rows(store.query(unsorted.bind({"node": [node]})), *EVIDENCE_ORDER)


def evidence_of(node: str, limit: int = MAX_EVIDENCE) -> tuple[list[dict], int]:
    """The sentences behind a node, each once (one sentence often states several facts about
    it), with links to where they were read; and how many there are in all. From the first
    reports only where the summary counts them (walked_evidence)."""
    walked = walked_evidence(node, limit)
    if walked is not None:
        return walked
    out = fold_evidence(_evidence_rows(node), node)
    return out[:limit], len(out)


def kept_evidence_total(node: str) -> int | None:
    """How many sentences the evidence listing gives the node, from the summary graph's
    evidence observation; None where that count may not be the listing's (a store without
    this kg's summary, a node not of a counted class, a link kg does not write:
    evidence-unkept)."""
    store = current_store()
    if not store.summaries_current() or any(True for _ in page("evidence-unkept", node=node)):
        return None
    rows = page_rows("evidence-count", node=node)
    return rows[0]["sentences"] if rows else 0


def walked_evidence(node: str, limit: int) -> tuple[list[dict], int] | None:
    """evidence_of(node, limit), read from the first report graphs only: a hub state's 10,000
    sentences took 1.7 s to count at 100,000 reports and 3 s to read and sort on the embedded
    store, 16.2-16.6 s to read over Virtuoso. The total is the summary's
    (kept_evidence_total); the sentences shown are the listing's over the graphs linking to
    the node (node-graphs: each row of it is in such a graph) in the order of their reports'
    ids, which the listing's ORDER BY starts with, the first `limit` graphs, then twice as
    many until they hold `limit` sentences. None (read the whole listing) where the total is
    not kept, or a row's report is not that of a graph read (a graph named for another report
    than it holds).

    On a SPARQL server the listing is read over the graphs by VALUES (kg.queries._over),
    unsorted, and sorted here as the embedded store's _evidence_rows does; and it starts from
    as many graphs as hold `limit` sentences at the node's mean per graph, and a quarter
    more (a hub state's 100 graphs took Virtuoso 0.8-1.4 s at 100,000 reports, 50 0.4-0.7)."""
    total = kept_evidence_total(node)
    if total is None:
        return None
    store = current_store()
    embedded = getattr(store, "embedded", False)
    graphs = sorted((V.report_of_graph(r["g"]), r["g"])
                    for r in page_rows("node-graphs", node=node)
                    if V.report_of_graph(r["g"]) is not None)
    take = limit
    if not embedded and total:
        take = min(limit, max(1, -(-limit * len(graphs) * 5 // (total * 4))))

    def read(chosen: list[str]) -> list[dict]:
        if embedded:
            return plain_rows(Q.run(network.in_place(store, chosen), "evidence",
                                    {"node": [node]}), integers=True)
        text = Q.load("evidence").unordered().bind({"node": [node]})
        return _sorted_rows(store.query(Q._over(store, chosen, text).text), *EVIDENCE_ORDER)

    while True:
        chosen = graphs[:take]
        rows = read([g for _, g in chosen]) if chosen else []
        ids = {report for report, _ in chosen}
        if any(row["report"] not in ids for row in rows):
            return None
        if take >= len(graphs):
            out = fold_evidence(rows, node)
            # Every graph read: the count can be checked.
            return (out[:limit], total) if len(out) == total else None
        out = fold_evidence(rows, node, limit)
        if len(out) >= limit:
            return out, total
        take *= 2


def fold_evidence(rows, node: str, limit: int | None = None) -> list[dict]:
    """Evidence rows (in the evidence query's order) folded to a row per sentence, its first
    row's values and all its facts, with links; the first `limit` sentences only, if given."""
    by_sentence: dict[tuple, dict] = {}
    for row in rows:
        key = (row["report"], row["start"])
        if key in by_sentence:
            by_sentence[key]["facts"].append(row["fact"])
            continue
        if limit is not None and len(by_sentence) >= limit:
            break
        row["start"] = int(row["start"]) if row["start"] is not None else None
        row["url"] = _report_url(row["report"], row["start"])
        row["fact_url"] = _entity_url(row["fact"])
        row["node"] = node
        row["facts"] = [row["fact"]]
        by_sentence[key] = row
    return list(by_sentence.values())


def _negotiate() -> str:
    fmt = request.args.get("format", "").lower()
    if fmt:
        if fmt not in FORMAT_PARAM:
            abort(400, f"format: choose one of {', '.join(FORMAT_PARAM)}")
        return FORMAT_PARAM[fmt]
    # JSON-LD clients often ask for plain application/json.
    offered = ["text/html", "text/turtle", "application/ld+json", "application/json"]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    return "application/ld+json" if best == "application/json" else best


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
def entity(path: str):
    iri = iri_of(path)
    mime = _negotiate()
    if not bool(page("entity-exists", node=iri)):
        if mime == "text/html":
            return render_template("not_found.html", iri=iri), 404
        return Response(f"no resource {iri} in this graph\n", status=404,
                        mimetype="text/plain", headers={"Vary": "Accept"})
    if mime != "text/html":
        triples = page("entity-describe", node=iri)
        body = ox.serialize(triples, format=RDF_TYPES[mime],
                            prefixes=PREFIXES if mime == "text/turtle" else None)
        charset = "; charset=utf-8" if mime.startswith("text/") else ""
        return Response(body, content_type=mime + charset, headers={"Vary": "Accept"})
    context = _entity_context(iri)
    response = Response(render_template("entity.html", **context), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    # Relative references (to this path): built from the Host, they would echo whatever
    # name the request was sent to.
    response.headers["Link"] = ('<?format=ttl>; rel="alternate"; type="text/turtle", '
                                '<?format=jsonld>; rel="alternate"; type="application/ld+json"')
    return response


def _properties_table(props: list[dict], counted: bool = False) -> list[dict]:
    """Property rows folded over report graphs: property, value, its label and link, and the
    reports stating it; of counted rows (node_properties), their number and the first."""
    grouped: dict[tuple[str, str], dict] = {}
    for row in props:
        key = (row["p"], row["o"])
        item = grouped.setdefault(key, {"p": row["p"], "p_name": local_name(row["p"]),
                                        "o": row["o"], "label": row["label"],
                                        "url": _entity_url(row["o"]), "reports": []})
        if counted:
            # Values equal as text (a literal with and without a language) are one row.
            item["count"] = item.get("count", 0) + row["reports"]
            if "first" not in item:
                first = V.report_of_graph(row["first"] or "")
                item["first"] = {"id": first, "url": _report_url(first)} if first else None
            continue
        report = V.report_of_graph(row["g"] or "")
        if report is not None:
            item["reports"].append({"id": report, "url": _report_url(report)})
    return sorted(grouped.values(), key=lambda r: (r["p_name"] != "type", r["p_name"],
                                                   str(r["o"])))


def _entity_context(iri: str) -> dict:
    props, counted = node_properties(iri)
    classes = sorted({r["o"] for r in props if r["p"] == RDF_TYPE})
    kind = kind_of(classes)
    ctx = {"iri": iri, "kind": kind, "label": label_of(iri, props), "classes": classes,
           "properties": _properties_table(props, counted), "incoming": [], "sections": kind,
           "evidence": [], "evidence_total": 0,
           "all_properties": request.args.get("properties") == "all",
           "all_properties_url": f"{request.path}?properties=all#properties"}
    # The links in read in a thread of their own while the page's sections are read: they
    # depend on neither (a hub state's links, labels included, 0.2-0.3 s of its page).
    with ThreadPoolExecutor(1, thread_name_prefix="kg-incoming") as pool:
        later = pool.submit(copy_current_request_context(incoming_rows), iri)
        if kind == "state":
            ctx.update(_state_context(iri, props))
        elif kind == "person":
            ctx.update(_person_context(iri))
        elif kind == "agreement":
            ctx.update(_agreement_context(iri))
        elif kind == "report":
            ctx["report_id"] = next((r["o"] for r in props
                                     if r["p"] == str(V.DCTERMS.identifier)), local_name(iri))
        if kind not in ("state", "report"):
            ctx["evidence"], ctx["evidence_total"] = evidence_of(iri)
        incoming = later.result()
    for row in incoming:
        row["url"] = _entity_url(row["s"])
        row["kind"] = kind_of([row["class"]] if row["class"] else [])
        row["p_name"] = local_name(row["p"])
    ctx["incoming"] = incoming
    return ctx


def state_nodes(iso3: str) -> list[str]:
    """The nodes a report graph gives this code (state-nodes): the state's IRI."""
    return sorted(r["node"] for r in named_rows("state-nodes", state=iso3))


def _with_parties(rows: list[dict], params: dict[str, list[str]]) -> None:
    """agreements-by-state's ?parties for these rows of the state's agreements
    (state-agreement-parties, bound to their agreements): every party's code, sorted and one
    space apart, as the listing joins them."""
    agreements = sorted({row["agreement"] for row in rows})
    codes: dict[str, set[str]] = {}
    if agreements:
        query = page_query("state-agreement-parties").bind({**params, "agreement": agreements})
        for row in plain_rows(current_store().query(query)):
            codes.setdefault(row["agreement"], set()).add(row["iso3"])
    for row in rows:
        found = codes.get(row["agreement"])
        row["parties"] = " ".join(sorted(found)) if found else None


# A state's listings as the state page reads them on Virtuoso (server_rows): every row of the
# state from a shape led by its nodes, bound (Virtuoso plans a code bound through
# `bkg:party/bkg:iso3` from every report: agreements-by-state's first page of a hub state took
# it 26 s at 100,000 reports, and its walk over report graphs bound by VALUES 7-9 s), sorted
# here by the listing's ORDER BY, then the page's rows completed. For each: the shape
# (web/queries), the listing's columns, the sort key (the ORDER BY's keys but those that are
# a function of the ones before: agreements' parties, of the agreement), and what completes
# the page's rows.
SERVER_SHAPES = {
    "agreements-by-state": (
        "state-agreements-server",
        ["agreement", "title", "kind", "status", "date", "place", "parties", "report"],
        lambda r: ("~" if r["date"] is None else r["date"], r["title"], r["report"],
                   r["agreement"], r["status"], r["kind"], r["place"] or ""),
        _with_parties),
    "state-officials": (
        "state-officials-server",
        ["person", "name", "role", "position", "host_state", "report", "published"],
        lambda r: (r["name"], r["published"] or "", r["report"], _unbound_first(r["role"]),
                   r["person"], r["position"] or "", r["host_state"] or ""),
        None),
}


def _unbound_first(value) -> tuple:
    """A key that SPARQL's ORDER BY puts first when unbound."""
    return (value is not None, value or "")


def _part_rows(store, name: str, given: dict) -> list[dict]:
    """The rows of web/queries' `name` bound to `given` on `store`, as plain values (they
    may cross threads: pyoxigraph's results stay in the thread that made them)."""
    return plain_rows(store.query(page_query(name).bind(given)), integers=True)


def _server_parts() -> bool:
    """Does the store read pages by report graphs (a SPARQL server), with its summaries
    current, so a state's lists may be read from the parts led by its node?"""
    store = current_store()
    return getattr(store, "pages_by_graph_values", False) and store.summaries_current()


def server_rows(name: str, arg: str, iso3: str) -> tuple[list[dict], list[str], Page]:
    """paged_rows(name, arg, arg, state=iso3) on Virtuoso, from SERVER_SHAPES: a state's
    rows of the listing are a few thousand at most (a hub's agreements 856 at 100,000
    reports), read whole and sorted here, in the order the embedded store gives them."""
    shape, columns, key, finish = SERVER_SHAPES[name]
    offset, size = offset_arg(arg), page_size()
    nodes = state_nodes(iso3)
    rows: list[dict] = []
    if nodes:
        params = {"state": [iso3], "node": nodes}
        rows = sorted(_part_rows(current_store(), shape, params),
                      key=key)[offset:offset + size + 1]
        if finish is not None:
            finish(rows, params)
    return [{c: row.get(c) for c in columns} for row in rows[:size]], columns, \
        Page(arg, offset, size, len(rows) > size, min(len(rows), size), arg)


TIMELINE_COLUMNS = ["date", "kind", "place", "participants", "event", "report", "sentence"]


def timeline_in_parts(arg: str, iso3: str) -> tuple[list[dict], list[str], Page]:
    """paged_rows("timeline", arg, arg, state=iso3) on Virtuoso, from the parts of its text,
    each led by the state's node (web/queries/state-timeline-*.rq): the state's events with
    their report, kind, date and place (every one: a hub's 2,378 at 100,000 reports), sorted
    here by the listing's ORDER BY, whose first keys they are; then, for the events of the
    page's first offset + size + 1 of them only (each gives one row or more, and their rows
    sort before the others'), their participants, joined sorted, and their sentences at
    their first start, each a row (or one row without). Virtuoso read the keys and then the
    listing over their graphs bound by VALUES ?g in 1.5-3 s beside the page's other lists; the
    events here 0.3 s, the rest 0.1 s each."""
    offset, size = offset_arg(arg), page_size()
    need = offset + size + 1
    nodes = state_nodes(iso3)
    rows: list[dict] = []
    if nodes:
        store, params = current_store(), {"state": [iso3], "node": nodes}
        events = sorted(_part_rows(store, "state-timeline-events", params),
                        key=lambda r: (r["when"] is None, r["when"] or "", r["report"],
                                       r["event"], r["kind"], r["place"] or ""))[:need]
        chosen = {**params, "event": sorted({r["event"] for r in events})}
        codes: dict[str, set[str]] = {}
        starts: dict[str, object] = {}
        sentences: dict[str, set[str]] = {}
        if events:
            for row in _part_rows(store, "state-timeline-participants", chosen):
                codes.setdefault(row["event"], set()).add(row["iso3"])
            starts = {row["event"]: row["firstStart"]
                      for row in _part_rows(store, "state-timeline-starts", chosen)}
            for row in _part_rows(store, "state-timeline-sentences", chosen):
                if row["event"] in starts and row["firstStart"] == starts[row["event"]]:
                    sentences.setdefault(row["event"], set()).add(row["sentence"])
        seen = set()
        for e in events:
            if e["event"] not in codes:
                continue   # (the listing joins the participants, not OPTIONAL)
            for sentence in sorted(sentences.get(e["event"], ())) or [None]:
                row = {"date": e["when"], "kind": e["kind"], "place": e["place"],
                       "participants": " ".join(sorted(codes[e["event"]])),
                       "event": e["event"], "report": e["report"], "sentence": sentence}
                key = tuple(row[c] for c in TIMELINE_COLUMNS)
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
        rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["report"], r["event"],
                                 r["kind"], r["place"] or "", r["participants"],
                                 r["sentence"] or ""))
        rows = rows[offset:need]
    return rows[:size], TIMELINE_COLUMNS, Page(arg, offset, size, len(rows) > size,
                                               min(len(rows), size), arg)


def _section(query: str, arg: str, iso3: str, firsts: list[tuple[str, int]] | None = None
             ) -> tuple[list[dict], list[str], Page]:
    """A page of one of a state's lists; `arg` names both its offset and its section."""
    if query in WALKS and getattr(current_store(), "embedded", False):
        return walked_rows(query, arg, iso3, firsts)
    if query in SERVER_SHAPES and _server_parts():
        return server_rows(query, arg, iso3)
    if query == "timeline" and _server_parts():
        return timeline_in_parts(arg, iso3)
    if query == "state-relations" and firsts and _server_parts():
        found = relations_in_parts(arg, iso3, firsts)
        if found is not None:
            return found
        found = relation_by_relation(arg, iso3, firsts)
        if found is not None:
            return found
    return paged_rows(query, arg, arg, state=iso3)


def _relation_rows(iso3: str, nodes: list[str], relations: list[str]) -> list[dict]:
    """state-relations' rows of these relations of the state, unsorted, joined here from
    the parts of its text (web/queries/state-relation-*.rq), each led by the relations,
    bound: Virtuoso planned the text whole, bound to one relation and the state, in 0.3-0.8 s
    a relation at 100,000 reports (a hub's 119 relations past its 60 s), its parts for all
    of them in 0.3-1.5 s each. Its first branch is a relation's partners and polarities
    (state-relation-sides) joined by report graph and relation with the relation's evidence
    (state-relation-evidence) whose shown polarities (state-relation-shown) are none or
    include the row's; its second, the relations a graph gives no evidence of
    (state-relation-unsaid); each row then once per name of its partner in its graph
    (state-relation-names), or once unnamed. No DISTINCT, as in the listing."""
    store = current_store()
    params = {"state": [iso3], "node": nodes, "relation": relations}

    # The parts read RELATION_PARTS at a time, each in its thread (pyoxigraph's results
    # stay in the thread that made them: read gives plain rows).
    with ThreadPoolExecutor(RELATION_PARTS, thread_name_prefix="kg-relation-parts") as pool:
        parts = {name: pool.submit(_part_rows, store, name, given) for name, given in (
            ("state-relation-names", params), ("state-relation-sides", params),
            ("state-relation-evidence", {"relation": relations}),
            ("state-relation-shown", {"relation": relations}),
            ("state-relation-unsaid", params))}
        rows_of = {name: part.result() for name, part in parts.items()}
    sides = rows_of["state-relation-sides"]
    evidence = rows_of["state-relation-evidence"]
    shown: dict[tuple, set[str]] = {}
    for row in rows_of["state-relation-shown"]:
        shown.setdefault((row["g"], row["evidence"]), set()).add(row["shown"])
    said: dict[tuple, list[dict]] = {}
    for row in evidence:
        said.setdefault((row["g"], row["relation"]), []).append(row)
    found: list[tuple[dict, str, str]] = []   # (row, its graph, its partner)
    for side in sides:
        for e in said.get((side["g"], side["relation"]), ()):
            polarities = shown.get((e["g"], e["evidence"]))
            if polarities and side["polarityConcept"] not in polarities:
                continue
            found.append(({"relation": side["relation"], "other": side["other"],
                           "polarity": side["polarity"],
                           "report": e["report"], "sentence": e["sentence"],
                           "start": e["start"], "end": e["end"]}, side["g"], side["partner"]))
    for row in rows_of["state-relation-unsaid"]:
        found.append(({"relation": row["relation"], "other": row["other"],
                       "polarity": row["polarity"], "report": row["report"],
                       "sentence": None, "start": None, "end": None},
                      row["g"], row["partner"]))
    names: dict[tuple, list[str]] = {}
    for row in rows_of["state-relation-names"]:
        names.setdefault((row["g"], row["partner"]), []).append(row["other_name"])
    return [{**row, "other_name": name} for row, graph, partner in found
            for name in names.get((graph, partner)) or [None]]


# The parts of state-relations _relation_rows reads at once (the names took 0.4 s alone at
# 100,000 reports, 1.0 beside the page's other lists; the four others 0.5-1.8 together).
RELATION_PARTS = 3

RELATION_COLUMNS = ["other", "other_name", "polarity", "report", "sentence", "start", "end"]


def _relation_key(r: dict) -> tuple:
    """state-relations' ORDER BY."""
    return (r["other"], r["report"], -1 if r["start"] is None else r["start"], r["polarity"],
            -1 if r["end"] is None else r["end"], r["sentence"] or "", r["other_name"] or "")


def relations_in_parts(arg: str, iso3: str, firsts: list[tuple[str, int]]
                       ) -> tuple[list[dict], list[str], Page] | None:
    """paged_rows("state-relations", arg, arg, state=iso3) on Virtuoso, from _relation_rows:
    the rows of the state's first relations in the order of their partners' codes
    (`firsts`, the summary's, with how many reports state each) as many as cover the page
    by those counts, then twice as many until they give the page's rows, sorted here by the
    listing's ORDER BY. None (relation_by_relation, as before) where a relation's rows are
    not all of one partner, in that order."""
    offset, size = offset_arg(arg), page_size()
    need = offset + size + 1
    nodes = state_nodes(iso3)
    if not nodes:
        return None
    take, covered = 0, 0
    while take < len(firsts) and covered < need:
        covered += firsts[take][1]
        take += 1
    while True:
        chosen = [relation for relation, _ in firsts[:take]]
        rows = _relation_rows(iso3, nodes, chosen)
        if len(rows) >= need or take >= len(firsts):
            break
        take = min(len(firsts), max(2 * take, 1))
    codes: dict[str, set[str]] = {}
    for row in rows:
        codes.setdefault(row["relation"], set()).add(row["other"])
    last = None
    for relation in chosen:
        if relation not in codes:
            continue
        if len(codes[relation]) > 1 or (last is not None and min(codes[relation]) <= last):
            return None
        last = min(codes[relation])
    rows = sorted(rows, key=_relation_key)[offset:need]
    return [{c: row.get(c) for c in RELATION_COLUMNS} for row in rows[:size]], \
        RELATION_COLUMNS, Page(arg, offset, size, len(rows) > size, min(len(rows), size), arg)


# Relations read at once by relation_by_relation (Virtuoso has threads of its own).
RELATION_READERS = 2


def relation_by_relation(arg: str, iso3: str, firsts: list[tuple[str, int]]
                         ) -> tuple[list[dict], list[str], Page] | None:
    """paged_rows("state-relations", arg, arg, state=iso3) on Virtuoso, read one relation a
    query: a page over its report graphs (kg.queries' walk by keys) is a text of its own for
    every state and page, which Virtuoso compiled anew each time (0.6-0.7 s of the page's
    0.8-1.1 at 10,000 reports), while the listing bound to one relation and the state, both
    sent as parameters (kg/store/connector.py), is the same text for every relation of every
    state: compiled once, then 0.01-0.14 s a relation. The listing's rows are ordered by the
    partner's code first, and a relation has one partner: the page is the rows of the
    state's relations in the order of their partners' codes (`firsts`, the summary's, with
    how many reports state each), read as many relations at a time as their reports cover
    the page, each up to the page's end. None (read the listing as before) where a
    relation's rows are not all of the one partner, in that order, or the summary gives
    the state no relation."""
    if not firsts:
        return None
    offset, size = offset_arg(arg), page_size()
    need = offset + size + 1
    query = Q.load("state-relations").paged(need)
    store = current_store()

    def read(relation: str) -> tuple[list[str], list[dict]]:
        # read in the thread: pyoxigraph's results stay in the thread that made them
        results = store.query(query.bind({"state": [iso3], "relation": [relation]}))
        return [v.value for v in results.variables], plain_rows(results, integers=True)

    rows: list[dict] = []
    columns: list[str] = []
    last = None  # the partner of the rows read so far
    done = 0
    with ThreadPoolExecutor(RELATION_READERS, thread_name_prefix="kg-relations") as pool:
        while len(rows) < need and done < len(firsts):
            batch, covered = [], 0
            while done < len(firsts) and covered < need - len(rows):
                batch.append(firsts[done][0])
                covered += firsts[done][1]
                done += 1
            for columns, part in pool.map(read, batch):
                partners = {row["other"] for row in part}
                if len(partners) > 1 or (part and last is not None and
                                         part[0]["other"] <= last):
                    return None
                if part:
                    last = part[0]["other"]
                rows += part
    rows = rows[offset:need]
    return rows[:size], columns, Page(arg, offset, size, len(rows) > size,
                                      min(len(rows), size), arg)


# A state's listings read over the report graphs of their first rows (walked_rows): the page
# query giving each row's first ORDER BY keys and graph, and those keys from its row and from
# a row of the listing (the same tuple, ordered as the listing's ORDER BY orders them).
WALKS = {
    "state-relations": ("entity-relations-keys", lambda r: (r["other"], r["report"]),
                        lambda r: (r["other"], r["report"])),
    "timeline": ("entity-timeline-keys",
                 lambda r: (r["when"] is None, r["when"] or "", r["report"], r["event"]),
                 lambda r: (r["date"] is None, r["date"] or "", r["report"], r["event"])),
    "state-officials": ("entity-officials-keys",
                        lambda r: (r["name"], r["published"] or "", r["report"]),
                        lambda r: (r["name"], r["published"] or "", r["report"])),
    "agreements-by-state": (
        "entity-agreements-keys",
        lambda r: ("~" if r["signed"] is None else r["signed"], r["title"], r["report"],
                   r["agreement"]),
        lambda r: ("~" if r["date"] is None else r["date"], r["title"], r["report"],
                   r["agreement"])),
}


def walked_rows(name: str, arg: str, iso3: str, firsts: list[tuple[str, int]] | None = None
                ) -> tuple[list[dict], list[str], Page]:
    """paged_rows(name, arg, arg, state=iso3) on the embedded store, reading the listing over
    the report graphs of its first rows only: for a hub state, it joins thousands of rows
    (1.3-2 s at 100,000 reports) to give 50. The keys page query gives every row's first
    ORDER BY keys and graph, cheaply; the listing itself, unchanged, runs over the graphs of
    the first offset + size + 1 keys in key order (each row being all in its graph, WALKS'
    queries say why). Its rows are the listing's if the last one asked for has a key among
    those: else some keys gave no row (a relation whose sentences show another polarity),
    and it is read again over twice as many.

    `firsts` (state-relations, sorted by partner first): the state's relations in the order
    of their partners' codes, with how many reports state each (the summary's). Only the keys
    of as many relations as cover the page by those counts are read (a hub's 3,000 keys took
    0.2 s), then of twice as many where the page ends past their keys."""
    keys_query, key_of_keys, key_of_row = WALKS[name]
    offset, size = offset_arg(arg), page_size()
    need = offset + size + 1
    text = Q.load(name).paged(size + 1, offset).bind({"state": [iso3]})
    some = None  # how many of `firsts` the keys are read for; None: all the keys
    if firsts is not None:
        some, covered = 0, 0
        while some < len(firsts) and covered < need:
            covered += firsts[some][1]
            some += 1
    while True:
        params = {"state": [iso3]}
        narrowed = some is not None and some < len(firsts or ())
        if narrowed:
            params["relation"] = [relation for relation, _ in firsts[:some]]
        graphs: dict[tuple, set[str]] = {}
        keys_text = page_query(keys_query).bind(params)
        for row in plain_rows(current_store().query(keys_text), integers=True):
            graphs.setdefault(key_of_keys(row), set()).add(row["g"])
        keys = sorted(graphs)
        take = need
        while True:
            chosen = sorted(set().union(*(graphs[k] for k in keys[:take])))
            named = [ox.NamedNode(g) for g in chosen]
            # The default graph: the ontology's code lists, all these listings read outside
            # GRAPH (with report graphs in it, Oxigraph joins them with one another, as
            # kg.queries says).
            results = current_store().query(
                text, default_graph=[ox.NamedNode(V.ONTOLOGY_GRAPH)], named_graphs=named)
            columns = [v.value for v in results.variables]
            rows = plain_rows(results, integers=True)
            found = len(rows) > size and key_of_row(rows[-1]) <= keys[min(take, len(keys)) - 1]
            if found or take >= len(keys):
                break
            take *= 2
        if found or not narrowed:  # the page, or every row read
            return rows[:size], columns, Page(arg, offset, size, len(rows) > size,
                                              min(len(rows), size), arg)
        some = max(some * 2, 1)


def partners_of(iso3: str) -> tuple[dict[str, Counter], list[tuple[str, int]]]:
    """From the summary: each partner's report counts by polarity, and the state's relations
    in state-relations' order (by the partner's code) with how many reports state each, for
    walked_rows."""
    counts, partners = {}, []
    # relations-summary bound to the state reads every pair's polarity counts (0.26 s for a
    # hub state at 100,000 reports, against 0.07): on other stores it is read still, as
    # Virtuoso gave entity-state-pairs' OPTIONAL subqueries another pair's counts.
    rows = page_rows("entity-state-pairs", state=iso3) \
        if getattr(current_store(), "embedded", False) \
        else named_rows("relations-summary", state=iso3)
    for row in rows:
        other = row["state_b"] if row["state_a"] == iso3 else row["state_a"]
        counts[other] = Counter({"cooperative": row["cooperative"] or 0,
                                 "conflictual": row["conflictual"] or 0})
        partners.append((other, row["relation"], row["reports"] or 0))
    return counts, [(relation, n) for _, relation, n in sorted(partners)]


def _state_context(iri: str, props: list[dict]) -> dict:
    """A state's relations, officials, agreements and timeline, each a page at a time: a hub
    state has thousands of rows in each (?relations=K, ?officials=K, ... give the offsets)."""
    iso3 = next((r["o"] for r in props if r["p"] == str(V.BKG.iso3)), local_name(iri))
    lists = (("state-officials", "officials"), ("agreements-by-state", "agreements"),
             ("timeline", "timeline"))
    # The other lists read meanwhile, each in a thread of its own: Oxigraph's queries run
    # without the GIL (at 100,000 reports a state's page spent 0.8-1.3 s in its queries one
    # after the other, each list's keys 0.1-0.3 s of it), and a SPARQL server answers
    # several requests at once (over Virtuoso at 10,000 reports, 1.24-1.46 s one after the
    # other, 0.90-1.08 so, once its texts are compiled: compiling, they gained nothing).
    with ThreadPoolExecutor(len(lists), thread_name_prefix="kg-state-page") as pool:
        later = {name: pool.submit(copy_current_request_context(_section), name, arg, iso3)
                 for name, arg in lists}
        # Each partner's report counts by polarity, whole (one row per pair), whichever
        # page of sentences is shown.
        counts, firsts = partners_of(iso3)
        rows, _, relations_page = _section("state-relations", "relations", iso3, firsts)
        done = {name: future.result() for name, future in later.items()}
    relations: dict[str, dict] = {}
    for row in rows:
        rel = relations.setdefault(row["other"], {
            "iso3": row["other"], "name": row["other_name"] or row["other"],
            "url": _entity_url(V.state_iri(row["other"])),
            "relation_url": _entity_url(V.relation_iri(iso3, row["other"])),
            "polarity": +counts.get(row["other"], Counter()), "sentences": {}})
        # a sentence is listed once, with the polarities it shows (the query gives a row per
        # polarity)
        if row["sentence"]:
            item = rel["sentences"].setdefault((row["report"], row["start"]), {
                "sentence": row["sentence"], "report": row["report"], "polarities": [],
                "url": _report_url(row["report"], int(row["start"]))})
            if row["polarity"] not in item["polarities"]:
                item["polarities"].append(row["polarity"])
    for rel in relations.values():
        rel["sentences"] = list(rel["sentences"].values())
    officials, _, officials_page = done["state-officials"]
    for row in officials:
        row["url"] = _entity_url(row["person"])
        row["report_url"] = _report_url(row["report"])
    agreements: dict[str, dict] = {}
    rows, _, agreements_page = done["agreements-by-state"]
    for row in rows:
        a = agreements.setdefault(row["agreement"], {
            "title": row["title"], "url": _entity_url(row["agreement"]), "kind": row["kind"],
            "parties": row["parties"], "statuses": [], "date": row["date"],
            "place": row["place"]})
        a["statuses"].append({"status": row["status"], "report": row["report"],
                              "url": _report_url(row["report"])})
        a["date"] = a["date"] or row["date"]
    timeline, _, timeline_page = done["timeline"]
    for row in timeline:
        row["url"] = _entity_url(row["event"])
        row["report_url"] = _report_url(row["report"])
    # The partners in the query's order (by ISO code), as the sentences are paged.
    return {"iso3": iso3, "relations": list(relations.values()),
            "officials": officials, "agreements": list(agreements.values()),
            "timeline": timeline,
            "pages": {"relations": relations_page, "officials": officials_page,
                      "agreements": agreements_page, "timeline": timeline_page}}


def post_rows(iri: str, offset: int, size: int) -> tuple[list[dict], int]:
    """person-posts' rows of the person's posts [offset, offset + size) in its order (a post
    has a row per sentence), and how many posts the person has. On the embedded store, read
    over the graphs of the first offset + size posts only: a hub person's 2,600 posts took
    1.3 s to read and sort at 100,000 reports (and 1.5 MB of HTML). person-posts-keys gives
    each post's first ORDER BY keys and graph; the posts of the first keys are the listing's
    first, whatever other posts those graphs hold (theirs sort after)."""
    if not getattr(current_store(), "embedded", False):
        # Sorted here by the listing's ORDER BY (?published ?report ?post ?start, unbound
        # first): Virtuoso 7.2 gave a hub person's 2,684 rows with 377 out of it at 100,000
        # reports (two posts of one day shown in the wrong order).
        rows = sorted(page_rows("person-posts", node=iri), key=lambda r: (
            _unbound_first(r["published"]), _unbound_first(r["report"]),
            _unbound_first(r["post"]), (r["start"] is not None, r["start"] or 0)))
        posts = list(dict.fromkeys(r["post"] for r in rows))
        shown = set(posts[offset:offset + size])
        return [r for r in rows if r["post"] in shown], len(posts)
    first: dict[str, tuple] = {}
    for row in page_rows("person-posts-keys", node=iri):
        # unbound first, as SPARQL's ORDER BY puts it
        key = (row["published"] is not None, row["published"] or "", row["report"],
               row["post"])
        first[row["post"]] = min(first.get(row["post"], (key, row["g"])), (key, row["g"]))
    ordered = sorted(first.values())
    chosen = sorted({g for _, g in ordered[:offset + size]})
    if not chosen:
        return [], len(ordered)
    # The default graph: the ontology's, where the role codes' notations are.
    results = current_store().query(
        page_query("person-posts").bind({"node": [iri]}),
        default_graph=[ox.NamedNode(V.ONTOLOGY_GRAPH)],
        named_graphs=[ox.NamedNode(g) for g in chosen])
    shown = {key[-1] for key, _ in ordered[offset:offset + size]}
    return [r for r in plain_rows(results, integers=True) if r["post"] in shown], len(ordered)


def _person_context(iri: str) -> dict:
    # The query gives a row per post and evidence sentence: each post is shown once, with
    # its sentences under it (in the order the report tells them). A page of posts at a time
    # (?posts=K): a hub person holds thousands.
    offset, size = offset_arg("posts"), page_size()
    rows, count = post_rows(iri, offset, size)
    posts: dict[str, dict] = {}
    for row in rows:
        post = posts.get(row["post"])
        if post is None:
            post = posts[row["post"]] = {
                **row, "state_url": _entity_url(row["state"]),
                "host_url": _entity_url(row["host"]),
                "organization_url": _entity_url(row["organization"]),
                "post_url": _entity_url(row["post"]), "report_url": _report_url(row["report"]),
                "sentences": []}
        if row["sentence"] and all(s["start"] != row["start"] for s in post["sentences"]):
            post["sentences"].append({"sentence": row["sentence"], "start": row["start"],
                                      "url": _report_url(row["report"], row["start"])})
    events = page_rows("person-events", node=iri)
    for row in events:
        row["event_url"] = _entity_url(row["event"])
        row["url"] = _report_url(row["report"], row["start"])
    posts_page = Page("posts", offset, size, count > offset + size, len(posts), "posts")
    return {"posts": list(posts.values()), "appearances": events,
            "pages": {"posts": posts_page}}


def _agreement_context(iri: str) -> dict:
    parties = page_rows("agreement-parties", node=iri)
    for row in parties:
        row["url"] = _entity_url(row["state"])
    history = page_rows("agreement-history", node=iri)
    by_report: dict[str, dict] = {}
    for row in history:
        item = by_report.setdefault(row["report"], {**row, "sentences": [],
                                                     "report_url": _report_url(row["report"])})
        if row["sentence"] and all(s["start"] != row["start"] for s in item["sentences"]):
            item["sentences"].append({"sentence": row["sentence"], "start": row["start"],
                                      "url": _report_url(row["report"], row["start"])})
    steps = list(by_report.values())
    return {"parties": parties, "history": steps,
            "status": steps[-1]["status"] if steps else None}


# A state no store is expected to hold (Antarctica's code), and a person, whose pages' texts
# compile_page_texts sends.
ABSENT_STATE = "ATA"
ABSENT_PERSON = V.ID + "person/-"
# Texts compile_page_texts sends at once (Virtuoso compiles each on a thread of its own).
PAGE_TEXT_SENDERS = 4


def compile_page_texts() -> None:
    """On Virtuoso, the texts every state's and every person's page sends (their values
    parameters, kg/store/connector.py), sent once for a state and a person the store does
    not hold, so that the server has compiled them before the first page asks: it compiled
    state-relations' text bound to a relation in 1.6 s, agreements-by-state's in 0.5-0.7,
    a person's evidence in about 1 s (at 10,000 reports), then kept them for every state and
    person. A state's timeline, read over its own report graphs, is a text of its own still.
    The texts are sent PAGE_TEXT_SENDERS at a time: one after the other they took 6.6 s at
    10,000 reports (state-relations' 3.2 of it), the server compiling each on a thread of
    its own. Nothing on another store. Run in a request (kg serve's warm-up times it
    whole)."""
    store = current_store()
    if getattr(store, "embedded", False) or not getattr(store, "pages_by_graph_values", False):
        return
    code, state = ABSENT_STATE, V.state_iri(ABSENT_STATE)

    def state_page():
        page("entity-exists", node=state)
        node_properties(state)
        incoming_rows(state)
        partners_of(code)

    def timeline_keys():
        # the keys text kg.queries sends to this store (its `# on a SPARQL server:` shape),
        # its rows read here: pyoxigraph's results may not be dropped on another thread
        keys = Q.load(Q.load("timeline").keys_query)
        keys = Q.load(keys.on_a_server) if keys.on_a_server else keys
        for _ in store.query(keys.bind({"state": [code]})):
            pass

    def server_shapes():
        # the shapes server_rows sends (their rows read here, as timeline_keys' are)
        params = {"state": [code], "node": [state]}
        for shape in ("state-agreements-server", "state-officials-server"):
            for _ in store.query(page_query(shape).bind(params)):
                pass
        parties = page_query("state-agreement-parties").bind({**params, "agreement": [state]})
        for _ in store.query(parties):
            pass
        _relation_rows(code, [state], [V.relation_iri(code, code)])
        for shape in ("state-timeline-events", "state-timeline-participants",
                      "state-timeline-starts", "state-timeline-sentences"):
            for _ in store.query(page_query(shape).bind({**params, "event": [state]})
                                 if shape != "state-timeline-events"
                                 else page_query(shape).bind(params)):
                pass

    parts = (state_page,
             lambda: relation_by_relation("relations", code, [(V.relation_iri(code, code), 1)]),
             server_shapes,
             lambda: _section("state-officials", "officials", code),
             lambda: _section("agreements-by-state", "agreements", code),
             timeline_keys,
             lambda: _person_context(ABSENT_PERSON),
             lambda: evidence_of(ABSENT_PERSON))
    with ThreadPoolExecutor(PAGE_TEXT_SENDERS, thread_name_prefix="kg-page-texts") as pool:
        for sent in [pool.submit(copy_current_request_context(part)) for part in parts]:
            sent.result()   # a part that failed fails the warm-up's part, as before
