"""kg.network views, kg.analytics and kg.exports, on a store built from five invented reports,
and on the dev corpus (../shared/corpus/dev), whose states view must have exactly the pairs
`kg query relations` lists.

The expected counts below are read off the report texts by hand: which pairs each report
relates, with what polarity, and which agreements, events and officials it names.
"""
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg import analytics, exports, network
from kg import vocabulary as V
from kg.ingest import ingest
from kg.store import Store

from helpers import write_report

REPO = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------- the reports

TALKS = ("Foreign Minister of Ghana Kwame Asante held talks with Foreign Minister of Nigeria "
         "Chinedu Okoro in Accra on February 13, 2024.")
MOU = ("A Memorandum of Understanding on Cross-Border Trade was signed in Accra on February 13, "
       "2024 by Ghana and Nigeria.")
PROTEST = ("Foreign Minister of Nigeria Chinedu Okoro condemned the closure of Nigerian traders' "
           "shops and accused Ghana of violating the ECOWAS protocol on free movement.")
ENVOY = "The High Commissioner of Nigeria to Ghana Ibrahim Bello was instructed to protest."
ECOWAS = ("ECOWAS Commission President Omar Touray urged Ghana and Nigeria to settle the dispute "
          "through dialogue.")
VISIT = "President of Togo Kossi Mensah paid an official visit to Nigeria on May 19, 2024."
RECEIVED = ("President of Nigeria Emeka Adeyemi received President Mensah and the two leaders "
            "discussed regional security and trade.")
ROADS = "Nigeria and Togo signed an Agreement on Road Transport in Abuja on May 19, 2024."
CALL = ("President of Chile Martina Rojas held a telephone conversation with President of Peru "
        "Diego Quispe on June 10, 2024.")
PRAISE = ("The two presidents praised the friendly relations between Chile and Peru and agreed "
          "to expand cooperation in mining and fisheries.")
FOLLOW_UP = ("Foreign Minister of Ghana Kwame Asante and Foreign Minister of Nigeria Chinedu "
             "Okoro met in Abuja on July 2, 2024 and agreed to reopen the traders' shops.")

REPORTS = {
    "gha-nga-trade": ("Ghana and Nigeria sign trade memorandum", "2024-02-14",
                      f"ACCRA, February 14. {TALKS}\n\n{MOU}\n\nThe ministers agreed to deepen "
                      f"cooperation in energy and transport."),
    "gha-nga-shops": ("Nigeria protests closure of traders' shops in Ghana", "2024-04-03",
                      f"ABUJA, April 3. {PROTEST}\n\n{ENVOY}\n\n{ECOWAS}"),
    "nga-tgo-visit": ("President of Togo visits Nigeria", "2024-05-20",
                      f"ABUJA, May 20. {VISIT}\n\n{RECEIVED}\n\n{ROADS}"),
    "chl-per-call": ("Chilean and Peruvian presidents hold phone call", "2024-06-11",
                     f"SANTIAGO, June 11. {CALL}\n\n{PRAISE}"),
    "gha-nga-reopen": ("Ghana and Nigeria agree to reopen shops", "2024-07-03",
                       f"ABUJA, July 3. {FOLLOW_UP}"),
}


def state(iso3):
    return V.state_iri(iso3)


def person(key):
    return V.person_iri(key)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for rid, (title, published, body) in REPORTS.items():
        write_report(folder, rid, body, title=title, published=published, source="Test Wire")
    s = Store.memory()
    summary = ingest([folder], s, progress=False)
    assert not summary.failed, summary.failed
    yield s
    s.close()


@pytest.fixture(scope="module")
def views(store):
    return {view: network.build(store, view) for view in network.VIEWS}


def body(rid):
    return REPORTS[rid][2]


# ---------------------------------------------------------------- the states view

def test_states_view_links_the_related_pairs(views):
    G = views["states"]
    assert isinstance(G, nx.Graph) and not G.is_directed() and G.graph["view"] == "states"
    assert {frozenset(e) for e in G.edges()} == {
        frozenset((state("GHA"), state("NGA"))), frozenset((state("NGA"), state("TGO"))),
        frozenset((state("CHL"), state("PER")))}
    assert set(G) == {state(c) for c in ("GHA", "NGA", "TGO", "CHL", "PER")}
    assert G.nodes[state("NGA")] == {"kind": "state", "label": "Nigeria", "iso3": "NGA",
                                     "reports": 4, "evidence": G.nodes[state("NGA")]["evidence"]}
    assert G.nodes[state("NGA")]["evidence"] >= 4


