"""The summary graph (kg/summaries.py): kept at write time, equal to a rebuild from the report
graphs after adds, replacements and removals, on the embedded store and on Virtuoso; and the
queries that read it give the rows the old whole-store queries gave."""
from __future__ import annotations

import dataclasses
import datetime
import functools
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import queries as Q
from kg import summaries
from kg.facts import Agreement, Event, Evidence, Extraction, Relation, StateMention
from kg.mapping import report_graph
from kg.reports import Report
from kg.store import OxigraphStore, Store, ox_term, plain_rows
from helpers import QuerySpy
from kg_server import kg_serve
from test_remote_store import cleared_virtuoso_store, remote_env, virtuoso_env  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
STATES = ["AZE", "TKM", "ARM", "POL", "LTU", "GEO", "TUR", "IRN"]
SUMMARY = ox.NamedNode(summaries.SUMMARY_GRAPH)

# The aggregating queries as they were before the summaries: the rows the new ones must give.
OLD_STATES_SUMMARY = """PREFIX bkg: <https://bilateral-kg.org/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?state ?iso3 ?name ?reports ?partners ?first ?last WHERE {
  { SELECT ?state (COUNT(DISTINCT ?r) AS ?reports) (MIN(?published) AS ?first)
           (MAX(?published) AS ?last) WHERE {
      GRAPH ?g { ?r a bkg:Report ; schema:mentions ?state . OPTIONAL { ?r dct:date ?published } }
    } GROUP BY ?state }
  ?state bkg:iso3 ?iso3 .
  OPTIONAL { SELECT ?state (SAMPLE(?label) AS ?name) WHERE {
      GRAPH ?lg { ?state bkg:iso3 [] ; rdfs:label ?label } } GROUP BY ?state }
  OPTIONAL { SELECT ?state (COUNT(DISTINCT ?partner) AS ?partnerCount) WHERE {
      GRAPH ?rg { ?relation a bkg:BilateralRelation ; bkg:between ?state, ?partner .
                  FILTER(?partner != ?state) } } GROUP BY ?state }
  BIND(COALESCE(?partnerCount, 0) AS ?partners)
}
ORDER BY ?iso3"""

OLD_RELATIONS_SUMMARY = """# param state (iso3): a state
PREFIX bkg: <https://bilateral-kg.org/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX pol: <https://bilateral-kg.org/ontology/polarity/>
SELECT DISTINCT ?relation ?state_a ?state_b ?cooperative ?conflictual ?reports ?first ?last WHERE {
  { SELECT ?relation ?state_a ?state_b
           (SUM(IF(?polarity = pol:cooperative, 1, 0)) AS ?cooperative)
           (SUM(IF(?polarity = pol:conflictual, 1, 0)) AS ?conflictual)
           (COUNT(DISTINCT ?r) AS ?reports) (MIN(?published) AS ?first)
           (MAX(?published) AS ?last) ?state WHERE {
      { SELECT DISTINCT ?relation ?state WHERE {
          { SELECT DISTINCT ?s ?state WHERE { ?s bkg:iso3 ?state . } }
          ?relation bkg:between ?s . } }
      GRAPH ?g {
        ?r a bkg:Report .
        ?relation a bkg:BilateralRelation ; bkg:between ?a, ?b ; bkg:polarity ?polarity .
        ?a bkg:iso3 ?state_a .
        ?b bkg:iso3 ?state_b .
      }
      FILTER(STR(?state_a) < STR(?state_b))
      OPTIONAL { GRAPH ?g { ?r dct:date ?published } }
    } GROUP BY ?relation ?state_a ?state_b ?state
  }
}
ORDER BY ?state_a ?state_b"""

OLD_STATE_LABELS = """PREFIX bkg: <https://bilateral-kg.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?iso3 ?label (COUNT(DISTINCT ?g) AS ?n) WHERE {
  GRAPH ?g { ?state bkg:iso3 ?iso3 . OPTIONAL { ?state rdfs:label ?label } }
  # Not the summary graph's own nodes: they use none of these properties.
  FILTER(STRSTARTS(STR(?g), "https://bilateral-kg.org/graph/report/"))
}
GROUP BY ?state ?iso3 ?label"""


