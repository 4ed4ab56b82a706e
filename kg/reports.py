"""Reading reports: text/markdown files with or without YAML front matter, HTML pages and
JSON Lines files, into `Report` objects whose `text` is the body that all offsets point into.

Bad input never raises out of `read_path`: each unreadable report becomes a `ReportError`
naming the file (or `file:line`) and the problem, so one broken file does not stop a run.
"""
from __future__ import annotations

import calendar
import datetime
import email.utils
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from kg.dates import MONTH_RE, WEEKDAY_RE, infer_year, month_number, parse_date_value

__all__ = ["Report", "ReportError", "find_report_files", "read_path", "max_report_bytes",
           "metadata_problem", "find_dateline", "apply_dateline", "Dateline", "EXTENSIONS",
           "MAX_FIELD_CHARS", "MAX_FRONT_MATTER_CHARS"]

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl")
# A news report or press release is a few kB (the largest of the shared corpora: 8 kB). The
# whole ingest of one report costs about 70 s and 1.6 GB a MB of text (mapping, validation
# and the write grow with its facts), so a larger limit lets one upload hold the server.
DEFAULT_MAX_REPORT_BYTES = 512 * 1024
# Metadata is short; without a cap, a title could carry more than the report limit allows.
MAX_FIELD_CHARS = 10_000
MAX_FRONT_MATTER_CHARS = 100_000
METADATA_FIELDS = ("id", "title", "published", "date", "source", "url")
_ID_OK = re.compile(r"[A-Za-z0-9._-]+")


@dataclass
class Report:
    id: str
    text: str                 # the body text (front matter removed); all offsets point into it
    published: datetime.date | None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None   # the file (for .jsonl: "file.jsonl:LINE")
    dateline_place: str | None = None   # e.g. "Baku" (as written, title-cased if ALL CAPS)
    dateline_date: str | None = None    # ISO partial date from the dateline, year filled in
    dateline_end: int = 0     # offset in text where the dateline ends (0 if none)
    dateline_agency: str | None = None  # the agency a dateline names ("(Yonhap)")
    content_hash: str = ""    # sha256 hex of the raw bytes of this report (file, or jsonl line)
    warnings: list[str] = field(default_factory=list)   # non-fatal problems, e.g. "no date"

    @property
    def date(self) -> datetime.date | None:
        """The publication date, else the dateline's date when it is a full one."""
        if self.published is not None:
            return self.published
        if self.dateline_date and len(self.dateline_date) == 10:
            return datetime.date.fromisoformat(self.dateline_date)
        return None


class ReportError(Exception):
    """A report that cannot be read; `source` is the file (or file:line), `reason` says why."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class _Bad(Exception):
    """Internal: a reason to refuse the report being built."""


def max_report_bytes() -> int:
    """The size limit for one report's text, from KG_MAX_REPORT_BYTES (bytes) or 512 KiB."""
    raw = os.environ.get("KG_MAX_REPORT_BYTES", "").strip().replace("_", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULT_MAX_REPORT_BYTES


# --- finding files ----------------------------------------------------------------------------

def _wanted(p: Path) -> bool:
    name = p.name.lower()
    return p.suffix.lower() in EXTENSIONS and not name.endswith(".gold.json")


def find_report_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[ReportError]]:
    """Report files under `paths` (files, or folders searched recursively, sorted).

    Hidden files and folders and gold files are skipped inside folders; a path given
    explicitly that does not exist or has an unsupported type is an error.
    """
    files: list[Path] = []
    errors: list[ReportError] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            errors.append(ReportError(str(p), "no such file or directory"))
        elif p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for n in names:
                    q = Path(root) / n
                    if n.startswith(".") or not _wanted(q):
                        continue
                    problem = _not_regular(q)
                    if problem:
                        errors.append(ReportError(str(q), problem))
                    else:
                        found.append(q)
            for q in sorted(found, key=lambda q: q.as_posix()):
                add(q)
        elif _wanted(p):
            add(p)
        else:
            errors.append(ReportError(str(p), f"unsupported file type {p.suffix or '(none)'!r}; "
                                              f"expected one of {', '.join(EXTENSIONS)}"))
    return files, errors


