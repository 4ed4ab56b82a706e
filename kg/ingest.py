"""Ingest: report files -> extracted facts -> one validated named graph per report.

One report's failure never stops the run: it is recorded as "file: reason" and nothing of that
report is written (its graph is replaced in a single transaction, and only after validation).
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm


class IngestError(Exception):
    """A report refused for a known reason; the message is shown as it is."""


@dataclass
class IngestSummary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def reports(self) -> int:
        return self.added + self.replaced + self.unchanged + len(self.failed)

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds > 0 else 0.0

    def text(self) -> str:
        lines = [f"{self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                 f"{len(self.failed)} failed ({self.reports} reports in {self.seconds:.2f} s, "
                 f"{self.reports_per_second:.1f} reports/s)"]
        if self.facts:
            lines.append("facts: " + ", ".join(f"{n} {kind}" for kind, n in self.facts.items()))
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines += [f"  {w}" for w in self.warnings]
        if self.failed:
            lines.append(f"{len(self.failed)} failed:")
            lines += [f"  {f}" for f in self.failed]
        return "\n".join(lines)


class _Pipeline:
    """The stages after reading, for one run; built on first use so that a run whose
    files all fail to read needs none of them."""

    def __init__(self, store, summary: IngestSummary, force: bool):
        self.store, self.summary, self.force = store, summary, force
        self._resolver = None

    def store_report(self, report) -> None:
        """Extract, resolve, map, validate and store one report; raises on any refusal."""
        from kg.extraction import extract
        from kg.mapping import report_graph
        from kg.resolution import Resolver
        from kg.validation import validate

        summary = self.summary
        previous = self.store.report_hash(report.id)
        if previous is not None and previous == report.content_hash and not self.force:
            summary.unchanged += 1
            return
        if self._resolver is None:
            self._resolver = Resolver(self.store)
        extraction = extract(report)
        self._resolver.resolve(report, extraction)
        graph = report_graph(report, extraction)
        result = validate(graph)
        if not result.conforms:
            raise IngestError("does not conform to the shapes:\n" + result.text())
        self.store.replace_report(report.id, graph)
        if previous is None:
            summary.added += 1
        else:
            summary.replaced += 1
        summary.facts.update(extraction.summary())
        summary.warnings += [f"{report.path}: {w}" for w in report.warnings]
        if not extraction.states:
            summary.warnings.append(f"{report.path}: names no state")


def ingest(paths, store, progress: bool = True, force: bool = False) -> IngestSummary:
    """Reads the report files under `paths` into `store`; see the module doc."""
    from kg.reports import ReportError, find_report_files, read_path

    start = time.perf_counter()
    summary = IngestSummary()
    pipeline = _Pipeline(store, summary, force)
    files, errors = find_report_files([Path(p) for p in paths])
    summary.failed += [str(e) for e in errors]
    seen: dict[str, Path] = {}  # report id -> the file it came from in this run
    bar = tqdm(files, unit="file", file=sys.stderr, desc="ingest", leave=False,
               disable=not (progress and sys.stderr.isatty()))
    for path in bar:
        try:
            items = read_path(path)
        except Exception as e:  # a reader bug must not stop the other files
            summary.failed.append(f"{path}: {type(e).__name__}: {e}")
            continue
        for item in items:
            if isinstance(item, ReportError):
                summary.failed.append(str(item))
                continue
            where = item.path or path
            if item.id in seen:
                summary.failed.append(f"{where}: report id {item.id!r} is also the id of "
                                      f"{seen[item.id]}, read earlier in this run")
                continue
            seen[item.id] = where
            try:
                pipeline.store_report(item)
            except IngestError as e:
                summary.failed.append(f"{where}: {e}")
            except Exception as e:
                summary.failed.append(f"{where}: {type(e).__name__}: {e}")
    bar.close()
    summary.seconds = time.perf_counter() - start
    return summary
