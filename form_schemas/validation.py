"""Validate procedure documents: meta-schema first, then the rules it cannot express."""

from __future__ import annotations

from typing import Any

from form_schemas.canonical import canonical_json
from form_schemas.checks import (
    ALTERNATIVES,
    MAX_DOCUMENT_BYTES,
    MAX_JSON_NESTING,
    json_nesting,
    semantic_problems,
)
from form_schemas.dialect import warnings as dialect_warnings
from form_schemas.metaerrors import problems_from_error
from form_schemas.metaschema import fast_meta_validator, meta_validator
from form_schemas.problems import InvalidProcedure, SchemaProblem, Verdict

ONLINE_MODES = {1: "info", 2: "info", 3: "partial", 4: "full"}


def validate_procedure(document: Any) -> Verdict:
    """Every problem of a procedure document, sorted by pointer (empty when valid), and its warnings.

    Valid means drawable: once the meta-schema and the cross-field rules pass, the citizen form
    is compiled, so whatever the form, the decoder or the paper form cannot handle is an error
    here, with its pointer. Warnings (`.warnings`) never make a document invalid.
    """
    errors = _errors(document)
    if errors or not isinstance(document, dict):
        return Verdict(errors)
    notes = set(dialect_warnings(document))
    from renderers.forms.compile import form_problems  # the form engine builds on this package

    drawn, fallbacks = form_problems(document)
    return Verdict(sorted(set(drawn)), sorted(set(fallbacks) | notes))



def _errors(document: Any) -> list[SchemaProblem]:
    if not isinstance(document, dict):
        return [SchemaProblem("", "tài liệu phải là một đối tượng JSON", "the document must be a JSON object")]
    if json_nesting(document) > MAX_JSON_NESTING:
        return [SchemaProblem("", f"tài liệu lồng quá {MAX_JSON_NESTING} cấp JSON",
                              f"the document nests deeper than {MAX_JSON_NESTING} JSON levels")]
    size = len(canonical_json(document).encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        return [SchemaProblem("", f"tài liệu lớn hơn 1 MiB ({size} byte)",
                              f"the document is larger than 1 MiB ({size} bytes)")]
    semantic = set(semantic_problems(document))
    if fast_meta_validator().is_valid(document):
        return sorted(semantic)
    explained = {problem.pointer for problem in semantic}
    covered = tuple(p.pointer + "/" for p in semantic if p.message_vi == ALTERNATIVES[0])
    problems = {
        problem
        for error in meta_validator().iter_errors(document)
        for problem in problems_from_error(error)
        # the semantic check says it more precisely
        if problem.pointer not in explained and not problem.pointer.startswith(covered or ("\0",))
    }
    return sorted(problems | semantic)


def check_procedure(document: Any) -> dict[str, Any]:
    """Return the document when valid, else raise `InvalidProcedure` with every problem (warnings never raise)."""
    verdict = validate_procedure(document)
    if verdict:
        raise InvalidProcedure(list(verdict), verdict.warnings)
    return document


def online_mode(document: dict[str, Any]) -> str:
    """The Decree 42/2022 mode: the declared one, else derived from the level."""
    service = document["x-procedure"]["onlineService"]
    return service.get("mode") or ONLINE_MODES[service["level"]]
