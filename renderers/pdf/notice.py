"""The posted notice (niêm yết) of one procedure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from form_schemas.wording import FactMarks, checked_agency
from renderers.pdf.engine import get_renderer, render_template

DEFAULT_COMPLAINTS_ADDRESS = (
    "Cổng Dịch vụ công quốc gia, mục Phản ánh, kiến nghị: https://dichvucong.gov.vn"
)
GENERAL_CASE = ""


@dataclass(frozen=True)
class NoticeInfo:
    """What a notice prints beside the procedure: its version, page address and complaints."""

    version: int
    version_date: date
    procedure_url: str
    complaints_address: str | None = None


def group_documents(documents: list[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Documents grouped by case, in the order cases first appear (no case comes first)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for document in documents:
        groups.setdefault(document.get("case") or GENERAL_CASE, []).append(document)
    ordered = sorted(groups.items(), key=lambda item: item[0] != GENERAL_CASE)
    return ordered


def notice_context(document: Mapping[str, Any], info: NoticeInfo) -> dict[str, Any]:
    """The template context of a notice."""
    procedure = document["x-procedure"]
    agencies = procedure.get("agencies", {})
    marks = FactMarks(document)
    documents = procedure.get("documents", [])
    return {
        "document": document,
        "procedure": procedure,
        "agencies": agencies,
        # the heading names a checked agency only: a guessed one is left out
        "agency": checked_agency(document, "implementing", "competent"),
        "marks": marks,
        "document_marks": {item.get("id"): marks.any("documents", index)
                           for index, item in enumerate(documents)},
        "document_groups": group_documents(documents),
        "info": info,
        "complaints_address": info.complaints_address or DEFAULT_COMPLAINTS_ADDRESS,
    }


def notice_html(
    document: Mapping[str, Any],
    *,
    version: int,
    version_date: date,
    procedure_url: str,
    complaints_address: str | None = None,
    preview: bool = True,
) -> str:
    """HTML of the notice; with `preview` the CSS is inlined for a browser."""
    info = NoticeInfo(version, version_date, procedure_url, complaints_address)
    return render_template("notice.html", preview=preview, **notice_context(document, info))


def render_notice(
    document: Mapping[str, Any],
    *,
    version: int,
    version_date: date,
    procedure_url: str,
    complaints_address: str | None = None,
) -> bytes:
    """PDF of the notice (A4, fonts embedded, "Trang x/y" on every page)."""
    html = notice_html(
        document,
        version=version,
        version_date=version_date,
        procedure_url=procedure_url,
        complaints_address=complaints_address,
        preview=False,
    )
    return get_renderer().pdf(html)
