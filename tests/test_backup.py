"""Backup and restore: the catalogue, the dossiers, the calendar and the citizens' files come
back byte for byte in an empty database and data folder; a changed or foreign archive is
refused before anything is written."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tarfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from catalog.db import db
from catalog.models import Attachment, AuditEvent, CalendarDay, Dossier, OfficeDayOff, Procedure
from catalog.services.backup import BackupRefused, create_backup, restore_backup
from catalog.services.dossiers import stage_upload, submit_dossier
from catalog.services.offices import add_day_off
from catalog.services.postings import create_office
from tests.conftest import PG_URL, Cli, build_app, require
from tests.test_attachments import PDF, PNG
from tests.test_dossiers import application, publish, token, with_online_time


def populate(application_: Flask) -> None:
    """A published procedure, an office with a day off, a calendar day off, and a dossier
    with an uploaded file (plus a second upload still staged for an unfinished form)."""
    from catalog.attachments import AttachmentStore

    publish(with_online_time(3))
    office = create_office(db.session, "Bộ phận Một cửa UBND phường Bến Nghé", "29 Lê Duẩn")
    add_day_off(db.session, office.id, date(2026, 4, 30), "Nghỉ bù")
    db.session.add(CalendarDay(day=date(2026, 1, 2), is_working_day=False, note="Nghỉ Tết Dương lịch"))
    db.session.commit()
    store = AttachmentStore(Path(application_.config["MOTCUA_DATA_DIR"]) / "attachments")
    form = token()
    upload = stage_upload(db.session, store, io.BytesIO(PDF + b"%% Nguy\xe1\xbb\x85n"), "giay-chung-sinh.pdf",
                          field="attachments-birth_certificate", upload_token=form)
    submit_dossier(db.session, "1.001193", application(upload.id), submission_token=form)
    stage_upload(db.session, store, io.BytesIO(PNG), "anh.png", field="attachments-photo",
                 upload_token=token(), accept=("image/png",))
    db.session.remove()


def contents(application_: Flask) -> dict[str, Any]:
    """What an officer and a citizen would find: rows of the catalogue, dossiers, calendar, and
    the bytes of every uploaded file."""
    with application_.app_context():
        session = db.session
        data = Path(application_.config["MOTCUA_DATA_DIR"])
        found = {
            "procedures": sorted((p.code, p.name, p.status.value) for p in session.scalars(select(Procedure))),
            "dossiers": sorted((d.code, d.status, d.appointment_date, json.dumps(d.data, sort_keys=True))
                               for d in session.scalars(select(Dossier))),
            "attachments": sorted((a.id, a.dossier_id is not None, a.sha256, a.original_name,
                                   (data / "attachments" / a.storage_path).read_bytes())
                                  for a in session.scalars(select(Attachment))),
            "calendar": sorted((c.day, c.is_working_day, c.note) for c in session.scalars(select(CalendarDay))),
            "days_off": sorted((o.day, o.note) for o in session.scalars(select(OfficeDayOff))),
        }
        session.remove()
    return found


def empty_target(folder: Path) -> Flask:
    folder.mkdir()
    return build_app(f"sqlite:///{folder / 'motcua.db'}", folder)


def test_sqlite_round_trip_through_the_cli(app: Flask, tmp_path: Path) -> None:
    populate(app)
    before = contents(app)
    assert before["dossiers"] and len(before["attachments"]) == 2 and before["calendar"] and before["days_off"]
    archive = tmp_path / "backups" / "motcua.tar.gz"
    result = Cli(app)("backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output and "2 tệp dữ liệu" in result.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[0] == "manifest.json" and "database/motcua.sqlite3" in names
    assert manifest["database"]["kind"] == "sqlite" and manifest["format_version"] == 1
    assert manifest["alembic_revision"] and manifest["app_version"]
    assert {f["path"] for f in manifest["files"]} == set(names[1:])
    assert all(re.fullmatch(r"[0-9a-f]{64}", f["sha256"]) for f in manifest["files"])
    assert manifest["tables"]["dossier"] == 1 and manifest["tables"]["calendar_day"] == 1

    target = empty_target(tmp_path / "restored")
    result = Cli(target)("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    assert contents(target) == before
    with target.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "restore"
        db.session.remove()
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "backup"

    again = Cli(target)("restore", str(archive))  # the target is no longer empty
    assert again.exit_code == 1 and "không trống" in again.output
    assert contents(target) == before


def _rewrite(archive: Path, out: Path, change: Any) -> None:
    """A copy of `archive` with `change(name, bytes)` applied to each member (None drops it)."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as copy:
        for member in source.getmembers():
            body = change(member.name, source.extractfile(member).read())  # type: ignore[union-attr]
            if body is None:
                continue
            member.size = len(body)
            copy.addfile(member, io.BytesIO(body))


@pytest.fixture
def archive(app: Flask, tmp_path: Path) -> Path:
    populate(app)
    path = tmp_path / "motcua.tar.gz"
    with app.app_context():
        create_backup(db.engine, db.session, Path(app.config["MOTCUA_DATA_DIR"]), path,
                      actor="test", app_version="0.1.0")
    return path


