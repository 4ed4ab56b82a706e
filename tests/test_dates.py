import datetime

import pytest

from kg.dates import DateMention, find_dates, infer_year, parse_date_value

D = datetime.date
ANCHOR = D(2025, 11, 7)   # a Friday


def spans(text, anchor=ANCHOR, offset=0):
    """(covered text, value, relative) for each mention, checking offsets as we go."""
    out = []
    for m in find_dates(text, anchor, offset):
        out.append((text[m.start - offset:m.end - offset], m.value, m.relative))
    return out


@pytest.mark.parametrize("text, expected", [
    ("The talks were held on April 19, 2024, in Almaty.", [("April 19, 2024", "2024-04-19", False)]),
    ("Abuja, 19 November 2021 (NAN): the minister", [("19 November 2021", "2021-11-19", False)]),
    ("signed in Washington on 8 August 2025.", [("8 August 2025", "2025-08-08", False)]),
    ("the accord of 2 March, 1992 remains", [("2 March, 1992", "1992-03-02", False)]),
    ("on the 13th of November 2019", [("13th of November 2019", "2019-11-13", False)]),
    ("a visit on 2024-05-17 to Dhaka", [("2024-05-17", "2024-05-17", False)]),
    ("relations established in February 2018", [("February 2018", "2018-02", False)]),
    ("ties established in 1975.", [("1975", "1975", False)]),
    ("friends since 1992 and partners", [("1992", "1992", False)]),
    ("the summit of 2016 in Lima", [("2016", "2016", False)]),
    # all-number dates: dots are day first; slashes where a part over 12 shows the order
    ("14.03.2023 | Press release", [("14.03.2023", "2023-03-14", False)]),
    ("a note dated 3.4.2021 said", [("3.4.2021", "2021-04-03", False)]),
    ("on 27/01/2022 the envoy", [("27/01/2022", "2022-01-27", False)]),
    ("on 01/27/2022 the envoy", [("01/27/2022", "2022-01-27", False)]),
])
def test_absolute_dates(text, expected):
    assert spans(text) == expected
    assert spans(text, anchor=None) == expected   # no anchor needed


@pytest.mark.parametrize("text, expected", [
    ("met on Nov 13 in Riga", [("Nov 13", "2025-11-13", True)]),
    ("met on Nov. 13 in Riga", [("Nov. 13", "2025-11-13", True)]),
    ("clashes on July 12 left", [("July 12", "2025-07-12", True)]),
    ("talks in Hanoi on May 11 during", [("May 11", "2025-05-11", True)]),
    ("a visit from May 9-13 to Kathmandu", [("May 9-13", "2025-05-09", True)]),
    ("a visit on 9-13 May to Kathmandu", [("9-13 May", "2025-05-09", True)]),
    ("On Wednesday, 5 November, the envoy", [("Wednesday, 5 November", "2025-11-05", True)]),
    ("On Monday, November 3, the envoy", [("Monday, November 3", "2025-11-03", True)]),
])
def test_month_day_takes_anchor_year(text, expected):
    assert spans(text) == expected
    assert spans(text, anchor=None) == []   # year-less: skipped without an anchor


def test_month_day_after_anchor_rolls_back_a_year():
    # December 28 seen from early January is last year's
    assert spans("the meeting of December 28", anchor=D(2025, 1, 4)) == [
        ("December 28", "2024-12-28", True)]
    # a few weeks ahead stays in the anchor's year (an announced visit)
    assert spans("will visit on December 2", anchor=ANCHOR) == [("December 2", "2025-12-02", True)]
    assert infer_year(1, 10, D(2025, 11, 7)) == 2025
    assert infer_year(2, 1, D(2025, 11, 7)) == 2025
    assert infer_year(3, 1, D(2025, 1, 1)) == 2025      # 59 days ahead: still this year
    assert infer_year(3, 10, D(2025, 1, 1)) == 2024     # 68 days ahead: last year
    assert infer_year(2, None, D(2025, 1, 1)) == 2025     # month only: up to two months ahead
    assert infer_year(4, None, D(2025, 1, 1)) == 2024


def test_leap_day_without_year():
    assert spans("on February 29", anchor=D(2024, 3, 10)) == [("February 29", "2024-02-29", True)]
    assert spans("on February 29", anchor=D(2025, 3, 10)) == []   # no such day in 2025


