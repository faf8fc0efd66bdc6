"""Receiving a dossier at the counter (issue 16 §1): the reception officer of an office fills the
citizen's generated form and the documents checklist; the dossier is received at once, on the
in-person channel and the office's calendar, with the papers handed over and the officer's name."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from admin.roles import RECEPTION_OFFICER
from admin.setup import create_user
from catalog.db import db
from catalog.models import Attachment, Dossier, DossierEvent
from catalog.services import import_document
from catalog.services import offices as office_service
from tests.backoffice_helpers import client_for, make_users
from tests.factories import document
from tests.test_attachments import PDF

VN = timezone(timedelta(hours=7))
TOKEN_FIELD = "_motcua.submission"
GOOD = {
    "applicant-full_name": "Nguyễn Văn An",
    "applicant-citizen_id": "001090012345",
    "applicant-phone": "0912345678",
}
FRIDAY = date(2026, 12, 4)
MONDAY = date(2026, 12, 7)  # the office A's day off in these tests
TUESDAY = date(2026, 12, 8)
OTHER_OFFICER = ("reception-b", "reception-b-2026")


def counter_document(code: str = "1.001193", level: int = 4) -> dict[str, Any]:
    """Same-day at the counter before 15:00 (the online channel: 5 working days), a paper kept
    and one shown (xuất trình)."""
    doc = document(code)
    facts = doc["x-procedure"]
    facts["onlineService"] = {"level": level}
    facts["channels"][0]["processingTime"] = {"value": 0, "unit": "working_days"}
    facts["channels"][1]["processingTime"] = {"value": 5, "unit": "working_days"}
    facts["documents"] = [
        {"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "copies": 0,
         "field": "attachments.birth_certificate"},
        {"id": "id_card", "name": "Thẻ căn cước của người đi đăng ký", "originals": 1, "copies": 0,
         "action": "present"},
    ]
    return doc


@pytest.fixture
def offices(app: Flask) -> dict[str, int]:
    """Office A receives 1.001193 and the level-2 1.000002 (Monday 7/12 off); office B receives
    1.001193; 2.000001 is received by neither. The demo reception officer works at A, a
    second one at B."""
    make_users(app)
    assert create_user(OTHER_OFFICER[0], RECEPTION_OFFICER, OTHER_OFFICER[1], first_name="Trần Thị",
                       last_name="Bình") is None
    for doc in (counter_document(), counter_document("1.000002", level=2), counter_document("2.000001")):
        import_document(db.session, doc, author="test", publish=True)
    common = {"parent_body": "UBND TỈNH QUẢNG TRỊ", "level": "province", "province_code": "44"}
    a = office_service.create_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",
                                     actor="admin", **common).id
    b = office_service.create_office(db.session, "Bộ phận một cửa phường Đông Hà", actor="admin",
                                     **common).id
    office_service.add_procedures(db.session, a, ["1.001193", "1.000002"], actor="admin")
    office_service.add_procedures(db.session, b, ["1.001193"], actor="admin")
    office_service.add_day_off(db.session, a, MONDAY, "Chuyển trụ sở", actor="admin")
    sm = app.appbuilder.sm  # type: ignore[attr-defined]
    reception = sm.find_user(username="reception")
    reception.first_name, reception.last_name = "Lê Văn", "Cường"
    sm.update_user(reception)
    office_service.assign_staff(db.session, a, reception.id, actor="admin")
    office_service.assign_staff(db.session, b, sm.find_user(username=OTHER_OFFICER[0]).id, actor="admin")
    return {"A": a, "B": b}


def officer_b(app: Flask) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login/", data={"username": OTHER_OFFICER[0], "password": OTHER_OFFICER[1]})
    assert response.status_code == 302
    return client


def at(monkeypatch: pytest.MonkeyPatch, local: datetime) -> None:
    """The counter's clock (submit_dossier reads utcnow when nothing else is given)."""
    monkeypatch.setattr("catalog.services.dossiers.utcnow", lambda: local.astimezone(UTC))


