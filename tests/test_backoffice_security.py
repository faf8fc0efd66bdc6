"""CSRF on every form, secure session cookies, rate-limited login, hashed passwords, real roles."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from werkzeug.security import check_password_hash

from admin.permissions import role_grants
from admin.roles import DEMO_USERS, PROCEDURE_OFFICER, ROLES
from catalog.db import db
from tests.backoffice_helpers import make_users, text
from tests.conftest import build_app


def fresh_app(tmp_path: Path, sqlite_template: Path, **overrides: object) -> Flask:
    path = tmp_path / "security.db"
    shutil.copy(sqlite_template, path)
    return build_app(f"sqlite:///{path}", tmp_path, **overrides)


def test_forms_without_a_csrf_token_are_refused(tmp_path: Path, sqlite_template: Path) -> None:
    app = fresh_app(tmp_path, sqlite_template, WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_users(app)
    client = app.test_client()
    login_page = text(client.get("/login/"))
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    username, password = DEMO_USERS[PROCEDURE_OFFICER]
    assert client.post("/login/", data={"username": username, "password": password}).status_code == 400
    assert client.post("/login/", data={"username": username, "password": password,
                                        "csrf_token": token}).status_code == 302
    page = text(client.get("/admin/procedures/new"))
    assert 'name="csrf_token"' in page
    form = {"code": "TEST-001", "title": "Thử", "sector": "Hộ tịch", "competent": "UBND xã", "level": "commune",
            "online_level": "2"}
    assert client.post("/admin/procedures/new", data=form).status_code == 400
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/admin/procedures/new", data=form | {"csrf_token": token}).status_code == 302
    assert client.post("/admin/workflow/TEST-001/submit").status_code == 400
    # the token-authenticated API is not a browser form
    assert client.post("/api/v1/procedures/", json={}).status_code == 401


def test_session_cookies_are_secure_and_http_only_by_default() -> None:
    from admin.config import build_config

    config = build_config({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_SECURE"] and config["WTF_CSRF_ENABLED"]


def test_login_is_rate_limited(tmp_path: Path, sqlite_template: Path) -> None:
    app = fresh_app(tmp_path, sqlite_template, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per 5 minute")
    client = app.test_client()
    statuses = [client.post("/login/", data={"username": "nobody", "password": "wrong-password"}).status_code
                for _ in range(5)]
    assert statuses[:3] == [302, 302, 302]  # back to the login form with a message
    assert statuses[3:] == [429, 429]


def test_passwords_are_stored_hashed(app: Flask) -> None:
    make_users(app)
    username, password = DEMO_USERS[PROCEDURE_OFFICER]
    user = app.appbuilder.sm.find_user(username=username)
    assert password not in user.password
    assert check_password_hash(user.password, password)


def test_roles_hold_exactly_the_declared_permissions_as_database_rows(app: Flask) -> None:
    sm = app.appbuilder.sm
    for role_name, pairs in role_grants().items():
        role = sm.find_role(role_name)
        stored = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
        assert stored == pairs, role_name
    assert all(sm.find_role(name) is not None for name in ROLES)
    from flask_appbuilder.security.sqla.models import PermissionView

    names = [pv.permission.name for pv in db.session.query(PermissionView) if pv.permission]
    assert names and not any("|" in name for name in names)
    admin = sm.find_role("Admin")
    assert len(admin.permissions) >= len(set().union(*role_grants().values()))


def test_init_is_idempotent_and_removes_stale_grants(app: Flask) -> None:
    from admin.setup import grant_roles, init_database

    sm = app.appbuilder.sm
    role = sm.find_role(PROCEDURE_OFFICER)
    role.permissions.append(sm.find_permission_view_menu("can_list", "UserDBModelView"))
    db.session.commit()
    init_database()
    grant_roles()
    assert ("can_list", "UserDBModelView") not in {
        (pv.permission.name, pv.view_menu.name) for pv in sm.find_role(PROCEDURE_OFFICER).permissions}
