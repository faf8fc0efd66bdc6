"""Small valid procedure documents to build tests from."""

from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Đăng ký khai sinh",
    "description": "Đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam.",
    "type": "object",
    "properties": {
        "applicant": {
            "type": "object",
            "title": "Người yêu cầu",
            "properties": {
                "full_name": {"type": "string", "title": "Họ, chữ đệm, tên", "minLength": 2, "maxLength": 100},
                "citizen_id": {"type": "string", "title": "Số định danh cá nhân", "format": "vn-citizen-id"},
                "phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
            },
            "required": ["full_name", "citizen_id", "phone"],
        },
        "attachments": {
            "type": "object",
            "title": "Giấy tờ kèm theo",
            "properties": {
                "birth_certificate": {
                    "type": "string", "title": "Giấy chứng sinh", "x-widget": "file",
                    "contentMediaType": "application/pdf,image/jpeg,image/png", "x-maxBytes": 5242880,
                }
            },
            "required": ["birth_certificate"],
        },
    },
    "required": ["applicant", "attachments"],
    "x-procedure": {
        "code": "1.001193",
        "sector": "Hộ tịch",
        "levels": ["commune"],
        "subjects": ["Công dân Việt Nam"],
        "agencies": {"competent": "Ủy ban nhân dân cấp xã"},
        "onlineService": {"level": 4},
        "channels": [
            {"mode": "in_person", "processingTime": {"value": 1, "unit": "working_days"},
             "sameDayCutoff": "15:00", "fees": [{"name": "Lệ phí", "amount": 0, "kind": "charge"}]},
            {"mode": "online", "processingTime": {"value": 1, "unit": "working_days"},
             "fees": [{"name": "Lệ phí", "amount": 10000, "kind": "charge"}]},
        ],
        "documents": [
            {"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "copies": 0,
             "field": "attachments.birth_certificate"},
        ],
        "steps": ["Nộp hồ sơ", "Nhận kết quả"],
        "results": [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}],
        "legalBasis": [{"number": "60/2014/QH13", "title": "Luật Hộ tịch", "issuedOn": "2014-11-20"}],
        "publication": {"decision": "163/QĐ-BTP", "date": "2025-01-20"},
        "effectiveFrom": "2025-02-01",
    },
}


def document(code: str = "1.001193", **changes: Any) -> dict[str, Any]:
    """A valid document; top-level keys in `changes` replace the base ones."""
    doc = copy.deepcopy(BASE)
    doc["x-procedure"]["code"] = code
    doc.update(changes)
    return doc
