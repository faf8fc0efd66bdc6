"""How the citizen site writes dates, money, durations and procedure labels (vi first, en)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from catalog.services.dossiers import VN_TIME, status_label
from renderers.pdf.formatting import format_date

LEVELS = {
    "central": _l("Cấp Bộ, ngành trung ương"),
    "province": _l("Cấp tỉnh"),
    "district": _l("Cấp huyện"),
    "commune": _l("Cấp xã"),
    "other": _l("Cơ quan khác"),
}
CHANNELS = {
    "in_person": _l("Trực tiếp"),
    "online": _l("Trực tuyến"),
    "postal": _l("Bưu chính công ích"),
}
UNITS = {
    "working_days": _l("ngày làm việc"),
    "days": _l("ngày"),
    "hours": _l("giờ"),
    "months": _l("tháng"),
}
FEE_KINDS = {"fee": _l("Phí"), "charge": _l("Lệ phí")}
ONLINE_LEVELS = {
    1: _l("Mức độ 1: cung cấp thông tin"),
    2: _l("Mức độ 2: cung cấp thông tin và tải biểu mẫu"),
    3: _l("Mức độ 3: nộp hồ sơ trực tuyến (một phần)"),
    4: _l("Mức độ 4: nộp hồ sơ và nộp phí trực tuyến (toàn trình)"),
}
AGENCY_ROLES = (
    ("competent", _l("Cơ quan có thẩm quyền")),
    ("implementing", _l("Cơ quan thực hiện")),
    ("authorized", _l("Cơ quan được ủy quyền")),
    ("coordinating", _l("Cơ quan phối hợp")),
    ("receivingAddress", _l("Địa chỉ tiếp nhận hồ sơ")),
)


def locale() -> str:
    found = get_locale()
    return str(found) if found is not None else "vi"


def is_english() -> bool:
    return locale().startswith("en")


def group_thousands(value: int) -> str:
    separator = "," if is_english() else "."
    return f"{int(value):,}".replace(",", separator)


def money(amount: int | None) -> str:
    """0 → "Miễn phí"; 10000 → "10.000 đồng" ("10,000 VND" in English)."""
    if not amount:
        return str(_l("Miễn phí"))
    return f"{group_thousands(amount)} VND" if is_english() else f"{group_thousands(amount)} đồng"


def number(value: float | int) -> str:
    """1 → "1"; 0.5 → "0,5" (Vietnamese decimal comma)."""
    if float(value).is_integer():
        return group_thousands(int(value))
    text = f"{value:g}"
    return text if is_english() else text.replace(".", ",")


def local_time(value: datetime) -> datetime:
    """A stored time (UTC, naive on SQLite) as Vietnam local time."""
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(VN_TIME)


def dmy(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy from a date, a stored time (read in Vietnam time) or an ISO date string."""
    return format_date(local_time(value) if isinstance(value, datetime) else value)


def dmy_hm(value: datetime | None) -> str:
    """"16:05, 13/03/2026" in Vietnam time."""
    if value is None:
        return ""
    return local_time(value).strftime("%H:%M, %d/%m/%Y")


def processing_time(channel: Mapping[str, Any]) -> str:
    """"1 ngày làm việc", "Trong ngày", or the note when the record gives no usable time."""
    time_ = channel.get("processingTime") or {}
    unit = time_.get("unit")
    value = time_.get("value")
    if unit not in UNITS or value is None:
        return str(_l("Không ghi thời hạn"))
    if value == 0:
        return str(_l("Trong ngày làm việc"))
    return f"{number(value)} {UNITS[unit]}"


def level_name(level: str) -> str:
    return str(LEVELS.get(level, level))


def channel_name(mode: str) -> str:
    return str(CHANNELS.get(mode, mode))


def online_level_name(level: int) -> str:
    return str(ONLINE_LEVELS.get(int(level), level))


def fee_kind(kind: str | None) -> str:
    return str(FEE_KINDS.get(kind or "", _l("Phí, lệ phí")))


def dossier_status(status: str) -> str:
    return status_label(status, locale())


def size(n: int) -> str:
    from catalog.attachments import format_size

    text = format_size(n)
    return text.replace(",", ".") if is_english() else text


FILTERS = {
    "money": money, "dmy": dmy, "dmy_hm": dmy_hm, "processing_time": processing_time,
    "level_name": level_name, "channel_name": channel_name, "online_level_name": online_level_name,
    "fee_kind": fee_kind, "dossier_status": dossier_status, "filesize": size, "number": number,
}
