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
    """The facts form's values for a procedure document."""
    facts = {k: v for k, v in document.get("x-procedure", {}).items() if k != "code"}
    head = {k: document[k] for k in ("title", "description") if k in document}
    return head | facts


def to_document(document: dict[str, Any], instance: dict[str, Any]) -> dict[str, Any]:
    """The document with the form's title, description and facts (its code and form kept)."""
    updated = {k: v for k, v in document.items() if k not in ("title", "description", "x-procedure")}
    head = {"$schema": document.get("$schema"), "title": instance.get("title", "")}
    if instance.get("description"):
        head["description"] = instance["description"]
    facts = {"code": document.get("x-procedure", {}).get("code")}
    facts |= {k: v for k, v in instance.items() if k not in ("title", "description")}
    return {k: v for k, v in head.items() if v is not None} | updated | {"x-procedure": facts}


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
    return form.render(formdata, errors, None, locale)


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
