"""The applicant sends the papers asked for online; the desk then receives the supplement and
the processing time counts again from the day they were sent."""

from __future__ import annotations

import io
import secrets
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import update

from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.models import Dossier, DossierEvent
from catalog.services import dossier_status as ds
from catalog.services import import_document
from catalog.services.dossier_status import StatusRefused, SupplementItem
from catalog.services.dossiers import stage_upload
from tests.factories import document
from tests.test_attachments import PDF
from tests.test_dossier_status import submit

VN = timezone(timedelta(hours=7))


@pytest.fixture
def store(app: Flask) -> AttachmentStore:
    import_document(db.session, document(), author="test", publish=True)
    return AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")


def _asked(dossier: Dossier) -> None:
    ds.request_supplement(db.session, dossier.code, [
        SupplementItem(document="birth_certificate"),
        SupplementItem(text="Bản sao giấy đăng ký kết hôn", reason="Cha mẹ đã kết hôn ở nước ngoài"),
    ], actor="Cán bộ")


def test_papers_sent_online_join_the_dossier_and_restart_the_clock_from_that_day(
        app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    _asked(dossier)
    token = secrets.token_urlsafe(24)
    with pytest.raises(StatusRefused, match="ít nhất một tệp"):
        ds.submit_supplement(db.session, dossier.code, token, actor="Người nộp")
    stage_upload(db.session, store, io.BytesIO(PDF), "chung-sinh.pdf", field="supplement-0", upload_token=token)
    sent = ds.submit_supplement(db.session, dossier.code, token, actor="Người nộp", note="Gửi bản chụp",
                                names={"supplement-0": "Giấy chứng sinh"})
    assert sent.status == "supplement_requested"  # the desk still has to check them
    event = sent.dossier.events[-1]
    assert event.status == "supplement_submitted" and event.detail["note"] == "Gửi bản chụp"
    assert [f["item"] for f in event.detail["files"]] == ["Giấy chứng sinh"]
    assert "chung-sinh.pdf" in [a.original_name for a in sent.dossier.attachments]
    # asked on Thursday 26 November, sent on Friday 27 at 10:00; the desk receives them today
    asked = sent.dossier.events[-2]
    db.session.execute(update(DossierEvent).where(DossierEvent.id == asked.id)
                       .values(at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC)))  # stored in UTC
    db.session.execute(update(DossierEvent).where(DossierEvent.id == event.id)
                       .values(at=datetime(2026, 11, 27, 3, 0, tzinfo=UTC)))
    db.session.commit()
    db.session.expire_all()
    back = ds.receive_supplement(db.session, dossier.code, actor="Cán bộ")
    assert back.status == "received"
    assert back.dossier.appointment_date == date(2026, 11, 30)  # one working day from Friday, not from today
    assert back.dossier.events[-1].detail["arrived_at"].startswith("2026-11-27T03:00")


def test_the_applicant_sends_the_papers_from_the_dossier_page(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    client = app.test_client()
    assert "Nhập số điện thoại" in client.get(f"/dossiers/{dossier.code}/supplement").text  # a stranger: lookup
    client.post("/dossiers/", data={"code": dossier.code, "phone": "0912345678"})
    waiting = client.get(f"/dossiers/{dossier.code}/supplement", follow_redirects=True)
    assert "hiện không cần bổ sung" in waiting.text
    _asked(dossier)
    page = client.get(f"/dossiers/{dossier.code}/supplement")
    assert page.status_code == 200
    assert "1. Giấy chứng sinh" in page.text
    assert "2. Bản sao giấy đăng ký kết hôn (lý do: Cha mẹ đã kết hôn ở nước ngoài)" in page.text
    token = page.text.split('name="_motcua.supplement" value="')[1].split('"')[0]
    # a file that is not a PDF or picture is refused next to its item; the good one is kept
    refused = client.post(f"/dossiers/{dossier.code}/supplement", data={
        "_motcua.supplement": token, "note": "Bản chụp",
        "supplement-0": (io.BytesIO(PDF), "chung-sinh.pdf"),
        "supplement-1": (io.BytesIO(b"MZ\x90\x00 not a document"), "ket-hon.exe"),
    }, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert 'id="supplement-1-error"' in refused.text and "Đã tải lên: chung-sinh.pdf" in refused.text
    assert ">Bản chụp</textarea>" in refused.text
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).events[-1].status == "supplement_requested"
    sent = client.post(f"/dossiers/{dossier.code}/supplement", data={
        "_motcua.supplement": token, "note": "Bản chụp",
        "supplement-1": (io.BytesIO(PDF), "ket-hon.pdf"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert sent.status_code == 200 and "Đã gửi hồ sơ bổ sung" in sent.text
    db.session.expire_all()
    found = db.session.get(Dossier, dossier.id)
    files = found.events[-1].detail["files"]
    assert found.events[-1].status == "supplement_submitted"
    assert sorted(f["name"] for f in files) == ["chung-sinh.pdf", "ket-hon.pdf"]
    assert ds.supplement_sent_at(found) is not None
    from catalog.services.desk import desk_day

    assert [d.code for d in desk_day(db.session, None).sent_supplements] == [dossier.code]  # the desk checks them
    ds.receive_supplement(db.session, dossier.code, actor="Cán bộ")
    assert desk_day(db.session, None).sent_supplements == []
