"""The live fee figure's cost: GET /procedures/<code>/fee beside a static file, in process.

Loads the sample catalogue into a fresh SQLite file, then times (p50, p95 over `--runs`
requests through Flask's test client, same run, same process):
- form_schemas.fees.amount_due alone on the birth registration (1.001193) with 0–9 copies;
- GET /procedures/1.001193/fee?birth_certificate_copies=N (what fee.js asks on a change);
- GET /site-static/site.css (the ceiling of a request through the same app).
Goal: the fee request within a few times the static file, and far under the 300 ms debounce.

Run: .venv/bin/python bench/fees.py [--runs 300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(runs: int, work: Callable[[int], object]) -> tuple[float, float]:
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        work(i)
        samples.append((time.perf_counter() - start) * 1000)
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="motcua-fees-"))
    os.environ.update({"DATABASE_URL": f"sqlite:///{folder / 'fees.db'}", "MOTCUA_INSTANCE_DIR": str(folder),
                       "MOTCUA_DATA_DIR": str(folder / "data"), "SECRET_KEY": "bench", "MOTCUA_SECURE_COOKIES": "0"})
    from admin.app import create_app
    from admin.setup import init_database
    from catalog.db import db
    from catalog.samples import sample_paths
    from catalog.services import import_document
    from form_schemas.fees import amount_due
    from form_schemas.loading import read_document

    app = create_app()
    app.config["RATELIMIT_ENABLED"] = False
    with app.app_context():
        init_database()
        for path in sample_paths():
            import_document(db.session, read_document(path), author="bench", publish=True)
        db.session.commit()
    document = json.loads((ROOT / "catalog" / "samples" / "1.001193.json").read_text(encoding="utf-8"))
    client = app.test_client()
    client.get("/procedures/1.001193/fee")  # warm the compiled form
    rows = [
        ("amount_due alone", timed(runs, lambda i: amount_due(document, {"birth_certificate_copies": i % 10}))),
        ("GET /procedures/1.001193/fee", timed(runs, lambda i: client.get(
            "/procedures/1.001193/fee", query_string={"birth_certificate_copies": str(i % 10)}))),
        ("GET /site-static/site.css (baseline)", timed(runs, lambda i: client.get("/site-static/site.css"))),
    ]
    print(f"{'what':40} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (p50, p95) in rows:
        print(f"{name:40} {p50:8.3f} {p95:8.3f}")


if __name__ == "__main__":
    main()
