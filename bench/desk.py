"""The reception desk's pages for an office holding 100,000 dossiers (issue 16).

For each database (SQLite in a temporary folder; PostgreSQL in a schema of its own when
reachable): migrate, import the samples, create one office with the demo reception officer as
its staff, and bulk-insert `--dossiers` dossiers at that office over the past year in a
realistic mix (a fifth still open, some late, some extended, supplements, refusals, results
early, on time and late, a tenth returned by post; an event per step; a rating for a third of
the returned ones). Then, signed in as the reception officer through Flask's test client (same
process, same run), time p50 / p95 over `--runs` requests of:

- the desk's day (`/admin/desk/`: waiting, due today and tomorrow, late, supplements, failed sends),
- a desk search by phone number,
- the figures page for one month and for the whole year, and its CSV,

beside a baseline in the same run: a static file of the back office. Goal: p95 under 200 ms on
PostgreSQL (printed beside each figure; nothing is asserted).

Run: .venv/bin/python bench/desk.py [--dossiers 100000] [--runs 30] [--backend sqlite|postgresql|both]
Short run: .venv/bin/python bench/desk.py --dossiers 2000 --runs 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import PG_URL, postgres_schema  # noqa: E402 (bench/load.py, beside this script)

GOAL_MS = 200.0
OFFICE = "Trung tâm Phục vụ hành chính công phường Đông Hà (đo thời gian)"


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def seed(app: Any, dossiers: int) -> tuple[int, str, float]:
    """The office, its reception officer and `dossiers` dossiers; (office id, a phone, seconds)."""
    from sqlalchemy import insert, select

    from admin.roles import DEMO_USERS, RECEPTION_OFFICER
    from admin.setup import create_user
    from catalog.db import db
    from catalog.models import Dossier, DossierEvent, DossierRating, Procedure
    from catalog.services.offices import assign_staff, create_office

    username, password = DEMO_USERS[RECEPTION_OFFICER]
    create_user(username, RECEPTION_OFFICER, password)
    office = create_office(db.session, OFFICE, parent_body="UBND PHƯỜNG ĐÔNG HÀ", level="commune",
                           province_code="44", commune_code="19333")
    user_model = app.appbuilder.sm.user_model
    assign_staff(db.session, office.id, db.session.scalar(select(user_model.id).where(user_model.username == username)))
    published = [p for p in db.session.scalars(select(Procedure)) if p.published_version]
    rng = random.Random(16)
    today = date.today()
    start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    plans: list[tuple[str, datetime, list[tuple[str, datetime]], int | None]] = []
    phone_seen = ""
    for n in range(dossiers):
        procedure = published[n % len(published)]
        received = datetime.combine(today - timedelta(days=rng.randrange(365)), datetime.min.time(), UTC) \
            + timedelta(hours=1 + rng.randrange(9))
        due = received.date() + timedelta(days=rng.choice((1, 3, 5, 10, 15)))
        roll = rng.random()
        events: list[tuple[str, datetime]] = [("received", received)]
        status, extended, by_post, returned_at = "received", None, rng.random() < 0.1, None
        if roll < 0.05:
            status = "submitted"
            events = [("submitted", received)]
        elif roll < 0.08:
            status = "supplement_requested"
            events.append(("supplement_requested", received + timedelta(hours=2)))
        elif roll < 0.10:
            status = "refused"
            events.append(("refused", received + timedelta(hours=3)))
        elif roll < 0.20:
            status = "processing"
            events.append(("processing", received + timedelta(hours=4)))
            if rng.random() < 0.3:
                extended = due + timedelta(days=3)
                events.append(("extended", received + timedelta(days=1)))
        else:
            done = datetime.combine(due + timedelta(days=rng.choice((-2, -1, 0, 0, 0, 1, 3))),
                                    datetime.min.time(), UTC) + timedelta(hours=2)
            events += [("processing", received + timedelta(hours=4)), ("result_ready", max(done, received))]
            status = "result_ready"
            if rng.random() < 0.8:
                status, returned_at = "returned", max(done, received) + timedelta(days=1)
                events.append(("returned", returned_at))
        phone = f"09{rng.randrange(10**8):08d}"
        phone_seen = phone_seen or phone
        code = f"BENCH-{n:07d}"
        rows.append({
            "code": code, "procedure_id": procedure.id, "version_id": procedure.published_version.id,
            "channel": "online" if rng.random() < 0.6 else "in_person", "office_id": office.id,
            "data": {"applicant": {"full_name": f"Công dân {n}", "phone": phone}},
            "applicant_name": f"Công dân {n}", "applicant_phone": phone, "status": status,
            "received_at": received, "appointment_date": due, "extended_to": extended,
            "returned_at": returned_at, "result_by_post": by_post, "fee_due": 0,
            "tracking_token": f"bench-{n:07d}-{rng.randrange(10**12)}",
        })
        plans.append((code, received, events, rng.randrange(1, 6) if returned_at and rng.random() < 0.33 else None))
        if len(rows) == 5000 or n == dossiers - 1:
            db.session.execute(insert(Dossier), rows)
            ids = dict(db.session.execute(select(Dossier.code, Dossier.id)
                                          .where(Dossier.code.in_([r["code"] for r in rows]))).all())
            db.session.execute(insert(DossierEvent), [
                {"dossier_id": ids[c], "status": s, "at": at, "actor": "bench", "note": ""}
                for c, _, evs, _ in plans for s, at in evs])
            rated = [{"dossier_id": ids[c], "score": score, "comment": "", "at": received}
                     for c, received, _, score in plans if score]
            if rated:
                db.session.execute(insert(DossierRating), rated)
            db.session.commit()
            rows, plans = [], []
    return office.id, phone_seen, time.perf_counter() - start


def measure(client: Any, url: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    return samples


def run(backend: str, url: str, folder: Path, dossiers: int, runs: int) -> None:
    os.environ.update({"DATABASE_URL": url, "MOTCUA_INSTANCE_DIR": str(folder),
                       "MOTCUA_DATA_DIR": str(folder / "data"), "SECRET_KEY": "bench-secret-" + "x" * 24,
                       "MOTCUA_SECURE_COOKIES": "0"})
    from admin.app import create_app
    from admin.roles import DEMO_USERS, RECEPTION_OFFICER
    from admin.setup import init_database
    from catalog.db import db
    from catalog.samples import sample_paths
    from catalog.services import import_document
    from form_schemas.loading import read_document

    app = create_app({"RATELIMIT_ENABLED": False, "AUTH_RATE_LIMITED": False, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        init_database()
        for path in sample_paths():
            import_document(db.session, read_document(path), author="bench", publish=True)
        office_id, phone, seconds = seed(app, dossiers)
        db.session.remove()
    print(f"\n{backend}: {dossiers:,} dossiers at one office (inserted in {seconds:.1f} s)")
    client = app.test_client()
    username, password = DEMO_USERS[RECEPTION_OFFICER]
    assert client.post("/login/", data={"username": username, "password": password}).status_code == 302
    today = date.today()
    month, year = today.replace(day=1), today - timedelta(days=365)
    pages: list[tuple[str, str]] = [
        ("static file (baseline)", "/static/appbuilder/css/bootstrap.min.css"),
        ("desk: today", "/admin/desk/"),
        ("desk: search by phone", f"/admin/desk/?q={phone}"),
        ("figures: this month", f"/admin/figures/?office={office_id}&from={month}&to={today}"),
        ("figures: the year", f"/admin/figures/?office={office_id}&from={year}&to={today}"),
        ("figures: the year, CSV", f"/admin/figures/figures.csv?office={office_id}&from={year}&to={today}"),
    ]
    print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8}  goal p95 < {GOAL_MS:.0f} ms")
    for name, page in pages:
        measure(client, page, 2)  # warm the caches and the compiled templates
        p50, p95 = summary(measure(client, page, runs))
        mark = "" if name.endswith("(baseline)") else ("  ok" if p95 < GOAL_MS else "  OVER")
        print(f"{name:<28} {p50:>8.1f} {p95:>8.1f}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers at the office (100000)")
    parser.add_argument("--runs", type=int, default=30, help="requests per page (30)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres", default=PG_URL, help="PostgreSQL URL (MOTCUA_TEST_POSTGRES_URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.backend in ("sqlite", "both"):
            run("SQLite", f"sqlite:///{folder / 'desk.db'}", folder / "sqlite", args.dossiers, args.runs)
        if args.backend in ("postgresql", "both"):
            with postgres_schema(args.postgres) as url:
                if url is not None:
                    run("PostgreSQL", url, folder / "postgresql", args.dossiers, args.runs)


if __name__ == "__main__":
    main()
