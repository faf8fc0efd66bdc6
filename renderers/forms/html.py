"""Form tree + values + errors -> accessible HTML (the form's body, without <form> or CSRF).

Every input has a <label for>; help and errors are linked with aria-describedby; an input in
error has aria-invalid; groups are fieldsets with a legend; an error summary at the top
(role="alert") links to each field in error. Ids are the input names (as WTForms does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

from werkzeug.datastructures import MultiDict

from form_schemas.messages import format_size, is_english, ui_text

from .compile import NAME_PREFIX
from .decode import FormData, defaults, encode, encode_into, encode_scalar, index_map
from .fields import (
    CHECKBOX,
    CHECKBOXES,
    FILE,
    GROUP,
    MISSING,
    MULTISELECT,
    RADIO,
    REPEAT,
    SELECT,
    TEXTAREA,
    WIDGET_HOOKS,
    KeptUpload,
    Node,
)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_UI_KEYS = ("summary_title", "remove", "choose", "required_mark", "uploaded_unnamed", "replace_file")


def _esc(value: str) -> str:
    # html.escape is slower for the common case of text with nothing to escape
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return escape(value, quote=True)
    return value


class Renderer:
    """One rendering of a form; collects the error summary while drawing the fields."""

    def __init__(
        self,
        values: FormData,
        errors: Mapping[str, list[str]] | None,
        kept: Mapping[str, KeptUpload | str] | None,
        locale: str,
        initial: bool,
    ):
        self.get = values.get
        self.getlist = values.getlist
        self.errors = errors or {}
        self.kept = kept or {}
        self.locale = locale
        self.english = is_english(locale)
        self.initial = initial
        keys = list(values.keys())
        keys += list(self.kept)
        self.indexes = index_map(keys)
        self.summary: list[tuple[str | None, str]] = []
        self.seen: set[str] = set()
        self.ui = {key: ui_text(key, locale) for key in _UI_KEYS}
        self.template_cache: dict[tuple[str, str], str] | None = None

    # -- entry --------------------------------------------------------------------------------
    def form(self, root: Node) -> str:
        out: list[str] = []
        self.root_errors(out)
        for child in root.children:
            self.node(child, child.key or "", "", out, "")
        return self.with_summary(out)

    def root_errors(self, out: list[str]) -> None:
        messages = self.errors.get("")
        if messages:
            self.seen.add("")
            for message in messages:
                self.summary.append((None, message))

    def with_summary(self, out: list[str]) -> str:
        for name, messages in self.errors.items():
            if name not in self.seen:
                for message in messages:
                    self.summary.append((None, message))
        if not self.summary:
            return "".join(out)
        items = []
        for anchor, message in self.summary:
            text = _esc(message)
            items.append(f'<li><a href="#{_esc(anchor)}">{text}</a></li>' if anchor else f"<li>{text}</li>")
        head = (
            '<div class="mc-error-summary" id="mc-error-summary" role="alert" tabindex="-1" '
            'aria-labelledby="mc-error-summary-title">'
            f'<h2 class="mc-error-summary__title" id="mc-error-summary-title">{self.ui["summary_title"]}</h2>'
            f'<ul class="mc-error-summary__list">{"".join(items)}</ul></div>'
        )
        return head + "".join(out)

    # -- pieces -----------------------------------------------------------------------------
    def node(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None = None) -> None:
        widget = node.widget
        if widget in WIDGET_HOOKS:
            WIDGET_HOOKS[widget]["render"](self, node, name, prefix, out, context, label)
        elif widget == GROUP:
            self.group(node, name, prefix, out, context, label)
        elif widget == REPEAT:
            self.repeat(node, name, prefix, out, context)
        elif node.read_only or (node.const is not MISSING and widget != CHECKBOX):
            self.fixed(node, name, prefix, out, context, label)
        elif widget in (RADIO, CHECKBOXES):
            self.options(node, name, prefix, out, context, label)
        elif widget == CHECKBOX:
            self.checkbox(node, name, prefix, out, context, label)
        elif widget in (SELECT, MULTISELECT):
            self.select(node, name, prefix, out, context, label)
        elif widget == FILE:
            self.file(node, name, prefix, out, context, label)
        else:
            self.text(node, name, prefix, out, context, label)

    def error_html(self, name: str, anchor: str, context: str) -> str:
        messages = self.errors.get(name)
        if not messages:
            return ""
        self.seen.add(name)
        for message in messages:
            self.summary.append((anchor, f"{context}: {message}" if context else message))
        text = "<br>".join(_esc(message) for message in messages)
        return f'<p class="mc-error" id="{name}--error">{text}</p>'

    def help_html(self, node: Node, name: str, extra: str = "") -> str:
        text = node.help_html
        if node.examples and isinstance(node.examples[0], str | int | float):
            example = _esc(ui_text("example", self.locale, example=node.examples[0]))
            text = f"{text}<br>{example}" if text else example
        if extra:
            text = f"{text}<br>{extra}" if text else extra
        return f'<div class="mc-help" id="{name}--help">{text}</div>' if text else ""

    def show(self, node: Node, prefix: str) -> str:
        if not node.show_json:
            return ""
        return f' data-show-when="{node.show_json.replace(NAME_PREFIX, prefix)}"'

    def mark(self, node: Node) -> str:
        if node.required or node.conditional:
            hidden = "" if node.required else " hidden"
            return f'<span class="mc-required"{hidden} aria-hidden="true" title="{self.ui["required_mark"]}">*</span>'
        return ""

    @staticmethod
    def required_attr(node: Node) -> str:
        if node.required:
            return " required"
        return " data-required-when" if node.conditional else ""

    @staticmethod
    def described(*ids: str) -> str:
        present = [i for i in ids if i]
        return f' aria-describedby="{" ".join(present)}"' if present else ""

    def text(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        raw = self.get(name)
        value = _esc(raw) if isinstance(raw, str) else ""
        kind = node.input_type
        extra = ""
        if raw and ((kind == "date" and not ISO_DATE.match(raw)) or (kind == "datetime-local" and not ISO_LOCAL.match(raw))):
            kind = "text"  # keep what the citizen typed by hand (dd/mm/yyyy) visible
            extra = ' placeholder="dd/mm/yyyy"'
        help_html = self.help_html(node, name)
        error = self.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        if node.widget == TEXTAREA:
            control = (
                f'<textarea class="mc-input mc-textarea" id="{name}" name="{name}" rows="4"{node.attrs}'
                f"{self.required_attr(node)}{describedby}{invalid}>\n{value}</textarea>"
            )
        else:
            control = (
                f'<input class="mc-input" type="{kind}" id="{name}" name="{name}" value="{value}"{node.attrs}{extra}'
                f"{self.required_attr(node)}{describedby}{invalid}>"
            )
        out.append(
            f'<div class="mc-field{" mc-field--error" if error else ""}" id="{name}--field"{self.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}{self.mark(node)}</label>'
            f"{help_html}{error}{control}</div>"
        )

    def fixed(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        """readOnly and const fields: shown, not editable."""
        raw = self.get(name)
        if raw is None and node.read_only and node.default is not MISSING:
            raw = encode_default(node)
        shown = raw if isinstance(raw, str) else ""
        for choice in node.choices:
            if choice.key == raw:
                shown = choice.text(self.english)
        help_html = self.help_html(node, name)
        error = self.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        hidden = ""
        if node.choices and not node.read_only:
            hidden = f'<input type="hidden" name="{name}" value="{_esc(raw or "")}">'
            name_attr = ""
        else:
            name_attr = f' name="{name}"'
        out.append(
            f'<div class="mc-field mc-field--readonly{" mc-field--error" if error else ""}" id="{name}--field"{self.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}</label>{help_html}{error}'
            f'<input class="mc-input" type="text" id="{name}"{name_attr} value="{_esc(shown)}" readonly{describedby}{invalid}>'
            f"{hidden}</div>"
        )

    def options(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        """Radio buttons (one choice) or checkboxes (several) in a fieldset."""
        multiple = node.widget == CHECKBOXES
        chosen = set(self.getlist(name)) if multiple else {self.get(name)}
        help_html = self.help_html(node, name)
        first = f"{name}-0"
        error = self.error_html(name, first, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        kind = "checkbox" if multiple else "radio"
        required = "" if multiple else self.required_attr(node)
        parts = [
            f'<fieldset class="mc-field mc-choices{" mc-field--error" if error else ""}" id="{name}--field"'
            f'{describedby}{self.show(node, prefix)}>'
            f'<legend class="mc-label">{label or node.label_html}{self.mark(node)}</legend>{help_html}{error}'
        ]
        for index, choice in enumerate(node.choices):
            option_id = f"{name}-{index}"
            checked = " checked" if choice.key in chosen else ""
            hint = ""
            hint_ref = ""
            if choice.hint:
                hint = f'<div class="mc-help mc-option-hint" id="{option_id}--hint">{_esc(choice.hint)}</div>'
                hint_ref = f' aria-describedby="{option_id}--hint"'
            parts.append(
                f'<div class="mc-option"><input class="mc-{kind}" type="{kind}" id="{option_id}" name="{name}" '
                f'value="{_esc(choice.key)}"{checked}{required}{invalid}{hint_ref}>'
                f'<label for="{option_id}">{_esc(choice.text(self.english))}</label>{hint}</div>'
            )
        parts.append("</fieldset>")
        out.append("".join(parts))

    def checkbox(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        """A single box to tick (a boolean whose value must be true, e.g. a declaration)."""
        checked = " checked" if self.get(name) else ""
        help_html = self.help_html(node, name)
        error = self.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        out.append(
            f'<div class="mc-field mc-field--checkbox{" mc-field--error" if error else ""}" id="{name}--field"{self.show(node, prefix)}>'
            f"{error}"
            f'<input class="mc-checkbox" type="checkbox" id="{name}" name="{name}" value="true"{checked}'
            f"{self.required_attr(node)}{describedby}{invalid}>"
            f'<label class="mc-label" for="{name}">{label or node.label_html}{self.mark(node)}</label>{help_html}</div>'
        )

    def select(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        multiple = node.widget == MULTISELECT
        chosen = set(self.getlist(name)) if multiple else {self.get(name)}
        help_html = self.help_html(node, name)
        error = self.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        options = [] if multiple else [f'<option value="">{self.ui["choose"]}</option>']
        for choice in node.choices:
            selected = " selected" if choice.key in chosen else ""
            options.append(f'<option value="{_esc(choice.key)}"{selected}>{_esc(choice.text(self.english))}</option>')
        size = f' multiple size="{min(len(node.choices), 8)}"' if multiple else ""
        required = "" if multiple else self.required_attr(node)
        out.append(
            f'<div class="mc-field{" mc-field--error" if error else ""}" id="{name}--field"{self.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}{self.mark(node)}</label>{help_html}{error}'
            f'<select class="mc-select" id="{name}" name="{name}"{size}{required}{describedby}{invalid}>'
            f'{"".join(options)}</select></div>'
        )

    def file(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        kept = self.kept.get(name)
        kept_id = kept.id if isinstance(kept, KeptUpload) else kept
        if kept_id is None:
            posted = self.get(name)
            kept_id = posted if isinstance(posted, str) and posted else None
        rule = node.file_rule
        notes = []
        if rule and rule.accept:
            notes.append(_esc(ui_text("accept", self.locale, types=", ".join(rule.accept))))
        if rule and rule.max_bytes:
            notes.append(_esc(ui_text("max_size", self.locale, size=format_size(rule.max_bytes, self.locale))))
        help_html = self.help_html(node, name, "<br>".join(notes))
        error = self.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        kept_html = ""
        kept_ref = ""
        required = self.required_attr(node)
        if kept_id:
            filename = kept.filename if isinstance(kept, KeptUpload) else None
            text = ui_text("uploaded", self.locale, name=filename) if filename else self.ui["uploaded_unnamed"]
            kept_html = (
                f'<p class="mc-uploaded" id="{name}--kept">{_esc(text)} '
                f'<span class="mc-help">{self.ui["replace_file"]}</span></p>'
                f'<input type="hidden" name="{name}" value="{_esc(kept_id)}">'
            )
            kept_ref = f"{name}--kept"
            required = ""  # the stored file stands; choosing another one replaces it
        describedby = self.described(f"{name}--help" if help_html else "", kept_ref, f"{name}--error" if error else "")
        max_bytes = f' data-max-bytes="{rule.max_bytes}"' if rule and rule.max_bytes else ""
        out.append(
            f'<div class="mc-field mc-field--file{" mc-field--error" if error else ""}" id="{name}--field"{self.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}{self.mark(node)}</label>{help_html}{error}{kept_html}'
            f'<input class="mc-file" type="file" id="{name}" name="{name}"{node.attrs}{max_bytes}{required}{describedby}{invalid}>'
            "</div>"
        )

    def group(self, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        if not node.children:  # a group with no fields yet: nothing to fill, nothing drawn
            return
        help_html = self.help_html(node, name)
        error = self.error_html(name, name, context)
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        legend = label or node.label_html
        out.append(
            f'<fieldset class="mc-group{" mc-field--error" if error else ""}" id="{name}"{describedby}{self.show(node, prefix)}>'
            f'<legend class="mc-legend">{legend}</legend>{help_html}{error}'
        )
        inner = f"{name}-"
        for child in node.children:
            self.node(child, inner + child.key, inner, out, node.label)  # type: ignore[operator]
        out.append("</fieldset>")

    def repeat(self, node: Node, name: str, prefix: str, out: list[str], context: str) -> None:
        present = list(self.indexes.get(name, ()))
        wanted = node.min_items
        if self.initial and not present and (node.max_items is None or node.max_items > 0):
            wanted = max(wanted, 1)
        following = (present[-1] + 1) if present else 0
        added = []
        while len(present) < wanted:
            present.append(following)
            added.append(following)
            following += 1
        if self.initial and added:
            self.start_rows(node, name, added)
        help_html = self.help_html(node, name)
        error = self.error_html(name, name, context)
        describedby = self.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        maximum = f' data-max="{node.max_items}"' if node.max_items is not None else ""
        out.append(
            f'<fieldset class="mc-repeat{" mc-field--error" if error else ""}" id="{name}" data-repeat="{name}" '
            f'data-min="{node.min_items}"{maximum} data-label="{node.label_html}"{describedby}{self.show(node, prefix)}>'
            f'<legend class="mc-legend">{node.label_html}{self.mark(node)}</legend>{help_html}{error}'
            '<div class="mc-items">'
        )
        can_remove = len(present) > node.min_items
        for position, index in enumerate(present):
            self.item(node, name, str(index), str(position + 1), out, can_remove)
        out.append("</div>")
        out.append(self.template(node, name))
        full = node.max_items is not None and len(present) >= node.max_items
        add_label = _esc(ui_text("add", self.locale, label=node.label))
        out.append(
            f'<button type="submit" class="mc-add" name="__action" value="add:{name}" formnovalidate'
            f'{" disabled" if full else ""}>{add_label}</button></fieldset>'
        )

    def start_rows(self, node: Node, name: str, indexes: list[int]) -> None:
        """Rows a blank form starts with get the item's defaults, as rows added later do."""
        assert node.item is not None
        start = defaults(node.item)
        if start is MISSING:
            return
        extra: MultiDict = MultiDict()
        for index in indexes:
            encode_into(node.item, start, f"{name}-{index}", extra)
        if not extra:
            return
        before_get, before_getlist = self.get, self.getlist

        def get(key: str, default: Any = None) -> Any:
            return extra.get(key, before_get(key, default))

        def getlist(key: str) -> list[Any]:
            return extra.getlist(key) or before_getlist(key)

        self.get, self.getlist = get, getlist  # type: ignore[method-assign]

    def item(self, node: Node, name: str, index: str, number: str, out: list[str], can_remove: bool) -> None:
        item = node.item
        assert item is not None
        item_name = f"{name}-{index}"
        legend = f"{node.label_html} {number}"
        context = f"{node.label} {number}"
        remove_label = _esc(ui_text("remove_item", self.locale, label=node.label, index=number))
        remove = (
            f'<button type="submit" class="mc-remove" name="__action" value="remove:{item_name}" formnovalidate'
            f'{"" if can_remove else " disabled"} aria-label="{remove_label}">{self.ui["remove"]}</button>'
        )
        if item.widget == GROUP:
            error = self.error_html(item_name, item_name, context)
            out.append(
                f'<fieldset class="mc-item" id="{item_name}" data-index="{index}">'
                f'<legend class="mc-item-legend">{legend}</legend>{error}'
            )
            inner = f"{item_name}-"
            for child in item.children:
                self.node(child, inner + child.key, inner, out, context)  # type: ignore[operator]
            out.append(remove + "</fieldset>")
        else:
            out.append(f'<div class="mc-item" data-index="{index}">')
            self.node(item, item_name, f"{name}-", out, "", legend)
            out.append(remove + "</div>")

    def template(self, node: Node, name: str) -> str:
        """A blank item for the script to copy ("__iN__" stands for the new index)."""
        token = f"__i{node.depth}__"
        cacheable = node.depth == 0
        key = (name, self.locale)
        if cacheable:
            cached = _template_cache(node).get(key)
            if cached is not None:
                return cached
        item = node.item
        assert item is not None
        start = defaults(item)
        values = encode_item(item, start, f"{name}-{token}")
        sub = Renderer(values, None, None, self.locale, True)
        parts: list[str] = []
        sub.item(node, name, token, token, parts, True)
        html = f'<template data-template-for="{name}" data-token="{token}">{"".join(parts)}</template>'
        if cacheable:
            _template_cache(node)[key] = html
        return html


def _template_cache(node: Node) -> dict[tuple[str, str], str]:
    cache = node.__dict__.get("_templates")
    if cache is None:
        cache = node.__dict__["_templates"] = {}
    return cache


def encode_item(item: Node, value: Any, name: str) -> MultiDict:
    """Encode one item's value at its own name (as if it were the whole form)."""
    out: MultiDict = MultiDict()
    if value is not MISSING:
        encode_into(item, value, name, out)
    return out


def encode_default(node: Node) -> str:
    return encode_scalar(node, node.default)


def render(root: Node, formdata: FormData | None, errors: Mapping[str, list[str]] | None,
           kept: Mapping[str, KeptUpload | str] | None, locale: str, data: Any = None) -> str:
    """The form body; a blank form (defaults) when neither form data nor data is given."""
    initial = formdata is None
    if formdata is None:
        if data is None:
            start = defaults(root)
            data = start if start is not MISSING else {}
        formdata = encode(root, data)
    return Renderer(formdata, errors, kept, locale, initial).form(root)
