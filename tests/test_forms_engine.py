"""The form engine as a whole: refusals, caching, accessibility, a realistic procedure."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from form_schemas.instance import validate_instance
from renderers.forms import SCRIPT, STATIC_DIR, STYLE, UnsupportedForm, clear_cache, compile_form
from tests.forms_html import Page
from tests.forms_samples import VALID_BIRTH, birth, document

# -- refusals -----------------------------------------------------------------------------------


def refusal(doc: dict) -> list[tuple[str, str]]:
    with pytest.raises(UnsupportedForm) as caught:
        compile_form(doc)
    return [(p.pointer, p.message_en) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("properties", "extra", "pointer", "words"),
    [
        ({"x": {"type": "string", "title": "X", "minContains": 1}}, {}, "/properties/x", "minContains"),
        ({"x": {"title": "X"}}, {}, "/properties/x", "'type' is missing"),
        ({"x": {"type": ["string", "integer"], "title": "X"}}, {}, "/properties/x", "'type' is missing"),
        ({"x": {"type": "integer", "title": "X", "x-widget": "file"}}, {}, "/properties/x", "file field"),
        ({"x": {"type": "string", "title": "X", "x-widget": "radio"}}, {}, "/properties/x", "needs an enum"),
        ({"x": {"type": "string", "title": "X", "x-widget": "checkboxes", "enum": ["a"]}}, {}, "/properties/x", "array of choices"),
        ({"x": {"type": "string", "title": "X", "contentMediaType": "image/png"}}, {}, "/properties/x", "file fields"),
        ({"x": {"type": "array", "title": "X"}}, {}, "/properties/x", "no 'items'"),
        ({"x": {"type": "string", "title": "X", "enum": ["a", "b"], "x-enumNames": ["A"]}}, {}, "/properties/x", "match enum"),
        ({"x": {"$ref": "https://example.com/person.json"}}, {}, "/properties/x", "Only local $ref"),
        ({"x": {"$ref": "#/$defs/nothing"}}, {}, "/properties/x", "points to nothing"),
        ({"x": {"type": "string", "title": "X"}}, {"required": ["y"]}, "/required", "'y'"),
        ({"x": {"type": "string", "title": "X"}}, {"if": {"properties": {"x": {"const": "a"}}}, "then": {"properties": {"y": {"type": "string"}}, "required": ["y"]}}, "/then/properties/y", "only in a condition"),
        ({"x": {"type": "string", "title": "X"}}, {"dependentRequired": {"x": ["z"]}}, "/dependentRequired/x", "'z'"),
        ({"x": {"type": "string", "title": "X"}}, {"not": {"required": ["x"]}}, "", "not"),
        ({"x": {"type": "string", "title": "X"}}, {"allOf": [{"anyOf": [{"required": ["x"]}]}]}, "/allOf/0", "anyOf"),
        ({"x": {"type": "array", "title": "X", "minItems": 3, "maxItems": 1, "items": {"type": "string", "title": "Y"}}}, {}, "/properties/x", "maxItems"),
    ],
)
def test_unsupported_constructs_are_refused_with_a_pointer(properties, extra, pointer, words):
    doc = document(properties)
    doc.update(extra)
    problems = refusal(doc)
    assert any(p == pointer and words in message for p, message in problems), problems


def test_recursive_ref_is_refused():
    doc = document(
        {"person": {"$ref": "#/$defs/person"}},
        None,
        **{"$defs": {"person": {"type": "object", "title": "Người", "properties": {"children": {"type": "array", "title": "Con", "items": {"$ref": "#/$defs/person"}}}}}},
    )
    problems = refusal(doc)
    assert any("recursive" in message for _, message in problems)


def test_every_problem_is_reported_at_once_in_both_languages():
    with pytest.raises(UnsupportedForm) as caught:
        compile_form(document({"a": {"type": "string", "title": "A", "foo": 1}, "b": {"type": "thing", "title": "B"}}))
    problems = caught.value.problems
    assert [p.pointer for p in problems] == ["/properties/a", "/properties/b"]
    assert problems[0].message_vi == "Biểu mẫu không hỗ trợ từ khóa: foo"


# -- caching ------------------------------------------------------------------------------------


def test_compiled_once_per_document_version():
    clear_cache()
    first = compile_form(birth())
    assert compile_form(birth()) is first  # an equal document, another dict: same version
    changed = birth()
    changed["properties"]["notes"]["maxLength"] = 400
    assert compile_form(changed) is not first
    assert compile_form(birth(), key=first.key) is first


# -- a realistic procedure ----------------------------------------------------------------------


def test_birth_registration_round_trip():
    f = compile_form(birth())
    posted = f.encode(VALID_BIRTH)
    assert posted.getlist("delivery") == ["counter", "post"]
    assert posted["siblings-0-name"] == "Nguyễn Thu Hà"
    result = f.submit(posted)
    assert result.ok, result.errors
    assert result.instance == VALID_BIRTH
    assert validate_instance(f.document, result.instance) == {}


def test_birth_registration_errors_land_on_their_fields_in_both_languages():
    f = compile_form(birth())
    posted = f.encode(VALID_BIRTH)
    posted["applicant-citizen_id"] = "12345"
    posted["relationship"] = "other"
    posted["siblings-0-birth_year"] = "1800"
    posted["postal_address"] = "Số 1 Tràng Tiền"
    del posted["declaration"]
    errors = f.submit(posted).errors
    assert errors == {
        "applicant-citizen_id": ["Số định danh cá nhân phải là số định danh cá nhân (CCCD) hợp lệ gồm 12 chữ số"],
        "relationship_other": ["Vui lòng nhập Ghi rõ quan hệ"],
        "siblings-0-birth_year": ["Năm sinh phải lớn hơn hoặc bằng 1.900"],
        "declaration": ["Vui lòng đánh dấu vào ô Tôi cam đoan nội dung khai trên là đúng sự thật"],
    }
    english = f.submit(posted, locale="en").errors
    assert english["relationship_other"] == ["Please enter Ghi rõ quan hệ"]
    assert english["siblings-0-birth_year"] == ["Năm sinh must be at least 1,900"]


def test_failed_submission_re_renders_every_value_typed():
    f = compile_form(birth())
    posted = f.encode(VALID_BIRTH)
    posted["copies"] = "hai"
    posted["notes"] = "Xin cấp sớm <b>gấp</b>"
    result = f.submit(posted)
    assert result.errors == {"copies": ["Số bản sao yêu cầu phải là một số nguyên"]}
    page = Page(f.render(posted, result.errors))
    for name in ("applicant-full_name", "applicant-citizen_id", "child-birth_date", "siblings-0-name", "copies", "child-birth_weight"):
        assert page.control(name).get("value") == posted[name], name
    assert page.control("notes").all_text().strip() == "Xin cấp sớm <b>gấp</b>"
    assert "<b>gấp" not in page.html  # escaped
    assert [e.get("value") for e in page.named("relationship") if e.has("checked")] == ["father"]
    assert [e.get("value") for e in page.named("delivery") if e.has("checked")] == ["counter", "post"]
    assert page.control("declaration").has("checked")
    assert [o.get("value") for o in page.control("child-ethnicity").children if o.has("selected")] == ["kinh"]


# -- accessibility ------------------------------------------------------------------------------


def rendered_pages() -> list[Page]:
    f = compile_form(birth())
    posted = MultiDict({"relationship": "other", "applicant-phone": "1", "delivery": "x", "siblings-0-birth_year": "1"})
    result = f.submit(posted, locale="en")
    return [Page(f.render()), Page(f.render(posted, result.errors, locale="en"))]


@pytest.mark.parametrize("index", [0, 1])
def test_every_input_has_a_label_and_unique_id(index):
    page = rendered_pages()[index]
    ids = [e.get("id") for e in page.elements if e.get("id")]
    assert len(ids) == len(set(ids))
    for control in page.controls():
        ident = control.get("id")
        assert ident, control.attrs
        assert page.label_for(ident).all_text().strip()


def test_errors_are_summarised_linked_and_announced():
    page = rendered_pages()[1]
    summary = page.by_id("mc-error-summary")
    assert summary.get("role") == "alert"
    links = [e for e in page.elements if e.tag == "a" and any(a is summary for a in e.ancestors())]
    assert len(links) >= 4
    for link in links:
        target = page.by_id(link.get("href")[1:])
        assert target.tag in ("input", "select", "textarea", "fieldset")
    phone = page.control("applicant-phone")
    assert phone.get("aria-invalid") == "true"
    error = page.by_id("applicant-phone--error")
    assert "applicant-phone--error" in phone.get("aria-describedby").split()
    assert "10-digit mobile number" in error.all_text()


def test_choice_groups_are_fieldsets_with_a_legend():
    page = rendered_pages()[0]
    for name in ("relationship", "delivery", "child-sex"):
        group = page.by_id(f"{name}--field")
        assert group.tag == "fieldset" and group.children[0].tag == "legend"


def test_repeat_buttons_are_real_buttons_reachable_by_keyboard():
    page = rendered_pages()[0]
    buttons = page.tags("button")
    assert buttons and all(b.get("type") == "submit" and b.get("name") == "__action" for b in buttons)
    assert all(b.all_text().strip() for b in buttons)
    assert not [e for e in page.elements if e.get("tabindex") not in (None, "-1", "0")]


def test_assets_are_shipped():
    assert "data-show-when" in SCRIPT and "data-repeat" in SCRIPT
    assert ".mc-error" in STYLE
    assert (STATIC_DIR / "forms.js").is_file()
