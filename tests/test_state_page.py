"""A hub node's page at 100,000 reports (issue 18): entity-properties and entity-incoming come
unsorted and the page sorts them (Oxigraph took 2-3 s each to sort a hub state's thousands of
rows, reading both strings of every comparison from disk; Python takes milliseconds). These
tests hold the page's rows to what the former sorted texts (below) gave, for every node of the
dev corpus: the same rows in the same order, and the same cut at MAX_INCOMING.

A state's relations, agreements and timeline are read over the report graphs of their first
rows (entities.walked_rows): the pages are the listings' own, at every offset and page size
tried, also when some keys give no row; timeline's sentences are read in the event's graph,
with the rows of its former text.

Old code: the first test fails (the texts sort), the rest fail for lack of property_rows,
incoming_rows and walked_rows; the timeline test passes there (the old text against itself).
"""
from __future__ import annotations

import collections
import re
import zlib

import pyoxigraph as ox
import pytest

from kg import queries as Q
from kg.store import OxigraphStore
from kg.sparql_text import blank_out
from kg.store.base import plain
from kg.web.views import entities, viewer
from helpers import QuerySpy

OLD_PROPERTIES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?node ?p ?o (SAMPLE(?anyLabel) AS ?label) ?g WHERE {
  GRAPH ?g { ?node ?p ?o }
  OPTIONAL { GRAPH ?g { { ?o rdfs:label ?graphLabel } UNION { ?o dct:title ?graphLabel } } }
  OPTIONAL { GRAPH <https://bilateral-kg.org/graph/ontology> {
      { ?o rdfs:label ?ontologyLabel } UNION { ?o skos:prefLabel ?ontologyLabel } } }
  BIND(COALESCE(?graphLabel, ?ontologyLabel) AS ?anyLabel)
}
GROUP BY ?node ?p ?o ?g
ORDER BY ?p ?o ?g
"""

OLD_INCOMING = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
SELECT ?node ?s ?p ?class (SAMPLE(?anyLabel) AS ?label) (COUNT(DISTINCT ?g) AS ?reports) WHERE {
  GRAPH ?g { ?s ?p ?node . OPTIONAL { ?s a ?class } }
  FILTER(?p NOT IN (oa:hasBody, oa:hasSource, schema:mentions))
  OPTIONAL { { ?s rdfs:label ?anyLabel } UNION { ?s dct:title ?anyLabel } }
}
GROUP BY ?node ?s ?p ?class
ORDER BY ?p ?s
LIMIT %d
"""


@pytest.fixture(scope="module")
def app(dev_store):
    from kg.web.app import close_app, create_app

    app = create_app(OxigraphStore.open_read_only(dev_store))
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def every_node(app):
    with app.test_request_context("/"):
        rows = viewer.current_store().query(
            "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?n ?p ?o } "
            "FILTER(STRSTARTS(STR(?n), 'https://bilateral-kg.org/id/')) } ORDER BY ?n")
        return [r[0].value for r in rows]


def old_rows(text: str, node: str) -> list[dict]:
    results = viewer.current_store().query(
        text, substitutions={ox.Variable("node"): ox.NamedNode(node)})
    names = [v.value for v in results.variables]
    return [{n: plain(t, integers=True) for n, t in zip(names, s)} for s in results]


def test_the_page_queries_sort_nothing():
    """The hub's rows are sorted by the page, not by Oxigraph (the former texts sorted)."""
    for name in ("entity-properties", "entity-incoming"):
        text = viewer.page_query(name).text
        body = "\n".join(line.split("#")[0] for line in text.splitlines())
        assert "ORDER BY" not in body and "LIMIT" not in body, name


def test_property_rows_come_in_the_old_order(app, every_node):
    kinds = collections.Counter()
    with app.test_request_context("/"):
        for node in every_node:
            old = old_rows(OLD_PROPERTIES, node)
            assert entities.property_rows(node) == old, node
            kinds[entities.kind_of(r["o"] for r in old if r["p"] == entities.RDF_TYPE)] += 1
    assert {"state", "person", "agreement", "report", "event"} <= set(kinds), kinds