# --- reading one file -------------------------------------------------------------------------

def _kind(mode: int) -> str | None:
    """What a file that is not a regular one is, or None for a regular file."""
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def _not_regular(path: Path) -> str | None:
    """Why `path` (its symbolic links followed) is no report file, or None if it is a regular
    file: reading a FIFO waits for a writer forever, and a device such as /dev/zero never
    ends."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "a symbolic link to a missing file" if os.path.islink(path) \
            else "no such file or directory"
    except OSError as e:
        return f"cannot read file: {e.strerror or e}"
    what = _kind(st.st_mode)
    return f"not a regular file but {what}; a report must be a file" if what else None


def _open_regular(path: Path):
    """`path` opened for reading in binary, refused (_Bad) unless it is a regular file.

    Checked again on the open file: O_NONBLOCK makes opening a FIFO return at once, so a
    file swapped for one after the first check cannot hang the run either."""
    problem = _not_regular(path)
    if problem:
        raise _Bad(problem)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        what = _kind(os.fstat(fd).st_mode)
        if what:
            raise _Bad(f"not a regular file but {what}; a report must be a file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_path(path: Path) -> list[Report | ReportError]:
    """The reports in one file (a .jsonl file gives one per line); never raises for bad content."""
    path = Path(path)
    src = str(path)
    ext = path.suffix.lower()
    if ext not in EXTENSIONS:
        return [ReportError(src, f"unsupported file type {ext or '(none)'!r}; "
                                 f"expected one of {', '.join(EXTENSIONS)}")]
    limit = max_report_bytes()
    try:
        if ext == ".jsonl":
            return _read_jsonl(path, limit)
        with _open_regular(path) as f:
            # Refuse before reading when even the raw file is far beyond what its text may
            # be (HTML markup can outweigh its text, hence the slack); the read is bounded
            # too, as a file may grow after its size was read.
            size = os.fstat(f.fileno()).st_size
            raw = b"" if size > 4 * limit else f.read(4 * limit + 1)
        if size > 4 * limit or len(raw) > 4 * limit:
            more = " or more" if len(raw) > 4 * limit else ""
            return [ReportError(src, f"file is too large: {max(size, len(raw)):,} bytes{more}, "
                                     f"over the limit of {limit:,} bytes of text "
                                     f"(KG_MAX_REPORT_BYTES)")]
    except _Bad as e:
        return [ReportError(src, str(e))]
    except OSError as e:
        return [ReportError(src, f"cannot read file: {e.strerror or e}")]
    try:
        text = _decode(raw)
        if ext in (".html", ".htm"):
            return [_from_html(text, path, raw, limit)]
        return [_from_text(text, path, raw, limit)]
    except _Bad as e:
        return [ReportError(src, str(e))]


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise _Bad("empty file" if not raw else "empty file (only whitespace)")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _Bad("file is UTF-16 encoded; reports must be UTF-8")
    if raw[:5] == b"%PDF-":
        raise _Bad("binary file (a PDF document), not a text report")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise _Bad(f"binary file (NUL byte at offset {nul}), not a text report")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Bad(f"not valid UTF-8: byte 0x{raw[e.start]:02x} at offset {e.start} "
                   f"cannot be decoded ({e.reason})") from None
    return text.removeprefix("\ufeff")


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that keeps scalars as strings (except null), so that we parse dates ourselves
    and can say what is wrong with one, and `title: No` stays the text "No".

    Anchors and aliases are refused as the parser meets them: a few hundred bytes of nested
    aliases stand for gigabytes once turned into text ("billion laughs"), and front matter
    has no use for them.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            field = f" (in {index.value[:40]!r})" if isinstance(index, yaml.ScalarNode) else ""
            raise _Bad(f"front matter uses a YAML {'alias' if sign == '*' else 'anchor'} "
                       f"{sign}{event.anchor} on line {event.start_mark.line + 2}{field}; "
                       f"anchors and aliases are not allowed in front matter")
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _split_front_matter(text: str) -> tuple[dict | None, str]:
    """(front matter mapping or None when there is none, body)."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            break
    else:
        raise _Bad("front matter opened with '---' on line 1 is never closed "
                   "(no closing '---' line)")
    block = "\n".join(lines[1:i])
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise _Bad(f"front matter is too large: {len(block):,} characters, over the limit of "
                   f"{MAX_FRONT_MATTER_CHARS:,}")
    try:
        meta = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        plain = _plain_key_values(block)
        if plain is not None:
            # "title: Germany and France: talks" is the usual slip: read such a block line by
            # line (the caller warns), rather than refuse a report for an unquoted colon
            return plain, "\n".join(lines[i + 1:])
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""   # +1 for 1-based, +1 for '---'
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        ctx, cmark = getattr(e, "context", None), getattr(e, "context_mark", None)
        if ctx and cmark is not None and mark is not None and cmark.line != mark.line:
            what += f" ({ctx} started on line {cmark.line + 2})"
        raise _Bad(f"front matter is not valid YAML{where}: {what}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _Bad(f"front matter must be a mapping of keys to values, not a {_yaml_kind(meta)}")
    return meta, "\n".join(lines[i + 1:])


_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+(.*\S)[ \t]*")


def _plain_key_values(block: str) -> dict | None:
    """A front matter block of plain `key: value` lines, or None if it is anything else (an
    unclosed quote, a list, a nested block)."""
    meta: dict = {}
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_VALUE.fullmatch(line)
        if m is None:
            return None
        value = m.group(2)
        if value[0] in "[{|>&*!%@`":
            return None
        if value[0] in "\"'":
            close = value.find(value[0], 1)
            if close == -1:
                return None                   # an unclosed quote: a value over several lines
            if close == len(value) - 1:
                value = value[1:-1]
            # else a headline that opens with a quotation ("'Gas will flow': A and B
            # differ"), kept whole
        meta[m.group(1)] = value
    meta[LENIENT] = True
    return meta or None


LENIENT = "__read_line_by_line__"


def _yaml_kind(v) -> str:
    return {list: "list", str: "plain string"}.get(type(v), type(v).__name__)


def _from_text(text: str, path: Path, raw: bytes, limit: int) -> Report:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _split_front_matter(text)
    body = body.strip()
    if not body:
        raise _Bad("front matter but no body text" if meta is not None else "empty file")
    meta = meta or {}
    return _build(meta, body, default_id=path.stem, path=str(path), raw=raw, limit=limit)


def _from_html(text: str, path: Path, raw: bytes, limit: int) -> Report:
    import trafilatura   # imported late: it is slow to import and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                          include_tables=True)
    except Exception as e:   # trafilatura/lxml can fail in many ways on broken markup
        raise _Bad(f"cannot parse the HTML page: {e}") from None
    if doc is None:
        raise _Bad("no article text found in the HTML page")
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = (d.get("text") or "").strip()
    if not body:
        raise _Bad("no article text found in the HTML page")
    meta = {"title": d.get("title"), "published": d.get("date"), "url": d.get("url"),
            "source": d.get("sitename")}
    return _build(meta, body, default_id=path.stem, path=str(path), raw=raw, limit=limit)


def _read_jsonl(path: Path, limit: int) -> list[Report | ReportError]:
    src = str(path)
    out: list[Report | ReportError] = []
    longest = 4 * limit   # bytes of a line: JSON escapes can outweigh the text
    with _open_regular(path) as f:
        head = f.read(8192)
        nul = head.find(b"\x00")
        if nul >= 0:
            return [ReportError(src, f"binary file (NUL byte at offset {nul}), not a text report")]
        f.seek(0)
        any_line = False
        lineno = 0
        while True:
            # bounded, so that an endless line is refused without being held whole
            line = f.readline(longest + 1)
            if not line:
                break
            lineno += 1
            where = f"{src}:{lineno}"
            if len(line) > longest and not line.endswith(b"\n"):
                size = len(line) + _skip_line(f)
                any_line = True
                out.append(ReportError(where, f"line is too large: {size:,} bytes, over the "
                                              f"limit of {limit:,} bytes of text "
                                              f"(KG_MAX_REPORT_BYTES)"))
                continue
            line = line.rstrip(b"\r\n")
            if not line.strip():
                continue   # blank lines between records are harmless
            any_line = True
            try:
                out.append(_jsonl_record(line, path, lineno, where, limit))
            except _Bad as e:
                out.append(ReportError(where, str(e)))
    if not any_line:
        return [ReportError(src, "empty file")]
    return out


def _skip_line(f) -> int:
    """Reads past the rest of the current line, a block at a time; the bytes skipped, its
    newline not counted."""
    skipped = 0
    while True:
        block = f.readline(1 << 20)
        skipped += len(block)
        if not block:
            return skipped
        if block.endswith(b"\n"):
            return skipped - 1


def _jsonl_record(line: bytes, path: Path, lineno: int, where: str, limit: int) -> Report:
    try:
        s = line.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise _Bad(f"not valid UTF-8: byte 0x{line[e.start]:02x} at offset {e.start} "
                   f"of the line cannot be decoded ({e.reason})") from None
    try:
        rec = json.loads(s)
    except json.JSONDecodeError as e:
        raise _Bad(f"invalid JSON at column {e.colno}: {e.msg}") from None
    except (ValueError, RecursionError) as e:   # an integer of 5,000 digits, [[[[...]]]]
        raise _Bad(f"invalid JSON: {e}") from None
    if not isinstance(rec, dict):
        raise _Bad(f"a line must be a JSON object, not {type(rec).__name__}")
    body = rec.get("text")
    if body is None:
        raise _Bad("no 'text' field")
    if not isinstance(body, str):
        raise _Bad(f"'text' must be a string, not {type(body).__name__}")
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise _Bad("'text' is empty")
    meta = {k: rec.get(k) for k in ("id", "title", "published", "source", "url") if k in rec}
    return _build(meta, body, default_id=f"{path.stem}-{lineno}", path=where, raw=line,
                  limit=limit)


# --- building a report ------------------------------------------------------------------------

def _check_id(value) -> str:
    if isinstance(value, (dict, list)):
        raise _Bad(f"id must be a string, not a {type(value).__name__}")
    ident = str(value).strip()
    if not ident:
        raise _Bad("id is empty")
    if not _ID_OK.fullmatch(ident):
        bad = sorted(set(ch for ch in ident if not _ID_OK.fullmatch(ch)))
        shown = ", ".join(repr(ch) for ch in bad)
        raise _Bad(f"id {ident!r} has characters outside [A-Za-z0-9._-]: {shown}")
    if set(ident) == {"."}:
        raise _Bad(f"id {ident!r} is not usable (only dots)")
    return ident


def _opt_str(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _parse_published(v) -> tuple[datetime.date | None, str | None]:
    """(date, warning); raises _Bad for a date that is there but wrong."""
    if v is None:
        return None, None
    if isinstance(v, datetime.datetime):
        return v.date(), None
    if isinstance(v, datetime.date):
        return v, None
    if isinstance(v, (dict, list, bool)):
        raise _Bad(f"published must be a date, not a {type(v).__name__}")
    s = str(v).strip()
    if not s:
        return None, None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", s)
    if m:
        try:
            return datetime.date(int(m[1]), int(m[2]), int(m[3])), None
        except ValueError as e:
            raise _Bad(f"impossible published date {s!r}: {e}") from None
    iso = parse_date_value(s)
    if iso and len(iso) == 10:
        return datetime.date.fromisoformat(iso), None
    if iso:
        return None, f"published date {s!r} is not a full date; ignored"
    try:   # RSS-style "Fri, 07 Nov 2025 10:00:00 GMT"
        return email.utils.parsedate_to_datetime(s).date(), None
    except (TypeError, ValueError, IndexError):
        pass
    raise _Bad(f"published date {s!r} is not a valid date (expected YYYY-MM-DD)")


def metadata_problem(meta: dict) -> str | None:
    """Why a report's metadata (id, title, published, source, url) cannot be taken, or None:
    each must be one value of at most MAX_FIELD_CHARS characters. The one check for front
    matter, .jsonl records, HTML pages and KnowledgeGraph.ingest_text."""
    for name in METADATA_FIELDS:
        value = meta.get(name)
        if name in ("title", "source", "url") and isinstance(value, (dict, list)):
            return f"{name} must be a single value, not a {_yaml_kind(value)}"
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return (f"{name} is too long: {len(value):,} characters, over the limit of "
                    f"{MAX_FIELD_CHARS:,}")
    return None


def _build(meta: dict, body: str, *, default_id: str, path: str, raw: bytes,
           limit: int) -> Report:
    problem = metadata_problem(meta)
    if problem:
        raise _Bad(problem)
    size = len(body.encode("utf-8"))
    if size > limit:
        raise _Bad(f"report is too large: {size:,} bytes of text, over the limit of "
                   f"{limit:,} bytes (KG_MAX_REPORT_BYTES)")
    ident = _check_id(meta["id"] if meta.get("id") is not None else default_id)
    warnings: list[str] = []
    if meta.pop(LENIENT, False):
        warnings.append("front matter is not valid YAML (an unquoted ':' in a value?); "
                        "read as plain 'key: value' lines")
    published, warn = _parse_published(meta.get("published", meta.get("date")))
    if warn:
        warnings.append(warn)
    rep = Report(id=ident, text=body, published=published, title=_opt_str(meta.get("title")),
                 source=_opt_str(meta.get("source")), url=_opt_str(meta.get("url")), path=path,
                 content_hash=hashlib.sha256(raw).hexdigest(), warnings=warnings)
    apply_dateline(rep)
    return rep


def apply_dateline(report: Report) -> None:
    """Fill a report's dateline place, date and end from its text, and warn where the report
    has no date at all; for reports built from files and from text given in Python alike."""
    dl = find_dateline(report.text)
    if dl is not None:
        report.dateline_place = dl.place
        report.dateline_end = dl.end
        report.dateline_agency = dl.agency
        if dl.month is not None:
            report.dateline_date = _dateline_iso(dl, report.published, report.warnings)
    if report.date is None:
        report.warnings.append("no date")


def _dateline_iso(dl: "Dateline", published: datetime.date | None,
                  warnings: list[str]) -> str | None:
    year = dl.year
    if year is None:
        if published is None:
            warnings.append("no year for the dateline date")
            return None
        year = infer_year(dl.month, dl.day, published)
    try:
        return datetime.date(year, dl.month, dl.day).isoformat()
    except ValueError:
        warnings.append(f"impossible dateline date: {dl.day} {calendar.month_name[dl.month]} {year}")
        return None


# --- datelines --------------------------------------------------------------------------------

@dataclass
class Dateline:
    place: str | None
    month: int | None
    day: int | None
    year: int | None
    agency: str | None
    end: int          # offset in the text just after the dateline and its separator


# A place is 1-4 words; a word is letters with inner ' ’ . - ("ST. PETERSBURG", "PORT-AU-PRINCE",
# "N'DJAMENA"), and no word may be a month or weekday name (else "SEOUL Feb" would be a place).
_NOT_DATE_WORD = rf"(?!(?:{MONTH_RE}|{WEEKDAY_RE})(?![\w'’\-]))"
_WORD = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_])|\.(?=[^\W\d_]))*\.?"
_PLACE = rf"{_NOT_DATE_WORD}{_WORD}(?:[ \t]{_NOT_DATE_WORD}{_WORD}){{0,3}}"
_DATELINE = re.compile(rf"""
    (?P<place>{_PLACE})
    # a story filed from two places names both ("TALLINN/MOSCOW (dpa) -"): it has no one
    # place it is written from
    (?P<second>[ \t]*/[ \t]*{_PLACE}(?![\w'’.\-])(?![ \t]*/))?
    (?:,[ \t]*(?P<country>{_PLACE}))?
    # the day told by its name alone ("La Paz, Wednesday (EFE) -")
    (?:,[ \t]*{WEEKDAY_RE}(?=[ \t]*\())?
    (?:
        (?P<comma>,)?[ \t]+(?:{WEEKDAY_RE},?[ \t]+)?
        (?: (?P<m1>{MONTH_RE})[ \t]+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?
          | (?P<d2>[0-3]?\d)(?:st|nd|rd|th)?[ \t]+(?P<m2>{MONTH_RE}) )
        (?![\d\w])
        (?:,?[ \t]+(?P<y>\d{{4}})(?!\d))?
    )?
    [ \t]*(?:\((?P<agency>[^()\n]{{1,40}})\)|/(?P<slashed>[A-Z][A-Za-z\-]{{1,20}})/)?
    # (EFE's ".-": "BELMOPAN, April 22 (EFE).- Belize ...")
    [ \t]*(?P<sep>--|\.-|[.:–—-])?
    """, re.VERBOSE)
