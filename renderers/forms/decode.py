"""Posted form data <-> JSON instance, following WTForms' input names.

Each widget says how its field is read and written (renderers/forms/controls.py, through
`fields.WIDGET_HOOKS`); this module holds what they share: the index map of repeated items,
the text -> value readings (`scalar`) and value -> text (`encode_scalar`), and the
"Thêm"/"Xóa" actions posted without JavaScript.

Decoding never fails: a value that cannot be read as its type (a letter in a number, a date
that does not exist) is kept as typed, so the schema validation reports it on its field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from werkzeug.datastructures import MultiDict

from form_schemas.formats import CUSTOM_FORMATS, ascii_digits, parse_dmy

from .fields import MISSING, REPEAT, WIDGET_HOOKS, KeptUpload, Node

VIETNAM = timezone(timedelta(hours=7))
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCAL_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?$")
DMY_DATETIME = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$")
LOCAL_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})(?::(\d{2}))?$")
INTEGER = re.compile(r"^[+-]?\d+$")
GROUPED_INTEGER = re.compile(r"^[+-]?\d{1,3}([.,\s])\d{3}(\1\d{3})*$")
# "1.000" or "2,500": a thousands group (Vietnamese) or a decimal (English)? Never guessed.
AMBIGUOUS_NUMBER = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
ACTION = "__action"


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...
    def keys(self) -> Iterable[str]: ...


StoreUpload = Callable[[str, Any], str]


class UploadRejected(Exception):
    """Raised by the app's `store_upload` to refuse a file; the message is shown on its field."""


@dataclass
class Submission:
    """A decoded (and, via CompiledForm.submit, validated) application."""

    instance: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)  # input name -> messages
    uploads: dict[str, KeptUpload] = field(default_factory=dict)  # input name -> stored file

    @property
    def ok(self) -> bool:
        return not self.errors


class _Empty:
    """A required group or list with nothing in it: kept only when its parent is kept."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def as_formdata(data: Any) -> FormData:
    """Accept a werkzeug MultiDict (or anything with getlist), or a plain dict of values."""
    if data is None:
        return MultiDict()
    if hasattr(data, "getlist"):
        return data
    return MultiDict([(k, v) for k, values in data.items() for v in (values if isinstance(values, list) else [values])])


def index_map(keys: Iterable[str]) -> dict[str, list[int]]:
    """List indexes present under each prefix: "children-2-name" -> {"children": [2]}."""
    found: dict[str, set[int]] = {}
    for key in keys:
        if "-" not in key:
            continue
        parts = key.split("-")
        for position in range(1, len(parts)):
            part = parts[position]
            if part.isdigit() and part.isascii() and len(part) < 7:
                found.setdefault("-".join(parts[:position]), set()).add(int(part))
    return {prefix: sorted(indexes) for prefix, indexes in found.items()}


class _Decoder:
    def __init__(
        self,
        form: FormData,
        files: FormData | None,
        store_upload: StoreUpload | None,
        kept_uploads: Mapping[str, KeptUpload | str] | None,
        locale: str,
    ):
        self.form = form
        self.files = files
        self.store_upload = store_upload
        self.kept = kept_uploads
        self.locale = locale
        keys = list(form.keys())
        if files is not None:
            keys += list(files.keys())
        self.indexes = index_map(keys)
        self.errors: dict[str, list[str]] = {}
        self.uploads: dict[str, KeptUpload] = {}

    def value(self, node: Node, name: str) -> Any:
        """The JSON value posted for `node` at input `name` (its widget's `decode`)."""
        return WIDGET_HOOKS[node.widget].decode(self, node, name)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def scalar(node: Node, raw: str) -> Any:
    """One posted text -> its JSON value (as typed when it cannot be read): a choice's value,
    a number, a date or time in RFC 3339, an identifier (vn-* formats) in ASCII digits."""
    if node.choices:
        if raw in node.choice_values:
            return node.choice_values[raw]
        raw = raw.strip()
        if not raw:
            return MISSING
        if raw in node.choice_values:
            return node.choice_values[raw]
        return _integer(raw) if node.type == "integer" else _number(raw) if node.type == "number" else raw
    text = raw.strip()
    if not text:
        return MISSING
    if node.format in CUSTOM_FORMATS:  # identifiers: stored with ASCII digits
        text = ascii_digits(text)
    kind = node.type
    if kind == "integer":
        return _integer(text)
    if kind == "number":
        return _number(text)
    if node.format == "date":
        return _date(text)
    if node.format == "date-time":
        return _datetime(text)
    if node.format == "time":
        return _time(text)
    return text


def _time(text: str) -> str:
    """HH:MM[:SS] as typed (or "9h30") -> an RFC 3339 time in Vietnam's offset; as typed otherwise."""
    match = LOCAL_TIME.match(text)
    if match:
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        if hour < 24 and minute < 60 and second < 60:
            return f"{hour:02d}:{minute:02d}:{second:02d}+07:00"
    return text


def _integer(text: str) -> Any:
    if INTEGER.match(text):
        return int(text)
    if GROUPED_INTEGER.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    number = _number(text)
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _number(text: str) -> Any:
    if INTEGER.match(text):
        return int(text)
    candidate = text.replace(" ", "")
    if "," in candidate and "." not in candidate and candidate.count(",") == 1:
        candidate = candidate.replace(",", ".")
    try:
        value = float(candidate)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def _date(text: str) -> str:
    if ISO_DATE.match(text):
        return text
    parsed = parse_dmy(text)
    return parsed.isoformat() if parsed else text


def _datetime(text: str) -> str:
    match = LOCAL_DATETIME.match(text)
    if match:
        day, minutes, seconds = match.groups()
        return f"{day}T{minutes}{seconds or ':00'}+07:00"
    match = DMY_DATETIME.match(text)
    if match:
        day = parse_dmy(match.group(1))
        hour, minute = int(match.group(2)), int(match.group(3))
        second = int(match.group(4) or 0)
        if day and hour < 24 and minute < 60 and second < 60:
            return f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}+07:00"
    return text


