"""Import and export from the back office: one JSON file or a zip of many."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.roles import POSTING_OFFICER, PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import Procedure
from catalog.samples import sample_paths
from catalog.services import import_document
from catalog.services.bundles import BundleRejected, export_bundle, import_bundle
from tests.backoffice_helpers import client_for, make_users, text
from tests.factories import document


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def codes() -> set[str]:
    return {p.code for p in db.session.query(Procedure)}


@pytest.fixture
def officer(app: Flask) -> FlaskClient:
    make_users(app)
    return client_for(app, PROCEDURE_OFFICER)


def test_import_a_zip_stores_valid_documents_and_reports_invalid_ones(officer: FlaskClient) -> None:
    bad = document("1.000894")
    bad["x-procedure"]["levels"] = []
    data = zipped({
        "ho-tich/1.001193.json": json.dumps(document("1.001193")).encode(),
        "ho-tich/1.000894.json": json.dumps(bad).encode(),
        "khong-phai-json.json": b"{nope",
        "README.txt": b"ignored",
    })
    response = officer.post("/admin/transfer/import", data={"file": (io.BytesIO(data), "lo.zip")},
                            content_type="multipart/form-data")
    assert response.status_code == 422
    page = text(response)
    assert "thủ tục 1.001193, phiên bản 1" in page
    assert "/x-procedure/levels" in page
    assert "khong-phai-json.json" in page
    db.session.expire_all()
    assert codes() == {"1.001193"}


def test_import_a_single_json_file_into_the_open_draft(officer: FlaskClient) -> None:
    import_document(db.session, document("1.001193"), author="officer")
    newer = document("1.001193", description="Mô tả mới")
    response = officer.post("/admin/transfer/import", data={
        "file": (io.BytesIO(json.dumps(newer).encode()), "1.001193.json")}, content_type="multipart/form-data")
    assert response.status_code == 200
    db.session.expire_all()
    procedure = db.session.query(Procedure).one()
    assert [v.document.get("description") for v in procedure.versions] == ["Mô tả mới"]


def test_export_zip_then_import_gives_back_equal_documents(app: Flask, officer: FlaskClient) -> None:
    originals = {}
    for path in sample_paths():
        doc = json.loads(path.read_text(encoding="utf-8"))
        originals[doc["x-procedure"]["code"]] = doc
        import_document(db.session, doc, author="demo", publish=True)
    response = officer.get("/admin/transfer/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        exported = {name.removesuffix(".json"): json.loads(archive.read(name)) for name in archive.namelist()}
    assert exported == originals
    single = officer.get("/admin/transfer/export/1.001193.json")
    assert json.loads(single.data) == originals["1.001193"]
    assert "attachment" in single.headers["Content-Disposition"]
    items = import_bundle(db.session, response.data, filename="x.zip", author="demo")
    assert all(item.ok and not item.changed for item in items)


def test_drafts_are_exported_only_when_asked_by_someone_who_may_read_them(app: Flask, officer: FlaskClient) -> None:
    import_document(db.session, document("1.001193"), author="officer")
    assert zipfile.ZipFile(io.BytesIO(officer.get("/admin/transfer/export.zip").data)).namelist() == []
    latest = officer.get("/admin/transfer/export.zip?latest=1")
    assert zipfile.ZipFile(io.BytesIO(latest.data)).namelist() == ["1.001193.json"]
    posting = client_for(app, POSTING_OFFICER)
    assert zipfile.ZipFile(io.BytesIO(posting.get("/admin/transfer/export.zip?latest=1").data)).namelist() == []
    assert posting.post("/admin/transfer/import").status_code == 403


def test_broken_zip_and_oversized_members_are_refused(app: Flask) -> None:
    with pytest.raises(BundleRejected):
        import_bundle(db.session, b"PK\x03\x04garbage", filename="a.zip", author="x")
    huge = zipped({"big.json": b" " * (1024 * 1024 + 10)})
    [item] = import_bundle(db.session, huge, filename="a.zip", author="x")
    assert not item.ok and "1 MiB" in item.problems[0].message_vi
    assert export_bundle(db.session) and codes() == set()