# "(ANSA) - Sirte, March 3 - ...": the agency first, then the dateline
_AGENCY_FIRST = re.compile(r"\((?P<agency>[A-Z][A-Za-z\-]{1,20})\)[ \t]*(?:--|[–—-])[ \t]*")
# "ABO/VNA – ...": agencies only, no place
_AGENCY_ONLY = re.compile(r"(?P<agency>[A-Z][A-Za-z]{1,9}(?:/[A-Z][A-Za-z]{1,9})+)[ \t]*(?:--|[–—-])")

# Lower-case words allowed inside a place name ("Rio de Janeiro", "Dar es Salaam").
_PARTICLES = frozenset("de da do dos das del della di du des es la le les el al au aux of "
                       "and upon sur am an der".split())
# Words that start lines but are not places.
_NOT_PLACES = frozenset("""
today yesterday tomorrow tonight on in at the this that last next meanwhile however earlier
later also but and then after before since during while when according as for with from
note editor editors update updated breaking exclusive analysis comment opinion editorial
press release statement joint news photo video watch read more source sources summary
background factbox correction corrected advisory bulletin urgent flash live by
communique communiqué communiques communiqués declaration government final information
announcement notice speech remarks transcript interview briefing readout
un eu nato osce asean au opec who imf wto g7 g20 brics
""".split())


