"""Named queries: finding them, binding params, and each output format, on a tiny graph."""
import json

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF

from kg import queries
from kg.queries import QueryError
from kg.store import Store

EX = "http://example.org/"

PEOPLE_RQ = """\
# title: People
# description: People and their names.
# param name: the person's name
# param person: the person's IRI

SELECT ?person ?name ?note WHERE {
  ?person a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> ?name .
  OPTIONAL { ?person <http://example.org/note> ?note }
} ORDER BY ?name
"""

BY_REPORT_RQ = """\
# param report (required): the report's id
SELECT ?report WHERE { VALUES ?report { "r1" "r2" } }
"""


@pytest.fixture
def qdir(tmp_path, monkeypatch):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "people.rq").write_text(PEOPLE_RQ)
    (folder / "by_report.rq").write_text(BY_REPORT_RQ)
    (folder / "is_anyone.rq").write_text("ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }\n")
    monkeypatch.setenv("KG_QUERIES_DIR", str(folder))
    return folder


@pytest.fixture
def store():
    g = rdflib.Graph()
    ada, bob = URIRef(EX + "ada"), URIRef(EX + "bob")
    g.add((ada, RDF.type, FOAF.Person))
    g.add((ada, FOAF.name, Literal('Ada "the, first"')))
    g.add((ada, URIRef(EX + "note"), Literal("tab\there")))
    g.add((bob, RDF.type, FOAF.Person))
    g.add((bob, FOAF.name, Literal("Bob")))
    s = Store.memory()
    s.replace_report("r1", g)
    yield s
    s.close()


def text(results, fmt):
    return queries.render(results, fmt).decode("utf-8")


def test_header_is_parsed(qdir):
    q = queries.load("people")
    assert q.title == "People"
    assert q.description == "People and their names."
    assert list(q.params) == ["name", "person"]
    assert q.params["name"].description == "the person's name"
    assert not q.params["name"].required
    assert queries.load("by_report").params["report"].required


def test_available_and_unknown(qdir):
    assert queries.available() == ["by_report", "is_anyone", "people"]
    with pytest.raises(QueryError, match=r"no query named 'nope'; available: by_report, "
                                         r"is_anyone, people"):
        queries.load("nope")
    with pytest.raises(QueryError, match="no query named"):
        queries.load("../people")


def test_unknown_param_names_query_and_declared_params(qdir):
    with pytest.raises(QueryError, match=r"query people: unknown param state "
                                         r"\(declared params: name, person\)"):
        queries.load("people").bind({"state": ["AZE"]})


def test_missing_required_param(qdir):
    with pytest.raises(QueryError, match="query by_report: missing required param report"):
        queries.load("by_report").bind({})


def test_param_binding_appends_one_values_clause(qdir):
    bound = queries.load("people").bind({"name": ["Bob"], "person": [EX + "bob"]})
    assert bound.endswith('\nVALUES (?name ?person) { ("Bob" <http://example.org/bob>) }\n')


MARKED_RQ = """\
# param name: the person's name
# param note: a note
SELECT ?person ?name ?note WHERE {
  { SELECT * WHERE {
      # bind: name
      ?person <http://xmlns.com/foaf/0.1/name> ?name .
  } }
  OPTIONAL { ?person <http://example.org/note> ?note }
}
"""


def test_bind_marker_puts_values_inside_and_the_rest_trails(tmp_path):
    path = tmp_path / "marked.rq"
    path.write_text(MARKED_RQ)
    query = queries.parse("marked", path)
    assert query.marked() == {"name"}
    bound = query.bind({"name": ["Bob"], "note": ["hi"]})
    assert '      # bind: name\nVALUES (?name) { ("Bob") }\n      ?person' in bound
    # the param the marker does not name keeps the trailing form and its FILTER(BOUND)
    assert bound.endswith('FILTER(BOUND(?name)) FILTER(BOUND(?note))\n}\nVALUES (?note) { ("hi") }\n')
    assert query.bind({"name": ["Bob"]}).rstrip().endswith("FILTER(BOUND(?name))\n}")
    trailing = query.bind({"name": ["Bob"]}, inline=False)
    assert trailing.endswith('VALUES (?name) { ("Bob") }\n')
    # both forms select the same rows
    graph = rdflib.Graph()
    for who, name in (("bob", "Bob"), ("ann", "Ann")):
        graph.add((URIRef(EX + who), FOAF.name, Literal(name)))
    graph.add((URIRef(EX + "bob"), URIRef(EX + "note"), Literal("hi")))
    store = Store.memory()
    store.replace_report("r1", graph)
    for params in ({"name": ["Bob"]}, {"name": ["Bob", "Ann"]}, {"name": ["Ann"], "note": ["hi"]}):
        rows = {inline: sorted(tuple(map(str, r)) for r in store.query(query.bind(params, inline)))
                for inline in (True, False)}
        assert rows[True] == rows[False], params


