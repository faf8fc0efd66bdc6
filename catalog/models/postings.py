"""The posting register: which version of a procedure an office posted, and when.

Offices and what they receive (hence must post) live in catalog.models.offices."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import utcnow
from catalog.models.offices import Office, OfficeProcedure

__all__ = ["Office", "OfficeProcedure", "Posting"]


class Posting(Model):
    """"Posted version N of procedure P at office O on date D"."""

    __tablename__ = "posting"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    posted_on: Mapped[date] = mapped_column(Date)
    posted_by: Mapped[str] = mapped_column(String(255), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    office = relationship("Office")
    procedure = relationship("Procedure")
