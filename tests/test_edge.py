"""The edge layer: control characters refused everywhere, security headers, Vietnamese error pages,
digits stored as ASCII, codes that are exactly a code, damaged zips and absurd JSON answered politely."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from admin.roles import ADMIN, PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import Dossier, Procedure
from catalog.services import import_document
from form_schemas.problems import InvalidProcedure
from tests.backoffice_helpers import client_for, make_users
from tests.factories import document
from tests.test_site_apply import GOOD, TOKEN_FIELD, open_form, pdf_file

REFUSED = "ký tự điều khiển"


def publish(doc: dict[str, Any] | None = None) -> None:
    import_document(db.session, doc or document(), author="test", publish=True)
    db.session.commit()


def apply(client: Any, **fields: Any) -> Any:
    data: dict[str, Any] = {"_motcua.step": "submit", TOKEN_FIELD: open_form(client), **GOOD,
                            "attachments-birth_certificate": pdf_file(), **fields}
    return client.post("/procedures/1.001193/apply", data=data, content_type="multipart/form-data")


def dossiers() -> list[Dossier]:
    db.session.rollback()
    return list(db.session.scalars(select(Dossier)))


# --- control characters, on SQLite and PostgreSQL ---------------------------------------------


def test_nul_in_path_and_query_is_a_vietnamese_400(db_app: Flask) -> None:
    client = db_app.test_client()
    for url in ("/procedures/1.001193%00", "/dossiers/%00x", "/?q=khai%00sinh", "/?q%00=x",
                "/procedures/?q=%1b[31m"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert REFUSED in response.text
    api = client.get("/api/v1/procedures/?q=%00")
    assert api.status_code == 400
    assert REFUSED in api.json["message"] and "control character" in api.json["message_en"]
    assert client.get("/admin/transfer/?x=%00").status_code == 400


def test_nul_in_a_form_field_or_file_name_is_refused_and_nothing_stored(db_app: Flask) -> None:
    publish()
    client = db_app.test_client()
    for fields in ({"applicant-full_name": "Nguyễn\x00 Văn An"},
                   {"attachments-birth_certificate": pdf_file("giay\x00.pdf")},
                   {"applicant-full_name\x07": "x"}):
        response = apply(client, **fields)
        assert response.status_code == 400, fields
        assert REFUSED in response.text
    assert dossiers() == []


def test_tab_and_newlines_stay_allowed_in_form_values(db_app: Flask) -> None:
    publish()
    response = apply(db_app.test_client(), **{"applicant-full_name": "Nguyễn Văn\tAn"})
    assert response.status_code == 303


def test_nul_in_a_json_body_is_refused_as_json(db_app: Flask) -> None:
    client = db_app.test_client()
    body = json.dumps({"title": "Khai\u0000 sinh"})
    response = client.post("/api/v1/procedures/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json and REFUSED in response.json["message"]
    key = client.post("/api/v1/procedures/", data=json.dumps({"a\u0001": 1}), content_type="application/json")
    assert key.status_code == 400


def test_json_nested_100000_deep_is_a_400_not_a_500(db_app: Flask) -> None:
    client = db_app.test_client()
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/procedures/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "lồng quá" in response.json["message"] and "nests deeper" in response.json["message_en"]
    # brackets inside strings are text, not nesting
    text = json.dumps({"title": "[" * 500})
    assert client.post("/api/v1/procedures/", data=text, content_type="application/json").status_code != 400


# --- headers ---------------------------------------------------------------------------------


def _assert_security_headers(response: Any) -> str:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[-1].split(";", 1)[0] if "script-src" in csp else True
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    return csp


def test_security_headers_on_site_back_office_and_api(app: Flask) -> None:
    publish()
    client = app.test_client()
    site_csp = _assert_security_headers(client.get("/procedures/1.001193"))
    assert "script-src 'self'" in site_csp and "style-src 'self';" in site_csp
    _assert_security_headers(client.get("/login/"))
    make_users(app)
    officer = client_for(app, PROCEDURE_OFFICER)
    fab_page = officer.get("/users/userinfo/")  # Flask-AppBuilder's own page, with its scripts
    office_csp = _assert_security_headers(fab_page)
    nonce = re.search(r"'nonce-([^']+)'", office_csp)
    assert nonce, "the back office's scripts run with a per-request nonce"
    scripts = re.findall(r"<script\b[^>]*>", fab_page.text)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    again = re.search(r"'nonce-([^']+)'", officer.get("/users/userinfo/").headers["Content-Security-Policy"])
    assert again and again.group(1) != nonce.group(1)
    api_csp = _assert_security_headers(client.get("/api/v1/procedures/"))
    assert api_csp.startswith("default-src 'none'")
    _assert_security_headers(client.get("/no-such-page"))


# --- error pages -------------------------------------------------------------------------------


def test_the_sites_500_is_a_styled_vietnamese_page(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/test-only-broken", "test_only_broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/test-only-broken")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in response.text
    assert '<meta name="viewport"' in response.text and "site.css" in response.text
    assert "boom" not in response.text and "Internal Server Error" not in response.text


@pytest.mark.parametrize("method,url,status,title", [
    ("get", "/khong-co-trang-nay", 404, "Không tìm thấy"),
    ("post", "/procedures/1.001193", 405, "Thao tác không được hỗ trợ"),
    ("get", "/procedures/%00", 400, "Yêu cầu không hợp lệ"),
])
def test_every_site_status_has_a_vietnamese_page(app: Flask, method: str, url: str, status: int, title: str) -> None:
    response = getattr(app.test_client(), method)(url)
    assert response.status_code == status
    assert title in response.text and 'lang="vi"' in response.text and "site.css" in response.text


@pytest.mark.parametrize("status", [400, 403, 404, 405, 413, 429, 500, 503])
def test_every_status_is_answered_in_vietnamese_on_site_back_office_and_api(app: Flask, status: int) -> None:
    from flask import abort

    from admin.edge import STATUS_TEXT

    for prefix in ("", "/admin", "/api"):
        app.add_url_rule(f"{prefix}/test-only-abort/<int:code>", f"test_only_abort{prefix.replace('/', '_')}",
                         lambda code: abort(code))
    client = app.test_client()
    title_vi, _message_vi, title_en, _message_en = STATUS_TEXT[status]
    site = client.get(f"/test-only-abort/{status}")
    assert site.status_code == status
    assert 'lang="vi"' in site.text and "site.css" in site.text and '<meta name="viewport"' in site.text
    assert f">{title_vi}</h1>" in site.text, "a styled page with its heading"
    office = client.get(f"/admin/test-only-abort/{status}")
    assert office.status_code == status and title_vi in office.text and title_en in office.text
    api = client.get(f"/api/test-only-abort/{status}")
    assert api.status_code == status and api.is_json and api.json["message"] and api.json["message_en"]


def test_back_office_and_api_errors_are_vietnamese(app: Flask) -> None:
    client = app.test_client()
    office = client.get("/admin/khong-co")
    assert office.status_code == 404 and "Không tìm thấy" in office.text and "Not found" in office.text
    api = client.get("/api/v1/khong-co")
    assert api.status_code == 404 and api.is_json and api.json["message"]


# --- digits, codes, zips -----------------------------------------------------------------------


def test_full_width_digits_are_stored_as_ascii_and_arabic_indic_refused(db_app: Flask) -> None:
    publish()
    client = db_app.test_client()
    full_width = apply(client, **{"applicant-citizen_id": "００１０９００１２３４５", "applicant-phone": "０９１２３４５６７８"})
    assert full_width.status_code == 303
    [dossier] = dossiers()
    stored = json.dumps(dossier.data if hasattr(dossier, "data") else dossier.instance, ensure_ascii=False)
    assert "001090012345" in stored and "0912345678" in stored and "０" not in stored
    arabic = apply(client, **{"applicant-citizen_id": "٠٠١٠٩٠٠١٢٣٤٥"})
    assert arabic.status_code == 422
    assert len(dossiers()) == 1


@pytest.mark.parametrize("code", ["1.001193\n", " 1.001193", "1.001193 ", "1.001193\t"])
def test_a_code_with_whitespace_is_refused_with_its_pointer(app: Flask, code: str) -> None:
    publish()
    with pytest.raises(InvalidProcedure) as refused:
        import_document(db.session, document(code=code), author="test", publish=True)
    assert "/x-procedure/code" in {problem.pointer for problem in refused.value.problems}
    db.session.rollback()
    assert db.session.scalar(select(func.count(Procedure.id))) == 1


def test_a_zip_with_a_bad_crc_is_refused_with_a_message(app: Flask) -> None:
    make_users(app)
    officer = client_for(app, PROCEDURE_OFFICER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.json", json.dumps(document(code="1.000001")))
    data = bytearray(buffer.getvalue())
    at = data.index(b'"title"')
    data[at + 2] ^= 0x01  # one byte of the member changed: its CRC no longer matches
    response = officer.post("/admin/transfer/import", data={"file": (io.BytesIO(bytes(data)), "lo.zip")},
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Tệp zip bị hỏng" in response.text
    assert db.session.scalar(select(func.count(Procedure.id))) == 0


# --- the CSP in a real browser -------------------------------------------------------------------


@pytest.mark.browser
def test_no_page_breaks_the_content_security_policy(live_server: Any, page: Any) -> None:
    """Chromium reports every script or style the policy blocks; our pages must have none."""
    from tests.test_backoffice_browser import login

    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    base = live_server.url
    for path in ("/", "/procedures/1.001193", "/procedures/1.001193/apply", "/dossiers/", "/khong-co"):
        page.goto(base + path)
    page.goto(f"{base}/procedures/1.001193/apply")
    page.wait_for_function("document.querySelector('[data-motcua-ready], form') !== null")
    login(page, base, PROCEDURE_OFFICER)
    for path in ("/admin/procedures/", "/admin/editor/1.001193/facts", "/admin/editor/1.001193/form",
                 "/admin/editor/1.001193/preview", "/admin/transfer/", "/users/userinfo/"):
        page.goto(base + path)
        page.wait_for_load_state("load")
    login(page, base, ADMIN)
    for path in ("/users/list/", "/admin/audit/"):
        page.goto(base + path)
        page.wait_for_load_state("load")
    page.goto(f"{base}/swagger/v1")
    page.wait_for_selector("#swagger-ui .info")  # Swagger UI's bundle ran under the policy
    assert violations == []


def test_a_document_with_nul_in_a_title_is_refused_with_its_pointer_not_a_500(db_app: Flask) -> None:
    make_users(db_app)
    officer = client_for(db_app, PROCEDURE_OFFICER)
    doc = document(code="1.000001", title="Khai\u0000 sinh")
    response = officer.post("/admin/transfer/import", content_type="multipart/form-data",
                            data={"file": (io.BytesIO(json.dumps(doc).encode()), "a.json")})
    assert response.status_code == 422
    assert "/title" in response.text and "ký tự điều khiển" in response.text
    db.session.rollback()
    assert db.session.scalar(select(func.count(Procedure.id))) == 0


@pytest.mark.browser
def test_full_width_digits_typed_in_the_browser_become_ascii(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/procedures/1.001193/apply")
    field = page.locator("input[inputmode=numeric]").first
    field.fill("００１０９００１２３４５")
    field.blur()
    assert field.input_value() == "001090012345"
    assert field.evaluate("el => el.checkValidity()")
