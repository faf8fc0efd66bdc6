"""The question library: reusable blocks an officer drops into a form as one step.

The rule: a block is one or more `$defs` entries (`defs`, the field's definition `root` and what
it refers to) and is inserted as ONE field written `{"$ref": "#/$defs/<root>", "title": …}`
(the title beside the `$ref`, form_schemas/reader.py: the use site wins). Every field inside a
block is of a kind from the registry (form_schemas/kinds.py builds them), so the citizen form,
the paper form and the checks read a block as they read the builder's own fields.

Editing after insertion: "Tách khỏi mẫu" (`detach`) writes the definition (and what it refers
to) into the field itself, so the builder edits it like any field; the `$defs` entries nobody
refers to any more are dropped. A definition used elsewhere stays for the others.

The address block draws the 2025 administrative map: a province choice (code → name) and a
commune choice (every commune, code → name), and one rule per province
(`if province = P then commune ∈ communes of P`), so every validator (site, API, dossier
service) refuses a commune outside its province; codes are stored, names are the choices'
labels in the procedure version the dossier was filed under. The map is handed in (`Places`):
this layer has no data of its own (catalog/geography.py reads the `vietnam-provinces` package).

"One upload per submitted document" is generated from `x-procedure.documents`: one file field
per document that is submitted and has no upload yet, linked through `documents[].field`; where
the procedure has cases (`documents[].case`) the block asks "Trường hợp" first and each case's
uploads are shown and required only in that case (the builder's condition form).

Pure functions over documents; each returns a NEW document or raises `BuilderError`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from form_schemas.builder import in_repeat
from form_schemas.kinds import KINDS, BuilderError, name_from_label, unique_name
from form_schemas.reader import definitions, ref_name

REF_PREFIX = "#/$defs/"
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CASE_FIELD = "truong_hop"


@dataclass(frozen=True)
class Block:
    """One library block: what the library lists and what `insert_block` writes."""

    key: str  # "person", "saved-3"
    title: str  # shown in the library (Vietnamese)
    description: str
    field_name: str  # the property name it is inserted under (made unique in its group)
    field_title: str  # the title written beside the $ref
    root: str  # the $defs entry the field refers to
    defs: Mapping[str, Any]  # root and every definition it refers to
    required: bool = True
    links: Mapping[str, str] = field(default_factory=dict)  # document id -> path inside the block


@dataclass(frozen=True)
class Commune:
    code: str
    name: str


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    communes: tuple[Commune, ...]


Places = Sequence[Province]


# --- fields, as the builder writes them ----------------------------------------------------

def kind_field(kind: str, title: str, help: str = "", **settings: Any) -> dict[str, Any]:
    """A field of a registry kind, written by the kind itself (as the builder would)."""
    schema: dict[str, Any] = {"title": title}
    if help:
        schema["description"] = help
    KINDS[kind].build(schema, settings, title, {})
    return schema


def _group(title: str, properties: dict[str, Any], required: Iterable[str], help: str = "",
           **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "title": title}
    if help:
        schema["description"] = help
    schema["properties"] = properties
    names = [n for n in required if n in properties]
    if names:
        schema["required"] = names
    schema.update(extra)
    return schema


def _ref(name: str, title: str) -> dict[str, Any]:
    return {"$ref": REF_PREFIX + name, "title": title}


# --- the built-in blocks -------------------------------------------------------------------

ADDRESS_DEF = "dia_chi_hanh_chinh"


def address_definition(places: Places) -> dict[str, Any]:
    """The address on the 2025 map: province, commune of that province, street address."""
    provinces = list(places)
    communes = [c for p in provinces for c in p.communes]
    rules = [{"if": {"properties": {"tinh": {"const": p.code}}, "required": ["tinh"]},
              "then": {"properties": {"xa": {"enum": [c.code for c in p.communes]}}}}
             for p in provinces]
    return _group(
        "Địa chỉ",
        {
            "tinh": {"type": "string", "title": "Tỉnh, thành phố", "x-widget": "select",
                     "enum": [p.code for p in provinces], "x-enumNames": [p.name for p in provinces]},
            "xa": {"type": "string", "title": "Xã, phường, đặc khu",
                   "description": "Chọn xã, phường, đặc khu thuộc tỉnh, thành phố đã chọn (theo địa giới "
                                  "hành chính từ ngày 01/7/2025).",
                   "x-widget": "select",
                   "enum": [c.code for c in communes], "x-enumNames": [c.name for c in communes]},
            "so_nha": kind_field("text", "Số nhà, đường, thôn, tổ dân phố", max_length=200),
        },
        ("tinh", "xa", "so_nha"),
        allOf=rules,
    )


def person_definitions(places: Places) -> dict[str, Any]:
    person = _group(
        "Người yêu cầu",
        {
            "ho_ten": kind_field("text", "Họ, chữ đệm và tên", min_length=2, max_length=100),
            "ngay_sinh": kind_field("date", "Ngày, tháng, năm sinh", date_range="past"),
            "so_dinh_danh": kind_field("citizen_id", "Số định danh cá nhân"),
            "so_dien_thoai": kind_field("phone", "Số điện thoại"),
            "thu_dien_tu": kind_field("email", "Thư điện tử"),
            "noi_cu_tru": _ref(ADDRESS_DEF, "Nơi cư trú"),
        },
        ("ho_ten", "ngay_sinh", "so_dinh_danh", "so_dien_thoai", "noi_cu_tru"),
    )
    return {"nguoi_yeu_cau": person, ADDRESS_DEF: address_definition(places)}


def organisation_definitions(places: Places) -> dict[str, Any]:
    representative = _group(
        "Người đại diện theo pháp luật",
        {
            "ho_ten": kind_field("text", "Họ, chữ đệm và tên", min_length=2, max_length=100),
            "chuc_vu": kind_field("text", "Chức vụ", max_length=100),
            "so_dinh_danh": kind_field("citizen_id", "Số định danh cá nhân"),
        },
        ("ho_ten", "chuc_vu", "so_dinh_danh"),
    )
    organisation = _group(
        "Tổ chức",
        {
            "ten": kind_field("text", "Tên tổ chức", min_length=2, max_length=255),
            "ma_so_thue": kind_field("tax_code", "Mã số thuế"),
            "tru_so": _ref(ADDRESS_DEF, "Địa chỉ trụ sở"),
            "so_dien_thoai": kind_field("phone", "Số điện thoại"),
            "nguoi_dai_dien": representative,
        },
        ("ten", "ma_so_thue", "tru_so", "nguoi_dai_dien"),
    )
    return {"to_chuc": organisation, ADDRESS_DEF: address_definition(places)}


def representative_definitions() -> dict[str, Any]:
    return {"nguoi_duoc_uy_quyen": _group(
        "Người được ủy quyền",
        {
            "ho_ten": kind_field("text", "Họ, chữ đệm và tên", min_length=2, max_length=100),
            "so_dinh_danh": kind_field("citizen_id", "Số định danh cá nhân"),
            "so_dien_thoai": kind_field("phone", "Số điện thoại"),
            "van_ban_uy_quyen": kind_field(
                "file", "Văn bản ủy quyền",
                "Văn bản ủy quyền có công chứng hoặc chứng thực (bản chụp hoặc bản quét).",
                file_types=["pdf", "image"]),
        },
        ("ho_ten", "so_dinh_danh", "van_ban_uy_quyen"),
        help="Chỉ khai khi nộp hồ sơ thay cho người yêu cầu.",
    )}


def builtin_blocks(places: Places) -> list[Block]:
    """The blocks every procedure may use (the document uploads are per procedure:
    `document_uploads_block`)."""
    return [
        Block("person", "Người yêu cầu (cá nhân)",
              "Họ tên, ngày sinh, số định danh cá nhân, số điện thoại, thư điện tử, nơi cư trú.",
              "nguoi_yeu_cau", "Người yêu cầu", "nguoi_yeu_cau", person_definitions(places)),
        Block("organisation", "Tổ chức",
              "Tên tổ chức, mã số thuế, địa chỉ trụ sở, số điện thoại, người đại diện theo pháp luật.",
              "to_chuc", "Thông tin tổ chức", "to_chuc", organisation_definitions(places)),
        Block("representative", "Người được ủy quyền",
              "Họ tên, số định danh cá nhân, số điện thoại và tệp văn bản ủy quyền.",
              "nguoi_duoc_uy_quyen", "Người được ủy quyền", "nguoi_duoc_uy_quyen",
              representative_definitions(), required=False),
        Block("address", "Địa chỉ (tỉnh, xã theo địa giới 2025)",
              "Tỉnh, thành phố; xã, phường, đặc khu thuộc tỉnh đó; số nhà, đường.",
              "dia_chi", "Địa chỉ", ADDRESS_DEF, {ADDRESS_DEF: address_definition(places)}),
    ]


# --- one upload per submitted document -----------------------------------------------------

UPLOADS_DEF = "giay_to_nop"
DOCUMENTS_KEY = "documents"
DOCUMENTS_TITLE = "Tải lên giấy tờ của thành phần hồ sơ"
DOCUMENTS_DESCRIPTION = "Một ô tải tệp cho mỗi giấy tờ phải nộp, gắn với giấy tờ đó (theo trường hợp nếu có)."


def _submitted(document: Mapping[str, Any]) -> bool:
    """A paper handed in (not shown at the desk, not a note of "0 bản chính") without an upload."""
    if document.get("action", "submit") != "submit" or document.get("field"):
        return False
    return not (document.get("originals") == 0 and not document.get("copies"))


def document_uploads_block(procedure: Mapping[str, Any]) -> Block:
    """One file field per submitted document of this procedure that has no upload yet, each
    linked to its document; by case when the documents have cases. Raises BuilderError when
    no document needs one."""
    documents = [d for d in (procedure.get("x-procedure") or {}).get("documents") or []
                 if isinstance(d, Mapping) and _submitted(d)]
    if not documents:
        raise BuilderError(
            "Không có giấy tờ nào cần tải lên: thành phần hồ sơ trống hoặc mọi giấy tờ đã có ô tải tệp.",
            "No document needs an upload: the dossier list is empty or every document has one.")
    cases = list(dict.fromkeys(str(d["case"]) for d in documents if d.get("case")))
    properties: dict[str, Any] = {}
    required: list[str] = []
    rules: list[dict[str, Any]] = []
    case_values: dict[str, str] = {}
    if cases:
        options = [(name_from_label(c, case_values.values()), c) for c in cases]
        for value, label in options:
            case_values[label] = value
        properties[CASE_FIELD] = kind_field(
            "choice", "Trường hợp của hồ sơ", "Chọn trường hợp để biết cần tải lên những giấy tờ nào.",
            options=options)
        required.append(CASE_FIELD)
    links: dict[str, str] = {}
    for item in documents:
        name = str(item["id"])
        if not NAME_RE.match(name) or name in properties:
            name = name_from_label(str(item.get("name", "")), properties)
        help = f"Mẫu: {item['template']}" if item.get("template") else ""
        properties[name] = kind_field("file", str(item.get("name") or name), help)
        links[str(item["id"])] = name
        if item.get("required", True) is False:
            continue
        if item.get("case"):
            rules.append({"if": {"properties": {CASE_FIELD: {"const": case_values[str(item["case"])]}},
                                 "required": [CASE_FIELD]},
                          "then": {"required": [name]}})
        else:
            required.append(name)
    extra = {"allOf": rules} if rules else {}
    definition = _group("Giấy tờ kèm theo", properties, required, **extra)
    return Block(DOCUMENTS_KEY, DOCUMENTS_TITLE, DOCUMENTS_DESCRIPTION, "giay_to_kem_theo",
                 "Giấy tờ kèm theo", UPLOADS_DEF, {UPLOADS_DEF: definition}, links=links)


# --- navigation ----------------------------------------------------------------------------

def _parts(path: str) -> list[str]:
    return [p for p in path.split(".") if p] if path else []


def _inner(node: Mapping[str, Any]) -> dict[str, Any] | None:
    if "$ref" in node:
        return None
    if node.get("type") == "object" and isinstance(node.get("properties", {}), dict):
        return node  # type: ignore[return-value]
    items = node.get("items")
    if node.get("type") == "array" and isinstance(items, dict) and items.get("type") == "object" \
            and "$ref" not in items:
        return items
    return None


def _container(doc: dict[str, Any], path: str) -> dict[str, Any]:
    node: dict[str, Any] = doc
    for part in _parts(path):
        child = (node.get("properties") or {}).get(part)
        if not isinstance(child, dict):
            raise BuilderError(f"Không có trường «{path}».", f"There is no field '{path}'.")
        inner = _inner(child)
        if inner is None:
            if "$ref" in child:
                raise BuilderError(
                    f"«{path}» là một khối từ thư viện; hãy «Tách khỏi mẫu» trước khi chèn vào trong nó.",
                    f"'{path}' is a library block; detach it before inserting into it.")
            raise BuilderError(f"«{path}» không phải là nhóm trường.", f"'{path}' is not a group.")
        node = inner
    return node


def field_schema(doc: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The property at a dotted path, as written (its `$ref` not followed)."""
    parts = _parts(path)
    if not parts:
        raise BuilderError("Hãy chọn một nhóm trường.", "Choose a group.")
    container = _container(doc, ".".join(parts[:-1]))  # type: ignore[arg-type]
    found = (container.get("properties") or {}).get(parts[-1])
    if not isinstance(found, dict):
        raise BuilderError(f"Không có trường «{path}».", f"There is no field '{path}'.")
    return found