def made_report(rng: random.Random, rid: str, undated: float = 0.2) -> tuple[str, object]:
    """A report graph through kg.mapping, as ingest writes it: 1-4 states, relations of
    either or both polarities, a publication date or (one time in 1 / `undated`) none."""
    states = rng.sample(STATES, rng.randint(1, 4))
    sentences, x = [], Extraction()

    def say(text: str) -> list[Evidence]:
        start = sum(len(s) + 1 for s in sentences)
        sentences.append(text)
        return [Evidence(start, start + len(text))]

    for s in states:
        x.states.append(StateMention(s, say(f"{s} was named.")))
    for a, b in zip(states, states[1:]):
        polarities = rng.choice([{"cooperative"}, {"conflictual"},
                                 {"cooperative", "conflictual"}])
        x.relations.append(Relation(states=tuple(sorted((a, b))), polarities=polarities,
                                    evidence=say(f"{a} and {b} talked.")))
    # Agreements and events, dated or not (the digests' least dates), from a generator of
    # their own: `rng`'s draws, and so the other facts, are those of before.
    more = random.Random(f"{rid}/{states}")
    for n in range(more.randint(0, 2)):
        x.agreements.append(Agreement(
            title=f"Agreement {n} of {rid}", kind="agreement", status="signed",
            parties=states[:2], date=more.choice([None, "2019", "2019-03", "2019-03-07"]),
            evidence=say(f"An agreement {n} was signed.")))
    for n in range(more.randint(0, 2)):
        x.events.append(Event(kind="meeting", participants=states[:2],
                              date=more.choice([None, "2020-01", "2020-01-02", "2018"]),
                              evidence=say(f"A meeting {n} was held.")))
    day = (None if rng.random() < undated else
           datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(60)))
    text = " ".join(sentences)
    report = Report(id=rid, text=text, published=day, title=f"Report {rid}",
                    source=rng.choice(["Wire", None]), content_hash=str(rng.random()))
    return rid, report_graph(report, x)


def summary_quads(store: Store) -> list[str]:
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None, SUMMARY))


def rebuilt_quads(store: Store) -> list[str]:
    total, _ = store.rebuilt_summary()
    return sorted(str(ox.Quad(t.subject, t.predicate, t.object, SUMMARY))
                  for t in [*total.triples(), summaries.marker().triple])


def write_sequence(store: Store, check, undated: float = 0.2) -> None:
    """Adds, batches, replacements (same ids, other facts), removals, and Graph Store writes
    to report graphs; `check()` after each step."""
    rng = random.Random(18)
    made = functools.partial(made_report, undated=undated)
    store.replace_reports(made(rng, f"r{i}") for i in range(12))
    check()
    store.replace_reports([made(rng, f"r{i}") for i in (2, 3, 20)])  # 2 replaced, 1 new
    check()
    store.replace_report(*made(rng, "r5"))
    check()
    assert store.remove_report("r3")
    assert not store.remove_report("r3")
    check()
    for i in range(12):   # every state's count, date and partner rises and falls
        if i % 3:
            store.remove_report(f"r{i}")
    check()
    rid, graph = made(rng, "gsp")
    triples = [ox.Triple(*(ox_term(t) for t in spo)) for spo in graph]
    store.put_graph(summaries.V.graph_iri(rid), triples)
    check()
    # A Graph Store POST to a report graph: the merged graph's contribution replaces its old.
    turkey = ox.NamedNode(summaries.V.state_iri("TUR"))
    store.add_to_graph(summaries.V.graph_iri(rid), [
        ox.Triple(ox.NamedNode(summaries.V.report_iri(rid)), summaries.MENTIONS, turkey),
        ox.Triple(turkey, summaries.RDF_TYPE, ox.NamedNode(str(summaries.V.BKG.State))),
        ox.Triple(turkey, ox.NamedNode(str(summaries.V.BKG.iso3)), ox.Literal("TUR"))])
    check()
    assert store.delete_graph(summaries.V.graph_iri(rid))
    check()
    store.replace_reports(made(rng, f"r{i}") for i in range(30, 40))
    check()


DIGEST_KEYS = f"""PREFIX bkg: <https://bilateral-kg.org/ontology#>
SELECT ?g ?p ?key WHERE {{ GRAPH <{summaries.SUMMARY_GRAPH}> {{
  VALUES ?p {{ bkg:reportIdPart1 bkg:reportIdPart2 bkg:earliestAgreementDate
              bkg:earliestEventDate }}
  ?digest bkg:digestOf ?g ; ?p ?key }} }}"""
