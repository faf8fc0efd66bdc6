"""One national record → one procedure document, with the parse status of every part."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field

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
PARSED, RAW, ABSENT = "parsed", "raw", "absent"
MISSING_STEPS = "Chưa có thông tin về trình tự thực hiện (cần bổ sung)"
MISSING_RESULT = "Chưa có thông tin về kết quả giải quyết (cần bổ sung)"
DOCUMENT_NOTE_PREFIX = "Lưu ý về thành phần hồ sơ: "


@dataclass
class Conversion:
    """A converted procedure document and, per part, "parsed" | "raw" | "absent"."""

    code: str
    document: dict
    parts: dict[str, str] = field(default_factory=dict)
    source_hash: str = ""


def record_hash(record: dict) -> str:
    """SHA-256 of a national record as published (keys sorted), to tell a changed record."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def convert_record(record: dict) -> Conversion:
    """Convert one record of the national catalogue into a procedure document."""
    source_hash = record_hash(record)
    record = {key: _nfc(value) for key, value in record.items() if key != "raw_text"}
    parts: dict[str, str] = {}
    code = one_line(record.get("ma_thu_tuc"))

    channels_result = parse_channels(record.get("cach_thuc_thuc_hien"))
    parts["channels"], parts["fees"] = channels_result.status, channels_result.fee_status
    channels = channels_result.channels or [{"mode": "in_person"}]

    documents_result = parse_documents(record.get("thanh_phan_ho_so"))
    parts["documents"] = documents_result.status
    results, parts["results"] = parse_results(record.get("ket_qua_xu_ly"))
    legal_basis, parts["legal_basis"] = parse_legal_basis(record.get("can_cu_phap_ly"))
    steps, parts["steps"] = split_items(record.get("trinh_tu_thuc_hien"))
    conditions, parts["conditions"] = split_items(record.get("yeu_cau_dieu_kien"))
    levels, parts["levels"] = parse_levels(record.get("cap_thuc_hien"))
    subjects, parts["subjects"] = parse_subjects(record.get("doi_tuong_thuc_hien"))
    agencies, parts["agencies"] = parse_agencies(record)
    publication, parts["publication"] = parse_publication(record.get("so_quyet_dinh"))

    online = any(channel["mode"] == "online" for channel in channels)
    procedure: dict = {
        "code": code,
        "sector": one_line(record.get("linh_vuc")) or "Chưa phân loại",
        "levels": levels or ["other"],
        "agencies": agencies,
        "onlineService": {"level": 3, "mode": "partial"} if online else {"level": 1, "mode": "info"},
        "channels": channels,
        "documents": documents_result.documents,
        "steps": steps or [MISSING_STEPS],
        "results": results or [{"name": MISSING_RESULT}],
    }
    if subjects:
        procedure["subjects"] = subjects
    notes = [DOCUMENT_NOTE_PREFIX + note for note in documents_result.notes]
    if conditions or notes:
        procedure["conditions"] = conditions + notes
    if legal_basis:
        procedure["legalBasis"] = legal_basis
    if publication:
        procedure["publication"] = publication

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
    return Conversion(code=code, document=document, parts=parts, source_hash=source_hash)


def _nfc(value: object) -> object:
    """Composed Unicode: the portal mixes "ẫ" as one code point and as "â" + combining tilde."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
