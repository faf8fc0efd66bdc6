"""The national record a procedure was imported from: the merge base and a pending update."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import JSONDocument, utcnow
from catalog.models.procedures import Procedure


class NationalRecord(Model):
    """One per procedure linked to the national catalogue.

    `base_document` is the converted national document the local versions derive from (the
    base of a three-way merge); it is None for a procedure modelled by hand before it was
    linked. A newer national document that was not applied (the procedure was edited locally)
    waits in `pending_document` until an officer merges it.
    """

    __tablename__ = "national_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), unique=True)
    record_hash: Mapped[str | None] = mapped_column(String(64))
    base_document: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, nullable=True)
    base_hash: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    pending_document: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, nullable=True)
    pending_hash: Mapped[str | None] = mapped_column(String(64))
    pending_record_hash: Mapped[str | None] = mapped_column(String(64))
    pending_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    procedure: Mapped[Procedure] = relationship()

    def __repr__(self) -> str:
        return f"national record of {self.procedure_id}"
