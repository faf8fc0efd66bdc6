"""The check page ("Kiểm tra lại thông tin"), "Sửa", "Nộp hồ sơ", the confirmation and the .ics.

A valid application shows every answer under its label and makes no dossier; only "Nộp hồ sơ"
there does, once however often it is posted; "Sửa" opens the form with every value and file kept.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import func, select

from catalog.db import db
from catalog.models import Dossier
from catalog.samples import sample_paths
from catalog.services import import_document
from form_schemas.loading import read_document
from tests.test_attachments import PDF

CODE = "1.001193"
TOKEN_FIELD = "_motcua.submission"
STEP = "_motcua.step"
ANSWERS = {
    "applicant-full_name": "Nguyễn Văn An",
    "applicant-date_of_birth": "1990-05-17",
    "applicant-citizen_id": "001090012345",
    "applicant-phone": "0912345678",
    "applicant-email": "an@example.vn",
    "applicant-address": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
    "applicant-relationship": "cha",
    "child-full_name": "Nguyễn Minh Khôi",
    "child-sex": "nam",
    "child-date_of_birth": "2026-11-02",
    "child-place_of_birth": "Bệnh viện Phụ sản Hà Nội",
    "child-ethnicity": "kinh",
    "child-nationality": "Việt Nam",
    "mother-full_name": "Trần Thị Bình",
    "mother-date_of_birth": "1992-03-08",
    "mother-nationality": "Việt Nam",
    "parents_married": "true",
    "birth_case": "thong_thuong",
    "birth_certificate_copies": "2",
    "commitment": "true",
}


def sample() -> dict[str, Any]:
    path = next(p for p in sample_paths() if p.name == f"{CODE}.json")
    return read_document(path)


def publish(doc: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = doc or sample()
    import_document(db.session, doc, author="test", publish=True)
    return doc


def open_form(client: FlaskClient, code: str = CODE) -> str:
    page = client.get(f"/procedures/{code}/apply")
    assert page.status_code == 200
    found = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def pdf(name: str = "giay-chung-sinh.pdf") -> tuple:
    return (io.BytesIO(PDF), name, "application/pdf")


def post(client: FlaskClient, data: dict[str, Any] | list[tuple[str, str]], *, url: str = "") -> Any:
    return client.post(url or f"/procedures/{CODE}/apply", data=data, content_type="multipart/form-data")


def check(client: FlaskClient, token: str, **changes: Any) -> Any:
    """The form posted with "Tiếp tục"."""
    data: dict[str, Any] = {TOKEN_FIELD: token, **ANSWERS, STEP: "check",
                            "attachments-birth_certificate": pdf()}
    data.update(changes)
    return post(client, {k: v for k, v in data.items() if v is not None})


def hidden_fields(page: str) -> list[tuple[str, str]]:
    """The check page's hidden inputs: what its buttons post back."""
    return [(html.unescape(name), html.unescape(value)) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)]


def press(client: FlaskClient, page: str, step: str) -> Any:
    """Press a button of the check page (its hidden values and that button's name=value)."""
    return post(client, dict([*hidden_fields(page), (STEP, step)]))


def dossiers() -> int:
    return db.session.scalar(select(func.count(Dossier.id))) or 0


def test_the_check_page_lists_every_answer_with_its_label_and_makes_no_dossier(
        app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client))
    assert page.status_code == 200, page.text[:2000]
    text = html.unescape(page.text)
    assert "Kiểm tra lại thông tin" in text
    for heading in ("Người đi đăng ký khai sinh", "Người được khai sinh", "Thông tin người mẹ",
                    "Giấy tờ đính kèm", "Các thông tin khác"):
        assert f">{heading}</h2>" in text
    for label, value in (("Họ, chữ đệm và tên", "Nguyễn Văn An"), ("Ngày, tháng, năm sinh", "17/05/1990"),
                         ("Quan hệ với người được khai sinh", "Cha"), ("Giới tính", "Nam"),
                         ("Trường hợp khai sinh", "Trẻ em sinh ra bình thường"),
                         ("Cha, mẹ đã đăng ký kết hôn", "Có"), ("Số bản sao Giấy khai sinh đề nghị cấp", "2"),
                         ("Dân tộc", "Kinh")):
        assert re.search(rf"<dt[^>]*>{re.escape(label)}</dt><dd[^>]*>{re.escape(value)}</dd>", text), label
    assert "02/11/2026" in text
    assert "giay-chung-sinh.pdf" in text  # the file by its name, not its id
    assert "Phí cấp bản sao Giấy khai sinh" in text and "đồng" in text  # the fee due
    assert "Sửa" in text and 'formaction="/procedures/1.001193/apply#applicant"' in text
    assert ">Nộp hồ sơ</button>" in text
    assert dossiers() == 0