def test_param_values_are_escaped():
    assert queries.sparql_term('say "hi"\\ now\n') == '"say \\"hi\\"\\\\ now\\n"'
    assert queries.sparql_term("https://x.org/a") == "<https://x.org/a>"
    assert queries.sparql_term("AZE,ARM") == '"AZE,ARM"'  # not split
    assert queries.sparql_term("http://x.org/a b") == '"http://x.org/a b"'  # not an IRI


def test_param_with_quotes_matches(qdir, store):
    rows = text(queries.run(store, "people", {"name": ['Ada "the, first"']}), "csv")
    assert rows == 'person,name,note\r\nhttp://example.org/ada,"Ada ""the, first""",tab\there\r\n'


def test_param_iri_matches(qdir, store):
    rows = text(queries.run(store, "people", {"person": [EX + "bob"]}), "csv")
    assert rows == "person,name,note\r\nhttp://example.org/bob,Bob,\r\n"


def test_param_on_an_optional_column_keeps_only_rows_that_have_it(qdir, store):
    # Bob has no note: a bare trailing VALUES would join his unbound ?note with the value.
    (qdir / "notes.rq").write_text(PEOPLE_RQ.replace("# param person:", "# param note: a note\n"
                                                     "# param person:"))
    results = queries.run(store, "notes", {"note": ["tab\there"]})
    assert [row["person"].value for row in results] == [EX + "ada"]


def test_repeated_param_gives_alternatives(qdir, store):
    results = queries.run(store, "people", {"name": ["Bob", "Nobody"]})
    assert [row["name"].value for row in results] == ["Bob"]


def test_parse_params():
    assert queries.parse_params(["a=1", "b=x=y", "a=2", "between=AZE,ARM"]) == \
        {"a": ["1", "2"], "b": ["x=y"], "between": ["AZE,ARM"]}
    with pytest.raises(QueryError, match="expected KEY=VALUE"):
        queries.parse_params(["novalue"])


def test_csv(qdir, store):
    assert text(queries.run(store, "people"), "csv") == (
        "person,name,note\r\n"
        'http://example.org/ada,"Ada ""the, first""",tab\there\r\n'
        "http://example.org/bob,Bob,\r\n")


def test_tsv(qdir, store):
    assert text(queries.run(store, "people"), "tsv") == (
        "?person\t?name\t?note\n"
        '<http://example.org/ada>\t"Ada \\"the, first\\""\t"tab\\there"\n'
        "<http://example.org/bob>\t\"Bob\"\t\n")


def test_json(qdir, store):
    data = json.loads(text(queries.run(store, "people"), "json"))
    assert data == {
        "head": {"vars": ["person", "name", "note"]},
        "results": {"bindings": [
            {"person": {"type": "uri", "value": EX + "ada"},
             "name": {"type": "literal", "value": 'Ada "the, first"'},
             "note": {"type": "literal", "value": "tab\there"}},
            {"person": {"type": "uri", "value": EX + "bob"},
             "name": {"type": "literal", "value": "Bob"}}]}}


def test_table(qdir, store):
    assert text(queries.run(store, "people"), "table") == (
        "person  name              note\n"
        "------  ----------------  --------\n"
        'ada     Ada "the, first"  tab here\n'
        "bob     Bob\n"
        "(2 rows)\n")


def test_ask_formats(qdir, store):
    assert text(queries.run(store, "is_anyone"), "csv") == "true\n"
    assert text(queries.run(store, "is_anyone"), "table") == "true\n"
    assert json.loads(text(queries.run(store, "is_anyone"), "json"))["boolean"] is True


def test_construct_gives_turtle(store):
    results = store.query("CONSTRUCT { ?s <http://example.org/named> ?n } "
                          "WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?n }")
    g = rdflib.Graph().parse(data=queries.render(results, "csv").decode(), format="turtle")
    assert len(g) == 2