def decode(
    root: Node,
    formdata: Any,
    files: Any = None,
    store_upload: StoreUpload | None = None,
    kept_uploads: Mapping[str, KeptUpload | str] | None = None,
    locale: str = "vi",
) -> Submission:
    """Posted fields (+ uploads) -> the JSON instance, with errors found on the way (uploads)."""
    decoder = _Decoder(as_formdata(formdata), as_formdata(files) if files is not None else None, store_upload, kept_uploads, locale)
    value = decoder.value(root, "")
    if isinstance(value, _Empty) or value is MISSING:
        value = value.value if isinstance(value, _Empty) else {}
    return Submission(value, decoder.errors, decoder.uploads)


# -- encoding: an instance as the browser would post it --------------------------------------


def encode(root: Node, instance: Mapping[str, Any] | None) -> MultiDict:
    """The form data a browser posts for `instance` (file fields carry their attachment id)."""
    out: MultiDict = MultiDict()
    if instance:
        encode_into(root, instance, "", out)
    return out


def encode_into(node: Node, value: Any, name: str, out: MultiDict) -> None:
    """Add `value` at input `name` to `out` (its widget's `encode`)."""
    WIDGET_HOOKS[node.widget].encode(node, value, name, out)


def encode_scalar(node: Node, value: Any) -> str:
    """One JSON value as the text its input holds."""
    if node.choices:
        return node.choice_key(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if node.format == "date-time" and isinstance(value, str):
        return _local_datetime(value)
    if node.format == "time" and isinstance(value, str):
        return _local_time(value)
    return "" if value is None else str(value)


def _local_datetime(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)
    text = moment.strftime("%Y-%m-%dT%H:%M")
    if moment.second or moment.microsecond:
        text += moment.strftime(":%S")
    return text


def _local_time(value: str) -> str:
    """An RFC 3339 time as the time input shows it: HH:MM[:SS] in Vietnam's time."""
    try:
        moment = datetime.fromisoformat("2000-01-03T" + value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def defaults(node: Node) -> Any:
    """The instance a blank form starts from: every `default` (and `const`) in place."""
    return WIDGET_HOOKS[node.widget].defaults(node)


def apply_action(root_patterns: Mapping[str, Node], formdata: Any) -> MultiDict | None:
    """Add or remove a repeated item without JavaScript ("__action" = "add:NAME" / "remove:NAME-i").

    Returns the form data to re-render, or None when the post was not such an action.
    """
    form = as_formdata(formdata)
    action = form.get(ACTION)
    if not isinstance(action, str) or ":" not in action:
        return None
    verb, _, name = action.partition(":")
    kept = MultiDict([(k, v) for k, v in _items(form) if k != ACTION])
    if verb == "add":
        node = root_patterns.get(_pattern(name))
        if node is None or node.widget != REPEAT:
            return None
        present = index_map(kept.keys()).get(name, [])
        if node.max_items is not None and len(present) >= node.max_items:
            return kept
        kept.add(f"{name}-{(max(present) + 1) if present else 0}", "")
        return kept
    if verb == "remove":
        array, _, index = name.rpartition("-")
        node = root_patterns.get(_pattern(array))
        if node is None or node.widget != REPEAT or not index.isdigit():
            return None
        present = index_map(kept.keys()).get(array, [])
        if len(present) <= node.min_items:
            return kept
        prefix = name + "-"
        return MultiDict([(k, v) for k, v in _items(kept) if k != name and not k.startswith(prefix)])
    return None


def _items(form: FormData) -> list[tuple[str, Any]]:
    if hasattr(form, "items") and isinstance(form, MultiDict):
        return list(form.items(multi=True))
    return [(key, value) for key in form for value in form.getlist(key)]


def _pattern(name: str) -> str:
    return "-".join("#" if part.isdigit() else part for part in name.split("-"))
