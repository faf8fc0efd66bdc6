"""Accent- and case-insensitive text for searching Vietnamese."""

from __future__ import annotations

from form_schemas.text import fold

__all__ = ["fold"]
