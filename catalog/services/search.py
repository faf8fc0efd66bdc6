"""Search published and draft procedures by name, code and sector, ignoring accents and case."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from catalog.models import Agency, Office, Procedure, ProcedureVersion, Sector, VersionStatus
from catalog.services.offices import received_condition
from catalog.text import fold


@dataclass(frozen=True)
class SearchPage:
    items: list[Procedure]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(q: str | None, sector_id: int | None, level: str | None, online_level: int | None,
              published_only: bool, office: Office | None = None) -> Select:
    stmt = select(Procedure)
    conditions = []
    for word in fold(q or "").split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Procedure.search_text.like(f"%{escaped}%", escape="\\"))
    if sector_id:
        conditions.append(Procedure.sector_id == sector_id)
    if level:
        conditions.append(Procedure.levels.like(f"%{level}%"))
    if online_level:
        conditions.append(Procedure.online_level == online_level)
    if published_only:
        conditions.append(Procedure.published_version_id.is_not(None))
    if office is not None:
        conditions.append(received_condition(office))
    return stmt.where(and_(*conditions)) if conditions else stmt


def search_procedures(session: Session, q: str | None = None, *, sector_id: int | None = None,
                      level: str | None = None, online_level: int | None = None,
                      published_only: bool = True, page: int = 1, per_page: int = 20,
                      office: Office | None = None) -> SearchPage:
    """A page of procedures matching every word of `q` (accent- and case-insensitive); with
    `office`, only those the office receives."""
    page = max(1, page)
    stmt = _filtered(q, sector_id, level, online_level, published_only, office)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = list(session.scalars(stmt.order_by(Procedure.code).offset((page - 1) * per_page).limit(per_page)))
    return SearchPage(items, total, page, per_page)


def sector_counts(session: Session, published_only: bool = True,
                  office: Office | None = None) -> list[tuple[Sector, int]]:
    """Sectors with how many procedures each has (that `office` receives, when given), largest first."""
    stmt = select(Sector, func.count(Procedure.id)).join(Procedure, Procedure.sector_id == Sector.id)
    if published_only:
        stmt = stmt.where(Procedure.status == VersionStatus.published)
    if office is not None:
        stmt = stmt.where(received_condition(office))
    stmt = stmt.group_by(Sector.id).order_by(func.count(Procedure.id).desc(), Sector.name)
    return [(sector, count) for sector, count in session.execute(stmt)]


def published_versions(session: Session, *, sector: str | None = None, level: str | None = None,
                       agency: str | None = None) -> list[tuple[Procedure, ProcedureVersion]]:
    """Every published procedure with its current version, by code; `sector` and `agency` match
    names ignoring accents and case (a part of the name is enough), `level` is a level key."""
    stmt = (select(Procedure, ProcedureVersion)
            .join(ProcedureVersion, ProcedureVersion.id == Procedure.published_version_id)
            .order_by(Procedure.code))
    if sector:
        stmt = stmt.join(Sector, Sector.id == Procedure.sector_id).where(
            Sector.name_folded.contains(fold(sector), autoescape=True))
    if agency:
        stmt = stmt.join(Agency, Agency.id == Procedure.agency_id).where(
            Agency.name_folded.contains(fold(agency), autoescape=True))
    if level:
        stmt = stmt.where(Procedure.levels.contains(level, autoescape=True))
    return [(procedure, version) for procedure, version in session.execute(stmt)]
