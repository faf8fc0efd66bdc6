"""One procedure laid out for reading, its blank form and notice PDFs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from admin.printing import cache_params, notice_info, office_heading
from admin.site import error_page, site
from admin.site.formatting import locale
from admin.site.offices import local_basis, office_arg, receiving_places
from admin.site.pagecache import cached
from catalog.db import db
from catalog.models import Office, Procedure, ProcedureVersion
from catalog.payments import fee_total, fees_known
from catalog.services.local_versions import AppliedProcedure, procedure_at
from catalog.services.offices import hours_lines, receives
from form_schemas.fees import may_charge
from form_schemas.wording import FactMarks
from renderers.pdf import PdfCache, render_blank_form, render_notice

CODE_LENGTH = 32


def published_or_404(code: str) -> tuple[Procedure, ProcedureVersion]:
    """The procedure with this code and its published version; 404 when there is none."""
    if len(code) > CODE_LENGTH:
        abort(404)
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None or procedure.published_version is None:
        abort(404)
    return procedure, procedure.published_version


def published_key(code: str) -> tuple[int, str]:
    """(version id, document hash) of the published version, read without the document;
    404 when there is none. Enough to find a cached page."""
    if len(code) > CODE_LENGTH:
        abort(404)
    found = db.session.execute(
        select(ProcedureVersion.id, ProcedureVersion.document_hash)
        .join(Procedure, Procedure.published_version_id == ProcedureVersion.id)
        .where(Procedure.code == code)
    ).first()
    if found is None:
        abort(404)
    return found[0], found[1]


def applied_or_404(code: str, office: Office | None = None) -> AppliedProcedure:
    """The published procedure as it applies at `office` (nationally without one): its local
    facts and the announcing decision entered at approval; 404 when there is none, or when the
    office does not receive it."""
    item, _version = published_or_404(code)
    if office is not None and not receives(db.session, office, item):
        abort(404)
    applied = procedure_at(db.session, item, office)
    if applied is None:
        abort(404)
    return applied


def document_groups(documents: list[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Documents grouped by case, the general case first, in their published order."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for item in documents:
        groups.setdefault(item.get("case") or "", []).append(item)
    return sorted(groups.items(), key=lambda pair: pair[0] != "")


def online_level(document: Mapping[str, Any]) -> int:
    return int(document["x-procedure"]["onlineService"]["level"])


def actions(code: str, document: Mapping[str, Any]) -> dict[str, Any]:
    """What a citizen can do online for this procedure, and the sentence saying why not.

    Only fees with a known amount in VND are paid online; when the online channel has a fee
    without one (set by the province, to check, in dollars) nothing says "free"."""
    level = online_level(document)
    fee = fee_total(document)  # the blank form's figure; the answers may change it
    known = fees_known(document)
    charged = fee > 0 or may_charge(document)
    offered = {
        "form_pdf": level >= 2, "apply": level >= 3, "pay": level >= 4 and charged,
        "level": level, "fee": fee, "fees_known": known,
    }
    if level == 1:
        offered["why_not"] = _(
            "Thủ tục này chỉ được cung cấp thông tin trực tuyến (mức độ 1): chưa có biểu mẫu "
            "tải về và chưa nhận hồ sơ qua mạng. Vui lòng nộp hồ sơ trực tiếp hoặc qua bưu chính."
        )
    elif level == 2:
        offered["why_not"] = _(
            "Thủ tục này chưa nhận hồ sơ trực tuyến (mức độ 2): hãy tải biểu mẫu, điền và nộp "
            "trực tiếp hoặc qua bưu chính."
        )
    elif level == 3:
        offered["why_not"] = _(
            "Nộp hồ sơ trực tuyến được (mức độ 3), nhưng phí, lệ phí nộp trực tiếp khi nhận "
            "kết quả, không nộp qua mạng."
        ) if charged or not known else ""
    elif not known:
        offered["why_not"] = _(
            "Phí, lệ phí chưa có đủ thông tin để nộp trực tuyến: khoản chưa có số tiền được "
            "nộp khi nhận kết quả."
        )
    else:
        offered["why_not"] = "" if charged else _(
            "Thủ tục này miễn phí khi nộp trực tuyến: không có bước nộp phí."
        )
    return offered


PLACES_PLACEHOLDER = "@@motcua-places@@"


@site.get("/procedures/<code>")
def procedure(code: str) -> str:
    """The procedure page; with `?office=ID` as it applies at that office. The "Nơi tiếp
    nhận" section is drawn on each request (offices change apart from versions)."""
    version_id, digest = published_key(code)
    office = office_arg()
    page = cached(("procedure", version_id, digest, locale()), lambda: _procedure_page(code, office))
    item, _version = published_or_404(code)
    places = render_template("site/places.html", procedure=item, office=office,
                             **receiving_places(item, locale()))
    return page.replace(PLACES_PLACEHOLDER, places)


