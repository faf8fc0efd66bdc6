"""Each rule of the procedure format, accepted and rejected with its JSON pointer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from form_schemas.loading import parse_document
from form_schemas.problems import InvalidProcedure
from form_schemas.validation import check_procedure, online_mode, validate_procedure
from tests.factories import document


def problems(doc: dict[str, Any]) -> dict[str, str]:
    return {p.pointer: p.message_en for p in validate_procedure(doc)}


def test_a_complete_document_is_valid() -> None:
    assert validate_procedure(document()) == []


def test_messages_come_in_vietnamese_and_english() -> None:
    doc = document()
    del doc["x-procedure"]["steps"]
    [problem] = validate_procedure(doc)
    assert problem.pointer == "/x-procedure"
    assert "steps" in problem.message_vi and "thiếu" in problem.message_vi
    assert "steps" in problem.message_en and "missing" in problem.message_en


@pytest.mark.parametrize("key", ["$schema", "title", "type", "x-procedure"])
def test_top_level_requirements(key: str) -> None:
    doc = document()
    del doc[key]
    assert any(key in m for m in problems(doc).values())


@pytest.mark.parametrize(
    "key", ["code", "sector", "levels", "agencies", "onlineService", "channels", "documents", "steps", "results"]
)
def test_required_procedure_facts(key: str) -> None:
    doc = document()
    del doc["x-procedure"][key]
    assert f"required key '{key}' is missing" in problems(doc)["/x-procedure"]


@pytest.mark.parametrize("code,ok", [
    ("1.001193", True), ("2.000815", True), ("HCM-HT-01", True), ("ABC", True),
    ("1.00119", True), ("1.001193 ", False), ("Đ.001193", False), ("hcm-01", False), ("AB", False), ("-ABC", False),
])
def test_procedure_code_national_or_local(code: str, ok: bool) -> None:
    assert (problems(document(code)) == {}) is ok


@pytest.mark.parametrize("path,value,pointer", [
    (("levels",), [], "/x-procedure/levels"),
    (("levels",), ["commune", "commune"], "/x-procedure/levels"),
    (("levels",), ["ward"], "/x-procedure/levels/0"),
    (("onlineService", "level"), 5, "/x-procedure/onlineService/level"),
    (("onlineService", "mode"), "total", "/x-procedure/onlineService/mode"),
    (("channels",), [], "/x-procedure/channels"),
    (("channels", 0, "mode"), "fax", "/x-procedure/channels/0/mode"),
    (("channels", 0, "processingTime", "unit"), "weeks", "/x-procedure/channels/0/processingTime/unit"),
    (("channels", 0, "processingTime", "value"), -1, "/x-procedure/channels/0/processingTime/value"),
    (("channels", 0, "sameDayCutoff"), "25:00", "/x-procedure/channels/0/sameDayCutoff"),
    (("channels", 0, "fees", 0, "amount"), 10.5, "/x-procedure/channels/0/fees/0/amount"),
    (("channels", 0, "fees", 0, "amount"), -1, "/x-procedure/channels/0/fees/0/amount"),
    (("channels", 0, "fees", 0, "kind"), "tax", "/x-procedure/channels/0/fees/0/kind"),
    (("documents", 0, "id"), "Birth", "/x-procedure/documents/0/id"),
    (("documents", 0, "originals"), -1, "/x-procedure/documents/0/originals"),
    (("documents", 0, "action"), "mail", "/x-procedure/documents/0/action"),
    (("steps",), [], "/x-procedure/steps"),
    (("results",), [], "/x-procedure/results"),
    (("legalBasis", 0, "issuedOn"), "20/11/2014", "/x-procedure/legalBasis/0/issuedOn"),
    (("publication", "date"), "2025-02-30", "/x-procedure/publication/date"),
    (("effectiveFrom",), "soon", "/x-procedure/effectiveFrom"),
    (("agencies", "competent"), "  ", "/x-procedure/agencies/competent"),
])
def test_procedure_fact_rules(path: tuple[Any, ...], value: Any, pointer: str) -> None:
    doc = document()
    node = doc["x-procedure"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert pointer in problems(doc)


def test_channel_modes_are_unique() -> None:
    doc = document()
    doc["x-procedure"]["channels"][1]["mode"] = "in_person"
    assert "appears twice" in problems(doc)["/x-procedure/channels/1/mode"]


def test_document_ids_are_unique() -> None:
    doc = document()
    doc["x-procedure"]["documents"].append({"id": "birth_certificate", "name": "Bản sao"})
    assert "used twice" in problems(doc)["/x-procedure/documents/1/id"]


def test_online_mode_is_derived_from_level_unless_given() -> None:
    doc = document()
    assert online_mode(doc) == "full"
    doc["x-procedure"]["onlineService"] = {"level": 2}
    assert online_mode(doc) == "info"
    doc["x-procedure"]["onlineService"] = {"level": 3}
    assert online_mode(doc) == "partial"


def test_unknown_keywords_are_named() -> None:
    doc = document()
    doc["patternProperties"] = {}
    doc["x-procedure"]["colour"] = "blue"
    found = problems(doc)
    assert "'patternProperties'" in found["/patternProperties"]
    assert "'colour'" in found["/x-procedure/colour"]


def test_unknown_extension_keywords_are_kept_with_a_warning() -> None:
    doc = document()
    doc["properties"]["applicant"]["properties"]["phone"]["x-mask"] = "999"
    verdict = validate_procedure(doc)
    assert verdict == []
    [warning] = [w for w in verdict.warnings if w.pointer.endswith("/x-mask")]
    assert "'x-mask'" in warning.message_vi and "ignored" in warning.message_en


def test_a_field_without_title_gets_a_readable_label_and_a_warning() -> None:
    doc = document()
    del doc["properties"]["applicant"]["properties"]["full_name"]["title"]
    verdict = validate_procedure(doc)
    assert verdict == []
    [warning] = verdict.warnings
    assert warning.pointer == "/properties/applicant/properties/full_name"
    assert "“Full name”" in warning.message_vi


def test_a_field_needs_a_type_unless_enum_or_const_tells_it() -> None:
    doc = document()
    del doc["properties"]["applicant"]["properties"]["full_name"]["type"]
    assert "'type'" in problems(doc)["/properties/applicant/properties/full_name"]
    doc["properties"]["applicant"]["properties"]["full_name"]["enum"] = ["An", "Bình"]
    assert validate_procedure(doc) == []


def test_remote_ref_is_refused_and_local_ref_accepted() -> None:
    doc = document()
    doc["$defs"] = {"person": {"type": "object", "title": "Người", "properties": {
        "name": {"type": "string", "title": "Họ tên"}}}}
    doc["properties"]["mother"] = {"$ref": "#/$defs/person"}
    assert problems(doc) == {}
    doc["properties"]["father"] = {"$ref": "https://example.com/person.json"}
    assert "remote $ref" in problems(doc)["/properties/father/$ref"]
    doc["properties"]["father"] = {"$ref": "#/$defs/nobody"}
    assert "missing definition" in problems(doc)["/properties/father/$ref"]


def test_ref_cycles_are_refused() -> None:
    doc = document()
    doc["$defs"] = {"a": {"type": "object", "title": "A", "properties": {"b": {"$ref": "#/$defs/a"}}}}
    assert "cycle" in problems(doc)["/$defs/a"]


@pytest.mark.parametrize("pattern,reason", [
    ("(a+", "invalid regular expression"),
    ("^(a)\\1$", "backreference"),
    ("^(?=.*[0-9]).{8}$", "lookahead"),
    ("^(?<!x)a$", "lookbehind"),
])
def test_bad_patterns_are_refused(pattern: str, reason: str) -> None:
    doc = document()
    doc["properties"]["applicant"]["properties"]["full_name"]["pattern"] = pattern
    assert reason in problems(doc)["/properties/applicant/properties/full_name/pattern"]


@pytest.mark.parametrize("pattern", [r"^\d{12}$", r"^[A-Z]+(-[A-Z]+)*$", r"^(0|\+84)(3|5|7|8|9)\d{8}$"])
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    doc = document()
    doc["properties"]["applicant"]["properties"]["full_name"]["pattern"] = pattern
    assert problems(doc) == {}


def test_document_field_must_name_a_file_property() -> None:
    doc = document()
    doc["x-procedure"]["documents"][0]["field"] = "applicant.phone"
    assert "no file field" in problems(doc)["/x-procedure/documents/0/field"]
    doc["x-procedure"]["documents"][0]["field"] = "attachments.nothing"
    assert "no file field" in problems(doc)["/x-procedure/documents/0/field"]


def test_required_names_must_exist() -> None:
    doc = document()
    doc["properties"]["applicant"]["required"].append("email")
    assert "'email'" in problems(doc)["/properties/applicant/required/3"]


def test_enum_names_must_match_enum() -> None:
    doc = document()
    doc["properties"]["sex"] = {"type": "string", "title": "Giới tính", "enum": ["M", "F"], "x-enumNames": ["Nam"]}
    assert "/properties/sex/x-enumNames" in problems(doc)


def test_forms_deeper_than_eight_levels_are_refused() -> None:
    doc = document()
    node = doc["properties"]
    for level in range(9):
        node["g"] = {"type": "object", "title": f"Nhóm {level}", "properties": {}}
        node = node["g"]["properties"]
    assert any("deeper than 8" in m for m in problems(doc).values())
    shallow = document()
    node = shallow["properties"]
    for level in range(7):
        node["g"] = {"type": "object", "title": f"Nhóm {level}", "properties": {}}
        node = node["g"]["properties"]
    assert problems(shallow) == {}


def test_documents_over_one_mebibyte_are_refused() -> None:
    doc = document(description="x" * (1024 * 1024))
    assert "larger than 1 MiB" in problems(doc)[""]
    with pytest.raises(InvalidProcedure) as raised:
        parse_document(json.dumps(doc))
    assert "1 MiB" in raised.value.problems[0].message_vi


def test_unparseable_json_gives_line_and_column() -> None:
    with pytest.raises(InvalidProcedure) as raised:
        parse_document(b'{"title": "x",\n  oops}')
    assert "dòng 2" in raised.value.problems[0].message_vi


def test_check_procedure_raises_with_every_problem() -> None:
    doc = document("bad code")
    doc["x-procedure"]["levels"] = []
    with pytest.raises(InvalidProcedure) as raised:
        check_procedure(doc)
    assert {p.pointer for p in raised.value.problems} >= {"/x-procedure/code", "/x-procedure/levels"}


@pytest.mark.parametrize("fmt,good,bad", [
    ("vn-citizen-id", "001085012345", "001985012345"),
    ("vn-citizen-id", "079203012345", "07920301234"),
    ("vn-id-card", "123456789", "12345678"),
    ("vn-phone", "0912345678", "0212345678"),
    ("vn-phone", "+84912345678", "091234567"),
    ("vn-tax-code", "0101234567-001", "0101234567-1"),
    ("email", "an.nguyen@example.vn", "an@"),
    ("email", "lan@mail.gov.vn", "lan@localhost"),
])
def test_custom_formats_check_citizen_values(fmt: str, good: str, bad: str) -> None:
    from jsonschema import Draft202012Validator

    from form_schemas.formats import FORMAT_CHECKER

    validator = Draft202012Validator({"type": "string", "format": fmt}, format_checker=FORMAT_CHECKER)
    assert validator.is_valid(good)
    assert not validator.is_valid(bad)


def test_hash_follows_field_order_but_not_other_key_order() -> None:
    from form_schemas.canonical import document_hash

    doc = document()
    shuffled = dict(reversed(list(doc.items())))
    shuffled["x-procedure"] = dict(reversed(list(doc["x-procedure"].items())))
    assert document_hash(shuffled) == document_hash(doc)
    moved = document()
    moved["properties"] = dict(reversed(list(doc["properties"].items())))
    assert document_hash(moved) != document_hash(doc)
