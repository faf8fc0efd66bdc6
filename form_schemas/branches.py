"""Conditions in words, and every route through a form at once.

A builder condition ("show and require «B» when «A» has value v", form_schemas.builder) is
written as the officer reads it: "Chỉ hiện và bắt buộc khi «Tình trạng hôn nhân» là «Đã ly
hôn»", with the field's label and the option's label, never the property name or the stored
value. The overview lists, for each field that controls others, every value with the fields it
shows, and the route taken when no condition holds (what the other values show: nothing more);
officers understand branching when the default route is shown beside the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from form_schemas.builder import FieldInfo, field_tree
from form_schemas.kinds import choice_options
from form_schemas.reader import resolve


def _schema_at(doc: Mapping[str, Any], parent: str, name: str) -> dict[str, Any]:
    """The schema of field `name` in the group at `parent` (its `$ref` followed)."""
    node: Mapping[str, Any] = doc
    for part in [p for p in parent.split(".") if p]:
        props = resolve(doc, node).get("properties") or {}
        node = resolve(doc, props.get(part))
        if node.get("type") == "array":
            node = resolve(doc, node.get("items"))
    return resolve(doc, (resolve(doc, node).get("properties") or {}).get(name))


def value_label(schema: Mapping[str, Any], value: Any) -> str:
    """A stored value as the citizen sees it: the option's label, Có/Không, or the value."""
    for option in choice_options(schema):
        if option.value == value:
            return option.label
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def _controller(tree: list[FieldInfo], info: FieldInfo) -> FieldInfo | None:
    if info.condition is None:
        return None
    return next((f for f in tree if f.parent == info.parent and f.name == info.condition.field), None)


def condition_sentence(doc: Mapping[str, Any], info: FieldInfo, tree: list[FieldInfo] | None = None) -> str:
    """"Chỉ hiện và bắt buộc khi «Tình trạng hôn nhân» là «Đã ly hôn»", or "" without a condition."""
    if info.condition is None:
        return ""
    tree = field_tree(dict(doc)) if tree is None else tree
    controller = _controller(tree, info)
    label = controller.label if controller else info.condition.field
    value = value_label(_schema_at(doc, info.parent, info.condition.field), info.condition.value)
    return f"Chỉ hiện và bắt buộc khi «{label}» là «{value}»"


@dataclass(frozen=True)
class Route:
    """One value of a controlling field and the fields it shows."""

    field: str
    value: str
    fields: tuple[str, ...]

    def sentence(self) -> str:
        shown = ", ".join(f"«{label}»" for label in self.fields)
        return f"Khi «{self.field}» là «{self.value}»: hiện và bắt buộc {shown}."


@dataclass(frozen=True)
class Branch:
    """A field that shows others: each value's route, and what no condition shows."""

    field: str
    path: str
    routes: tuple[Route, ...]
    other_values: tuple[str, ...]  # the options that show nothing more (the default route)

    def default_sentence(self) -> str:
        if self.other_values:
            values = ", ".join(f"«{value}»" for value in self.other_values)
            return f"Khi «{self.field}» là {values} hoặc chưa chọn: không hiện thêm trường nào."
        return f"Khi «{self.field}» chưa chọn: không hiện thêm trường nào."


def branch_overview(doc: Mapping[str, Any]) -> list[Branch]:
    """Every controlling field of the form, in form order, with its routes."""
    tree = field_tree(dict(doc))
    # controller path -> value key -> (the value, labels of the fields it shows)
    shown: dict[str, dict[str, tuple[Any, list[str]]]] = {}
    for info in tree:
        controller = _controller(tree, info)
        if controller is None or info.condition is None:
            continue
        routes = shown.setdefault(controller.path, {})
        routes.setdefault(_key(info.condition.value), (info.condition.value, []))[1].append(info.label)
    branches = []
    for info in tree:
        routes = shown.get(info.path)
        if routes is None:
            continue
        schema = _schema_at(doc, info.parent, info.name)
        values = [option.value for option in choice_options(schema)] or (
            [True, False] if schema.get("type") == "boolean" else [])
        known = {_key(v) for v in values}
        ordered = [_key(v) for v in values if _key(v) in routes] + [k for k in routes if k not in known]
        branches.append(Branch(
            field=info.label, path=info.path,
            routes=tuple(Route(info.label, value_label(schema, routes[k][0]), tuple(routes[k][1]))
                         for k in ordered),
            other_values=tuple(value_label(schema, v) for v in values if _key(v) not in routes),
        ))
    return branches


def _key(value: Any) -> str:
    """A hashable, type-exact key for a stored value (True and 1 are different answers)."""
    return f"{type(value).__name__}:{value!r}"
