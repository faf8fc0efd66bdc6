"""How every output words a procedure's facts: one label table and one money formatter.

The citizen site, the PDFs (notice, booklet, forms, receipt) and the CLI all ask this module,
so a level, a fee or a processing time reads the same on screen and on paper. Every function
takes a locale ("vi" by default; anything starting with "en" is English).

The rule: what the document does not say is shown as unknown ("Chưa có thông tin"), a fee
whose amount is set elsewhere says where ("Mức thu theo quy định của HĐND cấp tỉnh"), and only
`amount: 0` is "Miễn phí". A value the importer guessed carries a review mark
(form_schemas/review.py) and is shown with "Cần kiểm tra".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from form_schemas.review import Mark, facts_pointer, mark_at, marks

Pair = tuple[str, str]  # (Vietnamese, English)

UNKNOWN = "Chưa có thông tin"
UNKNOWN_PAIR: Pair = (UNKNOWN, "No information")
FREE: Pair = ("Miễn phí", "Free")
SAME_DAY: Pair = ("Trong ngày làm việc", "Within the working day")
TO_CHECK: Pair = ("Cần kiểm tra", "To check")

LEVELS: dict[str, Pair] = {
    "central": ("Cấp Bộ, ngành trung ương", "Central (ministry)"),
    "province": ("Cấp tỉnh", "Province"),
    "district": ("Cấp huyện", "District"),
    "commune": ("Cấp xã", "Commune"),
    "other": ("Cơ quan khác", "Other agency"),
}
CHANNEL_MODES: dict[str, Pair] = {
    "in_person": ("Trực tiếp", "In person"),
    "online": ("Trực tuyến", "Online"),
    "postal": ("Bưu chính công ích", "Public postal service"),
}
TIME_UNITS: dict[str, Pair] = {
    "working_days": ("ngày làm việc", "working days"),
    "days": ("ngày", "days"),
    "hours": ("giờ", "hours"),
    "months": ("tháng", "months"),
}
TIME_UNITS_ONE_EN = {"working_days": "working day", "days": "day", "hours": "hour", "months": "month"}
FEE_KINDS: dict[str, Pair] = {"fee": ("Phí", "Fee"), "charge": ("Lệ phí", "Charge")}
FEE_KIND_ANY: Pair = ("Phí, lệ phí", "Fees and charges")
ONLINE_LEVELS: dict[int, Pair] = {
    1: ("Mức độ 1: cung cấp thông tin", "Level 1: information only"),
    2: ("Mức độ 2: cung cấp thông tin và tải biểu mẫu",
        "Level 2: information and downloadable forms"),
    3: ("Mức độ 3: nộp hồ sơ trực tuyến (một phần)", "Level 3: apply online (partially online)"),
    4: ("Mức độ 4: nộp hồ sơ và nộp phí trực tuyến (toàn trình)",
        "Level 4: apply and pay online (fully online)"),
}
FEE_BASES: dict[str, Pair] = {
    "set_by_province": ("Mức thu theo quy định của HĐND cấp tỉnh",
                        "Amount set by the provincial council"),
    "per_regulation": ("Theo quy định", "As set by regulation"),
    "to_check": ("Chưa có thông tin, cần kiểm tra", "No information yet, to check"),
}
# What one amount pays for; "dossier" (the default) is not written after the amount.
PER_UNITS: dict[str, Pair] = {
    "dossier": ("hồ sơ", "dossier"),
    "copy": ("bản", "copy"),
    "page": ("trang", "page"),
    "person": ("người", "person"),
    "item": ("việc", "item"),
}
# The set of units a `maximum` caps: pages are capped per copy; other units per dossier.
MAXIMUM_UNITS: dict[str, Pair] = {"page": PER_UNITS["copy"]}
CURRENCIES: dict[str, Pair] = {"VND": ("đồng", "VND"), "USD": ("USD", "USD")}
AGENCY_ROLES: dict[str, Pair] = {
    "competent": ("Cơ quan có thẩm quyền", "Competent agency"),
    "implementing": ("Cơ quan thực hiện", "Implementing agency"),
    "authorized": ("Cơ quan được ủy quyền", "Authorised agency"),
    "coordinating": ("Cơ quan phối hợp", "Coordinating agencies"),
    "receivingAddress": ("Địa chỉ tiếp nhận hồ sơ", "Where dossiers are received"),
}
# Words a fee's name may already start with: then the kind is not printed again.
# media type -> the name a citizen knows it by (uploads' hints, their error messages, the paper form)
FILE_TYPE_NAMES: dict[str, str] = {
    "application/pdf": "PDF", "application/x-pdf": "PDF",
    "image/jpeg": "JPG", "image/jpg": "JPG", "image/pjpeg": "JPG",
    "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP", "image/heic": "HEIC", "image/tiff": "TIFF",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/zip": "ZIP",
    "text/plain": "TXT",
}
FILE_TYPE_WILDCARDS: dict[str, Pair] = {"image/*": ("ảnh", "image"), "*/*": ("mọi loại", "any type")}
_KIND_WORDS = ("lệ phí", "phí", "fee", "charge")


def is_english(locale: str | None) -> bool:
    """True for "en", "en_GB", …; everything else is Vietnamese."""
    return bool(locale) and str(locale).lower().startswith("en")


def pick(pair: Pair, locale: str | None = "vi") -> str:
    """The Vietnamese or English side of a label."""
    return pair[1] if is_english(locale) else pair[0]


def label(table: Mapping[Any, Pair], key: Any, locale: str | None = "vi") -> str:
    """The label of `key` in one of the tables above; an unknown key is shown as it is."""
    found = table.get(key)
    return pick(found, locale) if found else str(key)


def group_thousands(value: int, locale: str | None = "vi") -> str:
    """10000 → "10.000" (vi, dot) or "10,000" (en, comma)."""
    sign = "-" if value < 0 else ""
    text = f"{abs(int(value)):,}"
    return sign + (text if is_english(locale) else text.replace(",", "."))


def number(value: float | int, locale: str | None = "vi", places: int | None = 2) -> str:
    """A quantity: 1.5 → "1,5" (vi) or "1.5" (en); 2.0 → "2"; 12000 → "12.000".

    `places` rounds the fraction (2 for amounts on paper); None keeps every digit (a limit
    a citizen must respect, such as 0,005)."""
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return group_thousands(int(value), locale)
    text = repr(float(value)) if places is None else f"{value:.{places}f}".rstrip("0")
    if "e" in text or "E" in text:  # 1e-07: no thousands to group, keep it as Python writes it
        return text if is_english(locale) else text.replace(".", ",")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    separator = "." if is_english(locale) else ","
    return f"{sign}{group_thousands(int(whole), locale)}{separator}{fraction}"


def money(amount: int, currency: str = "VND", locale: str | None = "vi") -> str:
    """An amount in its own currency: "10.000 đồng", "145 USD"; English "10,000 VND".

    0 is written "0 đồng": only `fee_amount_text` turns a fee of 0 into "Miễn phí"."""
    unit = label(CURRENCIES, currency or "VND", locale)
    return f"{group_thousands(int(amount), locale)} {unit}"


def _per(fee: Mapping[str, Any]) -> str:
    per = fee.get("per") or "dossier"
    return per if per in PER_UNITS else "dossier"


def _has_amount(fee: Mapping[str, Any]) -> bool:
    amount = fee.get("amount")
    return isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0


def fee_amount_text(fee: Mapping[str, Any], locale: str | None = "vi") -> str:
    """What a fee costs, in words.

    - `amount: 0` → "Miễn phí" (the only way to say free);
    - an amount, per unit, with tiers and a maximum → "2.000 đồng/trang, từ trang thứ 3:
      1.000 đồng/trang, tối đa 200.000 đồng/bản"; in its own currency ("145 USD");
    - no amount → by `basis`: "Mức thu theo quy định của HĐND cấp tỉnh", "Theo quy định:
      <note>", "Chưa có thông tin, cần kiểm tra"; nothing at all → "Chưa có thông tin".
    """
    if not _has_amount(fee):
        basis = fee.get("basis")
        if basis == "per_regulation" and fee.get("note"):
            return f"{pick(FEE_BASES[basis], locale)}: {fee['note']}"
        if basis in FEE_BASES:
            return pick(FEE_BASES[basis], locale)
        return pick(UNKNOWN_PAIR, locale)
    amount, currency = int(fee["amount"]), fee.get("currency") or "VND"
    if amount == 0 and not fee.get("tiers"):
        return pick(FREE, locale)
    per = _per(fee)
    unit = pick(PER_UNITS[per], locale)
    suffix = "" if per == "dossier" else f"/{unit}"
    parts = [money(amount, currency, locale) + suffix]
    for tier in fee.get("tiers") or ():
        if not isinstance(tier, Mapping) or not isinstance(tier.get("amount"), int):
            continue
        cost = money(tier["amount"], currency, locale) + suffix
        if is_english(locale):
            parts.append(f"from {unit} {tier.get('from')}: {cost}")
        else:
            parts.append(f"từ {unit} thứ {tier.get('from')}: {cost}")
    if isinstance(fee.get("maximum"), int):
        cap = MAXIMUM_UNITS.get(per)
        cap_text = money(fee["maximum"], currency, locale) + (f"/{pick(cap, locale)}" if cap else "")
        parts.append(("at most " if is_english(locale) else "tối đa ") + cap_text)
    return ", ".join(parts)


def fee_label(fee: Mapping[str, Any], locale: str | None = "vi") -> str:
    """The fee's kind and name, the kind printed once: "Lệ phí đăng ký khai sinh".

    A name that already starts with "Phí" or "Lệ phí" is printed alone."""
    name = str(fee.get("name") or "").strip()
    kind = FEE_KINDS.get(fee.get("kind") or "")
    if not name:
        return pick(kind or FEE_KIND_ANY, locale)
    if kind is None or name.casefold().startswith(_KIND_WORDS):
        return name[:1].upper() + name[1:]
    if is_english(locale):
        return f"{kind[1]} – {name}"
    lowered = name[:1].lower() + name[1:] if name[1:2].islower() else name
    return f"{kind[0]} {lowered}"


def fee_note(fee: Mapping[str, Any]) -> str:
    """The fee's note, unless the amount text already quotes it (basis per_regulation)."""
    if not _has_amount(fee) and fee.get("basis") == "per_regulation":
        return ""
    return str(fee.get("note") or "")


