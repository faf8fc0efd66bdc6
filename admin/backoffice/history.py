"""Version history: one version's document, its citizen form, and a readable diff between any two
(in words, with both versions' citizen forms side by side and a comment per change when the
approver sends the newer one back)."""

from __future__ import annotations

import json

from flask import make_response, render_template, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name

from admin.backoffice.common import can, int_arg, locale, procedure_or_404, version_or_404
from admin.edge import content_security_policy, csp_nonce
from form_schemas.diff import diff_documents

PUBLIC_STATES = ("published", "superseded", "abolished")


class HistoryView(BaseView):
    route_base = "/admin/history"
    class_permission_name = "History"
    default_view = "diff"

    def _visible(self, version) -> bool:  # type: ignore[no-untyped-def]
        return version.status.value in PUBLIC_STATES or can("can_read", "ProcedureEditor")

    @expose("/<code>/diff")
    @has_access
    @permission_name("read")
    def diff(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        latest = procedure.versions[-1].number if procedure.versions else 1
        old = version_or_404(procedure, int_arg(request.args.get("a"), max(1, latest - 1)) or 1)
        new = version_or_404(procedure, int_arg(request.args.get("b"), latest) or latest)
        if not (self._visible(old) and self._visible(new)):
            return self.render_template("backoffice/not_found.html"), 404
        changes = diff_documents(old.document, new.document)
        reviewable = new.status.value == "in_review" and can("can_review", "Workflow")
        return self.render_template("backoffice/diff.html", procedure=procedure, old=old, new=new,
                                    changes=changes, reviewable=reviewable)

    @expose("/<code>/v/<int:number>/form")
    @has_access
    @permission_name("read")
    def version_form(self, code: str, number: int):  # type: ignore[no-untyped-def]
        """The citizen form of one version, drawn by the form engine with the citizen site's
        styles (framed side by side on the diff page, so it may be framed by this site)."""
        from renderers.forms import UnsupportedForm, compile_form

        procedure = procedure_or_404(code)
        version = version_or_404(procedure, number)
        if not self._visible(version):
            return self.render_template("backoffice/not_found.html"), 404
        try:
            body = compile_form(version.document, key=version.document_hash).render(locale=locale())
        except UnsupportedForm as exc:
            body = ""
            problems = exc.problems
        else:
            problems = []
        response = make_response(render_template("backoffice/citizen_form.html", procedure=procedure,
                                                 version=version, body=body, problems=problems))
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = content_security_policy(
            "backoffice", csp_nonce()).replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        return response

    @expose("/<code>/v/<int:number>")
    @has_access
    @permission_name("read")
    def version(self, code: str, number: int):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        version = version_or_404(procedure, number)
        if not self._visible(version):
            return self.render_template("backoffice/not_found.html"), 404
        text = json.dumps(version.document, ensure_ascii=False, indent=2)
        return self.render_template("backoffice/version.html", procedure=procedure, version=version, text=text)
