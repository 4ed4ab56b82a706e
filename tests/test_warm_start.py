"""A large store's first pages are read before the app serves it (web/views/warm.py, issue
18): the first requests then read nothing from the store, show what an app that did not read
ahead shows, and a write makes the next request read again."""
from __future__ import annotations

import random

import pytest

from kg import queries as Q
from kg.store import Store
from kg.web.app import create_app
from kg.web.settings import Settings
from kg.web.state import state
from helpers import QuerySpy
from test_summaries import made_report

PAGES = ("/", "/api/graph", "/graph", "/query")


def _store(n: int) -> Store:
    store = Store.memory()
    rng = random.Random(7)
    store.replace_reports(made_report(rng, f"w{i:02d}") for i in range(n))
    return store


def _bodies(client) -> dict[str, bytes]:
    out = {}
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        out[path] = response.data
    return out


def _spied(app) -> list[str]:
    texts: list[str] = []
    st = state(app)
    st.store = QuerySpy(st.store, texts)
    return texts


def test_a_large_store_is_read_before_serving_and_the_first_requests_read_nothing():
    warm = create_app(_store(12), Settings(viewer_max_reports=5))
    cold = create_app(_store(12), Settings(viewer_max_reports=5, warm_start=False))
    assert set(state(warm).warmed) == {"home", "overview", "states", "query-defaults",
                                       "walks"}
    assert state(cold).warmed == {}
    texts = _spied(warm)
    shown = _bodies(warm.test_client())
    assert texts == []  # every page from what was read before
    cold_texts = _spied(cold)
    assert _bodies(cold.test_client()) == shown
    assert cold_texts  # the same pages read the store when nothing was read ahead


def test_a_write_makes_the_next_requests_read_again():
    app = create_app(_store(12), Settings(viewer_max_reports=5))
    texts = _spied(app)
    client = app.test_client()
    before = _bodies(client)
    state(app).store.replace_reports([made_report(random.Random(3), "w99")])
    after = _bodies(client)
    assert texts  # read again after the write
    assert after["/"] != before["/"]  # 13 reports now
    fresh = create_app(_store(12), Settings(viewer_max_reports=5, warm_start=False))
    state(fresh).store.replace_reports([made_report(random.Random(3), "w99")])
    assert _bodies(fresh.test_client()) == after


def test_a_part_that_fails_is_left_to_the_first_request(monkeypatch, caplog):
    from kg.web.views import query as query_views

    calls = []

    def failing():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the store did not answer")
        return {}
    monkeypatch.setattr(query_views, "param_defaults", failing)
    app = create_app(_store(12), Settings(viewer_max_reports=5))
    warmed = state(app).warmed
    assert warmed["query-defaults"] is None and warmed["home"] is not None
    assert "reading query-defaults before serving failed" in caplog.text
    assert app.test_client().get("/query").status_code == 200 and len(calls) == 2


def test_a_small_store_is_not_read_ahead():
    app = create_app(_store(4), Settings(viewer_max_reports=5))
    assert state(app).warmed == {}


def test_the_walks_are_read_ahead_on_the_embedded_store(tmp_path, monkeypatch):
    with Store.open(tmp_path / "kg") as store:
        rng = random.Random(5)
        store.replace_reports(made_report(rng, f"e{i:02d}") for i in range(8))
    store = Store.open(tmp_path / "kg")
    app = create_app(store, Settings(viewer_max_reports=3))
    assert "walks" in state(app).warmed
    read = []
    monkeypatch.setattr(type(store), "report_ids", lambda s: read.append(1) or [])
    Q.plan(store, Q.load("reports"), None, 5, 0)
    assert read == []  # the report ids were read before serving
    state(app).close()


@pytest.mark.parametrize("raw, want", [("", True), ("1", True), ("on", True), ("0", False),
                                       ("off", False), ("no", False)])
def test_kg_warm_start(monkeypatch, raw, want):
    monkeypatch.setenv("KG_WARM_START", raw)
    assert Settings.from_env().warm_start is want


def test_a_bad_kg_warm_start_is_refused(monkeypatch):
    monkeypatch.setenv("KG_WARM_START", "maybe")
    with pytest.raises(ValueError, match="KG_WARM_START"):
        Settings.from_env()
