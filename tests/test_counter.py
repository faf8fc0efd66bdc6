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
from tests.test_attachments import PDF, PNG

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


# --- scans per ticked paper ------------------------------------------------------------------

SCAN = "_motcua.doc.birth_certificate.scan"
ID_SCAN = "_motcua.doc.id_card.scan"


def row_of(page: str, paper: str) -> str:
    """The checklist row of `paper` in a drawn counter form."""
    found = re.search(rf'id="counter-doc-{paper}--row".*?(?=id="counter-doc-[a-z_]+--row"|</fieldset>)', page, re.S)
    assert found, page[:2000]
    return found.group(0)


def kept_scan(page: str, paper: str) -> str:
    found = re.search(rf'type="hidden" name="_motcua.doc.{paper}.scan" value="([^"]+)"', row_of(page, paper))
    assert found
    return found.group(1)


def test_each_paper_of_the_checklist_takes_a_scan_with_the_forms_rule(app: Flask, offices: dict[str, int]) -> None:
    """The birth certificate names the form's file field (5 MB at most): its scan takes the
    same; the id card names none: the rule of every upload (10 MB)."""
    page = client_for(app, RECEPTION_OFFICER).get(form_url(offices["A"])).text
    for paper, size in (("birth_certificate", "5 MB"), ("id_card", "10 MB")):
        row = row_of(page, paper)
        assert f'<label for="counter-doc-{paper}-scan">Bản chụp' in row
        assert f'type="file" id="counter-doc-{paper}-scan" name="_motcua.doc.{paper}.scan"' in row
        assert 'accept="application/pdf,image/jpeg,image/png"' in row
        assert f"Tệp PDF, JPG, PNG, tối đa {size}." in row


