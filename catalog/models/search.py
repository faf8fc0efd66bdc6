"""The search index: one document per procedure (its words as search compares them), and the
vocabulary of indexed words that typo correction looks candidates up in.

The engine-specific parts live beside these tables and are created by migration 0010: on SQLite
the FTS5 table `search_fts` (title, extra, flags, code; rowid = title length × 2³² + procedure
id, so that the engine returns the shortest matching titles first); on PostgreSQL the generated
`all_tsv` tsvector column with a GIN index, and a pattern index on codes.
"""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import utcnow


class SearchDocument(Model):
    """What search reads of a procedure: code, title words and other words (sector, agency)."""

    __tablename__ = "search_document"

    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[str] = mapped_column(Text, default="")
    title_length: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[str] = mapped_column(Text, default="")  # filter words: "pub s12 o4 lcommune"
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchWord(Model):
    """A word of the index and in how many documents it was counted (at the last rebuild)."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(String(64), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer, default=1)