# Each report graph's least date of the rows of agreements-by-state and events-by-state
# ("~" for an undated one), read from the graph itself.
LEAST_DATES = """PREFIX bkg: <https://bilateral-kg.org/ontology#>
SELECT ?g ?p (MIN(COALESCE(STR(?date), "~")) AS ?key) WHERE {
  GRAPH ?g {
    VALUES (?class ?dated ?p) {
      (bkg:Agreement bkg:signedOn bkg:earliestAgreementDate)
      (bkg:Event bkg:date bkg:earliestEventDate) }
    ?r a bkg:Report . ?fact a ?class . OPTIONAL { ?fact ?dated ?date } }
} GROUP BY ?g ?p"""


def digest_keys(store: Store) -> tuple[dict, dict]:
    """(kept, expected): (graph, property) -> the digests' id keys and least agreement and
    event dates as kept, and as the report graphs give them (the id's bytes 0-15 and 15-30,
    cut to whole characters; each graph's least date of its agreements and of its events)."""
    kept = {(r["g"], r["p"].rsplit("#", 1)[1]): r["key"]
            for r in plain_rows(store.query(DIGEST_KEYS))}
    expected = {(r["g"], r["p"].rsplit("#", 1)[1]): r["key"]
                for r in plain_rows(store.query(LEAST_DATES))}
    for g in {r["g"] for r in plain_rows(store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a <https://bilateral-kg.org/ontology#Report> "
            "} }"))}:
        rid = summaries.V.report_of_graph(g)
        assert rid.isascii() and "~" not in rid   # so its keys are its bytes 0-15 and 15-30
        expected[(g, "reportIdPart1")], expected[(g, "reportIdPart2")] = rid[:15], rid[15:30]
    return kept, expected


def test_kept_summary_equals_a_rebuild_after_every_kind_of_write():
    """The whole summary graph, and in it each digest's id keys and least agreement and event
    dates, as they should be, after adds, replacements, removals and Graph Store writes."""
    store = Store.memory()
    assert store.summaries_current()
    steps, keyed = [], []

    def check():
        kept = summary_quads(store)
        assert kept == rebuilt_quads(store)
        steps.append(len(kept))
        keys, expected = digest_keys(store)
        assert keys == expected
        keyed.append({p for _, p in keys})
    write_sequence(store, check)
    assert len(steps) == 9 and min(steps) > 1   # the summaries were not empty along the way
    assert {"reportIdPart1", "reportIdPart2", "earliestAgreementDate",
            "earliestEventDate"} <= set().union(*keyed)


def kept_evidence(store: Store) -> dict[str, int]:
    rows = plain_rows(store.query(f"""PREFIX bkg: <https://bilateral-kg.org/ontology#>
        SELECT ?node ?n WHERE {{ GRAPH <{summaries.SUMMARY_GRAPH}> {{
          ?o <http://purl.org/linked-data/cube#dataSet> <{summaries.DATASETS['evidence'].value}> ;
             bkg:aboutNode ?node ; bkg:reportCount ?n }} }}"""), integers=True)
    return {r["node"]: r["n"] for r in rows}


def test_kept_evidence_counts_are_the_evidence_listings_after_every_kind_of_write():
    """The evidence observations (the entity pages' and /api/node's totals) count what
    network-evidence-reports counts of queries/evidence.rq's rows, for every state and
    relation and agreement, after adds, replacements, removals and Graph Store writes."""
    store = Store.memory()
    seen = []

    def check():
        kept = kept_evidence(store)
        nodes = [summaries.V.state_iri(s) for s in STATES] + [
            r["node"] for r in plain_rows(store.query(
                "SELECT DISTINCT ?node WHERE { VALUES ?class { "
                "<https://bilateral-kg.org/ontology#BilateralRelation> "
                "<https://bilateral-kg.org/ontology#Agreement> } GRAPH ?g { ?node a ?class } }"))]
        for node in nodes:
            counted = plain_rows(Q.run(store, "network-evidence-reports", {"node": [node]}),
                                 integers=True)
            assert kept.get(node, 0) == sum(r["sentences"] for r in counted), node
        assert set(kept) <= set(nodes)
        seen.append(sum(kept.values()))
    write_sequence(store, check)
    assert len(seen) == 9 and min(seen) > 0


