"""Helpers every back-office view shares: who is acting, locale, assets, service errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash
from flask_babel import get_locale
from flask_login import current_user

from catalog.db import db
from catalog.models import Procedure, ProcedureVersion
from catalog.services.errors import ServiceError
from catalog.services.history import NotFound, latest_version, procedure_by_code, version_of
from form_schemas.formats import parse_dmy

# Templates (backoffice/*.html) and static files (/backoffice/static/…) of the back office.
assets = Blueprint("backoffice", __name__, template_folder="templates", static_folder="static",
                   static_url_path="/backoffice/static")

STATUS_LABELS = {
    "draft": "Bản nháp", "in_review": "Chờ duyệt", "published": "Đã công bố",
    "superseded": "Đã bị thay thế", "abolished": "Đã bãi bỏ",
}


def actor() -> str:
    """The signed-in user's login name, recorded as author/actor."""
    return str(current_user.username)


def locale() -> str:
    return str(get_locale() or "vi")


def can(permission: str, view: str) -> bool:
    """Whether the current user holds `permission` on `view` (for showing buttons)."""
    return bool(current_app.appbuilder.sm.has_access(permission, view))


def procedure_or_404(code: str) -> Procedure:
    try:
        return procedure_by_code(db.session, code)
    except NotFound:
        abort(404)


def version_or_404(procedure: Procedure, number: int) -> ProcedureVersion:
    try:
        return version_of(procedure, number)
    except NotFound:
        abort(404)


def editable_version(procedure: Procedure) -> ProcedureVersion | None:
    """The draft being edited, if the newest version is a draft."""
    version = latest_version(procedure)
    return version if version is not None and version.status.value == "draft" else None


def flash_service_error(exc: ServiceError) -> None:
    flash(exc.message(locale()), "danger")


def status_label(value: Any) -> str:
    key = getattr(value, "value", value)
    return STATUS_LABELS.get(str(key), str(key))


def int_arg(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def form_date(value: str | None) -> date | None:
    """A date from a form: yyyy-mm-dd (a date input) or dd/mm/yyyy typed by hand; None when
    empty or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return parse_dmy(value)
