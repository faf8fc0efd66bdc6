"""Local versions: a province or an office overrides facts of a published procedure for its
territory, through the workflow, resolved in one place into the procedure as it applies there."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from admin.roles import APPROVER, POSTING_OFFICER, PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import LocalStatus, Office
from catalog.services import (
    approve_and_publish,
    import_document,
    new_draft,
    save_draft,
    submit_for_review,
)
from catalog.services.errors import WorkflowError
from catalog.services.history import procedure_by_code
from catalog.services.local_versions import (
    InvalidOverrides,
    approve_local,
    local_versions,
    procedure_at,
    procedures_at,
    save_local_draft,
    send_back_local,
    stale_for_procedure,
    stale_local_versions,
    submit_local,
    withdraw_local,
)
from form_schemas.local import (
    apply_overrides,
    basis_citation,
    changed_under,
    overridden_pointers,
    override_problems,
)
from form_schemas.review import mark_at
from form_schemas.validation import check_procedure
from tests.backoffice_helpers import client_for, make_users, text
from tests.factories import document

CODE = "1.001612"
PROVINCE = "44"
RESOLUTION = {"number": "12/2025/NQ-HĐND", "title": "Nghị quyết quy định mức thu lệ phí đăng ký kinh doanh",
              "issuer": "HĐND tỉnh Quảng Trị", "issuedOn": "2025-07-10"}


def national() -> dict[str, Any]:
    """A commune procedure whose in-person fee is set by the provincial council (no amount)."""
    doc = document(CODE, title="Đăng ký thành lập hộ kinh doanh")
    facts = doc["x-procedure"]
    facts["channels"][0]["processingTime"] = {"value": 3, "unit": "working_days"}
    facts["channels"][0]["fees"] = [{"name": "Lệ phí đăng ký hộ kinh doanh", "kind": "charge",
                                     "basis": "set_by_province", "note": "Theo Thông tư số 85/2019/TT-BTC."}]
    facts["agencies"]["receivingAddress"] = "Bộ phận Một cửa cấp xã"
    facts["conditions"] = ["Người thành lập hộ kinh doanh có đủ năng lực hành vi dân sự."]
    facts["review"] = [{"pointer": "/x-procedure/channels/0/fees/0/basis", "kind": "to_check", "reason": "fee_set_by_province"}]
    return check_procedure(doc)


def province_layer() -> dict[str, Any]:
    return {"basis": RESOLUTION, "channels": {"in_person": {
        "processingTime": {"value": 2, "unit": "working_days"},
        "fees": [{"name": "Lệ phí đăng ký hộ kinh doanh", "kind": "charge", "amount": 100000}]}}}


def office_layer() -> dict[str, Any]:
    return {"basis": {"number": "45/QĐ-UBND", "issuer": "UBND phường Đông Hà", "issuedOn": "2025-08-01"},
            "agencies": {"receivingAddress": "Trung tâm Phục vụ hành chính công phường Đông Hà, 01 Hùng Vương"},
            "conditions": ["Mang theo bản chính Thẻ căn cước khi nhận kết quả."],
            "onlineService": {"level": 3}}


def make_office(session: Any, name: str, province: str | None) -> Office:
    """An office in a province (before offices carry a province code, the code is set on the object)."""
    office = Office(name=name, address="")
    session.add(office)
    session.commit()
    if province is not None:
        office.province_code = province  # a column once offices know their place on the map
    return office


# --- the format (pure) ------------------------------------------------------------------------

def test_a_province_fee_and_time_apply_and_the_result_is_a_valid_procedure() -> None:
    doc = national()
    applied = apply_overrides(doc, province_layer())
    check_procedure(applied)
    channel = applied["x-procedure"]["channels"][0]
    assert channel["fees"] == [{"name": "Lệ phí đăng ký hộ kinh doanh", "kind": "charge", "amount": 100000}]
    assert channel["processingTime"]["value"] == 2
    assert applied["x-procedure"]["channels"][1] is doc["x-procedure"]["channels"][1]  # copy-on-write
    assert doc["x-procedure"]["channels"][0]["fees"][0]["basis"] == "set_by_province"  # national untouched
    assert mark_at(applied, "/x-procedure/channels/0/fees/0/basis") is None  # the local fee is checked
    assert applied["x-procedure"]["legalBasis"][-1]["number"] == "12/2025/NQ-HĐND"


def test_an_office_layer_over_a_province_layer() -> None:
    applied = apply_overrides(national(), province_layer(), office_layer())
    check_procedure(applied)
    facts = applied["x-procedure"]
    assert facts["agencies"]["receivingAddress"].startswith("Trung tâm Phục vụ hành chính công phường Đông Hà")
    assert facts["conditions"] == ["Người thành lập hộ kinh doanh có đủ năng lực hành vi dân sự.",
                                   "Mang theo bản chính Thẻ căn cước khi nhận kết quả."]
    assert facts["onlineService"]["level"] == 3
    assert facts["channels"][0]["fees"][0]["amount"] == 100000
    later = {"basis": {"number": "46/QĐ-UBND"}, "channels": {"in_person": {"processingTime": {"value": 1, "unit": "working_days"}}}}
    assert apply_overrides(national(), province_layer(), later)["x-procedure"]["channels"][0]["processingTime"]["value"] == 1


def test_invalid_overrides_are_rejected_with_pointers() -> None:
    doc = national()
    bad = {"channels": {"postal": {"fees": [{"name": "Phí", "amount": -1}]}, "fax": {}},
           "agencies": {"competent": "UBND tỉnh"}, "onlineService": {"level": 5}}
    pointers = {p.pointer for p in override_problems(bad, doc)}
    assert {"", "/channels/fax", "/agencies/competent", "/onlineService/level",
            "/channels/postal/fees/0/amount"} <= pointers
    assert all(p.message_vi and p.message_en for p in override_problems(bad, doc))
    missing_channel = {"basis": {"number": "1/QĐ-UBND"}, "channels": {"postal": {"processingTime": {"value": 1, "unit": "days"}}}}
    assert [p.pointer for p in override_problems(missing_channel, doc)] == ["/channels/postal"]
    still_unknown = {"basis": {"number": "1/QĐ-UBND"}, "channels": {"in_person": {"fees": [
        {"name": "Lệ phí", "basis": "set_by_province"}]}}}
    assert [p.pointer for p in override_problems(still_unknown, doc)] == ["/channels/in_person/fees/0/basis"]
    assert [p.pointer for p in override_problems({"basis": {"number": "1/QĐ-UBND"}}, doc)] == [""]
    assert override_problems(province_layer(), doc) == []


def test_pointers_and_changes_under_overrides() -> None:
    doc = national()
    assert overridden_pointers(province_layer(), doc) == [
        "/x-procedure/channels/0/processingTime", "/x-procedure/channels/0/fees"]
    assert overridden_pointers(office_layer(), doc) == [
        "/x-procedure/agencies/receivingAddress", "/x-procedure/conditions", "/x-procedure/onlineService"]
    newer = copy.deepcopy(doc)
    newer["x-procedure"]["channels"][0]["processingTime"]["value"] = 5
    newer["x-procedure"]["channels"][1]["processingTime"]["value"] = 5  # not overridden
    assert changed_under(doc, newer, province_layer()) == ["/x-procedure/channels/0/processingTime"]
    assert changed_under(doc, newer, office_layer()) == []
    assert basis_citation(RESOLUTION) == "Theo Nghị quyết số 12/2025/NQ-HĐND ngày 10/07/2025 của HĐND tỉnh Quảng Trị"


# --- services, on SQLite and PostgreSQL -------------------------------------------------------

@pytest.fixture
def published(session: Any):  # type: ignore[no-untyped-def]
    import_document(session, national(), author="importer", publish=True)
    return procedure_by_code(session, CODE)


def _publish_local(session: Any, procedure: Any, overrides: dict[str, Any], **scope: Any):  # type: ignore[no-untyped-def]
    local = save_local_draft(session, procedure, overrides, actor="officer", **scope)
    submit_local(session, local, actor="officer")
    return approve_local(session, local, actor="approver")


def test_a_province_layer_applies_at_its_offices_and_not_elsewhere(session: Any, published: Any) -> None:
    here = make_office(session, "Trung tâm Phục vụ hành chính công phường Đông Hà", PROVINCE)
    elsewhere = make_office(session, "Trung tâm Phục vụ hành chính công phường Ba Đình", "01")
    _publish_local(session, published, province_layer(), province_code=PROVINCE)

    at_here = procedure_at(session, published, here)
    fee = at_here.document["x-procedure"]["channels"][0]["fees"][0]
    assert fee["amount"] == 100000 and "basis" not in fee
    assert at_here.document["x-procedure"]["channels"][0]["processingTime"]["value"] == 2
    source = at_here.local_at("/x-procedure/channels/0/fees/0/amount")
    assert source is not None and source.citation().startswith("Theo Nghị quyết số 12/2025/NQ-HĐND")
    assert [layer.scope_key for layer in at_here.layers] == ["province:44"]

    for office in (elsewhere, None):
        at_other = procedure_at(session, published, office)
        assert at_other.document["x-procedure"]["channels"][0]["fees"][0]["basis"] == "set_by_province"
        assert at_other.layers == () and at_other.local_at("/x-procedure/channels/0/fees") is None


def test_an_office_layer_wins_over_its_province_layer(session: Any, published: Any) -> None:
    office = make_office(session, "Trung tâm Phục vụ hành chính công phường Đông Hà", PROVINCE)
    _publish_local(session, published, province_layer(), province_code=PROVINCE)
    mine = office_layer() | {"channels": {"in_person": {"processingTime": {"value": 1, "unit": "working_days"}}}}
    _publish_local(session, published, mine, office_id=office.id)
    applied = procedure_at(session, published, office)
    channel = applied.document["x-procedure"]["channels"][0]
    assert channel["processingTime"]["value"] == 1 and channel["fees"][0]["amount"] == 100000
    assert [layer.scope_key for layer in applied.layers] == ["province:44", f"office:{office.id}"]
    assert applied.local_at("/x-procedure/channels/0/processingTime").basis["number"] == "45/QĐ-UBND"
    assert applied.local_at("/x-procedure/channels/0/fees").basis["number"] == "12/2025/NQ-HĐND"
    assert applied.local_at("/x-procedure/conditions/1") is not None
    assert applied.local_at("/x-procedure/conditions/0") is None
    check_procedure(applied.document)
    both = procedures_at(session, [published], office)
    assert both[published.id].document == applied.document


def test_workflow_self_approval_send_back_supersede_and_withdraw(session: Any, published: Any) -> None:
    local = save_local_draft(session, published, province_layer(), actor="officer", province_code=PROVINCE)
    assert (local.number, local.status, local.based_on_version_number) == (1, LocalStatus.draft, 1)
    with pytest.raises(WorkflowError):
        approve_local(session, local, actor="approver")  # not in review yet
    submit_local(session, local, actor="officer")
    with pytest.raises(WorkflowError, match="chính mình"):
        approve_local(session, local, actor="officer")
    with pytest.raises(WorkflowError):
        save_local_draft(session, published, province_layer(), actor="officer", province_code=PROVINCE)
    send_back_local(session, local, actor="approver", comment="Ghi rõ ngày ban hành nghị quyết")
    assert local.status == LocalStatus.draft and local.review_comment.startswith("Ghi rõ")
    same = save_local_draft(session, published, province_layer(), actor="officer", province_code=PROVINCE,
                            expected_lock=local.lock_version)
    assert same.id == local.id
    submit_local(session, local, actor="officer")
    approve_local(session, local, actor="approver")
    assert local.status == LocalStatus.published and local.published_by == "approver"

    second = _publish_local(session, published, province_layer() | {"conditions": ["Nộp bản sao có chứng thực."]},
                            province_code=PROVINCE)
    assert (second.number, local.status) == (2, LocalStatus.superseded)
    withdraw_local(session, second, actor="approver", reason="Nghị quyết hết hiệu lực")
    office = make_office(session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", PROVINCE)
    assert procedure_at(session, published, office).layers == ()
    from catalog.services.audit import audit_page

    actions = [row.action for row in audit_page(session, code=CODE).rows]
    for action in ("local_draft", "local_edit", "local_submit", "local_send_back", "local_publish",
                   "local_supersede", "local_withdraw"):
        assert action in actions, action


def test_a_local_version_makes_the_offices_posted_notice_stale_until_reposted(session: Any, published: Any) -> None:
    from catalog.services.postings import assign_procedures, record_posting, stale_notices, vn_today

    here = make_office(session, "Trung tâm Phục vụ hành chính công phường Đông Hà", PROVINCE)
    elsewhere = make_office(session, "Trung tâm Phục vụ hành chính công phường Ba Đình", "01")
    for office in (here, elsewhere):
        assign_procedures(session, office.id, CODE)
        record_posting(session, office.id, CODE, 1, vn_today(), "posting")

    def reasons(office: Office) -> list[str]:
        session.expire_all()
        return [notice.reason for notice in stale_notices(session, office.id)]

    assert reasons(here) == reasons(elsewhere) == []
    local = _publish_local(session, published, province_layer(), province_code=PROVINCE)
    # the board at Đông Hà shows the national fee "set by the province"; the province set it
    assert reasons(here) == ["local_change"] and reasons(elsewhere) == []
    [notice] = stale_notices(session, here.id)
    assert notice.reason_label() == "Quy định địa phương đã thay đổi" and notice.printable
    record_posting(session, here.id, CODE, 1, vn_today(), "posting")
    assert reasons(here) == []
    withdraw_local(session, local, actor="approver", reason="Nghị quyết hết hiệu lực")
    assert reasons(here) == ["local_change"]


def test_invalid_overrides_store_nothing(session: Any, published: Any) -> None:
    with pytest.raises(InvalidOverrides) as caught:
        save_local_draft(session, published, {"basis": {"number": "1/QĐ-UBND"},
                                              "channels": {"postal": {"processingTime": {"value": 1, "unit": "days"}}}},
                         actor="officer", province_code=PROVINCE)
    assert [p.pointer for p in caught.value.problems] == ["/channels/postal"]
    assert "Bưu chính" in caught.value.message_vi or "bưu chính" in caught.value.message_vi.lower()
    with pytest.raises(WorkflowError):
        save_local_draft(session, published, province_layer(), actor="officer", province_code="4")
    with pytest.raises(WorkflowError):
        save_local_draft(session, published, province_layer(), actor="officer")
    assert local_versions(session, published) == []


def test_the_decision_entered_at_approval_is_the_publication_decision(session: Any) -> None:
    import_document(session, national(), author="officer")
    procedure = procedure_by_code(session, CODE)
    submit_for_review(session, procedure, actor="officer")
    approve_and_publish(session, procedure, actor="approver", decision="201/QĐ-UBND", decision_date=date(2026, 3, 2))
    for office in (None, make_office(session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", PROVINCE)):
        publication = procedure_at(session, procedure, office).document["x-procedure"]["publication"]
        assert publication == {"decision": "201/QĐ-UBND", "date": "2026-03-02"}
    assert procedure.published_version.document["x-procedure"]["publication"]["decision"] == "163/QĐ-BTP"


def test_a_new_national_version_changing_an_overridden_fact_is_reported(session: Any, published: Any) -> None:
    office = make_office(session, "Trung tâm Phục vụ hành chính công phường Đông Hà", PROVINCE)
    _publish_local(session, published, province_layer(), province_code=PROVINCE)
    _publish_local(session, published, office_layer(), office_id=office.id)
    draft = new_draft(session, published, actor="officer")
    changed = copy.deepcopy(draft.document)
    changed["x-procedure"]["channels"][0]["processingTime"] = {"value": 4, "unit": "working_days"}
    changed["x-procedure"]["steps"] = [*changed["x-procedure"]["steps"], "Lưu hồ sơ"]
    save_draft(session, draft, changed, expected_lock=draft.lock_version, actor="officer")
    submit_for_review(session, published, actor="officer")
    approve_and_publish(session, published, actor="approver", decision="300/QĐ-UBND", decision_date=date(2026, 5, 4))

    stale = stale_local_versions(session, office)
    assert [(s.local_version.scope_key, s.based_on, s.current) for s in stale] == [("province:44", 1, 2)]
    assert [c.pointer for c in stale[0].changes] == ["/x-procedure/channels/0/processingTime"]
    assert stale[0].changes[0].label() == "Kênh Trực tiếp: thời hạn giải quyết"
    assert [s.local_version.scope_key for s in stale_local_versions(session, PROVINCE)] == ["province:44"]
    assert len(stale_for_procedure(session, published)) == 1
    # the override stays: the local time still applies on the new national version
    assert procedure_at(session, published, office).document["x-procedure"]["channels"][0]["processingTime"]["value"] == 2


def test_resolving_a_procedure_takes_few_queries(session: Any, published: Any) -> None:
    office = make_office(session, "Trung tâm Phục vụ hành chính công phường Đông Hà", PROVINCE)
    _publish_local(session, published, province_layer(), province_code=PROVINCE)
    _publish_local(session, published, office_layer(), office_id=office.id)
    procedure = procedure_by_code(session, CODE)
    procedure.published_version  # noqa: B018 — loaded as a page would have it
    statements: list[str] = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        applied = procedure_at(session, procedure, office)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(applied.layers) == 2
    assert len(statements) <= 2, statements
    assert applied.cache_key != procedure_at(session, procedure).cache_key


# --- back office ------------------------------------------------------------------------------

@pytest.fixture
def clients(app: Flask) -> dict[str, FlaskClient]:
    make_users(app)
    import_document(db.session, national(), author="importer", publish=True)
    return {role: client_for(app, role) for role in (PROCEDURE_OFFICER, APPROVER, POSTING_OFFICER)}


def _draft_form(**extra: str) -> dict[str, str]:
    return {"scope": "province", "province": PROVINCE, "basis_number": "12/2025/NQ-HĐND",
            "basis_issuer": "HĐND tỉnh Quảng Trị", "basis_issued_on": "10/07/2025",
            "time_in_person_value": "2", "time_in_person_unit": "working_days",
            "fee_in_person_0_amount": "100.000", **extra}


def test_officer_drafts_approver_publishes_a_province_version(app: Flask, clients: dict[str, FlaskClient]) -> None:
    officer, approver = clients[PROCEDURE_OFFICER], clients[APPROVER]
    overview = text(officer.get(f"/admin/procedures/{CODE}/"))
    assert "Phiên bản địa phương" in overview
    form = text(officer.get(f"/admin/local/{CODE}/edit?scope=province&province={PROVINCE}"))
    assert "Mức thu theo quy định của HĐND cấp tỉnh" in form and "Lệ phí đăng ký hộ kinh doanh" in form
    response = officer.post(f"/admin/local/{CODE}/edit", data=_draft_form(), follow_redirects=True)
    page = text(response)
    assert "Đã lưu bản nháp phiên bản địa phương 1" in page
    assert "Theo Nghị quyết số 12/2025/NQ-HĐND ngày 10/07/2025 của HĐND tỉnh Quảng Trị" in page
    assert "kênh Trực tiếp: phí, lệ phí" in page and "Lệ phí đăng ký hộ kinh doanh: 100.000 đồng" in page
    assert "kênh Trực tiếp: thời hạn giải quyết" in page
    local_id = int(response.request.path.rsplit("/", 1)[1])

    assert officer.post(f"/admin/local/{CODE}/{local_id}/approve").status_code == 403
    page = text(officer.post(f"/admin/local/{CODE}/{local_id}/submit", follow_redirects=True))
    assert "Đã trình duyệt phiên bản địa phương 1" in page
    page = text(approver.post(f"/admin/local/{CODE}/{local_id}/approve", follow_redirects=True))
    assert "Đã phê duyệt phiên bản địa phương 1" in page and "Đang áp dụng" in page

    office = make_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", PROVINCE)
    applied = procedure_at(db.session, procedure_by_code(db.session, CODE), office)
    assert applied.document["x-procedure"]["channels"][0]["fees"][0]["amount"] == 100000
    listing = text(approver.get(f"/admin/local/{CODE}/"))
    assert "Phiên bản địa phương 1" in listing and "12/2025/NQ-HĐND" in listing
    audit = text(officer.get(f"/admin/audit/?code={CODE}"))
    assert "Áp dụng phiên bản địa phương" in audit and "Trình duyệt phiên bản địa phương" in audit


def test_the_form_names_what_is_wrong_and_stores_nothing(app: Flask, clients: dict[str, FlaskClient]) -> None:
    officer = clients[PROCEDURE_OFFICER]
    response = officer.post(f"/admin/local/{CODE}/edit", data=_draft_form(basis_number="", fee_in_person_0_amount="",
                                                                            time_in_person_value=""))
    assert response.status_code == 422
    page = text(response)
    assert "/basis/number" in page and "không được để trống" in page
    page = text(officer.post(f"/admin/local/{CODE}/edit", data=_draft_form(fee_in_person_0_amount="",
                                                                         time_in_person_value="")))
    assert "thay ít nhất một thông tin" in page
    assert local_versions(db.session, procedure_by_code(db.session, CODE)) == []
    posting = clients[POSTING_OFFICER]
    assert posting.get(f"/admin/local/{CODE}/").status_code in (302, 403)


def test_self_approval_and_send_back_through_the_back_office(app: Flask, clients: dict[str, FlaskClient]) -> None:
    admin = client_for(app, "Admin")
    response = admin.post(f"/admin/local/{CODE}/edit", data=_draft_form(), follow_redirects=True)
    local_id = int(response.request.path.rsplit("/", 1)[1])
    admin.post(f"/admin/local/{CODE}/{local_id}/submit")
    page = text(admin.post(f"/admin/local/{CODE}/{local_id}/approve", follow_redirects=True))
    assert "không thể phê duyệt bản nháp do chính mình soạn" in page
    page = text(clients[APPROVER].post(f"/admin/local/{CODE}/{local_id}/send-back",
                                       data={"comment": "Thiếu ngày ban hành"}, follow_redirects=True))
    assert "Đã trả lại phiên bản địa phương 1" in page and "Thiếu ngày ban hành" in page


def test_the_back_office_lists_overrides_touched_by_a_newer_national_version(
        app: Flask, clients: dict[str, FlaskClient]) -> None:
    procedure = procedure_by_code(db.session, CODE)
    _publish_local(db.session, procedure, province_layer(), province_code=PROVINCE)
    draft = new_draft(db.session, procedure, actor="officer")
    changed = copy.deepcopy(draft.document)
    changed["x-procedure"]["channels"][0]["processingTime"] = {"value": 4, "unit": "working_days"}
    save_draft(db.session, draft, changed, expected_lock=draft.lock_version, actor="officer")
    submit_for_review(db.session, procedure, actor="officer")
    approve_and_publish(db.session, procedure, actor="approver", decision="300/QĐ-UBND", decision_date=date(2026, 5, 4))
    listing = text(clients[PROCEDURE_OFFICER].get(f"/admin/local/{CODE}/"))
    assert "Cần xem lại" in listing and "Kênh Trực tiếp: thời hạn giải quyết" in listing
    local_id = stale_for_procedure(db.session, procedure)[0].local_version.id
    page = text(clients[PROCEDURE_OFFICER].get(f"/admin/local/{CODE}/{local_id}"))
    assert "3 ngày làm việc" in page and "4 ngày làm việc" in page


def test_the_local_version_pages_speak_english_too(app: Flask, clients: dict[str, FlaskClient]) -> None:
    officer = clients[PROCEDURE_OFFICER]
    officer.get("/lang/en")
    page = text(officer.get(f"/admin/local/{CODE}/"))
    assert "Local versions" in page and "No local version yet" in page
    page = text(officer.post(f"/admin/local/{CODE}/edit", data=_draft_form(), follow_redirects=True))
    assert "Saved the draft of local version 1" in page and "Under Resolution No. 12/2025/NQ-HĐND" in page
