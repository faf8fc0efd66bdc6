"""Realistic procedure documents used by the form engine tests."""

from __future__ import annotations

import copy
from typing import Any

PROCEDURE = {
    "code": "1.001193",
    "sector": "Hộ tịch",
    "levels": ["commune"],
    "agencies": {"competent": "Ủy ban nhân dân cấp xã"},
    "onlineService": {"level": 4},
    "channels": [{"mode": "online", "processingTime": {"value": 1, "unit": "working_days"}}],
    "documents": [
        {"id": "to_khai", "name": "Tờ khai đăng ký khai sinh", "originals": 1, "field": "declaration_scan"}
    ],
    "steps": ["Nộp hồ sơ", "Nhận kết quả"],
    "results": [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}],
}

BIRTH_REGISTRATION: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Đăng ký khai sinh",
    "type": "object",
    "x-procedure": PROCEDURE,
    "$defs": {
        "person": {
            "type": "object",
            "title": "Người",
            "required": ["full_name", "citizen_id"],
            "properties": {
                "full_name": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 2, "maxLength": 100},
                "citizen_id": {"type": "string", "title": "Số định danh cá nhân", "format": "vn-citizen-id"},
                "phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
                "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
            },
        }
    },
    "required": ["applicant", "child", "relationship", "declaration"],
    "properties": {
        "applicant": {"$ref": "#/$defs/person", "title": "Người yêu cầu"},
        "relationship": {
            "type": "string",
            "title": "Quan hệ với người được khai sinh",
            "oneOf": [
                {"const": "father", "title": "Cha"},
                {"const": "mother", "title": "Mẹ"},
                {"const": "other", "title": "Khác", "description": "Ông, bà, người thân khác"},
            ],
        },
        "relationship_other": {"type": "string", "title": "Ghi rõ quan hệ", "maxLength": 50},
        "child": {
            "type": "object",
            "title": "Người được khai sinh",
            "required": ["full_name", "birth_date", "sex"],
            "properties": {
                "full_name": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 2},
                "birth_date": {"type": "string", "title": "Ngày sinh", "format": "date"},
                "sex": {"type": "string", "title": "Giới tính", "enum": ["nam", "nu"], "x-enumNames": ["Nam", "Nữ"]},
                "ethnicity": {
                    "type": "string",
                    "title": "Dân tộc",
                    "enum": ["kinh", "tay", "thai", "muong", "khmer", "hoa", "nung"],
                    "x-enumNames": ["Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng"],
                    "default": "kinh",
                },
                "birth_weight": {"type": "number", "title": "Cân nặng khi sinh (kg)", "minimum": 0.3, "maximum": 8},
                "birth_order": {"type": "integer", "title": "Con thứ", "minimum": 1, "maximum": 20},
            },
        },
        "siblings": {
            "type": "array",
            "title": "Anh chị em ruột",
            "maxItems": 10,
            "items": {
                "type": "object",
                "title": "Anh chị em",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "title": "Họ và tên"},
                    "birth_year": {"type": "integer", "title": "Năm sinh", "minimum": 1900, "maximum": 2100},
                },
            },
        },
        "copies": {"type": "integer", "title": "Số bản sao yêu cầu", "minimum": 0, "maximum": 10, "default": 1},
        "delivery": {
            "type": "array",
            "title": "Hình thức nhận kết quả",
            "items": {"type": "string", "enum": ["counter", "post", "online"], "x-enumNames": ["Tại quầy", "Bưu chính", "Trực tuyến"]},
            "uniqueItems": True,
        },
        "postal_address": {"type": "string", "title": "Địa chỉ nhận qua bưu chính", "x-widget": "textarea"},
        "declaration_scan": {
            "type": "string",
            "title": "Tờ khai đăng ký khai sinh (bản quét)",
            "x-widget": "file",
            "contentMediaType": "application/pdf, image/jpeg",
            "x-maxBytes": 5242880,
        },
        "declaration": {"type": "boolean", "title": "Tôi cam đoan nội dung khai trên là đúng sự thật", "const": True},
        "notes": {"type": "string", "title": "Ghi chú", "x-widget": "textarea", "maxLength": 500},
    },
    "allOf": [
        {
            "if": {"properties": {"relationship": {"const": "other"}}, "required": ["relationship"]},
            "then": {"required": ["relationship_other"]},
        }
    ],
    "dependentRequired": {"postal_address": ["applicant"]},
}

VALID_BIRTH = {
    "applicant": {"full_name": "Nguyễn Văn An", "citizen_id": "001090012345", "phone": "0912345678"},
    "relationship": "father",
    "child": {"full_name": "Nguyễn Minh Khôi", "birth_date": "2025-03-01", "sex": "nam", "ethnicity": "kinh", "birth_weight": 3.2},
    "siblings": [{"name": "Nguyễn Thu Hà", "birth_year": 2020}],
    "copies": 2,
    "delivery": ["counter", "post"],
    "declaration": True,
}


def birth() -> dict[str, Any]:
    return copy.deepcopy(BIRTH_REGISTRATION)


def document(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal procedure document around the given form properties."""
    doc: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Thủ tục thử",
        "type": "object",
        "x-procedure": PROCEDURE,
        "properties": properties,
    }
    if required:
        doc["required"] = required
    doc.update(extra)
    return doc
