"""The field builder: builder actions (add, edit, move, nest, delete, condition) as JSON Schema edits.

Pure functions over procedure documents; each returns a NEW document (the input is never
changed) or raises `BuilderError` with a Vietnamese and an English reason. A field is named by
its dotted path of property names (`applicant.full_name`); a repeating group is transparent in
paths (`children.name` is `properties.children.items.properties.name`).

"Show and require only when FIELD equals VALUE" compiles to an entry of the container's
`allOf`: `{"if": {"properties": {FIELD: {"const": VALUE}}, "required": [FIELD]},
"then": {"required": [NAME]}}`, FIELD being a sibling, which is what the form engine shows and
hides in the browser.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NAME_MAX = 64
DERIVED_MAX = 40
MAX_DEPTH = 8


class BuilderError(ValueError):
    """A builder action that cannot be applied; nothing changed."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_vi)

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi


@dataclass(frozen=True)
class Kind:
    key: str
    label_vi: str
    label_en: str
    settings: tuple[str, ...] = ()
    container: bool = False


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("text", "Văn bản ngắn", "Short text", ("min_length", "max_length", "pattern")),
    Kind("textarea", "Văn bản dài", "Long text", ("min_length", "max_length")),
    Kind("integer", "Số nguyên", "Integer", ("minimum", "maximum")),
    Kind("number", "Số", "Number", ("minimum", "maximum")),
    Kind("date", "Ngày", "Date"),
    Kind("email", "Thư điện tử", "Email"),
    Kind("phone", "Số điện thoại", "Phone"),
    Kind("citizen_id", "Số định danh cá nhân (CCCD)", "Citizen ID"),
    Kind("tax_code", "Mã số thuế", "Tax code"),
    Kind("yes_no", "Có/Không", "Yes/no"),
    Kind("choice", "Chọn một", "Single choice", ("options", "widget")),
    Kind("multi_choice", "Chọn nhiều", "Multiple choice", ("options",)),
    Kind("file", "Tải tệp lên", "File upload", ("accept", "max_mb", "document")),
    Kind("group", "Nhóm trường", "Group", (), True),
    Kind("repeat", "Nhóm lặp lại", "Repeating group", ("min_items", "max_items"), True),
)}
FORMATS = {"date": "date", "email": "email", "phone": "vn-phone", "citizen_id": "vn-citizen-id",
           "tax_code": "vn-tax-code"}
# Kinds whose value the form engine can compare in the browser (a condition's FIELD).
CONDITION_KINDS = frozenset({"text", "integer", "number", "date", "email", "phone", "citizen_id",
                             "tax_code", "yes_no", "choice"})
DEFAULT_ACCEPT = "application/pdf,image/jpeg,image/png"
DEFAULT_MAX_MB = 5
# Keywords the builder owns for each kind; the others (default, examples, …) are kept on edit.
_OWNED = frozenset({"type", "format", "minLength", "maxLength", "pattern", "minimum", "maximum",
                    "enum", "x-enumNames", "oneOf", "x-widget", "items", "uniqueItems",
                    "contentMediaType", "x-maxBytes", "minItems", "maxItems", "const"})


@dataclass
class FieldSpec:
    """What the officer typed in the builder for one field."""

    kind: str
    label: str
    name: str | None = None
    help: str = ""
    required: bool = False
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    field: str  # sibling property name
    value: Any


@dataclass(frozen=True)
class FieldInfo:
    """One field as the builder lists it."""

    path: str
    name: str
    parent: str
    kind: str
    label: str
    help: str
    required: bool
    depth: int
    settings: dict[str, Any]
    condition: Condition | None
    in_repeat: bool

    @property
    def container(self) -> bool:
        return self.kind in ("group", "repeat")

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.label_vi if kind else "Định nghĩa riêng (sửa ở tab JSON)"


# --- names ---------------------------------------------------------------------------------

