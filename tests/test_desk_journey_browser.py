"""The desk's journey in Chromium (issue 16): a reception officer checks an online dossier and
asks for a missing paper; the citizen, from the tracking link, sees the request and sends the
paper; the officer sees it arrive, receives it, has it processed and returns the result by post
with its tracking number; the citizen's page shows each step; the figures page counts it.
(Receiving at the counter and printing slip 01 is tests/test_counter_browser.py.)

axe-core runs on every page visited, back office and site."""

from __future__ import annotations

import io
import json
import re
import secrets
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer, assert_accessible
from tests.test_attachments import PDF, PNG
from tests.test_counter_browser import counter_office, sign_in

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
TRACKING = "EL123456789VN"


def online_dossier(server: LiveServer, office_id: int) -> tuple[str, str]:
    """A birth registration filed online at the office (as the citizen site files it): its code
    and tracking token."""
    from catalog.attachments import AttachmentStore
    from catalog.db import db
    from catalog.models import Office
    from catalog.services.dossiers import stage_upload, submit_dossier

    instance = json.loads((ROOT / "tests/sample_instances/1.001193.json").read_text(encoding="utf-8"))
    token = secrets.token_urlsafe(24)
    with server.app.app_context():
        store = AttachmentStore(Path(server.app.config["MOTCUA_DATA_DIR"]) / "attachments")
        files = {}
        for field, name, content in (("declaration", "to-khai.pdf", PDF), ("birth_certificate", "chung-sinh.png", PNG)):
            files[field] = stage_upload(db.session, store, io.BytesIO(content), name,
                                        field=f"attachments-{field}", upload_token=token).id
        instance["attachments"] = {**{k: v for k, v in instance["attachments"].items() if k not in files}, **files}
        outcome = submit_dossier(db.session, "1.001193", instance, submission_token=token,
                                 office=db.session.get(Office, office_id))
        code, secret = outcome.dossier.code, outcome.dossier.tracking_token
        db.session.remove()
    return code, secret


def move(page: Any, name: str, fill: dict[str, str] | None = None, check: tuple[str, ...] = ()) -> None:
    """Send the desk's form of move `name` and wait for the page it leads back to."""
    form = page.locator(f"#move-{name}")
    for selector in check:
        form.locator(selector).check()
    for selector, value in (fill or {}).items():
        form.locator(selector).fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert_accessible(page)


def test_check_online_ask_for_a_paper_citizen_sends_it_accept_return_by_post_and_count(
        live_server: LiveServer, browser: Any, page: Any) -> None:
    base = live_server.url
    office_id = counter_office(live_server)
    code, secret = online_dossier(live_server, office_id)

    # the officer finds it waiting on the desk's day and asks for the parents' marriage certificate
    sign_in(page, base)
    page.goto(f"{base}/admin/desk/")
    assert_accessible(page)
    waiting = page.locator("table", has=page.locator("caption", has_text="Hồ sơ trực tuyến chờ tiếp nhận"))
    waiting.get_by_role("link", name=code).click()
    page.wait_for_url(f"{base}/admin/desk/dossiers/{code}")
    assert_accessible(page)
    text = page.locator("main").inner_text()
    assert "Nguyễn Văn Minh" in text and "chung-sinh.png" in text and "Chờ tiếp nhận" in text
    move(page, "request_supplement", check=('input[value="giay_chung_nhan_ket_hon"]',))
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in page.locator("main").inner_text()

    # the citizen opens the tracking link on a phone, sees what is asked and sends it
    phone = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
    try:
        tab = phone.new_page()
        tab.set_default_timeout(10_000)
        tab.goto(f"{base}/dossiers/{code}?t={secret}")
        tab.wait_for_url(f"{base}/dossiers/{code}")
        assert_accessible(tab)
        assert "Giấy chứng nhận kết hôn của cha, mẹ trẻ" in tab.locator("main").inner_text()
        tab.get_by_role("link", name="Gửi hồ sơ bổ sung").click()
        tab.wait_for_url(f"{base}/dossiers/{code}/supplement")
        assert_accessible(tab)
        tab.set_input_files("#supplement-0", files=[
            {"name": "giay-ket-hon.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        tab.fill("#note", "Bản chụp giấy chứng nhận kết hôn")
        tab.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
        tab.wait_for_url(re.compile(rf"/dossiers/{re.escape(code)}(#.*)?$"))
        assert "Đã gửi hồ sơ bổ sung" in tab.locator("main").inner_text()
        assert_accessible(tab)

        # the officer sees it arrive, receives it and takes the dossier to its result, sent by post
        page.goto(f"{base}/admin/desk/")
        sent = page.locator("table", has=page.locator("caption", has_text="Người nộp đã gửi hồ sơ bổ sung"))
        sent.get_by_role("link", name=code).click()
        page.wait_for_url(f"{base}/admin/desk/dossiers/{code}")
        assert "giay-ket-hon.pdf" in page.locator("main").inner_text()
        move(page, "receive_supplement")
        move(page, "start_processing")
        move(page, "result_ready")
        move(page, "return_result", fill={"#tracking": TRACKING}, check=('input[value="post"]',))
        assert "Đã trả kết quả" in page.locator("main").inner_text()

        tab.reload()
        history = tab.locator("ol.history").inner_text()
        for step in ("Yêu cầu bổ sung, hoàn thiện hồ sơ", "Người nộp đã gửi hồ sơ bổ sung",
                     "Đã nhận hồ sơ bổ sung", "Đang giải quyết", "Đã có kết quả", TRACKING):
            assert step in history, step
    finally:
        phone.close()

    # the figures count it: received, resolved, a supplement, a postal return
    page.goto(f"{base}/admin/figures/?office={office_id}")
    assert_accessible(page)
    figures = page.locator("main").inner_text()
    assert "Bộ phận một cửa phường Đông Hà" in figures
    assert page.locator("svg[role=img]").count() >= 1
