"""Turn jsonschema errors against the meta-schema into pointer + Vietnamese/English reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from form_schemas.metaschema import allowed_keys
from form_schemas.problems import SchemaProblem, pointer


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 80 else text[:77] + "…"


def problems_from_error(error: ValidationError) -> Iterator[SchemaProblem]:
    """One or more problems for a meta-schema error (unknown keywords are named one by one)."""
    path = list(error.absolute_path)
    where = pointer(path)
    kind = error.validator
    value = error.validator_value
    if "propertyNames" in error.absolute_schema_path:
        kind, where = "propertyNames", pointer([*path, str(error.instance)])
    if kind in ("additionalProperties", "unevaluatedProperties"):
        known = allowed_keys(error.schema) if isinstance(error.schema, dict) else frozenset()
        extra = sorted(k for k in error.instance if k not in known) if isinstance(error.instance, dict) else []
        for key in extra or ["?"]:
            yield SchemaProblem(
                pointer([*path, key]),
                f"từ khóa '{key}' không được hỗ trợ ở đây",
                f"keyword '{key}' is not supported here",
            )
        return
    if kind == "required":
        missing = [name for name in value if isinstance(error.instance, dict) and name not in error.instance]
        for name in missing or value:
            yield SchemaProblem(
                where, f"thiếu khóa bắt buộc '{name}'", f"required key '{name}' is missing"
            )
        return
    yield _simple(where, kind, value, error)


def _simple(where: str, kind: str, value: Any, error: ValidationError) -> SchemaProblem:  # noqa: C901
    inst = error.instance
    match kind:
        case "type":
            return SchemaProblem(where, f"phải có kiểu {value}", f"must be of type {value}")
        case "const":
            return SchemaProblem(where, f"phải bằng {_show(value)}", f"must equal {_show(value)}")
        case "enum":
            choices = ", ".join(_show(v) for v in value)
            return SchemaProblem(
                where, f"giá trị {_show(inst)} không hợp lệ; chọn một trong: {choices}",
                f"value {_show(inst)} is not allowed; expected one of: {choices}",
            )
        case "minItems":
            return SchemaProblem(where, f"cần ít nhất {value} phần tử", f"needs at least {value} items")
        case "maxItems":
            return SchemaProblem(where, f"tối đa {value} phần tử", f"at most {value} items")
        case "uniqueItems":
            return SchemaProblem(where, "các phần tử không được trùng nhau", "items must be unique")
        case "minLength":
            return SchemaProblem(where, "không được để trống", "must not be empty") if value == 1 else \
                SchemaProblem(where, f"cần ít nhất {value} ký tự", f"needs at least {value} characters")
        case "pattern":
            if "\\S" in str(value):
                return SchemaProblem(where, "không được để trống", "must not be blank")
            return SchemaProblem(
                where, f"giá trị {_show(inst)} sai định dạng (mẫu {value})",
                f"value {_show(inst)} does not match {value}",
            )
        case "minimum" | "exclusiveMinimum":
            return SchemaProblem(where, f"phải lớn hơn hoặc bằng {value}" if kind == "minimum" else
                                 f"phải lớn hơn {value}", f"must be ≥ {value}" if kind == "minimum" else f"must be > {value}")
        case "maximum":
            return SchemaProblem(where, f"phải nhỏ hơn hoặc bằng {value}", f"must be ≤ {value}")
        case "format":
            if value == "regex":
                return SchemaProblem(where, f"biểu thức chính quy không hợp lệ: {_show(inst)}", f"not a valid regular expression: {_show(inst)}")
            return SchemaProblem(where, f"giá trị {_show(inst)} không đúng định dạng {value}", f"value {_show(inst)} is not a valid {value}")
        case "propertyNames":
            return SchemaProblem(
                where, f"tên trường {_show(inst)} không hợp lệ: chỉ dùng chữ không dấu, số và '_', bắt đầu bằng chữ",
                f"property name {_show(inst)} is invalid: ASCII letters, digits and '_', starting with a letter",
            )
        case "anyOf" if where.endswith("/x-procedure/code"):
            return SchemaProblem(
                where, f"mã thủ tục {_show(inst)} không hợp lệ: mã quốc gia dạng 1.001193 hoặc mã địa phương (chữ in hoa, số, . _ -)",
                f"procedure code {_show(inst)} is invalid: national code like 1.001193 or a local code (A-Z, 0-9, . _ -)",
            )
        case "anyOf" if where.endswith(("/formatMinimum", "/formatMaximum")):
            keyword = where.rsplit("/", 1)[-1]
            return SchemaProblem(
                where, f"{keyword} {_show(inst)} không hợp lệ: một ngày dạng YYYY-MM-DD (ví dụ 1900-01-01) hoặc \"today\"",
                f"{keyword} {_show(inst)} is invalid: a date as YYYY-MM-DD (e.g. 1900-01-01) or \"today\"",
            )
    return SchemaProblem(where, f"không hợp lệ ({error.message})", error.message)
