"""Valid means drawable: any document the builder makes, and any small schema over the field
kinds (form_schemas/kinds.py) that validates, compiles to a citizen form, lays out on paper,
and carries a valid application through the form unchanged (instance → posted form data →
decode → the same instance, which validates)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from form_schemas import builder
from form_schemas.builder import BuilderError, FieldSpec
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from renderers.forms.fields import (
    ALTERNATIVES,
    CHECKBOX,
    CHECKBOXES,
    FILE,
    GROUP,
    MISSING,
    MULTISELECT,
    REPEAT,
    Node,
)
from renderers.pdf.form_layout import build_layout
from tests.factories import document as procedure_document

SAMPLES = {"date": "2024-02-29", "date-time": "2024-02-29T09:30:00+07:00", "time": "09:30:00+07:00",
           "email": "an@example.vn", "vn-phone": "0912345678", "vn-citizen-id": "001203004567",
           "vn-id-card": "001203004567", "vn-tax-code": "0101234567", "uri": "https://example.vn"}


def sample(node: Node) -> Any:
    """A valid value for a field (every field filled, one row, the first block)."""
    if node.const is not MISSING:
        return node.const
    if node.widget == GROUP:
        return {child.key: sample(child) for child in node.children}
    if node.widget == ALTERNATIVES:
        return sample(node.children[0])
    if node.widget == REPEAT:
        assert node.item is not None
        return [sample(node.item) for _ in range(max(1, node.min_items))]
    if node.widget in (CHECKBOXES, MULTISELECT):
        return [node.choices[0].value]
    if node.choices:
        return node.choices[0].value
    if node.widget == CHECKBOX:
        return True
    if node.widget == FILE:
        return "attachment-1"
    if node.type == "integer":
        return 3
    if node.type == "number":
        return 2.5
    return SAMPLES.get(node.format or "", "Nguyễn Văn An")


def assert_drawable_and_round_trips(doc: dict[str, Any]) -> None:
    form = compile_form(doc)
    assert isinstance(form.render(), str)
    build_layout(doc)
    from renderers.pdf import blank_form_html

    assert "<html" in blank_form_html(doc).lower()
    instance = sample(form.root)
    if not Draft202012Validator(form.schema, format_checker=FORMAT_CHECKER).is_valid(instance):
        event("sample invalid (e.g. it fits two oneOf blocks): not carried")
        return
    event("valid instance carried through the form")
    submission = form.submit(form.encode(instance))
    assert submission.ok, submission.errors
    assert _without_empty(submission.instance) == _without_empty(instance)


def _without_empty(value: Any) -> Any:
    """An instance as the form keeps it: empty optional groups and lists left out."""
    if isinstance(value, dict):
        kept = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ({}, [])}
    if isinstance(value, list):
        return [v for v in map(_without_empty, value) if v not in ({}, [])]
    return value


# --- documents the builder makes --------------------------------------------------------------

KINDS = [k for k, kind in builder.KINDS.items() if not kind.container]
ACTIONS = st.lists(st.tuples(
    st.sampled_from(["add", "add", "add", "group", "repeat", "nest", "delete", "move"]),
    st.sampled_from(KINDS), st.text(alphabet="abcđêơ ", min_size=1, max_size=8), st.integers(0, 40),
    st.booleans(),
), max_size=14)


def run(actions: list[tuple[str, str, str, int, bool]]) -> dict[str, Any]:
    doc = builder.new_document("TEST-001", "Cấp giấy phép thử", "Hộ tịch", "Ủy ban nhân dân cấp xã")
    for verb, kind, label, number, flag in actions:
        fields = builder.field_tree(doc)
        groups = [f.path for f in fields if f.kind in ("group", "repeat")]
        try:
            if verb in ("add", "group", "repeat"):
                chosen = {"add": kind, "group": "group", "repeat": "repeat"}[verb]
                options = {"options": "Một\nHai"} if chosen in ("choice", "multi_choice") else {}
                parent = groups[number % len(groups)] if groups and flag else ""
                doc, _ = builder.add_field(doc, FieldSpec(chosen, label, required=flag, settings=options), parent)
            elif fields and verb == "nest":
                target = ([""] + groups)[number % (len(groups) + 1)]
                doc, _ = builder.nest_field(doc, fields[number % len(fields)].path, target)
            elif fields and verb == "delete":
                doc = builder.delete_field(doc, fields[number % len(fields)].path)
            elif fields and verb == "move":
                doc = builder.move_field(doc, fields[number % len(fields)].path, -1 if flag else 1)
        except BuilderError:
            continue
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_any_document_the_builder_makes_is_drawn_and_round_trips(actions: list[Any]) -> None:
    doc = run(actions)
    assert validate_procedure(doc) == []
    assert_drawable_and_round_trips(doc)


# --- small schemas over the kinds ------------------------------------------------------------

LEAVES = st.sampled_from([
    {"type": "string", "title": "Họ và tên", "maxLength": 50},
    {"type": "string", "title": "Ghi chú", "x-widget": "textarea"},
    {"type": "integer", "title": "Số bản", "minimum": 1},
    {"type": "number", "title": "Diện tích"},
    {"type": "string", "title": "Ngày sinh", "format": "date"},
    {"type": "string", "title": "Giờ hẹn", "format": "time"},
    {"type": "string", "title": "Thời điểm", "format": "date-time"},
    {"type": "string", "title": "Thư điện tử", "format": "email"},
    {"type": "string", "title": "Điện thoại", "format": "vn-phone"},
    {"type": "string", "title": "CCCD", "format": "vn-citizen-id"},
    {"type": "string", "title": "Mã số thuế", "format": "vn-tax-code"},
    {"type": "boolean", "title": "Đã kết hôn"},
    {"type": "boolean", "title": "Cam kết", "const": True},
    {"title": "Giới tính", "enum": ["nam", "nu"], "x-enumNames": ["Nam", "Nữ"]},
    {"type": "string", "title": "Hình thức", "oneOf": [{"const": "a", "title": "Trực tiếp"}, {"const": "b", "title": "Bưu chính"}]},
    {"type": "array", "title": "Giấy tờ", "items": {"enum": ["x", "y", "z"]}, "uniqueItems": True},
    {"type": "string", "title": "Bản chụp", "x-widget": "file", "contentMediaType": "application/pdf"},
])
NAMES = st.sampled_from(["a", "b", "c", "d"])


def objects(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(NAMES, children, min_size=1, max_size=3).flatmap(
        lambda props: st.lists(st.sampled_from(sorted(props)), unique=True).map(
            lambda required: {"type": "object", "title": "Nhóm", "properties": props, "required": required}))


FIELDS = st.recursive(LEAVES, lambda inner: st.one_of(
    objects(inner),
    objects(inner).map(lambda group: {"type": "array", "title": "Danh sách", "items": group, "maxItems": 3}),
    st.tuples(objects(inner), objects(inner)).map(lambda pair: {"title": "Người nộp", "oneOf": [
        {**pair[0], "title": "Cá nhân"}, {**pair[1], "title": "Tổ chức"}]}),
), max_leaves=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objects(FIELDS))
def test_any_small_document_that_validates_is_drawn_and_round_trips(form: dict[str, Any]) -> None:
    doc = copy.deepcopy(procedure_document())
    for item in doc["x-procedure"]["documents"]:
        item.pop("field", None)
    doc.update(properties=form["properties"], required=form["required"])
    assume(validate_procedure(doc) == [])
    assert_drawable_and_round_trips(doc)
