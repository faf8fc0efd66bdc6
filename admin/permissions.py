"""What each back-office role may do: one declarative table of (permission, view) grants.

`motcua init` (admin.setup.init_database) writes these as real Flask-AppBuilder
role → permission-view rows, so the Security › Roles screens show the truth and FAB never
stores regex pairs as literal permission names. The Admin role gets every permission (FAB
adds each new permission to it); the Public role is what anonymous visitors may do.
"""

from __future__ import annotations

from admin.roles import APPROVER, POSTING_OFFICER, PROCEDURE_OFFICER, RECEPTION_OFFICER

PUBLIC = "Public"

# View (FAB class_permission_name or menu name) -> permissions, per concern.
Grants = dict[str, tuple[str, ...]]

PERSONAL: Grants = {
    "UserDBModelView": ("can_userinfo",),
    "ResetMyPasswordView": ("can_this_form_get", "can_this_form_post"),
    "UserInfoEditView": ("can_this_form_get", "can_this_form_post"),
}
READ_CATALOGUE: Grants = {
    "Procedures": ("can_list", "can_show"),
    "History": ("can_read",),
    "ImportExport": ("can_export",),
    "Catalogue": ("menu_access",),
    "Procedure list": ("menu_access",),
    "Import and export": ("menu_access",),
}
API_KEYS: Grants = {"ApiKeys": ("can_manage",), "API keys": ("menu_access",)}
AUDIT: Grants = {"AuditLog": ("can_list",), "Audit log": ("menu_access",)}
REVIEW_QUEUE: Grants = {"ReviewQueue": ("can_read", "can_confirm"), "Facts to check": ("menu_access",)}
# the reports' figures (page, CSV and API): reception officers and approvers (their offices)
FIGURES: Grants = {"Figures": ("can_read",), "Figures menu": ("menu_access",), "FiguresApi": ("can_read",)}
POSTING: Grants = {"Postings": ("can_read", "can_record", "can_manage"), "Public posting": ("menu_access",)}

ROLE_GRANTS: dict[str, list[Grants]] = {
    PROCEDURE_OFFICER: [PERSONAL, READ_CATALOGUE, API_KEYS, AUDIT, REVIEW_QUEUE, {
        "Procedures": ("can_create",),
        "ProcedureEditor": ("can_read", "can_edit"),
        "Workflow": ("can_draft", "can_submit"),
        "ImportExport": ("can_import",),
        "ProcedureApi": ("can_import", "can_read_drafts"),
        "LocalVersions": ("can_read", "can_edit", "can_submit"),
        "LibraryBlocks": ("can_insert",),  # saving and deleting library blocks: Admin only
    }],
    APPROVER: [PERSONAL, READ_CATALOGUE, API_KEYS, AUDIT, {
        "ProcedureEditor": ("can_read",),
        "Workflow": ("can_review", "can_abolish"),
        "ProcedureApi": ("can_read_drafts",),
        "LocalVersions": ("can_read", "can_review", "can_withdraw"),
    }, FIGURES],
    POSTING_OFFICER: [PERSONAL, READ_CATALOGUE, POSTING],
    RECEPTION_OFFICER: [PERSONAL, API_KEYS, {
        "Procedures": ("can_list", "can_show"),
        "Catalogue": ("menu_access",),
        "Procedure list": ("menu_access",),
        "ProcedureApi": ("can_list_dossiers",),
        "Desk": ("can_read", "can_act"), "Reception desk": ("menu_access",),
        "Counter": ("can_read", "can_receive"), "Counter reception": ("menu_access",),
    }, FIGURES],
    PUBLIC: [{"OpenApi": ("can_get",)}],
}


def role_grants() -> dict[str, set[tuple[str, str]]]:
    """Every role's grants as (permission, view) pairs (Admin is absent: it has them all)."""
    result: dict[str, set[tuple[str, str]]] = {}
    for role, tables in ROLE_GRANTS.items():
        pairs = result.setdefault(role, set())
        for table in tables:
            for view, permissions in table.items():
                pairs.update((permission, view) for permission in permissions)
    return result

