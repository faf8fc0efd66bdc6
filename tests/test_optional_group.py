"""One meaning for an optional group, on the server: empty is left out, touched is complete.

A group its parent does not require may be left empty (it is then left out of the dossier);
once the citizen enters anything in it that the form did not prefill, its required fields
must be filled, and the messages stand next to them. Groups the builder adds are required
(the applicant the officer meant), a group with no fields blocks submitting for review, and
the paper form marks the optional group "(nếu có)" once.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from admin.roles import APPROVER, PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import Dossier, VersionStatus
from catalog.samples import load_samples
from catalog.services import import_document
from catalog.services.history import procedure_by_code
from form_schemas import builder
from form_schemas.builder import FieldSpec
from form_schemas.groups import empty_groups, entered
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from renderers.pdf import blank_form_html
from renderers.pdf.form_layout import OPTIONAL_NOTE, build_layout
from tests.backoffice_helpers import client_for, lock_of, make_users, text
from tests.test_attachments import PDF

BIRTH = "1.001193"
TOKEN_FIELD = "_motcua.submission"
INSTANCES = "tests/sample_instances"


def birth_document() -> dict[str, Any]:
    return load_samples()[BIRTH]


def birth_instance() -> dict[str, Any]:
    with open(f"{INSTANCES}/{BIRTH}.json", encoding="utf-8") as handle:
        return json.load(handle)


def as_browser_posts(instance: dict[str, Any], **typed: str) -> MultiDict:
    """What Chromium posts: every prefilled value of the blank form, then what the citizen typed."""
    form = compile_form(birth_document())
    posted = form.encode(form.defaults())
    for name, value in form.encode(instance).items(multi=True):
        posted.setlist(name, [value])
    for name, value in typed.items():
        posted.setlist(name, [value])
    return posted


def submit(posted: MultiDict, **files: str) -> Any:
    """The form engine's verdict, the birth certificate (and `files`) already uploaded."""
    kept = {"attachments-birth_certificate": "att-2", **{f"attachments-{k}": v for k, v in files.items()}}
    for name, attachment in kept.items():
        posted.setlist(name, [attachment])
    return compile_form(birth_document()).submit(posted, kept_uploads=kept)


def without_father() -> dict[str, Any]:
    instance = birth_instance()
    del instance["father"]
    del instance["attachments"]
    return instance


# -- the form engine ---------------------------------------------------------------------------

def test_a_blank_father_is_accepted_and_left_out_although_the_form_prefills_his_nationality() -> None:
    posted = as_browser_posts(without_father())
    assert posted["father-nationality"] == "Việt Nam" and posted["father-ethnicity"] == "kinh"
    submission = submit(posted)
    assert submission.errors == {}
    assert "father" not in submission.instance
    assert submission.instance["mother"]["full_name"] == "Trần Thị Hương"


def test_a_father_with_only_a_name_gets_the_missing_required_fields_next_to_them() -> None:
    form = compile_form(birth_document())
    posted = as_browser_posts(without_father(), **{"father-full_name": "Nguyễn Văn Bình"})
    submission = submit(posted)
    assert submission.errors == {"father-date_of_birth": ["Vui lòng nhập Ngày, tháng, năm sinh"]}
    html = form.render(posted, submission.errors)
    field = re.search(r'<div class="mc-field mc-field--error" id="father-date_of_birth--field">.*?</div>', html)
    assert field and "Vui lòng nhập Ngày, tháng, năm sinh" in field.group(0)
    assert 'value="Nguyễn Văn Bình"' in html and 'aria-invalid="true"' in field.group(0)


def test_changing_a_prefilled_value_counts_as_filling_the_group() -> None:
    posted = as_browser_posts(without_father(), **{"father-nationality": "Pháp"})
    errors = submit(posted).errors
    assert set(errors) == {"father-full_name", "father-date_of_birth"}
    cleared = as_browser_posts(without_father(), **{"father-nationality": "", "father-ethnicity": ""})
    assert submit(cleared).errors == {}


def test_the_mother_is_required_unless_the_child_was_abandoned() -> None:
    instance = without_father()
    del instance["mother"]
    normal = submit(as_browser_posts(instance))
    assert normal.errors == {"mother": ["Vui lòng nhập Thông tin người mẹ"]}
    abandoned = submit(as_browser_posts(instance, birth_case="bo_roi"), abandonment_record="att-3")
    assert abandoned.errors == {}
    assert "mother" not in abandoned.instance and "father" not in abandoned.instance


def test_entered_means_different_from_what_the_form_prefilled() -> None:
    assert not entered("Việt Nam", "Việt Nam")
    assert not entered(1, 1.0) and entered(True, 1)
    assert entered({"a": 1}, {"a": 2}) and not entered([1, {"b": True}], [1, {"b": True}])
    assert entered("x", object())  # nothing prefilled: any value is the citizen's


# -- the site ----------------------------------------------------------------------------------

