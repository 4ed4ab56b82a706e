"""One value bound where a `# bind:` line says is sent to Virtuoso as a parameter (issue 18):
Virtuoso keeps a compiled plan per query text, so a state's page, its code written into each
text, was compiled anew for every state (agreements-by-state 0.5-0.7 s of its 0.7-1.1 s at
10,000 reports); with the code a parameter, every state's page sends the same text. The
text is checked without a server; the rows on Virtuoso against the inline text and the
embedded store.
"""
from __future__ import annotations

import pytest

from kg import queries as Q
from kg.store import connector as C
from kg.store.connector import server_params
from query_cases import param_values, store_rows
from test_remote_store import both  # noqa: F401  (the dev corpus in Virtuoso too)

STATE_BOUND = ("agreements-by-state", "state-officials", "relations-summary", "timeline",
               "state-relations")


@pytest.mark.parametrize("name", STATE_BOUND)
def test_a_state_bound_text_is_the_same_for_every_state(name):
    """The text sent for a listing bound to one state, paged as the viewer pages it, holds
    no code: the same for FRA and DEU, each code a parameter."""
    query = Q.load(name)
    texts, sent = set(), []
    for code in ("FRA", "DEU"):
        text, params = server_params(query.paged(51).bind({"state": [code]}))
        assert '"FRA"' not in text and '"DEU"' not in text
        texts.add(text)
        sent.append({value for _, value in params})
    assert len(texts) == 1
    assert sent == [{'"FRA"'}, {'"DEU"'}]


def test_only_a_value_opening_a_group_is_a_parameter():
    """A VALUES opening a group binds its variable for the whole group, as a BIND there does;
    anywhere else (after patterns reading its variable, trailing), with several rows, or a
    value other than an IRI or a plain string, it stays in the text."""
    kept = [
        'SELECT * WHERE { ?s ?p ?x VALUES (?x) { ("A") } }',
        'SELECT * WHERE { ?s ?p ?x } VALUES (?x) { ("A") }',
        'SELECT * WHERE { VALUES (?x) { ("A") ("B") } ?s ?p ?x }',
        'SELECT * WHERE { VALUES (?x ?y) { ("A" "B") ("C" "D") } ?s ?x ?y }',
        'SELECT * WHERE { VALUES (?x ?y) { ("A" 3) } ?s ?x ?y }',
        'SELECT * WHERE { VALUES (?x) { ("A"@en) } ?s ?p ?x }',
        'SELECT * WHERE { VALUES (?x) { ("a \\"b\\"") } ?s ?p ?x }',
        'SELECT * WHERE { VALUES (?x) { (3) } ?s ?p ?x }',
        'SELECT * WHERE { # VALUES (?x) { ("A") }\n ?s ?p ?x }',
    ]
    for text in kept:
        assert server_params(text) == (text, []), text
    text, params = server_params(
        'SELECT * WHERE { GRAPH ?g { # bind: x\nVALUES (?x) { ("A") }\n ?s ?p ?x }\n'
        '  OPTIONAL { VALUES (?y) { (<https://example.org/y>) } ?s ?q ?y } }')
    assert text == ('SELECT * WHERE { GRAPH ?g { # bind: x\nBIND(COALESCE(?::kgv0) AS ?x)\n'
                    ' ?s ?p ?x }\n  OPTIONAL { BIND(COALESCE(?::kgv1) AS ?y) ?s ?q ?y } }')
    assert params == [("?kgv0", '"A"'), ("?kgv1", "<https://example.org/y>")]


PAIR_BOUND = ("cq-representatives", "pair-history", "agreements-between", "cq-events",
              "cq-agreements")


def test_one_row_of_several_values_is_one_parameter_each():
    """Two params on one `# bind:` line (a pair of states) give a VALUES of one row and two
    variables: two BINDs, each value a parameter, so that every pair's page sends one text
    (Virtuoso compiled cq-representatives anew for each pair: 0.9-1.0 s at 10,000 reports,
    0.01-0.03 s once compiled)."""
    text, params = server_params('SELECT * WHERE { VALUES (?x ?y) { ("A" <https://e.org/y>) }'
                                 ' ?s ?x ?y }')
    assert text == ('SELECT * WHERE { BIND(COALESCE(?::kgv0) AS ?x) '
                    'BIND(COALESCE(?::kgv1) AS ?y) ?s ?x ?y }')
    assert params == [("?kgv0", '"A"'), ("?kgv1", "<https://e.org/y>")]
    for name in PAIR_BOUND:
        query = Q.load(name)
        a, b = [p for p in query.params if query.params[p].required]
        texts = {server_params(query.paged(51).bind({a: [x], b: [y]}))[0]
                 for x, y in (("FRA", "DEU"), ("POL", "LTU"))}
        assert len(texts) == 1 and not any(c in t for t in texts
                                           for c in ('"FRA"', '"DEU"', '"POL"', '"LTU"')), name


def _rows(store, name, params, limit=None):
    results = Q.run(store, name, params, limit=limit)
    names = [v.value for v in results.variables]
    return [tuple(None if t is None else str(t) for t in row) for row in results], names


@pytest.mark.parametrize("name", STATE_BOUND + ("evidence", "states") + PAIR_BOUND)
def test_virtuoso_answers_with_parameters_as_with_the_values_in_the_text(both, name,
                                                                        monkeypatch):
    """On Virtuoso, each listing bound to a state (or a node, or a code) gives with its values
    sent as parameters the rows it gives with them in the text, every row and a first page,
    and the embedded store's."""
    local, remote = both
    values = param_values(local)
    query = Q.load(name)
    keys = {"evidence": ("node",), "states": ("iso3",)}.get(name, ("state",))
    if name in PAIR_BOUND:
        keys = tuple(p for p in query.params if query.params[p].required)
    params = {p: [values[p]] for p in keys}
    sent = []
    original = C.server_params

    def spy(text):
        text, found = original(text)
        sent.extend(found)
        return text, found

    monkeypatch.setattr(C, "server_params", spy)
    with_params = [_rows(remote, name, params), _rows(remote, name, params, limit=3)]
    assert sent, "no value was sent as a parameter"
    monkeypatch.setattr(C, "server_params", lambda text: (text, []))
    inline = [_rows(remote, name, params), _rows(remote, name, params, limit=3)]
    assert with_params == inline
    _, embedded = store_rows(local, name, {k: v[0] for k, v in params.items()})
    assert len(with_params[0][0]) == len(embedded)
