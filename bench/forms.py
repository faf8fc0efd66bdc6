"""Form engine speed on a 60-field form, against an equivalent hand-written WTForms form.

Prints, for the engine and for WTForms measured in the same run:
- compile (cold): compile_form on a fresh cache vs defining the WTForms class and binding it;
- render (warm): the blank form, and a failed submission re-rendered with its errors;
- decode + validate of a valid submission (goal: under 2 ms), and of an invalid one.
Goal: render within 1.3x of the hand-written form.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markupsafe import Markup, escape  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402
from wtforms import (  # noqa: E402
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, Regexp  # noqa: E402

from renderers.forms import clear_cache, compile_form  # noqa: E402

PROCEDURE = {
    "code": "1.001193",
    "sector": "Hộ tịch",
    "levels": ["commune"],
    "agencies": {"competent": "Ủy ban nhân dân cấp xã"},
    "onlineService": {"level": 4},
    "channels": [{"mode": "online"}],
    "documents": [],
    "steps": ["Nộp hồ sơ"],
    "results": [{"name": "Kết quả"}],
}
ETHNIC = ["kinh", "tay", "thai", "muong", "khmer", "hoa", "nung"]
PHONE = r"^(0|\+84)(3|5|7|8|9)\d{8}$"


def person(title: str) -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "required": ["full_name", "citizen_id", "birth_date", "sex"],
        "properties": {
            "full_name": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 2, "maxLength": 100},
            "citizen_id": {"type": "string", "title": "Số định danh cá nhân", "pattern": r"^\d{12}$"},
            "birth_date": {"type": "string", "title": "Ngày sinh", "maxLength": 10},
            "sex": {"type": "string", "title": "Giới tính", "enum": ["nam", "nu"], "x-enumNames": ["Nam", "Nữ"]},
            "phone": {"type": "string", "title": "Số điện thoại", "pattern": PHONE},
            "email": {"type": "string", "title": "Thư điện tử", "maxLength": 100},
            "ethnicity": {"type": "string", "title": "Dân tộc", "enum": ETHNIC},
            "address": {"type": "string", "title": "Nơi cư trú", "x-widget": "textarea", "maxLength": 300},
        },
    }


def document() -> dict[str, Any]:
    """60 fields: two 8-field person blocks, 40 own fields, a repeating group of 4 (posted twice)."""
    properties: dict[str, Any] = {"applicant": person("Người yêu cầu"), "subject": person("Người được cấp")}
    for i in range(40):
        kind = i % 4
        if kind == 0:
            properties[f"text_{i}"] = {"type": "string", "title": f"Nội dung {i}", "maxLength": 200}
        elif kind == 1:
            properties[f"count_{i}"] = {"type": "integer", "title": f"Số lượng {i}", "minimum": 0, "maximum": 1000}
        elif kind == 2:
            properties[f"choice_{i}"] = {"type": "string", "title": f"Lựa chọn {i}", "enum": ["a", "b", "c"], "x-enumNames": ["Một", "Hai", "Ba"]}
        else:
            properties[f"note_{i}"] = {"type": "string", "title": f"Ghi chú {i}", "x-widget": "textarea", "maxLength": 500}
    properties["members"] = {
        "type": "array",
        "title": "Thành viên",
        "maxItems": 10,
        "items": {
            "type": "object",
            "title": "Thành viên",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "title": "Họ tên", "maxLength": 100},
                "age": {"type": "integer", "title": "Tuổi", "minimum": 0, "maximum": 150},
                "relation": {"type": "string", "title": "Quan hệ", "enum": ["con", "vo", "chong", "khac"]},
                "job": {"type": "string", "title": "Nghề nghiệp", "maxLength": 100},
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Thủ tục 60 trường",
        "type": "object",
        "x-procedure": PROCEDURE,
        "required": ["applicant", "text_0", "count_1", "choice_2"],
        "properties": properties,
    }


def person_values(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-full_name": "Nguyễn Văn An",
        f"{prefix}-citizen_id": "001090012345",
        f"{prefix}-birth_date": "01/02/1990",
        f"{prefix}-sex": "nam",
        f"{prefix}-phone": "0912345678",
        f"{prefix}-email": "an@example.vn",
        f"{prefix}-ethnicity": "kinh",
        f"{prefix}-address": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
    }


def posted(valid: bool = True) -> MultiDict:
    values = {**person_values("applicant"), **person_values("subject")}
    for i in range(40):
        kind = i % 4
        if kind == 0:
            values[f"text_{i}"] = f"Nội dung số {i}"
        elif kind == 1:
            values[f"count_{i}"] = str(i)
        elif kind == 2:
            values[f"choice_{i}"] = "b"
        else:
            values[f"note_{i}"] = "Dòng một\r\nDòng hai"
    values.update({"members-0-name": "Trần Thị B", "members-0-age": "30", "members-0-relation": "vo", "members-0-job": "Giáo viên"})
    values.update({"members-1-name": "Lê C", "members-1-age": "5", "members-1-relation": "con"})
    if not valid:
        values.update({"applicant-phone": "123", "count_1": "nhiều", "choice_2": "z", "members-1-age": "200"})
    return MultiDict(values)


# -- the equivalent hand-written WTForms form ----------------------------------------------------


def wtforms_class() -> type[Form]:
    """Defines the hand-written form (what a developer would write for this procedure)."""

    class PersonForm(Form):
        full_name = StringField("Họ, chữ đệm và tên", [InputRequired(), Length(2, 100)])
        citizen_id = StringField("Số định danh cá nhân", [InputRequired(), Regexp(r"^\d{12}$")])
        birth_date = StringField("Ngày sinh", [InputRequired(), Length(max=10)])
        sex = RadioField("Giới tính", choices=[("nam", "Nam"), ("nu", "Nữ")])
        phone = StringField("Số điện thoại", [Optional(), Regexp(PHONE)])
        email = StringField("Thư điện tử", [Optional(), Length(max=100)])
        ethnicity = SelectField("Dân tộc", [Optional()], choices=[("", "— Chọn —")] + [(e, e) for e in ETHNIC], validate_choice=False)
        address = TextAreaField("Nơi cư trú", [Optional(), Length(max=300)])

    class MemberForm(Form):
        name = StringField("Họ tên", [InputRequired(), Length(max=100)])
        age = IntegerField("Tuổi", [Optional(), NumberRange(0, 150)])
        relation = RadioField("Quan hệ", [Optional()], choices=[(v, v) for v in ("con", "vo", "chong", "khac")], validate_choice=False)
        job = StringField("Nghề nghiệp", [Optional(), Length(max=100)])

    attrs: dict[str, Any] = {"applicant": FormField(PersonForm, "Người yêu cầu"), "subject": FormField(PersonForm, "Người được cấp")}
    for i in range(40):
        kind = i % 4
        required = [InputRequired()] if i in (0, 1, 2) else [Optional()]
        if kind == 0:
            attrs[f"text_{i}"] = StringField(f"Nội dung {i}", [*required, Length(max=200)])
        elif kind == 1:
            attrs[f"count_{i}"] = IntegerField(f"Số lượng {i}", [*required, NumberRange(0, 1000)])
        elif kind == 2:
            attrs[f"choice_{i}"] = RadioField(f"Lựa chọn {i}", [*required, AnyOf(["a", "b", "c"])], choices=[("a", "Một"), ("b", "Hai"), ("c", "Ba")], validate_choice=False)
        else:
            attrs[f"note_{i}"] = TextAreaField(f"Ghi chú {i}", [Optional(), Length(max=500)])
    attrs["members"] = FieldList(FormField(MemberForm), "Thành viên", min_entries=1, max_entries=10)
    return type("HandWrittenForm", (Form,), attrs)


def render_wtforms(form: Form) -> str:
    """A typical template: label, help, errors and input for every field, groups as fieldsets."""
    out: list[str] = []
    for field in form:
        render_field(field, out)
    return "".join(out)


def render_field(field: Any, out: list[str]) -> None:
    if field.type in ("FormField", "FieldList"):
        out.append(f'<fieldset id="{field.id}"><legend>{escape(field.label.text)}</legend>')
        for sub in field:
            render_field(sub, out)
        out.append("</fieldset>")
        return
    errors = ""
    if field.errors:
        errors = Markup('<p class="error" id="{}--error">{}</p>').format(field.id, "; ".join(field.errors))
    described = {"aria-describedby": f"{field.id}--error", "aria-invalid": "true"} if field.errors else {}
    required = {"required": True} if any(isinstance(v, InputRequired) for v in field.validators) else {}
    if field.type == "RadioField":
        options = "".join(f"<div>{option(**described)}{option.label()}</div>" for option in field)
        out.append(f"<fieldset><legend>{escape(field.label.text)}</legend>{errors}{options}</fieldset>")
    else:
        out.append(f'<div class="field">{field.label()}{errors}{field(**described, **required)}</div>')


# -- timing --------------------------------------------------------------------------------------


def per_call(func: Callable[[], Any], number: int, rounds: int = 7) -> float:
    """Seconds per call: the best of `rounds` rounds of `number` calls (least disturbed by load)."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            func()
        samples.append((time.perf_counter() - start) / number)
    return min(samples)