def test_only_nop_ho_so_makes_the_dossier_once_however_often_it_is_pressed(
        app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client))
    assert dossiers() == 0
    first = press(client, page.text, "submit")
    assert first.status_code == 303
    again = press(client, page.text, "submit")
    assert again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert dossiers() == 1
    found = db.session.scalar(select(Dossier))
    assert found is not None and found.data["applicant"]["full_name"] == "Nguyễn Văn An"
    assert [a.original_name for a in found.attachments] == ["giay-chung-sinh.pdf"]


def test_the_first_view_after_submitting_is_the_confirmation(app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client))
    location = press(client, page.text, "submit").headers["Location"]
    first = client.get(location)
    text = html.unescape(first.text)
    code = location.rsplit("/", 1)[-1]
    assert f'class="dossier-code" id="dossier-code">{code}<' in text
    assert "Hãy lưu mã hồ sơ và số điện thoại để tra cứu" in text
    assert "Ngày hẹn trả kết quả" in text and re.search(r"\d{2}/\d{2}/\d{4}", text)
    assert f"/dossiers/{code}/receipt.pdf" in text and f"/dossiers/{code}/appointment.ics" in text
    later = client.get(location)
    assert "Hãy lưu mã hồ sơ" not in later.text  # the dossier page as it always was
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)" in later.text


def test_the_appointment_calendar_file_is_an_all_day_event_on_the_appointment_date(
        app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client))
    code = press(client, page.text, "submit").headers["Location"].rsplit("/", 1)[-1]
    response = client.get(f"/dossiers/{code}/appointment.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    found = db.session.scalar(select(Dossier).where(Dossier.code == code))
    assert found is not None
    start = events[0].decoded("dtstart")
    assert isinstance(start, date) and start == found.appointment_date
    assert code in str(events[0]["summary"])
    assert list(events[0].walk("VALARM"))
    # another browser cannot read it
    assert app.test_client().get(f"/dossiers/{code}/appointment.ics").status_code == 403


def test_sua_opens_the_form_with_every_value_and_file_kept_then_back_to_check(
        app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client))
    edit = press(client, page.text, "edit:child")
    assert edit.status_code == 200
    text = html.unescape(edit.text)
    assert 'value="Nguyễn Minh Khôi"' in text and 'value="Nguyễn Văn An"' in text
    assert 'value="2026-11-02"' in text
    assert "giay-chung-sinh.pdf" in text  # the upload is kept, not asked again
    assert ">Tiếp tục</button>" in text and dossiers() == 0
    # the citizen changes the child's name and continues: the file is still there
    fields = dict(hidden_fields(page.text))
    fields["child-full_name"] = "Nguyễn Minh Khang"
    fields[STEP] = "check"
    again = post(client, fields)
    assert again.status_code == 200
    assert "Nguyễn Minh Khang" in html.unescape(again.text) and "giay-chung-sinh.pdf" in again.text
    assert press(client, again.text, "submit").status_code == 303
    found = db.session.scalar(select(Dossier))
    assert found is not None and found.data["child"]["full_name"] == "Nguyễn Minh Khang"
    assert len(found.attachments) == 1


def test_an_invalid_form_stays_on_the_form_with_errors(app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client), **{"applicant-phone": "0123"})
    assert page.status_code == 422
    assert "Kiểm tra lại thông tin</h1>" not in page.text
    assert 'aria-invalid="true"' in page.text and dossiers() == 0


def test_a_tampered_check_page_is_validated_again(app: Flask, client: FlaskClient) -> None:
    publish()
    page = check(client, open_form(client))
    fields = dict(hidden_fields(page.text))
    fields["applicant-phone"] = "12"
    fields[STEP] = "submit"
    assert post(client, fields).status_code == 422
    assert dossiers() == 0


def test_twice_on_both_databases(db_app: Flask) -> None:
    """One dossier per form on SQLite and PostgreSQL, pressed twice."""
    client = db_app.test_client()
    publish()
    db.session.commit()
    page = check(client, open_form(client))
    assert page.status_code == 200
    assert press(client, page.text, "submit").status_code == 303
    assert press(client, page.text, "submit").status_code == 303
    db.session.rollback()
    assert dossiers() == 1


def test_the_check_page_and_confirmation_in_english(app: Flask, client: FlaskClient) -> None:
    publish()
    client.get("/language/en")
    page = check(client, open_form(client))
    assert page.status_code == 200
    assert "Check your answers" in page.text and ">Change<" in page.text and "Other answers" in page.text
    first = client.get(press(client, page.text, "submit").headers["Location"])
    assert "Keep the dossier code and your phone number to look it up" in first.text
