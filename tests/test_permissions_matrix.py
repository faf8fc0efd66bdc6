"""Every back-office URL and API endpoint × every role × anonymous: allowed or refused, no gaps.

Refused means 403, 401, or a redirect to the login page. Every endpoint of `app.url_map` (except
the public citizen site `site.*`, static files and health checks) must have an expectation
here: a new endpoint without one fails the test until someone decides who may use it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from admin.roles import ADMIN, APPROVER, POSTING_OFFICER, PROCEDURE_OFFICER, RECEPTION_OFFICER
from catalog.db import db
from catalog.services import import_document
from tests.backoffice_helpers import client_for, make_users
from tests.factories import document

ANONYMOUS = "anonymous"
STAFF = frozenset({ADMIN, PROCEDURE_OFFICER, APPROVER, POSTING_OFFICER, RECEPTION_OFFICER})
EVERYONE = STAFF | {ANONYMOUS}
ONLY_ADMIN = frozenset({ADMIN})
READERS = frozenset({ADMIN, PROCEDURE_OFFICER, APPROVER, POSTING_OFFICER})
EDITORS = frozenset({ADMIN, PROCEDURE_OFFICER})
REVIEWERS = frozenset({ADMIN, PROCEDURE_OFFICER, APPROVER})
APPROVERS = frozenset({ADMIN, APPROVER})
KEY_HOLDERS = frozenset({ADMIN, PROCEDURE_OFFICER, APPROVER, RECEPTION_OFFICER})
POSTERS = frozenset({ADMIN, POSTING_OFFICER})
DESK = frozenset({ADMIN, RECEPTION_OFFICER})
NOBODY: frozenset[str] = frozenset()
NOBODY_BY_SESSION = NOBODY  # needs a JWT or an API key (tests/test_api_*)

EXPECTED: dict[str, frozenset[str]] = {
    # Flask-AppBuilder's own pages
    "BackOfficeIndexView.index": STAFF,  # the officer's work at /admin/ (/ is the citizen site); signed out: the login page
    "UtilView.back": EVERYONE,
    "LocaleView.index": EVERYONE,
    "LoginView.login": EVERYONE,
    "LoginView.logout": EVERYONE,
    "SecurityApi.login": EVERYONE,
    "SecurityApi.refresh": NOBODY_BY_SESSION,
    "OpenApi.get": EVERYONE,
    "SwaggerView.show": ONLY_ADMIN,
    "UserDBModelView.userinfo": STAFF,
    "ResetMyPasswordView.this_form_get": STAFF,
    "ResetMyPasswordView.this_form_post": STAFF,
    "UserInfoEditView.this_form_get": STAFF,
    "UserInfoEditView.this_form_post": STAFF,
    "ResetPasswordView.*": ONLY_ADMIN,
    "UserDBModelView.*": ONLY_ADMIN,
    "UserGroupModelView.*": ONLY_ADMIN,
    "RoleModelView.*": ONLY_ADMIN,
    # permissions, view menus and their pairs are read-only lists, even for the Admin
    **{f"{view}.{endpoint}": ONLY_ADMIN for view in ("PermissionModelView", "ViewMenuModelView",
                                                     "PermissionViewModelView")
       for endpoint in ("list", "action", "action_post")},
    "PermissionModelView.*": NOBODY,
    "ViewMenuModelView.*": NOBODY,
    "PermissionViewModelView.*": NOBODY,
    "UserStatsChartView.*": ONLY_ADMIN,
    # procedures
    "ProceduresView.list": STAFF,
    "ProceduresView.show": STAFF,
    "ProceduresView.new": EDITORS,
    "EditorView.facts": REVIEWERS,
    "EditorView.form": REVIEWERS,
    "EditorView.json": REVIEWERS,
    "EditorView.preview": REVIEWERS,
    "EditorView.preview_try": REVIEWERS,
    "EditorView.preview_citizen": REVIEWERS,
    "EditorView.preview_paper": REVIEWERS,
    "EditorView.preview_notice": REVIEWERS,
    "EditorView.preview_font": REVIEWERS,
    "EditorView.facts_save": EDITORS,
    "EditorView.form_add": EDITORS,
    "EditorView.form_update": EDITORS,
    "EditorView.form_move": EDITORS,
    "EditorView.form_nest": EDITORS,
    "EditorView.form_delete": EDITORS,
    "EditorView.form_label": EDITORS,
    "EditorView.form_duplicate": EDITORS,
    "EditorView.form_undo": EDITORS,
    "EditorView.json_save": EDITORS,
    "WorkflowView.new_draft": EDITORS,
    "WorkflowView.submit": EDITORS,
    "WorkflowView.send_back": APPROVERS,
    "WorkflowView.approve": APPROVERS,
    "WorkflowView.abolish": APPROVERS,
    "LocalVersionsView.list": REVIEWERS,
    "LocalVersionsView.show": REVIEWERS,
    "LocalVersionsView.edit": EDITORS,
    "LocalVersionsView.submit": EDITORS,
    "LocalVersionsView.send_back": APPROVERS,
    "LocalVersionsView.approve": APPROVERS,
    "LocalVersionsView.withdraw": APPROVERS,
    "BlocksView.library": EDITORS,
    "BlocksView.insert": EDITORS,
    "BlocksView.detach": EDITORS,
    "BlocksView.copy_form": EDITORS,
    "SavedBlocksView.saved": ONLY_ADMIN,
    "SavedBlocksView.save": ONLY_ADMIN,
    "SavedBlocksView.delete": ONLY_ADMIN,
    "NationalView.update": REVIEWERS,
    "NationalView.merge": EDITORS,
    "NationalView.dismiss": EDITORS,
    "HistoryView.diff": READERS,
    "HistoryView.version": READERS,
    "HistoryView.version_form": READERS,
    "DeskView.index": DESK,
    "DeskView.dossier": DESK,  # another office's dossier: 404 (tests/test_desk.py)
    "DeskView.dossier_file": DESK,
    "DeskView.move": DESK,
    "DeskView.resend": DESK,
    "DeskView.register": DESK,
    "CounterView.index": DESK,
    "CounterView.receive": DESK,
    "CounterView.received": DESK,
    "FiguresView.index": frozenset({ADMIN, RECEPTION_OFFICER, APPROVER}),
    "FiguresView.export": frozenset({ADMIN, RECEPTION_OFFICER, APPROVER}),
    "AuditView.list": REVIEWERS,
    "TransferView.page": READERS,
    "TransferView.export_one": READERS,
    "TransferView.export_zip": READERS,
    "TransferView.import_": EDITORS,
    "ApiKeysView.list": KEY_HOLDERS,
    "ApiKeysView.create": KEY_HOLDERS,
    "ApiKeysView.revoke": KEY_HOLDERS,
    # public posting
    "PostingsView.offices": POSTERS,
    "PostingsView.add_office": POSTERS,
    "PostingsView.office": POSTERS,
    "PostingsView.assign": POSTERS,
    "PostingsView.record": POSTERS,
    "PostingsView.print_all": POSTERS,
    "PostingsView.print_notice": POSTERS,
    # review queue (facts the import inferred or could not read)
    "ReviewView.queue": EDITORS,
    "ReviewView.confirm": EDITORS,
    "ReviewView.correct": EDITORS,
    # offices (administrators only)
    "OfficesView.list": ONLY_ADMIN,
    "OfficesView.new": ONLY_ADMIN,
    "OfficesView.edit": ONLY_ADMIN,
    "OfficesView.rules": ONLY_ADMIN,
    "OfficesView.procedures": ONLY_ADMIN,
    "OfficesView.days": ONLY_ADMIN,
    "OfficesView.staff": ONLY_ADMIN,
    "OfficesView.import_": ONLY_ADMIN,
    # REST API
    "ProcedureApi.list_procedures": EVERYONE,
    "ProcedureApi.get_procedure": EVERYONE,
    "ProcedureApi.list_versions": EVERYONE,
    "ProcedureApi.get_version": EVERYONE,
    "ProcedureApi.import_procedure": NOBODY_BY_SESSION,
    "ProcedureApi.get_national_update": NOBODY_BY_SESSION,
    "ProcedureApi.merge_national": NOBODY_BY_SESSION,
    "ProcedureApi.list_dossiers": frozenset({ADMIN, RECEPTION_OFFICER}),
    "FiguresApi.get_figures": frozenset({ADMIN, RECEPTION_OFFICER, APPROVER}),
}
SAMPLE_ARGS = {"code": "1.001193", "number": 1, "pk": 999999, "name": "none", "filename": "none_sep_x.csv",
               "version": "v1", "locale": "vi", "group_by": "0", "office_id": 999999,
               "local_id": 999999, "block_id": 999999,
               "attachment_id": "none", "move": "receive", "notification_id": 999999}
IDENTITIES = [ADMIN, PROCEDURE_OFFICER, APPROVER, POSTING_OFFICER, RECEPTION_OFFICER, ANONYMOUS]


def excluded(endpoint: str) -> bool:
    """The public site, static files and health checks are outside the back office."""
    return endpoint == "static" or endpoint.endswith(".static") or endpoint.startswith(("site.", "health."))


def expectation(endpoint: str) -> frozenset[str] | None:
    if endpoint in EXPECTED:
        return EXPECTED[endpoint]
    for pattern, allowed in EXPECTED.items():
        if "*" in pattern and fnmatch.fnmatchcase(endpoint, pattern):
            return allowed
    return None


def requests(app: Flask) -> Iterator[tuple[Rule, str, str]]:
    """(rule, method, url) for every checked endpoint; logging out comes last."""
    rules = sorted((r for r in app.url_map.iter_rules() if not excluded(r.endpoint)),
                   key=lambda r: (r.endpoint == "LoginView.logout", r.rule))
    with app.test_request_context():
        for rule in rules:
            url = url_for(rule.endpoint, **{arg: SAMPLE_ARGS[arg] for arg in rule.arguments})
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule, method, url


def refused(response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code in (401, 403):
        return True
    return response.status_code in (301, 302, 303) and response.headers.get("Location", "").split("?")[0] \
        .endswith("/login/")


def test_every_endpoint_has_an_expectation(app: Flask) -> None:
    missing = sorted({rule.endpoint for rule, _, _ in requests(app) if expectation(rule.endpoint) is None})
    assert not missing, f"endpoints with no permission expectation: {missing}"
    unused = sorted(p for p in EXPECTED if "*" not in p and p not in {r.endpoint for r, _, _ in requests(app)})
    assert not unused, f"expectations for endpoints that no longer exist: {unused}"


@pytest.mark.parametrize("identity", IDENTITIES)
def test_permission_matrix(app: Flask, identity: str) -> None:
    make_users(app)
    import_document(db.session, document("1.001193"), author="importer", publish=True)
    client: FlaskClient = client_for(app, None if identity == ANONYMOUS else identity)
    wrong: list[str] = []
    for rule, method, url in requests(app):
        allowed = expectation(rule.endpoint)
        assert allowed is not None, rule.endpoint
        response = client.open(url, method=method, data={} if method == "POST" else None)
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if refused(response) == (identity in allowed):
            verdict = "refused" if refused(response) else "allowed"
            wrong.append(f"{method} {url} ({rule.endpoint}): {verdict} with {response.status_code}")
    assert not wrong, f"{identity}:\n" + "\n".join(wrong)
