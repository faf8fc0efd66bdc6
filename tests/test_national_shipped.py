"""A fresh clone has the national catalogue: the package ships all 2,642 records."""

from __future__ import annotations

import os

import pytest

from catalog.national.source import count_records, default_path
from tests.national_data import NATIONAL_FILE, SHARED_FILE


def test_the_package_ships_the_whole_national_catalogue() -> None:
    path = default_path()
    assert path.is_file()
    assert count_records(path) == 2642


@pytest.mark.skipif(bool(os.environ.get("MOTCUA_NATIONAL_FILE")), reason="MOTCUA_NATIONAL_FILE overrides the choice")
def test_tests_read_the_shipped_copy_unless_the_shared_one_is_newer() -> None:
    shipped = default_path()
    newer = SHARED_FILE.exists() and SHARED_FILE.stat().st_mtime > shipped.stat().st_mtime
    assert (SHARED_FILE if newer else shipped) == NATIONAL_FILE
    assert NATIONAL_FILE.exists()
