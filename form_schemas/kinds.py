"""The registry of field kinds: one object per kind says all the lower layers know about it.

The rule: a field's kind is decided here and only here (`kind_of`), from the field's schema
with its `$ref` followed (form_schemas/reader.py). Each kind says how it is recognised, the
builder settings it has and the JSON Schema the builder writes for them, how it is laid out
on paper (`paper`) and which "required" message a citizen sees (`required_message`). The
parts that need HTML or WTForms live in renderers/forms, in tables keyed by the kind's name.

Shape borrowed from WTForms' field classes and python-jsonschema's keyword table: adding a
kind is one `register(...)` below (plus, at most, its renderer entry).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from form_schemas.text import ascii_fold

TYPES = frozenset(("string", "integer", "number", "boolean", "object", "array"))
SCALARS = frozenset(("string", "integer", "number", "boolean"))
DEFAULT_ACCEPT = "application/pdf,image/jpeg,image/png"
# The file types an officer ticks in the builder, each its media types (contentMediaType);
# other types are typed under "Nâng cao" (advanced) and kept.
FILE_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "image": ("image/jpeg", "image/png"),
    "word": ("application/msword",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "excel": ("application/vnd.ms-excel",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
DEFAULT_MAX_MB = 5
DERIVED_MAX = 40
YES_NO_LABELS = ((True, "Có", "Yes"), (False, "Không", "No"))


class BuilderError(ValueError):
    """A builder action that cannot be applied; nothing changed."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_vi)

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi


# --- reading a schema ----------------------------------------------------------------------

def json_type(schema: Mapping[str, Any]) -> str | None:
    """The one type of a field: `type`, `[T, "null"]` (an optional T), or inferred from
    enum/const/oneOf constants; an object for alternatives without a type."""
    kind = schema.get("type")
    if isinstance(kind, list):
        others = [k for k in kind if k != "null"]
        kind = others[0] if len(others) == 1 and len(kind) == 2 else None
    elif kind is None:
        values = [schema["const"]] if "const" in schema else _list(schema.get("enum"))
        if not values and isinstance(schema.get("oneOf"), list):
            values = [o.get("const") for o in schema["oneOf"] if isinstance(o, Mapping) and "const" in o]
        kind = value_type(values)
        if kind is None and blocks_of(schema):
            kind = "object"
    return kind if isinstance(kind, str) and kind in TYPES else None


def value_type(values: list[Any]) -> str | None:
    """The JSON type shared by every value (integers within numbers), or None."""
    kinds = {"boolean" if isinstance(v, bool) else "integer" if isinstance(v, int) else
             "number" if isinstance(v, float) else "string" if isinstance(v, str) else "other" for v in values}
    if kinds == {"integer", "number"}:
        return "number"
    return kinds.pop() if len(kinds) == 1 else None


