"""The fee follows the answers (issue 14 §2): the schedules, the figure on the apply page and its
JSON endpoint, the amount the payment charges, and sessions closed once the fee is paid."""

from __future__ import annotations

import copy
import io
import json
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.models import Dossier, Payment
from catalog.payments import SandboxProvider, fee_total, fees_known
from catalog.services import import_document
from catalog.services.dossiers import (
    amount_outstanding,
    complete_payment,
    stage_upload,
    start_payment,
    submit_dossier,
)
from form_schemas.fees import amount_due, units_cost
from form_schemas.problems import InvalidProcedure
from form_schemas.validation import check_procedure
from tests.factories import document
from tests.test_attachments import PDF
from tests.test_site_apply import GOOD, TOKEN_FIELD, open_form, pdf_file

SAMPLES = Path(__file__).resolve().parent.parent / "catalog" / "samples"
CERTIFIED = {"name": "Phí chứng thực bản sao", "kind": "fee", "amount": 2000, "per": "page",
             "tiers": [{"from": 3, "amount": 1000}], "maximum": 200000}
PER_COPY = {"name": "Phí cấp bản sao Giấy khai sinh", "kind": "fee", "amount": 8000, "per": "copy",
            "quantity": "/so_ban_sao"}


def sample(code: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8"))


def with_copies(default: int = 0, fees: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The factory document with a "Số bản sao" field and a per-copy online fee."""
    doc = document()
    doc["properties"]["so_ban_sao"] = {"type": "integer", "title": "Số bản sao", "minimum": 0,
                                       "maximum": 20, "default": default}
    doc["x-procedure"]["channels"][1]["fees"] = fees if fees is not None else [
        {"name": "Lệ phí đăng ký khai sinh", "amount": 0, "kind": "charge"}, copy.deepcopy(PER_COPY)]
    return doc


# --- the schedules -----------------------------------------------------------------------


@pytest.mark.parametrize(("pages", "due"), [
    (1, 2000), (2, 4000), (3, 5000), (150, 152000), (250, 200000), (0, 0),
])
def test_certified_copy_schedule_per_copy(pages: int, due: int) -> None:
    assert units_cost(CERTIFIED, pages) == due


def test_certified_copies_sample_sums_each_copy_capped_on_its_own() -> None:
    doc = sample("2.000815")
    answers = {"items": [{"document_name": "Bằng", "pages": 1, "copies": 1},
                         {"document_name": "Học bạ", "pages": 2, "copies": 1},
                         {"document_name": "Sổ", "pages": 3, "copies": 2},
                         {"document_name": "Hồ sơ dày", "pages": 150, "copies": 1},
                         {"document_name": "Luận án", "pages": 250, "copies": 3}]}
    due = amount_due(doc, answers, "in_person")
    assert due.total == 2000 + 4000 + 2 * 5000 + 152000 + 3 * 200000
    assert due.known and due.lines[0].quantity == 1 + 2 + 6 + 150 + 750
    assert amount_due(doc, {"items": []}, "in_person").total == 0


@pytest.mark.parametrize(("copies", "due"), [(0, 0), (1, 8000), (3, 24000)])
def test_a_per_copy_fee_follows_the_number_of_copies(copies: int, due: int) -> None:
    doc = with_copies()
    found = amount_due(doc, {"so_ban_sao": copies})
    assert found.total == due
    assert [line.amount for line in found.lines] == [0, due]
    assert found.lines[1].quantity == copies


def test_the_birth_sample_charges_per_copy_asked() -> None:
    doc = sample("1.001193")
    for copies, due in ((0, 0), (1, 8000), (3, 24000)):
        assert amount_due(doc, {"birth_certificate_copies": copies}).total == due
    assert amount_due(doc, {}).total == 0  # left empty: no copy asked
    assert fee_total(doc) == 8000  # the blank form starts at its default, 1 copy


def test_without_a_quantity_field_a_fee_counts_once() -> None:
    doc = document()
    doc["x-procedure"]["channels"][1]["fees"] = [dict(CERTIFIED), {"name": "Lệ phí", "amount": 10000}]
    due = amount_due(doc, {"applicant": {}})
    assert [line.amount for line in due.lines] == [2000, 10000] and due.total == 12000
    assert all(line.quantity is None for line in due.lines)


def test_unknown_fees_are_listed_never_charged() -> None:
    doc = with_copies(fees=[
        {"name": "Lệ phí", "basis": "set_by_province"},
        {"name": "Phí thẩm định", "amount": 145, "currency": "USD"},
        {key: value for key, value in PER_COPY.items() if key != "amount"} | {"basis": "to_check"},
        copy.deepcopy(PER_COPY),
    ])
    due = amount_due(doc, {"so_ban_sao": 2})
    assert [line.amount for line in due.lines] == [None, None, None, 16000]
    assert due.total == 16000 and not due.known and len(due.unknown_lines) == 3
    assert not fees_known(doc)


def test_a_quantity_that_is_not_a_count_is_not_guessed() -> None:
    due = amount_due(with_copies(), {"so_ban_sao": "ba"})
    assert due.lines[1].amount is None and due.lines[1].unreadable and due.total == 0


# --- the compile check -------------------------------------------------------------------


@pytest.mark.parametrize(("quantity", "words"), [
    ("/applicant/full_name", "không phải một số nguyên"),
    ("/so_ban", "không có trường «so_ban»"),
    ("so_ban_sao", "JSON pointer"),
])
def test_quantity_must_name_an_integer_field(quantity: str, words: str) -> None:
    doc = with_copies()
    doc["x-procedure"]["channels"][1]["fees"][1]["quantity"] = quantity
    with pytest.raises(InvalidProcedure) as raised:
        check_procedure(doc)
    assert any(p.pointer == "/x-procedure/channels/1/fees/1/quantity" for p in raised.value.problems)
    assert words in str(raised.value)


def test_a_step_into_a_group_needs_the_star() -> None:
    doc = sample("2.000815")
    doc["x-procedure"]["channels"][0]["fees"][0]["quantity"] = "/items/pages"
    with pytest.raises(InvalidProcedure, match=r"nhóm lặp lại.*\*"):
        check_procedure(doc)


def test_the_samples_with_quantities_are_valid() -> None:
    check_procedure(sample("1.001193"))
    check_procedure(sample("2.000815"))
    check_procedure(with_copies())


# --- the apply page and its live figure --------------------------------------------------


def test_the_apply_page_shows_the_amount_and_the_endpoint_answers(app: Flask, client: FlaskClient) -> None:
    import_document(db.session, with_copies(default=1), author="test", publish=True)
    page = client.get("/procedures/1.001193/apply").text
    box = page.split('id="fee-due"', 1)[1].split("</section>", 1)[0]
    assert "Phí, lệ phí phải nộp" in page and "8.000 đồng" in box and "1 bản" in box
    assert 'data-fee-inputs="so_ban_sao"' in page and "fee.js" in page
    for copies, figure in (("0", "0 đồng"), ("3", "24.000 đồng")):
        answer = client.get("/procedures/1.001193/fee", query_string={"so_ban_sao": copies})
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
        data = answer.get_json()
        assert data["total"] == {"0": 0, "3": 24000}[copies] and data["known"]
        assert figure in data["html"] and data["total_text"] == figure
    odd = client.get("/procedures/1.001193/fee", query_string={"so_ban_sao": "ba", "applicant-phone": "x"})
    assert odd.get_json()["total"] == 0 and "Chưa tính được" in odd.get_json()["html"]
    assert client.get("/procedures/9.999999/fee").status_code == 404
    assert client.get("/site-static/fee.js").status_code == 200


def test_unknown_fees_read_by_their_basis_in_the_box(app: Flask, client: FlaskClient) -> None:
    import_document(db.session, with_copies(fees=[{"name": "Lệ phí", "basis": "set_by_province"},
                                                  copy.deepcopy(PER_COPY)]),
                    author="test", publish=True)
    page = client.get("/procedures/1.001193/apply").text
    box = page.split('id="fee-due"', 1)[1].split("</section>", 1)[0]
    assert "Mức thu theo quy định của HĐND cấp tỉnh" in box and "nộp khi nhận kết quả" in box


# --- what the payment charges ------------------------------------------------------------


def apply_with(client: FlaskClient, copies: str) -> str:
    token = open_form(client)
    data = {"_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, "so_ban_sao": copies,
            "attachments-birth_certificate": pdf_file()}
    response = client.post("/procedures/1.001193/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_the_payment_charges_the_amount_worked_out_from_the_answers(app: Flask, client: FlaskClient) -> None:
    import_document(db.session, with_copies(), author="test", publish=True)
    code = apply_with(client, "3")
    dossier = db.session.scalars(select(Dossier)).one()
    assert dossier.fee_due == 24000 and amount_outstanding(dossier) == 24000
    assert "24.000 đồng" in client.get(f"/dossiers/{code}").text
    sandbox = client.get(client.post(f"/dossiers/{code}/pay").headers["Location"])
    assert "24.000 đồng" in sandbox.text and "8.000 đồng" not in sandbox.text


def test_no_copy_asked_means_no_payment_step(app: Flask, client: FlaskClient) -> None:
    import_document(db.session, with_copies(), author="test", publish=True)
    code = apply_with(client, "0")
    page = client.get(f"/dossiers/{code}").text
    assert "Nộp phí trực tuyến" not in page
    assert db.session.scalars(select(Dossier)).one().fee_due == 0


# --- sessions closed when paid -----------------------------------------------------------


def filed(copies: int = 2) -> Dossier:
    store = AttachmentStore(Path(current_app.config["MOTCUA_DATA_DIR"]) / "attachments")
    import_document(db.session, with_copies(), author="test", publish=True)
    form_token = secrets.token_urlsafe(24)
    attachment = stage_upload(db.session, store, io.BytesIO(PDF), "gcs.pdf",
                              field="attachments-birth_certificate", upload_token=form_token)
    instance = {"applicant": {"full_name": "Nguyễn Văn An", "citizen_id": "001090012345",
                              "phone": "0912345678"},
                "attachments": {"birth_certificate": attachment.id}, "so_ban_sao": copies}
    return submit_dossier(db.session, "1.001193", instance, submission_token=form_token).dossier


def test_paying_in_one_session_closes_the_other_pending_ones(db_app: Flask) -> None:
    dossier = filed()
    provider = SandboxProvider("s3cret")
    first = start_payment(db.session, dossier, provider, "/back")
    second = start_payment(db.session, dossier, provider, "/back")
    third = start_payment(db.session, dossier, provider, "/back")
    assert complete_payment(db.session, provider, second.id, "pay").status == "paid"
    statuses = dict(db.session.execute(select(Payment.session_id, Payment.status)).all())
    assert statuses == {first.id: "superseded", second.id: "paid", third.id: "superseded"}
    late = complete_payment(db.session, provider, first.id, "pay")
    assert late.status == "superseded" and late.reference is None and late.paid_at is None
    paid = db.session.scalars(select(Payment).where(Payment.status == "paid")).all()
    assert [p.amount for p in paid] == [16000] and amount_outstanding(dossier) == 0


def test_a_session_still_pending_when_the_fee_was_paid_is_not_charged(db_app: Flask) -> None:
    dossier = filed()
    provider = SandboxProvider("s3cret")
    first = start_payment(db.session, dossier, provider, "/back")
    second = start_payment(db.session, dossier, provider, "/back")
    complete_payment(db.session, provider, first.id, "pay")
    # the row went back to pending by hand: the completion still sees the fee paid
    db.session.execute(Payment.__table__.update().where(Payment.session_id == second.id)
                       .values(status="pending"))
    db.session.commit()
    assert complete_payment(db.session, provider, second.id, "pay").status == "superseded"
    assert sum(p.amount for p in db.session.scalars(select(Payment)) if p.status == "paid") == 16000


def test_the_dossier_page_words_closed_sessions(app: Flask, client: FlaskClient) -> None:
    import_document(db.session, with_copies(), author="test", publish=True)
    code = apply_with(client, "1")
    abandoned = client.post(f"/dossiers/{code}/pay").headers["Location"]
    used = client.post(f"/dossiers/{code}/pay").headers["Location"]
    client.post(used, data={"outcome": "pay"})
    page = client.get(f"/dossiers/{code}").text
    assert "đã đóng (đã thanh toán ở phiên khác)" in page and "đang chờ" not in page
    closed = client.get(abandoned).text
    assert "đã được nộp ở phiên khác" in closed and 'value="pay"' not in closed
    back = client.post(abandoned, data={"outcome": "pay"}, follow_redirects=True).text
    assert "không thu thêm" in back
    assert [p.status for p in db.session.scalars(select(Payment).order_by(Payment.id))] == ["superseded", "paid"]
    assert re.search(r"Đã nộp 8\.000 đồng", page)


def test_a_form_sent_back_with_errors_shows_the_amount_for_its_answers(app: Flask, client: FlaskClient) -> None:
    """Without JavaScript the figure follows the answers once the form is posted."""
    import_document(db.session, with_copies(default=1), author="test", publish=True)
    data = {TOKEN_FIELD: open_form(client), **GOOD, "applicant-phone": "123", "so_ban_sao": "3"}
    response = client.post("/procedures/1.001193/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    box = response.text.split('id="fee-due"', 1)[1].split("</section>", 1)[0]
    assert "24.000 đồng" in box and "3 bản" in box


def test_a_local_fee_must_count_an_integer_field_of_the_national_form() -> None:
    from form_schemas.local import override_problems

    fee = copy.deepcopy(PER_COPY) | {"amount": 9000, "quantity": "/applicant/phone"}
    bad = {"basis": {"number": "45/QĐ-UBND"}, "channels": {"online": {"fees": [fee]}}}
    problems = override_problems(bad, with_copies())
    assert [p.pointer for p in problems] == ["/channels/online/fees/0/quantity"]
    fee["quantity"] = "/so_ban_sao"
    assert override_problems(bad, with_copies()) == []
