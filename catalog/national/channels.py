"""Channels ("Cách thức thực hiện"): the flattened table of mode, time, fee and description.

The collector glued the cells together: "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(…)…".
A row starts where a mode name is directly followed by a time cell (a digit or
"Không có thông tin"); a mode name followed by anything else is part of a description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .money import AMOUNT_TEXT, amounts_in, parse_amount
from .text import NO_INFO, clean, is_absent, one_line

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


@dataclass
class ChannelsResult:
    """Parsed channels plus the parse status of the channel table and of its fees."""

    channels: list[dict]
    status: str
    fee_status: str
    problems: list[str] = field(default_factory=list)


@dataclass
class _Row:
    mode: str
    processing_time: dict | None = None
    fees: list[dict] = field(default_factory=list)
    note: str = ""
    time_status: str = "parsed"
    fee_status: str = "parsed"


def parse_channels(text: str | None) -> ChannelsResult:
    """Parse the "Cách thức thực hiện" cell into channel objects with unique modes."""
    body = (text or "").strip()
    if body.startswith(HEADER):
        body = body[len(HEADER) :]
    if is_absent(body):
        return ChannelsResult([], "absent", "absent")
    starts = list(_ROW_START.finditer(body))
    if not starts:
        return ChannelsResult(_raw_channels(body), "raw", "absent", ["no channel row recognised"])
    rows = [
        _parse_row(
            MODES[match.group(1)],
            body[match.end() : starts[i + 1].start() if i + 1 < len(starts) else len(body)],
        )
        for i, match in enumerate(starts)
    ]
    channels = _merge(rows)
    status = "raw" if any(row.time_status == "raw" for row in rows) else "parsed"
    fee_statuses = {row.fee_status for row in rows}
    fee_status = (
        "raw" if "raw" in fee_statuses else "parsed" if "parsed" in fee_statuses else "absent"
    )
    return ChannelsResult(channels, status, fee_status)


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

    if free:
        row.fees.append(_free_fee(fee_note))
        if _MONEY_WORDS.search(fee_note):
            row.fee_status = "raw"
    elif fee_text:
        fee, row.fee_status = _amount_fee(fee_text, currency, fee_note)
        row.fees.append(fee)
        if row.time_status == "raw":
            row.fee_status = "raw"
    elif parsed := _fees_in_text(evidence):
        row.fees.extend(parsed)
    else:
        row.fee_status = "absent"
        if fee_note:
            description = f"({fee_note}) {description}".strip()

    if description:
        if row.processing_time is not None:
            row.processing_time["note"] = _join(row.processing_time.get("note", ""), description)
        else:
            row.note = description
    return row


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


def _amount_fee(fee_text: str, currency: str, note: str) -> tuple[dict, str]:
    amount = parse_amount(fee_text)
    if currency == "USD" or amount is None:
        fee = {
            "name": f"{DEFAULT_FEE_NAME}: {fee_text} {currency}",
            "amount": 0,
            "note": _join(f"Chưa quy đổi sang VND: {fee_text} {currency}", note),
        }
        return fee, "raw"
    if amount < 1000 and amount * 1000 in amounts_in(note):
        # The portal sometimes stores amounts in thousands: "20 VNĐ" next to "(20.000 đ/tờ khai)".
        amount *= 1000
    fee: dict = {"name": DEFAULT_FEE_NAME, "amount": amount}
    kind = _fee_kind(note)
    if kind:
        fee["kind"] = kind
    if note:
        fee["note"] = note
    return fee, "parsed"


def _free_fee(note: str) -> dict:
    fee: dict = {"name": "Miễn phí", "amount": 0}
    if _MONEY_WORDS.search(note):
        # "Miễn phí" whose description quotes amounts: keep both, flag for an officer.
        fee["name"] = "Miễn phí (mô tả có nêu mức thu, cần kiểm tra)"
    if note:
        fee["note"] = note
    return fee


def _fees_in_text(text: str) -> list[dict]:
    """Fees written as "Lệ phí : 50.000 Đồng" inside a description."""
    fees = []
    for match in _FEES_IN_TEXT.finditer(text):
        amount = parse_amount(match.group(2))
        if amount is None:
            continue
        label = one_line(match.group(1)).rstrip(" :")
        fee = {"name": label or DEFAULT_FEE_NAME, "amount": amount, "note": one_line(text)}
        kind = _fee_kind(label)
        if kind:
            fee["kind"] = kind
        fees.append(fee)
    return fees


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
