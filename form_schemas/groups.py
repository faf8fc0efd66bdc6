"""One meaning for an optional group: a JSON Schema object that its parent does not require.

The rule, the same in the server decoder, the browser, the builder and the paper form: the
citizen may leave an optional group empty, and an empty optional group is left out of the
instance; as soon as any field of the group is filled, the group's required fields must be.

"Filled" means a value the citizen entered that differs from what the form prefilled: a
`default` shown in the field (a nationality "Việt Nam", a preset choice), a `const` or a
`readOnly` value is the form's, not the citizen's answer, so a group holding only those is
empty. A field the citizen cleared is empty too.

A group with no fields at all (what the builder creates before its fields are added) may be
saved in a draft, but such a draft cannot be submitted for review: `empty_groups` names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_LOCAL_REF = re.compile(r"^#/(\$defs|definitions)/([^/]+)$")


def same_value(a: Any, b: Any) -> bool:
    """Equality as JSON sees it (1 == 1.0, True is not 1), through objects and lists."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def entered(value: Any, prefilled: Any) -> bool:
    """Whether a field's decoded `value` is the citizen's own answer: not what the form
    prefilled (`prefilled` is the field's default or const, or any non-JSON marker for none)."""
    return not same_value(value, prefilled)


@dataclass(frozen=True)
class EmptyGroup:
    """A group (or a repeating group's row) with no fields: its JSON pointer and its title."""

    pointer: str
    title: str


def empty_groups(document: Mapping[str, Any]) -> list[EmptyGroup]:
    """Every group of the citizen form that has no field yet, in form order."""
    defs: dict[str, Any] = {}
    for key in ("definitions", "$defs"):
        if isinstance(document.get(key), Mapping):
            defs.update(document[key])
    return list(_walk_properties(document, "", defs, ()))


def _resolve(schema: Mapping[str, Any], defs: Mapping[str, Any], seen: tuple[str, ...]) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """A local `$ref` merged with its target (the referring schema's keywords win)."""
    current = dict(schema)
    while isinstance(current.get("$ref"), str):
        match = _LOCAL_REF.match(current.pop("$ref"))
        if match is None:
            break
        key = match.group(2)
        target = defs.get(key)
        if not isinstance(target, Mapping) or key in seen:
            break
        seen = (*seen, key)
        current = {**target, **current}
    return current, seen


def _walk_properties(schema: Mapping[str, Any], where: str, defs: Mapping[str, Any], seen: tuple[str, ...]) -> Iterator[EmptyGroup]:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return
    for name, sub in properties.items():
        if isinstance(sub, Mapping):
            yield from _walk(sub, f"{where}/properties/{_escape(str(name))}", str(name), defs, seen)


def _walk(schema: Mapping[str, Any], where: str, name: str, defs: Mapping[str, Any], seen: tuple[str, ...]) -> Iterator[EmptyGroup]:
    schema, seen = _resolve(schema, defs, seen)
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        if not schema.get("properties"):
            yield EmptyGroup(where, str(schema.get("title") or name))
        else:
            yield from _walk_properties(schema, where, defs, seen)
    elif kind == "array" and isinstance(schema.get("items"), Mapping):
        items, item_seen = _resolve(schema["items"], defs, seen)
        if items.get("type") == "object":
            if not items.get("properties"):
                yield EmptyGroup(where, str(schema.get("title") or items.get("title") or name))
            else:
                yield from _walk_properties(items, f"{where}/items", defs, item_seen)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
