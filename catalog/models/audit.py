"""Audit log: every state change and edit, who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import JSONDocument, utcnow


class AuditEvent(Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("procedure_version.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
