"""Conditions read as sentences with labels (not property names or stored values), and the
overview shows every route of the form, the default one included."""

from __future__ import annotations

from typing import Any

from flask import Flask

from admin.roles import PROCEDURE_OFFICER
from catalog.db import db
from catalog.services import import_document
from form_schemas import builder
from form_schemas.branches import branch_overview, condition_sentence
from form_schemas.builder import FieldSpec
from tests.backoffice_helpers import client_for, make_users, text


def marriage_form() -> dict[str, Any]:
    doc = builder.new_document("TEST-003", "Xác nhận tình trạng hôn nhân", "Hộ tịch", "UBND cấp xã")
    doc, status = builder.add_field(doc, FieldSpec("choice", "Tình trạng hôn nhân", required=True, settings={
        "options": "chua_ket_hon|Chưa kết hôn\nda_ket_hon|Đang có vợ/chồng\nly_hon|Đã ly hôn"}))
    doc, decision = builder.add_field(doc, FieldSpec("text", "Số bản án, quyết định ly hôn"))
    doc, court = builder.add_field(doc, FieldSpec("text", "Tòa án đã xử"))
    doc, spouse = builder.add_field(doc, FieldSpec("text", "Họ tên vợ/chồng"))
    doc, paper = builder.add_field(doc, FieldSpec("yes_no", "Nhận bản giấy"))
    doc, address = builder.add_field(doc, FieldSpec("text", "Địa chỉ nhận"))
    doc = builder.set_condition(doc, decision, status, "ly_hon")
    doc = builder.set_condition(doc, court, status, "ly_hon")
    doc = builder.set_condition(doc, spouse, status, "da_ket_hon")
    return builder.set_condition(doc, address, paper, True)


def test_a_condition_reads_with_the_labels_the_citizen_sees() -> None:
    doc = marriage_form()
    tree = builder.field_tree(doc)
    decision = next(f for f in tree if f.label == "Số bản án, quyết định ly hôn")
    assert condition_sentence(doc, decision, tree) == \
        "Chỉ hiện và bắt buộc khi «Tình trạng hôn nhân» là «Đã ly hôn»"
    address = next(f for f in tree if f.label == "Địa chỉ nhận")
    assert condition_sentence(doc, address) == "Chỉ hiện và bắt buộc khi «Nhận bản giấy» là «Có»"
    assert condition_sentence(doc, tree[0]) == ""


def test_the_overview_shows_every_route_and_the_default_one() -> None:
    [status, paper] = branch_overview(marriage_form())
    assert status.field == "Tình trạng hôn nhân"
    assert [route.sentence() for route in status.routes] == [
        "Khi «Tình trạng hôn nhân» là «Đang có vợ/chồng»: hiện và bắt buộc «Họ tên vợ/chồng».",
        "Khi «Tình trạng hôn nhân» là «Đã ly hôn»: hiện và bắt buộc «Số bản án, quyết định ly hôn», «Tòa án đã xử».",
    ]
    assert status.default_sentence() == \
        "Khi «Tình trạng hôn nhân» là «Chưa kết hôn» hoặc chưa chọn: không hiện thêm trường nào."
    assert [route.value for route in paper.routes] == ["Có"]
    assert paper.default_sentence() == "Khi «Nhận bản giấy» là «Không» hoặc chưa chọn: không hiện thêm trường nào."
    assert branch_overview(builder.new_document("TEST-004", "Thử", "Hộ tịch")) == []


def test_the_builder_page_shows_the_sentences_and_the_overview(app: Flask) -> None:
    make_users(app)
    import_document(db.session, marriage_form(), author="officer")
    page = text(client_for(app, PROCEDURE_OFFICER).get("/admin/editor/TEST-003/form"))
    assert "Chỉ hiện và bắt buộc khi «Tình trạng hôn nhân» là «Đã ly hôn»" in page
    assert "Các nhánh của biểu mẫu" in page and "hoặc chưa chọn: không hiện thêm trường nào" in page
    assert "= ly_hon" not in page
