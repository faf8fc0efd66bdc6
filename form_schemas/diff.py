"""A readable diff between two procedure documents: facts and form fields added, removed, changed.

Pure: two dicts in, a list of `Change`s out, each with a Vietnamese label an officer can read
("Kênh Trực tuyến: lệ phí", "Trường Họ và tên: nhãn"), its values worded as the site words them
and one sentence for the approver ("Thời hạn giải quyết: 3 ngày làm việc → 2 ngày làm việc").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from form_schemas.builder import field_tree
from form_schemas.wording import fee_text, money, processing_time_text

FACT_LABELS = {
    "code": "Mã thủ tục", "sector": "Lĩnh vực", "levels": "Cấp thực hiện",
    "subjects": "Đối tượng thực hiện", "agencies": "Cơ quan", "onlineService": "Dịch vụ công trực tuyến",
    "channels": "Cách thức thực hiện", "documents": "Thành phần hồ sơ", "steps": "Trình tự thực hiện",
    "results": "Kết quả", "conditions": "Yêu cầu, điều kiện", "legalBasis": "Căn cứ pháp lý",
    "publication": "Quyết định công bố", "effectiveFrom": "Ngày hiệu lực",
    "review": "Thông tin cần kiểm tra",
}
SUB_LABELS = {
    "competent": "cơ quan có thẩm quyền", "implementing": "cơ quan thực hiện",
    "authorized": "cơ quan được ủy quyền", "receivingAddress": "địa chỉ tiếp nhận",
    "coordinating": "cơ quan phối hợp", "level": "mức độ", "mode": "hình thức",
    "processingTime": "thời hạn giải quyết", "sameDayCutoff": "giờ tiếp nhận trong ngày",
    "fees": "phí, lệ phí", "name": "tên", "originals": "số bản chính", "copies": "số bản sao",
    "required": "bắt buộc", "case": "trường hợp", "action": "nộp hay xuất trình",
    "template": "mẫu đơn, tờ khai", "field": "trường tải tệp", "decision": "số quyết định",
    "date": "ngày", "issuer": "cơ quan ban hành",
    "amount": "số tiền", "kind": "loại", "note": "ghi chú", "currency": "đơn vị tiền",
    "per": "số tiền tính cho mỗi", "tiers": "mức thu theo bậc", "maximum": "mức thu tối đa",
    "basis": "căn cứ khi chưa có số tiền", "review": "thông tin cần kiểm tra",
}
CHANNEL_LABELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"}
FIELD_ATTRS = {
    "label": "nhãn", "help": "hướng dẫn", "required": "bắt buộc", "kind": "loại trường",
    "settings": "thiết lập", "condition": "điều kiện hiển thị", "schema": "lược đồ",
}


@dataclass(frozen=True)
class Change:
    """One difference: `area` is facts, form or document; `kind` added, removed or changed."""

    area: str
    kind: str
    path: str
    label: str
    old: Any = None
    new: Any = None

    @property
    def old_text(self) -> str:
        return show(self.old, self.path)

    @property
    def new_text(self) -> str:
        return show(self.new, self.path)

    @property
    def sentence(self) -> str:
        """The change in one sentence, as the approver reads it: "Thời hạn giải quyết (trực
        tiếp): 3 ngày làm việc → 2 ngày làm việc", "Thêm giấy tờ: …", "«Số điện thoại» trở
        thành bắt buộc"."""
        if self.path.endswith(":required") and isinstance(self.new, bool):
            field = self.label.split(" (")[0].removeprefix("Trường ")
            return f"{field} trở thành bắt buộc" if self.new else f"{field} không còn bắt buộc"
        if self.kind == "added":
            return f"Thêm {_lower_first(self.label)}: {self.new_text}"
        if self.kind == "removed":
            return f"Bỏ {_lower_first(self.label)}: {self.old_text}"
        return f"{self.label}: {self.old_text or 'Chưa có thông tin'} → {self.new_text or 'Chưa có thông tin'}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# JSON Schema keywords of a field's settings, in words (the builder's own names for them)
