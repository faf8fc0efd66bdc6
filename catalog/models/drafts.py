"""Draft applications: a partly filled online form the citizen saved to finish later.

The rule: the resume link's secret is never stored, only its SHA-256 (`token_hash`); the
draft's files are the uploads staged under its `upload_token` (the form's submission token),
so the form resumed from the link finds them and the dossier it makes links them. A draft
lives until `expires_at`; `catalog.services.drafts` purges it then, with its staged files.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import JSONDocument, utcnow
from catalog.models.procedures import Procedure, ProcedureVersion


class DraftApplication(Model):
    __tablename__ = "draft_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    upload_token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("procedure_version.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    result_by_post: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    email: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    procedure: Mapped[Procedure] = relationship()
    version: Mapped[ProcedureVersion] = relationship()