def plain_key(value: Any) -> str:
    """A choice value as the text a form posts."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


@dataclass(frozen=True)
class Option:
    """One option of a choice field as written: stored value, label, hint."""

    value: Any
    label: str
    hint: str = ""


def choice_options(schema: Mapping[str, Any]) -> list[Option]:
    """The options of a choice, in order: `oneOf` of {const, title}, or `enum` (+ x-enumNames);
    a `null` in an enum is the "no value" and is not an option. Malformed entries are skipped
    (the form compiler reports them)."""
    if isinstance(schema.get("oneOf"), list):
        return [Option(o["const"], str(o.get("title", plain_key(o["const"]))), str(o.get("description", "")))
                for o in schema["oneOf"] if isinstance(o, Mapping) and "const" in o]
    values = _list(schema.get("enum"))
    names = schema.get("x-enumNames")
    names = names if isinstance(names, list) and len(names) == len(values) else None
    return [Option(value, str(names[index]) if names else plain_key(value))
            for index, value in enumerate(values) if value is not None]


def is_choice(schema: Mapping[str, Any]) -> bool:
    return "enum" in schema or ("oneOf" in schema and not blocks_of(schema))


def blocks_of(schema: Mapping[str, Any]) -> tuple[list[Any], str] | None:
    """The blocks of an alternatives field: (`oneOf` or `anyOf` list, keyword) when every entry
    is an object schema with a `title` (a `$ref` entry counts: its site or target titles it)."""
    for word in ("oneOf", "anyOf"):
        entries = schema.get(word)
        if isinstance(entries, list) and entries and all(
            isinstance(e, Mapping) and "const" not in e and (
                ("title" in e and (e.get("type") == "object" or "properties" in e)) or "$ref" in e)
            for e in entries
        ):
            return entries, word
    return None


# --- kinds ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """One field kind. Subclasses say how it is recognised and built."""

    name: str  # also `key`, as the builder's forms call it
    label_vi: str
    label_en: str
    settings: tuple[str, ...] = ()
    container: bool = False
    paper: str = "text"  # how renderers/pdf/form_layout.py lays it out
    required_message: str = "required"  # key in form_schemas.messages
    condition: bool = False  # a builder condition may test it (the browser can compare it)
    creatable: bool = True  # the builder offers it for new fields
    json: str = "string"  # the JSON type it stores
    format: str | None = None

    @property
    def key(self) -> str:
        return self.name

    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        """Whether a resolved schema (its items resolved too; `json` its json_type) is this kind."""
        return json == self.json and schema.get("format") == self.format

    def may_store(self, json: str | None) -> bool:
        """Whether a field of this JSON type may be of this kind (narrows recognition)."""
        return json == self.json

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """The builder settings this schema has."""
        found: dict[str, Any] = {}
        for setting, keyword in _SETTING_KEYWORDS.items():
            if setting in self.settings and keyword in schema:
                found[setting] = schema[keyword]
        return found

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        """Write this kind's keywords for the builder's settings into `schema`."""
        schema["type"] = self.json
        if self.format:
            schema["format"] = self.format


_SETTING_KEYWORDS = {"min_length": "minLength", "max_length": "maxLength", "pattern": "pattern",
                     "minimum": "minimum", "maximum": "maximum", "min_items": "minItems",
                     "max_items": "maxItems"}


# Checks an officer picks by name instead of writing a pattern: (pattern, example shown in the
# error message through `examples`). Citizen IDs, phones and tax codes are kinds of their own.
TEXT_PRESETS: dict[str, tuple[str, str]] = {
    "cmnd": (r"^[0-9]{9}$", "012345678"),
    "postal_code": (r"^[0-9]{5}$", "70000"),
    "licence_plate": (r"^[0-9]{2}[A-Z]{1,2}[0-9]?-[0-9]{3}\.?[0-9]{2}$", "29A-123.45"),
    "digits": (r"^[0-9]+$", "0123456"),
}


@dataclass(frozen=True)
class Text(Kind):
    widget: str | None = None  # x-widget ("textarea" for long text)
    formats: tuple[str, ...] = ()  # other formats read as this kind

    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        if json != "string":
            return False
        if self.widget:
            return schema.get("x-widget") == self.widget
        fmt = schema.get("format")
        return fmt == self.format or fmt in self.formats or (self.format is None and fmt not in _FORMAT_KINDS)

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        super().build(schema, settings, label, existing)
        if self.widget:
            schema["x-widget"] = self.widget
        for setting, keyword in (("min_length", "minLength"), ("max_length", "maxLength")):
            if setting in self.settings:
                value = number_setting(settings.get(setting), True, "Độ dài", "Length")
                if value is not None:
                    if value < 0:
                        raise BuilderError("Độ dài không được âm.", "A length cannot be negative.")
                    schema[keyword] = value
        preset = TEXT_PRESETS.get(str(settings.get("preset") or ""))
        if "preset" in self.settings and "preset" in settings:
            for pattern, example in TEXT_PRESETS.values():  # a preset dropped takes its example
                if schema.get("examples") == [example] and existing.get("pattern") == pattern:
                    schema.pop("examples")
        if preset is not None and "preset" in self.settings:
            schema["pattern"] = preset[0]
            schema.setdefault("examples", [preset[1]])
        elif "pattern" in self.settings and str(settings.get("pattern") or "").strip():
            schema["pattern"] = str(settings["pattern"]).strip()

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        found = super().read(schema)
        if "preset" in self.settings:
            for key, (pattern, _example) in TEXT_PRESETS.items():
                if schema.get("pattern") == pattern:
                    found["preset"] = key
                    found.pop("pattern", None)
        return found


# The date range a builder officer picks, and the bound it writes ("today" is Vietnam's today,
# form_schemas.datebounds): a birth date is "past", an appointment "future".
DATE_RANGES = {"past": "formatMaximum", "future": "formatMinimum"}


@dataclass(frozen=True)
class Date(Text):
    """A date; the builder's "date range" setting writes a bound of "today" (fixed dates set in
    the JSON tab are kept)."""

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        found = super().read(schema)
        for key, keyword in DATE_RANGES.items():
            if schema.get(keyword) == "today":
                found["date_range"] = key
        return found

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        super().build(schema, settings, label, existing)
        if "date_range" not in settings:
            return  # not set by this edit: keep what the field had
        for keyword in DATE_RANGES.values():
            if schema.get(keyword) == "today":
                del schema[keyword]
        chosen = DATE_RANGES.get(str(settings.get("date_range") or ""))
        if chosen is not None:
            schema[chosen] = "today"


@dataclass(frozen=True)
class Number(Kind):
    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json == self.json

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        schema["type"] = self.json
        for setting in ("minimum", "maximum"):
            value = number_setting(settings.get(setting), self.json == "integer", "Giới hạn", "A limit")
            if value is not None:
                schema[setting] = value


@dataclass(frozen=True)
class YesNo(Kind):
    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json == "boolean" and not is_choice(schema)


@dataclass(frozen=True)
class Choice(Kind):
    def may_store(self, json: str | None) -> bool:
        return json in SCALARS

    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json in SCALARS and is_choice(schema)

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        return {"options": [(plain_key(o.value), o.label) for o in choice_options(schema)],
                "widget": schema.get("x-widget", "")}

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        options = builder_options(settings.get("options"))
        schema["type"] = "string"
        schema["oneOf"] = [{"const": v, "title": label_} for v, label_ in options]
        if settings.get("widget") in ("radio", "select"):
            schema["x-widget"] = settings["widget"]


@dataclass(frozen=True)
class MultiChoice(Kind):
    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json == "array" and json_type(items) in SCALARS and is_choice(items)

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        items = schema.get("items") if isinstance(schema.get("items"), Mapping) else {}
        return {"options": [(plain_key(o.value), o.label) for o in choice_options(items)]}

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        options = builder_options(settings.get("options"))
        schema["type"] = "array"
        schema["items"] = {"type": "string", "title": label, "enum": [v for v, _ in options],
                           "x-enumNames": [n for _, n in options]}
        schema["uniqueItems"] = True
        schema["x-widget"] = "checkboxes"


@dataclass(frozen=True)
class File(Kind):
    def may_store(self, json: str | None) -> bool:
        return True  # x-widget: file on anything is a file field (the compiler refuses non-strings)

    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return schema.get("x-widget") == "file"

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        media = [m.strip() for m in str(schema.get("contentMediaType", "")).split(",") if m.strip()]
        ticked = [key for key, types in FILE_TYPES.items() if all(t in media for t in types)]
        covered = {t for key in ticked for t in FILE_TYPES[key]}
        found: dict[str, Any] = {"file_types": ticked,
                                 "accept": ",".join(m for m in media if m not in covered)}
        if isinstance(schema.get("x-maxBytes"), int):
            found["max_mb"] = round(schema["x-maxBytes"] / (1024 * 1024), 2)
        return found

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        schema["type"] = "string"
        schema["x-widget"] = "file"
        media = [t for key in settings.get("file_types") or () for t in FILE_TYPES.get(str(key), ())]
        media += [m for m in str(settings.get("accept") or "").replace(" ", "").split(",")
                  if m and m not in media]
        if not media and "file_types" in settings:  # the officer unticked every type
            raise BuilderError("Hãy chọn ít nhất một loại tệp chấp nhận.", "Tick at least one accepted file type.")
        schema["contentMediaType"] = ",".join(media) or DEFAULT_ACCEPT
        megabytes = number_setting(settings.get("max_mb"), False, "Dung lượng tối đa", "Maximum size")
        megabytes = DEFAULT_MAX_MB if megabytes is None else megabytes
        if megabytes <= 0:
            raise BuilderError("Dung lượng tối đa phải lớn hơn 0.", "The maximum size must be above 0.")
        schema["x-maxBytes"] = int(megabytes * 1024 * 1024)


@dataclass(frozen=True)
class Group(Kind):
    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json == "object"

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        schema["type"] = "object"
        schema.setdefault("properties", {})


@dataclass(frozen=True)
class Repeat(Kind):
    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json == "array"

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        schema["type"] = "array"
        old_items = existing.get("items")
        items = old_items if isinstance(old_items, dict) and old_items.get("type") == "object" \
            else {"type": "object", "properties": {}}
        schema["items"] = {**items, "title": label}
        for setting, keyword in (("min_items", "minItems"), ("max_items", "maxItems")):
            value = number_setting(settings.get(setting), True, "Số lần lặp", "Item count")
            if value is not None:
                if value < 0:
                    raise BuilderError("Số lần lặp không được âm.", "An item count cannot be negative.")
                schema[keyword] = value


@dataclass(frozen=True)
class Alternatives(Kind):
    """`oneOf`/`anyOf` of titled object blocks: the citizen picks one block and fills it."""

    def may_store(self, json: str | None) -> bool:
        return json in (None, "object")

    def recognises(self, schema: Mapping[str, Any], items: Mapping[str, Any], json: str | None) -> bool:
        return json in (None, "object") and "properties" not in schema and blocks_of(schema) is not None

    def read(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        found = blocks_of(schema)
        return {"options": [str(b.get("title", "")) for b in found[0]] if found else []}

    def build(self, schema: dict[str, Any], settings: Mapping[str, Any], label: str,
              existing: Mapping[str, Any]) -> None:
        found = blocks_of(existing)
        if found is None:  # a new one: one empty block per line, fields added in the JSON tab
            titles = [t for _, t in builder_options(settings.get("options"))]
            schema["oneOf"] = [{"title": t, "type": "object", "properties": {}} for t in titles]
            return
        schema[found[1]] = found[0]
        if "type" in existing:
            schema["type"] = existing["type"]


KINDS: dict[str, Kind] = {}
RECOGNITION: list[Kind] = []  # tried in this order
_CANDIDATES: dict[str | None, list[Kind]] = {}  # JSON type -> the kinds that may store it, in order


def register(kind: Kind, *, before: str | None = None) -> Kind:
    """Add a kind to the registry (recognised before `before` when given, else last)."""
    KINDS[kind.name] = kind
    _CANDIDATES.clear()
    if before is None:
        RECOGNITION.append(kind)
    else:
        RECOGNITION.insert(next(i for i, k in enumerate(RECOGNITION) if k.name == before), kind)
    return kind


# Recognition order matters: a file is a string, alternatives are objects, a multiple choice
# is an array, a choice may be a boolean, a long text is a string.
for _kind in (
    File("file", "Tải tệp lên", "File upload", ("file_types", "accept", "max_mb", "document"), paper="file",
         required_message="required_file"),
    Alternatives("alternatives", "Chọn một trong các khối", "One of several blocks", (),
                 container=True, paper="alternatives", required_message="required_choice",
                 creatable=False, json="object"),
    Group("group", "Nhóm trường", "Group", (), container=True, paper="group", json="object"),
    MultiChoice("multi_choice", "Chọn nhiều", "Multiple choice", ("options",), paper="multichoice",
                required_message="required_choice", json="array"),
    Repeat("repeat", "Nhóm lặp lại", "Repeating group", ("min_items", "max_items"), container=True,
           paper="table", required_message="required_group", json="array"),
    YesNo("yes_no", "Có/Không", "Yes/no", paper="choice", required_message="required_choice",
          condition=True, json="boolean"),
    Choice("choice", "Chọn một", "Single choice", ("options", "widget"), paper="choice",
           required_message="required_choice", condition=True),
    Number("integer", "Số nguyên", "Integer", ("minimum", "maximum"), paper="number", condition=True,
           json="integer"),
    Number("number", "Số", "Number", ("minimum", "maximum"), paper="number", condition=True, json="number"),
    Text("textarea", "Văn bản dài", "Long text", ("min_length", "max_length"), paper="textarea",
         widget="textarea"),
    Date("date", "Ngày", "Date", ("date_range",), paper="date", condition=True, format="date"),
    Text("time", "Giờ", "Time", paper="text", format="time"),
    Text("date_time", "Ngày giờ", "Date and time", paper="datetime", format="date-time"),
    Text("email", "Thư điện tử", "Email", condition=True, format="email"),
    Text("phone", "Số điện thoại", "Phone", condition=True, format="vn-phone"),
    Text("citizen_id", "Số định danh cá nhân (CCCD)", "Citizen ID", paper="citizen_id", condition=True,
         format="vn-citizen-id", formats=("vn-id-card",)),
    Text("tax_code", "Mã số thuế", "Tax code", condition=True, format="vn-tax-code"),
    Text("text", "Văn bản ngắn", "Short text", ("min_length", "max_length", "preset", "pattern"), condition=True),
):
    register(_kind)

_FORMAT_KINDS = frozenset(f for k in KINDS.values() if isinstance(k, Text)
                          for f in (k.format, *k.formats) if f)
# Keywords the builder owns (rewrites on every edit); the others (default, examples, …) are kept.
OWNED = frozenset({"type", "format", "minLength", "maxLength", "pattern", "minimum", "maximum",
                   "enum", "x-enumNames", "oneOf", "x-widget", "items", "uniqueItems",
                   "contentMediaType", "x-maxBytes", "minItems", "maxItems", "const"})


def kind_of(schema: Mapping[str, Any], document: Mapping[str, Any] | None = None) -> Kind | None:
    """The kind of a field whose `$ref` is followed; array items are resolved in `document`."""
    items: Mapping[str, Any] = {}
    raw_items = schema.get("items")
    if isinstance(raw_items, Mapping):
        if document is not None and "$ref" in raw_items:
            from form_schemas.reader import resolve

            items = resolve(document, raw_items)
        else:
            items = raw_items
    json = json_type(schema)
    candidates = _CANDIDATES.get(json)
    if candidates is None:
        candidates = _CANDIDATES[json] = [k for k in RECOGNITION if k.may_store(json)]
    for kind in candidates:
        if kind.recognises(schema, items, json):
            return kind
    return None


# --- builder settings ----------------------------------------------------------------------

def number_setting(value: Any, integer: bool, what_vi: str, what_en: str) -> int | float | None:
    """A number typed in a builder setting ("" is none)."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BuilderError(f"{what_vi} phải là một số.", f"{what_en} must be a number.") from None
    if integer or number.is_integer():
        if integer and not number.is_integer():
            raise BuilderError(f"{what_vi} phải là số nguyên.", f"{what_en} must be a whole number.")
        return int(number)
    return number


