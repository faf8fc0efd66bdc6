"""The national import over the whole file: conversion, then `import-national --publish`.

Prints, for the 2,642 records shipped in the package, the time to read and parse the file
(the floor: the baseline measured in the same run), to convert every record, and to store
them all (created, then re-run: unchanged) in a fresh SQLite database through the same
function `motcua import-national` runs, with the part counts of the quality report.
Goal: the whole import under 2 minutes on this 2-core machine.

Run: .venv/bin/python bench/national.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.national import iter_conversions, iter_records  # noqa: E402
from catalog.national.source import default_path  # noqa: E402

GOAL_SECONDS = 120


def timed(label: str, work: Callable[[], object], baseline: float | None = None) -> float:
    """Run `work` once and print its wall time (and its ratio to `baseline`)."""
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    ratio = f"  ({seconds / baseline:5.1f} × reading)" if baseline else ""
    print(f"  {label:<34} {seconds:7.1f} s{ratio}")
    return seconds


def main() -> int:
    path = default_path()
    print(f"national file: {path.name}")
    reading = timed("read and parse (baseline)", lambda: sum(1 for _ in iter_records(path)))
    timed("convert every record", lambda: sum(1 for _ in iter_conversions(path)), reading)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update({
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'national.db'}",
            "MOTCUA_INSTANCE_DIR": folder, "MOTCUA_DATA_DIR": str(Path(folder) / "data"),
            "SECRET_KEY": "bench-secret-of-at-least-32-bytes-long",
        })
        from admin.app import create_app
        from admin.setup import init_database
        from catalog.db import db
        from catalog.national.importer import import_national

        app = create_app()
        with app.app_context():
            init_database()
            reports = []
            first = timed("import --publish (new database)",
                          lambda: reports.append(import_national(db.session, path, publish=True)),
                          reading)
            timed("import --publish again (unchanged)",
                  lambda: reports.append(import_national(db.session, path, publish=True)), reading)
            print(reports[0].summary())
            print(f"  re-run stored: {dict(reports[1].outcomes)}")
            db.session.remove()
            db.engine.dispose()
    verdict = "met" if first < GOAL_SECONDS else "NOT met"
    print(f"goal: whole import < {GOAL_SECONDS} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
