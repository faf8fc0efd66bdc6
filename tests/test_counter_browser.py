"""In Chromium: a reception officer receives a birth registration at the counter — finds the
procedure, fills the citizen's form with a mistake, fixes it, ticks the papers and attaches the
scan of one — and the receipt (slip 01) is one focused button away; the desk links the scan.
axe-core finds no serious or critical issue on the way."""

from __future__ import annotations

import re
from typing import Any

import pytest

from admin.roles import DEMO_USERS, RECEPTION_OFFICER
from tests.conftest import LiveServer, assert_accessible
from tests.test_attachments import PDF, PNG
from tests.test_site_browser import WRONG_CITIZEN_ID, birth_registration_fields, fill

pytestmark = pytest.mark.browser


def counter_office(server: LiveServer) -> int:
    """An office receiving 1.001193 with the demo reception officer as its only staff."""
    from catalog.db import db
    from catalog.services import offices

    with server.app.app_context():
        office = offices.create_office(db.session, "Bộ phận một cửa phường Đông Hà", actor="admin",
                                       parent_body="UBND PHƯỜNG ĐÔNG HÀ", level="commune",
                                       province_code="44", commune_code="19333")
        offices.add_procedures(db.session, office.id, ["1.001193"], actor="admin")
        user = server.app.appbuilder.sm.find_user(username=DEMO_USERS[RECEPTION_OFFICER][0])  # type: ignore[attr-defined]
        offices.assign_staff(db.session, office.id, user.id, actor="admin")
        office_id = office.id
        db.session.remove()
    return office_id


def sign_in(page: Any, base: str) -> None:
    """Sign in as the demo reception officer."""
    username, password = DEMO_USERS[RECEPTION_OFFICER]
    page.goto(f"{base}/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/**")


def test_a_reception_officer_receives_at_the_counter_and_prints_the_receipt(
        live_server: LiveServer, page: Any) -> None:
    base = live_server.url
    counter_office(live_server)
    sign_in(page, base)

    page.goto(f"{base}/admin/counter/")
    assert "Bộ phận một cửa phường Đông Hà" in page.locator("main").inner_text()  # my only office
    page.fill("#counter-q", "dang ky khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=dang"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Tiếp nhận\W+Đăng ký khai sinh$")).click()

    page.wait_for_url(re.compile(r"/procedure/1\.001193$"))
    assert_accessible(page)
    for name, value in birth_registration_fields():
        fill(page, name, WRONG_CITIZEN_ID if name == "applicant-citizen_id" else value)
    page.set_input_files('[name="attachments-declaration"]', files=[
        {"name": "to-khai-scan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.set_input_files('[name="attachments-birth_certificate"]', files=[
        {"name": "giay-chung-sinh-scan.png", "mimeType": "image/png", "buffer": PNG}])
    page.check("#counter-doc-to_khai")
    page.check("#counter-doc-giay_chung_sinh")
    page.fill("#counter-doc-giay_chung_sinh-copies", "1")
    page.set_input_files("#counter-doc-giay_chung_sinh-scan", files=[  # the paper's own scan
        {"name": "ban-chup-giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()

    page.locator("#mc-error-summary").wait_for()
    assert "Đã tải lên: ban-chup-giay-chung-sinh.pdf" in page.locator("#counter-doc-giay_chung_sinh--row").inner_text()
    assert page.locator("#applicant-citizen_id").get_attribute("aria-invalid") == "true"
    assert page.locator("#counter-doc-giay_chung_sinh").is_checked()
    assert page.locator("#counter-doc-giay_chung_sinh-copies").input_value() == "1"
    assert "giay-chung-sinh-scan.png" in page.content()
    assert_accessible(page)

    page.fill("#applicant-citizen_id", "001090012345")
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/counter/received/\d{4}-1\.001193-\d{6}$"))
    code = page.url.rsplit("/", 1)[-1]
    assert page.get_by_role("heading", level=1).inner_text() == f"Đã tiếp nhận hồ sơ {code}"
    assert re.search(r"Ngày hẹn trả kết quả\s+\d{2}/\d{2}/\d{4}", page.locator("main").inner_text())
    assert page.evaluate("document.activeElement.id") == "print-receipt"  # Enter prints at once
    assert_accessible(page)
    button = page.locator("#print-receipt")
    assert button.get_attribute("target") == "_blank"
    receipt = page.request.get(base + str(button.get_attribute("href")))
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    page.goto(f"{base}/admin/desk/dossiers/{code}")  # the scan, tied to its paper
    scan = page.locator(".desk-paper-scans a", has_text="ban-chup-giay-chung-sinh.pdf")
    assert page.request.get(base + str(scan.get_attribute("href"))).body() == PDF
