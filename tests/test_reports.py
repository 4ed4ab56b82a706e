import datetime
import hashlib
import json
from pathlib import Path

import pytest

from kg.reports import Report, ReportError, find_dateline, find_report_files, read_path

FIX = Path(__file__).parent / "fixtures" / "reports"


def one(path: Path) -> Report | ReportError:
    got = read_path(path)
    assert len(got) == 1, got
    return got[0]


def ok(path: Path) -> Report:
    r = one(path)
    assert isinstance(r, Report), r
    return r


def err(path: Path) -> ReportError:
    r = one(path)
    assert isinstance(r, ReportError), r
    return r


# --- well-formed reports ----------------------------------------------------------------------

def test_front_matter_report():
    path = FIX / "fm-report.txt"
    r = ok(path)
    assert r.id == "savannah-2024-06-12-ken-idn-coffee-mou"
    assert r.title == "Kenya and Indonesia sign coffee trade memorandum"
    assert r.published == datetime.date(2024, 6, 12)
    assert r.source == "Savannah Wire"
    assert r.url == "https://savannahwire.example/ken-idn-coffee"
    assert r.path == str(path)
    assert r.text.startswith("NAIROBI, Kenya, June 12. Kenya and Indonesia signed")
    assert r.text.endswith("exchanged trade missions in 1998.")
    assert "---" not in r.text
    assert r.dateline_place == "Nairobi"
    assert r.dateline_date == "2024-06-12"
    assert r.dateline_end == len("NAIROBI, Kenya, June 12. ")
    assert r.text[r.dateline_end:].startswith("Kenya and Indonesia")
    assert r.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert r.warnings == []
    assert r.date == datetime.date(2024, 6, 12)


def test_front_matter_datetime_and_quoted_title():
    r = ok(FIX / "fm-datetime.md")
    assert r.id == "nordic-desk-2023-02-01-fin-nam"
    assert r.published == datetime.date(2023, 2, 1)
    assert r.title == "Finland and Namibia: hydrogen talks"
    assert r.url is None
    assert r.dateline_place is None and r.dateline_end == 0
    assert r.warnings == []


def test_yaml_scalars_stay_text(tmp_path):
    # "No" must not become False, and a numeric id stays its digits
    p = tmp_path / "x.txt"
    p.write_text("---\nid: 20240101\ntitle: No\npublished: 2024-01-01\n---\nBody.\n", encoding="utf-8")
    r = ok(p)
    assert (r.id, r.title, r.published) == ("20240101", "No", datetime.date(2024, 1, 1))


def test_missing_date_is_a_warning_not_an_error():
    r = ok(FIX / "missing-date.txt")
    assert r.id == "andean-mail-uru-bra-ports"
    assert r.published is None
    assert r.date is None
    assert r.warnings == ["no date"]


@pytest.mark.parametrize("name, place, dl_date, rest, warnings", [
    ("plain-reuters-style.txt", "Lima", None, "Peru said on Tuesday it\n",
     ["no year for the dateline date", "no date"]),
    ("plain-agency-day-month.txt", "Windhoek", "2023-09-14", "Namibia and Finland agreed", []),
    ("plain-colon.md", "Ottawa", None, "Canada on Friday announced", ["no date"]),
    ("plain-lone-line.txt", "Tbilisi", None, "Georgia's foreign ministry summoned", ["no date"]),
    ("plain-agency-only.txt", None, None, "Iran and Oman discussed", ["no date"]),
    ("plain-no-dateline.txt", None, None, "The foreign ministers of Chile", ["no date"]),
])
def test_plain_text_datelines(name, place, dl_date, rest, warnings):
    path = FIX / name
    r = ok(path)
    assert r.id == path.stem
    assert r.published is None
    assert r.dateline_place == place
    assert r.dateline_date == dl_date
    assert r.text[r.dateline_end:].startswith(rest)
    assert r.warnings == warnings