def ascii_fold(text: str) -> str:
    """'Họ và tên Đệm' → 'ho va ten dem' (no accents, lower case)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_from_label(label: str, taken: Iterable[str] = ()) -> str:
    """An ASCII property name derived from a Vietnamese label, unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", ascii_fold(label)).strip("_")[:DERIVED_MAX].strip("_")
    if not base:
        base = "truong"
    if base[0].isdigit():
        base = f"f_{base}"
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}_{number}" in used:
        number += 1
    return f"{base}_{number}"


def _check_name(name: str) -> None:
    if not NAME_RE.match(name) or len(name) > NAME_MAX:
        raise BuilderError(
            f"Tên trường «{name}» không hợp lệ: chỉ dùng chữ cái không dấu, chữ số và dấu gạch dưới, "
            f"không bắt đầu bằng chữ số, tối đa {NAME_MAX} ký tự.",
            f"Field name '{name}' is invalid: use ASCII letters, digits and underscores, "
            f"not starting with a digit, at most {NAME_MAX} characters.",
        )


# --- a new document ------------------------------------------------------------------------

def new_document(code: str, title: str, sector: str, competent: str, *, level: str = "commune",
                 online_level: int = 2) -> dict[str, Any]:
    """The smallest valid procedure: facts to complete in tab 1, an empty form for tab 2."""
    return {
        "$schema": SCHEMA_URI,
        "title": title.strip(),
        "type": "object",
        "properties": {},
        "x-procedure": {
            "code": code.strip(),
            "sector": sector.strip(),
            "levels": [level],
            "agencies": {"competent": competent.strip()},
            "onlineService": {"level": online_level},
            "channels": [{"mode": "in_person",
                          "processingTime": {"value": 1, "unit": "working_days"}}],
            "documents": [],
            "steps": ["Nộp hồ sơ", "Giải quyết hồ sơ", "Trả kết quả"],
            "results": [{"name": title.strip()}],
        },
    }


# --- navigation ----------------------------------------------------------------------------

def _parts(path: str) -> list[str]:
    return [p for p in path.split(".") if p] if path else []


