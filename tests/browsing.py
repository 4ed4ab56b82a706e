"""The browser the web tests drive: headless Debian chromium through Playwright.

A test module imports its fixtures and marks: `from browsing import browser, page, MARKS`
and `pytestmark = MARKS`. Every page is watched for console errors, uncaught exceptions and
dialogs (an `alert` would mean a report's `<script>` ran); the test fails if any happened.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import needs_vendor

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO / "tests" / "screenshots"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api")
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)"),
    needs_vendor,
]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page whose console errors, page errors and dialogs are recorded; the test
    fails if any happened."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  accept_downloads=True)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console error: {m.text} ({m.location})")
          if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def dialog(d):
        problems.append(f"dialog: {d.message}")
        d.dismiss()
    pg.on("dialog", dialog)
    pg.problems = problems
    yield pg
    context.close()
    assert not problems, problems
