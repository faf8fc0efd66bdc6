"""Channels ("Cách thức thực hiện"): the flattened table of mode, time, fee and description.

The collector glued the cells together: "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(…)…".
A row starts where a mode name is directly followed by a time cell (a digit or
"Không có thông tin"); a mode name followed by anything else is part of a description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .money import AMOUNT_TEXT, amounts_in, parse_amount
from .text import NO_INFO, clean, is_absent, one_line, shorten

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
MODES: dict[str, str] = {
    "Dịch vụ bưu chính công ích": "postal",
    "Dịch vụ bưu chính": "postal",
    "Bưu chính công ích": "postal",
    "Trực tuyến": "online",
    "Trực tiếp": "in_person",
}
UNITS: dict[str, str] = {
    "ngày làm việc": "working_days",
    "ngày": "days",
    "giờ": "hours",
    "tháng": "months",
}
CURRENCY = r"Việt Nam Đồng|VNĐ|Đồng|đồng|USD"

# Time cells that are words: "Không quy định", "Không phải trả kết quả cho người nộp thuế".
_WORDY_TIME = re.compile(
    r"(Không phải trả kết quả[^()]{0,80}?|Không quy định|Không)"
    r"(?=Miễn phí|Không có thông tin|\d[\d.,]* ?(?:VNĐ|Việt Nam Đồng))"
)
_ROW_START = re.compile(
    "(" + "|".join(re.escape(mode) for mode in MODES) + ")"
    + rf"(?=\d|{NO_INFO}|Không quy định|Không phải trả kết quả|Không(?:Miễn phí|\d|{NO_INFO}))"
)
_TIME_WITH_UNIT = re.compile(r"(\d+(?:[.,]\d+)?) ?(Ngày làm việc|Ngày|Giờ|Tháng)", re.IGNORECASE)
_GLUED_TIME_FEE = re.compile(rf"(\d[\d.,]*) ?({CURRENCY})")
_BARE_TIME = re.compile(r"\d+(?:[.,]\d+)?")
_FEE = re.compile(rf"({AMOUNT_TEXT}) ?({CURRENCY})")
_FEES_IN_TEXT = re.compile(
    rf"((?:Lệ phí|Phí)[^:()\d]{{0,80}}?)\s*:\s*({AMOUNT_TEXT})\s*(?:{CURRENCY}|đ\b)", re.IGNORECASE
)
_MONEY_WORDS = re.compile(r"\d\s*(?:đồng|Đồng|VNĐ|vnđ|đ/|USD)|\d[.,]\d{3}(?:[.,]\d{3})*/")

DEFAULT_FEE_NAME = "Phí, lệ phí"
_SET_BY_PROVINCE = re.compile(r"HĐND|Hội đồng nhân dân", re.IGNORECASE)
_FEE_REGULATION = re.compile(
    r"(?:Thông tư|Nghị định|Nghị quyết|Quyết định|Luật)(?: số)? ?\d+/\d{4}/[A-ZĐ0-9-]+"
    r"|(?:Thông tư|Nghị định|Nghị quyết|Quyết định)(?: số)? ?\d+/[A-ZĐ0-9-]+"
)
_KINDS_ONLY = re.compile(r"(?:lệ phí|phí)(?:\s*(?:,|và|\s)\s*(?:lệ phí|phí))*", re.IGNORECASE)
_KIND_WORD = re.compile(r"^(?:(?:Lệ phí|Phí)\b\s*)+", re.IGNORECASE)
_PAGE_TIER = re.compile(
    rf"từ trang thứ (\d+)(?: trở (?:lên|đi))?(?: thu)?:? ({AMOUNT_TEXT}) ?(?:đồng|đ)/trang",
    re.IGNORECASE,
)
_PAGE_MAXIMUM = re.compile(
    rf"tối đa(?: thu)?(?: không quá)? ({AMOUNT_TEXT}) ?(?:đồng|đ)/bản", re.IGNORECASE
)
_WORKING_DAYS = re.compile(
    r"(?<![\d.,/])0*(\d+)\s*(?:\([^()]{1,30}\)\s*)?ngày làm việc", re.IGNORECASE
)
_DOLLARS = re.compile(r"(?<![\d.,])(\d+)\s*USD")
_AMOUNT_PER = re.compile(
    rf"(?<![\d.,])({AMOUNT_TEXT})\s*(đồng|đ|VNĐ|USD)\s*/\s*(?:01\s+|1\s+)?(trang|bản|người|thẻ|giấy)\b",
    re.IGNORECASE,
)
_PER_WORDS: dict[str, str] = {
    "trang": "page",
    "bản": "copy",
    "người": "person",
    "thẻ": "item",
    "giấy": "item",
}


@dataclass
class ChannelsResult:
    """Parsed channels plus the parse status of the channel table and of its fees."""

    channels: list[dict]
    status: str
    fee_status: str
    problems: list[str] = field(default_factory=list)
    reason: str = ""
    fee_reason: str = ""


@dataclass
class _Row:
    mode: str
    processing_time: dict | None = None
    fees: list[dict] = field(default_factory=list)
    note: str = ""
    time_status: str = "parsed"
    fee_status: str = "parsed"
    fee_reason: str = ""


def parse_channels(text: str | None) -> ChannelsResult:
    """Parse the "Cách thức thực hiện" cell into channel objects with unique modes."""
    body = (text or "").strip()
    if body.startswith(HEADER):
        body = body[len(HEADER) :]
    if is_absent(body):
        return ChannelsResult([], "absent", "absent")
    starts = list(_ROW_START.finditer(body))
    if not starts:
        result = ChannelsResult(
            _raw_channels(body), "raw", "absent", ["no channel row recognised"]
        )
        result.reason, result.fee_reason = "no channel row recognised", "no fee cell recognised"
        return result
    rows = [
        _parse_row(
            MODES[match.group(1)],
            body[match.end() : starts[i + 1].start() if i + 1 < len(starts) else len(body)],
        )
        for i, match in enumerate(starts)
    ]
    channels = _merge(rows)
    statuses = {row.time_status for row in rows}
    status = next(rank for rank in ("raw", "inferred", "parsed") if rank in statuses or rank == "parsed")
    fee_status, fee_reason = "absent", "the fee cell gives no amount"
    for rank in ("raw", "to_check", "inferred", "parsed"):
        found = [row for row in rows if row.fee_status == rank]
        if found:
            fee_status, fee_reason = rank, found[0].fee_reason
            break
    result = ChannelsResult(channels, status, fee_status)
    result.fee_reason = fee_reason
    if status == "raw":
        result.reason = "a time cell could not be read"
    elif status == "inferred":
        result.reason = "time unit from the description"
    return result


def _raw_channels(body: str) -> list[dict]:
    """Channels named in a table we could not read, each keeping the raw text as its note."""
    modes = []
    for match in re.finditer("|".join(re.escape(mode) for mode in MODES), body):
        if MODES[match.group(0)] not in modes:
            modes.append(MODES[match.group(0)])
    time = {"value": 0, "unit": "unknown", "note": clean(body)}
    return [{"mode": mode, "processingTime": dict(time)} for mode in modes or ["in_person"]]


def _parse_row(mode: str, cell: str) -> _Row:
    row = _Row(mode)
    rest = cell
    glued_fee: tuple[int, str, str] | None = None
    time_words = ""
    if rest.startswith(NO_INFO):
        rest = rest[len(NO_INFO) :]
    elif match := _WORDY_TIME.match(rest):
        time_words, rest = match.group(1), rest[match.end() :]
    elif match := _TIME_WITH_UNIT.match(rest):
        value = float(match.group(1).replace(",", "."))
        row.processing_time = {"value": _number(value), "unit": UNITS[match.group(2).lower()]}
        rest = rest[match.end() :]
    elif match := _GLUED_TIME_FEE.match(rest):
        # A bare time glued to an amount ("120 VNĐ" = 1 day + 20 VNĐ?): split it below,
        # once the fee's description is known, since it is the only evidence of the split.
        glued_fee = (0, match.group(1), match.group(2))
        rest = rest[match.end() :]
    elif match := _BARE_TIME.match(rest):
        value = float(match.group(0).replace(",", "."))
        row.processing_time = {"value": _number(value), "unit": "unknown"}
        rest = rest[match.end() :]

    fee_text, currency, free = "", "", False
    if glued_fee:
        _, fee_text, currency = glued_fee
    elif rest.startswith("Miễn phí"):
        free, rest = True, rest[len("Miễn phí") :]
    elif rest.startswith(NO_INFO):
        rest = rest[len(NO_INFO) :]
    elif match := _FEE.match(rest):
        fee_text, currency = match.group(1), match.group(2)
        rest = rest[match.end() :]

    fee_note, rest = _leading_parenthesis(rest)
    description = clean(f"{time_words}. {clean(rest)}" if time_words else rest).strip(" .")
    evidence = fee_note + " " + description

    if glued_fee:
        time_value, fee_text, row.time_status = _split_glued(glued_fee[1], evidence)
        row.processing_time = {"value": time_value, "unit": "unknown"}
        if row.time_status == "raw":
            row.processing_time["note"] = f"Ô thời gian dính liền với lệ phí: «{glued_fee[1]}»"
            row.processing_time["_review"] = [
                _mark("to_check", "time_glued_to_fee", f"{glued_fee[1]} {glued_fee[2]}")
            ]

    if free:
        # Without a closed "(…)" after "Miễn phí" the whole description is its evidence.
        unclosed = not fee_note and rest.startswith("(")
        fee = _free_fee(description if unclosed else fee_note)
        if unclosed and "amount" not in fee:
            description = ""
        row.fees.append(fee)
        if "amount" not in fee:
            row.fee_status, row.fee_reason = "to_check", "Miễn phí but the description states a charge"
        elif "_review" in fee:
            row.fee_status, row.fee_reason = "to_check", "free, amount set by the province"
    elif fee_text:
        guessed_split = row.time_status == "raw"
        fee, row.fee_status, row.fee_reason = _amount_fee(
            fee_text, currency, fee_note, guessed=guessed_split, evidence=evidence,
            written=f"{glued_fee[1]} {currency}" if glued_fee else "",
        )
        row.fees.append(fee)
    elif parsed := _fees_in_text(evidence):
        row.fees.extend(parsed)
    else:
        fee, row.fee_status, row.fee_reason = _fee_without_amount(evidence)
        row.fees.append(fee)
        if fee_note:
            description = f"({fee_note}) {description}".strip()

    _unit_from_description(row, evidence)
    if description:
        if row.processing_time is not None:
            row.processing_time["note"] = _join(row.processing_time.get("note", ""), description)
        else:
            row.note = description
    return row


def _unit_from_description(row: _Row, evidence: str) -> None:
    """"7 Ngày" in the cell, "07 ngày làm việc" in the description: working days, inferred.

    Only a bare or calendar-day time is changed, and only when the description gives the
    same number with the unit "ngày làm việc" (written with or without a leading zero).
    """
    time = row.processing_time
    if time is None or time["unit"] not in ("days", "unknown") or "_review" in time:
        return
    value = time["value"]
    if not isinstance(value, int):
        return
    said = next(
        (match for match in _WORKING_DAYS.finditer(evidence) if int(match.group(1)) == value), None
    )
    if said:
        time["unit"] = "working_days"
        time["_review"] = [_mark("inferred", "time_unit_from_description", one_line(said.group(0)))]
        row.time_status = "inferred"


def _split_glued(digits: str, evidence: str) -> tuple[float | int, str, str]:
    """Split "1100" into time "1" and fee "100" using amounts quoted in the description."""
    whole = digits.split(",")[0].split(".")[0]
    quoted = amounts_in(evidence)
    candidates = []
    for cut in range(1, min(3, len(whole) - 1) + 1):
        fee_text = digits[cut:]
        amount = parse_amount(fee_text)
        if amount is None or fee_text.startswith("0"):
            continue
        candidates.append((cut, fee_text, amount))
    for cut, fee_text, amount in candidates:
        if amount in quoted or amount * 1000 in quoted:
            return int(digits[:cut]), fee_text, "parsed"
    if candidates:
        cut, fee_text, _ = candidates[0]
        return int(digits[:cut]), fee_text, "raw"
    return 0, digits, "raw"


def _amount_fee(
    fee_text: str, currency: str, note: str, *, guessed: bool = False, evidence: str = "",
    written: str = "",
) -> tuple[dict, str, str]:
    """A fee cell with a number: VND or USD as written, thousands only with evidence.

    The portal sometimes stores amounts in thousands ("20 VNĐ" beside "(20.000 đ/tờ khai)")
    and sometimes writes dollars as VNĐ ("145 VNĐ" beside "145 USD/thẻ"). An amount under
    1,000 đồng is converted only when the description gives the full figure; otherwise it
    is not stored and the fee is to check. A number split from a glued time cell by guess
    is never stored as an amount.
    """
    amount = parse_amount(fee_text)
    written = written or f"{fee_text} {currency}"
    kind = _fee_kind(note)
    if amount is None or guessed:
        fee = _no_amount_fee("to_check", f"Nguồn ghi: «{written}»", note, kind)
        fee["_review"] = [_mark("to_check", "fee_unclear", written)]
        return fee, "raw", "the fee cell is glued to the time cell" if guessed else "unreadable amount"
    fee: dict = {"name": DEFAULT_FEE_NAME, "amount": amount}
    status, reason = "parsed", ""
    if currency == "USD":
        fee["currency"] = "USD"
    elif amount < 1000:
        quoted = amounts_in(note)
        if amount * 1000 in quoted:
            fee["amount"] = amount * 1000
            fee["_review"] = [_mark("inferred", "fee_thousands", written)]
            status, reason = "inferred", "amount written in thousands"
        elif any(int(match.group(1)) == amount for match in _DOLLARS.finditer(note)):
            fee["currency"] = "USD"
            fee["_review"] = [_mark("inferred", "fee_currency_from_description", written)]
            status, reason = "inferred", "currency taken from the description"
        else:
            fee = _no_amount_fee("to_check", f"Nguồn ghi: «{written}»", note, kind)
            fee["_review"] = [_mark("to_check", "fee_unclear", written)]
            return fee, "to_check", f"amount under 1,000 đồng without evidence ({written})"
    if kind:
        fee["kind"] = kind
    fee.update(_per_unit(fee["amount"], note, evidence or note, fee.get("currency", "VND")))
    if note:
        fee["note"] = note
    if status == "parsed" and _SET_BY_PROVINCE.search(note):
        fee["_review"] = [_mark("to_check", "fee_set_by_province", shorten(note, 300))]
        status, reason = "to_check", "the description says the province sets the amount"
    return fee, status, reason


def _no_amount_fee(basis: str, raw: str, note: str, kind: str | None = None) -> dict:
    """A fee whose amount the source does not give: a basis and the source text, no amount."""
    fee: dict = {"name": DEFAULT_FEE_NAME, "basis": basis}
    if kind:
        fee["kind"] = kind
    text = _join(raw, note)
    if text:
        fee["note"] = text
    return fee


def _fee_without_amount(evidence: str) -> tuple[dict, str, str]:
    """The row has no fee cell: set by the province, per a regulation it cites, or to check."""
    text = one_line(evidence)
    kind = _fee_kind(text)
    if _SET_BY_PROVINCE.search(text):
        fee = _no_amount_fee("set_by_province", "", text, kind)
        fee["_review"] = [_mark("to_check", "fee_set_by_province", shorten(text, 300))]
        return fee, "to_check", "amount set by the provincial council"
    regulation = _FEE_REGULATION.search(text)
    if regulation:
        fee = _no_amount_fee("per_regulation", "", regulation.group(0), kind)
        fee["_review"] = [_mark("to_check", "fee_no_amount", shorten(text, 300))]
        return fee, "to_check", "amount per a cited regulation"
    fee = _no_amount_fee("to_check", "", "", kind)
    fee["_review"] = [_mark("to_check", "fee_no_amount")]
    return fee, "absent", "the fee cell gives no amount"


def _free_fee(note: str) -> dict:
    """ "Miễn phí": free, unless its description states a charge or leaves it to the province."""
    if _MONEY_WORDS.search(note):
        fee = _no_amount_fee("to_check", "Nguồn ghi: «Miễn phí»", note, _fee_kind(note))
        fee["_review"] = [_mark("to_check", "fee_free_but_described", shorten(note, 300))]
        return fee
    fee: dict = {"name": "Miễn phí", "amount": 0}
    if note:
        fee["note"] = note
    if _SET_BY_PROVINCE.search(note):
        fee = _no_amount_fee("set_by_province", "Nguồn ghi: «Miễn phí»", note, _fee_kind(note))
        fee["_review"] = [_mark("to_check", "fee_set_by_province", shorten(note, 300))]
    return fee


def _fees_in_text(text: str) -> list[dict]:
    """Fees written as "Lệ phí : 50.000 Đồng" inside a description."""
    fees = []
    for match in _FEES_IN_TEXT.finditer(text):
        amount = parse_amount(match.group(2))
        if amount is None or amount < 1000:
            continue
        label = one_line(match.group(1)).rstrip(" :")
        kind = _fee_kind(label)
        fee = {"name": _fee_name(label), "amount": amount, "note": one_line(text)}
        if kind:
            fee["kind"] = kind
        fees.append(fee)
    return fees


def _fee_name(label: str) -> str:
    """The fee's name without its kind, which is stored apart and printed before the name.

    "Lệ phí Cấp mới chứng chỉ" → "Cấp mới chứng chỉ" (kind charge): printed once as
    "Lệ phí Cấp mới chứng chỉ", not "Lệ phí Lệ phí …". A bare "Lệ phí" is "Phí, lệ phí".
    """
    if _KINDS_ONLY.fullmatch(label):
        return DEFAULT_FEE_NAME
    name = _KIND_WORD.sub("", label).strip(" :-,")
    return name or DEFAULT_FEE_NAME


def _per_unit(amount: int, note: str, evidence: str, currency: str) -> dict:
    """What one amount pays for, and a page schedule, when the source says it plainly.

    "(/trang)" beside the amount, or the amount written again with its unit ("2.000 đ/trang",
    "100 USD/thẻ"); for pages also "từ trang thứ 3 … 1.000 đồng/trang" (a tier) and
    "tối đa … 200.000 đồng/bản" (the most for one copy). Anything else stays in the note.
    """
    alone = re.fullmatch(r"/\s*(\w+)\.?", note.strip())
    found: set[str] = set()
    if alone and alone.group(1).lower() in _PER_WORDS:
        found.add(_PER_WORDS[alone.group(1).lower()])
    else:
        for match in _AMOUNT_PER.finditer(evidence):
            dollars = match.group(2).upper() == "USD"
            if dollars == (currency == "USD") and parse_amount(match.group(1)) == amount:
                found.add(_PER_WORDS[match.group(3).lower()])
    if len(found) != 1:
        return {}
    result: dict = {"per": found.pop()}
    if result["per"] == "page" and currency == "VND":
        tiers = _PAGE_TIER.findall(evidence)
        if len(tiers) == 1 and int(tiers[0][0]) >= 2:
            result["tiers"] = [{"from": int(tiers[0][0]), "amount": parse_amount(tiers[0][1])}]
        most = _PAGE_MAXIMUM.findall(evidence)
        if len(most) == 1:
            result["maximum"] = parse_amount(most[0])
    return result


def _mark(kind: str, reason: str, source: str = "") -> dict:
    """A review mark for the value it is attached to (the pointer is set by `convert`)."""
    mark = {"kind": kind, "reason": reason}
    if source:
        mark["source"] = source
    return mark


def _fee_kind(text: str) -> str | None:
    head = one_line(text).lstrip("(-+* ").lower()
    if head.startswith("lệ phí"):
        return "charge"
    if head.startswith("phí"):
        return "fee"
    return None


def _leading_parenthesis(text: str) -> tuple[str, str]:
    """Split "(a (b) c)rest" into ("a (b) c", "rest"); unbalanced text stays in the rest."""
    if not text.startswith("("):
        return "", text
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return clean(text[1:index]), text[index + 1 :]
    return "", text


def _merge(rows: list[_Row]) -> list[dict]:
    """One channel per mode: a repeated mode adds its fees and notes to the first row."""
    merged: dict[str, dict] = {}
    for row in rows:
        channel = merged.get(row.mode)
        if channel is None:
            channel = merged[row.mode] = {"mode": row.mode}
            if row.processing_time is not None:
                channel["processingTime"] = dict(row.processing_time)
            if row.fees:
                channel["fees"] = list(row.fees)
            if row.note:
                channel["_note"] = row.note
            continue
        if "processingTime" not in channel and row.processing_time is not None:
            channel["processingTime"] = dict(row.processing_time)
        elif row.processing_time is not None:
            first = channel["processingTime"]
            same = (first["value"], first["unit"]) == (
                row.processing_time["value"], row.processing_time["unit"]
            )
            other = row.processing_time.get("note", "")
            if not same:
                other = f"Hoặc: {_describe_time(row.processing_time)}"
            if other and other not in first.get("note", ""):
                first["note"] = _join(first.get("note", ""), other)
        for fee in row.fees:
            if fee not in channel.setdefault("fees", []):
                channel["fees"].append(fee)
    result = []
    for channel in merged.values():
        note = channel.pop("_note", "")
        if note and "processingTime" not in channel and channel.get("fees"):
            channel["fees"][0]["note"] = _join(channel["fees"][0].get("note", ""), note)
        result.append(channel)
    return result


def _describe_time(time: dict) -> str:
    labels = {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ", "months": "tháng"}
    text = f"{time['value']} {labels.get(time['unit'], '')}".strip()
    return _join(text, time.get("note", ""))


def _join(first: str, second: str) -> str:
    return f"{first}\n{second}".strip() if first and second else (first or second)


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value
