"""Rules on procedure documents that a meta-schema cannot express."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from form_schemas.kinds import blocks_of
from form_schemas.problems import SchemaProblem, pointer
from form_schemas.reader import DEFS_KEYS, definitions, field_at, ref_name, resolve
from form_schemas.regexes import pattern_problem

MAX_FORM_DEPTH = 8
MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_JSON_NESTING = 64

Path = list[str | int]


def json_nesting(value: Any, limit: int = MAX_JSON_NESTING) -> int:
    """Nesting depth of a JSON value, stopping once it passes `limit`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest


def semantic_problems(doc: dict[str, Any]) -> Iterator[SchemaProblem]:
    """Every cross-field rule: references, regexes, names, document links, depth."""
    defs = definitions(doc)
    yield from _refs(doc, defs)
    yield from _walk_form(doc, [], defs, depth=0)
    for key in ("if", "then", "else"):
        if isinstance(doc.get(key), dict):
            yield from _walk_constraint(doc[key], [key])
    for i, sub in enumerate(doc.get("allOf") or []):
        if isinstance(sub, dict):
            yield from _walk_constraint(sub, ["allOf", i])
    for section in DEFS_KEYS:
        for name, field in (doc.get(section) if isinstance(doc.get(section), dict) else {}).items():
            if isinstance(field, dict):
                yield from _walk_form(field, [section, name], defs, depth=1)
    proc = doc.get("x-procedure")
    if isinstance(proc, dict):
        yield from _procedure_rules(doc, proc, defs)


def _refs(doc: dict[str, Any], defs: dict[str, Any]) -> Iterator[SchemaProblem]:
    """Only local `$ref`s into `$defs`, existing and without cycles."""
    graph: dict[str, set[str]] = {name: set() for name in defs}

    def visit(node: Any, path: Path, owner: str | None) -> Iterator[SchemaProblem]:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#"):
                    yield SchemaProblem(
                        pointer([*path, "$ref"]),
                        f"không cho phép $ref tới tài liệu bên ngoài: '{ref}'",
                        f"remote $ref is not allowed: '{ref}'",
                    )
                elif (target := ref_name(ref)) is not None:
                    if target not in defs:
                        yield SchemaProblem(
                            pointer([*path, "$ref"]),
                            f"$ref trỏ tới định nghĩa không tồn tại: '{ref}'",
                            f"$ref points to a missing definition: '{ref}'",
                        )
                    elif owner is not None:
                        graph[owner].add(target)
            for key, child in node.items():
                if key in ("const", "default", "examples", "enum", "x-procedure") or key.startswith("x-"):
                    continue
                yield from visit(child, [*path, key], owner)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                yield from visit(child, [*path, i], owner)

    for key, value in doc.items():
        if key in DEFS_KEYS and isinstance(value, dict):
            for name, sub in value.items():
                yield from visit(sub, [key, name], name)
        elif not key.startswith("x-"):
            yield from visit(value, [key], None)
    yield from _cycles(graph)


def _cycles(graph: dict[str, set[str]]) -> Iterator[SchemaProblem]:
    state: dict[str, int] = {}

    def dfs(name: str) -> bool:
        state[name] = 1
        for nxt in graph.get(name, ()):
            if state.get(nxt) == 1 or (state.get(nxt) is None and dfs(nxt)):
                return True
        state[name] = 2
        return False

    for name in sorted(graph):
        if state.get(name) is None and dfs(name):
            yield SchemaProblem(
                pointer(["$defs", name]),
                "định nghĩa tham chiếu vòng tròn tới chính nó qua $ref",
                "definition refers back to itself through $ref (cycle)",
            )
            return


