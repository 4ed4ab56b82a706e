"""A page deep into a listing over Virtuoso: served, or refused with an error that says why.

Virtuoso sorts at most MaxSortedTopRows rows (10,000 by default) for a query with ORDER BY and
LIMIT; a page whose offset + limit passes it fails with "SR353". Over a SPARQL server a page
far into a listing is the listing's own text with LIMIT and OFFSET (kg.queries.plan), so at
10,000 reports `kg query agreements --limit 50 --offset 9968` failed. `.ci/virtuoso` raises
the setting (docs/remote-store.md says a user's Virtuoso needs it too), and a page past it
stops with PageTooDeep naming the query, the page and the setting.

The store here is 10,100 report graphs holding only their report node (identifier, title,
date), written in a few SPARQL updates so that the test costs seconds: `reports` then has
more than 10,000 rows, ordered by date and then id, the dates not in the ids' order.
"""
from __future__ import annotations

import datetime

import pytest

from kg import queries
from kg import vocabulary as V
from kg.store import PageTooDeep
from test_remote_store import cleared_virtuoso_store, kg, virtuoso_env

REPORTS = 10_100
DAY0 = datetime.date(2020, 1, 1)


def _report(i: int) -> tuple[str, str, str]:
    """(id, title, date) of the i-th report: dates spread over 400 days out of id order."""
    return f"deep-{i:05d}", f"Report {i}", (DAY0 + datetime.timedelta(i * 7919 % 400)).isoformat()


@pytest.fixture(scope="module")
def deep(virtuoso):
    with pytest.MonkeyPatch.context() as mp:
        for k, v in virtuoso_env(virtuoso).items():
            mp.setenv(k, v)
        with cleared_virtuoso_store(virtuoso) as store:
            graphs = []
            for i in range(REPORTS):
                rid, title, date = _report(i)
                graphs.append(
                    f"GRAPH <{V.graph_iri(rid)}> {{ <{V.report_iri(rid)}> a <{V.BKG.Report}> ; "
                    f"<http://purl.org/dc/terms/identifier> \"{rid}\" ; "
                    f"<http://purl.org/dc/terms/title> \"{title}\" ; "
                    f"<http://purl.org/dc/terms/date> \"{date}\"^^<http://www.w3.org/2001/"
                    f"XMLSchema#date> }}")
            # 250 graphs (1,000 triples) an INSERT DATA: Virtuoso's parser takes ~5,000 at most
            blocks = [f"INSERT DATA {{ {' '.join(graphs[i:i + 250])} }}"
                      for i in range(0, len(graphs), 250)]
            for i in range(0, len(blocks), 8):
                store.update(" ;\n".join(blocks[i:i + 8]))
            try:
                yield store
            finally:
                # in one request: clear_project_graphs' one a graph takes 30 s
                store.update(f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                             f"FILTER(STRSTARTS(STR(?g), \"{V.graph_iri('deep-')}\")) }}")


def _expected() -> list[tuple[str, str]]:
    """(report, published) of every report, in the listing's ORDER BY (date, then id)."""
    return sorted(((rid, date) for rid, _, date in map(_report, range(REPORTS))),
                  key=lambda r: (r[1], r[0]))


def _page(store, limit, offset):
    return [(row["report"].value, row["published"].value)
            for row in queries.run(store, "reports", limit=limit, offset=offset)]


def test_a_page_past_10000_rows_is_the_listings_slice(deep):
    expected = _expected()
    whole = _page(deep, None, None)
    assert whole == expected
    for limit, offset in ((50, 9_990), (50, 10_000), (50, REPORTS - 30), (10, REPORTS)):
        assert _page(deep, limit, offset) == expected[offset:offset + limit], (limit, offset)


def test_a_page_past_the_servers_sort_limit_names_the_query_page_and_setting(deep, virtuoso):
    # .ci/virtuoso allows 10,000,000 rows: a page ending past them is refused, so is every
    # page past a Virtuoso left at its default of 10,000.
    with pytest.raises(PageTooDeep) as caught:
        _page(deep, 50, 10_000_000)
    message = str(caught.value)
    assert "query reports, the page of 50 rows at offset 10000000" in message
    assert "MaxSortedTopRows" in message and "virtuoso.ini" in message
    assert "10,000,050" in message
    done = kg("query", "reports", "--limit", "50", "--offset", "10000000",
              "--store", f"sparql+{virtuoso}/sparql", env=virtuoso_env(virtuoso), check=False)
    assert done.returncode == 1
    assert "query reports, the page of 50 rows at offset 10000000" in done.stderr
    assert "MaxSortedTopRows" in done.stderr and "Traceback" not in done.stderr


def test_the_viewer_and_endpoint_serve_a_deep_page_and_name_a_refused_one(deep):
    from kg.web.app import create_app

    client = create_app(deep).test_client()   # not closed: the fixture closes the store
    expected = _expected()
    page = client.get("/query/reports?offset=10000")
    assert page.status_code == 200
    assert expected[10_000][0] in page.text and expected[9_999][0] not in page.text
    refused = client.get("/query/reports?offset=10000000")
    assert refused.status_code == 503
    assert "MaxSortedTopRows" in refused.text
    text = queries.load("reports").paged(50, 10_000_000).bind()
    answer = client.post("/sparql", data={"query": text},
                         headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 503 and "MaxSortedTopRows" in answer.text
