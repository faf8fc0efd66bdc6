"""Accent folding of Vietnamese text, in one place for every layer.

The rule: "đ"/"Đ" become "d"/"D" and every combining mark is dropped (NFKD, per character,
after composing the text: the portal mixes "ẫ" as one code point and as "â" + tilde).
`ascii_fold` keeps case and spacing; `fold` is the search key (lower case, spaces collapsed);
`search_words` splits that key into the words full-text search indexes, with one spelling for
"ký/kí", "lý/lí" (a final "y" after a consonant is written "i").
"""

from __future__ import annotations

import re
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


_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = set("aeiou")


def _spelling(word: str) -> str:
    """One spelling for the words written with a final "y" or "i" ("ký"/"kí", "lý"/"lí", "quy"/"qui"):
    a final "y" after a consonant (or in "quy") becomes "i"; "ay", "uy" (as in "huy") stay."""
    if len(word) >= 2 and word.endswith("y") and (word[-2] not in _VOWELS or word.endswith("quy")):
        return word[:-1] + "i"
    return word


def search_words(text: str) -> list[str]:
    """The words search compares, from `fold`: letters and digits only, and one spelling of the
    "y/i" endings ('Đăng ký (lại)' → ['dang', 'ki', 'lai']). Index and query both go through it."""
    return [_spelling(word) for word in _WORD.findall(fold(text))]
