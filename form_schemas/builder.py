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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from form_schemas import kinds as registry
from form_schemas.kinds import OWNED as _OWNED
from form_schemas.kinds import BuilderError, Kind, name_from_label
from form_schemas.reader import walk
from form_schemas.text import ascii_fold

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NAME_MAX = 64
MAX_DEPTH = 8


# The kinds the builder offers (form_schemas/kinds.py), by name; `.key` is the name.
KINDS: dict[str, Kind] = {name: kind for name, kind in registry.KINDS.items() if kind.creatable}
# Kinds whose value the form engine can compare in the browser (a condition's FIELD).
CONDITION_KINDS = frozenset(name for name, kind in registry.KINDS.items() if kind.condition)
FORMATS = {name: kind.format for name, kind in registry.KINDS.items() if kind.format}


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
        kind = registry.KINDS.get(self.kind)
        return bool(kind and kind.container)

    @property
    def kind_label(self) -> str:
        kind = registry.KINDS.get(self.kind)
        return kind.label_vi if kind else "Định nghĩa riêng (sửa ở tab JSON)"


# --- names ---------------------------------------------------------------------------------

def _check_name(name: str) -> None:
    if not NAME_RE.match(name) or len(name) > NAME_MAX:
        raise BuilderError(
            f"Tên trường «{name}» không hợp lệ: chỉ dùng chữ cái không dấu, chữ số và dấu gạch dưới, "
            f"không bắt đầu bằng chữ số, tối đa {NAME_MAX} ký tự.",
            f"Field name '{name}' is invalid: use ASCII letters, digits and underscores, "
            f"not starting with a digit, at most {NAME_MAX} characters.",
        )


# --- a new document ------------------------------------------------------------------------

