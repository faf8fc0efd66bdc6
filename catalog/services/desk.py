"""The reception desk's day and its search, per office: what the desk pages read.

The rule: every list is restricted to `offices` (a list of office ids; None means every office,
the Admin's view; an empty list means none: a user of no office sees nothing). The statuses,
the due date and lateness are catalog.services.dossier_status's (`CLOCK_RUNS`, `due_date`,
`is_late`); this module only selects. A late dossier needs the apology and extension letter
(slip 04): it is flagged `unapologised` every day until an "extended" event exists since the
clock last restarted (a supplement received restarts it and drops the earlier extension).

Search: a dossier code (or part of it), the applicant's name without regard to accents or case
(catalog.text.fold, kept folded on the dossier: matched in SQL), a phone number (normalised as the dossier stores it) or a citizen ID
(CCCD / số định danh: narrowed in SQL on the dossier's data, then confirmed on an ID field of
the form, the way applicant_contact reads the applicant's fields).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from catalog.calendar import VN_TIME
from catalog.db import utcnow
from catalog.models import Dossier, DossierEvent, Notification
from catalog.services import notifications
from catalog.services.dossier_status import CLOCK_RUNS, supplement_sent_at
from catalog.services.dossiers import _walk, dossier_document, normalise_phone
from catalog.text import fold

RECENT_SUPPLEMENTS = timedelta(days=7)  # how long a supplement received stays on the day's list
SHOWN = 50  # dossiers a list of the day shows (its total is counted)
FOUND_MAX = 50
ID_KEYS = frozenset({"citizen_id", "so_dinh_danh", "so_dinh_danh_ca_nhan", "cccd", "so_cccd",
                     "id_number", "so_giay_to"})
ID_FORMATS = frozenset({"vn-citizen-id", "vn-id-card"})


class Listed(list[Dossier]):
    """The first `SHOWN` dossiers of a list, and how many the list holds (`total`)."""

    total: int = 0


@dataclass
class DeskDay:
    """The desk's lists for one day; `unapologised`: codes of late dossiers without slip 04."""

    waiting: Listed = field(default_factory=Listed)
    due_soon: Listed = field(default_factory=Listed)
    late: Listed = field(default_factory=Listed)
    unapologised: set[str] = field(default_factory=set)
    supplements: Listed = field(default_factory=Listed)
    failed: list[Notification] = field(default_factory=list)
    sent_supplements: Listed = field(default_factory=Listed)  # sent online, to check


def _at(stmt: Select[Any], offices: Sequence[int] | None) -> Select[Any]:
    return stmt if offices is None else stmt.where(Dossier.office_id.in_(list(offices)))


