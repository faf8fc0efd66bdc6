"""What the web pages and the CLI need to print a published procedure: its notice's facts (version,
date, page address for the QR code), the office it is printed for, the procedure as it applies
there, booklet entries, and the office's booklet of replacement notices as a background job.

A booklet job is named by a hash of what it prints (`job_key`), runs on the queue of admin.jobs
(RQ with Redis, else a local thread pool) and reads the database itself; its PDF lands in
`MOTCUA_DATA_DIR/print-jobs/KEY.pdf`, kept a day, and is served from there by every worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request

from catalog.models import Office, Procedure, ProcedureVersion
from catalog.services.local_versions import AppliedProcedure, procedures_at
from catalog.services.offices import hours_lines
from renderers.pdf import RENDERER_VERSION, BookletEntry, OfficeHeading, render_booklet_to
from renderers.pdf.notice import NoticeInfo

FALLBACK_BASE_URL = "http://localhost:5000"


def public_base_url() -> str:
    """The citizen site's address: MOTCUA_PUBLIC_URL, else the request's, else localhost."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return FALLBACK_BASE_URL


def procedure_url(code: str, base_url: str | None = None) -> str:
    """The public page of a procedure (works outside a request, e.g. in the CLI or a job, where
    `base_url` is the address the request that asked for it saw)."""
    path = current_app.url_map.bind("localhost").build("site.procedure", {"code": code})
    return (base_url.rstrip("/") if base_url else public_base_url()) + path


def office_heading(office: Office | None) -> OfficeHeading | None:
    """The office as printed headings show it (None prints the generic heading)."""
    if office is None:
        return None
    return OfficeHeading.of(office, hours_lines(office.opening_hours or {}))


def local_basis(applied: AppliedProcedure | None) -> tuple[tuple[str, str], ...]:
    """(pointer, citation) of every fact the office's local versions set, printed beside it."""
    if applied is None:
        return ()
    return tuple(sorted((pointer, source.citation()) for pointer, source in applied.local_pointers.items()))


def notice_info(code: str, version: ProcedureVersion, complaints_address: str | None = None, *,
                office: Office | OfficeHeading | None = None,
                applied: AppliedProcedure | None = None, base_url: str | None = None) -> NoticeInfo:
    """The version facts a notice prints beside the procedure, for `office` when given (its
    heading, and the legal basis of its local facts from `applied`)."""
    heading = office if isinstance(office, OfficeHeading) or office is None else office_heading(office)
    return NoticeInfo(
        version=version.number,
        version_date=(version.published_at or version.created_at).date(),
        procedure_url=procedure_url(code, base_url),
        complaints_address=complaints_address or None,
        office=heading,
        local_basis=local_basis(applied),
    )


def cache_params(info: NoticeInfo, applied: AppliedProcedure | None) -> dict[str, Any]:
    """PDF cache parameters of a notice or form printed for an office: the office heading and
    the applied document's identity (national version and local versions applied)."""
    return {"info": info, "applied": list(applied.cache_key) if applied is not None else None}


def booklet_entries(
    published: Iterable[tuple[Procedure, ProcedureVersion]], complaints_address: str | None = None,
    *, office: Office | None = None, session: Any = None, base_url: str | None = None,
) -> list[BookletEntry]:
    """Booklet entries of published procedures (grouped by sector by the renderer). With
    `office`, each document is the procedure as it applies there, resolved for all of them in
    two queries (`procedures_at`), and each notice is headed by the office."""
    pairs = list(published)
    heading = office_heading(office)
    applied: dict[int, AppliedProcedure] = {}
    if office is not None:
        if session is None:
            from catalog.db import db

            session = db.session
        applied = procedures_at(session, [procedure for procedure, _ in pairs], office)
    entries = []
    for procedure, version in pairs:
        at = applied.get(procedure.id)
        # an entry printed for an office is only the applied document when the version being
        # printed is the published one (replacement notices are always the published version)
        if at is not None and at.version.id != version.id:
            at = None
        document = at.document if at is not None else version.document
        entries.append(BookletEntry(
            document["x-procedure"]["sector"], document,
            notice_info(procedure.code, version, complaints_address, office=heading, applied=at,
                        base_url=base_url)))
    return entries


# --- an office's replacement notices, printed in the background ---------------------------------

KEEP_FOR = 86_400  # seconds a printed booklet is kept


@dataclass(frozen=True)
class PrintState:
    """Where a booklet stands: `path` once printed, else procedures done out of `total`;
    `failed` when its last attempt failed a short while ago."""

    path: Path | None
    done: int
    total: int
    failed: bool = False


@dataclass(frozen=True)
class Booklet:
    """What a booklet prints: its entries, title, subtitle and office heading."""

    entries: list[BookletEntry]
    title: str
    subtitle: str | None
    office: OfficeHeading | None


def print_folder() -> Path:
    """MOTCUA_DATA_DIR/print-jobs, where booklet jobs write their PDFs."""
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


def replacement_booklet(session: Any, office: Office, *, base_url: str | None = None) -> Booklet:
    """Every replacement notice the office must post (empty entries when none), each procedure
    as it applies there, headed by the office."""
    from catalog.services.postings import replacement_versions

    versions = replacement_versions(session, office.id)
    entries = booklet_entries([(version.procedure, version) for version in versions],
                              office.complaints_address or None, office=office, session=session,
                              base_url=base_url)
    return Booklet(entries, f"Thông báo niêm yết thay thế — {office.name}", office.address or None,
                   office_heading(office))


def replacement_booklet_job(session: Any, office: Office) -> PrintState | None:
    """The office's booklet of replacement notices: its PDF when printed, else its progress
    (the job is started when nobody asked for this exact booklet yet); None when the office
    has nothing to reprint."""
    from admin.jobs import ensure_job, forget_job

    base_url = public_base_url()
    booklet = replacement_booklet(session, office, base_url=base_url)
    if not booklet.entries:
        return None
    folder = print_folder()
    key = job_key(booklet.entries, booklet.title, booklet.subtitle, booklet.office)
    target = folder / f"{key}.pdf"
    if target.exists():
        return PrintState(target, len(booklet.entries), len(booklet.entries))
    _clean(folder)
    job_id = f"booklet-{key}"
    state = ensure_job(job_id, render_replacement_booklet, office.id, base_url, key,
                       total=len(booklet.entries))
    if state.finished and not target.exists():  # printed, then cleaned away: print it again
        forget_job(job_id)
        state = ensure_job(job_id, render_replacement_booklet, office.id, base_url, key,
                           total=len(booklet.entries))
    if state.finished:
        return PrintState(target, state.total, state.total)
    return PrintState(None, state.done, state.total, failed=state.failed)


def render_replacement_booklet(office_id: int, base_url: str, key: str) -> str:
    """The job: read the office's replacement notices, print them to
    `print-jobs/KEY.pdf` reporting progress, and return that path."""
    from admin.jobs import job_app, report_progress
    from catalog.db import db

    with job_app().app_context():
        try:
            office = db.session.get(Office, office_id)
            if office is None:
                raise LookupError(f"office {office_id} is gone")
            booklet = replacement_booklet(db.session, office, base_url=base_url)
        finally:
            db.session.remove()  # no read transaction held while printing
        target = print_folder() / f"{key}.pdf"
        partial = target.with_name(f"{key}.{os.getpid()}-{threading.get_ident()}.part")
        try:
            render_booklet_to(partial, booklet.entries, title=booklet.title, subtitle=booklet.subtitle,
                              office=booklet.office, processes=1, progress=report_progress)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return str(target)


def _clean(folder: Path) -> None:
    cutoff = time.time() - KEEP_FOR
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
