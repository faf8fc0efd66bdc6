"""Import and export of procedure documents: one JSON file, or a zip of many."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Procedure, VersionStatus
from catalog.services.errors import ServiceError
from catalog.services.procedures import import_document
from form_schemas.checks import MAX_DOCUMENT_BYTES
from form_schemas.loading import parse_document
from form_schemas.problems import InvalidProcedure, SchemaProblem

MAX_MEMBERS = 3000
MAX_BUNDLE_BYTES = 64 * 1024 * 1024


@dataclass
class BundleItem:
    """What happened to one file of an import."""

    name: str
    code: str | None = None
    number: int | None = None
    status: VersionStatus | None = None
    changed: bool = False
    problems: list[SchemaProblem] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.error is None


class BundleRejected(ServiceError):
    """The uploaded file is not a JSON document or a zip of them."""


def _members(data: bytes, filename: str) -> list[tuple[str, bytes | SchemaProblem]]:
    """(name, bytes) for each document in the upload, or (name, problem) when unreadable."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if filename.lower().endswith(".zip"):
            raise BundleRejected("Tệp .zip bị hỏng hoặc không phải tệp zip.", "The .zip file is damaged or not a zip.")
        return [(filename or "document.json", data)]
    found: list[tuple[str, bytes | SchemaProblem]] = []
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".json")
                 and not i.filename.split("/")[-1].startswith(".") and "__MACOSX" not in i.filename]
        if len(infos) > MAX_MEMBERS:
            raise BundleRejected(f"Tệp zip có quá {MAX_MEMBERS} tài liệu.", f"The zip holds more than {MAX_MEMBERS} documents.")
        for info in sorted(infos, key=lambda i: i.filename):
            if info.file_size > MAX_DOCUMENT_BYTES:
                found.append((info.filename, SchemaProblem(
                    "", f"tệp lớn hơn 1 MiB ({info.file_size} byte)", f"file is larger than 1 MiB ({info.file_size} bytes)")))
                continue
            total += info.file_size
            if total > MAX_BUNDLE_BYTES:
                raise BundleRejected("Tệp zip giải nén quá lớn.", "The zip expands to too much data.")
            with archive.open(info) as member:
                found.append((info.filename, member.read(MAX_DOCUMENT_BYTES + 1)))
    if not found:
        raise BundleRejected("Tệp zip không có tài liệu .json nào.", "The zip holds no .json document.")
    return found


def import_bundle(session: Session, data: bytes, *, filename: str, author: str,
                  publish: bool = False) -> list[BundleItem]:
    """Import each document of a JSON file or zip as a draft (or published); invalid ones skipped."""
    items: list[BundleItem] = []
    for name, content in _members(data, filename):
        item = BundleItem(name)
        items.append(item)
        if isinstance(content, SchemaProblem):
            item.problems = [content]
            continue
        try:
            outcome = import_document(session, parse_document(content), author=author, publish=publish)
        except InvalidProcedure as exc:
            item.problems = list(exc.problems)
            continue
        except ServiceError as exc:
            item.error = exc.message_vi
            continue
        item.code, item.number, item.status, item.changed = (
            outcome.code, outcome.number, outcome.status, outcome.changed)
    return items


def _document_for(procedure: Procedure, latest: bool) -> dict[str, Any] | None:
    if latest and procedure.versions:
        return procedure.versions[-1].document
    return procedure.published_version.document if procedure.published_version else None


def export_document(procedure: Procedure, *, latest: bool = False) -> bytes:
    """One procedure's document as UTF-8 JSON (published version, or the newest with `latest`)."""
    document = _document_for(procedure, latest)
    if document is None:
        raise ServiceError(f"Thủ tục {procedure.code} chưa có phiên bản công bố.",
                           f"Procedure {procedure.code} has no published version.")
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_bundle(session: Session, codes: list[str] | None = None, *, latest: bool = False) -> bytes:
    """A zip with `<code>.json` per procedure (all, or those in `codes`) that has a document."""
    stmt = select(Procedure).order_by(Procedure.code)
    if codes:
        stmt = stmt.where(Procedure.code.in_(codes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for procedure in session.scalars(stmt):
            if _document_for(procedure, latest) is not None:
                archive.writestr(f"{procedure.code}.json", export_document(procedure, latest=latest))
    return buffer.getvalue()
