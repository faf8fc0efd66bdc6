"""Where the national catalogue file is: the copy shipped in the package, or `shared/data/`.

The tests need no file outside the repository: `catalog/national/data/` ships the 2,642
records. A copy in `shared/data/` beside the clone is preferred only when it is newer (a
fresher download), and `MOTCUA_NATIONAL_FILE` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.national.source import default_path

SHARED_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "national-catalogue-2026.jsonl.gz"


def _national_file() -> Path:
    """The override, else the shared copy when it exists and is newer, else the shipped one."""
    override = os.environ.get("MOTCUA_NATIONAL_FILE")
    if override:
        return Path(override)
    shipped = default_path()
    if SHARED_FILE.exists() and (not shipped.exists() or SHARED_FILE.stat().st_mtime > shipped.stat().st_mtime):
        return SHARED_FILE
    return shipped


NATIONAL_FILE = _national_file()

# The shipped copy is always there; this only skips when an override names a missing file.
needs_data = pytest.mark.skipif(not NATIONAL_FILE.exists(), reason=f"national catalogue not found at {NATIONAL_FILE}")