def _walk_form(node: dict[str, Any], path: Path, defs: dict[str, Any], depth: int) -> Iterator[SchemaProblem]:
    """Checks on one form property (or the root) and everything beneath it."""
    if depth > MAX_FORM_DEPTH:
        yield SchemaProblem(
            pointer(path),
            f"biểu mẫu lồng quá {MAX_FORM_DEPTH} cấp",
            f"form nests deeper than {MAX_FORM_DEPTH} levels",
        )
        return
    yield from _field_rules(node, path)
    props = node.get("properties")
    if isinstance(props, dict):
        yield from _names_exist(node, path, props)
        for name, child in props.items():
            if isinstance(child, dict):
                yield from _walk_form(child, [*path, "properties", name], defs, depth + 1)
    items = node.get("items")
    if isinstance(items, dict):  # a repeating group is one level, like a fieldset
        yield from _walk_form(items, [*path, "items"], defs, depth)
    found = blocks_of(node) if path else None
    if found is not None:  # alternatives: each block is a group of the form
        for i, block in enumerate(found[0]):
            if isinstance(block, dict):
                yield from _walk_form(block, [*path, found[1], i], defs, depth + 1)
    for key in ("if", "then", "else"):
        if isinstance(node.get(key), dict) and path:
            yield from _walk_constraint(node[key], [*path, key])
    if path:
        for i, sub in enumerate(node.get("allOf") or []):
            if isinstance(sub, dict):
                yield from _walk_constraint(sub, [*path, "allOf", i])


def _walk_constraint(node: dict[str, Any], path: Path) -> Iterator[SchemaProblem]:
    yield from _field_rules(node, path)
    for name, child in (node.get("properties") or {}).items():
        if isinstance(child, dict):
            yield from _walk_constraint(child, [*path, "properties", name])
    if isinstance(node.get("items"), dict):
        yield from _walk_constraint(node["items"], [*path, "items"])
    for key in ("if", "then", "else"):
        if isinstance(node.get(key), dict):
            yield from _walk_constraint(node[key], [*path, key])
    for i, sub in enumerate(node.get("allOf") or []):
        if isinstance(sub, dict):
            yield from _walk_constraint(sub, [*path, "allOf", i])


def _names_exist(node: dict[str, Any], path: Path, props: dict[str, Any]) -> Iterator[SchemaProblem]:
    """`required` and `dependentRequired` may only name properties that exist."""
    for i, name in enumerate(node.get("required") or []):
        if isinstance(name, str) and name not in props:
            yield SchemaProblem(
                pointer([*path, "required", i]),
                f"'{name}' bắt buộc nhưng không có trong properties",
                f"'{name}' is required but not defined in properties",
            )
    for key, names in (node.get("dependentRequired") or {}).items():
        for name in [key, *(names if isinstance(names, list) else [])]:
            if isinstance(name, str) and name not in props:
                yield SchemaProblem(
                    pointer([*path, "dependentRequired", key]),
                    f"'{name}' không có trong properties",
                    f"'{name}' is not defined in properties",
                )


ALTERNATIVES = (
    "oneOf/anyOf giữa các khối trường: mỗi khối phải là một đối tượng (object) có 'title' — người dân chọn "
    "khối theo tên đó; hoặc, cho một lựa chọn đơn, mỗi lựa chọn có dạng {const, title}",
    "oneOf/anyOf between blocks of fields: each block must be an object with a 'title' (citizens pick "
    "a block by it); or, for a single choice, each option must be {const, title}",
)


def block_alternatives(node: dict[str, Any], path: Path) -> Iterator[SchemaProblem]:
    """`oneOf`/`anyOf` of objects must be alternatives (form_schemas/kinds.py): titled blocks."""
    if blocks_of(node) is not None:
        return
    for key in ("oneOf", "anyOf"):
        options = node.get(key)
        if isinstance(options, list) and any(
            isinstance(o, dict) and ("properties" in o or o.get("type") == "object" or "required" in o) for o in options
        ):
            yield SchemaProblem(pointer([*path, key]), *ALTERNATIVES)