def _list(session: Session, stmt: Select[Any], offices: Sequence[int] | None, limit: int | None = None) -> Listed:
    """The list's first `limit` (SHOWN) dossiers with their procedures, and its total: an office of
    100,000 dossiers may have hundreds late, and a page of hundreds of rows helps nobody."""
    found = Listed()
    if offices is not None and not offices:
        return found
    stmt = _at(stmt, offices)
    found.extend(session.scalars(stmt.options(selectinload(Dossier.procedure)).limit(limit or SHOWN)))
    found.total = (len(found) if len(found) < (limit or SHOWN)
                   else session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    return found


def late_dossiers(session: Session, offices: Sequence[int] | None, today: date,
                  limit: int | None = None) -> Listed:
    """Dossiers of `offices` past their due date while the clock runs (is_late, in SQL), oldest
    due first: the first `limit` and the total."""
    stmt = (select(Dossier).where(Dossier.status.in_(sorted(CLOCK_RUNS)),
                                  func.coalesce(Dossier.extended_to, Dossier.appointment_date) < today)
            .order_by(func.coalesce(Dossier.extended_to, Dossier.appointment_date), Dossier.id))
    return _list(session, stmt, offices, limit)


def unapologised(session: Session, dossiers: Iterable[Dossier]) -> set[str]:
    """Codes of the dossiers with no "extended" event since the clock last restarted (their
    latest "supplement_received", or ever)."""
    by_id = {d.id: d for d in dossiers}
    if not by_id:
        return set()
    rows = session.execute(select(DossierEvent.dossier_id, DossierEvent.status, DossierEvent.at)
                           .where(DossierEvent.dossier_id.in_(list(by_id)),
                                  DossierEvent.status.in_(("extended", "supplement_received")))
                           .order_by(DossierEvent.at, DossierEvent.id))
    extended: dict[int, bool] = {}
    for dossier_id, status, _ in rows:
        extended[dossier_id] = status == "extended"  # the last of the two kinds decides
    return {d.code for dossier_id, d in by_id.items() if not extended.get(dossier_id, False)}


def desk_day(session: Session, offices: Sequence[int] | None, today: date | None = None,
             now: datetime | None = None) -> DeskDay:
    """The day's lists at `offices`: online dossiers waiting, due today or tomorrow, late
    (flagged without slip 04), papers the applicants sent online to check, supplements received
    lately, failed messages to citizens."""
    today = today or datetime.now(VN_TIME).date()
    now = now or utcnow()
    by_arrival = (Dossier.received_at, Dossier.id)
    waiting = _list(session, select(Dossier).where(Dossier.status == "submitted").order_by(*by_arrival), offices)
    soon = (today, today + timedelta(days=1))
    due_soon = _list(session, select(Dossier).where(
        Dossier.status.in_(sorted(CLOCK_RUNS)),
        func.coalesce(Dossier.extended_to, Dossier.appointment_date).in_(soon)).order_by(*by_arrival), offices)
    late = late_dossiers(session, offices, today)
    arrived = (select(DossierEvent.dossier_id).where(DossierEvent.status == "supplement_received",
                                                     DossierEvent.at >= now - RECENT_SUPPLEMENTS))
    supplements = _list(session, select(Dossier).where(Dossier.status == "received", Dossier.id.in_(arrived))
                        .order_by(*by_arrival), offices)
    failed = notifications.failed_for(session, offices)
    sent = select(DossierEvent.dossier_id).where(DossierEvent.status == "supplement_submitted")
    asked = _list(session, select(Dossier).where(Dossier.status == "supplement_requested", Dossier.id.in_(sent))
                  .order_by(*by_arrival), offices)
    checking = Listed(d for d in asked if supplement_sent_at(d) is not None)
    checking.total = len(checking)
    return DeskDay(waiting, due_soon, late, unapologised(session, late), supplements, failed, checking)


# --- search -------------------------------------------------------------------------------------


def citizen_ids(document: dict[str, Any], instance: Any) -> set[str]:
    """The citizen ID numbers the form holds (fields of an ID format or an ID-like name)."""
    found: set[str] = set()
    for path, node, value in _walk(document, instance):
        if isinstance(value, str) and value.strip() and (
                node.get("format") in ID_FORMATS or path.rsplit(".", 1)[-1] in ID_KEYS):
            found.add(value.strip())
    return found


def _containing(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards escaped (escape character "\\")."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(session: Session, query: str, offices: Sequence[int] | None, limit: int = FOUND_MAX) -> list[Dossier]:
    """Dossiers at `offices` matching `query` by code, applicant name (accents ignored), phone
    or citizen ID; newest first, at most `limit`."""
    text = (query or "").strip()[:100]
    if not text or (offices is not None and not offices):
        return []
    newest = (Dossier.received_at.desc(), Dossier.id.desc())
    found: dict[int, Dossier] = {}

    def add(rows: Iterable[Dossier]) -> None:
        for row in rows:
            if len(found) < limit:
                found.setdefault(row.id, row)

    add(session.scalars(_at(select(Dossier).where(Dossier.code.ilike(_containing(text), escape="\\"))
                            .order_by(*newest).limit(limit), offices)))
    digits = normalise_phone(text)
    if digits and len(digits) >= 6 and len(digits) * 2 >= len(text.replace(" ", "")):
        add(session.scalars(_at(select(Dossier).where(Dossier.applicant_phone == digits)
                                .order_by(*newest).limit(limit), offices)))
        candidates = session.scalars(_at(select(Dossier).where(cast(Dossier.data, String).like(f"%{digits}%"))
                                         .order_by(*newest).limit(limit * 4), offices))
        add(d for d in candidates if digits in citizen_ids(dossier_document(session, d), d.data))
    wanted = fold(text)
    if wanted and not text.isdigit():
        add(session.scalars(_at(select(Dossier).where(
            Dossier.applicant_name_folded.like(_containing(wanted), escape="\\")).order_by(*newest).limit(limit),
            offices)))
    return sorted(found.values(), key=lambda d: (d.received_at, d.id), reverse=True)