def test_states_view_edge_counts(views):
    G = views["states"]
    e = G.edges[state("GHA"), state("NGA")]
    # three reports relate them: trade (cooperative), shops (conflictual), reopen (cooperative)
    assert (e["reports"], e["relations"], e["cooperative"], e["conflictual"]) == (3, 3, 2, 1)
    assert e["polarity"] == "mixed"
    assert e["agreements"] == 2  # the memorandum, and the ECOWAS protocol said to be violated
    assert e["events"] >= 2      # the talks in Accra and the meeting in Abuja
    assert e["weight"] == e["relations"] + e["agreements"] + e["events"]
    assert (e["first"], e["last"]) == ("2024-02-14", "2024-07-03")
    assert e["relation"] == V.relation_iri("GHA", "NGA")
    assert e["label"] == "Ghana – Nigeria" and e["kind"] == "relation"
    assert e["evidence"] >= e["weight"]

    e = G.edges[state("CHL"), state("PER")]
    assert (e["reports"], e["relations"], e["cooperative"], e["conflictual"]) == (1, 1, 1, 0)
    assert (e["agreements"], e["events"], e["weight"]) == (0, 1, 2)  # the call
    assert e["polarity"] == "cooperative" and e["first"] == e["last"] == "2024-06-11"

    e = G.edges[state("NGA"), state("TGO")]
    assert (e["reports"], e["cooperative"], e["agreements"]) == (1, 1, 1)


def test_every_attribute_is_graphml_safe(views):
    for G in views.values():
        for _, data in G.nodes(data=True):
            assert data["kind"] and data["label"]
            assert all(isinstance(v, (str, int, float, bool)) for v in data.values()), data
        for *_, data in G.edges(data=True):
            assert all(isinstance(v, (str, int, float, bool)) for v in data.values()), data


def test_unknown_view(store):
    with pytest.raises(network.NetworkError, match="choose one of states, actors, full"):
        network.build(store, "people")


# ---------------------------------------------------------------- the actors view

def test_actors_view(views):
    G = views["actors"]
    okoro = G.nodes[person("chinedu-okoro")]
    # Okoro speaks in three reports: one post per report
    assert (okoro["kind"], okoro["label"], okoro["posts"], okoro["reports"]) == \
        ("person", "Chinedu Okoro", 3, 3)
    assert okoro["roles"] == "foreign_minister" and okoro["states"] == "NGA"
    assert (okoro["first"], okoro["last"]) == ("2024-02-14", "2024-07-03")
    posts = list(G.neighbors(person("chinedu-okoro")))
    assert len(posts) == 3
    for post in posts:
        assert G.nodes[post]["kind"] == "post" and G.nodes[post]["role"] == "foreign_minister"
        assert G.edges[person("chinedu-okoro"), post]["kind"] == "holds"
        assert G.edges[post, state("NGA")]["kind"] == "serves"

    (envoy_post,) = G.neighbors(person("ibrahim-bello"))
    assert G.nodes[envoy_post]["position"] == "High Commissioner of Nigeria to Ghana"
    assert G.nodes[envoy_post]["report"] == "gha-nga-shops"
    assert G.edges[envoy_post, state("GHA")]["kind"] == "accredited_to"
    assert G.edges[envoy_post, state("NGA")]["kind"] == "serves"

    (igo_post,) = G.neighbors(person("omar-touray"))
    (org,) = [n for n in G.neighbors(igo_post) if n != person("omar-touray")]
    assert G.nodes[org]["kind"] == "organization" and "ECOWAS" in G.nodes[org]["label"]
    assert {k for _, k in G.nodes(data="kind")} == {"person", "post", "state", "organization"}


# ---------------------------------------------------------------- the full view

