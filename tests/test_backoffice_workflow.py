"""Draft → in review → published → superseded / abolished, with history, diff and audit log."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.roles import APPROVER, POSTING_OFFICER, PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import VersionStatus
from catalog.services import import_document
from catalog.services.history import procedure_by_code
from tests.backoffice_helpers import client_for, lock_of, make_users, text
from tests.factories import document

CODE = "1.001193"


@pytest.fixture
def clients(app: Flask) -> dict[str, FlaskClient]:
    make_users(app)
    import_document(db.session, document(CODE), author="officer")
    return {role: client_for(app, role) for role in (PROCEDURE_OFFICER, APPROVER, POSTING_OFFICER)}


def procedure():  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return procedure_by_code(db.session, CODE)


def approve(client: FlaskClient, decision: str = "12/QĐ-UBND") -> str:
    response = client.post(f"/admin/workflow/{CODE}/approve", data={
        "decision": decision, "decision_date": "2026-03-01", "effective_from": "2026-03-15"},
        follow_redirects=True)
    return text(response)


def test_submit_approve_publish_then_amend_and_supersede(clients: dict[str, FlaskClient]) -> None:
    officer, approver = clients[PROCEDURE_OFFICER], clients[APPROVER]
    assert "Trình duyệt" in text(officer.get(f"/admin/procedures/{CODE}/"))
    page = text(officer.post(f"/admin/workflow/{CODE}/submit", follow_redirects=True))
    assert "Đã trình duyệt phiên bản 1" in page
    assert procedure().versions[0].status == VersionStatus.in_review

    overview = text(approver.get(f"/admin/procedures/{CODE}/"))
    assert "Phê duyệt và công bố" in overview and "Trả lại" in overview
    assert "Đã công bố phiên bản 1" in approve(approver)
    version = procedure().published_version
    assert (version.number, version.decision_number, str(version.decision_date), str(version.effective_from)) == (
        1, "12/QĐ-UBND", "2026-03-01", "2026-03-15")

    officer.post(f"/admin/workflow/{CODE}/draft")
    page = text(officer.get(f"/admin/editor/{CODE}/json"))
    changed = document(CODE)
    changed["x-procedure"]["channels"][1]["fees"][0]["amount"] = 15000
    assert officer.post(f"/admin/editor/{CODE}/json", data={"lock": lock_of(page), "document": json.dumps(changed)}).status_code == 302
    officer.post(f"/admin/workflow/{CODE}/submit")
    approve(approver, "13/QĐ-UBND")
    versions = procedure().versions
    assert [v.status for v in versions] == [VersionStatus.superseded, VersionStatus.published]

    diff = text(officer.get(f"/admin/history/{CODE}/diff?a=1&b=2"))
    assert "kênh Trực tuyến: phí, lệ phí" in diff and "15.000 đồng" in diff and "15000" not in diff
    audit = text(officer.get(f"/admin/audit/?code={CODE}"))
    for label in ("Nhập tài liệu", "Trình duyệt", "Công bố", "Bị thay thế", "Mở bản nháp mới", "Sửa bản nháp"):
        assert label in audit, label


def test_nobody_approves_their_own_draft(app: Flask, clients: dict[str, FlaskClient]) -> None:
    admin = client_for(app, "Admin")
    page = text(admin.get(f"/admin/editor/{CODE}/json"))
    edited = document(CODE) | {"description": "Quản trị viên sửa"}
    admin.post(f"/admin/editor/{CODE}/json", data={"lock": lock_of(page), "document": json.dumps(edited)})
    admin.post(f"/admin/workflow/{CODE}/submit")
    assert "không thể phê duyệt bản nháp do chính mình soạn" in approve(admin)
    assert procedure().published_version is None


def test_send_back_needs_a_comment_which_the_officer_then_reads(clients: dict[str, FlaskClient]) -> None:
    officer, approver = clients[PROCEDURE_OFFICER], clients[APPROVER]
    officer.post(f"/admin/workflow/{CODE}/submit")
    refused = text(approver.post(f"/admin/workflow/{CODE}/send-back", data={"comment": " "}, follow_redirects=True))
    assert "Hãy ghi lý do trả lại" in refused
    approver.post(f"/admin/workflow/{CODE}/send-back", data={"comment": "Thiếu lệ phí bưu chính"})
    assert procedure().versions[0].status == VersionStatus.draft
    assert "Thiếu lệ phí bưu chính" in text(officer.get(f"/admin/procedures/{CODE}/"))


def test_abolish_with_reason_ends_the_published_version(clients: dict[str, FlaskClient]) -> None:
    officer, approver = clients[PROCEDURE_OFFICER], clients[APPROVER]
    officer.post(f"/admin/workflow/{CODE}/submit")
    approve(approver)
    approver.post(f"/admin/workflow/{CODE}/abolish", data={"reason": "Bãi bỏ theo Quyết định 99/QĐ-UBND"})
    current = procedure()
    assert current.published_version is None and current.status == VersionStatus.abolished
    assert current.versions[0].abolished_reason == "Bãi bỏ theo Quyết định 99/QĐ-UBND"
    assert "Bãi bỏ theo Quyết định 99/QĐ-UBND" in text(officer.get(f"/admin/procedures/{CODE}/"))


def test_posting_officer_sees_published_versions_only(clients: dict[str, FlaskClient]) -> None:
    posting = clients[POSTING_OFFICER]
    assert CODE not in text(posting.get("/admin/procedures/"))
    assert posting.get(f"/admin/procedures/{CODE}/").status_code == 404
    clients[PROCEDURE_OFFICER].post(f"/admin/workflow/{CODE}/submit")
    approve(clients[APPROVER])
    assert CODE in text(posting.get("/admin/procedures/"))
    page = text(posting.get(f"/admin/procedures/{CODE}/"))
    assert "Trình duyệt" not in page and "Phê duyệt" not in page
    assert posting.get(f"/admin/history/{CODE}/v/1").status_code == 200
    assert posting.post(f"/admin/workflow/{CODE}/draft").status_code == 403


def test_list_filters_by_status_and_sector_and_searches_without_accents(clients: dict[str, FlaskClient]) -> None:
    officer = clients[PROCEDURE_OFFICER]
    import_document(db.session, document("2.000815", title="Chứng thực bản sao từ bản chính"), author="x")
    assert "2.000815" in text(officer.get("/admin/procedures/?q=chung thuc ban sao"))
    assert CODE not in text(officer.get("/admin/procedures/?q=chung thuc ban sao"))
    assert "2.000815" in text(officer.get("/admin/procedures/?status=draft"))
    assert "2.000815" not in text(officer.get("/admin/procedures/?status=published"))


def test_back_office_speaks_english_when_asked(clients: dict[str, FlaskClient]) -> None:
    officer = clients[PROCEDURE_OFFICER]
    officer.get("/lang/en")
    page = text(officer.get(f"/admin/procedures/{CODE}/"))
    assert "Version history" in page
    assert "Submit for review" in page
    assert ">Draft<" in page
    assert "Lịch sử phiên bản" not in page


def test_a_decision_date_typed_by_hand_is_read(clients: dict[str, FlaskClient]) -> None:
    clients[PROCEDURE_OFFICER].post(f"/admin/workflow/{CODE}/submit")
    page = text(clients[APPROVER].post(f"/admin/workflow/{CODE}/approve", data={
        "decision": "12/QĐ-UBND", "decision_date": "01/03/2026"}, follow_redirects=True))
    assert "Đã công bố phiên bản 1" in page
    assert str(procedure().published_version.decision_date) == "2026-03-01"
    assert "Hãy nhập ngày quyết định công bố" in text(clients[APPROVER].post(
        f"/admin/workflow/{CODE}/approve", data={"decision": "x", "decision_date": "31/02/2026"},
        follow_redirects=True))


def test_the_approver_comments_on_a_change_and_sees_both_citizen_forms(clients: dict[str, FlaskClient]) -> None:
    officer, approver = clients[PROCEDURE_OFFICER], clients[APPROVER]
    officer.post(f"/admin/workflow/{CODE}/submit")
    approve(approver)
    officer.post(f"/admin/workflow/{CODE}/draft")
    page = text(officer.get(f"/admin/editor/{CODE}/json"))
    changed = document(CODE)
    changed["x-procedure"]["channels"][1]["fees"][0]["amount"] = 15000
    changed["properties"]["applicant"]["properties"]["phone"]["title"] = "Số điện thoại di động"
    officer.post(f"/admin/editor/{CODE}/json", data={"lock": lock_of(page), "document": json.dumps(changed)})
    officer.post(f"/admin/workflow/{CODE}/submit")

    diff = text(approver.get(f"/admin/history/{CODE}/diff?a=1&b=2"))
    changes = re.findall(r'name="change" value="([^"]+)"', diff)
    fee = next(c for c in changes if "15.000 đồng" in c)
    assert 'name="note"' in diff and "Ý kiến chung khi trả lại" in diff
    frames = re.findall(r'<iframe[^>]*src="([^"]+)"', diff)
    assert frames == [f"/admin/history/{CODE}/v/1/form", f"/admin/history/{CODE}/v/2/form"]
    second = approver.get(frames[1])
    assert second.status_code == 200 and second.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in second.headers["Content-Security-Policy"]
    assert "Số điện thoại di động" in text(second) and "site.css" in text(second)
    assert "Số điện thoại di động" not in text(approver.get(frames[0]))
    assert "frame-ancestors 'none'" in approver.get(f"/admin/history/{CODE}/diff").headers["Content-Security-Policy"]

    notes = ["Mức phí này theo văn bản nào?" if c == fee else "" for c in changes]
    approver.post(f"/admin/workflow/{CODE}/send-back", data={"comment": "", "change": changes, "note": notes})
    assert procedure().versions[-1].status == VersionStatus.draft
    shown = text(officer.get(f"/admin/procedures/{CODE}/"))
    assert f"• {fee}: Mức phí này theo văn bản nào?" in shown.replace("&#34;", '"')
    assert "Số điện thoại di động" not in shown.split("Ý kiến khi trả lại")[1][:300]  # uncommented changes not listed
    # the officer (not an approver) reads the diff without the comment boxes
    assert 'name="note"' not in text(officer.get(f"/admin/history/{CODE}/diff?a=1&b=2"))
