"""The starting application form of an imported procedure: who applies, and one upload per
submitted document. Officers refine it from there."""

from __future__ import annotations

from .meta import FOREIGN_SUBJECTS, INDIVIDUAL_SUBJECTS
from .text import shorten, slugify, unique_name

UPLOAD_TYPES = "application/pdf,image/jpeg,image/png"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
TITLE_LIMIT = 150


def applicant_block(*, foreigners: bool) -> dict:
    """The standard individual applicant fieldset (CCCD not required when foreigners apply)."""
    required = ["full_name", "phone", "address"] if foreigners else [
        "full_name", "date_of_birth", "citizen_id", "phone", "address"
    ]
    return {
        "type": "object",
        "title": "Thông tin người nộp hồ sơ",
        "properties": {
            "full_name": {"type": "string", "title": "Họ và tên", "minLength": 1, "maxLength": 100},
            "date_of_birth": {"type": "string", "title": "Ngày sinh", "format": "date"},
            "citizen_id": {
                "type": "string",
                "title": "Số định danh cá nhân (CCCD)",
                "format": "vn-citizen-id",
            },
            "phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
            "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
            "address": {"type": "string", "title": "Địa chỉ liên hệ", "minLength": 1},
        },
        "required": required,
    }


def organisation_block() -> dict:
    """The standard organisation fieldset (tax code optional: not every body has one)."""
    return {
        "type": "object",
        "title": "Thông tin tổ chức, doanh nghiệp",
        "properties": {
            "name": {"type": "string", "title": "Tên tổ chức, doanh nghiệp", "minLength": 1},
            "tax_code": {"type": "string", "title": "Mã số thuế", "format": "vn-tax-code"},
            "representative": {"type": "string", "title": "Người đại diện theo pháp luật"},
            "phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
            "address": {"type": "string", "title": "Địa chỉ trụ sở", "minLength": 1},
        },
        "required": ["name", "representative", "address"],
    }


def build_form(subjects: list[str], documents: list[dict]) -> tuple[dict, list[str]]:
    """Form properties and required names; sets each submitted document's `field`.

    Who applies: a person (`applicant`), an organisation (`organisation`), or, when the
    procedure is for both, `applicant` as alternatives ("Cá nhân" / "Tổ chức, doanh nghiệp"):
    the citizen fills one block, never both."""
    individuals = any(subject in INDIVIDUAL_SUBJECTS for subject in subjects)
    organisations = any(subject not in INDIVIDUAL_SUBJECTS for subject in subjects)
    foreigners = any(subject in FOREIGN_SUBJECTS for subject in subjects)
    properties: dict = {}
    required: list[str] = []
    if individuals and organisations:  # a person OR an organisation applies: alternatives
        person = {**applicant_block(foreigners=foreigners), "title": "Cá nhân"}
        organisation = {**organisation_block(), "title": "Tổ chức, doanh nghiệp"}
        properties["applicant"] = {"title": "Người nộp hồ sơ", "oneOf": [person, organisation]}
        required.append("applicant")
    elif organisations:
        properties["organisation"] = organisation_block()
        required.append("organisation")
    else:
        properties["applicant"] = applicant_block(foreigners=foreigners)
        required.append("applicant")
    attachments = _attachments(documents)
    if attachments["properties"]:
        properties["attachments"] = attachments
        if attachments.get("required"):
            required.append("attachments")
    return properties, required


def _attachments(documents: list[dict]) -> dict:
    names: set[str] = set()
    fields: dict = {}
    required: list[str] = []
    for document in documents:
        if document.get("action", "submit") != "submit":
            continue
        name = unique_name(slugify(document["name"], max_words=5, max_length=40), names)
        upload: dict = {
            "type": "string",
            "title": shorten(document["name"], TITLE_LIMIT),
            "x-widget": "file",
            "contentMediaType": UPLOAD_TYPES,
            "x-maxBytes": MAX_UPLOAD_BYTES,
        }
        if len(document["name"]) > TITLE_LIMIT:
            upload["description"] = document["name"]
        fields[name] = upload
        document["field"] = f"attachments.{name}"
        if document.get("required", True) and not document.get("case"):
            required.append(name)
    block: dict = {"type": "object", "title": "Thành phần hồ sơ đính kèm", "properties": fields}
    if required:
        block["required"] = required
    return block
