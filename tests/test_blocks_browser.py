"""In Chromium: an officer inserts the person block from the library into a new procedure's
form in one step; the builder shows it, the preview draws it with the province and commune
choices; the library pages have no serious or critical axe-core finding."""

from __future__ import annotations

from typing import Any

import pytest

from admin.roles import ADMIN, PROCEDURE_OFFICER
from catalog import geography
from tests.conftest import assert_accessible
from tests.test_backoffice_browser import login

CODE = "HN-KHOI-001"


@pytest.mark.browser
def test_officer_inserts_the_person_block_from_the_library(live_server: Any, page: Any) -> None:
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/procedures/new")
    page.fill("#code", CODE)
    page.fill("#title", "Đăng ký thử khối người yêu cầu")
    page.fill("#sector", "Hộ tịch")
    page.fill("#online_level", "3")
    page.click("button:has-text('Tạo bản nháp')")
    page.wait_for_url(f"**/admin/editor/{CODE}/form")

    page.goto(f"{base}/admin/editor/{CODE}/blocks")
    assert_accessible(page)
    page.select_option("#library-block", "person")
    page.click("button:has-text('Chèn khối')")
    page.wait_for_url(f"**/admin/editor/{CODE}/form?field=nguoi_yeu_cau")
    page.wait_for_selector(".alert-success")
    assert "nguoi_yeu_cau" in page.content()

    page.goto(f"{base}/admin/editor/{CODE}/blocks")
    assert page.locator(".library-inserted").inner_text().startswith("Người yêu cầu")
    assert_accessible(page)

    page.goto(f"{base}/admin/editor/{CODE}/preview")
    page.fill("#nguoi_yeu_cau-ho_ten", "Nguyễn Văn An")
    province = geography.province("46")
    commune = geography.communes("46")[0]
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-tinh", province.code)
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-xa", commune.code)
    assert page.locator("#nguoi_yeu_cau-noi_cu_tru-xa option:checked").inner_text() == commune.name
    # only the chosen province's communes are offered; another province clears the commune
    offered = page.eval_on_selector_all("#nguoi_yeu_cau-noi_cu_tru-xa option",
                                        "options => options.filter(o => o.value && !o.disabled).length")
    assert offered == len(geography.communes("46"))
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-tinh", "01")
    assert page.locator("#nguoi_yeu_cau-noi_cu_tru-xa").input_value() == ""
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-tinh", province.code)
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-xa", commune.code)

    login(page, base, ADMIN)
    page.goto(f"{base}/admin/blocks/")
    assert_accessible(page)


@pytest.mark.browser
def test_a_block_goes_in_from_the_builder_without_a_page_load(live_server: Any, page: Any) -> None:
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/procedures/new")
    page.fill("#code", "HN-KHOI-002")
    page.fill("#title", "Đăng ký thử chèn khối tại chỗ")
    page.fill("#sector", "Hộ tịch")
    page.fill("#online_level", "3")
    page.click("button:has-text('Tạo bản nháp')")
    page.wait_for_url("**/admin/editor/HN-KHOI-002/form")
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.stillHere = true")
    page.select_option("#library-block", "organisation")
    page.click("button:has-text('Chèn khối')")
    page.wait_for_selector(".library-inserted")
    page.wait_for_selector(".builder-row")
    assert loads == [] and page.evaluate("window.stillHere === true"), loads
    assert page.locator(".library-inserted").inner_text().startswith("Thông tin tổ chức")
    assert_accessible(page)
