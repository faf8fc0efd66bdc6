"""Library blocks officers saved: a group of some procedure's form, reusable in any other.

The built-in blocks (person, organisation, representative, address, document uploads) are code
(form_schemas/blocks.py) and never stored; a saved block is its `$defs` entries (`definitions`,
the field's own `root` among them) and the title written beside the `$ref` when it is inserted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import Boolean, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import JSONDocument, utcnow


class LibraryBlock(Model):
    """One saved block of the question library."""

    __tablename__ = "library_block"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    field_name: Mapped[str] = mapped_column(String(64))
    field_title: Mapped[str] = mapped_column(String(255))
    root: Mapped[str] = mapped_column(String(64))
    definitions: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    source_code: Mapped[str] = mapped_column(String(32), default="")
    source_path: Mapped[str] = mapped_column(String(512), default="")
    created_by: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
