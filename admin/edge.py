"""The edge of the application: what every request and response goes through, whatever the route.

Rules:
- Control characters (NUL and the other C0/C1 codes) are refused with a Vietnamese 400 in the
  path, the query string, form field names and values, JSON bodies (keys and strings) and the
  names of uploaded files. Tab, newline and carriage return stay allowed in values (textareas
  need them). The form is checked when someone first reads it (`EdgeRequest`), so per-view
  body limits set before that read still apply.
- JSON bodies nesting deeper than `MAX_BODY_NESTING` are refused before the parser recurses.
- Every response carries the security headers: a Content-Security-Policy without inline script
  (our own inline scripts carry the per-request nonce `csp_nonce()`, as Flask-AppBuilder's
  templates already do through `baselib.get_nonce()`), `frame-ancestors 'none'` and
  `X-Frame-Options: DENY`, `nosniff`, `Referrer-Policy` and `Permissions-Policy`.
- Every HTTP error is answered in Vietnamese (English second): JSON under /api/, the citizen
  site's styled page on the site, a plain back-office page elsewhere. This is the one path for
  404 and 405 too: the site blueprint has no handler of its own for them, so an unknown address
  anywhere outside the back office and /api gets the site's page (with its viewport, in English
  when the visitor chose English).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Flask, Request, current_app, g, make_response, render_template, request
from flask.wrappers import Response
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException

MAX_BODY_NESTING = 200  # the document limit (64) is checked later, with its pointer
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF, CR allowed
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")

# status -> (Vietnamese title, Vietnamese explanation, English title, English explanation)
STATUS_TEXT: dict[int, tuple[str, str, str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không đọc được. Vui lòng kiểm tra lại và gửi lại.",
          "Bad request", "The data sent could not be read. Please check it and send it again."),
    403: ("Không có quyền truy cập", "Bạn không có quyền xem trang này.",
          "Forbidden", "You are not allowed to see this page."),
    404: ("Không tìm thấy", "Không có trang này. Hãy tìm thủ tục từ trang chủ.",
          "Not found", "There is no such page. Look for a procedure from the home page."),
    405: ("Thao tác không được hỗ trợ", "Trang này không nhận cách gửi yêu cầu này.",
          "Method not allowed", "This page does not accept this kind of request."),
    413: ("Dữ liệu gửi lên quá lớn", "Nội dung gửi lên vượt quá giới hạn cho phép.",
          "Content too large", "What was sent is larger than allowed."),
    429: ("Thử quá nhiều lần", "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.",
          "Too many requests", "Too many requests in a short time. Please wait a few minutes and try again."),
    500: ("Hệ thống gặp lỗi", "Đã có lỗi ngoài ý muốn. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy liên hệ nơi tiếp nhận hồ sơ.",
          "Something went wrong", "An unexpected error occurred. Please try again in a few minutes."),
    503: ("Hệ thống đang bận", "Hệ thống đang bận, vui lòng gửi lại sau ít phút.",
          "Service busy", "The service is busy; please send again in a few minutes."),
}


class RefusedInput(BadRequest):
    """A 400 for input the application never stores (control characters, absurd nesting)."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en


def _control_refusal(where_vi: str, where_en: str) -> RefusedInput:
    return RefusedInput(
        f"{where_vi} chứa ký tự điều khiển (ví dụ NUL) không được phép. Vui lòng xoá ký tự đó rồi gửi lại.",
        f"The {where_en} contains a control character (e.g. NUL), which is not allowed.",
    )


def form_problem(form: Any, files: Any) -> RefusedInput | None:
    """The refusal for a parsed form with a control character, or None."""
    for key, value in form.items(multi=True):
        if _ANY_CONTROL.search(key) or (isinstance(value, str) and _CONTROL.search(value)):
            return _control_refusal("Trường biểu mẫu", "form field")
    for key, upload in files.items(multi=True):
        if _ANY_CONTROL.search(key) or _ANY_CONTROL.search(upload.filename or ""):
            return _control_refusal("Tên tệp tải lên", "uploaded file's name")
    return None


