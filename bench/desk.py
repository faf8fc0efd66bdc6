"""The reception desk's "today" page and the figures page at an office with many dossiers.

What it does, in one run:
1. A database of its own: on PostgreSQL (`--postgres`, else MOTCUA_BENCH_POSTGRES_URL, else
   MOTCUA_TEST_POSTGRES_URL) a database `motcua_bench_desk`, dropped and created again;
   when PostgreSQL is unreachable (or with `--sqlite`) a SQLite file in a temporary folder.
   Migrated and given roles by `init_database` (what `motcua init` runs).
2. One office, one published procedure, a reception officer who works there, and `--dossiers`
   dossiers (default 100,000) written with Core executemany in chunks: received over the last
   year, a realistic mix of statuses (mostly returned, some processing, waiting, refused,
   stopped, supplement requested; open ones are mostly from the last 30 days, 0.5 % of older
   ones are still open, hence late), appointment dates 3–15 days after receipt, some extended,
   a result-ready event for each resolved one (a few late) and its time on the dossier as the
   move keeps it, supplement events (counted on the dossier), postal returns,
   and ratings for a fifth of the resolved ones.
3. Timings through the Flask test client signed in as the reception officer, `--repeat`
   times after a warm-up: a static file (the baseline), the desk's today page /admin/desk/, the
   figures page for this month and for the last year, and the figures CSV for the year.
   A table of p50/p95/max per page with the goal (p95 under 200 ms) beside it; the goal is
   printed, never asserted.

Usage: .venv/bin/python bench/desk.py [--dossiers N] [--repeat N] [--postgres URL] [--sqlite]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

GOAL_MS = 200.0
DATABASE = "motcua_bench_desk"
CHUNK = 5000
# status -> weight of the mix (resolved ones are most of a year's dossiers)
MIX = {"returned": 70, "result_ready": 5, "processing": 8, "received": 4, "submitted": 3,
       "supplement_requested": 3, "refused": 4, "stopped": 3}
# open ones are recent: older than 30 days, all but 0.5 % of them were closed since
OPEN_KEYS = frozenset({"processing", "received", "submitted", "supplement_requested"})


def build_app(url: str, folder: Path) -> Flask:
    from admin.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": folder, "MOTCUA_DATA_DIR": str(folder / "data"),
                       "SECRET_KEY": "bench-secret-key-of-32-bytes-at-least", "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "AUTH_RATE_LIMITED": False, "SESSION_COOKIE_SECURE": False})


def postgres_database(base: str) -> str | None:
    """A fresh database of this bench's own on the server at `base`; None when unreachable."""
    try:
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{DATABASE}" with (force)'))
            conn.execute(sa.text(f'create database "{DATABASE}"'))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - report and fall back to SQLite
        print(f"PostgreSQL unreachable at {base} ({type(exc).__name__}); using SQLite")
        return None
    return sa.engine.make_url(base).set(database=DATABASE).render_as_string(hide_password=False)


