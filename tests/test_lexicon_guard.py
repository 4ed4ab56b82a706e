"""The word-list patterns of kg/data are compiled with a look-ahead for where a match can start
(kg.extraction.lexicon.guarded, issue 17): they must find exactly what the plain patterns
find, on every list and on real report text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extraction import lexicon
from kg.reports import ReportError, read_path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _lists() -> dict[str, list[str]]:
    """Every pattern list kg compiles with any_of, by where it is in kg/data."""
    events, relations, agreements = (lexicon.load(f"{n}.yml")
                                     for n in ("events", "relations", "agreements"))
    out = {f"events.kinds.{k}": v for k, v in events["kinds"].items()}
    out |= {f"relations.{k}": relations[k] for k in (*lexicon.FIELDS, "credentials")}
    out |= {f"agreements.status.{k}": v for k, v in agreements["status"].items()}
    out["agreements.future"] = agreements["future"]
    return out


def _texts() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("corpus*/*.txt")):
        texts += [r.text for r in read_path(path) if not isinstance(r, ReportError)]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _texts()
    assert len(found) > 20
    # as the rules read them, lower-cased, and as written
    return [t.lower() for t in found] + found


@pytest.mark.parametrize("name, patterns", sorted(_lists().items()))
def test_a_guarded_list_matches_as_the_plain_one(name, patterns, texts):
    plain = re.compile("|".join(f"(?:{p})" for p in patterns))
    fast = lexicon.any_of(patterns)
    for text in texts:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], name


def test_most_lists_are_guarded():
    guarded = [name for name, patterns in _lists().items()
               if lexicon.any_of(patterns).pattern.startswith("(?=")]
    assert len(guarded) >= len(_lists()) // 2, guarded


@pytest.mark.parametrize("pattern, text, spans", [
    # a word boundary is required only where the alternative asks for one
    (r"\bconsult|tête", "consult xconsult xtête", [(0, 7), (18, 22)]),
    # a digit from another script is still a \d
    (r"\b\d+(st|nd) session", "the \u0663nd session", [(4, 15)]),
    # an optional lead: the next item may start the match
    (r"\b(very )?big", "a very big, big", [(2, 10), (12, 15)]),
    # a lookbehind is zero-width: the character after it leads
    (r"(?<!for )\bconsultations", "for consultations; consultations", [(19, 32)]),
])
def test_guarded_cases(pattern, text, spans):
    assert lexicon.guarded(pattern).pattern.startswith("(?=")
    assert [m.span() for m in lexicon.guarded(pattern).finditer(text)] == spans == \
        [m.span() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("pattern", [
    r"\w+ talks",            # any word character can lead
    r"(?i:talks)",           # case-insensitive: the characters would not say
    r"(?i)talks",
    r"a?",                   # may match nothing
    r"[^a]b",                # a negated class
    r"[a-z]+ed",             # a range
])
def test_what_cannot_be_told_is_left_plain(pattern):
    assert lexicon.guarded(pattern).pattern == pattern
