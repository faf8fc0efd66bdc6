"""The sample catalogue: every shipped procedure is valid and a realistic application fits it."""

from __future__ import annotations

import copy
import json
import pathlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from catalog.samples import load_samples, sample_paths
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.validation import validate_procedure

ROOT = pathlib.Path(__file__).resolve().parent.parent
META = json.loads((ROOT / "form_schemas" / "procedure.schema.json").read_text(encoding="utf-8"))
INSTANCES_DIR = pathlib.Path(__file__).resolve().parent / "sample_instances"
PATHS = sample_paths()

Schema = dict[str, Any]


def _load(path: pathlib.Path) -> Schema:
    return json.loads(path.read_text(encoding="utf-8"))


def _meta_errors(document: Schema) -> list[str]:
    return [str(problem) for problem in validate_procedure(document)]


def _resolve(document: Schema, field: Schema) -> Schema:
    """Follow a local `$ref` into `$defs`, keeping the referring field's own keywords."""
    ref = field.get("$ref")
    if not ref:
        return field
    target = document["$defs"][ref.removeprefix("#/$defs/")]
    return {**target, **{k: v for k, v in field.items() if k != "$ref"}}


def _field_at(document: Schema, dotted: str) -> Schema | None:
    """The form property a `documents[].field` path names, or None."""
    node: Schema = document
    for name in dotted.split("."):
        node = _resolve(document, node)
        properties = node.get("properties", {})
        if name not in properties:
            return None
        node = properties[name]
    return _resolve(document, node)


def _fields(document: Schema) -> Iterator[tuple[str, Schema]]:
    """Every form field (resolved), with a readable path; `$defs` included."""
    stack: list[tuple[str, Schema]] = [("", document)]
    stack += [(f"$defs.{name}", schema) for name, schema in document.get("$defs", {}).items()]
    while stack:
        path, field = stack.pop()
        yield path, field
        for name, child in field.get("properties", {}).items():
            stack.append((f"{path}.{name}".lstrip("."), child))
        if isinstance(field.get("items"), dict):
            stack.append((f"{path}[]", field["items"]))


def _constraints(schema: Schema) -> Iterator[Schema]:
    """The if/then/else and allOf sub-schemas attached to one field."""
    for key in ("if", "then", "else"):
        if isinstance(schema.get(key), dict):
            yield schema[key]
    yield from schema.get("allOf", [])


def required_problems(document: Schema) -> list[str]:
    """Names listed in `required` (fields, constraints, dependentRequired) that no property declares."""
    problems: list[str] = []

    def check(path: str, context: Schema, schema: Schema) -> None:
        context = _resolve(document, context)
        declared = set(context.get("properties", {}))
        names = list(schema.get("required", []))
        for key, values in schema.get("dependentRequired", {}).items():
            names += [key, *values]
        problems.extend(f"{path or '/'}: {name}" for name in names if name not in declared)
        for name, sub in schema.get("properties", {}).items():
            if sub is not context.get("properties", {}).get(name):  # a constraint's own map
                if name not in declared:
                    problems.append(f"{path or '/'}: {name}")
                else:
                    check(f"{path}.{name}".lstrip("."), context["properties"][name], sub)
        if isinstance(schema.get("items"), dict) and schema["items"] is not context.get("items"):
            check(f"{path}[]", context.get("items", {}), schema["items"])
        for sub in _constraints(schema):
            check(path, context, sub)

    for path, field in _fields(document):
        if field.get("type") == "object" or "$ref" in field or field is document:
            check(path, field, _resolve(document, field))
    return problems


def document_field_problems(document: Schema) -> list[str]:
    """`documents[].field` paths that do not name a file upload property."""
    problems = []
    for item in document["x-procedure"]["documents"]:
        if "field" not in item:
            continue
        field = _field_at(document, item["field"])
        if field is None or field.get("x-widget") != "file" or field.get("type") != "string":
            problems.append(f"{item['id']}: {item['field']}")
    return problems


