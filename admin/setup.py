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
