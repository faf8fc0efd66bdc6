"""A citizen in Chromium: search without accents, apply with a mistake, fix it, pay, receipt.

Every page on the way is checked with axe-core (no serious or critical violations).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from catalog.samples import sample_paths
from tests.conftest import LiveServer, assert_accessible
from tests.test_attachments import PDF, PNG

pytestmark = pytest.mark.browser

WRONG_CITIZEN_ID = "009990012345"  # 12 digits (the browser accepts it) but born in 2399


def birth_registration_fields() -> list[tuple[str, str]]:
    """The realistic birth registration as the browser would post it, files left out."""
    from renderers.forms import compile_form

    path = next(p for p in sample_paths() if p.name == "1.001193.json")
    form = compile_form(json.loads(path.read_text(encoding="utf-8")))
    instance = json.loads((path.parents[2] / "tests/sample_instances/1.001193.json").read_text())
    instance.pop("attachments")
    return list(form.encode(instance).items(multi=True))


def fill(page: Any, name: str, value: str) -> None:
    field = page.locator(f'[name="{name}"]').first
    kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : (e.type || 'text')")
    if kind == "select":
        field.select_option(value)
    elif kind in ("radio", "checkbox"):
        page.locator(f'[name="{name}"][value="{value}"]').check()
    else:
        field.fill(value)


def test_citizen_applies_for_a_birth_registration(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert_accessible(page)

    page.fill("#q", "dang ky khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=dang"))
    assert_accessible(page)
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()

    page.wait_for_url(re.compile(r"/procedures/1\.001193$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    assert_accessible(page)
    page.get_by_role("link", name="Nộp hồ sơ và nộp phí trực tuyến").click()

    page.wait_for_url(re.compile(r"/apply$"))
    assert_accessible(page)
    for name, value in birth_registration_fields():
        fill(page, name, WRONG_CITIZEN_ID if name == "applicant-citizen_id" else value)
    page.set_input_files('[name="attachments-declaration"]', files=[
        {"name": "to-khai-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.set_input_files('[name="attachments-birth_certificate"]', files=[
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="Tiếp tục").click()

    summary = page.locator("#mc-error-summary")
    summary.wait_for()
    assert "Số định danh cá nhân" in summary.inner_text()
    assert page.locator("#applicant-citizen_id").get_attribute("aria-invalid") == "true"
    assert page.locator("#applicant-full_name").input_value() == "Nguyễn Văn Minh"
    assert "giay-chung-sinh.png" in page.content()
    assert_accessible(page)

    page.fill("#applicant-citizen_id", "001090012345")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    page.wait_for_url(re.compile(r"/dossiers/\d{4}-1\.001193-\d{6}$"))
    code = page.url.rsplit("/", 1)[-1]
    text = page.locator("main").inner_text()
    assert "Chờ tiếp nhận" in text
    assert re.search(r"Ngày hẹn trả kết quả\s+\d{2}/\d{2}/\d{4}", text)
    assert "to-khai-khai-sinh.pdf" in text and "giay-chung-sinh.png" in text
    assert_accessible(page)

    page.get_by_role("button", name="Nộp phí trực tuyến").click()
    page.wait_for_url(re.compile(r"/payments/sandbox/"))
    assert "16.000 đồng" in page.locator("main").inner_text()  # 2 copies of 8.000 đồng
    assert_accessible(page)
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(re.compile(rf"/dossiers/{re.escape(code)}$"))
    assert "Đã nộp phí, lệ phí thành công." in page.locator("main").inner_text()
    assert_accessible(page)

    receipt = page.request.get(f"{live_server.url}/dossiers/{code}/receipt.pdf")
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")


def test_tracking_from_another_browser(live_server: LiveServer, browser: Any, page: Any) -> None:
    page.goto(live_server.url + "/dossiers/")
    assert_accessible(page)
    page.fill("#code", "2026-1.001193-000001")
    page.fill("#phone", "0912345678")
    page.get_by_role("button", name="Xem hồ sơ").click()
    page.get_by_role("alert").wait_for()
    assert "Không tìm thấy hồ sơ" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_the_site_reads_well_in_english_on_a_phone(live_server: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB")
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/procedures/1.001193")
        tab.get_by_role("link", name="English").click()
        tab.wait_for_load_state()
        assert tab.locator("html").get_attribute("lang") == "en"
        assert "Processing time" in tab.locator("main").inner_text()
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, "no sideways scrolling on a phone"
        assert_accessible(tab)
    finally:
        context.close()
