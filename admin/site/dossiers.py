"""Tracking a dossier: lookup by code + phone, the dossier page, its receipt, filled form and
files.

Codes are sequential, so a code alone opens nothing: this browser may see a dossier after
submitting it, after a lookup with the applicant's phone, or after opening its tracking link
(`/dossiers/<code>?t=<secret>`, the receipt's QR code), which records access in the session
and redirects to the plain address so the secret does not stay in the address bar.

The first view of a dossier right after the submission that made it is the confirmation
(site/confirmation.html at the top of the dossier page: code, appointment, receipt, calendar,
next step); later views are the dossier page as always. The appointment downloads as an
RFC 5545 all-day event (`appointment.ics`), with the receipt's access rule.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _

from admin.site import access, error_page, site
from admin.site.apply import JUST_SUBMITTED, attachment_store
from admin.site.formatting import local_time, locale
from admin.site.procedure import document_groups
from catalog.attachments import AttachmentNotFound
from catalog.db import db
from catalog.models import Dossier
from catalog.payments import fees_not_payable_online
from catalog.services.dossiers import (
    amount_outstanding,
    amount_paid,
    applicant_contact,
    can_pay_online,
    channel_of,
    dossier_by_code,
    dossier_document,
    find_dossier,
    instance_for_print,
    received_documents,
)
from catalog.services.offices import hours_lines, place_and_date
from form_schemas.wording import FactMarks, checked_agency, date_words, processing_time_text
from renderers.pdf import ReceiptData, ReceivedDocument, render_filled_form, render_receipt

MAX_CODE = 64


def _lookup_page(code: str = "", problem: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("site/lookup.html", code=code, problem=problem), status


@site.get("/dossiers/")
def lookup() -> tuple[str, int]:
    return _lookup_page(request.args.get("code", "")[:MAX_CODE])


@site.post("/dossiers/")
def lookup_submit() -> Response | tuple[str, int]:
    code = request.form.get("code", "").strip()[:MAX_CODE]
    phone = request.form.get("phone", "")[:32]
    if not code or not phone.strip():
        return _lookup_page(code, _("Vui lòng nhập cả mã hồ sơ và số điện thoại."), 422)
    dossier = find_dossier(db.session, code, phone)
    if dossier is None:
        return _lookup_page(
            code, _("Không tìm thấy hồ sơ có mã và số điện thoại này. Vui lòng kiểm tra lại mã "
                    "trên giấy tiếp nhận và số điện thoại đã khai khi nộp."), 422)
    access.grant(dossier.code)
    return redirect(url_for("site.dossier", code=dossier.code), code=303)


def visible_or_lookup(code: str) -> Dossier | tuple[str, int]:
    """The dossier when this visitor may see it; otherwise the lookup form (same for unknown
    codes, so the page says nothing about whether a code exists)."""
    if len(code) > MAX_CODE or not access.may_see(code):
        return _lookup_page(code[:MAX_CODE], _("Nhập số điện thoại đã khai khi nộp để xem hồ sơ này."), 403)
    dossier = dossier_by_code(db.session, code)
    if dossier is None:
        abort(404)
    return dossier


def tracking_link(found: Dossier) -> str:
    """The address that opens the dossier without the phone number (QR code, confirmation)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")
    return base + url_for("site.dossier", code=found.code, t=found.tracking_token)


def rating_link(found: Dossier) -> str:
    """The address of the dossier's rating page with its tracking token (the receipt's and the
    result slip's second QR code, the result-ready message)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")
    return base + url_for("site.dossier_rating", code=found.code, t=found.tracking_token)


def _opened_by_link(code: str, secret: str) -> bool:
    """True (and access granted) when `secret` is the dossier's tracking token."""
    if len(code) > MAX_CODE or not secret or len(secret) > 128:
        return False
    found = dossier_by_code(db.session, code)
    if found is None or not found.tracking_token:
        return False
    if not hmac.compare_digest(found.tracking_token.encode(), secret.encode()):
        return False
    access.grant(found.code)
    return True


