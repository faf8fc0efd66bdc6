"""Workflow actions: open a draft, submit for review, send back, approve and publish, abolish."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from admin.backoffice.common import actor, flash_service_error, form_date, procedure_or_404
from catalog.db import db
from catalog.services import abolish, approve_and_publish, new_draft, send_back, submit_for_review
from catalog.services.errors import ServiceError


class WorkflowView(BaseView):
    """POST-only actions; each returns to the procedure's overview with what happened."""

    route_base = "/admin/workflow"
    class_permission_name = "Workflow"
    default_view = "submit"

    def _done(self, code: str):  # type: ignore[no-untyped-def]
        return redirect(url_for("ProceduresView.show", code=code))

    @expose("/<code>/draft", methods=["POST"])
    @has_access
    @permission_name("draft")
    def new_draft(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        try:
            version = new_draft(db.session, procedure, actor=actor())
            flash(_("Đã mở bản nháp phiên bản %(n)s.", n=version.number), "success")
            return redirect(url_for("EditorView.facts", code=code))
        except ServiceError as exc:
            flash_service_error(exc)
        return self._done(code)

    @expose("/<code>/submit", methods=["POST"])
    @has_access
    @permission_name("submit")
    def submit(self, code: str):  # type: ignore[no-untyped-def]
        try:
            version = submit_for_review(db.session, procedure_or_404(code), actor=actor())
            flash(_("Đã trình duyệt phiên bản %(n)s.", n=version.number), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._done(code)

    @expose("/<code>/send-back", methods=["POST"])
    @has_access
    @permission_name("review")
    def send_back(self, code: str):  # type: ignore[no-untyped-def]
        try:
            version = send_back(db.session, procedure_or_404(code), actor=actor(), comment=review_comment(
                request.form.get("comment", ""), request.form.getlist("change"), request.form.getlist("note")))
            flash(_("Đã trả lại phiên bản %(n)s để sửa.", n=version.number), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._done(code)

    @expose("/<code>/approve", methods=["POST"])
    @has_access
    @permission_name("review")
    def approve(self, code: str):  # type: ignore[no-untyped-def]
        decision_date = form_date(request.form.get("decision_date"))
        if decision_date is None:
            flash(_("Hãy nhập ngày quyết định công bố (ngày/tháng/năm)."), "danger")
            return self._done(code)
        try:
            version = approve_and_publish(
                db.session, procedure_or_404(code), actor=actor(), decision=request.form.get("decision", ""),
                decision_date=decision_date, effective_from=form_date(request.form.get("effective_from")),
            )
            flash(_("Đã công bố phiên bản %(n)s. Người dân thấy ngay phiên bản này.", n=version.number), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._done(code)

    @expose("/<code>/abolish", methods=["POST"])
    @has_access
    @permission_name("abolish")
    def abolish(self, code: str):  # type: ignore[no-untyped-def]
        try:
            abolish(db.session, procedure_or_404(code), actor=actor(), reason=request.form.get("reason", ""))
            flash(_("Đã bãi bỏ thủ tục."), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._done(code)


def review_comment(general: str, changes: list[str], notes: list[str]) -> str:
    """The approver's comment when sending back: the general remark, then each commented change
    as "• <the change in words>: <the remark>" (changes left without a remark are not listed)."""
    lines = [general.strip()] if general.strip() else []
    lines += [f"• {change}: {note.strip()}" for change, note in zip(changes, notes, strict=False) if note.strip()]
    return "\n".join(lines)