def test_full_view(views):
    G = views["full"]
    assert isinstance(G, nx.MultiDiGraph)
    kinds = {k for _, k in G.nodes(data="kind")}
    assert kinds == {"state", "person", "post", "organization", "agreement", "event",
                     "relation", "report"}
    rel = V.relation_iri("GHA", "NGA")
    assert G.nodes[rel]["reports"] == 3
    assert (G.nodes[rel]["cooperative"], G.nodes[rel]["conflictual"]) == (2, 1)
    assert G.has_edge(rel, state("GHA"), key="between")
    assert G.edges[rel, state("GHA"), "between"]["reports"] == 3
    (mou,) = [n for n, k in G.nodes(data="kind") if k == "agreement" and "Memorandum" in
              G.nodes[n]["label"]]
    assert G.nodes[mou]["code"] == "memorandum" and G.nodes[mou]["status"] == "signed"
    assert G.nodes[mou]["date"] == "2024-02-13"
    assert G.has_edge(mou, state("NGA"), key="party")
    report = V.report_iri("gha-nga-trade")
    assert G.nodes[report]["kind"] == "report" and G.nodes[report]["date"] == "2024-02-14"
    assert G.has_edge(report, mou, key="states") and G.has_edge(report, state("GHA"),
                                                                 key="mentions")
    # every fact is stated by a report, and links to at least one entity
    for n, kind in G.nodes(data="kind"):
        if kind in network.FACT_KINDS:
            assert any(G.nodes[u]["kind"] == "report" for u in G.predecessors(n)), n
            assert G.out_degree(n) >= 1, n


# ---------------------------------------------------------------- a few reports of a store

def graph_of(rid):
    return V.graph_iri(rid)


def test_select_reports_by_state_node_and_period(store):
    latest = [r.graph for r in network.select_reports(store)]
    # every report, the latest first (by the latest date each gives)
    assert latest == [graph_of(r) for r in ("gha-nga-reopen", "chl-per-call", "nga-tgo-visit",
                                            "gha-nga-shops", "gha-nga-trade")]
    naming = [r.graph for r in network.select_reports(store, states=["tgo", "PER"])]
    assert naming == [graph_of("chl-per-call"), graph_of("nga-tgo-visit")]
    stating = {r.graph for r in network.select_reports(store, node=person("kwame-asante"))}
    assert stating == {graph_of("gha-nga-trade"), graph_of("gha-nga-reopen")}
    # The trade report's facts are dated 2024-02-13, its publication 2024-02-14.
    (trade,) = [r for r in network.select_reports(store, states=["GHA"], until="2024-03")]
    assert (trade.graph, trade.first, trade.last) == (graph_of("gha-nga-trade"), "2024-02-13",
                                                      "2024-02-14")
    assert [r.graph for r in network.select_reports(store, since="2024-02-14",
                                                    until="2024-02-14")] == [trade.graph]
    assert network.select_reports(store, states=["GHA"], since="2025") == []


def test_a_report_giving_no_date_is_in_every_scope_without_a_period():
    from test_store import report_graph  # a hand-built report graph with no date at all

    with Store.memory() as s:
        s.replace_report("undated", report_graph("undated", states=("FRA", "DEU")))
        (only,) = network.select_reports(s, states=["FRA"])
        assert (only.graph, only.first, only.last) == (graph_of("undated"), None, None)
        assert network.select_reports(s) == [only]
        assert network.select_reports(s, states=["FRA"], since="2020") == []


def test_a_view_of_some_reports_holds_only_their_facts(store, views):
    chosen = [graph_of("nga-tgo-visit"), graph_of("chl-per-call")]
    G = network.build(store, "full", reports=chosen)
    reports = {n for n, k in G.nodes(data="kind") if k == "report"}
    assert reports == {V.report_iri("nga-tgo-visit"), V.report_iri("chl-per-call")}
    assert state("GHA") not in G and state("TGO") in G and state("PER") in G
    # The nodes are those of the whole view that these reports state, with their counts
    # over these reports: four reports name Nigeria, one of the two chosen does.
    assert set(G) <= set(views["full"])
    assert views["full"].nodes[state("NGA")]["reports"] == 4
    assert G.nodes[state("NGA")]["reports"] == 1
    # The store itself is untouched, and an empty choice gives an empty graph.
    assert network.build(store, "states", reports=[]).number_of_nodes() == 0
    assert len(network.select_reports(store)) == len(REPORTS)


def test_find_node(views):
    G = views["states"]
    assert network.find_node(G, "nga") == state("NGA")
    assert network.find_node(G, "Togo") == state("TGO")
    assert network.find_node(G, state("PER")) == state("PER")
    with pytest.raises(network.NetworkError, match="no node 'Atlantis'"):
        network.find_node(G, "Atlantis")


