"""The /query/NAME page in Chromium: next and previous links through a named query's rows,
served by a real `kg serve` with a small page size (KG_PAGE_SIZE)."""
from __future__ import annotations

import pytest

from browsing import MARKS, SHOTS, browser, page  # noqa: F401 (fixtures)
from kg_server import kg_serve

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(dev_store, copy_store):
    with kg_serve(copy_store(dev_store), env={"KG_PAGE_SIZE": "4"}) as served:
        yield served


def _column(page, index: int) -> list[str]:
    return page.locator(f"#query-rows tr td:nth-child({index})").all_inner_texts()


def test_query_rows_next_and_previous(server, page):
    page.goto(server.url + "/query/reports")
    first = _column(page, 1)
    assert len(first) == 4
    assert page.locator(".pager a[rel=prev]").count() == 0
    page.locator(".pager a[rel=next]").first.click()
    page.wait_for_url("**/query/reports?offset=4")
    second = _column(page, 1)
    assert len(second) == 4 and not set(first) & set(second)
    page.screenshot(path=str(SHOTS / "query-rows-page-2.png"), full_page=True)
    page.locator(".pager a[rel=prev]").first.click()
    page.wait_for_url("**/query/reports")
    assert _column(page, 1) == first
    # a report id links to the report's page
    page.locator("#query-rows td a[href^='/report/']").first.click()
    page.wait_for_selector("#report-text")
