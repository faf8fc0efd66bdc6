"""The review queue: facts to check, grouped by reason, confirmed or corrected into a draft."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

import catalog.samples
from admin.roles import ADMIN, APPROVER, POSTING_OFFICER, PROCEDURE_OFFICER, RECEPTION_OFFICER
from catalog.db import db
from catalog.models import AuditEvent, Procedure, VersionStatus
from catalog.services import import_document, new_draft, submit_for_review
from catalog.services.errors import WorkflowError
from catalog.services.review import InvalidCorrection, confirm_fact, correct_fact, review_queue
from form_schemas.review import marks_by_pointer
from tests.backoffice_helpers import client_for, make_users, text

SAMPLES = Path(catalog.samples.__file__).parent
COMPETENT = "/x-procedure/agencies/competent"
FEE = "/x-procedure/channels/0/fees/0"
TIME = "/x-procedure/channels/0/processingTime"


def sample(code: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8"))


def birth_with_inferred_agency() -> dict[str, Any]:
    """1.001193 whose competent agency the importer copied from the implementing one."""
    doc = sample("1.001193")
    doc["x-procedure"]["review"] = [{
        "pointer": COMPETENT, "kind": "inferred", "reason": "competent_from_implementing",
        "source": "Cơ quan thực hiện: Ủy ban nhân dân cấp xã",
    }]
    return doc


def household_business_unknowns() -> dict[str, Any]:
    """1.001612 with an in-person fee whose amount the source does not give, and no competent
    agency at all."""
    doc = sample("1.001612")
    facts = doc["x-procedure"]
    fee = facts["channels"][0]["fees"][0]
    del fee["amount"]
    fee["basis"] = "to_check"
    del facts["agencies"]["competent"]
    facts["review"] = [
        {"pointer": FEE, "kind": "to_check", "reason": "fee_no_amount",
         "source": "Lệ phí đăng ký hộ kinh doanh: theo quy định"},
        {"pointer": COMPETENT, "kind": "to_check", "reason": "competent_absent"},
        {"pointer": TIME, "kind": "to_check", "reason": "time_unit_unknown", "source": "03"},
    ]
    return doc


@pytest.fixture
def catalogue(session):  # type: ignore[no-untyped-def]
    for doc in (birth_with_inferred_agency(), household_business_unknowns(), sample("1.000894")):
        import_document(session, doc, author="importer", publish=True)
    return session


def procedure(session, code: str) -> Procedure:  # type: ignore[no-untyped-def]
    return session.scalar(select(Procedure).where(Procedure.code == code))


# --- the queue ------------------------------------------------------------------------------


def test_queue_counts_marks_per_reason_in_the_reason_table_order(catalogue) -> None:  # type: ignore[no-untyped-def]
    queue = review_queue(catalogue)
    assert [(c.reason, c.marks, c.procedures) for c in queue.counts] == [
        ("competent_from_implementing", 1, 1), ("competent_absent", 1, 1),
        ("fee_no_amount", 1, 1), ("time_unit_unknown", 1, 1)]
    assert (queue.total, queue.procedures) == (4, 2)
    assert queue.counts[0].label() == "Cơ quan có thẩm quyền suy ra từ cơ quan thực hiện"
    assert queue.counts[0].label("en") == "Competent agency inferred from the implementing agency"
    assert "1.000894" not in {i.code for g in queue.groups for i in g.items}  # no marks, nothing to check


def test_each_item_shows_the_place_the_converted_value_and_the_source(catalogue) -> None:  # type: ignore[no-untyped-def]
    items = {(i.code, i.pointer): i for g in review_queue(catalogue).groups for i in g.items}
    inferred = items[("1.001193", COMPETENT)]
    assert (inferred.label, inferred.value, inferred.kind) == (
        "Cơ quan có thẩm quyền", "Ủy ban nhân dân cấp xã", "inferred")
    assert inferred.source == "Cơ quan thực hiện: Ủy ban nhân dân cấp xã"
    assert inferred.name == "Đăng ký khai sinh" and inferred.version == 1
    absent = items[("1.001612", COMPETENT)]
    assert (absent.value, absent.known) == ("Chưa có thông tin", False)
    fee = items[("1.001612", FEE)]
    assert fee.label == "Kênh Trực tiếp: phí, lệ phí 1"
    assert fee.value == "Lệ phí đăng ký hộ kinh doanh: Cần kiểm tra"
    assert "0" not in fee.value and "Miễn phí" not in fee.value
    assert items[("1.001612", TIME)].label == "Kênh Trực tiếp: thời hạn giải quyết"
    assert items[("1.001612", TIME)].value == "3 Ngày làm việc"


def test_the_queue_pages_and_filters_by_reason(catalogue) -> None:  # type: ignore[no-untyped-def]
    only_fees = review_queue(catalogue, reason="fee_no_amount")
    assert [g.reason.reason for g in only_fees.groups] == ["fee_no_amount"]
    assert only_fees.matching == 1 and len(only_fees.counts) == 4  # the counts stay complete
    second = review_queue(catalogue, page=2, per_page=1)
    assert (second.pages, second.matching) == (4, 4)
    assert [(g.reason.reason, [i.code for i in g.items]) for g in second.groups] == [("competent_absent", ["1.001612"])]
    assert review_queue(catalogue, page=99, per_page=3).page == 2


# --- confirming and correcting ---------------------------------------------------------------


def test_confirming_removes_the_mark_in_a_new_draft_and_keeps_the_published_version(catalogue) -> None:  # type: ignore[no-untyped-def]
    birth = procedure(catalogue, "1.001193")
    draft = confirm_fact(catalogue, birth, COMPETENT, actor="officer")
    assert (draft.number, draft.status) == (2, VersionStatus.draft)
    assert COMPETENT not in marks_by_pointer(draft.document)
    assert draft.document["x-procedure"]["agencies"]["competent"] == "Ủy ban nhân dân cấp xã"
    assert birth.published_version.number == 1
    assert COMPETENT in marks_by_pointer(birth.published_version.document)
    actions = catalogue.scalars(select(AuditEvent.action).where(AuditEvent.version_id == draft.id)).all()
    assert {"new_draft", "review_confirm", "edit"} <= set(actions)
    queue = review_queue(catalogue)
    assert "competent_from_implementing" not in {c.reason for c in queue.counts}  # the draft is the newest
    assert queue.total == 3


def test_correcting_a_fee_sets_the_amount_and_drops_its_basis(catalogue) -> None:  # type: ignore[no-untyped-def]
    business = procedure(catalogue, "1.001612")
    draft = correct_fact(catalogue, business, FEE, "100.000", actor="officer")
    fee = draft.document["x-procedure"]["channels"][0]["fees"][0]
    assert fee["amount"] == 100000 and "basis" not in fee
    assert set(marks_by_pointer(draft.document)) == {COMPETENT, TIME}
    again = correct_fact(catalogue, business, COMPETENT, "  Ủy ban nhân dân cấp xã ", actor="officer")
    assert again.number == draft.number == 2  # the open draft takes the next change
    assert again.document["x-procedure"]["agencies"]["competent"] == "Ủy ban nhân dân cấp xã"
    timed = correct_fact(catalogue, business, TIME, "3 ngày làm việc", actor="officer")
    assert timed.document["x-procedure"]["channels"][0]["processingTime"]["value"] == 3
    assert "review" not in timed.document["x-procedure"]
    detail = catalogue.scalars(select(AuditEvent.detail).where(AuditEvent.action == "review_correct")).all()
    assert {"pointer": FEE, "reason": "fee_no_amount", "value": 100000} in detail


@pytest.mark.parametrize(("pointer", "value", "where"), [
    (FEE, "năm mươi nghìn", FEE + "/amount"),
    (FEE, "-5", FEE + "/amount"),
    (FEE, "  ", FEE + "/amount"),
    (TIME, "ba ngày", TIME),
    (TIME, "3 tuần", TIME),
    ("/x-procedure/channels/1/fees/0", "1000", "/x-procedure/channels/1/fees/0"),  # no mark there
])
def test_a_bad_correction_is_refused_with_its_pointer_and_stores_nothing(
        catalogue, pointer: str, value: str, where: str) -> None:  # type: ignore[no-untyped-def]
    business = procedure(catalogue, "1.001612")
    with pytest.raises(InvalidCorrection) as refused:
        correct_fact(catalogue, business, pointer, value, actor="officer")
    assert refused.value.problems[0].pointer == where
    assert refused.value.message().startswith(where)
    catalogue.expire_all()
    assert business.latest_number == 1 and len(business.versions) == 1


def test_a_version_in_review_is_not_touched(catalogue) -> None:  # type: ignore[no-untyped-def]
    birth = procedure(catalogue, "1.001193")
    new_draft(catalogue, birth, actor="officer")
    submit_for_review(catalogue, birth, actor="officer")
    with pytest.raises(WorkflowError, match="đang chờ duyệt"):
        confirm_fact(catalogue, birth, COMPETENT, actor="officer")
    assert birth.versions[-1].status == VersionStatus.in_review


# --- the back-office page -------------------------------------------------------------------


@pytest.fixture
def office(app: Flask) -> Flask:
    make_users(app)
    for doc in (birth_with_inferred_agency(), household_business_unknowns()):
        import_document(db.session, doc, author="importer", publish=True)
    return app


def test_the_page_shows_counts_and_source_beside_value(office: Flask) -> None:
    page = text(client_for(office, PROCEDURE_OFFICER).get("/admin/review/"))
    assert "Dữ kiện cần kiểm tra" in page
    assert "Cơ quan có thẩm quyền suy ra từ cơ quan thực hiện" in page
    assert "Còn 4 dữ kiện cần kiểm tra ở 2 thủ tục" in page
    assert "Lệ phí đăng ký hộ kinh doanh: theo quy định" in page  # the source
    assert "Chưa có thông tin" in page
    assert "Xác nhận đúng" in page and "Sửa" in page


def test_confirm_from_the_page_returns_to_the_place_with_the_draft_named(office: Flask) -> None:
    client = client_for(office, PROCEDURE_OFFICER)
    response = client.post("/admin/review/confirm", data={
        "code": "1.001193", "pointer": COMPETENT, "group": "competent_from_implementing",
        "reason": "competent_from_implementing", "page": "1"})
    assert response.status_code == 302
    assert "reason=competent_from_implementing" in response.headers["Location"]
    assert response.headers["Location"].endswith("#reason-competent_from_implementing")
    page = text(client.get(response.headers["Location"]))
    assert "bản nháp phiên bản 2" in page
    assert "Còn 3 dữ kiện cần kiểm tra" in page


def test_a_bad_correction_from_the_page_names_the_pointer(office: Flask) -> None:
    client = client_for(office, PROCEDURE_OFFICER)
    response = client.post("/admin/review/correct", data={
        "code": "1.001612", "pointer": FEE, "value": "không rõ"}, follow_redirects=True)
    page = text(response)
    assert FEE + "/amount" in page and "số nguyên không âm" in page
    assert procedure(db.session, "1.001612").latest_number == 1


def test_a_correction_from_the_page_lands_in_a_draft(office: Flask) -> None:
    client = client_for(office, ADMIN)
    response = client.post("/admin/review/correct", data={
        "code": "1.001612", "pointer": FEE, "value": "100000"}, follow_redirects=True)
    assert "bản nháp phiên bản 2" in text(response)
    db.session.expire_all()
    draft = procedure(db.session, "1.001612").versions[-1]
    assert draft.document["x-procedure"]["channels"][0]["fees"][0]["amount"] == 100000


@pytest.mark.parametrize("role", [APPROVER, POSTING_OFFICER, RECEPTION_OFFICER])
def test_other_roles_cannot_use_the_queue(office: Flask, role: str) -> None:
    client = client_for(office, role)
    assert client.get("/admin/review/").status_code in (302, 403)
    response = client.post("/admin/review/confirm", data={"code": "1.001193", "pointer": COMPETENT})
    assert response.status_code in (302, 403)
    assert procedure(db.session, "1.001193").latest_number == 1


def test_the_page_speaks_english(office: Flask) -> None:
    client = client_for(office, PROCEDURE_OFFICER)
    client.get("/lang/en")
    page = text(client.get("/admin/review/"))
    assert "Facts to check" in page
    assert "Competent agency inferred from the implementing agency" in page


@pytest.mark.browser
def test_in_chromium_an_officer_corrects_a_fee_and_returns_to_its_group(live_server: Any, page: Any) -> None:
    from tests.conftest import assert_accessible
    from tests.test_backoffice_browser import login

    with live_server.app.app_context():
        for doc in (birth_with_inferred_agency(), household_business_unknowns()):
            import_document(db.session, doc, author="importer", publish=True)
        db.session.remove()
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/review/")
    assert "Còn 4 dữ kiện cần kiểm tra ở 2 thủ tục." in page.inner_text("main")
    assert_accessible(page)
    row = page.locator("#reason-fee_no_amount tr", has_text="1.001612")
    row.locator("input[name=value]").fill("100.000")
    row.locator("button", has_text="Sửa").click()
    page.wait_for_selector(".alert-success")
    assert page.url.endswith("#reason-fee_no_amount")
    assert "bản nháp phiên bản 3" in page.inner_text(".alert-success")  # v1 sample, v2 marked import
    assert "Còn 3 dữ kiện cần kiểm tra ở 2 thủ tục." in page.inner_text("main")
    assert page.locator("#reason-fee_no_amount").count() == 0
    assert_accessible(page)
