"""The question library in the back office: insert a block into a draft's form, detach it,
copy another procedure's form, and (Admin) save a group as a library block or delete one.

Every action is one POST that changes the draft through catalog.services.blocks (validated,
locked, audited) and sends the officer back to the builder at the new field
(/admin/editor/<code>/form?field=<path>), or to the library page with the reason when refused.
The compact form (backoffice/block_library.html) is included in the builder page; it needs only
`procedure`, `document`, `draft` and `may_edit` from the page and reads the rest through the
`library_blocks()`, `library_groups(document)` and `block_fields_of(document)` template globals.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from admin.backoffice.common import actor, can, editable_version, locale, procedure_or_404
from catalog.db import db
from catalog.models import Procedure
from catalog.services import blocks as library
from catalog.services.errors import DraftConflict, ServiceError
from catalog.services.history import latest_version
from form_schemas import blocks, builder
from form_schemas.problems import InvalidProcedure

PERMISSION_VIEW = "LibraryBlocks"
MANAGE_VIEW = "SavedLibraryBlocks"  # its own permission view: saving and deleting blocks (Admin)


def library_blocks() -> list[tuple[str, str, str]]:
    """(key, title, description) of every block in the library (a template global)."""
    return library.library(db.session)


def init_app(app: Flask) -> None:
    """Template globals the library form reads wherever it is included."""
    app.jinja_env.globals["library_blocks"] = library_blocks
    app.jinja_env.globals["block_fields_of"] = blocks.block_fields
    app.jinja_env.globals["library_groups"] = _groups


def _lock() -> int | None:
    try:
        return int(request.form.get("lock", ""))
    except ValueError:
        return None


def _groups(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [("", _("Biểu mẫu (cấp ngoài cùng)"))] + [
        (g.path, f"{'— ' * g.depth}{g.label} ({g.path})") for g in builder.groups(document)]


def _savable(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Groups (and inserted blocks) that can be saved as a library block."""
    found = [(g.path, f"{g.label} ({g.path})") for g in builder.groups(document)]
    found += [(path, f"{title} ({path})") for path, title in blocks.block_fields(document)]
    return found


class BlocksView(BaseView):
    """The library for one procedure's draft (Procedure officer)."""

    route_base = "/admin/editor"
    class_permission_name = PERMISSION_VIEW
    default_view = "library"

    def _page(self, procedure: Procedure, status: int = 200, problems: Any = None):  # type: ignore[no-untyped-def]
        version = latest_version(procedure)
        document = version.document if version else {}
        draft = editable_version(procedure)
        html = self.render_template(
            "backoffice/blocks.html", procedure=procedure, version=version, draft=draft, document=document,
            groups=_groups(document), lock=draft.lock_version if draft else "",
            may_edit=draft is not None and can("can_insert", PERMISSION_VIEW),
            may_manage=can("can_manage", MANAGE_VIEW), savable=_savable(document),
            problems=problems or [])
        return html, status

    def _act(self, procedure: Procedure, work: Any):  # type: ignore[no-untyped-def]
        """Run a library action on the draft; back to the builder at the changed field."""
        draft = editable_version(procedure)
        if draft is None:
            flash(_("Phiên bản mới nhất không phải bản nháp nên không sửa được. Hãy mở bản nháp mới."), "danger")
            return self._page(procedure, 409)
        lock = _lock()
        if lock is None:
            flash(_("Thiếu phiên bản khóa của bản nháp; hãy tải lại trang."), "danger")
            return self._page(procedure, 422)
        try:
            path = work(draft, lock)
        except InvalidProcedure as exc:
            db.session.rollback()
            flash(_("Kết quả chưa hợp lệ nên chưa được lưu."), "danger")
            return self._page(procedure, 422, exc.problems)
        except DraftConflict as exc:
            db.session.rollback()
            flash(exc.message(locale()), "danger")
            return self._page(procedure, 409)
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message(locale()), "danger")
            return self._page(procedure, 422)
        flash(_("Đã lưu biểu mẫu."), "success")
        return redirect(url_for("EditorView.form", code=procedure.code, field=path or None))

    @expose("/<code>/blocks", methods=["GET"])
    @has_access
    @permission_name("insert")
    def library(self, code: str):  # type: ignore[no-untyped-def]
        return self._page(procedure_or_404(code))

    @expose("/<code>/blocks/insert", methods=["POST"])
    @has_access
    @permission_name("insert")
    def insert(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        key = request.form.get("block", "")
        parent = request.form.get("parent", "")
        return self._act(procedure, lambda draft, lock: library.insert_into_draft(
            db.session, draft, key, parent, expected_lock=lock, actor=actor()))

    @expose("/<code>/blocks/detach", methods=["POST"])
    @has_access
    @permission_name("insert")
    def detach(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        path = request.form.get("path", "")
        return self._act(procedure, lambda draft, lock: library.detach_in_draft(
            db.session, draft, path, expected_lock=lock, actor=actor()))

    @expose("/<code>/copy-form", methods=["POST"])
    @has_access
    @permission_name("insert")
    def copy_form(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        source = request.form.get("source", "")
        if not source.strip():
            flash(_("Hãy nhập mã thủ tục có biểu mẫu cần sao chép."), "danger")
            return self._page(procedure, 422)

        def work(draft: Any, lock: int) -> str:
            library.copy_form_into_draft(db.session, draft, source, expected_lock=lock, actor=actor())
            return ""

        return self._act(procedure, work)


class SavedBlocksView(BaseView):
    """The saved library blocks (Admin): list, save a group of any procedure, delete."""

    route_base = "/admin/blocks"
    class_permission_name = MANAGE_VIEW
    default_view = "saved"

    def _page(self, status: int = 200, **extra: Any):  # type: ignore[no-untyped-def]
        return self.render_template("backoffice/saved_blocks.html", saved=library.saved_blocks(db.session),
                                    form=request.form if request.method == "POST" else {}, **extra), status

    @expose("/", methods=["GET"])
    @has_access
    @permission_name("manage")
    def saved(self):  # type: ignore[no-untyped-def]
        return self._page()

    @expose("/save", methods=["POST"])
    @has_access
    @permission_name("manage")
    def save(self):  # type: ignore[no-untyped-def]
        code = request.form.get("code", "")
        path = request.form.get("path", "")
        title = request.form.get("title", "")
        back = request.form.get("back") == "procedure" and code.strip()
        try:
            row = library.save_group_as_block(db.session, code, path, title, actor=actor(),
                                              description=request.form.get("description", ""))
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message(locale()), "danger")
            if back:
                return redirect(url_for("BlocksView.library", code=code.strip()))
            return self._page(422)
        flash(_("Đã lưu khối «%(title)s» vào thư viện.", title=row.title), "success")
        if back:
            return redirect(url_for("BlocksView.library", code=code.strip()))
        return redirect(url_for("SavedBlocksView.saved"))

    @expose("/<int:block_id>/delete", methods=["POST"])
    @has_access
    @permission_name("manage")
    def delete(self, block_id: int):  # type: ignore[no-untyped-def]
        try:
            library.delete_block(db.session, block_id, actor=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message(locale()), "danger")
            return self._page(404)
        flash(_("Đã xóa khối khỏi thư viện. Các biểu mẫu đã chèn khối này vẫn giữ bản của mình."), "success")
        return redirect(url_for("SavedBlocksView.saved"))
