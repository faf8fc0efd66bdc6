"""The audit log: every state change and edit, filtered by procedure, person and action."""

from __future__ import annotations

from flask import request
from flask_appbuilder import BaseView, expose, has_access

from admin.backoffice.common import int_arg
from catalog.db import db
from catalog.services.audit import ACTION_LABELS, audit_page


class AuditView(BaseView):
    route_base = "/admin/audit"
    class_permission_name = "AuditLog"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):  # type: ignore[no-untyped-def]
        args = request.args
        page = audit_page(db.session, code=args.get("code") or None, actor=args.get("actor") or None,
                          action=args.get("action") or None, page=int_arg(args.get("page"), 1) or 1)
        return self.render_template("backoffice/audit.html", page=page, args=args, actions=ACTION_LABELS)