def _object_of(node: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema holding a node's child fields (a repeating group's items)."""
    if node.get("type") == "object":
        return node
    if node.get("type") == "array" and isinstance(node.get("items"), dict) \
            and node["items"].get("type") == "object":
        return node["items"]
    return None


def _container(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """The object schema whose `properties` hold the children of the field at `path`."""
    node: dict[str, Any] = doc
    for part in _parts(path):
        props = node.get("properties")
        if not isinstance(props, dict) or part not in props:
            raise _missing(path)
        inner = _object_of(props[part])
        if inner is None:
            raise BuilderError(f"«{path}» không phải là nhóm trường.", f"'{path}' is not a group.")
        node = inner
    return node


def _missing(path: str) -> BuilderError:
    return BuilderError(f"Không có trường «{path}».", f"There is no field '{path}'.")


def _split(path: str) -> tuple[str, str]:
    parts = _parts(path)
    if not parts:
        raise _missing(path)
    return ".".join(parts[:-1]), parts[-1]


def _locate(doc: dict[str, Any], path: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    parent_path, name = _split(path)
    container = _container(doc, parent_path)
    props = container.get("properties") or {}
    if name not in props:
        raise _missing(path)
    return container, name, props[name]


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


# --- reading -------------------------------------------------------------------------------

def kind_of(schema: dict[str, Any]) -> str:
    """The builder kind of a form property ("ref" when it uses a `$ref` definition)."""
    if "$ref" in schema:
        return "ref"
    kind = schema.get("type")
    if schema.get("x-widget") == "file":
        return "file"
    if kind == "object":
        return "group"
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        if items.get("type") == "object":
            return "repeat"
        if "enum" in items or "oneOf" in items:
            return "multi_choice"
        return "ref"
    if "enum" in schema or "oneOf" in schema:
        return "choice"
    if kind == "boolean":
        return "yes_no"
    if kind in ("integer", "number"):
        return str(kind)
    if kind == "string":
        fmt = schema.get("format")
        for key, value in FORMATS.items():
            if fmt == value:
                return key
        if fmt == "vn-id-card":
            return "citizen_id"
        return "textarea" if schema.get("x-widget") == "textarea" else "text"
    return "ref"


def _options(schema: dict[str, Any]) -> list[tuple[str, str]]:
    if isinstance(schema.get("oneOf"), list):
        return [(str(o.get("const")), str(o.get("title", o.get("const")))) for o in schema["oneOf"]
                if isinstance(o, dict)]
    values = schema.get("enum") or []
    names = schema.get("x-enumNames") or [str(v) for v in values]
    return [(str(v), str(n)) for v, n in zip(values, names, strict=False)]


def settings_of(schema: dict[str, Any], kind: str | None = None) -> dict[str, Any]:
    """The builder settings a form property has (per kind)."""
    kind = kind or kind_of(schema)
    found: dict[str, Any] = {}
    pairs = {"min_length": "minLength", "max_length": "maxLength", "pattern": "pattern",
             "minimum": "minimum", "maximum": "maximum", "min_items": "minItems",
             "max_items": "maxItems"}
    for setting, keyword in pairs.items():
        if setting in KINDS.get(kind, Kind("", "", "")).settings and keyword in schema:
            found[setting] = schema[keyword]
    if kind == "choice":
        found["options"] = _options(schema)
        found["widget"] = schema.get("x-widget", "")
    elif kind == "multi_choice":
        found["options"] = _options(schema.get("items") or {})
    elif kind == "file":
        found["accept"] = schema.get("contentMediaType", "")
        if isinstance(schema.get("x-maxBytes"), int):
            found["max_mb"] = round(schema["x-maxBytes"] / (1024 * 1024), 2)
    return found


def _conditions_of(container: dict[str, Any]) -> dict[str, Condition]:
    """Builder-made conditions of a container: target name -> condition."""
    found: dict[str, Condition] = {}
    for entry in container.get("allOf") or []:
        parsed = _parse_condition(entry)
        if parsed:
            target, condition = parsed
            found[target] = condition
    return found


def _parse_condition(entry: Any) -> tuple[str, Condition] | None:
    if not isinstance(entry, dict) or set(entry) != {"if", "then"}:
        return None
    when, then = entry["if"], entry["then"]
    if not isinstance(when, dict) or not isinstance(then, dict) or set(then) != {"required"}:
        return None
    props = when.get("properties")
    if set(when) != {"properties", "required"} or not isinstance(props, dict) or len(props) != 1:
        return None
    (name, clause), = props.items()
    if when["required"] != [name] or not isinstance(clause, dict) or set(clause) != {"const"}:
        return None
    if not isinstance(then["required"], list) or len(then["required"]) != 1:
        return None
    return str(then["required"][0]), Condition(name, clause["const"])


def field_tree(doc: dict[str, Any]) -> list[FieldInfo]:
    """Every form field, depth first, in order, as the builder shows them."""
    found: list[FieldInfo] = []

    def walk(container: dict[str, Any], parent: str, depth: int, in_repeat: bool) -> None:
        props = container.get("properties") or {}
        required = set(container.get("required") or [])
        conditions = _conditions_of(container)
        for name, schema in props.items():
            if not isinstance(schema, dict):
                continue
            path = _join(parent, name)
            kind = kind_of(schema)
            condition = conditions.get(name)
            found.append(FieldInfo(
                path=path, name=name, parent=parent, kind=kind,
                label=str(schema.get("title", name)), help=str(schema.get("description", "")),
                required=name in required or condition is not None, depth=depth,
                settings=settings_of(schema, kind), condition=condition, in_repeat=in_repeat,
            ))
            inner = _object_of(schema)
            if inner is not None and kind in ("group", "repeat"):
                walk(inner, path, depth + 1, in_repeat or kind == "repeat")

    walk(doc, "", 0, False)
    return found


def linked_document(doc: dict[str, Any], path: str) -> str:
    """The id of the document (x-procedure.documents) whose upload is this field, or ""."""
    for item in doc.get("x-procedure", {}).get("documents", []):
        if item.get("field") == path:
            return str(item.get("id", ""))
    return ""


# --- schema for a spec ---------------------------------------------------------------------

def _number(value: Any, integer: bool, what_vi: str, what_en: str) -> int | float | None:
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


def _choice_options(raw: Any) -> list[tuple[str, str]]:
    """Options as (value, label); a value left empty is derived from its label."""
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


def _schema_for(spec: FieldSpec, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema of a field spec; keywords the builder does not own are kept."""
    kind = KINDS.get(spec.kind)
    if kind is None:
        raise BuilderError(f"Không có loại trường «{spec.kind}».", f"Unknown field kind '{spec.kind}'.")
    label = " ".join(spec.label.split())
    if not label:
        raise BuilderError("Hãy nhập nhãn của trường.", "Enter the field's label.")
    s = spec.settings
    kept = {k: v for k, v in (existing or {}).items() if k not in _OWNED}
    schema: dict[str, Any] = {**kept, "title": label}
    if spec.help.strip():
        schema["description"] = spec.help.strip()
    else:
        schema.pop("description", None)
    key = spec.kind
    if key in ("text", "textarea", "date", "email", "phone", "citizen_id", "tax_code"):
        schema["type"] = "string"
        if key in FORMATS:
            schema["format"] = FORMATS[key]
        if key == "textarea":
            schema["x-widget"] = "textarea"
        for setting, keyword in (("min_length", "minLength"), ("max_length", "maxLength")):
            if setting in kind.settings:
                value = _number(s.get(setting), True, "Độ dài", "Length")
                if value is not None:
                    if value < 0:
                        raise BuilderError("Độ dài không được âm.", "A length cannot be negative.")
                    schema[keyword] = value
        if "pattern" in kind.settings and str(s.get("pattern") or "").strip():
            schema["pattern"] = str(s["pattern"]).strip()
    elif key in ("integer", "number"):
        schema["type"] = key
        for setting, keyword in (("minimum", "minimum"), ("maximum", "maximum")):
            value = _number(s.get(setting), key == "integer", "Giới hạn", "A limit")
            if value is not None:
                schema[keyword] = value
    elif key == "yes_no":
        schema["type"] = "boolean"
    elif key == "choice":
        options = _choice_options(s.get("options"))
        schema["type"] = "string"
        schema["oneOf"] = [{"const": v, "title": label_} for v, label_ in options]
        if s.get("widget") in ("radio", "select"):
            schema["x-widget"] = s["widget"]
    elif key == "multi_choice":
        options = _choice_options(s.get("options"))
        schema["type"] = "array"
        schema["items"] = {"type": "string", "title": label, "enum": [v for v, _ in options],
                           "x-enumNames": [n for _, n in options]}
        schema["uniqueItems"] = True
        schema["x-widget"] = "checkboxes"
    elif key == "file":
        schema["type"] = "string"
        schema["x-widget"] = "file"
        schema["contentMediaType"] = str(s.get("accept") or DEFAULT_ACCEPT).replace(" ", "")
        megabytes = _number(s.get("max_mb"), False, "Dung lượng tối đa", "Maximum size")
        megabytes = DEFAULT_MAX_MB if megabytes is None else megabytes
        if megabytes <= 0:
            raise BuilderError("Dung lượng tối đa phải lớn hơn 0.", "The maximum size must be above 0.")
        schema["x-maxBytes"] = int(megabytes * 1024 * 1024)
    elif key == "group":
        schema["type"] = "object"
        schema.setdefault("properties", {})
    elif key == "repeat":
        schema["type"] = "array"
        old_items = (existing or {}).get("items")
        items = old_items if isinstance(old_items, dict) and old_items.get("type") == "object" \
            else {"type": "object", "properties": {}}
        schema["items"] = {**items, "title": label}
        for setting, keyword in (("min_items", "minItems"), ("max_items", "maxItems")):
            value = _number(s.get(setting), True, "Số lần lặp", "Item count")
            if value is not None:
                if value < 0:
                    raise BuilderError("Số lần lặp không được âm.", "An item count cannot be negative.")
                schema[keyword] = value
    if key != "group":
        for keyword in ("properties", "required", "dependentRequired", "if", "then", "else", "allOf"):
            schema.pop(keyword, None)
    return schema


