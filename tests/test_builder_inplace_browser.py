"""In Chromium: an officer builds a form of ten fields in place (add, edit, inline label, move
by keyboard and by drag and drop, duplicate, delete and undo) with no full page load once the
editor is open; focus and scroll stay where the officer works, each result is read out, the
preview beside the list follows, axe-core and the CSP find nothing."""

from __future__ import annotations

from typing import Any

import pytest

from admin.roles import PROCEDURE_OFFICER
from tests.conftest import assert_accessible
from tests.test_backoffice_browser import login

CODE = "HCM-THU-002"


def announced(page: Any, text: str) -> None:
    """Wait until the aria-live region reads `text`."""
    page.wait_for_function(
        "text => document.getElementById('builder-announce').textContent.includes(text)", arg=text)


def add(page: Any, kind: str, label: str, parent: str | None = None) -> None:
    page.select_option("#add-kind", kind)
    page.fill("#add-label", label)
    if parent is not None:
        page.select_option("#add-parent", parent)
    page.click("#builder-add button[type=submit]")
    announced(page, f"Đã thêm «{label}»")


def order(page: Any) -> list[str]:
    return page.eval_on_selector_all(".builder-row", "rows => rows.map(r => r.dataset.path)")


def focused(page: Any) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.browser
def test_officer_builds_a_form_in_place_without_a_page_load(live_server: Any, page: Any) -> None:
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/procedures/new")
    page.fill("#code", CODE)
    page.fill("#title", "Đăng ký tham gia câu lạc bộ")
    page.fill("#sector", "Văn hóa")
    page.fill("#competent", "Ủy ban nhân dân phường Bến Nghé")
    page.fill("#online_level", "3")
    page.click("button:has-text('Tạo bản nháp')")
    page.wait_for_url(f"**/admin/editor/{CODE}/form")
    page.wait_for_load_state("load")

    loads: list[str] = []  # full loads of the page (same-document address changes are not)
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.editorOpened = 'still the same document'")

    add(page, "text", "Họ và tên")
    assert focused(page) == "edit-ho_va_ten"  # focus on the new field's "Sửa" link
    add(page, "date", "Ngày sinh")
    add(page, "text", "Nơi sinh")
    add(page, "choice", "Hình thức tham gia")
    page.fill("#options", "Trực tiếp\nTrực tuyến")
    page.click("#field-form button[type=submit]")
    announced(page, "Đã lưu trường «Hình thức tham gia»")
    add(page, "email", "Thư điện tử")
    page.select_option("#when", "hinh_thuc_tham_gia")
    page.fill("#equals", "Trực tuyến")
    page.click("#field-form button[type=submit]")
    announced(page, "Đã lưu trường «Thư điện tử»")
    assert "Chỉ hiện và bắt buộc khi «Hình thức tham gia» là «Trực tuyến»" in page.inner_text("#builder-fields")

    # the group choice stays where the officer left it
    add(page, "group", "Người giám hộ")
    add(page, "text", "Họ tên người giám hộ", parent="nguoi_giam_ho")
    assert page.input_value("#add-parent") == "nguoi_giam_ho"
    add(page, "phone", "Số điện thoại người giám hộ")
    assert page.input_value("#add-parent") == "nguoi_giam_ho"
    assert "nguoi_giam_ho.so_dien_thoai_nguoi_giam_ho" in order(page)
    add(page, "text", "Ghi chú", parent="")

    # edit the label inline: Enter saves
    page.fill("#label-noi_sinh", "Nơi sinh (tỉnh, thành phố)")
    page.press("#label-noi_sinh", "Enter")
    announced(page, "Đã đổi nhãn thành «Nơi sinh (tỉnh, thành phố)»")
    assert focused(page) == "label-noi_sinh"

    # move by keyboard: the focus stays on "Lên", the scroll stays put
    button = page.locator("#up-noi_sinh")
    button.scroll_into_view_if_needed()
    button.focus()
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press("Enter")
    announced(page, "Đã chuyển «Nơi sinh (tỉnh, thành phố)» lên vị trí 2")
    assert focused(page) == "up-noi_sinh"
    assert abs(page.evaluate("window.scrollY") - scrolled) <= 2
    page.keyboard.press("Enter")
    announced(page, "Đã chuyển «Nơi sinh (tỉnh, thành phố)» lên vị trí 1")
    assert order(page)[:3] == ["noi_sinh", "ho_va_ten", "ngay_sinh"]

    # drag and drop: "Ghi chú" onto "Họ và tên", held by the row's edge (not its controls)
    page.set_viewport_size({"width": 1280, "height": 2000})  # both rows in view
    page.evaluate("window.scrollTo(0, 0)")
    source = page.locator("#row-ghi_chu").bounding_box()
    target = page.locator("#row-ho_va_ten").bounding_box()
    page.mouse.move(source["x"] + 3, source["y"] + 3)
    page.mouse.down()
    page.mouse.move(source["x"] + 10, source["y"] + 10, steps=3)
    page.mouse.move(target["x"] + 5, target["y"] + 5, steps=5)
    page.mouse.up()
    announced(page, "Đã chuyển «Ghi chú» lên vị trí 2")
    assert order(page)[:3] == ["noi_sinh", "ghi_chu", "ho_va_ten"]
    page.set_viewport_size({"width": 1280, "height": 720})

    # duplicate a field
    page.click("#duplicate-ngay_sinh")
    announced(page, "Đã nhân bản thành «Ngày sinh (bản sao)»")
    assert "ngay_sinh_ban_sao" in order(page)

    # open a field's panel in place, then delete a field and undo
    page.click("#edit-ho_va_ten")
    page.wait_for_selector("#field-form legend:has-text('Trường «Họ và tên»')")
    assert focused(page) == "label"
    page.click("#delete-ngay_sinh")
    announced(page, "Đã xóa «Ngày sinh»")
    assert "ngay_sinh" not in order(page)
    page.click("#undo-button")
    announced(page, "Đã hoàn tác: Đã xóa «Ngày sinh»")
    assert "ngay_sinh" in order(page) and focused(page) == "undo-button"
    assert len(order(page)) >= 10

    # the preview beside the list follows, in the citizen site's styles; paper and notice
    frame = page.frame_locator("#builder-preview")
    frame.locator("#ngay_sinh_ban_sao").wait_for()
    assert page.frame_locator("#builder-preview").locator("link[href*='site.css']").count() == 1
    page.click(".preview-switch a:has-text('Mẫu đơn giấy')")
    page.wait_for_function("end => document.getElementById('builder-preview').contentWindow.location"
                           ".pathname.endsWith(end)", arg="/preview/paper")
    page.click(".preview-switch a:has-text('Bản niêm yết')")
    page.wait_for_function("end => document.getElementById('builder-preview').contentWindow.location"
                           ".pathname.endsWith(end)", arg="/preview/notice")

    assert loads == [], f"full page loads after the editor opened: {loads}"
    assert page.evaluate("window.editorOpened") == "still the same document"
    assert_accessible(page)
    for kind in ("citizen", "paper", "notice"):  # what the frame shows, on its own
        page.goto(f"{base}/admin/editor/{CODE}/preview/{kind}")
        assert_accessible(page)


