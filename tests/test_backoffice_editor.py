"""The procedure editor in the browser's place: create, build the form, JSON tab, conflicts."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.backoffice.facts import facts_form, to_instance
from admin.roles import APPROVER, PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import Dossier
from catalog.services import import_document
from catalog.services.history import latest_version, procedure_by_code
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from tests.backoffice_helpers import client_for, lock_of, make_users, text
from tests.factories import document

NEW = {"code": "TEST-001", "title": "Cấp giấy phép thử", "sector": "Hộ tịch",
       "competent": "Ủy ban nhân dân cấp xã", "level": "commune", "online_level": "3"}


@pytest.fixture
def officer(app: Flask) -> FlaskClient:
    make_users(app)
    return client_for(app, PROCEDURE_OFFICER)


def current(code: str = "TEST-001") -> dict:  # type: ignore[type-arg]
    db.session.expire_all()
    return latest_version(procedure_by_code(db.session, code)).document


def add(client: FlaskClient, kind: str, label: str, parent: str = "", required: bool = False) -> str:
    page = text(client.get("/admin/editor/TEST-001/form"))
    data = {"lock": lock_of(page), "add-kind": kind, "add-label": label, "add-parent": parent}
    if required:
        data["add-required"] = "y"
    response = client.post("/admin/editor/TEST-001/form/add", data=data)
    assert response.status_code == 302, text(response)
    return response.headers["Location"].split("field=")[-1].replace("%2E", ".").replace("%2e", ".")


def test_create_a_procedure_from_nothing(officer: FlaskClient) -> None:
    response = officer.post("/admin/procedures/new", data=NEW)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/editor/TEST-001/form")
    doc = current()
    assert doc["title"] == "Cấp giấy phép thử"
    assert doc["x-procedure"]["onlineService"] == {"level": 3}
    listing = text(officer.get("/admin/procedures/?q=giay phep thu"))
    assert "TEST-001" in listing and "Bản nháp" in listing


def test_a_new_procedure_states_only_what_the_officer_entered(officer: FlaskClient) -> None:
    response = officer.post("/admin/procedures/new", data=NEW | {"competent": ""})
    assert response.status_code == 302, text(response)
    facts = current()["x-procedure"]
    assert "competent" not in facts["agencies"]
    assert "processingTime" not in facts["channels"][0]  # not "1 ngày làm việc" by default
    assert {mark["pointer"] for mark in facts["review"]} == {
        "/x-procedure/agencies/competent", "/x-procedure/steps", "/x-procedure/results"}
    from catalog.services import publish

    publish(db.session, latest_version(procedure_by_code(db.session, "TEST-001")), actor="approver")
    page = text(officer.get("/procedures/TEST-001"))
    agency = page[page.index("Cơ quan có thẩm quyền"):][:400]
    assert "Chưa có thông tin" in agency and "Ủy ban" not in agency
    assert page.count("Cần kiểm tra") >= 3 and "Trình tự mẫu khi tạo thủ tục" in page


def test_new_procedure_form_refuses_bad_codes_and_duplicates(officer: FlaskClient) -> None:
    bad = officer.post("/admin/procedures/new", data=NEW | {"code": "abc def"})
    assert bad.status_code == 422 and "Mã quốc gia dạng" in text(bad)
    officer.post("/admin/procedures/new", data=NEW)
    again = officer.post("/admin/procedures/new", data=NEW)
    assert again.status_code == 422 and "Đã có thủ tục với mã này" in text(again)


def test_builder_actions_edit_the_draft_and_keep_it_valid(officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    name = add(officer, "text", "Họ và tên", required=True)
    case = add(officer, "choice", "Trường hợp")
    reason = add(officer, "textarea", "Lý do")
    children = add(officer, "repeat", "Con chung")
    child = add(officer, "date", "Ngày sinh của con", parent=children)
    assert (name, child) == ("ho_va_ten", "con_chung.ngay_sinh_cua_con")

    page = text(officer.get(f"/admin/editor/TEST-001/form?field={case}"))
    response = officer.post("/admin/editor/TEST-001/form/update", data={
        "lock": lock_of(page), "path": case, "label": "Trường hợp đăng ký", "name": case, "kind": "choice",
        "options": "Đúng hạn\nQuá hạn", "widget": "radio"})
    assert response.status_code == 302, text(response)
    page = text(officer.get(f"/admin/editor/TEST-001/form?field={reason}"))
    assert "Chỉ hiện và bắt buộc khi trường" in page
    response = officer.post("/admin/editor/TEST-001/form/update", data={
        "lock": lock_of(page), "path": reason, "label": "Lý do đăng ký quá hạn", "name": reason,
        "kind": "textarea", "when": case, "equals": "Quá hạn"})
    assert response.status_code == 302, text(response)

    doc = current()
    assert validate_procedure(doc) == []
    assert doc["properties"][case]["oneOf"][1] == {"const": "qua_han", "title": "Quá hạn"}
    assert doc["allOf"] == [{"if": {"properties": {case: {"const": "qua_han"}}, "required": [case]},
                             "then": {"required": [reason]}}]
    assert doc["properties"][children]["items"]["properties"]["ngay_sinh_cua_con"]["format"] == "date"

    page = text(officer.get("/admin/editor/TEST-001/form"))
    assert officer.post("/admin/editor/TEST-001/form/move", data={"lock": lock_of(page), "path": name, "delta": "1"}).status_code == 302
    assert list(current()["properties"])[:2] == [case, name]
    page = text(officer.get("/admin/editor/TEST-001/form"))
    assert officer.post("/admin/editor/TEST-001/form/delete", data={"lock": lock_of(page), "path": case}).status_code == 302
    doc = current()
    assert case not in doc["properties"] and "allOf" not in doc and validate_procedure(doc) == []


def test_a_refused_builder_action_says_why_and_changes_nothing(officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    add(officer, "text", "Họ và tên")
    before = current()
    page = text(officer.get("/admin/editor/TEST-001/form?field=ho_va_ten"))
    response = officer.post("/admin/editor/TEST-001/form/update", data={
        "lock": lock_of(page), "path": "ho_va_ten", "label": "Họ và tên", "name": "họ tên", "kind": "text"})
    assert response.status_code == 422
    assert "không hợp lệ" in text(response)
    assert current() == before


def test_json_tab_shows_each_error_with_its_pointer_and_saves_valid_documents(officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    page = text(officer.get("/admin/editor/TEST-001/json"))
    doc = current()
    doc["x-procedure"]["levels"] = ["village"]
    doc["properties"] = {"x": {"type": "date"}}  # a title is optional now; an unknown type is not
    response = officer.post("/admin/editor/TEST-001/json", data={"lock": lock_of(page), "document": json.dumps(doc)})
    assert response.status_code == 422
    body = text(response)
    assert "/x-procedure/levels/0" in body and "/properties/x" in body
    assert "village" in body  # the officer's text is still in the editor
    doc = current()
    doc["description"] = "Mô tả mới"
    response = officer.post("/admin/editor/TEST-001/json", data={"lock": lock_of(page), "document": json.dumps(doc)})
    assert response.status_code == 302
    assert current()["description"] == "Mô tả mới"
    broken = officer.post("/admin/editor/TEST-001/json", data={"lock": lock_of(page), "document": "{oops"})
    assert broken.status_code == 422 and "dòng 1" in text(broken)


def test_second_officer_saving_the_same_draft_gets_a_conflict_and_keeps_their_text(
        app: Flask, officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    other = client_for(app, "Admin")
    mine = text(officer.get("/admin/editor/TEST-001/json"))
    theirs = text(other.get("/admin/editor/TEST-001/json"))
    first = current() | {"description": "Bản của cán bộ thứ nhất"}
    assert officer.post("/admin/editor/TEST-001/json", data={
        "lock": lock_of(mine), "document": json.dumps(first)}).status_code == 302
    second = current() | {"description": "Bản của người thứ hai — rất dài, không được mất"}
    response = other.post("/admin/editor/TEST-001/json", data={
        "lock": lock_of(theirs), "document": json.dumps(second, ensure_ascii=False)})
    assert response.status_code == 409
    body = text(response)
    assert "vừa được officer lưu" in body
    assert "Bản của người thứ hai — rất dài, không được mất" in body
    assert current()["description"] == "Bản của cán bộ thứ nhất"
    stale = other.post("/admin/editor/TEST-001/form/add", data={
        "lock": lock_of(theirs), "add-kind": "text", "add-label": "Trường mới"})
    assert stale.status_code == 409 and "Trường mới" in text(stale)


def post_facts(client: FlaskClient, page: str, instance: dict, code: str = "TEST-001"):  # type: ignore[no-untyped-def, type-arg]
    data = facts_form().encode(instance)
    data["lock"] = lock_of(page)
    return client.post(f"/admin/editor/{code}/facts", data=data)


def test_facts_tab_is_a_generated_form_that_saves_title_and_facts(officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    page = text(officer.get("/admin/editor/TEST-001/facts"))
    assert 'name="channels-0-processingTime-value"' in page and "Cách thức thực hiện" in page
    instance = to_instance(current())
    instance["title"] = "Tên mới"
    instance["channels"].append({"mode": "online", "processingTime": {"value": 2, "unit": "working_days"},
                                 "fees": [{"name": "Lệ phí", "amount": 5000, "kind": "charge"}]})
    instance["documents"] = [{"id": "to_khai", "name": "Tờ khai", "originals": 1, "required": True}]
    response = post_facts(officer, page, instance)
    assert response.status_code == 302, text(response)
    doc = current()
    assert doc["title"] == "Tên mới" and doc["x-procedure"]["code"] == "TEST-001"
    assert doc["x-procedure"]["channels"][1]["fees"] == [{"name": "Lệ phí", "amount": 5000, "kind": "charge"}]
    assert doc["x-procedure"]["documents"][0]["name"] == "Tờ khai"
    assert validate_procedure(doc) == []


def test_facts_tab_shows_field_errors_and_document_rules_with_pointers(officer: FlaskClient) -> None:
    officer.post("/admin/procedures/new", data=NEW)
    page = text(officer.get("/admin/editor/TEST-001/facts"))
    instance = to_instance(current())
    instance["channels"][0]["fees"] = [{"name": "Lệ phí", "amount": -5}]
    response = post_facts(officer, page, instance)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text(response)
    instance = to_instance(current())
    instance["channels"].append(dict(instance["channels"][0]))  # the same channel twice
    response = post_facts(officer, page, instance)
    assert response.status_code == 422
    assert "/x-procedure/channels/1/mode" in text(response)
    assert len(current()["x-procedure"]["channels"]) == 1


def test_preview_is_the_citizen_form_and_tries_a_dry_run(app: Flask, officer: FlaskClient) -> None:
    import_document(db.session, document("1.001193"), author="someone")
    page = text(officer.get("/admin/editor/1.001193/preview"))
    assert 'name="applicant-full_name"' in page and "Thử nộp (không lưu)" in page
    form = compile_form(document("1.001193"))
    data = form.encode({"applicant": {"full_name": "Nguyễn Văn An", "citizen_id": "001203012345",
                                      "phone": "0912345678"}})
    refused = officer.post("/admin/editor/1.001193/preview", data=data)
    assert refused.status_code == 422 and 'aria-invalid="true"' in text(refused)
    data["attachments-birth_certificate"] = (io.BytesIO(b"%PDF-1.4 test"), "giay-chung-sinh.pdf")
    tried = officer.post("/admin/editor/1.001193/preview", data=data, content_type="multipart/form-data")
    assert tried.status_code == 200, text(tried)
    assert "Dữ liệu hợp lệ" in text(tried) and "Nguyễn Văn An" in text(tried)
    assert len(db.session.query(Dossier).all()) == 0


def test_editor_is_read_only_once_submitted(app: Flask, officer: FlaskClient) -> None:
    import_document(db.session, document("1.001193"), author="someone")
    page = text(officer.get("/admin/editor/1.001193/json"))
    officer.post("/admin/workflow/1.001193/submit")
    response = officer.post("/admin/editor/1.001193/json", data={
        "lock": lock_of(page), "document": json.dumps(document("1.001193"))})
    assert response.status_code == 409
    assert "không sửa được" in text(response)
    approver = client_for(app, APPROVER)
    view = approver.get("/admin/editor/1.001193/form")
    assert view.status_code == 200 and "chỉ xem được" in text(view)
    assert approver.post("/admin/editor/1.001193/form/add", data={"lock": "1"}).status_code == 403
