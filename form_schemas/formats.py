"""Custom string formats for Vietnamese identifiers, plus the standard ones we support.

Identifiers are ASCII digits only, matched as a whole (no trailing newline slips through
`$`): full-width or Arabic-Indic digits fail here. The form decoder runs `ascii_digits` (NFKC)
on identifier fields first, so a citizen typing full-width digits is stored as ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from jsonschema import FormatChecker

CITIZEN_ID = re.compile(r"[0-9]{12}")
ID_CARD = re.compile(r"[0-9]{9}|[0-9]{12}")
PHONE = re.compile(r"(0|\+84)(3|5|7|8|9)[0-9]{8}")
TAX_CODE = re.compile(r"[0-9]{10}(-[0-9]{3})?")
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
DMY_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")

CUSTOM_FORMATS = ("vn-citizen-id", "vn-id-card", "vn-phone", "vn-tax-code")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF, CR allowed in text
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # none in keys


def control_character_at(value: Any) -> list[str | int] | None:
    """The path of the first string (or key) in a JSON value holding a control character, or None."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str) and _CONTROL.search(node):
            return path
        if isinstance(node, dict):
            for key, child in node.items():
                if _ANY_CONTROL.search(str(key)):
                    return [*path, key]
                stack.append((child, [*path, key]))
        elif isinstance(node, list):
            stack.extend((child, [*path, i]) for i, child in enumerate(node))
    return None


def ascii_digits(value: str) -> str:
    """NFKC: full-width digits and signs typed by an East Asian keyboard become ASCII."""
    return unicodedata.normalize("NFKC", value)


def is_citizen_id(value: str, today: date | None = None) -> bool:
    """A 12-digit CCCD whose 4th digit (century and sex) fits its 5th–6th (year of birth)."""
    if not CITIZEN_ID.fullmatch(value):
        return False
    century_digit = int(value[3])
    if century_digit > 9:
        return False
    century = 1900 + (century_digit // 2) * 100  # 0/1 → 1900s, 2/3 → 2000s, …
    year = century + int(value[4:6])
    today = today or date.today()
    return 1900 <= year <= today.year


def is_id_card(value: str) -> bool:
    return bool(ID_CARD.fullmatch(value))


def is_phone(value: str) -> bool:
    return bool(PHONE.fullmatch(value))


def is_tax_code(value: str) -> bool:
    return bool(TAX_CODE.fullmatch(value))


def parse_dmy(value: str) -> date | None:
    """Parse a date typed by hand as dd/mm/yyyy; None when it is not one."""
    match = DMY_DATE.match(value)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_iso_date(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


RFC3339_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])")


def is_time(value: str) -> bool:
    """An RFC 3339 full-time, as JSON Schema's `time` format says: 09:30:00+07:00."""
    return bool(RFC3339_TIME.fullmatch(value))


def build_format_checker() -> FormatChecker:
    """The format checker used for procedure documents and citizens' applications."""
    checker = FormatChecker(("date-time", "uri", "regex"))
    checker.checks("email")(lambda v: not isinstance(v, str) or bool(EMAIL.match(v)))
    checker.checks("date")(lambda v: not isinstance(v, str) or _is_iso_date(v))
    checker.checks("time")(lambda v: not isinstance(v, str) or is_time(v))
    checker.checks("vn-citizen-id")(lambda v: not isinstance(v, str) or is_citizen_id(v))
    checker.checks("vn-id-card")(lambda v: not isinstance(v, str) or is_id_card(v))
    checker.checks("vn-phone")(lambda v: not isinstance(v, str) or is_phone(v))
    checker.checks("vn-tax-code")(lambda v: not isinstance(v, str) or is_tax_code(v))
    return checker


FORMAT_CHECKER = build_format_checker()