# --- references ----------------------------------------------------------------------------

def _refs_in(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        name = ref_name(node.get("$ref"))
        if name:
            found.add(name)
        for value in node.values():
            found |= _refs_in(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs_in(value)
    return found


def _rename_refs(node: Any, names: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        out = {k: _rename_refs(v, names) for k, v in node.items()}
        name = ref_name(node.get("$ref"))
        if name in names:
            out["$ref"] = REF_PREFIX + names[name]
        return out
    if isinstance(node, list):
        return [_rename_refs(v, names) for v in node]
    return node


def closure(defs: Mapping[str, Any], roots: Iterable[str]) -> dict[str, Any]:
    """The definitions `roots` name and every definition they refer to, transitively."""
    found: dict[str, Any] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in found or not isinstance(defs.get(name), dict):
            continue
        found[name] = defs[name]
        todo += sorted(_refs_in(defs[name]))
    return found


# --- inserting, detaching ------------------------------------------------------------------

def insert_block(doc: Mapping[str, Any], block: Block, parent: str = "",
                 name: str | None = None) -> tuple[dict[str, Any], str]:
    """Insert `block` as one field of the group `parent` ("" = the form); returns (document, path).

    Its definitions join the document's `$defs`: an identical one already there is shared
    (two addresses, one map), a different one of the same name is renamed (`_2`). Uploads the
    block links to documents are linked when the document has no upload yet."""
    result: dict[str, Any] = copy.deepcopy(dict(doc))
    container = _container(result, parent)
    if block.links and in_repeat(result, parent):
        raise BuilderError("Không thể gắn giấy tờ với ô tải tệp nằm trong nhóm lặp lại; hãy chèn khối ở nhóm khác.",
                           "Documents cannot be linked to uploads inside a repeating group; insert it elsewhere.")
    existing = result.get("$defs") if isinstance(result.get("$defs"), dict) else {}
    taken_names = set(definitions(result))
    renames: dict[str, str] = {}
    taken = taken_names
    for def_name in block.defs:
        if def_name in taken_names and existing.get(def_name) != block.defs[def_name]:
            renames[def_name] = unique_name(def_name, taken | set(block.defs))
            taken.add(renames[def_name])
    defs = result.setdefault("$defs", {})
    for def_name, schema in block.defs.items():
        target = renames.get(def_name, def_name)
        written = _rename_refs(copy.deepcopy(schema), renames)
        if target not in existing:
            defs[target] = written
    props = container.setdefault("properties", {})
    wanted = name or block.field_name
    if not NAME_RE.match(wanted):
        wanted = name_from_label(wanted, props)
    field_name = unique_name(wanted, props)
    props[field_name] = _ref(renames.get(block.root, block.root), block.field_title)
    if block.required:
        container["required"] = [*[n for n in container.get("required") or [] if n != field_name], field_name]
    path = f"{parent}.{field_name}" if parent else field_name
    documents = (result.get("x-procedure") or {}).get("documents") or []
    for item in documents:
        inside = block.links.get(str(item.get("id")))
        if inside and not item.get("field"):
            item["field"] = f"{path}.{inside}"
    return result, path


def _inline(node: Any, defs: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """`node` with every local `$ref` replaced by its target (siblings win)."""
    if isinstance(node, list):
        return [_inline(v, defs, seen) for v in node]
    if not isinstance(node, dict):
        return node
    name = ref_name(node.get("$ref"))
    if name is not None and isinstance(defs.get(name), dict):
        if name in seen:
            raise BuilderError("Định nghĩa này tự tham chiếu chính nó nên không tách được.",
                               "This definition refers to itself and cannot be detached.")
        target = _inline(defs[name], defs, (*seen, name))
        siblings = {k: _inline(v, defs, seen) for k, v in node.items() if k != "$ref"}
        return {**target, **siblings}
    return {k: _inline(v, defs, seen) for k, v in node.items()}


def drop_unused_definitions(doc: dict[str, Any]) -> None:
    """Remove the `$defs` entries no field refers to (directly or through another entry)."""
    for section in ("$defs", "definitions"):
        defs = doc.get(section)
        if not isinstance(defs, dict):
            continue
        outside = {k: v for k, v in doc.items() if k not in ("$defs", "definitions")}
        used = closure(definitions(doc), _refs_in(outside))
        for name in [n for n in defs if n not in used]:
            del defs[name]
        if not defs:
            del doc[section]


def detach(doc: Mapping[str, Any], path: str) -> dict[str, Any]:
    """"Tách khỏi mẫu": the field at `path` gets its own copy of its definition, editable in
    the builder; definitions nobody uses any more are dropped."""
    result: dict[str, Any] = copy.deepcopy(dict(doc))
    parts = _parts(path)
    schema = field_schema(result, path)
    if "$ref" not in schema and not _refs_in(schema):
        raise BuilderError("Trường này không dùng khối nào từ thư viện.", "This field uses no library block.")
    container = _container(result, ".".join(parts[:-1]))
    container["properties"][parts[-1]] = _inline(schema, definitions(result))
    drop_unused_definitions(result)
    return result


def block_fields(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, title) of every field written as a `$ref` the builder can reach (to detach)."""
    found: list[tuple[str, str]] = []

    def visit(container: Mapping[str, Any], parent: str) -> None:
        for name, schema in (container.get("properties") or {}).items():
            if not isinstance(schema, dict):
                continue
            path = f"{parent}.{name}" if parent else name
            if "$ref" in schema:
                target = definitions(doc).get(ref_name(schema["$ref"]) or "") or {}
                found.append((path, str(schema.get("title") or target.get("title") or name)))
                continue
            inner = _inner(schema)
            if inner is not None:
                visit(inner, path)

    visit(doc, "")
    return found


# --- saving a group, copying a form ---------------------------------------------------------

def group_as_block(doc: Mapping[str, Any], path: str, title: str, description: str = "") -> Block:
    """A group of a procedure's form (at `path`) as a library block: its schema (a `$ref` one
    level followed), the definitions it refers to; links to documents are not carried (the
    facts belong to each procedure)."""
    schema = copy.deepcopy(field_schema(doc, path))
    defs = definitions(doc)
    field_title = str(schema.get("title") or "")
    name = ref_name(schema.get("$ref"))
    if name is not None and isinstance(defs.get(name), dict):
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**copy.deepcopy(defs[name]), **siblings}
    if schema.get("type") not in ("object", "array") or _inner(schema) is None:
        raise BuilderError("Chỉ lưu được một nhóm trường (hoặc nhóm lặp lại) thành khối.",
                           "Only a group (or a repeating group) can be saved as a block.")
    title = " ".join(title.split()) or field_title
    if not title:
        raise BuilderError("Hãy đặt tên cho khối.", "Give the block a name.")
    field_name = _parts(path)[-1]
    root = name_from_label(field_name, ())
    used = closure(defs, _refs_in(schema))
    root = unique_name(root, used)
    return Block(f"group-{root}", title, description, field_name, field_title or title, root,
                 {root: schema, **copy.deepcopy(used)}, required=True)


FORM_KEYS = ("properties", "required", "allOf", "if", "then", "else", "dependentRequired",
             "dependentSchemas", "$defs", "definitions")


def copy_form(target: Mapping[str, Any], source: Mapping[str, Any]) -> dict[str, Any]:
    """`target` (a draft) with the form of `source`: its fields, rules and definitions; the
    facts stay the target's. Uploads stay linked to a document of the target with the same id
    (that document had no upload of its own); every other link of the target is dropped, since
    its fields are gone."""
    result: dict[str, Any] = copy.deepcopy(dict(target))
    for key in FORM_KEYS:
        result.pop(key, None)
        if key in source:
            result[key] = copy.deepcopy(source[key])
    result.setdefault("properties", {})
    links = {str(d.get("id")): d["field"] for d in (source.get("x-procedure") or {}).get("documents") or []
             if isinstance(d, Mapping) and d.get("field")}
    for item in (result.get("x-procedure") or {}).get("documents") or []:
        item.pop("field", None)
        if str(item.get("id")) in links:
            item["field"] = links[str(item.get("id"))]
    return result
