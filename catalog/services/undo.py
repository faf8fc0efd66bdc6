"""Undo in the editor: every save of a draft's document remembers the document it replaced.

`record_step` is called by `save_draft` (catalog.services.procedures) in the save's own
transaction; the newest `KEEP` steps per draft version are kept. `undo_last` puts the newest
one back through the normal save path (optimistic lock, validation, "edit" audit event), adds
an "undo" audit event and forgets the step; undoing is itself not recorded, so repeated undos
walk back one save at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from catalog.models import AuditEvent, ProcedureVersion
from catalog.models.undo import UndoStep
from catalog.services.errors import ServiceError

KEEP = 30


class NothingToUndo(ServiceError):
    """The draft has no earlier document to go back to."""

    def __init__(self) -> None:
        super().__init__("Không còn thay đổi nào để hoàn tác.", "There is no change left to undo.")


def record_step(session: Session, version: ProcedureVersion, previous: dict[str, Any], label: str,
                actor: str) -> None:
    """Remember `previous` as the document before the change `label`; keep the newest KEEP."""
    session.add(UndoStep(version_id=version.id, label=label[:400], document=previous, actor=actor))
    session.flush()
    ids = select(UndoStep.id).where(UndoStep.version_id == version.id) \
        .order_by(UndoStep.id.desc()).offset(KEEP)
    stale = list(session.scalars(ids))
    if stale:
        session.execute(delete(UndoStep).where(UndoStep.id.in_(stale)))


def last_step(session: Session, version: ProcedureVersion) -> UndoStep | None:
    """The change an undo would take back, or None."""
    return session.scalars(select(UndoStep).where(UndoStep.version_id == version.id)
                           .order_by(UndoStep.id.desc()).limit(1)).first()


def count_steps(session: Session, version: ProcedureVersion) -> int:
    """How many saves of this draft can be undone."""
    return session.scalar(select(func.count()).select_from(UndoStep)
                          .where(UndoStep.version_id == version.id)) or 0


def undo_last(session: Session, version: ProcedureVersion, actor: str, *,
              expected_lock: int | None = None) -> UndoStep:
    """Restore the document before the draft's last save; returns the step undone.

    `expected_lock` is the lock_version the officer's page was made on (None: the draft as it
    is now, for callers without a page). Raises `NothingToUndo`, `DraftConflict` (stale lock),
    `WorkflowError` (not a draft) or `InvalidProcedure`; nothing is changed then."""
    from catalog.services.procedures import save_draft

    step = last_step(session, version)
    if step is None:
        raise NothingToUndo()
    label, document = step.label, step.document
    try:
        session.delete(step)
        session.add(AuditEvent(actor=actor, action="undo", detail={"change": label},
                               procedure_id=version.procedure_id, version_id=version.id))
        lock = version.lock_version if expected_lock is None else expected_lock
        save_draft(session, version, document, expected_lock=lock, actor=actor)
    except Exception:
        session.rollback()
        raise
    return step
