"""Fuzz the REST API from its own OpenAPI document (schemathesis, in-process WSGI): no 500s."""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings

from admin.roles import DEMO_USERS, PROCEDURE_OFFICER
from catalog.db import db
from catalog.samples import sample_paths
from catalog.services import import_document
from form_schemas.loading import read_document
from tests.backoffice_helpers import make_users

EXAMPLES = 40


def test_api_has_no_server_errors(app: Flask) -> None:
    make_users(app)
    for path in sample_paths()[:3]:
        import_document(db.session, read_document(path), author="demo", publish=True)
    username, password = DEMO_USERS[PROCEDURE_OFFICER]
    login = app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db"})
    auth = {"Authorization": f"Bearer {login.json['access_token']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app)
    tried: dict[str, int] = {}

    def fuzz(operation: Any) -> None:
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            for headers in (None, auth):  # as a visitor, then as a procedure officer
                with app.app_context():
                    response = case.call(headers=headers)
                tried[label] = tried.get(label, 0) + 1
                assert response.status_code < 500, (
                    f"{label} {case.path_parameters} {case.query} {str(case.body)[:200]} -> {response.status_code}")

        run()

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/v1/procedures"):
            fuzz(operation)
    assert len(tried) == 8, tried  # every operation of the procedure API was exercised
