"""The procedure editor: four tabs over the newest version's document.

1 Thông tin thủ tục (x-procedure facts), 2 Biểu mẫu (the field builder), 3 JSON, 4 Xem trước.
Every save posts the draft's `lock_version`; a stale one gets a conflict (409) and the officer's
own text stays on the page to copy. Tabs 1–2 only ever store valid documents: each builder
action's result is validated before `save_draft`, which keeps the replaced document as an undo
step ("Hoàn tác", catalog.services.undo). The builder's actions answer fragments to builder.js
(in place) and 302 to a plain form post (scripts off), from the same endpoints.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, g, redirect, request, send_from_directory, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified

from admin.backoffice import facts as facts_tab
from admin.backoffice import preview as preview_tab
from admin.backoffice.builder_forms import (
    AddFieldForm,
    FieldForm,
    LabelForm,
    MoveForm,
    NestForm,
    PathForm,
)
from admin.backoffice.common import actor, can, editable_version, locale, procedure_or_404
from admin.edge import content_security_policy
from admin.printing import notice_info
from catalog.db import db
from catalog.models import Procedure, ProcedureVersion
from catalog.services import save_draft, undo
from catalog.services.errors import DraftConflict, ServiceError
from catalog.services.history import latest_version
from form_schemas import branches, builder
from form_schemas.gaps import SECTIONS, gaps
from form_schemas.loading import parse_document
from form_schemas.problems import InvalidProcedure, SchemaProblem
from form_schemas.validation import validate_procedure
from renderers.forms import SCRIPT, STYLE
from renderers.pdf.engine import STATIC_DIR as PDF_STATIC_DIR

FONTS_DIR = PDF_STATIC_DIR / "fonts"
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


def _wants_fragment() -> bool:
    """Asked by builder.js: answer the builder's fragments (200) instead of a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


