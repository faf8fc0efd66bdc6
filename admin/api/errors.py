"""Every error under /api/ is JSON `{"message", "message_en", …}` as the OpenAPI document says.

The API's own refusals are built here; Werkzeug's and other layers' HTML error pages (unknown
URL, wrong method, body too large, 500) are turned into the same JSON shape on their way out,
keeping their status and headers (`Allow`, `Retry-After`). The response components every
operation refers to (`#/components/responses/401` …) point at `ErrorSchema`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, json, jsonify, request
from werkzeug.http import HTTP_STATUS_CODES

ERROR_REF = {"$ref": "#/components/schemas/ErrorSchema"}

# Vietnamese first; English beside it.
MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ.", "Bad request."),
    401: ("Chưa xác thực hoặc thông tin xác thực không hợp lệ.", "Not authenticated, or invalid credentials."),
    403: ("Không có quyền thực hiện thao tác này.", "Forbidden."),
    404: ("Không tìm thấy.", "Not found."),
    405: ("Địa chỉ này không nhận phương thức này.", "Method not allowed at this address."),
    413: ("Nội dung gửi lên quá lớn.", "The body is too large."),
    415: ("Kiểu nội dung không được hỗ trợ.", "Unsupported media type."),
    422: ("Không xử lý được nội dung gửi lên.", "The content could not be processed."),
    429: ("Thử quá nhiều lần. Vui lòng thử lại sau.", "Too many attempts. Try again later."),
    500: ("Lỗi hệ thống. Vui lòng thử lại sau.", "Internal error. Try again later."),
    503: ("Hệ thống đang bận, vui lòng gửi lại.", "The system is busy; please send again."),
}


def _component(status: int) -> dict[str, Any]:
    return {"description": MESSAGES[status][1].rstrip("."),
            "content": {"application/json": {"schema": ERROR_REF}}}


# FAB's `responses` (the components every `$ref: '#/components/responses/NNN'` resolves to).
RESPONSES: dict[str, dict[str, Any]] = {str(status): _component(status)
                                        for status in (400, 401, 403, 404, 405, 422, 429, 500)}


def error_body(status: int, message: str | None = None, message_en: str | None = None,
               **extra: Any) -> dict[str, Any]:
    """The JSON error body (the default messages of `status` when none are given)."""
    default_vi, default_en = MESSAGES.get(status, (HTTP_STATUS_CODES.get(status, "Lỗi"),) * 2)
    return {"message": message or default_vi, "message_en": message_en or message or default_en,
            **extra}


def json_error(status: int, message: str | None = None, message_en: str | None = None,
               **extra: Any) -> Response:
    """A JSON error response."""
    response = jsonify(error_body(status, message, message_en, **extra))
    response.status_code = status
    return response


def field_errors(messages: Any) -> dict[str, list[str]]:
    """Marshmallow's messages as the documented `fields` key: each bad argument or body field
    → its reasons (a nested place is named before its reason: "/title: Must be one of: …")."""
    if not isinstance(messages, Mapping):
        return {"_schema": _reasons(messages)}
    return {str(name): _reasons(value) for name, value in messages.items()}


def _reasons(value: Any, path: tuple[str, ...] = ()) -> list[str]:
    if isinstance(value, Mapping):
        found: list[str] = []
        for key, inner in value.items():
            # Dict fields nest their errors under "key" / "value": the place is the outer key.
            found += _reasons(inner, path if key == "value" and path else (*path, str(key)))
        return found
    if isinstance(value, list | tuple):
        return [reason for item in value for reason in _reasons(item, path)]
    return [f"{' '.join(path)}: {value}" if path else str(value)]


def _json_errors(response: Response) -> Response:
    if (response.status_code < 400 or not request.path.startswith("/api/")
            or response.mimetype == "application/json"):
        return response
    response.set_data(json.dumps(error_body(response.status_code)))
    response.mimetype = "application/json"
    return response


def install(app: Flask) -> None:
    """Answer every error under /api/ in JSON."""
    app.after_request(_json_errors)
