"""How the citizen site writes dates, money, durations and procedure labels (vi first, en)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import LazyString, get_locale
from markupsafe import Markup, escape

from catalog.services.dossiers import VN_TIME, status_label
from form_schemas import wording
from form_schemas.review import Mark
from renderers.pdf.formatting import format_date


def locale() -> str:
    found = get_locale()
    return str(found) if found is not None else "vi"


def is_english() -> bool:
    return locale().startswith("en")


def _lazy(table: Mapping[Any, wording.Pair], key: object) -> LazyString:
    """The label of `key` in a wording table, read in the locale of the request."""
    return LazyString(lambda: wording.label(table, key, locale()))


# Labels in the request's locale, from the one table in form_schemas/wording.py (the search
# filters list them; the CLI prints them outside a request, in Vietnamese).
LEVELS = {key: _lazy(wording.LEVELS, key) for key in wording.LEVELS}
ONLINE_LEVELS = {key: _lazy(wording.ONLINE_LEVELS, key) for key in wording.ONLINE_LEVELS}


def group_thousands(value: int) -> str:
    return wording.group_thousands(value, locale())


def money(amount: int | None, currency: str = "VND") -> str:
    """10000 → "10.000 đồng" ("10,000 VND" in English); None → "Chưa có thông tin"."""
    if amount is None:
        return wording.unknown(locale())
    return wording.money(amount, currency, locale())


def number(value: float | int) -> str:
    """1 → "1"; 0.5 → "0,5" (Vietnamese decimal comma)."""
    return wording.number(value, locale())


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
    """"1 ngày làm việc", "Trong ngày làm việc", "Chưa có thông tin" (the note is shown apart)."""
    return wording.processing_time_text(channel.get("processingTime"), locale(), with_note=False)


def level_name(level: str) -> str:
    return wording.level_name(level, locale())


def channel_name(mode: str) -> str:
    return wording.channel_name(mode, locale())


def online_level_name(level: int) -> str:
    return wording.online_level_name(level, locale())


def fee_kind(kind: str | None) -> str:
    return wording.fee_kind_name(kind, locale())


def fee_label(fee: Mapping[str, Any]) -> str:
    """"Lệ phí đăng ký khai sinh", the kind printed once."""
    return wording.fee_label(fee, locale())


def fee_amount(fee: Mapping[str, Any]) -> str:
    """"Miễn phí", "10.000 đồng", "145 USD", "Mức thu theo quy định của HĐND cấp tỉnh"…"""
    return wording.fee_amount_text(fee, locale())


def unknown() -> str:
    """"Chưa có thông tin" / "No information"."""
    return wording.unknown(locale())


def review_tag(mark: Mark | None) -> Markup:
    """A small "Cần kiểm tra" tag with the reason, beside a value with a review mark."""
    if mark is None:
        return Markup("")
    reason = mark.reason_label(locale())
    return Markup('<span class="review-tag" title="{reason}">{tag}<span class="visually-hidden">'
                  ': {reason}</span></span>').format(reason=escape(reason),
                                                     tag=wording.to_check(locale()))


def dossier_status(status: str) -> str:
    return status_label(status, locale())


def size(n: int) -> str:
    from catalog.attachments import format_size

    text = format_size(n)
    return text.replace(",", ".") if is_english() else text


FILTERS = {
    "money": money, "fee_label": fee_label, "fee_amount": fee_amount, "fee_note": wording.fee_note,
    "review_tag": review_tag, "dmy": dmy, "dmy_hm": dmy_hm, "processing_time": processing_time,
    "level_name": level_name, "channel_name": channel_name, "online_level_name": online_level_name,
    "fee_kind": fee_kind, "dossier_status": dossier_status, "filesize": size, "number": number,
}
