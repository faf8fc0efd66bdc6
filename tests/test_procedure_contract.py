"""Valid means drawable and submittable; warnings are told apart from errors everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from form_schemas.problems import InvalidProcedure
from form_schemas.validation import check_procedure, validate_procedure
from renderers.forms import compile_form
from tests.factories import document


def with_fields(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    doc = document()
    doc["properties"] = {**doc["properties"], **properties}
    doc.update(extra)
    return doc


@pytest.mark.parametrize(
    ("properties", "extra", "where", "words"),
    [
        ({"c": {"type": "string", "title": "C", "x-widget": "radio"}}, {}, "/properties/c", "needs an enum"),
        ({"l": {"type": "array", "title": "Danh sách"}}, {}, "/properties/l", "no 'items'"),
        ({"a": {"type": "string", "title": "A"}},
         {"if": {"properties": {"a": {"const": "x"}}}, "then": {"properties": {"b": {"type": "string"}}, "required": ["b"]}},
         "/then/properties/b", "only in a condition"),
    ],
)
def test_what_the_form_cannot_draw_is_a_validation_error(properties, extra, where, words) -> None:  # type: ignore[no-untyped-def]
    doc = with_fields(properties, **extra)
    found = {p.pointer: p for p in validate_procedure(doc)}
    assert where in found and words in found[where].message_en
    assert found[where].message_vi
    with pytest.raises(InvalidProcedure):
        check_procedure(doc)


def test_a_group_without_fields_is_drawn_as_nothing_with_a_warning() -> None:
    doc = with_fields({"g": {"type": "object", "title": "Nhóm trống", "properties": {}}})
    verdict = validate_procedure(doc)
    assert verdict == []
    assert any(w.pointer == "/properties/g" and "chưa có trường nào" in w.message_vi
               and "chưa trình duyệt được" in w.message_vi for w in verdict.warnings)
    form = compile_form(doc)
    assert 'id="g"' not in form.render()
    assert form.submit(form.encode({**form.defaults()})).instance.get("g") is None


def test_warnings_alone_do_not_make_a_document_invalid() -> None:
    doc = with_fields({"note_text": {"type": "string"}})
    verdict = validate_procedure(doc)
    assert verdict == [] and verdict.warnings
    assert check_procedure(doc) is doc


def test_cli_prints_warnings_and_exits_0(tmp_path: Path) -> None:
    from admin.cli import main

    path = tmp_path / "warned.json"
    doc = with_fields({"note_text": {"type": "string"}})
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: /properties/note_text: cảnh báo: trường không có 'title'" in result.output
    assert "“Note text”" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(with_fields({"c": {"type": "string", "title": "C", "x-widget": "radio"}})), encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(bad)]).exit_code == 1


def test_ambiguous_thousands_are_refused_in_vietnamese() -> None:
    form = compile_form(with_fields({"copies": {"type": "integer", "title": "Số bản"}}))
    result = form.submit({**form.encode(form.defaults()), "copies": "1.000"})
    assert result.errors["copies"] == [
        "Số bản: không rõ “1.000” là 1000 hay một số thập phân; vui lòng viết liền các chữ số, ví dụ 1000"]
    assert form.decode({"copies": "1.000.000"}).instance["copies"] == 1000000
    assert form.decode({"copies": "1 000"}).instance["copies"] == 1000
    assert form.decode({"copies": "1000"}).instance["copies"] == 1000


def test_a_const_error_never_shows_json_to_citizens() -> None:
    form = compile_form(with_fields({"fixed": {"type": "object", "title": "Cố định", "const": {"a": 1},
                                               "properties": {"a": {"type": "integer", "title": "A"}}}}))
    errors = form.validate({**form.defaults(), "fixed": {"a": 2}})
    assert all("{" not in message for messages in errors.values() for message in messages)
    assert "Cố định không hợp lệ" in [m for messages in errors.values() for m in messages]


def test_the_first_rows_of_a_repeating_group_keep_item_defaults() -> None:
    form = compile_form(with_fields({"lines": {"type": "array", "title": "Dòng", "minItems": 2, "items": {
        "type": "object", "properties": {"qty": {"type": "integer", "title": "Số lượng", "default": 1}}}}}))
    html = form.render()
    assert 'name="lines-0-qty"' in html and 'name="lines-1-qty"' in html
    for index in (0, 1):
        tag = html.split(f'name="lines-{index}-qty"', 1)[1].split(">", 1)[0]
        assert 'value="1"' in tag


def test_a_ref_with_x_widget_file_is_a_file_field_for_validation_too() -> None:
    doc = document()
    doc["$defs"] = {"scan": {"type": "string", "title": "Bản chụp", "contentMediaType": "image/jpeg"}}
    doc["properties"]["attachments"]["properties"]["birth_certificate"] = {"$ref": "#/$defs/scan", "x-widget": "file"}
    assert validate_procedure(doc) == []
    assert "attachments-birth_certificate" in {p.replace("-#", "") for p in compile_form(doc).file_fields}


def test_the_top_level_description_reaches_the_compiled_form() -> None:
    doc = document(description="Người dân khai đầy đủ các mục dưới đây.")
    assert compile_form(doc).description == "Người dân khai đầy đủ các mục dưới đây."
