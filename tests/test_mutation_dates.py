"""Date finding and normalisation at their edges (kg/dates.py).

Written against the mutants of kg/dates.py that tests/test_dates.py let survive: month and
day limits, the year inferred for a year-less date, relative words, counts that look like
years, and which of two overlapping mentions is kept.
"""
from __future__ import annotations

import datetime
import re

import pytest

from kg.dates import _alternation, find_dates, infer_year, month_number, parse_date_value

WED = datetime.date(2024, 5, 8)     # a Wednesday
MON = datetime.date(2024, 5, 6)


def found(text, anchor=WED):
    return [(m.start, m.end, m.value, m.relative) for m in find_dates(text, anchor)]


def test_month_names_are_title_case_or_capitals_and_the_longest_form_wins():
    pattern = re.compile(_alternation(["sep", "september", "may"]))
    assert pattern.match("September").group() == "September"
    assert pattern.match("SEPTEMBER").group() == "SEPTEMBER"
    assert pattern.match("May") and pattern.match("MAY")
    assert pattern.match("may") is None        # "may" is far more often a verb
    assert pattern.match("XX") is None


@pytest.mark.parametrize("value, iso", [
    ("2024-01-01", "2024-01-01"),       # first month, first day
    ("2024-12-31", "2024-12-31"),
    ("2024-01", "2024-01"),
    ("2024-00-10", None),
    ("2024-13-01", None),
    ("2024-01-00", None),
    ("2023-02-29", None),
    ("8 August 2025.", "2025-08-08"),   # a closing full stop is not part of the date
    ("8 August 2025X", None),           # other trailing characters are
])
def test_parse_date_value_limits(value, iso):
    assert parse_date_value(value) == iso


def test_month_number_of_abbreviations():
    assert month_number(" Sept. ") == 9
    assert month_number("JAN") == 1
    assert month_number("Mayo") is None
    assert month_number("MayX") is None     # only full stops are stripped


def test_an_impossible_iso_date_in_text_is_not_a_date():
    assert found("on 2024-02-30 and 2024-01-01 and 2024-03-01") == [
        (18, 28, "2024-01-01", False), (33, 43, "2024-03-01", False)]


def test_offsets_are_into_the_text_unless_an_offset_is_given():
    assert found("On 5 May 2024", None) == [(3, 13, "2024-05-05", False)]
    assert find_dates("On 5 May 2024", None, offset=100)[0].start == 103


# ------------------------------------------------------------ year-less dates

def test_a_month_up_to_two_months_ahead_is_this_year_beyond_it_last_year():
    anchor = datetime.date(2024, 5, 20)
    assert infer_year(7, None, anchor) == 2024      # two months ahead
    assert infer_year(8, None, anchor) == 2023
    assert infer_year(12, None, datetime.date(2024, 1, 5)) == 2023
    assert infer_year(1, None, datetime.date(2024, 12, 5)) == 2024


def test_a_day_up_to_61_days_ahead_is_this_year_beyond_it_last_year():
    anchor = datetime.date(2024, 5, 1)
    assert infer_year(7, 1, anchor) == 2024         # 61 days ahead
    assert infer_year(7, 2, anchor) == 2023         # 62
    assert infer_year(2, 29, datetime.date(2025, 1, 10)) == 2025


def test_a_year_less_day_is_placed_by_its_day_not_only_its_month():
    # July is two months after May (this year), but 12 July is 65 days after 8 May
    assert found("July 12") == [(0, 7, "2023-07-12", True)]
    assert found("in July") == [(3, 7, "2024-07", True)]


# ------------------------------------------------------------ relative words

def test_next_weekday_on_that_weekday_is_a_week_later():
    assert found("next Monday", MON) == [(0, 11, "2024-05-13", True)]
    assert found("last Monday", MON) == [(0, 11, "2024-04-29", True)]
    assert found("Monday", MON) == [(0, 6, "2024-05-06", True)]


def test_tonight_is_the_report_day():
    assert found("tonight") == [(0, 7, "2024-05-08", True)]
    assert found("Tomorrow") == [(0, 8, "2024-05-09", True)]


def test_month_this_year():
    assert found("March this year") == [(0, 15, "2024-03", True)]
    assert found("March next year") == [(0, 15, "2025-03", True)]


def test_next_month_name_is_the_nearest_one_after_the_report():
    assert found("next November") == [(0, 13, "2024-11", True)]
    assert found("next March") == [(0, 10, "2025-03", True)]
    assert found("next May") == [(0, 8, "2025-05", True)]       # the report's own month
    assert found("last May") == [(0, 8, "2023-05", True)]


# ------------------------------------------------------------ bare years

def test_a_number_after_of_from_or_by_followed_by_a_noun_is_a_count():
    text = "a force of 2000 soldiers, from 2000 troops, by 2000 votes; by 2030 the plan, in 2019"
    assert found(text, None) == [(62, 66, "2030", False), (80, 84, "2019", False)]


def test_a_year_after_from_or_by_is_a_date():
    assert found("From 2019 to 2021", None) == [(5, 9, "2019", False)]
    assert found("By 2030 the", None) == [(3, 7, "2030", False)]


# ------------------------------------------------------------ overlaps

def test_the_longest_of_overlapping_mentions_wins_even_if_it_starts_later():
    # "last Monday" (0-11) against "Monday, May 6" (5-18)
    assert found("last Monday, May 6") == [(5, 18, "2024-05-06", True)]


def test_mentions_starting_at_the_text_start_are_not_doubled():
    # "Monday, May 6, 2024", "Monday" and "May 6" all start at or near 0
    assert found("Monday, May 6, 2024") == [(0, 19, "2024-05-06", False)]
    assert found("May 2024 and 2024") == [(0, 8, "2024-05", False)]
