"""Sectors and agencies: reference tables filled from procedure documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Agency, Sector
from catalog.text import fold


def sector_named(session: Session, name: str) -> Sector:
    """The sector with this name, created when new (not committed)."""
    return _named(session, Sector, name)


def agency_named(session: Session, name: str) -> Agency:
    """The agency with this name, created when new (not committed)."""
    return _named(session, Agency, name)


def _named(session: Session, model: type[Sector] | type[Agency], name: str) -> Any:
    """Find or create by name, remembering rows for the session (bulk imports ask often)."""
    name = " ".join(name.split())
    known: dict[tuple[str, str], Any] = session.info.setdefault("reference_rows", {})
    row = known.get((model.__tablename__, name))
    if row is not None and row in session:
        return row
    with session.no_autoflush:
        row = session.scalar(select(model).where(model.name == name))
    if row is None:
        row = model(name=name, name_folded=fold(name))
        session.add(row)
    known[(model.__tablename__, name)] = row
    return row
