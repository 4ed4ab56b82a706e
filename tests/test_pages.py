"""The viewer's pages and APIs (web/views/) through Flask's test client, over a store built
by the real pipeline from reports written here, plus one hand-made graph whose labels and text
carry markup, to show that it is always shown as text."""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg import vocabulary as V
from kg.library import KnowledgeGraph
from kg.web.app import create_app
from kg.web.state import state
from kg.web.views import viewer
from kg.web.views.reports import highlight

from helpers import needs_vendor

REPORTS = {
    "gha-nga-trade": ("2024-02-14", "Ghana and Nigeria sign trade memorandum",
        "ACCRA, February 14. Foreign Minister of Ghana Kwame Asante held talks with Foreign "
        "Minister of Nigeria Chinedu Okoro in Accra on February 13, 2024.\n\n"
        "A Memorandum of Understanding on Cross-Border Trade was signed in Accra on February "
        "13, 2024 by Ghana and Nigeria."),
    "gha-nga-shops": ("2024-04-03", "Nigeria condemns shop closures",
        "ABUJA, April 3. Foreign Minister of Nigeria Chinedu Okoro condemned the closure of "
        "Nigerian traders' shops and accused Ghana of violating the ECOWAS protocol on free "
        "movement."),
    "nga-tgo-visit": ("2024-05-20", "Togo's president visits Nigeria",
        "ABUJA, May 20. President of Togo Kossi Mensah paid an official visit to Nigeria on "
        "May 19, 2024.\n\nNigeria and Togo signed an Agreement on Road Transport in Abuja on "
        "May 19, 2024."),
}
SCRIPT = "<script>alert(1)</script>"
HOSTILE = "hostile-markup"
HOSTILE_AGREEMENT = V.agreement_iri("hostile-treaty")
HOSTILE_TEXT = f"Ghana and Togo signed the {SCRIPT} Treaty on Fisheries in Lome."


def hostile_graph() -> rdflib.Graph:
    """A report graph, shaped as kg/mapping.py writes one, whose title, text and agreement
    title contain a script element."""
    g = rdflib.Graph()
    r = URIRef(V.report_iri(HOSTILE))
    g.add((r, RDF.type, V.BKG.Report))
    g.add((r, DCTERMS.identifier, Literal(HOSTILE)))
    g.add((r, DCTERMS.title, Literal(f"Fisheries {SCRIPT} treaty")))
    g.add((r, DCTERMS.date, Literal("2024-06-01", datatype=V.XSD.date)))
    g.add((r, V.SCHEMA.text, Literal(HOSTILE_TEXT)))
    g.add((r, V.BKG.contentHash, Literal("x")))
    a = URIRef(HOSTILE_AGREEMENT)
    g.add((a, RDF.type, V.BKG.Agreement))
    g.add((a, DCTERMS.title, Literal(f"{SCRIPT} Treaty on Fisheries")))
    g.add((a, RDFS.label, Literal(f"{SCRIPT} Treaty on Fisheries")))
    g.add((a, V.BKG.status, URIRef(V.concept("agreement-status", "signed"))))
    g.add((a, V.BKG.agreementKind, URIRef(V.concept("agreement-kind", "treaty"))))
    for iso3, name in (("GHA", "Ghana"), ("TGO", "Togo")):
        s = URIRef(V.state_iri(iso3))
        g.add((s, RDF.type, V.BKG.State))
        g.add((s, V.BKG.iso3, Literal(iso3)))
        g.add((s, RDFS.label, Literal(name, lang="en")))
        g.add((a, V.BKG.party, s))
        g.add((r, V.SCHEMA.mentions, s))
    ev = URIRef(V.report_part_iri("evidence", HOSTILE, 1))
    target, position, quote = BNode(), BNode(), BNode()
    g.add((ev, RDF.type, V.BKG.Evidence))
    g.add((ev, V.OA.hasBody, a))
    g.add((ev, V.OA.hasTarget, target))
    g.add((target, RDF.type, V.OA.SpecificResource))
    g.add((target, V.OA.hasSource, r))
    g.add((target, V.OA.hasSelector, position))
    g.add((target, V.OA.hasSelector, quote))
    g.add((position, RDF.type, V.OA.TextPositionSelector))
    g.add((position, V.OA.start, Literal(0)))
    g.add((position, V.OA.end, Literal(len(HOSTILE_TEXT))))
    g.add((quote, RDF.type, V.OA.TextQuoteSelector))
    g.add((quote, V.OA.exact, Literal(HOSTILE_TEXT)))
    return g


