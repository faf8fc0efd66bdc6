"""Validate a citizen's application (the instance) against its procedure document.

Every jsonschema error is mapped back to the form input it concerns, named as WTForms names
inputs (`applicant-phone`, `children-0-name`), with a message written for the citizen.
`required` and `dependentRequired` errors, which jsonschema reports at the parent object,
are moved to the missing field itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from form_schemas.canonical import document_hash
from form_schemas.datebounds import bound_text
from form_schemas.dialect import normalise, readable
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.kinds import blocks_of, is_choice, kind_of
from form_schemas.messages import error_message, format_number, ui_text
from form_schemas.reader import resolve
from form_schemas.regexes import re2_validator_class

Path = tuple[str | int, ...]

_CACHE_SIZE = 256
_validators: OrderedDict[str, Draft202012Validator] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class FieldError:
    """One problem with the application: the input it belongs to and what to tell the citizen."""

    name: str  # WTForms-style input name; "" for the application as a whole
    path: Path  # where in the instance
    keyword: str  # the JSON Schema keyword that failed
    message: str


def input_name(path: Iterable[str | int]) -> str:
    """WTForms input name of an instance path: ("children", 0, "name") -> "children-0-name"."""
    return "-".join(str(part) for part in path)


def build_validator(document: Mapping[str, Any]) -> Draft202012Validator:
    """A fresh validator for applications to this procedure, with our formats checked."""
    return re2_validator_class()(document, format_checker=FORMAT_CHECKER)  # patterns run on RE2


def validator_for(document: Mapping[str, Any]) -> Draft202012Validator:
    """The validator for this document, built once per document version in this process."""
    key = document_hash(document)
    with _lock:
        validator = _validators.get(key)
        if validator is not None:
            _validators.move_to_end(key)
            return validator
    validator = build_validator(normalise(document))
    with _lock:
        _validators[key] = validator
        while len(_validators) > _CACHE_SIZE:
            _validators.popitem(last=False)
    return validator


def schema_at(document: Mapping[str, Any], path: Iterable[str | int]) -> list[Mapping[str, Any]]:
    """The schemas from the root down to `path` (shorter when the path leaves the form)."""
    chain = [resolve(document, document)]
    for part in path:
        current = chain[-1]
        if isinstance(part, int):
            child = current.get("items")
        else:
            child = (current.get("properties") or {}).get(part)
            if child is None:  # alternatives: the field of the first block that has it
                blocks = blocks_of(current)
                for block in blocks[0] if blocks else []:
                    child = (resolve(document, block).get("properties") or {}).get(part)
                    if child is not None:
                        break
        if not isinstance(child, Mapping):
            break
        chain.append(resolve(document, child))
    return chain


def _label(document: Mapping[str, Any], path: Path) -> str:
    """The field's title; an untitled array item is "<array's label> <number>"; else the name made readable."""
    chain = schema_at(document, path)
    if len(chain) == len(path) + 1 and chain[-1].get("title"):
        return str(chain[-1]["title"])
    if path and isinstance(path[-1], int) and len(chain) == len(path) + 1:
        return f"{_label(document, path[:-1])} {path[-1] + 1}"
    for schema in reversed(chain[1:]):
        if schema.get("title"):
            return str(schema["title"])
    named = [part for part in path if isinstance(part, str)]
    return readable(named[-1]) if named else str(document.get("title", ""))


def _is_choice(schema: Mapping[str, Any]) -> bool:
    return is_choice(schema) or schema.get("type") == "boolean"


def _required_key(document: Mapping[str, Any], schema: Mapping[str, Any]) -> str:
    """The "required" message of a field's kind (form_schemas/kinds.py)."""
    if schema.get("const") is True:
        return "required_tick"
    kind = kind_of(schema, document)
    return kind.required_message if kind is not None else "required"


def _missing_errors(
    document: Mapping[str, Any],
    error: ValidationError,
    names: Iterable[str],
    locale: str,
    other: str | None = None,
) -> list[FieldError]:
    parent = tuple(error.absolute_path)
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    found = []
    for name in names:
        if name in instance:
            continue
        path = (*parent, name)
        chain = schema_at(document, path)
        schema = chain[-1] if len(chain) == len(path) + 1 else {}
        label = _label(document, path)
        own = (error.schema.get("properties") or {}).get(name) if isinstance(error.schema, Mapping) else None
        if isinstance(own, Mapping):  # the schema that requires it knows it best (an alternatives block)
            schema = resolve(document, own)
            label = str(schema.get("title") or label)
        if other is not None:
            key, params = "dependentRequired", {"other": _label(document, (*parent, other))}
        else:
            key, params = _required_key(document, schema), {}
        found.append(
            FieldError(input_name(path), path, error.validator, error_message(key, locale, label=label, **params))
        )
    return found


def _limit(value: Any, locale: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, locale)
    return str(value)


