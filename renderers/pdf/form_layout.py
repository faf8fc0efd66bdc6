"""Paper layout of a procedure's form: the schema walked into fields laid out for a pen.

`build_layout(document, instance)` resolves local `$ref`s, turns nested objects into sections,
arrays of objects into small tables, choices into ☐ boxes, a citizen ID into 12 boxes, and
marks what is optional ("(nếu có)") or conditional ("chỉ khai khi …"). With an instance, each
field carries its value (the filled form).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from form_schemas.dialect import normalise, readable
from form_schemas.kinds import (
    YES_NO_LABELS,
    blocks_of,
    choice_options,
    is_choice,
    json_type,
    kind_of,
)
from form_schemas.reader import resolve
from renderers.pdf.formatting import format_date, format_number

MISSING: Any = None
DEFAULT_ROWS = 3
MAX_TABLE_ROWS = 12
CHARS_PER_LINE = 85
OPTIONAL_NOTE = "(nếu có)"
CITIZEN_ID_DIGITS = 12
PAPER_CHOICE_LIMIT = 24  # more options than this (34 provinces, 3,321 communes) are written by hand on paper


@dataclass
class Field:
    """One thing to fill on paper."""

    kind: str  # text, textarea, number, date, datetime, citizen_id, choice, multichoice,
    #            group, table, list, file, alternatives (options: the blocks, children: a group each)
    path: str
    title: str
    description: str = ""
    note: str = ""  # "(nếu có)", printed after the label
    condition: str = ""  # "(chỉ khai khi …)", printed under the field
    width_em: float | None = None  # a short dotted line; None fills the line
    extra_lines: int = 0
    options: list[tuple[Any, str]] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    rows: int = 0
    value: Any = MISSING  # display text, selected values, digits or table rows
    filled: bool = False

    def selected(self, option: Any) -> bool:
        """Whether a choice box is ticked."""
        if not self.filled or self.value is None:
            return False
        if self.kind == "multichoice":
            return any(_same(option, item) for item in self.value)
        return _same(option, self.value)

    def cell(self, row: Mapping[str, Any] | None) -> str:
        """Display text of this column in a table row."""
        if not row:
            return ""
        return display_scalar(self, _get_path(row, self.path))


@dataclass
class FormLayout:
    """The fields of a form and the files to attach."""

    fields: list[Field]
    attachments: list[Field]


def _same(left: Any, right: Any) -> bool:
    return type(left) is type(right) and left == right


def _get_path(data: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


class _Resolver:
    """Local `$ref`s followed by form_schemas.reader (siblings win), one type per field."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        return _one_type(dict(resolve(self.document, schema)))


def _one_type(schema: dict[str, Any]) -> dict[str, Any]:
    """`type: [T, "null"]` is an optional T on paper; a type inferred from enum/const is written."""
    kind = json_type(schema)
    if kind is not None:
        schema["type"] = kind
    elif isinstance(schema.get("type"), list):
        schema["type"] = next((k for k in schema["type"] if k != "null"), None)
    return schema


