"""One national record → one procedure document, with the parse status of every part."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field

from form_schemas.review import REASONS, facts_pointer

from .channels import parse_channels
from .documents import parse_documents
from .form import build_form
from .legal import parse_legal_basis
from .meta import parse_agencies, parse_levels, parse_publication, parse_subjects
from .results import parse_results
from .steps import split_items
from .text import is_absent, one_line

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
PARTS = (
    "channels",
    "fees",
    "documents",
    "results",
    "legal_basis",
    "steps",
    "conditions",
    "levels",
    "subjects",
    "agencies",
    "publication",
)
PARSED, INFERRED, TO_CHECK, RAW, ABSENT = "parsed", "inferred", "to_check", "raw", "absent"
STATUSES = (PARSED, INFERRED, TO_CHECK, RAW, ABSENT)
NO_INFORMATION = "Chưa có thông tin"
DOCUMENT_NOTE_PREFIX = "Lưu ý về thành phần hồ sơ: "
# Which part a mark's place belongs to, by the first step of its pointer inside x-procedure.
_PART_OF_PLACE = {
    "agencies": "agencies",
    "documents": "documents",
    "results": "results",
    "legalBasis": "legal_basis",
    "steps": "steps",
    "conditions": "conditions",
    "levels": "levels",
    "publication": "publication",
}


@dataclass
class Conversion:
    """A converted procedure document and, per part, its status and the reason for it.

    Statuses: "parsed" (read with confidence), "inferred" (derived, marked for review),
    "to_check" (the source is unclear; marked), "raw" (kept as source text), "absent".
    """

    code: str
    document: dict
    parts: dict[str, str] = field(default_factory=dict)
    source_hash: str = ""
    reasons: dict[str, str] = field(default_factory=dict)


def record_hash(record: dict) -> str:
    """SHA-256 of a national record as published (keys sorted), to tell a changed record."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def convert_record(record: dict) -> Conversion:
    """Convert one record of the national catalogue into a procedure document."""
    source_hash = record_hash(record)
    record = {key: _nfc(value) for key, value in record.items() if key != "raw_text"}
    parts: dict[str, str] = {}
    reasons: dict[str, str] = {}
    review: list[dict] = []
    code = one_line(record.get("ma_thu_tuc"))

    channels_result = parse_channels(record.get("cach_thuc_thuc_hien"))
    parts["channels"], parts["fees"] = channels_result.status, channels_result.fee_status
    reasons["channels"], reasons["fees"] = channels_result.reason, channels_result.fee_reason
    channels = channels_result.channels or [{"mode": "in_person"}]

    documents_result = parse_documents(record.get("thanh_phan_ho_so"))
    parts["documents"], reasons["documents"] = documents_result.status, documents_result.reason
    results, parts["results"] = parse_results(record.get("ket_qua_xu_ly"))
    legal_basis, parts["legal_basis"] = parse_legal_basis(record.get("can_cu_phap_ly"))
    steps, parts["steps"] = split_items(record.get("trinh_tu_thuc_hien"))
    conditions, parts["conditions"] = split_items(record.get("yeu_cau_dieu_kien"))
    levels, parts["levels"] = parse_levels(record.get("cap_thuc_hien"))
    subjects, parts["subjects"] = parse_subjects(record.get("doi_tuong_thuc_hien"))
    agencies, parts["agencies"], agency_marks = parse_agencies(record)
    publication, parts["publication"] = parse_publication(record.get("so_quyet_dinh"))

    for mark in agency_marks:
        review.append({**mark, "pointer": facts_pointer("agencies", mark["pointer"])})
    if not steps:
        steps = [NO_INFORMATION]
        review.append(_mark(("steps",), "to_check", "steps_absent"))
    elif parts["steps"] == RAW:
        review.append(_mark(("steps",), "to_check", "steps_unparsed"))
    if not results:
        results = [{"name": NO_INFORMATION}]
        review.append(_mark(("results",), "to_check", "result_absent"))
    elif parts["results"] == RAW:
        review.append(_mark(("results",), "to_check", "results_unparsed"))
    if parts["conditions"] == RAW:
        review.append(_mark(("conditions",), "to_check", "conditions_unparsed"))
    if parts["legal_basis"] == RAW:
        review.append(_mark(("legalBasis",), "to_check", "legal_basis_unparsed"))
    if parts["levels"] == RAW or not levels:
        review.append(_mark(("levels",), "to_check", "level_unclear"))
    if parts["publication"] == RAW:
        review.append(_mark(("publication", "decision"), "to_check", "publication_unclear",
                            one_line(record.get("so_quyet_dinh"))))

    online = any(channel["mode"] == "online" for channel in channels)
    procedure: dict = {
        "code": code,
        "sector": one_line(record.get("linh_vuc")) or "Chưa phân loại",
        "levels": levels or ["other"],
        "agencies": agencies,
        "onlineService": {"level": 3, "mode": "partial"} if online else {"level": 1, "mode": "info"},
        "channels": channels,
        "documents": documents_result.documents,
        "steps": steps,
        "results": results,
    }
    review.extend(_channel_marks(channels))
    review.extend(_document_marks(procedure["documents"]))
    if parts["documents"] == RAW:
        review.append(_mark(("documents",), "to_check", "documents_unparsed"))
    elif parts["documents"] == TO_CHECK:
        review.append(_mark(("documents",), "to_check", "documents_zero_counts"))
    if subjects:
        procedure["subjects"] = subjects
    notes = [DOCUMENT_NOTE_PREFIX + note for note in documents_result.notes]
    if conditions or notes:
        procedure["conditions"] = conditions + notes
    if legal_basis:
        procedure["legalBasis"] = legal_basis
    if publication:
        procedure["publication"] = publication
    if review:
        procedure["review"] = review

    _grade(parts, reasons, review)
    properties, required = build_form(subjects, procedure["documents"])
    document: dict = {
        "$schema": SCHEMA_URI,
        "title": one_line(record.get("ten_thu_tuc")) or code,
        "type": "object",
        "properties": properties,
        "required": required,
        "x-procedure": procedure,
    }
    url = record.get("detail_url")
    if not is_absent(url):
        document["$comment"] = f"Nhập từ Cổng Dịch vụ công quốc gia: {url}"
    return Conversion(code=code, document=document, parts=parts, source_hash=source_hash,
                      reasons=reasons)


