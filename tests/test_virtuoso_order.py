"""The named listings' rows in the same order over Virtuoso as on the embedded store.

Virtuoso 7.2 keeps a string literal longer than 20 characters as a box holding its first
characters and a number given as the literal was first written, and its ORDER BY compares two
such boxes with the same first characters by that number, not by the rest of the string: at
10,000 synthetic reports `agreements` came back with 4,120 of its 9,998 rows out of the
embedded store's order, report ids `synthetic-2015-01-01-009356` before `...-000060` (the
sixteenth round saw it at 100,000 in evidence and the person's posts). The listings sort such
keys by STR() of them, a plain string that Virtuoso compares whole, as Oxigraph does its
values.

Here the dev corpus is ingested with every report id sharing a 32-character start, the ids
of the reports written last sorting first, so that a store ordering the ids by when they were
written gives them the wrong way round.
"""
from __future__ import annotations

import math
import re

import pytest

from kg import queries
from kg.store import Store
from query_cases import param_values, term_rows
from test_remote_store import DEV, clear_project_graphs, kg, virtuoso_env

PREFIX = "a-report-id-whose-start-is-long-"   # 32 characters, shared by every id


@pytest.fixture(scope="module")
def shared_prefix(virtuoso, tmp_path_factory):
    """The dev corpus under ids PREFIX + NN + its id, NN counting down over the files, in a
    new embedded store and in Virtuoso: written in two batches, the larger numbers first, so
    that every id of the second sorts before every id of the first."""
    url = f"sparql+{virtuoso}/sparql"
    env = virtuoso_env(virtuoso)
    base = tmp_path_factory.mktemp("order")
    files = sorted(DEV.glob("*.txt"))
    folders = []
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        text, n = re.subn(r"(?m)^id:\s*(\S+)\s*$",
                          lambda m: f"id: {PREFIX}{len(files) - i:02d}-{m[1]}", text, count=1)
        assert n == 1, path
        folder = base / ("first" if 2 * i < len(files) else "second")
        folder.mkdir(exist_ok=True)
        (folder / path.name).write_text(text, encoding="utf-8")
        if folder not in folders:
            folders.append(folder)
    local = base / "store"
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        with Store.open(url) as remote:
            clear_project_graphs(remote)
        for folder in folders:   # the second batch written after the first
            kg("ingest", str(folder), "--store", str(local), "--no-progress")
            kg("ingest", str(folder), "--store", url, "--no-progress", env=env)
        embedded, remote = Store.open(local), Store.open(url)
        try:
            yield embedded, remote
        finally:
            embedded.close()
            clear_project_graphs(remote)
            remote.close()


def _pages(store, name, params, size):
    rows, offset = [], 0
    while True:
        _, page = term_rows_page(store, name, params, size, offset)
        rows += page
        if len(page) < size:
            return rows
        offset += size


def term_rows_page(store, name, params, limit, offset):
    results = queries.run(store, name, {k: [v] for k, v in params.items()}, limit=limit,
                          offset=offset)
    names = [v.value for v in results.variables]
    return names, [tuple(None if t is None else str(t) for t in row) for row in results]


@pytest.mark.parametrize("name", queries.available())
def test_listing_rows_and_order_as_on_the_embedded_store(shared_prefix, name):
    """Every named listing over Virtuoso, whole and in pages, gives the embedded store's rows
    in the embedded store's order (the contract's stable order, the same on both)."""
    local, remote = shared_prefix
    values = param_values(local)
    query = queries.load(name)
    params = {p: values[p] for p, param in query.params.items() if param.required}
    names_l, rows_l = term_rows(local, name, params)
    names_r, rows_r = term_rows(remote, name, params)
    assert names_r == names_l
    assert rows_r == rows_l, f"{name}: Virtuoso's rows are not the embedded store's, in order"
    if len(rows_l) > 3:
        size = max(1, math.ceil(len(rows_l) / 4))
        assert _pages(remote, name, params, size) == rows_l
        assert _pages(local, name, params, size) == rows_l


def test_the_ids_are_written_against_their_order(shared_prefix):
    """The fixture does what it says: the reports' ids share their first 32 characters."""
    local, _ = shared_prefix
    _, rows = term_rows(local, "reports", {})
    ids = sorted(r[0].strip('"') for r in rows)
    assert len(ids) > 5 and all(i.startswith(PREFIX) for i in ids)