def test_incoming_rows_are_the_old_first_ones(app, every_node, monkeypatch):
    """The same links, in the same order of property and node, also where the cut falls
    inside a node's links (a small MAX_INCOMING). The label is SAMPLE's (any of the node's):
    compared where the node has one label only."""
    labels = collections.defaultdict(set)
    with app.test_request_context("/"):
        for row in viewer.current_store().query(
                "SELECT ?s ?l WHERE { GRAPH ?g { { ?s <http://www.w3.org/2000/01/rdf-schema#label> "
                "?l } UNION { ?s <http://purl.org/dc/terms/title> ?l } } }"):
            labels[row[0].value].add(row[1].value)
        cut = 0
        for limit in (entities.MAX_INCOMING, 2):
            monkeypatch.setattr(entities, "MAX_INCOMING", limit)
            for node in every_node:
                old = old_rows(OLD_INCOMING % limit, node)
                new = entities.incoming_rows(node)
                assert [(r["p"], r["s"]) for r in new] == [(r["p"], r["s"]) for r in old], node
                for a, b in zip(old, new):
                    if len(labels[a["s"]]) <= 1:
                        assert a == b, node
                    else:
                        assert b["label"] in labels[a["s"]]
                cut += len(old) == limit < len(old_rows(OLD_INCOMING % 10_000, node))
        assert cut >= 5, "too few nodes whose links the cut falls inside"


def test_labels_and_kinds_do_not_depend_on_the_rows_order(app, every_node):
    """graph.py reads entity-properties' rows as they come (now unsorted) for kind_of and
    label_of: both give what the sorted rows gave."""
    with app.test_request_context("/"):
        for node in every_node:
            rows = entities.property_rows(node)
            for order in (rows, rows[::-1]):
                classes = [r["o"] for r in order if r["p"] == entities.RDF_TYPE]
                assert entities.label_of(node, order) == entities.label_of(node, rows)
                assert entities.kind_of(classes) == entities.kind_of(
                    [r["o"] for r in rows if r["p"] == entities.RDF_TYPE])


def test_label_of_breaks_ties_in_sparql_order():
    rows = [{"p": entities.LABEL_PROPERTIES[0], "o": o} for o in ("Zed", "Abe", "Zed", "Abe")]
    assert entities.label_of("x", rows) == "Abe"
    assert entities.label_of("x", rows[:3]) == "Zed"


# ---------------------------------------------------------------- a state's listings

OLD_TIMELINE = """# param state (required, iso3): ISO3 code of the state
# param other (iso3): ISO3 code of a second state; only events in which both take part
PREFIX bkg: <https://bilateral-kg.org/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?date ?kind ?place ?participants ?event ?report ?sentence WHERE {
  { SELECT * WHERE {
    GRAPH ?g {
      # bind: state other
      ?r a bkg:Report ; dct:identifier ?report .
      ?event a bkg:Event ; bkg:eventKind ?kindConcept ;
             bkg:participant/bkg:iso3 ?state ;
             bkg:participant/bkg:iso3 ?other .
      OPTIONAL { ?event bkg:date ?when }
      OPTIONAL { ?event bkg:place ?place }
    }
  } }
  ?kindConcept skos:notation ?kind .
  {
    SELECT ?event (GROUP_CONCAT(?iso3; SEPARATOR=" ") AS ?participants) WHERE {
      { SELECT DISTINCT ?event ?iso3 WHERE {
          # bind: state
          GRAPH ?sg { ?event bkg:participant/bkg:iso3 ?state }
          GRAPH ?pg { ?event a bkg:Event ; bkg:participant/bkg:iso3 ?iso3 }
        } ORDER BY ?iso3 }
    } GROUP BY ?event
  }
  OPTIONAL { SELECT DISTINCT ?event ?sentence WHERE {
    # bind: state
    GRAPH ?sg { ?event bkg:participant/bkg:iso3 ?state }
    ?evidence oa:hasBody ?event ; oa:hasTarget/oa:hasSelector ?position, ?quote .
    ?position oa:start ?firstStart .
    ?quote oa:exact ?sentence .
    { SELECT ?event (MIN(?at) AS ?firstStart) WHERE {
        # bind: state
        GRAPH ?sg { ?event bkg:participant/bkg:iso3 ?state }
        GRAPH ?eg {
          ?event a bkg:Event .
          ?firstEvidence oa:hasBody ?event ; oa:hasTarget/oa:hasSelector/oa:start ?at .
        }
      } GROUP BY ?event }
  } }
  BIND(STR(?when) AS ?date)
}
ORDER BY (!BOUND(?when)) (COALESCE(?date, "")) ?report ?event ?kind (COALESCE(?place, ""))
        ?participants (COALESCE(?sentence, ""))
"""


