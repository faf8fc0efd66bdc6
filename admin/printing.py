"""What the web pages and the CLI need to print a published procedure: its notice's facts (version,
date, page address for the QR code), the office it is printed for, the procedure as it applies
there, and booklet entries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, has_request_context, request

from catalog.models import Office, Procedure, ProcedureVersion
from catalog.services.local_versions import AppliedProcedure, procedures_at
from catalog.services.offices import hours_lines
from renderers.pdf import BookletEntry, OfficeHeading
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


def procedure_url(code: str) -> str:
    """The public page of a procedure (works outside a request, e.g. in the CLI)."""
    path = current_app.url_map.bind("localhost").build("site.procedure", {"code": code})
    return public_base_url() + path


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
                applied: AppliedProcedure | None = None) -> NoticeInfo:
    """The version facts a notice prints beside the procedure, for `office` when given (its
    heading, and the legal basis of its local facts from `applied`)."""
    heading = office if isinstance(office, OfficeHeading) or office is None else office_heading(office)
    return NoticeInfo(
        version=version.number,
        version_date=(version.published_at or version.created_at).date(),
        procedure_url=procedure_url(code),
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
    *, office: Office | None = None, session: Any = None,
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
            notice_info(procedure.code, version, complaints_address, office=heading, applied=at)))
    return entries
