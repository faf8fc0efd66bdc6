"""Slips 02–07 of the one-stop shop, laid out as Mẫu số 02–07 of Appendix I of Thông tư
03/2025/TT-VPCP (guiding Nghị định 118/2025/NĐ-CP), and the result slip ("kq", which is none of
the Appendix's templates and so never says "Mẫu số"), same heading and CSS as slip 01.

Rule: a slip prints only what the dossier's events recorded; a missing date is "Chưa xác định"
and a missing name or reason a dotted line, never a guess. No database here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.formatting import format_date
from renderers.pdf.office import OfficeHeading
from renderers.pdf.receipt import NOT_SET, time_words

DOTS = "……………………………"
SLIP_TITLES: dict[str, str] = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "07": "Sổ theo dõi hồ sơ",
    "kq": "Phiếu trả kết quả giải quyết hồ sơ",
}
"""Mẫu số 01–07, Phụ lục I, Thông tư 03/2025/TT-VPCP, and the result slip (RESULT_SLIP)."""
RESULT_SLIP = "kq"
"""The key of the slip handed over (or posted) with the result: not a numbered template."""
CITIZEN_SLIPS = frozenset({"01", "02", "03", "04", "05", RESULT_SLIP})
"""The slips addressed to the applicant (06 and 07 are kept by the office)."""
REGISTER_HEADER = ("STT", "Mã hồ sơ", "Thủ tục", "Người nộp", "Điện thoại", "Ngày nhận",
                   "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả", "Trạng thái")


def day_text(value: date | datetime | None) -> str:
    """dd/mm/yyyy; "Chưa xác định" when there is no date."""
    return format_date(value) or NOT_SET


def clock_day(value: datetime | None) -> str:
    """"9 giờ 05 phút, ngày 05/02/2026"; "Chưa xác định" when there is no time."""
    return f"{value.hour} giờ {value.minute:02d} phút, ngày {format_date(value)}" if value else NOT_SET


@dataclass(frozen=True)
class SlipStep:
    """One row of slip 06: a step, who did it, when it was due and when it was done."""

    name: str
    actor: str = ""
    planned: date | None = None
    actual: date | datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class SlipData:
    """Every field of slips 02–06 and of the result slip; `number` picks it ("02"…"06", "kq").

    `items` are (paper, reason) pairs asked for (02); `reason` the refusal, extension or stop
    reason; `previous_date`/`new_date` the extension's dates (04); `legal_basis` the printed
    lines of the procedure's legal basis; `steps` the rows of slip 06. For the result slip:
    `result_ready_on` the day the result was first ready, `returned_at` when it was handed over
    or posted (None: not yet), `by_post` and `postal_tracking` how, `rating_url` the rating
    page of the dossier (the second QR code). `officer_name` None prints a dotted line.
    """

    number: str
    dossier_code: str
    office_name: str
    parent_body: str
    place_and_date: str
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    procedure_name: str
    tracking_url: str
    received_at: datetime | None = None
    appointment: date | None = None
    items: Sequence[tuple[str, str]] = field(default_factory=tuple)
    reason: str = ""
    new_date: date | None = None
    previous_date: date | None = None
    working_days: int | None = None
    legal_basis: Sequence[str] = field(default_factory=tuple)
    officer_name: str | None = None
    steps: Sequence[SlipStep] = field(default_factory=tuple)
    qr_url: str = ""
    result_ready_on: date | None = None
    returned_at: datetime | None = None
    by_post: bool = False
    postal_tracking: str = ""
    rating_url: str = ""

    @property
    def title(self) -> str:
        """The slip's title as the Appendix names it (the result slip: its own title)."""
        return SLIP_TITLES[self.number]

    @property
    def qr_content(self) -> str:
        """What the QR code encodes."""
        return self.qr_url or self.tracking_url

    @property
    def office(self) -> OfficeHeading:
        """The heading's office block."""
        return OfficeHeading(name=self.office_name or "Bộ phận tiếp nhận và trả kết quả",
                             parent_body=self.parent_body)


def slip_html(data: SlipData, *, preview: bool = True) -> str:
    """HTML of slip `data.number`; with `preview` the CSS is inlined."""
    if data.number not in SLIP_TITLES or data.number in {"01", "07"}:
        raise ValueError(f"slip {data.number} is not built from SlipData")
    if data.number == RESULT_SLIP:
        return render_template("slip_result.html", preview=preview, data=data, day=day_text, dots=DOTS,
                               received_text=clock_day(data.received_at),
                               returned_text=clock_day(data.returned_at))
    return render_template(
        "slip.html", preview=preview, data=data, day=day_text, dots=DOTS,
        received_text=time_words(data.received_at) if data.received_at else NOT_SET,
    )


def render_slip(data: SlipData) -> bytes:
    """PDF of slip `data.number` with a QR code of the tracking address (the result slip: and
    one of the rating page)."""
    return get_renderer().pdf(slip_html(data, preview=False))


@dataclass(frozen=True)
class RegisterRow:
    """One line of slip 07 (Sổ theo dõi hồ sơ)."""

    code: str
    procedure: str
    applicant: str
    phone: str
    received: date | None
    appointment: date | None
    result_ready: date | None
    returned: date | None
    status: str

    def cells(self, number: int) -> list[str]:
        """The row's printed cells, numbered `number`; dates dd/mm/yyyy or "" when not yet."""
        return [str(number), self.code, self.procedure, self.applicant, self.phone,
                format_date(self.received), format_date(self.appointment) or NOT_SET,
                format_date(self.result_ready), format_date(self.returned), self.status]


def register_html(rows: Sequence[RegisterRow], *, office: OfficeHeading, place_and_date: str,
                  date_from: date, date_to: date, preview: bool = True) -> str:
    """HTML of slip 07 for the period `date_from`–`date_to` (A4 landscape)."""
    return render_template(
        "slip_register.html", preview=preview, office=office, place_and_date=place_and_date,
        header=REGISTER_HEADER, rows=[row.cells(i) for i, row in enumerate(rows, 1)],
        date_from=format_date(date_from), date_to=format_date(date_to), title=SLIP_TITLES["07"],
    )


def render_register(rows: Sequence[RegisterRow], *, office: OfficeHeading, place_and_date: str,
                    date_from: date, date_to: date) -> bytes:
    """PDF of slip 07."""
    return get_renderer().pdf(register_html(rows, office=office, place_and_date=place_and_date,
                                            date_from=date_from, date_to=date_to, preview=False))


def register_csv(rows: Sequence[RegisterRow]) -> bytes:
    """Slip 07 as CSV: UTF-8 with a BOM (Excel opens it with its accents), Vietnamese header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REGISTER_HEADER)
    for number, row in enumerate(rows, 1):
        writer.writerow(row.cells(number))
    return out.getvalue().encode("utf-8-sig")