def test_a_scan_per_ticked_paper_is_kept_with_the_dossier_and_tied_to_its_paper(
        app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    done = post(client, offices["A"], token, **TICKS, **{ID_SCAN: (io.BytesIO(PNG), "can-cuoc.png", "image/png")})
    assert done.status_code == 303, done.text[:2000]
    dossier = only_dossier()
    scan = next(a for a in dossier.attachments if a.original_name == "can-cuoc.png")
    assert (scan.field, scan.media_type) == ("_documents/id_card", "image/png")
    papers = {p["id"]: p for p in dossier.documents_received}
    assert papers["id_card"]["attachments"] == [scan.id]
    assert "attachments" not in papers["birth_certificate"]  # no scan given for it
    assert sorted(a.original_name for a in dossier.attachments) == ["can-cuoc.png", "giay-chung-sinh-scan.pdf"]
    # slip 01 lists the papers as before, without file names
    printed = client.get(f"/dossiers/{dossier.code}/receipt.pdf")
    slip = subprocess.run(["pdftotext", "-", "-"], input=printed.data, capture_output=True, check=True).stdout.decode()
    assert "Thẻ căn cước của người đi đăng ký (đã xuất trình)" in slip and "can-cuoc.png" not in slip


def test_a_scan_on_a_paper_not_ticked_comes_back_on_its_row_with_everything_kept(
        app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    ticks = {**TICKS, "_motcua.doc": ["id_card"], "_motcua.by_post": "1"}
    failed = post(client, offices["A"], token, **ticks,
                  **{SCAN: (io.BytesIO(PDF), "giay-chung-sinh-ban-sao.pdf", "application/pdf")})
    assert failed.status_code == 422
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    page = failed.text
    row = row_of(page, "birth_certificate")
    assert "Hãy đánh dấu giấy tờ này đã nhận trước khi đính kèm bản chụp." in row
    assert "Đã tải lên: giay-chung-sinh-ban-sao.pdf" in row
    assert "Hãy đánh dấu" not in row_of(page, "id_card")
    assert 'value="2"' in row  # the copies typed
    assert 'value="Nguyễn Văn An"' in page and "Đã tải lên: giay-chung-sinh-scan.pdf" in page
    assert re.search(r'id="counter-doc-id_card" name="_motcua.doc" value="id_card" checked', page)
    assert re.search(r'id="counter-by-post" name="_motcua.by_post" value="1" checked', page)
    # ticked now, the kept scan is used without sending it again
    form_file = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"', page)
    assert form_file
    fixed = post(client, offices["A"], token, file=False, **TICKS,
                 **{SCAN: kept_scan(page, "birth_certificate"), "attachments-birth_certificate": form_file.group(1)})
    assert fixed.status_code == 303, fixed.text[:2000]
    dossier = only_dossier()
    scan = next(a for a in dossier.attachments if a.field == "_documents/birth_certificate")
    assert scan.original_name == "giay-chung-sinh-ban-sao.pdf"
    assert dossier.documents_received[0]["attachments"] == [scan.id]


def test_a_kept_scan_can_be_dropped_instead(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    ticks = {**TICKS, "_motcua.doc": ["id_card"]}
    failed = post(client, offices["A"], token, **ticks, **{SCAN: (io.BytesIO(PDF), "nham.pdf", "application/pdf")})
    assert failed.status_code == 422
    dropped = post(client, offices["A"], token, **ticks, **{SCAN: kept_scan(failed.text, "birth_certificate"),
                                                           f"{SCAN}.drop": "1"})
    assert dropped.status_code == 303, dropped.text[:2000]
    dossier = only_dossier()
    assert [a.original_name for a in dossier.attachments] == ["giay-chung-sinh-scan.pdf"]
    # the dropped scan is deleted with the form's file the second post replaced
    assert db.session.scalar(select(func.count(Attachment.id))) == 1


def test_a_scan_of_a_type_not_accepted_is_refused_on_its_row(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    failed = post(client, offices["A"], token, **TICKS,
                  **{ID_SCAN: (io.BytesIO(b"just some words\n"), "ghi-chu.txt", "text/plain")})
    assert failed.status_code == 422
    row = row_of(failed.text, "id_card")
    assert "Tệp «ghi-chu.txt» không đúng định dạng cho phép (PDF, JPG, PNG)." in row
    assert 'name="_motcua.doc.id_card.scan" value=' not in row  # nothing kept for it
    assert "không đúng định dạng" not in row_of(failed.text, "birth_certificate")
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    # a bad file chosen to replace a kept scan leaves the kept one in place
    kept = post(client, offices["A"], token, **{**TICKS, "applicant-phone": "0123"},
                **{ID_SCAN: (io.BytesIO(PNG), "can-cuoc.png", "image/png")})
    scan_id = kept_scan(kept.text, "id_card")
    again = post(client, offices["A"], token, **TICKS, **{
        ID_SCAN: [scan_id, (io.BytesIO(b"just some words\n"), "ghi-chu.txt", "text/plain")]})
    assert again.status_code == 422
    row = row_of(again.text, "id_card")
    assert "không đúng định dạng" in row and "Đã tải lên: can-cuoc.png" in row
    assert kept_scan(again.text, "id_card") == scan_id


def test_the_dossiers_total_size_counts_the_scans(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    token = open_form(client, offices["A"])
    first = post(client, offices["A"], token, **{**TICKS, "applicant-phone": "0123"})
    assert first.status_code == 422  # the form's file is staged
    app.config["MOTCUA_MAX_DOSSIER_BYTES"] = len(PDF) + 10
    form_file = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"', first.text)
    assert form_file
    failed = post(client, offices["A"], token, file=False, **TICKS,
                  **{"attachments-birth_certificate": form_file.group(1),
                     ID_SCAN: (io.BytesIO(PDF), "can-cuoc.pdf", "application/pdf")})
    assert failed.status_code == 422
    assert (f"Tổng dung lượng các tệp của hồ sơ ({2 * len(PDF)} byte) vượt quá mức tối đa {len(PDF) + 10} byte."
            in row_of(failed.text, "id_card"))
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_the_desk_links_each_papers_scan_for_the_offices_staff_only(app: Flask, offices: dict[str, int]) -> None:
    client = client_for(app, RECEPTION_OFFICER)
    done = post(client, offices["A"], open_form(client, offices["A"]), **TICKS,
                **{ID_SCAN: (io.BytesIO(PNG), "can-cuoc.png", "image/png")})
    assert done.status_code == 303
    dossier = only_dossier()
    scan = next(a for a in dossier.attachments if a.field == "_documents/id_card")
    link = f"/admin/desk/dossiers/{dossier.code}/files/{scan.id}"
    page = client.get(f"/admin/desk/dossiers/{dossier.code}").text
    papers = re.search(r"Giấy tờ đã nhận tại quầy</h2>.*?</table>", page, re.S)
    assert papers
    cuoc = re.search(r"<tr><td>Thẻ căn cước của người đi đăng ký</td>.*?</tr>", papers.group(0), re.S)
    assert cuoc and f'<a href="{link}">can-cuoc.png</a>' in cuoc.group(0)
    birth = re.search(r"<tr><td>Giấy chứng sinh</td>.*?</tr>", papers.group(0), re.S)
    assert birth and "Không có</td>" in birth.group(0)
    files = re.search(r"Tệp đính kèm</h2>.*?</ul>", page, re.S)
    assert files and re.search(r"can-cuoc.png</a>[^<]*— bản chụp: Thẻ căn cước của người đi đăng ký</li>", files.group(0))
    assert re.search(r"giay-chung-sinh-scan.pdf</a>[^<]*KB\)</li>", files.group(0))  # the form's own file
    download = client.get(link)
    assert download.status_code == 200 and download.data == PNG
    assert officer_b(app).get(link).status_code == 404


def test_submit_dossier_ties_the_scans_to_their_papers_in_its_transaction(db_app: Flask) -> None:
    """The service on both databases: a scan staged under the token becomes the dossier's
    attachment of its paper; a scan of a paper not received, or of a file not staged under
    the token, is refused; the total counts the scans; a file named by nothing is deleted."""
    from catalog.attachments import AttachmentStore
    from catalog.services.dossiers import DossierRefused, paper_field, stage_upload, submit_dossier

    import_document(db.session, counter_document(), author="test", publish=True)
    office = office_service.create_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",
                                          actor="admin", parent_body="UBND TỈNH QUẢNG TRỊ", level="province",
                                          province_code="44")
    office_service.add_procedures(db.session, office.id, ["1.001193"], actor="admin")
    store = AttachmentStore(Path(db_app.config["MOTCUA_DATA_DIR"]) / "attachments")
    token = "counter-scans-000001"

    def stage(name: str, field: str, content: bytes = PDF, upload_token: str = token) -> str:
        return stage_upload(db.session, store, io.BytesIO(content), name, field=field, upload_token=upload_token).id

    form_file = stage("scan.pdf", "attachments-birth_certificate")
    scan = stage("chung-sinh.pdf", paper_field("birth_certificate"))
    spare = stage("bo.png", paper_field("id_card"), PNG)
    elsewhere = stage("khac.pdf", paper_field("birth_certificate"), upload_token="another-form-000001")
    instance = {"applicant": {"full_name": "Nguyễn Văn An", "citizen_id": "001090012345", "phone": "0912345678"},
                "attachments": {"birth_certificate": form_file}}
    papers = [{"id": "birth_certificate", "name": "Giấy chứng sinh", "originals": 1, "copies": 2, "shown": False}]

    def submit(files: dict[str, list[str]], limit: int = 10**6) -> Dossier:
        return submit_dossier(db.session, "1.001193", instance, submission_token=token, channel="in_person",
                              office=office, documents_received=papers, received_by="Lê Văn Cường",
                              store=store, document_files=files, max_dossier_bytes=limit).dossier

    with pytest.raises(DossierRefused, match="chưa được đánh dấu"):
        submit({"id_card": [spare]})
    with pytest.raises(DossierRefused, match="không còn"):
        submit({"birth_certificate": [elsewhere]})
    db.session.rollback()
    with pytest.raises(DossierRefused, match="chỉ đính kèm một lần"):
        submit({"birth_certificate": [form_file]})
    db.session.rollback()
    with pytest.raises(DossierRefused, match="Tổng dung lượng"):
        submit({"birth_certificate": [scan]}, limit=len(PDF) + 1)  # the form's file alone fits
    db.session.rollback()
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    made = submit({"birth_certificate": [scan]})
    db.session.expire_all()
    dossier = db.session.get(Dossier, made.id)
    assert dossier.documents_received == [{**papers[0], "attachments": [scan]}]
    assert {a.id: a.field for a in dossier.attachments} == {
        form_file: "attachments-birth_certificate", scan: "_documents/birth_certificate"}
    assert db.session.get(Attachment, spare) is None  # named by nothing: gone, with its file
    assert not any(name == spare for name, _ in store.stored_files())
    assert store.path_for(scan).read_bytes() == PDF
