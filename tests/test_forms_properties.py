"""Property tests: a valid application posted as a browser would is accepted and decoded back
equal; a broken one is rejected with its error on the right field.

Over generated schemas (every widget, nesting, repeating groups, a conditional, names that
clash with WTForms) and over the sample catalogue when it is present.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from form_schemas.instance import input_name
from form_schemas.reader import resolve
from renderers.forms import compile_form
from tests.forms_samples import PROCEDURE, VALID_BIRTH, birth

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "catalog" / "samples").glob("*.json"))
NAMES = ["data", "errors", "label", "process", "validate", "meta", "full_name", "phone", "ward", "note", "count", "kind2", "dob", "x1"]
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãếệờởỡúùủũỹĐÂ0123456789&<>\"'.,/-()"
WORD = st.text(alphabet=LETTERS, min_size=1, max_size=8)


def words(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(WORD, min_size=1, max_size=4).map(" ".join).filter(lambda s: len(s) <= max_size)


# -- schemas ------------------------------------------------------------------------------------

LEAVES: list[st.SearchStrategy[dict[str, Any]]] = [
    st.builds(lambda n: {"type": "string", "title": "Chữ", "maxLength": n}, st.integers(10, 40)),
    st.builds(lambda n: {"type": "string", "title": "Văn bản", "x-widget": "textarea", "maxLength": n}, st.integers(10, 60)),
    st.builds(lambda lo, span: {"type": "integer", "title": "Số", "minimum": lo, "maximum": lo + span}, st.integers(-50, 50), st.integers(1, 5000)),
    st.just({"type": "number", "title": "Số thực", "minimum": -1000, "maximum": 1000}),
    st.just({"type": "boolean", "title": "Có/không"}),
    st.just({"type": "boolean", "title": "Cam đoan", "const": True}),
    st.just({"type": "string", "title": "Ngày", "format": "date"}),
    st.just({"type": "string", "title": "Điện thoại", "format": "vn-phone"}),
    st.just({"type": "string", "title": "Tệp", "x-widget": "file", "contentMediaType": "application/pdf"}),
    st.builds(
        lambda values, widget: {"type": "string", "title": "Chọn", "enum": values, **({"x-widget": widget} if widget else {})},
        st.lists(words(20), min_size=2, max_size=8, unique=True),
        st.sampled_from([None, "radio", "select"]),
    ),
    st.builds(
        lambda values: {"type": "integer", "title": "Mức", "oneOf": [{"const": v, "title": f"Mức {v}"} for v in values]},
        st.lists(st.integers(0, 99), min_size=1, max_size=7, unique=True),
    ),
    st.builds(
        lambda values, widget: {"type": "array", "title": "Nhiều lựa chọn", "uniqueItems": True, "items": {"type": "string", "enum": values}, **({"x-widget": widget} if widget else {})},
        st.lists(words(15), min_size=1, max_size=6, unique=True),
        st.sampled_from([None, "select"]),
    ),
    st.builds(
        lambda n: {"type": "array", "title": "Danh sách", "maxItems": n, "items": {"type": "string", "title": "Mục", "maxLength": 20}},
        st.integers(1, 4),
    ),
]


def is_scalar(schema: dict[str, Any]) -> bool:
    return schema["type"] != "object" and schema["type"] != "array"


@st.composite
def object_schema(draw: st.DrawFn, depth: int) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    properties = {name: draw(field_schema(depth)) for name in names}
    scalars = [name for name, sub in properties.items() if is_scalar(sub)]
    if not scalars:
        properties["anchor"] = {"type": "string", "title": "Neo", "maxLength": 20}
        scalars = ["anchor"]
    required = set(draw(st.lists(st.sampled_from(list(properties)), unique=True)))
    required.add(draw(st.sampled_from(scalars)))  # so a present group always has content
    return {"type": "object", "title": "Nhóm", "properties": properties, "required": sorted(required)}


def field_schema(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    options = list(LEAVES)
    if depth < 2:
        options.append(object_schema(depth + 1))
        options.append(
            st.builds(
                lambda item, low, extra: {"type": "array", "title": "Nhóm lặp lại", "minItems": low, "maxItems": low + extra, "items": item},
                object_schema(depth + 1),
                st.integers(0, 1),
                st.integers(1, 3),
            )
        )
    return st.one_of(options)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    root = draw(object_schema(0))
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Thủ tục sinh ngẫu nhiên",
        "x-procedure": PROCEDURE,
        **root,
    }
    if draw(st.booleans()):  # a conditional field, shown when mode is "a"
        doc["properties"]["mode"] = {"type": "string", "title": "Hình thức", "enum": ["a", "b"]}
        doc["properties"]["detail"] = {"type": "string", "title": "Chi tiết", "maxLength": 30}
        doc["allOf"] = [{"if": {"properties": {"mode": {"const": "a"}}, "required": ["mode"]}, "then": {"required": ["detail"]}}]
    return doc


# -- instances ----------------------------------------------------------------------------------


def value_for(draw: st.DrawFn, schema: dict[str, Any], required: bool) -> Any:
    kind = schema["type"]
    if kind == "object":
        return object_value(draw, schema)
    if kind == "array":
        items = schema["items"]
        if "enum" in items:
            chosen = draw(st.lists(st.sampled_from(items["enum"]), unique=True, min_size=0 if required else 1))
            return [v for v in items["enum"] if v in chosen]  # browsers post in page order
        low = schema.get("minItems", 0) if required else max(1, schema.get("minItems", 0))
        high = max(low, min(schema.get("maxItems", 3), 3))
        return draw(st.lists(values(items, True), min_size=low, max_size=high))
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    if "oneOf" in schema:
        return draw(st.sampled_from([o["const"] for o in schema["oneOf"]]))
    if "const" in schema:
        return schema["const"]
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "integer":
        return draw(st.integers(schema["minimum"], schema["maximum"]))
    if kind == "number":
        return draw(st.integers(-100000, 100000)) / 100
    fmt = schema.get("format")
    if fmt == "date":
        return draw(st.dates(date(1900, 1, 1), date(2100, 12, 31))).isoformat()
    if fmt == "vn-phone":
        return draw(st.from_regex(r"0[35789][0-9]{8}", fullmatch=True))
    if schema.get("x-widget") == "file":
        return draw(st.from_regex(r"att-[a-z0-9]{8}", fullmatch=True))
    if schema.get("x-widget") == "textarea":
        return draw(st.lists(words(18), min_size=1, max_size=3).map("\n".join).filter(lambda s: len(s) <= schema["maxLength"]))
    return draw(words(schema.get("maxLength", 30)))


@st.composite
def values(draw: st.DrawFn, schema: dict[str, Any], required: bool) -> Any:
    return value_for(draw, schema, required)


def object_value(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    required = set(schema.get("required", []))
    found = {}
    for name, sub in schema["properties"].items():
        if name in required or draw(st.booleans()):
            found[name] = value_for(draw, sub, name in required)
    if found.get("mode") == "a" and "detail" not in found:
        found["detail"] = draw(words(30))
    return found


# -- breaking an instance -----------------------------------------------------------------------


def blank(value: Any) -> bool:
    """What a browser posts as nothing: empty text, lists and groups of blanks."""
    if isinstance(value, dict):
        return all(blank(v) for v in value.values())
    if isinstance(value, list):
        return all(blank(v) for v in value)
    return value is None or value == ""


def breakable(document: dict[str, Any], schema: Any, value: Any, path: tuple, parent_required: bool, parent: Any) -> list[tuple]:
    """(path, how) pairs: ways to make `value` invalid whose error belongs to `path`'s input."""
    schema = resolve(document, schema)
    sites: list[tuple] = []
    kind = schema.get("type")
    if kind == "object" and isinstance(value, dict):
        required = set(schema.get("required", []))
        for name, sub in (schema.get("properties") or {}).items():
            if name in value:
                sites += breakable(document, sub, value[name], (*path, name), name in required, value)
        return sites
    if kind == "array" and isinstance(value, list):
        items = schema.get("items") or {}
        if "enum" not in resolve(document, items):
            for index, item in enumerate(value):
                sites += breakable(document, items, item, (*path, index), False, value)
        return sites
    plain = "enum" not in schema and "oneOf" not in schema and "const" not in schema and not schema.get("readOnly")
    # Deleting a required field is only detectable when something else of its group is filled:
    # a group holding nothing but blanks posts exactly like an optional group left empty.
    others = [v for k, v in parent.items() if k != path[-1]] if isinstance(parent, dict) else []
    if parent_required and any(not blank(v) for v in others) and not schema.get("readOnly"):
        sites.append((path, "delete"))
    if plain and kind == "string" and "maxLength" in schema and "format" not in schema and "pattern" not in schema and schema.get("x-widget") != "file":
        sites.append((path, "x" * (schema["maxLength"] + 1)))
    if plain and kind == "integer" and "maximum" in schema and "multipleOf" not in schema:
        sites.append((path, schema["maximum"] + 1))
    if plain and schema.get("format") == "vn-phone":
        sites.append((path, "0123"))
    return sites


