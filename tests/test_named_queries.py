"""The named queries in queries/, run on a store built from four short invented reports.

Each expected row below is what the report texts say, written out by hand; where a cell is an
internal IRI (a post or an event), it is looked up by what the text says of it (its member, its
kind), never copied from the query under test.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import queries
from kg import vocabulary as V
from kg.ingest import ingest
from kg.store import Store

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO.parent / "shared" / "spec" / "contract.md"

# ---------------------------------------------------------------- the reports

MOU_SIGNED = ("A Memorandum of Understanding on Cross-Border Trade was signed in Nairobi on "
              "March 11, 2024 by Kenya and Tanzania.")
MINISTERS_TALK = ("Foreign Minister of Kenya Wanjiru Kamau held talks with Foreign Minister of "
                  "Tanzania Baraka Mwinyi in Nairobi on March 11, 2024.")
ENVOY_SAYS = ("The High Commissioner of Kenya to Tanzania Peter Njoroge said that trade between "
              "the two countries had doubled since 2020.")
PROTEST = ("Foreign Minister of Kenya Wanjiru Kamau condemned the detention of Kenyan truck "
           "drivers and accused Tanzania of violating the common market rules.")
CREDENTIALS = ("The Ambassador of Brazil to Argentina Paulo Ribeiro presented his credentials "
               "to President of Argentina Martin Ortega on May 3, 2024.")
ENERGY_SIGNED = ("An Agreement on Energy Integration was signed in Buenos Aires on May 3, 2024 "
                 "by Brazil and Argentina.")
SUMMIT = ("Tanzania hosted a trilateral summit of Tanzania, Kenya and Brazil in Arusha on "
          "June 19, 2024.")
WELCOME = ("President of Tanzania Amina Juma welcomed President of Kenya David Otieno and "
           "President of Brazil Roberto Alves.")
REVIEW = ("Kenya and Tanzania reviewed the implementation of the Memorandum of Understanding "
          "on Cross-Border Trade.")
VISIT = "President Otieno will pay a state visit to Brazil."

REPORTS = {
    "ken-tza-trade-mou": dict(
        title="Kenya and Tanzania sign trade memorandum", published="2024-03-12",
        body=f"NAIROBI, March 12. {MOU_SIGNED}\n\n{MINISTERS_TALK}\n\n{ENVOY_SAYS}"),
    "ken-tza-border-protest": dict(
        title="Kenya protests detention of truck drivers by Tanzania", published="2024-03-28",
        body=f"NAIROBI, March 28. {PROTEST}"),
    "bra-arg-credentials": dict(
        title="New Brazilian ambassador presents credentials in Buenos Aires",
        published="2024-05-06",
        body=f"BUENOS AIRES, May 6. {CREDENTIALS}\n\n{ENERGY_SIGNED}"),
    "ken-tza-bra-summit": dict(
        title="Brazil, Kenya and Tanzania hold trilateral summit", published="2024-06-20",
        body=f"ARUSHA, June 20. {SUMMIT}\n\n{WELCOME}\n\n{REVIEW}\n\n{VISIT}"),
}
MOU, PROTEST_R, BRA_ARG, SUMMIT_R = REPORTS


def url(report_id: str) -> str:
    return f"https://example.org/wire/{report_id}"


def span(report_id: str, sentence: str) -> tuple[str, str, str]:
    """(sentence, start, end) as the evidence columns give them; offsets into the body."""
    body = REPORTS[report_id]["body"]
    start = body.index(sentence)
    return sentence, str(start), str(start + len(sentence))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for rid, r in REPORTS.items():
        (folder / f"{rid}.txt").write_text(
            f"---\nid: {rid}\ntitle: {r['title']}\npublished: {r['published']}\n"
            f"source: Test Wire\nurl: {url(rid)}\n---\n{r['body']}\n", encoding="utf-8")
    s = Store.memory()
    summary = ingest([folder], s, progress=False)
    assert not summary.failed, summary.failed
    assert summary.added == len(REPORTS)
    yield s
    s.close()


def run(store, name, **params):
    """(columns, rows): rows as tuples of plain strings (None where unbound), in result order."""
    results = queries.run(store, name, {k: [v] for k, v in params.items()})
    columns = [v.value for v in results.variables]
    rows = [tuple(None if row[c] is None else row[c].value for c in columns) for row in results]
    return columns, rows


def post_iri(store, report_id, person_key):
    rows = store.select(
        f"PREFIX org: <http://www.w3.org/ns/org#> SELECT ?post WHERE {{ GRAPH <"
        f"{V.graph_iri(report_id)}> {{ ?post org:member <{V.person_iri(person_key)}> }} }}")
    assert len(rows) == 1, rows
    return rows[0]["post"]


def event_iri(store, report_id, kind):
    """The one event of that kind the report states, found through the contract query."""
    _, rows = run(store, "events", report=report_id, kind=kind)
    found = {r[0] for r in rows}
    assert len(found) == 1, rows
    return found.pop()


def agreement_iri(store, report_id):
    _, rows = run(store, "agreements", report=report_id)
    found = {r[0] for r in rows}
    assert len(found) == 1, rows
    return found.pop()


KEN, TZA, BRA, ARG = "KEN", "TZA", "BRA", "ARG"

# ---------------------------------------------------------------- state-relations

RELATION_COLUMNS = ["other", "other_name", "polarity", "report", "sentence", "start", "end"]


def test_state_relations_of_kenya(store):
    columns, rows = run(store, "state-relations", state=KEN)
    assert columns == RELATION_COLUMNS
    assert rows == [
        # ordered by partner, report, offset
        # Kenya and Brazil are listed together, not dealing with each other, in SUMMIT and
        # WELCOME (Tanzania acts on both); they deal in VISIT
        (BRA, "Brazil", "cooperative", SUMMIT_R, *span(SUMMIT_R, VISIT)),
        (TZA, "Tanzania", "conflictual", PROTEST_R, *span(PROTEST_R, PROTEST)),
        (TZA, "Tanzania", "cooperative", SUMMIT_R, *span(SUMMIT_R, SUMMIT)),
        (TZA, "Tanzania", "cooperative", SUMMIT_R, *span(SUMMIT_R, WELCOME)),
        (TZA, "Tanzania", "cooperative", SUMMIT_R, *span(SUMMIT_R, REVIEW)),
        (TZA, "Tanzania", "cooperative", MOU, *span(MOU, MOU_SIGNED)),
        (TZA, "Tanzania", "cooperative", MOU, *span(MOU, MINISTERS_TALK)),
        (TZA, "Tanzania", "cooperative", MOU, *span(MOU, ENVOY_SAYS)),
    ]


def test_state_relations_offsets_point_at_the_sentence(store):
    _, rows = run(store, "state-relations", state=TZA)
    assert rows
    for other, _, _, report, sentence, start, end in rows:
        assert REPORTS[report]["body"][int(start):int(end)] == sentence


def test_state_relations_of_argentina_and_of_an_unknown_state(store):
    _, rows = run(store, "state-relations", state=ARG)
    assert rows == [(BRA, "Brazil", "cooperative", BRA_ARG, *span(BRA_ARG, CREDENTIALS)),
                    (BRA, "Brazil", "cooperative", BRA_ARG, *span(BRA_ARG, ENERGY_SIGNED))]
    assert run(store, "state-relations", state="PER")[1] == []


# ---------------------------------------------------------------- agreements-between

def test_agreements_between_either_order(store):
    mou = agreement_iri(store, MOU)
    assert agreement_iri(store, SUMMIT_R) == mou  # one memorandum, named by two reports
    title = "Memorandum of Understanding on Cross-Border Trade"
    expected = [
        # the summit report says it is being implemented, and gives no date or place
        (mou, title, "memorandum", "in_force", None, None, SUMMIT_R),
        (mou, title, "memorandum", "signed", "2024-03-11", "Nairobi", MOU),
    ]
    columns, rows = run(store, "agreements-between", a=KEN, b=TZA)
    assert columns == ["agreement", "title", "kind", "status", "date", "place", "report"]
    assert rows == expected
    assert run(store, "agreements-between", a=TZA, b=KEN)[1] == expected


def test_agreements_between_brazil_and_argentina_only(store):
    energy = agreement_iri(store, BRA_ARG)
    expected = [(energy, "Agreement on Energy Integration", "agreement", "signed",
                 "2024-05-03", "Buenos Aires", BRA_ARG)]
    assert run(store, "agreements-between", a=ARG, b=BRA)[1] == expected
    assert run(store, "agreements-between", a=BRA, b=ARG)[1] == expected
    # Kenya and Brazil met, but signed nothing; a state is not its own counterpart
    assert run(store, "agreements-between", a=KEN, b=BRA)[1] == []
    assert run(store, "agreements-between", a=KEN, b=KEN)[1] == []


# ---------------------------------------------------------------- state-officials

def test_state_officials_of_kenya(store):
    columns, rows = run(store, "state-officials", state=KEN)
    assert columns == ["person", "name", "role", "position", "host_state", "report", "published"]
    kamau = V.person_iri("wanjiru-kamau")
    assert rows == [
        (V.person_iri("david-otieno"), "David Otieno", "head_of_state", "President of Kenya",
         None, SUMMIT_R, "2024-06-20"),
        (V.person_iri("peter-njoroge"), "Peter Njoroge", "ambassador",
         "High Commissioner of Kenya to Tanzania", TZA, MOU, "2024-03-12"),
        # one person across two reports: one IRI, one row per report, by date
        (kamau, "Wanjiru Kamau", "foreign_minister", "Foreign Minister of Kenya", None, MOU,
         "2024-03-12"),
        (kamau, "Wanjiru Kamau", "foreign_minister", "Foreign Minister of Kenya", None,
         PROTEST_R, "2024-03-28"),
    ]


def test_state_officials_of_brazil(store):
    _, rows = run(store, "state-officials", state=BRA)
    assert rows == [
        (V.person_iri("paulo-ribeiro"), "Paulo Ribeiro", "ambassador",
         "Ambassador of Brazil to Argentina", ARG, BRA_ARG, "2024-05-06"),
        (V.person_iri("roberto-alves"), "Roberto Alves", "head_of_state", "President of Brazil",
         None, SUMMIT_R, "2024-06-20"),
    ]


# ---------------------------------------------------------------- timeline

TIMELINE_COLUMNS = ["date", "kind", "place", "participants", "event", "report", "sentence"]


def test_timeline_of_kenya_dated_first_undated_last(store):
    columns, rows = run(store, "timeline", state=KEN)
    assert columns == TIMELINE_COLUMNS
    assert rows == [
        ("2024-03-11", "meeting", "Nairobi", "KEN TZA", event_iri(store, MOU, "meeting"), MOU,
         MINISTERS_TALK),
        # the text names Tanzania, Kenya and Brazil; the cell is sorted
        ("2024-06-19", "summit", "Arusha", "BRA KEN TZA", event_iri(store, SUMMIT_R, "summit"),
         SUMMIT_R, SUMMIT),
        (None, "visit", "Brazil", "BRA KEN", event_iri(store, SUMMIT_R, "visit"), SUMMIT_R,
         VISIT),
    ]


def test_timeline_of_a_pair(store):
    summit, visit = event_iri(store, SUMMIT_R, "summit"), event_iri(store, SUMMIT_R, "visit")
    _, rows = run(store, "timeline", state=KEN, other=BRA)
    assert [(r[0], r[1], r[4]) for r in rows] == [("2024-06-19", "summit", summit),
                                                  (None, "visit", visit)]
    _, rows = run(store, "timeline", state=TZA, other=KEN)
    assert [(r[0], r[1], r[3]) for r in rows] == [("2024-03-11", "meeting", "KEN TZA"),
                                                  ("2024-06-19", "summit", "BRA KEN TZA")]
    _, rows = run(store, "timeline", state=BRA, other=ARG)
    # no place in its sentence: the lead's event takes the dateline's
    assert rows == [("2024-05-03", "credentials", "Buenos Aires", "ARG BRA",
                     event_iri(store, BRA_ARG, "credentials"), BRA_ARG, CREDENTIALS)]
    assert run(store, "timeline", state=ARG, other=TZA)[1] == []


# ---------------------------------------------------------------- evidence

def test_evidence_of_a_person_is_that_of_their_posts_and_events(store):
    columns, rows = run(store, "evidence", node=V.person_iri("wanjiru-kamau"))
    assert columns == ["report", "start", "end", "sentence", "fact"]
    talk = span(MOU, MINISTERS_TALK)
    meeting, post_mou = event_iri(store, MOU, "meeting"), post_iri(store, MOU, "wanjiru-kamau")
    protest = span(PROTEST_R, PROTEST)
    expected = [
        (PROTEST_R, protest[1], protest[2], PROTEST,
         post_iri(store, PROTEST_R, "wanjiru-kamau")),
        *sorted([(MOU, talk[1], talk[2], MINISTERS_TALK, meeting),
                 (MOU, talk[1], talk[2], MINISTERS_TALK, post_mou)]),
    ]
    assert rows == expected


def test_evidence_of_a_relation_is_its_own_across_reports(store):
    _, rows = run(store, "evidence", node=V.relation_iri(KEN, TZA))
    relation = V.relation_iri(KEN, TZA)
    expected = []
    for report, sentence in [(MOU, MOU_SIGNED), (MOU, MINISTERS_TALK), (MOU, ENVOY_SAYS),
                             (PROTEST_R, PROTEST), (SUMMIT_R, SUMMIT), (SUMMIT_R, WELCOME),
                             (SUMMIT_R, REVIEW)]:
        s, start, end = span(report, sentence)
        expected.append((report, start, end, s, relation))
    key = lambda r: (r[0], int(r[1]))  # noqa: E731
    assert sorted(rows, key=key) == sorted(expected, key=key)


def test_evidence_of_a_state(store):
    arg = V.state_iri(ARG)
    _, rows = run(store, "evidence", node=arg)
    facts = {(r[3], r[4]) for r in rows}
    credentials, energy = event_iri(store, BRA_ARG, "credentials"), agreement_iri(store, BRA_ARG)
    relation = V.relation_iri(ARG, BRA)
    # the state's own mentions, and the event, agreement, relation and posts naming it
    assert {(CREDENTIALS, arg), (ENERGY_SIGNED, arg), (CREDENTIALS, credentials),
            (ENERGY_SIGNED, energy), (CREDENTIALS, relation), (ENERGY_SIGNED, relation),
            (CREDENTIALS, post_iri(store, BRA_ARG, "paulo-ribeiro")),
            (CREDENTIALS, post_iri(store, BRA_ARG, "martin-ortega"))} <= facts
    assert {r[0] for r in rows} == {BRA_ARG}
    # nothing from the summit report, where Argentina is not named
    assert all(fact not in (V.state_iri(KEN), V.state_iri(TZA)) for _, fact in facts)


def test_evidence_of_an_unknown_node_is_empty(store):
    assert run(store, "evidence", node=V.person_iri("nobody-at-all"))[1] == []


# ---------------------------------------------------------------- reports

def evidence_count(store, report_id):
    graph = store.graph(report_id)
    return sum(1 for _ in graph.subjects(predicate=None, object=V.BKG.Evidence))


def test_reports(store):
    columns, rows = run(store, "reports")
    assert columns == ["report", "title", "published", "source", "url", "states", "facts"]
    states = {MOU: 2, PROTEST_R: 2, BRA_ARG: 2, SUMMIT_R: 3}
    assert [r[:6] for r in rows] == [
        (rid, REPORTS[rid]["title"], REPORTS[rid]["published"], "Test Wire", url(rid),
         str(states[rid])) for rid in (MOU, PROTEST_R, BRA_ARG, SUMMIT_R)]
    for row in rows:
        assert int(row[6]) == evidence_count(store, row[0]) > 0


# ---------------------------------------------------------------- pair-history

def test_pair_history(store):
    columns, rows = run(store, "pair-history", a=KEN, b=TZA)
    assert columns == ["month", "cooperative", "conflictual"]
    # March: the memorandum report (cooperative) and the protest report (conflictual)
    expected = [("2024-03", "1", "1"), ("2024-06", "1", "0")]
    assert rows == expected
    assert run(store, "pair-history", a=TZA, b=KEN)[1] == expected
    assert run(store, "pair-history", a=ARG, b=BRA)[1] == [("2024-05", "1", "0")]
    assert run(store, "pair-history", a=ARG, b=KEN)[1] == []


# ---------------------------------------------------------------- headers, listing, contract

def declared_params(path: Path) -> list[tuple[str, bool]]:
    """The `# param` header lines of a .rq file, read here independently of kg.queries."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if m := re.match(r"#\s*param\s+(\w+)\s*(?:\(([\w, ]*)\))?", line):
            found.append((m[1], "required" in (m[2] or "").replace(" ", "").split(",")))
    return found


