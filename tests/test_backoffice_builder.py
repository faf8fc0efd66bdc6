"""The field builder: every action yields a valid document doing what the officer asked."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from catalog.samples import sample_paths
from form_schemas import builder
from form_schemas.builder import BuilderError, FieldSpec
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.loading import read_document
from form_schemas.validation import validate_procedure


def blank() -> dict[str, Any]:
    return builder.new_document("TEST-001", "Cấp giấy phép thử", "Hộ tịch", "Ủy ban nhân dân cấp xã")


def accepts(doc: dict[str, Any], instance: dict[str, Any]) -> bool:
    return Draft202012Validator(doc, format_checker=FORMAT_CHECKER).is_valid(instance)


def test_new_document_is_valid_with_an_empty_form() -> None:
    doc = blank()
    assert validate_procedure(doc) == []
    assert builder.field_tree(doc) == []


@pytest.mark.parametrize(("label", "name"), [
    ("Họ, chữ đệm và tên", "ho_chu_dem_va_ten"),
    ("Số định danh cá nhân", "so_dinh_danh_ca_nhan"),
    ("Đường/phố", "duong_pho"),
    ("2. Nơi sinh", "f_2_noi_sinh"),
    ("!!!", "truong"),
])
def test_names_are_ascii_and_derived_from_labels(label: str, name: str) -> None:
    assert builder.name_from_label(label) == name


def test_names_are_unique_among_siblings() -> None:
    doc, first = builder.add_field(blank(), FieldSpec("text", "Họ và tên"))
    doc, second = builder.add_field(doc, FieldSpec("text", "Họ và tên"))
    assert (first, second) == ("ho_va_ten", "ho_va_ten_2")
    with pytest.raises(BuilderError):
        builder.add_field(doc, FieldSpec("text", "Khác", name="ho_va_ten"))
    with pytest.raises(BuilderError):
        builder.add_field(doc, FieldSpec("text", "Khác", name="họ tên"))


@pytest.mark.parametrize("kind", list(builder.KINDS))
def test_every_kind_can_be_added_and_reads_back_as_itself(kind: str) -> None:
    settings = {"options": "Có\nKhông"} if kind in ("choice", "multi_choice") else {}
    doc, path = builder.add_field(blank(), FieldSpec(kind, "Trường thử", required=True, settings=settings))
    assert validate_procedure(doc) == []
    [info] = builder.field_tree(doc)
    assert (info.path, info.kind, info.required) == (path, kind, True)


def test_per_kind_settings_become_schema_keywords() -> None:
    doc, text = builder.add_field(blank(), FieldSpec("text", "Biển số", settings={
        "min_length": 5, "max_length": 10, "pattern": "^[0-9A-Z-]+$"}))
    doc, count = builder.add_field(doc, FieldSpec("integer", "Số bản", settings={"minimum": "1", "maximum": "10"}))
    doc, choice = builder.add_field(doc, FieldSpec("choice", "Giới tính", settings={
        "options": "nam|Nam\nnu|Nữ", "widget": "radio"}))
    doc, upload = builder.add_field(doc, FieldSpec("file", "Bản chụp", settings={"accept": "application/pdf", "max_mb": "2"}))
    assert validate_procedure(doc) == []
    props = doc["properties"]
    assert props[text] | {} == {"title": "Biển số", "type": "string", "minLength": 5, "maxLength": 10,
                                "pattern": "^[0-9A-Z-]+$"}
    assert (props[count]["minimum"], props[count]["maximum"]) == (1, 10)
    assert props[choice]["oneOf"] == [{"const": "nam", "title": "Nam"}, {"const": "nu", "title": "Nữ"}]
    assert props[upload]["x-maxBytes"] == 2 * 1024 * 1024
    assert accepts(doc, {text: "29A-12345", count: 3, choice: "nu"})
    assert not accepts(doc, {text: "29a", count: 3})
    assert not accepts(doc, {count: 11})
    assert not accepts(doc, {choice: "khac"})


def test_conditional_field_is_shown_and_required_only_when_the_condition_holds() -> None:
    doc, case = builder.add_field(blank(), FieldSpec("choice", "Trường hợp", required=True,
                                                     settings={"options": "Đúng hạn\nQuá hạn"}))
    doc, reason = builder.add_field(doc, FieldSpec("textarea", "Lý do đăng ký quá hạn", required=True))
    doc = builder.set_condition(doc, reason, case, "Quá hạn")
    assert validate_procedure(doc) == []
    assert reason not in doc["required"]
    assert doc["allOf"] == [{"if": {"properties": {case: {"const": "qua_han"}}, "required": [case]},
                             "then": {"required": [reason]}}]
    assert accepts(doc, {case: "dung_han"})
    assert not accepts(doc, {case: "qua_han"})
    assert accepts(doc, {case: "qua_han", reason: "Ốm"})
    info = next(f for f in builder.field_tree(doc) if f.path == reason)
    assert info.condition == builder.Condition(case, "qua_han")
    cleared = builder.clear_condition(doc, reason)
    assert "allOf" not in cleared and accepts(cleared, {case: "qua_han"})


def test_conditions_refuse_unknown_values_and_fields_of_other_groups() -> None:
    doc, case = builder.add_field(blank(), FieldSpec("yes_no", "Có ủy quyền"))
    doc, group = builder.add_field(doc, FieldSpec("group", "Người được ủy quyền"))
    doc, name = builder.add_field(doc, FieldSpec("text", "Họ và tên"), parent=group)
    doc = builder.set_condition(doc, group, case, "Có")
    assert doc["allOf"][0]["if"]["properties"][case] == {"const": True}
    with pytest.raises(BuilderError):
        builder.set_condition(doc, name, case, "Có")  # not a sibling
    with pytest.raises(BuilderError):
        builder.set_condition(doc, group, case, "có lẽ")


def test_repeating_group_with_nested_fields() -> None:
    doc, children = builder.add_field(blank(), FieldSpec("repeat", "Con chung", settings={"max_items": 3}))
    doc, child_name = builder.add_field(doc, FieldSpec("text", "Họ tên con", required=True), parent=children)
    doc, born = builder.add_field(doc, FieldSpec("date", "Ngày sinh"), parent=children)
    assert validate_procedure(doc) == []
    assert child_name == "con_chung.ho_ten_con"
    assert accepts(doc, {"con_chung": [{"ho_ten_con": "An", "ngay_sinh": "2020-01-02"}]})
    assert not accepts(doc, {"con_chung": [{"ngay_sinh": "2020-01-02"}]})
    assert not accepts(doc, {"con_chung": [{"ho_ten_con": "A"}] * 4})
    assert [f.path for f in builder.field_tree(doc)] == [children, child_name, born]


def test_move_reorders_and_nest_moves_into_a_group_keeping_required() -> None:
    doc, a = builder.add_field(blank(), FieldSpec("text", "A", required=True))
    doc, b = builder.add_field(doc, FieldSpec("text", "B"))
    doc, group = builder.add_field(doc, FieldSpec("group", "Nhóm"))
    doc = builder.move_field(doc, b, -1)
    assert list(doc["properties"]) == [b, a, group]
    doc, moved = builder.nest_field(doc, a, group)
    assert moved == "nhom.a"
    assert doc["properties"][group]["required"] == ["a"]
    assert doc["required"] == [group]  # "a" went with it; a new group is required
    assert validate_procedure(doc) == []
    with pytest.raises(BuilderError):
        builder.nest_field(doc, group, group)


def test_delete_removes_requirements_conditions_and_document_links() -> None:
    doc = blank()
    doc["x-procedure"]["documents"] = [{"id": "to_khai", "name": "Tờ khai"}]
    doc, case = builder.add_field(doc, FieldSpec("yes_no", "Nộp bản giấy"))
    doc, upload = builder.add_field(doc, FieldSpec("file", "Tờ khai", required=True, settings={"document": "to_khai"}))
    doc = builder.set_condition(doc, upload, case, "Không")
    assert doc["x-procedure"]["documents"][0]["field"] == upload
    assert validate_procedure(doc) == []
    after = builder.delete_field(doc, case)
    assert "allOf" not in after and validate_procedure(after) == []
    after = builder.delete_field(doc, upload)
    assert "field" not in after["x-procedure"]["documents"][0]
    assert "allOf" not in after and validate_procedure(after) == []


def test_rename_follows_requirements_conditions_and_links() -> None:
    doc = blank()
    doc["x-procedure"]["documents"] = [{"id": "anh", "name": "Ảnh"}]
    doc, case = builder.add_field(doc, FieldSpec("yes_no", "Có ảnh"))
    doc, photo = builder.add_field(doc, FieldSpec("file", "Ảnh", settings={"document": "anh"}))
    doc = builder.set_condition(doc, photo, case, "Có")
    doc, renamed = builder.update_field(doc, case, FieldSpec("yes_no", "Có ảnh chân dung", name="co_anh_chan_dung"))
    doc, photo2 = builder.update_field(doc, photo, FieldSpec("file", "Ảnh chân dung", name="anh_chan_dung",
                                                             settings={"document": "anh"}))
    assert validate_procedure(doc) == []
    assert doc["allOf"][0] == {"if": {"properties": {renamed: {"const": True}}, "required": [renamed]},
                               "then": {"required": [photo2]}}
    assert doc["x-procedure"]["documents"][0]["field"] == photo2


def test_actions_never_change_their_input() -> None:
    doc, path = builder.add_field(blank(), FieldSpec("text", "A"))
    before = copy.deepcopy(doc)
    builder.add_field(doc, FieldSpec("text", "B"))
    builder.delete_field(doc, path)
    builder.update_field(doc, path, FieldSpec("integer", "A"))
    assert doc == before


def test_too_deep_nesting_is_refused() -> None:
    doc, parent = blank(), ""
    with pytest.raises(BuilderError):
        for level in range(10):
            doc, parent = builder.add_field(doc, FieldSpec("group", f"Nhóm {level}"), parent=parent)
    assert validate_procedure(doc) == []


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
def test_samples_read_in_the_builder_and_stay_valid_after_edits(path: Any) -> None:
    doc = read_document(path)
    tree = builder.field_tree(doc)
    assert tree, "every sample has form fields"
    first = tree[0]
    doc, _ = builder.add_field(doc, FieldSpec("email", "Thư điện tử liên hệ"))
    doc = builder.move_field(doc, "thu_dien_tu_lien_he", -1)
    if first.kind != "ref":
        doc, _ = builder.update_field(doc, first.path, FieldSpec(first.kind, first.label + " (sửa)",
                                                                 settings=first.settings))
    assert validate_procedure(doc) == []


# --- property: any sequence of builder actions keeps the document valid ---------------------

SCALARS = [k for k, kind in builder.KINDS.items() if not kind.container]
ACTIONS = st.lists(st.tuples(
    st.sampled_from(["add", "add", "add", "group", "repeat", "move", "nest", "delete", "condition", "update"]),
    st.sampled_from(SCALARS), st.text(min_size=1, max_size=12), st.integers(0, 50), st.booleans(),
), max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_any_sequence_of_builder_actions_yields_a_valid_document(actions: list[Any]) -> None:
    doc = blank()
    for action, kind, label, pick, flag in actions:
        tree = builder.field_tree(doc)
        groups = [""] + [g.path for g in builder.groups(doc)]
        target = tree[pick % len(tree)].path if tree else None
        options = {"options": "Một\nHai"} if kind in ("choice", "multi_choice") else {}
        try:
            if action == "add":
                doc, _ = builder.add_field(doc, FieldSpec(kind, label, required=flag, settings=options),
                                           parent=groups[pick % len(groups)])
            elif action in ("group", "repeat"):
                doc, _ = builder.add_field(doc, FieldSpec(action, label), parent=groups[pick % len(groups)])
            elif target is None:
                continue
            elif action == "move":
                doc = builder.move_field(doc, target, 1 if flag else -1)
            elif action == "nest":
                doc, _ = builder.nest_field(doc, target, groups[pick % len(groups)])
            elif action == "delete":
                doc = builder.delete_field(doc, target)
            elif action == "condition":
                siblings = list(builder.siblings(doc, target))
                if siblings:
                    sibling = siblings[pick % len(siblings)]
                    value = (sibling.settings.get("options") or [("x", "x")])[0][0]
                    value = {"yes_no": "Có", "integer": "1", "number": "1.5", "date": "2020-01-01"}.get(sibling.kind, value)
                    doc = builder.set_condition(doc, target, sibling.name, value)
            elif action == "update":
                info = tree[pick % len(tree)]
                new_kind = info.kind if info.container else kind
                doc, _ = builder.update_field(doc, target, FieldSpec(new_kind, label, required=flag, settings=options))
        except BuilderError:
            pass
        assert validate_procedure(doc) == [], (action, doc)


def test_file_types_are_ticked_by_name_and_other_types_kept_under_advanced() -> None:
    doc = blank()
    doc, path = builder.add_field(doc, FieldSpec("file", "Bản chụp giấy tờ", settings={
        "file_types": ["pdf", "image"], "accept": "", "max_mb": "5"}))
    assert doc["properties"][path]["contentMediaType"] == "application/pdf,image/jpeg,image/png"
    [info] = builder.field_tree(doc)
    assert info.settings["file_types"] == ["pdf", "image"] and info.settings["accept"] == ""
    doc, path = builder.update_field(doc, path, FieldSpec("file", "Bản chụp giấy tờ", settings={
        "file_types": ["word"], "accept": "image/tiff", "max_mb": "5"}))
    media = doc["properties"][path]["contentMediaType"].split(",")
    assert media[-1] == "image/tiff" and "application/msword" in media and "application/pdf" not in media
    [info] = builder.field_tree(doc)
    assert (info.settings["file_types"], info.settings["accept"]) == (["word"], "image/tiff")
    with pytest.raises(BuilderError, match="ít nhất một loại tệp"):
        builder.update_field(doc, path, FieldSpec("file", "Bản chụp giấy tờ", settings={
            "file_types": [], "accept": "", "max_mb": "5"}))


def test_a_check_is_picked_by_name_and_its_message_gives_an_example() -> None:
    from form_schemas.instance import validate_instance

    doc = blank()
    doc, path = builder.add_field(doc, FieldSpec("text", "Biển số xe", required=True, settings={
        "preset": "licence_plate", "pattern": ""}))
    field = doc["properties"][path]
    assert field["examples"] == ["29A-123.45"] and "pattern" in field
    [info] = builder.field_tree(doc)
    assert info.settings["preset"] == "licence_plate" and "pattern" not in info.settings
    assert accepts(doc, {path: "29A-123.45"}) and accepts(doc, {path: "51G-12345"})
    assert not accepts(doc, {path: "29A 12345"})
    messages = [m for found in validate_instance(doc, {path: "abc"}).values() for m in found]
    assert any("ví dụ: 29A-123.45" in m for m in messages), messages
    doc, path = builder.update_field(doc, path, FieldSpec("text", "Biển số xe", settings={"preset": "", "pattern": ""}))
    assert "pattern" not in doc["properties"][path] and "examples" not in doc["properties"][path]
