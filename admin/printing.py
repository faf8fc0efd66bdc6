"""What the web pages and the CLI need to print a published procedure: its notice's facts (version,
date, page address for the QR code) and booklet entries."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_request_context, request

from catalog.models import Procedure, ProcedureVersion
from renderers.pdf import BookletEntry
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


def notice_info(code: str, version: ProcedureVersion, complaints_address: str | None = None) -> NoticeInfo:
    """The version facts a notice prints beside the procedure."""
    return NoticeInfo(
        version=version.number,
        version_date=(version.published_at or version.created_at).date(),
        procedure_url=procedure_url(code),
        complaints_address=complaints_address or None,
    )


def booklet_entries(
    published: Iterable[tuple[Procedure, ProcedureVersion]], complaints_address: str | None = None
) -> list[BookletEntry]:
    """Booklet entries of published procedures (grouped by sector by the renderer)."""
    return [
        BookletEntry(version.document["x-procedure"]["sector"], version.document,
                     notice_info(procedure.code, version, complaints_address))
        for procedure, version in published
    ]
