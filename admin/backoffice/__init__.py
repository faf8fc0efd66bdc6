"""The back office (Flask-AppBuilder): procedures, editor, workflow, history, audit, import/export,
public posting, offices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, redirect, request
from flask_appbuilder import AppBuilder
from flask_appbuilder.api import BaseApi
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import NotFound

CATEGORY = "Catalogue"


def register_backoffice(app: Flask, appbuilder: AppBuilder) -> None:
    """Views, menus, REST API and app-wide CSRF protection of the back office."""
    from admin.api import register_api
    from admin.backoffice import i18n
    from admin.backoffice.apikeys import ApiKeysView
    from admin.backoffice.audit import AuditView
    from admin.backoffice.blocks import BlocksView, SavedBlocksView
    from admin.backoffice.blocks import init_app as init_blocks
    from admin.backoffice.common import STATUS_LABELS, assets
    from admin.backoffice.counter import CounterView
    from admin.backoffice.desk import DeskView
    from admin.backoffice.editor import EditorView
    from admin.backoffice.figures import FiguresView
    from admin.backoffice.history import HistoryView
    from admin.backoffice.local_versions import LocalVersionsView
    from admin.backoffice.login import server_time
    from admin.backoffice.national import NationalView, pending_since
    from admin.backoffice.offices import OfficesView
    from admin.backoffice.postings import PostingsView
    from admin.backoffice.procedures import ProceduresView
    from admin.backoffice.review import ReviewView
    from admin.backoffice.transfer import TransferView
    from admin.backoffice.workflow import WorkflowView

    app.register_blueprint(assets)
    # FAB's model views serve file columns from here (our models have none; avoid its 500).
    app.config.setdefault("UPLOAD_FOLDER", str(Path(app.config["MOTCUA_DATA_DIR"]) / "fab-uploads"))
    app.register_error_handler(FileNotFoundError, lambda _exc: NotFound())
    app.jinja_env.globals["status_labels"] = STATUS_LABELS  # also seen by imported macros
    app.jinja_env.globals["national_update_since"] = pending_since  # the procedure page's banner
    app.jinja_env.filters["server_time"] = server_time  # FAB's naive local times, in Vietnam time
    category = {"category": CATEGORY, "category_label": _l("Thủ tục hành chính")}
    appbuilder.add_view(ProceduresView, "Procedure list", label=_l("Danh sách thủ tục"), **category)
    appbuilder.add_view(TransferView, "Import and export", label=_l("Nhập / xuất"), **category)
    appbuilder.add_view(PostingsView, "Public posting", label=_l("Niêm yết"), **category)
    appbuilder.add_view(ReviewView, "Facts to check", label=_l("Dữ kiện cần kiểm tra"), **category)
    appbuilder.add_view(OfficesView, "Offices", label=_l("Bộ phận tiếp nhận"), **category)
    appbuilder.add_view(AuditView, "Audit log", label=_l("Nhật ký thay đổi"), **category)
    appbuilder.add_view(ApiKeysView, "API keys", label=_l("Khóa API"), **category)
    appbuilder.add_view(DeskView, "Reception desk", label=_l("Bàn tiếp nhận"), **category)
    appbuilder.add_view(CounterView, "Counter reception", label=_l("Tiếp nhận tại quầy"), **category)
    appbuilder.add_view(FiguresView, "Figures menu", label=_l("Số liệu"), **category)
    for view in (EditorView, WorkflowView, HistoryView, NationalView):
        appbuilder.add_view_no_menu(view)
    appbuilder.add_view_no_menu(LocalVersionsView)  # local versions (Phiên bản địa phương)
    appbuilder.add_view(SavedBlocksView, "Library blocks", label=_l("Thư viện khối"), **category)
    appbuilder.add_view_no_menu(BlocksView)  # the question library of a draft's form
    init_blocks(app)
    register_api(appbuilder)

    app.before_request(_guard_model_actions)
    i18n.init_app(app)

    # Every POST of a browser form carries a CSRF token; the token-authenticated API does not.
    csrf = app.extensions.get("csrf") or CSRFProtect(app)
    for view in appbuilder.baseviews:
        if isinstance(view, BaseApi) and view.blueprint is not None:
            csrf.exempt(view.blueprint)


def _guard_model_actions() -> Any:
    """FAB's /<model>/action… endpoints check permissions themselves, answer a 500 for an unknown
    action and send refusals back to the list: refuse like every other view (login or 403)."""
    endpoint = request.endpoint or ""
    if not endpoint.endswith((".action", ".action_post")):
        return None
    view = next((v for v in current_app.appbuilder.baseviews if v.endpoint == endpoint.rsplit(".", 1)[0]), None)
    actions = getattr(view, "actions", None)
    if view is None or actions is None:
        return None
    name = (request.view_args or {}).get("name") if endpoint.endswith(".action") else request.form.get("action")
    sm = current_app.appbuilder.sm
    if name in actions and sm.has_access(view.get_action_permission_name(name), view.class_permission_name):
        return None
    if not current_user.is_authenticated:
        return redirect(current_app.appbuilder.get_url_for_login_with(request.url))
    if name in actions or not sm.has_access("can_list", view.class_permission_name):
        abort(403)
    abort(404)
