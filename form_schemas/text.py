"""Accent folding of Vietnamese text, in one place for every layer.

The rule: "đ"/"Đ" become "d"/"D" and every combining mark is dropped (NFKD, per character,
after composing the text: the portal mixes "ẫ" as one code point and as "â" + tilde).
`ascii_fold` keeps case and spacing; `fold` is the search key (lower case, spaces collapsed).
"""

from __future__ import annotations

import unicodedata


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(part for part in decomposed if not unicodedata.combining(part))


_FOLD_TABLE = {code: _fold_char(chr(code)) for code in range(0xC0, 0x2000)}


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics ("Đăng ký" → "Dang ky"); case and spaces kept."""
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Accent- and case-insensitive key: 'Đăng  ký khai sinh' → 'dang ky khai sinh'."""
    return " ".join(ascii_fold(text).lower().split())