def form_url(office_id: int, code: str = "1.001193") -> str:
    return f"/admin/counter/office/{office_id}/procedure/{code}"


def open_form(client: FlaskClient, office_id: int, code: str = "1.001193") -> str:
    page = client.get(form_url(office_id, code))
    assert page.status_code == 200, page.text[:500]
    found = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def post(client: FlaskClient, office_id: int, token: str, code: str = "1.001193", *,
         file: bool = True, **fields: Any) -> Any:
    data: dict[str, Any] = {TOKEN_FIELD: token, **GOOD, **fields}
    if file:
        data["attachments-birth_certificate"] = (io.BytesIO(PDF), "giay-chung-sinh-scan.pdf", "application/pdf")
    return client.post(form_url(office_id, code), data=data, content_type="multipart/form-data")


TICKS = {
    "_motcua.doc": ["birth_certificate", "id_card"],
    "_motcua.doc.birth_certificate.originals": "1", "_motcua.doc.birth_certificate.copies": "2",
    "_motcua.doc.id_card.originals": "1", "_motcua.doc.id_card.copies": "0",
}


def only_dossier() -> Dossier:
    return db.session.scalars(select(Dossier)).one()


def test_step_one_finds_the_offices_procedures_with_the_sites_search(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    page = client.get("/admin/counter/?q=khai+sinh").text
    assert "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị" in page  # my only office, preselected
    assert f'href="{form_url(offices["A"])}"' in page
    assert f'href="{form_url(offices["A"], "1.000002")}"' in page
    assert "2.000001" not in page  # not received by my office
    assert "Tiếp nhận tại quầy" in client.get("/admin/").text  # in the menu


def test_a_reception_officer_receives_a_dossier_at_the_counter(
        app: Flask, offices: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    form = client.get(form_url(offices["A"]))
    # the citizen's generated form, and the checklist prefilled from the procedure
    assert 'name="applicant-full_name"' in form.text and 'name="attachments-birth_certificate"' in form.text
    assert re.search(r'<label for="counter-doc-id_card-originals">Bản chính<span class="sr-only">: '
                     r'Thẻ căn cước', form.text)
    assert 'name="_motcua.doc.birth_certificate.originals" value="1"' in form.text
    assert "Xuất trình" in form.text
    token = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    at(monkeypatch, datetime(2026, 12, 4, 16, 30, tzinfo=VN))  # a Friday, after the 15:00 cut-off
    done = post(client, offices["A"], token, **TICKS, **{"_motcua.by_post": "1"})
    assert done.status_code == 303, done.text[:2000]
    dossier = only_dossier()
    assert done.headers["Location"].endswith(f"/admin/counter/received/{dossier.code}")
    assert (dossier.channel, dossier.status, dossier.office_id) == ("in_person", "received", offices["A"])
    assert dossier.result_by_post is True
    assert dossier.received_by == "Lê Văn Cường"
    assert dossier.documents_received == [
        {"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "copies": 2, "shown": False},
        {"id": "id_card", "name": "Thẻ căn cước của người đi đăng ký", "originals": 1, "copies": 0, "shown": True},
    ]
    # same-day at the counter, but after the cut-off on a Friday: Monday, the office's day off,
    # is skipped too (the online channel's 5 days are not used)
    assert dossier.appointment_date == TUESDAY
    assert [a.original_name for a in dossier.attachments] == ["giay-chung-sinh-scan.pdf"]
    event = db.session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)).one()
    assert (event.status, event.actor) == ("received", "Lê Văn Cường")
    page = client.get(done.headers["Location"]).text
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page and "08/12/2026" in page
    assert "Giấy chứng sinh: 1 bản chính, 2 bản sao" in page
    assert "Thẻ căn cước của người đi đăng ký: đã xuất trình" in page
    receipt = re.search(r'<a class="btn btn-primary" id="print-receipt" href="([^"]+)" target="_blank"'
                        r' rel="noopener" autofocus>In giấy tiếp nhận \(Mẫu 01\)', page)
    assert receipt and receipt.group(1) == f"/dossiers/{dossier.code}/receipt.pdf"
    assert f'href="/dossiers/{dossier.code}"' in page
    printed = client.get(receipt.group(1))  # staff may print it
    assert printed.status_code == 200
    slip = subprocess.run(["pdftotext", "-", "-"], input=printed.data, capture_output=True, check=True).stdout.decode()
    # slip 01 lists the papers handed over (not the uploads), names the officer, offers the rating
    assert "Thẻ căn cước của người đi đăng ký (đã xuất trình)" in slip and "Lê Văn Cường" in slip
    assert "Quét mã để đánh giá mức độ hài lòng" in " ".join(slip.split())
    assert slip.count("\f") == 2  # the two codes side by side: each copy is still one page
    # the same form posted again (a double click) gives the same dossier
    again = post(client, offices["A"], token, **TICKS)
    assert again.status_code == 303 and db.session.scalar(select(func.count(Dossier.id))) == 1


def test_before_the_cut_off_the_same_day_is_the_appointment(
        app: Flask, offices: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    at(monkeypatch, datetime(2026, 12, 4, 14, 0, tzinfo=VN))
    assert post(client, offices["A"], token, **TICKS).status_code == 303
    assert only_dossier().appointment_date == FRIDAY


def test_invalid_answers_come_back_next_to_their_fields_with_everything_kept(
        app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    failed = post(client, offices["A"], token, **{**TICKS, "applicant-phone": "0123",
                                                 "_motcua.doc.birth_certificate.copies": "abc",
                                                 "_motcua.by_post": "1"})
    assert failed.status_code == 422
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    page = failed.text
    phone = re.search(r'id="applicant-phone--field".*?</div>', page, re.S)
    assert phone and "Số điện thoại" in phone.group(0) and 'value="0123"' in phone.group(0)
    assert 'aria-invalid="true"' in phone.group(0)
    assert 'value="Nguyễn Văn An"' in page and 'value="001090012345"' in page
    assert "Đã tải lên: giay-chung-sinh-scan.pdf" in page  # the scan is kept
    row = re.search(r'id="counter-doc-birth_certificate--row".*?(?=id="counter-doc-id_card--row")', page, re.S)
    assert row and "Số bản sao phải là số nguyên từ 0 đến 99." in row.group(0)
    assert 'value="abc"' in row.group(0) and "checked" in row.group(0)
    assert re.search(r'id="counter-doc-id_card" name="_motcua.doc" value="id_card" checked', page)
    assert re.search(r'id="counter-by-post" name="_motcua.by_post" value="1" checked', page)
    # fixed without sending the scan again: the kept one is used
    kept = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"', page)
    assert kept
    fixed = post(client, offices["A"], token, file=False, **TICKS,
                 **{"attachments-birth_certificate": kept.group(1)})
    assert fixed.status_code == 303
    dossier = only_dossier()
    assert [a.original_name for a in dossier.attachments] == ["giay-chung-sinh-scan.pdf"]
    assert db.session.scalar(select(func.count(Attachment.id))) == 1


def test_a_ticked_paper_needs_a_count(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    failed = post(client, offices["A"], token, **{**TICKS, "_motcua.doc.birth_certificate.originals": "0",
                                                 "_motcua.doc.birth_certificate.copies": "0"})
    assert failed.status_code == 422
    assert "Giấy tờ đã đánh dấu cần ít nhất một bản chính hoặc bản sao." in failed.text
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_an_officer_of_office_b_cannot_use_office_a(app: Flask, offices: dict[str, int]) -> None:
    other = officer_b(app)
    assert other.get(form_url(offices["A"])).status_code == 404
    assert other.get(f"/admin/counter/?office={offices['A']}").status_code == 404
    response = post(other, offices["A"], "x" * 32, **TICKS)
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    # … and cannot open office A's dossier received at the counter
    mine = client_for(app, RECEPTION_OFFICER)
    assert post(mine, offices["A"], open_form(mine, offices["A"]), **TICKS).status_code == 303
    assert other.get(f"/admin/counter/received/{only_dossier().code}").status_code == 404
    # at their own office they can
    assert post(other, offices["B"], open_form(other, offices["B"]), **TICKS).status_code == 303


def test_a_procedure_the_office_does_not_receive_is_refused(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    page = client.get(form_url(offices["A"], "2.000001"))
    assert page.status_code == 404 and "không tiếp nhận thủ tục 2.000001" in page.text
    assert post(client, offices["A"], "y" * 32, "2.000001", **TICKS).status_code == 404
    assert client.get(form_url(offices["A"], "9.999999")).status_code == 404
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_a_procedure_with_online_level_2_is_received_at_the_counter(
        app: Flask, offices: dict[str, int], client: FlaskClient) -> None:
    assert client.get("/procedures/1.000002/apply").status_code == 404  # not online
    reception = client_for(app, RECEPTION_OFFICER)
    response = post(reception, offices["A"], open_form(reception, offices["A"], "1.000002"), "1.000002", **TICKS)
    assert response.status_code == 303
    dossier = only_dossier()
    assert (dossier.procedure.code, dossier.channel, dossier.status) == ("1.000002", "in_person", "received")


def test_submit_dossier_records_the_counters_papers_and_officer_in_its_transaction(db_app: Flask) -> None:
    """The service on both databases: the in-person channel's same-day time and cut-off on the
    office's calendar (Friday after 15:00 → Monday, its day off → Tuesday), the papers and the
    officer stored with the dossier; an online dossier stores none."""
    from catalog.attachments import AttachmentStore
    from catalog.services.dossiers import stage_upload, submit_dossier

    import_document(db.session, counter_document(), author="test", publish=True)
    office = office_service.create_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",
                                          actor="admin", parent_body="UBND TỈNH QUẢNG TRỊ", level="province",
                                          province_code="44")
    office_service.add_procedures(db.session, office.id, ["1.001193"], actor="admin")
    office_service.add_day_off(db.session, office.id, MONDAY, "Chuyển trụ sở", actor="admin")
    store = AttachmentStore(Path(db_app.config["MOTCUA_DATA_DIR"]) / "attachments")
    made = []
    for channel, token in (("in_person", "counter-token-000001"), ("online", "online-token-0000001")):
        scan = stage_upload(db.session, store, io.BytesIO(PDF), "scan.pdf", field="attachments-birth_certificate",
                            upload_token=token)
        instance = {"applicant": {"full_name": "Nguyễn Văn An", "citizen_id": "001090012345", "phone": "0912345678"},
                    "attachments": {"birth_certificate": scan.id}}
        papers = [{"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "copies": 2, "shown": False}]
        made.append(submit_dossier(
            db.session, "1.001193", instance, submission_token=token, channel=channel, office=office,
            received_at=datetime(2026, 12, 4, 16, 0, tzinfo=VN),
            documents_received=papers if channel == "in_person" else None,
            received_by="Lê Văn Cường" if channel == "in_person" else None).dossier)
    db.session.expire_all()
    counter, online = (db.session.get(Dossier, d.id) for d in made)
    assert (counter.status, counter.appointment_date, counter.received_by) == ("received", TUESDAY, "Lê Văn Cường")
    assert counter.documents_received == [
        {"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "copies": 2, "shown": False}]
    assert (online.status, online.documents_received, online.received_by) == ("submitted", None, None)
    # online: the online channel's 5 working days from Friday, Monday off: Tue–Fri, then Monday 14/12
    assert online.appointment_date == date(2026, 12, 14)