def _field_rules(node: dict[str, Any], path: Path) -> Iterator[SchemaProblem]:
    yield from block_alternatives(node, path)
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        reason = pattern_problem(pattern)
        if reason:
            yield SchemaProblem(pointer([*path, "pattern"]), *reason)
    names, enum = node.get("x-enumNames"), node.get("enum")
    if isinstance(names, list) and (not isinstance(enum, list) or len(names) != len(enum)):
        yield SchemaProblem(
            pointer([*path, "x-enumNames"]),
            "x-enumNames phải có đúng số nhãn bằng số giá trị của enum",
            "x-enumNames must have exactly one label per enum value",
        )
    for low, high in (("minLength", "maxLength"), ("minimum", "maximum"), ("minItems", "maxItems")):
        lo, hi = node.get(low), node.get(high)
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            yield SchemaProblem(
                pointer([*path, low]),
                f"{low} ({lo}) lớn hơn {high} ({hi})",
                f"{low} ({lo}) is greater than {high} ({hi})",
            )
    if node.get("x-widget") == "file" and node.get("type") not in (None, "string"):
        yield SchemaProblem(
            pointer([*path, "type"]),
            "trường tải tệp phải có type 'string'",
            "a file field must have type 'string'",
        )


def _procedure_rules(doc: dict[str, Any], proc: dict[str, Any], defs: dict[str, Any]) -> Iterator[SchemaProblem]:
    documents = proc.get("documents") if isinstance(proc.get("documents"), list) else []
    seen_ids: set[str] = set()
    for i, item in enumerate(documents):
        if not isinstance(item, dict):
            continue
        doc_id = item.get("id")
        if isinstance(doc_id, str):
            if doc_id in seen_ids:
                yield SchemaProblem(
                    pointer(["x-procedure", "documents", i, "id"]),
                    f"mã giấy tờ '{doc_id}' bị trùng",
                    f"document id '{doc_id}' is used twice",
                )
            seen_ids.add(doc_id)
        field = item.get("field")
        if isinstance(field, str):
            target = field_at(doc, field)
            if target is None or target.get("x-widget") != "file":
                yield SchemaProblem(
                    pointer(["x-procedure", "documents", i, "field"]),
                    f"'{field}' không phải là một trường tải tệp của biểu mẫu",
                    f"'{field}' names no file field of the form",
                )
    channels = proc.get("channels") if isinstance(proc.get("channels"), list) else []
    modes: set[str] = set()
    for i, channel in enumerate(channels):
        mode = channel.get("mode") if isinstance(channel, dict) else None
        if isinstance(mode, str):
            if mode in modes:
                yield SchemaProblem(
                    pointer(["x-procedure", "channels", i, "mode"]),
                    f"cách thức '{mode}' xuất hiện hai lần",
                    f"channel mode '{mode}' appears twice",
                )
            modes.add(mode)
        fees = channel.get("fees") if isinstance(channel, dict) else None
        for j, fee in enumerate(fees if isinstance(fees, list) else []):
            if isinstance(fee, dict):
                yield from _fee_rules(fee, ["x-procedure", "channels", i, "fees", j])
                yield from _quantity_rules(doc, fee, ["x-procedure", "channels", i, "fees", j])
    review = proc.get("review") if isinstance(proc.get("review"), list) else []
    for i, mark in enumerate(review):
        where = mark.get("pointer") if isinstance(mark, dict) else None
        if isinstance(where, str) and where.startswith("/") and not _parent_resolves(doc, where):
            yield SchemaProblem(
                pointer(["x-procedure", "review", i, "pointer"]),
                f"'{where}' không trỏ tới một chỗ nào của tài liệu",
                f"'{where}' points nowhere in the document",
            )


