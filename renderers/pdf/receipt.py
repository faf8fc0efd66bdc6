"""Slip 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Thông tư 01/2018/TT-VPCP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.formatting import format_date, format_time_received


@dataclass(frozen=True)
class ReceivedDocument:
    """A paper received, with its number of originals and copies."""

    name: str
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True)
class ReceiptData:
    """Every field of slip 01 (what the reception officer hands the applicant)."""

    dossier_code: str
    receiving_unit: str
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    procedure_name: str
    documents: Sequence[ReceivedDocument]
    processing_time: str
    received_at: datetime
    appointment: date | datetime | None
    result_place: str
    tracking_url: str
    applicant_email: str | None = None
    sets: int = 1
    parent_agency: str | None = None
    place: str | None = None
    officer_name: str | None = None
    extra_notes: Sequence[str] = field(default_factory=tuple)
    office_name: str = ""
    parent_body: str = ""
    place_and_date: str = ""
    applicant_organisation: str | None = None
    representative: str | None = None
    requested: str = ""
    by_post: bool = False
    register_book: str | None = None
    register_number: str | None = None


def appointment_text(value: date | datetime | None) -> str:
    """"ngày 13/03/2026" or, with a time, "16 giờ 00 phút, ngày 13/03/2026"; "Chưa xác định"
    without a date."""
    if value is None:
        return "Chưa xác định"
    if isinstance(value, datetime):
        return format_time_received(value)
    return f"ngày {format_date(value)}"


def receipt_html(data: ReceiptData, *, preview: bool = True) -> str:
    """HTML of slip 01; with `preview` the CSS is inlined for a browser."""
    return render_template(
        "receipt.html",
        preview=preview,
        data=data,
        received_text=format_time_received(data.received_at),
        appointment_text=appointment_text(data.appointment),
    )


def render_receipt(data: ReceiptData) -> bytes:
    """PDF of slip 01 with a QR code of the tracking address."""
    return get_renderer().pdf(receipt_html(data, preview=False))
