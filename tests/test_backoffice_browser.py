"""In Chromium: an officer builds a procedure from nothing, previews and submits it; an approver
publishes it; citizens then find it on the public site and through the API. axe-core finds no
serious or critical issue on the editor pages."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from admin.roles import APPROVER, DEMO_USERS, PROCEDURE_OFFICER
from tests.conftest import assert_accessible

CODE = "HCM-THU-001"


def login(page: Any, base: str, role: str) -> None:
    username, password = DEMO_USERS[role]
    page.goto(f"{base}/logout/")
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()


def add_field(page: Any, kind: str, label: str, parent: str = "", required: bool = False) -> None:
    page.select_option("#add-kind", kind)
    page.fill("#add-label", label)
    if parent:
        page.select_option("#add-parent", parent)
    if required:
        page.check("#add-required")
    page.click("button:has-text('Thêm trường')")
    page.wait_for_selector(".alert-success")


@pytest.mark.browser
def test_officer_builds_previews_submits_and_approver_publishes(live_server: Any, page: Any) -> None:
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/procedures/new")
    assert_accessible(page)
    page.fill("#code", CODE)
    page.fill("#title", "Đăng ký tham gia lớp học thử")
    page.fill("#sector", "Giáo dục và Đào tạo")
    page.fill("#competent", "Ủy ban nhân dân phường Bến Nghé")
    page.fill("#online_level", "4")
    page.click("button:has-text('Tạo bản nháp')")
    page.wait_for_url(f"**/admin/editor/{CODE}/form")
    assert_accessible(page)

    add_field(page, "text", "Họ và tên", required=True)
    add_field(page, "choice", "Hình thức học")
    page.fill("#options", "Trực tiếp\nTrực tuyến")
    page.click("button:has-text('Lưu trường')")
    page.wait_for_selector(".alert-success")
    add_field(page, "email", "Thư điện tử nhận đường dẫn lớp học")
    page.select_option("#when", "hinh_thuc_hoc")
    page.fill("#equals", "Trực tuyến")
    page.click("button:has-text('Lưu trường')")
    page.wait_for_selector(".alert-success")
    assert "Chỉ hiện và bắt buộc khi «Hình thức học» là «Trực tuyến»" in page.content()
    add_field(page, "repeat", "Người đi cùng")
    add_field(page, "text", "Họ tên người đi cùng", parent="nguoi_di_cung", required=True)
    assert_accessible(page)

    for tab in ("facts", "json"):
        page.goto(f"{base}/admin/editor/{CODE}/{tab}")
        assert_accessible(page)

    page.goto(f"{base}/admin/editor/{CODE}/preview")
    assert_accessible(page)
    email = page.locator("#thu_dien_tu_nhan_duong_dan_lop_hoc")
    page.fill("#ho_va_ten", "Trần Thị Bình")
    page.check("text=Trực tiếp")
    assert not email.is_visible()  # shown only when the condition holds
    page.check("text=Trực tuyến")
    email.wait_for(state="visible")
    email.fill("binh@example.vn")
    page.click("button:has-text('Thêm Người đi cùng')")
    page.fill("#nguoi_di_cung-0-ho_ten_nguoi_di_cung", "Lê Văn Cường")
    page.click("button:has-text('Thử nộp (không lưu)')")
    page.wait_for_selector("#instance")
    instance = json.loads(page.input_value("#instance"))
    assert instance == {"ho_va_ten": "Trần Thị Bình", "hinh_thuc_hoc": "truc_tuyen",
                        "thu_dien_tu_nhan_duong_dan_lop_hoc": "binh@example.vn",
                        "nguoi_di_cung": [{"ho_ten_nguoi_di_cung": "Lê Văn Cường"}]}

    page.click("button:has-text('Trình duyệt phiên bản này')")
    page.wait_for_selector("text=Đã trình duyệt phiên bản 1")

    login(page, base, APPROVER)
    page.goto(f"{base}/admin/procedures/{CODE}/")
    assert_accessible(page)
    page.fill("#decision", "1234/QĐ-UBND")
    page.fill("#decision_date", "2026-03-02")
    page.click("button:has-text('Phê duyệt và công bố')")
    page.wait_for_selector("text=Đã công bố phiên bản 1")

    page.goto(f"{base}/procedures/{CODE}")
    assert page.locator("h1").inner_text() == "Đăng ký tham gia lớp học thử"
    page.goto(f"{base}/procedures/{CODE}/apply")
    assert page.locator("#ho_va_ten").is_visible()

    with urllib.request.urlopen(f"{base}/api/v1/procedures/{CODE}") as response:
        published = json.load(response)
    assert published["version"]["decision_number"] == "1234/QĐ-UBND"
    document = published["document"]
    assert document["allOf"] == [{"if": {"properties": {"hinh_thuc_hoc": {"const": "truc_tuyen"}},
                                         "required": ["hinh_thuc_hoc"]},
                                  "then": {"required": ["thu_dien_tu_nhan_duong_dan_lop_hoc"]}}]
    assert document["properties"]["nguoi_di_cung"]["items"]["required"] == ["ho_ten_nguoi_di_cung"]
