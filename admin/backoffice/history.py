"""Version history: one version's document, and a readable diff between any two."""

from __future__ import annotations

import json

from flask import request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name

from admin.backoffice.common import can, int_arg, procedure_or_404, version_or_404
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
        return self.render_template("backoffice/diff.html", procedure=procedure, old=old, new=new,
                                    changes=changes)

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
