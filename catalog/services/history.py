"""Finding procedures and their versions, and comparing two versions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Procedure, ProcedureVersion
from catalog.services.errors import ServiceError
from form_schemas.diff import Change, diff_documents


class NotFound(ServiceError):
    """No procedure or version by that code or number."""


def procedure_by_code(session: Session, code: str) -> Procedure:
    """The procedure with this code; raises `NotFound`."""
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã {code}.", f"There is no procedure with code {code}.")
    return procedure


def version_of(procedure: Procedure, number: int) -> ProcedureVersion:
    """Version `number` of a procedure; raises `NotFound`."""
    for version in procedure.versions:
        if version.number == number:
            return version
    raise NotFound(f"Thủ tục {procedure.code} không có phiên bản {number}.",
                   f"Procedure {procedure.code} has no version {number}.")


def latest_version(procedure: Procedure) -> ProcedureVersion | None:
    """The newest version (the one being edited or reviewed, else the last published)."""
    return procedure.versions[-1] if procedure.versions else None


def compare_versions(procedure: Procedure, old: int, new: int) -> list[Change]:
    """Readable differences from version `old` to version `new`."""
    return diff_documents(version_of(procedure, old).document, version_of(procedure, new).document)
