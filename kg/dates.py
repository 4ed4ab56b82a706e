"""Finding dates in sentences and resolving them to ISO partial dates.

A value is "YYYY-MM-DD", "YYYY-MM" or "YYYY". Dates that need the report's own date to be
understood ("on Wednesday", "last month", "July 12" without a year) are resolved against an
`anchor` (normally the report's publication date) and flagged `relative`; without an anchor
they are skipped rather than guessed.

This runs on every sentence, so it is a handful of precompiled regexes over a month table,
not a general date parser.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "parse_date_value", "month_number", "infer_year"]


@dataclass
class DateMention:
    start: int
    end: int
    value: str       # "YYYY-MM-DD" | "YYYY-MM" | "YYYY"
    relative: bool   # True when the value depends on the anchor


# --- month and weekday tables -------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9

_WEEKDAYS: dict[str, int] = {calendar.day_name[_i].lower(): _i for _i in range(7)}


def _alternation(names) -> str:
    # Title case and ALL CAPS only: lower-case "may"/"march" are far more often not months.
    forms = set()
    for name in names:
        forms.add(name.capitalize())
        forms.add(name.upper())
    return "|".join(sorted(forms, key=len, reverse=True))


MONTH_RE = rf"(?:{_alternation(_MONTHS)})\.?"   # used by kg.reports for datelines too
WEEKDAY_RE = rf"(?:{_alternation(_WEEKDAYS)})"
_ORD = r"(?:st|nd|rd|th)?"
# (not a clock time: "September. 00:30 Talks resume" is no September 0)
_DAY = rf"(?:[0-3]?\d){_ORD}(?![\d])(?!:\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
_RANGE_TAIL = rf"(?:\s*(?:-|–|—|to)\s*[0-3]?\d{_ORD}(?!\d))?"   # "9-13", "9 to 13": keep the first day
_LEAD_WD = rf"(?:(?P<wd>{WEEKDAY_RE}),?\s+(?:the\s+)?)?"


def month_number(name: str) -> int | None:
    """'Nov.', 'november', 'SEPT' -> 11, 11, 9; None if not a month name."""
    return _MONTHS.get(name.strip().rstrip(".").lower())


def _valid(y: int, m: int, d: int | None = None) -> bool:
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    return 1 <= d <= calendar.monthrange(y, m)[1]


def infer_year(month: int, day: int | None, anchor: datetime.date) -> int:
    """The year of a year-less month(-day) mentioned in a report dated `anchor`.

    Reports talk about the past: the anchor's year, unless that puts the date more than about
    two months after the anchor, in which case the year before.
    """
    y = anchor.year
    if day is None:
        return y - 1 if month - anchor.month > 2 else y
    d = min(day, calendar.monthrange(y, month)[1])   # 29 Feb in a common year: compare on the 28th
    if (datetime.date(y, month, d) - anchor).days > 61:
        return y - 1
    return y


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


# --- patterns -------------------------------------------------------------------------------
# Each explicit pattern may carry a leading weekday ("Monday, April 2"), which is then part of
# the span but not of the value. Groups: m (month name), d (day), y (year).

_F = re.UNICODE
_P_MDY = re.compile(
    rf"\b{_LEAD_WD}(?P<m>{MONTH_RE})[^\S\n]+(?P<d>{_DAY}){_RANGE_TAIL}(?:,?\s+(?P<y>{_YEAR})(?![\d]))?", _F)
_P_DMY = re.compile(
    rf"\b{_LEAD_WD}(?P<d>{_DAY}){_RANGE_TAIL}[^\S\n]+(?:of\s+)?(?P<m>{MONTH_RE})(?:,?\s+(?P<y>{_YEAR})(?![\d]))?", _F)
_P_MY = re.compile(rf"\b(?P<m>{MONTH_RE}),?\s+(?:of\s+)?(?P<y>{_YEAR})(?![\d])", _F)
_P_ISO = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\d-])")
# all-number dates: "27.01.2022" (dots: day first, as European ministries write it), and
# "27/01/2022" or "01/27/2022" with slashes only where the order shows (a part over 12)
_P_NUMERIC = re.compile(
    rf"(?<![\d./])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)(?P<y>{_YEAR})(?![\d]|[./]\d)")
# "November last year", "March this year", "January next year"
_P_M_REL_YEAR = re.compile(rf"\b(?P<m>{MONTH_RE})\s+(?:of\s+)?(?P<w>last|this|next)\s+year\b", _F)
# "June 14-15 next year", "on 3 March last year": a day of a month of the year told
_P_MD_REL_YEAR = re.compile(
    rf"\b(?:(?P<m>{MONTH_RE})\s+(?P<d>{_DAY}){_RANGE_TAIL}|(?P<d2>{_DAY}){_RANGE_TAIL}\s+(?:of\s+)?"
    rf"(?P<m2>{MONTH_RE}))\s*,?\s+(?P<w>last|this|next)\s+year\b", _F)
# "last November", "next March": the nearest such month strictly before / after the anchor's
_P_REL_M = re.compile(rf"\b(?P<w>[Ll]ast|[Nn]ext)\s+(?P<m>{MONTH_RE})(?!\s*[0-3]?\d)", _F)
# a month alone after a preposition: "in May", "since March", "early June"
_P_PREP_M = re.compile(
    rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|end\s+of|[Ss]tart\s+of|"
    # "in the last week of December", "the first half of March": that month
    rf"(?:first|second|third|fourth|last|final)\s+(?:week|fortnight|half|ten\s+days)\s+of)"
    rf"\s+(?:(?:early|late|mid-?)\s*)?"
    rf"(?P<m>{MONTH_RE})(?!\w)", _F)
# the same after a preposition of time that also takes people ("scheduled for March", "until
# June"), where a month's name is as often a person's or a place's ("support for May", "a
# report by Jan Kubis", "from Mar del Plata"): full names only, May left out, none before
# another capitalised word
_FULL_MONTHS = [calendar.month_name[_i].lower() for _i in range(1, 13) if _i != 5]
_P_PREP_M_MORE = re.compile(
    rf"\b(?:[Ff]or|[Uu]ntil|[Tt]ill|[Bb]y|[Bb]efore|[Aa]fter|[Ff]rom|[Tt]hrough)\s+(?:(?:early|late|mid-?)\s*)?"
    rf"(?P<m>{_alternation(_FULL_MONTHS)})(?!\w)(?!\s+[A-Z][a-z])", _F)
# a bare year only after a word that introduces one; "(2003-05)" and "2003-06" are not dates
_P_YEAR = re.compile(
    rf"\b(?P<prep>[Ii]n|[Ss]ince|[Oo]f|[Ff]rom|[Uu]ntil|[Tt]ill|[Bb]y|[Dd]uring|[Bb]efore|[Aa]fter|[Yy]ear"
    rf"|[Ee]arly|[Ll]ate|[Mm]id-?)\s+(?P<y>{_YEAR})(?![\d\-–/)]|\.\d)(?!\s*[-–]\s*\d)", _F)
_P_WEEKDAY = re.compile(rf"\b(?:(?P<w>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd>{WEEKDAY_RE})(?!s\b)(?!\w)", _F)
_P_DAYWORD = re.compile(r"\b(?P<w>[Tt]oday|TODAY|[Yy]esterday|YESTERDAY|[Tt]omorrow|TOMORROW|[Tt]onight)\b")
_P_REL_PERIOD = re.compile(
    r"\b(?:(?:[Ee]arlier|[Ll]ater)\s+)?(?P<w>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<u>month|year)\b")

# After "of 2000" a lower-case word that is not a function word means a count ("of 2000 troops").
_FUNCTION_WORDS = frozenset("""
a an the and or but nor as at by for from in into of on onto to with within when while where
which who whom whose that this these those it its he she they we i you his her their our was were
is are be been being had has have did does do will would shall should can could may might must
after before since until till during amid between among against about above below than then so
if though although because not no also both either neither respectively alone only""".split())


def _is_count(text: str, end: int) -> bool:
    m = re.match(r"\s+([a-z][a-z\-]*)", text[end:end + 40])
    return bool(m) and m.group(1) not in _FUNCTION_WORDS


def _month_day(m: re.Match, anchor: datetime.date | None):
    """(value, relative) for a month-day match, or None."""
    month = month_number(m.group("m"))
    day = int(re.match(r"\d+", m.group("d")).group())
    if month is None or not 1 <= day <= 31:
        return None                           # (no day 0 of a month: no date, and no crash)
    if m.group("y"):
        year = int(m.group("y"))
        return (_iso(year, month, day), False) if _valid(year, month, day) else None
    if anchor is None:
        return None
    year = infer_year(month, day, anchor)
    return (_iso(year, month, day), True) if _valid(year, month, day) else None


def _weekday_date(wd: int, word: str | None, anchor: datetime.date) -> datetime.date:
    back = (anchor.weekday() - wd) % 7
    word = (word or "").lower()
    if word == "last":
        return anchor - datetime.timedelta(days=back or 7)
    if word == "next":
        return anchor + datetime.timedelta(days=(wd - anchor.weekday()) % 7 or 7)
    return anchor - datetime.timedelta(days=back)   # same day counts


def find_dates(text: str, anchor: datetime.date | None, offset: int = 0) -> list[DateMention]:
    """Date mentions in `text`, in order, non-overlapping; offsets are into `text` plus `offset`."""
    cands: list[tuple[int, int, str, bool]] = []

    def add(start: int, end: int, value: str | None, relative: bool) -> None:
        if value is not None:
            cands.append((start, end, value, relative))

    for pat in (_P_MDY, _P_DMY):
        for m in pat.finditer(text):
            r = _month_day(m, anchor)
            if r:
                add(m.start(), m.end(), *r)
    for m in _P_MY.finditer(text):
        add(m.start(), m.end(), _iso(int(m.group("y")), month_number(m.group("m"))), False)
    for m in _P_ISO.finditer(text):
        y, mo, d = int(m.group("y")), int(m.group("mo")), int(m.group("d"))
        if _valid(y, mo, d):
            add(m.start(), m.end(), _iso(y, mo, d), False)
    for m in _P_NUMERIC.finditer(text):
        y, a, b = int(m.group("y")), int(m.group("a")), int(m.group("b"))
        if m.group("sep") == "/" and a <= 12 and b <= 12 and a != b:
            continue                          # 03/04/2022: April or March, no telling
        d, mo = (b, a) if m.group("sep") == "/" and b > 12 else (a, b)
        if _valid(y, mo, d):
            add(m.start(), m.end(), _iso(y, mo, d), False)
    for m in _P_YEAR.finditer(text):
        if m.group("prep").lower() in ("of", "from", "by") and _is_count(text, m.end()):
            continue
        add(m.start("y"), m.end("y"), m.group("y"), False)

    if anchor is not None:
        y0, m0 = anchor.year, anchor.month
        for m in _P_MD_REL_YEAR.finditer(text):
            year = y0 + {"last": -1, "this": 0, "next": 1}[m.group("w")]
            month = month_number(m.group("m") or m.group("m2"))
            day = int(re.match(r"\d+", m.group("d") or m.group("d2")).group())
            if month and _valid(year, month, day):
                add(m.start(), m.end(), _iso(year, month, day), True)
        for m in _P_M_REL_YEAR.finditer(text):
            year = y0 + {"last": -1, "this": 0, "next": 1}[m.group("w")]
            add(m.start(), m.end(), _iso(year, month_number(m.group("m"))), True)
        for m in _P_REL_M.finditer(text):
            month = month_number(m.group("m"))
            if m.group("w").lower() == "last":
                year = y0 if month < m0 else y0 - 1
            else:
                year = y0 if month > m0 else y0 + 1
            add(m.start(), m.end(), _iso(year, month), True)
        for m in (*_P_PREP_M.finditer(text), *_P_PREP_M_MORE.finditer(text)):
            month = month_number(m.group("m"))
            add(m.start("m"), m.end("m"), _iso(infer_year(month, None, anchor), month), True)
        for m in _P_WEEKDAY.finditer(text):
            d = _weekday_date(_WEEKDAYS[m.group("wd").lower()], m.group("w"), anchor)
            add(m.start(), m.end(), d.isoformat(), True)
        for m in _P_DAYWORD.finditer(text):
            shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m.group("w").lower()]
            add(m.start(), m.end(), (anchor + datetime.timedelta(days=shift)).isoformat(), True)
        for m in _P_REL_PERIOD.finditer(text):
            k = {"last": -1, "this": 0, "next": 1}[m.group("w").lower()]
            if m.group("u") == "year":
                add(m.start(), m.end(), _iso(y0 + k), True)
            else:
                add(m.start(), m.end(), _iso(*_shift_month(y0, m0, k)), True)

    # Longest span wins an overlap ("November last year" over "last year",
    # "19 November 2021" over "November 2021"); ties go to the earlier start.
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str, bool]] = []
    taken = bytearray(len(text))    # 1 where a chosen date stands: no scan of all chosen ones
    for c in cands:
        if taken.find(1, c[0], c[1]) < 0:
            chosen.append(c)
            taken[c[0]:c[1]] = b"\x01" * (c[1] - c[0])
    chosen.sort()
    return [DateMention(s + offset, e + offset, v, r) for s, e, v, r in chosen]


_ISO_VALUE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?)?)?")


def parse_date_value(s: str) -> str | None:
    """An ISO partial date from a date written on its own, or None.

    "2025-08-08", "2025-08-08T10:30:00Z", "8 August 2025", "August 8, 2025", "August 2025",
    "2025-08", "2025". Year-less or impossible dates give None.
    """
    if not isinstance(s, str):
        return None
    s = s.strip()
    m = _ISO_VALUE.fullmatch(s)
    if m:
        y = int(m.group("y"))
        mo = int(m.group("m")) if m.group("m") else None
        d = int(m.group("d")) if m.group("d") else None
        if mo is not None and not _valid(y, mo, d):
            return None
        return _iso(y, mo, d)
    s = s.rstrip(".")
    for pat in (_P_MDY, _P_DMY):
        m = pat.fullmatch(s)
        if m and m.group("y"):
            r = _month_day(m, None)
            return r[0] if r else None
    m = _P_MY.fullmatch(s)
    if m:
        return _iso(int(m.group("y")), month_number(m.group("m")))
    return None