def _fieldset_depth(document: Schema, field: Schema, seen: frozenset[str] = frozenset()) -> int:
    ref = field.get("$ref")
    if ref in seen:
        return 0
    seen = seen | {ref} if ref else seen
    field = _resolve(document, field)
    children = list(field.get("properties", {}).values())
    if isinstance(field.get("items"), dict):
        children.append(field["items"])
    return 1 + max((_fieldset_depth(document, c, seen) for c in children), default=0)


def _json_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_json_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_json_depth, value), default=0)
    return 0


def _instance(code: str) -> Any:
    return json.loads((INSTANCES_DIR / f"{code}.json").read_text(encoding="utf-8"))


def _instance_errors(document: Schema, instance: Any) -> list[str]:
    validator = Draft202012Validator(document, format_checker=FORMAT_CHECKER)
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def _ids(paths: list[pathlib.Path]) -> list[str]:
    return [p.stem for p in paths]


# --- the catalogue as a whole ------------------------------------------------------------


def test_catalogue_ships_at_least_eight_sorted_json_documents() -> None:
    assert len(PATHS) >= 8
    assert sorted(PATHS) == PATHS
    assert all(p.suffix == ".json" and p.is_file() for p in PATHS)


def test_codes_are_unique_and_match_file_names() -> None:
    codes = [_load(p)["x-procedure"]["code"] for p in PATHS]
    assert len(set(codes)) == len(codes)
    assert codes == [p.stem for p in PATHS]
    assert list(load_samples()) == codes


def test_domain_table_procedures_are_all_present() -> None:
    domain_codes = {"1.001193", "1.000894", "2.000815", "3.000333", "1.001612", "1.004222", "1.013225"}
    assert domain_codes <= {p.stem for p in PATHS}


def test_online_service_levels_are_mixed_and_level_4_charges_online() -> None:
    docs = [_load(p)["x-procedure"] for p in PATHS]
    levels = [d["onlineService"]["level"] for d in docs]
    assert 2 in levels and levels.count(3) >= 2
    paid_online = [
        d["code"]
        for d in docs
        if d["onlineService"]["level"] == 4
        and any(f["amount"] > 0 for c in d["channels"] if c["mode"] == "online" for f in c.get("fees", []))
    ]
    assert len(paid_online) >= 2, paid_online


def test_catalogue_exercises_every_form_feature() -> None:
    """The form engine and the PDF renderer are tested against these samples: keep them varied."""
    text = {p.stem: p.read_text(encoding="utf-8") for p in PATHS}
    docs = {code: json.loads(body) for code, body in text.items()}

    def count(predicate: Any) -> int:
        return sum(1 for doc in docs.values() for _, f in _fields(doc) if predicate(f))

    assert count(lambda f: "if" in f) + count(lambda f: any("if" in s for s in f.get("allOf", []))) >= 2
    assert count(lambda f: any("if" in s for s in f.get("allOf", []))) >= 1
    assert count(lambda f: "else" in f) >= 1
    repeating = count(
        lambda f: f.get("type") == "array"
        and isinstance(f.get("items"), dict)
        and f["items"].get("type") == "object"
        and "minItems" in f
        and "maxItems" in f
    )
    assert repeating >= 2
    for widget in ("radio", "select", "checkboxes", "textarea", "file"):
        assert count(lambda f, w=widget: f.get("x-widget") == w) >= 1, widget
    assert count(lambda f: "x-enumNames" in f) >= 3
    assert count(lambda f: "oneOf" in f) >= 1
    assert count(lambda f: f.get("type") == "integer" and "minimum" in f and "maximum" in f) >= 3
    assert count(lambda f: "dependentRequired" in f) >= 1
    assert count(lambda f: f.get("readOnly") is True) >= 1
    assert count(lambda f: "$ref" in f) >= 2
    for fmt in ("date", "email", "vn-citizen-id", "vn-id-card", "vn-phone", "vn-tax-code"):
        assert count(lambda f, fmt=fmt: f.get("format") == fmt) >= 1, fmt


