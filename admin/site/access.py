"""Who may see a dossier on the citizen site: the applicant (this browser, after submitting or a
phone lookup) and the staff of the dossier's office (FAB roles Reception officer or Admin; a
Reception officer only for the offices they work at, admin/staff.py `works_at`; Admin: all).
Files of a dossier follow the same rule: the assigned office's staff and the applicant."""

from __future__ import annotations

from flask import session
from flask_login import current_user
from sqlalchemy import select

from admin.roles import ADMIN, RECEPTION_OFFICER
from admin.staff import works_at
from catalog.db import db
from catalog.models import Dossier

SESSION_KEY = "site_dossiers"
REMEMBERED = 20
STAFF_ROLES = frozenset({ADMIN, RECEPTION_OFFICER})


def grant(code: str) -> None:
    """Remember in the browser session that this visitor may see dossier `code`."""
    codes = [c for c in session.get(SESSION_KEY, []) if c != code]
    session[SESSION_KEY] = [*codes, code][-REMEMBERED:]


def is_applicant(code: str) -> bool:
    return code in session.get(SESSION_KEY, [])


def is_reception_staff() -> bool:
    """A logged-in back-office user with the Reception officer or Admin role (of any office:
    whether they may see a given dossier is `is_office_staff`)."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    return any(role.name in STAFF_ROLES for role in getattr(current_user, "roles", ()))


def is_office_staff(code: str) -> bool:
    """Reception staff working at the office of dossier `code` (False for an unknown code)."""
    if not is_reception_staff():
        return False
    found = db.session.execute(select(Dossier.office_id).where(Dossier.code == code)).first()
    return found is not None and works_at(found[0])


def may_see(code: str) -> bool:
    return is_applicant(code) or is_office_staff(code)
