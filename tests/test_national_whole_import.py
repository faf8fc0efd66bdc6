"""The whole national file stored through `motcua import-national` on SQLite."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog.models import Procedure, ProcedureVersion, Sector, VersionStatus
from form_schemas.validation import validate_procedure
from tests.national_data import NATIONAL_FILE, needs_data

pytestmark = [pytest.mark.slow, needs_data]


def test_the_whole_file_is_stored_valid_and_reported(runner, app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from catalog.db import db

    report = tmp_path / "report.csv"
    result = runner("import-national", str(NATIONAL_FILE), "--publish", "--report", str(report))
    assert result.exit_code == 0, result.output
    session = db.session
    assert session.scalar(select(func.count()).select_from(Procedure)) == 2642
    assert session.scalar(select(func.count()).where(Procedure.status == VersionStatus.published)) == 2642
    assert session.scalar(select(func.count()).select_from(Sector)) == 140
    invalid = [v.procedure.code for v in session.scalars(select(ProcedureVersion)) if validate_procedure(v.document)]
    assert invalid == []
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2642

    def read(part: str) -> float:
        """Share read at all: parsed, inferred or to check (guesses are marked, not hidden)."""
        return sum(row[part] not in ("raw", "absent") for row in rows) / len(rows)

    assert read("channels") >= 0.95 and read("documents") >= 0.95 and read("results") >= 0.95
    assert all(row["fees_reason"].startswith(row["fees"]) for row in rows)
    again = runner("import-national", str(NATIONAL_FILE), "--publish")
    assert "unchanged: 2642" in again.output
    assert session.scalar(select(func.count()).select_from(ProcedureVersion)) == 2642
