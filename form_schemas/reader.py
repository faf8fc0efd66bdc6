"""The one reader of a procedure document's form: `$ref` resolution and the field walk.

The rule: a local `$ref` (`#/$defs/<name>`, or the draft-07 `#/definitions/<name>`) is
replaced by its target, and every other keyword written beside the `$ref` overrides the
target's (`{"$ref": "#/$defs/parent", "title": "Thông tin người mẹ"}` is the parent
definition titled for the mother). Every layer (validation checks, the form compiler, the
decoder's messages, the paper forms, the builder and the diff) reads `$ref` through here.

`walk(document)` yields every field of the form, depth first in form order, with its JSON
pointer, its dotted path (a repeating group is transparent: `children.name`), its kind (see
form_schemas/kinds.py), whether its parent requires it and whether it is required only under
a condition.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

REF_PREFIXES = ("#/$defs/", "#/definitions/")
DEFS_KEYS = ("$defs", "definitions")  # 2020-12 and the draft-07 spelling, read alike
MAX_REF_CHAIN = 32


class RefError(ValueError):
    """A `$ref` that cannot be followed: remote, dangling or recursive."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_en)


def ref_name(ref: Any) -> str | None:
    """The definition a local `$ref` names, or None."""
    if not isinstance(ref, str):
        return None
    for prefix in REF_PREFIXES:
        if ref.startswith(prefix):
            name = ref.removeprefix(prefix)
            return name if name and "/" not in name else None
    return None


def definitions(document: Mapping[str, Any]) -> dict[str, Any]:
    """Named sub-schemas of the document: `definitions` (draft-07) and `$defs`, which wins."""
    found: dict[str, Any] = {}
    for section in reversed(DEFS_KEYS):
        if isinstance(document.get(section), Mapping):
            found.update(document[section])
    return found


def follow(schema: Mapping[str, Any], defs: Mapping[str, Any], expanding: tuple[str, ...] | list[str] = ()
           ) -> tuple[dict[str, Any], list[str]]:
    """`schema` with its `$ref` chain replaced by the targets (siblings win), and the names
    followed. Raises RefError for a remote, dangling or recursive reference (`expanding`:
    definitions being expanded around this schema)."""
    names: list[str] = []
    current = dict(schema)
    while "$ref" in current:
        ref = current.pop("$ref")
        name = ref_name(ref)
        if name is None:
            raise RefError(f"Chỉ hỗ trợ $ref nội bộ dạng #/$defs/Tên, không hỗ trợ {ref!r}",
                           f"Only local $ref like #/$defs/Name is supported, not {ref!r}")
        if name in expanding or name in names:
            raise RefError(f"$ref {ref} tham chiếu vòng (đệ quy): biểu mẫu không thể vẽ vô hạn",
                           f"$ref {ref} is recursive: a form cannot be drawn endlessly")
        target = defs.get(name)
        if not isinstance(target, Mapping):
            raise RefError(f"$ref {ref} không trỏ tới định nghĩa nào", f"$ref {ref} points to nothing")
        names.append(name)
        merged = dict(target)
        merged.update(current)  # the referring schema's own keywords win
        current = merged
    return current, names


