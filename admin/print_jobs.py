"""Booklets too long for one request, rendered in a background thread and kept on disk.

A job is named by a hash of what it prints; its PDF lands in `MOTCUA_DATA_DIR/print-jobs/`.
While it runs, a `.progress` file holds "done total" and is touched as procedures finish, so
every worker process of the server sees the same job (and a job whose process died is started
again once its progress file is a few minutes old). Finished files are kept a day.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from renderers.pdf import RENDERER_VERSION, BookletEntry, OfficeHeading, render_booklet_to

STALLED_AFTER = 300  # seconds without progress: the rendering process is gone
RETRY_AFTER = 60  # seconds a failure is reported before the next request tries again
KEEP_FOR = 86_400


@dataclass(frozen=True)
class JobState:
    """Where a print job stands: `path` once ready, else procedures done out of `total`;
    `failed` when its last attempt failed a short while ago."""

    path: Path | None
    done: int
    total: int
    failed: bool = False


def _folder() -> Path:
    folder = Path(current_app.config["MOTCUA_DATA_DIR"]) / "print-jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_key(entries: Sequence[BookletEntry], title: str, subtitle: str | None,
            office: OfficeHeading | None = None) -> str:
    """A name for the booklet of exactly these documents (as they apply at the office), notice
    facts and office heading."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    digest.update(json.dumps([title, subtitle, repr(office)], ensure_ascii=False).encode())
    for entry in entries:
        digest.update(json.dumps([entry.sector, entry.document, repr(entry.info)], sort_keys=True,
                                 ensure_ascii=False, default=str).encode())
    return digest.hexdigest()[:32]


def booklet_job(entries: Sequence[BookletEntry], *, title: str, subtitle: str | None = None,
                office: OfficeHeading | None = None) -> JobState:
    """The booklet's PDF when it is ready; otherwise start (or keep) rendering it (headed by
    `office` when given)."""
    folder = _folder()
    key = job_key(entries, title, subtitle, office)
    target = folder / f"{key}.pdf"
    progress = folder / f"{key}.progress"
    failure = folder / f"{key}.failed"
    if target.exists():
        return JobState(target, len(entries), len(entries))
    if failure.exists():
        if time.time() - failure.stat().st_mtime < RETRY_AFTER:
            return JobState(None, 0, len(entries), failed=True)
        failure.unlink(missing_ok=True)
    if progress.exists():
        if time.time() - progress.stat().st_mtime < STALLED_AFTER:
            done, _, total = progress.read_text().partition(" ")
            return JobState(None, int(done or 0), int(total or len(entries)))
        progress.unlink(missing_ok=True)  # its process is gone: start again
    _clean(folder)
    try:
        with progress.open("x") as claim:  # one worker process starts the job, not two
            claim.write(f"0 {len(entries)}")
    except FileExistsError:
        return JobState(None, 0, len(entries))
    thread = threading.Thread(target=_render, args=(list(entries), title, subtitle, office, target, progress),
                              name=f"print-job-{key}", daemon=True)
    thread.start()
    return JobState(None, 0, len(entries))


def _render(entries: list[BookletEntry], title: str, subtitle: str | None,
            office: OfficeHeading | None, target: Path, progress: Path) -> None:
    partial = target.with_suffix(".part")
    try:
        render_booklet_to(partial, entries, title=title, subtitle=subtitle, office=office, processes=1,
                          progress=lambda done, total: progress.write_text(f"{done} {total}"))
        partial.replace(target)
    except Exception:  # noqa: BLE001 - logged; the next request starts it again
        import logging

        logging.getLogger(__name__).exception("print job %s failed", target.stem)
        partial.unlink(missing_ok=True)
        target.with_suffix(".failed").touch()
    finally:
        progress.unlink(missing_ok=True)


def _clean(folder: Path) -> None:
    cutoff = time.time() - KEEP_FOR
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
