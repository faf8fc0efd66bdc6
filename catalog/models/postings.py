"""One-stop shops (offices), what each must post, and the posting register."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import utcnow


class Office(Model):
    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    complaints_address: Mapped[str] = mapped_column(Text, default="")

    procedures = relationship("OfficeProcedure", back_populates="office")

    def __repr__(self) -> str:
        return self.name


class OfficeProcedure(Model):
    """A procedure an office must post."""

    __tablename__ = "office_procedure"
    __table_args__ = (UniqueConstraint("office_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)

    office = relationship("Office", back_populates="procedures")
    procedure = relationship("Procedure")


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