def term_rows(results) -> list[tuple]:
    return [tuple(None if t is None else str(t) for t in row) for row in results]


def states_of(store) -> list[str]:
    return [row[0].value for row in store.query(
        "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s <https://bilateral-kg.org/ontology#iso3> ?c } }"
        " ORDER BY ?c")]


def timeline_cases(store) -> list[dict]:
    states = states_of(store)
    pairs: set[tuple[str, str]] = set()
    cases = [{"state": s} for s in states] + [{"state": "ISL"}]
    # pairs of states taking part in one event, both ways
    for row in Q.run(store, "timeline", {"state": [states[0]]}):
        codes = row["participants"].value.split()
        if len(codes) > 1:
            pairs.add((codes[0], codes[1]))
    for a, b in sorted(pairs)[:4]:
        cases += [{"state": a, "other": b}, {"state": b, "other": a}]
    return cases


def test_timeline_gives_the_old_rows(dev_store, tmp_path):
    """Its sentences now read in the graph stating the event: the same rows and pages."""
    store = OxigraphStore.open_read_only(dev_store)
    try:
        path = tmp_path / "timeline.rq"
        path.write_text(OLD_TIMELINE, encoding="utf-8")
        old = Q.parse("timeline", path)
        some = 0
        for params in timeline_cases(store):
            values = {k: [v] for k, v in params.items()}
            before = term_rows(Q.run(store, old, values))
            assert term_rows(Q.run(store, "timeline", values)) == before, params
            for offset in (0, 3):
                assert term_rows(Q.run(store, "timeline", values, limit=3, offset=offset)) \
                    == before[offset:offset + 3], params
            some += sum(1 for r in before if r[6] is not None) > 0
        assert some >= 3
    finally:
        store.close()


from test_remote_store import both  # noqa: E402,F401  (the dev corpus in Virtuoso too)


def test_virtuoso_answers_timeline_as_before(both, tmp_path):
    local, remote = both
    path = tmp_path / "timeline.rq"
    path.write_text(OLD_TIMELINE, encoding="utf-8")
    old = Q.parse("timeline", path)
    some = 0
    for params in timeline_cases(local)[::3]:
        values = {k: [v] for k, v in params.items()}
        before = term_rows(Q.run(remote, old, values))
        assert collections.Counter(term_rows(Q.run(remote, "timeline", values))) == \
            collections.Counter(before), params
        some += bool(before)
    assert some >= 2


def test_timelines_sentences_and_first_offsets_are_two_subqueries():
    """timeline's first sentence of each event: its sentences with their offsets, and the
    first offsets, are two subqueries joined (the rows of the former text: the tests above).
    In one group, Virtuoso 7.2 joined the first offsets with the evidence's patterns badly
    (a hub's first page 1.4-1.6 s at 10,000 reports; 0.7-0.8 s so). A check of the text:
    the test stores are too small for Virtuoso's plan to show it."""
    text = blank_out(Q.load("timeline").text)
    sentences = re.search(r"\{\s*SELECT\s+DISTINCT\s+\?event\s+\?sentence\s+\?firstStart\s+WHERE",
                          text)
    first = re.search(r"\{\s*SELECT\s+\?event\s+\(MIN\(\?at\)\s+AS\s+\?firstStart\)", text)
    assert sentences and first and sentences.end() < first.start()
    assert "oa:exact ?sentence" in text[sentences.end():first.start()]


def listing_page(app, name, arg, state, offset, size, monkeypatch, walk, firsts=None):
    monkeypatch.setattr(viewer, "page_size", lambda: size)
    monkeypatch.setattr(entities, "page_size", lambda: size)
    with app.test_request_context(f"/id/state/{state}?{arg}={offset}"):
        if walk:
            rows, columns, page = entities.walked_rows(name, arg, state, firsts)
        else:
            rows, columns, page = viewer.paged_rows(name, arg, arg, state=state)
    return rows, columns, page


@pytest.mark.parametrize("name, arg", [("state-relations", "relations"),
                                       ("state-officials", "officials"),
                                       ("agreements-by-state", "agreements"),
                                       ("timeline", "timeline")])
