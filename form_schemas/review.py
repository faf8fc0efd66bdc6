"""Provenance of a procedure's facts: which values are inferred and which are still to check.

A document lists its uncertain facts in `x-procedure.review`: each mark names the place by
JSON pointer (`/x-procedure/agencies/competent`), says whether the value was `inferred` (the
importer derived it, e.g. the competent agency copied from the implementing one) or is
`to_check` (the source was unclear or gave nothing), gives a reason code and, when there is
one, the source text it came from. Every output asks this module, so the site, the back
office, the API and the paper show the same "Cần kiểm tra" beside the same values.
A fact with no mark is a checked fact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

INFERRED, TO_CHECK = "inferred", "to_check"

# reason code → (vi, en). Unknown codes are shown with the generic label.
REASONS: dict[str, tuple[str, str]] = {
    "competent_from_implementing": (
        "Cơ quan có thẩm quyền suy ra từ cơ quan thực hiện",
        "Competent agency inferred from the implementing agency",
    ),
    "competent_absent": (
        "Nguồn không ghi cơ quan có thẩm quyền",
        "The source names no competent agency",
    ),
    "fee_no_amount": ("Ô phí, lệ phí không ghi số tiền", "The fee cell gives no amount"),
    "fee_set_by_province": (
        "Mức thu do Hội đồng nhân dân cấp tỉnh quy định",
        "Amount set by the provincial council",
    ),
    "fee_free_but_described": (
        "Ghi «Miễn phí» nhưng phần mô tả nêu mức thu",
        "Marked free but the description states a charge",
    ),
    "fee_thousands": (
        "Số tiền ghi theo nghìn đồng, đã quy đổi",
        "Amount written in thousands of đồng, converted",
    ),
    "fee_currency_from_description": (
        "Đơn vị tiền tệ lấy từ phần mô tả (ô phí ghi VNĐ)",
        "Currency taken from the description (the fee cell says VNĐ)",
    ),
    "fee_unclear": ("Không đọc được mức thu từ nguồn", "The amount could not be read from the source"),
    "time_unit_from_description": (
        "Đơn vị thời hạn lấy từ phần mô tả",
        "Time unit taken from the description",
    ),
    "time_unit_unknown": ("Nguồn không ghi đơn vị thời hạn", "The source gives no time unit"),
    "time_glued_to_fee": (
        "Ô thời hạn dính liền với ô phí, lệ phí",
        "The time cell is glued to the fee cell",
    ),
    "documents_unparsed": (
        "Không tách được thành phần hồ sơ",
        "The documents could not be split",
    ),
    "document_count_from_name": (
        "Số bản lấy từ tên giấy tờ (ô số lượng ghi 0)",
        "Number of copies taken from the document's name (the count cell says 0)",
    ),
    "documents_zero_counts": (
        "Mọi giấy tờ đều ghi 0 bản: là ghi chú hay giấy tờ cần nộp?",
        "Every entry says 0 copies: notes or documents to hand in?",
    ),
    "document_unclear": ("Giấy tờ cần kiểm tra lại", "A document needs checking"),
    "legal_basis_unparsed": (
        "Không tách được căn cứ pháp lý",
        "The legal basis could not be split",
    ),
    "steps_unparsed": ("Không tách được trình tự thực hiện", "The steps could not be split"),
    "results_unparsed": (
        "Không tách được kết quả và mã kết quả",
        "The results and their codes could not be split",
    ),
    "conditions_unparsed": (
        "Không tách được yêu cầu, điều kiện",
        "The conditions could not be split",
    ),
    "result_absent": ("Nguồn không ghi kết quả", "The source gives no result"),
    "steps_absent": ("Nguồn không ghi trình tự thực hiện", "The source gives no steps"),
    "level_unclear": ("Cấp thực hiện không rõ", "The level is unclear"),
    "agency_unreadable": (
        "Ô cơ quan chứa văn bản khác, không đọc được tên cơ quan",
        "The agency cell holds other text; no agency name could be read",
    ),
    "competent_not_entered": ("Chưa nhập cơ quan có thẩm quyền", "No competent agency entered yet"),
    "steps_not_entered": (
        "Trình tự mẫu khi tạo thủ tục, chưa nhập theo quy định",
        "Placeholder steps from creation, not entered yet",
    ),
    "results_not_entered": (
        "Kết quả đặt theo tên thủ tục khi tạo, chưa nhập",
        "Result named after the procedure at creation, not entered yet",
    ),
    "publication_unclear": (
        "Số quyết định công bố không đúng dạng",
        "The announcing decision is not in the usual form",
    ),
}
GENERIC_REASON = ("Cần kiểm tra", "To check")
KIND_LABELS: dict[str, tuple[str, str]] = {
    INFERRED: ("Suy ra, cần kiểm tra", "Inferred, to check"),
    TO_CHECK: ("Cần kiểm tra", "To check"),
}


@dataclass(frozen=True)
class Mark:
    """One review mark: where, inferred or to check, why, and the source text."""

    pointer: str
    kind: str
    reason: str
    source: str = ""
    note: str = ""

    def reason_label(self, locale: str = "vi") -> str:
        """The reason in words, Vietnamese or English."""
        return _pick(REASONS.get(self.reason, GENERIC_REASON), locale)

    def kind_label(self, locale: str = "vi") -> str:
        """"Suy ra, cần kiểm tra" or "Cần kiểm tra"."""
        return _pick(KIND_LABELS.get(self.kind, KIND_LABELS[TO_CHECK]), locale)

    def as_dict(self) -> dict[str, str]:
        """The mark as stored in `x-procedure.review`."""
        item = {"pointer": self.pointer, "kind": self.kind, "reason": self.reason}
        if self.source:
            item["source"] = self.source
        if self.note:
            item["note"] = self.note
        return item


def marks(document: Mapping[str, Any]) -> list[Mark]:
    """Every review mark of a document, in document order."""
    facts = document.get("x-procedure") if isinstance(document, Mapping) else None
    items = facts.get("review") if isinstance(facts, Mapping) else None
    found = []
    for item in items or ():
        if isinstance(item, Mapping) and isinstance(item.get("pointer"), str):
            found.append(Mark(
                pointer=item["pointer"], kind=str(item.get("kind", TO_CHECK)),
                reason=str(item.get("reason", "")), source=str(item.get("source", "")),
                note=str(item.get("note", "")),
            ))
    return found


def marks_by_pointer(document: Mapping[str, Any]) -> dict[str, Mark]:
    """Marks keyed by pointer (the first mark wins when a pointer is marked twice)."""
    found: dict[str, Mark] = {}
    for mark in marks(document):
        found.setdefault(mark.pointer, mark)
    return found


def mark_at(document: Mapping[str, Any], pointer: str) -> Mark | None:
    """The mark on `pointer` or on a place that contains it, else None (a checked fact)."""
    by_pointer = marks_by_pointer(document)
    place = pointer
    while place:
        if place in by_pointer:
            return by_pointer[place]
        place = place.rpartition("/")[0]
    return None


def facts_pointer(*path: str | int) -> str:
    """The pointer of a place inside `x-procedure`: ("agencies", "competent") → "/x-procedure/…"."""
    return "/x-procedure/" + "/".join(
        str(part).replace("~", "~0").replace("/", "~1") for part in path
    )


def without_marks(document: dict[str, Any], pointers: Iterable[str]) -> dict[str, Any]:
    """A copy of `document` whose review list no longer has marks on `pointers` (confirmed)."""
    gone = set(pointers)
    facts = dict(document.get("x-procedure") or {})
    kept = [item for item in facts.get("review") or () if item.get("pointer") not in gone]
    if kept:
        facts["review"] = kept
    else:
        facts.pop("review", None)
    return {**document, "x-procedure": facts}


def _pick(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale.startswith("en") else pair[0]
