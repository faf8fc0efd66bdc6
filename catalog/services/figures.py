"""The figures the one-stop reports count (issue 16 §4), per office and procedure, for a period.

Rule: a dossier counts in the period when it was received (`received_at`) on a Vietnam date
from `start` to `end`, both included. Each row (office × procedure, and the total) holds:

- received: every dossier of the period (online ones waiting at the desk included);
- resolved (the reports' three columns): the dossier reached "result ready" or "returned";
  its time is its first result-ready time (`result_ready_at`), else `returned_at`; its Vietnam date against the
  due date (`dossier_status.due_date`: the extension's date, else the appointment) says
  early (before), on time (on the day) or late (after). A resolved dossier with no due date or
  no time is "undated": counted as resolved, never guessed early or late;
- in progress while the clock runs (`dossier_status.CLOCK_RUNS`): overdue when today is past
  the due date (`dossier_status.is_late`), else not yet due;
- supplements requested (a dossier with `supplements_requested` > 0), refusals, stopped,
  online share (channel "online" / received), postal returns (returned and `result_by_post`),
  satisfaction (ratings: count, average, how many of each score 1–5).

The on-time share is (early + on time) / (early + on time + late); with none of those it is
unknown, written "Chưa có" (never 0 %). `share_text` is the one way a share is written.

Everything is counted by the database in one GROUP BY with CASE expressions over the dossier
table and the ratings (no dossier is loaded, no event is read: the moves keep the two
milestones on the dossier), on PostgreSQL and SQLite alike; Vietnam dates of stored UTC times
come from `vn_date`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, false, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from catalog.calendar import VN_TIME
from catalog.models import Dossier, DossierRating, Office, Procedure
from catalog.services.dossier_status import CLOCK_RUNS, LEGACY
from form_schemas.wording import is_english, number

UNKNOWN_SHARE = ("Chưa có", "None yet")
SCORES = (1, 2, 3, 4, 5)
SCORE_LABELS: dict[int, tuple[str, str]] = {
    1: ("Rất không hài lòng", "Very dissatisfied"),
    2: ("Không hài lòng", "Dissatisfied"),
    3: ("Bình thường", "Neutral"),
    4: ("Hài lòng", "Satisfied"),
    5: ("Rất hài lòng", "Very satisfied"),
}


def _keys(*statuses: str) -> list[str]:
    """The statuses with their legacy aliases (values an older release wrote)."""
    return sorted({*statuses, *(old for old, new in LEGACY.items() if new in statuses)})


RESOLVED = _keys("result_ready", "returned")


class vn_date(FunctionElement[date]):  # noqa: N801 (a SQL function)
    """The Vietnam calendar date of a stored UTC timestamp."""

    type = Date()
    inherit_cache = True
    name = "vn_date"


_OFFSET_HOURS = int((VN_TIME.utcoffset(None) or timedelta()).total_seconds() // 3600)


@compiles(vn_date, "postgresql")
def _vn_date_pg(element: vn_date, compiler: Any, **kw: Any) -> str:
    (arg,) = list(element.clauses)
    return f"CAST(timezone('UTC', {compiler.process(arg, **kw)}) + interval '{_OFFSET_HOURS} hours' AS DATE)"


@compiles(vn_date)
def _vn_date_default(element: vn_date, compiler: Any, **kw: Any) -> str:
    # SQLite keeps timestamps as UTC text ("2026-12-01 02:00:00.000000"); date() reads it
    (arg,) = list(element.clauses)
    return f"date({compiler.process(arg, **kw)}, '+{_OFFSET_HOURS} hours')"


@dataclass
class Figures:
    """One row of the figures (an office × procedure, or the total)."""

    office_id: int | None = None
    office_name: str = ""
    procedure_id: int | None = None
    procedure_code: str = ""
    procedure_name: str = ""
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    not_yet_due: int = 0
    overdue: int = 0
    supplements: int = 0
    refused: int = 0
    stopped: int = 0
    online: int = 0
    postal: int = 0
    ratings: int = 0
    rating_sum: int = 0
    scores: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))

    @property
    def undated(self) -> int:
        """Resolved with no due date or no time: neither early, on time nor late."""
        return self.resolved - self.early - self.on_time - self.late

    @property
    def in_progress(self) -> int:
        return self.not_yet_due + self.overdue

    @property
    def judged(self) -> int:
        """Resolved dossiers that can be judged against their due date."""
        return self.early + self.on_time + self.late

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    def add(self, other: Figures) -> None:
        """Add `other`'s counts to this row (the total)."""
        for item in fields(self):
            if item.type in ("int", int) and item.name not in ("office_id", "procedure_id"):
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))
        for score in SCORES:
            self.scores[score] += other.scores.get(score, 0)


