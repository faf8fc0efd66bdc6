"""Offices: the one-stop shops (a province's Trung tâm Phục vụ hành chính công, a commune's
centre or Bộ phận Một cửa) that receive dossiers, post notices and print under their own name.

An office's place in the 2025 administrative map is a province code (2 digits, one of the 34)
and, for a commune office, a commune code (5 digits); see catalog.geography. Which procedures
it receives is resolved by catalog.services.offices.office_procedures from its rules
(OfficeRule) and its explicit additions and removals (OfficeProcedure).

Opening hours are a dict keyed by weekday ("mon" … "sun"); each open day maps "morning"
and/or "afternoon" to a [start, end] pair of "HH:MM" times. A day that is absent is closed.
The office opens on Saturday mornings exactly when hours["sat"]["morning"] is set
(`Office.saturday_morning`), which is what the working calendar needs.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import JSONDocument

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIODS = ("morning", "afternoon")
OpeningHours = dict[str, dict[str, list[str]]]


class OfficeLevel(enum.StrEnum):
    province = "province"
    commune = "commune"


LEVEL_LABELS: dict[str, tuple[str, str]] = {
    OfficeLevel.province: ("Cấp tỉnh", "Province"),
    OfficeLevel.commune: ("Cấp xã", "Commune"),
}


def default_hours(saturday_morning: bool = False) -> OpeningHours:
    """Monday to Friday 07:30–11:30 and 13:30–17:00, plus Saturday 07:30–11:30 if it opens then."""
    day = {"morning": ["07:30", "11:30"], "afternoon": ["13:30", "17:00"]}
    hours: OpeningHours = {weekday: {p: list(t) for p, t in day.items()} for weekday in WEEKDAYS[:5]}
    if saturday_morning:
        hours["sat"] = {"morning": ["07:30", "11:30"]}
    return hours


class Office(Model):
    """A one-stop shop; names are unique."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    parent_body: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(16), default=OfficeLevel.commune.value)
    province_code: Mapped[str] = mapped_column(String(2), default="", index=True)
    commune_code: Mapped[str] = mapped_column(String(5), default="", index=True)
    place_name: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    hotline: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    complaints_address: Mapped[str] = mapped_column(Text, default="")
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=default_hours)

    procedures = relationship("OfficeProcedure", back_populates="office", cascade="all, delete-orphan")
    rules = relationship("OfficeRule", back_populates="office", cascade="all, delete-orphan",
                         order_by="OfficeRule.id")
    days_off = relationship("OfficeDayOff", back_populates="office", cascade="all, delete-orphan",
                            order_by="OfficeDayOff.day")

    @property
    def saturday_morning(self) -> bool:
        """Whether the office receives dossiers on Saturday mornings (from its opening hours)."""
        return bool(((self.opening_hours or {}).get("sat") or {}).get("morning"))

    def __repr__(self) -> str:
        return self.name


class OfficeRule(Model):
    """A rule for what an office receives: every procedure matching all of the rule's non-empty
    fields (its level among the procedure's levels, its sector, its competent agency; sector and
    agency compared folded — without accents or case). An empty rule matches nothing."""

    __tablename__ = "office_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16), default="")
    sector: Mapped[str] = mapped_column(String(255), default="")
    agency: Mapped[str] = mapped_column(String(500), default="")

    office = relationship("Office", back_populates="rules")


class OfficeProcedure(Model):
    """An explicit addition (`included`) or removal (not `included`) of one procedure on what an
    office receives — and therefore must post. Posting lists before offices had rules are
    additions."""

    __tablename__ = "office_procedure"
    __table_args__ = (UniqueConstraint("office_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    included: Mapped[bool] = mapped_column(Boolean, default=True)

    office = relationship("Office", back_populates="procedures")
    procedure = relationship("Procedure")


class OfficeDayOff(Model):
    """A day the office is closed besides weekends, public holidays and the calendar's days off."""

    __tablename__ = "office_day_off"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(255), default="")

    office = relationship("Office", back_populates="days_off")

    def __repr__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class OfficeStaff(Model):
    """A back-office user working at an office: reception officers see and act on that office's
    dossiers only (catalog.services.offices.staff_offices). Admin works at every office."""

    __tablename__ = "office_staff"
    __table_args__ = (UniqueConstraint("user_id", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)

    office = relationship("Office")