def _fee_rules(fee: dict[str, Any], path: Path) -> Iterator[SchemaProblem]:
    """A fee has an amount or a basis saying why it has none, never both; tiers need an amount."""
    has_amount, has_basis = "amount" in fee, "basis" in fee
    if not has_amount and not has_basis:
        yield SchemaProblem(
            pointer(path),
            "khoản phí phải có số tiền (amount) hoặc căn cứ khi chưa có số tiền (basis: "
            "set_by_province, per_regulation, to_check)",
            "a fee needs an amount, or a basis saying why it has none "
            "(set_by_province, per_regulation, to_check)",
        )
    elif has_amount and has_basis:
        yield SchemaProblem(
            pointer([*path, "basis"]),
            "khoản phí đã có số tiền thì không ghi căn cứ chưa có số tiền (basis)",
            "a fee with an amount takes no basis",
        )
    if not has_amount:
        for key in ("tiers", "maximum"):
            if key in fee:
                yield SchemaProblem(
                    pointer([*path, key]),
                    f"'{key}' chỉ dùng khi khoản phí có số tiền (amount)",
                    f"'{key}' needs the fee's amount",
                )
    tiers = fee.get("tiers") if isinstance(fee.get("tiers"), list) else []
    starts = [tier.get("from") for tier in tiers if isinstance(tier, dict)]
    if any(not isinstance(n, int) for n in starts) or starts != sorted(set(starts)):
        yield SchemaProblem(
            pointer([*path, "tiers"]),
            "các bậc (tiers) phải xếp theo 'from' tăng dần, không trùng",
            "tiers must be in increasing 'from' order, without repeats",
        )


def _quantity_field(doc: dict[str, Any], where: str) -> str | None:
    """Why `where` does not name an integer field of the form (None when it does): each step a
    property, `*` (once) only to step into a repeating group's items."""
    if not where.startswith("/") or where == "/":
        return "không phải một JSON pointer (phải bắt đầu bằng «/», ví dụ «/so_ban»)"
    node: Any = resolve(doc, doc)
    steps = [part.replace("~1", "/").replace("~0", "~") for part in where[1:].split("/")]
    if steps.count("*") > 1:
        return "chỉ được dùng «*» một lần (một nhóm lặp lại)"
    for step in steps:
        if step == "*":
            if node.get("type") != "array" or not isinstance(node.get("items"), dict):
                return "«*» chỉ đứng sau một nhóm lặp lại (mảng) của biểu mẫu"
            node = resolve(doc, node["items"])
            continue
        if node.get("type") == "array":
            return f"trước «{step}» là một nhóm lặp lại: viết «*» cho từng dòng của nhóm (ví dụ /items/*/pages)"
        props = node.get("properties")
        if not isinstance(props, dict) or not isinstance(props.get(step), dict):
            return f"biểu mẫu không có trường «{step}» ở chỗ này"
        node = resolve(doc, props[step])
    if node.get("type") != "integer":
        return "trường này không phải một số nguyên (type: integer)"
    return None


def _quantity_rules(doc: dict[str, Any], fee: dict[str, Any], path: Path) -> Iterator[SchemaProblem]:
    """`quantity` and `times` name integer fields of the form; `times` with `*` goes with a
    `quantity` in the same repeating group."""
    for key in ("quantity", "times"):
        where = fee.get(key)
        if not isinstance(where, str):
            continue
        reason = _quantity_field(doc, where)
        if reason:
            yield SchemaProblem(
                pointer([*path, key]),
                f"'{where}' không chỉ tới một trường số nguyên của biểu mẫu: {reason}",
                f"'{where}' names no integer field of the form",
            )
    times, quantity = fee.get("times"), fee.get("quantity")
    if isinstance(times, str) and "*" in times.split("/"):
        group = times.split("/*/")[0]
        if not isinstance(quantity, str) or quantity.split("/*/")[0] != group or "/*/" not in quantity:
            yield SchemaProblem(
                pointer([*path, "times"]),
                f"'times' trong nhóm lặp lại '{group}' cần 'quantity' trong cùng nhóm đó",
                f"'times' inside the repeating group '{group}' needs a 'quantity' in the same group",
            )


def _parent_resolves(doc: dict[str, Any], where: str) -> bool:
    """True when every step of the pointer but the last exists (the last may be absent)."""
    node: Any = doc
    steps = [part.replace("~1", "/").replace("~0", "~") for part in where[1:].split("/")]
    for step in steps[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return False
    return isinstance(node, dict | list)
