"""The figures the reports count (issue 16 §4): a small crafted set of dossiers, counted by
catalog.services.figures on SQLite and PostgreSQL, the back-office page (table, SVG chart, CSV)
and the REST API."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import count
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from admin.roles import ADMIN, DEMO_USERS, RECEPTION_OFFICER
from catalog.db import db
from catalog.models import Dossier, DossierRating, Office, Procedure
from catalog.services import import_document
from catalog.services import offices as office_service
from catalog.services.figures import figures, on_time_text, share_text
from tests.backoffice_helpers import client_for, make_users, text
from tests.factories import document

VN = timezone(timedelta(hours=7))
TODAY = date(2026, 12, 20)
_numbers = count(1)


def vn(day: date, hour: int = 9) -> datetime:
    """A Vietnam wall time, stored as UTC (as the app writes it)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN).astimezone(UTC)


def make_dossier(session: Session, procedure: Procedure, office: Office | None, *, status: str = "received",
                 received: date = date(2026, 12, 1), due: date | None = date(2026, 12, 10),
                 ready: date | None = None, returned: date | None = None, ready_hour: int = 9,
                 **fields: Any) -> Dossier:
    """A dossier written directly (with its first result-ready time when `ready`, as the move
    keeps it)."""
    number = next(_numbers)
    fields.setdefault("channel", "in_person")
    assert procedure.published_version is not None
    row = Dossier(code=f"T-{number:06d}", procedure_id=procedure.id, version_id=procedure.published_version.id,
                  data={}, status=status, received_at=vn(received), appointment_date=due,
                  office_id=office.id if office else None,
                  returned_at=vn(returned) if returned else None,
                  result_ready_at=vn(ready, ready_hour) if ready else None, **fields)
    session.add(row)
    session.commit()
    return row


def setup_procedures(session: Session) -> tuple[Procedure, Procedure, Office, Office]:
    import_document(session, document("1.001193"), author="test", publish=True)
    import_document(session, document("1.000894", title="Đăng ký kết hôn"), author="test", publish=True)
    first = session.query(Procedure).filter_by(code="1.001193").one()
    second = session.query(Procedure).filter_by(code="1.000894").one()
    north = office_service.create_office(session, "Bộ phận một cửa phường Bắc", province_code="01", require_place=False)
    south = office_service.create_office(session, "Bộ phận một cửa phường Nam", province_code="01", require_place=False)
    return first, second, north, south


def crafted(session: Session) -> tuple[Procedure, Procedure, Office, Office]:
    """The set: at the north office, procedure 1: early, on time (late at night: still the due
    day in Vietnam), late, returned by post (on time by returned_at), a refusal, a stopped one,
    one overdue and one not yet due, one with a supplement; procedure 2: one online, rated; at
    the south office one dossier; and one outside the period."""
    first, second, north, south = setup_procedures(session)
    due = date(2026, 12, 10)
    make_dossier(session, first, north, status="returned", ready=date(2026, 12, 8), returned=date(2026, 12, 9))
    make_dossier(session, first, north, status="result_ready", ready=due, ready_hour=23)
    make_dossier(session, first, north, status="returned", ready=date(2026, 12, 12), returned=date(2026, 12, 12))
    make_dossier(session, first, north, status="returned", returned=due, result_by_post=True, postal_tracking="EB1")
    make_dossier(session, first, north, status="refused")
    make_dossier(session, first, north, status="stopped")
    make_dossier(session, first, north, status="processing", due=date(2026, 12, 15))  # overdue on the 20th
    make_dossier(session, first, north, status="received", due=date(2026, 12, 15), extended_to=date(2026, 12, 28))
    make_dossier(session, first, north, status="supplement_requested", due=date(2026, 12, 1),
                 supplements_requested=1)
    rated = make_dossier(session, second, north, status="submitted", channel="online", due=None)
    session.add(DossierRating(dossier_id=rated.id, score=4, comment="Nhanh"))
    other = make_dossier(session, first, north, status="returned", ready=date(2026, 12, 5), returned=date(2026, 12, 5),
                         channel="online")
    session.add(DossierRating(dossier_id=other.id, score=5))
    make_dossier(session, first, south, status="processing", received=date(2026, 12, 2))
    make_dossier(session, first, north, received=date(2026, 11, 30))  # before the period
    session.commit()
    return first, second, north, south


@pytest.mark.db
def test_counts_of_a_crafted_set(session: Session) -> None:
    first, second, north, south = crafted(session)
    table = figures(session, date(2026, 12, 1), date(2026, 12, 31), offices=[north.id], today=TODAY)
    assert [(r.office_name, r.procedure_code) for r in table.rows] == [
        ("Bộ phận một cửa phường Bắc", "1.000894"), ("Bộ phận một cửa phường Bắc", "1.001193")]
    row = table.rows[1]
    assert (row.received, row.resolved, row.early, row.on_time, row.late) == (10, 5, 2, 2, 1)
    assert (row.not_yet_due, row.overdue, row.supplements, row.refused, row.stopped) == (1, 1, 1, 1, 1)
    assert (row.online, row.postal, row.ratings, row.scores[5]) == (1, 1, 1, 1)
    total = table.total
    assert (total.received, total.online, total.ratings, total.average_rating) == (11, 2, 2, 4.5)
    assert total.scores == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert total.not_yet_due == 2  # the online one without a date is not yet due, not overdue
    assert on_time_text(total) == "80 %"
    assert share_text(2, 11) == "18,2 %" and share_text(2, 11, "en") == "18.2 %"


