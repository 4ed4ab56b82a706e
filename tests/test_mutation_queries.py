"""Named queries' binding, escaping, loading and output at their edges (kg/queries.py).

Written against the mutants of kg/queries.py that tests/test_queries.py and
tests/test_named_queries.py let survive: error messages naming what is wrong, values that
must survive escaping, names that must not reach outside the queries folder, the parse cache
seeing an edited file, and the exact text of tables and listings.
"""
from __future__ import annotations

import dataclasses
import os

import pyoxigraph as ox
import pytest

from kg import queries
from kg.queries import QueryError

NAMES_RQ = """\
# title: Names
# description: Everything with a name.

# param name: a name
# param thing (required): the thing
SELECT ?thing ?name WHERE {
  ?thing <http://xmlns.com/foaf/0.1/name> ?name .
}
"""


@pytest.fixture
def qdir(tmp_path, monkeypatch):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "names.rq").write_text(NAMES_RQ, encoding="utf-8")
    monkeypatch.setenv("KG_QUERIES_DIR", str(folder))
    return folder


def plain(text="SELECT ?x WHERE { ?x ?p ?o }\n", **params):
    return queries.NamedQuery("q", None, text, params={
        n: queries.Param(n, required=r) for n, r in params.items()})


# ------------------------------------------------------------ binding

def test_a_blank_line_in_the_header_does_not_end_it(qdir):
    query = queries.load("names")
    assert (query.title, query.description) == ("Names", "Everything with a name.")
    assert list(query.params) == ["name", "thing"]
    assert query.params["thing"].required and not query.params["name"].required


def test_unknown_and_missing_params_are_all_named():
    with pytest.raises(QueryError, match=r"unknown param a, b \(declared params: none\)"):
        plain().bind({"a": ["1"], "b": ["2"]})
    with pytest.raises(QueryError, match=r"missing required param a, b \(give --param a=VALUE"):
        plain(a=True, b=True).bind({})


def test_a_value_that_starts_like_an_iri_but_is_not_one_is_refused_with_the_reason():
    with pytest.raises(QueryError) as e:
        plain(x=False).bind({"x": ["http://example.org/a b"]})
    message = str(e.value)
    assert "param x" in message and "'http://example.org/a b'" in message
    # the IRI parser's own reason, not a generic one
    assert "not a valid IRI" not in message and "(None)" not in message
    assert message.endswith(")") and len(message.rsplit("(", 1)[1]) > 5


@pytest.mark.parametrize("value", ["a\rb", "tab\there", 'q"uote\\', "line\nbreak"])
def test_a_value_with_control_characters_is_bound_as_that_very_string(value):
    store, ex = ox.Store(), "http://example.org/"
    for text in (value, "other"):
        store.add(ox.Quad(ox.NamedNode(ex + "s"), ox.NamedNode(ex + "p"), ox.Literal(text)))
    query = plain(f"SELECT ?x WHERE {{ ?s <{ex}p> ?x }}", x=False)
    rows = list(store.query(query.bind({"x": [value]})))
    assert [row["x"].value for row in rows] == [value]


def test_a_query_whose_text_changed_is_bound_at_its_new_end():
    first = plain("SELECT ?x WHERE { ?x ?p ?o }", x=False)
    first.bind({"x": ["a"]})       # caches where the WHERE group of this text ends
    longer = dataclasses.replace(first, text="SELECT ?x WHERE { ?x ?p ?o . ?o ?q ?r }")
    bound = longer.bind({"x": ["a"]})
    assert "?r   FILTER(BOUND(?x))\n}" in bound
    ox.Store().query(bound)        # parses


# ------------------------------------------------------------ loading

def test_a_name_that_leaves_the_queries_folder_is_not_loaded(qdir):
    (qdir.parent / "secret.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n")
    for name in ("../secret", "names/../../secret"):
        with pytest.raises(QueryError, match="no query named"):
            queries.load(name)
    assert queries.load("names").name == "names"


def test_an_empty_folder_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_QUERIES_DIR", str(tmp_path))
    with pytest.raises(QueryError, match=f"available: none in {tmp_path}"):
        queries.load("names")
    monkeypatch.setenv("KG_QUERIES_DIR", str(tmp_path / "missing"))
    assert queries.available() == []


def test_an_unreadable_query_is_named_with_its_file(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_bytes(b"\xff\xfe SELECT")
    with pytest.raises(QueryError, match=r"query bad: cannot read .*bad\.rq"):
        queries.parse("bad", path)


def test_an_edited_query_file_is_read_again(qdir):
    assert queries.load("names").title == "Names"
    path = qdir / "names.rq"
    path.write_text(NAMES_RQ.replace("# title: Names", "# title: Names of things"))
    os.utime(path, ns=(1, 1))      # even with an old mtime: the size changed
    assert queries.load("names").title == "Names of things"


def test_a_loaded_query_is_a_copy(qdir):
    first = queries.load("names")
    first.params.pop("thing")
    first.title = "changed"
    again = queries.load("names")
    assert list(again.params) == ["name", "thing"] and again.title == "Names"


# ------------------------------------------------------------ output

def select(sparql):
    return ox.Store().query(sparql)


def test_table_cells_are_the_last_segment_of_an_iri():
    results = select("SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) "
                     "{ (<http://example.org/state/LUX> <http://example.org/x/y/> "
                     "<http://example.org/t#frag>) } }")
    assert queries.table(results) == "a    b  c\n---  -  ----\nLUX  y  frag\n(1 row)\n"


def test_table_of_no_rows_and_of_ask():
    assert queries.table(select("SELECT ?a WHERE { FILTER(false) }")).endswith("(0 rows)\n")
    assert queries.table(select("ASK { FILTER(false) }")) == "false\n"
    assert queries.table(select("ASK {}")) == "true\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_ask_in_csv_and_tsv_is_a_bare_value(fmt):
    assert queries.render(select("ASK { FILTER(false) }"), fmt) == b"false\n"
    assert queries.render(select("ASK {}"), fmt) == b"true\n"


def test_an_unknown_format_names_the_choices():
    with pytest.raises(QueryError, match=r"unknown format 'yaml'; choose one of "
                                         r"csv, tsv, json, table"):
        queries.render(select("ASK {}"), "yaml")


def test_describe_and_listing(qdir):
    query = queries.load("names")
    assert queries.describe(query) == {
        "name": "names", "title": "Names", "description": "Everything with a name.",
        "params": [{"name": "name", "required": False, "description": "a name"},
                   {"name": "thing", "required": True, "description": "the thing"}]}
    titled = plain(x=False)
    titled.title = "Only a title"
    titled.params["x"].description = ""
    assert queries.listing([query, titled]) == (
        "names [name] thing\n"
        "    Names - Everything with a name.\n"
        "    --param name=...  a name\n"
        "    --param thing=... (required)  the thing\n"
        "q [x]\n"
        "    Only a title\n"
        "    --param x=...\n")
    assert queries.listing([]) == ""
