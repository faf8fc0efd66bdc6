"""The alternatives kind: "a person or an organisation applies" as a citizen, an officer and
the paper form see it. Only the picked block is read; jsonschema's `oneOf` is the judge."""

from __future__ import annotations

import copy
import re
from typing import Any

from jsonschema import Draft202012Validator

from catalog.national.form import build_form
from form_schemas import builder
from form_schemas.builder import FieldSpec
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from renderers.pdf import blank_form_html
from renderers.pdf.filled_form import filled_form_html
from renderers.pdf.form_layout import build_layout
from tests.factories import document as procedure_document


def document() -> dict[str, Any]:
    """The importer's own form for a procedure open to citizens and organisations."""
    doc = copy.deepcopy(procedure_document())
    for item in doc["x-procedure"]["documents"]:
        item.pop("field", None)
    properties, required = build_form(["Công dân Việt Nam", "Doanh nghiệp"], [])
    doc.update(properties=properties, required=required)
    return doc


PERSON = {"full_name": "Nguyễn Văn An", "date_of_birth": "1990-05-01", "citizen_id": "001203004567",
          "phone": "0912345678", "address": "Số 1 Tràng Tiền, Hà Nội"}


def test_the_importer_asks_for_a_person_or_an_organisation_and_the_document_is_valid() -> None:
    doc = document()
    assert validate_procedure(doc) == []
    assert [b["title"] for b in doc["properties"]["applicant"]["oneOf"]] == ["Cá nhân", "Tổ chức, doanh nghiệp"]
    assert "organisation" not in doc["properties"]


def test_the_citizen_picks_a_block_with_a_radio_and_sees_only_its_fields() -> None:
    html = compile_form(document()).render()
    radios = re.findall(r'<input class="mc-radio" type="radio" id="[^"]+" name="applicant" value="([^"]+)"', html)
    assert radios == ["ca_nhan", "to_chuc_doanh_nghiep"]
    assert 'name="applicant-ca_nhan-full_name"' in html and 'name="applicant-to_chuc_doanh_nghiep-name"' in html
    # each block shows only while it is picked (the script's data-show-when)
    person = re.search(r'<fieldset class="mc-group" id="applicant-ca_nhan"[^>]*>', html)
    assert person and "data-show-when" in person.group(0) and "ca_nhan" in person.group(0)


def test_only_the_picked_block_is_read_and_the_instance_is_valid() -> None:
    form = compile_form(document())
    posted = {"applicant": "ca_nhan", **{f"applicant-ca_nhan-{k}": v for k, v in PERSON.items()},
              "applicant-to_chuc_doanh_nghiep-name": "Công ty đã gõ rồi đổi ý"}
    result = form.submit(posted)
    assert result.ok, result.errors
    assert result.instance == {"applicant": PERSON}
    assert Draft202012Validator(form.schema).is_valid(result.instance)


def test_a_missing_field_of_the_picked_block_is_shown_on_that_field() -> None:
    form = compile_form(document())
    result = form.submit({"applicant": "to_chuc_doanh_nghiep", "applicant-to_chuc_doanh_nghiep-name": "Công ty A"})
    assert not result.ok
    assert "applicant-to_chuc_doanh_nghiep-address" in result.errors
    assert any("Địa chỉ trụ sở" in m for m in result.errors["applicant-to_chuc_doanh_nghiep-address"])
    # nothing picked at all: the choice itself is asked for
    nothing = form.submit({})
    assert "applicant" in nothing.errors


def test_a_saved_application_is_shown_in_its_own_block() -> None:
    form = compile_form(document())
    organisation = {"name": "Công ty A", "representative": "Trần Thị B", "address": "Hà Nội"}
    posted = form.encode({"applicant": organisation})
    assert posted.get("applicant") == "to_chuc_doanh_nghiep"
    assert form.submit(posted).instance == {"applicant": organisation}


def test_paper_prints_a_box_per_block_then_each_blocks_fields() -> None:
    doc = document()
    [applicant, *_] = build_layout(doc).fields
    assert applicant.kind == "alternatives"
    assert [label for _, label in applicant.options] == ["Cá nhân", "Tổ chức, doanh nghiệp"]
    assert [[f.title for f in block.children][:2] for block in applicant.children] == [
        ["Họ và tên", "Ngày sinh"], ["Tên tổ chức, doanh nghiệp", "Mã số thuế"]]
    text = re.sub(r"<[^>]+>", "", blank_form_html(doc))
    assert re.search(r"☐\s*Cá nhân\s*/\s*☐\s*Tổ chức, doanh nghiệp", text)
    filled = re.sub(r"<[^>]+>", "", filled_form_html(doc, {"applicant": PERSON}))
    assert re.search(r"☒\s*Cá nhân\s*/\s*☐\s*Tổ chức", filled) and "Nguyễn Văn An" in filled


def test_the_builder_shows_and_keeps_an_alternatives_field() -> None:
    doc = document()
    [info] = [f for f in builder.field_tree(doc) if f.path == "applicant"]
    assert info.kind == "alternatives" and info.kind_label == "Chọn một trong các khối"
    assert info.settings["options"] == ["Cá nhân", "Tổ chức, doanh nghiệp"]
    changed, _ = builder.update_field(doc, "applicant", FieldSpec("alternatives", "Ai nộp hồ sơ", required=True))
    assert changed["properties"]["applicant"]["oneOf"] == doc["properties"]["applicant"]["oneOf"]
    assert changed["properties"]["applicant"]["title"] == "Ai nộp hồ sơ"
    assert validate_procedure(changed) == []