# ---------------------------------------------------------------- analytics

def test_central_states(views):
    G = views["states"]
    top = analytics.central_states(G, k=2)
    assert top[0].iso3 == "NGA" and len(top) == 2  # Nigeria links Ghana and Togo
    assert top[0].partners == 2 and top[0].label == "Nigeria"
    assert top[0].weight == sum(d["weight"] for *_, d in G.edges(state("NGA"), data=True))
    for measure in analytics.MEASURES:
        ranked = analytics.central_states(G, k=10, measure=measure)
        assert ranked[0].iso3 == "NGA", measure
        assert len(ranked) == 5
    with pytest.raises(network.NetworkError, match="unknown measure"):
        analytics.central_states(G, measure="fame")


def test_pagerank_matches_networkx_definition(views):
    G = views["states"]
    ranks = analytics.pagerank(G)
    assert sum(ranks.values()) == pytest.approx(1.0)
    # a symmetric pair gets equal rank, and the hub of a path the most
    assert ranks[state("CHL")] == pytest.approx(ranks[state("PER")])
    path = nx.path_graph(3)
    pr = analytics.pagerank(path, weight=None)
    assert pr[1] > pr[0] == pytest.approx(pr[2])
    # the values networkx's own pure-Python PageRank gives on the same graph
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
    expected = _pagerank_python(G, weight="weight", tol=1e-13, max_iter=1000)
    for node, value in expected.items():
        assert ranks[node] == pytest.approx(value, abs=1e-8)


def test_central_officials(views):
    top = analytics.central_officials(views["actors"], k=3)
    assert top[0].node == person("chinedu-okoro")  # three posts, the most
    assert top[0].posts == 3 and top[0].states == ["NGA"] and top[0].roles == ["foreign_minister"]
    by_degree = analytics.central_officials(views["actors"], k=1, measure="degree")
    assert by_degree[0].label == "Chinedu Okoro"


def test_communities(views):
    found = analytics.communities(views["states"])
    assert sorted(c.states for c in found) == [["CHL", "PER"], ["GHA", "NGA", "TGO"]]
    assert found[0].states == ["GHA", "NGA", "TGO"]  # largest first
    assert found[0].labels == ["Ghana", "Nigeria", "Togo"]
    assert found == analytics.communities(views["states"])  # the seed is fixed


def test_ego(views):
    H = analytics.ego(views["states"], "GHA")
    assert set(H) == {state("GHA"), state("NGA")}
    assert H.graph["center"] == state("GHA")
    assert set(analytics.ego(views["states"], "GHA", radius=2)) == {
        state("GHA"), state("NGA"), state("TGO")}
    H = analytics.ego(views["full"], "Chinedu Okoro")
    assert {H.nodes[n]["kind"] for n in H} >= {"person", "post", "event"}
    assert H.nodes[person("chinedu-okoro")]["label"] == "Chinedu Okoro"


def test_chain_links_a_person_to_a_state(store, views):
    result = analytics.chain(store, person("kwame-asante"), "TGO")
    assert result is not None
    assert result.nodes[0] == person("kwame-asante") and result.nodes[-1] == state("TGO")
    G = views["full"]
    for link in result.links:
        assert link.kind in network.FACT_KINDS and G.nodes[link.fact]["kind"] == link.kind
        i = result.nodes.index(link.fact)
        assert (result.nodes[i - 1], result.nodes[i + 1]) == (link.source, link.target)
        assert link.evidence, link
        for ev in link.evidence:
            # each sentence is where the report's text says it is
            assert body(ev.report)[ev.start:ev.end] == ev.sentence
    # entities and facts alternate, so a chain of n facts has 2n+1 nodes
    assert len(result.nodes) == 2 * len(result.links) + 1
    # the last fact links Nigeria and Togo: the visit, the reception, the road agreement or
    # their relation, all of the Togo report
    assert result.links[-1].source == state("NGA") or G.has_edge(
        result.links[-1].fact, state("NGA"))
    assert {ev.report for ev in result.links[-1].evidence} == {"nga-tgo-visit"}