def main() -> None:
    doc = document()
    good, bad = posted(True), posted(False)

    def compile_cold() -> Any:
        clear_cache()
        return compile_form(doc)

    def wtforms_cold() -> Any:
        return wtforms_class()(MultiDict())

    compiled = compile_cold()
    inputs = sum(1 for node in compiled.root.walk() if node.widget not in ("group", "repeat"))
    assert compiled.submit(good).ok, compiled.submit(good).errors
    errors = compiled.submit(bad).errors
    assert len(errors) == 4, errors
    hand = wtforms_class()
    assert hand(good).validate(), hand(good).errors
    wt_bad = hand(bad)
    assert not wt_bad.validate()

    rows = [
        ("compile (cold)", per_call(compile_cold, 20), per_call(wtforms_cold, 20)),
        ("render blank (warm)", per_call(lambda: compiled.render(), 300), per_call(lambda: render_wtforms(hand()), 300)),
        (
            "re-render with errors (warm)",
            per_call(lambda: compiled.render(bad, errors), 300),
            per_call(lambda: render_wtforms(_validated(hand, bad)), 300),
        ),
        ("decode + validate (valid)", per_call(lambda: compiled.submit(good), 300), per_call(lambda: hand(good).validate(), 300)),
        ("decode + validate (invalid)", per_call(lambda: compiled.submit(bad), 300), per_call(lambda: hand(bad).validate(), 300)),
    ]
    print(f"Form of {inputs} inputs; best of 7 rounds; engine vs hand-written WTForms in this run")
    print(f"{'':32}{'engine':>12}{'WTForms':>12}{'ratio':>9}")
    for label, ours, theirs in rows:
        print(f"{label:32}{ours * 1e3:>10.3f}ms{theirs * 1e3:>10.3f}ms{ours / theirs:>8.2f}x")
    render_ratio = rows[1][1] / rows[1][2]
    valid_ms = rows[3][1] * 1e3
    print(f"goal render <= 1.3x: {'met' if render_ratio <= 1.3 else 'MISSED'} ({render_ratio:.2f}x)")
    print(f"goal decode + validate < 2 ms: {'met' if valid_ms < 2 else 'MISSED'} ({valid_ms:.3f} ms)")


def _validated(form_class: type[Form], data: MultiDict) -> Form:
    form = form_class(data)
    form.validate()
    return form


if __name__ == "__main__":
    main()
