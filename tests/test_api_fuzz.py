"""Fuzz the REST API from its own OpenAPI document (schemathesis, in-process WSGI).

Every operation of /api/v1/_openapi, with valid and with invalid inputs, anonymously, with an
administrator's JWT and with a procedure officer's API key, on SQLite and PostgreSQL: no 5xx,
and every answer is one the document declares (status code, content type, headers, body schema).
Bounded and deterministic (derandomized, a few examples per operation) so CI runs it every time.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from admin.roles import ADMIN, DEMO_USERS, PROCEDURE_OFFICER
from catalog.db import db
from catalog.samples import sample_paths
from catalog.services import import_document
from form_schemas.loading import read_document
from tests.backoffice_helpers import make_users
from tests.factories import document

EXAMPLES = 15  # per operation and generation mode (each example is sent three times)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


def _credentials(app: Flask) -> dict[str, dict[str, str] | None]:
    username, password = DEMO_USERS[ADMIN]
    login = app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db"})
    assert login.status_code == 200, login.json
    sm = app.appbuilder.sm
    officer = sm.find_user(username=DEMO_USERS[PROCEDURE_OFFICER][0])
    key = sm.create_api_key(officer, "fuzz")["key"]
    db.session.commit()
    return {"anonymous": None, "jwt": {"Authorization": f"Bearer {login.json['access_token']}"},
            "api key": {"Authorization": f"Bearer {key}"}}


def test_api_answers_as_its_openapi_document_says(db_app: Flask) -> None:
    app = db_app
    make_users(app)
    for path in sample_paths()[:3]:
        import_document(db.session, read_document(path), author="demo", publish=True)
    import_document(db.session, document("1.000894", title="Đăng ký kết hôn"), author="demo")  # a draft
    credentials = _credentials(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app)
    failures: dict[tuple[str, str], str] = {}
    tried: dict[str, int] = {}

    def fuzz(operation: Any, mode: GenerationMode) -> None:
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            for who, headers in credentials.items():
                with app.app_context():
                    response = case.call(headers=headers)
                tried[label] = tried.get(label, 0) + 1
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except FailureGroup as exc:  # keep the first failure of each operation and caller
                    failures.setdefault((label, f"{mode.value}, {who}"), str(exc)[:3000])

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, label  # nothing of it can be made invalid

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode)
    report = "\n\n".join(f"== {label} ({how})\n{text}" for (label, how), text in failures.items())
    assert not failures, f"{len(failures)} operations answer otherwise than documented:\n{report}"
    documented = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")}
    assert set(tried) == documented and len(documented) == 12, tried  # 11 + the figures


def test_api_errors_are_json_with_the_documented_status(app: Flask) -> None:
    make_users(app)
    import_document(db.session, document("1.001193"), author="demo", publish=True)
    client = app.test_client()
    malformed = client.get("/api/v1/procedures/1.001193/dossiers", headers={"Authorization": "Bearer garbage"})
    assert malformed.status_code == 401 and malformed.json["message_en"].startswith("Missing or invalid token")
    refresh_with_nothing = client.post("/api/v1/security/refresh")
    assert refresh_with_nothing.status_code == 401 and "message" in refresh_with_nothing.json
    unknown = client.get("/api/v1/nothing-here")
    assert unknown.status_code == 404 and unknown.json == {"message": "Không tìm thấy.", "message_en": "Not found."}
    not_a_number = client.get("/api/v1/procedures/1.001193/versions/abc")
    assert not_a_number.status_code == 404 and not_a_number.is_json
    wrong_method = client.delete("/api/v1/procedures/")
    assert wrong_method.status_code == 405 and wrong_method.is_json and "POST" in wrong_method.headers["Allow"]
    assert client.get("/no-such-page").content_type.startswith("text/html")  # the site keeps its pages
    bad_args = client.get("/api/v1/procedures/?page=0&page_size=x").json
    assert bad_args["fields"] == {"page": ["Must be greater than or equal to 1 and less than or equal to 100000."],
                                  "page_size": ["Not a valid integer."]}
    login = client.post("/api/v1/security/login", json={"username": ""})
    assert login.status_code == 400 and set(login.json["fields"]) == {"username", "password"}


def test_api_times_carry_their_zone(app: Flask) -> None:
    from datetime import datetime

    import_document(db.session, document("1.001193"), author="demo", publish=True)
    body = app.test_client().get("/api/v1/procedures/1.001193").json
    published = body["version"]["published_at"]
    assert published.endswith("+00:00"), published
    assert datetime.fromisoformat(published).utcoffset().total_seconds() == 0
