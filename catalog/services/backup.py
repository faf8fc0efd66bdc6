"""Backup and restore of everything motcua keeps: the database and the uploaded files.

The rule: one `.tar.gz` archive holds `manifest.json` (written first), the database
(`database/motcua.sqlite3` from SQLite's online backup API, or `database/motcua.pgdump` from
`pg_dump --format=custom` of the app's schema, taken in the same snapshot as the row counts) and
the files of MOTCUA_DATA_DIR that are not caches (`attachments/`, the citizens' uploads, and
`fab-uploads/`). The calendar (days off, compensatory working days, each office's days off) is
in the database (`calendar_day`, `office_day_off`), so it travels with it. The manifest lists
every file with its size and SHA-256, the database kind, the Alembic revision and each table's
row count. A restore checks all of it before touching anything and refuses an archive that does
not match (a changed, missing or extra file, another format, another database kind, a revision
this motcua does not know) and a target that is not empty; it restores into an empty database
and data folder only. The hashes catch corruption and edits that did not also rewrite the
manifest; they are not a signature. Both verbs write an audit event.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from catalog.models import AuditEvent
from catalog.services.errors import ServiceError

FORMAT = "motcua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_FOLDERS = ("attachments", "fab-uploads")  # caches (pdf-cache, print-jobs) are left out
SKIPPED_PARTS = {"tmp"}  # uploads still being written
CHUNK = 1024 * 1024


class BackupRefused(ServiceError):
    """A backup that cannot be made, or an archive that cannot be restored here."""


@dataclass(frozen=True)
class BackupOutcome:
    """What a backup or restore did: the archive, its manifest, and the archive's SHA-256."""

    path: Path
    manifest: dict[str, Any]
    sha256: str


# --- helpers ----------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def database_kind(engine: Engine) -> str:
    """`sqlite` or `postgresql` (anything else cannot be backed up)."""
    kind = engine.dialect.name
    if kind not in ("sqlite", "postgresql"):
        raise BackupRefused(f"Không sao lưu được cơ sở dữ liệu loại {kind}.",
                            f"A {kind} database cannot be backed up.")
    return kind


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupRefused("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu hay khôi phục được.",
                            "An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _sqlite_counts(connection: sqlite3.Connection) -> tuple[dict[str, int], str | None]:
    names = [row[0] for row in connection.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]
    counts = {name: connection.execute(f'select count(*) from "{name}"').fetchone()[0] for name in names}
    revision = None
    if "alembic_version" in counts:
        row = connection.execute("select version_num from alembic_version").fetchone()
        revision = row[0] if row else None
    return counts, revision


def _pg_schema(connection: Any) -> str:
    """The schema the app's tables live in: the first of the connection's search_path."""
    schema = connection.execute(text("select current_schema()")).scalar()
    if schema:
        return str(schema)
    path = str(connection.execute(text("select current_setting('search_path')")).scalar() or "")
    for item in (part.strip().strip('"') for part in path.split(",")):
        if item and item != "$user":
            return item
    return "public"


def _pg_counts(connection: Any, schema: str) -> tuple[dict[str, int], str | None]:
    names = list(connection.execute(text(
        "select table_name from information_schema.tables where table_schema = :schema "
        "and table_type = 'BASE TABLE' order by table_name"), {"schema": schema}).scalars())
    counts = {name: int(connection.execute(text(f'select count(*) from "{schema}"."{name}"')).scalar() or 0)
              for name in names}
    revision = None
    if "alembic_version" in counts:
        revision = connection.execute(text(f'select version_num from "{schema}".alembic_version')).scalar()
    return counts, revision


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI for pg_dump/pg_restore, and the environment carrying the password (never
    on a command line other users can read)."""
    uri = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                     database=url.database, query=url.query).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return uri, env


def _run(command: list[str], env: dict[str, str], what_vi: str, what_en: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupRefused(f"Không tìm thấy chương trình {command[0]} (cài gói postgresql-client).",
                            f"{command[0]} was not found (install postgresql-client).") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BackupRefused(f"{what_vi} không thành công: {' '.join(detail)}",
                            f"{what_en} failed: {' '.join(detail)}")


def _data_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every file to keep under the data folder, in a stable order."""
    for folder in DATA_FOLDERS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(data_dir)
            if path.is_file() and not path.is_symlink() and not SKIPPED_PARTS & set(relative.parts[1:2]):
                yield relative.as_posix(), path


def _audit(session: Session, actor: str, action: str, **detail: Any) -> None:
    session.add(AuditEvent(actor=actor or "system", action=action, detail=detail))
    session.commit()


# --- backup -----------------------------------------------------------------------------------


def create_backup(engine: Engine, session: Session, data_dir: Path, target: Path, *,
                  actor: str, app_version: str) -> BackupOutcome:
    """Write the database and the data folder's files to the archive `target` (replaced
    atomically), with their manifest; record who made it."""
    kind = database_kind(engine)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="motcua-backup-", dir=target.parent) as folder:
        staging = Path(folder)
        if kind == "sqlite":
            dump_name = "database/motcua.sqlite3"
            dump = staging / "motcua.sqlite3"
            (counts, revision), schema = _sqlite_snapshot(engine, dump), None
        else:
            dump_name = "database/motcua.pgdump"
            dump = staging / "motcua.pgdump"
            counts, revision, schema = _postgres_snapshot(engine, dump)
        files = [(dump_name, dump), *_data_files(Path(data_dir))]
        entries = [{"path": name, "size": path.stat().st_size, "sha256": _sha256_file(path)}
                   for name, path in files]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "alembic_revision": revision,
            "database": {"kind": kind, "file": dump_name, "schema": schema},
            "tables": counts,
            "calendar": {"tables": ["calendar_day", "office_day_off"], "in": "database"},
            "files": entries,
        }
        partial = staging / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(datetime.now(UTC).timestamp()), 0o600
            archive.addfile(info, io.BytesIO(body))
            for name, path in files:
                archive.add(path, arcname=name, recursive=False)
        digest = _sha256_file(partial)
        os.replace(partial, target)
    target.chmod(0o600)  # every citizen's files and personal data
    _audit(session, actor, "backup", file=target.name, sha256=digest, database=kind,
           files=len(entries), revision=revision)
    return BackupOutcome(target, manifest, digest)