# --- editing -------------------------------------------------------------------------------

def _required_list(container: dict[str, Any], name: str, wanted: bool) -> None:
    names = [n for n in container.get("required") or [] if n != name]
    if wanted:
        names.append(name)
    if names:
        container["required"] = names
    else:
        container.pop("required", None)


def _drop_conditions(container: dict[str, Any], names: set[str]) -> None:
    """Remove builder conditions whose target or FIELD is among `names`."""
    kept = []
    for entry in container.get("allOf") or []:
        parsed = _parse_condition(entry)
        if parsed and (parsed[0] in names or parsed[1].field in names):
            continue
        kept.append(entry)
    if kept:
        container["allOf"] = kept
    else:
        container.pop("allOf", None)


def _foreign_references(doc: dict[str, Any], container: dict[str, Any], name: str) -> bool:
    """Whether a condition the builder did not write names `name` (edit those in JSON)."""
    def mentions(node: Any) -> bool:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and name in props:
                return True
            if name in (node.get("required") or []) or name in (node.get("dependentRequired") or {}):
                return True
            return any(mentions(v) for k, v in node.items() if k in ("if", "then", "else", "allOf", "properties", "not"))
        if isinstance(node, list):
            return any(mentions(v) for v in node)
        return False

    for entry in container.get("allOf") or []:
        if _parse_condition(entry) is None and mentions(entry):
            return True
    for key in ("if", "then", "else"):
        if mentions(container.get(key)):
            return True
    deps = container.get("dependentRequired") or {}
    return name in deps or any(name in v for v in deps.values())