def fill(app: Flask, count: int, seed: int = 16) -> int:
    """The office, procedure, officer and `count` dossiers; returns the office id."""
    from admin.roles import DEMO_USERS, RECEPTION_OFFICER
    from admin.setup import create_user, init_database
    from catalog.db import db
    from catalog.models import Dossier, DossierEvent, DossierRating, Procedure
    from catalog.services import import_document
    from catalog.services import offices as office_service
    from tests.factories import document

    random.seed(seed)
    with app.app_context():
        init_database()
        username, password = DEMO_USERS[RECEPTION_OFFICER]
        create_user(username, RECEPTION_OFFICER, password)
        import_document(db.session, document("1.001193"), author="bench", publish=True)
        procedure = db.session.query(Procedure).filter_by(code="1.001193").one()
        assert procedure.published_version is not None
        office = office_service.create_office(db.session, "Bộ phận một cửa (bench)", province_code="01",
                                              require_place=False)
        user = app.appbuilder.sm.find_user(username=username)
        office_service.assign_staff(db.session, office.id, user.id)
        office_id, procedure_id, version_id = office.id, procedure.id, procedure.published_version.id
        now = datetime.now(UTC)
        statuses, weights = list(MIX), list(MIX.values())
        dossiers: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        ratings: list[dict[str, Any]] = []
        started = time.perf_counter()
        for number in range(1, count + 1):
            received = now - timedelta(seconds=random.randint(0, 365 * 86400))
            status = random.choices(statuses, weights)[0]
            if status in OPEN_KEYS and now - received > timedelta(days=30) and random.random() > 0.005:
                status = random.choices(("returned", "refused", "stopped"), (92, 5, 3))[0]  # old: closed
            due = (received + timedelta(days=random.randint(3, 15))).date()
            extended = due + timedelta(days=5) if random.random() < 0.03 else None
            resolved = status in ("returned", "result_ready")
            ready = received + timedelta(days=random.randint(1, 18)) if resolved else None
            if ready is not None and ready > now:
                ready = now
            by_post = status == "returned" and random.random() < 0.15
            dossiers.append({
                "id": number, "code": f"B-{number:07d}", "procedure_id": procedure_id, "version_id": version_id,
                "data": {}, "channel": "online" if random.random() < 0.4 else "in_person",
                "applicant_name": f"Người nộp {number}", "applicant_name_folded": f"nguoi nop {number}",
                "applicant_phone": f"09{number:08d}",
                "status": status, "received_at": received, "appointment_date": due, "extended_to": extended,
                "tracking_token": f"bench-{number}", "fee_due": 0, "office_id": office_id,
                "result_by_post": by_post, "postal_tracking": f"EB{number}" if by_post else None,
                "returned_at": ready + timedelta(hours=4) if status == "returned" and ready else None,
                "result_ready_at": ready, "supplements_requested": 0,
            })
            if ready is not None:
                events.append({"dossier_id": number, "status": "result_ready", "at": ready, "actor": "bench",
                               "note": ""})
                if random.random() < 0.2:
                    ratings.append({"dossier_id": number, "score": random.choices((1, 2, 3, 4, 5), (2, 3, 10, 40, 45))[0],
                                    "comment": "", "at": ready + timedelta(days=1)})
            if status == "supplement_requested" or random.random() < 0.05:
                events.append({"dossier_id": number, "status": "supplement_requested",
                               "at": received + timedelta(days=1), "actor": "bench", "note": ""})
                dossiers[-1]["supplements_requested"] = 1
        with db.engine.begin() as conn:
            for table, rows in ((Dossier.__table__, dossiers), (DossierEvent.__table__, events),
                                (DossierRating.__table__, ratings)):
                for start in range(0, len(rows), CHUNK):
                    conn.execute(table.insert(), rows[start:start + CHUNK])
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("select setval('dossier_id_seq', (select max(id) from dossier))"))
                conn.execute(sa.text("analyze"))
            else:
                conn.execute(sa.text("analyze"))
        print(f"wrote {count:,} dossiers, {len(events):,} events, {len(ratings):,} ratings "
              f"in {time.perf_counter() - started:.1f} s")
        db.session.remove()
    return office_id


def timed(client: Any, url: str, repeat: int) -> list[float]:
    """Milliseconds of `repeat` GETs of `url` after one warm-up (each must answer 200)."""
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    values = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        values.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    return values


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers at the office (default 100,000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--postgres", help="PostgreSQL server URL (default MOTCUA_BENCH_POSTGRES_URL, "
                        "else MOTCUA_TEST_POSTGRES_URL)")
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file even when PostgreSQL is there")
    args = parser.parse_args()

    from admin.roles import DEMO_USERS, RECEPTION_OFFICER
    from catalog.calendar import VN_TIME

    folder = Path(tempfile.mkdtemp(prefix="motcua-bench-desk-"))
    base = args.postgres or os.environ.get("MOTCUA_BENCH_POSTGRES_URL") or os.environ.get(
        "MOTCUA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    url = None if args.sqlite else postgres_database(base)
    name = "PostgreSQL" if url else "SQLite"
    url = url or f"sqlite:///{folder / 'desk.db'}"
    app = build_app(url, folder)
    fill(app, args.dossiers)

    today = datetime.now(VN_TIME).date()
    month = (today.replace(day=1), today)
    year = (today - timedelta(days=365), today)
    client = app.test_client()
    username, password = DEMO_USERS[RECEPTION_OFFICER]
    assert client.post("/login/", data={"username": username, "password": password}).status_code == 302
    pages = [
        ("baseline static site.css", "/site-static/site.css"),
        ("desk today /admin/desk/", "/admin/desk/"),
        ("figures, one month", f"/admin/figures/?from={month[0]}&to={month[1]}"),
        ("figures, one year", f"/admin/figures/?from={year[0]}&to={year[1]}"),
        ("figures CSV, one year", f"/admin/figures/figures.csv?from={year[0]}&to={year[1]}"),
    ]
    print(f"\n{name}, {args.dossiers:,} dossiers at one office, {args.repeat} requests per page")
    print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  goal p95")
    for label, address in pages:
        values = timed(client, address, args.repeat)
        goal = "" if address.startswith("/site-static") else f"< {GOAL_MS:.0f} ms " + (
            "met" if p95(values) < GOAL_MS else "NOT met")
        print(f"{label:<28} {statistics.median(values):8.1f} {p95(values):8.1f} {max(values):8.1f}  {goal}")
    with app.app_context():
        from catalog.db import db

        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()