def test_on_the_site_a_blank_father_makes_a_dossier_without_him(app: Flask, client: FlaskClient) -> None:
    import_document(db.session, birth_document(), author="test", publish=True)
    page = client.get(f"/procedures/{BIRTH}/apply")
    assert page.status_code == 200
    assert re.search(r'<form [^>]*class="application" novalidate>', page.text)
    assert "Đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam" in page.text  # the document's description
    assert "Có thể để trống cả một phần không bắt buộc" in page.text
    token = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    data: dict[str, Any] = {key: values for key, values in as_browser_posts(without_father()).lists()}
    data[TOKEN_FIELD] = token
    data["_motcua.step"] = "submit"
    data["attachments-birth_certificate"] = (io.BytesIO(PDF), "giay-chung-sinh.pdf", "application/pdf")
    response = client.post(f"/procedures/{BIRTH}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.text[:2000]
    dossier = db.session.scalars(select(Dossier)).one()
    assert "father" not in dossier.data and dossier.data["mother"]["full_name"] == "Trần Thị Hương"


def test_on_the_site_a_father_with_only_a_name_is_sent_back_with_everything_kept(
        app: Flask, client: FlaskClient) -> None:
    import_document(db.session, birth_document(), author="test", publish=True)
    page = client.get(f"/procedures/{BIRTH}/apply")
    token = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    data: dict[str, Any] = {key: values for key, values in
                            as_browser_posts(without_father(), **{"father-full_name": "Nguyễn Văn Bình"}).lists()}
    data[TOKEN_FIELD] = token
    data["_motcua.step"] = "submit"
    response = client.post(f"/procedures/{BIRTH}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="father-date_of_birth--error">Vui lòng nhập Ngày, tháng, năm sinh</p>' in response.text
    assert 'value="Nguyễn Văn Bình"' in response.text and 'value="Trần Thị Hương"' in response.text
    assert db.session.scalars(select(Dossier)).first() is None


# -- the builder -------------------------------------------------------------------------------

def builder_applicant_form(*, optional: bool = False) -> dict[str, Any]:
    """A form an officer made in the builder: a group "Người nộp hồ sơ" with three required fields."""
    doc = builder.new_document("TEST-002", "Cấp giấy xác nhận thử", "Hộ tịch", "Ủy ban nhân dân cấp xã",
                               online_level=3)
    doc, group = builder.add_field(doc, FieldSpec("group", "Người nộp hồ sơ"))
    for kind, label in (("text", "Họ và tên"), ("citizen_id", "Số định danh cá nhân"), ("phone", "Số điện thoại")):
        doc, _ = builder.add_field(doc, FieldSpec(kind, label, required=True), parent=group)
    doc, _ = builder.add_field(doc, FieldSpec("textarea", "Nội dung đề nghị", required=True))
    if optional:
        doc, _ = builder.update_field(doc, group, FieldSpec("group", "Người nộp hồ sơ", required=False))
    return doc


def test_a_group_added_in_the_builder_is_required_so_a_blank_applicant_is_refused() -> None:
    doc = builder_applicant_form()
    assert validate_procedure(doc) == []
    assert "nguoi_nop_ho_so" in doc["required"]
    form = compile_form(doc)
    errors = form.submit({"noi_dung_de_nghi": "Xin cấp giấy xác nhận"}).errors
    assert errors == {
        "nguoi_nop_ho_so-ho_va_ten": ["Vui lòng nhập Họ và tên"],
        "nguoi_nop_ho_so-so_dinh_danh_ca_nhan": ["Vui lòng nhập Số định danh cá nhân"],
        "nguoi_nop_ho_so-so_dien_thoai": ["Vui lòng nhập Số điện thoại"],
    }


def test_a_group_the_officer_made_optional_follows_the_optional_group_rule() -> None:
    form = compile_form(builder_applicant_form(optional=True))
    blank = form.submit({"noi_dung_de_nghi": "Xin cấp giấy xác nhận"})
    assert blank.errors == {} and blank.instance == {"noi_dung_de_nghi": "Xin cấp giấy xác nhận"}
    named = form.submit({"noi_dung_de_nghi": "Xin cấp giấy xác nhận", "nguoi_nop_ho_so-ho_va_ten": "Lê Văn C"})
    assert set(named.errors) == {"nguoi_nop_ho_so-so_dinh_danh_ca_nhan", "nguoi_nop_ho_so-so_dien_thoai"}


def test_empty_groups_are_found_through_refs_nesting_and_repeating_rows() -> None:
    doc = {"type": "object", "definitions": {"blank": {"type": "object", "title": "Trống"}},
           "properties": {
               "outer": {"type": "object", "title": "Ngoài", "properties": {
                   "inner": {"type": "object", "title": "Trong", "properties": {}},
                   "name": {"type": "string", "title": "Tên"}}},
               "shared": {"$ref": "#/definitions/blank", "title": "Dùng chung"},
               "rows": {"type": "array", "title": "Các dòng", "items": {"type": "object", "properties": {
                   "cell": {"type": "object", "title": "Ô"}}}},
               "full": {"type": "object", "title": "Đủ", "properties": {"x": {"type": "string"}}}}}
    assert [(g.pointer, g.title) for g in empty_groups(doc)] == [
        ("/properties/outer/properties/inner", "Trong"),
        ("/properties/shared", "Dùng chung"),
        ("/properties/rows/items/properties/cell", "Ô"),
    ]
    assert empty_groups(birth_document()) == []


@pytest.fixture
def officer(app: Flask) -> FlaskClient:
    make_users(app)
    return client_for(app, PROCEDURE_OFFICER)


NEW = {"code": "TEST-001", "title": "Cấp giấy phép thử", "sector": "Hộ tịch",
       "competent": "Ủy ban nhân dân cấp xã", "level": "commune", "online_level": "3"}


def add(client: FlaskClient, kind: str, label: str, parent: str = "", required: bool = False) -> str:
    page = text(client.get("/admin/editor/TEST-001/form"))
    data = {"lock": lock_of(page), "add-kind": kind, "add-label": label, "add-parent": parent}
    if required:
        data["add-required"] = "y"
    response = client.post("/admin/editor/TEST-001/form/add", data=data)
    assert response.status_code == 302, text(response)
    return response.headers["Location"].split("field=")[-1].replace("%2E", ".").replace("%2e", ".")


def latest_status() -> VersionStatus:
    db.session.expire_all()
    return procedure_by_code(db.session, "TEST-001").versions[-1].status


def test_the_builder_shows_the_rule_and_an_empty_group_blocks_submitting_for_review(
        app: Flask, officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    group = add(officer, "group", "Người nộp hồ sơ")
    page = text(officer.get("/admin/editor/TEST-001/form"))
    assert "Nhóm chưa có trường nào: hãy thêm trường vào nhóm (hoặc xóa nhóm) trước khi trình duyệt." in page
    assert "Nhóm trường mới luôn là nhóm bắt buộc." in page

    refused = text(officer.post("/admin/workflow/TEST-001/submit", follow_redirects=True))
    assert "Nhóm «Người nộp hồ sơ» (/properties/nguoi_nop_ho_so) chưa có trường nào" in refused
    assert latest_status() == VersionStatus.draft  # saving the draft stayed allowed

    add(officer, "text", "Họ và tên", parent=group, required=True)
    page = text(officer.get(f"/admin/editor/TEST-001/form?field={group}"))
    assert "Nhóm chưa có trường nào" not in page
    assert "Nhóm không bắt buộc: nếu người dân khai bất kỳ trường nào trong nhóm" in page  # next to the box
    response = officer.post("/admin/editor/TEST-001/form/update", data={
        "lock": lock_of(page), "path": group, "label": "Người nộp hồ sơ", "name": group, "kind": "group"})
    assert response.status_code == 302, text(response)
    listing = text(officer.get("/admin/editor/TEST-001/form"))
    rule = "Nhóm không bắt buộc: nếu người dân khai bất kỳ trường nào trong nhóm thì phải khai đủ các trường bắt buộc của nhóm"
    assert "· không bắt buộc" in listing and rule in listing

    accepted = text(officer.post("/admin/workflow/TEST-001/submit", follow_redirects=True))
    assert "Đã trình duyệt phiên bản" in accepted
    assert latest_status() == VersionStatus.in_review


def test_approving_a_version_sent_with_an_empty_group_is_refused(app: Flask) -> None:
    make_users(app)
    doc = builder_applicant_form()
    doc, _ = builder.add_field(doc, FieldSpec("repeat", "Con chung"))
    assert [(g.pointer, g.title) for g in empty_groups(doc)] == [("/properties/con_chung", "Con chung")]
    import_document(db.session, doc, author="officer")
    version = procedure_by_code(db.session, "TEST-002").versions[-1]
    version.status = VersionStatus.in_review  # sent before the rule existed
    db.session.commit()
    approver = client_for(app, APPROVER)
    page = text(approver.post("/admin/workflow/TEST-002/approve", data={
        "decision": "1/QĐ-UBND", "decision_date": "2026-03-01"}, follow_redirects=True))
    assert "Nhóm «Con chung» (/properties/con_chung) chưa có trường nào" in page


# -- paper -------------------------------------------------------------------------------------

def test_the_paper_form_marks_the_optional_group_once_and_not_its_required_fields() -> None:
    layout = build_layout(birth_document())
    father = next(f for f in layout.fields if f.path == "father")
    assert father.note == OPTIONAL_NOTE
    marked = sorted(child.path for child in father.children if child.note)
    # his own required fields carry no mark; only the fields optional even for a known father do
    assert marked == ["father.citizen_id", "father.ethnicity", "father.residence"]
    html = blank_form_html(birth_document())
    section = html.split("Thông tin người cha", 1)[1].split("Cha, mẹ đã đăng ký kết hôn", 1)[0]
    assert section.startswith(' <span class="note">(nếu có)</span></div>')  # once, on the group
    assert section.count(OPTIONAL_NOTE) == 1 + len(marked)
    for label in ("Họ, chữ đệm và tên", "Ngày, tháng, năm sinh", "Quốc tịch"):
        assert f'<span class="label">{label}:</span>' in section, label
    mother = next(f for f in layout.fields if f.path == "mother")
    assert mother.note == "" and "bị bỏ rơi" in mother.condition
