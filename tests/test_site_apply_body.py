"""The application body as read at the edge: a text field over the form-field limit is refused
on its own, saying which limit, and everything else the citizen sent is kept."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from catalog.db import db
from catalog.models import Attachment, Dossier
from tests.test_site_apply import open_form, pdf_file, post, publish


def test_a_text_field_over_the_form_field_limit_keeps_the_rest_of_the_form(
    app: Flask, client: FlaskClient
) -> None:
    publish()
    token = open_form(client)
    huge = "Nguyễn " * 100_000  # ~800 KB, over Flask's 500 KB for one text field
    response = post(client, token, file=pdf_file(), **{"applicant-full_name": huge})
    assert response.status_code == 413
    assert "Tệp quá lớn" not in response.text
    assert response.text.count("mức tối đa cho một ô nhập chữ") >= 2  # summary and field
    assert "khác với giới hạn dung lượng tệp" in response.text
    assert 'value="001090012345"' in response.text and 'value="0912345678"' in response.text
    assert "Đã tải lên: giay-chung-sinh.pdf" in response.text  # the file was read and kept
    assert huge[:1000] not in response.text
    field = re.search(r'id="applicant-full_name--field".*?<input', response.text, re.S)
    assert field and "mức tối đa cho một ô nhập chữ" in field.group(0)
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 1

    kept = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"', response.text)
    fixed = client.post("/procedures/1.001193/apply", data={
        "_motcua.step": "submit", "_motcua.submission": token, "applicant-full_name": "Nguyễn Văn An",
        "applicant-citizen_id": "001090012345", "applicant-phone": "0912345678",
        "attachments-birth_certificate": kept.group(1)})
    assert fixed.status_code == 303


def test_a_forged_oversize_marker_changes_nothing_but_a_message(app: Flask, client: FlaskClient) -> None:
    publish()
    response = post(client, open_form(client), file=pdf_file(), **{"_motcua.oversize": "applicant-phone"})
    assert response.status_code == 303  # the marker is the reader's, never taken from the post
    plain = client.post("/procedures/1.001193/apply", data={
        "_motcua.step": "submit", "_motcua.submission": open_form(client), "applicant-full_name": "Nguyễn Văn An",
        "applicant-citizen_id": "001090012345", "applicant-phone": "0912345678",
        "_motcua.oversize": "applicant-phone"})
    assert "mức tối đa cho một ô nhập chữ" not in plain.text