def _mark(path: tuple, kind: str, reason: str, source: str = "") -> dict:
    mark = {"pointer": facts_pointer(*path), "kind": kind, "reason": reason}
    if source:
        mark["source"] = source
    return mark


def _pop_marks(value: dict, path: tuple) -> list[dict]:
    """The marks a parser attached to `value` (under "_review"), now with their pointer."""
    return [{**mark, "pointer": facts_pointer(*path)} for mark in value.pop("_review", ())]


def _channel_marks(channels: list[dict]) -> list[dict]:
    """Marks on processing times and fees; a time with no unit and no mark is to check."""
    found: list[dict] = []
    for i, channel in enumerate(channels):
        time = channel.get("processingTime")
        if time is not None:
            place = ("channels", i, "processingTime")
            own = _pop_marks(time, place)
            if not own and time["unit"] == "unknown":
                own = [_mark((*place, "unit"), "to_check", "time_unit_unknown")]
            found.extend(own)
        for j, fee in enumerate(channel.get("fees", ())):
            found.extend(_pop_marks(fee, ("channels", i, "fees", j)))
    return found


def _document_marks(documents: list[dict]) -> list[dict]:
    found: list[dict] = []
    for i, document in enumerate(documents):
        found.extend(_pop_marks(document, ("documents", i)))
    return found


def _grade(parts: dict[str, str], reasons: dict[str, str], review: list[dict]) -> None:
    """Lower each part's status to what its marks say, and give every part its reason.

    A part the parser read is "parsed" only when nothing in it is marked: a mark to check
    makes it "to_check", an inferred mark "inferred". "raw" and "absent" stay as they are.
    """
    marked: dict[str, list[dict]] = {}
    for mark in review:
        steps = mark["pointer"].split("/")
        place = steps[2] if len(steps) > 2 else ""
        part = _PART_OF_PLACE.get(place)
        if place == "channels":
            part = "fees" if "fees" in steps else "channels"
        if part:
            marked.setdefault(part, []).append(mark)
    for part, status in parts.items():
        marks = marked.get(part, [])
        if status in (PARSED, INFERRED, TO_CHECK) and marks:
            kinds = {mark["kind"] for mark in marks}
            status = TO_CHECK if TO_CHECK in kinds or status == TO_CHECK else INFERRED
            parts[part] = status
        reason = reasons.get(part, "")
        if not reason and marks:
            reason = REASONS.get(marks[0]["reason"], (marks[0]["reason"],) * 2)[1].lower()
        if status == ABSENT and not reason:
            reason = "not in the source"
        if status == RAW and not reason:
            reason = "kept as the source text"
        reasons[part] = f"{status}: {reason}" if reason else status


def _nfc(value: object) -> object:
    """Composed Unicode: the portal mixes "ẫ" as one code point and as "â" + combining tilde."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
