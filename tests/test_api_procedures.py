"""The REST API: public reads of published procedures, JWT or API-key writes, JSON errors."""

from __future__ import annotations

import copy

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.roles import DEMO_USERS, POSTING_OFFICER, PROCEDURE_OFFICER, RECEPTION_OFFICER
from catalog.db import db
from catalog.models import Dossier
from catalog.services import import_document, submit_for_review
from catalog.services.history import procedure_by_code
from tests.backoffice_helpers import client_for, make_users
from tests.factories import document


@pytest.fixture
def api(app: Flask) -> FlaskClient:
    make_users(app)
    import_document(db.session, document("1.001193"), author="demo", publish=True)
    import_document(db.session, document("1.000894", title="Đăng ký kết hôn"), author="demo")
    return client_for(app)


def token(client: FlaskClient, role: str) -> dict[str, str]:
    username, password = DEMO_USERS[role]
    response = client.post("/api/v1/security/login", json={"username": username, "password": password,
                                                            "provider": "db"})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def test_public_list_shows_published_procedures_and_searches_without_accents(api: FlaskClient) -> None:
    body = api.get("/api/v1/procedures/").json
    assert [p["code"] for p in body["result"]] == ["1.001193"]
    assert body["result"][0] | {"updated_at": None} == {
        "code": "1.001193", "name": "Đăng ký khai sinh", "sector": "Hộ tịch", "levels": ["commune"],
        "online_level": 4, "status": "published", "published_version": 1, "latest_version": 1,
        "updated_at": None}
    assert api.get("/api/v1/procedures/?q=dang ky khai sinh").json["count"] == 1
    assert api.get("/api/v1/procedures/?q=ket hon").json["count"] == 0
    assert api.get("/api/v1/procedures/?include_drafts=true").json["count"] == 1
    bad = api.get("/api/v1/procedures/?page=0")
    assert bad.status_code == 400 and "page" in bad.json["fields"]


def test_current_document_and_versions(api: FlaskClient) -> None:
    body = api.get("/api/v1/procedures/1.001193").json
    assert body["document"] == document("1.001193")
    assert body["version"]["number"] == 1 and body["version"]["status"] == "published"
    assert api.get("/api/v1/procedures/1.001193/versions/1").json["document"] == document("1.001193")
    missing = api.get("/api/v1/procedures/9.999999")
    assert missing.status_code == 404 and missing.json["message"] == "Không có thủ tục mã 9.999999."
    assert api.get("/api/v1/procedures/1.000894").status_code == 404  # never published
    assert api.get("/api/v1/procedures/1.000894/versions/1").status_code == 404  # a draft, to the public
    assert api.get("/api/v1/procedures/1.000894/versions").status_code == 404


def test_drafts_are_readable_with_a_token_that_may_read_them(api: FlaskClient) -> None:
    officer = token(api, PROCEDURE_OFFICER)
    draft = api.get("/api/v1/procedures/1.000894/versions/1", headers=officer)
    assert draft.status_code == 200 and draft.json["version"]["status"] == "draft"
    assert api.get("/api/v1/procedures/?include_drafts=true", headers=officer).json["count"] == 2
    posting = token(api, POSTING_OFFICER)
    assert api.get("/api/v1/procedures/1.000894/versions/1", headers=posting).status_code == 404
    forged = {"Authorization": "Bearer not-a-token"}
    assert api.get("/api/v1/procedures/1.000894/versions/1", headers=forged).status_code == 401


def test_import_needs_a_token_and_reports_schema_errors_with_pointers(api: FlaskClient) -> None:
    new = document("2.000815", title="Chứng thực bản sao từ bản chính")
    assert api.post("/api/v1/procedures/", json=new).status_code == 401
    officer = token(api, PROCEDURE_OFFICER)
    created = api.post("/api/v1/procedures/", json=new, headers=officer)
    assert created.status_code == 201
    assert created.json == {"code": "2.000815", "number": 1, "status": "draft", "changed": True}
    again = api.post("/api/v1/procedures/", json=new, headers=officer)
    assert again.status_code == 200 and again.json["changed"] is False
    bad = copy.deepcopy(new)
    bad["x-procedure"]["channels"][0]["mode"] = "fax"
    del bad["title"]
    refused = api.post("/api/v1/procedures/", json=bad, headers=officer)
    assert refused.status_code == 422
    pointers = {e["pointer"] for e in refused.json["errors"]}
    assert {"/x-procedure/channels/0/mode", "/"} <= pointers  # "/": the missing title
    assert all(e["message"] and e["message_en"] for e in refused.json["errors"])
    not_json = api.post("/api/v1/procedures/", data="{", headers=officer | {"Content-Type": "application/json"})
    assert not_json.status_code == 400
    assert api.post("/api/v1/procedures/", json=new, headers=token(api, POSTING_OFFICER)).status_code == 403