class EdgeRequest(Request):
    """Flask's request, refusing a form with control characters when it is first read."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        problem = form_problem(self.form, self.files)
        if problem is not None:
            # whoever catches the 400 and reads the form again finds nothing to store
            self.__dict__["form"] = ImmutableMultiDict()
            self.__dict__["files"] = ImmutableMultiDict()
            raise problem


def json_nesting_of(data: bytes, limit: int = MAX_BODY_NESTING) -> int:
    """How deep JSON text nests (stops counting past `limit`), without parsing it."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b'""', data)):
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def _json_has_control(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _CONTROL.search(node):
                return True
        elif isinstance(node, dict):
            for key, child in node.items():
                if _ANY_CONTROL.search(key):
                    return True
                stack.append(child)
        elif isinstance(node, list):
            stack.extend(node)
    return False


def check_request() -> None:
    """Refuse control characters in the path, query and JSON body; absurdly nested JSON."""
    if _ANY_CONTROL.search(request.path):
        raise _control_refusal("Đường dẫn", "path")
    for key, value in request.args.items(multi=True):
        if _ANY_CONTROL.search(key) or _CONTROL.search(value):
            raise _control_refusal("Tham số truy vấn", "query string")
    if request.is_json and request.method in ("POST", "PUT", "PATCH"):
        data = request.get_data(cache=True)
        if json_nesting_of(data) > MAX_BODY_NESTING:
            raise RefusedInput(f"JSON lồng quá {MAX_BODY_NESTING} cấp.",
                               f"The JSON nests deeper than {MAX_BODY_NESTING} levels.")
        body = request.get_json(silent=True)  # cached for the view
        if body is not None and _json_has_control(body):
            raise _control_refusal("Nội dung JSON", "JSON body")


# --- responses ------------------------------------------------------------------------------


def csp_nonce() -> str:
    """This request's script nonce (templates: `<script nonce="{{ csp_nonce() }}">`)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def area() -> str:
    """"api", "site" or "backoffice": who is asking, hence how errors and the CSP look."""
    path = request.path
    if path.startswith("/api/"):
        return "api"
    if request.blueprint == "site":
        return "site"
    if request.blueprint or path.startswith(("/admin", "/swagger", "/static/")):
        return "backoffice"
    return "site"  # an unknown address: most likely a citizen's


def content_security_policy(where: str, nonce: str | None) -> str:
    """The CSP for an area. The back office allows inline styles: Flask-AppBuilder's templates
    and widgets carry `style=` attributes. Scripts never run inline without the nonce."""
    if where == "api":
        return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    styles = "'self' 'unsafe-inline'" if where == "backoffice" else "'self'"
    return (f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' data:; "
            "font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def security_headers(response: Response) -> Response:
    """Add the security headers to every response (a view's own CSP is kept)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(area(), g.get("csp_nonce")))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


def status_text(status: int) -> tuple[str, str, str, str]:
    """(vi title, vi message, en title, en message) for an HTTP status."""
    return STATUS_TEXT.get(status) or STATUS_TEXT[500 if status >= 500 else 400]


def error_response(error: HTTPException) -> Any:
    """Every HTTP error not answered by a more specific handler, in the caller's language."""
    status = error.code or 500
    title_vi, message_vi, title_en, message_en = status_text(status)
    if isinstance(error, RefusedInput):
        message_vi, message_en = error.message_vi, error.message_en
    where = area()
    try:
        response = _error_page(where, status, title_vi, message_vi, title_en, message_en, error)
    except Exception:  # the page itself failed (a broken template or database): still answer politely
        current_app.logger.exception("error page for %s failed", status)
        response = make_response(
            f'<!doctype html><html lang="vi"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title_vi}</title><h1>{title_vi}</h1><p>{message_vi}</p><p lang=\"en\">{message_en}</p></html>",
            status)
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if status in (429, 503) and error.response is not None and "Retry-After" in error.response.headers:
        response.headers["Retry-After"] = error.response.headers["Retry-After"]
    return response


def _error_page(where: str, status: int, title_vi: str, message_vi: str, title_en: str, message_en: str,
                error: HTTPException) -> Response:
    if where == "api":  # the API's one error shape and wording (admin/api/errors.py)
        from admin.api.errors import json_error

        if isinstance(error, RefusedInput):
            return json_error(status, error.message_vi, error.message_en)
        return json_error(status)
    elif where == "site":
        from flask_babel import gettext as _

        from admin.site import error_page, formatting

        english = formatting.locale().startswith("en")
        message = error.message_en if english and isinstance(error, RefusedInput) else _(message_vi)
        page, _status = error_page(status, _(title_vi), message)
        response = make_response(page, status)
    else:
        page = render_template("backoffice/error.html", status=status, title_vi=title_vi, message_vi=message_vi,
                               title_en=title_en, message_en=message_en)
        response = make_response(page, status)
    return response


def internal_error(error: HTTPException) -> Any:
    """An unhandled exception (Flask wraps it in a 500): logged by Flask, answered politely."""
    current_app.logger.debug("answered 500 for %s", request.path)
    return error_response(error)


def init_app(app: Flask) -> None:
    """Register the edge layer on `app` (before any blueprint, so it runs first)."""
    app.request_class = EdgeRequest
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(check_request)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, error_response)
    app.register_error_handler(500, internal_error)
