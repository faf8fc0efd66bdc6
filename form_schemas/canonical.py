"""Canonical JSON text and content hash of a procedure document."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def _canonical(node: Any, ordered: bool = False) -> Any:
    """Keys sorted, except in `properties` maps, whose order is the order of the form's fields."""
    if isinstance(node, dict):
        pairs = node.items() if ordered else sorted(node.items())
        return {key: _canonical(value, not ordered and key == "properties") for key, value in pairs}
    if isinstance(node, list):
        return [_canonical(item) for item in node]
    return node


def canonical_json(document: Any) -> str:
    """Compact JSON text, UTF-8 kept: the same text for documents that mean the same.

    Moving a field changes the text (and so the hash, the version and the compiled form);
    reordering any other keys does not.
    """
    return json.dumps(_canonical(document), ensure_ascii=False, separators=(",", ":"))


def document_hash(document: Any) -> str:
    """SHA-256 (hex) of the canonical JSON text."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