def resolve(document: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """`schema` with local `$ref`s followed (siblings win); never raises: a reference that
    cannot be followed is dropped (validation reports it). Non-objects read as {}."""
    if not isinstance(schema, Mapping):
        return {}
    if "$ref" not in schema:
        return schema if isinstance(schema, dict) else dict(schema)
    defs = definitions(document)
    current = dict(schema)
    seen: set[str] = set()
    while "$ref" in current and len(seen) < MAX_REF_CHAIN:
        name = ref_name(current.pop("$ref"))
        target = defs.get(name) if name is not None and name not in seen else None
        if not isinstance(target, Mapping):
            break
        seen.add(name)  # type: ignore[arg-type]
        current = {**target, **current}
    current.pop("$ref", None)
    return current


def field_at(document: Mapping[str, Any], dotted: str) -> dict[str, Any] | None:
    """The (resolved) form property at a dotted path such as `attachments.birth_certificate`;
    a repeating group is transparent (`children.name`)."""
    node = resolve(document, document)
    for part in dotted.split("."):
        if node.get("type") == "array" and isinstance(node.get("items"), Mapping):
            node = resolve(document, node["items"])
        props = node.get("properties")
        if not isinstance(props, Mapping) or part not in props:
            return None
        node = resolve(document, props[part])
    return node


def block_properties(schema: Mapping[str, Any], value: Mapping[str, Any], defs: Mapping[str, Any]
                     ) -> Mapping[str, Any]:
    """The properties of the alternatives block (oneOf/anyOf) a value fills: the first block
    holding every key of the value; {} when none does."""
    for word in ("oneOf", "anyOf"):
        for block in schema.get(word) or []:
            block = resolve({"$defs": defs}, block)
            props = block.get("properties")
            if isinstance(props, Mapping) and set(value) <= set(props):
                return props
    return {}


@dataclass(frozen=True)
class FieldRef:
    """One field met by `walk`."""

    pointer: str  # JSON pointer of the property as written ("/properties/applicant/properties/name")
    path: str  # dotted names, repeating groups transparent ("children.name")
    name: str
    parent: str  # dotted path of the enclosing field ("" at the top)
    schema: dict[str, Any]  # as written (a `$ref` not followed)
    resolved: dict[str, Any]  # `$ref` followed
    kind: str | None  # the name of its kind in form_schemas.kinds, None when unrecognised
    required: bool  # its parent's `required` names it
    conditional: bool  # required only under a condition (if/then/else, dependentRequired)
    depth: int
    in_repeat: bool


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def conditional_names(container: Mapping[str, Any]) -> set[str]:
    """Names a container requires only under a condition: then/else (directly or in allOf)
    and dependentRequired targets."""
    found: set[str] = set()
    for rule in [container, *(r for r in container.get("allOf") or [] if isinstance(r, Mapping))]:
        if "if" not in rule:
            continue
        for branch in ("then", "else"):
            sub = rule.get(branch)
            if isinstance(sub, Mapping):
                found |= {n for n in sub.get("required") or [] if isinstance(n, str)}
    dependent = container.get("dependentRequired")
    if isinstance(dependent, Mapping):
        for names in dependent.values():
            found |= {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()
    return found


def walk(document: Mapping[str, Any], *, follow_refs: bool = True) -> Iterator[FieldRef]:
    """Every form field, depth first in form order. With `follow_refs=False` a field written
    as a `$ref` is yielded but not entered (the builder edits those in the JSON tab)."""
    from form_schemas.kinds import kind_of  # kinds reads items through this module

    def container_of(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str, bool]:
        if schema.get("type") == "object" or "properties" in schema:
            return schema, "", False
        items = schema.get("items")
        if schema.get("type") == "array" and isinstance(items, Mapping):
            inner = resolve(document, items) if follow_refs else items
            if inner.get("type") == "object" or "properties" in inner:
                return inner, "/items", True
        return None, "", False

    def visit(container: Mapping[str, Any], pointer: str, parent: str, depth: int, in_repeat: bool
              ) -> Iterator[FieldRef]:
        props = container.get("properties")
        if not isinstance(props, Mapping) or depth > MAX_REF_CHAIN:  # a recursive $ref ends here
            return
        required = {n for n in container.get("required") or [] if isinstance(n, str)}
        conditional = conditional_names(container) - required
        for name, schema in props.items():
            if not isinstance(schema, Mapping):
                continue
            here = f"{pointer}/properties/{_escape(name)}"
            path = f"{parent}.{name}" if parent else name
            resolved = resolve(document, schema) if follow_refs else dict(schema)
            kind = kind_of(resolved, document) if follow_refs or "$ref" not in schema else None
            yield FieldRef(here, path, name, parent, dict(schema), resolved, kind.name if kind else None,
                           name in required, name in conditional, depth, in_repeat)
            if kind is None or not kind.container:
                continue
            inner, extra, repeat = container_of(resolved)
            if inner is not None:
                yield from visit(inner, here + extra, path, depth + 1, in_repeat or repeat)

    yield from visit(resolve(document, document), "", "", 0, False)