def _sqlite_snapshot(engine: Engine, dump: Path) -> tuple[dict[str, int], str | None]:
    _sqlite_path(engine)
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(dump)
        try:
            raw.driver_connection.backup(destination)  # consistent even while citizens submit
        finally:
            destination.close()
    finally:
        raw.close()
    snapshot = sqlite3.connect(dump)
    try:
        snapshot.execute("pragma journal_mode=delete")  # one self-contained file
        return _sqlite_counts(snapshot)
    finally:
        snapshot.close()


def _postgres_snapshot(engine: Engine, dump: Path) -> tuple[dict[str, int], str | None, str]:
    uri, env = _libpq(engine.url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.execute(text("select pg_export_snapshot()")).scalar()
        schema = _pg_schema(connection)
        counts, revision = _pg_counts(connection, schema)
        # pg_dump sees exactly the rows counted above: the snapshot of this open transaction
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}",
              f"--snapshot={snapshot}", f"--file={dump}", uri], env,
             "Sao lưu PostgreSQL (pg_dump)", "Backing up PostgreSQL (pg_dump)")
        connection.rollback()
    return counts, revision, schema


# --- restore ----------------------------------------------------------------------------------


def _refuse(vi: str, en: str) -> BackupRefused:
    return BackupRefused(f"Không khôi phục: {vi}", f"Not restored: {en}")


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_archive(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack `archive` into `staging` after checking it: the manifest comes first and is
    ours, every member is a plain file it lists with that size and SHA-256, none is missing."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return _unpack(tar, staging)
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise _refuse("tệp không phải bản sao lưu của motcua, hoặc bị hỏng hay bị cắt ngắn.",
                      "the file is not a motcua backup, or it is damaged or truncated.") from exc


def _unpack(tar: tarfile.TarFile, staging: Path) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise _refuse("thiếu manifest.json ở đầu bản sao lưu.", "manifest.json is not the archive's first member.")
    extracted = tar.extractfile(first)
    assert extracted is not None
    try:
        manifest = json.loads(extracted.read().decode())
    except ValueError as exc:
        raise _refuse("manifest.json không đọc được.", "manifest.json cannot be read.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse("manifest.json không phải của motcua.", "manifest.json is not motcua's.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(f"định dạng bản sao lưu {manifest.get('format_version')!r} không được hỗ trợ "
                      f"(cần {FORMAT_VERSION}).",
                      f"backup format {manifest.get('format_version')!r} is not supported "
                      f"(expected {FORMAT_VERSION}).")
    try:
        expected = {str(entry["path"]): (int(entry["size"]), str(entry["sha256"])) for entry in manifest["files"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise _refuse("danh sách tệp trong manifest không đọc được.", "the manifest's file list is unreadable.") from exc
    seen: set[str] = set()
    while (member := tar.next()) is not None:
        name = member.name
        if name not in expected or name in seen or not member.isfile() or not _safe_name(name):
            raise _refuse(f"tệp «{name}» không có trong manifest.", f"“{name}” is not in the manifest.")
        seen.add(name)
        destination = staging / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None
        digest, size = hashlib.sha256(), 0
        with destination.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if (size, digest.hexdigest()) != expected[name]:
            raise _refuse(f"tệp «{name}» đã bị thay đổi (SHA-256 không khớp manifest).",
                          f"“{name}” was changed (its SHA-256 does not match the manifest).")
    missing = sorted(set(expected) - seen)
    if missing:
        raise _refuse(f"thiếu tệp {', '.join(missing[:5])}.", f"missing {', '.join(missing[:5])}.")
    return manifest


def _known_revision(revision: str | None) -> bool:
    from alembic.script import ScriptDirectory

    from catalog.schema import alembic_config

    if revision is None:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # an unknown revision id raises
        return False


def restore_backup(engine: Engine, data_dir: Path, archive: Path, *, actor: str) -> BackupOutcome:
    """Restore `archive` into the empty database of `engine` and the empty data folder
    `data_dir`; nothing is written when the archive or the target does not fit."""
    kind = database_kind(engine)
    archive, data_dir = Path(archive), Path(data_dir)
    with tempfile.TemporaryDirectory(prefix="motcua-restore-") as folder:
        staging = Path(folder)
        manifest = read_archive(archive, staging)
        database = manifest.get("database") or {}
        if database.get("kind") != kind:
            raise _refuse(f"bản sao lưu là của {database.get('kind')}, cơ sở dữ liệu đích là {kind}.",
                          f"the archive holds a {database.get('kind')} database, the target is {kind}.")
        revision = manifest.get("alembic_revision")
        if not _known_revision(revision):
            raise _refuse(f"phiên bản lược đồ {revision!r} không có trong bản motcua này (bản sao lưu "
                          "của một bản motcua mới hơn?).",
                          f"schema revision {revision!r} is unknown to this motcua (a backup of a newer one?).")
        dump = staging / str(database.get("file"))
        if not dump.is_file():
            raise _refuse("thiếu tệp cơ sở dữ liệu.", "the database file is missing.")
        for entry in manifest["files"]:
            if entry["path"] != database.get("file") and PurePosixPath(entry["path"]).parts[0] not in DATA_FOLDERS:
                raise _refuse(f"tệp «{entry['path']}» nằm ngoài các thư mục dữ liệu.",
                              f"“{entry['path']}” is outside the data folders.")
        if kind == "sqlite":
            _refuse_non_empty_sqlite(engine)
        else:
            _refuse_non_empty_postgres(engine, manifest)
        _refuse_non_empty_data(data_dir)
        if kind == "sqlite":
            _restore_sqlite(engine, dump, manifest)
        else:
            _restore_postgres(engine, dump, manifest)
        for entry in manifest["files"]:
            name = entry["path"]
            if name == database.get("file"):
                continue
            destination = data_dir / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / name, destination)
    engine.dispose()
    with Session(engine) as session:
        _audit(session, actor, "restore", file=archive.name, sha256=_sha256_file(archive),
               database=kind, created_at=manifest.get("created_at"), revision=revision,
               app_version=manifest.get("app_version"))
    return BackupOutcome(archive, manifest, _sha256_file(archive))


def _refuse_non_empty_data(data_dir: Path) -> None:
    for folder in DATA_FOLDERS:
        root = data_dir / folder
        if root.is_dir() and any(path.is_file() for path in root.rglob("*")):
            raise _refuse(f"thư mục dữ liệu {root} đã có tệp; hãy khôi phục vào một thư mục trống.",
                          f"the data folder {root} already holds files; restore into an empty one.")


def _check_counts(found: dict[str, int], manifest: dict[str, Any]) -> None:
    if found != manifest.get("tables"):
        raise _refuse("số dòng của các bảng khác với manifest.", "the tables' row counts differ from the manifest.")


def _restore_sqlite(engine: Engine, dump: Path, manifest: dict[str, Any]) -> None:
    source = sqlite3.connect(dump)
    try:
        counts, revision = _sqlite_counts(source)
        _check_counts(counts, manifest)
        if revision != manifest.get("alembic_revision"):
            raise _refuse("phiên bản lược đồ trong tệp khác với manifest.",
                          "the database file's schema revision differs from the manifest.")
        target = _sqlite_path(engine)
        _refuse_non_empty_sqlite(engine)
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
            destination.execute("pragma journal_mode=wal")
        finally:
            destination.close()
    finally:
        source.close()


def _refuse_non_empty_sqlite(engine: Engine) -> None:
    target = _sqlite_path(engine)
    engine.dispose()
    if not target.exists():
        return
    existing = sqlite3.connect(target)
    try:
        tables = existing.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0]
    finally:
        existing.close()
    if tables:
        raise _refuse(f"cơ sở dữ liệu đích {target.name} không trống.",
                      f"the target database {target.name} is not empty.")


def _refuse_non_empty_postgres(engine: Engine, manifest: dict[str, Any]) -> None:
    schema = (manifest.get("database") or {}).get("schema") or "public"
    with engine.connect() as connection:
        target_schema = _pg_schema(connection)
        if target_schema != schema:
            raise _refuse(f"bản sao lưu là của lược đồ «{schema}», cơ sở dữ liệu đích dùng «{target_schema}» "
                          "(search_path).",
                          f"the archive holds schema “{schema}”, the target uses “{target_schema}” (search_path).")
        tables = connection.execute(text(
            "select count(*) from information_schema.tables where table_schema = :schema"),
            {"schema": schema}).scalar()
    if tables:
        raise _refuse(f"lược đồ «{schema}» của cơ sở dữ liệu đích không trống.",
                      f"schema “{schema}” of the target database is not empty.")


def _restore_postgres(engine: Engine, dump: Path, manifest: dict[str, Any]) -> None:
    schema = (manifest.get("database") or {}).get("schema") or "public"
    _refuse_non_empty_postgres(engine, manifest)
    with engine.connect() as connection:
        connection.execute(text(f'create schema if not exists "{schema}"'))
        connection.commit()
    uri, env = _libpq(engine.url)
    listing = dump.with_suffix(".list")
    try:
        toc = subprocess.run(["pg_restore", "--list", str(dump)], env=env, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BackupRefused("Không đọc được bản sao lưu PostgreSQL (pg_restore --list).",
                            "The PostgreSQL dump cannot be read (pg_restore --list).") from exc
    # the schema itself exists already (created above): restore what is inside it
    kept = [line for line in toc.splitlines() if not _is_schema_entry(line, schema)]
    listing.write_text("\n".join(kept) + "\n")
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--use-list={listing}", f"--dbname={uri}", str(dump)], env,
         "Khôi phục PostgreSQL (pg_restore)", "Restoring PostgreSQL (pg_restore)")
    engine.dispose()
    with engine.connect() as connection:
        counts, _ = _pg_counts(connection, schema)
    _check_counts(counts, manifest)


def _is_schema_entry(line: str, schema: str) -> bool:
    """Whether a `pg_restore --list` line creates (or comments on) the schema itself."""
    if line.startswith(";") or ";" not in line:
        return False
    words = line.split(";", 1)[1].split()[2:]
    return words[:3] == ["SCHEMA", "-", schema] or words[:4] == ["COMMENT", "-", "SCHEMA", schema]