def _title_case(place: str) -> str:
    """'NEW DELHI' -> 'New Delhi', 'DAR ES SALAAM' -> 'Dar es Salaam', 'PORT-AU-PRINCE' ->
    'Port-au-Prince'."""
    def one(part: str, first: bool) -> str:
        low = part.lower()
        if not first and low in _PARTICLES:
            return low
        return low[:1].upper() + low[1:]

    out = []
    for i, w in enumerate(place.split()):
        parts = w.split("-")
        out.append("-".join(one(p, i == 0 and j == 0) for j, p in enumerate(parts)))
    return " ".join(out)


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _plausible_place(place: str) -> bool:
    words = place.split()
    if not words or not words[0][:1].isupper():
        return False
    if len(words) >= 2 and words[0] in ("THE", "The") and _is_caps(words[1]):
        words = words[1:]                     # "THE HAGUE (ANP) –"
    for w in words:
        low = w.lower().strip(".")
        if low in _NOT_PLACES:
            return False
        if not w[:1].isupper() and low not in _PARTICLES:
            return False
    return True


def _match_line(line: str) -> Dateline | None:
    """A dateline at the start of `line`, its `end` relative to the line."""
    m = _AGENCY_ONLY.match(line)
    if m:
        end = m.end()
        if end == len(line) or line[end].isspace():
            return Dateline(None, None, None, None, m["agency"], _skip_space(line, end))
    first = _AGENCY_FIRST.match(line)
    if first:
        dl = _match_line(line[first.end():])
        if dl is None or dl.agency:
            return None
        dl.agency, dl.end = first["agency"], dl.end + first.end()
        return dl
    m = _DATELINE.match(line)
    if not m:
        return None
    place, country, sep, agency = m["place"], m["country"], m["sep"], m["agency"]
    if m["slashed"]:
        # "Ulaanbaatar, November 20 /MONTSAME/.", "Ulaanbaatar /MONTSAME/ The President ...":
        # an agency between slashes is a dateline's mark on its own, separator or not
        agency, sep = m["slashed"], sep or "/"
    if not _plausible_place(place) or (country and not _plausible_place(country)):
        return None
    if place.endswith(".") and "." not in place.rsplit(None, 1)[-1][:-1]:
        place = place[:-1]    # "BAKU. Aug 23 (Interfax) -": the stop is no part of the name
    caps = _is_caps(place)
    month_s = m["m1"] or m["m2"]
    end = m.end()
    rest = line[end:]
    if m["sep"] and rest and not rest[0].isspace():
        return None    # "BAKU-based", "U.S.-led": not a separator
    if month_s:
        # Mixed-case places need a comma ("Baku, November 7."); ALL CAPS may go without
        # ("SEOUL Feb 25 South Korea said").
        if not caps and not (country or m["comma"]):
            return None
        if not (sep or agency or caps or not rest.strip()):
            return None
        day = int(m["d1"] or m["d2"])
        month = month_number(month_s)
        year = int(m["y"]) if m["y"] else None
        dl = Dateline(_title_case(place) if caps else place, month, day, year, agency, 0)
    else:
        lone = not rest.strip() and not sep and not agency
        if lone:
            # A lone ALL-CAPS line ("AMMAN"): short, and ALL CAPS, or it is a heading.
            if not caps or len(place.split()) > 3:
                return None
        elif agency:
            # "Kyiv (Ukrinform) -", "WASHINGTON (AP) -"; a mixed-case one needs its separator,
            # else "Mr Smith (Labour) said" would pass
            if not (caps or sep):
                return None
        elif not (caps and sep in (":", "–", "—", "-", "--")):
            return None   # "Background: ...", "U.S." are not datelines
        if sep == "." and not agency:
            return None
        dl = Dateline(_title_case(place) if caps else place, None, None, None, agency, 0)
    if m["second"]:
        dl.place = None
    dl.end = _skip_space(line, end)
    return dl


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t":
        i += 1
    return i


def find_dateline(text: str, max_lines: int = 3) -> Dateline | None:
    """The dateline at the start of one of the first non-empty lines of `text`, if any.

    Only the first few lines are looked at, and none after the first long paragraph: a
    dateline comes before the story, possibly after a headline or a standfirst.
    """
    pos = 0
    seen = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        seen += 1
        lead = len(line) - len(line.lstrip())
        dl = _match_line(line[lead:])
        if dl is not None:
            dl.end += start + lead
            if dl.end >= start + len(line):
                # the dateline is the whole line: the story starts at the next non-empty line
                j = start + len(line)
                while j < len(text) and text[j].isspace():
                    j += 1
                dl.end = j
            return dl
        if seen >= max_lines or len(line) > 200:
            return None
    return None
