"""What the catalogue does not know is shown as unknown, on the site and on paper alike.

A fee set by the provincial council, a fee in dollars, an absent competent agency and one the
importer inferred (a review mark) must never read "Miễn phí", "0 đồng" or a ministry's name.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from catalog.db import db
from catalog.models import Dossier
from catalog.payments import fee_total, fees_known, fees_not_payable_online, payable_online
from form_schemas import wording
from form_schemas.validation import validate_procedure
from renderers.pdf import (
    ReceiptData,
    ReceivedDocument,
    render_blank_form,
    render_notice,
    render_receipt,
)
from renderers.pdf.sample import birth_registration
from tests.factories import document
from tests.test_pdf_helpers import notice_kwargs, text
from tests.test_site_apply import open_form, pdf_file, post, publish

PER_PAGE = {"name": "Phí chứng thực bản sao từ bản chính", "kind": "fee", "amount": 2000,
            "per": "page", "tiers": [{"from": 3, "amount": 1000}], "maximum": 200000}
MINISTRY = "Bộ Tư pháp"
PROVINCE_FEE = {"name": "Lệ phí đăng ký hộ kinh doanh", "kind": "charge", "basis": "set_by_province"}
USD_FEE = {"name": "Phí thẩm định hồ sơ", "kind": "fee", "amount": 145, "currency": "USD"}
INFERRED = {"pointer": "/x-procedure/agencies/competent", "kind": "inferred",
            "reason": "competent_from_implementing", "source": "Bộ Tư pháp"}


# --- the formatter ------------------------------------------------------------------------


@pytest.mark.parametrize(("fee", "vi", "en"), [
    ({"name": "Lệ phí đăng ký khai sinh", "kind": "charge", "amount": 0},
     "Lệ phí đăng ký khai sinh: Miễn phí", "Lệ phí đăng ký khai sinh: Free"),
    ({"name": "Lệ phí đăng ký thường trú", "kind": "charge", "amount": 10000},
     "Lệ phí đăng ký thường trú: 10.000 đồng", "Lệ phí đăng ký thường trú: 10,000 VND"),
    (PER_PAGE,
     "Phí chứng thực bản sao từ bản chính: 2.000 đồng/trang, từ trang thứ 3: 1.000 đồng/trang, "
     "tối đa 200.000 đồng/bản",
     "Phí chứng thực bản sao từ bản chính: 2,000 VND/page, from page 3: 1,000 VND/page, "
     "at most 200,000 VND/copy"),
    ({"name": "cấp bản sao", "kind": "fee", "amount": 8000, "per": "copy"},
     "Phí cấp bản sao: 8.000 đồng/bản", "Fee – cấp bản sao: 8,000 VND/copy"),
    (USD_FEE, "Phí thẩm định hồ sơ: 145 USD", "Phí thẩm định hồ sơ: 145 USD"),
    (PROVINCE_FEE, "Lệ phí đăng ký hộ kinh doanh: Mức thu theo quy định của HĐND cấp tỉnh",
     "Lệ phí đăng ký hộ kinh doanh: Amount set by the provincial council"),
    ({"name": "Phí thẩm định", "kind": "fee", "basis": "per_regulation",
      "note": "Thông tư số 85/2019/TT-BTC"},
     "Phí thẩm định: Theo quy định: Thông tư số 85/2019/TT-BTC",
     "Phí thẩm định: As set by regulation: Thông tư số 85/2019/TT-BTC"),
    ({"name": "Phí thẩm định", "kind": "fee", "basis": "to_check"},
     "Phí thẩm định: Chưa có thông tin, cần kiểm tra", "Phí thẩm định: No information yet, to check"),
    ({"name": "Phí thẩm định", "kind": "fee"}, "Phí thẩm định: Chưa có thông tin",
     "Phí thẩm định: No information"),
])
def test_a_fee_reads_what_the_document_says(fee: dict[str, Any], vi: str, en: str) -> None:
    assert wording.fee_text(fee) == vi
    assert wording.fee_text(fee, "en") == en


def test_the_fee_kind_is_printed_once() -> None:
    assert wording.fee_label({"name": "Lệ phí đăng ký khai sinh", "kind": "charge"}) == (
        "Lệ phí đăng ký khai sinh")
    assert wording.fee_label({"name": "phí cấp bản sao", "kind": "charge"}) == "Phí cấp bản sao"
    assert wording.fee_label({"name": "Đăng ký khai sinh quá hạn", "kind": "charge"}) == (
        "Lệ phí đăng ký khai sinh quá hạn")
    assert wording.fee_label({"name": "UBND cấp bản sao", "kind": "fee"}) == "Phí UBND cấp bản sao"
    assert wording.fee_text({"name": "Lệ phí", "kind": "charge", "amount": 0, "note": "đúng hạn"}) == (
        "Lệ phí: Miễn phí (đúng hạn)")


def test_money_is_in_its_own_currency() -> None:
    assert wording.money(10000) == "10.000 đồng"
    assert wording.money(10000, locale="en") == "10,000 VND"
    assert wording.money(145, "USD") == "145 USD"
    assert wording.money(1450, "USD", "en") == "1,450 USD"
    assert wording.money(0) == "0 đồng"  # only a fee of 0 reads "Miễn phí"


@pytest.mark.parametrize(("time", "vi", "en"), [
    ({"value": 0, "unit": "working_days"}, "Trong ngày làm việc", "Within the working day"),
    ({"value": 0, "unit": "hours"}, "Trong ngày làm việc", "Within the working day"),
    ({"value": 1, "unit": "working_days"}, "1 ngày làm việc", "1 working day"),
    ({"value": 15, "unit": "days"}, "15 ngày", "15 days"),
    ({"value": 1.5, "unit": "months"}, "1,5 tháng", "1.5 months"),
    ({"value": 3, "unit": "unknown", "note": "tính từ khi nhận đủ hồ sơ"},
     "Chưa có thông tin (tính từ khi nhận đủ hồ sơ)", "No information (tính từ khi nhận đủ hồ sơ)"),
    ({"value": 0, "unit": "unknown", "note": "Bản công bố không ghi thời hạn"},
     "Chưa có thông tin (Bản công bố không ghi thời hạn)",
     "No information (Bản công bố không ghi thời hạn)"),
    (None, "Chưa có thông tin", "No information"),
    ({}, "Chưa có thông tin", "No information"),
])
def test_processing_time_reads_the_same_everywhere(time: dict | None, vi: str, en: str) -> None:
    assert wording.processing_time_text(time) == vi
    assert wording.processing_time_text(time, "en") == en


def test_labels_come_from_one_table() -> None:
    assert wording.levels_text(["central", "commune"]) == "Cấp Bộ, ngành trung ương, Cấp xã"
    assert wording.levels_text(["central"], "en") == "Central (ministry)"
    assert wording.levels_text([]) == wording.UNKNOWN == "Chưa có thông tin"
    assert wording.channel_name("postal") == "Bưu chính công ích"
    assert wording.online_level_name(4, "en") == "Level 4: apply and pay online (fully online)"
    assert wording.fee_kind_name(None) == "Phí, lệ phí"


# --- money due ----------------------------------------------------------------------------


def unknown_fee_document(code: str = "1.001193", *, competent: str | None = None,
                         inferred: bool = False) -> dict[str, Any]:
    """A level 4 procedure whose online fees are set by the province and in dollars."""
    doc = document(code, title="Đăng ký thành lập hộ kinh doanh")
    facts = doc["x-procedure"]
    facts["levels"] = ["central", "commune"]
    facts["channels"][0]["processingTime"] = {"value": 0, "unit": "working_days"}
    facts["channels"][0]["fees"] = [copy.deepcopy(PROVINCE_FEE)]
    facts["channels"][1]["fees"] = [copy.deepcopy(PROVINCE_FEE), copy.deepcopy(USD_FEE)]
    facts["agencies"] = {"implementing": "Ủy ban nhân dân phường Ba Đình"}
    if competent:
        facts["agencies"]["competent"] = competent
    if inferred:
        facts["review"] = [dict(INFERRED)]
    assert validate_procedure(doc) == [], "the test document follows the format"
    return doc


def test_a_fee_without_amount_or_in_dollars_is_never_charged_online() -> None:
    doc = unknown_fee_document()
    assert fee_total(doc) == 0
    assert not fees_known(doc)
    assert [fee["name"] for fee in fees_not_payable_online(doc)] == [
        PROVINCE_FEE["name"], USD_FEE["name"]]
    assert not payable_online(USD_FEE) and not payable_online(PROVINCE_FEE)
    doc["x-procedure"]["channels"][1]["fees"].append({"name": "Lệ phí", "amount": 10000})
    assert fee_total(doc) == 10000  # dollars are not added to đồng
    assert fees_known(document())


# --- the citizen site ---------------------------------------------------------------------


def facts_part(page: str) -> str:
    """The facts of the procedure page (the part after the actions)."""
    return page[page.index('id="facts-heading"'):]


def test_the_procedure_page_says_unknown_not_free(app: Flask, client: FlaskClient) -> None:
    publish(unknown_fee_document())
    page = client.get("/procedures/1.001193").text
    facts = facts_part(page)
    assert "Mức thu theo quy định của HĐND cấp tỉnh" in facts
    assert "145 USD" in facts
    assert "Miễn phí" not in page and "0 đồng" not in page and "145 đồng" not in page
    assert re.search(r"Cơ quan có thẩm quyền</dt><dd><span class=\"unknown\">Chưa có thông tin", facts)
    assert "Phí, lệ phí chưa có đủ thông tin để nộp trực tuyến" in page
    assert "miễn phí khi nộp trực tuyến" not in page
    assert "Nộp hồ sơ và nộp phí trực tuyến" not in page  # nothing is charged online
    assert "Lệ phí Lệ phí" not in page


def test_an_inferred_agency_is_tagged_to_check(app: Flask, client: FlaskClient) -> None:
    publish(unknown_fee_document(competent=MINISTRY, inferred=True))
    facts = facts_part(client.get("/procedures/1.001193").text)
    found = re.search(r"Cơ quan có thẩm quyền</dt><dd>(.*?)</dd>", facts)
    assert found and MINISTRY in found.group(1)
    assert 'class="review-tag"' in found.group(1) and "Cần kiểm tra" in found.group(1)
    assert "suy ra từ cơ quan thực hiện" in found.group(1)  # the reason, as title and text
    client.get("/language/en?next=/")
    english = client.get("/procedures/1.001193").text
    assert "To check" in english and "Amount set by the provincial council" in english


def test_site_and_paper_agree_on_levels_and_same_day(app: Flask, client: FlaskClient) -> None:
    doc = publish(unknown_fee_document())
    page = client.get("/procedures/1.001193").text
    paper = text(render_notice(doc, **notice_kwargs()))
    for words in ("Cấp Bộ, ngành trung ương", "Trong ngày làm việc"):
        assert words in page and words in paper, words
    assert "0 ngày làm việc" not in paper and "Cấp trung ương" not in paper


def test_the_dossier_page_and_receipt_do_not_call_unknown_fees_free(app: Flask,
                                                                    client: FlaskClient) -> None:
    publish(unknown_fee_document(competent=MINISTRY, inferred=True))
    response = post(client, open_form(client), file=pdf_file())
    assert response.status_code == 303
    code = response.headers["Location"].rsplit("/", 1)[-1]
    dossier = db.session.scalars(select(Dossier)).one()
    assert dossier.fee_due == 0
    page = client.get(f"/dossiers/{code}").text
    fees = page[page.index("Phí, lệ phí</dt>"):]
    fees = fees[:fees.index("</dd>")]
    assert "Miễn phí" not in fees
    assert "Mức thu theo quy định của HĐND cấp tỉnh" in fees and "145 USD" in fees
    assert "Nộp phí trực tuyến" not in page
    receipt = text(client.get(f"/dossiers/{code}/receipt.pdf").data)
    assert "Ủy ban nhân dân phường Ba Đình đã tiếp nhận hồ sơ" in receipt
    assert MINISTRY not in receipt
    assert "Trong ngày làm việc" not in receipt  # the online channel's time: 1 working day
    assert "1 ngày làm việc" in receipt


# --- paper --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unknown_notice() -> str:
    doc = unknown_fee_document()
    return text(render_notice(doc, **notice_kwargs()))


def test_the_notice_says_unknown(unknown_notice: str) -> None:
    assert "Mức thu theo quy định của HĐND cấp tỉnh" in unknown_notice
    assert "145 USD" in unknown_notice
    assert "Cơ quan có thẩm quyền Chưa có thông tin" in unknown_notice
    for wrong in ("Miễn phí", "0 đồng", "145 đồng", "Lệ phí Lệ phí", MINISTRY, "Không có."):
        assert wrong not in unknown_notice, wrong


def test_the_notice_tags_an_inferred_agency_and_never_heads_with_it() -> None:
    doc = unknown_fee_document(competent=MINISTRY, inferred=True)
    doc["x-procedure"]["agencies"].pop("implementing")
    content = text(render_notice(doc, **notice_kwargs()))
    assert f"Cơ quan có thẩm quyền {MINISTRY} (cần kiểm tra)" in content
    assert content.upper().count(MINISTRY.upper()) == 1, "only in its tagged row, not as heading"


@pytest.mark.parametrize("inferred", [False, True])
def test_the_blank_form_leaves_kinh_gui_blank_when_the_agency_is_not_checked(inferred: bool) -> None:
    doc = unknown_fee_document(competent=MINISTRY if inferred else None, inferred=inferred)
    content = text(render_blank_form(doc))
    assert "Kính gửi:" in content
    assert MINISTRY not in content


def test_the_blank_form_addresses_a_checked_agency() -> None:
    content = text(render_blank_form(unknown_fee_document(competent="Ủy ban nhân dân cấp xã")))
    assert "Kính gửi: Ủy ban nhân dân cấp xã" in content


def test_the_receipt_names_no_guessed_unit() -> None:
    data = ReceiptData(
        dossier_code="2026-1.001193-000001", office_name="", parent_body="",
        place_and_date="……, ngày 12 tháng 3 năm 2026", applicant_name="Nguyễn Văn An",
        applicant_address="Hà Nội", applicant_phone="0912345678",
        requested="Đăng ký thành lập hộ kinh doanh", procedure_name="Đăng ký thành lập hộ kinh doanh",
        documents=[ReceivedDocument("Giấy chứng sinh", 1)], processing_time="",
        received_at=datetime(2026, 3, 12, 9, 5), appointment=date(2026, 3, 13), result_place="",
        tracking_url="https://motcua.example.vn/dossiers/2026-1.001193-000001",
    )
    content = text(render_receipt(data))
    assert "Bộ phận tiếp nhận và trả kết quả đã tiếp nhận hồ sơ" in content
    assert "theo quy định là: Chưa có thông tin" in content
    assert "Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả" in content


def test_the_sample_prints_no_placeholder() -> None:
    content = text(render_notice(birth_registration(), **notice_kwargs()))
    assert "Không có." not in content
    assert "Lệ phí đăng ký khai sinh đúng hạn: Miễn phí" in content


# --- the back-office facts editor ---------------------------------------------------------


def test_the_facts_form_takes_a_fee_without_amount_and_no_competent_agency() -> None:
    from admin.backoffice.facts import decode, facts_form, to_instance

    doc = unknown_fee_document(competent=MINISTRY, inferred=True)
    doc["x-procedure"]["channels"][0]["fees"] = [copy.deepcopy(PER_PAGE)]
    decoded = decode(doc, facts_form().encode(to_instance(doc)))
    assert decoded.document is not None, decoded.errors
    facts = decoded.document["x-procedure"]
    assert facts["channels"][0]["fees"] == [PER_PAGE]
    assert facts["channels"][1]["fees"] == [PROVINCE_FEE, USD_FEE]
    assert facts["review"] == [INFERRED], "an untouched inferred value keeps its mark"
    assert validate_procedure(decoded.document) == []

    instance = copy.deepcopy(to_instance(doc))
    del instance["agencies"]["competent"]  # the officer clears the guess
    decoded = decode(doc, facts_form().encode(instance))
    assert decoded.document is not None, decoded.errors
    facts = decoded.document["x-procedure"]
    assert "competent" not in facts["agencies"] and "review" not in facts
    assert validate_procedure(decoded.document) == []
