"""Where the national catalogue file is: `shared/data/` beside the repository (as in CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import IN_CI

NATIONAL_FILE = Path(
    os.environ.get("MOTCUA_NATIONAL_FILE")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "national-catalogue-2026.jsonl.gz"
)

# Locally the file may be absent; in CI (shared/ is beside the clone) its absence is a failure.
needs_data = pytest.mark.skipif(
    not NATIONAL_FILE.exists() and not IN_CI, reason=f"national catalogue not found at {NATIONAL_FILE}"
)
