"""What a procedure's facts do not say yet: every place the site, the notice and the paper
would print "Chưa có thông tin" or "Cần kiểm tra", listed for the officer before review.

Pure: a document in, a list of `Gap`s out, each with its JSON pointer, the facts editor's
section it belongs to and the sentence to show. Nothing here refuses a document (an unknown
fact is a value); the list is what to complete or confirm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from form_schemas.review import marks
from form_schemas.wording import TIME_UNITS, channel_name, is_english

# the facts editor's sections: key -> (Vietnamese, English, the facts form's element id)
SECTIONS: dict[str, tuple[str, str, str]] = {
    "general": ("Thông tin chung", "General", "title"),
    "agencies": ("Cơ quan", "Agencies", "agencies"),
    "channels": ("Cách thức, thời hạn và phí, lệ phí", "Channels, times and fees", "channels"),
    "documents": ("Thành phần hồ sơ", "Documents", "documents"),
    "steps": ("Trình tự thực hiện", "Steps", "steps"),
    "results": ("Kết quả", "Results", "results"),
    "legal": ("Căn cứ pháp lý", "Legal basis", "legalBasis"),
}
_SECTION_OF = {"agencies": "agencies", "channels": "channels", "documents": "documents", "steps": "steps",
               "results": "results", "legalBasis": "legal"}


@dataclass(frozen=True)
class Gap:
    pointer: str
    section: str
    vi: str
    en: str

    def text(self, locale: str = "vi") -> str:
        return self.en if is_english(locale) else self.vi


def section_of(pointer: str) -> str:
    """The facts editor's section of a JSON pointer into the document."""
    parts = pointer.strip("/").split("/")
    key = parts[1] if len(parts) > 1 and parts[0] == "x-procedure" else ""
    return _SECTION_OF.get(key, "general")


def _known_amount(fee: Mapping[str, Any]) -> bool:
    amount = fee.get("amount")
    return isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0


def gaps(document: Mapping[str, Any]) -> list[Gap]:
    """Every fact the document does not give yet, in the facts editor's order."""
    facts = document.get("x-procedure") or {}
    found: list[Gap] = []
    if not (facts.get("agencies") or {}).get("competent"):
        found.append(Gap("/x-procedure/agencies/competent", "agencies", "Chưa có cơ quan có thẩm quyền.",
                         "No competent agency yet."))
    for index, channel in enumerate(facts.get("channels") or ()):
        where = f"/x-procedure/channels/{index}"
        mode_vi, mode_en = channel_name(channel.get("mode", ""), "vi"), channel_name(channel.get("mode", ""), "en")
        time = channel.get("processingTime") or {}
        if time.get("unit") not in TIME_UNITS or not isinstance(time.get("value"), int | float):
            found.append(Gap(f"{where}/processingTime", "channels", f"Kênh {mode_vi}: chưa có thời hạn giải quyết.",
                             f"{mode_en}: no processing time yet."))
        fees = channel.get("fees")
        if not fees:
            found.append(Gap(f"{where}/fees", "channels",
                             f"Kênh {mode_vi}: chưa có phí, lệ phí (ghi số tiền 0 nếu miễn phí).",
                             f"{mode_en}: no fees yet (an amount of 0 means free)."))
        for number, fee in enumerate(fees or ()):
            if not _known_amount(fee) and fee.get("basis") in (None, "to_check"):
                name = fee.get("name") or f"khoản {number + 1}"
                found.append(Gap(f"{where}/fees/{number}/amount", "channels",
                                 f"Kênh {mode_vi}: «{name}» chưa có số tiền.", f"{mode_en}: '{name}' has no amount yet."))
    if not facts.get("documents"):
        found.append(Gap("/x-procedure/documents", "documents", "Chưa có thành phần hồ sơ.", "No documents yet."))
    if not facts.get("legalBasis"):
        found.append(Gap("/x-procedure/legalBasis", "legal", "Chưa có căn cứ pháp lý.", "No legal basis yet."))
    said = {gap.pointer for gap in found}
    for mark in marks(document):
        if mark.pointer not in said:  # an absent fact with a mark is said once, above
            found.append(Gap(mark.pointer, section_of(mark.pointer), f"Cần kiểm tra: {mark.reason_label('vi')}.",
                             f"To check: {mark.reason_label('en')}."))
    order = list(SECTIONS)
    return sorted(found, key=lambda gap: order.index(gap.section))