def test_a_users_sparql_updates_keep_the_summaries():
    """Updates through the endpoint (Store.user_update): INSERT DATA into a report graph
    named by IRI, DELETE WHERE over one, DROP of one, one reaching graphs it does not name
    (GRAPH ?g: the whole summary rebuilt), one that fails (nothing changes, the summaries are
    still current) and one touching no report graph."""
    store = Store.memory()
    rng = random.Random(7)
    store.replace_reports(made_report(rng, f"u{i}") for i in range(6))

    def check():
        assert store.summaries_current()
        assert summary_quads(store) == rebuilt_quads(store)

    def graph_of(rid):
        return summaries.V.graph_iri(rid)

    rid, graph = made_report(rng, "u-new")
    body = " .\n".join(str(ox.Triple(*(ox_term(t) for t in spo))) for spo in graph)
    store.user_update(f"INSERT DATA {{ GRAPH <{graph_of(rid)}> {{ {body} . }} }}")
    check()
    assert store.report_ids().count("u-new") == 1
    store.user_update(f"DELETE WHERE {{ GRAPH <{graph_of('u1')}> {{ ?r "
                      f"<{summaries.MENTIONS.value}> ?s }} }}")
    check()
    store.user_update(f"DROP GRAPH <{graph_of('u2')}>")
    check()
    store.user_update(f"DELETE {{ GRAPH ?g {{ ?x <{summaries.MENTIONS.value}> ?s }} }} "
                      f"WHERE {{ GRAPH ?g {{ ?x <{summaries.MENTIONS.value}> ?s }} "
                      f"FILTER(STRENDS(STR(?g), 'u3')) }}")
    check()
    with pytest.raises(SyntaxError):
        store.user_update(f"DROP GRAPH <{graph_of('u4')}> ; NOT SPARQL")
    check()
    store.user_update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> "
                      "<http://example.org/p> 1 } }")
    check()


def test_a_count_falling_to_zero_removes_its_observations():
    store = Store.memory()
    store.replace_report(*made_report(random.Random(1), "only"))
    assert len(summary_quads(store)) > 10
    store.remove_report("only")
    # Nothing but the marker is left: no observation with a count of 0.
    assert summary_quads(store) == [str(summaries.marker())]


def test_contribution_is_a_function_of_the_graph_alone():
    rid, graph = made_report(random.Random(3), "same")
    triples = [ox.Triple(*(ox_term(t) for t in spo)) for spo in graph]
    first = summaries.contribution(summaries.V.graph_iri(rid), triples)
    again = summaries.contribution(summaries.V.graph_iri(rid), list(reversed(triples)))
    assert first.counts == again.counts and first.digests == again.digests
    assert sum(first.counts.values()) > 0


def _rows(store, name_or_text, params=None):
    if name_or_text.lstrip().startswith(("PREFIX", "#", "SELECT")):
        query = dataclasses.replace(Q.load("relations-summary"), text=name_or_text)
    else:
        query = Q.load(name_or_text)
    rows = plain_rows(Q.run(store, query, params or {}))
    return sorted(rows, key=lambda r: sorted((k, str(v)) for k, v in r.items()))


@pytest.mark.parametrize("name, old", [("states-summary", OLD_STATES_SUMMARY),
                                       ("relations-summary", OLD_RELATIONS_SUMMARY),
                                       ("network-pairs", OLD_RELATIONS_SUMMARY),
                                       ("network-state-labels", OLD_STATE_LABELS)])
def test_summary_queries_give_the_old_queries_rows(name, old):
    """Every report dated: where one is not, the old queries' MIN and MAX over its unbound
    date were an error on Oxigraph, so first and last came out empty for every state and pair
    it named (test_first_and_last_are_the_dated_reports')."""
    store = Store.memory()
    checked = []

    def check():
        for params in ([{}, {"state": ["POL"]}, {"state": ["ARM"]}]
                       if name == "relations-summary" else [{}]):
            new_rows = _rows(store, name, params)
            assert new_rows == _rows(store, old, params), (name, params)
            checked.append(len(new_rows))
    write_sequence(store, check, undated=0)
    assert sum(checked) > 20


