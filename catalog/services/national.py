"""The national catalogue is upstream; local work is kept.

A procedure imported from the national catalogue remembers the converted national document
its versions derive from (`NationalRecord.base_document`). Re-importing its record:
- a new code is stored through the normal versioning and linked to its record (`created`);
- the same converted document as the base, with no update waiting, changes nothing
  (`unchanged`);
- a procedure never edited locally (its newest version is the base, and not abolished; before
  this table existed: every version written by the importer) gets the national document as a
  new version, published when asked (`updated`);
- a procedure edited locally keeps its versions untouched; the national document waits as a
  pending update (`kept_local` when national and local changes touch different places,
  `conflict` when they overlap) until an officer merges it into a new draft
  (`merge_national_update`) or dismisses it.
A local procedure is never replaced silently. The CLI, the back office and the REST API all
use these functions.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.db import utcnow
from catalog.models import NationalRecord, Procedure, ProcedureVersion, VersionStatus
from catalog.services.errors import ServiceError, WorkflowError
from catalog.services.procedures import _audit, _new_version, _refresh_summary, _store, atomic
from form_schemas.canonical import document_hash
from form_schemas.merge import SAME, MergeError, Row, diff3, merge
from form_schemas.validation import check_procedure

IMPORTER = "import-national"


class SyncOutcome(enum.StrEnum):
    created = "created"
    updated = "updated"
    kept_local = "kept_local"
    conflict = "conflict"
    unchanged = "unchanged"


class NationalConversion(Protocol):
    """What the service reads of a converted national record."""

    code: str
    document: dict[str, Any]
    source_hash: str


@dataclass(frozen=True)
class SyncResult:
    """What one record did: the outcome, the procedure's newest version, and for an update kept
    aside how many places the national catalogue changed and how many of them conflict."""

    code: str
    outcome: SyncOutcome
    number: int | None = None
    changes: int = 0
    conflicts: int = 0


@dataclass(frozen=True)
class NationalUpdate:
    """A pending national update of a procedure, with its diff rows for display."""

    code: str
    since: datetime | None
    record_hash: str | None
    base_known: bool
    local_number: int
    local_status: VersionStatus
    rows: list[Row] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Row]:
        return [row for row in self.rows if row.conflict]

    @property
    def applied(self) -> list[Row]:
        """The national changes taken without a choice."""
        return [row for row in self.rows if row.status == "apply"]


class InvalidChoices(ServiceError):
    """The choices sent for a merge name a place that is not a conflict, or an unknown side."""


def _now() -> datetime:
    return utcnow()


def record_of(session: Session, procedure: Procedure) -> NationalRecord | None:
    """The national record a procedure is linked to, if any."""
    return session.scalar(select(NationalRecord).where(NationalRecord.procedure_id == procedure.id))


def _only_imported(procedure: Procedure, importer: str) -> bool:
    """Whether every version was written by the importer and nobody else touched it."""
    return bool(procedure.versions) and all(
        v.author == importer and (v.updated_by or importer) == importer for v in procedure.versions)


def _set_base(record: NationalRecord, document: dict[str, Any] | None, digest: str | None,
              record_hash: str | None) -> None:
    """Make `document` the merge base (stored as given: pass a copy of a version's document)."""
    record.base_document = document
    record.base_hash = digest
    record.record_hash = record_hash
    record.imported_at = _now()
    _clear_pending(record)


def _clear_pending(record: NationalRecord) -> None:
    record.pending_document = None
    record.pending_hash = None
    record.pending_record_hash = None
    record.pending_since = None


def sync_national(session: Session, conversion: NationalConversion, *, publish: bool,
                  author: str = IMPORTER, commit: bool = True) -> SyncResult:
    """Store one converted national record without overwriting local work (see the module).

    Raises `InvalidProcedure` (an invalid document; nothing stored) or `WorkflowError` (a
    never-edited procedure has a version in review). With `commit=False` the work happens in a
    savepoint of the caller's transaction (bulk imports commit in batches).
    """
    check_procedure(conversion.document)
    return atomic(session, lambda: _sync(session, conversion, publish=publish, author=author),
                  commit=commit)


def _sync(session: Session, conversion: NationalConversion, *, publish: bool, author: str) -> SyncResult:
    document = conversion.document
    code = document["x-procedure"]["code"]
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None:
        stored = _store(session, document, author=author, publish=publish)
        procedure = session.scalar(select(Procedure).where(Procedure.code == code))
        assert procedure is not None
        record = NationalRecord(procedure_id=procedure.id)
        _set_base(record, document, procedure.versions[-1].document_hash, conversion.source_hash)
        session.add(record)
        _audit(session, author, "national_link", None, procedure, record_hash=conversion.source_hash)
        return SyncResult(code, SyncOutcome.created, stored.number)

    latest = procedure.versions[-1] if procedure.versions else None
    record = record_of(session, procedure)
    if record is None:
        # Linked now: a procedure only the importer wrote derives from its newest version; one
        # modelled by hand has no known national ancestor.
        record = NationalRecord(procedure_id=procedure.id)
        if latest is not None and _only_imported(procedure, author):
            _set_base(record, copy.deepcopy(latest.document), latest.document_hash, None)
        else:
            _set_base(record, None, None, None)
        session.add(record)
        _audit(session, author, "national_link", None, procedure, base_known=record.base_hash is not None)

    number = latest.number if latest is not None else None
    digest = document_hash(document)
    if record.base_hash == digest:
        record.record_hash = conversion.source_hash
        if record.pending_document is not None:
            _clear_pending(record)
            _audit(session, author, "national_update_withdrawn", None, procedure)
        if publish and latest is not None and latest.status == VersionStatus.draft \
                and latest.document_hash == digest:
            stored = _store(session, document, author=author, publish=True)
            return SyncResult(code, SyncOutcome.updated, stored.number)
        return SyncResult(code, SyncOutcome.unchanged, number)
    if record.pending_hash == digest:
        record.pending_record_hash = conversion.source_hash
        return SyncResult(code, SyncOutcome.unchanged, number)

    never_edited = latest is None or (
        record.base_hash is not None and latest.document_hash == record.base_hash
        and latest.status != VersionStatus.abolished)  # abolishing is a local decision too
    if never_edited:
        stored = _store(session, document, author=author, publish=publish)
        _set_base(record, document, digest, conversion.source_hash)
        _audit(session, author, "national_update", None, procedure, record_hash=conversion.source_hash,
               number=stored.number, published=publish)
        return SyncResult(code, SyncOutcome.updated, stored.number)

    rows = diff3(record.base_document, latest.document, document)
    if all(row.status == SAME for row in rows):
        # The local version already has every national change: the base moves on.
        _set_base(record, document, digest, conversion.source_hash)
        return SyncResult(code, SyncOutcome.unchanged, number)
    record.pending_document = document
    record.pending_hash = digest
    record.pending_record_hash = conversion.source_hash
    record.pending_since = _now()
    conflicts = sum(1 for row in rows if row.conflict)
    outcome = SyncOutcome.conflict if conflicts else SyncOutcome.kept_local
    _audit(session, author, "national_update_pending", latest, procedure, record_hash=conversion.source_hash,
           changes=len(rows), conflicts=conflicts)
    return SyncResult(code, outcome, number, changes=len(rows), conflicts=conflicts)


def national_update(session: Session, procedure: Procedure) -> NationalUpdate | None:
    """The national update waiting for this procedure, with one row per changed place; None
    when there is none."""
    record = record_of(session, procedure)
    latest = procedure.versions[-1] if procedure.versions else None
    if record is None or record.pending_document is None or latest is None:
        return None
    rows = diff3(record.base_document, latest.document, record.pending_document)
    return NationalUpdate(
        code=procedure.code, since=record.pending_since, record_hash=record.pending_record_hash,
        base_known=record.base_document is not None, local_number=latest.number,
        local_status=latest.status, rows=rows,
    )


def _pending(session: Session, procedure: Procedure) -> tuple[NationalRecord, ProcedureVersion]:
    record = record_of(session, procedure)
    latest = procedure.versions[-1] if procedure.versions else None
    if record is None or record.pending_document is None or latest is None:
        raise WorkflowError(
            f"Thủ tục {procedure.code} không có bản cập nhật nào từ Cơ sở dữ liệu quốc gia.",
            f"Procedure {procedure.code} has no update from the national database.",
        )
    if latest.status == VersionStatus.in_review:
        raise WorkflowError(
            f"Phiên bản {latest.number} đang chờ duyệt; hãy duyệt hoặc trả lại trước khi gộp bản cập nhật.",
            f"Version {latest.number} is in review; approve or send it back before merging the update.",
        )
    return record, latest


def merge_national_update(session: Session, procedure: Procedure, *, choices: Mapping[str, str],
                          actor: str) -> ProcedureVersion:
    """Merge the pending national update into a draft: the open draft when the newest version is
    one, else a new draft; the published version is untouched (review and publish follow).

    `choices` maps each conflicting place to "local" or "national" (a conflict without a choice
    keeps the local value). Raises `InvalidChoices`, `WorkflowError` (no update, or a version in
    review) or `InvalidProcedure` (the merged document is invalid: nothing is stored). The base
    moves to the merged national document and the update is cleared.
    """
    record, latest = _pending(session, procedure)
    pending = record.pending_document
    assert pending is not None
    try:
        merged = merge(record.base_document, latest.document, pending, choices)
    except MergeError as exc:
        raise InvalidChoices(exc.message_vi, exc.message_en) from exc
    merged.setdefault("x-procedure", {})["code"] = procedure.code
    check_procedure(merged)
    rows = diff3(record.base_document, latest.document, pending)
    digest = document_hash(merged)
    version = latest
    if digest != latest.document_hash:
        if latest.status == VersionStatus.draft:
            latest.document = merged
            latest.document_hash = digest
            latest.updated_by = actor
            latest.updated_at = _now()
        else:
            version = _new_version(session, procedure, merged, actor)
        if procedure.published_version is None:
            _refresh_summary(session, procedure, version)
    _audit(session, actor, "national_merge", version, procedure, record_hash=record.pending_record_hash,
           applied=[r.place for r in rows if r.status == "apply"],
           national=sorted(p for p, side in choices.items() if side == "national"),
           local=[r.place for r in rows if r.conflict and choices.get(r.place) != "national"])
    _set_base(record, pending, record.pending_hash, record.pending_record_hash)
    session.commit()
    return version


def dismiss_national_update(session: Session, procedure: Procedure, *, actor: str) -> None:
    """Keep the local version as it is: the pending update becomes the base, nothing else changes."""
    record, _latest = _pending(session, procedure)
    _audit(session, actor, "national_dismiss", None, procedure, record_hash=record.pending_record_hash)
    _set_base(record, record.pending_document, record.pending_hash, record.pending_record_hash)
    session.commit()