def test_listing(qdir):
    out = queries.listing(queries.all_queries())
    assert "by_report report\n" in out
    assert "people [name] [person]\n    People - People and their names.\n" in out
    assert "--param report=... (required)  the report's id" in out


def test_syntax_error_names_the_query(qdir, store):
    (qdir / "broken.rq").write_text("SELECT WHERE {")
    with pytest.raises(QueryError, match=r"query broken \(.*broken.rq\)"):
        queries.run(store, "broken")


# ---------------------------------------------------------------- ISO3 params

CODES_RQ = """\
# param state (iso3): ISO3 code of a state
# param pair (required, iso3): ISO3 code of another
SELECT ?state ?pair WHERE { VALUES (?state ?pair) { ("IND" "FRA") ("PAK" "FRA") } }
"""


def test_iso3_flag_is_parsed(qdir):
    (qdir / "codes.rq").write_text(CODES_RQ)
    q = queries.load("codes")
    assert q.params["state"].iso3 and not q.params["state"].required
    assert q.params["pair"].iso3 and q.params["pair"].required
    assert not queries.load("people").params["name"].iso3


def test_iso3_params_take_any_case(qdir, store):
    (qdir / "codes.rq").write_text(CODES_RQ)
    rows = list(queries.run(store, "codes", {"state": ["ind", " Pak"], "pair": ["fRa"]}))
    assert sorted(r["state"].value for r in rows) == ["IND", "PAK"]


@pytest.mark.parametrize("value", ["XYZ", "in", "INDIA", "", "https://example.org/IND"])
def test_an_unknown_code_is_an_error_naming_param_and_value(qdir, value):
    (qdir / "codes.rq").write_text(CODES_RQ)
    with pytest.raises(QueryError, match=rf"query codes: param pair: '{value}' is not an "
                                         r"ISO 3166-1 alpha-3 code"):
        queries.load("codes").bind({"pair": [value]})


def test_an_unknown_flag_is_an_error(qdir):
    (qdir / "odd.rq").write_text("# param state (iso2): a code\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"query odd \(.*odd.rq\): param state: unknown iso2"):
        queries.load("odd")


def test_the_shipped_iso3_params_are_flagged(monkeypatch):
    """Every param of queries/ described as an ISO3 code takes any case."""
    monkeypatch.delenv("KG_QUERIES_DIR", raising=False)
    checked = 0
    for name in queries.available():
        for p in queries.load(name).params.values():
            if p.description.startswith(("ISO3 code", "ISO 3166-1 alpha-3 code")):
                assert p.iso3, f"{name}: param {p.name}"
                checked += 1
    assert checked >= 20


# ---------------------------------------------------------------- kg's own queries

def test_internal_queries_are_apart(monkeypatch):
    """queries/network/ holds kg's own: not listed, still loaded by name, whatever
    KG_QUERIES_DIR says."""
    monkeypatch.delenv("KG_QUERIES_DIR", raising=False)
    users = queries.available()
    internal = {p.stem for p in queries.INTERNAL_DIR.glob("*.rq")}
    assert {"network-links", "network-nodes", "chain-evidence"} <= internal
    assert not internal & set(users)
    assert not any(n.startswith("network-") for n in users)
    assert set(queries.available(internal=True)) == set(users) | internal
    assert queries.load("network-links").path.parent == queries.INTERNAL_DIR


def test_internal_queries_load_with_a_users_folder(qdir):
    assert queries.available() == ["by_report", "is_anyone", "people"]
    assert queries.load("network-links").name == "network-links"
    with pytest.raises(QueryError, match="available: by_report, is_anyone, people$"):
        queries.load("network-nope")


def test_unordered_stops_at_the_where_group():
    # the evidence listing sorts and pages; its unordered copy does neither, and still binds
    query = queries.load("evidence")
    assert "ORDER BY" in query.text
    plain = query.unordered()
    assert "ORDER BY" not in plain.text and "LIMIT" not in plain.text.upper().split("}")[-1]
    assert plain.text.rstrip().endswith("}")
    assert query.text.startswith(plain.text.rstrip())
    assert "VALUES" in plain.bind({"node": ["https://bilateral-kg.org/id/state/CHL"]})
