"""The procedure editor: four tabs over the newest version's document.

1 Thông tin thủ tục (x-procedure facts), 2 Biểu mẫu (the field builder), 3 JSON, 4 Xem trước.
Every save posts the draft's `lock_version`; a stale one gets a conflict (409) and the officer's
own text stays on the page to copy. Tabs 1–2 only ever store valid documents: each builder
action's result is validated before `save_draft`.
"""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified

from admin.backoffice import facts as facts_tab
from admin.backoffice import preview as preview_tab
from admin.backoffice.builder_forms import AddFieldForm, FieldForm, MoveForm, NestForm, PathForm
from admin.backoffice.common import actor, can, editable_version, locale, procedure_or_404
from catalog.db import db
from catalog.models import Procedure, ProcedureVersion
from catalog.services import save_draft
from catalog.services.errors import DraftConflict, ServiceError
from catalog.services.history import latest_version
from form_schemas import branches, builder
from form_schemas.loading import parse_document
from form_schemas.problems import InvalidProcedure, SchemaProblem
from form_schemas.validation import validate_procedure
from renderers.forms import SCRIPT, STYLE

TABS = (("facts", "Thông tin thủ tục"), ("form", "Biểu mẫu"), ("json", "JSON"), ("preview", "Xem trước"))


class Outcome:
    """What a save attempt gave: saved, refused with problems, or a conflict."""

    def __init__(self, *, problems: list[SchemaProblem] | None = None, conflict: str | None = None,
                 error: str | None = None):
        self.problems = problems or []
        self.conflict = conflict
        self.error = error

    @property
    def ok(self) -> bool:
        return not (self.problems or self.conflict or self.error)

    @property
    def status(self) -> int:
        return 409 if self.conflict else 200 if self.ok else 422


def save(version: ProcedureVersion, document: dict[str, Any], lock: Any) -> Outcome:
    """Validate and store a draft's new document with optimistic locking."""
    try:
        expected = int(lock)
    except (TypeError, ValueError):
        return Outcome(error=_("Thiếu phiên bản khóa của bản nháp; hãy tải lại trang."))
    problems = validate_procedure(document)
    if problems:
        return Outcome(problems=problems)
    if version.document == document and list(_orders(version.document)) != list(_orders(document)):
        # Only the order of fields changed: equal dicts, so SQLAlchemy would skip the UPDATE.
        version.document = document
        flag_modified(version, "document")
    try:
        save_draft(db.session, version, document, expected_lock=expected, actor=actor())
    except DraftConflict as exc:
        db.session.rollback()
        return Outcome(conflict=exc.message(locale()))
    except InvalidProcedure as exc:
        return Outcome(problems=exc.problems)
    except ServiceError as exc:
        db.session.rollback()
        return Outcome(error=exc.message(locale()))
    return Outcome()


def _orders(node: Any) -> Any:
    """Every object's key order, depth first (what `==` on dicts ignores)."""
    if isinstance(node, dict):
        yield tuple(node)
        for value in node.values():
            yield from _orders(value)
    elif isinstance(node, list):
        for value in node:
            yield from _orders(value)