def _procedure_page(code: str, office: Office | None) -> str:
    applied = applied_or_404(code, office)
    document = applied.document
    facts = document["x-procedure"]
    current = locale()
    return render_template(
        "site/procedure.html", procedure=applied.procedure, version=applied.version, document=document,
        facts=facts, groups=document_groups(facts.get("documents") or []), actions=actions(code, document),
        marks=FactMarks(document), document_marks=document_marks(document), office=office,
        hours=hours_lines(office.opening_hours or {}, current) if office is not None else [],
        local=lambda pointer: local_basis(applied, pointer, current), places=PLACES_PLACEHOLDER,
    )


def document_marks(document: Mapping[str, Any]) -> dict[Any, Any]:
    """Each document's review mark by its id (None when it is a checked fact)."""
    marks = FactMarks(document)
    return {item.get("id"): marks.any("documents", index)
            for index, item in enumerate(document["x-procedure"].get("documents") or [])}


def pdf_cache() -> PdfCache:
    """Rendered PDFs on disk, keyed by document and parameters: a version renders once."""
    return PdfCache(Path(current_app.config["MOTCUA_DATA_DIR"]) / "pdf-cache")


def _pdf_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _not_yet() -> tuple[str, int]:
    return error_page(503, _("Bản PDF chưa có"),
                      _("Bản PDF của thủ tục này chưa có. Vui lòng xem nội dung trên trang thủ "
                        "tục hoặc nhận biểu mẫu tại nơi tiếp nhận hồ sơ."))


@site.get("/procedures/<code>/form.pdf")
def form_pdf(code: str) -> Response | tuple[str, int]:
    """The blank form; with `?office=ID` addressed to that office and with its local facts."""
    office = office_arg()
    applied = applied_or_404(code, office)
    document = applied.document
    if online_level(document) < 2:
        return error_page(404, _("Không có biểu mẫu tải về"),
                          _("Thủ tục này chỉ cung cấp thông tin trực tuyến (mức độ 1)."))
    heading = office_heading(office)
    params = {"office": heading, "applied": list(applied.cache_key)} if office is not None else None
    try:
        content = pdf_cache().get_or_render(
            "blank_form", document, lambda: render_blank_form(document, office=heading), params,
            digest=applied.digest)
    except Exception:  # a renderer failure must not become a 500 for the citizen
        current_app.logger.exception("blank form PDF failed for %s", code)
        return _not_yet()
    return _pdf_response(content, f"mau-don-{code}.pdf")


@site.get("/procedures/<code>/notice.pdf")
def notice_pdf(code: str) -> Response | tuple[str, int]:
    """The posted notice; with `?office=ID` headed by that office, with its local facts."""
    office = office_arg()
    applied = applied_or_404(code, office)
    document = applied.document
    try:
        info = notice_info(code, applied.version, office=office, applied=applied)
        params = {"version": info.version, "version_date": info.version_date,
                  "procedure_url": info.procedure_url, "office": info.office,
                  "local_basis": info.local_basis}
        content = pdf_cache().get_or_render(
            "notice", document, lambda: render_notice(document, **params),
            cache_params(info, applied) if office is not None else params, digest=applied.digest,
        )
    except Exception:
        current_app.logger.exception("notice PDF failed for %s", code)
        return _not_yet()
    return _pdf_response(content, f"niem-yet-{code}.pdf")
