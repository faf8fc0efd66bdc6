"""Builder undo: the documents a draft had before each of its last saves, newest last.

One row per save of a draft version's document in the editor (field list, facts, JSON);
`catalog.services.undo` keeps the newest `KEEP` per version and restores them one by one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import JSONDocument, utcnow


class UndoStep(Model):
    """"Before «label», version V's document was `document`"."""

    __tablename__ = "undo_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("procedure_version.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(400), default="")
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    actor: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
