"""Who may see a dossier: the applicant (this browser, after submitting or a phone lookup)
and reception staff (FAB roles Reception officer or Admin)."""

from __future__ import annotations

from flask import session
from flask_login import current_user

from admin.roles import ADMIN, RECEPTION_OFFICER

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
    """A logged-in back-office user with the Reception officer or Admin role."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    return any(role.name in STAFF_ROLES for role in getattr(current_user, "roles", ()))


def may_see(code: str) -> bool:
    return is_applicant(code) or is_reception_staff()
