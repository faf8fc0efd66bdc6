"""Accent- and case-insensitive text for searching Vietnamese."""

from __future__ import annotations

from form_schemas.text import fold, search_words

__all__ = ["fold", "search_words"]
