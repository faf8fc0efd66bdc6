"""The review queue page: facts the import inferred or could not read, confirmed or corrected.

Every action lands in a draft (catalog/services/review.py) and returns to the same place in
the list: the same reason filter and page, scrolled to the reason's group.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from admin.backoffice.common import actor, flash_service_error, int_arg, locale, procedure_or_404
from catalog.db import db
from catalog.services.errors import ServiceError
from catalog.services.review import (
    InvalidCorrection,
    confirm_fact,
    correct_fact,
    place_label,
    review_queue,
)

PER_PAGE = 50


def _number(n: int) -> str:
    """4928 → "4.928" (Vietnamese) or "4,928" (English)."""
    return f"{n:,}" if locale().startswith("en") else f"{n:,}".replace(",", ".")


class ReviewView(BaseView):
    """Procedure officers work through the marked facts, reason by reason."""

    route_base = "/admin/review"
    class_permission_name = "ReviewQueue"
    default_view = "queue"

    @expose("/")
    @has_access
    @permission_name("read")
    def queue(self):  # type: ignore[no-untyped-def]
        wanted = request.args.get("reason") or None
        page = review_queue(db.session, reason=wanted, page=int_arg(request.args.get("page"), 1) or 1,
                            per_page=PER_PAGE)
        return self.render_template("backoffice/review.html", queue=page, locale=locale(), number=_number)

    def _back(self, group: str | None):  # type: ignore[no-untyped-def]
        """The list as the officer left it: filter, page, and the group of the fact handled."""
        query = {key: request.form[key] for key in ("reason", "page") if request.form.get(key)}
        anchor = f"reason-{group}" if group else None
        return redirect(url_for("ReviewView.queue", **query, _anchor=anchor))

    def _act(self, correcting: bool):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404((request.form.get("code") or "").strip())
        pointer = request.form.get("pointer") or ""
        place = place_label(procedure.versions[-1].document, pointer) if procedure.versions else pointer
        try:
            if correcting:
                draft = correct_fact(db.session, procedure, pointer, request.form.get("value", ""), actor=actor())
                flash(_("Đã sửa «%(place)s» của thủ tục %(code)s trong bản nháp phiên bản %(n)s. "
                        "Bản nháp đi qua trình duyệt và công bố như mọi thay đổi.",
                        place=place, code=procedure.code, n=draft.number), "success")
            else:
                draft = confirm_fact(db.session, procedure, pointer, actor=actor())
                flash(_("Đã xác nhận «%(place)s» của thủ tục %(code)s trong bản nháp phiên bản %(n)s. "
                        "Bản nháp đi qua trình duyệt và công bố như mọi thay đổi.",
                        place=place, code=procedure.code, n=draft.number), "success")
        except InvalidCorrection as exc:
            problem = exc.problems[0]
            flash(_("Chưa lưu (thủ tục %(code)s, %(place)s): %(pointer)s: %(reason)s",
                    code=procedure.code, place=place, pointer=problem.pointer or "/",
                    reason=problem.message(locale())), "danger")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._back(request.form.get("group"))

    @expose("/confirm", methods=["POST"])
    @has_access
    @permission_name("confirm")
    def confirm(self):  # type: ignore[no-untyped-def]
        return self._act(correcting=False)

    @expose("/correct", methods=["POST"])
    @has_access
    @permission_name("confirm")
    def correct(self):  # type: ignore[no-untyped-def]
        return self._act(correcting=True)
