"""Staff per office: who works where decides which dossiers a reception officer sees."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from admin.roles import DEMO_USERS, PROCEDURE_OFFICER, RECEPTION_OFFICER
from catalog.db import db
from catalog.models import AuditEvent
from catalog.services.offices import (
    assign_staff,
    create_office,
    office_staff,
    remove_staff,
    staff_offices,
)
from tests.backoffice_helpers import make_users

PROVINCE = "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị"
WARD = "Trung tâm Phục vụ hành chính công phường Đông Hà"


def _user_id(app: Flask, username: str) -> int:
    model = app.appbuilder.sm.user_model  # type: ignore[attr-defined]
    return db.session.scalar(select(model.id).where(model.username == username))


def _offices() -> tuple[int, int]:
    province = create_office(db.session, PROVINCE, parent_body="UBND TỈNH QUẢNG TRỊ", level="province",
                             province_code="44")
    ward = create_office(db.session, WARD, parent_body="UBND PHƯỜNG ĐÔNG HÀ", level="commune",
                         province_code="44", commune_code="19333")
    return province.id, ward.id


def test_assigning_staff_is_audited_and_idempotent(app: Flask) -> None:
    make_users(app)
    province, ward = _offices()
    reception = _user_id(app, DEMO_USERS[RECEPTION_OFFICER][0])
    assert staff_offices(db.session, reception) == []
    assert assign_staff(db.session, ward, reception, actor="admin") is True
    assert assign_staff(db.session, ward, reception, actor="admin") is False
    assert staff_offices(db.session, reception) == [ward]
    assert office_staff(db.session, province) == []
    assert remove_staff(db.session, ward, reception, actor="admin") is True
    assert remove_staff(db.session, ward, reception, actor="admin") is False
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["office_staff_add", "office_staff_remove"]


def test_my_offices_follows_the_signed_in_user(app: Flask) -> None:
    from flask_login import login_user

    from admin.staff import my_offices, works_at

    make_users(app)
    province, ward = _offices()
    sm = app.appbuilder.sm  # type: ignore[attr-defined]
    assign_staff(db.session, ward, _user_id(app, DEMO_USERS[RECEPTION_OFFICER][0]))
    with app.test_request_context("/"):
        assert my_offices() == []  # anonymous: nothing
        login_user(sm.find_user(username=DEMO_USERS[RECEPTION_OFFICER][0]))
        assert my_offices() == [ward]
        assert works_at(ward) and not works_at(province) and not works_at(None)
    with app.test_request_context("/"):
        login_user(sm.find_user(username=DEMO_USERS[PROCEDURE_OFFICER][0]))
        assert my_offices() == [] and not works_at(ward)
    with app.test_request_context("/"):
        login_user(sm.find_user(username="admin"))
        assert my_offices() is None and works_at(province) and works_at(None)


def test_office_staff_command(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    make_users(app)
    _, ward = _offices()
    added = runner("office", "staff", str(ward), "--add", "reception", "--add", "officer")
    assert added.exit_code == 0, added.output
    assert added.stdout.split() == ["officer", "reception"]  # by user id
    removed = runner("office", "staff", str(ward), "--remove", "officer")
    assert removed.exit_code == 0 and removed.stdout.split() == ["reception"]
    unknown = runner("office", "staff", str(ward), "--add", "nobody")
    assert unknown.exit_code == 1 and "Không có người dùng «nobody»" in unknown.stderr
    no_office = runner("office", "staff", "999", "--add", "reception")
    assert no_office.exit_code == 1 and "Không có bộ phận tiếp nhận số 999" in no_office.stderr


def test_demo_reception_officer_works_at_both_demo_offices(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    assert runner("demo").exit_code == 0
    reception = _user_id(app, DEMO_USERS[RECEPTION_OFFICER][0])
    assert len(staff_offices(db.session, reception)) == 2


def test_admin_adds_and_removes_staff_on_the_office_page(app: Flask) -> None:
    from tests.backoffice_helpers import client_for

    make_users(app)
    _, ward = _offices()
    admin = client_for(app, "Admin")
    page = admin.post(f"/admin/offices/{ward}/staff", data={"username": "reception", "action": "add"},
                      follow_redirects=True)
    assert "Đã thêm reception vào bộ phận." in page.text and "<code>reception</code>" in page.text
    assert staff_offices(db.session, _user_id(app, "reception")) == [ward]
    unknown = admin.post(f"/admin/offices/{ward}/staff", data={"username": "ai-do", "action": "add"},
                         follow_redirects=True)
    assert "Không có người dùng «ai-do»." in unknown.text
    admin.post(f"/admin/offices/{ward}/staff", data={"username": "reception", "action": "remove"})
    db.session.expire_all()
    assert staff_offices(db.session, _user_id(app, "reception")) == []
