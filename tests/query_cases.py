"""Named-query cases shared by the tests that compare two ways of running every named query
(tests/test_remote_store.py: embedded store against Virtuoso; tests/test_query_binding.py:
params bound inside groups against trailing): a value for each param, read from the data."""
from __future__ import annotations

import pytest

from kg import queries
from kg import summaries
from kg import vocabulary as V


def param_values(store) -> dict[str, str]:
    """A value for every param name the named queries declare, read from the store (as the
    viewer's /query page does for its defaults)."""
    def rows(name, **params):
        return store_rows(store, name, params)[1]

    states = rows("states-summary")
    top = max(states, key=lambda r: (int(r["reports"] or 0), r["iso3"] or ""))
    pairs = rows("relations-summary")
    pair = max(pairs, key=lambda r: (int(r["reports"] or 0), r["relation"] or ""))
    officials = rows("officials", state=top["iso3"])
    evidence = rows("evidence", node=top["state"])
    events = [r for r in rows("events") if r["date"]]
    return {
        "state": top["iso3"], "iso3": top["iso3"], "node": top["state"],
        "a": pair["state_a"], "b": pair["state_b"], "other": pair["state_b"],
        "state_a": pair["state_a"], "state_b": pair["state_b"], "party": pair["state_a"],
        "participant": pair["state_a"], "host": pair["state_b"],
        "relation": pair["relation"], "report": rows("reports")[0]["report"],
        "graph": V.graph_iri(rows("reports")[0]["report"]),
        "key": summaries.id_keys(rows("reports")[0]["report"])[0],
        "earliest": min(r["earliest"] for r in rows("earliest-dates")),
        "published": rows("reports")[0]["published"],
        "fact": evidence[0]["fact"] if evidence else top["state"],
        "name": (top.get("name") or "").lower(),
        "role": officials[0]["role"] if officials else "ambassador",
        "polarity": "cooperative", "year": events[0]["date"][:4] if events else "2020",
        "month": events[0]["date"][:7] if events else "2020-01",
        "agreement": rows("agreements")[0]["agreement"],
        "property": str(V.BKG.earliestEventDate),
        "event": events[0]["event"] if events else rows("events")[0]["event"],
    }


def store_rows(store, name: str, params: dict[str, str]):
    """(ordered?, rows as dicts of plain strings) of a named query."""
    results = queries.run(store, name, {k: [v] for k, v in params.items()})
    names = [v.value for v in results.variables]
    return names, [{n: (None if t is None else t.value) for n, t in zip(names, row)}
                   for row in results]


def term_rows(store, name: str, params: dict[str, str]):
    results = queries.run(store, name, {k: [v] for k, v in params.items()})
    names = [v.value for v in results.variables]
    return names, [tuple(None if t is None else str(t) for t in row) for row in results]


def ordered_prefix(text: str) -> bool:
    return "ORDER BY" in text.upper()


def cases():
    for name in queries.available(internal=True):
        query = queries.load(name)
        required = [p.name for p in query.params.values() if p.required]
        yield pytest.param(name, required, id=name)
        for p in query.params.values():
            if not p.required:
                yield pytest.param(name, [*required, p.name], id=f"{name}+{p.name}")
