"""An equivalent WTForms form class for a compiled form (same input names, same choices).

The engine draws and validates forms itself (faster, and jsonschema is the authority); this
class is for code that wants WTForms objects, e.g. Flask-AppBuilder views in the back office.
Properties whose names clash with WTForms attributes (`data`, `errors`, `validate`, …) are
bound to a safe attribute (`field_data`) but keep their input name (`data`).
"""

from __future__ import annotations

from typing import Any

from wtforms import Form

from .fields import WIDGET_HOOKS, Node

RESERVED = frozenset(name for name in dir(Form) if not name.startswith("__")) | {"meta", "process", "populate_obj"}


def attribute_name(key: str) -> str:
    """The Python attribute a property is bound to on the WTForms form."""
    return f"field_{key}" if key in RESERVED or key.startswith("_") else key


def build_form_class(root: Node, class_name: str = "ApplicationForm") -> type[Form]:
    """A WTForms Form subclass mirroring the node tree."""
    attrs: dict[str, Any] = {}
    for child in root.children:
        key = child.key or ""
        attrs[attribute_name(key)] = field_for(child, key, f"{class_name}_{key}")
    return type(class_name, (Form,), attrs)


def field_for(node: Node, name: str | None, class_name: str) -> Any:
    """The unbound WTForms field of one node (its widget's `wtforms`, renderers/forms/controls.py)."""
    options: dict[str, Any] = {"label": node.label, "description": node.help}
    if name is not None:
        options["name"] = name
    return WIDGET_HOOKS[node.widget].wtforms(node, options, class_name, build_form_class)
