"""A citizen in Chromium applies for an organisation on a form whose applicant is "a person or
an organisation" (the alternatives kind, as the national import writes it).

Picking "Tổ chức, doanh nghiệp" shows only the organisation's block; submitting it without the
organisation's name brings the page back with the Vietnamese message beside that field and
everything typed in it kept; once the name is given, the dossier holds the organisation's block only
(not what was typed in the person's block before changing one's mind).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import LiveServer, assert_accessible
from tests.test_forms_alternatives import document

pytestmark = pytest.mark.browser

CODE = "2.002999"
ORGANISATION = "to_chuc_doanh_nghiep"
PERSON = "ca_nhan"
TYPED = {"tax_code": "0101234567", "representative": "Trần Thị Bình", "phone": "0912345678",
         "address": "Số 5 Lý Thái Tổ, Hoàn Kiếm, Hà Nội"}


def publish_alternatives_procedure(live_server: LiveServer) -> None:
    """The importer's form for a procedure open to citizens and organisations, published."""
    from catalog.db import db
    from catalog.services import import_document

    doc = document()
    doc["x-procedure"]["code"] = CODE
    doc["title"] = "Cấp giấy phép thử nghiệm cho cá nhân hoặc tổ chức"
    with live_server.app.app_context():
        import_document(db.session, doc, author="demo", publish=True)
        db.session.remove()


def test_an_organisation_applies_through_its_own_block(live_server: LiveServer, page: Any) -> None:
    publish_alternatives_procedure(live_server)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/procedures/{CODE}/apply")
    person = page.locator(f"fieldset#applicant-{PERSON}")
    organisation = page.locator(f"fieldset#applicant-{ORGANISATION}")

    # the citizen starts as a person, then changes their mind
    page.get_by_label("Cá nhân", exact=True).check()
    assert person.is_visible() and organisation.is_hidden()
    page.fill(f"#applicant-{PERSON}-full_name", "Nguyễn Văn An")
    page.get_by_label("Tổ chức, doanh nghiệp", exact=True).check()
    assert organisation.is_visible() and person.is_hidden()
    assert page.locator(f"#applicant-{PERSON}-full_name").is_disabled()
    for key, value in TYPED.items():
        page.fill(f"#applicant-{ORGANISATION}-{key}", value)

    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục").click()
    name = f"applicant-{ORGANISATION}-name"
    summary = page.locator("#mc-error-summary")
    summary.wait_for()
    assert "Vui lòng nhập Tên tổ chức, doanh nghiệp" in summary.inner_text()
    assert page.locator(f"#{name}--error").inner_text() == "Vui lòng nhập Tên tổ chức, doanh nghiệp"
    assert page.locator(f"#{name}").get_attribute("aria-invalid") == "true"
    assert page.locator(".mc-error").count() == 1  # nothing else is wrong
    assert dialogs == []
    # the choice and everything typed are kept; the organisation's block is the one shown
    assert page.get_by_label("Tổ chức, doanh nghiệp", exact=True).is_checked()
    assert organisation.is_visible() and person.is_hidden()
    for key, value in TYPED.items():
        assert page.locator(f"#applicant-{ORGANISATION}-{key}").input_value() == value
    # the abandoned person's block is disabled while hidden, so the browser did not post it
    assert page.locator(f"#applicant-{PERSON}-full_name").is_disabled()
    assert_accessible(page)

    page.fill(f"#{name}", "Công ty TNHH Ánh Dương")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(rf"/dossiers/\d{{4}}-{re.escape(CODE)}-\d{{6}}$"))
    assert "Chờ tiếp nhận" in page.locator("main").inner_text()
    code = page.url.rsplit("/", 1)[-1]
    from catalog.db import db
    from catalog.models import Dossier

    with live_server.app.app_context():
        dossier = db.session.scalars(select(Dossier).where(Dossier.code == code)).one()
        assert dossier.data == {"applicant": {"name": "Công ty TNHH Ánh Dương", **TYPED}}
        db.session.remove()
