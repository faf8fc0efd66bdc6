"""The whole citizen journey in Chromium, on a phone (360 × 740) and a laptop (1366 × 900):
search, apply, save and leave, resume from the mailed link in a fresh browser, finish, check,
"Sửa" one section and back, submit, confirmation, receipt PDF and calendar file.

On every page visited: no horizontal scroll and axe-core with no serious or critical findings.
Problems are collected over the whole journey and reported together, so one page that
scrolls sideways does not hide what the later pages do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.conftest import LiveServer, assert_accessible
from tests.test_attachments import PNG
from tests.test_drafts import Inbox, mail_text, smtp_server  # noqa: F401 (the fixture)
from tests.test_site_browser import birth_registration_fields, fill

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param((360, 740), id="phone"), pytest.param((1366, 900), id="laptop")]
EMAIL = "minh@example.vn"


class Journey:
    """Checks each page visited, collecting what is wrong."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.visited: list[str] = []

    def look(self, tab: Any, what: str) -> None:
        tab.wait_for_load_state("load")
        self.visited.append(what)
        width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            self.problems.append(f"{what} ({tab.url}): scrolls sideways, {width[0]} px in {width[1]} px")
        try:
            assert_accessible(tab)
        except AssertionError as error:
            self.problems.append(f"{what}: {error}")


def resume_link_of(text: str) -> str:
    found = re.search(r"https?://\S+/drafts/[A-Za-z0-9_-]+", text)
    assert found, text
    return found.group(0)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_search_apply_save_resume_check_edit_submit(live_server: LiveServer, browser: Any, page: Any,
                                                    smtp_server: tuple[str, Inbox],  # noqa: F811
                                                    viewport: tuple[int, int]) -> None:
    url, inbox = smtp_server
    live_server.app.config["MOTCUA_SMTP_URL"] = url
    width, height = viewport
    journey = Journey()
    page.set_viewport_size({"width": width, "height": height})

    page.goto(live_server.url + "/")
    journey.look(page, "home")
    page.fill("#q", "dang ky khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=dang"))
    journey.look(page, "search")
    first = page.locator("ol.results .result-name").first
    assert first.inner_text() == "Đăng ký khai sinh", "the khai sinh sample is the first result"
    first.click()

    page.wait_for_url(re.compile(r"/procedures/1\.001193$"))
    journey.look(page, "procedure")
    page.get_by_role("link", name="Nộp hồ sơ và nộp phí trực tuyến").click()

    page.wait_for_url(re.compile(r"/apply$"))
    journey.look(page, "apply")
    fields = birth_registration_fields()
    for name, value in fields:
        if name.startswith("applicant-"):
            fill(page, name, value)
    page.set_input_files('[name="attachments-birth_certificate"]', files=[
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#draft-email", EMAIL)
    page.get_by_role("button", name="Lưu để làm tiếp").click()

    page.get_by_role("heading", name="Đã lưu hồ sơ đang làm dở").wait_for()
    journey.look(page, "saved")
    shown = page.locator("#resume-link").get_attribute("href")
    assert shown
    mails = inbox.wait()
    assert len(mails) == 1 and mails[0]["To"] == EMAIL
    mailed = resume_link_of(mail_text(mails[0]))
    assert mailed == shown

    # a fresh browser (another device): the link alone opens the draft
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    try:
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        tab.goto(mailed)
        journey.look(tab, "resumed")
        assert "Đã mở hồ sơ đang làm dở" in tab.locator("main").inner_text()
        assert tab.locator("#applicant-full_name").input_value() == "Nguyễn Văn Minh"
        assert "giay-chung-sinh.png" in tab.content()
        for name, value in fields:
            if not name.startswith("applicant-"):
                fill(tab, name, value)
        tab.get_by_role("button", name="Tiếp tục").click()

        tab.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
        journey.look(tab, "check")
        text = tab.locator("main").inner_text()
        assert "Nguyễn Minh An" in text and "giay-chung-sinh.png" in text and "12/04/1990" in text

        tab.get_by_role("button", name="Sửa Người được khai sinh").click()
        tab.locator("#child-full_name").wait_for()
        assert tab.url.endswith("/apply#child")
        journey.look(tab, "edit")
        assert tab.locator("#child-full_name").input_value() == "Nguyễn Minh An"
        assert tab.locator("#applicant-full_name").input_value() == "Nguyễn Văn Minh"
        tab.fill("#child-full_name", "Nguyễn Minh Anh")
        tab.get_by_role("button", name="Tiếp tục").click()

        tab.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
        journey.look(tab, "check again")
        assert "Nguyễn Minh Anh" in tab.locator("main").inner_text()
        tab.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

        tab.wait_for_url(re.compile(r"/dossiers/\d{4}-1\.001193-\d{6}$"))
        code = tab.url.rsplit("/", 1)[-1]
        journey.look(tab, "confirmation")
        assert tab.locator("#dossier-code").inner_text() == code
        main = tab.locator("main").inner_text()
        assert "Hãy lưu mã hồ sơ và số điện thoại để tra cứu" in main
        assert re.search(r"Ngày hẹn trả kết quả:\s+\d{2}/\d{2}/\d{4}", main)
        assert "Nộp phí trực tuyến" in main  # level 4: the next step is paying

        receipt_href = tab.get_by_role("link", name="Tải giấy tiếp nhận (PDF)").get_attribute("href")
        receipt = tab.request.get(live_server.url + receipt_href)
        assert receipt.status == 200 and receipt.body().startswith(b"%PDF")

        with tab.expect_download() as download_info:
            tab.get_by_role("link", name="Thêm ngày hẹn vào lịch (.ics)").click()
        download = download_info.value
        assert download.suggested_filename == f"lich-hen-{code}.ics"
        calendar = Calendar.from_ical(Path(download.path()).read_bytes())
        event = next(iter(calendar.walk("VEVENT")))
        assert code in str(event["summary"])
    finally:
        context.close()

    assert journey.problems == [], "\n".join(journey.problems)
