"""The posted notice (niêm yết) of one procedure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import markupsafe

from form_schemas.wording import FactMarks, checked_agency
from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.office import OfficeHeading, cited

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
    office: OfficeHeading | None = None
    local_basis: tuple[tuple[str, str], ...] = ()
    """(JSON pointer, "Theo Nghị quyết số …") of each place the office's local version set."""

    def basis_at(self, *parts: str | int) -> str:
        """The citation of the local version that set `/x-procedure/<parts>`, or ""."""
        pointer = "/x-procedure/" + "/".join(str(part) for part in parts)
        return cited(dict(self.local_basis), pointer)


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
        "office": info.office,
        "basis": lambda *parts: _basis_tag(info.basis_at(*parts)),
        "complaints_address": (info.complaints_address
                               or (info.office.complaints_address if info.office else "")
                               or DEFAULT_COMPLAINTS_ADDRESS),
    }


def _basis_tag(citation: str) -> markupsafe.Markup:
    """" (Theo Nghị quyết số …)" beside a local value; nothing beside a national one."""
    if not citation:
        return markupsafe.Markup("")
    return markupsafe.Markup(' <span class="local-basis">({})</span>').format(citation)


def notice_html(
    document: Mapping[str, Any],
    *,
    version: int,
    version_date: date,
    procedure_url: str,
    complaints_address: str | None = None,
    office: OfficeHeading | None = None,
    local_basis: tuple[tuple[str, str], ...] = (),
    preview: bool = True,
) -> str:
    """HTML of the notice; with `preview` the CSS is inlined for a browser. With `office`, the
    notice is headed by that office and gives its address, hours and complaints address."""
    info = NoticeInfo(version, version_date, procedure_url, complaints_address, office, tuple(local_basis))
    return render_template("notice.html", preview=preview, **notice_context(document, info))


def render_notice(
    document: Mapping[str, Any],
    *,
    version: int,
    version_date: date,
    procedure_url: str,
    complaints_address: str | None = None,
    office: OfficeHeading | None = None,
    local_basis: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """PDF of the notice (A4, fonts embedded, "Trang x/y" on every page)."""
    html = notice_html(
        document,
        version=version,
        version_date=version_date,
        procedure_url=procedure_url,
        complaints_address=complaints_address,
        office=office,
        local_basis=local_basis,
        preview=False,
    )
    return get_renderer().pdf(html)
