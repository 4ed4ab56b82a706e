"""End to end: the scorer's floors on the real and our own corpora, with the statistical
pipeline and the rule-only fallback, re-ingesting a changed report, and a
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

TRAIN = SHARED / "corpus" / "train"
FIXTURES = REPO / "tests" / "fixtures"
# Every figure the scorer gives, for each corpus: F1 per kind of fact and each attribute's
# accuracy. Floors a little under today's figures, so that a change that generalises worse
# shows here before it shows on unseen reports.
#   dev, train: real reports (../shared/corpus). The rules were developed on them: not held out.
#   fixtures/corpus, corpus2: reports we wrote ourselves and then tuned the rules on: not held
#     out either; they keep cases the real corpora have few of.
#   fixtures/corpus3, corpus4: reports written by one who never saw the extractor, never tuned
#     on: the nearest to unseen reports we have (though written, not real).
#   fixtures/corpus5: written (issue 15) by one who never saw the extractor, then tuned on:
#     no longer held out, but new to the rules when written (0.844 all facts before tuning).
#   fixtures/corpus6, corpus7: the same (0.823 and 0.828 all facts when written), then tuned on.
#   fixtures/corpus8: written by one who never saw the extractor or the other sets, never tuned
#     on: held out like corpus3 and corpus4.
#   fixtures/corpus9: written like corpus8, for the mix of a real archive (0.817 all facts
#     when written), then tuned on.
#   fixtures/corpus10: written the same way at the same time, never tuned on: held out
#     (0.859 all facts when written, at 223c2ae).
#   fixtures/corpus11: written like corpus8 (0.836 all facts when written, at deee4af), then
#     tuned on.
#   fixtures/corpus12: written like corpus8 (0.811 all facts when written, at 49bc201), then
#     tuned on.
#   fixtures/corpus13: written like corpus8 (0.834 all facts when written, at 45d940e), then
#     tuned on.
#   fixtures/corpus14: written like corpus8 (0.809 all facts when written, at 4c1f406), then
#     tuned on.
#   fixtures/corpus15: written like corpus8 (0.805 all facts when written, at 3638baf with the
#     date fix of f9e174a), then tuned on.
#   fixtures/corpus16: written like corpus8 (0.821 all facts when written, at 4b7ba9c with the
#     front-matter fix of this commit), then tuned on.
#   fixtures/corpus17: written like corpus8 (0.835 all facts when written, at 6d7bcfc), never
#     tuned on: held out like corpus3, corpus4, corpus8 and corpus10.
#   fixtures/corpus18: written like corpus8 for the ordinary kinds of report (0.843 all facts
#     when written, at dec9392), then tuned on.
#   fixtures/corpus19: written like corpus18, the ordinary kinds at a real report's density of
#     facts (0.887 all facts when written, at dec9392), never tuned on: held out.
#   fixtures/corpus20: written like corpus19 (0.882 all facts when written, at 7551039), then
#     tuned on.
#   fixtures/corpus21: written like corpus19, from state agencies, ministries and wires in their
#     own English (0.898 all facts when written, at c7563e4), never tuned on: held out.
#   fixtures/corpus22: written like corpus19, dense in people and titles, with incidents and
#     disputes (0.910 all facts when written, at 3a7d75d), then tuned on.
#   fixtures/corpus23: written like corpus19, one official meeting several counterparts,
#     ministry programmes, backgrounders and disputes (0.879 all facts when written, at
#     2d57340), never tuned on: held out.
#   dev-blank: the rule-only fallback (KG_SPACY_MODEL=blank), which must keep working.
CORPORA = {
    "dev": (DEV, {}),
    "train": (TRAIN, {}),
    "fixtures-corpus": (FIXTURES / "corpus", {}),
    "fixtures-corpus2": (FIXTURES / "corpus2", {}),
    "fixtures-corpus3": (FIXTURES / "corpus3", {}),
    "fixtures-corpus4": (FIXTURES / "corpus4", {}),
    "fixtures-corpus5": (FIXTURES / "corpus5", {}),
    "fixtures-corpus6": (FIXTURES / "corpus6", {}),
    "fixtures-corpus7": (FIXTURES / "corpus7", {}),
    "fixtures-corpus8": (FIXTURES / "corpus8", {}),
    "fixtures-corpus9": (FIXTURES / "corpus9", {}),
    "fixtures-corpus10": (FIXTURES / "corpus10", {}),
    "fixtures-corpus11": (FIXTURES / "corpus11", {}),
    "fixtures-corpus12": (FIXTURES / "corpus12", {}),
    "fixtures-corpus13": (FIXTURES / "corpus13", {}),
    "fixtures-corpus14": (FIXTURES / "corpus14", {}),
    "fixtures-corpus15": (FIXTURES / "corpus15", {}),
    "fixtures-corpus16": (FIXTURES / "corpus16", {}),
    "fixtures-corpus17": (FIXTURES / "corpus17", {}),
    "fixtures-corpus18": (FIXTURES / "corpus18", {}),
    "fixtures-corpus19": (FIXTURES / "corpus19", {}),
    "fixtures-corpus20": (FIXTURES / "corpus20", {}),
    "fixtures-corpus21": (FIXTURES / "corpus21", {}),
    "fixtures-corpus22": (FIXTURES / "corpus22", {}),
    "fixtures-corpus23": (FIXTURES / "corpus23", {}),
    "dev-blank": (DEV, {"KG_SPACY_MODEL": "blank"}),
}
FLOORS = {
    "dev": {
            "states f1": 0.99, "officials f1": 0.99, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.99, "officials state_accuracy": 0.99,
            "agreements f1": 0.99, "agreements date_accuracy": 0.99,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.95,
            "agreements place_accuracy": 0.99, "agreements status_accuracy": 0.99,
            "events f1": 0.97, "events date_accuracy": 0.99, "events participants_accuracy": 0.95,
            "events place_accuracy": 0.7, "relations f1": 0.94,
            "relations polarity_accuracy": 0.93, "person_merging f1": 0.99,
    },
    "train": {
            "states f1": 0.98, "officials f1": 0.96, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.95, "officials state_accuracy": 0.94,
            "agreements f1": 0.94, "agreements date_accuracy": 0.99,
            "agreements kind_accuracy": 0.97, "agreements parties_accuracy": 0.96,
            # (0.83 until the dateline was parsed apart: Interfax's treaty signed in Tashkent,
            # told from Baku, now takes the lead's place, the dateline's)
            "agreements place_accuracy": 0.76, "agreements status_accuracy": 0.92,
            "events f1": 0.86, "events date_accuracy": 0.91, "events participants_accuracy": 0.83,
            "events place_accuracy": 0.72, "relations f1": 0.96,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus": {
            "states f1": 0.99, "officials f1": 0.98, "officials host_state_accuracy": 0.92,
            "officials role_accuracy": 0.97, "officials state_accuracy": 0.97,
            "agreements f1": 0.91, "agreements date_accuracy": 0.76,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.89,
            "agreements place_accuracy": 0.72, "agreements status_accuracy": 0.89,
            "events f1": 0.93, "events date_accuracy": 0.91, "events participants_accuracy": 0.88,
            "events place_accuracy": 0.87, "relations f1": 0.93,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus2": {
            "states f1": 0.98, "officials f1": 0.96, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.94, "officials state_accuracy": 0.9,
            "agreements f1": 0.9, "agreements date_accuracy": 0.78,
            "agreements kind_accuracy": 0.96, "agreements parties_accuracy": 0.99,
            "agreements place_accuracy": 0.44, "agreements status_accuracy": 0.91,
            "events f1": 0.85, "events date_accuracy": 0.88, "events participants_accuracy": 0.95,
            "events place_accuracy": 0.6, "relations f1": 0.97,
            "relations polarity_accuracy": 0.96, "person_merging f1": 0.98,
    },
    "fixtures-corpus3": {
            "states f1": 0.99, "officials f1": 0.97, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.97, "officials state_accuracy": 0.95,
            "agreements f1": 0.86, "agreements date_accuracy": 0.81,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.99,
            "agreements place_accuracy": 0.79, "agreements status_accuracy": 0.87,
            "events f1": 0.83, "events date_accuracy": 0.88, "events participants_accuracy": 0.84,
            "events place_accuracy": 0.79, "relations f1": 0.91,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus4": {
            "states f1": 0.98, "officials f1": 0.94, "officials host_state_accuracy": 0.87,
            "officials role_accuracy": 0.95, "officials state_accuracy": 0.87,
            "agreements f1": 0.85, "agreements date_accuracy": 0.87,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.96,
            "agreements place_accuracy": 0.49, "agreements status_accuracy": 0.92,
            "events f1": 0.85, "events date_accuracy": 0.91, "events participants_accuracy": 0.88,
            "events place_accuracy": 0.82, "relations f1": 0.84,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus5": {
            "states f1": 0.99, "officials f1": 0.99, "officials host_state_accuracy": 0.93,
            "officials role_accuracy": 0.92, "officials state_accuracy": 0.93,
            "agreements f1": 0.85, "agreements date_accuracy": 0.9,
            "agreements kind_accuracy": 0.97, "agreements parties_accuracy": 0.92,
            "agreements place_accuracy": 0.84, "agreements status_accuracy": 0.92,
            "events f1": 0.8, "events date_accuracy": 0.92, "events participants_accuracy": 0.86,
            "events place_accuracy": 0.73, "relations f1": 0.88,
            "relations polarity_accuracy": 0.93, "person_merging f1": 0.99,
    },
    "fixtures-corpus6": {
            "states f1": 0.98, "officials f1": 0.97, "officials host_state_accuracy": 0.86,
            "officials role_accuracy": 0.89, "officials state_accuracy": 0.87,
            "agreements f1": 0.8, "agreements date_accuracy": 0.89,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.79,
            "agreements place_accuracy": 0.74, "agreements status_accuracy": 0.92,
            "events f1": 0.82, "events date_accuracy": 0.88, "events participants_accuracy": 0.77,
            "events place_accuracy": 0.85, "relations f1": 0.85,
            "relations polarity_accuracy": 0.92, "person_merging f1": 0.99,
    },
    "fixtures-corpus7": {
            "states f1": 0.99, "officials f1": 0.95, "officials host_state_accuracy": 0.92,
            "officials role_accuracy": 0.91, "officials state_accuracy": 0.86,
            "agreements f1": 0.87, "agreements date_accuracy": 0.67,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.92,
            "agreements place_accuracy": 0.55, "agreements status_accuracy": 0.87,
            "events f1": 0.81, "events date_accuracy": 0.88, "events participants_accuracy": 0.91,
            "events place_accuracy": 0.67, "relations f1": 0.93,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus8": {
            "states f1": 0.99, "officials f1": 0.91, "officials host_state_accuracy": 0.92,
            "officials role_accuracy": 0.9, "officials state_accuracy": 0.89,
            "agreements f1": 0.73, "agreements date_accuracy": 0.55,
            "agreements kind_accuracy": 0.97, "agreements parties_accuracy": 0.97,
            "agreements place_accuracy": 0.31, "agreements status_accuracy": 0.8,
            "events f1": 0.74, "events date_accuracy": 0.88, "events participants_accuracy": 0.88,
            "events place_accuracy": 0.68, "relations f1": 0.77,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus9": {
            "states f1": 0.98, "officials f1": 0.97, "officials host_state_accuracy": 0.94,
            "officials role_accuracy": 0.92, "officials state_accuracy": 0.91,
            "agreements f1": 0.85, "agreements date_accuracy": 0.5,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.97,
            "agreements place_accuracy": 0.52, "agreements status_accuracy": 0.82,
            "events f1": 0.76, "events date_accuracy": 0.9, "events participants_accuracy": 0.78,
            "events place_accuracy": 0.69, "relations f1": 0.91,
            "relations polarity_accuracy": 0.96, "person_merging f1": 0.99,
    },
    "fixtures-corpus10": {
            "states f1": 0.98, "officials f1": 0.94, "officials host_state_accuracy": 0.8,
            "officials role_accuracy": 0.92, "officials state_accuracy": 0.89,
            "agreements f1": 0.82, "agreements date_accuracy": 0.6,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.92,
            "agreements place_accuracy": 0.53, "agreements status_accuracy": 0.8,
            "events f1": 0.66, "events date_accuracy": 0.88, "events participants_accuracy": 0.85,
            "events place_accuracy": 0.71, "relations f1": 0.79,
            "relations polarity_accuracy": 0.97, "person_merging f1": 0.99,
    },
    "fixtures-corpus11": {
            "states f1": 0.98, "officials f1": 0.96, "officials host_state_accuracy": 0.95,
            "officials role_accuracy": 0.89, "officials state_accuracy": 0.89,
            "agreements f1": 0.85, "agreements date_accuracy": 0.8,
            "agreements kind_accuracy": 0.97, "agreements parties_accuracy": 0.92,
            "agreements place_accuracy": 0.85, "agreements status_accuracy": 0.84,
            "events f1": 0.81, "events date_accuracy": 0.88, "events participants_accuracy": 0.73,
            "events place_accuracy": 0.68, "relations f1": 0.8,
            "relations polarity_accuracy": 0.94, "person_merging f1": 0.98,
    },
    "fixtures-corpus12": {
            "states f1": 0.99, "officials f1": 0.93, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.9, "officials state_accuracy": 0.92,
            "agreements f1": 0.75, "agreements date_accuracy": 0.67,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.8,
            "agreements place_accuracy": 0.75, "agreements status_accuracy": 0.93,
            "events f1": 0.79, "events date_accuracy": 0.89, "events participants_accuracy": 0.65,
            "events place_accuracy": 0.64, "relations f1": 0.8,
            "relations polarity_accuracy": 0.97, "person_merging f1": 0.98,
    },
    "fixtures-corpus13": {
            "states f1": 0.98, "officials f1": 0.94, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.88, "officials state_accuracy": 0.88,
            "agreements f1": 0.79, "agreements date_accuracy": 0.7,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.94,
            "agreements place_accuracy": 0.55, "agreements status_accuracy": 0.75,
            "events f1": 0.75, "events date_accuracy": 0.92, "events participants_accuracy": 0.72,
            "events place_accuracy": 0.7, "relations f1": 0.83,
            "relations polarity_accuracy": 0.97, "person_merging f1": 0.98,
    },
    "fixtures-corpus14": {
            "states f1": 0.99, "officials f1": 0.91, "officials host_state_accuracy": 0.92,
            "officials role_accuracy": 0.95, "officials state_accuracy": 0.91,
            "agreements f1": 0.78, "agreements date_accuracy": 0.62,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.9,
            "agreements place_accuracy": 0.49, "agreements status_accuracy": 0.81,
            "events f1": 0.73, "events date_accuracy": 0.91, "events participants_accuracy": 0.78,
            "events place_accuracy": 0.62, "relations f1": 0.76,
            "relations polarity_accuracy": 0.97, "person_merging f1": 0.99,
    },
    "fixtures-corpus15": {
            "states f1": 0.98, "officials f1": 0.94, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.91, "officials state_accuracy": 0.91,
            "agreements f1": 0.8, "agreements date_accuracy": 0.75,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.86,
            # (0.71 until d50a5c4 matched two more of the Czech-Slovak treaties, their parties
            # now right; one signed at a town the entity tagger does not know is misplaced)
            "agreements place_accuracy": 0.67, "agreements status_accuracy": 0.8,
            "events f1": 0.77, "events date_accuracy": 0.93, "events participants_accuracy": 0.73,
            "events place_accuracy": 0.74, "relations f1": 0.78,
            "relations polarity_accuracy": 0.92, "person_merging f1": 0.99,
    },
    "fixtures-corpus16": {
            "states f1": 0.98, "officials f1": 0.94, "officials host_state_accuracy": 0.89,
            "officials role_accuracy": 0.92, "officials state_accuracy": 0.94,
            "agreements f1": 0.81, "agreements date_accuracy": 0.68,
            "agreements kind_accuracy": 0.96, "agreements parties_accuracy": 0.89,
            "agreements place_accuracy": 0.34, "agreements status_accuracy": 0.76,
            "events f1": 0.79, "events date_accuracy": 0.95, "events participants_accuracy": 0.83,
            "events place_accuracy": 0.78, "relations f1": 0.81,
            "relations polarity_accuracy": 0.84, "person_merging f1": 0.99,
    },
    "dev-blank": {
            "states f1": 0.99, "officials f1": 0.97, "agreements f1": 0.99, "events f1": 0.97,
            "relations f1": 0.94, "person_merging f1": 0.99,
    },
    "fixtures-corpus17": {
            "states f1": 0.97, "officials f1": 0.91, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.85, "officials state_accuracy": 0.88,
            "agreements f1": 0.77, "agreements date_accuracy": 0.84,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.92,
            "agreements place_accuracy": 0.66, "agreements status_accuracy": 0.9,
            "events f1": 0.71, "events date_accuracy": 0.82, "events participants_accuracy": 0.85,
            "events place_accuracy": 0.62, "relations f1": 0.77,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus18": {
            "states f1": 0.99, "officials f1": 0.98, "officials host_state_accuracy": 0.91,
            "officials role_accuracy": 0.99, "officials state_accuracy": 0.98,
            "agreements f1": 0.91, "agreements date_accuracy": 0.72,
            "agreements kind_accuracy": 0.97, "agreements parties_accuracy": 0.95,
            "agreements place_accuracy": 0.62, "agreements status_accuracy": 0.93,
            "events f1": 0.73, "events date_accuracy": 0.82, "events participants_accuracy": 0.83,
            "events place_accuracy": 0.73, "relations f1": 0.77,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus19": {
            "states f1": 0.97, "officials f1": 0.93, "officials host_state_accuracy": 0.9,
            # (0.89 until e17c7e6 matched one more official, whose role is not the gold's:
            # 62 roles right of 70, 0.886; officials F1 0.945 -> 0.959)
            "officials role_accuracy": 0.88, "officials state_accuracy": 0.86,
            "agreements f1": 0.91, "agreements date_accuracy": 0.74,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.93,
            "agreements place_accuracy": 0.56, "agreements status_accuracy": 0.89,
            "events f1": 0.79, "events date_accuracy": 0.8, "events participants_accuracy": 0.84,
            "events place_accuracy": 0.64, "relations f1": 0.81,
            "relations polarity_accuracy": 0.85, "person_merging f1": 0.98,
    },
    "fixtures-corpus20": {
            "states f1": 0.99, "officials f1": 0.98, "officials host_state_accuracy": 0.78,
            "officials role_accuracy": 0.96, "officials state_accuracy": 0.96,
            "agreements f1": 0.87, "agreements date_accuracy": 0.78,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.99,
            "agreements place_accuracy": 0.62, "agreements status_accuracy": 0.92,
            "events f1": 0.82, "events date_accuracy": 0.94, "events participants_accuracy": 0.93,
            "events place_accuracy": 0.68, "relations f1": 0.93,
            "relations polarity_accuracy": 0.95, "person_merging f1": 0.99,
    },
    "fixtures-corpus21": {
            "states f1": 0.99, "officials f1": 0.93, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.93, "officials state_accuracy": 0.93,
            "agreements f1": 0.87, "agreements date_accuracy": 0.75,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.99,
            "agreements place_accuracy": 0.55, "agreements status_accuracy": 0.9,
            "events f1": 0.81, "events date_accuracy": 0.9, "events participants_accuracy": 0.9,
            "events place_accuracy": 0.79, "relations f1": 0.91,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus22": {
            "states f1": 0.99, "officials f1": 0.92, "officials host_state_accuracy": 0.99,
            "officials role_accuracy": 0.95, "officials state_accuracy": 0.91,
            "agreements f1": 0.96, "agreements date_accuracy": 0.81,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.99,
            "agreements place_accuracy": 0.52, "agreements status_accuracy": 0.94,
            "events f1": 0.87, "events date_accuracy": 0.93, "events participants_accuracy": 0.95,
            # (0.80 until bad5a9b dated a visit by its arrival: matched now, its place, "this
            # Southeast Asian country", is not read)
            "events place_accuracy": 0.78, "relations f1": 0.95,
            "relations polarity_accuracy": 0.99, "person_merging f1": 0.99,
    },
    "fixtures-corpus23": {
            "states f1": 0.98, "officials f1": 0.95, "officials host_state_accuracy": 0.93,
            "officials role_accuracy": 0.93, "officials state_accuracy": 0.9,
            "agreements f1": 0.83, "agreements date_accuracy": 0.72,
            "agreements kind_accuracy": 0.99, "agreements parties_accuracy": 0.99,
            "agreements place_accuracy": 0.58, "agreements status_accuracy": 0.94,
            "events f1": 0.75, "events date_accuracy": 0.92, "events participants_accuracy": 0.8,
            "events place_accuracy": 0.59, "relations f1": 0.8,
            "relations polarity_accuracy": 0.93, "person_merging f1": 0.99,
    },
}


def _score(folder: Path, env: dict) -> dict:
    if not SCORE.is_file() or not folder.is_dir():
        pytest.skip(f"the scorer or the corpus is absent: {SCORE}, {folder}")
    done = subprocess.run([sys.executable, str(SCORE), str(folder), "--kg",
                           " ".join(kg_command()), "--json"], cwd=REPO, capture_output=True,
                          text=True, timeout=900, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus_scores(request) -> tuple[str, dict]:
    folder, env = CORPORA[request.param]
    return request.param, _score(folder, env)


def test_corpus_floors(corpus_scores):
    name, scores = corpus_scores
    figures = {f"{kind} {figure}": scores[kind][figure]
               for kind in scores if isinstance(scores[kind], dict)
               for figure in scores[kind]}
    low = {key: (figures.get(key), floor) for key, floor in FLOORS[name].items()
           if figures.get(key) is None or figures[key] < floor}
    assert not low, f"{name}: under the floors (value, floor): {low}"
    if name != "dev-blank":   # every figure the scorer gives has a floor
        asked = {key for key in figures if key.endswith(("f1", "_accuracy"))
                 and key.split()[0] not in ("all_facts",)}
        assert asked <= set(FLOORS[name]), sorted(asked - set(FLOORS[name]))
    folder = CORPORA[name][0]
    assert scores["reports"] == len(list(folder.glob("*.gold.json")))   # every one ingested


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
