"""Database set-up shared by the CLI and the tests: schema, permissions, roles, users."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder.security.manager import BaseSecurityManager

from admin.permissions import role_grants
from admin.roles import ROLES
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


DEMO_OFFICE = "Bộ phận Một cửa UBND phường Bến Nghé"


def create_demo_office() -> None:
    """The demo one-stop shop (once): every sample procedure on its list, every other one
    posted a month ago at version 1, so the posting pages have something to show."""
    from datetime import timedelta

    from sqlalchemy import select

    from catalog.models import Office, Procedure
    from catalog.samples import load_samples
    from catalog.services.errors import ServiceError
    from catalog.services.postings import assign_procedures, create_office, record_posting, vn_today

    if db.session.scalar(select(Office.id).where(Office.name == DEMO_OFFICE)) is not None:
        return
    codes = list(db.session.scalars(select(Procedure.code).where(Procedure.code.in_(load_samples()))))
    office = create_office(db.session, DEMO_OFFICE, "29 Lê Duẩn, phường Bến Nghé, TP. Hồ Chí Minh",
                           "UBND phường Bến Nghé, 29 Lê Duẩn; Cổng Dịch vụ công quốc gia")
    if not codes:
        return
    assign_procedures(db.session, office.id, codes)
    for code in sorted(codes)[::2]:
        try:
            record_posting(db.session, office.id, code, 1, vn_today() - timedelta(days=30), "demo")
        except ServiceError:  # version 1 never published: nothing to record
            db.session.rollback()
