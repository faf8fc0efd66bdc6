"""Storing converted national records in the catalogue, with progress and a quality report.

The catalogue service `catalog.services.sync_national(session, conversion, *, publish,
author)` owns validation, versioning and keeping local work (a procedure edited locally is
never replaced: the national version waits as an update to merge); this module only
converts, filters, reports and calls it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from .convert import Conversion, convert_record
from .report import QualityReport
from .source import count_records, default_path, iter_records
from .text import ascii_fold, one_line

AUTHOR = "import-national"
BATCH = 200  # records per transaction: one commit (and fsync) per batch, not per record
# What the command says it did, in this order (outcomes of catalog.services.sync_national).
OUTCOME_LABELS = (("created", "created"), ("updated", "updated"), ("kept_local", "kept local"),
                  ("conflict", "conflicts"), ("unchanged", "unchanged"), ("failed", "failed"))
Progress = Callable[[int, int | None], None]


def iter_conversions(
    path: str | Path, *, sector: str | None = None, limit: int | None = None
) -> Iterator[Conversion]:
    """Convert the records of `path`, keeping those of `sector` (accents and case ignored)."""
    wanted = _fold(sector) if sector else None
    produced = 0
    for record in iter_records(path):
        if limit is not None and produced >= limit:
            return
        if wanted is not None and _fold(record.get("linh_vuc", "")) != wanted:
            continue
        produced += 1
        yield convert_record(record)


def import_national(
    session: Any,
    path: str | Path,
    *,
    publish: bool = False,
    sector: str | None = None,
    limit: int | None = None,
    report_path: str | Path | None = None,
    progress: Progress | None = None,
    author: str = AUTHOR,
) -> QualityReport:
    """Convert and store every selected record; write the CSV report when asked.

    A record the service refuses is counted as failed and the import goes on. The caller
    owns `session` (the service decides about transactions).
    """
    from catalog.services import sync_national

    total = limit if limit is not None and sector is None else None
    report = QualityReport()
    for done, conversion in enumerate(iter_conversions(path, sector=sector, limit=limit), 1):
        try:
            result = sync_national(session, conversion, publish=publish, author=author, commit=False)
        except Exception as error:  # noqa: BLE001 - one bad record must not stop 2,642 others
            report.add(conversion)
            report.fail(conversion.code, one_line(str(error))[:300])
        else:
            report.add(conversion, result.outcome.value)
        if done % BATCH == 0:
            session.commit()
        if progress is not None:
            progress(done, total)
    session.commit()
    if report_path is not None:
        report.write_csv(report_path)
    return report


def outcome_line(report: QualityReport) -> str:
    """What the import did: "created: N, updated: N, kept local: N, conflicts: N, unchanged: N,
    failed: N" (every count, zeros included)."""
    return ", ".join(f"{label}: {report.outcomes.get(name, 0)}" for name, label in OUTCOME_LABELS)


def run_import_national(
    session: Any,
    path: str | Path | None = None,
    *,
    publish: bool = False,
    sector: str | None = None,
    limit: int | None = None,
    report_path: str | Path | None = None,
    out: TextIO | None = None,
) -> int:
    """What `motcua import-national` runs: progress bar, import, summary; exit status.

    Without `path`, the national catalogue shipped with the package is imported.
    """
    out = out or sys.stdout
    path = path if path is not None else default_path()
    total = None
    if sector is None:
        total = count_records(path) if limit is None else min(limit, count_records(path))
    bar = TextProgress(sys.stderr, total=total)
    started = time.perf_counter()
    report = import_national(
        session, path, publish=publish, sector=sector, limit=limit,
        report_path=report_path, progress=bar,
    )
    bar.finish()
    out.write(report.summary() + "\n")
    out.write(f"Kết quả / result: {outcome_line(report)}\n")
    pending = report.outcomes.get("kept_local", 0) + report.outcomes.get("conflict", 0)
    if pending:
        out.write(f"{pending} thủ tục đã sửa ở địa phương được giữ nguyên; bản cập nhật quốc gia chờ gộp "
                  f"trong trang quản trị / {pending} locally edited procedures kept; the national "
                  "update waits to be merged in the back office\n")
    out.write(f"Thời gian / time: {time.perf_counter() - started:.1f} s\n")
    if report_path is not None:
        out.write(f"Báo cáo / report: {report_path}\n")
    return 1 if report.failures else 0


class TextProgress:
    """A one-line progress bar on a terminal stream: "[#####     ] 1200/2642"."""

    def __init__(self, stream: TextIO, total: int | None = None, width: int = 30) -> None:
        self.stream, self.total, self.width = stream, total, width

    def __call__(self, done: int, total: int | None = None) -> None:
        total = total or self.total
        if done % 25 and done != total:
            return
        if total:
            filled = int(self.width * done / total)
            bar = "#" * filled + " " * (self.width - filled)
            self.stream.write(f"\r[{bar}] {done}/{total}")
        else:
            self.stream.write(f"\r{done} thủ tục / procedures")
        self.stream.flush()

    def finish(self) -> None:
        """End the progress line."""
        self.stream.write("\n")
        self.stream.flush()


def _fold(text: str) -> str:
    return one_line(ascii_fold(text)).casefold()
