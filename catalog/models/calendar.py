"""Days an administrator adds to the public-holiday calendar: days off and working days."""

from __future__ import annotations

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column


class CalendarDay(Model):
    __tablename__ = "calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(255), default="")

    def __repr__(self) -> str:
        return f"{self.day:%d/%m/%Y}"
