"""Steps ("Trình tự thực hiện") and conditions ("Yêu cầu, điều kiện") split into items."""

from __future__ import annotations

import re

from .text import clean, is_absent, one_line

# "Bước N" starts a step even when glued to the previous one ("…xử lýBước 10 …"); a capital
# or digit right before it means it is part of a word or a number.
_STEP_MARKER = re.compile(r"(?:(?<=[^\dA-ZĐÀ-Ỹ])|^)(?:[-+*•]\s*)?Bước\s*\d+")
# Cells that say there is nothing ("Không", "Không có"): not an item.
_NOTHING = re.compile(r"^(?:không|không có|không có yêu cầu(?:, điều kiện)?|không yêu cầu)[.;]?$",
                      re.IGNORECASE)
_ITEM_START = re.compile(r"^(?:[-+*•–]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[IVX]+\.)")


SHORT_ITEM = 400


def split_items(text: str | None, *, steps: bool = False) -> tuple[list[str], str]:
    """Items of a free-text list: "parsed" (several, or one short one), "raw" (one long block
    that could not be split) or "absent"."""
    if is_absent(text):
        return [], "absent"
    body = clean(text)
    markers = list(_STEP_MARKER.finditer(body))
    if len(markers) >= 2:
        cuts = [0] + [marker.start() for marker in markers] + [len(body)]
        items = [one_line(body[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    else:
        items = _lines(body)
    items = [item for item in items if item and not is_absent(item) and not _NOTHING.match(item)]
    if not items:
        return [], "absent"
    single_short = len(items) == 1 and len(items[0]) <= SHORT_ITEM
    return items, "parsed" if len(items) >= 2 or single_short else "raw"


def _lines(body: str) -> list[str]:
    """One item per line; a line that starts in lower case continues the previous item."""
    items: list[str] = []
    for line in body.split("\n"):
        line = line.strip()
        if not line:
            continue
        continues = items and line[0].islower() and not _ITEM_START.match(line)
        if continues:
            items[-1] = f"{items[-1]} {line}"
        else:
            items.append(line)
    return [one_line(item) for item in items]
