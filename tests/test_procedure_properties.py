"""Property test: generated valid documents pass; each mutation is refused at its pointer."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from form_schemas.problems import pointer
from form_schemas.validation import validate_procedure
from tests.factories import document

names = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
titles = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠàáảãạ ", min_size=1, max_size=20).filter(str.strip)


@st.composite
def leaf(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["text", "integer", "number", "boolean", "choice", "date", "file", "phone"]))
    field: dict[str, Any] = {"title": draw(titles)}
    if kind == "text":
        low = draw(st.integers(0, 5))
        field |= {"type": "string", "minLength": low, "maxLength": low + draw(st.integers(0, 200))}
        if draw(st.booleans()):
            field["x-widget"] = "textarea"
    elif kind in ("integer", "number"):
        low = draw(st.integers(-100, 100))
        field |= {"type": kind, "minimum": low, "maximum": low + draw(st.integers(0, 1000))}
    elif kind == "boolean":
        field |= {"type": "boolean"}
    elif kind == "choice":
        values = draw(st.lists(names, min_size=1, max_size=6, unique=True))
        field |= {"type": "string", "enum": values, "x-enumNames": [v.upper() for v in values]}
    elif kind == "date":
        field |= {"type": "string", "format": "date"}
    elif kind == "phone":
        field |= {"type": "string", "format": "vn-phone"}
    else:
        field |= {"type": "string", "x-widget": "file", "contentMediaType": "application/pdf"}
    return field


def group(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    def build(title: str, props: dict[str, Any], as_list: bool, required: bool) -> dict[str, Any]:
        obj: dict[str, Any] = {"type": "object", "title": title, "properties": props}
        if required:
            obj["required"] = sorted(props)[:1]
        if as_list:
            return {"type": "array", "title": title, "items": obj, "minItems": 0, "maxItems": 5}
        return obj

    return st.builds(build, titles, st.dictionaries(names, children, min_size=1, max_size=4),
                     st.booleans(), st.booleans())


def form_depth(field: dict[str, Any]) -> int:
    """Levels of groups, a repeating group counting once (as the validator counts them)."""
    if "items" in field:
        return form_depth(field["items"])
    children = (field.get("properties") or {}).values()
    return 1 + max((form_depth(c) for c in children), default=0) if "properties" in field else 0


fields = st.recursive(leaf(), group, max_leaves=12).filter(lambda f: form_depth(f) <= 7)


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = document()
    doc["properties"] = draw(st.dictionaries(names, fields, min_size=1, max_size=6))
    doc["required"] = sorted(doc["properties"])[: draw(st.integers(0, 2))]
    doc["x-procedure"]["documents"] = []
    doc["x-procedure"]["onlineService"] = {"level": draw(st.integers(1, 4))}
    doc["x-procedure"]["levels"] = draw(st.lists(
        st.sampled_from(["central", "province", "district", "commune", "other"]), min_size=1, unique=True))
    return doc


def field_paths(doc: dict[str, Any]) -> list[list[str | int]]:
    """Paths of every form property in the document."""
    out: list[list[str | int]] = []

    def walk(node: dict[str, Any], path: list[str | int]) -> None:
        for name, child in (node.get("properties") or {}).items():
            out.append([*path, "properties", name])
            walk(child, [*path, "properties", name])
        if isinstance(node.get("items"), dict):
            walk(node["items"], [*path, "items"])

    walk(doc, [])
    return out


def at(doc: dict[str, Any], path: list[str | int]) -> Any:
    for key in path:
        doc = doc[key]  # type: ignore[index]
    return doc


MUTATIONS = ["unknown_keyword", "drop_title", "bad_type", "remote_ref", "bad_level", "drop_fact", "bad_pattern"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_generated_valid_documents_are_accepted(doc: dict[str, Any]) -> None:
    assert validate_procedure(doc) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents(), st.sampled_from(MUTATIONS), st.data())
def test_mutated_documents_are_rejected_at_the_pointer(doc: dict[str, Any], mutation: str, data: st.DataObject) -> None:
    doc = copy.deepcopy(doc)
    path = data.draw(st.sampled_from(field_paths(doc)))
    field = at(doc, path)
    expected: list[str | int]
    if mutation == "unknown_keyword":
        field["colour"] = "red"
        expected = [*path, "colour"]
    elif mutation == "drop_title":  # accepted: the citizen sees the name made readable, the author a warning
        del field["title"]
        verdict = validate_procedure(doc)
        assert verdict == [] and pointer(path) in {w.pointer for w in verdict.warnings}
        return
    elif mutation == "bad_type":
        field["type"] = "date"
        expected = [*path, "type"]
    elif mutation == "remote_ref":
        at(doc, path[:-1])[path[-1]] = {"$ref": "https://example.org/x.json"}
        expected = [*path, "$ref"]
    elif mutation == "bad_level":
        doc["x-procedure"]["levels"] = ["village"]
        expected = ["x-procedure", "levels", 0]
    elif mutation == "drop_fact":
        key = data.draw(st.sampled_from(["sector", "channels", "steps", "results", "agencies"]))
        del doc["x-procedure"][key]
        expected = ["x-procedure"]
    else:
        field["pattern"] = "^(a)\\1$" if field.get("type") == "string" else "("
        expected = [*path, "pattern"]
    found = validate_procedure(doc)
    assert found, "a mutated document was accepted"
    assert pointer(expected) in {p.pointer for p in found}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents(), st.sampled_from(MUTATIONS), st.data())
def test_fast_and_detailed_meta_validation_agree(doc: dict[str, Any], mutation: str, data: st.DataObject) -> None:
    """The jsonschema-rs shortcut may only say "valid" where jsonschema finds no error."""
    from form_schemas.metaschema import fast_meta_validator, meta_validator

    doc = copy.deepcopy(doc)
    if data.draw(st.booleans()):
        field = at(doc, data.draw(st.sampled_from(field_paths(doc))))
        field.update({"unknown_keyword": {"x-colour": 1}, "drop_title": {"title": ""},
                      "bad_type": {"type": "date"}}.get(mutation, {"minLength": -1}))
    detailed_valid = not list(meta_validator().iter_errors(doc))
    assert fast_meta_validator().is_valid(doc) == detailed_valid
