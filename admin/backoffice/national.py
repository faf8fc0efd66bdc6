"""A national update of a procedure: the field-level diff, the officer's choices, the merge.

The page lists every place the national catalogue changed (national before → national after)
beside the local value; a conflicting place offers "keep local" or "take national". One button
merges everything into a draft (catalog.services.merge_national_update) that then goes through
the normal review and publish workflow.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from admin.backoffice.common import actor, can, flash_service_error, procedure_or_404
from catalog.db import db
from catalog.models import Procedure
from catalog.services import dismiss_national_update, merge_national_update, national_update
from catalog.services.errors import ServiceError
from catalog.services.national import record_of
from form_schemas.merge import LOCAL
from form_schemas.problems import InvalidProcedure, SchemaProblem


def pending_since(procedure: Procedure):  # type: ignore[no-untyped-def]
    """When the national update of `procedure` arrived, or None (for the procedure page's banner)."""
    record = record_of(db.session, procedure)
    return record.pending_since if record is not None and record.pending_document is not None else None


def choices_from(form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The officer's choices: for conflict row i, `place-i` names the place, `choice-i` the side."""
    choices: dict[str, str] = {}
    for key, place in form.items():
        if key.startswith("place-"):
            choices[place] = form.get("choice-" + key.removeprefix("place-"), LOCAL)
    return choices


class NationalView(BaseView):
    """Seen by whoever may read drafts; merged or dismissed by whoever may edit them."""

    route_base = "/admin/national"
    class_permission_name = "ProcedureEditor"
    default_view = "update"

    def _page(self, procedure: Procedure, problems: list[SchemaProblem] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
        update = national_update(db.session, procedure)
        return self.render_template(
            "backoffice/national_update.html", procedure=procedure, update=update, problems=problems or [],
            may_edit=can("can_edit", "ProcedureEditor"),
        ), status

    @expose("/<code>/")
    @has_access
    @permission_name("read")
    def update(self, code: str):  # type: ignore[no-untyped-def]
        return self._page(procedure_or_404(code))

    @expose("/<code>/merge", methods=["POST"])
    @has_access
    @permission_name("edit")
    def merge(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        try:
            version = merge_national_update(db.session, procedure, choices=choices_from(request.form), actor=actor())
        except InvalidProcedure as exc:
            db.session.rollback()
            flash(_("Bản gộp không hợp lệ nên chưa lưu gì. Hãy chọn lại ở các chỗ được báo."), "danger")
            return self._page(procedure_or_404(code), exc.problems, 422)
        except ServiceError as exc:
            db.session.rollback()
            flash_service_error(exc)
            return redirect(url_for("NationalView.update", code=code))
        flash(_("Đã gộp bản cập nhật quốc gia vào bản nháp phiên bản %(n)s. Hãy kiểm tra rồi trình duyệt.",
                n=version.number), "success")
        return redirect(url_for("EditorView.facts", code=code))

    @expose("/<code>/dismiss", methods=["POST"])
    @has_access
    @permission_name("edit")
    def dismiss(self, code: str):  # type: ignore[no-untyped-def]
        try:
            dismiss_national_update(db.session, procedure_or_404(code), actor=actor())
            flash(_("Đã giữ nguyên bản địa phương; bản cập nhật quốc gia này không được áp dụng."), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash_service_error(exc)
        return redirect(url_for("ProceduresView.show", code=code))
