"""Dossier statuses (issue 16): the one transition table, the services, the `motcua dossier`
commands, the citizen's timeline and the notices (a real SMTP server on loopback, a dead one)."""

from __future__ import annotations

import io
import re
import secrets
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from admin.notifications import CitizenNotifier
from admin.sms import LogSms
from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.models import AuditEvent, Dossier, DossierEvent
from catalog.services import dossier_status as ds
from catalog.services import import_document
from catalog.services import offices as office_service
from catalog.services.dossier_status import MOVES, STATUSES, StatusRefused, SupplementItem
from catalog.services.dossiers import stage_upload, submit_dossier
from tests.factories import document
from tests.test_attachments import PDF
from tests.test_drafts import Inbox, free_port, mail_text

pytestmark = pytest.mark.db
VN = timezone(timedelta(hours=7))


@pytest.fixture
def app(db_app: Flask) -> Flask:
    import_document(db.session, document(), author="test", publish=True)
    return db_app


@pytest.fixture
def store(app: Flask) -> AttachmentStore:
    return AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


def submit(store: AttachmentStore, *, email: str = "", received: datetime | None = None) -> Dossier:
    token = secrets.token_urlsafe(24)
    attachment = stage_upload(db.session, store, io.BytesIO(PDF), "giay-chung-sinh.pdf",
                              field="attachments-birth_certificate", upload_token=token)
    applicant: dict[str, Any] = {"full_name": "Nguyễn Văn An", "citizen_id": "001090012345",
                                 "phone": "0912345678"}
    if email:
        applicant["email"] = email
    outcome = submit_dossier(db.session, "1.001193",
                             {"applicant": applicant, "attachments": {"birth_certificate": attachment.id}},
                             submission_token=token, received_at=received or datetime(2026, 12, 1, 9, 0, tzinfo=VN))
    return outcome.dossier


def set_status(dossier: Dossier, status: str, **fields: Any) -> None:
    db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(status=status, **fields))
    db.session.commit()


def do(move: str, dossier: Dossier | str, **extra: Any) -> ds.Moved:
    """Run `move` with valid input."""
    args: dict[str, Any] = {"actor": "Cán bộ một cửa", **extra}
    if move == "receive":
        return ds.receive_dossier(db.session, dossier, **args)
    if move == "request_supplement":
        return ds.request_supplement(db.session, dossier, [SupplementItem(document="birth_certificate")], **args)
    if move == "submit_supplement":
        from flask import current_app

        token = secrets.token_urlsafe(24)
        stage_upload(db.session, AttachmentStore(Path(current_app.config["MOTCUA_DATA_DIR"]) / "attachments"),
                     io.BytesIO(PDF), "bo-sung.pdf", field="supplement-0", upload_token=token)
        return ds.submit_supplement(db.session, dossier, token, **args)
    if move == "receive_supplement":
        return ds.receive_supplement(db.session, dossier, **args)
    if move == "refuse":
        return ds.refuse_dossier(db.session, dossier, "Không thuộc thẩm quyền", **args)
    if move == "start_processing":
        return ds.start_processing(db.session, dossier, **args)
    if move == "extend":
        return ds.extend_dossier(db.session, dossier, "Cần xác minh", working_days=2, **args)
    if move == "stop":
        return ds.stop_dossier(db.session, dossier, "Người nộp rút hồ sơ", **args)
    if move == "result_ready":
        return ds.mark_result_ready(db.session, dossier, **args)
    return ds.return_result(db.session, dossier, **args)


# --- the table -------------------------------------------------------------------------------


