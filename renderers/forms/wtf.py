"""An equivalent WTForms form class for a compiled form (same input names, same choices).

The engine draws and validates forms itself (faster, and jsonschema is the authority); this
class is for code that wants WTForms objects, e.g. Flask-AppBuilder views in the back office.
Properties whose names clash with WTForms attributes (`data`, `errors`, `validate`, …) are
bound to a safe attribute (`field_data`) but keep their input name (`data`).
"""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FileField,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from .fields import (
    CHECKBOX,
    CHECKBOXES,
    FILE,
    GROUP,
    MULTISELECT,
    RADIO,
    REPEAT,
    SELECT,
    TEXTAREA,
    WIDGET_HOOKS,
    Node,
)

RESERVED = frozenset(name for name in dir(Form) if not name.startswith("__")) | {"meta", "process", "populate_obj"}


def attribute_name(key: str) -> str:
    """The Python attribute a property is bound to on the WTForms form."""
    return f"field_{key}" if key in RESERVED or key.startswith("_") else key


def build_form_class(root: Node, class_name: str = "ApplicationForm") -> type[Form]:
    """A WTForms Form subclass mirroring the node tree."""
    attrs: dict[str, Any] = {}
    for child in root.children:
        key = child.key or ""
        attrs[attribute_name(key)] = _field(child, key, f"{class_name}_{key}")
    return type(class_name, (Form,), attrs)


def _field(node: Node, name: str | None, class_name: str) -> Any:
    options: dict[str, Any] = {"label": node.label, "description": node.help}
    if name is not None:
        options["name"] = name
    choices = [(choice.key, choice.label) for choice in node.choices]
    widget = node.widget
    if widget in WIDGET_HOOKS:
        return WIDGET_HOOKS[widget]["wtforms"](node, options, class_name, build_form_class)
    if widget == GROUP:
        return FormField(build_form_class(node, class_name), **options)
    if widget == REPEAT:
        item = _field(node.item, None, f"{class_name}_item")  # type: ignore[arg-type]
        return FieldList(item, min_entries=node.min_items, max_entries=node.max_items, **options)
    if widget == CHECKBOXES:
        return SelectMultipleField(
            choices=choices, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), **options
        )
    if widget == MULTISELECT:
        return SelectMultipleField(choices=choices, **options)
    if widget == RADIO:
        return RadioField(choices=choices, validate_choice=False, **options)
    if widget == SELECT:
        return SelectField(choices=[("", "")] + choices, validate_choice=False, **options)
    if widget == CHECKBOX:
        return BooleanField(**options)
    if widget == FILE:
        return FileField(**options)
    if widget == TEXTAREA:
        return TextAreaField(**options)
    return StringField(render_kw={"type": node.input_type}, **options)
