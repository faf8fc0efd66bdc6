"""The reception desk (Reception officer), per office: the day's work at my offices, a search,
and one page per dossier to check it and act on it.

The rule: the desk shows and acts only on dossiers of the signed-in user's offices
(admin/staff.py `my_offices`/`works_at`; Admin: every office). A dossier of another office is
"not found" (404) for its page, its files and its actions: the desk says nothing about it. The
lists come from catalog.services.desk, the statuses, labels and moves from
catalog.services.dossier_status (the one transition table); each action goes through its
service with `office=` the dossier's office, and a refusal is shown next to its form with the
input kept. Messages to the citizen that failed are listed with "Gửi lại"
(admin/notifications.py `resend`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from admin.backoffice.common import actor, can, form_date, locale
from admin.backoffice.desk_actions import OTHER_ROWS, act, procedure_documents
from admin.notifications import CitizenNotifier, resend
from admin.site import dossiers as site_dossiers
from admin.site.check import sections
from admin.slips import register_file, slips_for
from admin.staff import my_offices, works_at
from catalog.calendar import VN_TIME
from catalog.db import db
from catalog.models import Dossier, Office
from catalog.services import desk as desk_service
from catalog.services import dossier_status
from catalog.services import notifications as notification_log
from catalog.services.dossier_status import StatusRefused
from catalog.services.dossiers import applicant_contact, dossier_by_code, dossier_document
from catalog.services.offices import list_offices

MAX_CODE = 64
_MINE = object()  # desk_day's default: the signed-in user's offices


def desk_day(today: date, offices: Any = _MINE) -> desk_service.DeskDay:
    """The day's lists at the user's offices (or at `offices`: None = all) for the desk's page
    and the landing page."""
    return desk_service.desk_day(db.session, my_offices() if offices is _MINE else offices, today)


def _mine_or_404(code: str) -> Dossier:
    """The dossier when the signed-in user works at its office; 404 otherwise (no telling)."""
    found = dossier_by_code(db.session, code) if len(code) <= MAX_CODE else None
    if found is None or not works_at(found.office_id):
        abort(404)
    return found


def _label(status: str) -> str:
    return dossier_status.status_label(status, locale())


class DeskView(BaseView):
    route_base = "/admin/desk"
    class_permission_name = "Desk"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("read")
    def index(self):  # type: ignore[no-untyped-def]
        today = datetime.now(VN_TIME).date()
        offices = my_offices()
        query = (request.args.get("q") or "").strip()[:100]
        found = desk_service.search(db.session, query, offices) if query else None
        return self.render_template(
            "backoffice/desk.html", day=desk_day(today, offices), today=today, no_office=offices == [],
            offices=list_offices(db.session) if offices is None else [db.session.get(Office, i) for i in offices],
            query=query, found=found, label=_label, due=dossier_status.due_date,
            may_act=can("can_act", "Desk"))

    def _page(self, found: Dossier, *, errors: dict[str, str] | None = None,
              values: Any = None, status: int = 200):  # type: ignore[no-untyped-def]
        document = dossier_document(db.session, found)
        files = {a.id: a.original_name for a in found.attachments}
        return self.render_template(
            "backoffice/desk_dossier.html", dossier=found, document=document,
            contact=applicant_contact(document, found.data),
            sections=sections(document, found.data or {}, files, locale()),
            moves=dossier_status.allowed_moves(found.status) if can("can_act", "Desk") else [],
            documents=procedure_documents(db.session, found), other_rows=OTHER_ROWS,
            errors=errors or {}, values=values or {}, label=_label, due=dossier_status.due_date(found),
            late=dossier_status.is_late(found),
            unapologised=dossier_status.is_late(found) and bool(desk_service.unapologised(db.session, [found])),
            notifications=notification_log.of_dossier(db.session, found.id),
            move_label=lambda move: dossier_status.MOVE_LABELS[move][1 if locale().startswith("en") else 0],
            just_received=request.args.get("received") == "1", slips=slips_for(found),
            scan_of={attachment_id: paper.get("name") or paper.get("id")
                     for paper in found.documents_received or () for attachment_id in paper.get("attachments") or ()}), status

    @expose("/dossiers/<code>")
    @has_access
    @permission_name("read")
    def dossier(self, code: str):  # type: ignore[no-untyped-def]
        return self._page(_mine_or_404(code))

    @expose("/dossiers/<code>/files/<attachment_id>")
    @has_access
    @permission_name("read")
    def dossier_file(self, code: str, attachment_id: str):  # type: ignore[no-untyped-def]
        _mine_or_404(code)
        # the site's download: the same rule (staff of the dossier's office), the same headers
        return site_dossiers.dossier_file(code, attachment_id)

    @expose("/dossiers/<code>/moves/<move>", methods=["POST"])
    @has_access
    @permission_name("act")
    def move(self, code: str, move: str):  # type: ignore[no-untyped-def]
        found = _mine_or_404(code)
        if move not in dossier_status.MOVES:
            abort(404)
        try:
            moved = act(db.session, found, move, request.form, actor=actor(), notifier=CitizenNotifier())
        except StatusRefused as exc:
            db.session.rollback()
            return self._page(_mine_or_404(code), errors={move: exc.message(locale())},
                              values={move: request.form}, status=422)
        flash(_("Hồ sơ %(code)s: %(status)s.", code=moved.dossier.code, status=_label(moved.status)), "success")
        if moved.notice is not None:
            flash(_("Đã gửi thông báo cho người nộp: %(to)s.", to=", ".join(
                where for where in (moved.notice.email, moved.notice.phone) if where)), "info")
        args = {"received": "1"} if move == "receive" else {}
        return redirect(url_for("DeskView.dossier", code=moved.dossier.code, **args), code=303)

    @expose("/register")
    @has_access
    @permission_name("read")
    def register(self):  # type: ignore[no-untyped-def]
        """Slip 07, Sổ theo dõi hồ sơ, of one of my offices for a period, as PDF or CSV."""
        office_id = request.args.get("office", "")
        start, end = form_date(request.args.get("from")), form_date(request.args.get("to"))
        office = db.session.get(Office, int(office_id)) if office_id.isdigit() else None
        if office is None or not works_at(office.id):
            abort(404)
        if start is None or end is None or end < start:
            flash(_("Hãy chọn khoảng ngày tiếp nhận (từ ngày … đến ngày …) của sổ theo dõi."), "danger")
            return redirect(url_for("DeskView.index") + "#register", code=303)
        as_csv = request.args.get("format") == "csv"
        content, _count = register_file(db.session, office, start, end, csv=as_csv)
        name = f"so-theo-doi-ho-so-{office.id}-{start:%Y%m%d}-{end:%Y%m%d}.{'csv' if as_csv else 'pdf'}"
        response = Response(content, mimetype="text/csv; charset=utf-8" if as_csv else "application/pdf")
        response.headers["Content-Disposition"] = f'{"attachment" if as_csv else "inline"}; filename="{name}"'
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/notifications/<int:notification_id>/resend", methods=["POST"])
    @has_access
    @permission_name("act")
    def resend(self, notification_id: int):  # type: ignore[no-untyped-def]
        row = resend(notification_id, my_offices())
        if row is None:
            abort(404)
        flash(_("Đã gửi lại thông báo cho %(to)s.", to=row.recipient), "success")
        return redirect(url_for("DeskView.index") + "#failed", code=303)
