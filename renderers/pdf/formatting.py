"""Vietnamese presentation of amounts, dates and durations on paper.

Labels and fee wording come from form_schemas/wording.py (one table for the site and the
PDFs); this module keeps the paper-only formats (dates, "9 giờ 05 phút", copies) and the
names other modules import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from form_schemas import wording

PAPER = "vi"
CHECK_TAG = "(cần kiểm tra)"


def group_thousands(value: int) -> str:
    """10000 -> "10.000" (the Vietnamese thousands separator is a dot)."""
    return wording.group_thousands(value, PAPER)


def format_number(value: float | int) -> str:
    """A quantity the Vietnamese way: 1.5 -> "1,5", 2.0 -> "2", 12000 -> "12.000"."""
    return wording.number(value, PAPER)


def format_amount(amount: int | None, currency: str = "VND") -> str:
    """A fee's amount: 0 -> "Miễn phí", 10000 -> "10.000 đồng", None -> "Chưa có thông tin"."""
    fee: dict[str, Any] = {"currency": currency}
    if amount is not None:
        fee["amount"] = amount
    return wording.fee_amount_text(fee, PAPER)


def format_date(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy; ISO strings are accepted; None gives ""."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_time_received(value: datetime) -> str:
    """"9 giờ 05 phút, ngày 12/03/2026" as slip 01 writes it."""
    return f"{value.hour} giờ {value.minute:02d} phút, ngày {format_date(value)}"


def format_processing_time(time: Mapping[str, Any] | None) -> str:
    """{"value": 1, "unit": "working_days"} -> "1 ngày làm việc"; the note is appended."""
    return wording.processing_time_text(time, PAPER)


def format_fee(fee: Mapping[str, Any]) -> str:
    """"Lệ phí đăng ký: 10.000 đồng (ghi chú)", the kind printed once."""
    return wording.fee_text(fee, PAPER)


def format_levels(levels: list[str]) -> str:
    """["province", "commune"] -> "Cấp tỉnh, Cấp xã"."""
    return wording.levels_text(levels, PAPER)


def format_copies(originals: int | None, copies: int | None) -> str:
    """"1 bản chính, 2 bản sao"; nothing given -> ""."""
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return ", ".join(parts)


def check_tag(mark: object) -> str:
    """" (cần kiểm tra)" after a value with a review mark, "" after a checked one."""
    return f" {CHECK_TAG}" if mark else ""
