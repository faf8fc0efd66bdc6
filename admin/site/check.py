"""The answers of an application as the check page lists them ("Kiểm tra lại thông tin").

The rule: one section per top-level field of the form, in form order, each answer under its
label as the form shows it (form_schemas.reader resolves `$ref`s, form_schemas.kinds says
the kind): dates dd/mm/yyyy, options by their labels, yes/no as Có/Không, numbers in
Vietnamese digits, files by their original names; a repeating group lists each item, an
alternatives field the block chosen. Only what the citizen answered is listed; an optional
field left empty is not. Each section carries the id of the form element its "Sửa" opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from form_schemas import reader, wording
from form_schemas.kinds import YES_NO_LABELS, choice_options, kind_of

GROUPS = ("group", "alternatives", "repeat")


@dataclass(frozen=True)
class Answer:
    """One line: a label, the answer as text (None for a heading of a group inside a section)."""

    label: str
    value: str | None
    depth: int = 0


@dataclass(frozen=True)
class Section:
    """One top-level field of the form and its answers."""

    name: str
    title: str
    anchor: str  # id of the form element "Sửa" scrolls to
    answers: list[Answer] = field(default_factory=list)


def _label(schema: Mapping[str, Any], name: str) -> str:
    return str(schema.get("title") or name)


def _english(locale: str) -> bool:
    return wording.is_english(locale)


def answer_text(document: Mapping[str, Any], schema: Mapping[str, Any], value: Any,
                files: Mapping[str, str], locale: str = "vi") -> str:
    """One scalar answer as the citizen reads it."""
    kind = kind_of(schema, document)
    name = kind.name if kind is not None else ""
    if name == "file":
        return files.get(str(value), "Đã đính kèm" if not _english(locale) else "Attached")
    if name == "yes_no" or isinstance(value, bool):
        for flag, vi, en in YES_NO_LABELS:
            if value is flag:
                return en if _english(locale) else vi
    if name == "choice":
        for option in choice_options(schema):
            if option.value == value:
                return option.label
    if name == "multi_choice" and isinstance(value, list):
        items = reader.resolve(document, schema.get("items") or {})
        labels = {repr(o.value): o.label for o in choice_options(items)}
        return ", ".join(labels.get(repr(v), str(v)) for v in value)
    if name == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if name == "date_time" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return wording.number(value, locale, places=None)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _answers(document: Mapping[str, Any], schema: Mapping[str, Any], value: Any, label: str,
             files: Mapping[str, str], locale: str, depth: int, out: list[Answer]) -> None:
    node = reader.resolve(document, schema)
    kind = kind_of(node, document)
    name = kind.name if kind is not None else None
    if name == "group" and isinstance(value, Mapping):
        _fields(document, node.get("properties") or {}, value, files, locale, depth, out)
    elif name == "alternatives" and isinstance(value, Mapping):
        block = _block(document, node, value)
        if block is not None:
            out.append(Answer(label, _label(block, ""), depth))
            _fields(document, block.get("properties") or {}, value, files, locale, depth, out)
    elif name == "repeat" and isinstance(value, list):
        items = reader.resolve(document, node.get("items") or {})
        item_label = _label(items, label) if items.get("title") else label
        for index, item in enumerate(value, start=1):
            out.append(Answer(f"{item_label} {index}", None, depth))
            _answers(document, items, item, item_label, files, locale, depth + 1, out)
    elif value is not None and value != "" and value != []:
        out.append(Answer(label, answer_text(document, node, value, files, locale), depth))


def _block(document: Mapping[str, Any], node: Mapping[str, Any], value: Mapping[str, Any]
           ) -> Mapping[str, Any] | None:
    for word in ("oneOf", "anyOf"):
        for block in node.get(word) or []:
            block = reader.resolve(document, block)
            props = block.get("properties")
            if isinstance(props, Mapping) and set(value) <= set(props):
                return block
    return None


def _fields(document: Mapping[str, Any], props: Mapping[str, Any], value: Mapping[str, Any],
            files: Mapping[str, str], locale: str, depth: int, out: list[Answer]) -> None:
    for key, sub in props.items():
        if key not in value:
            continue
        resolved = reader.resolve(document, sub)
        kind = kind_of(resolved, document)
        label = _label(resolved, key)
        if kind is not None and kind.name in GROUPS:
            inner: list[Answer] = []
            _answers(document, resolved, value[key], label, files, locale, depth + 1, inner)
            if inner:
                out.append(Answer(label, None, depth))
                out.extend(inner)
        else:
            _answers(document, resolved, value[key], label, files, locale, depth, out)


OTHERS = ("Các thông tin khác", "Other answers")


def sections(document: Mapping[str, Any], instance: Mapping[str, Any], files: Mapping[str, str],
             locale: str = "vi") -> list[Section]:
    """The check page's sections: every top-level field the citizen answered, in form order; a
    group (or repeat, alternatives) is a section under its title, consecutive single fields of
    the top level share one ("Các thông tin khác"), its "Sửa" opening the first of them.
    `files`: attachment id -> original name."""
    root = reader.resolve(document, document)
    found: list[Section] = []
    loose: Section | None = None
    for key, sub in (root.get("properties") or {}).items():
        if key not in instance:
            continue
        resolved = reader.resolve(document, sub)
        kind = kind_of(resolved, document)
        title = _label(resolved, key)
        answers: list[Answer] = []
        _answers(document, resolved, instance[key], title, files, locale, 0, answers)
        if not answers:
            continue
        if kind is not None and kind.name in GROUPS:
            loose = None
            anchor = f"{key}--alternatives" if kind.name == "alternatives" else key
            found.append(Section(key, title, anchor, answers))
        elif loose is None:
            loose = Section(key, OTHERS[1] if _english(locale) else OTHERS[0], f"{key}--field", answers)
            found.append(loose)
        else:
            loose.answers.extend(answers)
    return found
