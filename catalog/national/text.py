"""Small text helpers shared by the national-record parsers."""

from __future__ import annotations

import re

from form_schemas.text import ascii_fold

NO_INFO = "Không có thông tin"
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean(text: str | None) -> str:
    """Collapse runs of spaces, trim every line and drop empty lines at both ends."""
    if not text:
        return ""
    text = _SPACES.sub(" ", text.replace("\r", ""))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", text).strip()


def one_line(text: str | None) -> str:
    """The text on a single line with single spaces."""
    return " ".join((text or "").split())


def is_absent(text: str | None) -> bool:
    """True for empty cells, the portal's "Không có thông tin" and bare dashes."""
    value = one_line(text).strip(" -.:")
    return not value or value.casefold() == NO_INFO.casefold()




def slugify(text: str, *, max_words: int = 6, max_length: int = 40) -> str:
    """An identifier `^[a-z][a-z0-9_]*$` made from the first words of a Vietnamese name."""
    # Only the head of the name matters; folding a 5,000-character name would be wasted work.
    words = re.findall(r"[a-z0-9]+", ascii_fold(text[: max_length * 4]).lower())
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}_{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug:
        slug = "item"
    if not slug[0].isalpha():
        slug = f"doc_{slug}"
    return slug


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, or `base_2`, `base_3`… whichever is not yet in `taken` (which is updated)."""
    name, counter = base, 1
    while name in taken:
        counter += 1
        name = f"{base}_{counter}"
    taken.add(name)
    return name


def shorten(text: str, limit: int = 150) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}…"