def new_document(code: str, title: str, sector: str, competent: str | None = None, *,
                 level: str = "commune", online_level: int = 2) -> dict[str, Any]:
    """The smallest valid procedure: facts to complete in tab 1, an empty form for tab 2.

    Nothing the officer has not entered is stated as a fact: an agency left blank and the
    processing time are absent ("Chưa có thông tin"); the steps and the result, which the
    format requires, are placeholders marked "Cần kiểm tra" until the officer confirms them."""
    agencies = {"competent": competent.strip()} if competent and competent.strip() else {}
    review = [{"pointer": "/x-procedure/steps", "kind": "to_check", "reason": "steps_not_entered"},
              {"pointer": "/x-procedure/results", "kind": "to_check", "reason": "results_not_entered"}]
    if not agencies:
        review.insert(0, {"pointer": "/x-procedure/agencies/competent", "kind": "to_check",
                          "reason": "competent_not_entered"})
    return {
        "$schema": SCHEMA_URI,
        "title": title.strip(),
        "type": "object",
        "properties": {},
        "x-procedure": {
            "code": code.strip(),
            "sector": sector.strip(),
            "levels": [level],
            "agencies": agencies,
            "onlineService": {"level": online_level},
            "channels": [{"mode": "in_person"}],
            "documents": [],
            "steps": ["Nộp hồ sơ", "Giải quyết hồ sơ", "Trả kết quả"],
            "results": [{"name": title.strip()}],
            "review": review,
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
    """The builder kind of a form property ("ref" when it uses a `$ref` definition or is of no
    kind the builder edits, e.g. a list of plain values)."""
    if "$ref" in schema:
        return "ref"
    kind = registry.kind_of(schema)
    if kind is None:
        return "ref"
    if kind.name == "repeat":
        items = schema.get("items")
        if not isinstance(items, dict) or items.get("type") != "object":
            return "ref"
    return kind.name


def settings_of(schema: dict[str, Any], kind: str | None = None) -> dict[str, Any]:
    """The builder settings a form property has (per kind)."""
    found = registry.KINDS.get(kind or kind_of(schema))
    return found.read(schema) if found else {}


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
    """Every form field, depth first, in order, as the builder shows them (form_schemas.reader
    walks them; fields written as a `$ref` are shown, not entered)."""
    found: list[FieldInfo] = []
    containers: dict[str, dict[str, Any]] = {"": doc}
    conditions: dict[str, dict[str, Condition]] = {}
    for ref in walk(doc, follow_refs=False):
        schema = ref.schema
        kind = kind_of(schema)
        if kind in ("group", "repeat"):
            inner = _object_of(schema)
            if inner is not None:
                containers[ref.path] = inner
        if ref.parent not in conditions:
            conditions[ref.parent] = _conditions_of(containers.get(ref.parent) or {})
        condition = conditions[ref.parent].get(ref.name)
        found.append(FieldInfo(
            path=ref.path, name=ref.name, parent=ref.parent, kind=kind,
            label=str(schema.get("title", ref.name)), help=str(schema.get("description", "")),
            required=ref.required or condition is not None, depth=ref.depth,
            settings=settings_of(schema, kind), condition=condition, in_repeat=ref.in_repeat,
        ))
    return found


def linked_document(doc: dict[str, Any], path: str) -> str:
    """The id of the document (x-procedure.documents) whose upload is this field, or ""."""
    for item in doc.get("x-procedure", {}).get("documents", []):
        if item.get("field") == path:
            return str(item.get("id", ""))
    return ""


# --- schema for a spec ---------------------------------------------------------------------

def _schema_for(spec: FieldSpec, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema of a field spec; keywords the builder does not own are kept."""
    kind = registry.KINDS.get(spec.kind)
    if kind is None or (not kind.creatable and not existing):
        raise BuilderError(f"Không có loại trường «{spec.kind}».", f"Unknown field kind '{spec.kind}'.")
    label = " ".join(spec.label.split())
    if not label:
        raise BuilderError("Hãy nhập nhãn của trường.", "Enter the field's label.")
    kept = {k: v for k, v in (existing or {}).items() if k not in _OWNED}
    schema: dict[str, Any] = {**kept, "title": label}
    if spec.help.strip():
        schema["description"] = spec.help.strip()
    else:
        schema.pop("description", None)
    kind.build(schema, spec.settings, label, existing or {})
    if spec.kind != "group":
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


def in_repeat(doc: Mapping[str, Any], path: str) -> bool:
    """Whether the field or group at `path` lies inside a repeating group."""
    node: Mapping[str, Any] = doc
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
    if in_repeat(doc, path):
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
    if links and in_repeat(doc, new_path):
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
        folded = ascii_fold(text).lower()
        if folded in ("true", "co", "1", "yes"):
            return True
        if folded in ("false", "khong", "0", "no"):
            return False
        raise BuilderError("Giá trị của trường Có/Không phải là «Có» hoặc «Không».",
                           "A yes/no field's value must be 'yes' or 'no'.")
    if kind in ("integer", "number"):
        number = registry.number_setting(text, kind == "integer", "Giá trị", "The value")
        if number is None:
            raise BuilderError("Hãy nhập giá trị.", "Enter the value.")
        return number
    if kind == "choice":
        options = registry.KINDS["choice"].read(schema)["options"]
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


def move_field_to(doc: dict[str, Any], path: str, position: int) -> dict[str, Any]:
    """Move a field to `position` (0-based, clamped) among its siblings (drag and drop)."""
    container, name, _ = _locate(doc, path)
    names = list(container["properties"])
    return move_field(doc, path, max(0, min(position, len(names) - 1)) - names.index(name))


def position_of(doc: dict[str, Any], path: str) -> int:
    """A field's 1-based position among its siblings (what "lên vị trí 2" says)."""
    container, name, _ = _locate(doc, path)
    return list(container["properties"]).index(name) + 1


def set_label(doc: dict[str, Any], path: str, label: str) -> dict[str, Any]:
    """Change only a field's label (the inline edit on the field list); the name stays."""
    text = " ".join((label or "").split())
    if not text:
        raise BuilderError("Hãy nhập nhãn của trường.", "Enter the field's label.")
    if len(text) > 300:
        raise BuilderError("Nhãn dài quá 300 ký tự.", "The label is longer than 300 characters.")
    doc = copy.deepcopy(doc)
    _, _, schema = _locate(doc, path)
    schema["title"] = text
    return doc


COPY_SUFFIX = "_ban_sao"


def _copy_name(name: str, taken: Any) -> str:
    """`name_ban_sao`, then `name_ban_sao_2`, …, within NAME_MAX characters."""
    base = name[:NAME_MAX - len(COPY_SUFFIX) - 3] + COPY_SUFFIX
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def duplicate_field(doc: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    """Copy a field or a group right below itself; returns (document, the copy's path).

    The copy is named `<name>_ban_sao` and labelled "… (bản sao)"; it is required when the
    original is and keeps the original's own show condition (same sibling, same value), since
    both stay in the same group. Conditions that test the original, and the original's link to a
    dossier document, are not copied: a document is uploaded in one field.
    """
    doc = copy.deepcopy(doc)
    container, name, schema = _locate(doc, path)
    props = container["properties"]
    new_name = _copy_name(name, props)
    twin = copy.deepcopy(schema)
    twin["title"] = f"{schema.get('title', name)} (bản sao)"
    items = list(props.items())
    index = next(i for i, (k, _) in enumerate(items) if k == name)
    items.insert(index + 1, (new_name, twin))
    container["properties"] = dict(items)
    condition = _conditions_of(container).get(name)
    if condition is not None:
        container.setdefault("allOf", []).append(
            {"if": {"properties": {condition.field: {"const": condition.value}}, "required": [condition.field]},
             "then": {"required": [new_name]}})
    elif name in (container.get("required") or []):
        order = list(container["properties"])
        container["required"] = sorted([*container["required"], new_name], key=order.index)
    new_path = _join(_split(path)[0], new_name)
    _check_depth(doc, new_path)
    return doc, new_path
