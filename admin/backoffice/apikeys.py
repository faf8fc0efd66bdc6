"""The signed-in user's API keys for the REST API (`Authorization: Bearer sst_…`)."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_login import current_user


class ApiKeysView(BaseView):
    route_base = "/admin/api-keys"
    class_permission_name = "ApiKeys"
    default_view = "list"

    @expose("/")
    @has_access
    @permission_name("manage")
    def list(self):  # type: ignore[no-untyped-def]
        keys = current_app.appbuilder.sm.find_api_keys_for_user(current_user.id)
        return self.render_template("backoffice/api_keys.html", keys=keys, new_key=None)

    @expose("/create", methods=["POST"])
    @has_access
    @permission_name("manage")
    def create(self):  # type: ignore[no-untyped-def]
        sm = current_app.appbuilder.sm
        name = (request.form.get("name") or "").strip()[:100]
        if not name:
            flash(_("Hãy đặt tên cho khóa (ví dụ: «Nhập từ hệ thống tỉnh»)."), "danger")
            return redirect(url_for("ApiKeysView.list"))
        created = sm.create_api_key(current_user, name)
        keys = sm.find_api_keys_for_user(current_user.id)
        return self.render_template("backoffice/api_keys.html", keys=keys, new_key=created)

    @expose("/revoke", methods=["POST"])
    @has_access
    @permission_name("manage")
    def revoke(self):  # type: ignore[no-untyped-def]
        sm = current_app.appbuilder.sm
        uuid = request.form.get("uuid", "")
        key = sm.get_api_key_by_uuid(uuid)
        if key is not None and key.user_id == current_user.id:
            sm.revoke_api_key(uuid)
            flash(_("Đã thu hồi khóa."), "success")
        return redirect(url_for("ApiKeysView.list"))