class EditorView(BaseView):
    """GET shows a tab (read permission), POST changes the draft (edit permission)."""

    route_base = "/admin/editor"
    class_permission_name = "ProcedureEditor"
    default_view = "facts"

    def _context(self, procedure: Procedure, tab: str, **extra: Any) -> dict[str, Any]:
        version = latest_version(procedure)
        draft = editable_version(procedure)
        return {
            "procedure": procedure, "version": version, "draft": draft, "tab": tab, "tabs": TABS,
            "document": version.document if version else {},
            "may_edit": draft is not None and can("can_edit", "ProcedureEditor"),
            "may_draft": can("can_draft", "Workflow"), "may_submit": can("can_submit", "Workflow"),
            "form_style": STYLE, "form_script": SCRIPT,
            **extra,
        }

    def _page(self, template: str, procedure: Procedure, tab: str, status: int = 200, **extra: Any):  # type: ignore[no-untyped-def]
        return self.render_template(template, **self._context(procedure, tab, **extra)), status

    def _draft_or_refuse(self, procedure: Procedure) -> ProcedureVersion | None:
        draft = editable_version(procedure)
        if draft is None:
            flash(_("Phiên bản mới nhất không phải bản nháp nên không sửa được. Hãy mở bản nháp mới."), "danger")
        return draft

    # --- tab 1: facts --------------------------------------------------------------------

    @expose("/<code>/facts", methods=["GET"])
    @has_access
    @permission_name("read")
    def facts(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        version = latest_version(procedure)
        return self._page("backoffice/editor_facts.html", procedure, "facts",
                          facts_html=facts_tab.render(version.document if version else {}, locale=locale()))

    @expose("/<code>/facts", methods=["POST"])
    @has_access
    @permission_name("edit")
    def facts_save(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        draft = self._draft_or_refuse(procedure)
        if draft is None:
            return redirect(url_for("EditorView.facts", code=code))
        decoded = facts_tab.decode(draft.document, request.form, locale())
        if decoded.document is None:  # "Thêm"/"Xóa" without JavaScript, or errors on fields
            status = 422 if decoded.errors else 200
            html = facts_tab.render(draft.document, decoded.formdata, decoded.errors, locale())
            return self._page("backoffice/editor_facts.html", procedure, "facts", status, facts_html=html,
                              lock=request.form.get("lock"))
        outcome = save(draft, decoded.document, request.form.get("lock"))
        if outcome.ok:
            flash(_("Đã lưu thông tin thủ tục."), "success")
            return redirect(url_for("EditorView.facts", code=code))
        html = facts_tab.render(draft.document, request.form, None, locale())
        return self._page("backoffice/editor_facts.html", procedure, "facts", outcome.status, facts_html=html,
                          outcome=outcome, lock=request.form.get("lock"))

    # --- tab 2: the builder --------------------------------------------------------------

    def _builder_page(self, procedure: Procedure, status: int = 200, *, field_form: FieldForm | None = None,
                      add_form: AddFieldForm | None = None, outcome: Outcome | None = None,
                      selected: str | None = None):  # type: ignore[no-untyped-def]
        version = latest_version(procedure)
        document = version.document if version else {}
        tree = builder.field_tree(document)
        groups = [("", _("Biểu mẫu (cấp ngoài cùng)"))] + [
            (g.path, f"{'— ' * g.depth}{g.label} ({g.path})") for g in builder.groups(document)]
        add_form = add_form or AddFieldForm(formdata=None, prefix="add")
        add_form.parent.choices = groups
        selected = selected or request.args.get("field")
        info = next((f for f in tree if f.path == selected), None)
        if info is not None and field_form is None:
            field_form = FieldForm(formdata=None)
            field_form.fill(info, builder.linked_document(document, info.path))
        if field_form is not None and info is not None:
            field_form.when.choices = [("", _("Luôn hiện"))] + [
                (s.name, f"{s.label} ({s.name})") for s in builder.siblings(document, info.path)]
            field_form.document.choices = [("", _("Không gắn"))] + [
                (d["id"], f"{d['name']} ({d['id']})") for d in document.get("x-procedure", {}).get("documents", [])]
        lock = editable_version(procedure).lock_version if editable_version(procedure) else ""
        conditions = {f.path: branches.condition_sentence(document, f, tree) for f in tree if f.condition}
        return self._page("backoffice/editor_form.html", procedure, "form", status, tree=tree, add_form=add_form,
                          field_form=field_form, selected=info, groups=groups, lock=lock, outcome=outcome,
                          kinds=builder.KINDS, conditions=conditions,
                          branches=branches.branch_overview(document))

    @expose("/<code>/form", methods=["GET"])
    @has_access
    @permission_name("read")
    def form(self, code: str):  # type: ignore[no-untyped-def]
        return self._builder_page(procedure_or_404(code))

    def _apply(self, procedure: Procedure, action: Any, *, selected: str | None = None, **forms: Any):  # type: ignore[no-untyped-def]
        """Run a builder action on the draft; save it, or show why not."""
        draft = self._draft_or_refuse(procedure)
        if draft is None:
            return redirect(url_for("EditorView.form", code=procedure.code))
        try:
            result = action(draft.document)
        except builder.BuilderError as exc:
            flash(exc.message(locale()), "danger")
            return self._builder_page(procedure, 422, selected=selected, **forms)
        document, path = result if isinstance(result, tuple) else (result, selected)
        outcome = save(draft, document, request.form.get("lock"))
        if outcome.ok:
            flash(_("Đã lưu biểu mẫu."), "success")
            return redirect(url_for("EditorView.form", code=procedure.code, field=path or None))
        return self._builder_page(procedure, outcome.status, outcome=outcome, selected=selected, **forms)

    @expose("/<code>/form/add", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_add(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = AddFieldForm(prefix="add")
        document = latest_version(procedure).document if procedure.versions else {}
        form.parent.choices = [("", "")] + [(g.path, g.path) for g in builder.groups(document)]
        if not form.validate():
            return self._builder_page(procedure, 422, add_form=form)
        spec = builder.FieldSpec(kind=form.kind.data, label=form.label.data, required=form.required.data)
        if "options" in builder.KINDS.get(spec.kind, builder.KINDS["text"]).settings:
            spec.settings["options"] = "Lựa chọn 1\nLựa chọn 2"  # renamed in the field form
        return self._apply(procedure, lambda doc: builder.add_field(doc, spec, form.parent.data or ""),
                           add_form=form)

    @expose("/<code>/form/update", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_update(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = FieldForm()
        path = form.path.data or ""
        document = latest_version(procedure).document if procedure.versions else {}
        info = next((f for f in builder.field_tree(document) if f.path == path), None)
        if info is None:
            flash(_("Trường này không còn trong biểu mẫu (có thể người khác vừa xóa)."), "danger")
            return redirect(url_for("EditorView.form", code=code))
        form.when.choices = [("", "")] + [(s.name, s.name) for s in builder.siblings(document, path)]
        form.document.choices = [("", "")] + [(d["id"], d["id"]) for d in document["x-procedure"]["documents"]]
        if not info.container:
            form.kind.choices = [(k, k) for k, kind in builder.KINDS.items() if not kind.container]
        else:
            form.kind.choices = [(info.kind, info.kind)]
            form.kind.data = info.kind
        if not form.validate():
            return self._builder_page(procedure, 422, field_form=form, selected=path)
        kind = info.kind if info.container else form.kind.data

        def update(doc: dict[str, Any]) -> tuple[dict[str, Any], str]:
            spec = form.spec(kind)
            if kind == info.kind and "options" in builder.KINDS.get(kind, builder.KINDS["text"]).settings and not (form.options.data or "").strip():
                spec.settings["options"] = info.settings.get("options")
            doc, new_path = builder.update_field(doc, path, spec)
            if form.when.data:
                doc = builder.set_condition(doc, new_path, form.when.data, form.equals.data or "")
            elif info.condition is not None:
                doc = builder.clear_condition(doc, new_path, required=bool(form.required.data))
            return doc, new_path

        return self._apply(procedure, update, selected=path, field_form=form)

    @expose("/<code>/form/move", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_move(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = MoveForm()
        if not form.validate():
            return self._builder_page(procedure, 422)
        path = form.path.data
        return self._apply(procedure, lambda doc: (builder.move_field(doc, path, form.delta.data), path),
                           selected=path)

    @expose("/<code>/form/nest", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_nest(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = NestForm()
        if not form.validate():
            return self._builder_page(procedure, 422)
        return self._apply(procedure, lambda doc: builder.nest_field(doc, form.path.data, form.parent.data or ""),
                           selected=form.path.data)

    @expose("/<code>/form/delete", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_delete(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = PathForm()
        if not form.validate():
            return self._builder_page(procedure, 422)
        return self._apply(procedure, lambda doc: (builder.delete_field(doc, form.path.data), ""))

    # --- tab 3: JSON ---------------------------------------------------------------------

    @expose("/<code>/json", methods=["GET"])
    @has_access
    @permission_name("read")
    def json(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        version = latest_version(procedure)
        text = json.dumps(version.document if version else {}, ensure_ascii=False, indent=2)
        return self._page("backoffice/editor_json.html", procedure, "json", text=text)

    @expose("/<code>/json", methods=["POST"])
    @has_access
    @permission_name("edit")
    def json_save(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        text = request.form.get("document", "")
        draft = self._draft_or_refuse(procedure)
        if draft is None:
            return self._page("backoffice/editor_json.html", procedure, "json", 409, text=text)
        try:
            document = parse_document(text)
        except InvalidProcedure as exc:
            return self._page("backoffice/editor_json.html", procedure, "json", 422, text=text,
                              outcome=Outcome(problems=exc.problems))
        outcome = save(draft, document, request.form.get("lock"))
        if outcome.ok:
            flash(_("Đã lưu tài liệu."), "success")
            return redirect(url_for("EditorView.json", code=code))
        return self._page("backoffice/editor_json.html", procedure, "json", outcome.status, text=text,
                          outcome=outcome)

    # --- tab 4: preview ------------------------------------------------------------------

    @expose("/<code>/preview", methods=["GET"])
    @has_access
    @permission_name("read")
    def preview(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        version = latest_version(procedure)
        return self._page("backoffice/editor_preview.html", procedure, "preview",
                          preview=preview_tab.render(version.document if version else {}, locale()))

    @expose("/<code>/preview", methods=["POST"])
    @has_access
    @permission_name("read")
    def preview_try(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        version = latest_version(procedure)
        result = preview_tab.dry_run(version.document if version else {}, request.form, request.files, locale())
        status = 200 if result.ok else 422
        return self._page("backoffice/editor_preview.html", procedure, "preview", status, preview=result)
