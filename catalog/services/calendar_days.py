"""The working calendar as administrators edit it: public holidays plus CalendarDay rows, and
for one office its own days off and whether it opens on Saturday mornings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.calendar import WorkingCalendar
from catalog.models import CalendarDay, Office, OfficeDayOff


def _calendar_days(session: Session) -> tuple[list[date], list[date]]:
    days_off: list[date] = []
    working: list[date] = []
    for day, is_working in session.execute(select(CalendarDay.day, CalendarDay.is_working_day)):
        (working if is_working else days_off).append(day)
    return days_off, working


def working_calendar(session: Session, *, saturday_morning: bool = False) -> WorkingCalendar:
    """Weekends and Vietnam public holidays, plus the days off and working days in the table."""
    days_off, working = _calendar_days(session)
    return WorkingCalendar(days_off, working, saturday_morning=saturday_morning)


def office_calendar(session: Session, office: Office) -> WorkingCalendar:
    """The calendar of one office: the working calendar, plus the office's own days off (they
    win even over a compensatory working day: the office is closed), with Saturday mornings
    when its opening hours have them."""
    days_off, working = _calendar_days(session)
    closed = set(session.scalars(select(OfficeDayOff.day).where(OfficeDayOff.office_id == office.id)))
    return WorkingCalendar([*days_off, *closed], [d for d in working if d not in closed],
                           saturday_morning=office.saturday_morning)