def _refused(archive: Path, folder: Path) -> str:
    target = empty_target(folder)
    result = Cli(target)("restore", str(archive))
    assert result.exit_code == 1
    with target.app_context():  # nothing was written
        tables = db.session.execute(text("select count(*) from sqlite_master where type = 'table'")).scalar()
        db.session.remove()
        db.engine.dispose()
    assert tables == 0
    assert not (folder / "data" / "attachments").exists()
    return result.output


def test_a_tampered_archive_is_refused_and_nothing_is_restored(archive: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed.tar.gz"
    _rewrite(archive, changed,
             lambda name, body: body.replace(b"%PDF", b"%PDX") if name.startswith("attachments/") else body)
    output = _refused(changed, tmp_path / "a")
    assert "đã bị thay đổi" in output and "SHA-256" in output

    extra = tmp_path / "extra.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(extra, "w:gz") as copy:
        for member in source.getmembers():
            copy.addfile(member, source.extractfile(member))
        info = tarfile.TarInfo("attachments/ab/planted.exe")
        info.size = 3
        copy.addfile(info, io.BytesIO(b"MZ!"))
    assert "không có trong manifest" in _refused(extra, tmp_path / "b")

    dropped = tmp_path / "dropped.tar.gz"
    _rewrite(archive, dropped, lambda name, body: None if name.startswith("attachments/") else body)
    assert "thiếu tệp" in _refused(dropped, tmp_path / "c")

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "bị hỏng" in _refused(truncated, tmp_path / "d")


def test_an_archive_of_another_database_kind_or_a_newer_motcua_is_refused(archive: Path, tmp_path: Path) -> None:
    def manifest_with(**changes: Any) -> Any:
        def change(name: str, body: bytes) -> bytes:
            if name != "manifest.json":
                return body
            manifest = json.loads(body)
            for key, value in changes.items():
                manifest[key] = value if not callable(value) else value(manifest[key])
            return json.dumps(manifest).encode()
        return change

    kind = tmp_path / "kind.tar.gz"
    _rewrite(archive, kind, manifest_with(database=lambda d: {**d, "kind": "postgresql"}))
    assert "postgresql" in _refused(kind, tmp_path / "a")

    newer = tmp_path / "newer.tar.gz"
    _rewrite(archive, newer, manifest_with(alembic_revision="0999_from_the_future"))
    assert "0999_from_the_future" in _refused(newer, tmp_path / "b")

    other = tmp_path / "other.tar.gz"
    _rewrite(archive, other, manifest_with(format_version=2))
    assert "không được hỗ trợ" in _refused(other, tmp_path / "c")

    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("không phải bản sao lưu")
    assert "không phải bản sao lưu của motcua" in _refused(not_ours, tmp_path / "d")


def test_a_restore_refuses_a_data_folder_that_already_holds_files(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "busy"
    target = empty_target(folder)
    (folder / "data" / "attachments" / "xy").mkdir(parents=True)
    (folder / "data" / "attachments" / "xy" / "left-over").write_bytes(b"x")
    with target.app_context(), pytest.raises(BackupRefused, match="đã có tệp"):
        restore_backup(db.engine, Path(target.config["MOTCUA_DATA_DIR"]), archive, actor="test")


def _major(version_text: str) -> int:
    return int(re.search(r"(\d+)", version_text).group(1))  # type: ignore[union-attr]


@pytest.mark.db
def test_postgresql_round_trip(postgres_url: str, tmp_path: Path) -> None:
    tools = shutil.which("pg_dump") and shutil.which("pg_restore")
    require(bool(tools), "pg_dump and pg_restore are not installed (postgresql-client)")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        server = int(connection.execute(text("show server_version_num")).scalar()) // 10_000
    client = _major(subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout)
    require(client == server, f"pg_dump {client} does not match the PostgreSQL {server} server")

    source = build_app(postgres_url, tmp_path / "source")
    with source.app_context():
        populate(source)
    before = contents(source)
    archive = tmp_path / "pg.tar.gz"
    with source.app_context():
        outcome = create_backup(db.engine, db.session, Path(source.config["MOTCUA_DATA_DIR"]), archive,
                                actor="test", app_version="0.1.0")
        db.session.remove()
        db.engine.dispose()
    assert outcome.manifest["database"]["kind"] == "postgresql"
    assert outcome.manifest["tables"]["dossier"] == 1

    name = f"motcua_restore_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    target_url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        target = build_app(target_url, tmp_path / "target")
        with target.app_context():
            restore_backup(db.engine, Path(target.config["MOTCUA_DATA_DIR"]), archive, actor="test")
            db.session.remove()
        assert contents(target) == before
        with target.app_context(), pytest.raises(BackupRefused, match="không trống"):
            restore_backup(db.engine, Path(target.config["MOTCUA_DATA_DIR"]) / "other", archive, actor="test")
        with target.app_context():
            db.session.remove()
            db.engine.dispose()
        sqlite_target = empty_target(tmp_path / "sqlite")
        with sqlite_target.app_context(), pytest.raises(BackupRefused, match="postgresql"):
            restore_backup(db.engine, tmp_path / "sqlite" / "data", archive, actor="test")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()
