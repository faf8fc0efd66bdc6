"""The applicant downloads the slips sent to them from the dossier page; a stranger gets the
lookup form; slip 06 stays with the office."""

from __future__ import annotations

import subprocess

import pytest
from flask import Flask

from catalog.attachments import AttachmentStore
from tests import test_dossier_status
from tests.test_dossier_status import do, open_page, submit

pytestmark = pytest.mark.db
app = test_dossier_status.app  # the fixtures: a published procedure, the attachment store
store = test_dossier_status.store


def test_the_applicant_downloads_the_supplement_request(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    do("receive", dossier.code)
    do("request_supplement", dossier.code)
    page = open_page(app, dossier)
    assert "Giấy tờ gửi bạn" in page and "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (PDF)" in page
    event_id = dossier.events[-1].id
    assert f"/dossiers/{dossier.code}/slips/02.pdf?event={event_id}" in page
    client = app.test_client()
    client.get(f"/dossiers/{dossier.code}?t={dossier.tracking_token}")
    response = client.get(f"/dossiers/{dossier.code}/slips/02.pdf?event={event_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True).stdout.decode()
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Giấy chứng sinh" in text
    assert client.get(f"/dossiers/{dossier.code}/slips/03.pdf").status_code == 404  # never refused
    assert client.get(f"/dossiers/{dossier.code}/slips/06.pdf").status_code == 404  # staff only
    stranger = app.test_client().get(f"/dossiers/{dossier.code}/slips/02.pdf")
    assert stranger.status_code == 403 and stranger.mimetype == "text/html"
    assert "số điện thoại" in stranger.text


def test_the_control_slip_is_for_reception_staff_and_the_list_speaks_english(app: Flask,
                                                                              store: AttachmentStore) -> None:
    from admin.roles import RECEPTION_OFFICER
    from admin.setup import create_user
    from tests.conftest import AuthActions

    dossier = submit(store)
    do("receive", dossier.code)
    do("refuse", dossier.code)
    page = open_page(app, dossier, "en")
    assert "Papers sent to you" in page and "Notice of refusal to receive or process the dossier (PDF)" in page
    assert create_user("desk", RECEPTION_OFFICER, "desk-pass-2026") is None
    from sqlalchemy import update

    from catalog.db import db
    from catalog.models import Dossier
    from catalog.services import offices

    office = offices.create_office(db.session, "Bộ phận một cửa phường Đông Hà", parent_body="UBND PHƯỜNG ĐÔNG HÀ",
                                   level="commune", province_code="44", commune_code="19333")
    db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(office_id=office.id))
    offices.assign_staff(db.session, office.id, app.appbuilder.sm.find_user(username="desk").id)  # type: ignore[attr-defined]
    staff = app.test_client()
    AuthActions(staff).login("desk", "desk-pass-2026")
    response = staff.get(f"/dossiers/{dossier.code}/slips/06.pdf")
    assert response.status_code == 200, response.text[:300]
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True).stdout.decode()
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "Từ chối" in text


def test_the_applicant_downloads_the_result_slip_once_there_is_a_result(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    do("receive", dossier.code)
    do("start_processing", dossier.code)
    assert "Phiếu trả kết quả giải quyết hồ sơ" not in open_page(app, dossier)
    client = app.test_client()
    client.get(f"/dossiers/{dossier.code}?t={dossier.tracking_token}")
    assert client.get(f"/dossiers/{dossier.code}/slips/kq.pdf").status_code == 404  # no result yet
    do("result_ready", dossier.code)
    do("return_result", dossier.code, by_post=True, tracking="EB987654321VN")
    page = open_page(app, dossier)
    assert "Phiếu trả kết quả giải quyết hồ sơ (PDF)" in page and f"/dossiers/{dossier.code}/slips/kq.pdf" in page
    assert "Result handover slip (PDF)" in open_page(app, dossier, "en")
    response = client.get(f"/dossiers/{dossier.code}/slips/kq.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True).stdout.decode().split())
    assert "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text and "EB987654321VN" in text
    assert "Quét mã để đánh giá mức độ hài lòng" in text
    stranger = app.test_client().get(f"/dossiers/{dossier.code}/slips/kq.pdf")
    assert stranger.status_code == 403 and "số điện thoại" in stranger.text
