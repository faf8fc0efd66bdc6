"""Legal basis ("Căn cứ pháp lý"): "Tên văn bản pháp lýMã văn bản" then title+number pairs.

Each pair ends with the document's number glued to the next title: "…ngày 25/01/2026
40/2026/NĐ-CPLuật số 146/2025/QH15…". A number that is directly followed by another number
is part of its title ("Luật 08/2017/QH14" + "08/2017/QH14").
"""

from __future__ import annotations

import re
from datetime import date

from .text import NO_INFO, is_absent, one_line

HEADER = "Tên văn bản pháp lýMã văn bản"
_NUMBER = re.compile(
    r"(?:(?<![\d/])|(?<=QH\d\d))((?:\d{1,3}\.\d+|\d+)/(?:(\d{4})/)?"
    r"(QH\d{2}|UBTVQH\d{2}|[A-ZĐ]{1,10}(?:/[A-ZĐ]{2,10})?(?:-TTg|-[A-ZĐ]+(?:\d+(?![\d/.]))?)*))"
)
# A year glued to the number that follows it: "… sửa đổi 2023" + "23/2023/QH15".
_GLUED_YEAR = re.compile(r"(?<![\d/.,])((?:19|20)\d\d)(?=\d{1,4}/(?:(?:19|20)\d\d/)?[A-ZĐ])")
# "NĐ- CP", "TT- BTP", "TTLT- BQP": the portal's stray space inside an issuer code.
_SPACED_ISSUER = re.compile(r"(?<=/[A-ZĐ]{2})(-)\s+(?=[A-ZĐ]{2,})|(?<=/[A-ZĐ]{4})(-)\s+(?=[A-ZĐ]{2,})"
                            r"|(?<=/[A-ZĐ]{3})(-)\s+(?=[A-ZĐ]{2,})")
