"""Amounts of money as the portal writes them: "2,500,000", "50.000", "1.000.000"."""

from __future__ import annotations

import re

AMOUNT_TEXT = r"\d{1,3}(?:[.,]\d{3})+|\d+"
_AMOUNT = re.compile(AMOUNT_TEXT)
# Amounts written inside free text, e.g. "(20.000 vnđ/tờ khai)" or "100.000 đồng/lần".
_AMOUNTS_IN_TEXT = re.compile(r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+|\d{4,})(?![\d/])")


def parse_amount(text: str) -> int | None:
    """The integer value of "2,500,000", "50.000" or "120"; None when it is not an amount."""
    text = text.strip()
    if not _AMOUNT.fullmatch(text):
        return None
    return int(re.sub(r"[.,]", "", text))


def amounts_in(text: str) -> set[int]:
    """Every amount of money (≥ 1,000 or with thousands separators) found in free text."""
    return {int(re.sub(r"[.,]", "", m.group(1))) for m in _AMOUNTS_IN_TEXT.finditer(text)}