def _refuse_foreign(doc: dict[str, Any], container: dict[str, Any], name: str, path: str) -> None:
    if _foreign_references(doc, container, name):
        raise BuilderError(
            f"Trường «{path}» được dùng trong một điều kiện viết tay; hãy sửa điều kiện đó ở tab JSON trước.",
            f"Field '{path}' is used by a hand-written condition; edit that condition in the JSON tab first.",
        )


def _links_under(doc: dict[str, Any], path: str) -> list[dict[str, Any]]:
    documents = doc.get("x-procedure", {}).get("documents", [])
    return [d for d in documents if isinstance(d.get("field"), str)
            and (d["field"] == path or d["field"].startswith(path + "."))]


def _in_repeat(doc: dict[str, Any], path: str) -> bool:
    node: dict[str, Any] = doc
    for part in _parts(path):
        child = (node.get("properties") or {}).get(part)
        if not isinstance(child, dict):
            return False
        if child.get("type") == "array":
            return True
        node = child
    return False


def _link_document(doc: dict[str, Any], path: str, document_id: str | None) -> None:
    documents = doc.get("x-procedure", {}).get("documents", [])
    for item in documents:
        if item.get("field") == path:
            item.pop("field")
    if not document_id:
        return
    target = next((d for d in documents if d.get("id") == document_id), None)
    if target is None:
        raise BuilderError(f"Không có giấy tờ «{document_id}» trong thành phần hồ sơ.",
                           f"There is no document '{document_id}' among the dossier documents.")
    if _in_repeat(doc, path):
        raise BuilderError("Không thể gắn giấy tờ với trường tải tệp nằm trong nhóm lặp lại.",
                           "A document cannot be linked to a file field inside a repeating group.")
    target["field"] = path


