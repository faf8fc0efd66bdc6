"""A realistic procedure document (Đăng ký khai sinh, 1.001193) for previews, tests and benches.

The national catalogue and the sample catalogue live elsewhere; this one exercises every
layout path of the PDFs: a `$ref`'d applicant fieldset, choices, a citizen ID, a repeating
group, a conditional part, a file field, several channels, cases and legal texts.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

SECTORS = (
    "Hộ tịch",
    "Chứng thực",
    "Đăng ký, quản lý cư trú",
    "Lý lịch tư pháp",
    "Hoạt động xây dựng",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Đất đai",
    "Bảo trợ xã hội",
)

_BIRTH_REGISTRATION: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Đăng ký khai sinh",
    "description": "Áp dụng khi trẻ em sinh ra tại Việt Nam, cha mẹ là công dân Việt Nam.",
    "type": "object",
    "$defs": {
        "person": {
            "type": "object",
            "title": "Người yêu cầu",
            "required": ["fullName", "citizenId", "residence"],
            "properties": {
                "fullName": {"type": "string", "title": "Họ, chữ đệm, tên", "maxLength": 100},
                "birthDate": {"type": "string", "format": "date", "title": "Ngày, tháng, năm sinh"},
                "citizenId": {
                    "type": "string",
                    "format": "vn-citizen-id",
                    "title": "Số định danh cá nhân",
                },
                "residence": {"type": "string", "title": "Nơi cư trú", "maxLength": 250},
                "phone": {"type": "string", "format": "vn-phone", "title": "Số điện thoại", "maxLength": 12},
            },
        }
    },
    "properties": {
        "applicant": {"$ref": "#/$defs/person"},
        "relationship": {
            "type": "string",
            "title": "Quan hệ với người được khai sinh",
            "enum": ["father", "mother", "grandparent", "other"],
            "x-enumNames": ["Cha", "Mẹ", "Ông, bà", "Khác"],
        },
        "relationshipOther": {
            "type": "string",
            "title": "Ghi rõ quan hệ",
            "maxLength": 40,
        },
        "child": {
            "type": "object",
            "title": "Người được khai sinh",
            "required": ["fullName", "sex", "birthDate", "birthPlace"],
            "properties": {
                "fullName": {"type": "string", "title": "Họ, chữ đệm, tên", "maxLength": 100},
                "sex": {
                    "type": "string",
                    "title": "Giới tính",
                    "oneOf": [{"const": "M", "title": "Nam"}, {"const": "F", "title": "Nữ"}],
                },
                "birthDate": {"type": "string", "format": "date", "title": "Ngày, tháng, năm sinh"},
                "birthPlace": {"type": "string", "title": "Nơi sinh", "maxLength": 200},
                "ethnicity": {"type": "string", "title": "Dân tộc", "maxLength": 30},
                "nationality": {"type": "string", "title": "Quốc tịch", "maxLength": 30},
                "hometown": {"type": "string", "title": "Quê quán", "maxLength": 200},
            },
        },
        "parents": {
            "type": "array",
            "title": "Thông tin cha, mẹ",
            "minItems": 1,
            "maxItems": 2,
            "items": {
                "type": "object",
                "required": ["fullName"],
                "properties": {
                    "fullName": {"type": "string", "title": "Họ, chữ đệm, tên"},
                    "birthYear": {"type": "integer", "title": "Năm sinh", "minimum": 1900, "maximum": 2100},
                    "ethnicity": {"type": "string", "title": "Dân tộc"},
                    "nationality": {"type": "string", "title": "Quốc tịch"},
                    "residence": {"type": "string", "title": "Nơi cư trú"},
                },
            },
        },
        "lateRegistration": {"type": "boolean", "title": "Đăng ký khai sinh quá hạn"},
        "lateReason": {
            "type": "string",
            "title": "Lý do đăng ký quá hạn",
            "x-widget": "textarea",
            "maxLength": 500,
        },
        "copiesRequested": {
            "type": "integer",
            "title": "Số bản sao Giấy khai sinh đề nghị cấp",
            "minimum": 0,
            "maximum": 20,
        },
        "birthCertificate": {
            "type": "string",
            "title": "Giấy chứng sinh",
            "x-widget": "file",
            "contentMediaType": "application/pdf, image/jpeg, image/png",
        },
        "authorisation": {
            "type": "string",
            "title": "Văn bản ủy quyền",
            "x-widget": "file",
            "contentMediaType": "application/pdf",
        },
    },
    "required": ["applicant", "relationship", "child", "parents", "birthCertificate"],
    "allOf": [
        {
            "if": {"properties": {"relationship": {"const": "other"}}, "required": ["relationship"]},
            "then": {"required": ["relationshipOther", "authorisation"]},
        },
        {
            "if": {"properties": {"lateRegistration": {"const": True}}, "required": ["lateRegistration"]},
            "then": {"required": ["lateReason"]},
        },
    ],
    "x-procedure": {
        "code": "1.001193",
        "sector": "Hộ tịch",
        "levels": ["commune"],
        "subjects": ["Công dân Việt Nam"],
        "agencies": {
            "competent": "Ủy ban nhân dân xã, phường, đặc khu",
            "implementing": "Ủy ban nhân dân phường Ba Đình",
            "receivingAddress": "Trung tâm Phục vụ hành chính công phường Ba Đình, 25 Liễu Giai, Hà Nội",
        },
        "onlineService": {"level": 4, "mode": "full"},
        "channels": [
            {
                "mode": "in_person",
                "processingTime": {"value": 1, "unit": "working_days"},
                "sameDayCutoff": "15:00",
                "fees": [
                    {"name": "đăng ký khai sinh đúng hạn", "amount": 0, "kind": "charge"},
                    {"name": "cấp bản sao trích lục", "amount": 8000, "kind": "fee", "note": "mỗi bản"},
                ],
            },
            {
                "mode": "online",
                "processingTime": {"value": 1, "unit": "working_days"},
                "sameDayCutoff": "15:00",
                "fees": [{"name": "đăng ký khai sinh đúng hạn", "amount": 0, "kind": "charge"}],
            },
            {
                "mode": "postal",
                "processingTime": {"value": 1, "unit": "working_days", "note": "không kể thời gian chuyển phát"},
                "fees": [{"name": "đăng ký khai sinh quá hạn", "amount": 10000, "kind": "charge"}],
            },
        ],
        "documents": [
            {"id": "form", "name": "Tờ khai đăng ký khai sinh", "originals": 1, "template": "Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)"},
            {"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "field": "birthCertificate"},
            {"id": "authorisation", "name": "Văn bản ủy quyền", "originals": 1, "required": False, "case": "Trường hợp ủy quyền", "field": "authorisation"},
            {"id": "id_card", "name": "Giấy tờ tùy thân của người yêu cầu", "action": "present", "originals": 1},
            {"id": "witness", "name": "Văn bản của người làm chứng xác nhận việc sinh", "originals": 1, "copies": 1, "case": "Trường hợp không có giấy chứng sinh"},
        ],
        "steps": [
            "Người yêu cầu nộp hồ sơ tại Bộ phận Một cửa hoặc trên Cổng Dịch vụ công.",
            "Công chức tư pháp - hộ tịch kiểm tra hồ sơ; nếu đầy đủ thì tiếp nhận và viết giấy hẹn.",
            "Chủ tịch Ủy ban nhân dân cấp xã ký Giấy khai sinh; trả kết quả cho người yêu cầu.",
        ],
        "results": [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}],
        "conditions": [
            "Cha, mẹ đăng ký khai sinh cho con trong thời hạn 60 ngày kể từ ngày sinh.",
        ],
        "legalBasis": [
            {"number": "60/2014/QH13", "title": "Luật Hộ tịch", "issuer": "Quốc hội", "issuedOn": "2014-11-20"},
            {"number": "123/2015/NĐ-CP", "title": "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch", "issuer": "Chính phủ", "issuedOn": "2015-11-15"},
            {"number": "04/2020/TT-BTP", "title": "Thông tư quy định chi tiết thi hành một số điều của Luật Hộ tịch", "issuer": "Bộ Tư pháp", "issuedOn": "2020-05-28"},
        ],
        "publication": {"decision": "163/QĐ-BTP", "date": "2026-01-20", "issuer": "Bộ trưởng Bộ Tư pháp"},
        "effectiveFrom": "2026-02-01",
    },
}

_INSTANCE: dict[str, Any] = {
    "applicant": {
        "fullName": "Nguyễn Thị Hồng Nhung",
        "birthDate": "1994-08-17",
        "citizenId": "001194012345",
        "residence": "Số 12 ngõ 5 phố Đội Cấn, phường Ba Đình, Hà Nội",
        "phone": "0912345678",
    },
    "relationship": "mother",
    "child": {
        "fullName": "Trần Minh Đức",
        "sex": "M",
        "birthDate": "2026-03-02",
        "birthPlace": "Bệnh viện Phụ sản Hà Nội",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    },
    "parents": [
        {"fullName": "Trần Quốc Huy", "birthYear": 1992, "ethnicity": "Kinh", "nationality": "Việt Nam"},
        {"fullName": "Nguyễn Thị Hồng Nhung", "birthYear": 1994, "ethnicity": "Kinh", "nationality": "Việt Nam"},
    ],
    "lateRegistration": False,
    "copiesRequested": 2,
    "birthCertificate": {"name": "giay-chung-sinh.pdf"},
}


def birth_registration() -> dict[str, Any]:
    """A fresh copy of the Đăng ký khai sinh document."""
    return copy.deepcopy(_BIRTH_REGISTRATION)


def birth_registration_instance() -> dict[str, Any]:
    """A valid application for it (a mother registering her son)."""
    return copy.deepcopy(_INSTANCE)


def synthetic_catalogue(count: int) -> Iterator[dict[str, Any]]:
    """`count` distinct documents varied from the sample: codes, sectors, lengths differ."""
    for index in range(count):
        document = birth_registration()
        procedure = document["x-procedure"]
        procedure["code"] = f"{1 + index % 3}.{100000 + index:06d}"
        procedure["sector"] = SECTORS[index % len(SECTORS)]
        document["title"] = f"{document['title']} (biến thể {index + 1})"
        extra_steps = index % 7
        procedure["steps"] = procedure["steps"] + [
            f"Bước bổ sung {n + 1}: đối chiếu thông tin với Cơ sở dữ liệu quốc gia về dân cư."
            for n in range(extra_steps)
        ]
        procedure["legalBasis"] = procedure["legalBasis"] * (1 + index % 3)
        procedure["channels"][0]["fees"][1]["amount"] = 1000 * (index % 50)
        yield document
