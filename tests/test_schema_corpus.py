"""JSON Schema as people already write it is welcome: a corpus of schemas in common idioms.

Each `tests/schema_corpus/*.json` holds one schema written here in an idiom of the popular
JSON-Schema form libraries' galleries (flat forms, nested objects, arrays of objects, enums
with labels, conditionals, definitions, dependencies, formats, closed objects, nullable
types …) with valid and invalid example instances. The schema is wrapped as a procedure
document unchanged: only `$schema`, `title` (when it has none) and the `x-procedure` facts are
added around its own keys.

Shown here: how many validate as they are (goal ≥ 90 %); every accepted one compiles to an
online form and a paper form; posting each example through the form decoder gives the verdict
plain jsonschema (Draft202012Validator with format checking) gives: 100 % agreement. For the
draft-07 `dependencies` keyword, which a 2020-12 validator ignores, the reference validator is
given the 2020-12 spelling the product reads it as (`dependentRequired`/`dependentSchemas`),
which is what `motcua validate`'s warning tells the author to write.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from form_schemas.dialect import normalise
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from tests.factories import document as procedure_document

CORPUS = sorted((Path(__file__).parent / "schema_corpus").glob("*.json"))
GOAL = 0.90
# Refused on purpose, with a message saying why (legacy enumNames).
EXPECTED_REFUSALS = {"08_enum_names_legacy"}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def wrap(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """The schema as a procedure document: its own keys unchanged, plus $schema, a title and the facts."""
    doc = copy.deepcopy(schema)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc.setdefault("title", f"Biểu mẫu {name}")
    facts = procedure_document()["x-procedure"]
    for item in facts["documents"]:
        item.pop("field", None)  # the factory's form has an upload field; these schemas do not
    doc["x-procedure"] = facts
    return doc


def reference(doc: dict[str, Any]) -> Draft202012Validator:
    """Plain jsonschema; draft-07 `dependencies` given in the 2020-12 spelling the product reads."""
    uses_dependencies = "dependencies" in json.dumps(doc)
    schema = normalise(doc) if uses_dependencies else doc
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def accepted() -> dict[str, bool]:
    return {path.stem: validate_procedure(wrap(load(path)["schema"], path.stem)) == [] for path in CORPUS}


def test_the_corpus_is_large_and_mostly_accepted_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    verdicts = accepted()
    assert len(verdicts) >= 25
    share = sum(verdicts.values()) / len(verdicts)
    with capsys.disabled():
        print(f"\nschema corpus: {sum(verdicts.values())}/{len(verdicts)} accepted as they are ({share:.0%})")
    assert share >= GOAL
    assert {name for name, ok in verdicts.items() if not ok} == EXPECTED_REFUSALS


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_each_schema_is_drawn_and_agrees_with_jsonschema(path: Path) -> None:
    case = load(path)
    doc = wrap(case["schema"], path.stem)
    verdict = validate_procedure(doc)
    if path.stem in EXPECTED_REFUSALS:
        assert verdict and all(p.message_vi and p.message_en for p in verdict)
        return
    assert verdict == [], [str(p) for p in verdict]
    form = compile_form(doc)
    html = form.render()
    assert "<input" in html or "<select" in html
    from renderers.pdf import blank_form_html

    assert "<html" in blank_form_html(doc).lower()
    plain = reference(doc)
    for expected, examples in ((True, case["valid"]), (False, case["invalid"])):
        for example in examples:
            assert plain.is_valid(example) is expected, f"example mislabelled: {example}"
            submission = form.submit(form.encode(example))
            assert submission.ok is expected, (example, submission.errors, submission.instance)
            if expected:
                assert Draft202012Validator(plain.schema, format_checker=plain.format_checker).is_valid(submission.instance)


def test_warnings_name_the_2020_12_spelling_and_fallback_labels() -> None:
    dependencies = wrap(load(CORPUS[[p.stem for p in CORPUS].index("14_dependencies_list")])["schema"], "x")
    verdict = validate_procedure(dependencies)
    assert verdict == [] and any("dependentRequired" in w.message_en for w in verdict.warnings)
    untitled = wrap(load(CORPUS[[p.stem for p in CORPUS].index("02_sign_up")])["schema"], "x")
    labels = {w.pointer: w.message_vi for w in validate_procedure(untitled).warnings}
    assert "“First name”" in labels["/properties/firstName"]
    assert "First name" in compile_form(untitled).render()
