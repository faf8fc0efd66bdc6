"""Results ("Kết quả xử lý"): "<name>Mã: KQ.G15.000031" repeated, then page chrome."""

from __future__ import annotations

import re

from .text import is_absent, one_line

_CHROME = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Nộp hồ sơ$")
NO_INFORMATION = "Chưa có thông tin"
_KQ = re.compile(r"KQ\.[A-Z]\d{2}\.\d{5,8}")


def parse_results(text: str | None) -> tuple[list[dict], str]:
    """Results with their codes, and "parsed" / "raw" / "absent"."""
    body = text or ""
    chrome = _CHROME.search(body)
    if chrome:
        body = body[: chrome.start()]
    if is_absent(body):
        return [], "absent"
    results: list[dict] = []
    unnamed = False
    pieces = re.split(r"Mã: ?", body)
    name = _clean_name(pieces[0])
    for piece in pieces[1:]:
        code, rest = _code_and_rest(piece)
        if name or code:
            # A code whose name is only dots ("...Mã: KQ.G01.000279") keeps its code.
            result = {"name": name or NO_INFORMATION}
            if code:
                result["code"] = code
            if not name:
                unnamed = True
            results.append(result)
        name = _clean_name(rest)
    if name and not results:
        return [{"name": name}], "raw"
    if name:
        results.append({"name": name})
    if not results:
        return [], "absent"
    coded = all("code" in result for result in results)
    return results, "parsed" if coded and not unnamed else "raw"


def _clean_name(text: str) -> str:
    """A result's name without bullets or stray dots ("...văn bản trả lời.." → "Văn bản trả
    lời"); a name of punctuation alone is no name."""
    name = one_line(text).lstrip("-+*•–.;:, ").rstrip(" ;,.")
    if not re.search(r"[^\W\d_]", name):
        return ""
    return name[0].upper() + name[1:]


def _code_and_rest(piece: str) -> tuple[str, str]:
    match = _KQ.match(piece)
    if match:
        return match.group(0), piece[match.end() :]
    for marker in ("Chưa xác định rõ", "Chưa xác định"):
        if piece.startswith(marker):
            return "", piece[len(marker) :]
    match = re.match(r"[\w.\-/]+?(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]|$)", piece)
    if match and match.group(0):
        return match.group(0), piece[match.end() :]
    return "", piece
