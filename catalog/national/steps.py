"""Steps ("Trình tự thực hiện") and conditions ("Yêu cầu, điều kiện") split into items."""

from __future__ import annotations

import re

from .text import clean, is_absent, one_line

# "Bước N" starts a step even when glued to the previous one ("…xử lýBước 10 …").
_STEP_MARKER = re.compile(r"(?:[-+*•]\s*)?Bước\s*\d+")
# Cells that say there is nothing ("Không", "Không có"): not an item.
_NOTHING = re.compile(r"^(?:không|không có|không có yêu cầu(?:, điều kiện)?|không yêu cầu)[.;]?$",
                      re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_ITEM_START = re.compile(r"^(?:[-+*•–]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[IVX]+\.)")


SHORT_ITEM = 400


def split_items(text: str | None) -> tuple[list[str], str]:
    """Items of a free-text list: "parsed" (several, or one short one), "raw" (one long block
    that could not be split) or "absent"."""
    if is_absent(text):
        return [], "absent"
    body = clean(text)
    markers = [marker for marker in _STEP_MARKER.finditer(body) if _starts_step(body, marker)]
    if len(markers) >= 2:
        cuts = [0] + [marker.start() for marker in markers] + [len(body)]
        items = [one_line(body[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    else:
        items = _lines(body)
    items = [item for item in items
             if _LETTER.search(item) and not is_absent(item) and not _NOTHING.match(item)]
    if not items:
        return [], "absent"
    single_short = len(items) == 1 and len(items[0]) <= SHORT_ITEM
    return items, "parsed" if len(items) >= 2 or single_short else "raw"


def _starts_step(body: str, marker: re.Match[str]) -> bool:
    """"Bước 2: …", "…xử lýBước 10 Duyệt": a step; "tại Bước 2 nêu trên", "CácBước": prose."""
    before = body[marker.start() - 1] if marker.start() else ""
    if before.isupper() or before.isdigit():
        return False
    after = body[marker.end() :].lstrip(" \t")
    return not after or after[0] in ":.-–)\n" or after[0].isupper() or after[0].isdigit()


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