def broken(instance: dict[str, Any], site: tuple) -> dict[str, Any]:
    path, how = site
    copy_ = copy.deepcopy(instance)
    target: Any = copy_
    for part in path[:-1]:
        target = target[part]
    if how == "delete":
        del target[path[-1]]
    else:
        target[path[-1]] = how
    return copy_


# -- properties ---------------------------------------------------------------------------------

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(st.data())
def test_generated_valid_application_round_trips(data):
    document = data.draw(documents())
    form = compile_form(document)
    instance = data.draw(values(document, True))
    assert form.validator.is_valid(instance), list(form.validator.iter_errors(instance))[:1]
    posted = form.encode(instance)
    result = form.submit(posted)
    assert result.errors == {}
    assert result.instance == instance
    html = form.render(posted)
    for name in posted:
        assert f'name="{name}"' in html


@FAST
@given(st.data())
def test_generated_broken_application_is_rejected_on_the_right_field(data):
    document = data.draw(documents())
    form = compile_form(document)
    instance = data.draw(values(document, True))
    sites = breakable(document, document, instance, (), True, None)
    if not sites:
        return
    site = data.draw(st.sampled_from(sites))
    bad = broken(instance, site)
    result = form.submit(form.encode(bad))
    assert set(result.errors) == {input_name(site[0])}, (site, result.errors)
    page = form.render(form.encode(bad), result.errors)
    assert f'id="{input_name(site[0])}--error"' in page or 'aria-invalid="true"' in page


def test_own_realistic_sample_round_trips_and_breaks_right():
    document = birth()
    form = compile_form(document)
    assert form.submit(form.encode(VALID_BIRTH)).instance == VALID_BIRTH
    for site in breakable(document, document, VALID_BIRTH, (), True, None):
        errors = form.submit(form.encode(broken(VALID_BIRTH, site))).errors
        assert input_name(site[0]) in errors, (site, errors)


# -- the sample catalogue (when present on this branch) -----------------------------------------


def sample_instance(path: Path) -> dict[str, Any] | None:
    candidate = ROOT / "tests" / "sample_instances" / path.name
    return json.loads(candidate.read_text(encoding="utf-8")) if candidate.is_file() else None


@pytest.mark.skipif(not SAMPLES, reason="the sample catalogue is not on this branch yet")
@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_catalogue_forms(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    form = compile_form(document)
    html = form.render()
    assert html.count("<label") >= 3
    instance = sample_instance(path)
    if instance is None:
        return
    result = form.submit(form.encode(instance))
    assert result.errors == {}
    assert result.instance == instance
    for site in breakable(document, document, instance, (), True, None):
        errors = form.submit(form.encode(broken(instance, site))).errors
        assert input_name(site[0]) in errors, (site, errors)
