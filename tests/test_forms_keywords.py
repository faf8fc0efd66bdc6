"""One test (at least) per keyword of the procedure format the form engine supports."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from renderers.forms import KeptUpload, UploadRejected, compile_form
from tests.forms_html import Page
from tests.forms_samples import document


def form(properties: dict, required: list[str] | None = None, **extra: object):
    return compile_form(document(properties, required, **extra))


def page(compiled, *args, **kwargs) -> Page:
    return Page(compiled.render(*args, **kwargs))


# -- types --------------------------------------------------------------------------------------


def test_string_is_a_text_input_labelled_by_its_title():
    f = form({"full_name": {"type": "string", "title": "Họ và tên"}})
    p = page(f)
    control = p.control("full_name")
    assert (control.tag, control.get("type"), control.get("id")) == ("input", "text", "full_name")
    assert p.label_for("full_name").all_text() == "Họ và tên"
    assert f.decode(MultiDict({"full_name": "  Trần Thị B  "})).instance == {"full_name": "Trần Thị B"}


def test_integer_is_a_number_input_decoded_as_int():
    f = form({"age": {"type": "integer", "title": "Tuổi"}})
    control = page(f).control("age")
    assert (control.get("type"), control.get("step"), control.get("inputmode")) == ("number", "1", "numeric")
    assert f.decode({"age": "42"}).instance == {"age": 42}
    assert f.decode({"age": "1.000.000"}).instance == {"age": 1000000}


def test_integer_typed_wrong_is_reported_and_kept():
    f = form({"age": {"type": "integer", "title": "Tuổi"}})
    result = f.submit({"age": "bốn mươi"})
    assert result.errors == {"age": ["Tuổi phải là một số nguyên"]}
    assert page(f, {"age": "bốn mươi"}, result.errors).control("age").get("value") == "bốn mươi"


def test_number_accepts_a_decimal_comma():
    f = form({"weight": {"type": "number", "title": "Cân nặng"}})
    assert page(f).control("weight").get("step") == "any"
    assert f.decode({"weight": "3,25"}).instance == {"weight": 3.25}
    assert f.decode({"weight": "3.25"}).instance == {"weight": 3.25}
    assert f.submit({"weight": "nan"}).errors == {"weight": ["Cân nặng phải là một số"]}


def test_boolean_is_a_yes_no_question_that_can_stay_unanswered():
    f = form({"married": {"type": "boolean", "title": "Đã kết hôn"}})
    p = page(f)
    assert [e.get("value") for e in p.named("married")] == ["true", "false"]
    assert p.label_for("married-0").all_text() == "Có"
    assert page(f, locale="en").label_for("married-1").all_text() == "No"
    assert f.decode({"married": "false"}).instance == {"married": False}
    assert f.decode({"married": "true"}).instance == {"married": True}
    assert f.decode({}).instance == {}


def test_object_is_a_fieldset_with_a_legend_and_joined_names():
    f = form({"applicant": {"type": "object", "title": "Người yêu cầu", "properties": {"name": {"type": "string", "title": "Tên"}}}})
    p = page(f)
    fieldset = p.by_id("applicant")
    assert fieldset.tag == "fieldset"
    assert fieldset.children[0].tag == "legend" and fieldset.children[0].all_text() == "Người yêu cầu (nếu có)"
    assert p.control("applicant-name").parent.parent is fieldset
    assert f.decode({"applicant-name": "An"}).instance == {"applicant": {"name": "An"}}
    assert f.decode({"applicant-name": ""}).instance == {}


def test_required_object_left_blank_reports_its_fields():
    f = form(
        {"applicant": {"type": "object", "title": "Người yêu cầu", "required": ["name"], "properties": {"name": {"type": "string", "title": "Tên"}}}},
        ["applicant"],
    )
    assert f.submit({}).errors == {"applicant-name": ["Vui lòng nhập Tên"]}


def test_optional_block_left_blank_asks_nothing():
    f = form({"spouse": {"type": "object", "title": "Vợ/chồng", "required": ["name"], "properties": {"name": {"type": "string", "title": "Tên"}}}})
    assert f.submit({"spouse-name": ""}).ok


def test_an_optional_block_says_so_and_requires_nothing_until_filled():
    spouse = {"type": "object", "title": "Vợ/chồng", "required": ["name"],
              "properties": {"name": {"type": "string", "title": "Tên"}, "phone": {"type": "string", "title": "Điện thoại"}}}
    p = page(form({"spouse": spouse, "applicant": {**spouse, "title": "Người yêu cầu"}}, ["applicant"]))
    legend = p.by_id("spouse").children[0]
    assert legend.all_text() == "Vợ/chồng (nếu có)"
    assert "các mục có dấu * phải được điền" in p.by_id("spouse--help").all_text()
    assert not p.control("spouse-name").has("required")  # the browser must not call it required
    assert "*" in p.by_id("spouse-name--field").all_text()  # required once the block is filled
    assert p.control("applicant-name").has("required")  # a required block's field is
    assert p.by_id("applicant").children[0].all_text() == "Người yêu cầu"
    en = page(form({"spouse": spouse}), locale="en")
    assert en.by_id("spouse").children[0].all_text() == "Vợ/chồng (if any)"


# -- labels, help, defaults, examples -----------------------------------------------------------


def test_description_is_help_linked_by_aria_describedby():
    f = form({"phone": {"type": "string", "title": "Điện thoại", "description": "Số di động để nhận tin nhắn", "examples": ["0912345678"]}})
    p = page(f)
    help_box = p.by_id("phone--help")
    assert "Số di động để nhận tin nhắn" in help_box.all_text()
    assert "Ví dụ: 0912345678" in help_box.all_text()
    assert "phone--help" in p.control("phone").get("aria-describedby").split()


def test_default_fills_the_blank_form():
    f = form({"copies": {"type": "integer", "title": "Số bản sao", "default": 1}})
    assert page(f).control("copies").get("value") == "1"
    assert f.defaults() == {"copies": 1}
    assert page(f, MultiDict()).control("copies").get("value") == ""  # a posted blank stays blank


def test_data_fills_the_form_from_an_instance():
    f = form({"name": {"type": "string", "title": "Tên"}})
    assert page(f, data={"name": "Lê Văn C"}).control("name").get("value") == "Lê Văn C"


# -- choices ------------------------------------------------------------------------------------


def test_enum_with_names_up_to_five_is_radio_buttons():
    f = form({"sex": {"type": "string", "title": "Giới tính", "enum": ["nam", "nu"], "x-enumNames": ["Nam", "Nữ"]}}, ["sex"])
    p = page(f)
    radios = p.named("sex")
    assert [(r.get("type"), r.get("value"), r.has("required")) for r in radios] == [("radio", "nam", True), ("radio", "nu", True)]
    assert p.label_for("sex-1").all_text() == "Nữ"
    assert p.by_id("sex--field").tag == "fieldset"
    assert f.decode({"sex": "nu"}).instance == {"sex": "nu"}
    assert f.submit({"sex": "khac"}).errors == {"sex": ["Vui lòng chọn Giới tính trong danh sách"]}


def test_enum_of_more_than_five_is_a_select_with_a_blank_first():
    values = ["a", "b", "c", "d", "e", "f"]
    f = form({"province": {"type": "string", "title": "Tỉnh", "enum": values}})
    select = page(f).control("province")
    assert select.tag == "select"
    assert [o.get("value") for o in select.children] == ["", *values]


def test_x_widget_chooses_select_or_radio():
    small = form({"x": {"type": "string", "title": "X", "enum": ["a", "b"], "x-widget": "select"}})
    assert page(small).control("x").tag == "select"
    big = form({"x": {"type": "integer", "title": "X", "enum": [1, 2, 3, 4, 5, 6, 7], "x-widget": "radio"}})
    assert len(page(big).named("x")) == 7
    assert big.decode({"x": "7"}).instance == {"x": 7}


def test_one_of_const_gives_labelled_choices_with_hints():
    f = form({"level": {"type": "integer", "title": "Mức độ", "oneOf": [{"const": 3, "title": "Một phần"}, {"const": 4, "title": "Toàn trình", "description": "Nộp và nhận trực tuyến"}]}})
    p = page(f)
    assert p.label_for("level-1").all_text() == "Toàn trình"
    assert p.by_id("level-1--hint").all_text() == "Nộp và nhận trực tuyến"
    assert p.named("level")[1].get("aria-describedby") == "level-1--hint"
    assert f.decode({"level": "4"}).instance == {"level": 4}
    assert f.submit({"level": "9"}).errors == {"level": ["Vui lòng chọn Mức độ trong danh sách"]}


def test_array_of_enum_is_checkboxes_in_order():
    f = form({"delivery": {"type": "array", "title": "Nhận kết quả", "uniqueItems": True, "items": {"type": "string", "enum": ["counter", "post"], "x-enumNames": ["Tại quầy", "Bưu chính"]}}})
    p = page(f, data={"delivery": ["post"]})
    boxes = p.named("delivery")
    assert [(b.get("type"), b.get("value"), b.has("checked")) for b in boxes] == [("checkbox", "counter", False), ("checkbox", "post", True)]
    posted = MultiDict([("delivery", "counter"), ("delivery", "post")])
    assert f.decode(posted).instance == {"delivery": ["counter", "post"]}


def test_array_of_enum_with_select_widget_is_a_multiple_select():
    f = form({"days": {"type": "array", "title": "Ngày", "x-widget": "select", "minItems": 1, "items": {"type": "integer", "enum": [2, 3, 4]}}}, ["days"])
    select = page(f).control("days")
    assert select.tag == "select" and select.has("multiple")
    assert f.decode(MultiDict([("days", "2"), ("days", "4")])).instance == {"days": [2, 4]}
    assert f.submit({}).errors == {"days": ["Vui lòng chọn ít nhất 1 mục ở Ngày"]}


# -- repeating groups ---------------------------------------------------------------------------

CHILDREN = {
    "children": {
        "type": "array",
        "title": "Con",
        "minItems": 1,
        "maxItems": 3,
        "items": {
            "type": "object",
            "title": "Con",
            "required": ["name"],
            "properties": {"name": {"type": "string", "title": "Họ tên"}, "year": {"type": "integer", "title": "Năm sinh"}},
        },
    }
}


def test_array_of_objects_is_a_repeating_group_with_indexed_names():
    f = form(CHILDREN)
    p = page(f)
    group = p.by_id("children")
    assert (group.tag, group.get("data-min"), group.get("data-max")) == ("fieldset", "1", "3")
    assert p.control("children-0-name").get("id") == "children-0-name"
    assert [b.all_text() for b in p.tags("button") if b.get("value") == "add:children"] == ["Thêm Con"]
    template = [e for e in p.all if e.tag == "template"][0]
    assert template.get("data-token") == "__i0__"
    assert any(e.get("name") == "children-__i0__-name" for e in p.all if e.in_template)


def test_repeating_group_decodes_in_index_order_and_drops_blank_items():
    f = form(CHILDREN)
    posted = MultiDict({"children-3-name": "C", "children-0-name": "A", "children-1-name": "", "children-1-year": "", "children-2-year": "2019"})
    assert f.decode(posted).instance == {"children": [{"name": "A"}, {"year": 2019}, {"name": "C"}]}


def test_repeating_group_limits_are_enforced():
    f = form(CHILDREN)
    too_many = MultiDict({f"children-{i}-name": f"Con {i}" for i in range(4)})
    assert f.submit(too_many).errors == {"children": ["Con: tối đa 3 mục"]}
    assert f.submit({}).errors == {}  # optional list: nothing entered is fine
    required = form(CHILDREN, ["children"])
    assert required.submit({}).errors == {"children": ["Con: cần ít nhất 1 mục"]}


def test_add_and_remove_work_without_javascript():
    f = form(CHILDREN)
    posted = MultiDict({"children-0-name": "A", "__action": "add:children"})
    added = f.apply_action(posted)
    assert added is not None
    p = page(f, added)
    assert p.control("children-0-name").get("value") == "A"
    assert p.control("children-1-name").get("value") == ""
    added.add("children-1-name", "B")
    added.add("__action", "remove:children-0")
    removed = f.apply_action(added)
    p = page(f, removed)
    assert [c.get("name") for c in p.controls()] == ["children-1-name", "children-1-year"]
    assert f.apply_action({"children-0-name": "A"}) is None  # a real submission
    assert f.apply_action({"__action": "add:nothing"}) is None


def test_remove_is_disabled_at_min_items_and_add_at_max_items():
    f = form(CHILDREN)
    p = page(f)
    assert p.tags("button")[0].has("disabled")  # the only item cannot be removed (minItems 1)
    full = MultiDict({f"children-{i}-name": "x" for i in range(3)})
    add = [b for b in page(f, full).tags("button") if b.get("value") == "add:children"][0]
    assert add.has("disabled")


def test_array_of_scalars_repeats_one_input():
    f = form({"phones": {"type": "array", "title": "Điện thoại", "items": {"type": "string", "title": "Số", "format": "vn-phone"}}})
    p = page(f)
    assert p.label_for("phones-0").all_text().startswith("Điện thoại 1")
    result = f.submit({"phones-0": "0912345678", "phones-1": "12"})
    assert result.errors == {"phones-1": ["Số phải là số di động 10 chữ số, ví dụ 0912345678"]}


def test_nested_repeating_groups_use_a_token_per_depth():
    f = form({"households": {"type": "array", "title": "Hộ", "items": {"type": "object", "title": "Hộ", "properties": {
        "members": {"type": "array", "title": "Thành viên", "items": {"type": "object", "title": "Thành viên", "properties": {"name": {"type": "string", "title": "Tên"}}}}}}}})
    p = page(f)
    assert p.control("households-0-members-0-name")
    inner_templates = [e for e in p.all if e.tag == "template" and e.get("data-token") == "__i1__"]
    assert inner_templates
    posted = MultiDict({"households-0-members-0-name": "A", "households-0-members-2-name": "B", "households-1-members-0-name": "C"})
    assert f.decode(posted).instance == {"households": [{"members": [{"name": "A"}, {"name": "B"}]}, {"members": [{"name": "C"}]}]}


# -- files --------------------------------------------------------------------------------------

SCAN = {"scan": {"type": "string", "title": "Bản quét giấy chứng sinh", "x-widget": "file", "contentMediaType": "application/pdf,image/*", "x-maxBytes": 1048576}}


def upload(name: str = "a.pdf", mimetype: str = "application/pdf", data: bytes = b"%PDF-1.4") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=mimetype)


def test_file_field_is_an_upload_with_accept_and_limits():
    f = form(SCAN, ["scan"])
    p = page(f)
    control = p.control("scan")
    assert (control.get("type"), control.get("accept"), control.get("data-max-bytes")) == ("file", "application/pdf,image/*", "1048576")
    assert "Dung lượng tối đa: 1 MB" in p.by_id("scan--help").all_text()
    rule = f.file_rule("scan")
    assert rule.accepts("image/png") and rule.accepts("application/pdf") and not rule.accepts("text/html")
    assert rule.too_big(1048577) and not rule.too_big(1048576)
    assert f.file_fields == {"scan": rule}


def test_uploaded_file_is_stored_through_the_callback():
    f = form(SCAN, ["scan"])
    stored = []

    def store(name, file):
        stored.append((name, file.filename))
        return "att-1"

    result = f.submit(MultiDict(), MultiDict({"scan": upload()}), store_upload=store)
    assert result.ok and result.instance == {"scan": "att-1"}
    assert stored == [("scan", "a.pdf")]
    assert result.uploads == {"scan": KeptUpload("att-1", "a.pdf")}


def test_uploaded_file_is_kept_across_a_failed_submission():
    f = form({**SCAN, "name": {"type": "string", "title": "Tên"}}, ["scan", "name"])
    result = f.submit(MultiDict(), MultiDict({"scan": upload()}), store_upload=lambda n, u: "att-7")
    assert result.errors == {"name": ["Vui lòng nhập Tên"]}
    p = page(f, MultiDict(), result.errors, result.uploads)
    hidden = [e for e in p.named("scan") if e.get("type") == "hidden"]
    assert [h.get("value") for h in hidden] == ["att-7"]
    assert "Đã tải lên: a.pdf" in p.by_id("scan--kept").all_text()
    assert not p.control("scan").has("required")  # not asked again
    again = f.submit({"scan": "att-7", "name": "An"}, MultiDict(), kept_uploads=result.uploads)
    assert again.ok and again.instance == {"scan": "att-7", "name": "An"}


def test_a_forged_attachment_id_is_ignored():
    f = form(SCAN, ["scan"])
    result = f.submit({"scan": "someone-elses"}, kept_uploads={"scan": "att-1"})
    assert result.errors == {"scan": ["Vui lòng tải lên Bản quét giấy chứng sinh"]}


def test_wrong_file_type_or_rejected_file_is_reported_on_the_field():
    f = form(SCAN, ["scan"])
    wrong = f.submit({}, MultiDict({"scan": upload("a.exe", "application/x-msdownload")}), store_upload=lambda n, u: "x")
    assert wrong.errors == {"scan": ["Tệp Bản quét giấy chứng sinh phải có định dạng PDF, ảnh"]}

    def refuse(name, file):
        raise UploadRejected("Tệp quá lớn")

    assert f.submit({}, MultiDict({"scan": upload()}), store_upload=refuse).errors == {"scan": ["Tệp quá lớn"]}


# -- text, dates, formats -----------------------------------------------------------------------


def test_textarea_keeps_lines_and_normalises_browser_newlines():
    f = form({"notes": {"type": "string", "title": "Ghi chú", "x-widget": "textarea", "maxLength": 500}})
    p = page(f, {"notes": "dòng 1\r\ndòng 2"})
    area = p.control("notes")
    assert (area.tag, area.get("maxlength")) == ("textarea", "500")
    assert area.all_text().lstrip("\n") == "dòng 1\r\ndòng 2"
    assert f.decode({"notes": "dòng 1\r\ndòng 2\r\n"}).instance == {"notes": "dòng 1\ndòng 2"}


def test_date_is_a_date_input_that_accepts_dd_mm_yyyy():
    f = form({"born": {"type": "string", "title": "Ngày sinh", "format": "date"}})
    assert page(f).control("born").get("type") == "date"
    assert f.decode({"born": "2024-12-25"}).instance == {"born": "2024-12-25"}
    assert f.decode({"born": "5/1/2024"}).instance == {"born": "2024-01-05"}
    result = f.submit({"born": "31/02/2024"})
    assert result.errors == {"born": ["Ngày sinh phải là một ngày hợp lệ, dạng dd/mm/yyyy (ví dụ 25/12/2024)"]}
    kept = page(f, {"born": "31/02/2024"}, result.errors).control("born")
    assert (kept.get("type"), kept.get("value")) == ("text", "31/02/2024")


def test_date_time_is_local_vietnam_time():
    f = form({"at": {"type": "string", "title": "Thời điểm", "format": "date-time"}})
    assert page(f).control("at").get("type") == "datetime-local"
    assert f.decode({"at": "2025-06-01T08:30"}).instance == {"at": "2025-06-01T08:30:00+07:00"}
    assert f.decode({"at": "01/06/2025 08:30"}).instance == {"at": "2025-06-01T08:30:00+07:00"}
    assert f.encode({"at": "2025-06-01T01:30:00Z"})["at"] == "2025-06-01T08:30"
    assert f.submit({"at": "2025-06-01T08:30"}).ok


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("vn-citizen-id", {"inputmode": "numeric", "pattern": "[0-9]{12}", "maxlength": "12", "type": "text"}),
        ("vn-id-card", {"inputmode": "numeric", "pattern": "[0-9]{9}|[0-9]{12}"}),
        ("vn-phone", {"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        ("vn-tax-code", {"inputmode": "numeric", "pattern": "[0-9]{10}(-[0-9]{3})?", "maxlength": "14"}),
        ("email", {"type": "email", "autocomplete": "email"}),
        ("uri", {"type": "url"}),
    ],
)
def test_formats_give_keyboard_and_autofill_hints(fmt, expected):
    control = page(form({"x": {"type": "string", "title": "X", "format": fmt}})).control("x")
    assert {k: control.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("fmt", "bad", "message"),
    [
        ("vn-citizen-id", "001999999999", "X phải là số định danh cá nhân (CCCD) hợp lệ gồm 12 chữ số"),
        ("vn-id-card", "12345", "X phải gồm 9 hoặc 12 chữ số"),
        ("vn-phone", "0212345678", "X phải là số di động 10 chữ số, ví dụ 0912345678"),
        ("vn-tax-code", "0123456789-1", "X phải gồm 10 chữ số hoặc dạng 0123456789-001"),
        ("email", "an.example.com", "X phải là địa chỉ email hợp lệ, ví dụ ten@example.com"),
    ],
)
def test_format_errors_speak_to_the_citizen(fmt, bad, message):
    f = form({"x": {"type": "string", "title": "X", "format": fmt}})
    assert f.submit({"x": bad}).errors == {"x": [message]}


def test_string_constraints_are_mirrored_in_html():
    f = form({"code": {"type": "string", "title": "Mã", "minLength": 3, "maxLength": 8, "pattern": "^[A-Z]+$", "examples": ["ABC"]}}, ["code"])
    control = page(f).control("code")
    assert {k: control.get(k) for k in ("minlength", "maxlength", "pattern")} == {"minlength": "3", "maxlength": "8", "pattern": "[A-Z]+"}
    assert control.has("required")
    assert f.submit({"code": "AB"}).errors == {"code": ["Mã phải có ít nhất 3 ký tự"]}
    assert f.submit({"code": "ABCDEFGHI"}).errors == {"code": ["Mã không được dài quá 8 ký tự"]}
    assert f.submit({"code": "abc"}).errors == {"code": ["Mã không đúng định dạng, ví dụ: ABC"]}


def test_unanchored_pattern_is_searched_in_html_too():
    control = page(form({"x": {"type": "string", "title": "X", "pattern": "[0-9]"}})).control("x")
    assert control.get("pattern") == ".*(?:[0-9]).*"


def test_number_constraints_are_mirrored_in_html():
    f = form({
        "n": {"type": "integer", "title": "N", "minimum": 1, "maximum": 10, "multipleOf": 2},
        "m": {"type": "integer", "title": "M", "exclusiveMinimum": 0, "exclusiveMaximum": 100},
        "w": {"type": "number", "title": "W", "minimum": 0.5, "multipleOf": 0.5},
    })
    p = page(f)
    assert {k: p.control("n").get(k) for k in ("min", "max", "step")} == {"min": "1", "max": "10", "step": "2"}
    assert {k: p.control("m").get(k) for k in ("min", "max")} == {"min": "1", "max": "99"}
    assert {k: p.control("w").get(k) for k in ("min", "step")} == {"min": "0.5", "step": "0.5"}
    errors = f.submit({"n": "3", "m": "0", "w": "0.25"}).errors
    assert errors == {
        "n": ["N phải là bội số của 2"],
        "m": ["M phải lớn hơn 0"],
        "w": ["W phải lớn hơn hoặc bằng 0,5", "W phải là bội số của 0,5"],
    }
    assert f.submit({"n": "12"}, locale="en").errors == {"n": ["N must be at most 10"]}


def test_read_only_is_shown_but_the_posted_value_is_ignored():
    f = form({"office": {"type": "string", "title": "Nơi tiếp nhận", "readOnly": True, "default": "UBND xã Tân Lập"}})
    control = page(f).control("office")
    assert control.has("readonly") and control.get("value") == "UBND xã Tân Lập"
    assert f.decode({"office": "tampered"}).instance == {"office": "UBND xã Tân Lập"}


def test_const_true_boolean_is_a_box_to_tick():
    f = form({"oath": {"type": "boolean", "title": "Tôi cam đoan", "const": True}}, ["oath"])
    control = page(f).control("oath")
    assert (control.get("type"), control.get("value"), control.has("required")) == ("checkbox", "true", True)
    assert f.submit({"oath": "true"}).instance == {"oath": True}
    assert f.submit({}).errors == {"oath": ["Vui lòng đánh dấu vào ô Tôi cam đoan"]}
    assert f.submit({}, locale="en").errors == {"oath": ["Please tick Tôi cam đoan"]}


def test_const_value_is_shown_read_only_and_checked():
    f = form({"kind": {"type": "string", "title": "Loại", "const": "lan_dau"}})
    control = page(f).control("kind")
    assert control.has("readonly") and control.get("value") == "lan_dau"
    assert f.submit({"kind": "lan_dau"}).ok
    assert f.submit({"kind": "khac"}).errors == {"kind": ["Loại phải là lan_dau"]}


def test_unique_items_error():
    f = form({"ids": {"type": "array", "title": "Số CCCD", "uniqueItems": True, "items": {"type": "string", "title": "Số"}}})
    assert f.submit({"ids-0": "1", "ids-1": "1"}).errors == {"ids": ["Số CCCD có mục bị trùng nhau"]}


# -- $ref, conditions, dependencies -------------------------------------------------------------


def test_local_ref_into_defs_with_its_own_title():
    doc = document(
        {"father": {"$ref": "#/$defs/person", "title": "Cha"}, "mother": {"$ref": "#/$defs/person", "title": "Mẹ"}},
        ["father"],
        **{"$defs": {"person": {"type": "object", "title": "Người", "required": ["name"], "properties": {"name": {"type": "string", "title": "Họ tên"}}}}},
    )
    f = compile_form(doc)
    p = page(f)
    assert p.by_id("father").children[0].all_text() == "Cha"
    assert p.by_id("mother").children[0].all_text() == "Mẹ (nếu có)"  # not required
    assert f.submit({"mother-name": "B"}).errors == {"father-name": ["Vui lòng nhập Họ tên"]}


CONDITIONAL = {
    "properties": {
        "married": {"type": "boolean", "title": "Đã kết hôn"},
        "spouse": {"type": "string", "title": "Họ tên vợ/chồng"},
        "reason": {"type": "string", "title": "Lý do chưa kết hôn"},
    },
    "if": {"properties": {"married": {"const": True}}, "required": ["married"]},
    "then": {"required": ["spouse"]},
    "else": {"required": ["reason"]},
}


def test_if_then_else_fields_show_only_when_their_condition_holds():
    f = compile_form(document(CONDITIONAL["properties"], None, **{k: v for k, v in CONDITIONAL.items() if k != "properties"}))
    p = page(f)
    spouse = p.by_id("spouse--field")
    assert spouse.get("data-show-when") == '[{"all": [["married", ["true"], true]], "not": false}]'
    assert p.by_id("reason--field").get("data-show-when") == '[{"all": [["married", ["true"], true]], "not": true}]'
    assert p.control("spouse").has("data-required-when") and not p.control("spouse").has("required")
    assert not p.by_id("married--field").has("data-show-when")
    assert f.submit({"married": "true"}).errors == {"spouse": ["Vui lòng nhập Họ tên vợ/chồng"]}
    assert f.submit({"married": "false"}).errors == {"reason": ["Vui lòng nhập Lý do chưa kết hôn"]}
    assert f.submit({"married": "true", "spouse": "B", "reason": "ignored but kept"}).ok


def test_if_then_inside_all_of_and_inside_a_repeating_group():
    item = {
        "type": "object",
        "title": "Người",
        "properties": {
            "kind": {"type": "string", "title": "Giấy tờ", "enum": ["cccd", "passport"]},
            "passport_no": {"type": "string", "title": "Số hộ chiếu", "pattern": "^[A-Z][0-9]{7}$"},
        },
        "allOf": [{"if": {"properties": {"kind": {"const": "passport"}}, "required": ["kind"]}, "then": {"required": ["passport_no"]}}],
    }
    f = form({"people": {"type": "array", "title": "Người", "items": item}})
    p = page(f)
    assert p.by_id("people-0-passport_no--field").get("data-show-when") == '[{"all": [["people-0-kind", ["passport"], true]], "not": false}]'
    template_field = [e for e in p.all if e.in_template and e.get("id") == "people-__i0__-passport_no--field"][0]
    assert "people-__i0__-kind" in template_field.get("data-show-when")
    result = f.submit({"people-0-kind": "cccd", "people-1-kind": "passport", "people-2-kind": "passport", "people-2-passport_no": "x"})
    assert result.errors == {
        "people-1-passport_no": ["Vui lòng nhập Số hộ chiếu"],
        "people-2-passport_no": ["Số hộ chiếu không đúng định dạng"],
    }


def test_condition_the_browser_cannot_evaluate_leaves_the_field_visible():
    f = compile_form(document(
        {"age": {"type": "integer", "title": "Tuổi"}, "guardian": {"type": "string", "title": "Người giám hộ"}},
        None,
        **{"if": {"properties": {"age": {"maximum": 17}}, "required": ["age"]}, "then": {"required": ["guardian"]}},
    ))
    assert not page(f).by_id("guardian--field").has("data-show-when")
    assert f.submit({"age": "15"}).errors == {"guardian": ["Vui lòng nhập Người giám hộ"]}
    assert f.submit({"age": "30"}).ok


def test_dependent_required_reports_the_missing_field():
    f = form(
        {"post": {"type": "string", "title": "Địa chỉ nhận"}, "receiver": {"type": "string", "title": "Người nhận"}},
        None,
        dependentRequired={"post": ["receiver"]},
    )
    assert f.submit({"post": "12 Lý Thường Kiệt"}).errors == {
        "receiver": ["Vui lòng nhập Người nhận (bắt buộc khi đã khai Địa chỉ nhận)"]
    }
    assert f.submit({}).ok


# -- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["data", "errors", "label", "process", "validate", "meta", "populate_obj", "name", "_fields"])
def test_property_names_that_clash_with_wtforms_still_work(key):
    f = form({key: {"type": "string", "title": "Trường"}, "box": {"type": "object", "title": "Nhóm", "properties": {key: {"type": "integer", "title": "Số"}}}})
    p = page(f)
    assert p.control(key).get("name") == key
    assert p.control(f"box-{key}").get("name") == f"box-{key}"
    posted = MultiDict({key: "a", f"box-{key}": "2"})
    assert f.submit(posted).instance == {key: "a", "box": {key: 2}}
    wt = f.wtforms_class(posted)
    names = {field.name for field in wt}
    assert {key, "box"} <= names
    box = next(field for field in wt if field.name == "box")
    assert [sub.name for sub in box] == [f"box-{key}"]
