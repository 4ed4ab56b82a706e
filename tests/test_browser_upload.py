"""Upload, then query, in a real browser (issue 16): a report added through the /upload page is
found at once by a query run on the /query page, against a real `kg serve`.

Before the fix the query page (through /sparql's query workers) did not see an uploaded report
until some other write went through /sparql. The browser is tests/browsing.py's.
"""
from __future__ import annotations

from browsing import MARKS, browser, page  # noqa: F401 (fixtures)
from kg.store import Store
from kg_server import kg_serve

REPORT_ID = "uploaded-in-the-browser-1"
# Written for this test.
TEXT = ("TBILISI, June 9. The Prime Minister of Georgia received the Foreign Minister of "
        "Armenia in Tbilisi on June 8, 2024; they agreed to reopen a border crossing.")
QUERY = ("SELECT ?title WHERE { ?r <http://purl.org/dc/terms/identifier> "
         f"\"{REPORT_ID}\" ; <http://purl.org/dc/terms/title> ?title }}")

pytestmark = MARKS


def _run_query(page, text: str) -> list[str]:
    """Types `text` into the query page's editor, runs it, and returns the result rows."""
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.evaluate("() => { window.kgQuery.ready = false; }")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => window.kgQuery.ready === true")
    return page.locator("table.results-table tbody tr").all_inner_texts()


def test_an_uploaded_report_is_found_at_once_on_the_query_page(tmp_path, page):
    folder = tmp_path / "store"
    with Store.open(folder):
        pass
    with kg_serve(folder, env={"KG_QUERY_WORKERS": "1"}) as served:
        # The query page first: a query worker now holds a view of the store without it.
        page.goto(served.url + "/query")
        page.wait_for_selector(".cm-editor")
        assert _run_query(page, QUERY) == []

        page.goto(served.url + "/upload")
        page.fill("input[name=id]", REPORT_ID)
        page.fill("input[name=title]", "Border crossing to reopen")
        page.fill("input[name=published]", "2024-06-09")
        page.fill("textarea[name=text]", TEXT)
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
        assert page.url.endswith(f"/report/{REPORT_ID}"), page.url

        page.goto(served.url + "/query")
        page.wait_for_selector(".cm-editor")
        assert _run_query(page, QUERY) == ["Border crossing to reopen"]
