"""Tracking a dossier: who may see it, its files and its receipt; the level 4 fee step."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from admin.roles import POSTING_OFFICER, RECEPTION_OFFICER
from admin.setup import create_user
from catalog.db import db
from catalog.models import Dossier
from tests.conftest import AuthActions
from tests.factories import document
from tests.test_attachments import PDF
from tests.test_site_apply import open_form, pdf_file, post, publish


def applied(client: FlaskClient, doc: dict | None = None) -> str:
    publish(doc)
    response = post(client, open_form(client), file=pdf_file())
    assert response.status_code == 303
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_another_browser_needs_the_code_and_the_phone(app: Flask, client: FlaskClient) -> None:
    code = applied(client)
    stranger = app.test_client()
    hidden = stranger.get(f"/dossiers/{code}")
    assert hidden.status_code == 403
    assert "Nguyễn Văn An" not in hidden.text
    assert f'value="{code}"' in hidden.text  # the lookup form, ready for the phone number
    unknown = stranger.get("/dossiers/2026-1.001193-999999")
    assert unknown.status_code == 403  # unknown codes look the same: nothing is revealed
    wrong = stranger.post("/dossiers/", data={"code": code, "phone": "0987654321"})
    assert wrong.status_code == 422
    assert "Không tìm thấy hồ sơ" in wrong.text
    right = stranger.post("/dossiers/", data={"code": code, "phone": "+84912345678"})
    assert right.status_code == 303 and right.headers["Location"].endswith(f"/dossiers/{code}")
    assert stranger.get(f"/dossiers/{code}").status_code == 200


def test_guessing_phone_numbers_is_slowed_down(tmp_path, sqlite_template) -> None:  # type: ignore[no-untyped-def]
    from tests.test_backoffice_security import fresh_app

    limited = fresh_app(tmp_path, sqlite_template, RATELIMIT_ENABLED=True, LOOKUP_RATE_LIMIT="3 per 5 minute")
    stranger = limited.test_client()
    statuses = [stranger.post("/dossiers/", data={"code": "2026-1.001193-000001",
                                                  "phone": f"09123456{n:02d}"}).status_code
                for n in range(5)]
    assert statuses == [422, 422, 422, 429, 429]
    refused = stranger.post("/dossiers/", data={"code": "2026-1.001193-000001", "phone": "0912345678"})
    assert "Thử quá nhiều lần" in refused.text and "đợi vài phút" in refused.text
    assert stranger.get("/dossiers/").status_code == 200  # the form itself stays open


def test_lookup_without_both_fields_asks_for_them(client: FlaskClient) -> None:
    response = client.post("/dossiers/", data={"code": "2026-1.001193-000001"})
    assert response.status_code == 422
    assert "cả mã hồ sơ và số điện thoại" in response.text


def test_the_dossier_page_shows_status_dates_and_history(app: Flask, client: FlaskClient) -> None:
    code = applied(client)
    page = client.get(f"/dossiers/{code}").text
    dossier = db.session.scalars(select(Dossier)).one()
    assert dossier.appointment_date is not None
    assert dossier.appointment_date.strftime("%d/%m/%Y") in page
    assert "Ngày hẹn trả kết quả" in page
    assert "Nộp hồ sơ trực tuyến" in page  # history
    assert "Giấy chứng sinh" in page and "1 bản chính" in page
    assert re.search(r"\d{2}:\d{2}, \d{2}/\d{2}/\d{4}", page)  # received at, Vietnam time


def test_files_are_served_to_the_applicant(app: Flask, client: FlaskClient) -> None:
    code = applied(client)
    attachment = db.session.scalars(select(Dossier)).one().attachments[0]
    url = f"/dossiers/{code}/files/{attachment.id}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert app.test_client().get(url).status_code == 403
    assert client.get(f"/dossiers/{code}/files/not-this-one").status_code == 404


@pytest.mark.parametrize(("role", "at_office", "allowed"), [(RECEPTION_OFFICER, True, True),
                                                       (RECEPTION_OFFICER, False, False),
                                                       (POSTING_OFFICER, True, False)])
def test_files_are_served_to_the_offices_reception_staff_only(app: Flask, client: FlaskClient, role: str,
                                                              at_office: bool, allowed: bool) -> None:
    from catalog.services import offices as office_service

    code = applied(client)
    found = db.session.scalars(select(Dossier)).one()
    attachment = found.attachments[0]
    office = office_service.create_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",
                                          actor="admin", parent_body="UBND TỈNH QUẢNG TRỊ", level="province",
                                          province_code="44")
    found.office_id = office.id
    db.session.commit()
    assert create_user("staff", role, "staff-pass-2026") is None
    if at_office:
        office_service.assign_staff(db.session, office.id, int(app.appbuilder.sm.find_user(username="staff").id))
    staff = app.test_client()
    AuthActions(staff).login("staff", "staff-pass-2026")
    response = staff.get(f"/dossiers/{code}/files/{attachment.id}")
    assert (response.status_code == 200) is allowed
    assert (staff.get(f"/dossiers/{code}").status_code == 200) is allowed


def test_the_receipt_is_offered_to_the_applicant_only(app: Flask, client: FlaskClient) -> None:
    import io

    from pypdf import PdfReader

    code = applied(client)
    response = client.get(f"/dossiers/{code}/receipt.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    dossier = db.session.scalars(select(Dossier)).one()
    assert code in text
    assert "Nguyễn Văn An" in text and "0912345678" in text
    from renderers.pdf.receipt import date_words  # slip 01 writes dates as Nghị định 30/2020 does

    assert date_words(dossier.appointment_date) in " ".join(text.split())
    assert "Giấy chứng sinh" in text
    assert app.test_client().get(f"/dossiers/{code}/receipt.pdf").status_code == 403


def test_the_filled_form_prints_what_the_applicant_filed(app: Flask, client: FlaskClient) -> None:
    import io

    from pypdf import PdfReader

    code = applied(client)
    assert "/form.pdf" in client.get(f"/dossiers/{code}").text
    response = client.get(f"/dossiers/{code}/form.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Văn An" in text and "0912345678" in text
    assert "giay-chung-sinh.pdf" in text  # the upload by its name, not its storage id
    attachment = db.session.scalars(select(Dossier)).one().attachments[0]
    assert attachment.id not in text
    assert app.test_client().get(f"/dossiers/{code}/form.pdf").status_code == 403


# --- level 4: the fee step ---------------------------------------------------------------


def test_paying_the_fee_through_the_sandbox(app: Flask, client: FlaskClient) -> None:
    code = applied(client)
    page = client.get(f"/dossiers/{code}").text
    assert "Bước tiếp theo: nộp phí, lệ phí" in page and "10.000 đồng" in page
    started = client.post(f"/dossiers/{code}/pay")
    assert started.status_code == 303
    sandbox_url = started.headers["Location"]
    assert sandbox_url.startswith("/payments/sandbox/")
    sandbox = client.get(sandbox_url)
    assert sandbox.status_code == 200
    assert code in sandbox.text and "10.000 đồng" in sandbox.text
    back = client.post(sandbox_url, data={"outcome": "pay"})
    assert back.status_code == 303 and back.headers["Location"] == f"/dossiers/{code}"
    page = client.get(f"/dossiers/{code}").text
    assert "Đã nộp phí, lệ phí thành công." in page
    assert "Đã nộp 10.000 đồng" in page
    assert "Nộp phí trực tuyến" not in page
    payment = db.session.scalars(select(Dossier)).one().payments[0]
    assert payment.status == "paid" and payment.paid_at is not None
    assert client.post(sandbox_url, data={"outcome": "fail"}).status_code == 303
    db.session.refresh(payment)
    assert payment.status == "paid"  # the first outcome is final


@pytest.mark.parametrize(("outcome", "message"), [
    ("fail", "Thanh toán không thành công"), ("cancel", "Bạn đã hủy thanh toán"),
])
def test_a_failed_or_cancelled_payment_can_be_tried_again(app: Flask, client: FlaskClient,
                                                          outcome: str, message: str) -> None:
    code = applied(client)
    sandbox_url = client.post(f"/dossiers/{code}/pay").headers["Location"]
    client.post(sandbox_url, data={"outcome": outcome})
    page = client.get(f"/dossiers/{code}").text
    assert message in page
    assert "Nộp phí trực tuyến" in page


def test_the_sandbox_refuses_forged_sessions_and_outcomes(app: Flask, client: FlaskClient) -> None:
    code = applied(client)
    sandbox_url = client.post(f"/dossiers/{code}/pay").headers["Location"]
    assert client.get(sandbox_url + "x").status_code == 404
    assert client.post(sandbox_url, data={"outcome": "steal"}).status_code == 422


def test_nobody_else_can_start_a_payment(app: Flask, client: FlaskClient) -> None:
    code = applied(client)
    assert app.test_client().post(f"/dossiers/{code}/pay").status_code == 403


def test_level_three_dossiers_say_the_fee_is_paid_in_person(app: Flask, client: FlaskClient) -> None:
    doc = document()
    doc["x-procedure"]["onlineService"] = {"level": 3}
    code = applied(client, doc)
    page = client.get(f"/dossiers/{code}").text
    assert "Nộp phí trực tuyến" not in page
    assert "10.000 đồng, nộp khi nhận kết quả" in page