NEW_QUERIES = {
    "state-relations": [("state", True), ("relation", False)],
    "agreements-between": [("a", True), ("b", True)],
    "state-officials": [("state", True)],
    "timeline": [("state", True), ("other", False)],
    "evidence": [("node", True)],
    "reports": [],
    "pair-history": [("a", True), ("b", True)],
}


@pytest.mark.parametrize("name", sorted(NEW_QUERIES))
def test_new_query_headers(name):
    path = REPO / "queries" / f"{name}.rq"
    assert declared_params(path) == NEW_QUERIES[name]
    query = queries.load(name)
    assert query.title and query.description


@pytest.mark.parametrize("name", ["state-relations", "agreements-between", "timeline",
                                  "evidence", "pair-history"])
def test_required_params_are_required(name):
    with pytest.raises(queries.QueryError, match="missing required param"):
        queries.load(name).bind({})


def test_list_shows_every_query_with_its_params():
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--list"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    files = sorted((REPO / "queries").glob("*.rq"))
    assert {p.stem for p in files} >= set(NEW_QUERIES) | {"states", "officials", "agreements",
                                                          "events", "relations"}
    for path in files:
        params = declared_params(path)
        words = [n if required else f"[{n}]" for n, required in params]
        signature = " ".join([path.stem, *words]) if params else f"{path.stem} (no params)"
        assert signature in lines, f"{signature!r} not in the listing"
        block = lines[lines.index(signature) + 1:]
        for name, required in params:
            expected = f"    --param {name}=...{' (required)' if required else ''}"
            assert any(line.startswith(expected) for line in block[:len(params) + 1]), \
                f"{path.stem}: no line for param {name}"


CONTRACT_COLUMNS = {
    "states": ["state", "iso3", "name", "report"],
    "officials": ["person", "name", "role", "position", "state", "host_state", "report"],
    "agreements": ["agreement", "title", "kind", "party", "date", "place", "status", "report"],
    "events": ["event", "kind", "date", "place", "participant", "report"],
    "relations": ["state_a", "state_b", "polarity", "report"],
}


def test_contract_table_is_the_one_checked_here():
    if not CONTRACT.is_file():
        pytest.skip(f"{CONTRACT} is not in this checkout")
    table = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\|\s*`(\w+)`\s*\|\s*([a-z0-9_, ]+?)\s*\|\s*$", line):
            table[m[1]] = [c.strip() for c in m[2].split(",")]
    assert table == CONTRACT_COLUMNS


@pytest.mark.parametrize("name", sorted(CONTRACT_COLUMNS))
def test_contract_query_columns(store, name):
    columns, rows = run(store, name)
    assert columns == CONTRACT_COLUMNS[name]
    assert rows