@pytest.fixture(scope="module")
def kg():
    graph = KnowledgeGraph.memory()
    for rid, (published, title, text) in REPORTS.items():
        graph.ingest_text(text, rid, published=published, title=title, source="Test Wire")
    graph.store.replace_report(HOSTILE, hostile_graph())
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def app(kg):
    return create_app(kg.store)


@pytest.fixture
def client(app):
    return app.test_client()


def state_path(iso3: str) -> str:
    return f"/id/state/{iso3}"


# ---------------------------------------------------------------- pages

def test_home_lists_states_reports_and_queries(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    body = r.get_data(as_text=True)
    assert "/report/gha-nga-trade" in body and 'href="/id/state/NGA"' in body
    assert "/sparql" in body and "state-relations" in body
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_home_escapes_a_script_title(client):
    body = client.get("/").get_data(as_text=True)
    assert SCRIPT not in body
    assert "Fisheries &lt;script&gt;alert(1)&lt;/script&gt; treaty" in body


@needs_vendor
def test_graph_and_query_pages(client):
    graph = client.get("/graph").get_data(as_text=True)
    assert 'id="cy"' in graph and "vendor/graph-libs.js" in graph and "graph.js" in graph
    query = client.get("/query?name=state-relations").get_data(as_text=True)
    assert "vendor/editor.js" in query and 'value="state-relations"' in query


def test_missing_front_end_is_named(client, monkeypatch, tmp_path):
    monkeypatch.setattr(viewer, "VENDOR", tmp_path / "vendor")
    for url in ("/graph", "/query"):
        body = client.get(url).get_data(as_text=True)
        assert "make vendor" in body and "vendor-missing" in body


# ---------------------------------------------------------------- graph APIs

def test_api_graph_draws_states_officials_agreements_events(client):
    r = client.get("/api/graph")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    nodes = {n["data"]["id"]: n["data"] for n in r.json["elements"]["nodes"]}
    kinds = {d["kind"] for d in nodes.values()}
    assert {"state", "person", "agreement", "event"} <= kinds
    assert V.state_iri("GHA") in nodes and V.state_iri("NGA") in nodes
    relations = [e["data"] for e in r.json["elements"]["edges"] if e["data"]["kind"] == "relation"]
    pair = next(e for e in relations if {e["source"], e["target"]} ==
                {V.state_iri("GHA"), V.state_iri("NGA")})
    # One report cooperative, the other conflictual: the pair is mixed, with evidence.
    assert pair["polarity"] == "mixed" and pair["evidence"] > 0
    assert pair["id"] == V.relation_iri("GHA", "NGA")
    # The hostile title comes through as data (JSON), not markup.
    assert nodes[HOSTILE_AGREEMENT]["label"] == f"{SCRIPT} Treaty on Fisheries"


def test_api_graph_filters(client):
    all_nodes = client.get("/api/graph").json["counts"]["nodes"]
    states = client.get("/api/graph?kind=state").json["elements"]["nodes"]
    assert states and {n["data"]["kind"] for n in states} == {"state"}
    around = client.get("/api/graph?state=TGO").json["elements"]["nodes"]
    ids = {n["data"]["id"] for n in around}
    assert V.state_iri("TGO") in ids and len(ids) < all_nodes
    assert V.state_iri("NGA") in ids  # Nigeria links to Togo
    early = client.get("/api/graph?until=2024-03").json["elements"]["nodes"]
    assert all(n["data"]["kind"] == "state" or (n["data"].get("date") or n["data"]["first"])
               <= "2024-03-31" for n in early)
    assert not any(n["data"]["kind"] == "event" and n["data"].get("date", "").startswith("2024-05")
                   for n in early)
    for bad in ("since=yesterday", "kind=planet", "state=1"):
        r = client.get(f"/api/graph?{bad}")
        assert r.status_code == 400 and r.mimetype == "application/json" and r.json["error"]


def test_api_node_gives_evidence(client):
    r = client.get("/api/node", query_string={"iri": V.state_iri("TGO")})
    assert r.status_code == 200
    data = r.json
    assert data["attributes"]["kind"] == "state" and data["url"] == "/id/state/TGO"
    assert data["evidence"] and all(e["sentence"] and e["url"].startswith("/report/")
                                    for e in data["evidence"])
    assert any("Togo" in e["sentence"] for e in data["evidence"])
    assert data["neighbours"]
    assert client.get("/api/node", query_string={"iri": V.state_iri("XXX")}).status_code == 404
    assert client.get("/api/node", query_string={"iri": "nope"}).status_code == 400


def test_api_ego(client):
    r = client.get("/api/ego", query_string={"iri": V.state_iri("TGO"), "radius": 1})
    assert r.status_code == 200 and r.json["centre"] == V.state_iri("TGO")
    ids = {n["data"]["id"] for n in r.json["elements"]["nodes"]}
    assert V.state_iri("TGO") in ids and V.state_iri("NGA") in ids
    assert client.get("/api/ego", query_string={"iri": V.state_iri("XXX")}).status_code == 404
    assert client.get("/api/ego", query_string={"iri": V.state_iri("TGO"),
                                                "radius": 9}).status_code == 400


# ---------------------------------------------------------------- a store too big to draw whole
# The same store, served with a limit of 2 reports per graph: the four reports (the three
# above, then the hostile one, the latest) are drawn a scope at a time.

@pytest.fixture(scope="module")
def scoped(kg):
    return create_app(kg.store, viewer_max_reports=2).test_client()


def node_ids(response) -> set[str]:
    return {n["data"]["id"] for n in response.json["elements"]["nodes"]}


def test_a_big_store_draws_an_overview_of_its_states_and_says_so(client, scoped):
    # Unscoped, a store too big to draw whole is drawn from its summaries: every state the
    # reports name and the relations between them, counted over all the reports.
    r = scoped.get("/api/graph")
    assert r.status_code == 200
    assert {k: r.json["counts"][k] for k in ("reports_shown", "reports_matching",
                                            "reports_total")} == {
        "reports_shown": 4, "reports_matching": 4, "reports_total": 4}
    assert "overview shows its states and the relations between them" in r.json["notice"]
    assert "Choose a state or a period" in r.json["notice"]
    whole = client.get("/api/graph").json["elements"]
    states = {n["data"]["id"] for n in whole["nodes"] if n["data"]["kind"] == "state"}
    assert node_ids(r) == states and V.state_iri("TGO") in states
    relations = {e["data"]["id"]: e["data"] for e in whole["edges"]
                 if e["data"]["kind"] == "relation"}
    drawn = {e["data"]["id"]: e["data"] for e in r.json["elements"]["edges"]}
    assert drawn.keys() == relations.keys() and drawn
    for rel, d in drawn.items():
        assert (d["polarity"], d["cooperative"], d["conflictual"]) == \
            (relations[rel]["polarity"], relations[rel]["cooperative"],
             relations[rel]["conflictual"]), rel


def test_a_scope_small_enough_is_drawn_whole_and_as_the_whole_graph_would(client, scoped):
    # Two reports name Togo: all of the scope is read, and the nodes around Togo are those
    # the whole graph shows around it (counts are over the scope's reports).
    r = scoped.get("/api/graph?state=TGO")
    assert r.json["counts"]["reports_matching"] == r.json["counts"]["reports_shown"] == 2
    assert r.json["notice"].startswith("Read from the 2 reports naming TGO (of 4")
    assert node_ids(r) == node_ids(client.get("/api/graph?state=TGO"))
    # a period: only February's report names Ghana before April
    r = scoped.get("/api/graph?state=GHA&until=2024-03")
    assert r.json["counts"]["reports_shown"] == 1
    assert "dated … to 2024-03" in r.json["notice"]
    assert node_ids(r) == node_ids(client.get("/api/graph?state=GHA&until=2024-03"))
    # more reports than the limit: the latest two of the three naming Ghana
    r = scoped.get("/api/graph?state=GHA")
    assert (r.json["counts"]["reports_shown"], r.json["counts"]["reports_matching"]) == (2, 3)
    assert "Choose a shorter period" in r.json["notice"]


def test_a_big_store_ego_and_details_read_the_reports_of_the_node(client, scoped):
    r = scoped.get("/api/ego", query_string={"iri": V.state_iri("TGO"), "radius": 1})
    assert r.status_code == 200 and r.json["centre"] == V.state_iri("TGO")
    assert V.state_iri("NGA") in node_ids(r)
    assert r.json["counts"]["reports_matching"] == 2
    # A node of the page's graph is read from it; another from the reports stating it.
    r = scoped.get("/api/node", query_string={"iri": V.state_iri("GHA"), "state": "TGO"})
    assert r.json["counts"]["reports_matching"] == 2 and "naming TGO" in r.json["notice"]
    (mou,) = [n["data"]["id"] for n in client.get("/api/graph").json["elements"]["nodes"]
              if "Cross-Border Trade" in n["data"]["label"]]
    r = scoped.get("/api/node", query_string={"iri": mou, "state": "TGO"})
    assert r.status_code == 200 and r.json["attributes"]["kind"] == "agreement"
    assert r.json["counts"]["reports_matching"] == 1 and "stating" in r.json["notice"]
    assert {n["id"] for n in r.json["neighbours"]} == {V.state_iri("GHA"), V.state_iri("NGA")}
    assert r.json["evidence"]
    assert scoped.get("/api/node", query_string={"iri": V.state_iri("GHA"),
                                                 "since": "soon"}).status_code == 400
    assert scoped.get("/api/ego", query_string={"iri": V.state_iri("XXX")}).status_code == 404


def test_the_graph_page_lists_the_states_of_the_reports(client):
    body = client.get("/graph").get_data(as_text=True)
    for code in ("GHA", "NGA", "TGO"):
        assert f'<option value="{code}">' in body
    assert "Ghana (GHA)" in body


# ---------------------------------------------------------------- entity pages

def test_state_page(client):
    r = client.get(state_path("NGA"), headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Vary"] == "Accept"
    body = r.get_data(as_text=True)
    for section in ('id="relations"', 'id="officials"', 'id="agreements"', 'id="timeline"'):
        assert section in body
    assert "Chinedu Okoro" in body and 'href="/id/state/GHA"' in body
    assert "Memorandum of Understanding on Cross-Border Trade" in body
    assert "/report/gha-nga-trade#at-" in body  # evidence links to where it was read


def test_person_and_agreement_pages(client, kg):
    person = next(r for r in kg.officials(state="NGA") if r.name == "Chinedu Okoro").person
    body = client.get(person[len(V.ID) - 4:]).get_data(as_text=True)
    assert 'id="posts"' in body and 'id="appearances"' in body and "foreign_minister" in body
    agreement = next(a for a in kg.agreements(state="TGO")).agreement
    body = client.get(agreement[len(V.ID) - 4:]).get_data(as_text=True)
    assert "Parties and status" in body and 'href="/id/state/TGO"' in body
    assert "History" in body and "<q>" in body


def test_person_page_shows_each_post_once_with_its_sentences():
    # One post stated by three sentences of one report (the report is written here).
    text = ("ACCRA, March 4. Foreign Minister of Ghana Kwame Asante held talks with Foreign "
            "Minister of Togo Afi Mensah in Accra on March 3, 2024.\n\n"
            "Foreign Minister Kwame Asante said the two states would reopen their border.\n\n"
            "Asante also thanked Togo for its support.")
    with KnowledgeGraph.memory() as graph:
        graph.ingest_text(text, "gha-tgo-border", published="2024-03-04", title="Border talks")
        person = next(o for o in graph.officials(state="GHA") if o.name == "Kwame Asante")
        body = create_app(graph.store).test_client().get(
            person.person[len(V.ID) - 4:]).get_data(as_text=True)
    posts = body[body.index('id="posts"'):body.index('id="appearances"')]
    rows = posts.split("<tr>")[2:]          # after the table's head
    assert len(rows) == 1, rows
    row = rows[0]
    assert row.count("Foreign Minister of Ghana</a>") == 1
    sentences = [part.split("</q>")[0] for part in row.split("<q>")[1:]]
    assert sentences == [
        "Foreign Minister of Ghana Kwame Asante held talks with Foreign Minister of Togo Afi "
        "Mensah in Accra on March 3, 2024.",
        "Foreign Minister Kwame Asante said the two states would reopen their border.",
        "Asante also thanked Togo for its support."]
    # each sentence links to where it was read, the post once to its report
    assert row.count("/report/gha-tgo-border#at-") == 3
    assert row.count('href="/report/gha-tgo-border"') == 1


def test_home_says_its_counts_are_distinct(client, kg):
    body = client.get("/").get_data(as_text=True)
    stats = kg.store.stats()
    assert stats["states"] == 3     # GHA, NGA, TGO: named by two or three reports each
    assert ('<tr id="count-states"><th>distinct states</th><td class="n">3</td></tr>'
            in body)
    assert (f'<tr id="count-persons"><th>distinct officials</th>'
            f'<td class="n">{stats["persons"]}</td></tr>' in body)
    assert "counted once in the whole store" in body and "kg ingest" in body


def test_every_iri_resolves(client, kg):
    rows = kg.store.select(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
                           f'STRSTARTS(STR(?s), "{V.ID}")) }}')
    assert len(rows) > 20
    for row in rows:
        path = "/id/" + row["s"][len(V.ID):]
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("accept,mime", [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
])
def test_content_negotiation(client, accept, mime):
    r = client.get(state_path("GHA"), headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mime
    if mime == "text/turtle":
        g = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
        assert (URIRef(V.state_iri("GHA")), V.BKG.iso3, Literal("GHA")) in g
        # the evidence about the state travels with it
        assert any(g.triples((None, V.OA.hasBody, URIRef(V.state_iri("GHA")))))
    if mime == "application/ld+json":
        data = json.loads(r.data)
        g = rdflib.Graph().parse(data=r.data, format="json-ld")
        assert data and (URIRef(V.state_iri("GHA")), RDF.type, V.BKG.State) in g


def test_format_parameter(client):
    assert client.get(state_path("GHA") + "?format=ttl").mimetype == "text/turtle"
    assert client.get(state_path("GHA") + "?format=jsonld").mimetype == "application/ld+json"
    assert client.get(state_path("GHA") + "?format=pdf").status_code == 400


def test_unknown_iris_are_404(client):
    r = client.get("/id/state/XXX")
    assert r.status_code == 404 and "text/html" in r.content_type
    r = client.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.mimetype == "text/plain"
    assert client.get("/report/no-such-report").status_code == 404


def test_entity_page_escapes_a_script_label(client):
    r = client.get(HOSTILE_AGREEMENT[len(V.ID) - 4:])
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert SCRIPT not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Treaty on Fisheries" in body


# ---------------------------------------------------------------- report pages

def test_report_page_highlights_each_fact(client, kg):
    r = client.get("/report/gha-nga-trade")
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    text = kg.report("gha-nga-trade").text
    assert body.count('<mark class="hl') >= 2
    # Each evidence start is an anchor, and the marked text is the report's own text.
    for e in kg.evidence("GHA"):
        if e.report == "gha-nga-trade":
            assert f'id="at-{e.start}"' in body
            assert text[e.start:e.end][:30] in body
    for kind in ("bilateral relation", "agreement", "event", "official"):
        assert kind in body  # the legend names each kind found
    data = body.split('id="report-facts">', 1)[1].split("</script>", 1)[0]
    facts = json.loads(data)
    assert facts and all(f["spans"] for f in facts.values())


def test_report_page_escapes_text_and_title(client):
    r = client.get(f"/report/{HOSTILE}")
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert SCRIPT not in body
    assert "Fisheries &lt;script&gt;alert(1)&lt;/script&gt; treaty" in body
    assert "the &lt;script&gt;alert(1)&lt;/script&gt; Treaty" in body
    # The facts' JSON for the page's script cannot close the script element either.
    assert "\\u003cscript\\u003e" in body


def test_highlight_segments_cover_the_text():
    facts = {"a": {"kind": "event", "spans": [(0, 5)]},
             "b": {"kind": "relation", "spans": [(3, 9)]}}
    segments = highlight("0123456789", facts)
    assert "".join(s["text"] for s in segments) == "0123456789"
    assert [(s["start"], s["end"], s["kind"]) for s in segments] == [
        (0, 3, "event"), (3, 5, "relation"), (5, 9, "relation"), (9, 10, None)]
    assert [s["anchor"] for s in segments] == [True, True, False, False]


# ---------------------------------------------------------------- query text

def test_query_text_binds_params(client):
    r = client.get("/api/query-text", query_string={"name": "state-relations", "state": "GHA"})
    assert r.status_code == 200 and 'VALUES (?state) { ("GHA") }' in r.json["text"]
    assert client.get("/api/query-text?name=state-relations").status_code == 400  # required
    assert client.get("/api/query-text?name=nope").status_code == 400


def test_the_query_page_loads_an_example_as_a_page_the_endpoint_reads_as_kg_pages_it(client,
                                                                                     kg):
    """The editor asks for an example with the page size (`limit`): the text is the listing's
    first page, which the endpoint recognises and answers as `kg query --limit` does (over a
    few report graphs, not the whole store sorted); the page size is in the page's config."""
    from kg import queries

    config = client.get("/query").get_data(as_text=True)
    assert '"pageSize": 50' in config
    for name, params in (("states", {}), ("state-relations", {"state": "GHA"})):
        r = client.get("/api/query-text", query_string={"name": name, "limit": 2, **params})
        assert r.status_code == 200, r.json
        text = r.json["text"]
        assert text == queries.load(name).paged(2).bind({k: [v] for k, v in params.items()})
        found = queries.recognise(text)
        assert found is not None and (found[0].name, found[2], found[3]) == (name, 2, None)
        got = client.post("/sparql", data={"query": text},
                          headers={"Accept": "application/sparql-results+json"})
        assert got.status_code == 200
        rows = [{k: v["value"] for k, v in b.items()} for b in got.json["results"]["bindings"]]
        assert len(rows) == 2
        assert rows == [{k: v for k, v in row.items() if v is not None}
                        for row in queries.iter_rows(queries.run(
                            kg.store, name, {k: [v] for k, v in params.items()}, limit=2))]
    for bad in ("-1", "x", "1.5"):
        r = client.get("/api/query-text", query_string={"name": "states", "limit": bad})
        assert r.status_code == 400 and "limit" in r.json["error"]


# ---------------------------------------------------------------- upload

UPLOAD_TEXT = ("ACCRA, July 2. President of Ghana Kwame Mensah received the Ambassador of "
               "Togo Kofi Agbo in Accra on July 1, 2024.")


def test_upload_form(client):
    r = client.get("/upload")
    assert r.status_code == 200 and 'name="text"' in r.get_data(as_text=True)


def test_upload_from_loopback_without_token(client, kg, monkeypatch):
    monkeypatch.delenv("KG_UPDATE_TOKEN", raising=False)
    # read (and cached) before the upload: both must show the new report after it
    before = client.get("/api/graph").json["counts"]["reports_total"]
    assert "/report/pasted-1" not in client.get("/").get_data(as_text=True)
    r = client.post("/upload", data={"id": "pasted-1", "text": UPLOAD_TEXT,
                                     "published": "2024-07-02", "title": "Pasted"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/report/pasted-1")
    assert kg.report("pasted-1").title == "Pasted"
    assert client.get("/report/pasted-1").status_code == 200
    assert client.get("/api/graph").json["counts"]["reports_total"] == before + 1
    assert "/report/pasted-1" in client.get("/").get_data(as_text=True)


def test_upload_a_file(client, kg, monkeypatch):
    import io

    monkeypatch.delenv("KG_UPDATE_TOKEN", raising=False)
    content = f"---\nid: uploaded-1\npublished: 2024-07-03\n---\n{UPLOAD_TEXT}\n".encode()
    r = client.post("/upload", data={"file": (io.BytesIO(content), "report.txt")},
                    content_type="multipart/form-data")
    assert r.status_code == 303 and r.headers["Location"].endswith("/report/uploaded-1")
    r = client.post("/upload", data={"file": (io.BytesIO(b"x"), "report.exe")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "unsupported file type" in r.get_data(as_text=True)


def test_upload_refusals_without_token(client, monkeypatch):
    monkeypatch.delenv("KG_UPDATE_TOKEN", raising=False)
    data = {"id": "remote-1", "text": UPLOAD_TEXT}
    r = client.post("/upload", data=data, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert r.status_code == 403 and "only from this machine" in r.get_data(as_text=True)
    r = client.post("/upload", data=data, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "another site" in r.get_data(as_text=True)
    r = client.post("/upload", data={"id": "empty-1", "text": "  "})
    assert r.status_code == 400


def test_upload_with_a_token(app, kg, monkeypatch):
    monkeypatch.setattr(state(app), "settings", state(app).settings.replace(update_token="s3cret"))
    client = app.test_client()
    data = {"id": "tokened-1", "text": UPLOAD_TEXT}
    assert 'name="token"' in client.get("/upload").get_data(as_text=True)
    assert client.post("/upload", data=data).status_code == 401
    assert client.post("/upload", data={**data, "token": "wrong"}).status_code == 401
    assert client.post("/upload", data=data,
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert kg.report("tokened-1") is None
    # From anywhere, with the token: as a header or as the form's field.
    r = client.post("/upload", data=data, headers={"Authorization": "Bearer s3cret"},
                    environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert r.status_code == 303 and kg.report("tokened-1") is not None
    r = client.post("/upload", data={**data, "id": "tokened-2", "token": "s3cret"})
    assert r.status_code == 303 and kg.report("tokened-2") is not None


def test_query_page_defaults_are_the_top_state_pair_and_its_first_report(app):
    """The query page's defaults, from the summary's largest counts and the top state's own
    reports (not the whole listings, nor every report id): the state and the pair in most
    reports, as states-summary and relations-summary count them (ties: the last code or
    relation, as before), and the first report (by id) naming that state."""
    from kg import queries as Q
    from kg.store import plain_rows
    from kg.web.views import query as query_views

    with app.test_request_context("/query"):
        store = viewer.current_store()
        got = query_views._param_defaults()
        states = plain_rows(Q.run(store, "states-summary"), integers=True)
        top = max(states, key=lambda r: (r["reports"], r["iso3"]))
        pairs = plain_rows(Q.run(store, "relations-summary"), integers=True)
        pair = max(pairs, key=lambda r: (r["reports"], r["relation"]))
        reports = sorted(r["report"] for r in plain_rows(store.query(
            "SELECT DISTINCT ?report WHERE { GRAPH ?g { ?r <https://schema.org/mentions> "
            f"<{top['state']}> ; <http://purl.org/dc/terms/identifier> ?report }} }}")))
    assert got == {"state": top["iso3"], "iso3": top["iso3"], "node": top["state"],
                   "a": pair["state_a"], "b": pair["state_b"], "relation": pair["relation"],
                   "report": reports[0]}
