"""Local versions: a province's or an office's overrides of a published procedure, numbered per
procedure and scope, moving through draft → in review → published → superseded / withdrawn."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import JSONDocument, utcnow


class LocalStatus(enum.StrEnum):
    """The national version statuses where they fit; `withdrawn` ends a local version early."""

    draft = "draft"
    in_review = "in_review"
    published = "published"
    superseded = "superseded"
    withdrawn = "withdrawn"


def scope_key(*, office_id: int | None = None, province_code: str | None = None) -> str:
    """"office:12" or "province:44": one string per scope, for uniqueness and lookups."""
    return f"office:{office_id}" if office_id is not None else f"province:{province_code}"


class LocalVersion(Model):
    """One numbered local version of a procedure for exactly one office or one province."""

    __tablename__ = "local_version"
    __table_args__ = (
        UniqueConstraint("procedure_id", "scope_key", "number"),
        CheckConstraint("(office_id IS NULL) <> (province_code IS NULL)", name="ck_local_version_one_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True, nullable=True)
    province_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    scope_key: Mapped[str] = mapped_column(String(32), index=True)
    number: Mapped[int] = mapped_column(Integer)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    status: Mapped[LocalStatus] = mapped_column(
        Enum(LocalStatus, native_enum=False, length=16, name="localstatus"), default=LocalStatus.draft
    )
    based_on_version_number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(255))
    updated_by: Mapped[str] = mapped_column(String(255), default="")
    submitted_by: Mapped[str | None] = mapped_column(String(255))
    review_comment: Mapped[str | None] = mapped_column(Text)
    published_by: Mapped[str | None] = mapped_column(String(255))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    procedure = relationship("Procedure")
    office = relationship("Office")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def basis(self) -> dict[str, Any]:
        return dict(self.overrides.get("basis") or {})

    @property
    def is_office(self) -> bool:
        return self.office_id is not None

    def __repr__(self) -> str:
        return f"local {self.scope_key} v{self.number} ({self.status.value})"
