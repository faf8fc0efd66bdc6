"""Unguessable tracking: a dossier code (sequential) opens nothing by itself; the tracking link
and the receipt's QR code carry the dossier's secret and open it; lookup by code + phone stays."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from catalog.db import db
from catalog.models import Dossier
from tests.test_site_apply import open_form, pdf_file, post, publish

NAMES = [f"Lê Văn Khách {n}" for n in range(1, 5)]


def file_dossiers(client: FlaskClient) -> list[str]:
    """Four dossiers filed by one citizen (the same phone): their codes."""
    publish()
    codes = []
    for name in NAMES:
        response = post(client, open_form(client), file=pdf_file(), **{"applicant-full_name": name})
        assert response.status_code == 303
        codes.append(response.headers["Location"].rsplit("/", 1)[-1])
    return codes


def test_guessing_sequential_codes_reveals_nothing(app: Flask, client: FlaskClient) -> None:
    codes = file_dossiers(client)
    year_and_procedure = codes[0].rsplit("-", 1)[0]
    stranger = app.test_client()
    for number in range(1, 9):
        guess = f"{year_and_procedure}-{number:06d}"
        for path in (f"/dossiers/{guess}", f"/dossiers/{guess}?t=", f"/dossiers/{guess}?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     f"/dossiers/{guess}/receipt.pdf", f"/dossiers/{guess}/form.pdf"):
            page = stranger.get(path)
            assert page.status_code == 403, path
            assert page.mimetype == "text/html"
            assert not any(name in page.text for name in NAMES), path
            assert "giay-chung-sinh.pdf" not in page.text
    attachment_id = db.session.scalars(select(Dossier)).first().attachments[0].id
    assert stranger.get(f"/dossiers/{codes[0]}/files/{attachment_id}").status_code == 403
    # the secret of one dossier does not open another
    other = db.session.scalar(select(Dossier).where(Dossier.code == codes[1]))
    assert stranger.get(f"/dossiers/{codes[0]}?t={other.tracking_token}").status_code == 403


def test_the_tracking_link_opens_the_dossier_in_another_browser(app: Flask, client: FlaskClient) -> None:
    code = file_dossiers(client)[0]
    page = client.get(f"/dossiers/{code}")
    link = re.search(r'href="(http://[^"]+\?t=[^"]+)"', page.text)
    assert link, "the dossier page gives its tracking link"
    phone = app.test_client()
    opened = phone.get(link.group(1).replace("http://localhost", ""))
    assert opened.status_code == 303
    assert opened.headers["Location"] == f"/dossiers/{code}"  # the secret leaves the address bar
    shown = phone.get(f"/dossiers/{code}")
    assert shown.status_code == 200 and NAMES[0] in shown.text
    assert phone.get(f"/dossiers/{code}/receipt.pdf").status_code in (200, 503)


def test_the_receipts_qr_code_carries_the_secret_and_the_printed_address_does_not(
    app: Flask, client: FlaskClient
) -> None:
    from admin.site.dossiers import receipt_data

    code = file_dossiers(client)[0]
    found = db.session.scalar(select(Dossier).where(Dossier.code == code))
    with app.test_request_context("/"):
        data = receipt_data(found)
    assert data.dossier_code == code  # printed as people read it
    assert found.tracking_token not in data.tracking_url
    qr = urlsplit(data.qr_content)
    assert qr.path == f"/dossiers/{code}" and parse_qs(qr.query)["t"] == [found.tracking_token]
    scanner = app.test_client()
    assert scanner.get(f"{qr.path}?{qr.query}").status_code == 303
    assert NAMES[0] in scanner.get(qr.path).text


def test_lookup_by_code_and_phone_still_opens_it(app: Flask, client: FlaskClient) -> None:
    code = file_dossiers(client)[0]
    visitor = app.test_client()
    wrong = visitor.post("/dossiers/", data={"code": code, "phone": "0900000000"})
    assert wrong.status_code == 422 and NAMES[0] not in wrong.text
    right = visitor.post("/dossiers/", data={"code": code, "phone": "0912 345 678"})
    assert right.status_code == 303
    assert NAMES[0] in visitor.get(f"/dossiers/{code}").text


def test_every_dossier_has_its_own_secret(app: Flask, client: FlaskClient) -> None:
    file_dossiers(client)
    tokens = list(db.session.scalars(select(Dossier.tracking_token)))
    assert len(set(tokens)) == len(NAMES) and all(len(t) >= 32 for t in tokens)


def test_migration_0009_gives_existing_dossiers_a_secret(app: Flask, client: FlaskClient) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from catalog.schema import migrate as run_migration

    file_dossiers(client)
    db.session.remove()
    db.engine.dispose()
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    def migrate(step: Any, revision: str) -> None:
        run_migration(engine, step, revision)

    migrate(command.downgrade, "0008")  # dossiers as filed before tracking tokens existed
    assert "tracking_token" not in {c["name"] for c in inspect(engine).get_columns("dossier")}
    migrate(command.upgrade, "head")
    with engine.connect() as connection:
        tokens = [row[0] for row in connection.exec_driver_sql("select tracking_token from dossier")]
    assert len(tokens) == len(NAMES) and len(set(tokens)) == len(NAMES)
    assert all(t and len(t) >= 32 for t in tokens)
    assert any(ix["unique"] and ix["column_names"] == ["tracking_token"]
               for ix in inspect(engine).get_indexes("dossier"))
    engine.dispose()
