"""Which offices the signed-in back-office user works at: the one answer every desk page, the
citizen site's staff view of a dossier, the figures and the API use.

Admin works at every office (`None`); any other user at the offices they are staff of
(catalog.models.OfficeStaff, set on the office's page or with `motcua office staff`); a user
of none sees no dossier at all.
"""

from __future__ import annotations

from flask_login import current_user

from admin.roles import ADMIN
from catalog.db import db
from catalog.services.offices import staff_offices


def is_admin() -> bool:
    return bool(getattr(current_user, "is_authenticated", False)) and any(
        role.name == ADMIN for role in getattr(current_user, "roles", ()))


def my_offices() -> list[int] | None:
    """The ids of the current user's offices; None for Admin (every office); [] when anonymous."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    if is_admin():
        return None
    return staff_offices(db.session, int(current_user.id))


def works_at(office_id: int | None) -> bool:
    """Whether the current user may see and act on a dossier of `office_id` (a dossier with no
    office: Admin only)."""
    offices = my_offices()
    if offices is None:
        return True
    return office_id is not None and office_id in offices