def test_import_into_a_version_in_review_is_a_conflict(api: FlaskClient) -> None:
    submit_for_review(db.session, procedure_by_code(db.session, "1.000894"), actor="officer")
    changed = document("1.000894", title="Đăng ký kết hôn (sửa)")
    response = api.post("/api/v1/procedures/", json=changed, headers=token(api, PROCEDURE_OFFICER))
    assert response.status_code == 409 and "đang chờ duyệt" in response.json["message"]


def test_api_keys_authenticate_writes(app: Flask, api: FlaskClient) -> None:
    sm = app.appbuilder.sm
    user = sm.find_user(username=DEMO_USERS[PROCEDURE_OFFICER][0])
    key = sm.create_api_key(user, "nhập từ hệ thống tỉnh")["key"]
    response = api.post("/api/v1/procedures/", json=document("2.000815"), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201
    sm.revoke_api_key(sm.find_api_keys_for_user(user.id)[0].uuid)
    again = api.post("/api/v1/procedures/", json=document("2.000815"), headers={"Authorization": f"Bearer {key}"})
    assert again.status_code == 401


def test_api_keys_page_creates_and_revokes_the_users_own_keys(app: Flask, api: FlaskClient) -> None:
    officer = client_for(app, PROCEDURE_OFFICER)
    page = officer.post("/admin/api-keys/create", data={"name": "Máy chủ tỉnh"}).get_data(as_text=True)
    key = page.split('id="new-key" readonly value="')[1].split('"')[0]
    assert key.startswith("sst_")
    assert api.get("/api/v1/procedures/1.000894/versions/1",
                   headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_reception_lists_the_dossiers_of_a_procedure(app: Flask, api: FlaskClient) -> None:
    procedure = procedure_by_code(db.session, "1.001193")
    db.session.add(Dossier(code="HS-2026-000001", procedure=procedure, version=procedure.published_version,
                           data={}, applicant_name="Nguyễn Văn An", status="received", fee_due=10000))
    db.session.commit()
    body = api.get("/api/v1/procedures/1.001193/dossiers", headers=token(api, RECEPTION_OFFICER)).json
    assert body["count"] == 1
    assert body["result"][0] | {"received_at": None} == {
        "code": "HS-2026-000001", "status": "received", "channel": "online", "applicant_name": "Nguyễn Văn An",
        "received_at": None, "appointment_date": None, "version": 1, "fee_due": 10000}
    assert api.get("/api/v1/procedures/1.001193/dossiers", headers=token(api, PROCEDURE_OFFICER)).status_code == 403
    assert api.get("/api/v1/procedures/1.001193/dossiers").status_code == 401
    reception = client_for(app, RECEPTION_OFFICER)
    assert reception.get("/api/v1/procedures/1.001193/dossiers").status_code == 200  # browser session


def test_openapi_document_is_public_and_describes_the_procedure_api(api: FlaskClient) -> None:
    spec = api.get("/api/v1/_openapi").json
    paths = spec["paths"]
    for path in ("/procedures/", "/procedures/{code}", "/procedures/{code}/versions",
                 "/procedures/{code}/versions/{number}", "/procedures/{code}/dossiers"):
        assert any(p.endswith(path) for p in paths), path
    assert "ErrorSchema" in spec["components"]["schemas"]


def test_the_list_for_an_office_has_what_it_receives_at_its_local_online_level(api: FlaskClient) -> None:
    from catalog.services.local_versions import approve_local, save_local_draft, submit_local
    from catalog.services.postings import assign_procedures, create_office

    import_document(db.session, document("1.000894", title="Đăng ký kết hôn"), author="demo", publish=True)
    office = create_office(db.session, "Bộ phận Một cửa UBND phường Đông Hà")
    assign_procedures(db.session, office.id, "1.001193")
    local = save_local_draft(db.session, procedure_by_code(db.session, "1.001193"),
                             {"basis": {"number": "45/QĐ-UBND", "issuer": "UBND phường Đông Hà",
                                        "issuedOn": "2025-08-01"}, "onlineService": {"level": 3}},
                             actor="officer", office_id=office.id)
    submit_local(db.session, local, actor="officer")
    approve_local(db.session, local, actor="approver")

    everywhere = api.get("/api/v1/procedures/").json
    assert {p["code"]: p["online_level"] for p in everywhere["result"]} == {"1.001193": 4, "1.000894": 4}
    here = api.get(f"/api/v1/procedures/?office={office.id}").json
    assert here["count"] == 1
    assert [(p["code"], p["online_level"]) for p in here["result"]] == [("1.001193", 3)]
    officer = token(api, PROCEDURE_OFFICER)
    with_drafts = api.get(f"/api/v1/procedures/?office={office.id}&include_drafts=true", headers=officer).json
    assert [p["code"] for p in with_drafts["result"]] == ["1.001193"]  # the office filter holds for drafts too
    missing = api.get("/api/v1/procedures/?office=999999")
    assert missing.status_code == 404 and "999999" in missing.json["message"]
