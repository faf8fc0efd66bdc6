"""The back office's list of procedures: search, filters by sector and status, pages."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import Dossier, Office, Procedure, ProcedureVersion, Sector, VersionStatus
from catalog.services.search import SearchPage, _filtered


def procedure_list(session: Session, q: str | None = None, *, sector_id: int | None = None,
                   status: VersionStatus | None = None, published_only: bool = False,
                   page: int = 1, per_page: int = 25, office: Office | None = None) -> SearchPage:
    """Procedures matching every word of `q` (accents and case ignored), newest edits first;
    with `office`, only those it receives."""
    page = max(1, page)
    stmt = _filtered(q, sector_id, None, None, published_only, office)
    if status is not None:
        stmt = stmt.where(Procedure.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Procedure.updated_at.desc(), Procedure.code).offset((page - 1) * per_page).limit(per_page)
    )
    return SearchPage(list(rows), total, page, per_page)


def sectors(session: Session) -> list[Sector]:
    """Every sector, by name."""
    return list(session.scalars(select(Sector).order_by(Sector.name)))


def dossier_page(session: Session, procedure: Procedure, *, page: int = 1,
                 per_page: int = 50) -> tuple[int, list[tuple[Dossier, int | None]]]:
    """Dossiers filed under a procedure, newest first, each with its version number."""
    where = Dossier.procedure_id == procedure.id
    total = session.scalar(select(func.count()).select_from(Dossier).where(where)) or 0
    rows = session.execute(
        select(Dossier, ProcedureVersion.number)
        .outerjoin(ProcedureVersion, ProcedureVersion.id == Dossier.version_id)
        .where(where).order_by(Dossier.received_at.desc(), Dossier.id.desc())
        .offset((max(1, page) - 1) * per_page).limit(per_page)
    )
    return total, [(dossier, number) for dossier, number in rows]