KEYWORD_WORDS = {
    "type": "kiểu", "format": "định dạng", "minLength": "ít nhất {} ký tự", "maxLength": "tối đa {} ký tự",
    "minimum": "nhỏ nhất {}", "maximum": "lớn nhất {}", "pattern": "mẫu kiểm tra {}",
    "enum": "các lựa chọn: {}", "minItems": "ít nhất {} dòng", "maxItems": "tối đa {} dòng",
    "default": "giá trị mặc định {}", "readOnly": "chỉ đọc", "contentMediaType": "loại tệp {}",
    "x-enumNames": "tên các lựa chọn: {}", "x-widget": "kiểu hiển thị {}",
}


def _keywords(settings: dict[str, Any]) -> str:
    parts = []
    for key, value in settings.items():
        words = KEYWORD_WORDS.get(key)
        shown = show(value)
        if words is None:
            parts.append(f"{key}: {shown}")
        elif "{}" in words:
            parts.append(words.format(shown))
        elif value is True:
            parts.append(words)
        else:
            parts.append(f"{words} {shown}")
    return "; ".join(parts)


def _document_text(item: dict[str, Any]) -> str:
    counts = []
    if item.get("originals"):
        counts.append(f"{item['originals']} bản chính")
    if item.get("copies"):
        counts.append(f"{item['copies']} bản sao")
    text = str(item.get("name") or item.get("id") or "")
    return f"{text} ({', '.join(counts)})" if counts else text


