"""The working calendar as administrators edit it: public holidays plus CalendarDay rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.calendar import WorkingCalendar
from catalog.models import CalendarDay


def working_calendar(session: Session, *, saturday_morning: bool = False) -> WorkingCalendar:
    """Weekends and Vietnam public holidays, plus the days off and working days in the table."""
    days_off = []
    working = []
    for day, is_working in session.execute(select(CalendarDay.day, CalendarDay.is_working_day)):
        (working if is_working else days_off).append(day)
    return WorkingCalendar(days_off, working, saturday_morning=saturday_morning)
