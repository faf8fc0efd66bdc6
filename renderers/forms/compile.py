"""Procedure document (JSON Schema 2020-12) -> tree of form nodes; unsupported constructs refused."""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from form_schemas.datebounds import date_bounds_ordered
from form_schemas.dialect import normalise, readable
from form_schemas.kinds import (
    blocks_of,
    choice_options,
    json_type,
    kind_of,
    name_from_label,
    plain_key,
)
from form_schemas.problems import InvalidProcedure, SchemaProblem, pointer
from form_schemas.reader import RefError, follow

from .fields import (
    ALTERNATIVES,
    CHECKBOX,
    CHECKBOXES,
    FILE,
    GROUP,
    KIND_WIDGETS,
    MISSING,
    MULTISELECT,
    NAME_PREFIX,
    RADIO,
    REPEAT,
    SELECT,
    TEXT,
    WIDGET_HOOKS,
    Choice,
    Clause,
    Condition,
    Node,
    join,
)
from .widgets import input_type, render_attrs

Where = tuple[str | int, ...]

FIELD_KEYWORDS = frozenset(
    ["$comment", "$ref", "type", "title", "description", "default", "examples", "enum", "x-enumNames", "oneOf", "const", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format", "formatMinimum", "formatMaximum", "required", "minItems", "maxItems", "uniqueItems", "dependentRequired", "readOnly", "x-widget", "contentMediaType", "x-maxBytes", "properties", "items", "if", "then", "else", "allOf", "anyOf",
     # kept and ignored: annotations, and what `normalise` has already rewritten
     "$id", "$anchor", "deprecated", "writeOnly", "additionalProperties", "dependencies", "dependentSchemas"]
)
ROOT_KEYWORDS = FIELD_KEYWORDS | {"$schema", "$defs", "definitions"}
CONSTRAINT_KEYWORDS = FIELD_KEYWORDS - {"$ref", "anyOf"}
CONDITION_KEYWORDS = frozenset(("properties", "required", "$comment"))
CLAUSE_KEYWORDS = frozenset(("const", "enum", "$comment", "title", "description"))
TYPES = frozenset(("string", "integer", "number", "boolean", "object", "array"))
SCALARS = frozenset(("string", "integer", "number", "boolean"))
RADIO_LIMIT = 5  # up to this many choices are radio buttons, more a select

YES_NO = (
    Choice("true", True, "Có", "Yes"),
    Choice("false", False, "Không", "No"),
)


class UnsupportedForm(InvalidProcedure):
    """The document uses a construct the form engine cannot draw; nothing is dropped silently."""