def show(value: Any, path: str = "") -> str:
    """A value as an officer reads it, worded by what it is (`path` says where it was): times,
    fees and amounts as the site writes them, documents by name and counts, field settings by
    the builder's words; never raw JSON for a fact the wording knows."""
    if value is None:
        return ""
    last = path.rsplit(".", 1)[-1].rsplit(":", 1)[-1]
    if last == "processingTime" and isinstance(value, dict):
        return processing_time_text(value)
    if last in ("amount", "maximum") and isinstance(value, int) and not isinstance(value, bool):
        return money(value)
    if last == "fees" and isinstance(value, list):
        return "; ".join(fee_text(fee) for fee in value if isinstance(fee, dict)) or "Không thu"
    if path.startswith("documents") and isinstance(value, dict) and "name" in value:
        return _document_text(value)
    if path.startswith("channels") and isinstance(value, dict) and "mode" in value:
        words = [CHANNEL_LABELS.get(value["mode"], value["mode"])]
        if "processingTime" in value:
            words.append(processing_time_text(value["processingTime"]))
        if value.get("fees"):
            words.append(show(value["fees"], "fees"))
        return ", ".join(words)
    if last == "schema" and isinstance(value, dict):
        return _keywords(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list):
        return "; ".join(show(v, path) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{SUB_LABELS.get(k, k)}: {show(v, k)}" for k, v in value.items())
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every readable difference from `old` to `new`: document, facts, then form fields."""
    changes: list[Change] = []
    for key, label in (("title", "Tên thủ tục"), ("description", "Mô tả")):
        if old.get(key) != new.get(key):
            changes.append(_change("document", key, label, old.get(key), new.get(key)))
    changes += _facts(old.get("x-procedure") or {}, new.get("x-procedure") or {})
    changes += _form(old, new)
    return changes


def _change(area: str, path: str, label: str, old: Any, new: Any) -> Change:
    kind = "added" if old is None else "removed" if new is None else "changed"
    return Change(area, kind, path, label, old, new)


def _facts(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    keys = list(FACT_LABELS) + sorted((set(old) | set(new)) - set(FACT_LABELS))
    for key in keys:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        label = FACT_LABELS.get(key, key)
        if key == "channels" and isinstance(before, list) and isinstance(after, list):
            changes += _keyed(key, label, before, after, "mode",
                              lambda v: f"kênh {CHANNEL_LABELS.get(v, v)}")
        elif key == "documents" and isinstance(before, list) and isinstance(after, list):
            changes += _keyed(key, label, before, after, "id", lambda v: f"giấy tờ «{v}»")
        elif isinstance(before, dict) and isinstance(after, dict):
            for sub in sorted(set(before) | set(after)):
                if before.get(sub) != after.get(sub):
                    changes.append(_change("facts", f"{key}.{sub}", f"{label}: {SUB_LABELS.get(sub, sub)}",
                                           before.get(sub), after.get(sub)))
        elif isinstance(before, list) and isinstance(after, list) \
                and all(isinstance(v, str) for v in before + after):
            for item in before:
                if item not in after:
                    changes.append(Change("facts", "removed", key, label, item, None))
            for item in after:
                if item not in before:
                    changes.append(Change("facts", "added", key, label, None, item))
            if set(before) == set(after):
                changes.append(Change("facts", "changed", key, f"{label}: thứ tự", before, after))
        else:
            changes.append(_change("facts", key, label, before, after))
    return changes


def _keyed(key: str, label: str, before: list[Any], after: list[Any], id_key: str,
           describe: Any) -> list[Change]:
    old_items = {str(i.get(id_key)): i for i in before if isinstance(i, dict)}
    new_items = {str(i.get(id_key)): i for i in after if isinstance(i, dict)}
    changes: list[Change] = []
    for ident, item in old_items.items():
        if ident not in new_items:
            changes.append(Change("facts", "removed", f"{key}.{ident}", f"{label}: {describe(ident)}", item, None))
    for ident, item in new_items.items():
        if ident not in old_items:
            changes.append(Change("facts", "added", f"{key}.{ident}", f"{label}: {describe(ident)}", None, item))
            continue
        previous = old_items[ident]
        for sub in sorted(set(previous) | set(item)):
            if previous.get(sub) != item.get(sub):
                changes.append(_change(
                    "facts", f"{key}.{ident}.{sub}",
                    f"{label}: {describe(ident)}: {SUB_LABELS.get(sub, sub)}", previous.get(sub), item.get(sub)))
    if [k for k in old_items if k in new_items] != [k for k in new_items if k in old_items]:
        changes.append(Change("facts", "changed", key, f"{label}: thứ tự", list(old_items), list(new_items)))
    return changes


def _own(schema: dict[str, Any]) -> dict[str, Any]:
    """A field's schema without its children (they are compared on their own)."""
    own = {k: v for k, v in schema.items() if k not in ("properties", "required", "allOf")}
    items = own.get("items")
    if isinstance(items, dict) and items.get("type") == "object":
        own["items"] = {k: v for k, v in items.items() if k not in ("properties", "required", "allOf")}
    return own


def _fields(doc: dict[str, Any]) -> dict[str, tuple[Any, dict[str, Any]]]:
    found: dict[str, tuple[Any, dict[str, Any]]] = {}
    for info in field_tree(doc):
        node: Any = doc
        for part in info.path.split("."):
            node = node["properties"][part] if "properties" in node else node["items"]["properties"][part]
        found[info.path] = (info, _own(node))
    return found


def _form(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = _fields(old), _fields(new)
    changes: list[Change] = []
    for path, (info, _) in before.items():
        if path not in after:
            changes.append(Change("form", "removed", path, f"Trường «{info.label}» ({path})", info.label, None))
    for path, (info, schema) in after.items():
        if path not in before:
            changes.append(Change("form", "added", path, f"Trường «{info.label}» ({path})", None, info.label))
            continue
        previous, previous_schema = before[path]
        pairs = {
            "label": (previous.label, info.label), "help": (previous.help, info.help),
            "required": (previous.required and previous.condition is None,
                         info.required and info.condition is None), "kind": (previous.kind_label, info.kind_label),
            "condition": (_condition_text(previous), _condition_text(info)),
        }
        for attr, (a, b) in pairs.items():
            if a != b:
                changes.append(Change("form", "changed", f"{path}:{attr}",
                                      f"Trường «{info.label}» ({path}): {FIELD_ATTRS[attr]}", a, b))
        if _settings_differ(previous_schema, schema):
            changes.append(Change("form", "changed", f"{path}:schema",
                                  f"Trường «{info.label}» ({path}): {FIELD_ATTRS['settings']}",
                                  _settings_view(previous_schema), _settings_view(schema)))
    order_before = [p for p in before if p in after]
    order_after = [p for p in after if p in before]
    if order_before != order_after:
        changes.append(Change("form", "changed", "order", "Thứ tự các trường", order_before, order_after))
    for key, label in (("allOf", "Điều kiện của biểu mẫu"), ("if", "Điều kiện của biểu mẫu (if)"),
                       ("dependentRequired", "Trường bắt buộc kèm theo")):
        if key != "allOf" and old.get(key) != new.get(key):
            changes.append(_change("form", key, label, old.get(key), new.get(key)))
    return changes


def _settings_view(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("title", "description")}


def _settings_differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return _settings_view(a) != _settings_view(b)


def _condition_text(info: Any) -> str:
    if info.condition is None:
        return ""
    return f"khi «{info.condition.field}» = {show(info.condition.value)}"