def test_an_online_dossier_waits_for_the_desk(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    assert dossier.status == "submitted"
    assert ds.status_label("submitted") == "Chờ tiếp nhận"
    assert ds.status_label("submitted", "en") == "Waiting for the desk"
    assert ds.allowed_moves("submitted") == ["receive", "request_supplement", "refuse"]
    # values of older releases read as their new keys
    assert ds.status_label("done") == "Đã có kết quả" and ds.status_label("rejected") == "Từ chối tiếp nhận, giải quyết"


def test_every_move_is_allowed_exactly_where_the_table_says(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    code = dossier.code
    for status in STATUSES:
        for move, (sources, target) in MOVES.items():
            set_status(dossier, status, extended_to=None, appointment_date=date(2026, 12, 2))
            before = db.session.scalar(select(DossierEvent.id).where(DossierEvent.dossier_id == dossier.id)
                                       .order_by(DossierEvent.id.desc()).limit(1))
            if status in sources:
                moved = do(move, code)
                assert moved.status == (target or status), (status, move)
                assert db.session.get(Dossier, dossier.id).status == (target or status)
                last = db.session.scalar(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                                         .order_by(DossierEvent.id.desc()).limit(1))
                assert last.id != before and last.actor == "Cán bộ một cửa"
            else:
                with pytest.raises(StatusRefused) as refused:
                    do(move, code)
                assert refused.value.message_vi.startswith("Không thể ")
                assert STATUSES[status][0] in refused.value.message_vi
                assert refused.value.message_en.startswith("Cannot ")
                assert db.session.get(Dossier, dossier.id).status == status  # nothing changed
                db.session.rollback()


def test_the_whole_way_with_events_and_audit(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    for move in ("receive", "start_processing", "result_ready"):
        do(move, dossier.code)
    moved = ds.return_result(db.session, dossier.code, by_post=True, tracking="EL123456789VN", actor="Văn thư")
    assert moved.status == "returned"
    assert moved.dossier.postal_tracking == "EL123456789VN" and moved.dossier.returned_at is not None
    assert [e.status for e in moved.dossier.events] == ["submitted", "received", "processing", "result_ready", "returned"]
    assert moved.dossier.events[-1].detail == {"by_post": True, "tracking": "EL123456789VN"}
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("dossier_%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["dossier_receive", "dossier_start_processing", "dossier_result_ready", "dossier_return_result"]
    with pytest.raises(StatusRefused, match="số hiệu bưu gửi"):
        set_status(dossier, "result_ready")
        ds.return_result(db.session, dossier.code, by_post=True, actor="x")


def test_reasons_are_required(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    for call in (lambda: ds.refuse_dossier(db.session, dossier.code, "  ", actor="x"),
                 lambda: ds.stop_dossier(db.session, dossier.code, "", actor="x")):
        set_status(dossier, "received")
        with pytest.raises(StatusRefused, match="Vui lòng ghi lý do"):
            call()
    with pytest.raises(StatusRefused, match="Không có hồ sơ mã"):
        ds.receive_dossier(db.session, "2026-X-000000", actor="x")


# --- supplements ------------------------------------------------------------------------------


def test_a_supplement_names_the_procedures_papers_or_gives_a_reason(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    with pytest.raises(StatusRefused, match="không có trong thành phần hồ sơ của thủ tục"):
        ds.request_supplement(db.session, dossier.code, [SupplementItem(document="passport")], actor="x")
    with pytest.raises(StatusRefused, match="phải ghi rõ lý do"):
        ds.request_supplement(db.session, dossier.code, [SupplementItem(text="Sổ hộ khẩu")], actor="x")
    with pytest.raises(StatusRefused, match="giấy tờ cần bổ sung"):
        ds.request_supplement(db.session, dossier.code, [], actor="x")
    assert db.session.get(Dossier, dossier.id).status == "submitted"
    moved = ds.request_supplement(db.session, dossier.code, [
        SupplementItem(document="birth_certificate"),
        SupplementItem(text="Bản sao giấy đăng ký kết hôn", reason="Cha mẹ đã đăng ký kết hôn ở nước ngoài"),
    ], actor="Cán bộ")
    assert moved.status == "supplement_requested"
    assert moved.dossier.events[-1].detail == {"items": [
        {"document": "birth_certificate", "name": "Giấy chứng sinh"},
        {"text": "Bản sao giấy đăng ký kết hôn", "reason": "Cha mẹ đã đăng ký kết hôn ở nước ngoài"},
    ]}
    # the clock stops while the papers are awaited: not late, even past the first date
    set_status(dossier, "supplement_requested", appointment_date=date(2026, 12, 2))
    assert ds.overdue(db.session, today=date(2026, 12, 10)) == []
    # and counts again (1 working day online) from the day they arrive: Friday → Monday
    back = ds.receive_supplement(db.session, dossier.code, actor="Cán bộ",
                                 at=datetime(2026, 12, 4, 10, 0, tzinfo=VN))
    assert back.status == "received" and back.dossier.events[-1].status == "supplement_received"
    assert back.dossier.appointment_date == date(2026, 12, 7)
    assert back.dossier.events[-1].detail == {"previous_date": "2026-12-02", "appointment_date": "2026-12-07"}
    assert [d.code for d in ds.overdue(db.session, today=date(2026, 12, 8))] == [dossier.code]


# --- extensions and lateness -------------------------------------------------------------------


def office(**values: Any) -> int:
    fields = {"parent_body": "UBND TỈNH QUẢNG TRỊ", "level": "province", "province_code": "44",
              "saturday_morning": True, **values}
    return office_service.create_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",
                                        actor="admin", **fields).id


def test_an_extension_counts_working_days_on_the_offices_calendar(app: Flask, store: AttachmentStore) -> None:
    office_id = office()
    office_service.add_day_off(db.session, office_id, date(2026, 12, 7), "Chuyển trụ sở", actor="admin")
    dossier = submit(store)
    set_status(dossier, "processing", office_id=office_id, appointment_date=date(2026, 12, 4))  # a Friday
    # Saturday (even with a Saturday morning) and Sunday do not count, nor the office's day off
    moved = ds.extend_dossier(db.session, dossier.code, "Cần xác minh thông tin", working_days=1, actor="Cán bộ")
    assert moved.dossier.extended_to == date(2026, 12, 8)
    assert ds.due_date(moved.dossier) == date(2026, 12, 8)
    assert moved.dossier.events[-1].status == "extended"
    assert moved.dossier.events[-1].detail == {"reason": "Cần xác minh thông tin", "new_date": "2026-12-08",
                                               "previous_date": "2026-12-04", "working_days": 1}
    # the New Year's Day holiday is skipped too
    set_status(dossier, "processing", extended_to=None, appointment_date=date(2026, 12, 31))
    assert ds.extend_dossier(db.session, dossier.code, "Chờ ý kiến", working_days=1,
                             actor="x").dossier.extended_to == date(2027, 1, 4)
    # a date given; it must be later than the current one, and only one of the two is given
    assert ds.extend_dossier(db.session, dossier.code, "Chờ ý kiến", new_date=date(2027, 1, 20),
                             actor="x").dossier.extended_to == date(2027, 1, 20)
    with pytest.raises(StatusRefused, match="phải sau ngày hẹn hiện tại"):
        ds.extend_dossier(db.session, dossier.code, "Chờ", new_date=date(2027, 1, 10), actor="x")
    with pytest.raises(StatusRefused, match="một trong hai"):
        ds.extend_dossier(db.session, dossier.code, "Chờ", actor="x")
    with pytest.raises(StatusRefused, match="lý do gia hạn"):
        ds.extend_dossier(db.session, dossier.code, "", working_days=2, actor="x")


def test_another_offices_staff_cannot_move_a_dossier(app: Flask, store: AttachmentStore) -> None:
    mine = office()
    other = office_service.create_office(db.session, "Trung tâm Phục vụ hành chính công phường Đông Hà",
                                         actor="admin", parent_body="UBND PHƯỜNG ĐÔNG HÀ", level="commune",
                                         province_code="44", commune_code="19333").id
    dossier = submit(store)
    set_status(dossier, "submitted", office_id=mine)
    with pytest.raises(StatusRefused, match="Không có hồ sơ mã"):
        ds.receive_dossier(db.session, dossier.code, actor="x", office=other)
    with pytest.raises(StatusRefused, match="Không có hồ sơ mã"):
        ds.refuse_dossier(db.session, dossier.code, "Sai", actor="x", office=other)
    assert db.session.get(Dossier, dossier.id).status == "submitted"
    assert ds.receive_dossier(db.session, dossier.code, actor="x", office=mine).status == "received"


def test_overdue_lists_open_dossiers_past_their_date(app: Flask, store: AttachmentStore) -> None:
    office_id = office()
    late, extended, finished, elsewhere = (submit(store) for _ in range(4))
    set_status(late, "processing", appointment_date=date(2026, 12, 3), office_id=office_id)
    set_status(extended, "processing", appointment_date=date(2026, 12, 3), office_id=office_id,
               extended_to=date(2026, 12, 20))
    set_status(finished, "returned", appointment_date=date(2026, 12, 3), office_id=office_id)
    set_status(elsewhere, "received", appointment_date=date(2026, 12, 3))
    today = date(2026, 12, 10)
    assert [d.code for d in ds.overdue(db.session, office=office_id, today=today)] == [late.code]
    assert {d.code for d in ds.overdue(db.session, today=today)} == {late.code, elsewhere.code}
    assert ds.overdue(db.session, today=date(2026, 12, 3)) == []  # due today is not late
    assert [d.code for d in ds.overdue(db.session, today=date(2026, 12, 21), office=office_id)] == [late.code, extended.code]


# --- the command line ------------------------------------------------------------------------------


def test_the_dossier_commands(app: Flask, store: AttachmentStore, db_runner) -> None:  # type: ignore[no-untyped-def]
    code = submit(store).code
    result = db_runner("dossier", "list", "--status", "submitted")
    assert result.exit_code == 0 and code in result.output and "Chờ tiếp nhận" in result.output
    result = db_runner("dossier", "request-supplement", code, "--other", "Sổ hộ khẩu")
    assert result.exit_code == 1 and "phải ghi rõ lý do" in result.output
    result = db_runner("dossier", "request-supplement", code, "--item", "birth_certificate",
                       "--other", "Sổ hộ khẩu", "--reason", "Địa chỉ trên tờ khai khác giấy tờ", "--actor", "Lan")
    assert result.exit_code == 0, result.output
    assert f"{code}: Yêu cầu bổ sung, hoàn thiện hồ sơ" in result.output
    assert "Đã báo cho người nộp: 0912345678" in result.output
    assert db_runner("dossier", "receive-supplement", code).exit_code == 0
    assert "Đang giải quyết" in db_runner("dossier", "process", code).output
    result = db_runner("dossier", "extend", code, "--reason", "Cần xác minh", "--to", "2026-12-30")
    assert result.exit_code == 0 and "hẹn mới 30/12/2026" in result.output
    result = db_runner("dossier", "return", code, "--post", "EL1VN")
    assert result.exit_code == 1 and "Không thể trả kết quả" in result.output
    assert "Đã có kết quả" in db_runner("dossier", "result-ready", code).output
    assert "Đã trả kết quả" in db_runner("dossier", "return", code, "--post", "EL1VN").output
    assert db_runner("dossier", "refuse", code, "--reason", "x").exit_code == 1
    assert db_runner("dossier", "list", "--status", "nonsense").exit_code == 1
    db.session.rollback()  # end this session's read transaction: the commands wrote since
    found = db.session.scalar(select(Dossier).where(Dossier.code == code))
    assert found.postal_tracking == "EL1VN"
    assert [e.actor for e in found.events][1] == "Lan"
    other = submit(store).code
    assert "Đã tiếp nhận" in db_runner("dossier", "receive", other).output
    assert "Từ chối tiếp nhận, giải quyết" in db_runner("dossier", "refuse", other, "--reason", "Sai thẩm quyền").output
    late = submit(store).code
    db.session.execute(update(Dossier).where(Dossier.code == late).values(appointment_date=date(2020, 1, 2)))
    db.session.commit()
    result = db_runner("dossier", "list", "--late")
    assert result.exit_code == 0 and late in result.output and "(quá hạn)" in result.output
    assert code not in result.output and other not in result.output
    assert db_runner("dossier", "stop", late, "--reason", "Người nộp rút hồ sơ").exit_code == 1  # still submitted


# --- the citizen's page ----------------------------------------------------------------------


def open_page(app: Flask, dossier: Dossier, locale: str = "vi") -> str:
    client: FlaskClient = app.test_client()
    client.get(f"/dossiers/{dossier.code}?t={dossier.tracking_token}")
    if locale != "vi":
        client.get(f"/language/{locale}")
    page = client.get(f"/dossiers/{dossier.code}")
    assert page.status_code == 200
    return page.text


def test_the_dossier_page_shows_each_step_and_what_was_asked(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    code = dossier.code
    ds.request_supplement(db.session, code, [
        SupplementItem(document="birth_certificate"),
        SupplementItem(text="Bản sao giấy đăng ký kết hôn", reason="Cha mẹ đăng ký kết hôn ở nước ngoài"),
    ], actor="x")
    ds.receive_supplement(db.session, code, actor="x")
    ds.start_processing(db.session, code, actor="x")
    set_status(dossier, "processing", appointment_date=date(2026, 12, 4))
    ds.extend_dossier(db.session, code, "Cần xác minh tại nơi cư trú", new_date=date(2026, 12, 18), actor="x")
    ds.mark_result_ready(db.session, code, actor="x")
    ds.return_result(db.session, code, by_post=True, tracking="EL987654321VN", actor="x")
    text = open_page(app, db.session.get(Dossier, dossier.id))
    for shown in ("Chờ tiếp nhận", "Yêu cầu bổ sung, hoàn thiện hồ sơ", "Giấy chứng sinh",
                  "Bản sao giấy đăng ký kết hôn", "lý do: Cha mẹ đăng ký kết hôn ở nước ngoài",
                  "Đã nhận hồ sơ bổ sung", "thời hạn giải quyết tính lại từ ngày nhận đủ hồ sơ", "Gia hạn", "hẹn trả kết quả mới ngày 18/12/2026",
                  "(trước đây: 04/12/2026)", "Lý do: Cần xác minh tại nơi cư trú", "Đã có kết quả",
                  "Đã trả kết quả", "số hiệu bưu gửi EL987654321VN", "Số hiệu bưu gửi"):
        assert shown in text, shown
    # each step with its date in Vietnam time (submitted 09:00 +07:00)
    assert "09:00, 01/12/2026</span> – <strong>Chờ tiếp nhận" in text
    english = open_page(app, db.session.get(Dossier, dossier.id), "en")
    assert "Supplement requested" in english and "new date for the result 18/12/2026" in english

    refused = submit(store)
    ds.refuse_dossier(db.session, refused.code, "Hồ sơ không thuộc thẩm quyền của xã", actor="x")
    text = open_page(app, db.session.get(Dossier, refused.id))
    assert "Từ chối tiếp nhận, giải quyết" in text and "Lý do: Hồ sơ không thuộc thẩm quyền của xã" in text


# --- telling the citizen --------------------------------------------------------------------


def test_the_citizen_is_mailed_and_texted(app: Flask, store: AttachmentStore,
                                          smtp_server: tuple[str, Inbox]) -> None:
    url, inbox = smtp_server
    app.config["MOTCUA_SMTP_URL"] = url
    sms = LogSms()
    notifier = CitizenNotifier(sms)
    dossier = submit(store, email="an@example.vn")
    ds.receive_dossier(db.session, dossier.code, actor="x", notifier=notifier)  # not told
    ds.request_supplement(db.session, dossier.code, [
        SupplementItem(text="Sổ hộ khẩu", reason="Địa chỉ trên tờ khai khác giấy tờ")], actor="x", notifier=notifier)
    messages = inbox.wait(1)
    assert len(messages) == 1 and messages[0]["To"] == "an@example.vn"
    assert dossier.code in str(messages[0]["Subject"])
    assert "Sổ hộ khẩu (lý do: Địa chỉ trên tờ khai khác giấy tờ)" in mail_text(messages[0])
    ds.receive_supplement(db.session, dossier.code, actor="x", notifier=notifier)
    ds.start_processing(db.session, dossier.code, actor="x", notifier=notifier)
    ds.extend_dossier(db.session, dossier.code, "Chờ xác minh", new_date=date(2027, 2, 1), actor="x", notifier=notifier)
    ds.mark_result_ready(db.session, dossier.code, actor="x", notifier=notifier)
    texts = [mail_text(m) for m in inbox.wait(3)]  # the queue may deliver them in any order
    assert len(texts) == 3
    assert any("gia hạn giải quyết đến ngày 01/02/2027" in t and "Lý do: Chờ xác minh" in t for t in texts)
    assert any("đã có kết quả" in t for t in texts)
    assert [m.to for m in sms.sent] == ["0912345678"] * 3
    assert all(len(m.text) <= 160 and m.text.isascii() for m in sms.sent)
    refused = submit(store, email="binh@example.vn")
    ds.refuse_dossier(db.session, refused.code, "Sai thẩm quyền", actor="x", notifier=notifier)
    last = inbox.wait(4)[-1]
    assert last["To"] == "binh@example.vn" and "Sai thẩm quyền" in mail_text(last)


def test_the_result_ready_message_invites_the_rating_with_the_dossiers_own_link(app: Flask,
                                                                               store: AttachmentStore) -> None:
    from admin.notifications import with_rating_invitation

    dossier = submit(store)
    for move in ("receive", "start_processing"):
        do(move, dossier.code)
    app.config["PUBLIC_BASE_URL"] = ""
    moved = ds.mark_result_ready(db.session, dossier.code, actor="x")
    assert moved.notice is not None
    assert with_rating_invitation(moved.notice) == moved.notice  # no true address: no link made up
    link = f"https://dvc.example.vn/dossiers/{dossier.code}/rating?t={dossier.tracking_token}"
    app.config["PUBLIC_BASE_URL"] = "https://dvc.example.vn"
    invited = with_rating_invitation(moved.notice)
    assert f"Mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ tại: {link}" in invited.text
    assert invited.sms.endswith(f"Moi danh gia: {link}") and len(invited.sms) <= 160
    app.config["PUBLIC_BASE_URL"] = "https://dichvucong.thanhphohochiminh.gov.vn"
    long = with_rating_invitation(moved.notice)
    assert "/rating?t=" in long.text and long.sms == moved.notice.sms  # one SMS, the mail has the link
    assert with_rating_invitation(do("refuse", submit(store).code).notice).text.count("/rating") == 0

    app.config["PUBLIC_BASE_URL"] = "https://dvc.example.vn"
    sms = LogSms()
    other = submit(store)
    for move in ("receive", "start_processing"):
        do(move, other.code)
    ds.mark_result_ready(db.session, other.code, actor="x", notifier=CitizenNotifier(sms))
    assert sms.sent[-1].text.endswith(f"/dossiers/{other.code}/rating?t={other.tracking_token}")


def test_a_dead_mail_server_or_a_failing_sms_never_blocks_the_move(app: Flask, store: AttachmentStore,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import admin.mail

    monkeypatch.setattr(admin.mail, "RETRY_PAUSE", 0.01)
    app.config["MOTCUA_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there

    class BrokenSms:
        def send(self, message: Any) -> None:
            raise OSError("gateway down")

    dossier = submit(store, email="an@example.vn")
    started = time.monotonic()
    moved = ds.refuse_dossier(db.session, dossier.code, "Sai thẩm quyền", actor="x",
                              notifier=CitizenNotifier(BrokenSms()))
    assert moved.status == "refused" and time.monotonic() - started < 5
    assert moved.notice is not None and moved.notice.email == "an@example.vn"

    class Exploding:
        def notify(self, notice: Any) -> None:
            raise RuntimeError("boom")

    other = submit(store)
    ds.receive_dossier(db.session, other.code, actor="x")
    assert ds.refuse_dossier(db.session, other.code, "x", actor="x", notifier=Exploding()).status == "refused"
    time.sleep(0.3)  # the mail job fails in the background
    db.session.rollback()
    assert db.session.get(Dossier, dossier.id).status == "refused"


def migrate(step: Any, revision: str) -> None:
    """Run an Alembic `step` (upgrade, downgrade) to `revision` on the test database."""
    from catalog.schema import alembic_config

    with db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config, revision)


def test_the_migration_renames_the_old_status_keys(app: Flask, store: AttachmentStore) -> None:
    from alembic import command
    from sqlalchemy import text as sql

    codes = [submit(store).code for _ in range(3)]
    db.session.rollback()
    db.session.close()
    migrate(command.downgrade, "0013")  # the schema of before, with the keys of before
    with db.engine.begin() as connection:
        for code, status in zip(codes, ("done", "rejected", "processing"), strict=True):
            connection.execute(sql("update dossier set status = :status where code = :code"),
                               {"status": status, "code": code})
            connection.execute(sql("update dossier_event set status = :status where dossier_id ="
                                   " (select id from dossier where code = :code)"), {"status": status, "code": code})
    migrate(command.upgrade, "head")
    with db.engine.connect() as connection:
        assert [tuple(r) for r in connection.execute(sql("select code, status from dossier order by code"))] == [
            (codes[0], "result_ready"), (codes[1], "refused"), (codes[2], "processing")]
        assert [r[0] for r in connection.execute(sql("select status from dossier_event order by id"))] == [
            "result_ready", "refused", "processing"]
        assert tuple(connection.execute(sql("select extended_to, postal_tracking from dossier")).first()) == (None, None)


def test_the_moves_keep_the_first_result_time_and_the_supplement_count(app: Flask, store: AttachmentStore) -> None:
    from catalog.services.figures import figures

    dossier = submit(store)
    for move in ("request_supplement", "submit_supplement", "receive_supplement", "request_supplement",
                 "submit_supplement", "receive_supplement", "start_processing"):
        do(move, dossier.code)
    first = do("result_ready", dossier.code).dossier.result_ready_at
    set_status(dossier, "processing")  # handed back for a correction, then ready again
    do("result_ready", dossier.code)
    row = db.session.get(Dossier, dossier.id)
    db.session.refresh(row)
    assert row.supplements_requested == 2
    assert row.result_ready_at == first
    ready = [e.at for e in row.events if e.status == "result_ready"]
    assert len(ready) == 2 and row.result_ready_at == min(ready)
    table = figures(db.session, date(2026, 12, 1), date(2026, 12, 1))
    assert (table.total.supplements, table.total.resolved) == (1, 1)


def test_the_migration_fills_the_milestones_from_the_events(app: Flask, store: AttachmentStore) -> None:
    from alembic import command
    from sqlalchemy import text as sql

    asked, ready, old = (submit(store) for _ in range(3))
    do("request_supplement", asked.code)
    for move in ("receive", "start_processing", "result_ready"):
        do(move, ready.code)
    ready_at = db.session.get(Dossier, ready.id).result_ready_at
    codes = asked.code, ready.code, old.code
    old_code = old.code
    db.session.rollback()
    db.session.close()
    migrate(command.downgrade, "0015")  # before the dossier kept them
    with db.engine.begin() as connection:  # a result written by an older release ("done")
        connection.execute(sql("insert into dossier_event (dossier_id, status, actor, note, at)"
                               " select id, 'done', 'x', '', :at from dossier where code = :code"),
                           {"code": old_code, "at": datetime(2026, 12, 3, 2, 0)})
    migrate(command.upgrade, "head")
    rows = {r.code: r for r in db.session.scalars(select(Dossier).where(Dossier.code.in_(codes)))}
    assert [rows[c].supplements_requested for c in codes] == [1, 0, 0]
    assert {rows[c].applicant_name_folded for c in codes} == {"nguyen van an"}  # 0017, for the desk's search
    assert rows[codes[0]].result_ready_at is None
    assert rows[codes[1]].result_ready_at == ready_at
    assert rows[codes[2]].result_ready_at.replace(tzinfo=None) == datetime(2026, 12, 3, 2, 0)


def test_the_desk_lists_waiting_and_late_dossiers_and_the_landing_page_counts_them(
        app: Flask, store: AttachmentStore) -> None:
    from admin.roles import POSTING_OFFICER, RECEPTION_OFFICER
    from tests.backoffice_helpers import client_for, make_users

    make_users(app)
    office_id = office()  # the desk shows the dossiers of the officer's offices
    office_service.assign_staff(db.session, office_id, int(app.appbuilder.sm.find_user(username="reception").id))
    waiting = submit(store)
    late = submit(store, received=datetime(2026, 1, 5, 9, 0, tzinfo=VN))
    ds.receive_dossier(db.session, late.code, actor="reception")
    waiting.appointment_date = datetime.now(VN).date() + timedelta(days=1)  # due tomorrow
    waiting.office_id = late.office_id = office_id
    db.session.commit()
    reception = client_for(app, RECEPTION_OFFICER)
    desk = reception.get("/admin/desk/").get_data(as_text=True)
    soon_part = desk.split("Hẹn trả hôm nay và ngày mai")[1].split("</table>")[0]
    assert waiting.code in soon_part and late.code not in soon_part
    waiting_part = desk.split("Hồ sơ trực tuyến chờ tiếp nhận")[1].split("</table>")[0]
    late_part = desk.split("Quá hạn, cần văn bản xin lỗi và gia hạn")[1].split("</table>")[0]
    assert waiting.code in waiting_part and late.code not in waiting_part
    assert late.code in late_part and waiting.code not in late_part
    home = reception.get("/admin/").get_data(as_text=True)
    assert re.search(r'<span class="badge">1</span>\s*<a href="/admin/desk/">Hồ sơ trực tuyến chờ tiếp nhận', home)
    assert re.search(r'<span class="badge">1</span>\s*<a href="/admin/desk/">Hồ sơ quá hạn', home)
    posting = client_for(app, POSTING_OFFICER)
    assert posting.get("/admin/desk/").status_code in (302, 403)
    assert "Hồ sơ quá hạn" not in posting.get("/admin/").get_data(as_text=True)
