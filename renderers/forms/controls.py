"""The renderer objects of the field kinds: one per widget family, registered in one table.

The rule: everything the form engine does with a field depends on its widget, and each
widget family says it here once: how it is drawn (HTML), read back from the posted data,
written out as posted data, prefilled on a blank form, and mirrored as a WTForms field
(fields.Widget). html.py, decode.py and wtf.py dispatch through `WIDGET_HOOKS` and hold
only what every widget shares (labels, help, errors and the summary; index maps, uploads'
bookkeeping). A new kind adds one object here or in its own module (alternatives.py).

Families: text-like inputs (text, number, date, email, tel, …), the long text, single
choices (radio buttons, a select), multiple choices (checkboxes, a multiple select), the
yes/no box to tick, the file, the group and the repeating group. A read-only or `const`
leaf is drawn as a fixed value (except the box to tick, which is its own fixed form).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    FileField,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from form_schemas.datebounds import bound_attrs, today_attrs
from form_schemas.groups import entered
from form_schemas.messages import error_message, format_size, ui_text
from form_schemas.wording import file_types_text

from .decode import (
    AMBIGUOUS_NUMBER,
    UploadRejected,
    _Empty,
    defaults,
    encode_into,
    encode_scalar,
    scalar,
)
from .fields import (
    CHECKBOX,
    CHECKBOXES,
    FILE,
    GROUP,
    MISSING,
    MULTISELECT,
    NAME_PREFIX,
    RADIO,
    REPEAT,
    SELECT,
    TEXT,
    TEXTAREA,
    WIDGET_HOOKS,
    FileRule,
    KeptUpload,
    Node,
    Widget,
    join,
    register_widget,
)
from .html import _esc
from .widgets import constraint_attrs

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class Leaf(Widget):
    """A single-value field posted as one text: read-only and `const` ones are shown fixed."""

    def render(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        if node.read_only or node.const is not MISSING:
            fixed(r, node, name, prefix, out, context, label)
        else:
            self.draw(r, node, name, prefix, out, context, label)

    def draw(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        """Append the editable field's HTML to `out`."""
        raise NotImplementedError

    def decode(self, d: Any, node: Node, name: str) -> Any:
        if node.read_only:
            return node.default
        raw = d.form.get(name)
        if not isinstance(raw, str):
            return MISSING
        if node.type in ("integer", "number") and not node.choices and AMBIGUOUS_NUMBER.match(raw.strip()):
            # "1.000" or "2,500": a thousands group or a decimal? Asked, never guessed.
            d.error(name, error_message("ambiguous_number", d.locale, label=node.label, value=raw.strip(),
                                        digits=re.sub(r"[.,]", "", raw.strip())))
            return raw.strip()
        return self.read(d, node, name, raw)

    def read(self, d: Any, node: Node, name: str, raw: str) -> Any:
        """One posted text -> its JSON value (as typed when it cannot be read): a choice's
        value, or decode.scalar (numbers, dates, identifiers in ASCII digits, …)."""
        return scalar(node, raw)

    def text(self, node: Node, value: Any) -> str:
        """One JSON value as the text its input holds."""
        return encode_scalar(node, value)

    def encode(self, node: Node, value: Any, name: str, out: Any) -> None:
        out.add(name, self.text(node, value))


