"""The reception desk per office (issue 16 §1, §3): another office's staff sees and does nothing
(404), each action form moves the dossier or shows its refusal next to it with the input kept,
late dossiers without slip 04 are flagged until extended, the search, failed messages to the
citizen listed and sent again, and a user of no office told so."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from admin.roles import ADMIN, DEMO_USERS, RECEPTION_OFFICER
from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.models import Dossier, Notification
from catalog.services import desk as desk_service
from catalog.services import dossier_status as ds
from catalog.services import import_document
from catalog.services import offices as office_service
from tests.backoffice_helpers import client_for, make_users, text
from tests.factories import document
from tests.test_dossier_status import VN, set_status, submit
from tests.test_drafts import Inbox, free_port, mail_text

OTHER_USER = ("le.thi.hoa", "hoa-demo-2026-pw")


@pytest.fixture
def desk_app(app: Flask) -> Flask:
    import_document(db.session, document(), author="test", publish=True)
    make_users(app)
    return app


@pytest.fixture
def store(desk_app: Flask) -> AttachmentStore:
    return AttachmentStore(Path(desk_app.config["MOTCUA_DATA_DIR"]) / "attachments")


def user_id(app: Flask, username: str) -> int:
    return int(app.appbuilder.sm.find_user(username=username).id)


@pytest.fixture
def offices(desk_app: Flask) -> tuple[int, int]:
    """(mine, theirs): the demo reception officer works at the first, another officer at the second."""
    from admin.setup import create_user

    mine = office_service.create_office(
        db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", actor="admin",
        parent_body="UBND TỈNH QUẢNG TRỊ", level="province", province_code="44").id
    theirs = office_service.create_office(
        db.session, "Trung tâm Phục vụ hành chính công phường Đông Hà", actor="admin",
        parent_body="UBND PHƯỜNG ĐÔNG HÀ", level="commune", province_code="44", commune_code="19333").id
    assert create_user(*OTHER_USER[:1], RECEPTION_OFFICER, OTHER_USER[1]) is None
    office_service.assign_staff(db.session, mine, user_id(desk_app, DEMO_USERS[RECEPTION_OFFICER][0]), actor="admin")
    office_service.assign_staff(db.session, theirs, user_id(desk_app, OTHER_USER[0]), actor="admin")
    return mine, theirs


def other_officer(app: Flask) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login/", data={"username": OTHER_USER[0], "password": OTHER_USER[1]})
    assert response.status_code == 302
    return client


def at_office(store: AttachmentStore, office_id: int, status: str = "submitted", **fields: Any) -> Dossier:
    dossier = submit(store, **{k: fields.pop(k) for k in ("email", "received") if k in fields})
    set_status(dossier, status, office_id=office_id, **fields)
    return dossier


def status_of(code: str) -> str:
    db.session.rollback()
    return str(db.session.scalar(select(Dossier.status).where(Dossier.code == code)))


def part(html: str, caption: str) -> str:
    """The table under `caption` on the desk page ('' when the list is empty)."""
    if caption + " (" not in html:
        return ""
    return html.split(caption + " (", 1)[1].split("</table>", 1)[0]


# --- per office ------------------------------------------------------------------------------------


def test_another_offices_staff_can_neither_see_nor_act(desk_app: Flask, store: AttachmentStore,
                                                       offices: tuple[int, int]) -> None:
    mine, _ = offices
    dossier = at_office(store, mine)
    code, file_id = dossier.code, dossier.attachments[0].id
    other = other_officer(desk_app)
    assert other.get(f"/admin/desk/dossiers/{code}").status_code == 404
    assert other.get(f"/admin/desk/dossiers/{code}/files/{file_id}").status_code == 404
    assert other.post(f"/admin/desk/dossiers/{code}/moves/receive").status_code == 404
    assert other.post(f"/admin/desk/dossiers/{code}/moves/refuse", data={"reason": "x"}).status_code == 404
    assert status_of(code) == "submitted"
    assert code not in text(other.get("/admin/desk/"))
    assert "không tìm thấy hồ sơ nào" in text(other.get(f"/admin/desk/?q={code}"))
    # the citizen site's dossier page and its files refuse them too (the lookup form)
    site_page = other.get(f"/dossiers/{code}")
    assert site_page.status_code == 403 and "Nguyễn Văn An" not in text(site_page)
    assert other.get(f"/dossiers/{code}/files/{file_id}").status_code == 403

    reception = client_for(desk_app, RECEPTION_OFFICER)
    page = text(reception.get(f"/admin/desk/dossiers/{code}"))
    assert "Nguyễn Văn An" in page and "Chờ tiếp nhận" in page and "giay-chung-sinh.pdf" in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị" in page
    assert "001090012345" in page  # the answers as filed
    download = reception.get(f"/admin/desk/dossiers/{code}/files/{file_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert reception.get(f"/dossiers/{code}").status_code == 200
    assert client_for(desk_app, ADMIN).get(f"/admin/desk/dossiers/{code}").status_code == 200


def test_a_user_of_no_office_is_told_and_sees_no_dossier(desk_app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    page = text(client_for(desk_app, RECEPTION_OFFICER).get("/admin/desk/"))
    assert "Tài khoản của bạn chưa được gắn với bộ phận tiếp nhận nào" in page
    assert dossier.code not in page
    assert client_for(desk_app, RECEPTION_OFFICER).get(f"/admin/desk/dossiers/{dossier.code}").status_code == 404
    admin_page = text(client_for(desk_app, ADMIN).get("/admin/desk/"))
    assert "chưa được gắn" not in admin_page and dossier.code in admin_page


# --- the action forms --------------------------------------------------------------------------------


def test_each_action_form_moves_the_dossier_or_says_why_not(desk_app: Flask, store: AttachmentStore,
                                                             offices: tuple[int, int]) -> None:
    mine, _ = offices
    code = at_office(store, mine).code
    reception = client_for(desk_app, RECEPTION_OFFICER)
    url = f"/admin/desk/dossiers/{code}"

    def post(move: str, **data: Any) -> Any:
        return reception.post(f"{url}/moves/{move}", data=data)

    page = text(reception.get(url))
    assert 'id="move-receive"' in page and 'id="move-refuse"' in page and 'id="move-extend"' not in page
    done = post("receive")
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{url}?received=1")
    page = text(reception.get(done.headers["Location"]))
    assert f'href="/dossiers/{code}/receipt.pdf"' in page  # print slip 01 at once
    assert "Đã tiếp nhận" in page and status_of(code) == "received"

    # a paper outside the procedure's list without a reason: refused, next to its form, input kept
    refused = post("request_supplement", other_text="Sổ hộ khẩu", other_reason="", note="Gấp")
    assert refused.status_code == 422
    form = text(refused).split('id="move-request_supplement"')[1].split("</form>")[0]
    assert "«Sổ hộ khẩu» không có trong thành phần hồ sơ theo quy định: phải ghi rõ lý do yêu cầu." in form
    assert 'value="Sổ hộ khẩu"' in form and "Gấp" in form
    assert status_of(code) == "received"
    assert 'value="birth_certificate"' in form  # the procedure's documents as checkboxes
    assert post("request_supplement", document="birth_certificate", other_text="Sổ hộ khẩu",
                other_reason="Địa chỉ trên tờ khai khác giấy tờ").status_code == 303
    assert status_of(code) == "supplement_requested"
    page = text(reception.get(url))
    assert "Sổ hộ khẩu (lý do: Địa chỉ trên tờ khai khác giấy tờ)" in page  # in the timeline
    assert post("receive_supplement").status_code == 303 and status_of(code) == "received"
    assert post("start_processing").status_code == 303 and status_of(code) == "processing"
    bad = post("extend", days="hai", reason="Cần xác minh")
    assert bad.status_code == 422 and "Số ngày gia hạn phải là một số nguyên" in text(bad)
    assert "Vui lòng ghi lý do gia hạn." in text(post("extend", days="2", reason=" "))
    assert post("extend", days="2", reason="Cần xác minh").status_code == 303
    db.session.rollback()
    assert db.session.scalar(select(Dossier.extended_to).where(Dossier.code == code)) is not None
    assert post("result_ready").status_code == 303 and status_of(code) == "result_ready"
    no_number = post("return_result", how="post", tracking="")
    assert no_number.status_code == 422 and "phải ghi số hiệu bưu gửi" in text(no_number)
    assert post("return_result", how="post", tracking="EL123456789VN").status_code == 303
    assert status_of(code) == "returned"
    assert "EL123456789VN" in text(reception.get(url))
    assert 'class="panel panel-default desk-move"' not in text(reception.get(url))  # nothing left to do
    assert post("refuse", reason="x").status_code == 422  # the table says no

    refused_code = at_office(store, mine).code
    assert "Vui lòng ghi lý do từ chối." in text(reception.post(f"/admin/desk/dossiers/{refused_code}/moves/refuse"))
    assert reception.post(f"/admin/desk/dossiers/{refused_code}/moves/refuse",
                          data={"reason": "Không thuộc thẩm quyền"}).status_code == 303
    assert status_of(refused_code) == "refused"
    stopped = at_office(store, mine, "received").code
    assert reception.post(f"/admin/desk/dossiers/{stopped}/moves/stop",
                          data={"reason": "Người nộp rút hồ sơ"}).status_code == 303
    assert status_of(stopped) == "stopped"
    assert reception.post(f"/admin/desk/dossiers/{stopped}/moves/fly").status_code == 404


def test_a_late_dossier_is_flagged_until_it_has_an_extension(desk_app: Flask, store: AttachmentStore,
                                                             offices: tuple[int, int]) -> None:
    mine, theirs = offices
    long_ago = datetime.now(VN).date() - timedelta(days=60)
    late = at_office(store, mine, "processing", appointment_date=long_ago)
    elsewhere = at_office(store, theirs, "processing", appointment_date=long_ago)
    reception = client_for(desk_app, RECEPTION_OFFICER)
    flag = "Quá hạn chưa có văn bản xin lỗi, gia hạn"
    late_part = part(text(reception.get("/admin/desk/")), "Quá hạn, cần văn bản xin lỗi và gia hạn")
    assert late.code in late_part and flag in late_part and elsewhere.code not in late_part
    assert flag in text(reception.get(f"/admin/desk/dossiers/{late.code}"))
    # one working day after a date long past: still late, but the apology and extension exist
    assert reception.post(f"/admin/desk/dossiers/{late.code}/moves/extend",
                          data={"days": "1", "reason": "Cần xác minh tại nơi cư trú"}).status_code == 303
    late_part = part(text(reception.get("/admin/desk/")), "Quá hạn, cần văn bản xin lỗi và gia hạn")
    assert late.code in late_part and flag not in late_part
    assert flag not in text(reception.get(f"/admin/desk/dossiers/{late.code}"))
    # a supplement restarts the clock and drops the extension: late again, flagged again
    ds.request_supplement(db.session, late.code, [ds.SupplementItem(document="birth_certificate")], actor="x")
    ds.receive_supplement(db.session, late.code, actor="x")
    set_status(late, "received", appointment_date=long_ago)  # and the new date passed too
    day = desk_service.desk_day(db.session, [mine])
    assert [d.code for d in day.late] == [late.code] and day.unapologised == {late.code}


def test_supplements_received_are_on_the_days_list(desk_app: Flask, store: AttachmentStore,
                                                   offices: tuple[int, int]) -> None:
    mine, _ = offices
    back = at_office(store, mine, "received")
    ds.request_supplement(db.session, back.code, [ds.SupplementItem(document="birth_certificate")], actor="x")
    ds.receive_supplement(db.session, back.code, actor="x")
    still_waiting = at_office(store, mine, "received")
    page = text(client_for(desk_app, RECEPTION_OFFICER).get("/admin/desk/"))
    supplements = part(page, "Đã nhận hồ sơ bổ sung (7 ngày qua)")
    assert back.code in supplements and still_waiting.code not in supplements


# --- search --------------------------------------------------------------------------------------------


def test_search_by_code_name_without_accents_phone_and_citizen_id(desk_app: Flask, store: AttachmentStore,
                                                                  offices: tuple[int, int]) -> None:
    mine, theirs = offices
    found = at_office(store, mine)
    hidden = at_office(store, theirs)
    reception = client_for(desk_app, RECEPTION_OFFICER)

    def search(query: str) -> str:
        return part(text(reception.get("/admin/desk/", query_string={"q": query})), f"Kết quả tìm «{query}»")

    for query in (found.code, found.code[-4:], "nguyen van an", "NGUYỄN văn", "+84 912 345 678",
                  "0912345678", "001090012345"):
        result = search(query)
        assert found.code in result, query
        assert hidden.code not in result, query
    assert search("Trần Thị Bình") == ""
    assert "không tìm thấy hồ sơ nào" in text(reception.get("/admin/desk/?q=Tr%E1%BA%A7n"))
    assert search("0987654321") == ""
    assert desk_service.search(db.session, "001090012345", None) != []  # Admin: every office
    assert desk_service.search(db.session, "an", []) == []  # no office: nothing


def test_a_name_finds_an_old_dossier_behind_thousands_of_newer_ones(desk_app: Flask, store: AttachmentStore,
                                                                     offices: tuple[int, int]) -> None:
    mine, _theirs = offices
    old = at_office(store, mine, received=datetime(2025, 1, 6, 9, 0, tzinfo=VN))
    newer = db.session.get(Dossier, old.id)
    rows = [{"code": f"N-{n:05d}", "procedure_id": newer.procedure_id, "version_id": newer.version_id,
             "data": {}, "applicant_name": "Lê Thị Hoa", "applicant_name_folded": "le thi hoa",
             "tracking_token": f"n-{n}", "office_id": mine, "status": "received", "channel": "online",
             "received_at": datetime(2026, 12, 1, 9, 0, tzinfo=VN), "fee_due": 0, "result_by_post": False}
            for n in range(6000)]
    db.session.execute(insert(Dossier), rows)
    db.session.commit()
    found = desk_service.search(db.session, "nguyen van an", [mine])
    assert [d.code for d in found] == [old.code]
    assert desk_service.search(db.session, "hoa_", [mine]) == []  # "_" is a character, not a wildcard
    renamed = db.session.get(Dossier, old.id)
    renamed.applicant_name = "Phạm Đức Long"  # the folded copy follows the name
    db.session.commit()
    assert [d.code for d in desk_service.search(db.session, "PHAM duc", [mine])] == [old.code]


# --- failed sends --------------------------------------------------------------------------------------


def wait_for(check: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_failed_mail_is_listed_and_sent_again(desk_app: Flask, store: AttachmentStore,
                                                offices: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    import admin.mail

    monkeypatch.setattr(admin.mail, "RETRY_PAUSE", 0.01)
    desk_app.config["MOTCUA_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    mine, _ = offices
    code = at_office(store, mine, email="an@example.vn").code
    reception = client_for(desk_app, RECEPTION_OFFICER)
    started = time.monotonic()
    done = reception.post(f"/admin/desk/dossiers/{code}/moves/refuse", data={"reason": "Sai thẩm quyền"})
    assert done.status_code == 303 and time.monotonic() - started < 5
    assert status_of(code) == "refused"  # the move does not wait on the mail

    def rows() -> dict[str, Notification]:
        return {n.channel: n for n in db.session.scalars(select(Notification))}

    assert wait_for(lambda: rows().get("email") is not None and rows()["email"].status == "failed")
    mail, sms = rows()["email"], rows()["sms"]
    assert mail.attempts == 3 and mail.error and mail.recipient == "an@example.vn" and mail.move == "refuse"
    assert sms.status == "sent" and sms.recipient == "0912345678"
    assert status_of(code) == "refused"  # a failure never undoes the move
    failed = part(text(reception.get("/admin/desk/")), "Thông báo gửi người nộp không thành công")
    assert code in failed and "an@example.vn" in failed and "Thư điện tử" in failed and "Gửi lại" in failed
    assert re.search(r"<td>3</td>", failed)
    # another office's staff cannot send it again
    assert other_officer(desk_app).post(f"/admin/desk/notifications/{mail.id}/resend").status_code == 404

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        desk_app.config["MOTCUA_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        assert reception.post(f"/admin/desk/notifications/{mail.id}/resend").status_code == 303
        messages = inbox.wait(1)
        assert messages and messages[0]["To"] == "an@example.vn" and "Sai thẩm quyền" in mail_text(messages[0])
        assert wait_for(lambda: rows()["email"].status == "sent")
    finally:
        controller.stop()
    assert part(text(reception.get("/admin/desk/")), "Thông báo gửi người nộp không thành công") == ""
    assert reception.post(f"/admin/desk/notifications/{mail.id}/resend").status_code == 404  # not failed now


def test_a_failing_sms_is_marked_failed_and_the_move_stands(desk_app: Flask, store: AttachmentStore,
                                                           offices: tuple[int, int]) -> None:
    from admin.notifications import CitizenNotifier

    class BrokenSms:
        def send(self, message: Any) -> None:
            raise OSError("gateway down")

    mine, _ = offices
    code = at_office(store, mine).code
    moved = ds.refuse_dossier(db.session, code, "Sai thẩm quyền", actor="x", notifier=CitizenNotifier(BrokenSms()))
    assert moved.status == "refused"
    [row] = db.session.scalars(select(Notification)).all()
    assert (row.channel, row.status, row.recipient) == ("sms", "failed", "0912345678")
    assert "gateway down" in row.error
    assert [n.id for n in desk_service.desk_day(db.session, [mine]).failed] == [row.id]
    assert desk_service.desk_day(db.session, [offices[1]]).failed == []


# --- the command line ------------------------------------------------------------------------------------


def test_the_dossier_commands_take_an_office(desk_app: Flask, store: AttachmentStore, offices: tuple[int, int],
                                             runner) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = offices
    code = at_office(store, mine).code
    result = runner("dossier", "receive", code, "--office", str(theirs))
    assert result.exit_code == 1 and "Không có hồ sơ mã" in result.output
    assert status_of(code) == "submitted"
    assert runner("dossier", "receive", code, "--office", str(mine)).exit_code == 0
    assert runner("dossier", "extend", code, "--office", str(theirs), "--reason", "x", "--days", "1").exit_code == 1
    assert runner("dossier", "refuse", code, "--office", str(mine), "--reason", "Sai").exit_code == 0
    assert status_of(code) == "refused"


def test_the_desk_speaks_english_when_chosen(desk_app: Flask, store: AttachmentStore,
                                             offices: tuple[int, int]) -> None:
    code = at_office(store, offices[0]).code
    reception = client_for(desk_app, RECEPTION_OFFICER)
    reception.get("/lang/en")
    page = text(reception.get(f"/admin/desk/dossiers/{code}"))
    assert "Answers as filed" in page and "Waiting for the desk" in page and "Receive the dossier" in page
    assert "Find a dossier" in text(reception.get("/admin/desk/"))


# --- slips from the desk -------------------------------------------------------------------------


def test_the_desk_prints_the_dossiers_slips_and_its_offices_register(desk_app: Flask, store: AttachmentStore,
                                                                       offices: tuple[int, int]) -> None:
    import subprocess
    from datetime import date

    mine, theirs = offices
    dossier = at_office(store, mine, "received")
    ds.request_supplement(db.session, dossier.code, [ds.SupplementItem(document="birth_certificate")], actor="Cán bộ")
    desk = client_for(desk_app, RECEPTION_OFFICER)
    page = desk.get(f"/admin/desk/dossiers/{dossier.code}").text
    event = db.session.get(Dossier, dossier.id).events[-1].id
    assert f'href="/dossiers/{dossier.code}/receipt.pdf"' in page
    assert f'href="/dossiers/{dossier.code}/slips/02.pdf?event={event}"' in page
    slip = desk.get(f"/dossiers/{dossier.code}/slips/02.pdf?event={event}")
    assert slip.status_code == 200 and slip.data.startswith(b"%PDF")
    received = dossier.received_at.date()
    query = f"office={mine}&from={received.replace(day=1)}&to={date(received.year, 12, 31)}"
    pdf = desk.get(f"/admin/desk/register?{query}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    listed = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert dossier.code in listed
    csv = desk.get(f"/admin/desk/register?{query}&format=csv")
    assert csv.data.startswith(b"\xef\xbb\xbf") and dossier.code in csv.data.decode("utf-8-sig")
    # another office's register is not mine; a period that ends before it starts is refused
    assert desk.get(f"/admin/desk/register?office={theirs}&from=2026-01-01&to=2026-12-31").status_code == 404
    back = desk.get(f"/admin/desk/register?office={mine}&from=2026-12-31&to=2026-01-01", follow_redirects=True)
    assert "Hãy chọn khoảng ngày tiếp nhận" in back.text


def test_the_desk_offers_the_result_slip_once_the_result_is_ready(desk_app: Flask, store: AttachmentStore,
                                                                  offices: tuple[int, int]) -> None:
    mine, _ = offices
    dossier = at_office(store, mine, "processing")
    code = dossier.code
    desk = client_for(desk_app, RECEPTION_OFFICER)
    assert f"/dossiers/{code}/slips/kq.pdf" not in desk.get(f"/admin/desk/dossiers/{code}").text
    assert desk.get(f"/dossiers/{code}/slips/kq.pdf").status_code == 404
    ds.mark_result_ready(db.session, code, actor="Cán bộ")
    page = desk.get(f"/admin/desk/dossiers/{code}").text
    assert f'href="/dossiers/{code}/slips/kq.pdf"' in page
    assert "Phiếu trả kết quả giải quyết hồ sơ</a>" in page and "Mẫu kq" not in page
    slip = desk.get(f"/dossiers/{code}/slips/kq.pdf")
    assert slip.status_code == 200 and slip.data.startswith(b"%PDF")
    # another office's staff get the lookup form, as for every other slip of the dossier
    other = other_officer(desk_app)
    refused = other.get(f"/dossiers/{code}/slips/kq.pdf")
    assert refused.status_code == other.get(f"/dossiers/{code}/slips/06.pdf").status_code == 403
    assert refused.mimetype == "text/html" and "số điện thoại" in refused.text