def save(version: ProcedureVersion, document: dict[str, Any], lock: Any, *, undo_label: str) -> Outcome:
    """Validate and store a draft's new document with optimistic locking; the document it
    replaces becomes an undo step named `undo_label`."""
    previous = version.document
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
        save_draft(db.session, version, document, expected_lock=expected, actor=actor(),
                   undo_label=undo_label, previous=previous)
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
            **({"gaps": gaps(version.document) if version else [], "sections": SECTIONS} if tab == "facts" else {}),
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
        outcome = save(draft, decoded.document, request.form.get("lock"),
                       undo_label=_("Sửa thông tin thủ tục"))
        if outcome.ok:
            flash(_("Đã lưu thông tin thủ tục."), "success")
            return redirect(url_for("EditorView.facts", code=code))
        html = facts_tab.render(draft.document, request.form, None, locale())
        return self._page("backoffice/editor_facts.html", procedure, "facts", outcome.status, facts_html=html,
                          outcome=outcome, lock=request.form.get("lock"))

    # --- tab 2: the builder --------------------------------------------------------------
    # Every action is a plain form POST that answers 302 → the builder page. Asked by
    # builder.js (header `X-Requested-With: fetch`), the same action answers 200 with the
    # builder's fragments (editor_form_fragments.html), which the script swaps in place.

    def _add_parent(self, groups: list[tuple[str, str]]) -> str:
        """The group "Thêm trường" puts new fields in: the one the officer last chose."""
        wanted = request.form.get("add-parent") if "add-parent" in request.form else (
            request.form.get("keep_parent") or request.args.get("parent") or "")
        return wanted if wanted in {value for value, _ in groups} else ""

    def _builder_page(self, procedure: Procedure, status: int = 200, *, field_form: FieldForm | None = None,
                      add_form: AddFieldForm | None = None, outcome: Outcome | None = None,
                      selected: str | None = None, message: str = "", focus: str = "",
                      into: str | None = None):  # type: ignore[no-untyped-def]
        version = latest_version(procedure)
        document = version.document if version else {}
        tree = builder.field_tree(document)
        groups = [("", _("Biểu mẫu (cấp ngoài cùng)"))] + [
            (g.path, f"{'— ' * g.depth}{g.label} ({g.path})") for g in tree if g.kind in ("group", "repeat")]
        add_parent = into if into in {value for value, _ in groups} else self._add_parent(groups)
        if add_form is None:
            add_form = AddFieldForm(formdata=None, prefix="add")
            add_form.parent.data = add_parent
        add_form.parent.choices = groups
        selected = selected if selected is not None else request.args.get("field")
        info = next((f for f in tree if f.path == selected), None)
        if info is not None and field_form is None:
            field_form = FieldForm(formdata=None)
            field_form.fill(info, builder.linked_document(document, info.path))
        if field_form is not None and info is not None:
            field_form.when.choices = [("", _("Luôn hiện"))] + [
                (s.name, f"{s.label} ({s.name})") for s in builder.siblings(document, info.path)]
            field_form.document.choices = [("", _("Không gắn"))] + [
                (d["id"], f"{d['name']} ({d['id']})") for d in document.get("x-procedure", {}).get("documents", [])]
        draft = editable_version(procedure)
        lock = draft.lock_version if draft else ""
        step = undo.last_step(db.session, draft) if draft is not None else None
        conditions = {f.path: branches.condition_sentence(document, f, tree) for f in tree if f.condition}
        positions: dict[str, int] = {}  # a field's 0-based place among its siblings (drag and drop)
        counts: dict[str, int] = {}
        for f in tree:
            positions[f.path] = counts.get(f.parent, 0)
            counts[f.parent] = positions[f.path] + 1
        extra = {"tree": tree, "add_form": add_form, "field_form": field_form, "selected": info,
                 "groups": groups, "lock": lock, "outcome": outcome, "kinds": builder.KINDS,
                 "conditions": conditions, "branches": branches.branch_overview(document),
                 "add_parent": add_parent, "undo_step": step, "positions": positions,
                 "positions_parents": set(counts),
                 "message": message, "focus": focus, "fragment": _wants_fragment()}
        if _wants_fragment():
            html = self.render_template("backoffice/editor_form_fragments.html",
                                        **self._context(procedure, "form", **extra))
            return html, status, {"Cache-Control": "no-store", "Vary": "X-Requested-With"}
        return self._page("backoffice/editor_form.html", procedure, "form", status, **extra)

    @expose("/<code>/form", methods=["GET"])
    @has_access
    @permission_name("read")
    def form(self, code: str):  # type: ignore[no-untyped-def]
        return self._builder_page(procedure_or_404(code))

    def _apply(self, procedure: Procedure, action: Any, *, selected: str | None = None,
               describe: Any = None, focus: str = "edit", into: bool = False,
               **forms: Any):  # type: ignore[no-untyped-def]
        """Run a builder action on the draft; save it, or show why not.

        `describe(document, path)` words the result for the officer ("Đã chuyển …"); `focus`
        names the control of the field's row that gets the focus after an in-place action;
        `into`: the changed field is a new group, where "Thêm trường" puts the next fields."""
        draft = self._draft_or_refuse(procedure)
        if draft is None:
            return redirect(url_for("EditorView.form", code=procedure.code))
        try:
            result = action(draft.document)
        except builder.BuilderError as exc:
            flash(exc.message(locale()), "danger")
            return self._builder_page(procedure, 422, selected=selected, **forms)
        document, path = result if isinstance(result, tuple) else (result, selected)
        message = describe(document, path) if describe else _("Đã lưu biểu mẫu.")
        outcome = save(draft, document, request.form.get("lock"), undo_label=message)
        if outcome.ok:
            if _wants_fragment():
                return self._builder_page(procedure, selected=path or "", message=message,
                                          focus=f"{focus}-{path}" if path else focus,
                                          into=path if into else None)
            flash(message, "success")
            parent = path if into and path else self._add_parent(
                [(g.path, "") for g in builder.groups(document)] + [("", "")])
            return redirect(url_for("EditorView.form", code=procedure.code, parent=parent or None,
                                    field=path or None))
        return self._builder_page(procedure, outcome.status, outcome=outcome, selected=selected, **forms)

    @staticmethod
    def _label(document: dict[str, Any], path: str) -> str:
        info = next((f for f in builder.field_tree(document) if f.path == path), None)
        return info.label if info else path

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
        # a new group is where the officer adds next: its fields (the choice stays editable)
        into = builder.KINDS.get(spec.kind, builder.KINDS["text"]).container
        return self._apply(procedure, lambda doc: builder.add_field(doc, spec, form.parent.data or ""),
                           add_form=form, into=into, describe=lambda doc, path: _(
                               "Đã thêm «%(label)s» ở vị trí %(n)s.", label=self._label(doc, path),
                               n=builder.position_of(doc, path)))

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
            if _wants_fragment():
                return self._builder_page(procedure, 422, selected="")
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

        return self._apply(procedure, update, selected=path, field_form=form,
                           describe=lambda doc, new: _("Đã lưu trường «%(label)s».", label=self._label(doc, new)))

    @expose("/<code>/form/label", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_label(self, code: str):  # type: ignore[no-untyped-def]
        """The inline label edit on a row of the field list (Enter saves)."""
        procedure = procedure_or_404(code)
        form = LabelForm()
        if not form.validate():
            flash(_("Hãy nhập nhãn của trường."), "danger")
            return self._builder_page(procedure, 422)
        path = form.path.data
        return self._apply(procedure, lambda doc: (builder.set_label(doc, path, form.label.data), path),
                           selected=path, focus="label",
                           describe=lambda doc, p: _("Đã đổi nhãn thành «%(label)s».", label=self._label(doc, p)))

    @expose("/<code>/form/move", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_move(self, code: str):  # type: ignore[no-untyped-def]
        """Up/down by one (`delta`, the Lên/Xuống buttons) or to a `position` (drag and drop)."""
        procedure = procedure_or_404(code)
        form = MoveForm()
        if not form.validate() or (form.delta.data is None and form.position.data is None):
            return self._builder_page(procedure, 422)
        path = form.path.data
        before: dict[str, int] = {}

        def move(doc: dict[str, Any]) -> tuple[dict[str, Any], str]:
            before["n"] = builder.position_of(doc, path)
            if form.position.data is not None:
                return builder.move_field_to(doc, path, form.position.data), path
            return builder.move_field(doc, path, form.delta.data), path

        def describe(doc: dict[str, Any], p: str) -> str:
            n = builder.position_of(doc, p)
            label = self._label(doc, p)
            if n == before["n"]:
                return _("«%(label)s» vẫn ở vị trí %(n)s.", label=label, n=n)
            if n < before["n"]:
                return _("Đã chuyển «%(label)s» lên vị trí %(n)s.", label=label, n=n)
            return _("Đã chuyển «%(label)s» xuống vị trí %(n)s.", label=label, n=n)

        focus = "row" if form.position.data is not None else "up" if (form.delta.data or 0) < 0 else "down"
        return self._apply(procedure, move, selected=path, describe=describe, focus=focus)

    @expose("/<code>/form/duplicate", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_duplicate(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = PathForm()
        if not form.validate():
            return self._builder_page(procedure, 422)
        return self._apply(procedure, lambda doc: builder.duplicate_field(doc, form.path.data),
                           describe=lambda doc, p: _("Đã nhân bản thành «%(label)s» ở vị trí %(n)s.",
                                                     label=self._label(doc, p), n=builder.position_of(doc, p)))

    @expose("/<code>/form/nest", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_nest(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = NestForm()
        if not form.validate():
            return self._builder_page(procedure, 422)

        def describe(doc: dict[str, Any], p: str) -> str:
            parent = p.rpartition(".")[0]
            where = self._label(doc, parent) if parent else _("Biểu mẫu (cấp ngoài cùng)")
            return _("Đã chuyển «%(label)s» vào «%(group)s».", label=self._label(doc, p), group=where)

        return self._apply(procedure, lambda doc: builder.nest_field(doc, form.path.data, form.parent.data or ""),
                           selected=form.path.data, describe=describe)

    @expose("/<code>/form/delete", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_delete(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        form = PathForm()
        if not form.validate():
            return self._builder_page(procedure, 422)
        version = latest_version(procedure)
        path = form.path.data
        label = self._label(version.document, path) if version else path
        # the focus goes to the row that takes the deleted one's place (else the one before it,
        # else the group, else the list's heading)
        tree = builder.field_tree(version.document) if version else []
        parent = path.rpartition(".")[0]
        rows = [f.path for f in tree if f.parent == parent]
        here = rows.index(path) if path in rows else -1
        after = rows[here + 1] if 0 <= here < len(rows) - 1 else rows[here - 1] if here > 0 else parent
        return self._apply(procedure, lambda doc: (builder.delete_field(doc, path), ""),
                           focus=f"edit-{after}" if after else "fields-title",
                           describe=lambda doc, p: _("Đã xóa «%(label)s».", label=label))

    @expose("/<code>/form/undo", methods=["POST"])
    @has_access
    @permission_name("edit")
    def form_undo(self, code: str):  # type: ignore[no-untyped-def]
        """Put back the document before the draft's last save ("Hoàn tác")."""
        procedure = procedure_or_404(code)
        draft = self._draft_or_refuse(procedure)
        if draft is None:
            return redirect(url_for("EditorView.form", code=code))
        try:
            expected = int(request.form.get("lock", ""))
        except ValueError:
            return self._builder_page(procedure, 422, outcome=Outcome(
                error=_("Thiếu phiên bản khóa của bản nháp; hãy tải lại trang.")))
        try:
            step = undo.undo_last(db.session, draft, actor(), expected_lock=expected)
        except DraftConflict as exc:
            return self._builder_page(procedure, 409, outcome=Outcome(conflict=exc.message(locale())))
        except InvalidProcedure as exc:  # the earlier document no longer passes today's checks
            return self._builder_page(procedure, 422, outcome=Outcome(problems=exc.problems))
        except ServiceError as exc:
            flash(exc.message(locale()), "danger")
            return self._builder_page(procedure, 422)
        message = _("Đã hoàn tác: %(change)s", change=step.label)
        if _wants_fragment():
            return self._builder_page(procedure, selected="", message=message, focus="undo-button")
        flash(message, "success")
        return redirect(url_for("EditorView.form", code=code, parent=self._add_parent(
            [(g.path, "") for g in builder.groups(draft.document)] + [("", "")]) or None))

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
        outcome = save(draft, document, request.form.get("lock"), undo_label=_("Sửa tài liệu JSON"))
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

    # --- side by side: the preview beside the builder ------------------------------------
    # Pages shown in the builder's iframe: the citizen form with the citizen site's own styles,
    # the blank paper form and the notice as their PDFs' HTML. Framed by this site only.

    def _framed(self, html: str, status: int = 200):  # type: ignore[no-untyped-def]
        policy = content_security_policy("backoffice", g.get("csp_nonce")).replace(
            "frame-ancestors 'none'", "frame-ancestors 'self'")
        return html, status, {"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN",
                              "Cache-Control": "no-store"}

    @expose("/<code>/preview/citizen", methods=["GET"])
    @has_access
    @permission_name("read")
    def preview_citizen(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        version = latest_version(procedure)
        document = version.document if version else {}
        return self._framed(self.render_template(
            "backoffice/editor_preview_citizen.html", procedure=procedure, document=document,
            preview=preview_tab.render(document, locale())))

    @expose("/<code>/preview/paper", methods=["GET"])
    @has_access
    @permission_name("read")
    def preview_paper(self, code: str):  # type: ignore[no-untyped-def]
        version = latest_version(procedure_or_404(code))
        return self._framed(*preview_tab.paper(version.document if version else {}, locale()))

    @expose("/<code>/preview/fonts/<name>", methods=["GET"])
    @has_access
    @permission_name("read")
    def preview_font(self, code: str, name: str):  # type: ignore[no-untyped-def]
        """The bundled fonts the paper form and the notice name (`url(fonts/…)` in their CSS)."""
        if not name.endswith(".ttf"):
            abort(404)
        return send_from_directory(FONTS_DIR, name, max_age=86400)

    @expose("/<code>/preview/notice", methods=["GET"])
    @has_access
    @permission_name("read")
    def preview_notice(self, code: str):  # type: ignore[no-untyped-def]
        version = latest_version(procedure_or_404(code))
        if version is None:
            return self._framed(preview_tab.unavailable(_("Chưa có phiên bản nào."), locale()), 404)
        info = notice_info(code, version)
        return self._framed(*preview_tab.notice(version.document, info, locale()))