@pytest.mark.db
def test_period_bounds_and_offices(session: Session) -> None:
    first, second, north, south = crafted(session)
    # Vietnam dates: the dossier received on 30/11 at 09:00 (02:00 UTC) is in November only
    assert figures(session, date(2026, 11, 30), date(2026, 11, 30), today=TODAY).total.received == 1
    assert figures(session, date(2026, 12, 2), date(2026, 12, 2), today=TODAY).total.received == 1
    everywhere = figures(session, date(2026, 11, 1), date(2026, 12, 31), today=TODAY)
    assert everywhere.total.received == 13
    assert figures(session, date(2026, 12, 1), date(2026, 12, 31), offices=[south.id], today=TODAY).total.received == 1
    assert figures(session, date(2026, 12, 1), date(2026, 12, 31), offices=[], today=TODAY).rows == []
    one = figures(session, date(2026, 12, 1), date(2026, 12, 31), procedure=second.id, today=TODAY)
    assert [r.procedure_code for r in one.rows] == ["1.000894"]


def test_no_resolved_dossier_is_unknown_not_zero(session: Session) -> None:
    first, second, north, south = setup_procedures(session)
    make_dossier(session, first, north, status="processing")
    table = figures(session, date(2026, 12, 1), date(2026, 12, 31), today=TODAY)
    assert on_time_text(table.total) == "Chưa có" and on_time_text(table.total, "en") == "None yet"


def _web(app: Flask) -> tuple[Office, Office]:
    make_users(app)
    _first, _second, north, south = crafted(db.session)
    officer = app.appbuilder.sm.find_user(username=DEMO_USERS[RECEPTION_OFFICER][0])
    office_service.assign_staff(db.session, north.id, officer.id)
    return north, south


def test_page_shows_the_table_the_chart_and_the_csv(app: Flask) -> None:
    north, south = _web(app)
    client = client_for(app, RECEPTION_OFFICER)
    page = client.get("/admin/figures/?from=2026-12-01&to=2026-12-31")
    html = text(page)
    assert page.status_code == 200
    assert "<svg" in html and "<title" in html and "Trước hạn: 2" in html
    assert "Bộ phận một cửa phường Bắc" in html and "phường Nam" not in html  # not this officer's office
    assert "Tổng cộng" in html
    bad = text(client.get("/admin/figures/?from=31-12-2026"))
    assert 'id="from-error"' in bad and "Ngày không hợp lệ" in bad
    other = text(client.get(f"/admin/figures/?office={south.id}&from=2026-12-01&to=2026-12-31"))
    assert 'id="office-error"' in other
    exported = client.get("/admin/figures/figures.csv?from=2026-12-01&to=2026-12-31")
    assert exported.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Bộ phận tiếp nhận", "Mã thủ tục", "Thủ tục", "Tiếp nhận", "Đã giải quyết", "Trước hạn"]
    assert [r[1] for r in rows[1:]] == ["1.000894", "1.001193", ""]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][3] == "11"
    assert rows[2][13] == "80 %"  # on-time share of procedure 1.001193


def test_api_gives_the_same_numbers_for_my_offices(app: Flask) -> None:
    north, south = _web(app)
    client = app.test_client()
    assert client.get("/api/v1/figures/").status_code == 401
    login = client.post("/api/v1/security/login", json={
        "username": DEMO_USERS[RECEPTION_OFFICER][0], "password": DEMO_USERS[RECEPTION_OFFICER][1], "provider": "db"})
    headers = {"Authorization": f"Bearer {login.json['access_token']}"}
    body = client.get("/api/v1/figures/?from=2026-12-01&to=2026-12-31", headers=headers).json
    assert body["total"]["received"] == 11 and body["total"]["on_time_share"] == 0.8
    assert {r["office"] for r in body["rows"]} == {"Bộ phận một cửa phường Bắc"}
    assert client.get(f"/api/v1/figures/?office={south.id}", headers=headers).status_code == 403
    bad = client.get("/api/v1/figures/?from=x&procedure=9.999", headers=headers)
    assert bad.status_code == 400 and set(bad.json["fields"]) == {"from", "procedure"}
    assert all(isinstance(problems, list) for problems in bad.json["fields"].values())  # as ErrorSchema says
    one = client.get("/api/v1/figures/?from=2026-12-01&to=2026-12-31&procedure=1.000894", headers=headers).json
    assert one["total"]["ratings"] == 1 and one["total"]["rating_scores"]["4"] == 1
    admin = client_for(app, ADMIN)
    everything = admin.get("/api/v1/figures/?from=2026-11-01&to=2026-12-31").json
    assert everything["total"]["received"] == 13
    spec = client.get("/api/v1/_openapi").json
    assert "/api/v1/figures/" in spec["paths"]