def test_walked_pages_are_the_listings_pages(app, name, arg, monkeypatch):
    with app.test_request_context("/"):
        states = states_of(viewer.current_store()) + ["ISL"]
    full = 0
    for state in states:
        for size, offset in ((50, 0), (2, 0), (2, 1), (3, 3), (3, 7), (1, 12), (50, 50)):
            want = listing_page(app, name, arg, state, offset, size, monkeypatch, False)
            got = listing_page(app, name, arg, state, offset, size, monkeypatch, True)
            assert got == want, (state, size, offset)
            full += want[2].more
    # (the dev corpus's states have few officials each)
    assert full >= (3 if name == "state-officials" else 10), "too few pages with rows after them"


def test_a_walk_reads_more_graphs_where_keys_give_no_row(app, monkeypatch):
    """Keys that give no row of the listing (here: half the keys made to sort first, so that
    the first graphs read hold rows that sort after the keys taken) make the walk read
    again, over more graphs, until the page is the listing's."""
    keys_query, key_of_keys, key_of_row = entities.WALKS["state-relations"]
    odd = lambda r: zlib.crc32(r["report"].encode()) % 2  # noqa: E731
    monkeypatch.setitem(entities.WALKS, "state-relations", (
        keys_query, lambda r: ("", r["report"]) if odd(r) else key_of_keys(r), key_of_row))
    runs = collections.Counter()
    real = viewer.current_store

    class Counting:
        def __init__(self, store):
            self.store = store

        def __getattr__(self, name):
            return getattr(self.store, name)

        def query(self, text, **options):
            runs["walk"] += "named_graphs" in options
            return self.store.query(text, **options)
    with app.test_request_context("/"):
        states = states_of(viewer.current_store())
    retried = 0
    for state in states:
        want = listing_page(app, "state-relations", "relations", state, 0, 1, monkeypatch, False)
        monkeypatch.setattr(entities, "current_store", lambda: Counting(real()))
        runs.clear()
        got = listing_page(app, "state-relations", "relations", state, 0, 1, monkeypatch, True)
        monkeypatch.setattr(entities, "current_store", real)
        assert got == want, state
        retried += runs["walk"] > 1
    assert retried >= 2


def test_the_pairs_counts_are_relations_summary_s(app):
    """The state page's counts per partner (entity-state-pairs) are relations-summary's."""
    some = 0
    with app.test_request_context("/"):
        for state in states_of(viewer.current_store()) + ["ISL"]:
            want = collections.Counter(
                (r["state_a"], r["state_b"], r["cooperative"], r["conflictual"])
                for r in viewer.named_rows("relations-summary", state=state))
            got = collections.Counter(
                (r["state_a"], r["state_b"], r["cooperative"], r["conflictual"])
                for r in viewer.page_rows("entity-state-pairs", state=state))
            assert got == want, state
            some += any(r[2] or r[3] for r in want)
    assert some >= 3


@pytest.mark.parametrize("weigh", ["summary", "one each", "a million each"])
def test_relations_walked_from_the_first_partners(app, monkeypatch, weigh):
    """state-relations' keys read for the first partners only (their report counts from the
    summary covering the page), for more where the page ends past them: the listing's pages,
    with the summary's counts and with counts that make the walk take too many partners or
    too few (one, then twice as many)."""
    with app.test_request_context("/"):
        states = states_of(viewer.current_store())
    narrowed = 0
    for state in states:
        with app.test_request_context("/"):
            _, firsts = entities.partners_of(state)
        if weigh == "one each":
            firsts = [(relation, 1) for relation, _ in firsts]
        elif weigh == "a million each":
            firsts = [(relation, 10**6) for relation, _ in firsts]
        for size, offset in ((50, 0), (2, 0), (2, 1), (3, 3), (1, 5), (1, 12)):
            want = listing_page(app, "state-relations", "relations", state, offset, size,
                                monkeypatch, False)
            got = listing_page(app, "state-relations", "relations", state, offset, size,
                               monkeypatch, True, firsts)
            assert got == want, (state, size, offset)
            narrowed += len(firsts) > 1 and want[2].more
    assert narrowed >= 5


# ---------------------------------------------------------------- a hub's properties, counted

