"""Tab 1 (Thông tin thủ tục): name, description and `x-procedure` facts through a generated form.

The form is the form engine's rendering of form_schemas/procedure_facts.schema.json (derived from
the meta-schema's `$defs/procedure`, with Vietnamese labels; channels, fees and documents are
repeating groups). The procedure code is not in the form: it never changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import form_schemas
from renderers.forms import CompiledForm, compile_form

FACTS_SCHEMA: dict[str, Any] = json.loads(
    (Path(form_schemas.__file__).parent / "procedure_facts.schema.json").read_text(encoding="utf-8"))


def facts_form() -> CompiledForm:
    """The compiled facts form (cached by the engine)."""
    return compile_form(FACTS_SCHEMA)


def to_instance(document: dict[str, Any]) -> dict[str, Any]:
    """The facts form's values for a procedure document (review marks are not in the form)."""
    facts = {k: v for k, v in document.get("x-procedure", {}).items() if k not in ("code", "review")}
    head = {k: document[k] for k in ("title", "description") if k in document}
    return head | facts


def to_document(document: dict[str, Any], instance: dict[str, Any]) -> dict[str, Any]:
    """The document with the form's title, description and facts (its code and form kept)."""
    updated = {k: v for k, v in document.items() if k not in ("title", "description", "x-procedure")}
    head = {"$schema": document.get("$schema"), "title": instance.get("title", "")}
    if instance.get("description"):
        head["description"] = instance["description"]
    facts = {"code": document.get("x-procedure", {}).get("code")}
    facts |= {k: v for k, v in instance.items() if k not in ("title", "description", "review")}
    result = {k: v for k, v in head.items() if v is not None} | updated | {"x-procedure": facts}
    kept = kept_marks(document, result)
    if kept:
        facts["review"] = kept
    return result


_ABSENT = object()


def _resolve(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer, `_ABSENT` when there is none."""
    node = document
    for step in pointer[1:].split("/") if pointer else ():
        step = step.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return _ABSENT
    return node


def kept_marks(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The review marks of `before` that still apply to `after`.

    Saving the facts tab keeps every mark on a value the officer left as it was (it is still
    unchecked); a mark on a value the officer changed, or on a place that is gone, is dropped:
    editing a marked value is checking it."""
    kept = []
    for item in (before.get("x-procedure") or {}).get("review") or ():
        pointer = item.get("pointer") if isinstance(item, dict) else None
        if not isinstance(pointer, str) or not pointer.startswith("/"):
            continue
        parent = pointer.rpartition("/")[0]
        if _resolve(after, parent) is _ABSENT:
            continue
        if _resolve(before, pointer) == _resolve(after, pointer):
            kept.append(item)
    return kept


@dataclass
class Decoded:
    """A posted facts form: the new document, or errors by input, or an add/remove to re-show."""

    document: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    formdata: Any = None


def render(document: dict[str, Any], formdata: Any = None, errors: dict[str, list[str]] | None = None,
           locale: str = "vi") -> str:
    """The form body: the document's facts, or what was posted (with errors)."""
    form = facts_form()
    if formdata is None:
        return form.render(None, None, None, locale, data=to_instance(document))
    return form.render(formdata, errors, None, locale, summary_title=_summary_title(locale))


def _summary_title(locale: str) -> str:
    """The facts form's error heading: it is the procedure's facts, not a citizen's dossier."""
    if locale.startswith("en"):
        return "The procedure's facts are not valid yet. Please correct the following:"
    return "Thông tin thủ tục chưa hợp lệ. Vui lòng sửa các lỗi sau:"


def decode(document: dict[str, Any], formdata: Any, locale: str = "vi") -> Decoded:
    """Read a posted facts form against the document it edits."""
    form = facts_form()
    changed = form.apply_action(formdata)
    if changed is not None:
        return Decoded(formdata=changed)
    result = form.submit(formdata, None, None, None, locale)
    if not result.ok:
        return Decoded(errors=result.errors, formdata=formdata)
    return Decoded(document=to_document(document, result.instance))
