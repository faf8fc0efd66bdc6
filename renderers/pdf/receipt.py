"""Slip 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, laid out as Mẫu số 01 of Appendix I of
Thông tư 03/2025/TT-VPCP (guiding Nghị định 118/2025/NĐ-CP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from form_schemas.wording import date_words
from renderers.pdf.engine import get_renderer, render_template

NOT_SET = "Chưa xác định"
GENERIC_UNIT = "Bộ phận tiếp nhận và trả kết quả"
BY_POST = "Qua dịch vụ bưu chính"
COPIES = ("Liên 1: Lưu", "Liên 2: Giao người nộp hồ sơ")
"""Two copies of the slip: one kept in the dossier, one handed to the applicant."""


@dataclass(frozen=True)
class ReceivedDocument:
    """A paper received, with its number of originals and copies."""

    name: str
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True)
class ReceiptData:
    """Every field of slip 01 (what the reception officer hands the applicant).

    `place_and_date` is already written as Nghị định 30/2020 writes it ("Quảng Trị, ngày 02 tháng
    12 năm 2026"); `officer_name` None prints a dotted line; `appointment` None prints "Chưa xác
    định" (never today's date); `by_post` prints "Qua dịch vụ bưu chính" as the result place.
    `tracking_url` is printed (readable; opening it asks for the phone number), `qr_url` is
    the QR code's content (the tracking link with the dossier's secret; `tracking_url` when
    empty).
    """

    dossier_code: str
    office_name: str
    parent_body: str
    place_and_date: str
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    requested: str
    procedure_name: str
    documents: Sequence[ReceivedDocument]
    processing_time: str
    received_at: datetime
    appointment: date | datetime | None
    result_place: str
    tracking_url: str
    officer_name: str | None = None
    applicant_organisation: str | None = None
    representative: str | None = None
    applicant_email: str | None = None
    by_post: bool = False
    register_book: str | None = None
    register_number: str | None = None
    sets: int = 1
    extra_notes: Sequence[str] = field(default_factory=tuple)
    qr_url: str = ""
    rating_url: str = ""  # the satisfaction rating page (a second QR code when given)

    @property
    def qr_content(self) -> str:
        """What the QR code encodes."""
        return self.qr_url or self.tracking_url


def time_words(value: datetime) -> str:
    """"9 giờ 05 phút, ngày 05 tháng 02 năm 2026"."""
    return f"{value.hour} giờ {value.minute:02d} phút, {date_words(value)}"


def appointment_text(value: date | datetime | None) -> str:
    """The appointment as slip 01 writes it; "Chưa xác định" when there is none."""
    if value is None:
        return NOT_SET
    if isinstance(value, datetime):
        return time_words(value)
    return date_words(value)


def result_place_text(data: ReceiptData) -> str:
    """One place: "Qua dịch vụ bưu chính" when chosen, else the place given."""
    if data.by_post:
        return BY_POST
    return data.result_place or data.office_name or GENERIC_UNIT


def receipt_html(data: ReceiptData, *, preview: bool = True) -> str:
    """HTML of slip 01 (two copies, one a page); with `preview` the CSS is inlined."""
    return render_template(
        "receipt.html",
        preview=preview,
        data=data,
        copies=COPIES,
        received_text=time_words(data.received_at),
        appointment_text=appointment_text(data.appointment),
        result_place=result_place_text(data),
    )


def render_receipt(data: ReceiptData) -> bytes:
    """PDF of slip 01 with a QR code of the tracking address."""
    return get_renderer().pdf(receipt_html(data, preview=False))