def test_first_and_last_are_the_dated_reports():
    store = Store.memory()
    rng = random.Random(2)
    dated = [made_report(rng, f"d{i}", undated=0) for i in range(6)]
    store.replace_reports(dated)
    before = {r["iso3"]: (r["first"], r["last"]) for r in _rows(store, "states-summary")}
    pairs = {(r["state_a"], r["state_b"]): (r["first"], r["last"], r["reports"])
             for r in _rows(store, "relations-summary")}
    # An undated report naming every state: counted, but no date to move first or last.
    graph = made_report(rng, "undated", undated=1)[1]
    store.replace_report("undated", graph)
    after = {r["iso3"]: (r["first"], r["last"]) for r in _rows(store, "states-summary")}
    assert all(after[code] == span for code, span in before.items() if code in after)
    assert any(v[0] for v in after.values())
    for r in _rows(store, "relations-summary"):
        if (r["state_a"], r["state_b"]) in pairs:
            first, last, _ = pairs[r["state_a"], r["state_b"]]
            assert (r["first"], r["last"]) == (first, last)


def test_an_older_store_gets_its_summaries_when_opened(tmp_path, capsys):
    store = Store.open(tmp_path / "s")
    rng = random.Random(5)
    store.replace_reports(made_report(rng, f"r{i}") for i in range(5))
    expected = summary_quads(store)
    # As an older kg left it: no summary graph.
    store.ox.remove_graph(SUMMARY)
    assert not store.summaries_current()
    store.close()
    read_only = OxigraphStore.open_read_only(tmp_path / "s")
    assert not read_only.summaries_current()  # a snapshot cannot build them
    read_only.close()
    again = Store.open(tmp_path / "s")
    assert again.rebuilt_on_open == 5
    assert "building its summaries" in capsys.readouterr().err
    assert summary_quads(again) == expected
    again.close()
    reopened = Store.open(tmp_path / "s")
    assert reopened.rebuilt_on_open is None
    reopened.close()


def test_a_subset_has_the_state_names_of_its_reports():
    # kg.network builds a few reports' view from an in-memory copy of them: the states'
    # names it reads there (network-state-labels) are those of the copied reports.
    store = Store.memory()
    rng = random.Random(7)
    store.replace_reports(made_report(rng, f"r{i}") for i in range(6))
    part = store.subset([summaries.V.graph_iri("r1"), summaries.V.graph_iri("r4")])
    assert not part.summaries_current()   # only that part of a summary
    names = _rows(part, "network-state-labels")
    assert names == _rows(part, OLD_STATE_LABELS) and names
    assert names != _rows(store, "network-state-labels")


