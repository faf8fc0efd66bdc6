"""The procedure meta-schema and its compiled validator (built once per process)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from form_schemas.formats import FORMAT_CHECKER
from form_schemas.regexes import re2_validator_class

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


@cache
def meta_schema() -> dict[str, Any]:
    """The procedure meta-schema as shipped with the package."""
    text = resources.files("form_schemas").joinpath("procedure.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def meta_validator() -> Draft202012Validator:
    """Compiled validator of procedure documents against the meta-schema."""
    schema = meta_schema()
    Draft202012Validator.check_schema(schema)
    return re2_validator_class()(schema, format_checker=FORMAT_CHECKER)  # `$` = end of text


@cache
def fast_meta_validator() -> Any:
    """The same meta-schema compiled by jsonschema-rs: a quick yes/no before detailed errors."""
    import jsonschema_rs

    # the Rust `regex` engine (linear time, `$` = end of text), not fancy-regex's backtracking
    return jsonschema_rs.validator_for(meta_schema(), validate_formats=True,
                                       pattern_options=jsonschema_rs.RegexOptions())


@cache
def field_keywords() -> frozenset[str]:
    """Every keyword a form property may carry."""
    defs = meta_schema()["$defs"]
    return frozenset(defs["keywords"]["properties"]) | frozenset(defs["field"]["properties"])


def allowed_keys(schema: dict[str, Any]) -> frozenset[str]:
    """Property names a meta-schema node accepts, following its `$ref` to shared keywords."""
    names = set(schema.get("properties", {}))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        names |= set(meta_schema()["$defs"][ref.removeprefix("#/$defs/")].get("properties", {}))
    return frozenset(names)