def fixed(r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
    """readOnly and const fields: shown, not editable."""
    raw = r.get(name)
    if raw is None and node.read_only and node.default is not MISSING:
        raw = WIDGET_HOOKS[node.widget].text(node, node.default)  # type: ignore[attr-defined]
    shown = raw if isinstance(raw, str) else ""
    for choice in node.choices:
        if choice.key == raw:
            shown = choice.text(r.english)
    help_html = r.help_html(node, name)
    error = r.error_html(name, name, context)
    invalid = ' aria-invalid="true"' if error else ""
    describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
    hidden = ""
    if node.choices and not node.read_only:
        hidden = f'<input type="hidden" name="{name}" value="{_esc(raw or "")}">'
        name_attr = ""
    else:
        name_attr = f' name="{name}"'
    out.append(
        f'<div class="mc-field mc-field--readonly{" mc-field--error" if error else ""}" id="{name}--field"{r.show(node, prefix)}>'
        f'<label class="mc-label" for="{name}">{label or node.label_html}</label>{help_html}{error}'
        f'<input class="mc-input" type="text" id="{name}"{name_attr} value="{_esc(shown)}" readonly{describedby}{invalid}>'
        f"{hidden}</div>"
    )


class TextInput(Leaf):
    """<input type=text|number|date|email|tel|url|time|datetime-local>."""

    compared = tested_filled = True

    def attrs(self, schema: Mapping[str, Any], rule: FileRule | None) -> dict[str, str]:
        # a pattern only when browser-safe; a date's bounds (a "today" one is dated when drawn)
        return {**constraint_attrs(schema, with_pattern=True), **bound_attrs(schema)}

    def draw(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        raw = r.get(name)
        value = _esc(raw) if isinstance(raw, str) else ""
        help_html = r.help_html(node, name)
        error = r.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        control = self.control(r, node, name, raw, value, describedby + invalid)
        out.append(
            f'<div class="mc-field{" mc-field--error" if error else ""}" id="{name}--field"{r.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}{r.mark(node)}</label>'
            f"{help_html}{error}{control}</div>"
        )

    def control(self, r: Any, node: Node, name: str, raw: Any, value: str, aria: str) -> str:
        kind = node.input_type
        extra = ""
        if raw and ((kind == "date" and not ISO_DATE.match(raw)) or (kind == "datetime-local" and not ISO_LOCAL.match(raw))):
            kind = "text"  # keep what the citizen typed by hand (dd/mm/yyyy) visible
            extra = ' placeholder="dd/mm/yyyy"'
        today = today_attrs(node.attrs) if kind == "date" else ""  # "today" is the day it is drawn
        return (f'<input class="mc-input" type="{kind}" id="{name}" name="{name}" value="{value}"{node.attrs}{today}{extra}'
                f"{r.required_attr(node)}{aria}>")

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return StringField(render_kw={"type": node.input_type}, **options)


class TextArea(TextInput):
    """<textarea>: several lines, line endings made "\\n"."""

    compared = False  # its text is only tested for being filled in

    def attrs(self, schema: Mapping[str, Any], rule: FileRule | None) -> dict[str, str]:
        return constraint_attrs(schema, with_pattern=False)  # <textarea> has no pattern attribute

    def control(self, r: Any, node: Node, name: str, raw: Any, value: str, aria: str) -> str:
        return (f'<textarea class="mc-input mc-textarea" id="{name}" name="{name}" rows="4"{node.attrs}'
                f"{r.required_attr(node)}{aria}>\n{value}</textarea>")

    def read(self, d: Any, node: Node, name: str, raw: str) -> Any:
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        return text if text else MISSING

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return TextAreaField(**options)


class Options(Leaf):
    """Radio buttons in a fieldset (one choice); `multiple`: checkboxes (several)."""

    multiple = False
    compared = tested_filled = True

    def draw(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        multiple = self.multiple
        chosen = set(r.getlist(name)) if multiple else {r.get(name)}
        help_html = r.help_html(node, name)
        first = f"{name}-0"
        error = r.error_html(name, first, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        kind = "checkbox" if multiple else "radio"
        required = "" if multiple else r.required_attr(node)
        parts = [
            f'<fieldset class="mc-field mc-choices{" mc-field--error" if error else ""}" id="{name}--field"'
            f'{describedby}{r.show(node, prefix)}>'
            f'<legend class="mc-label">{label or node.label_html}{r.mark(node)}</legend>{help_html}{error}'
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
                f'<label for="{option_id}">{_esc(choice.text(r.english))}</label>{hint}</div>'
            )
        parts.append("</fieldset>")
        out.append("".join(parts))

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return RadioField(choices=_choices(node), validate_choice=False, **options)


class Select(Leaf):
    """A <select> (one choice, with "choose" first); `multiple`: <select multiple>."""

    multiple = False
    compared = tested_filled = True

    def draw(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        multiple = self.multiple
        chosen = set(r.getlist(name)) if multiple else {r.get(name)}
        help_html = r.help_html(node, name)
        error = r.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        options = [] if multiple else [f'<option value="">{r.ui["choose"]}</option>']
        narrow = node.narrow_values
        for choice in node.choices:
            selected = " selected" if choice.key in chosen else ""
            when = f' data-when="{_esc(" ".join(narrow[choice.key]))}"' if choice.key in narrow else ""
            options.append(f'<option value="{_esc(choice.key)}"{when}{selected}>{_esc(choice.text(r.english))}</option>')
        size = f' multiple size="{min(len(node.choices), 8)}"' if multiple else ""
        if node.narrowed_by:  # the sibling choice whose value narrows these options (forms.js)
            size += f' data-narrowed-by="{_esc(node.narrowed_by.replace(NAME_PREFIX, prefix))}"'
        required = "" if multiple else r.required_attr(node)
        out.append(
            f'<div class="mc-field{" mc-field--error" if error else ""}" id="{name}--field"{r.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}{r.mark(node)}</label>{help_html}{error}'
            f'<select class="mc-select" id="{name}" name="{name}"{size}{required}{describedby}{invalid}>'
            f'{"".join(options)}</select></div>'
        )

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return SelectField(choices=[("", ""), *_choices(node)], validate_choice=False, **options)


class _Several:
    """A multiple choice: every posted key of `name`, as a list of the stored values."""

    def decode(self, d: Any, node: Node, name: str) -> Any:
        chosen = []
        for key in d.form.getlist(name):
            if not isinstance(key, str) or not key.strip():
                continue
            value = node.choice_values.get(key, node.choice_values.get(key.strip(), key))
            if value not in chosen:
                chosen.append(value)
        if chosen:
            return chosen
        return _Empty([]) if node.required else MISSING

    def encode(self, node: Node, value: Any, name: str, out: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            out.add(name, node.choice_key(item))


class Checkboxes(_Several, Options):
    multiple = True
    compared = tested_filled = False

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return SelectMultipleField(choices=_choices(node), widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput(), **options)


class MultiSelect(_Several, Select):
    multiple = True
    compared = tested_filled = False

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return SelectMultipleField(choices=_choices(node), **options)


class Checkbox(Leaf):
    """A single box to tick (a boolean whose value must be true, e.g. a declaration)."""

    compared = tested_filled = True

    def render(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        if node.read_only:  # its `const` is what ticking gives, not a fixed value
            fixed(r, node, name, prefix, out, context, label)
            return
        checked = " checked" if r.get(name) else ""
        help_html = r.help_html(node, name)
        error = r.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        out.append(
            f'<div class="mc-field mc-field--checkbox{" mc-field--error" if error else ""}" id="{name}--field"{r.show(node, prefix)}>'
            f"{error}"
            f'<input class="mc-checkbox" type="checkbox" id="{name}" name="{name}" value="true"{checked}'
            f"{r.required_attr(node)}{describedby}{invalid}>"
            f'<label class="mc-label" for="{name}">{label or node.label_html}{r.mark(node)}</label>{help_html}</div>'
        )

    def read(self, d: Any, node: Node, name: str, raw: str) -> Any:
        return True if raw.strip() else MISSING

    def text(self, node: Node, value: Any) -> str:
        return node.choice_key(value)

    def defaults(self, node: Node) -> Any:
        return node.default  # not the const: the citizen ticks the box

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return BooleanField(**options)


class File(Leaf):
    """A file input; a file stored before is kept (a hidden input carries its id)."""

    def file_rule(self, schema: Mapping[str, Any]) -> FileRule | None:
        """Accepted media types (contentMediaType, comma-separated) and x-maxBytes."""
        accept = tuple(part.strip().lower() for part in str(schema.get("contentMediaType", "")).split(",") if part.strip())
        return FileRule(accept=accept, max_bytes=schema.get("x-maxBytes"))

    def attrs(self, schema: Mapping[str, Any], rule: FileRule | None) -> dict[str, str]:
        return {"accept": ",".join(rule.accept)} if rule and rule.accept else {}

    def draw(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        kept = r.kept.get(name)
        kept_id = kept.id if isinstance(kept, KeptUpload) else kept
        if kept_id is None:
            posted = r.get(name)
            kept_id = posted if isinstance(posted, str) and posted else None
        rule = node.file_rule
        notes = []
        if rule and rule.accept:
            notes.append(_esc(ui_text("accept", r.locale, types=file_types_text(rule.accept, r.locale))))
        if rule and rule.max_bytes:
            notes.append(_esc(ui_text("max_size", r.locale, size=format_size(rule.max_bytes, r.locale))))
        help_html = r.help_html(node, name, "<br>".join(notes))
        error = r.error_html(name, name, context)
        invalid = ' aria-invalid="true"' if error else ""
        kept_html = ""
        kept_ref = ""
        required = r.required_attr(node)
        if kept_id:
            filename = kept.filename if isinstance(kept, KeptUpload) else None
            text = ui_text("uploaded", r.locale, name=filename) if filename else r.ui["uploaded_unnamed"]
            kept_html = (
                f'<p class="mc-uploaded" id="{name}--kept">{_esc(text)} '
                f'<span class="mc-help">{r.ui["replace_file"]}</span></p>'
                f'<input type="hidden" name="{name}" value="{_esc(kept_id)}">'
            )
            kept_ref = f"{name}--kept"
            required = ""  # the stored file stands; choosing another one replaces it
        describedby = r.described(f"{name}--help" if help_html else "", kept_ref, f"{name}--error" if error else "")
        max_bytes = f' data-max-bytes="{rule.max_bytes}"' if rule and rule.max_bytes else ""
        # the face forms.js shows over the real input (which stays the one control for the
        # keyboard, screen readers and drops); without the script the browser's own control shows
        button = ui_text("choose_other_file" if kept_id else "choose_file", r.locale)
        empty = ui_text("keep_file" if kept_id else "no_file", r.locale)
        face = (f'<span class="mc-file-face" aria-hidden="true"><span class="mc-file-button">{_esc(button)}</span>'
                f'<span class="mc-file-name" data-empty="{_esc(empty)}">{_esc(empty)}</span></span>')
        out.append(
            f'<div class="mc-field mc-field--file{" mc-field--error" if error else ""}" id="{name}--field"{r.show(node, prefix)}>'
            f'<label class="mc-label" for="{name}">{label or node.label_html}{r.mark(node)}</label>{help_html}{error}{kept_html}'
            f'<div class="mc-file-picker">'
            f'<input class="mc-file" type="file" id="{name}" name="{name}"{node.attrs}{max_bytes}{required}{describedby}{invalid}>'
            f"{face}</div>"
            # a live region, present from the start (an appearing one is not announced), filled by
            # forms.js with the chosen file's name and size
            f'<p class="mc-file-chosen" id="{name}--chosen" aria-live="polite" data-text="{_esc(ui_text("file_chosen", r.locale))}"></p>'
            "</div>"
        )

    def decode(self, d: Any, node: Node, name: str) -> Any:
        """A posted file is stored (`store_upload`); else a kept file's id, when it is this
        applicant's (`kept_uploads`)."""
        upload = d.files.get(name) if d.files is not None else None
        if upload is not None and getattr(upload, "filename", None):
            rule = node.file_rule
            if rule is not None and not rule.accepts(getattr(upload, "mimetype", None)):
                d.error(name, error_message("file_type", d.locale, label=node.label,
                                            types=file_types_text(rule.accept, d.locale)))
                return MISSING
            if d.store_upload is None:
                raise ValueError("a file was posted: pass store_upload to keep it")
            try:
                attachment = d.store_upload(name, upload)
            except UploadRejected as rejected:
                d.error(name, str(rejected))
                return MISSING
            d.uploads[name] = KeptUpload(attachment, upload.filename)
            return attachment
        kept_id = d.form.get(name)
        if not isinstance(kept_id, str) or not kept_id.strip():
            return MISSING
        kept_id = kept_id.strip()
        if d.kept is not None:
            known = d.kept.get(name)
            known_id = known.id if isinstance(known, KeptUpload) else known
            if known_id != kept_id:
                return MISSING  # not a file this applicant stored: ignore it
            d.uploads[name] = known if isinstance(known, KeptUpload) else KeptUpload(kept_id)
        else:
            d.uploads[name] = KeptUpload(kept_id)
        return kept_id

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return FileField(**options)


def is_optional_group(node: Node) -> bool:
    """form_schemas/groups.py: an object its parent does not require (not even under a
    condition), that is not an item of a list; the citizen may leave it empty."""
    return node.key is not None and not node.required and not node.conditional


class Group(Widget):
    """An object: a fieldset with a legend around its fields; an optional group says so
    ("(nếu có)" as on paper, and its rule) and requires none of its fields in the browser."""

    def render(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        if not node.children:  # a group with no fields yet: nothing to fill, nothing drawn
            return
        optional = is_optional_group(node)
        hint = optional and any(child.required for child in node.children)
        help_html = r.help_html(node, name, r.ui["optional_group_hint"] if hint else "")
        error = r.error_html(name, name, context)
        describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        legend = label or node.label_html
        if optional and r.ui["optional_group"] not in legend.lower():  # "(nếu có)" said once
            legend = f'{legend} <span class="mc-optional">{r.ui["optional_group"]}</span>'
        out.append(
            f'<fieldset class="mc-group{" mc-field--error" if error else ""}" id="{name}"{describedby}{r.show(node, prefix)}>'
            f'<legend class="mc-legend">{legend}</legend>{help_html}{error}'
        )
        inner = f"{name}-"
        r.optional_groups += optional
        for child in node.children:
            r.node(child, inner + child.key, inner, out, node.label)  # type: ignore[operator]
        r.optional_groups -= optional
        out.append("</fieldset>")

    def decode(self, d: Any, node: Node, name: str) -> Any:
        """form_schemas.groups: an optional group is kept when the citizen filled any of its
        fields (a value other than what the form prefilled); else it is left out."""
        found: dict[str, Any] = {}
        filled = False
        for child in node.children:
            value = d.value(child, join(name, child.key))  # type: ignore[arg-type]
            if value is MISSING:
                continue
            if isinstance(value, _Empty):
                found[child.key] = value.value  # type: ignore[index]
            else:
                found[child.key] = value  # type: ignore[index]
                filled = filled or entered(value, _prefilled(child))
        if filled:
            return found
        return _Empty(found) if node.required else MISSING

    def encode(self, node: Node, value: Any, name: str, out: Any) -> None:
        if isinstance(value, Mapping):
            for child in node.children:
                if child.key in value:
                    encode_into(child, value[child.key], join(name, child.key), out)  # type: ignore[arg-type]

    def defaults(self, node: Node) -> Any:
        found = {}
        for child in node.children:
            value = defaults(child)
            if value is not MISSING:
                found[child.key] = value
        if node.default is not MISSING and isinstance(node.default, Mapping):
            return {**node.default, **found}
        return found if found else MISSING

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        return FormField(build_form_class(node, class_name), **options)


def _prefilled(node: Node) -> Any:
    """What the form puts in `node` before the citizen types (its defaults), computed once."""
    cached = node.__dict__.get("_prefilled", _NOT_YET)
    if cached is _NOT_YET:
        cached = node.__dict__["_prefilled"] = defaults(node)
    return cached


_NOT_YET = object()


class Repeat(Widget):
    """An array of anything but choices: items with "Thêm"/"Xóa" buttons and a template the
    script copies. Rows a blank form starts with get the item's defaults, as rows added later do."""

    def render(self, r: Any, node: Node, name: str, prefix: str, out: list[str], context: str, label: str | None) -> None:
        present = list(r.indexes.get(name, ()))
        wanted = node.min_items
        if r.initial and not present and (node.max_items is None or node.max_items > 0):
            wanted = max(wanted, 1)
        following = (present[-1] + 1) if present else 0
        added = []
        while len(present) < wanted:
            present.append(following)
            added.append(following)
            following += 1
        if r.initial and added:
            self.start_rows(r, node, name, added)
        help_html = r.help_html(node, name)
        error = r.error_html(name, name, context)
        describedby = r.described(f"{name}--help" if help_html else "", f"{name}--error" if error else "")
        maximum = f' data-max="{node.max_items}"' if node.max_items is not None else ""
        out.append(
            f'<fieldset class="mc-repeat{" mc-field--error" if error else ""}" id="{name}" data-repeat="{name}" '
            f'data-min="{node.min_items}"{maximum} data-label="{node.label_html}"{describedby}{r.show(node, prefix)}>'
            f'<legend class="mc-legend">{node.label_html}{r.mark(node)}</legend>{help_html}{error}'
            '<div class="mc-items">'
        )
        can_remove = len(present) > node.min_items
        for position, index in enumerate(present):
            self.item(r, node, name, str(index), str(position + 1), out, can_remove)
        out.append("</div>")
        out.append(self.template(r, node, name))
        full = node.max_items is not None and len(present) >= node.max_items
        add_label = _esc(ui_text("add", r.locale, label=node.label))
        out.append(
            f'<button type="submit" class="mc-add" name="__action" value="add:{name}" formnovalidate'
            f'{" disabled" if full else ""}>{add_label}</button></fieldset>'
        )

    @staticmethod
    def start_rows(r: Any, node: Node, name: str, indexes: list[int]) -> None:
        """The rows a blank form starts with are read with the item's defaults in them."""
        assert node.item is not None
        start = defaults(node.item)
        if start is MISSING:
            return
        extra: MultiDict = MultiDict()
        for index in indexes:
            encode_into(node.item, start, f"{name}-{index}", extra)
        if not extra:
            return
        before_get, before_getlist = r.get, r.getlist

        def get(key: str, default: Any = None) -> Any:
            return extra.get(key, before_get(key, default))

        def getlist(key: str) -> list[Any]:
            return extra.getlist(key) or before_getlist(key)

        r.get, r.getlist = get, getlist

    @staticmethod
    def item(r: Any, node: Node, name: str, index: str, number: str, out: list[str], can_remove: bool) -> None:
        item = node.item
        assert item is not None
        item_name = f"{name}-{index}"
        legend = f"{node.label_html} {number}"
        context = f"{node.label} {number}"
        remove_label = _esc(ui_text("remove_item", r.locale, label=node.label, index=number))
        remove = (
            f'<button type="submit" class="mc-remove" name="__action" value="remove:{item_name}" formnovalidate'
            f'{"" if can_remove else " disabled"} aria-label="{remove_label}">{r.ui["remove"]}</button>'
        )
        if item.widget == GROUP:
            error = r.error_html(item_name, item_name, context)
            out.append(
                f'<fieldset class="mc-item" id="{item_name}" data-index="{index}">'
                f'<legend class="mc-item-legend">{legend}</legend>{error}'
            )
            inner = f"{item_name}-"
            for child in item.children:
                r.node(child, inner + child.key, inner, out, context)  # type: ignore[operator]
            out.append(remove + "</fieldset>")
        else:
            out.append(f'<div class="mc-item" data-index="{index}">')
            r.node(item, item_name, f"{name}-", out, "", legend)
            out.append(remove + "</div>")

    def template(self, r: Any, node: Node, name: str) -> str:
        """A blank item for the script to copy ("__iN__" stands for the new index)."""
        token = f"__i{node.depth}__"
        cacheable = node.depth == 0
        key = (name, r.locale)
        if cacheable:
            cached = _template_cache(node).get(key)
            if cached is not None:
                return cached
        item = node.item
        assert item is not None
        start = defaults(item)
        values: MultiDict = MultiDict()
        if start is not MISSING:
            encode_into(item, start, f"{name}-{token}", values)
        sub = type(r)(values, None, None, r.locale, True)
        parts: list[str] = []
        self.item(sub, node, name, token, token, parts, True)
        html = f'<template data-template-for="{name}" data-token="{token}">{"".join(parts)}</template>'
        if cacheable:
            _template_cache(node)[key] = html
        return html

    def decode(self, d: Any, node: Node, name: str) -> Any:
        items = []
        for index in d.indexes.get(name, ()):
            value = d.value(node.item, f"{name}-{index}")  # type: ignore[arg-type]
            if value is not MISSING and not isinstance(value, _Empty):
                items.append(value)
        if items:
            return items
        return _Empty([]) if node.required else MISSING

    def encode(self, node: Node, value: Any, name: str, out: Any) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                encode_into(node.item, item, f"{name}-{index}", out)  # type: ignore[arg-type]

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        from .wtf import field_for

        item = field_for(node.item, None, f"{class_name}_item")  # type: ignore[arg-type]
        return FieldList(item, min_entries=node.min_items, max_entries=node.max_items, **options)


def _template_cache(node: Node) -> dict[tuple[str, str], str]:
    cache = node.__dict__.get("_templates")
    if cache is None:
        cache = node.__dict__["_templates"] = {}
    return cache


def _choices(node: Node) -> list[tuple[str, str]]:
    return [(choice.key, choice.label) for choice in node.choices]


# widget, its renderer object, the kinds (form_schemas/kinds.py) drawn with it by default
for _name, _widget, _kinds in (
    (TEXT, TextInput(), ()), (TEXTAREA, TextArea(), ("textarea",)), (RADIO, Options(), ("choice", "yes_no")),
    (SELECT, Select(), ()), (CHECKBOXES, Checkboxes(), ("multi_choice",)), (MULTISELECT, MultiSelect(), ()),
    (CHECKBOX, Checkbox(), ()), (FILE, File(), ("file",)), (GROUP, Group(), ("group",)),
    (REPEAT, Repeat(), ("repeat",)),
):
    register_widget(_name, _widget, _kinds)
