"""End to end: the scorer's floors on the dev corpus, re-ingesting a changed report, and a
folder of good reports mixed with bad input, all through the `kg` command line."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORE = SHARED / "eval" / "score.py"
DEV = SHARED / "corpus" / "dev"
pytestmark = pytest.mark.slow  # over ~2 s a test (make test-fast leaves it out)


def kg_command() -> list[str]:
    exe = Path(sys.executable).with_name("kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg.cli"]


def kg(*args, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run([*kg_command(), *map(str, args)], cwd=REPO, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=300)
    done.stdout, done.stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    return done


def query(name: str, store: Path) -> list[dict]:
    done = kg("query", name, "--store", store, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def write_report(folder: Path, rid: str, body: str, published: str | None = "2024-05-08",
                 title: str = "Report") -> Path:
    path = folder / f"{rid}.txt"
    date = f"published: {published}\n" if published else ""
    path.write_text(f"---\nid: {rid}\ntitle: {title}\n{date}source: Test Wire\n"
                    f"url: https://example.org/{rid}\n---\n{body}\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- (a) the scorer's floors

FLOORS = {
    ("states", "f1"): 0.95,
    ("officials", "f1"): 0.85,
    ("officials", "role_accuracy"): 0.85,
    ("officials", "state_accuracy"): 0.85,
    ("agreements", "f1"): 0.70,
    ("events", "f1"): 0.60,
    ("relations", "f1"): 0.80,
    ("person_merging", "f1"): 0.90,
}


@pytest.fixture(scope="module")
def dev_scores() -> dict:
    if not SCORE.is_file() or not DEV.is_dir():
        pytest.skip(f"the shared folder with the scorer and the dev corpus is absent: {SHARED}")
    done = subprocess.run([sys.executable, str(SCORE), str(DEV), "--kg",
                           " ".join(kg_command()), "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("kind,figure,floor", [(k, f, v) for (k, f), v in FLOORS.items()],
                         ids=[f"{k}-{f}" for k, f in FLOORS])
def test_dev_corpus_floor(dev_scores, kind, figure, floor):
    value = dev_scores[kind][figure]
    assert value is not None and value >= floor, \
        f"{kind} {figure} = {value}, under the floor of {floor}: {dev_scores[kind]}"


# Our own annotated reports from other regions and outlets (tests/fixtures/corpus): rules
# were not tuned to single sentences of these. Floors a little under today's figures, so that
# a change that generalises worse shows here and not first on unseen reports.
HELD_OUT_FLOORS = {
    "corpus": {("states", "f1"): 0.95, ("officials", "f1"): 0.92, ("agreements", "f1"): 0.87,
               ("events", "f1"): 0.75, ("relations", "f1"): 0.85,
               ("person_merging", "f1"): 0.90},
    # written later, by another hand, in rougher styles (live blogs, briefings, translations)
    "corpus2": {("states", "f1"): 0.95, ("officials", "f1"): 0.88, ("agreements", "f1"): 0.82,
                ("events", "f1"): 0.66, ("relations", "f1"): 0.83,
                ("person_merging", "f1"): 0.90},
}


@pytest.fixture(scope="module", params=sorted(HELD_OUT_FLOORS))
def held_out(request) -> tuple[str, dict]:
    if not SCORE.is_file():
        pytest.skip(f"the scorer is absent: {SCORE}")
    folder = REPO / "tests" / "fixtures" / request.param
    done = subprocess.run([sys.executable, str(SCORE), str(folder), "--kg",
                           " ".join(kg_command()), "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return request.param, json.loads(done.stdout)


def test_held_out_corpus_floors(held_out):
    name, scores = held_out
    low = {f"{kind} {figure}": (scores[kind][figure], floor)
           for (kind, figure), floor in HELD_OUT_FLOORS[name].items()
           if scores[kind][figure] is None or scores[kind][figure] < floor}
    assert not low, f"{name}: under the floors (value, floor): {low}"


def test_dev_corpus_every_report_ingested(dev_scores):
    assert dev_scores["reports"] == len(list(DEV.glob("*.gold.json")))


# ---------------------------------------------------------------- (b) re-ingesting a change

def test_reingest_changed_report_replaces_its_facts(tmp_path):
    folder, store = tmp_path / "reports", tmp_path / "kg"
    folder.mkdir()
    changing = write_report(folder, "wire-a", "RIGA, May 7. Latvian Foreign Minister Ilze "
                                              "Kalnina met Moldovan Foreign Minister Andrei "
                                              "Rusu in Riga on Tuesday to discuss energy "
                                              "cooperation between Latvia and Moldova.")
    write_report(folder, "wire-b", "Chilean President Tomas Vidal received Uruguayan Ambassador "
                                   "Rosa Ferreyra in Santiago on Monday.")
    done = kg("ingest", folder, "--store", store, "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "2 added, 0 replaced" in done.stdout

    def snapshot() -> dict[str, list[dict]]:
        return {name: query(name, store) for name in ("states", "officials", "relations")}

    def of(rows, report):
        return sorted(tuple(sorted(r.items())) for r in rows if r["report"] == report)

    first = snapshot()
    assert {r["iso3"] for r in first["states"] if r["report"] == "wire-a"} == {"LVA", "MDA"}
    assert {r["name"] for r in first["officials"] if r["report"] == "wire-a"} == \
        {"Ilze Kalnina", "Andrei Rusu"}

    write_report(folder, "wire-a", "RIGA, May 7. Latvian Foreign Minister Ilze Kalnina met "
                                   "Icelandic Foreign Minister Gudrun Helgadottir in Riga on "
                                   "Tuesday to discuss fisheries cooperation between Latvia "
                                   "and Iceland.")
    done = kg("ingest", changing, "--store", store, "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "0 added, 1 replaced, 0 unchanged, 0 failed" in done.stdout

    second = snapshot()
    # old facts gone, new ones present
    assert {r["iso3"] for r in second["states"] if r["report"] == "wire-a"} == {"LVA", "ISL"}
    assert {r["name"] for r in second["officials"] if r["report"] == "wire-a"} == \
        {"Ilze Kalnina", "Gudrun Helgadottir"}
    assert {tuple(sorted((r["state_a"], r["state_b"]))) for r in second["relations"]
            if r["report"] == "wire-a"} == {("ISL", "LVA")}
    # the other report untouched
    for name in first:
        assert of(second[name], "wire-b") == of(first[name], "wire-b"), name
    assert of(second["states"], "wire-b")
    assert {r["report"] for r in second["states"]} == {"wire-a", "wire-b"}


# ---------------------------------------------------------------- (c) bad input in a folder

GOOD_1 = ("TBILISI, May 6. Georgian Foreign Minister Nino Beridze met Armenian Foreign Minister "
          "Aram Petrosyan in Tbilisi on Monday.")
GOOD_2 = ("LUSAKA, May 7. Zambian and Malawian officials signed a Memorandum of Understanding on "
          "Cross-Border Trade, officials said.")
NO_STATE = "The city council approved a new budget for public parks and libraries on Monday."


@pytest.fixture
def mixed_folder(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "mixed"
    folder.mkdir()
    files = {
        "good-1": write_report(folder, "good-1", GOOD_1),
        "good-2": write_report(folder, "good-2", GOOD_2),
        "no-date": write_report(folder, "no-date", "Peruvian and Bolivian officials held "
                                                   "consultations on water management.",
                                published=None),
        "no-state": write_report(folder, "no-state", NO_STATE),
    }
    bad = {
        "empty": (b"", "empty file"),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        "latin1": ("---\nid: latin1\npublished: 2024-05-08\n---\nLe ministre français a "
                   "rencontré son homologue sénégalais.\n".encode("latin-1"),
                   "not valid UTF-8"),
        "broken-front-matter": (b"---\nid: broken-front-matter\npublished: 2024-05-08\n"
                                b"title: [unclosed\n---\nGhana and Togo held talks.\n",
                                "front matter is not valid YAML"),
        "impossible-date": (b"---\nid: impossible-date\npublished: 2024-02-30\n---\n"
                            b"Ghana and Togo held talks.\n", "impossible published date"),
        "huge": (("---\nid: huge\npublished: 2024-05-08\n---\n" +
                  "Ghana and Togo held talks on trade and transport. " * 210_000)
                 .encode("utf-8"), "too large"),
    }
    for rid, (data, _reason) in bad.items():
        path = folder / f"{rid}.txt"
        path.write_bytes(data)
        files[rid] = path
    assert files["huge"].stat().st_size > 10_000_000
    files["_reasons"] = {rid: reason for rid, (_data, reason) in bad.items()}
    files["_folder"] = folder
    return files


def test_ingest_folder_with_bad_input(tmp_path, mixed_folder):
    store = tmp_path / "kg"
    old = tmp_path / "old"
    old.mkdir()
    write_report(old, "already-there", "Nepalese Prime Minister R K Adhikari Thapa met Indian "
                                       "Prime Minister Arvind Rao in New Delhi on Monday.")
    assert kg("ingest", old, "--store", store, "--no-progress").returncode == 0

    done = kg("ingest", mixed_folder["_folder"], "--store", store, "--no-progress")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    reasons = mixed_folder["_reasons"]
    failed = [line for line in done.stderr.splitlines() if "failed" in line]
    for rid, reason in reasons.items():
        path = str(mixed_folder[rid])
        lines = [line for line in failed if path in line]
        assert len(lines) == 1, f"{rid}: {failed}"
        assert reason in lines[0], lines[0]
    for rid in ("good-1", "good-2", "no-date", "no-state"):
        assert str(mixed_folder[rid]) not in done.stderr
    assert f"4 added, 0 replaced, 0 unchanged, {len(reasons)} failed" in done.stdout

    # the warnings name their file, the reports are stored all the same
    output = done.stdout + done.stderr
    assert f"{mixed_folder['no-date']}: no date" in output
    assert f"{mixed_folder['no-state']}: names no state" in output

    reports = {r["report"] for r in query("states", store)}
    assert {"already-there", "good-1", "good-2", "no-date"} <= reports
    assert "no-state" not in reports               # it names no state: no row in "states"
    stats = dict(line.split() for line in kg("stats", "--store", store).stdout.splitlines())
    assert stats["reports"] == "5"
    officials = {(r["name"], r["report"]) for r in query("officials", store)}
    assert ("R K Adhikari Thapa", "already-there") in officials
    assert ("Nino Beridze", "good-1") in officials and ("Aram Petrosyan", "good-1") in officials
    agreements = [r for r in query("agreements", store) if r["report"] == "good-2"]
    assert {r["title"] for r in agreements} == {"Memorandum of Understanding on Cross-Border "
                                               "Trade"}
    assert {r["party"] for r in agreements} == {"ZMB", "MWI"}


def test_ingest_with_only_warnings_succeeds(tmp_path, mixed_folder):
    folder = tmp_path / "warnings-only"
    folder.mkdir()
    for rid in ("good-1", "no-date", "no-state"):
        (folder / mixed_folder[rid].name).write_bytes(mixed_folder[rid].read_bytes())
    done = kg("ingest", folder, "--store", tmp_path / "kg", "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 added, 0 replaced, 0 unchanged, 0 failed" in done.stdout
    assert "kg ingest: failed" not in done.stderr
    output = done.stdout + done.stderr
    assert "no date" in output and "names no state" in output