def _form_depth(doc: dict[str, Any], path: str, node: dict[str, Any]) -> int:
    """Depth (properties/items levels) the subtree at `path` reaches."""
    def below(schema: dict[str, Any]) -> int:
        inner = _object_of(schema)
        if inner is None:
            return 0
        extra = 1 if schema.get("type") == "array" else 0
        children = [below(c) for c in (inner.get("properties") or {}).values() if isinstance(c, dict)]
        return extra + (1 + max(children) if children else 0)

    level = 0
    current: dict[str, Any] = doc
    for part in _parts(path)[:-1]:
        child = current["properties"][part]
        level += 2 if child.get("type") == "array" else 1
        current = _object_of(child) or {}
    return level + 1 + below(node)


def _check_depth(doc: dict[str, Any], path: str) -> None:
    _, _, node = _locate(doc, path)
    if _form_depth(doc, path, node) > MAX_DEPTH:
        raise BuilderError(f"Biểu mẫu không được lồng quá {MAX_DEPTH} cấp.",
                           f"The form cannot nest deeper than {MAX_DEPTH} levels.")


def add_field(doc: dict[str, Any], spec: FieldSpec, parent: str = "",
              position: int | None = None) -> tuple[dict[str, Any], str]:
    """Add a field under the group `parent` ("" = the form); returns (document, its path).

    A new group is required whatever `spec.required` says: an officer adding "Người nộp hồ sơ"
    and its required fields means them to be filled (form_schemas.groups); untick "Bắt buộc"
    on the group afterwards to make it optional.
    """
    doc = copy.deepcopy(doc)
    container = _container(doc, parent)
    props = container.setdefault("properties", {})
    name = (spec.name or "").strip() or name_from_label(spec.label, props)
    _check_name(name)
    if name in props:
        raise BuilderError(f"Đã có trường tên «{name}» trong nhóm này.",
                           f"This group already has a field named '{name}'.")
    schema = _schema_for(spec)
    items = list(props.items())
    index = len(items) if position is None else max(0, min(position, len(items)))
    items.insert(index, (name, schema))
    container["properties"] = dict(items)
    _required_list(container, name, spec.required or spec.kind == "group")
    path = _join(parent, name)
    _check_depth(doc, path)
    if spec.kind == "file":
        _link_document(doc, path, spec.settings.get("document"))
    return doc, path


def update_field(doc: dict[str, Any], path: str, spec: FieldSpec) -> tuple[dict[str, Any], str]:
    """Change a field's label, help, required flag, settings, kind or name; returns (doc, path)."""
    doc = copy.deepcopy(doc)
    container, name, old = _locate(doc, path)
    old_kind = kind_of(old)
    if old_kind == "ref":
        raise BuilderError("Trường này dùng định nghĩa riêng; hãy sửa ở tab JSON.",
                           "This field uses a shared definition; edit it in the JSON tab.")
    if (old_kind in ("group", "repeat") or spec.kind in ("group", "repeat")) and spec.kind != old_kind:
        raise BuilderError("Không đổi được loại của nhóm trường; hãy thêm trường mới.",
                           "A group's kind cannot change; add a new field instead.")
    new_name = (spec.name or "").strip() or name
    parent = _split(path)[0]
    if new_name != name:
        _check_name(new_name)
        if new_name in container["properties"]:
            raise BuilderError(f"Đã có trường tên «{new_name}» trong nhóm này.",
                               f"This group already has a field named '{new_name}'.")
        _refuse_foreign(doc, container, name, path)
    keep = old if spec.kind == old_kind else {}
    schema = _schema_for(spec, keep)
    conditions = _conditions_of(container)
    items = [(new_name if k == name else k, schema if k == name else v)
             for k, v in container["properties"].items()]
    container["properties"] = dict(items)
    condition = conditions.get(name)
    if new_name != name:
        _rename_references(doc, container, path, name, new_name)
    new_path = _join(parent, new_name)
    if condition is not None:
        _required_list(container, new_name, False)
    else:
        _required_list(container, new_name, spec.required)
    if spec.kind == "file":
        _link_document(doc, new_path, spec.settings.get("document"))
    else:
        _link_document(doc, new_path, None)
    for condition in _conditions_of(container).values():
        if condition.field == new_name:
            if spec.kind not in CONDITION_KINDS:
                raise BuilderError("Trường này đang là điều kiện của trường khác nên không đổi sang loại này được.",
                                   "Another field's condition tests this field, so it cannot take this kind.")
            _coerce(condition.value, schema)
    return doc, new_path