def fee_text(fee: Mapping[str, Any], locale: str | None = "vi") -> str:
    """"Lệ phí đăng ký khai sinh: Miễn phí (ghi chú)": kind once, amount in words, note."""
    text = f"{fee_label(fee, locale)}: {fee_amount_text(fee, locale)}"
    note = fee_note(fee)
    return f"{text} ({note})" if note else text


def date_words(day: date) -> str:
    """A date written in full as Nghị định 30/2020/NĐ-CP writes it, a zero before days under 10
    and before months 1 and 2: "ngày 05 tháng 02 năm 2026", "ngày 15 tháng 7 năm 2026"."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def processing_time_text(
    time: Mapping[str, Any] | None, locale: str | None = "vi", *, with_note: bool = True
) -> str:
    """"1 ngày làm việc"; 0 (in any known unit) → "Trong ngày làm việc"; unit `unknown` (even
    with 0) or no time → "Chưa có thông tin". With `with_note`, the note follows in brackets."""
    time = time or {}
    value, unit = time.get("value"), time.get("unit")
    known = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    if not known or unit not in TIME_UNITS:  # "unknown" wins over a value of 0
        text = pick(UNKNOWN_PAIR, locale)
    elif value == 0:
        text = pick(SAME_DAY, locale)
    elif is_english(locale) and value == 1:
        text = f"1 {TIME_UNITS_ONE_EN[unit]}"
    else:
        text = f"{number(value, locale)} {pick(TIME_UNITS[unit], locale)}"
    if with_note and time.get("note"):
        text += f" ({time['note']})"
    return text


def level_name(level: str, locale: str | None = "vi") -> str:
    """"commune" → "Cấp xã"; "central" → "Cấp Bộ, ngành trung ương"."""
    return label(LEVELS, level, locale)


def levels_text(levels: Iterable[str] | None, locale: str | None = "vi") -> str:
    """["province", "commune"] → "Cấp tỉnh, Cấp xã"; none → "Chưa có thông tin"."""
    names = [level_name(level, locale) for level in levels or ()]
    return ", ".join(names) or pick(UNKNOWN_PAIR, locale)


def channel_name(mode: str, locale: str | None = "vi") -> str:
    """"in_person" → "Trực tiếp"."""
    return label(CHANNEL_MODES, mode, locale)


def online_level_name(level: int | str, locale: str | None = "vi") -> str:
    """3 → "Mức độ 3: nộp hồ sơ trực tuyến (một phần)"."""
    try:
        return label(ONLINE_LEVELS, int(level), locale)
    except (TypeError, ValueError):
        return str(level)


def fee_kind_name(kind: str | None, locale: str | None = "vi") -> str:
    """"charge" → "Lệ phí"; none → "Phí, lệ phí"."""
    return pick(FEE_KINDS.get(kind or "", FEE_KIND_ANY), locale)


def time_unit_name(unit: str, locale: str | None = "vi") -> str:
    """"working_days" → "ngày làm việc"."""
    return label(TIME_UNITS, unit, locale)


def agency_role_name(role: str, locale: str | None = "vi") -> str:
    """"competent" → "Cơ quan có thẩm quyền"."""
    return label(AGENCY_ROLES, role, locale)


def unknown(locale: str | None = "vi") -> str:
    """"Chưa có thông tin" / "No information"."""
    return pick(UNKNOWN_PAIR, locale)


def to_check(locale: str | None = "vi") -> str:
    """"Cần kiểm tra" / "To check": the tag beside a marked value."""
    return pick(TO_CHECK, locale)


class FactMarks:
    """The review marks of one document, asked by place inside `x-procedure`.

    `at(...)` is the mark on a place or on one that contains it (a section's tag);
    `within(...)` is a mark on the place or on something inside it (an item's tag)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.marks = marks(document)

    def at(self, *path: str | int) -> Mark | None:
        """The mark on `path` or on a place containing it (but not the whole document)."""
        if not self.marks:
            return None
        found = mark_at(self.document, facts_pointer(*path))
        return found if found is not None and found.pointer not in ("/x-procedure", "") else None

    def within(self, *path: str | int) -> Mark | None:
        """The first mark on `path` or on a place inside it."""
        place = facts_pointer(*path)
        return next((m for m in self.marks
                     if m.pointer == place or m.pointer.startswith(place + "/")), None)

    def any(self, *path: str | int) -> Mark | None:
        """`within` first, else `at`: whatever makes this value one to check."""
        return self.within(*path) or self.at(*path)


def checked_agency(document: Mapping[str, Any], *roles: str) -> str:
    """The first of `roles` the document names without a review mark, else "".

    A guessed agency is never printed where the citizen would take it as the addressee
    (the form's "Kính gửi", a notice's or a receipt's heading)."""
    agencies = (document.get("x-procedure") or {}).get("agencies") or {}
    fact_marks = FactMarks(document)
    for role in roles:
        value = agencies.get(role)
        if isinstance(value, str) and value.strip() and fact_marks.any("agencies", role) is None:
            return value
    return ""


def file_type_name(media_type: str, locale: str | None = "vi") -> str:
    """One media type as citizens name it: "application/pdf" -> "PDF", "image/*" -> "ảnh";
    an unlisted one by its subtype in capitals ("image/avif" -> "AVIF")."""
    media = media_type.split(";", 1)[0].strip().lower()
    if media in FILE_TYPE_WILDCARDS:
        return pick(FILE_TYPE_WILDCARDS[media], locale)
    return FILE_TYPE_NAMES.get(media) or media.rsplit("/", 1)[-1].upper()


def file_types_text(accept: Iterable[str] | str, locale: str | None = "vi") -> str:
    """Accepted media types (a list and/or comma-separated contentMediaType) as names, each
    once: "application/pdf, image/jpeg, image/jpg, image/png" -> "PDF, JPG, PNG"."""
    items = [accept] if isinstance(accept, str) else list(accept)
    names: list[str] = []
    for item in items:
        for part in item.split(","):
            if part.strip() and (name := file_type_name(part, locale)) not in names:
                names.append(name)
    return ", ".join(names)
