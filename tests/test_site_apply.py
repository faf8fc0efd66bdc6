"""Applying online through the site: success, failures that keep everything, uploads, twice."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from catalog.db import db
from catalog.models import Attachment, Dossier
from catalog.services import import_document
from tests.factories import document
from tests.test_attachments import EXE, PDF, PNG

TOKEN_FIELD = "_motcua.submission"
GOOD = {
    "applicant-full_name": "Nguyễn Văn An",
    "applicant-citizen_id": "001090012345",
    "applicant-phone": "0912345678",
}


def publish(doc: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = doc or document()
    import_document(db.session, doc, author="test", publish=True)
    return doc


def open_form(client: FlaskClient, code: str = "1.001193") -> str:
    """GET the form; returns its submission token."""
    page = client.get(f"/procedures/{code}/apply")
    assert page.status_code == 200
    found = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text)
    assert found, "the form carries a submission token"
    return found.group(1)


def post(client: FlaskClient, token: str, code: str = "1.001193", *, file: tuple | None = None,
         **fields: str) -> Any:
    data: dict[str, Any] = {"_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, **fields}
    if file is not None:
        data["attachments-birth_certificate"] = file
    return client.post(f"/procedures/{code}/apply", data=data, content_type="multipart/form-data")


def pdf_file(name: str = "giay-chung-sinh.pdf", content: bytes = PDF) -> tuple:
    return (io.BytesIO(content), name, "application/pdf")


def dossier_count() -> int:
    return db.session.scalar(select(func.count(Dossier.id))) or 0


def test_a_valid_application_creates_a_dossier_and_shows_it(app: Flask, client: FlaskClient) -> None:
    publish()
    response = post(client, open_form(client), file=pdf_file())
    assert response.status_code == 303
    code = response.headers["Location"].rsplit("/", 1)[-1]
    assert re.fullmatch(r"\d{4}-1\.001193-000001", code)
    page = client.get(f"/dossiers/{code}")
    assert page.status_code == 200
    assert "Chờ tiếp nhận" in page.text
    assert "giay-chung-sinh.pdf" in page.text
    assert re.search(r"\d{2}/\d{2}/\d{4}", page.text)


def test_a_failed_submission_keeps_every_value_and_file(app: Flask, client: FlaskClient) -> None:
    publish()
    token = open_form(client)
    failed = post(client, token, file=pdf_file(), **{"applicant-phone": "0123"})
    assert failed.status_code == 422
    assert 'value="Nguyễn Văn An"' in failed.text
    assert 'value="001090012345"' in failed.text
    assert 'value="0123"' in failed.text
    assert "Số điện thoại" in failed.text and 'aria-invalid="true"' in failed.text
    assert "Đã tải lên: giay-chung-sinh.pdf" in failed.text
    kept = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"',
                     failed.text)
    assert kept
    assert dossier_count() == 0
    # fix the phone only, without sending the file again
    fixed = client.post("/procedures/1.001193/apply", data={
        "_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, "attachments-birth_certificate": kept.group(1),
    })
    assert fixed.status_code == 303
    dossier = db.session.scalars(select(Dossier)).one()
    assert [a.original_name for a in dossier.attachments] == ["giay-chung-sinh.pdf"]


def test_a_file_whose_content_is_not_allowed_is_refused_next_to_its_field(
    app: Flask, client: FlaskClient
) -> None:
    publish()
    response = post(client, open_form(client), file=pdf_file("to-khai.pdf", EXE))
    assert response.status_code == 422
    field = re.search(r'id="attachments-birth_certificate--field".*?</div>\s*</div>|'
                      r'id="attachments-birth_certificate--field".*?(?=<fieldset|</form)',
                      response.text, re.S)
    assert field and "không đúng định dạng cho phép (PDF, JPG, PNG)" in field.group(0)
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert dossier_count() == 0


def test_a_file_over_the_fields_limit_is_refused(app: Flask, client: FlaskClient) -> None:
    doc = document()
    doc["properties"]["attachments"]["properties"]["birth_certificate"]["x-maxBytes"] = 1024
    publish(doc)
    response = post(client, open_form(client), file=pdf_file(content=PDF + b"0" * 4096))
    assert response.status_code == 422
    assert "vượt quá dung lượng tối đa 1 KB" in response.text
    assert dossier_count() == 0


def test_the_dossier_total_limit_is_refused_with_a_message(app: Flask, client: FlaskClient) -> None:
    app.config["MOTCUA_MAX_DOSSIER_BYTES"] = 100
    publish()
    response = post(client, open_form(client), file=pdf_file(content=PDF + b"0" * 200))
    assert response.status_code == 422
    assert "Tổng dung lượng các tệp của hồ sơ" in response.text


def test_a_new_file_replaces_the_kept_one(app: Flask, client: FlaskClient) -> None:
    publish()
    token = open_form(client)
    post(client, token, file=pdf_file(), **{"applicant-phone": "0"})
    done = post(client, token, file=(io.BytesIO(PNG), "anh.png", "image/png"))
    assert done.status_code == 303
    dossier = db.session.scalars(select(Dossier)).one()
    assert [a.original_name for a in dossier.attachments] == ["anh.png"]


def test_posting_the_same_form_twice_creates_one_dossier(app: Flask, client: FlaskClient) -> None:
    publish()
    token = open_form(client)
    first = post(client, token, file=pdf_file())
    second = post(client, token, file=pdf_file())
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert dossier_count() == 1


def test_two_forms_make_two_dossiers(app: Flask, client: FlaskClient) -> None:
    publish()
    post(client, open_form(client), file=pdf_file())
    post(client, open_form(client), file=pdf_file())
    assert dossier_count() == 2


def test_a_forged_attachment_id_is_not_accepted(app: Flask, client: FlaskClient) -> None:
    publish()
    post(client, open_form(client), file=pdf_file())
    someone_elses = db.session.scalars(select(Attachment)).one().id
    response = client.post("/procedures/1.001193/apply", data={
        "_motcua.step": "submit", TOKEN_FIELD: open_form(client), **GOOD, "attachments-birth_certificate": someone_elses,
    })
    assert response.status_code == 422
    assert dossier_count() == 1


@pytest.mark.parametrize("level", [1, 2])
def test_procedures_below_level_three_take_no_application(app: Flask, client: FlaskClient,
                                                          level: int) -> None:
    doc = document()
    doc["x-procedure"]["onlineService"] = {"level": level}
    publish(doc)
    assert client.get("/procedures/1.001193/apply").status_code == 404
    response = post(client, "x" * 32, file=pdf_file())
    assert response.status_code == 404
    assert "không nhận hồ sơ trực tuyến" in response.text
    assert dossier_count() == 0


def test_unknown_procedure_is_404(client: FlaskClient) -> None:
    assert client.get("/procedures/9.999999/apply").status_code == 404
    assert client.post("/procedures/9.999999/apply", data={}).status_code == 404


def test_garbage_posts_get_422_not_500(app: Flask, client: FlaskClient) -> None:
    publish()
    response = client.post("/procedures/1.001193/apply", data={
        "_motcua.step": "submit", TOKEN_FIELD: "../../etc", "applicant-full_name": "x" * 10,
        "applicant-phone": ["1", "2"], "unknown-field": "x",
    })
    assert response.status_code == 422
    nul = client.post("/procedures/1.001193/apply", data={"applicant-full_name": "\x00" * 10})
    assert nul.status_code == 400  # control characters are refused at the edge (admin/edge.py)
    assert dossier_count() == 0


def test_with_csrf_on_a_post_without_the_token_is_refused(tmp_path: Any,
                                                          sqlite_template: Any) -> None:
    import shutil

    from tests.conftest import build_app

    path = tmp_path / "csrf.db"
    shutil.copy(sqlite_template, path)
    secured = build_app(f"sqlite:///{path}", tmp_path, WTF_CSRF_ENABLED=True)
    with secured.app_context():
        publish()
        client = secured.test_client()
        token = open_form(client)
        refused = post(client, token, file=pdf_file())
        assert refused.status_code == 400
        assert "Phiên làm việc đã hết hạn" in refused.text
        assert dossier_count() == 0
        page = client.get("/procedures/1.001193/apply").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf
        accepted = post(client, token, file=pdf_file(), csrf_token=csrf.group(1))
        assert accepted.status_code == 303
        assert dossier_count() == 1
        db.session.remove()
        db.engine.dispose()


def test_every_visitor_gets_a_fresh_submission_token(app: Flask, client: FlaskClient) -> None:
    publish()
    tokens = {open_form(client), open_form(client), open_form(app.test_client())}
    assert len(tokens) == 3
    assert "@@" not in client.get("/procedures/1.001193/apply").text
