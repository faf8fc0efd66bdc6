"""Form tree + values + errors -> accessible HTML (the form's body, without <form> or CSRF).

Every input has a <label for>; help and errors are linked with aria-describedby; an input in
error has aria-invalid; groups are fieldsets with a legend; an error summary at the top
(role="alert") links to each field in error. Ids are the input names (as WTForms does).
Each widget draws its own field (renderers/forms/controls.py); the Renderer holds the pieces
they share: labels' required marks, help, error messages and the summary, show conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from form_schemas.messages import is_english, ui_text

from .decode import FormData, defaults, encode, index_map
from .fields import MISSING, NAME_PREFIX, WIDGET_HOOKS, KeptUpload, Node

_UI_KEYS = ("summary_title", "remove", "choose", "required_mark", "uploaded_unnamed", "replace_file",
            "optional_group", "optional_group_hint")


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
        self.optional_groups = 0  # how many optional groups enclose the field being drawn

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
        """Draw one field (its widget's `render`, renderers/forms/controls.py)."""
        WIDGET_HOOKS[node.widget].render(self, node, name, prefix, out, context, label)

    def error_html(self, name: str, anchor: str, context: str) -> str:
        """The messages of input `name` (noted for the summary, linking to `anchor`)."""
        messages = self.errors.get(name)
        if not messages:
            return ""
        self.seen.add(name)
        for message in messages:
            self.summary.append((anchor, f"{context}: {message}" if context else message))
        text = "<br>".join(_esc(message) for message in messages)
        return f'<p class="mc-error" id="{name}--error">{text}</p>'

    def help_html(self, node: Node, name: str, extra: str = "") -> str:
        """The field's description, its first example and `extra` (already escaped)."""
        text = node.help_html
        if node.examples and isinstance(node.examples[0], str | int | float):
            example = _esc(ui_text("example", self.locale, example=node.examples[0]))
            text = f"{text}<br>{example}" if text else example
        if extra:
            text = f"{text}<br>{extra}" if text else extra
        return f'<div class="mc-help" id="{name}--help">{text}</div>' if text else ""

    def show(self, node: Node, prefix: str) -> str:
        """The `data-show-when` attribute of a field shown only under a condition."""
        if not node.show_json:
            return ""
        return f' data-show-when="{node.show_json.replace(NAME_PREFIX, prefix)}"'

    def mark(self, node: Node) -> str:
        """The required mark (hidden until its condition holds, for a conditional field)."""
        if node.required or node.conditional:
            hidden = "" if node.required else " hidden"
            return f'<span class="mc-required"{hidden} aria-hidden="true" title="{self.ui["required_mark"]}">*</span>'
        return ""

    def required_attr(self, node: Node) -> str:
        """` required`, or the script's marker for a field required under a condition. Inside
        an optional group nothing is required until the group is filled in
        (form_schemas/groups.py): its fields keep their mark, not the attribute."""
        if node.required:
            return "" if self.optional_groups else " required"
        return " data-required-when" if node.conditional else ""

    @staticmethod
    def described(*ids: str) -> str:
        """`aria-describedby` naming the ids given (empty ones skipped)."""
        present = [i for i in ids if i]
        return f' aria-describedby="{" ".join(present)}"' if present else ""


def render(root: Node, formdata: FormData | None, errors: Mapping[str, list[str]] | None,
           kept: Mapping[str, KeptUpload | str] | None, locale: str, data: Any = None,
           summary_title: str | None = None) -> str:
    """The form body; a blank form (defaults) when neither form data nor data is given.
    `summary_title` replaces the error summary's heading (a form that is not an application)."""
    initial = formdata is None
    if formdata is None:
        if data is None:
            start = defaults(root)
            data = start if start is not MISSING else {}
        formdata = encode(root, data)
    renderer = Renderer(formdata, errors, kept, locale, initial)
    if summary_title:
        renderer.ui["summary_title"] = summary_title
    return renderer.form(root)