def _message(document: Mapping[str, Any], error: ValidationError, locale: str) -> str:
    path = tuple(error.absolute_path)
    label = _label(document, path)
    keyword = error.validator
    value = error.validator_value
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword == "type":
        kind = value if isinstance(value, str) else "invalid"
        key = f"type_{kind}" if kind in ("integer", "number", "boolean") else "type"
        return error_message(key, locale, label=label)
    if keyword == "format":
        key = f"format_{value}"
        return error_message(key if key in _FORMAT_KEYS else "format", locale, label=label)
    if keyword == "pattern":
        examples = schema.get("examples") or []
        if examples and isinstance(examples[0], str):
            return error_message("pattern_example", locale, label=label, example=examples[0])
        return error_message("pattern", locale, label=label)
    if keyword in ("enum", "oneOf", "anyOf"):
        return error_message("enum", locale, label=label)
    if keyword == "const":
        if value is True:
            return error_message("required_tick", locale, label=label)
        if isinstance(value, bool):
            return error_message("const", locale, label=label, limit=ui_text("yes" if value else "no", locale))
        if isinstance(value, dict | list) or value is None:  # never show JSON to a citizen
            return error_message("invalid", locale, label=label)
        return error_message("const", locale, label=label, limit=_limit(value, locale))
    if keyword in ("minItems", "maxItems"):
        chain = schema_at(document, path)
        items = (chain[-1].get("items") or {}) if len(chain) == len(path) + 1 else {}
        items = resolve(document, items)
        key = f"{keyword}_choice" if _is_choice(items) else keyword
        return error_message(key, locale, label=label, limit=_limit(value, locale))
    if keyword in _LIMIT_KEYWORDS:
        return error_message(keyword, locale, label=label, limit=_limit(value, locale))
    if keyword in ("formatMinimum", "formatMaximum"):  # date bounds (form_schemas.datebounds)
        if value == "today":
            return error_message(f"{keyword}_today", locale, label=label)
        return error_message(keyword, locale, label=label, limit=bound_text(value))
    if keyword == "uniqueItems":
        return error_message("uniqueItems", locale, label=label)
    return error_message("invalid", locale, label=label)


_LIMIT_KEYWORDS = frozenset(
    ("minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
)
_FORMAT_KEYS = frozenset(
    f"format_{name}"
    for name in ("date", "date-time", "time", "email", "uri", "vn-citizen-id", "vn-id-card", "vn-phone", "vn-tax-code")
)


def field_errors(
    document: Mapping[str, Any],
    instance: Any,
    locale: str = "vi",
    validator: Draft202012Validator | None = None,
) -> list[FieldError]:
    """Every problem with `instance`, one per input and keyword, in the order jsonschema finds them."""
    validator = validator or validator_for(document)
    found: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    errors = list(validator.iter_errors(instance))
    while errors:
        error = errors.pop(0)
        if error.validator in ("oneOf", "anyOf") and error.context and isinstance(error.schema, Mapping) \
                and blocks_of(error.schema) is not None:
            errors[:0] = _picked_block_errors(error)  # alternatives: what the picked block lacks
            continue
        if error.validator == "required":
            batch = _missing_errors(document, error, error.validator_value, locale)
        elif error.validator == "dependentRequired":
            batch = []
            instance_here = error.instance if isinstance(error.instance, Mapping) else {}
            for key, needed in error.validator_value.items():
                if key in instance_here:
                    batch += _missing_errors(document, error, needed, locale, other=key)
        else:
            path = tuple(error.absolute_path)
            batch = [FieldError(input_name(path), path, error.validator, _message(document, error, locale))]
        for item in batch:
            if (item.name, item.keyword) not in seen:
                seen.add((item.name, item.keyword))
                found.append(item)
    # "choose from the list" says it all: drop other complaints about the same choice
    chosen = {item.name for item in found if item.keyword in _CHOICE_KEYWORDS}
    if chosen:
        found = [item for item in found if item.name not in chosen or item.keyword in _CHOICE_KEYWORDS]
    return found


_CHOICE_KEYWORDS = frozenset(("enum", "oneOf"))


def _picked_block_errors(error: ValidationError) -> list[ValidationError]:
    """The errors of the block the instance comes closest to (fewest errors); none when it
    matches several blocks of a `oneOf` (then the `oneOf` error itself is kept)."""
    by_block: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        by_block.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    if not by_block:
        return []
    best = min(by_block.values(), key=len)
    return best


def errors_by_input(errors: Iterable[FieldError]) -> dict[str, list[str]]:
    """Messages grouped by input name, the first problem first."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        messages = grouped.setdefault(error.name, [])
        if error.message not in messages:
            messages.append(error.message)
    return grouped


def validate_instance(document: Mapping[str, Any], instance: Any, locale: str = "vi") -> dict[str, list[str]]:
    """Validate an application: {} when valid, else messages by input name."""
    return errors_by_input(field_errors(normalise(document), instance, locale))