@pytest.mark.parametrize("text, expected", [
    ("said on Wednesday that", [("Wednesday", "2025-11-05", True)]),
    ("said on Friday that", [("Friday", "2025-11-07", True)]),          # the same day counts
    ("said on Saturday that", [("Saturday", "2025-11-01", True)]),
    ("Tuesday's talks", [("Tuesday", "2025-11-04", True)]),
    ("last Friday", [("last Friday", "2025-10-31", True)]),
    ("next Monday", [("next Monday", "2025-11-10", True)]),
    # said on a Friday: next Friday is a week on, this Friday is today
    ("next Friday", [("next Friday", "2025-11-14", True)]),
    ("this Friday", [("this Friday", "2025-11-07", True)]),
    ("arrived today", [("today", "2025-11-07", True)]),
    ("Today, the ministers", [("Today", "2025-11-07", True)]),
    ("arrived yesterday", [("yesterday", "2025-11-06", True)]),
    ("leaves tomorrow", [("tomorrow", "2025-11-08", True)]),
    ("clashes last month", [("last month", "2025-10", True)]),
    ("clashes earlier this month", [("earlier this month", "2025-11", True)]),
    ("talks this month", [("this month", "2025-11", True)]),
    ("a visit next month", [("next month", "2025-12", True)]),
    ("elections last year", [("last year", "2024", True)]),
    ("elections earlier this year", [("earlier this year", "2025", True)]),
    ("a summit next year", [("next year", "2026", True)]),
    ("talks in November last year", [("November last year", "2024-11", True)]),
    ("talks in March next year", [("March next year", "2026-03", True)]),
    ("since last November", [("last November", "2024-11", True)]),
    ("since last March", [("last March", "2025-03", True)]),
    ("in May the sides agreed", [("May", "2025-05", True)]),
    ("a visit scheduled for October", [("October", "2025-10", True)]),
    ("talks adjourned until late September", [("September", "2025-09", True)]),
    ("a deal by March, officials said", [("March", "2025-03", True)]),
    # a day of a month in the year told
    ("to be held on June 14-15 next year", [("June 14-15 next year", "2026-06-14", True)]),
    ("signed on 3 March last year", [("3 March last year", "2024-03-03", True)]),
])
def test_relative_dates(text, expected):
    assert spans(text) == expected
    assert spans(text, anchor=None) == []


def test_last_month_across_a_year_boundary():
    assert spans("last month", anchor=D(2025, 1, 15)) == [("last month", "2024-12", True)]
    assert spans("next month", anchor=D(2025, 12, 15)) == [("next month", "2026-01", True)]


@pytest.mark.parametrize("text", [
    "the Programme of Cultural Exchange for 2003-06 was signed",
    "the Action Plan (2003-05) and its annex",
    "a total of 2000 troops were deployed",
    "from 1500 people at the border",
    "Resolution 2231 calls for",
    "the agency recorded 1999 incidents",
    "you may visit",
    "they will march on the capital",
    "on Wednesdays the office is closed",
    "last week the ministers met",
    "on February 30, 2024 nothing happened",
    "the 1990s saw rapid change",
    # after a preposition that also takes people, a month's name is often a name
    "support for May grew",
    "a report by Jan Kubis",
    "a letter from June Okafor to the council",
    "a team from Mar del Plata",
    # an all-number date whose order is not shown, or that is no day
    "on 03/04/2022 the envoy",
    "on 31.02.2022 nothing happened",
])
def test_not_dates(text):
    assert spans(text) == []


def test_offsets_and_order():
    text = "On May 11, 2019, the leaders met; a year later, in June 2020, they met again yesterday."
    got = find_dates(text, D(2020, 6, 30), offset=100)
    assert got == [
        DateMention(103, 115, "2019-05-11", False),
        DateMention(151, 160, "2020-06", False),
        DateMention(177, 186, "2020-06-29", True),
    ]
    assert text[got[0].start - 100:got[0].end - 100] == "May 11, 2019"


def test_longest_mention_wins_overlaps():
    # "19 November 2021" contains "November 2021"; the whole is one mention
    assert [m.value for m in find_dates("on 19 November 2021 and in November 2021", None)] == [
        "2021-11-19", "2021-11"]


def test_several_in_one_sentence():
    text = ("Reuters reported on Feb 25 that the deal, initialled in Beijing, follows talks "
            "concluded in November last year and a first round in 2012.")
    assert spans(text, anchor=D(2015, 2, 25)) == [
        ("Feb 25", "2015-02-25", True),
        ("November last year", "2014-11", True),
        ("2012", "2012", False),
    ]


def test_upper_case_month():
    assert spans("BAKU, NOVEMBER 7 2023") == [("NOVEMBER 7 2023", "2023-11-07", False)]


@pytest.mark.parametrize("s, value", [
    ("2025-08-08", "2025-08-08"),
    ("2025-8-8", "2025-08-08"),
    ("2025-08-08T10:30:00Z", "2025-08-08"),
    ("2025-08-08 10:30:00+03:00", "2025-08-08"),
    ("2025-08", "2025-08"),
    ("2025", "2025"),
    ("8 August 2025", "2025-08-08"),
    ("August 8, 2025", "2025-08-08"),
    ("Aug. 8, 2025", "2025-08-08"),
    ("Friday, 8 August 2025", "2025-08-08"),
    ("August 2025", "2025-08"),
    ("  August 2025. ", "2025-08"),
    ("2025-13-45", None),
    ("2025-02-29", None),
    ("31 April 2025", None),
    ("August 8", None),
    ("next week", None),
    ("", None),
])
def test_parse_date_value(s, value):
    assert parse_date_value(s) == value


@pytest.mark.parametrize("text, value", [
    # a part of a month named: that month
    ("the guards will meet in the last week of December", "2025-12"),
    ("talks in the first half of March 2024", "2024-03"),
    ("a visit in the second week of October", "2025-10"),
])
def test_a_part_of_a_month(text, value):
    assert [m.value for m in find_dates(text, ANCHOR)] == [value]


@pytest.mark.parametrize("text", [
    "The talks broke up in September.\n\n00:30 The delegations return to the table.",
    "Talks may resume in September 0 of no year.",
    "The shelling began in September.\n\n14 soldiers were wounded.",
])
def test_no_day_across_a_paragraph_a_clock_or_zero(text):
    # a live blog's time stamp after a month that ends a paragraph, or a day 0, is no day of
    # that month (it once made ingest fail on the whole report: "day is out of range")
    assert all(len(value) < 10 for _, value, _ in spans(text))