def option_list(schema: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """(value, label) of a choice (form_schemas.kinds.choice_options), or Có/Không."""
    if is_choice(schema):
        return [(option.value, option.label) for option in choice_options(schema)]
    if schema.get("type") == "boolean":
        return [(value, label) for value, label, _ in YES_NO_LABELS]
    return []


def _label(options: list[tuple[Any, str]], value: Any) -> str:
    return next((label for option, label in options if _same(option, value)), str(value))


def _is_file(schema: Mapping[str, Any]) -> bool:
    return schema.get("x-widget") == "file" or "contentMediaType" in schema


def _condition_text(
    condition: Mapping[str, Any], properties: Mapping[str, Any], resolver: _Resolver, negate: bool
) -> str:
    parts = []
    for name, sub in (condition.get("properties") or {}).items():
        prop = resolver.resolve(properties.get(name, {}))
        title = prop.get("title") or readable(name)
        options = option_list(prop)
        if "const" in sub:
            values = [sub["const"]]
        elif "enum" in sub:
            values = list(sub["enum"])
        else:
            parts.append(f"có khai mục “{title}”")
            continue
        shown = " hoặc ".join(f"“{_label(options, value)}”" for value in values)
        verb = "không phải là" if negate else "là"
        parts.append(f"mục “{title}” {verb} {shown}")
    for name in condition.get("required") or []:
        if name not in (condition.get("properties") or {}):
            title = resolver.resolve(properties.get(name, {})).get("title") or readable(name)
            parts.append(f"{'không ' if negate else ''}có khai mục “{title}”")
    return " và ".join(parts) or "có yêu cầu"


def conditional_notes(
    schema: Mapping[str, Any], properties: Mapping[str, Any], resolver: _Resolver
) -> dict[str, str]:
    """For each property whose requirement depends on another answer: "chỉ khai khi …"."""
    notes: dict[str, list[str]] = {}
    rules = [schema, *(schema.get("allOf") or [])]
    for rule in rules:
        condition = rule.get("if")
        if not isinstance(condition, Mapping):
            continue
        for branch, negate in (("then", False), ("else", True)):
            for name in (rule.get(branch) or {}).get("required") or []:
                text = _condition_text(condition, properties, resolver, negate)
                notes.setdefault(name, []).append(text)
    for trigger, names in (schema.get("dependentRequired") or {}).items():
        title = resolver.resolve(properties.get(trigger, {})).get("title") or readable(trigger)
        for name in names:
            notes.setdefault(name, []).append(f"có khai mục “{title}”")
    return {name: "(chỉ khai khi " + "; hoặc khi ".join(texts) + ")" for name, texts in notes.items()}


def display_scalar(spec: Field, value: Any) -> str:
    """A value written the Vietnamese way for its field."""
    if value is None or value == "":
        return ""
    if spec.kind in ("choice", "multichoice") or spec.options:
        labels = [label for option, label in spec.options if _same(option, value)]
        if labels:
            return labels[0]
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if spec.kind == "date":
        return format_date(value)
    if spec.kind == "datetime" and isinstance(value, str):
        day, _, time = value.partition("T")
        return f"{time[:5].replace(':', ' giờ ')} phút, ngày {format_date(day)}" if time else format_date(day)
    if isinstance(value, int):
        return str(value)  # years and counts: no thousands separator
    if isinstance(value, float):
        return format_number(value).replace(".", "")
    if spec.kind == "file":
        return _file_name(value)
    return str(value)


def _file_name(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("filename") or "Đã đính kèm")
    if isinstance(value, str) and not value.startswith("data:"):
        return value
    return "Đã đính kèm"


def _picked(blocks: list[dict[str, Any]], value: Any) -> int | None:
    """The block a filled value belongs to: all its keys are the block's and its required are there."""
    if not isinstance(value, Mapping):
        return None
    for index, block in enumerate(blocks):
        props = block.get("properties") or {}
        if set(value) <= set(props) and all(name in value for name in block.get("required") or []):
            return index
    return None


# A kind's `paper` (form_schemas/kinds.py) -> the _Builder method that lays it out.
PAPER = {"file": "file", "alternatives": "alternatives", "group": "group", "multichoice": "array",
         "table": "array", "choice": "choice", "citizen_id": "citizen_id", "date": "date",
         "datetime": "date", "number": "number", "textarea": "textarea", "text": "text"}


class _Builder:
    def __init__(self, document: Mapping[str, Any], instance: Mapping[str, Any] | None) -> None:
        self.resolver = _Resolver(document)
        self.instance = instance
        self.attachments: list[Field] = []

    def object_fields(self, schema: Mapping[str, Any], prefix: str, value: Any) -> list[Field]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        conditional = conditional_notes(schema, properties, self.resolver)
        fields = []
        for name, raw in properties.items():
            prop = self.resolver.resolve(raw)
            if prop.get("readOnly") or "const" in prop:
                continue
            note = "" if name in required or name in conditional else OPTIONAL_NOTE
            if OPTIONAL_NOTE in str(prop.get("title", "")).lower():
                note = ""  # the title already says it: "(nếu có)" is printed once
            path = f"{prefix}.{name}" if prefix else name
            child_value = value.get(name) if isinstance(value, Mapping) else None
            built = self.field(prop, path, note, child_value)
            built.condition = "" if name in required else conditional.get(name, "")
            if built.kind == "group" and not built.children:
                continue  # a section of files only: they are listed under "Giấy tờ kèm theo"
            if built.kind != "file":
                fields.append(built)
        return fields

    def field(self, schema: Mapping[str, Any], path: str, note: str, value: Any) -> Field:
        title = schema.get("title") or readable(path.rsplit(".", 1)[-1])
        base = Field(
            kind="text",
            path=path,
            title=title,
            description=schema.get("description", ""),
            note=note,
            filled=self.instance is not None,
        )
        kind = schema.get("type")
        if _is_file(schema) or (kind == "array" and _is_file(self.resolver.resolve(schema.get("items") or {}))):
            return self.file(schema, base, value)
        found = kind_of(schema, self.resolver.document)  # the registry says how it goes on paper
        return getattr(self, PAPER.get(found.paper if found else "text", "text"))(schema, base, value)

    def file(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        base.kind = "file"
        if value:
            items = value if isinstance(value, list) else [value]
            base.value = ", ".join(_file_name(item) for item in items)
        self.attachments.append(base)
        return base

    def group(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        base.kind = "group"
        base.children = self.object_fields(schema, base.path, value)
        return base

    def choice(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        base.kind = "choice"
        base.options = option_list(schema)
        base.value = value
        if len(base.options) > PAPER_CHOICE_LIMIT:  # a dotted line; filled: the option's label
            base.kind = "text"
            base.value = display_scalar(base, value)
        return base

    def citizen_id(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        if schema.get("format") != "vn-citizen-id":  # an old ID card has 9 or 12 digits: a line
            return self.text(schema, base, value)
        base.kind = "citizen_id"
        base.rows = CITIZEN_ID_DIGITS
        base.value = str(value) if value else ""
        return base

    def date(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        base.kind = "date" if schema.get("format") == "date" else "datetime"
        base.value = display_scalar(base, value)
        return base

    def number(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        base.kind = "number"
        digits = len(format_number(schema["maximum"])) if "maximum" in schema else 10
        base.width_em = max(4.0, digits * 0.75)
        base.value = display_scalar(base, value)
        return base

    def textarea(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        base.kind = "textarea"
        base.extra_lines = min(8, max(3, math.ceil(schema.get("maxLength", 0) / CHARS_PER_LINE)))
        base.value = display_scalar(base, value)
        return base

    def text(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        max_length = schema.get("maxLength")
        if max_length and max_length <= 40:
            base.width_em = max(5.0, max_length * 0.6)
        elif max_length:
            base.extra_lines = min(5, math.ceil(max_length / CHARS_PER_LINE) - 1)
        base.value = display_scalar(base, value)
        return base

    def alternatives(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        """"☐ block A / ☐ block B", then each block's fields; filled: the block the value fits."""
        base.kind = "alternatives"
        entries = (blocks_of(schema) or ([], ""))[0]
        blocks = [self.resolver.resolve(entry) for entry in entries]
        picked = _picked(blocks, value) if self.instance is not None else None
        base.options = [(index, str(block.get("title") or index + 1)) for index, block in enumerate(blocks)]
        base.value = picked
        for index, block in enumerate(blocks):
            child = Field(kind="group", path=base.path, title=str(block.get("title") or index + 1),
                          description=str(block.get("description", "")), filled=self.instance is not None)
            child.children = self.object_fields(block, base.path, value if index == picked else None)
            base.children.append(child)
        return base

    def array(self, schema: Mapping[str, Any], base: Field, value: Any) -> Field:
        items = self.resolver.resolve(schema.get("items") or {})
        min_items = schema.get("minItems", 0)
        max_items = schema.get("maxItems")
        rows = max_items if max_items is not None and max_items <= MAX_TABLE_ROWS else max(min_items, DEFAULT_ROWS)
        values = value if isinstance(value, list) else []
        options = option_list(items)
        if options:
            base.kind = "multichoice"
            base.options = options
            base.value = values
            return base
        base.rows = max(rows, len(values)) if self.instance is not None else rows
        if items.get("type") == "object":
            base.kind = "table"
            base.children = self.columns(items, "")
            base.value = values
        else:
            base.kind = "list"
            spec = self.field(items, base.path, "", None)
            base.value = [display_scalar(spec, item) for item in values]
        return base

    def columns(self, schema: Mapping[str, Any], prefix: str) -> list[Field]:
        columns = []
        for name, raw in (schema.get("properties") or {}).items():
            prop = self.resolver.resolve(raw)
            path = f"{prefix}.{name}" if prefix else name
            if prop.get("type") == "object":
                for column in self.columns(prop, path):
                    column.title = f"{prop.get('title') or readable(name)} – {column.title}"
                    columns.append(column)
                continue
            columns.append(
                Field(kind="text", path=path, title=prop.get("title") or readable(name), options=option_list(prop),
                      filled=self.instance is not None)
            )
            if prop.get("format") == "date":
                columns[-1].kind = "date"
        return columns


def build_layout(document: Mapping[str, Any], instance: Mapping[str, Any] | None = None) -> FormLayout:
    """The form of `document` laid out for paper; with `instance`, its values filled in."""
    document = normalise(document)  # draft-07 spellings read as 2020-12, as the online form does
    builder = _Builder(document, instance)
    resolved = builder.resolver.resolve(document)
    fields = builder.object_fields(resolved, "", instance or {})
    return FormLayout(fields=fields, attachments=builder.attachments)
