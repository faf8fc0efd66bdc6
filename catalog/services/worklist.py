"""What waits for an officer when they sign in: counts of the work in the catalogue, by kind.

Each count is one query (or the review queue's one JSON-path read); the back office's landing
page shows the ones the officer's role may act on, each with a link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from catalog.models import NationalRecord, Procedure, ProcedureVersion, VersionStatus
from catalog.services.postings import office_summaries
from catalog.services.review import review_queue


@dataclass(frozen=True)
class Worklist:
    """Counts of what waits; `national_codes` names the first procedures with a national update."""

    my_drafts: int
    sent_back_to_me: int
    waiting_for_review: int
    facts_to_check: int
    procedures_to_check: int
    national_updates: int
    national_codes: tuple[str, ...]
    stale_notices: int
    offices_with_stale: int


def _open_drafts(user: str):  # type: ignore[no-untyped-def]
    """The newest version of each procedure when it is a draft written or last edited by `user`."""
    return (select(func.count(ProcedureVersion.id))
            .join(Procedure, and_(Procedure.id == ProcedureVersion.procedure_id,
                                  Procedure.latest_number == ProcedureVersion.number))
            .where(ProcedureVersion.status == VersionStatus.draft,
                   or_(ProcedureVersion.author == user, ProcedureVersion.updated_by == user)))


def worklist(session: Session, user: str, *, postings: bool = True) -> Worklist:
    """The counts for `user` (a username); `postings=False` skips the per-office notice check."""
    drafts = session.scalar(_open_drafts(user).where(ProcedureVersion.review_comment.is_(None))) or 0
    sent_back = session.scalar(_open_drafts(user).where(ProcedureVersion.review_comment.is_not(None))) or 0
    waiting = session.scalar(
        select(func.count(ProcedureVersion.id)).where(
            ProcedureVersion.status == VersionStatus.in_review,
            or_(ProcedureVersion.submitted_by.is_(None), ProcedureVersion.submitted_by != user),
            ProcedureVersion.author != user)) or 0
    queue = review_queue(session, per_page=1)
    national = list(session.scalars(
        select(Procedure.code).join(NationalRecord, NationalRecord.procedure_id == Procedure.id)
        .where(NationalRecord.pending_since.is_not(None)).order_by(Procedure.code)))
    stale = [summary for summary in office_summaries(session) if summary.stale] if postings else []
    return Worklist(
        my_drafts=drafts, sent_back_to_me=sent_back, waiting_for_review=waiting,
        facts_to_check=queue.total, procedures_to_check=queue.procedures,
        national_updates=len(national), national_codes=tuple(national[:5]),
        stale_notices=sum(summary.stale for summary in stale), offices_with_stale=len(stale),
    )