@dataclass
class FigureTable:
    """The rows (office × procedure, by office name then procedure code) and their total."""

    start: date
    end: date
    rows: list[Figures]
    total: Figures


def share(part: int, whole: int) -> float | None:
    """part / whole, None when whole is 0 (unknown, not 0 %)."""
    return part / whole if whole else None


def share_text(part: int, whole: int, locale: str | None = "vi") -> str:
    """The one way a share is written: "94,6 %" (vi) / "94.6 %" (en); "Chưa có" when unknown."""
    value = share(part, whole)
    if value is None:
        return UNKNOWN_SHARE[1] if is_english(locale) else UNKNOWN_SHARE[0]
    return f"{number(round(value * 100, 1), locale, places=1)} %"


def on_time_share(row: Figures) -> float | None:
    """(early + on time) / the resolved dossiers judged against their due date."""
    return share(row.early + row.on_time, row.judged)


def on_time_text(row: Figures, locale: str | None = "vi") -> str:
    return share_text(row.early + row.on_time, row.judged, locale)


def online_text(row: Figures, locale: str | None = "vi") -> str:
    return share_text(row.online, row.received, locale)


def average_text(row: Figures, locale: str | None = "vi") -> str:
    """The average score ("4,2"), or "Chưa có" with no rating."""
    value = row.average_rating
    if value is None:
        return UNKNOWN_SHARE[1] if is_english(locale) else UNKNOWN_SHARE[0]
    return number(round(value, 1), locale, places=1)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in Vietnam time, as UTC instants."""
    low = datetime.combine(start, time(), VN_TIME)
    high = datetime.combine(end + timedelta(days=1), time(), VN_TIME)
    return low.astimezone(UTC), high.astimezone(UTC)


def _where(start: date, end: date, offices: Sequence[int] | None,
           procedure: int | None) -> list[ColumnElement[bool]]:
    low, high = period_bounds(start, end)
    conditions: list[ColumnElement[bool]] = [Dossier.received_at >= low, Dossier.received_at < high]
    if offices is not None:
        conditions.append(Dossier.office_id.in_(list(offices)) if offices else false())
    if procedure is not None:
        conditions.append(Dossier.procedure_id == procedure)
    return conditions


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def figures(session: Session, start: date, end: date, *, offices: Sequence[int] | None = None,
            procedure: int | None = None, today: date | None = None) -> FigureTable:
    """The figures of dossiers received from `start` to `end` (Vietnam dates, both included),
    for `offices` (None: every office, dossiers without one included; []: none) and one
    `procedure` id or all; `today` decides what is overdue (default: today in Vietnam)."""
    today = today or datetime.now(VN_TIME).date()
    where = _where(start, end, offices, procedure)
    due = func.coalesce(Dossier.extended_to, Dossier.appointment_date)
    done_on = vn_date(func.coalesce(Dossier.result_ready_at, Dossier.returned_at))
    resolved = Dossier.status.in_(RESOLVED)
    dated = and_(resolved, due.is_not(None), or_(Dossier.result_ready_at.is_not(None), Dossier.returned_at.is_not(None)))
    running = Dossier.status.in_(sorted(CLOCK_RUNS))
    late_now = and_(running, due.is_not(None), due < today)
    columns = {
        "received": func.count(Dossier.id),
        "resolved": _count(resolved),
        "early": _count(and_(dated, done_on < due)),
        "on_time": _count(and_(dated, done_on == due)),
        "late": _count(and_(dated, done_on > due)),
        "not_yet_due": _count(and_(running, or_(due.is_(None), due >= today))),
        "overdue": _count(late_now),
        "supplements": _count(Dossier.supplements_requested > 0),
        "refused": _count(Dossier.status.in_(_keys("refused"))),
        "stopped": _count(Dossier.status.in_(_keys("stopped"))),
        "online": _count(Dossier.channel == "online"),
        "postal": _count(and_(Dossier.status.in_(_keys("returned")), Dossier.result_by_post.is_(True))),
        "ratings": func.count(DossierRating.id),
        "rating_sum": func.coalesce(func.sum(DossierRating.score), 0),
        **{f"score_{s}": _count(DossierRating.score == s) for s in SCORES},
    }
    stmt = (select(Dossier.office_id, Dossier.procedure_id, *(c.label(k) for k, c in columns.items()))
            .select_from(Dossier)
            .outerjoin(DossierRating, DossierRating.dossier_id == Dossier.id)
            .where(*where)
            .group_by(Dossier.office_id, Dossier.procedure_id))
    rows = [_row(dict(r._mapping)) for r in session.execute(stmt)]
    _name(session, rows)
    rows.sort(key=lambda r: (r.office_name, r.procedure_code))
    total = Figures(office_name="Tổng cộng", procedure_name="Tổng cộng")
    for row in rows:
        total.add(row)
    return FigureTable(start, end, rows, total)


def _row(values: dict[str, Any]) -> Figures:
    scores = {s: int(values.pop(f"score_{s}") or 0) for s in SCORES}
    office_id, procedure_id = values.pop("office_id"), values.pop("procedure_id")
    return Figures(office_id=office_id, procedure_id=procedure_id, scores=scores,
                   **{k: int(v or 0) for k, v in values.items()})


def _name(session: Session, rows: Iterable[Figures]) -> None:
    """Office and procedure names of the rows (one query each)."""
    rows = list(rows)
    office_ids = {r.office_id for r in rows if r.office_id is not None}
    procedure_ids = {r.procedure_id for r in rows if r.procedure_id is not None}
    offices = dict(session.execute(select(Office.id, Office.name).where(Office.id.in_(office_ids))).all()) \
        if office_ids else {}
    procedures = {pid: (code, name) for pid, code, name in session.execute(
        select(Procedure.id, Procedure.code, Procedure.name).where(Procedure.id.in_(procedure_ids)))} \
        if procedure_ids else {}
    for row in rows:
        row.office_name = offices.get(row.office_id, "Chưa xác định") if row.office_id is not None \
            else "Chưa xác định"
        row.procedure_code, row.procedure_name = procedures.get(row.procedure_id, ("", "Chưa xác định"))


def by_procedure(table: FigureTable) -> list[Figures]:
    """The rows summed per procedure (every office together), by procedure code: the chart's bars."""
    merged: dict[int | None, Figures] = {}
    for row in table.rows:
        target = merged.get(row.procedure_id)
        if target is None:
            target = merged[row.procedure_id] = Figures(
                procedure_id=row.procedure_id, procedure_code=row.procedure_code,
                procedure_name=row.procedure_name, office_name="")
        target.add(row)
    return sorted(merged.values(), key=lambda r: r.procedure_code)


def row_dict(row: Figures, locale: str | None = "vi") -> dict[str, Any]:
    """A row as plain values (the API's and the CSV's shape)."""
    return {
        "office_id": row.office_id, "office": row.office_name,
        "procedure_code": row.procedure_code or None, "procedure": row.procedure_name,
        "received": row.received, "resolved": row.resolved, "early": row.early,
        "on_time": row.on_time, "late": row.late, "resolved_undated": row.undated,
        "in_progress": row.in_progress, "not_yet_due": row.not_yet_due, "overdue": row.overdue,
        "supplements_requested": row.supplements, "refused": row.refused, "stopped": row.stopped,
        "online": row.online, "online_share": share(row.online, row.received),
        "postal_returns": row.postal, "on_time_share": on_time_share(row),
        "ratings": row.ratings, "rating_average": row.average_rating,
        "rating_scores": {str(s): row.scores[s] for s in SCORES},
    }

