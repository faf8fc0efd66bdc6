"""Submitting a dossier: its code, the date on the receipt, uploads, lookup and payment."""

from __future__ import annotations

import copy
import io
import os
import secrets
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from catalog.attachments import AttachmentRejected, AttachmentStore
from catalog.db import db
from catalog.models import Attachment, CalendarDay, Dossier, DossierEvent
from catalog.payments import SandboxProvider
from catalog.services import import_document
from catalog.services.dossiers import (
    DossierRefused,
    amount_outstanding,
    applicant_contact,
    complete_payment,
    current_uploads,
    find_dossier,
    normalise_phone,
    purge_abandoned_uploads,
    received_documents,
    stage_upload,
    staged_uploads,
    start_payment,
    submit_dossier,
)
from tests.factories import document
from tests.test_attachments import EXE, PDF, PNG

VN = timezone(timedelta(hours=7))
CITIZEN_ID = "001090012345"


pytestmark = pytest.mark.db


@pytest.fixture
def app(db_app: Flask) -> Flask:
    """Every dossier service test runs on SQLite and on PostgreSQL."""
    return db_app


def vn(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def token() -> str:
    return secrets.token_urlsafe(24)


def publish(doc: dict[str, Any]) -> None:
    import_document(db.session, doc, author="test", publish=True)


def with_online_time(value: float, unit: str = "working_days", cutoff: str | None = "15:00",
                     level: int = 4, code: str = "1.001193") -> dict[str, Any]:
    doc = document(code)
    facts = doc["x-procedure"]
    facts["onlineService"] = {"level": level}
    online = facts["channels"][1]
    online["processingTime"] = {"value": value, "unit": unit}
    if cutoff:
        online["sameDayCutoff"] = cutoff
    return doc


@pytest.fixture
def store(app: Flask) -> AttachmentStore:
    return AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")


def upload(store: AttachmentStore, form_token: str, content: bytes = PDF,
           field: str = "attachments-birth_certificate", name: str = "giay-chung-sinh.pdf",
           **limits: Any) -> Attachment:
    return stage_upload(db.session, store, io.BytesIO(content), name, field=field,
                        upload_token=form_token, **limits)


def application(attachment_id: str, phone: str = "0912345678") -> dict[str, Any]:
    return {
        "applicant": {"full_name": "Nguyễn Văn An", "citizen_id": CITIZEN_ID, "phone": phone},
        "attachments": {"birth_certificate": attachment_id},
    }


def submit(store: AttachmentStore, received_at: datetime, **kwargs: Any) -> Dossier:
    form_token = kwargs.pop("submission_token", None) or token()
    attachment = upload(store, form_token)
    outcome = submit_dossier(db.session, kwargs.pop("code", "1.001193"),
                             application(attachment.id, kwargs.pop("phone", "0912345678")),
                             submission_token=form_token, received_at=received_at, **kwargs)
    return outcome.dossier


# --- appointment dates -------------------------------------------------------------------


def test_friday_after_cutoff_on_one_working_day_is_due_monday(app: Flask,
                                                              store: AttachmentStore) -> None:
    publish(with_online_time(1))
    dossier = submit(store, vn(2026, 3, 13, 16, 0))  # Friday 16:00, cut-off 15:00
    assert dossier.appointment_date == date(2026, 3, 16)


def test_same_day_procedure_before_and_after_the_cutoff(app: Flask,
                                                        store: AttachmentStore) -> None:
    publish(with_online_time(0))
    assert submit(store, vn(2026, 3, 13, 14, 59)).appointment_date == date(2026, 3, 13)
    assert submit(store, vn(2026, 3, 13, 15, 0)).appointment_date == date(2026, 3, 13)
    assert submit(store, vn(2026, 3, 13, 15, 1)).appointment_date == date(2026, 3, 16)


def test_received_the_friday_before_tet_2026_is_due_after_the_holiday(
    app: Flask, store: AttachmentStore
) -> None:
    publish(with_online_time(1))
    assert submit(store, vn(2026, 2, 13, 9)).appointment_date == date(2026, 2, 23)


def test_received_during_tet_2027_counts_from_the_next_working_day(
    app: Flask, store: AttachmentStore
) -> None:
    publish(with_online_time(3))
    # Tết Đinh Mùi: Thu 04/02 – Wed 10/02/2027 off; filed online on 06/02 (Saturday).
    assert submit(store, vn(2027, 2, 6, 20)).appointment_date == date(2027, 2, 15)


def test_days_an_administrator_adds_move_the_appointment(app: Flask,
                                                         store: AttachmentStore) -> None:
    publish(with_online_time(1))
    # 01/01/2026 is a holiday; without the government's bridge day the result is due 02/01.
    assert submit(store, vn(2025, 12, 31, 10)).appointment_date == date(2026, 1, 2)
    db.session.add(CalendarDay(day=date(2026, 1, 2), is_working_day=False, note="Nghỉ bù"))
    db.session.commit()
    assert submit(store, vn(2025, 12, 31, 10)).appointment_date == date(2026, 1, 5)
    db.session.add(CalendarDay(day=date(2026, 1, 3), is_working_day=True, note="Làm bù"))
    db.session.commit()
    assert submit(store, vn(2025, 12, 31, 10)).appointment_date == date(2026, 1, 3)


def test_calendar_days_count_weekends_and_end_on_a_working_day(
    app: Flask, store: AttachmentStore
) -> None:
    publish(with_online_time(10, unit="days", cutoff=None))
    # 10 calendar days from Wed 22/04/2026 end Sat 02/05 → next working day Mon 04/05.
    assert submit(store, vn(2026, 4, 22)).appointment_date == date(2026, 5, 4)


def test_the_day_of_receipt_is_read_in_vietnam_time(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(0))
    # 23:30 UTC Thursday is 06:30 Friday in Hà Nội: same-day means Friday, not Thursday.
    received = datetime(2026, 3, 12, 23, 30, tzinfo=UTC)
    assert submit(store, received).appointment_date == date(2026, 3, 13)


def test_unknown_processing_time_promises_no_date(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(3, unit="unknown", cutoff=None))
    assert submit(store, vn(2026, 3, 13)).appointment_date is None


# --- codes, history, double submission ---------------------------------------------------


def test_codes_count_per_procedure_and_year(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(1))
    publish(with_online_time(1, code="1.000894"))
    first = submit(store, vn(2026, 12, 31, 10)).code
    second = submit(store, vn(2026, 12, 31, 11)).code
    other = submit(store, vn(2026, 12, 31, 11), code="1.000894").code
    next_year = submit(store, vn(2027, 1, 4, 8)).code
    assert (first, second, other, next_year) == (
        "2026-1.001193-000001", "2026-1.001193-000002", "2026-1.000894-000001",
        "2027-1.001193-000001",
    )


def test_a_dossier_records_what_was_received(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(1))
    dossier = submit(store, vn(2026, 3, 10), phone="+84912345678")
    assert dossier.status == "submitted"  # online: waiting for the desk to check it
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.fee_due == 10000
    assert dossier.version.number == 1
    assert [a.original_name for a in dossier.attachments] == ["giay-chung-sinh.pdf"]
    assert [(e.status, e.note) for e in dossier.events] == [("submitted", "Nộp hồ sơ trực tuyến")]


def test_posting_the_same_form_twice_makes_one_dossier(app: Flask,
                                                       store: AttachmentStore) -> None:
    publish(with_online_time(1))
    form_token = token()
    attachment = upload(store, form_token)
    data = application(attachment.id)
    first = submit_dossier(db.session, "1.001193", data, submission_token=form_token)
    again = submit_dossier(db.session, "1.001193", copy.deepcopy(data), submission_token=form_token)
    assert first.created and not again.created
    assert again.dossier.code == first.dossier.code
    assert db.session.scalar(select(func.count(Dossier.id))) == 1


def test_invalid_application_is_refused_and_uses_no_number(app: Flask,
                                                           store: AttachmentStore) -> None:
    publish(with_online_time(1))
    form_token = token()
    attachment = upload(store, form_token)
    bad = application(attachment.id, phone="12345")
    with pytest.raises(DossierRefused, match="chưa hợp lệ"):
        submit_dossier(db.session, "1.001193", bad, submission_token=form_token)
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    assert submit(store, vn(2026, 3, 10)).code.endswith("-000001")


def test_information_only_procedures_take_no_online_dossier(app: Flask,
                                                            store: AttachmentStore) -> None:
    publish(with_online_time(1, level=2))
    with pytest.raises(DossierRefused, match="mức độ 2"):
        submit(store, vn(2026, 3, 10))


def test_a_file_uploaded_by_another_form_cannot_be_claimed(app: Flask,
                                                           store: AttachmentStore) -> None:
    publish(with_online_time(1))
    someone_else = upload(store, token())
    with pytest.raises(DossierRefused, match="tải lên lại"):
        submit_dossier(db.session, "1.001193", application(someone_else.id),
                       submission_token=token())


def test_unknown_procedure_is_refused(app: Flask) -> None:
    with pytest.raises(DossierRefused, match="không nhận hồ sơ"):
        submit_dossier(db.session, "9.999999", {}, submission_token=token())


# --- uploads -----------------------------------------------------------------------------


def test_an_executable_named_pdf_is_refused_and_not_kept(app: Flask,
                                                         store: AttachmentStore) -> None:
    form_token = token()
    with pytest.raises(AttachmentRejected) as refused:
        upload(store, form_token, EXE, name="giay-chung-sinh.pdf",
               accept=["application/pdf", "image/png"])
    assert "không đúng định dạng cho phép (PDF, PNG)" in refused.value.message_vi
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_a_new_file_replaces_the_earlier_one_of_the_same_field(app: Flask,
                                                               store: AttachmentStore) -> None:
    publish(with_online_time(1))
    form_token = token()
    first_path = upload(store, form_token, PDF).storage_path
    second = upload(store, form_token, PNG, name="anh.png")
    assert (store.root / first_path).exists()
    current = current_uploads(staged_uploads(db.session, form_token))
    assert [a.id for a in current.values()] == [second.id]
    # the earlier file stays staged until the dossier is made (a racing post may name it) ...
    outcome = submit_dossier(db.session, "1.001193", application(second.id),
                             submission_token=form_token, store=store)
    # ... then only the file the application names is left
    assert [a.id for a in db.session.scalars(select(Attachment))] == [second.id]
    assert [a.media_type for a in outcome.dossier.attachments] == ["image/png"]
    assert not (store.root / first_path).exists()


def test_the_dossier_total_is_capped(app: Flask, store: AttachmentStore) -> None:
    form_token = token()
    upload(store, form_token, PDF + b"x" * 600, field="a", max_dossier_bytes=1000)
    with pytest.raises(AttachmentRejected, match="Tổng dung lượng"):
        upload(store, form_token, PDF + b"y" * 600, field="b", max_dossier_bytes=1000)
    assert len(db.session.scalars(select(Attachment)).all()) == 1


def test_field_size_limit(app: Flask, store: AttachmentStore) -> None:
    with pytest.raises(AttachmentRejected, match="vượt quá dung lượng tối đa"):
        upload(store, token(), PDF + b"z" * 2000, max_bytes=1024)


def test_uploads_of_abandoned_forms_are_purged_but_filed_ones_kept(app: Flask,
                                                                   store: AttachmentStore) -> None:
    publish(with_online_time(1))
    filed = submit(store, vn(2026, 3, 10)).attachments[0]
    abandoned = upload(store, token())
    recent = upload(store, token(), PNG, name="anh.png")
    two_days_ago = datetime.now(UTC) - timedelta(hours=49)
    for attachment in (filed, abandoned):
        attachment.uploaded_at = two_days_ago
    db.session.commit()

    assert purge_abandoned_uploads(db.session, store, timedelta(hours=48)) == 1
    kept = {a.id for a in db.session.scalars(select(Attachment))}
    assert kept == {filed.id, recent.id}
    assert not (store.root / abandoned.storage_path).exists()
    assert (store.root / filed.storage_path).exists() and (store.root / recent.storage_path).exists()


def test_files_of_failed_attempts_without_a_row_are_purged(app: Flask, store: AttachmentStore) -> None:
    """Bytes stored by an attempt that never wrote its row (a crash, a lock) and an upload cut
    off while written: purged once old; a recent one may still be in flight and stays."""
    old_orphan = store.store(io.BytesIO(PDF), "a.pdf", accept=["application/pdf"], max_bytes=10_000)
    recent_orphan = store.store(io.BytesIO(PDF), "b.pdf", accept=["application/pdf"], max_bytes=10_000)
    (store.root / "tmp").mkdir(parents=True, exist_ok=True)
    cut_off = store.root / "tmp" / "upload-k3j4h5g6"
    cut_off.write_bytes(b"%PDF-1.7 half")
    staged = upload(store, token())
    long_ago = (datetime.now() - timedelta(hours=49)).timestamp()
    for path in (store.root / old_orphan.relative_path, cut_off, store.root / staged.storage_path):
        os.utime(path, (long_ago, long_ago))

    assert purge_abandoned_uploads(db.session, store, timedelta(hours=48)) == 2
    assert not (store.root / old_orphan.relative_path).exists() and not cut_off.exists()
    assert (store.root / recent_orphan.relative_path).exists()
    assert (store.root / staged.storage_path).exists()  # its row is recent: the form is open


# --- lookup ------------------------------------------------------------------------------


def test_lookup_needs_code_and_the_applicants_phone(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(1))
    dossier = submit(store, vn(2026, 3, 10))
    assert find_dossier(db.session, dossier.code, "0912 345 678") is dossier
    assert find_dossier(db.session, f" {dossier.code} ", "+84912345678") is dossier
    assert find_dossier(db.session, dossier.code, "0987654321") is None
    assert find_dossier(db.session, dossier.code, "") is None
    assert find_dossier(db.session, "2026-1.001193-999999", "0912345678") is None


@pytest.mark.parametrize(("typed", "stored"), [
    ("0912345678", "0912345678"), ("+84912345678", "0912345678"),
    ("84912345678", "0912345678"), ("091.234.5678", "0912345678"),
])
def test_phone_numbers_are_compared_as_digits(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


def test_contact_and_received_documents_come_from_the_form() -> None:
    doc = document()
    data = application("abc")
    assert applicant_contact(doc, data).name == "Nguyễn Văn An"
    assert applicant_contact(doc, data).phone == "0912345678"
    assert received_documents(doc, data) == [("Giấy chứng sinh", 1, 0)]
    assert received_documents(doc, {"applicant": data["applicant"]}) == []


# --- payment -----------------------------------------------------------------------------


def test_paying_the_online_fee(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(1))
    dossier = submit(store, vn(2026, 3, 10))
    provider = SandboxProvider("s3cret")
    started = start_payment(db.session, dossier, provider, "/back")
    failed = complete_payment(db.session, provider, started.id, "fail")
    assert failed.status == "failed" and amount_outstanding(dossier) == 10000
    again = start_payment(db.session, dossier, provider, "/back")
    paid = complete_payment(db.session, provider, again.id, "pay")
    assert paid.status == "paid" and paid.amount == 10000 and paid.paid_at is not None
    assert amount_outstanding(dossier) == 0
    assert complete_payment(db.session, provider, again.id, "cancel").status == "paid"
    notes = db.session.scalars(select(DossierEvent.note).order_by(DossierEvent.id)).all()
    assert notes[-1].startswith("Đã nộp 10.000 đồng, mã giao dịch SBX-")
    with pytest.raises(DossierRefused):
        start_payment(db.session, dossier, provider, "/back")


def test_level_three_dossiers_pay_at_the_office(app: Flask, store: AttachmentStore) -> None:
    publish(with_online_time(1, level=3))
    dossier = submit(store, vn(2026, 3, 10))
    with pytest.raises(DossierRefused, match="không có khoản phí"):
        start_payment(db.session, dossier, SandboxProvider("s"), "/back")
