"""Params bound where a `# bind:` line puts them give the rows a trailing VALUES gives.

A marker is a planning hint (Oxigraph plans a group knowing what an inner VALUES binds), so
it must never change what a query returns: every named query with a marker is run on the dev
corpus both ways, with its required params, with each optional one, and with all of them.
"""
from __future__ import annotations

import collections
from pathlib import Path

import pytest

from kg import queries
from kg.store import Store
from query_cases import param_values

ROOT = Path(__file__).resolve().parents[1]


def marked_cases():
    for name in queries.available(internal=True):
        query = queries.load(name)
        if not query.marked():
            continue
        required = [p.name for p in query.params.values() if p.required]
        optional = [p.name for p in query.params.values() if not p.required]
        yield pytest.param(name, required, id=name)
        for p in optional:
            yield pytest.param(name, [*required, p], id=f"{name}+{p}")
        if len(optional) > 1:
            yield pytest.param(name, required + optional, id=f"{name}+all")


@pytest.fixture(scope="module")
def dev_store(dev_store):
    """The session's dev store (tests/conftest.py), open, with a value for each parameter."""
    store = Store.open(dev_store)
    yield store, param_values(store)
    store.close()


def rows(store, query, params, inline):
    results = store.query(query.bind(params, inline=inline))
    return [tuple(None if t is None else str(t) for t in row) for row in results]


def test_some_queries_have_markers():
    assert list(marked_cases()), "no named query uses a '# bind:' line"


@pytest.mark.parametrize("name,param_names", list(marked_cases()))
def test_inner_and_trailing_binding_agree(dev_store, name, param_names):
    store, values = dev_store
    query = queries.load(name)
    params = {p: [values[p]] for p in param_names if values.get(p)}
    inner, trailing = rows(store, query, params, True), rows(store, query, params, False)
    placed = query.marked() & set(params)
    assert (query.bind(params) != query.bind(params, inline=False)) == bool(placed)
    assert collections.Counter(inner) == collections.Counter(trailing)
    # and a value no report has: both empty (a marker must filter, not just hint)
    if params:
        # (an ISO code param takes only ISO codes: Bouvet Island's, which no report names)
        absent = {k: ["BVT" if query.params[k].iso3 else "ZZZ-none"] for k in params}
        assert rows(store, query, absent, True) == rows(store, query, absent, False)
