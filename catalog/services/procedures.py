"""Import, edit and move procedure versions through draft → review → published → ended."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.db import utcnow
from catalog.models import AuditEvent, Procedure, ProcedureVersion, VersionStatus
from catalog.services.errors import DraftConflict, WorkflowError
from catalog.services.reference import agency_named, sector_named
from catalog.services.search_index import index_procedure
from catalog.text import fold
from form_schemas.canonical import document_hash
from form_schemas.groups import empty_groups
from form_schemas.validation import check_procedure

OPEN = (VersionStatus.draft, VersionStatus.in_review)
T = TypeVar("T")


@dataclass(frozen=True)
class ImportOutcome:
    code: str
    number: int
    status: VersionStatus
    changed: bool


def _audit(session: Session, actor: str, action: str, version: ProcedureVersion | None,
           procedure: Procedure | None = None, **detail: Any) -> None:
    procedure = procedure or (version.procedure if version else None)
    session.add(AuditEvent(
        actor=actor, action=action, detail=detail,
        procedure_id=procedure.id if procedure else None,
        version_id=version.id if version else None,
    ))


def _latest(procedure: Procedure) -> ProcedureVersion | None:
    return procedure.versions[-1] if procedure.versions else None


def _refresh_summary(session: Session, procedure: Procedure, version: ProcedureVersion) -> None:
    """Copy the facts lists and search need from the version that represents the procedure."""
    doc = version.document
    facts = doc["x-procedure"]
    procedure.name = doc["title"]
    procedure.sector = sector_named(session, facts["sector"])
    procedure.agency = _competent_agency(session, facts)
    procedure.levels = ",".join(facts["levels"])
    procedure.online_level = int(facts["onlineService"]["level"])
    procedure.search_text = fold(f"{procedure.code} {procedure.name} {facts['sector']}")
    procedure.status = version.status
    procedure.updated_at = utcnow()
    procedure.updated_by = version.updated_by or version.author
    index_procedure(session, procedure)


AGENCY_NAME_MAX = 500  # agency.name's length


def _competent_agency(session: Session, facts: dict[str, Any]) -> Any:
    """The competent agency row, or None when the document does not know it."""
    competent = (facts.get("agencies") or {}).get("competent")
    if not competent or len(" ".join(competent.split())) > AGENCY_NAME_MAX:
        return None  # too long to be one agency's name: the document keeps it, no agency row
    return agency_named(session, competent)


def _new_version(session: Session, procedure: Procedure, document: dict[str, Any], author: str) -> ProcedureVersion:
    procedure.latest_number += 1
    version = ProcedureVersion(
        procedure=procedure, number=procedure.latest_number, document=document,
        document_hash=document_hash(document), status=VersionStatus.draft,
        author=author, updated_by=author,
    )
    session.add(version)
    session.flush()
    return version


def _publish(session: Session, version: ProcedureVersion, actor: str, *, decision: str | None = None,
             decision_date: date | None = None, effective_from: date | None = None) -> None:
    procedure = version.procedure
    previous = procedure.published_version
    now = utcnow()
    if previous is not None and previous.id != version.id:
        previous.status = VersionStatus.superseded
        previous.ended_at = now
        _audit(session, actor, "supersede", previous, superseded_by=version.number)
    publication = version.document["x-procedure"].get("publication", {})
    version.status = VersionStatus.published
    version.published_at = now
    version.published_by = actor
    version.decision_number = decision or publication.get("decision")
    version.decision_date = decision_date or _date(publication.get("date"))
    version.effective_from = effective_from or _date(version.document["x-procedure"].get("effectiveFrom"))
    procedure.published_version = version
    _refresh_summary(session, procedure, version)
    _audit(session, actor, "publish", version, decision=version.decision_number)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def import_document(session: Session, document: dict[str, Any], *, author: str, publish: bool = False,
                    commit: bool = True) -> ImportOutcome:
    """Store a valid document as a new version (or into the open draft); unchanged → nothing.

    Raises `InvalidProcedure` (nothing stored) or `WorkflowError` (a version is in review).
    With `commit=False` the work happens in a savepoint of the caller's transaction (bulk
    imports commit in batches); a failure still undoes only this document.
    """
    check_procedure(document)
    return atomic(session, lambda: _store(session, document, author=author, publish=publish),
                  commit=commit)


def atomic(session: Session, work: Callable[[], T], *, commit: bool = True) -> T:
    """Run `work` as one unit: committed (or, with `commit=False`, in a savepoint of the
    caller's transaction, for bulk imports that commit in batches); a failure undoes only it."""
    if not commit:
        savepoint = session.begin_nested()
        try:
            result = work()
        except Exception:
            savepoint.rollback()
            raise
        savepoint.commit()
        return result
    try:
        result = work()
    except Exception:
        session.rollback()
        raise
    session.commit()
    return result


def _store(session: Session, document: dict[str, Any], *, author: str, publish: bool) -> ImportOutcome:
    code = document["x-procedure"]["code"]
    digest = document_hash(document)
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None:
        facts = document["x-procedure"]
        procedure = Procedure(
            code=code, name=document["title"], latest_number=0,
            sector=sector_named(session, facts["sector"]),
            agency=_competent_agency(session, facts),
        )
        session.add(procedure)
    latest = _latest(procedure)
    if latest is not None and latest.document_hash == digest:
        if publish and latest.status in OPEN:
            _publish(session, latest, author)
            return ImportOutcome(code, latest.number, latest.status, True)
        return ImportOutcome(code, latest.number, latest.status, False)
    if latest is not None and latest.status == VersionStatus.in_review:
        raise WorkflowError(
            f"Thủ tục {code}: phiên bản {latest.number} đang chờ duyệt; hãy duyệt hoặc trả lại trước khi nhập.",
            f"Procedure {code}: version {latest.number} is in review; approve or send it back before importing.",
        )
    if latest is not None and latest.status == VersionStatus.draft:
        version = latest
        version.document = document
        version.document_hash = digest
        version.updated_by = author
        version.updated_at = utcnow()
        _audit(session, author, "import_into_draft", version)
    else:
        version = _new_version(session, procedure, document, author)
        _audit(session, author, "import", version)
    if publish:
        _publish(session, version, author)
    elif procedure.published_version is None:
        _refresh_summary(session, procedure, version)
    else:
        procedure.status = version.status
    return ImportOutcome(code, version.number, version.status, True)


def _open_version(procedure: Procedure, wanted: VersionStatus) -> ProcedureVersion:
    latest = _latest(procedure)
    if latest is None or latest.status != wanted:
        labels = {VersionStatus.draft: ("bản nháp", "draft"), VersionStatus.in_review: ("đang chờ duyệt", "in review")}
        vi, en = labels.get(wanted, (wanted.value, wanted.value))
        raise WorkflowError(
            f"Thủ tục {procedure.code} không có phiên bản {vi}.",
            f"Procedure {procedure.code} has no version {en}.",
        )
    return latest


def new_draft(session: Session, procedure: Procedure, *, actor: str) -> ProcedureVersion:
    """Open a draft copied from the newest version (to amend a published procedure)."""
    latest = _latest(procedure)
    if latest is not None and latest.status in OPEN:
        return latest
    if latest is None:
        raise WorkflowError("Thủ tục chưa có phiên bản nào.", "The procedure has no version.")
    version = _new_version(session, procedure, latest.document, actor)
    procedure.status = procedure.status if procedure.published_version else VersionStatus.draft
    _audit(session, actor, "new_draft", version, copied_from=latest.number)
    session.commit()
    return version


def save_draft(session: Session, version: ProcedureVersion, document: dict[str, Any], *,
               expected_lock: int, actor: str, undo_label: str | None = None,
               previous: dict[str, Any] | None = None) -> ProcedureVersion:
    """Replace a draft's document; a stale `expected_lock` raises `DraftConflict`.

    With `undo_label` the replaced document (`previous`, else the version's current one) is
    kept as an undo step (catalog.services.undo) in the same transaction."""
    before = version.document if previous is None else previous
    if version.status != VersionStatus.draft:
        raise WorkflowError(
            f"Phiên bản {version.number} không còn là bản nháp nên không sửa được.",
            f"Version {version.number} is no longer a draft and cannot be edited.",
        )
    if version.lock_version != expected_lock:
        raise DraftConflict(version.number, version.updated_by or version.author, version.lock_version)
    check_procedure(document)
    if document["x-procedure"]["code"] != version.procedure.code:
        raise WorkflowError(
            "Không được đổi mã thủ tục của một thủ tục đã có; hãy tạo thủ tục mới.",
            "The code of an existing procedure cannot change; create a new procedure instead.",
        )
    version.document = document
    version.document_hash = document_hash(document)
    version.updated_by = actor
    version.updated_at = utcnow()
    _audit(session, actor, "edit", version)
    if undo_label is not None:
        from catalog.services.undo import record_step

        record_step(session, version, before, undo_label, actor)
    if version.procedure.published_version is None:
        _refresh_summary(session, version.procedure, version)
    session.commit()
    return version


def _refuse_empty_groups(version: ProcedureVersion) -> None:
    """A group with no fields may be saved in a draft, never sent on towards publication."""
    empty = empty_groups(version.document)
    if not empty:
        return
    names_vi = ", ".join(f"«{group.title}» ({group.pointer})" for group in empty)
    names_en = ", ".join(f"'{group.title}' ({group.pointer})" for group in empty)
    if len(empty) == 1:
        raise WorkflowError(
            f"Nhóm {names_vi} chưa có trường nào: hãy thêm trường vào nhóm hoặc xóa nhóm "
            "trước khi trình duyệt.",
            f"Group {names_en} has no fields yet: add fields to it or delete it before "
            "submitting for review.",
        )
    raise WorkflowError(
        f"Các nhóm {names_vi} chưa có trường nào: hãy thêm trường vào các nhóm này hoặc xóa "
        "chúng trước khi trình duyệt.",
        f"Groups {names_en} have no fields yet: add fields to them or delete them before "
        "submitting for review.",
    )


def submit_for_review(session: Session, procedure: Procedure, *, actor: str) -> ProcedureVersion:
    """Send the draft to an approver; refused while a group of its form has no fields."""
    version = _open_version(procedure, VersionStatus.draft)
    _refuse_empty_groups(version)
    version.status = VersionStatus.in_review
    version.submitted_by = actor
    version.review_comment = None
    if procedure.published_version is None:
        procedure.status = VersionStatus.in_review
    _audit(session, actor, "submit", version)
    session.commit()
    return version


def send_back(session: Session, procedure: Procedure, *, actor: str, comment: str) -> ProcedureVersion:
    if not comment.strip():
        raise WorkflowError("Hãy ghi lý do trả lại.", "Give a reason for sending it back.")
    version = _open_version(procedure, VersionStatus.in_review)
    version.status = VersionStatus.draft
    version.review_comment = comment.strip()
    if procedure.published_version is None:
        procedure.status = VersionStatus.draft
    _audit(session, actor, "send_back", version, comment=comment.strip())
    session.commit()
    return version


def approve_and_publish(session: Session, procedure: Procedure, *, actor: str, decision: str,
                        decision_date: date, effective_from: date | None = None) -> ProcedureVersion:
    """An approver publishes the version in review; nobody approves their own draft."""
    version = _open_version(procedure, VersionStatus.in_review)
    _refuse_empty_groups(version)  # sent for review before the rule existed
    if actor in {version.author, version.submitted_by, version.updated_by}:
        raise WorkflowError(
            "Bạn không thể phê duyệt bản nháp do chính mình soạn.",
            "You cannot approve a draft you wrote yourself.",
        )
    if not decision.strip():
        raise WorkflowError("Hãy nhập số quyết định công bố.", "Enter the announcing decision number.")
    _publish(session, version, actor, decision=decision.strip(), decision_date=decision_date,
             effective_from=effective_from)
    session.commit()
    return version


def publish(session: Session, version: ProcedureVersion, *, actor: str) -> ProcedureVersion:
    """Publish directly (administrators' import); supersedes the published version."""
    if version.status not in OPEN:
        raise WorkflowError(
            f"Phiên bản {version.number} đang ở trạng thái {version.status.value}.",
            f"Version {version.number} is {version.status.value}.",
        )
    _publish(session, version, actor)
    session.commit()
    return version


def abolish(session: Session, procedure: Procedure, *, actor: str, reason: str) -> ProcedureVersion:
    """End the published version with a reason; citizens no longer see the procedure."""
    version = procedure.published_version
    if version is None:
        raise WorkflowError("Thủ tục chưa được công bố.", "The procedure is not published.")
    if not reason.strip():
        raise WorkflowError("Hãy ghi lý do bãi bỏ.", "Give the reason for abolishing it.")
    version.status = VersionStatus.abolished
    version.ended_at = utcnow()
    version.abolished_reason = reason.strip()
    procedure.published_version = None
    procedure.status = VersionStatus.abolished
    index_procedure(session, procedure)  # no longer among the published in the index's filters
    _audit(session, actor, "abolish", version, reason=reason.strip())
    session.commit()
    return version


def current_document(session: Session, code: str) -> dict[str, Any] | None:
    """The published document of a procedure, or None."""
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None or procedure.published_version is None:
        return None
    return procedure.published_version.document