_UNDERSCORE = re.compile(r"(?<=\d)_(?=/)|(?<=/)_(?=\w)")
# "31/2025/TT_BCA": an underscore for the hyphen of an issuer code.
_UNDERSCORE_HYPHEN = re.compile(r"(?<=\d/[A-ZĐ]{2})_(?=[A-ZĐ]{2,})|(?<=\d/[A-ZĐ]{3})_(?=[A-ZĐ]{2,})")
_LABEL_ONLY = re.compile(
    r"^(?:Luật|Luất|Thông tư(?: liên tịch)?|Nghị định|Nghị quyết|Quyết định|Pháp lệnh|Văn bản)"
    r"(?: số)?$|^số$", re.IGNORECASE,
)
# A date glued to the number that follows it: "ngày 25/01/202640/2026/NĐ-CP".
_GLUED_DATE = re.compile(r"((?:/|năm )\d{4})(?=\d{1,4}(?:\.\d+)?/\d{4}/[A-ZĐ])")
_ISSUERS: dict[str, str] = {
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "NĐ-CP": "Chính phủ",
    "NQ-CP": "Chính phủ",
    "QĐ-TTg": "Thủ tướng Chính phủ",
    "TT-BTC": "Bộ Tài chính",
    "TT-BTP": "Bộ Tư pháp",
    "TT-BCA": "Bộ Công an",
    "TT-BXD": "Bộ Xây dựng",
    "TT-NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TT-BNNMT": "Bộ Nông nghiệp và Môi trường",
    "TT-BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "TT-BTNMT": "Bộ Tài nguyên và Môi trường",
    "TT-BGTVT": "Bộ Giao thông vận tải",
    "TT-BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "TT-BCT": "Bộ Công Thương",
    "TT-BYT": "Bộ Y tế",
    "TT-BQP": "Bộ Quốc phòng",
    "TT-BNV": "Bộ Nội vụ",
    "TT-BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "TT-BTTTT": "Bộ Thông tin và Truyền thông",
    "TT-BGDĐT": "Bộ Giáo dục và Đào tạo",
    "TT-BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "TT-BKHCN": "Bộ Khoa học và Công nghệ",
    "TT-BNG": "Bộ Ngoại giao",
    "NQ-HĐTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
}
# The number cell sometimes repeats the kind: "…thú yThông tư số 03/2026/TT-BNNMT".
_LABELS = r"(?:Luật|Luất|Thông tư(?: liên tịch)?|Nghị định|Nghị quyết|Quyết định|Pháp lệnh)"
_NUMBER_LABEL = re.compile(rf"(?<=[^\s(]){_LABELS}(?:\s+số)?$|(?<=\S)\s+{_LABELS}\s+số$")
_DMY = re.compile(r"ngày (\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_WORDY = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def parse_legal_basis(text: str | None) -> tuple[list[dict], str]:
    """Legal documents with number, title and, when clear, issuer and date."""
    body = (text or "").strip()
    if body.startswith(HEADER):
        body = body[len(HEADER) :]
    if is_absent(body) or body.startswith(NO_INFO):
        return [], "absent"
    body = _normalise(body)
    items: list[dict] = []
    position = 0
    for match in _NUMBER.finditer(body):
        number = _trim_number(match, body)
        end = match.start() + len(number)
        following = body[end : end + 1]
        preceding = body[match.start() - 1 : match.start()]
        glued_before = not preceding or not (preceding.isspace() or preceding == "(")
        inside = following and not following.isalpha() and not (
            glued_before and not following.isdigit()
        )
        if inside and not _ends_before_a_repeated_number(body, number, end):
            continue
        pending = one_line(body[position : match.start()]).strip(" ;,.-:")
        if following.islower() and (not pending or _LABEL_ONLY.match(pending)):
            # "Thông tư số 53/2025/TT-BCAngày 01/7/2025 …": the number is inside the title.
            continue
        title = _NUMBER_LABEL.sub("", pending).strip(" ;,.-:")
        position = end
        items.append(_item(title or number, number))
    leftover = one_line(body[position:]).strip(" ;,.-:")
    if leftover and not _LABEL_ONLY.match(leftover):
        items.append({"title": leftover})
    items = _merge_label_fragments(items)
    if not items:
        return [{"title": one_line(body)}], "raw"
    status = "parsed" if all("number" in item for item in items) else "raw"
    return items, status


def _ends_before_a_repeated_number(body: str, number: str, end: int) -> bool:
    """"…cách mạng04/2012/UBTVQH13" + "26/2005/PL-UBTVQH11 - Ưu đãi…26/2005/PL-UBTVQH11": the
    first number ends its item when the one glued after it is another number that the next
    title repeats; "Luật 08/2017/QH14" + "08/2017/QH14" is one title and its number."""
    following = _NUMBER.match(body, end)
    if following is None or following.group(1) == number:
        return False
    return body.count(following.group(1), following.end()) >= 1


def _normalise(body: str) -> str:
    """Glued dates and years split off, stray spaces and underscores inside numbers removed."""
    body = _GLUED_DATE.sub(r"\1;", body)
    body = _GLUED_YEAR.sub(r"\1;", body)
    body = _SPACED_ISSUER.sub("-", body)
    body = _UNDERSCORE_HYPHEN.sub("-", body)
    return _UNDERSCORE.sub("", body)


def _merge_label_fragments(items: list[dict]) -> list[dict]:
    """A title that is only a label ("Luật", "Thông tư số") belongs to the number after it,
    and one law written twice in a row (title, then number) is one item."""
    merged: list[dict] = []
    for item in items:
        same = bool(merged) and item.get("number") and merged[-1].get("number") == item["number"]
        if not same:
            merged.append(item)
            continue
        # "26/2005/PL-UBTVQH11 - Ưu đãi …" then "26/2005/PL-UBTVQH11": one law, not two.
        # The title that says more is kept, unless it is only a label and the number.
        previous = merged[-1]
        labels = [_LABEL_ONLY.match(one["title"].replace(one["number"], "").strip(" -"))
                  for one in (previous, item)]
        keep_new = not labels[1] and (labels[0] or len(item["title"]) > len(previous["title"]))
        if keep_new:
            merged[-1] = item
    return merged


def _trim_number(match: re.Match[str], body: str) -> str:
    """Give back the capitals that start the next title: "NĐ-CPNghị" → "NĐ-CP"."""
    number, kind = match.group(1), match.group(3)
    after = body[match.end() : match.end() + 1]
    if kind.startswith(("QH", "UBTVQH")) or kind.endswith("TTg") or kind in _ISSUERS:
        return number
    head, _, last = kind.rpartition("-")
    for cut in range(len(last) - 1, 1, -1):
        # "TT-BNNMTQUY ĐỊNH…": a known issuer followed by the capitals of the next title.
        if f"{head}-{last[:cut]}" in _ISSUERS and (after.isalpha() or len(last) - cut >= 2):
            return number[: len(number) - (len(last) - cut)]
    if not after.isalpha():
        return number
    if after.islower() and head and len(last) > 1:
        return number[:-1]
    return number


def _item(title: str, number: str) -> dict:
    """One legal document; a title that is only a label ("Nghị định") gets its number."""
    if _LABEL_ONLY.match(title):
        title = f"{title} {number}"
    # "53/2025/TT-BCAngày 01/7/2025": the portal lost the space after the number.
    at = title.find(number)
    end = at + len(number)
    if at >= 0 and title[end : end + 1].islower():
        title = f"{title[:end]} {title[end:]}"
    item: dict = {"title": title, "number": number}
    kind = number.split("/")[-1]
    issuer = _ISSUERS.get("QH" if kind.startswith("QH") else kind)
    if issuer is None and kind.startswith("UBTVQH"):
        issuer = _ISSUERS["UBTVQH"]
    if issuer:
        item["issuer"] = issuer
    issued = _issued_on(title, number)
    if issued:
        item["issuedOn"] = issued
    return item


def _issued_on(title: str, number: str) -> str | None:
    """The date written right after the number in the title, if its year agrees."""
    at = title.find(number)
    if at < 0:
        return None
    after = title[at + len(number) : at + len(number) + 40]
    match = _DMY.match(after.lstrip(" ,")) or _WORDY.match(after.lstrip(" ,"))
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    parts = number.split("/")
    if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) != year:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
