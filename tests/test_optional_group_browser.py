"""A citizen in Chromium registers a birth with the father's section left blank, or half filled.

The father's section of 1.001193 is an optional group (form_schemas/groups.py): blank, the
dossier is created without him although the form prefills his nationality and ethnicity;
with only his name, the page comes back with Vietnamese messages next to his other required
fields. The section says "(nếu có)" and its fields are not `required` in the browser; the form
is `novalidate` too: no browser bubble comes first, and nothing typed is lost.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from catalog.samples import sample_paths
from tests.conftest import LiveServer, assert_accessible
from tests.test_attachments import PDF
from tests.test_site_browser import fill

pytestmark = pytest.mark.browser


def fields_without_father() -> list[tuple[str, str]]:
    """The realistic birth registration as typed in the browser, father and files left out."""
    from renderers.forms import compile_form

    path = next(p for p in sample_paths() if p.name == "1.001193.json")
    form = compile_form(json.loads(path.read_text(encoding="utf-8")))
    instance = json.loads((path.parents[2] / "tests/sample_instances/1.001193.json").read_text())
    instance.pop("attachments")
    instance.pop("father")
    return list(form.encode(instance).items(multi=True))


def open_and_fill(live_server: LiveServer, page: Any) -> list[str]:
    """The apply page filled as a citizen would; returns the messages of any browser dialog."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/procedures/1.001193/apply")
    assert page.locator("form.application").evaluate("form => form.noValidate") is True
    assert "Đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam" in page.locator("main").inner_text()
    assert page.locator("#father-nationality").input_value() == "Việt Nam"  # prefilled by the form
    for name, value in fields_without_father():
        fill(page, name, value)
    page.set_input_files('[name="attachments-birth_certificate"]', files=[
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    return dialogs


def test_a_blank_father_makes_a_dossier(live_server: LiveServer, page: Any) -> None:
    dialogs = open_and_fill(live_server, page)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/dossiers/\d{4}-1\.001193-\d{6}$"))
    assert "Chờ tiếp nhận" in page.locator("main").inner_text()
    assert dialogs == []
    code = page.url.rsplit("/", 1)[-1]
    from catalog.db import db
    from catalog.models import Dossier

    with live_server.app.app_context():
        dossier = db.session.scalars(select(Dossier).where(Dossier.code == code)).one()
        assert "father" not in dossier.data and dossier.data["mother"]["full_name"] == "Trần Thị Hương"
        db.session.remove()


def test_a_father_with_only_a_name_gets_vietnamese_messages_beside_his_fields(
        live_server: LiveServer, page: Any) -> None:
    dialogs = open_and_fill(live_server, page)
    page.fill("#father-full_name", "Nguyễn Văn Bình")
    # the section says it is optional, and the browser does not call its fields required:
    # once the name is typed the server says what else the section needs
    assert "(nếu có)" in page.locator("#father > legend").inner_text()
    assert "các mục có dấu * phải được điền" in page.locator("#father--help").inner_text()
    assert page.evaluate("document.querySelector('#father-date_of_birth').required") is False
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục").click()

    summary = page.locator("#mc-error-summary")
    summary.wait_for()
    assert "Thông tin người cha: Vui lòng nhập Ngày, tháng, năm sinh" in summary.inner_text()
    assert page.locator("#father-date_of_birth--error").inner_text() == "Vui lòng nhập Ngày, tháng, năm sinh"
    assert page.locator("#father-date_of_birth").get_attribute("aria-invalid") == "true"
    assert page.locator("#father-full_name--error").count() == 0
    assert page.locator(".mc-error").count() == 1  # nothing else is wrong
    assert dialogs == []
    # everything typed is kept, the prefilled values too, and the uploaded file
    assert page.locator("#father-full_name").input_value() == "Nguyễn Văn Bình"
    assert page.locator("#father-nationality").input_value() == "Việt Nam"
    assert page.locator("#mother-full_name").input_value() == "Trần Thị Hương"
    assert page.locator("#applicant-citizen_id").input_value() == "001090012345"
    assert page.locator("#child-place_of_birth").input_value().startswith("Bệnh viện Phụ sản Hà Nội")
    assert "giay-chung-sinh.pdf" in page.content()
    assert_accessible(page)

    page.fill("#father-date_of_birth", "1990-04-12")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/dossiers/\d{4}-1\.001193-\d{6}$"))
    assert "Chờ tiếp nhận" in page.locator("main").inner_text()


def test_the_mother_section_goes_away_only_for_an_abandoned_child(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/procedures/1.001193/apply")
    mother = page.locator("fieldset#mother")
    assert mother.is_visible() and page.locator("fieldset#father").is_visible()
    page.get_by_label("Trẻ em bị bỏ rơi").check()
    assert mother.is_hidden() and page.locator("#mother-full_name").is_disabled()
    assert page.locator("fieldset#father").is_visible()
    page.get_by_label("Trẻ em sinh ra bình thường").check()
    assert mother.is_visible() and page.locator("#mother-full_name").is_enabled()