class _Compiler:
    def __init__(self, document: Mapping[str, Any]):
        self.document = document
        defs = document.get("$defs")
        self.defs: Mapping[str, Any] = defs if isinstance(defs, Mapping) else {}
        self.problems: list[SchemaProblem] = []
        self.warnings: list[SchemaProblem] = []
        self.expanding: list[str] = []

    def refuse(self, where: Where, vi: str, en: str) -> None:
        self.problems.append(SchemaProblem(pointer(where), vi, en))

    # -- $ref ---------------------------------------------------------------------------------
    def deref(self, schema: Mapping[str, Any], where: Where) -> tuple[dict[str, Any], list[str]] | None:
        try:
            return follow(schema, self.defs, self.expanding)
        except RefError as problem:
            self.refuse(where, problem.message_vi, problem.message_en)
            return None

    def compile(self, schema: Any, where: Where, key: str | None, pattern: str, required: bool, depth: int) -> Node | None:
        if not isinstance(schema, Mapping):
            self.refuse(where, "Trường phải là một đối tượng JSON Schema", "A field must be a JSON Schema object")
            return None
        resolved = self.deref(schema, where)
        if resolved is None:
            return None
        schema, names = resolved
        self.expanding += names
        try:
            return self.node(schema, where, key, pattern, required, depth)
        finally:
            del self.expanding[len(self.expanding) - len(names) :]

    # -- nodes ----------------------------------------------------------------------------------
    def node(self, schema: dict[str, Any], where: Where, key: str | None, pattern: str, required: bool, depth: int) -> Node | None:
        allowed = ROOT_KEYWORDS if not where else FIELD_KEYWORDS
        unknown = sorted(word for word in set(schema) - allowed if not word.startswith("x-"))
        if unknown:
            self.refuse(
                where,
                f"Biểu mẫu không hỗ trợ từ khóa: {', '.join(unknown)}",
                f"Keywords not supported in forms: {', '.join(unknown)}",
            )
        kind = json_type(schema)
        if kind is None:
            self.refuse(
                where,
                "Thiếu 'type' (và không suy ra được từ enum/const) hoặc 'type' không phải một trong "
                "string, integer, number, boolean, object, array",
                "'type' is missing (and cannot be inferred from enum/const) or not one of "
                "string, integer, number, boolean, object, array",
            )
            return None
        if key is not None and not schema.get("title"):
            self.warnings.append(SchemaProblem(
                pointer(where), f"trường không có 'title': người dân sẽ thấy nhãn thay thế “{readable(key)}”",
                f"the field has no 'title': citizens will see the fallback label “{readable(key)}”"))
        for word in ("if", "then", "else"):
            if word in schema:
                self.constraint(schema[word], (*where, word), schema if kind == "object" else None)
        for index, member in enumerate(_list(schema.get("allOf"))):
            self.constraint(member, (*where, "allOf", index), schema if kind == "object" else None)
        if schema.get("type") != kind:
            schema = {**schema, "type": kind}  # inferred or nullable: the widgets read one type
        if "anyOf" in schema and blocks_of(schema) is None:
            self.refuse(where, "anyOf chỉ dùng cho các khối lựa chọn (mỗi khối là một object có title)",
                        "anyOf is only for alternatives (blocks that are objects with a title)")
        if kind == "object" and "properties" not in schema and blocks_of(schema) is not None:
            return self.alternatives(schema, where, key, pattern, required, depth)
        if kind == "object":
            return self.group(schema, where, key, pattern, required, depth)
        if kind == "array":
            return self.array(schema, where, key, pattern, required, depth)
        return self.leaf(schema, where, key, pattern, required, depth, kind)

    def group(self, schema: dict[str, Any], where: Where, key: str | None, pattern: str, required: bool, depth: int) -> Node | None:
        properties = schema.get("properties")
        label = _label(schema, key)
        if not isinstance(properties, Mapping) or not properties:
            # drawn as nothing (a builder's fresh group, a form still to write): a warning, not a refusal
            if where:
                self.warnings.append(SchemaProblem(
                    pointer(where), f"nhóm '{label}' chưa có trường nào: không hiện trên biểu mẫu, và bản nháp chưa "
                    "trình duyệt được cho đến khi thêm trường hoặc xóa nhóm",
                    f"group '{label}' has no fields yet: it is not shown on the form, and the draft "
                    "cannot be submitted for review until it gets fields or is deleted"))
            else:
                self.warnings.append(SchemaProblem(
                    "/properties", "biểu mẫu trực tuyến chưa có trường nào: người dân không có gì để khai",
                    "the online form has no fields yet: citizens have nothing to fill in"))
            properties = {}
        if "x-widget" in schema:
            self.refuse(where, "x-widget không dùng cho nhóm (object)", "x-widget cannot be used on a group (object)")
        if schema.get("readOnly"):
            self.refuse(where, "readOnly chỉ dùng cho trường đơn, không cho nhóm", "readOnly applies to single fields, not groups")
        needed = set(_names(schema.get("required"))) | _required_in_all_of(schema)
        for name in sorted(needed - set(properties)):
            self.refuse(
                (*where, "required"),
                f"Trường bắt buộc '{name}' không có trong properties",
                f"Required field '{name}' is not among the properties",
            )
        self.check_dependent(schema, where, properties)
        children = []
        for name, sub in properties.items():
            child = self.compile(sub, (*where, "properties", name), name, join(pattern, name), name in needed, depth)
            if child is not None:
                children.append(child)
        self.conditions(schema, {child.key: child for child in children if child.key}, needed)
        return Node(
            key=key,
            pattern=pattern,
            widget=GROUP,
            type="object",
            label=label,
            help=str(schema.get("description", "")),
            required=required,
            default=schema.get("default", MISSING),
            children=children,
            depth=depth,
        )

    def array(self, schema: dict[str, Any], where: Where, key: str | None, pattern: str, required: bool, depth: int) -> Node | None:
        label = _label(schema, key)
        items = schema.get("items")
        if not isinstance(items, Mapping):
            self.refuse(where, f"Danh sách '{label}' thiếu 'items'", f"List '{label}' has no 'items'")
            return None
        resolved = self.deref(items, (*where, "items"))
        if resolved is None:
            return None
        item_schema = resolved[0]
        min_items = int(schema.get("minItems", 0))
        max_items = schema.get("maxItems")
        if max_items is not None and max_items < min_items:
            self.refuse(where, "maxItems nhỏ hơn minItems", "maxItems is less than minItems")
        hint = schema.get("x-widget")
        common = dict(
            key=key,
            pattern=pattern,
            type="array",
            label=label,
            help=str(schema.get("description", "")),
            required=required,
            default=schema.get("default", MISSING),
            min_items=min_items,
            max_items=max_items,
            depth=depth,
            examples=tuple(_list(schema.get("examples"))),
        )
        found = kind_of({**schema, "items": item_schema})
        if found is not None and found.name == "multi_choice":
            for word in sorted(w for w in set(item_schema) - FIELD_KEYWORDS if not w.startswith("x-")):
                self.refuse((*where, "items"), f"Biểu mẫu không hỗ trợ từ khóa: {word}", f"Keyword not supported in forms: {word}")
            if hint not in (None, "checkboxes", "select"):
                self.refuse(
                    where,
                    f"x-widget '{hint}' không dùng được cho danh sách lựa chọn (dùng checkboxes hoặc select)",
                    f"x-widget '{hint}' does not fit a multiple choice (use checkboxes or select)",
                )
            choices = self.choices(item_schema, (*where, "items"))
            widget = MULTISELECT if hint == "select" else CHECKBOXES
            return Node(widget=widget, choices=choices, **common)  # type: ignore[arg-type]
        if hint is not None:
            self.refuse(
                where,
                f"x-widget '{hint}' không dùng được cho nhóm lặp lại",
                f"x-widget '{hint}' does not fit a repeating group",
            )
        item = self.compile(items, (*where, "items"), None, f"{pattern}-#", False, depth + 1)
        if item is None:
            return None
        return Node(widget=REPEAT, item=item, **common)  # type: ignore[arg-type]

    def leaf(self, schema: dict[str, Any], where: Where, key: str | None, pattern: str, required: bool, depth: int, kind: str) -> Node | None:
        label = _label(schema, key)
        hint = schema.get("x-widget")
        choices: tuple[Choice, ...] = ()
        if "enum" in schema or "oneOf" in schema:
            choices = self.choices(schema, where)
        elif "x-enumNames" in schema:
            self.refuse(where, "x-enumNames cần đi kèm enum", "x-enumNames needs an enum")
        found = kind_of(schema)
        kind_name = found.name if found is not None else "text"
        widget = KIND_WIDGETS.get(kind_name, TEXT)  # the registry's kind -> its default widget
        if kind_name == "yes_no":
            if schema.get("const") is True:
                widget = CHECKBOX
            else:
                choices = YES_NO
        # x-widget hints, checked against the kind
        if hint == "file":
            if kind != "string" or choices:
                self.refuse(where, "Trường tệp phải là {\"type\": \"string\"} không có enum", "A file field must be a plain string")
        elif hint == "textarea":
            if kind != "string" or choices:
                self.refuse(where, "textarea chỉ dùng cho chuỗi tự do", "textarea is for free text only")
        elif hint in ("radio", "select"):
            if not choices:
                self.refuse(where, f"x-widget '{hint}' cần enum hoặc oneOf", f"x-widget '{hint}' needs an enum or oneOf")
            widget = RADIO if hint == "radio" else SELECT
        elif hint == "checkboxes":
            self.refuse(
                where,
                "checkboxes chỉ dùng cho danh sách (array) các lựa chọn",
                "checkboxes is for an array of choices only",
            )
        elif widget == RADIO and len(choices) > RADIO_LIMIT:
            widget = SELECT
        if widget != FILE and ("contentMediaType" in schema or "x-maxBytes" in schema):
            self.refuse(
                where,
                "contentMediaType và x-maxBytes chỉ dùng cho trường tệp (x-widget: file)",
                "contentMediaType and x-maxBytes are for file fields (x-widget: file) only",
            )
        if ("formatMinimum" in schema or "formatMaximum" in schema) and schema.get("format") != "date":
            self.refuse(
                where,
                "formatMinimum và formatMaximum chỉ dùng cho trường ngày (format: date)",
                "formatMinimum and formatMaximum are for date fields (format: date) only",
            )
        elif not date_bounds_ordered(schema):
            self.refuse(where, "formatMinimum phải không sau formatMaximum",
                        "formatMinimum must not be after formatMaximum")
        control = WIDGET_HOOKS[widget]  # the widget's own reading of the schema
        rule = control.file_rule(schema)
        attrs = control.attrs(schema, rule)
        return Node(
            key=key,
            pattern=pattern,
            widget=widget,
            type=kind,
            label=label,
            help=str(schema.get("description", "")),
            required=required,
            read_only=bool(schema.get("readOnly")),
            default=schema.get("default", MISSING),
            const=schema.get("const", MISSING),
            format=schema.get("format") if kind == "string" else None,
            input_type=input_type(schema),
            attrs=render_attrs(attrs),
            choices=choices,
            file_rule=rule,
            depth=depth,
            examples=tuple(_list(schema.get("examples"))),
        )

    def choices(self, schema: Mapping[str, Any], where: Where) -> tuple[Choice, ...]:
        """The options (form_schemas.kinds.choice_options), once their shape is checked."""
        if "oneOf" in schema:
            if "enum" in schema:
                self.refuse(where, "Không dùng cùng lúc enum và oneOf", "Use either enum or oneOf, not both")
            for index, option in enumerate(_list(schema["oneOf"])):
                if not isinstance(option, Mapping) or "const" not in option or set(option) - {"const", "title", "description"}:
                    self.refuse(
                        (*where, "oneOf", index),
                        "Mỗi lựa chọn của oneOf phải có dạng {const, title}",
                        "Each oneOf option must be {const, title}",
                    )
        else:
            names = schema.get("x-enumNames")
            if names is not None and (not isinstance(names, list) or len(names) != len(_list(schema.get("enum")))):
                self.refuse(where, "x-enumNames phải có đúng số phần tử như enum", "x-enumNames must match enum in length")
        found = choice_options(schema)
        for index, option in enumerate(found):
            if option.value is None or isinstance(option.value, dict | list):
                self.refuse(where, f"Lựa chọn thứ {index + 1} phải là chữ, số hoặc đúng/sai", f"Choice {index + 1} must be text, a number or true/false")
        keys = [plain_key(option.value) for option in found]
        if len(set(keys)) != len(keys) or "" in keys:
            keys = [str(index) for index in range(len(found))]
        return tuple(Choice(key, o.value, o.label, None, o.hint) for key, o in zip(keys, found, strict=True))

    def alternatives(self, schema: dict[str, Any], where: Where, key: str | None, pattern: str, required: bool,
                     depth: int) -> Node | None:
        """oneOf/anyOf of titled object blocks: a radio choice of blocks, then the chosen block."""
        label = _label(schema, key)
        entries, word = blocks_of(schema) or ([], "oneOf")
        if key is None:
            self.refuse(where, "Các khối lựa chọn không thể là phần tử trực tiếp của danh sách; hãy đặt chúng trong một nhóm",
                        "Alternatives cannot be a list's items directly; put them inside a group")
            return None
        for word_ in ("x-widget", "readOnly", "const", "enum"):
            if word_ in schema:
                self.refuse(where, f"{word_} không dùng cho các khối lựa chọn", f"{word_} cannot be used on alternatives")
        blocks: list[Node] = []
        choices: list[Choice] = []
        taken: set[str] = set()
        for index, entry in enumerate(entries):
            here = (*where, word, index)
            resolved = self.deref(entry, here)
            if resolved is None:
                continue
            title = str(resolved[0].get("title") or f"{label} {index + 1}")
            block_key = name_from_label(title, taken)
            taken.add(block_key)
            block = self.compile(entry, here, block_key, join(pattern, block_key), False, depth)
            if block is None:
                continue
            if block.widget != GROUP:
                self.refuse(here, "Mỗi khối lựa chọn phải là một nhóm (object)", "Each alternative must be a group (object)")
                continue
            block.show_when = (Condition((Clause(key, (block_key,), True),)),)
            blocks.append(block)
            choices.append(Choice(block_key, index, block.label))  # its help is shown in the block
        return Node(
            key=key,
            pattern=pattern,
            widget=ALTERNATIVES,
            type="object",
            label=label,
            help=str(schema.get("description", "")),
            required=required,
            default=schema.get("default", MISSING),
            choices=tuple(choices),
            children=blocks,
            depth=depth,
        )

    # -- constraints and conditions ---------------------------------------------------------
    def constraint(self, schema: Any, where: Where, owner: Mapping[str, Any] | None) -> None:
        """Check a sub-schema of if/then/else/allOf: known keywords, declared properties only."""
        if not isinstance(schema, Mapping):
            if not isinstance(schema, bool):
                self.refuse(where, "Điều kiện phải là một đối tượng JSON Schema", "A condition must be a JSON Schema object")
            return
        unknown = sorted(set(schema) - CONSTRAINT_KEYWORDS)
        if unknown:
            self.refuse(
                where,
                f"Biểu mẫu không hỗ trợ từ khóa trong điều kiện: {', '.join(unknown)}",
                f"Keywords not supported in conditions: {', '.join(unknown)}",
            )
        if owner is not None:
            declared = owner.get("properties") or {}
            for name in _names_of(schema.get("properties")):
                if name not in declared:
                    self.refuse(
                        (*where, "properties", name),
                        f"Trường '{name}' chỉ có trong điều kiện; hãy khai báo nó trong properties (kèm title)",
                        f"Field '{name}' appears only in a condition; declare it under properties (with a title)",
                    )
            for name in _names(schema.get("required")):
                if name not in declared:
                    self.refuse(
                        (*where, "required"),
                        f"Trường bắt buộc '{name}' không có trong properties",
                        f"Required field '{name}' is not among the properties",
                    )
            self.check_dependent(schema, where, declared)
        for word in ("if", "then", "else"):
            if word in schema:
                self.constraint(schema[word], (*where, word), owner)
        for index, member in enumerate(_list(schema.get("allOf"))):
            self.constraint(member, (*where, "allOf", index), owner)
        items = schema.get("items")
        if items is not None:
            self.constraint(items, (*where, "items"), None)
        for name, sub in (schema.get("properties") or {}).items() if isinstance(schema.get("properties"), Mapping) else ():
            self.constraint(sub, (*where, "properties", name), None)

    def check_dependent(self, schema: Mapping[str, Any], where: Where, declared: Mapping[str, Any]) -> None:
        dependent = schema.get("dependentRequired")
        if not isinstance(dependent, Mapping):
            return
        for name, needed in dependent.items():
            for other in [name, *_names(needed)]:
                if other not in declared:
                    self.refuse(
                        (*where, "dependentRequired", name),
                        f"dependentRequired nhắc tới trường '{other}' không có trong properties",
                        f"dependentRequired names '{other}', which is not among the properties",
                    )

    def conditions(self, schema: Mapping[str, Any], children: dict[str, Node], needed: set[str]) -> None:
        """Fields required only under a condition are shown only when it holds (when we can tell)."""
        shown: dict[str, list[Condition | None]] = {}
        for if_schema, then_schema, else_schema in _conditionals(schema):
            condition = self.condition(if_schema, children)
            for branch, negate in ((then_schema, False), (else_schema, True)):
                if not isinstance(branch, Mapping):
                    continue
                for name in _names(branch.get("required")):
                    if name in needed or name not in children:
                        continue
                    if condition is None or any(clause.key == name for clause in condition.clauses):
                        shown.setdefault(name, []).append(None)
                    else:
                        shown.setdefault(name, []).append(Condition(condition.clauses, negate))
                # requirements nested deeper in the branch: shown always, the server decides
                for name in _required_in_all_of(branch) | _required_in_conditionals(branch):
                    if name in children and name not in needed:
                        shown.setdefault(name, []).append(None)
        for name, conditions in shown.items():
            child = children[name]
            child.conditional = True
            child.show_when = () if None in conditions else tuple(c for c in conditions if c is not None)
        self.narrowing(schema, children)

    def narrowing(self, schema: Mapping[str, Any], children: dict[str, Node]) -> None:
        """`if A = v then B ∈ [...]` on two choices: B's options under each value of A, so the
        browser offers only those (a commune list under its province); the server still decides."""
        allowed: dict[str, dict[str, list[str]]] = {}
        by: dict[str, str] = {}
        for if_schema, then_schema, _else in _conditionals(schema):
            condition = self.condition(if_schema, children)
            if condition is None or condition.negate or len(condition.clauses) != 1:
                continue
            clause = condition.clauses[0]
            props = then_schema.get("properties") if isinstance(then_schema, Mapping) else None
            if clause.values is None or not isinstance(props, Mapping) or set(then_schema) != {"properties"}:
                continue
            for name, sub in props.items():
                node = children.get(name)
                if node is None or not node.choices or not isinstance(sub, Mapping) or set(sub) != {"enum"}:
                    continue
                if by.setdefault(name, clause.key) != clause.key:
                    continue  # narrowed by two fields: the browser offers every option
                for value in _list(sub["enum"]):
                    allowed.setdefault(name, {}).setdefault(node.choice_key(value), []).extend(clause.values)
        for name, options in allowed.items():
            node = children[name]
            node.narrowed_by = NAME_PREFIX + by[name]
            node.narrow_values = {key: tuple(dict.fromkeys(values)) for key, values in options.items()}

    def condition(self, schema: Any, children: dict[str, Node]) -> Condition | None:
        """An `if` the browser can evaluate: siblings equal to constants, or filled in."""
        if not isinstance(schema, Mapping) or set(schema) - CONDITION_KEYWORDS:
            return None
        required = set(_names(schema.get("required")))
        clauses = []
        properties = schema.get("properties") or {}
        if not isinstance(properties, Mapping):
            return None
        for name, sub in properties.items():
            node = children.get(name)
            if node is None or not WIDGET_HOOKS[node.widget].compared or node.read_only:
                return None
            if not isinstance(sub, Mapping) or set(sub) - CLAUSE_KEYWORDS:
                return None
            if "const" in sub:
                values: tuple[str, ...] | None = (node.choice_key(sub["const"]),)
            elif "enum" in sub:
                values = tuple(node.choice_key(value) for value in _list(sub["enum"]))
            else:
                values = None
            clauses.append(Clause(name, values, name in required))
        for name in sorted(required - set(properties)):
            node = children.get(name)
            if node is None or not WIDGET_HOOKS[node.widget].tested_filled:
                return None
            clauses.append(Clause(name, None, True))
        return Condition(tuple(clauses)) if clauses else None


