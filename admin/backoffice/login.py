"""Signing in to the back office: FAB's database login (same checks, limits and redirects) on a
page in the back office's frame and language (backoffice/login.html); FAB's user pages with
their times in Vietnam time."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.security.views import UserDBModelView as FabUserDBModelView
from flask_babel import lazy_gettext as _l

from catalog.calendar import VN_TIME


class LoginView(AuthDBView):
    """FAB's AuthDBView with our template and a Vietnamese-first refusal."""

    login_template = "backoffice/login.html"
    invalid_login_message = _l("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại.")
    title = _l("Đăng nhập")


def server_time(value: datetime | None) -> str:
    """FAB's own times (last login, created on) in Vietnam time: FAB writes them as the server's
    naive local time, not UTC like ours."""
    if value is None:
        return ""
    return value.astimezone(VN_TIME).strftime("%H:%M, %d/%m/%Y")


class UserDBModelView(FabUserDBModelView):
    """FAB's user pages with their times in Vietnam time (same name: same endpoints and
    permissions as FAB's)."""

    formatters_columns = {name: server_time for name in ("last_login", "created_on", "changed_on")}