@pytest.mark.browser
def test_with_scripts_off_each_action_is_a_form_post_and_a_page(live_server: Any, browser: Any) -> None:
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/procedures/new")
    for selector, value in (("#code", CODE), ("#title", "Đăng ký thử"), ("#sector", "Văn hóa"),
                            ("#online_level", "3")):
        page.fill(selector, value)
    page.click("button:has-text('Tạo bản nháp')")
    page.wait_for_url(f"**/admin/editor/{CODE}/form")
    page.select_option("#add-kind", "group")
    page.fill("#add-label", "Người giám hộ")
    page.click("#builder-add button[type=submit]")
    page.wait_for_selector("main > .alert-success:has-text('Đã thêm «Người giám hộ» ở vị trí 1.')")
    for label in ("Họ tên", "Số điện thoại"):
        page.select_option("#add-kind", "text")
        page.fill("#add-label", label)
        if label == "Họ tên":
            page.select_option("#add-parent", "nguoi_giam_ho")
        page.click("#builder-add button[type=submit]")
        page.wait_for_selector(f"main > .alert-success:has-text('Đã thêm «{label}»')")
        assert page.input_value("#add-parent") == "nguoi_giam_ho"  # the choice stays
    page.click("#up-nguoi_giam_ho\\.so_dien_thoai")
    page.wait_for_selector("main > .alert-success:has-text('Đã chuyển «Số điện thoại» lên vị trí 1.')")
    page.click("#delete-nguoi_giam_ho\\.ho_ten")
    page.wait_for_selector("main > .alert-success:has-text('Đã xóa «Họ tên».')")
    page.click("#undo-button")
    page.wait_for_selector("main > .alert-success:has-text('Đã hoàn tác: Đã xóa «Họ tên».')")
    assert order(page) == ["nguoi_giam_ho", "nguoi_giam_ho.so_dien_thoai", "nguoi_giam_ho.ho_ten"]
    context.close()
