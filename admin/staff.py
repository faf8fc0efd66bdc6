"""Which offices the signed-in back-office user works at: the one answer every desk page, the
citizen site's staff view of a dossier, the figures and the API use.

Admin works at every office (`None`); any other user at the offices they are staff of
(catalog.models.OfficeStaff, set on the office's page or with `motcua office staff`); a user
of none sees no dossier at all. `offices_of` is that rule for any user; `my_offices` applies it
to the signed-in user, `caller_offices` to the REST API's caller (a session, an API key or a JWT).
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_jwt_extended import current_user as jwt_user
from flask_login import current_user

from admin.roles import ADMIN
from catalog.db import db
from catalog.services.offices import staff_offices


def _admin(user: Any) -> bool:
    return any(role.name == ADMIN for role in getattr(user, "roles", ()))


def is_admin() -> bool:
    return bool(getattr(current_user, "is_authenticated", False)) and _admin(current_user)


def offices_of(user: Any) -> list[int] | None:
    """The ids of `user`'s offices; None for Admin (every office); [] for no user."""
    if user is None or not getattr(user, "id", None):
        return []
    if _admin(user):
        return None
    return staff_offices(db.session, int(user.id))


def my_offices() -> list[int] | None:
    """The ids of the current user's offices; None for Admin (every office); [] when anonymous."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    return offices_of(current_user)


def caller_offices() -> list[int] | None:
    """my_offices() for the REST API's caller: the session's user, else the API key's (g.user),
    else the JWT's (Flask-Login knows only the first)."""
    if getattr(current_user, "is_authenticated", False):
        return my_offices()
    return offices_of(getattr(g, "user", None) or jwt_user)


def works_at(office_id: int | None) -> bool:
    """Whether the current user may see and act on a dossier of `office_id` (a dossier with no
    office: Admin only)."""
    offices = my_offices()
    if offices is None:
        return True
    return office_id is not None and office_id in offices