def test_counted_properties_say_what_the_listed_ones_do(app, every_node, monkeypatch):
    """Above MAX_PROPERTY_ROWS (value, report) pairs, the properties table shows each value
    with its number of reports and the first instead of them all: the same values, labels and
    links in the same order, the count of the reports listed and the first of them; the page's
    label, classes, kind and code are the same too."""
    def context(node, limit, query=""):
        monkeypatch.setattr(entities, "MAX_PROPERTY_ROWS", limit)
        with app.test_request_context("/id/x" + query):
            props, counted = entities.node_properties(node)
            return props, counted, entities._properties_table(props, counted)
    counted_some = 0
    for node in every_node:
        rows, counted, listed = context(node, 10**9)
        assert not counted
        crows, counted, table = context(node, 0)
        assert counted == (len(rows) > 0)
        assert entities.label_of(node, crows) == entities.label_of(node, rows)
        assert sorted({r["o"] for r in crows if r["p"] == entities.RDF_TYPE}) == \
            sorted({r["o"] for r in rows if r["p"] == entities.RDF_TYPE})
        iso3 = [r["o"] for r in rows if r["p"].endswith("#iso3")][:1]
        assert [r["o"] for r in crows if r["p"].endswith("#iso3")][:1] == iso3
        assert [(t["p"], t["o"], t["label"], t["url"]) for t in table] == \
            [(t["p"], t["o"], t["label"], t["url"]) for t in listed], node
        for t, full in zip(table, listed):
            assert t["count"] == len(full["reports"]) and t["reports"] == []
            assert t["first"] == (full["reports"][0] if full["reports"] else None)
        counted_some += any(t["count"] > 1 for t in table)
        # ?properties=all: listed whatever their number
        assert context(node, 0, "?properties=all")[2] == listed
    assert counted_some >= 5


def test_a_hub_page_counts_its_properties_and_links_them_all(app, monkeypatch):
    monkeypatch.setattr(entities, "MAX_PROPERTY_ROWS", 0)
    client = app.test_client()
    with app.test_request_context("/"):
        state = states_of(viewer.current_store())[0]
    body = client.get(f"/id/state/{state}").get_data(as_text=True)
    section = body[body.index('id="properties"'):]
    assert "list them all" in section and "?properties=all#properties" in section
    assert " report" in section and "the first <a href=\"/report/" in section
    every = client.get(f"/id/state/{state}?properties=all").get_data(as_text=True)
    every = every[every.index('id="properties"'):]
    assert "list them all" not in every and "<details open>" in every
    monkeypatch.setattr(entities, "MAX_PROPERTY_ROWS", 10**9)
    default = client.get(f"/id/state/{state}").get_data(as_text=True)
    assert every.replace("<details open>", "<details>") == \
        default[default.index('id="properties"'):]


def test_evidence_rows_are_the_listing_s_in_its_order(app, every_node):
    """evidence_of reads the evidence listing unsorted and sorts its rows itself (embedded
    store): the listing's rows in the listing's order, for every node."""
    some = 0
    with app.test_request_context("/"):
        for node in every_node:
            want = viewer.named_rows("evidence", node=node)
            assert entities._evidence_rows(node) == want, node
            some += len(want) > 3
    assert some >= 10