def _rename_references(doc: dict[str, Any], container: dict[str, Any], path: str, old: str,
                       new: str) -> None:
    container["required"] = [new if n == old else n for n in container.get("required") or []]
    if not container["required"]:
        container.pop("required")
    for entry in container.get("allOf") or []:
        parsed = _parse_condition(entry)
        if not parsed:
            continue
        target, condition = parsed
        if target == old:
            entry["then"]["required"] = [new]
        if condition.field == old:
            entry["if"] = {"properties": {new: entry["if"]["properties"][old]}, "required": [new]}
    parent = _split(path)[0]
    new_path = _join(parent, new)
    for item in _links_under(doc, path):
        item["field"] = new_path + item["field"][len(path):]


def move_field(doc: dict[str, Any], path: str, delta: int) -> dict[str, Any]:
    """Move a field up (delta < 0) or down among its siblings."""
    doc = copy.deepcopy(doc)
    container, name, _ = _locate(doc, path)
    items = list(container["properties"].items())
    index = next(i for i, (k, _) in enumerate(items) if k == name)
    target = max(0, min(len(items) - 1, index + delta))
    items.insert(target, items.pop(index))
    container["properties"] = dict(items)
    required = container.get("required")
    if required:
        order = [k for k, _ in items]
        container["required"] = sorted(required, key=lambda n: order.index(n) if n in order else len(order))
    return doc


def nest_field(doc: dict[str, Any], path: str, parent: str) -> tuple[dict[str, Any], str]:
    """Move a field into the group `parent` ("" = top level); returns (doc, new path)."""
    doc = copy.deepcopy(doc)
    container, name, schema = _locate(doc, path)
    if parent == path or parent.startswith(path + "."):
        raise BuilderError("Không thể đặt một nhóm vào chính nó.", "A group cannot go inside itself.")
    if _split(path)[0] == parent:
        return doc, path
    target = _container(doc, parent)
    if name in (target.get("properties") or {}):
        raise BuilderError(f"Nhóm đích đã có trường tên «{name}».",
                           f"The target group already has a field named '{name}'.")
    _refuse_foreign(doc, container, name, path)
    conditions = _conditions_of(container)
    if name in conditions or any(c.field == name for c in conditions.values()):
        raise BuilderError("Hãy bỏ điều kiện hiển thị của trường trước khi chuyển nó sang nhóm khác.",
                           "Remove the field's show condition before moving it to another group.")
    was_required = name in (container.get("required") or [])
    del container["properties"][name]
    _required_list(container, name, False)
    target.setdefault("properties", {})[name] = schema
    _required_list(target, name, was_required)
    new_path = _join(parent, name)
    links = _links_under(doc, path)
    for item in links:
        item["field"] = new_path + item["field"][len(path):]
    if links and _in_repeat(doc, new_path):
        raise BuilderError("Trường tải tệp gắn với giấy tờ không được nằm trong nhóm lặp lại.",
                           "A file field linked to a document cannot go inside a repeating group.")
    _check_depth(doc, new_path)
    return doc, new_path


