"""Database set-up shared by the CLI and the tests: schema, permissions, roles, users."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder.security.manager import BaseSecurityManager

from admin.permissions import role_grants
from admin.roles import DEMO_USERS, RECEPTION_OFFICER, ROLES
from catalog.db import db
from catalog.schema import upgrade


def init_database() -> None:
    """Create or upgrade the schema, then the permissions and roles (idempotent)."""
    upgrade(db.engine)
    appbuilder = current_app.appbuilder
    BaseSecurityManager.create_db(appbuilder.sm)  # the Admin and Public roles
    appbuilder.add_permissions(update_perms=True)  # every view's permissions, all given to Admin
    for role in ROLES:
        if appbuilder.sm.find_role(role) is None:
            appbuilder.sm.add_role(role)
    grant_roles()
    db.session.commit()


def grant_roles() -> None:
    """Give each role exactly the permissions admin.permissions declares (stale ones removed)."""
    sm = current_app.appbuilder.sm
    missing: list[str] = []
    for role_name, pairs in role_grants().items():
        role = sm.find_role(role_name) or sm.add_role(role_name)
        wanted = []
        for permission, view in sorted(pairs):
            found = sm.find_permission_view_menu(permission, view)
            if found is None:
                missing.append(f"{role_name}: {permission} on {view}")
            else:
                wanted.append(found)
        role.permissions = wanted
    if missing:
        raise RuntimeError("Permissions granted to roles but offered by no view: " + "; ".join(missing))
    db.session.commit()


def create_user(username: str, role: str, password: str, *, first_name: str = "", last_name: str = "",
                email: str | None = None) -> str | None:
    """Add a back-office user; returns an error message (Vietnamese) or None."""
    sm = current_app.appbuilder.sm
    found = sm.find_role(role)
    if found is None:
        return f"Không có vai trò «{role}». Các vai trò: {', '.join(ROLES)}."
    if sm.find_user(username=username) is not None:
        return f"Người dùng «{username}» đã tồn tại."
    if len(password) < 8:
        return "Mật khẩu cần ít nhất 8 ký tự."
    user = sm.add_user(
        username=username, first_name=first_name or username, last_name=last_name or role,
        email=email or f"{username}@motcua.local", role=found, password=password,
    )
    return None if user else f"Không tạo được người dùng «{username}»."


DEMO_PROVINCE_OFFICE = "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị"
DEMO_COMMUNE_OFFICE = "Trung tâm Phục vụ hành chính công phường Đông Hà"
DEMO_OFFICE = DEMO_COMMUNE_OFFICE
"""The demo office whose notices are half posted."""

# Clearly made-up contacts: "(địa chỉ mẫu)" addresses, 0233 3000 0xx numbers, .example e-mail.
DEMO_OFFICES: list[dict[str, Any]] = [
    {"name": DEMO_PROVINCE_OFFICE, "parent_body": "UBND TỈNH QUẢNG TRỊ", "level": "province",
     "province_code": "44", "address": "Số 1 đường Mẫu, phường Đông Hà, tỉnh Quảng Trị (địa chỉ mẫu)",
     "phone": "0233 3000 001", "hotline": "0233 3000 002", "email": "tiepnhan.tinh@quangtri.example",
     "complaints_address": "Văn phòng UBND tỉnh Quảng Trị, Số 1 đường Mẫu, phường Đông Hà (địa chỉ mẫu); "
                           "Cổng Dịch vụ công quốc gia",
     "saturday_morning": True, "levels": ["province"]},
    {"name": DEMO_COMMUNE_OFFICE, "parent_body": "UBND PHƯỜNG ĐÔNG HÀ", "level": "commune",
     "province_code": "44", "commune_code": "19333",
     "address": "Số 2 đường Mẫu, phường Đông Hà, tỉnh Quảng Trị (địa chỉ mẫu)",
     "phone": "0233 3000 011", "hotline": "0233 3000 012", "email": "tiepnhan.dongha@quangtri.example",
     "complaints_address": "UBND phường Đông Hà, Số 2 đường Mẫu (địa chỉ mẫu); Cổng Dịch vụ công quốc gia",
     "saturday_morning": False, "levels": ["commune"]},
]


def appbuilder_user(username: str) -> int | None:
    """The id of the back-office user `username`, None when there is none."""
    from sqlalchemy import select

    model = current_app.appbuilder.sm.user_model
    return db.session.scalar(select(model.id).where(model.username == username))


def create_demo_office() -> None:
    """The two demo offices in Quảng Trị (once each): the province centre, open on Saturday
    mornings, receiving the province-level sample procedures, and the Đông Hà ward centre
    receiving the commune-level ones, every other one of which was posted a month ago at
    version 1, so the posting pages have something to show."""
    from datetime import timedelta

    from sqlalchemy import select

    from catalog.models import Office
    from catalog.services.errors import ServiceError
    from catalog.services.offices import (
        RuleSpec,
        assign_staff,
        create_office,
        office_procedures,
        set_rules,
    )
    from catalog.services.postings import record_posting, vn_today

    for spec in DEMO_OFFICES:
        values = dict(spec)
        name = str(values.pop("name"))
        levels = values.pop("levels")
        if db.session.scalar(select(Office.id).where(Office.name == name)) is not None:
            continue
        office = create_office(db.session, name, actor="demo", **values)
        set_rules(db.session, office.id, [RuleSpec(level=str(level)) for level in levels], actor="demo")
        reception = appbuilder_user(DEMO_USERS[RECEPTION_OFFICER][0])
        if reception is not None:  # the demo reception officer works at both demo offices
            assign_staff(db.session, office.id, reception, actor="demo")
        if name != DEMO_OFFICE:
            continue
        for procedure in office_procedures(db.session, office)[::2]:
            try:
                record_posting(db.session, office.id, procedure.code, 1, vn_today() - timedelta(days=30), "demo")
            except ServiceError:  # version 1 never published: nothing to record
                db.session.rollback()
