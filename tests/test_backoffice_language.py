"""The back office speaks Vietnamese (English when chosen): sign-in, Flask-AppBuilder's own
pages, WTForms' messages, the landing page of waiting work, times in Vietnam time."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from typing import Any

import pytest
from flask import Flask

from admin.roles import ADMIN, APPROVER, DEMO_USERS, POSTING_OFFICER, PROCEDURE_OFFICER
from catalog.db import db
from catalog.services import import_document, submit_for_review
from catalog.services.history import procedure_by_code
from catalog.services.postings import assign_procedures, create_office
from tests.backoffice_helpers import client_for, make_users, text
from tests.conftest import assert_accessible
from tests.factories import document

ENGLISH_FAB = ("Access is Denied", "Sign In", "Enter your login", "Username", "This field is required",
               "User confirmation needed", "Invalid login")


@pytest.fixture
def users(app: Flask) -> Flask:
    make_users(app)
    return app


def test_the_login_page_is_vietnamese_and_english_when_chosen(users: Flask) -> None:
    client = users.test_client()
    page = text(client.get("/admin/procedures/", follow_redirects=True))
    assert '<html lang="vi">' in page and 'name="viewport"' in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page and "Đăng nhập hệ thống Một cửa" in page
    assert "Vui lòng đăng nhập bằng tài khoản có quyền" in page
    assert not [words for words in ENGLISH_FAB if words in page]
    assert re.search(r'<label[^>]*for="username"', page) and 'autocomplete="current-password"' in page

    wrong = text(client.post("/login/", data={"username": "officer", "password": "sai-mat-khau"},
                             follow_redirects=True))
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong

    client.get("/lang/en")
    english = text(client.get("/login/"))
    assert '<html lang="en">' in english and "User name" in english and "Password" in english


def test_form_messages_of_the_libraries_are_vietnamese(users: Flask) -> None:
    officer = client_for(users, PROCEDURE_OFFICER)
    refused = text(officer.post("/admin/procedures/new", data={"code": "TEST-002", "title": "",
                                                               "sector": "", "online_level": "9"}))
    assert "Vui lòng nhập ô này." in refused and "This field is required" not in refused
    assert "Number must be" not in refused


def test_fab_pages_are_in_the_back_office_frame_in_vietnam_time(users: Flask) -> None:
    admin = client_for(users, ADMIN)
    info = text(admin.get("/users/userinfo/"))
    assert '<html lang="vi">' in info and 'id="main"' in info and "Thông tin tài khoản của bạn" in info
    assert not [words for words in ENGLISH_FAB if words in info]
    from admin.backoffice.login import server_time

    assert "giờ Việt Nam (UTC+7)" in info and "Hủy" in info and "Đồng ý" in info
    user = users.appbuilder.sm.find_user(username=DEMO_USERS[ADMIN][0])
    shown = text(admin.get(f"/users/show/{user.id}"))
    assert user.last_login is not None and server_time(user.last_login) in shown
    assert "Lần đăng nhập gần nhất" in shown and "Last login" not in shown
    password = text(admin.get("/resetmypassword/form"))
    assert "Đổi mật khẩu" in password and "Nhập lại mật khẩu" in password and "good password policy" not in password


def test_times_on_the_procedure_page_are_vietnam_time(users: Flask) -> None:
    import_document(db.session, document("1.001193"), author="officer")
    version = procedure_by_code(db.session, "1.001193").versions[0]
    stored = version.created_at.replace(tzinfo=UTC) if version.created_at.tzinfo is None else version.created_at
    shown = (stored + timedelta(hours=7)).strftime("%H:%M, %d/%m/%Y")
    page = text(client_for(users, PROCEDURE_OFFICER).get("/admin/procedures/1.001193/"))
    assert shown in page and "Thời gian hiển thị theo giờ Việt Nam" in page


def counts(page: str) -> dict[str, int]:
    """Each landing-page line's label → its count."""
    return {label.strip(): int(count) for count, label in re.findall(
        r'<span class="badge">(\d+)</span>\s*(?:<a [^>]*>)?([^<]+)', page)}


def test_the_landing_page_shows_what_waits_for_each_role(users: Flask) -> None:
    import_document(db.session, document("1.001193"), author="officer")
    import_document(db.session, document("1.000894", title="Đăng ký kết hôn"), author="officer")
    import_document(db.session, document("2.000815", title="Chứng thực bản sao"), author="someone-else",
                    publish=True)
    submit_for_review(db.session, procedure_by_code(db.session, "1.000894"), actor="officer")
    office = create_office(db.session, "Bộ phận Một cửa UBND phường Đông Hà")
    assign_procedures(db.session, office.id, "2.000815")

    officer = counts(text(client_for(users, PROCEDURE_OFFICER).get("/admin/")))
    assert officer["Bản nháp của tôi"] == 1 and officer["Bị trả lại, cần sửa"] == 0
    assert "Chờ tôi phê duyệt" not in officer and not any("niêm yết" in label for label in officer)
    approver = counts(text(client_for(users, APPROVER).get("/admin/")))
    assert approver["Chờ tôi phê duyệt"] == 1 and "Bản nháp của tôi" not in approver
    posting = text(client_for(users, POSTING_OFFICER).get("/admin/"))
    assert counts(posting)["Bản niêm yết cần thay (1 bộ phận)"] == 1
    assert "Welcome" not in posting and "Việc cần làm" in posting
    assert client_for(users).get("/admin/").status_code == 302  # signed out: to the login page


def test_the_landing_page_links_take_the_officer_to_the_work(users: Flask) -> None:
    from catalog.services import send_back

    import_document(db.session, document("1.001193"), author="officer")
    procedure = procedure_by_code(db.session, "1.001193")
    submit_for_review(db.session, procedure, actor="officer")
    send_back(db.session, procedure, actor="approver", comment="Thiếu căn cứ pháp lý")
    officer = client_for(users, PROCEDURE_OFFICER)
    home = text(officer.get("/admin/"))
    assert counts(home)["Bị trả lại, cần sửa"] == 1
    drafts = re.search(r'href="([^"]+)">Bị trả lại', home).group(1)
    assert "1.001193" in text(officer.get(drafts))


@pytest.mark.browser
def test_login_and_landing_pages_are_accessible(live_server: Any, page: Any) -> None:
    base = live_server.url
    page.goto(f"{base}/admin/")
    assert page.locator("h1").inner_text() == "Đăng nhập hệ thống Một cửa"
    assert_accessible(page)
    username, password = DEMO_USERS[PROCEDURE_OFFICER]
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/**")
    page.goto(f"{base}/admin/")
    assert page.locator("h1").inner_text() == "Việc cần làm"
    assert_accessible(page)
    page.goto(f"{base}/users/userinfo/")
    assert_accessible(page)
