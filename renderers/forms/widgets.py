"""Which HTML input draws a leaf, and the attributes that mirror its schema for the browser."""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from typing import Any

from form_schemas.regexes import browser_safe

# format -> <input type>
INPUT_TYPES = {
    "date": "date",
    "date-time": "datetime-local",
    "time": "time",
    "email": "email",
    "uri": "url",
    "vn-phone": "tel",
}

# format -> keyboard and autofill hints, plus the browser-side pattern when the schema has none
FORMAT_HINTS: dict[str, dict[str, str]] = {
    "vn-citizen-id": {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{12}", "maxlength": "12"},
    "vn-id-card": {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{9}|[0-9]{12}", "maxlength": "12"},
    "vn-phone": {"inputmode": "tel", "autocomplete": "tel", "pattern": "(0|\\+84)[35789][0-9]{8}", "maxlength": "12"},
    "vn-tax-code": {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{10}(-[0-9]{3})?", "maxlength": "14"},
    "email": {"inputmode": "email", "autocomplete": "email"},
    "uri": {"inputmode": "url"},
}


def input_type(schema: Mapping[str, Any]) -> str:
    """The <input type> of a single-value leaf."""
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return "number"
    return INPUT_TYPES.get(schema.get("format") or "", "text")


def html_pattern(pattern: str) -> str:
    """A JSON Schema pattern (a search) as an HTML pattern (matched against the whole value)."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$") and "|" not in pattern:
        return pattern[1:-1]
    return f".*(?:{pattern}).*"


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def constraint_attrs(schema: Mapping[str, Any], *, with_pattern: bool) -> dict[str, str]:
    """HTML constraint and hint attributes mirroring the schema (the server stays the authority);
    `with_pattern`: the input takes a `pattern` attribute (a text input; not a <textarea>)."""
    attrs: dict[str, str] = {}
    kind = schema.get("type")
    if kind == "string":
        hints = FORMAT_HINTS.get(schema.get("format") or "", {})
        attrs.update((k, v) for k, v in hints.items() if k not in ("pattern", "maxlength"))
        if "minLength" in schema:
            attrs["minlength"] = str(schema["minLength"])
        lengths = [int(schema["maxLength"])] if "maxLength" in schema else []
        if "maxlength" in hints:
            lengths.append(int(hints["maxlength"]))
        if lengths:
            attrs["maxlength"] = str(min(lengths))
        if with_pattern:
            if "pattern" in schema:  # a browser backtracks: only patterns our guard deems safe
                if browser_safe(str(schema["pattern"])):
                    attrs["pattern"] = html_pattern(schema["pattern"])
            elif "pattern" in hints:
                attrs["pattern"] = hints["pattern"]
    elif kind in ("integer", "number"):
        attrs.update(_number_attrs(schema, kind == "integer"))
    return attrs


def _number_attrs(schema: Mapping[str, Any], integer: bool) -> dict[str, str]:
    attrs: dict[str, str] = {"inputmode": "numeric" if integer else "decimal"}
    low = schema.get("minimum")
    high = schema.get("maximum")
    if integer:
        if "exclusiveMinimum" in schema:
            bound = math.floor(schema["exclusiveMinimum"]) + 1
            low = bound if low is None else max(low, bound)
        if "exclusiveMaximum" in schema:
            bound = math.ceil(schema["exclusiveMaximum"]) - 1
            high = bound if high is None else min(high, bound)
    if low is not None:
        attrs["min"] = _number(low)
    if high is not None:
        attrs["max"] = _number(high)
    step = schema.get("multipleOf")
    if step is not None and (not integer or float(step).is_integer()):
        attrs["step"] = _number(step)
    else:
        attrs["step"] = "1" if integer else "any"
    return attrs


def render_attrs(attrs: Mapping[str, str]) -> str:
    """' name="value"' pairs, escaped, in a stable order."""
    return "".join(f' {name}="{escape(value, quote=True)}"' for name, value in attrs.items())
