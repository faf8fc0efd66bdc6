"""Back-office roles. Their permissions are declared in `FAB_ROLES` (see admin.permissions)."""

from __future__ import annotations

ADMIN = "Admin"
PROCEDURE_OFFICER = "Procedure officer"
APPROVER = "Approver"
POSTING_OFFICER = "Posting officer"
RECEPTION_OFFICER = "Reception officer"

ROLES = (ADMIN, PROCEDURE_OFFICER, APPROVER, POSTING_OFFICER, RECEPTION_OFFICER)

# One demo login per role, created by `motcua demo` (printed by `make run`).
DEMO_USERS = {
    ADMIN: ("admin", "admin-demo-2026"),
    PROCEDURE_OFFICER: ("officer", "officer-demo-2026"),
    APPROVER: ("approver", "approver-demo-2026"),
    POSTING_OFFICER: ("posting", "posting-demo-2026"),
    RECEPTION_OFFICER: ("reception", "reception-demo-2026"),
}