def test_sparql_key_orders_numbers_by_value():
    terms = [ox.Literal("10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
             ox.Literal("9", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
             ox.NamedNode("http://x/b"), None]
    assert [t.value if t is not None else None for t in sorted(terms, key=entities.sparql_key)] \
        == [None, "http://x/b", "9", "10"]


def test_entity_pages_on_virtuoso(both):
    """The entity pages over a SPARQL store (no walk, no Python sort of the listings: the
    store's own pages) answer, with the same HTML as the embedded store's for the dev corpus."""
    from kg.web.app import create_app

    local, remote = both
    nodes = [r[0].value for r in local.query(
        "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?n a ?c } FILTER(?c IN ("
        "<https://bilateral-kg.org/ontology#State>, <https://bilateral-kg.org/ontology#Person>, "
        "<https://bilateral-kg.org/ontology#Agreement>)) } ORDER BY ?n")]
    paths = ["/id/" + n[len("https://bilateral-kg.org/id/"):] for n in nodes]
    assert len(paths) >= 20
    # The app does not close these stores: the fixture does.
    here, there = create_app(local).test_client(), create_app(remote).test_client()
    differ = []
    for path in paths + [paths[0] + "?relations=1&timeline=1", paths[0] + "?properties=all"]:
        a, b = here.get(path), there.get(path)
        assert a.status_code == b.status_code == 200, path
        if a.get_data() != b.get_data():
            differ.append(path)
    assert not differ, differ


def persons_of(store) -> list[str]:
    return [r[0].value for r in store.query(
        "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?n a <https://bilateral-kg.org/ontology#Person> "
        "} } ORDER BY ?n")]


def test_a_persons_posts_a_page_at_a_time_are_the_listings(app, monkeypatch):
    """A person's posts (entities.post_rows: on the embedded store, person-posts read over the
    graphs of the first posts' keys) against person-posts read whole, a page of posts at a
    time, at page sizes 1, 2 and 50: the same rows, in the same order, each post once across
    the pages. The old code showed every post on one page (no post_rows)."""
    with app.test_request_context("/"):
        persons = persons_of(viewer.current_store())
        assert len(persons) >= 10
        paged = 0
        for person in persons:
            whole = viewer.page_rows("person-posts", node=person)
            posts = list(dict.fromkeys(r["post"] for r in whole))
            for size in (1, 2, 50):
                got, offset = [], 0
                while True:
                    rows, count = entities.post_rows(person, offset, size)
                    assert count == len(posts)
                    assert len(dict.fromkeys(r["post"] for r in rows)) == \
                        min(size, max(0, len(posts) - offset))
                    got += rows
                    offset += size
                    if offset >= count:
                        break
                    paged += 1
                assert got == whole, (person, size)
        assert paged >= 3


def test_a_persons_posts_on_a_server_follow_the_listings_order(app, monkeypatch):
    """On a store that is not the embedded one, a person's posts are the whole person-posts
    listing's, sorted by its ORDER BY in Python: Virtuoso 7.2 gave a hub person's 2,684 rows
    with 377 out of that order at 100,000 reports. Here a store giving the rows reversed."""
    class Reversed:
        variables = None

        def __init__(self, results):
            self.variables = results.variables
            self.rows = list(results)[::-1]

        def __iter__(self):
            return iter(self.rows)

    with app.test_request_context("/"):
        store = viewer.current_store()
        persons = persons_of(store)
        wholes = {p: viewer.page_rows("person-posts", node=p) for p in persons}

        class Server:
            embedded = False

            def query(self, text, **kw):
                return Reversed(store.query(text, **kw))

        monkeypatch.setattr(entities, "current_store", lambda: Server())
        monkeypatch.setattr(viewer, "current_store", lambda: Server())
        several = 0
        for person in persons:
            posts = list(dict.fromkeys(r["post"] for r in wholes[person]))
            rows, count = entities.post_rows(person, 0, 50)
            assert count == len(posts)
            # the same posts and rows in the listing's order (ties: one post's sentences
            # at one start, in either order)
            assert [(r["post"], r["start"]) for r in rows] == \
                [(r["post"], r["start"]) for r in wholes[person]], person
            several += len(posts) > 1
        assert several >= 2


def test_a_persons_page_links_its_next_posts(app, monkeypatch):
    """One post a page: the first page shows one post and links the next; the last links
    the previous and no next."""
    monkeypatch.setattr(viewer, "page_size", lambda: 1)
    monkeypatch.setattr(entities, "page_size", lambda: 1)
    client = app.test_client()
    with app.test_request_context("/"):
        counts = {p: entities.post_rows(p, 0, 0)[1] for p in persons_of(viewer.current_store())}
    person = max(counts, key=lambda p: (counts[p], p))
    assert counts[person] >= 2
    path = "/id/" + person[len("https://bilateral-kg.org/id/"):]

    def posts_section(html: str) -> str:
        return html.split('<section id="posts">')[1].split("</section>")[0]
    first = posts_section(client.get(path).get_data(as_text=True))
    assert first.count('<td class="post-evidence">') == 1
    assert 'rel="next"' in first and "posts=1#posts" in first and 'rel="prev"' not in first
    last = posts_section(client.get(f"{path}?posts={counts[person] - 1}").get_data(as_text=True))
    assert last.count('<td class="post-evidence">') == 1
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_incoming_rows_read_the_first_properties_only(app, every_node, monkeypatch):
    """A cost test: where the first properties hold MAX_INCOMING linking nodes, entity-incoming
    is read bound to them (the old code read every link: no entity-incoming-counts)."""
    monkeypatch.setattr(entities, "MAX_INCOMING", 2)
    texts = []
    with app.test_request_context("/"):
        spy = QuerySpy(viewer.current_store(), texts)
        monkeypatch.setattr(entities, "current_store", lambda: spy)
        narrowed = 0
        for node in every_node:
            texts.clear()
            entities.incoming_rows(node)
            (text,) = [t for t in texts if "# title: Entity links in\n" in t]
            narrowed += re.search(r"VALUES \([^)]*\?p\)", text) is not None
    assert narrowed >= 5


def test_a_states_lists_are_read_at_once(app, monkeypatch):
    """A cost test: on the embedded store a state's officials, agreements and timeline are
    read each in a thread of its own while its relations are read (at 100,000 reports a
    state's page after start 0.94-1.07 s -> 0.60-0.72 at load 2, its queries one after the
    other before); a bad offset of one of them is still the page's 400."""
    import threading

    from query_cases import param_values

    seen: list[tuple[str, str]] = []
    with app.test_request_context("/"):
        store = viewer.current_store()
        state = param_values(store)["node"]

    class Spy(QuerySpy):
        def query(self, text, **kw):
            title = re.search(r"# title: (.*)", text)
            seen.append((threading.current_thread().name, title[1] if title else ""))
            return super().query(text, **kw)

    monkeypatch.setattr(entities, "current_store", lambda: Spy(store, []))
    client = app.test_client()
    path = "/id/" + state[len("https://bilateral-kg.org/id/"):]
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 200
    apart = {title for name, title in seen if name.startswith("kg-state-page")}
    assert {"A state's officials, their sort keys", "A state's agreements, their sort keys",
            "A state's timeline, its sort keys"} <= apart
    assert "A state's relations, their sort keys" not in apart
    r = client.get(f"{path}?agreements=x", headers={"Accept": "text/html"})
    assert r.status_code == 400 and "agreements: expected a whole number" in r.get_data(
        as_text=True)


def test_virtuoso_reads_a_state_relations_page_one_relation_a_query(both, monkeypatch):
    """Over Virtuoso a state's page reads its relations one relation a query (the listing
    bound to the relation and the state, both sent as parameters), the rows of the
    listing's own page for every page: the same text for every relation of every state,
    which Virtuoso compiles once (a page over its report graphs was a text of its own)."""
    from kg.store import connector as C
    from kg.web.app import create_app

    _, remote = both
    app = create_app(remote)
    with app.test_request_context("/"):
        states = states_of(viewer.current_store())
    assert len(states) >= 5
    full = 0
    for state in states:
        with app.test_request_context("/"):
            _, firsts = entities.partners_of(state)
        for size, offset in ((50, 0), (2, 0), (2, 1), (3, 3), (3, 7), (1, 12)):
            monkeypatch.setattr(viewer, "page_size", lambda: size)
            monkeypatch.setattr(entities, "page_size", lambda: size)
            with app.test_request_context(f"/id/state/{state}?relations={offset}"):
                want = viewer.paged_rows("state-relations", "relations", "relations",
                                         state=state)
                got = entities.relation_by_relation("relations", state, firsts)
            assert got == (want if firsts else None), (state, size, offset)
            full += want[2].more
    assert full >= 10
    monkeypatch.undo()
    sent = set()
    original = C.SparqlConnector.query

    def spy(self, text, form, params=None):
        if "# title: State relations\n" in text:
            sent.add(C.server_params(text)[0])
        return original(self, text, form, params)

    monkeypatch.setattr(C.SparqlConnector, "query", spy)
    client = app.test_client()
    for state in states[:4]:
        assert client.get(f"/id/state/{state}").status_code == 200
    # the pages read them in parts now (entities.relations_in_parts; the next test)
    assert len(sent) <= 1


def test_a_pages_links_in_are_read_beside_its_sections(app, monkeypatch):
    """A cost test: an entity page reads the links into its node (entity-incoming and their
    labels) in a thread of its own while it reads the page's sections, which need none of
    them (a state's page at 10,000 reports 0.62-0.93 s -> 0.37-0.52 at load 4.3, the same
    HTML); the rows are the former ones (the tests above)."""
    import threading

    from query_cases import param_values

    seen: list[tuple[str, str]] = []
    with app.test_request_context("/"):
        store = viewer.current_store()
        state = param_values(store)["node"]

    class Spy(QuerySpy):
        def query(self, text, **kw):
            title = re.search(r"# title: (.*)", text)
            seen.append((threading.current_thread().name, title[1] if title else ""))
            return super().query(text, **kw)

    monkeypatch.setattr(entities, "current_store", lambda: Spy(store, []))
    client = app.test_client()
    path = "/id/" + state[len("https://bilateral-kg.org/id/"):]
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 200
    threads = {name for name, title in seen if title == "Entity links in"}
    assert threads and all(name.startswith("kg-incoming") for name in threads), seen


@pytest.mark.parametrize("name, arg", [("state-officials", "officials"),
                                       ("agreements-by-state", "agreements"),
                                       ("timeline", "timeline")])
def test_virtuoso_reads_a_states_officials_and_agreements_from_its_node(both, name, arg,
                                                                       monkeypatch):
    """Over Virtuoso a state's page reads its officials, agreements and timeline from shapes
    led by the state's node, each graph's report from its digest (entities.server_rows and
    timeline_in_parts; the listings bound to a hub's code took Virtuoso 1.9 and 26 s at
    100,000 reports, the timeline's keys and walk 1.5-3 s), sorted in Python: every page the
    embedded store's page of the listing, and the listing not sent."""
    from kg.store import connector as C
    from kg.web.app import create_app

    local, remote = both
    here, there = create_app(local), create_app(remote)
    with here.test_request_context("/"):
        states = states_of(viewer.current_store()) + ["ISL"]
    assert len(states) >= 5
    title = Q.load(name).text.split("\n", 1)[0] + "\n"
    sent: list[str] = []
    original = C.SparqlConnector.query

    def spy(self, text, form, params=None):
        sent.append(text)
        return original(self, text, form, params)

    monkeypatch.setattr(C.SparqlConnector, "query", spy)
    full = 0
    for state in states:
        for size, offset in ((50, 0), (2, 0), (2, 1), (3, 3), (3, 7), (1, 12), (50, 50)):
            monkeypatch.setattr(viewer, "page_size", lambda: size)
            monkeypatch.setattr(entities, "page_size", lambda: size)
            answers = []
            for app in (here, there):
                with app.test_request_context(f"/id/state/{state}?{arg}={offset}"):
                    answers.append(entities._section(name, arg, state))
            assert answers[1] == answers[0], (state, size, offset)
            full += answers[0][2].more
    assert full >= (3 if name == "state-officials" else 10)
    assert sent and not [t for t in sent if t.startswith(title)]


def test_virtuoso_reads_a_states_relations_in_parts(both, monkeypatch):
    """Over Virtuoso a state's relations are read from the parts of state-relations' text,
    each led by the page's first relations (entities.relations_in_parts: the text bound to
    one relation took Virtuoso 0.3-0.8 s a relation at 100,000 reports) and joined in
    Python: every page the embedded store's page of the listing, and the text not sent."""
    from kg.store import connector as C
    from kg.web.app import create_app

    local, remote = both
    here, there = create_app(local), create_app(remote)
    with here.test_request_context("/"):
        states = states_of(viewer.current_store())
    assert len(states) >= 5
    sent: list[str] = []
    original = C.SparqlConnector.query

    def spy(self, text, form, params=None):
        sent.append(text)
        return original(self, text, form, params)

    monkeypatch.setattr(C.SparqlConnector, "query", spy)
    full, texts = 0, []
    for state in states + ["ISL"]:
        for size, offset in ((50, 0), (2, 0), (2, 1), (3, 3), (3, 7), (1, 12), (50, 50)):
            monkeypatch.setattr(viewer, "page_size", lambda: size)
            monkeypatch.setattr(entities, "page_size", lambda: size)
            answers = []
            for app in (here, there):
                with app.test_request_context(f"/id/state/{state}?relations={offset}"):
                    _, firsts = entities.partners_of(state)
                    sent.clear()
                    answers.append(entities._section("state-relations", "relations", state,
                                                     firsts))
            assert answers[1] == answers[0], (state, size, offset)
            # (a state with no relation reads the listing's page: ISL)
            texts += [t for t in sent if firsts]
            full += answers[0][2].more
            if firsts:
                with there.test_request_context(f"/id/state/{state}?relations={offset}"):
                    assert entities.relations_in_parts("relations", state, firsts) == \
                        answers[0], (state, size, offset)
    assert full >= 10
    assert texts and not [t for t in texts if t.startswith("# title: State relations\n")]
