"""The reception desk's day (Reception officer): online dossiers waiting to be received, those
due today and tomorrow, and the late ones, read from catalog.services.dossier_status (the one
place the statuses and the lateness rule live). Acting on a dossier is `motcua dossier …` for
now; the desk's forms come with the slips."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from sqlalchemy import func, select

from catalog.calendar import VN_TIME
from catalog.db import db
from catalog.models import Dossier
from catalog.services import dossier_status


class DeskView(BaseView):
    route_base = "/admin/desk"
    class_permission_name = "Desk"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("read")
    def index(self):  # type: ignore[no-untyped-def]
        today = datetime.now(VN_TIME).date()
        day = desk_day(today)
        return self.render_template("backoffice/desk.html", day=day, today=today,
                                    label=dossier_status.status_label, due=dossier_status.due_date)


def desk_day(today: date) -> dict[str, list[Dossier]]:
    """(waiting at the desk, due today or tomorrow, late) for the desk's page and the landing page."""
    waiting = dossier_status.dossiers(db.session, status="submitted")
    soon = (today, today + timedelta(days=1))
    # in SQL: the due date is the extension's when there is one, else the appointment (due_date)
    due_soon = list(db.session.scalars(
        select(Dossier).where(Dossier.status.in_(sorted(dossier_status.CLOCK_RUNS)),
                              func.coalesce(Dossier.extended_to, Dossier.appointment_date).in_(soon))
        .order_by(Dossier.received_at, Dossier.id)))
    late = dossier_status.overdue(db.session, today=today)
    return {"waiting": waiting, "due_soon": due_soon, "late": late}
