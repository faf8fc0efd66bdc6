"""Procedures, their immutable numbered versions, and the sectors and agencies they cite."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import JSONDocument, utcnow


class VersionStatus(enum.StrEnum):
    draft = "draft"
    in_review = "in_review"
    published = "published"
    superseded = "superseded"
    abolished = "abolished"


class Sector(Model):
    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    name_folded: Mapped[str] = mapped_column(String(255), index=True)

    def __repr__(self) -> str:
        return self.name


class Agency(Model):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    name_folded: Mapped[str] = mapped_column(String(500), index=True)

    def __repr__(self) -> str:
        return self.name


class Procedure(Model):
    """A procedure by code; its facts live in versions, the current ones denormalised here."""

    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True, nullable=True)
    levels: Mapped[str] = mapped_column(String(100), default="")
    online_level: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, native_enum=False, length=16), default=VersionStatus.draft
    )
    search_text: Mapped[str] = mapped_column(Text, default="")
    latest_number: Mapped[int] = mapped_column(Integer, default=0)
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("procedure_version.id", use_alter=True, name="fk_procedure_published_version"),
        nullable=True,
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(255), default="")

    sector: Mapped[Sector] = relationship(lazy="joined")
    agency: Mapped[Agency | None] = relationship(lazy="joined")
    versions: Mapped[list[ProcedureVersion]] = relationship(
        back_populates="procedure",
        foreign_keys="ProcedureVersion.procedure_id",
        order_by="ProcedureVersion.number",
    )
    published_version: Mapped[ProcedureVersion | None] = relationship(
        foreign_keys=[published_version_id], post_update=True
    )

    def __repr__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersion(Model):
    """One numbered version. Drafts are working copies; from review on, immutable."""

    __tablename__ = "procedure_version"
    __table_args__ = (UniqueConstraint("procedure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    document_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, native_enum=False, length=16), default=VersionStatus.draft
    )
    author: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(255), default="")
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_by: Mapped[str | None] = mapped_column(String(255))
    review_comment: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(255))
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision_date: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    abolished_reason: Mapped[str | None] = mapped_column(Text)

    procedure: Mapped[Procedure] = relationship(
        back_populates="versions", foreign_keys=[procedure_id]
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def title(self) -> str:
        return str(self.document.get("title", ""))

    def __repr__(self) -> str:
        return f"{self.procedure.code} v{self.number} ({self.status.value})"