def delete_field(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """Remove a field (and what it contains), its conditions and its document links."""
    doc = copy.deepcopy(doc)
    container, name, _ = _locate(doc, path)
    _refuse_foreign(doc, container, name, path)
    del container["properties"][name]
    _required_list(container, name, False)
    _drop_conditions(container, {name})
    for item in _links_under(doc, path):
        item.pop("field")
    return doc


def _coerce(value: Any, schema: dict[str, Any]) -> Any:
    """A condition VALUE typed as the FIELD's values are."""
    kind = kind_of(schema)
    text = str(value).strip()
    if kind == "yes_no":
        folded = ascii_fold(text)
        if folded in ("true", "co", "1", "yes"):
            return True
        if folded in ("false", "khong", "0", "no"):
            return False
        raise BuilderError("Giá trị của trường Có/Không phải là «Có» hoặc «Không».",
                           "A yes/no field's value must be 'yes' or 'no'.")
    if kind in ("integer", "number"):
        number = _number(text, kind == "integer", "Giá trị", "The value")
        if number is None:
            raise BuilderError("Hãy nhập giá trị.", "Enter the value.")
        return number
    if kind == "choice":
        options = _options(schema)
        for option_value, label in options:
            if text in (option_value, label):
                return option_value
        raise BuilderError(
            f"«{text}» không phải một lựa chọn của trường này ({', '.join(v for _, v in options)}).",
            f"'{text}' is not one of the field's options.",
        )
    if not text:
        raise BuilderError("Hãy nhập giá trị.", "Enter the value.")
    return text


def set_condition(doc: dict[str, Any], path: str, when: str, value: Any) -> dict[str, Any]:
    """Show and require the field only when its sibling `when` equals `value`."""
    doc = copy.deepcopy(doc)
    container, name, _ = _locate(doc, path)
    props = container["properties"]
    if when == name:
        raise BuilderError("Một trường không thể phụ thuộc vào chính nó.", "A field cannot depend on itself.")
    if when not in props:
        raise BuilderError(f"Trường điều kiện «{when}» phải nằm cùng nhóm với trường này.",
                           f"The condition field '{when}' must be in the same group as this field.")
    if kind_of(props[when]) not in CONDITION_KINDS:
        raise BuilderError("Chỉ đặt điều kiện theo trường văn bản ngắn, số, ngày, Có/Không hoặc chọn một.",
                           "A condition can only test a short text, number, date, yes/no or single-choice field.")
    if when in _conditions_of(container):
        raise BuilderError("Trường điều kiện không được tự có điều kiện hiển thị.",
                           "The condition field cannot itself be conditional.")
    _refuse_foreign(doc, container, name, path)
    constant = _coerce(value, props[when])
    kept = [e for e in container.get("allOf") or []
            if not ((p := _parse_condition(e)) and p[0] == name)]
    kept.append({"if": {"properties": {when: {"const": constant}}, "required": [when]},
                 "then": {"required": [name]}})
    container["allOf"] = kept
    _required_list(container, name, False)
    return doc


def clear_condition(doc: dict[str, Any], path: str, *, required: bool = False) -> dict[str, Any]:
    """Show the field always again (required or not as asked)."""
    doc = copy.deepcopy(doc)
    container, name, _ = _locate(doc, path)
    kept = [e for e in container.get("allOf") or [] if not ((p := _parse_condition(e)) and p[0] == name)]
    if kept:
        container["allOf"] = kept
    else:
        container.pop("allOf", None)
    _required_list(container, name, required)
    return doc


def groups(doc: dict[str, Any]) -> list[FieldInfo]:
    """Groups and repeating groups a field can be nested in."""
    return [f for f in field_tree(doc) if f.kind in ("group", "repeat")]


def siblings(doc: dict[str, Any], path: str) -> Iterator[FieldInfo]:
    """Fields sharing `path`'s group that a condition may test."""
    parent = _split(path)[0]
    for info in field_tree(doc):
        if info.parent == parent and info.path != path and info.kind in CONDITION_KINDS \
                and info.condition is None:
            yield info