def test_kg_reindex_rebuilds_and_says_how_many(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "s"
    store = Store.open(folder)
    store.replace_reports(made_report(random.Random(9), f"r{i}") for i in range(4))
    expected = summary_quads(store)
    # A summary gone wrong (a write that went around the store): reindex puts it right.
    store.update(f"INSERT DATA {{ GRAPH <{SUMMARY.value}> {{ <urn:x> <urn:y> 1 }} }}")
    store.close()
    done = subprocess.run([sys.executable, "-m", "kg.cli", "reindex", "--store", str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("reindexed 4 report graphs")
    with Store.open(folder) as store:
        assert summary_quads(store) == expected


def test_kept_summary_equals_a_rebuild_on_virtuoso(virtuoso, remote_env):
    remote_env(virtuoso_env(virtuoso))
    with cleared_virtuoso_store(virtuoso) as store:
        assert store.summaries_current()

        def check():
            assert summary_quads(store) == rebuilt_quads(store)
        write_sequence(store, check)
        for name, old in (("states-summary", OLD_STATES_SUMMARY),
                          ("relations-summary", OLD_RELATIONS_SUMMARY),
                          ("network-pairs", OLD_RELATIONS_SUMMARY)):
            assert _rows(store, name) == _rows(store, old), name


def _page_query(name: str) -> str:
    return (ROOT / "web" / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def _latest_before(store) -> list[dict]:
    """The home page's latest reports as it read them before the summaries."""
    from kg import network

    summary = _page_query("report-summary")
    return [row for r in network.select_reports(store)[:100]
            for row in plain_rows(store.query(summary, substitutions={
                ox.Variable("g"): ox.NamedNode(r.graph)}), integers=True)]


def test_latest_reports_of_more_than_a_page_and_several_a_day():
    store = Store.memory()
    rng = random.Random(11)
    # 160 reports over 60 days (or undated): the latest 100 span days holding several each.
    store.replace_reports(made_report(rng, f"r{i:03d}") for i in range(160))
    latest = plain_rows(store.query(_page_query("latest-reports")), integers=True)
    assert len(latest) == 100 and latest == _latest_before(store)


def test_home_counts_and_latest_reports_equal_the_whole_store_reads():
    from kg.store import COUNTED_CLASSES
    from kg import vocabulary as V

    store = Store.memory()
    keys = {str(V.BKG[cls]): key for key, cls in COUNTED_CLASSES.items()}
    keys[str(V.BKG.Report)] = "reports"
    checked = []

    def check():
        counts = {keys[r["class"]]: int(r["count"])
                  for r in plain_rows(store.query(_page_query("store-counts")))}
        stats = store.stats()
        assert {k: v for k, v in counts.items() if v} == \
            {k: stats[k] for k in ("reports", *COUNTED_CLASSES) if stats[k]}
        latest = plain_rows(store.query(_page_query("latest-reports")), integers=True)
        assert latest == _latest_before(store)
        checked.append(len(latest))
    write_sequence(store, check)
    assert max(checked) > 5


def test_the_home_page_reads_the_latest_reports_of_the_fewest_dates(monkeypatch):
    """home.latest_reports: latest-reports bound to the fewest latest dates holding 100
    reports (latest-days' counts), the same rows as latest-reports over the latest 100 dates,
    after every kind of write and with more than 100 reports over fewer than 100 dates."""
    from kg.web.app import create_app
    from kg.web.views import home, viewer

    store = Store.memory()
    app = create_app(store)
    narrowed = []

    texts = []
    spy = QuerySpy(store, texts)

    def check():
        with app.test_request_context("/"):
            days = plain_rows(store.query(_page_query("latest-days")), integers=True)
            want = plain_rows(store.query(_page_query("latest-reports")), integers=True)
            texts.clear()
            assert home.latest_reports() == want
            read = texts[-1].count("<https://bilateral-kg.org/summary/latest/")
            assert 0 < read <= len(days) or not days
            if sum(r["reports"] for r in days) > 100:
                narrowed.append(read < len(days))
    monkeypatch.setattr(home, "current_store", lambda: spy)
    monkeypatch.setattr(viewer, "current_store", lambda: spy)
    write_sequence(store, check)
    rng = random.Random(12)
    store.replace_reports(made_report(rng, f"x{i:03d}") for i in range(160))
    check()
    assert narrowed and all(narrowed)  # 160 reports over 60 days: the latest 100, fewer dates


def test_kept_summary_equals_a_rebuild_through_kg_serve(tmp_path, remote_env):
    # A SparqlStore writing to a kg serve sends the summary operations in its own requests;
    # the server runs them as they come, in the same transaction as the report's graph.
    folder = tmp_path / "served"
    Store.open(folder).close()
    with kg_serve(folder, env={"KG_UPDATE_TOKEN": "s3cret"}) as served:
        remote_env({"KG_STORE_TOKEN": "s3cret", "KG_STORE_GSP_URL": f"{served.url}/service"})
        with Store.open(f"sparql+{served.url}/sparql") as store:
            assert store.summaries_current()

            def check():
                assert summary_quads(store) == rebuilt_quads(store)
            write_sequence(store, check)
    with Store.open(folder) as store:
        assert summary_quads(store) == rebuilt_quads(store)


def test_the_home_page_and_the_overview_read_the_summaries_alone():
    # With the report graphs gone behind the store's back (a raw removal, which keeps the
    # summaries), the home page and the large-store overview still show every count: they
    # read the summary graph, not the reports.
    from kg.web.app import create_app

    store = Store.memory()
    store.replace_reports(made_report(random.Random(4), f"r{i:02d}", undated=0)
                          for i in range(12))
    before = create_app(store, viewer_max_reports=5).test_client()
    expected, home = before.get("/api/graph").json, before.get("/").get_data(as_text=True)
    assert '<tr id="count-reports"><th>reports</th><td class="n">12</td>' in home
    codes = [r["iso3"] for r in _rows(store, "states-summary")]
    assert codes and all(f"<td>{code}</td>" in home for code in codes) and ">r11<" in home
    for graph in list(store.report_graphs()):
        store.ox.remove_graph(graph)
    assert store.report_ids() == []
    client = create_app(store, viewer_max_reports=5).test_client()
    assert client.get("/").get_data(as_text=True) == home
    overview = client.get("/api/graph").json
    assert overview["counts"]["reports_total"] == 12 and "overview" in overview["notice"]
    assert overview["elements"] == expected["elements"] and overview["elements"]["edges"]