# --- each document -----------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_sample_is_valid_against_the_meta_schema(path: pathlib.Path) -> None:
    assert _meta_errors(_load(path)) == []


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_sample_is_a_valid_2020_12_schema(path: pathlib.Path) -> None:
    Draft202012Validator.check_schema(_load(path))


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_document_fields_name_file_uploads(path: pathlib.Path) -> None:
    document = _load(path)
    assert document_field_problems(document) == []
    submitted = [d for d in document["x-procedure"]["documents"] if d.get("action", "submit") == "submit"]
    assert any("field" in d for d in submitted)


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_document_ids_are_unique(path: pathlib.Path) -> None:
    ids = [d["id"] for d in _load(path)["x-procedure"]["documents"]]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_required_names_exist(path: pathlib.Path) -> None:
    assert required_problems(_load(path)) == []


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_enum_labels_match_enum_values(path: pathlib.Path) -> None:
    for where, field in _fields(_load(path)):
        if "x-enumNames" in field:
            assert len(field["x-enumNames"]) == len(field["enum"]), where


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_sample_has_applicant_block(path: pathlib.Path) -> None:
    applicant = _load(path)["properties"]["applicant"]["properties"]
    assert applicant["full_name"]["type"] == "string"
    assert applicant["date_of_birth"]["format"] == "date"
    assert applicant["citizen_id"]["format"] == "vn-citizen-id"
    assert applicant["phone"]["format"] == "vn-phone"
    assert applicant["email"]["format"] == "email"
    assert "address" in applicant


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_form_nesting_stays_within_eight_levels(path: pathlib.Path) -> None:
    document = _load(path)
    assert _fieldset_depth(document, document) <= 8
    # Also within 8 levels of raw JSON nesting, so the samples pass whichever way depth is counted.
    assert _json_depth(document) <= 8
    assert len(path.read_bytes()) < 1024 * 1024


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_sample_text_is_vietnamese_with_diacritics(path: pathlib.Path) -> None:
    document = _load(path)
    assert re.search(r"[ăâđêôơưàáảãạềếểễệ]", document["title"].lower())
    for where, field in _fields(document):
        assert field.get("title", "x").strip(), where


# --- a citizen's application against each procedure --------------------------------------


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_realistic_application_is_accepted(path: pathlib.Path) -> None:
    assert _instance_errors(_load(path), _instance(path.stem)) == []


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_application_without_applicant_phone_is_rejected(path: pathlib.Path) -> None:
    instance = _instance(path.stem)
    del instance["applicant"]["phone"]
    assert any("phone" in e for e in _instance_errors(_load(path), instance))


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_application_with_malformed_citizen_id_is_rejected(path: pathlib.Path) -> None:
    instance = _instance(path.stem)
    instance["applicant"]["citizen_id"] = "001" + "4" + "99123456"  # century digit 4 = 2100s
    assert _instance_errors(_load(path), instance)


def test_birth_registration_by_proxy_requires_the_authorisation() -> None:
    document = _load(ROOT / "catalog" / "samples" / "1.001193.json")
    instance = _instance("1.001193")
    instance["applicant"]["relationship"] = "nguoi_duoc_uy_quyen"
    instance["attachments"].pop("authorization", None)
    assert any("authorization" in e for e in _instance_errors(document, instance))
    instance["attachments"]["authorization"] = "att-9"
    assert _instance_errors(document, instance) == []


def test_permanent_residence_in_a_rented_home_requires_contract_and_consent() -> None:
    document = _load(ROOT / "catalog" / "samples" / "1.004222.json")
    instance = _instance("1.004222")
    instance["residence_case"] = "thue_muon"
    instance["attachments"].pop("rental_contract", None)
    instance.pop("owner_consent", None)
    errors = _instance_errors(document, instance)
    assert any("rental_contract" in e for e in errors)
    assert any("owner_consent" in e for e in errors)


