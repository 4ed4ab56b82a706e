"""Invalid data is refused: `kg validate` lists the violations (focus node, path, message,
report) and exits 1; ingest refuses a report whose graph breaks the shapes and stores nothing
of it, while the other reports of the run are stored."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import ORG, RDF

from kg import mapping
from kg.ingest import ingest
from kg.store import Store
from sample_report import BKG, ID, REPORT, report_graph

REPO = Path(__file__).resolve().parent.parent


def kg(*args):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, env=dict(os.environ), timeout=300)


def broken_graph():
    """The valid test report with a post that has no holder and a relation with one state."""
    g = report_graph()
    g.remove((ID[f"post/{REPORT}/1"], ORG.member, None))
    g.remove((ID["relation/AZE-TKM"], BKG.between, ID["state/TKM"]))
    return g


@pytest.fixture
def stores(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    with Store.open(good) as s:
        s.replace_report(REPORT, report_graph())
    with Store.open(bad) as s:
        s.replace_report(REPORT, broken_graph())  # written past ingest, as an old store might be
    return good, bad


def test_validate_conforming_store(stores):
    done = kg("validate", "--store", stores[0])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout


def test_validate_lists_each_violation(stores):
    done = kg("validate", "--store", stores[1])
    assert done.returncode == 1
    assert "does not conform" in done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip().startswith("- Violation")]
    post = f"<{ID[f'post/{REPORT}/1']}> org:member:"
    relation = f"<{ID['relation/AZE-TKM']}> bkg:between:"
    for focus_and_path in (post, relation):
        hit = [line for line in lines if focus_and_path in line]
        assert hit, done.stdout
        assert f"[{REPORT}]" in hit[0]  # the report whose graph holds the node
    assert any("exactly two" in line for line in lines)
    assert any("holder" in line for line in lines)


def test_validate_one_report(stores):
    done = kg("validate", "--store", stores[1], "--report", REPORT)
    assert done.returncode == 1 and "holder" in done.stdout
    assert f"report {REPORT}: does not conform" in done.stderr


def test_ingest_refuses_a_report_that_breaks_the_shapes(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    for rid, state in (("bad-one", "Azerbaijan"), ("good-one", "Turkmenistan")):
        (reports / f"{rid}.txt").write_text(
            f"---\nid: {rid}\npublished: 2025-11-07\n---\n"
            f"ASHGABAT, November 7. {state} and Armenia agreed to deepen cooperation in trade.\n",
            encoding="utf-8")
    real = mapping.report_graph

    def mapping_with_a_bug(report, extraction):
        g = real(report, extraction)
        if report.id == "bad-one":  # a post with a role outside the code list and no holder
            post = ID["post/bad-one/99"]
            g.add((post, RDF.type, BKG.Post))
            g.add((post, BKG.role, URIRef("https://bilateral-kg.org/ontology/role/chancellor")))
        return g

    monkeypatch.setattr(mapping, "report_graph", mapping_with_a_bug)
    with Store.open(tmp_path / "kg") as store:
        summary = ingest([reports], store, progress=False)
        assert store.report_ids() == ["good-one"]  # nothing of the refused report is stored
    assert summary.added == 1 and len(summary.failed) == 1
    failure = summary.failed[0]
    assert "bad-one.txt" in failure and "does not conform to the shapes" in failure
    assert str(ID["post/bad-one/99"]) in failure
    assert "role code list" in failure and "holder" in failure


def test_validation_keeps_nothing_of_the_graphs_it_checked():
    """pyshacl caches the text of every blank node it prints, per data graph, for the life of
    the process; ingest validates report after report, so kg.validation empties that cache
    after each graph (it grew by about 8 MB per 1,000 reports)."""
    from pyshacl.rdfutil.stringify import stringify_blank_node

    from kg.validation import validate

    for graph in (report_graph(), broken_graph(), report_graph()):
        validate(graph)
        assert getattr(stringify_blank_node, "dict_cache", None) == {}
