"""The sample catalogue: real procedures modelled as procedure documents (package data)."""

from __future__ import annotations

import json
import pathlib
from typing import Any

SAMPLES_DIR = pathlib.Path(__file__).resolve().parent


def sample_paths() -> list[pathlib.Path]:
    """Every sample procedure document shipped with the package, sorted by file name."""
    return sorted(SAMPLES_DIR.glob("*.json"))


def load_samples() -> dict[str, dict[str, Any]]:
    """The sample documents keyed by procedure code, in file-name order."""
    documents: dict[str, dict[str, Any]] = {}
    for path in sample_paths():
        document = json.loads(path.read_text(encoding="utf-8"))
        documents[document["x-procedure"]["code"]] = document
    return documents