def name_from_label(label: str, taken: Iterable[str] = ()) -> str:
    """An ASCII property name derived from a Vietnamese label, unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", ascii_fold(label).lower()).strip("_")[:DERIVED_MAX].strip("_")
    if not base:
        base = "truong"
    if base[0].isdigit():
        base = f"f_{base}"
    return unique_name(base, taken)


def unique_name(name: str, taken: Iterable[str]) -> str:
    """`name`, or `name_2`, `name_3`, … : the first not among `taken`."""
    used = set(taken)
    if name not in used:
        return name
    number = 2
    while f"{name}_{number}" in used:
        number += 1
    return f"{name}_{number}"


def builder_options(raw: Any) -> list[tuple[str, str]]:
    """Options as (value, label) from "value|label" lines or pairs; an empty value is derived
    from its label."""
    if isinstance(raw, str):
        rows: list[tuple[str, str]] = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            value, sep, label = line.partition("|")
            rows.append((value.strip(), label.strip()) if sep else ("", value.strip()))
        raw = rows
    options: list[tuple[str, str]] = []
    taken: set[str] = set()
    for value, label in raw or []:
        label = str(label).strip() or str(value).strip()
        if not label:
            continue
        value = str(value).strip() or name_from_label(label, taken)
        if value in taken:
            raise BuilderError(f"Giá trị lựa chọn «{value}» bị trùng.", f"Option value '{value}' is repeated.")
        taken.add(value)
        options.append((value, label))
    if not options:
        raise BuilderError("Hãy nhập ít nhất một lựa chọn (mỗi dòng một lựa chọn).",
                           "Enter at least one option (one per line).")
    return options


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