def opened_by_link(endpoint: str, code: str) -> Response | None:
    """When the address carries the dossier's tracking secret (`?t=`): access granted and a
    redirect to the same page without it, so the secret does not stay in the address bar."""
    secret = request.args.get("t", "")
    if not secret or not _opened_by_link(code, secret):
        return None
    response = redirect(url_for(endpoint, code=code), code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


@site.get("/dossiers/<code>")
def dossier(code: str) -> Response | tuple[str, int]:
    opened = opened_by_link("site.dossier", code)
    if opened is not None:
        return opened
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    document = dossier_document(db.session, found)
    channel = channel_of(document, found.channel) or {}
    office = found.office
    just_submitted = session.pop(JUST_SUBMITTED, None) == found.code  # the confirmation, once
    return render_template(
        "site/dossier.html", dossier=found, document=document, facts=document["x-procedure"],
        office=office, hours=hours_lines(office.opening_hours or {}, locale()) if office is not None else [],
        channel=channel, marks=FactMarks(document),
        channel_index=next((i for i, c in enumerate(document["x-procedure"].get("channels") or [])
                            if c is channel), None),
        # fees the dossier's total leaves out: no known VND amount, paid when collecting
        open_fees=fees_not_payable_online(document) if found.channel == "online" else
        [fee for fee in channel.get("fees") or () if fee.get("amount") != 0],
        result_place=result_place(found, document),
        received=received_documents(document, found.data),
        contact=applicant_contact(document, found.data),
        paid=amount_paid(found), outstanding=amount_outstanding(found),
        can_pay=can_pay_online(found), groups=document_groups,
        staff=access.is_reception_staff(), tracking_link=tracking_link(found),
        just_submitted=just_submitted, slips=slip_links(found),
    ), 200


@site.get("/dossiers/<code>/files/<attachment_id>")
def dossier_file(code: str, attachment_id: str) -> Response | tuple[str, int]:
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    attachment = next((a for a in found.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    try:
        path = attachment_store().path_for(attachment.id)
    except AttachmentNotFound:
        abort(404)
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


POSTAL_RESULT = "Qua dịch vụ bưu chính"


def result_place(found: Dossier, document: Mapping[str, Any]) -> str:
    """ONE place where the result is returned: by post when the applicant chose it, else the
    receiving office (name and address), else the procedure's checked receiving address or agency."""
    if found.result_by_post:
        return POSTAL_RESULT
    office = found.office
    if office is not None:
        return f"{office.name}, {office.address}" if office.address else office.name
    return (document["x-procedure"].get("agencies", {}).get("receivingAddress")
            or checked_agency(document, "implementing", "competent") or "")


def receipt_documents(found: Dossier, document: Mapping[str, Any]) -> list[ReceivedDocument]:
    """The papers slip 01 lists: those ticked at the counter (a paper only shown, "xuất trình",
    says so), else the procedure's documents the online application uploaded."""
    if found.documents_received is not None:
        return [ReceivedDocument(str(item.get("name", "")) + (" (đã xuất trình)" if item.get("shown") else ""),
                                 int(item.get("originals") or 0), int(item.get("copies") or 0))
                for item in found.documents_received]
    return [ReceivedDocument(name, originals, copies)
            for name, originals, copies in received_documents(document, found.data)]


def receipt_data(found: Dossier) -> ReceiptData:
    """Slip 01's fields for this dossier, from its office and the procedure as it applies there."""
    document = dossier_document(db.session, found)
    facts = document["x-procedure"]
    contact = applicant_contact(document, found.data)
    channel = channel_of(document, found.channel) or channel_of(document, "in_person") or {}
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")
    office = found.office
    received = local_time(found.received_at).replace(tzinfo=None)
    # only a checked agency heads a slip without an office; else the template's one-stop title
    unit = office.name if office is not None else checked_agency(document, "implementing", "competent")
    time_text = ""
    if channel:
        index = (facts.get("channels") or []).index(channel)
        tag = " (cần kiểm tra)" if FactMarks(document).any("channels", index, "processingTime") else ""
        time_text = processing_time_text(channel.get("processingTime"), "vi", with_note=False) + tag
    title = document.get("title", found.procedure.name)
    return ReceiptData(
        dossier_code=found.code,
        applicant_name=found.applicant_name or contact.name,
        applicant_address=contact.address,
        applicant_phone=found.applicant_phone,
        applicant_email=contact.email or None,
        procedure_name=title,
        documents=receipt_documents(found, document),
        processing_time=time_text,
        received_at=received,
        appointment=found.appointment_date,
        result_place=result_place(found, document),
        tracking_url=base + url_for("site.dossier", code=found.code),
        qr_url=tracking_link(found),
        rating_url=rating_link(found),
        office_name=unit or "",
        parent_body=office.parent_body if office is not None else "",
        place_and_date=(place_and_date(office, received.date()) if office is not None
                        else "……, " + date_words(received.date())),
        # taken at the counter: the officer who received it; filed online: a dotted line
        officer_name=found.received_by or None,
        requested=title,
        by_post=found.result_by_post,
        register_book=found.register_book,
        register_number=str(found.register_number) if found.register_number is not None else None,
        extra_notes=() if found.appointment_date else (
            "Thủ tục không ghi thời hạn giải quyết: cơ quan sẽ báo ngày trả kết quả.",),
    )


def _private_pdf(content: bytes, filename: str) -> Response:
    """A PDF of one person's dossier: shown inline, never stored by a cache."""
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@site.get("/dossiers/<code>/receipt.pdf")
def receipt(code: str) -> Response | tuple[str, int]:
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    try:
        content = render_receipt(receipt_data(found))
    except Exception:  # the dossier page still shows everything the receipt says
        current_app.logger.exception("receipt PDF failed for %s", code)
        return error_page(503, _("Giấy tiếp nhận chưa in được"),
                          _("Bản PDF của giấy tiếp nhận chưa có. Mọi thông tin của giấy tiếp nhận "
                            "đều có trên trang hồ sơ."))
    return _private_pdf(content, f"giay-tiep-nhan-{found.code}.pdf")


def slip_links(found: Dossier) -> list[tuple[str, str, int | None]]:
    """(number, title in the visitor's language, event id) of the slips sent to the applicant."""
    from admin.slips import slips_for
    from renderers.pdf.slips import CITIZEN_SLIPS

    titles = {"02": _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
              "03": _("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
              "04": _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
              "05": _("Thông báo dừng giải quyết hồ sơ"),
              "kq": _("Phiếu trả kết quả giải quyết hồ sơ")}
    return [(number, titles[number], event_id) for number, _title, event_id in slips_for(found)
            if number in CITIZEN_SLIPS and number in titles]


@site.get("/dossiers/<code>/slips/<nn>.pdf")
def slip(code: str, nn: str) -> Response | tuple[str, int]:
    """Slips 02–05 and the result slip ("kq") for whoever may see the dossier (as the receipt);
    06 for reception staff."""
    from admin.slips import SlipNotApplicable, slip_data
    from renderers.pdf import render_slip

    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    if nn == "01":
        return redirect(url_for("site.receipt", code=found.code))
    if nn not in {"02", "03", "04", "05", "06", "kq"} or (nn == "06" and not access.is_reception_staff()):
        abort(404)
    event = request.args.get("event", "")
    try:
        data = slip_data(db.session, found, nn, int(event) if event.isdigit() else None)
    except SlipNotApplicable:
        abort(404)
    try:
        content = render_slip(data)
    except Exception:  # the dossier page still shows each step and what was asked
        current_app.logger.exception("slip %s PDF failed for %s", nn, code)
        return error_page(503, _("Phiếu chưa in được"),
                          _("Bản PDF của phiếu chưa có. Nội dung của phiếu đều có trên trang hồ sơ."))
    suffix = f"-{event}" if event.isdigit() else ""
    return _private_pdf(content, f"phieu-{nn}-{found.code}{suffix}.pdf")


@site.get("/dossiers/<code>/form.pdf")
def filled_form(code: str) -> Response | tuple[str, int]:
    """The application as filed, in the layout of the paper form: same access as the receipt."""
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    try:
        content = render_filled_form(
            found.version.document, instance_for_print(found),
            signed_on=local_time(found.received_at).date(),
            signer=found.applicant_name or applicant_contact(found.version.document, found.data).name,
        )
    except Exception:  # the dossier page still shows what was filed
        current_app.logger.exception("filled form PDF failed for %s", code)
        return error_page(503, _("Tờ khai chưa in được"),
                          _("Bản PDF của tờ khai chưa có. Nội dung hồ sơ vẫn có trên trang hồ sơ."))
    return _private_pdf(content, f"to-khai-{found.code}.pdf")


def appointment_calendar(found: Dossier, place: str, link: str, now: datetime | None = None) -> bytes:
    """The appointment as an RFC 5545 calendar (one all-day event on the appointment date in
    Vietnam time, a reminder at 08:00 the day before), for Google, Apple and Outlook calendars."""
    from icalendar import Alarm, Calendar, Event

    assert found.appointment_date is not None
    calendar = Calendar()
    calendar.add("prodid", "-//motcua//Lich hen tra ket qua//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    event = Event()
    event.add("uid", f"{found.code}@motcua")
    event.add("dtstamp", now or datetime.now(UTC))
    event.add("dtstart", found.appointment_date)  # a DATE: the whole day, wherever the phone is
    event.add("dtend", found.appointment_date + timedelta(days=1))
    event.add("summary", f"Nhận kết quả hồ sơ {found.code}")
    event.add("description", f"{found.procedure.name}\nMã hồ sơ: {found.code}\n"
                             f"Mang theo giấy tiếp nhận và giấy tờ tùy thân.\nTheo dõi hồ sơ: {link}")
    if place:
        event.add("location", place)
    event.add("url", link)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Ngày mai nhận kết quả hồ sơ {found.code}")
    alarm.add("trigger", timedelta(hours=-16))  # 08:00 the day before the all-day event
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


@site.get("/dossiers/<code>/appointment.ics")
def appointment_ics(code: str) -> Response | tuple[str, int]:
    """The appointment date as a calendar file; same access as the receipt."""
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    if found.appointment_date is None:
        return error_page(404, _("Chưa có ngày hẹn"),
                          _("Thủ tục không ghi thời hạn giải quyết: cơ quan sẽ báo ngày trả kết quả."))
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")
    content = appointment_calendar(found, result_place(found, dossier_document(db.session, found)),
                                   base + url_for("site.dossier", code=found.code))
    response = Response(content, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="lich-hen-{found.code}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
