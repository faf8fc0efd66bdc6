"""Vietnamese presentation of amounts, dates, durations and procedure labels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

LEVEL_LABELS = {
    "central": "Cấp trung ương",
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
    "other": "Cơ quan khác",
}
MODE_LABELS = {
    "in_person": "Trực tiếp",
    "online": "Trực tuyến",
    "postal": "Bưu chính công ích",
}
UNIT_LABELS = {
    "working_days": "ngày làm việc",
    "days": "ngày",
    "hours": "giờ",
    "months": "tháng",
}
FEE_KIND_LABELS = {"fee": "Phí", "charge": "Lệ phí"}
ONLINE_LEVEL_LABELS = {
    1: "Mức độ 1: cung cấp thông tin",
    2: "Mức độ 2: cung cấp thông tin, tải biểu mẫu",
    3: "Mức độ 3: dịch vụ công trực tuyến một phần",
    4: "Mức độ 4: dịch vụ công trực tuyến toàn trình",
}


def group_thousands(value: int) -> str:
    """10000 -> "10.000" (the Vietnamese thousands separator is a dot)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_number(value: float | int) -> str:
    """A quantity the Vietnamese way: 1.5 -> "1,5", 2.0 -> "2", 12000 -> "12.000"."""
    if float(value).is_integer():
        return group_thousands(int(value))
    whole, _, fraction = f"{value:.2f}".rstrip("0").partition(".")
    return f"{group_thousands(int(whole))},{fraction}"


def format_amount(amount: int | None) -> str:
    """A fee in đồng: 0 -> "Miễn phí", 10000 -> "10.000 đồng"."""
    if not amount:
        return "Miễn phí"
    return f"{group_thousands(amount)} đồng"


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
    if not time:
        return "Không quy định"
    unit = UNIT_LABELS.get(time.get("unit", "unknown"))
    text = format_number(time["value"]) + (f" {unit}" if unit else "")
    if time.get("note"):
        text += f" ({time['note']})"
    return text


def format_fee(fee: Mapping[str, Any]) -> str:
    """"Lệ phí đăng ký: 10.000 đồng (ghi chú)"."""
    text = f"{fee['name']}: {format_amount(fee.get('amount'))}"
    if fee.get("note"):
        text += f" ({fee['note']})"
    return text


def format_levels(levels: list[str]) -> str:
    """["province", "commune"] -> "Cấp tỉnh, Cấp xã"."""
    return ", ".join(LEVEL_LABELS.get(level, level) for level in levels)


def format_copies(originals: int | None, copies: int | None) -> str:
    """"1 bản chính, 2 bản sao"; nothing given -> ""."""
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return ", ".join(parts)