def test_chain_from_a_built_graph_and_none(store, views):
    G = views["full"]
    without = analytics.chain(G, "GHA", "NGA")
    assert len(without) == 1 and without.links[0].evidence == []
    withev = analytics.chain(G, "GHA", "NGA", store=store)
    assert withev.nodes == without.nodes and withev.links[0].evidence
    assert analytics.chain(G, "GHA", "CHL") is None  # two separate worlds


def test_pair_timeline(store):
    months = analytics.pair_timeline(store, "NGA", "GHA")
    assert [(m.month, m.cooperative, m.conflictual) for m in months] == [
        ("2024-02", 1, 0), ("2024-04", 0, 1), ("2024-07", 1, 0)]
    filled = analytics.pair_timeline(store, state("GHA"), state("NGA"), fill=True)
    assert [m.month for m in filled] == ["2024-02", "2024-03", "2024-04", "2024-05",
                                         "2024-06", "2024-07"]
    assert [m.total for m in filled] == [1, 0, 1, 0, 0, 1]
    assert analytics.pair_timeline(store, "CHL", "GHA") == []


# ---------------------------------------------------------------- exports

@pytest.mark.parametrize("view", network.VIEWS)
def test_graphml_and_gexf_parse_back(views, tmp_path, view):
    G = views[view]
    exports.to_graphml(G, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert set(back) == set(G) and back.number_of_edges() == G.number_of_edges()
    assert back.is_directed() == G.is_directed()
    node = next(iter(G))
    assert back.nodes[node] == G.nodes[node]

    exports.to_gexf(G, tmp_path / "g.gexf")
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert set(back) == set(G) and back.number_of_edges() == G.number_of_edges()
    assert back.nodes[node]["label"] == G.nodes[node]["label"]
    assert back.nodes[node]["kind"] == G.nodes[node]["kind"]


def test_gexf_keeps_the_states_weights(views):
    data = exports.to_bytes(views["states"], "gexf")
    back = nx.read_gexf(io.BytesIO(data))
    e = back.edges[state("GHA"), state("NGA")]
    assert e["weight"] == views["states"].edges[state("GHA"), state("NGA")]["weight"]
    assert e["polarity"] == "mixed"


def test_cytoscape_json(views):
    data = json.loads(json.dumps(exports.to_cytoscape(views["states"])))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert {n["data"]["id"] for n in nodes} == set(views["states"])
    (ngha,) = [e["data"] for e in edges
               if {e["data"]["source"], e["data"]["target"]} == {state("GHA"), state("NGA")}]
    assert ngha["cooperative"] == 2 and ngha["conflictual"] == 1
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    full = exports.to_cytoscape(views["full"])
    assert full["directed"] and full["multigraph"] and full["data"]["view"] == "full"
    assert len({e["data"]["id"] for e in full["elements"]["edges"]}) == \
        views["full"].number_of_edges()


def test_export_from_python(store, tmp_path):
    exports.export(store, "graphml", tmp_path / "s.graphml", view="states")
    assert nx.read_graphml(tmp_path / "s.graphml").number_of_edges() == 3
    buffer = io.BytesIO()
    exports.export(store, "nquads", buffer)
    assert b"<https://bilateral-kg.org/graph/report/gha-nga-trade>" in buffer.getvalue()
    with pytest.raises(ValueError, match="unknown export format"):
        exports.export(store, "dot", buffer)


# ---------------------------------------------------------------- the command line

def kg(*args):
    done = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, store):
    """The same reports in an on-disk store, for the command line."""
    folder = tmp_path_factory.mktemp("reports-cli")
    for rid, (title, published, text) in REPORTS.items():
        write_report(folder, rid, text, title=title, published=published)
    path = tmp_path_factory.mktemp("kg")
    with Store.open(path) as s:
        assert not ingest([folder], s, progress=False).failed
    return path


def test_cli_export_cytoscape(store_dir):
    data = json.loads(kg("export", "--format", "cytoscape", "--view", "states",
                         "--store", store_dir))
    assert {frozenset((e["data"]["source"], e["data"]["target"]))
            for e in data["elements"]["edges"]} == {
        frozenset((state("GHA"), state("NGA"))), frozenset((state("NGA"), state("TGO"))),
        frozenset((state("CHL"), state("PER")))}
    full = json.loads(kg("export", "--format", "cytoscape", "--store", store_dir))
    assert full["data"]["view"] == "full"  # the default view


