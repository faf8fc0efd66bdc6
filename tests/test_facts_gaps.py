"""The facts editor in sections, with what is still missing before review, in the officer's words."""

from __future__ import annotations

import re

from flask import Flask

from admin.roles import PROCEDURE_OFFICER
from catalog.db import db
from catalog.services import import_document
from form_schemas import builder
from form_schemas.gaps import SECTIONS, gaps
from tests.backoffice_helpers import client_for, lock_of, make_users, text
from tests.factories import document


def test_a_new_procedure_lists_every_fact_still_to_give() -> None:
    doc = builder.new_document("TEST-006", "Cấp giấy xác nhận thử", "Hộ tịch", "")
    found = {(gap.section, gap.text()) for gap in gaps(doc)}
    assert ("agencies", "Chưa có cơ quan có thẩm quyền.") in found
    assert ("channels", "Kênh Trực tiếp: chưa có thời hạn giải quyết.") in found
    assert ("channels", "Kênh Trực tiếp: chưa có phí, lệ phí (ghi số tiền 0 nếu miễn phí).") in found
    assert ("documents", "Chưa có thành phần hồ sơ.") in found
    assert ("legal", "Chưa có căn cứ pháp lý.") in found
    assert ("steps", "Cần kiểm tra: Trình tự mẫu khi tạo thủ tục, chưa nhập theo quy định.") in found
    assert not any("cơ quan có thẩm quyền" in text.lower() and text.startswith("Cần kiểm tra") for _, text in found)
    assert [gap.section for gap in gaps(doc)] == sorted((gap.section for gap in gaps(doc)), key=list(SECTIONS).index)


def test_a_complete_procedure_has_no_gaps_but_its_unknown_fees() -> None:
    doc = document("1.001193")
    assert not [gap for gap in gaps(doc) if gap.section in ("agencies", "documents", "steps", "results")]
    doc["x-procedure"]["channels"][0]["fees"] = [{"name": "Lệ phí", "kind": "charge", "basis": "to_check"}]
    assert [gap.text() for gap in gaps(doc) if gap.pointer.endswith("/fees/0/amount")] == [
        "Kênh Trực tiếp: «Lệ phí» chưa có số tiền."]


def test_the_facts_tab_has_sections_and_the_missing_list_and_speaks_of_facts(app: Flask) -> None:
    make_users(app)
    import_document(db.session, builder.new_document("TEST-006", "Cấp giấy xác nhận thử", "Hộ tịch", ""),
                    author="officer")
    officer = client_for(app, PROCEDURE_OFFICER)
    page = text(officer.get("/admin/editor/TEST-006/facts"))
    for vi, _en, anchor in SECTIONS.values():
        assert f'<a href="#{anchor}">{vi}</a>' in page
        assert f'id="{anchor}"' in page, anchor  # each section's link lands on its part of the form
    assert "Còn thiếu trước khi trình duyệt" in page and "Chưa có căn cứ pháp lý." in page
    refused = text(officer.post("/admin/editor/TEST-006/facts", data={"lock": lock_of(page), "title": ""}))
    assert "Thông tin thủ tục chưa hợp lệ" in refused and "Hồ sơ chưa hợp lệ" not in refused
    assert re.search(r"mc-error-summary", refused)