def test_building_permit_with_basement_requires_its_area() -> None:
    document = _load(ROOT / "catalog" / "samples" / "1.013225.json")
    instance = _instance("1.013225")
    instance["construction"]["basement_floors"] = 1
    instance["construction"].pop("basement_area_m2", None)
    assert any("basement_area_m2" in e for e in _instance_errors(document, instance))


def test_divorced_party_must_identify_the_divorce_decision() -> None:
    document = _load(ROOT / "catalog" / "samples" / "1.000894.json")
    instance = _instance("1.000894")
    del instance["groom"]["previous_marriage_end"]
    errors = _instance_errors(document, instance)
    assert errors and all(e.startswith("/groom") for e in errors)
    instance["groom"]["marital_history"] = "chua_ket_hon"
    assert _instance_errors(document, instance) == []


def test_death_without_notice_requires_other_evidence() -> None:
    document = _load(ROOT / "catalog" / "samples" / "1.000656.json")
    instance = _instance("1.000656")
    instance["death"]["has_death_notice"] = False
    assert any("death_evidence" in e for e in _instance_errors(document, instance))
    instance["attachments"]["death_evidence"] = "att-7"
    assert _instance_errors(document, instance) == []


def test_proxy_cannot_request_criminal_record_certificate_no_2() -> None:
    document = _load(ROOT / "catalog" / "samples" / "3.000333.json")
    instance = _instance("3.000333")
    instance["request"]["request_mode"] = "uy_quyen"
    instance["request"]["certificate_type"] = 2
    instance["attachments"]["authorization"] = "att-5"
    assert any(e.startswith("/request/certificate_type") for e in _instance_errors(document, instance))
    instance["request"]["certificate_type"] = 1
    assert _instance_errors(document, instance) == []


def test_reduced_criminal_record_fee_requires_proof() -> None:
    document = _load(ROOT / "catalog" / "samples" / "3.000333.json")
    instance = _instance("3.000333")
    instance["fee_category"] = "sinh_vien_nguoi_co_cong"
    assert any("fee_exemption_proof" in e for e in _instance_errors(document, instance))


def test_certified_copy_request_limits_pages_and_copies() -> None:
    document = _load(ROOT / "catalog" / "samples" / "2.000815.json")
    instance = _instance("2.000815")
    instance["items"][0]["copies"] = 0
    assert _instance_errors(document, instance)
    instance = _instance("2.000815")
    instance["items"] = []
    assert _instance_errors(document, instance)


# --- the checking helpers themselves ------------------------------------------------------


def test_checks_catch_a_broken_document() -> None:
    """The helpers above are what keeps samples honest: prove they can fail."""
    document = copy.deepcopy(_load(PATHS[0]))
    document["x-procedure"]["documents"][0]["field"] = "applicant.full_name"
    document["required"] = [*document["required"], "no_such_field"]
    document["x-procedure"]["levels"] = ["village"]
    assert document_field_problems(document)
    assert any("no_such_field" in p for p in required_problems(document))
    assert _meta_errors(document)


def test_format_documentation_shows_the_current_birth_registration_sample() -> None:
    """docs/procedure-format.md's worked example must not drift from the shipped sample."""
    text = (ROOT / "docs" / "procedure-format.md").read_text(encoding="utf-8")
    worked = text.split("## 6. Worked example", 1)[1]
    block = worked.split("```json", 1)[1].split("```", 1)[0]
    assert json.loads(block) == _load(ROOT / "catalog" / "samples" / "1.001193.json")
    for code in (p.stem for p in PATHS):
        assert f"| {code} |" in text, code


def test_format_documentation_covers_every_allowed_keyword() -> None:
    text = (ROOT / "docs" / "procedure-format.md").read_text(encoding="utf-8")
    keywords = set(META["$defs"]["keywords"]["properties"]) | set(META["$defs"]["field"]["properties"])
    keywords |= set(META["$defs"]["procedure"]["properties"]) | set(META["properties"])
    missing = sorted(k for k in keywords if f"`{k}`" not in text)
    assert missing == []
    for fmt in META["$defs"]["keywords"]["properties"]["format"]["enum"]:
        assert f"`{fmt}`" in text, fmt
