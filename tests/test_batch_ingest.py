"""kg ingest runs the spaCy pipeline over several reports at once (nlp.pipe, issue 17): the
stored graphs must be those of extracting one report at a time, and one report's failure
must stay its own."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

import kg.extraction
import kg.ingest
from kg.extraction import extract, extract_many
from kg.ingest import ingest, store_report
from kg.reports import read_path
from kg.store import OxigraphStore as Store

from synthetic_texts import write_texts

pytestmark = pytest.mark.slow  # the statistical pipeline over a few dozen reports
N_REPORTS = 21   # more than one batch of kg.ingest.NLP_BATCH, and the last one not full


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_texts(folder, N_REPORTS, seed=17)
    return folder


@pytest.fixture(scope="module")
def one_at_a_time(texts, tmp_path_factory) -> Path:
    """The store built report by report, each extracted alone (kg serve's upload path)."""
    path = tmp_path_factory.mktemp("single") / "kg"
    with Store.open(path) as store:
        for file in sorted(texts.glob("*.txt")):
            (report,) = read_path(file)
            store_report(report, store)
    return path


def _graphs(path: Path) -> dict:
    with Store.open(path) as store:
        return {rid: store.graph(rid) for rid in store.report_ids()}


def _same_store(a: Path, b: Path) -> None:
    ga, gb = _graphs(a), _graphs(b)
    assert sorted(ga) == sorted(gb) and len(ga) == N_REPORTS
    for rid in ga:   # blank nodes differ between runs: compare each report graph up to them
        assert isomorphic(ga[rid], gb[rid]), rid


def test_the_batches_cover_more_than_one_and_a_partial_one():
    assert N_REPORTS > kg.ingest.NLP_BATCH and N_REPORTS % kg.ingest.NLP_BATCH


@pytest.mark.parametrize("jobs", [1, 2])
def test_batched_ingest_stores_what_one_report_at_a_time_stores(texts, one_at_a_time,
                                                                tmp_path, jobs):
    with Store.open(tmp_path / "kg") as store:
        summary = ingest([texts], store, progress=False, jobs=jobs)
    assert summary.added == N_REPORTS and not summary.failed
    _same_store(one_at_a_time, tmp_path / "kg")


def test_extract_many_gives_what_extract_gives(texts):
    reports = [r for f in sorted(texts.glob("*.txt"))[:6] for r in read_path(f)]
    many = extract_many(reports)
    assert [m.__dict__ for m in many] == [extract(r).__dict__ for r in reports]


def test_a_report_whose_rules_fail_spoils_none_of_its_batch(texts, one_at_a_time, tmp_path,
                                                           monkeypatch):
    files = sorted(texts.glob("*.txt"))
    bad = read_path(files[2])[0].id          # inside the first batch
    real = kg.extraction.extract_from

    def extract_from(context):
        if context.report.id == bad:
            raise ValueError("a rule broke")
        return real(context)

    monkeypatch.setattr(kg.extraction, "extract_from", extract_from)
    with Store.open(tmp_path / "kg") as store:
        summary = ingest([texts], store, progress=False)
        stored = set(store.report_ids())
    assert summary.added == N_REPORTS - 1
    assert summary.failed == [f"{files[2]}: ValueError: a rule broke"]
    assert bad not in stored and len(stored) == N_REPORTS - 1
    single = _graphs(one_at_a_time)
    batched = _graphs(tmp_path / "kg")
    for rid, graph in batched.items():
        assert isomorphic(graph, single[rid]), rid


def test_a_batch_the_pipeline_refuses_is_analysed_report_by_report(texts, monkeypatch):
    """If nlp.pipe fails over the batch, each report is analysed alone: only a report that
    fails alone fails."""
    from kg.extraction import context as context_module

    reports = [r for f in sorted(texts.glob("*.txt"))[:4] for r in read_path(f)]
    expected = [extract(r).__dict__ for r in reports]
    real_nlp = context_module.nlp

    class Refusing:
        """The real pipeline, whose pipe() fails (as it would on one text it cannot take).
        It is handed the text tokenized (context._text_doc), or a title as a string."""
        def make_doc(self, text):
            return real_nlp().make_doc(text)

        def __call__(self, doc):
            if getattr(doc, "text", doc) == reports[1].text:
                raise ValueError("cannot analyse this text")
            return real_nlp()(doc)

        def pipe(self, texts, batch_size):
            raise ValueError("cannot analyse this text")

    monkeypatch.setattr(context_module, "nlp", lambda: Refusing())
    many = extract_many(reports)
    assert isinstance(many[1], ValueError)
    assert [m.__dict__ for k, m in enumerate(many) if k != 1] == \
        [e for k, e in enumerate(expected) if k != 1]