def test_dateline_date_gives_report_date_without_published():
    r = ok(FIX / "plain-agency-day-month.txt")
    assert r.dateline_end == len("Windhoek, 14 September 2023 (NAMPA): ")
    assert r.date == datetime.date(2023, 9, 14)


def test_dateline_year_comes_from_published_with_rollback(tmp_path):
    # a December dateline in a report published in early January is last year's December
    p = tmp_path / "x.txt"
    p.write_text("---\npublished: 2024-01-03\n---\nHANOI, December 30. Viet Nam and Laos met.\n",
                 encoding="utf-8")
    r = ok(p)
    assert r.dateline_date == "2023-12-30"
    assert r.published == datetime.date(2024, 1, 3)


def test_html_page_boilerplate_removed():
    path = FIX / "embassy-page.html"
    r = ok(path)
    assert r.id == "embassy-page"
    assert r.title == "Ghana and Peru sign visa waiver agreement"
    assert r.published == datetime.date(2024, 3, 14)
    assert r.url == "https://accraledger.example/world/ghana-peru-visa-waiver"
    assert "Ghana and Peru on Thursday signed an agreement abolishing visas" in r.text
    assert "training of diplomats." in r.text
    for junk in ("Subscribe to our newsletter", "Privacy policy", "Cookie settings",
                 "Transfer window", "All rights reserved"):
        assert junk not in r.text
    assert r.dateline_place == "Accra"
    assert r.dateline_date == "2024-03-14"
    assert r.text[r.dateline_end:].startswith("Ghana and Peru on Thursday")
    assert r.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_jsonl_three_lines_one_broken():
    path = FIX / "batch.jsonl"
    got = read_path(path)
    assert len(got) == 3
    a, bad, c = got
    assert isinstance(a, Report) and isinstance(c, Report)
    assert a.id == "balkan-post-2021-05-20-srb-hun"
    assert a.title == "Serbia and Hungary open border crossing"
    assert a.published == datetime.date(2021, 5, 20)
    assert a.source == "Balkan Post"
    assert a.path == f"{path}:1"
    assert a.dateline_place == "Belgrade"
    assert a.dateline_date == "2021-05-20"
    assert a.text[a.dateline_end:].startswith("Serbia and Hungary opened")
    lines = path.read_bytes().split(b"\n")
    assert a.content_hash == hashlib.sha256(lines[0]).hexdigest()

    assert isinstance(bad, ReportError)
    assert bad.source == f"{path}:2"
    assert "invalid JSON" in bad.reason
    assert str(bad) == f"{path}:2: {bad.reason}"

    # line 3 is blank and skipped; line numbers stay those of the file
    assert c.id == "andes-news-2020-01-15-bol-par"
    assert c.path == f"{path}:4"
    assert c.title is None and c.url is None
    assert c.content_hash == hashlib.sha256(lines[3]).hexdigest()


def test_jsonl_record_problems(tmp_path):
    p = tmp_path / "r.jsonl"
    rows = [
        json.dumps({"id": "ok-1", "text": "Chad and Niger met.", "published": "2020-02-02"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "empty-text", "text": "   "}),
        json.dumps({"id": "bad date", "text": "x"}),
        json.dumps({"text": "Mali and Guinea met.", "published": "2020-02-30"}),
        json.dumps({"text": "Togo and Benin met."}),
    ]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    got = read_path(p)
    assert [type(g).__name__ for g in got] == ["Report", "ReportError", "ReportError", "ReportError",
                                               "ReportError", "ReportError", "Report"]
    assert got[1].reason == "a line must be a JSON object, not list"
    assert got[2].reason == "no 'text' field"
    assert got[3].reason == "'text' is empty"
    assert got[4].reason == "id 'bad date' has characters outside [A-Za-z0-9._-]: ' '"
    assert got[5].reason == "impossible published date '2020-02-30': day is out of range for month"
    assert got[6].id == "r-7"          # no id: file stem and line number
    assert got[6].warnings == ["no date"]