def _label(schema: Mapping[str, Any], key: str | None) -> str:
    """The title; else the property name made readable ("full_name" -> "Full name")."""
    return str(schema.get("title") or (readable(key) if key else ""))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _names(value: Any) -> list[str]:
    return [name for name in _list(value) if isinstance(name, str)]


def _names_of(value: Any) -> list[str]:
    return list(value) if isinstance(value, Mapping) else []


def _required_in_all_of(schema: Mapping[str, Any]) -> set[str]:
    """Names required unconditionally through allOf members."""
    found: set[str] = set()
    for member in _list(schema.get("allOf")):
        if isinstance(member, Mapping):
            found |= set(_names(member.get("required"))) | _required_in_all_of(member)
    return found


def _required_in_conditionals(schema: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    for _, then_schema, else_schema in _conditionals(schema):
        for branch in (then_schema, else_schema):
            if isinstance(branch, Mapping):
                found |= set(_names(branch.get("required"))) | _required_in_all_of(branch)
                found |= _required_in_conditionals(branch)
    return found


def _conditionals(schema: Mapping[str, Any]) -> list[tuple[Any, Any, Any]]:
    """Every (if, then, else) of an object, directly or inside allOf."""
    found = []
    if "if" in schema:
        found.append((schema["if"], schema.get("then"), schema.get("else")))
    for member in _list(schema.get("allOf")):
        if isinstance(member, Mapping):
            found += _conditionals(member)
    return found


def _finish(node: Node) -> None:
    """Precompute what rendering and decoding need, once."""
    for each in node.walk():
        each.label_html = escape(each.label)
        each.help_html = escape(each.help).replace("\n", "<br>")
        each.choice_values = {choice.key: choice.value for choice in each.choices}
        if each.show_when:
            data = [
                {"all": [[NAME_PREFIX + c.key, list(c.values) if c.values is not None else None, c.present] for c in cond.clauses], "not": cond.negate}
                for cond in each.show_when
            ]
            each.show_json = escape(json.dumps(data, ensure_ascii=False), quote=True)




def compile_tree(document: Mapping[str, Any], warnings: list[SchemaProblem] | None = None, *, finish: bool = True) -> Node:
    """The form tree of a procedure document; raises UnsupportedForm listing every problem.

    `document` is read as `form_schemas.dialect.normalise` reads it. Fallback labels are
    added to `warnings` when a list is given.
    """
    if not isinstance(document, Mapping):
        raise UnsupportedForm([SchemaProblem("", "Tài liệu phải là một đối tượng JSON", "The document must be a JSON object")])
    document = normalise(document)
    compiler = _Compiler(document)
    if document.get("type") != "object":
        compiler.refuse(("type",), "Thủ tục phải có \"type\": \"object\"", "A procedure must have \"type\": \"object\"")
    root = compiler.compile(document, (), None, "", True, 0)
    if compiler.problems or root is None:
        raise UnsupportedForm(sorted(set(compiler.problems)) or [SchemaProblem("", "Không tạo được biểu mẫu", "No form could be built")])
    if warnings is not None:
        warnings.extend(sorted(set(compiler.warnings)))
    if finish:  # what drawing needs; a validation-only compile skips it
        _finish(root)
    return root


def form_problems(document: Mapping[str, Any]) -> tuple[list[SchemaProblem], list[SchemaProblem]]:
    """(errors, warnings) of drawing this document as a citizen form: the compiler's own checks."""
    warnings: list[SchemaProblem] = []
    try:
        compile_tree(document, warnings, finish=False)
    except UnsupportedForm as unsupported:
        return unsupported.problems, []
    return [], warnings
