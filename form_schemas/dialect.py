"""JSON Schema as people write it, read as the 2020-12 the form engine works on.

A document is stored as its author wrote it. Before it is drawn or an application is validated
it is read through `normalise`: draft-07 spellings become their 2020-12 equivalents
(`definitions` -> `$defs`, `dependencies` -> `dependentRequired` or a conditional), and
`dependentSchemas` becomes the `if`/`then` it means, so the form engine has one spelling of
each idea. `warnings` names what an author should know but need not fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from form_schemas.problems import SchemaProblem, pointer

# Our own extension keywords; any other `x-*` is kept, ignored and warned about.
KNOWN_EXTENSIONS = frozenset(("x-procedure", "x-enumNames", "x-widget", "x-maxBytes", "x-signers"))
# Keywords whose values are data, not schemas.
_DATA_KEYWORDS = frozenset(("const", "default", "examples", "enum", "required", "dependentRequired",
                            "x-procedure", "x-enumNames", "x-signers"))
# Keywords whose values map names to schemas.
_MAPS = frozenset(("properties", "$defs", "definitions", "patternProperties", "dependentSchemas"))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_LEGACY_WORDS = ('"definitions"', '"dependencies"', '"dependentSchemas"')
_EXTENSION = re.compile(r'"(x-[^"\\]*)":')


def _text(document: Mapping[str, Any]) -> str:
    """The document as JSON text, to rule out a walk at C speed (most documents need none)."""
    return json.dumps(document, ensure_ascii=False, default=str)


def readable(name: str) -> str:
    """A property name made readable as a fallback label: "full_name", "fullName" -> "Full name"."""
    words = _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ").split()
    text = " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in words)
    return text[:1].upper() + text[1:] if text else name


def _uses_draft07(node: Any) -> bool:
    if isinstance(node, Mapping):
        if "definitions" in node or "dependencies" in node or "dependentSchemas" in node:
            return True
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return True
        return any(
            any(_uses_draft07(sub) for sub in v.values()) if k in _MAPS and isinstance(v, Mapping) else _uses_draft07(v)
            for k, v in node.items() if k not in _DATA_KEYWORDS
        )
    if isinstance(node, list):
        return any(_uses_draft07(v) for v in node)
    return False


def normalise(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The document in one spelling (2020-12, no `dependentSchemas`); the same object when it is already."""
    text = _text(document)
    if not any(word in text for word in _LEGACY_WORDS) and "#/definitions/" not in text:
        return document
    if not _uses_draft07(document):
        return document
    out = _rewrite(document)
    legacy = out.pop("definitions", None)
    if isinstance(legacy, dict):
        defs = dict(legacy)
        defs.update(out.get("$defs") or {})
        out["$defs"] = defs
    return out


def _rewrite(node: Any) -> Any:
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DATA_KEYWORDS:
            out[key] = value
        elif key == "$ref" and isinstance(value, str) and value.startswith("#/definitions/"):
            out[key] = "#/$defs/" + value.removeprefix("#/definitions/")
        elif key in _MAPS and isinstance(value, Mapping):
            out[key] = {name: _rewrite(sub) for name, sub in value.items()}
        else:
            out[key] = _rewrite(value)
    legacy = out.pop("dependencies", None)
    conditionals: list[Any] = []
    if isinstance(legacy, dict):
        for name, value in legacy.items():
            if isinstance(value, list):
                out.setdefault("dependentRequired", {}).setdefault(name, value)
            else:
                conditionals.append((name, value))
    schemas = out.pop("dependentSchemas", None)
    if isinstance(schemas, dict):
        conditionals += list(schemas.items())
    if conditionals:
        out["allOf"] = [*(out.get("allOf") or []),
                        *({"if": {"required": [name]}, "then": value} for name, value in conditionals)]
    return out


def warnings(document: Mapping[str, Any]) -> list[SchemaProblem]:
    """What the author should know but need not fix: draft-07 spellings, unknown `x-*` keywords."""
    text = _text(document)
    if not any(word in text for word in _LEGACY_WORDS) and set(_EXTENSION.findall(text)) <= KNOWN_EXTENSIONS:
        return []
    return sorted(set(_warn(document, [])))


def _warn(node: Any, path: list[str | int]) -> Iterator[SchemaProblem]:
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _warn(value, [*path, index])
        return
    if not isinstance(node, Mapping):
        return
    for key, value in node.items():
        here = [*path, key]
        if key == "definitions" and not path:
            yield SchemaProblem(pointer(here), "'definitions' là cách viết cũ (draft-07): được đọc như '$defs', "
                                "nên đổi thành '$defs' (JSON Schema 2020-12)",
                                "'definitions' is the draft-07 spelling: read as '$defs'; "
                                "write '$defs' (JSON Schema 2020-12)")
        elif key == "dependencies":
            yield SchemaProblem(pointer(here), "'dependencies' là cách viết cũ (draft-07): được đọc như "
                                "'dependentRequired' (danh sách tên) và 'dependentSchemas' (lược đồ); "
                                "nên đổi theo JSON Schema 2020-12",
                                "'dependencies' is the draft-07 spelling: read as 'dependentRequired' "
                                "(lists of names) and 'dependentSchemas' (schemas); use the JSON Schema 2020-12 spelling")
        elif key.startswith("x-") and key not in KNOWN_EXTENSIONS:
            yield SchemaProblem(pointer(here), f"từ khóa mở rộng '{key}' không được dùng: giữ nguyên và bỏ qua",
                                f"extension keyword '{key}' is not used: kept and ignored")
        if key in _MAPS and isinstance(value, Mapping):
            for name, sub in value.items():
                yield from _warn(sub, [*here, name])
        elif key not in _DATA_KEYWORDS and not key.startswith("x-"):
            yield from _warn(value, here)