@pytest.mark.slow
def test_cli_export_graphml_gexf_and_rdf(store_dir, tmp_path):
    kg("export", "--format", "graphml", "--view", "actors", "--output",
       tmp_path / "a.graphml", "--store", store_dir)
    assert person("chinedu-okoro") in nx.read_graphml(tmp_path / "a.graphml")
    kg("export", "--format", "gexf", "-o", tmp_path / "f.gexf", "--store", store_dir)
    assert nx.read_gexf(tmp_path / "f.gexf").is_directed()
    assert "<https://bilateral-kg.org/graph/report/" in kg("export", "--format", "trig",
                                                           "--store", store_dir)
    helptext = kg("export", "--help")
    for word in ("turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "cytoscape",
                 "--view"):
        assert word in helptext


# ---------------------------------------------------------------- the dev corpus

# dev_store: tests/conftest.py (read-only)

def test_dev_states_view_has_the_pairs_relations_lists(dev_store):
    out = kg("query", "relations", "--format", "csv", "--store", dev_store)
    listed = {(row["state_a"], row["state_b"]) for row in csv.DictReader(io.StringIO(out))}
    assert listed, "the dev corpus relates some pairs"
    with Store.open(dev_store) as s:
        G = network.build(s, "states")
        reports = {}
        for row in csv.DictReader(io.StringIO(out)):
            reports.setdefault((row["state_a"], row["state_b"]), set()).add(row["report"])
    edges = {tuple(sorted(G.nodes[n]["iso3"] for n in e)) for e in G.edges()}
    assert edges == listed
    for (a, b), rids in reports.items():
        assert G.edges[state(a), state(b)]["relations"] == len(rids)


def test_dev_views_analytics_and_exports(dev_store, tmp_path):
    with Store.open(dev_store) as s:
        S, A, F = (network.build(s, v) for v in network.VIEWS)
        assert analytics.central_states(S, 1)[0].iso3 == "AZE"  # in 5 of the 13 reports
        assert analytics.central_officials(A, 5)
        assert any("AZE" in c.states for c in analytics.communities(S))
        chain = analytics.chain(s, "TKM", "ARM")
        assert chain and all(link.evidence for link in chain.links)
        assert analytics.pair_timeline(s, "ARM", "AZE")
    for G in (S, A, F):
        exports.to_graphml(G, tmp_path / "g.graphml")
        exports.to_gexf(G, tmp_path / "g.gexf")
        assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == len(G)
        assert nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == G.number_of_edges()


def test_dev_pair_timeline_agrees_with_pair_history(dev_store):
    """pair_timeline reads the relation node directly; it must count what pair-history.rq
    counts, for every related pair of the dev corpus."""
    from kg import queries

    with Store.open(dev_store) as s:
        S = network.build(s, "states")
        for u, v in S.edges():
            a, b = S.nodes[u]["iso3"], S.nodes[v]["iso3"]
            expected = [(r["month"].value, int(r["cooperative"].value),
                         int(r["conflictual"].value))
                        for r in queries.run(s, "pair-history", {"a": [a], "b": [b]})]
            got = [(m.month, m.cooperative, m.conflictual)
                   for m in analytics.pair_timeline(s, b, a)]
            assert got == expected, (a, b)


@pytest.mark.parametrize("a, b", [
    (person("kwame-asante"), "TGO"), ("GHA", "NGA"), ("Chinedu Okoro", "Kossi Mensah"),
    ("TGO", "Kwame Asante"), ("GHA", "CHL")])
def test_chain_from_the_store_matches_the_full_view(store, views, a, b):
    """chain(store, ...) searches the store without building the full view; it must find a
    path as short as the one in the built view (the same path: both search alike), with the
    same kinds, labels and evidence."""
    from_store = analytics.chain(store, a, b)
    from_view = analytics.chain(views["full"], a, b, store=store)
    if from_view is None:
        assert from_store is None
        return
    assert len(from_store.nodes) == len(from_view.nodes)
    assert len(from_store) == len(from_view)
    assert from_store == from_view


def test_chain_from_the_store_rejects_unknown_nodes_and_reports(store):
    with pytest.raises(network.NetworkError):
        analytics.chain(store, "No Such Person", "GHA")
    with pytest.raises(network.NetworkError, match="is a report"):
        analytics.chain(store, V.report_iri("gha-nga-trade"), "GHA")
