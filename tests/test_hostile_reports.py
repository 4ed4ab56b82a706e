"""Hostile input to `kg ingest` and the readers (issue 13): a YAML alias bomb in front matter,
over-long metadata, a report just under the size limit, a killed parallel ingest, endless
.jsonl lines and files that are not files (a FIFO, /dev/zero). Each is refused, or runs in
bounded time and memory, and the other reports are still stored.
"""
from __future__ import annotations

import datetime
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from kg.reports import Report
from kg.store import Store

from synthetic_texts import write_texts
from test_crash_safety import KG

# --- B: extraction time is linear in a report's length ------------------------------------

STATES = ["Ghana", "Togo", "Kenya", "Uganda", "Peru", "Chile", "Norway", "Finland", "Vietnam",
          "Laos", "Mongolia", "Nepal", "Oman", "Jordan", "Austria", "Hungary"]
PEOPLE = [("Foreign Minister", "Adwoa Mensimah"), ("President", "Tomas Varga"),
          ("Prime Minister", "Lin Baatar"), ("Ambassador", "Sofia Quispe"),
          ("Deputy Foreign Minister", "Jari Lehtola"), ("Defence Minister", "Nadia Haddad")]
MONTHS = ["February", "April", "June", "August", "October", "December"]
PLACES = ["Accra", "Vienna", "Lima", "Hanoi", "Oslo", "Muscat"]
SENTENCES = [
    "{s1}'s {r1} {p1} received {s2}'s {r2} {p2} in {place} on {d} {m} 2023 for talks on trade.",
    "The two governments signed an agreement on visa exemption on {d} {m}.",
    "{s1} and {s2} pledged to deepen cooperation in fisheries, the statement said.",
    "{p1} told reporters that ties between {s1} and {s2} were at their best.",
    "On {d} {m} 2022, {s2} summoned the envoy of {s1} to protest remarks by {p2}.",
    "A delegation from {s1} is expected in {s2} in {m}, officials said.",
    "Negotiations between {s1} and {s2} on water sharing will continue in {m}.",
    "{s1} criticised the decision of {s2} to expel two diplomats.",
    "{r2} {p2} thanked {s1} for its help after the floods, according to the ministry.",
    "They also spoke about scholarships, tourism and direct flights.",
    "The leaders issued a joint declaration on strategic partnership in {place} on {d} {m} 2024.",
    "Trade between {s1} and {s2} rose to 1.{d} billion dollars last year.",
]


def long_report(size: int, seed: int = 1) -> Report:
    """A report of about `size` characters: paragraphs of the sentences above, varied."""
    from kg.reports import apply_dateline

    rng = random.Random(seed)
    paragraphs, sentences, n = [], [], 0
    while n < size:
        s1, s2 = rng.sample(STATES, 2)
        (r1, p1), (r2, p2) = rng.sample(PEOPLE, 2)
        sentence = rng.choice(SENTENCES).format(s1=s1, s2=s2, r1=r1, r2=r2, p1=p1, p2=p2,
                                                place=rng.choice(PLACES), d=rng.randint(1, 28),
                                                m=rng.choice(MONTHS))
        sentences.append(sentence)
        n += len(sentence) + 1
        if len(sentences) >= rng.randint(3, 6):
            paragraphs.append(" ".join(sentences))
            sentences = []
    paragraphs.append(" ".join(sentences))
    report = Report(id=f"long-{size}", text="ACCRA, March 5 (GNA) - " + "\n\n".join(paragraphs),
                    published=datetime.date(2024, 3, 5))
    apply_dateline(report)
    return report


def _extraction_seconds(report: Report) -> float:
    from kg.extraction import extract

    best = float("inf")
    for _ in range(2):   # the better of two: a busy machine slows one run, not both
        start = time.perf_counter()
        extraction = extract(report)
        best = min(best, time.perf_counter() - start)
    assert extraction.states and extraction.officials and extraction.events
    return best


def test_extraction_time_grows_linearly_with_length():
    from kg.extraction import extract

    extract(long_report(2_000))        # loads spaCy and the gazetteer
    small = _extraction_seconds(long_report(75_000))
    large = _extraction_seconds(long_report(300_000))
    # Measured on 2 cores: 75 kB 0.6 s, 300 kB 2.6-3.1 s (was 13 s and 337 s: each sentence
    # re-read the whole text). A quadratic step makes 4 times the text take 16 times as long.
    assert large < 60, f"300 kB took {large:.1f} s"
    assert large / small < 9, f"75 kB {small:.2f} s, 300 kB {large:.2f} s"