# --- bad input --------------------------------------------------------------------------------

def test_empty_file():
    e = err(FIX / "bad" / "empty.txt")
    assert e.source == str(FIX / "bad" / "empty.txt")
    assert e.reason == "empty file"


def test_only_front_matter():
    assert err(FIX / "bad" / "only-front-matter.txt").reason == "front matter but no body text"


def test_unclosed_front_matter():
    assert err(FIX / "bad" / "unclosed-front-matter.txt").reason == (
        "front matter opened with '---' on line 1 is never closed (no closing '---' line)")


def test_yaml_syntax_error_names_lines():
    e = err(FIX / "bad" / "yaml-error.txt")
    assert e.reason == ("front matter is not valid YAML on line 4: found unexpected end of stream "
                        "(while scanning a quoted scalar started on line 3)")


def test_front_matter_not_a_mapping():
    assert err(FIX / "bad" / "front-matter-list.txt").reason == (
        "front matter must be a mapping of keys to values, not a list")


def test_impossible_date():
    e = err(FIX / "bad" / "impossible-date.txt")
    assert e.reason == "impossible published date '2025-13-45': month must be in 1..12"


def test_unreadable_date(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("---\npublished: sometime in spring\n---\nBody.\n", encoding="utf-8")
    assert err(p).reason == "published date 'sometime in spring' is not a valid date (expected YYYY-MM-DD)"


def test_bad_id_names_the_characters():
    e = err(FIX / "bad" / "bad-id.txt")
    assert e.reason == "id 'pak/afg talks#1' has characters outside [A-Za-z0-9._-]: ' ', '#', '/'"


def test_empty_id(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("---\nid: '  '\n---\nBody.\n", encoding="utf-8")
    assert err(p).reason == "id is empty"


def test_id_from_a_bad_file_stem(tmp_path):
    p = tmp_path / "talks (draft).txt"
    p.write_text("Body.\n", encoding="utf-8")
    assert err(p).reason == "id 'talks (draft)' has characters outside [A-Za-z0-9._-]: ' ', '(', ')'"


def test_binary_file(tmp_path):
    p = tmp_path / "scan.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    e = err(p)
    assert e.source == str(p)
    assert e.reason == "binary file (NUL byte at offset 8), not a text report"


def test_non_utf8_names_the_offset(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("SANTIAGO: Chile y Per\u00fa firmaron un acuerdo.".encode("latin-1"))
    e = err(p)
    assert e.reason == ("not valid UTF-8: byte 0xfa at offset 21 cannot be decoded "
                        "(invalid start byte)")


def test_utf16_is_refused(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes("Body".encode("utf-16"))
    assert err(p).reason == "file is UTF-16 encoded; reports must be UTF-8"


def test_ten_megabyte_report_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_MAX_REPORT_BYTES", raising=False)
    p = tmp_path / "huge.txt"
    line = "Brazil and Angola discussed trade in the capital." * 20 + "\n"    # 981 bytes
    p.write_text("---\nid: huge\npublished: 2024-01-01\n---\n" + line * 10_200, encoding="utf-8")
    e = err(p)
    # Refused from the file's size, before its text is read (the default limit is 512 KiB).
    assert e.reason == ("file is too large: 10,006,239 bytes, over the limit of 524,288 bytes "
                        "of text (KG_MAX_REPORT_BYTES)")


def test_size_limit_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MAX_REPORT_BYTES", "100")
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("x" * 100, encoding="utf-8")
    big.write_text("x" * 101, encoding="utf-8")
    assert ok(small).text == "x" * 100
    assert err(big).reason == ("report is too large: 101 bytes of text, over the limit of "
                               "100 bytes (KG_MAX_REPORT_BYTES)")
    # far beyond the limit: refused from its size, before reading
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * 1000, encoding="utf-8")
    assert err(huge).reason == ("file is too large: 1,000 bytes, over the limit of 100 bytes "
                                "of text (KG_MAX_REPORT_BYTES)")


def test_crlf_and_bom(tmp_path):
    p = tmp_path / "win.txt"
    p.write_bytes(b"\xef\xbb\xbf---\r\nid: win\r\npublished: 2022-03-04\r\n---\r\n"
                  b"QUITO, March 4. Ecuador and Colombia met.\r\nSecond line.\r\n")
    r = ok(p)
    assert r.id == "win"
    assert r.text == "QUITO, March 4. Ecuador and Colombia met.\nSecond line."
    assert r.dateline_date == "2022-03-04"


# --- finding files ----------------------------------------------------------------------------

def test_find_report_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("z.txt", "a.md", "b/c.html", "b/d.htm", "b/e.jsonl", "b/f.TXT",
                 "a.gold.json", "notes.json", "pic.png", ".hidden.txt", ".git/x.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors = find_report_files([tmp_path, tmp_path / "missing"])
    rel = [f.relative_to(tmp_path).as_posix() for f in files]
    assert rel == ["a.md", "b/c.html", "b/d.htm", "b/e.jsonl", "b/f.TXT", "z.txt"]
    assert len(errors) == 1
    assert errors[0].source == str(tmp_path / "missing")
    assert errors[0].reason == "no such file or directory"


def test_find_report_files_explicit_file_and_duplicates(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("x", encoding="utf-8")
    g = tmp_path / "r.pdf"
    g.write_text("x", encoding="utf-8")
    files, errors = find_report_files([f, str(f), tmp_path / "r.pdf"])
    assert files == [f]
    assert [e.reason for e in errors] == [
        "unsupported file type '.pdf'; expected one of .txt, .md, .html, .htm, .jsonl"]


def test_fixture_folder_reads_without_raising():
    files, errors = find_report_files([FIX])
    assert errors == []
    got = [x for f in files for x in read_path(f)]
    assert sum(isinstance(x, Report) for x in got) == 12
    assert sum(isinstance(x, ReportError) for x in got) == 8


# --- datelines on their own -------------------------------------------------------------------

@pytest.mark.parametrize("text, place, month, day, year, rest", [
    ("RIO DE JANEIRO, Brazil, June 3 (Agencia) -- Brazil and Chile", "Rio de Janeiro", 6, 3, None, "Brazil"),
    ("ST. PETERSBURG, 5 July: Russia and Belarus", "St. Petersburg", 7, 5, None, "Russia"),
    ("PORT-AU-PRINCE, Haiti – The government", "Port-au-Prince", None, None, None, "The"),
    ("WASHINGTON (AP) — The United States", "Washington", None, None, None, "The"),
    ("Kyiv (Ukrinform) - Ukraine and Moldova", "Kyiv", None, None, None, "Ukraine"),
    ("Dakar, Senegal, Tuesday, March 4, 2025 – Senegal", "Dakar", 3, 4, 2025, "Senegal"),
    ("BOGOTÁ, Nov. 2 (Prensa) - Colombia", "Bogotá", 11, 2, None, "Colombia"),
    # an agency between slashes, with or without a separator after it
    ("Ulaanbaatar, May 7 /Montsame/. The President", "Ulaanbaatar", 5, 7, None, "The"),
    ("Ulaanbaatar /Montsame/ The President", "Ulaanbaatar", None, None, None, "The"),
    # EFE's ".-", the agency first (ANSA), the day named alone, a place after "THE"
    ("QUITO, March 4 (EFE).- Ecuador and Peru", "Quito", 3, 4, None, "Ecuador"),
    ("(ANSA) - Sirte, March 3 - The treaty", "Sirte", 3, 3, None, "The"),
    ("La Paz, Wednesday (EFE) – Bolivia and Chile", "La Paz", None, None, None, "Bolivia"),
    ("THE HAGUE (ANP) – The Dutch Senate", "The Hague", None, None, None, "The"),
    # filed from two places: no one place it is written from
    ("TALLINN/MOSCOW (dpa) - The row", None, None, None, None, "The"),
    ("ANKARA / CAIRO, May 6 (AA) - Turkish", None, 5, 6, None, "Turkish"),
    # a full stop after the city is no part of its name
    ("TBILISI. Mar 4 (Interfax) - Georgian", "Tbilisi", 3, 4, None, "Georgian"),
    # a document's heading in capitals is no place: the dateline is the line under it
    ("JOINT COMMUNIQUE\nof the two governments\nSuva, 4 March 2019\n\nThe Governments",
     "Suva", 3, 4, 2019, "The Governments"),
])
def test_dateline_forms(text, place, month, day, year, rest):
    d = find_dateline(text)
    assert d is not None
    assert (d.place, d.month, d.day, d.year) == (place, month, day, year)
    assert text[d.end:].startswith(rest)


@pytest.mark.parametrize("text", [
    "Today, October 2, 2023, the two ministers met.",
    "On Wednesday, 4 October, the President received the envoy.",
    "Poland on Wednesday expelled three diplomats.",
    "PRIME MINISTER'S OFFICIAL VISIT TO MALAYSIA\n\nThe Prime Minister arrived.",
    "JOINT STATEMENT\n\nThe two sides agreed.",
    "Background: the talks began in 2019.",
    "U.S. officials said the talks went well.",
    "BAKU-based analysts said the border was calm.",
    "Mr Okafor (Senate) said the treaty was ready.",
    "Seoul Feb 25 South Korea said",
    "The talks /in Baku/ went on.",
    "Kenya/Uganda trade rose.",
    "Envoys meet over fishing rights\n\nAmman\n\nJordan and Egypt met.",   # lone, not ALL CAPS
])
def test_not_datelines(text):
    assert find_dateline(text) is None


def test_unquoted_colon_in_a_value_is_read_line_by_line_with_a_warning(tmp_path):
    path = tmp_path / "colon.txt"
    path.write_text("---\nid: colon\ntitle: Chile and Peru: talks resume\npublished: 2024-03-02\n"
                    "---\nLIMA, March 2. Chile and Peru resumed talks.\n", encoding="utf-8")
    (report,) = read_path(path)
    assert isinstance(report, Report)
    assert (report.id, report.title, report.published) == (
        "colon", "Chile and Peru: talks resume", datetime.date(2024, 3, 2))
    assert any("not valid YAML" in w and "key: value" in w for w in report.warnings)


@pytest.mark.parametrize("title, read", [
    # a headline that opens with a quotation: YAML reads the quotes as the whole value
    ("'Fish will keep swimming': Chile, Peru trade words", "'Fish will keep swimming': Chile, "
     "Peru trade words"),
    ('"We stay": Peru answers Chile on fishing', '"We stay": Peru answers Chile on fishing'),
    ("'Chile and Peru: talks resume'", "Chile and Peru: talks resume"),   # quoted whole
])
def test_headline_opening_with_a_quotation_is_read_line_by_line(tmp_path, title, read):
    path = tmp_path / "quoted.txt"
    path.write_text(f"---\nid: quoted\ntitle: {title}\npublished: 2024-03-02\n---\n"
                    "LIMA, March 2. Chile and Peru resumed talks.\n", encoding="utf-8")
    (report,) = read_path(path)
    assert isinstance(report, Report), report
    assert (report.id, report.title) == ("quoted", read)


def test_unclosed_quote_in_front_matter_is_still_refused(tmp_path):
    path = tmp_path / "open.txt"
    path.write_text("---\nid: open\ntitle: 'Chile and Peru: talks\npublished: 2024-03-02\n"
                    "---\nLIMA, March 2. Chile and Peru resumed talks.\n", encoding="utf-8")
    (report,) = read_path(path)
    assert not isinstance(report, Report)
    assert "open.txt" in str(report) and "not valid YAML" in str(report)
