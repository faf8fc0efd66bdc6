"""The citizen site: find a procedure, apply online, pay, get a receipt, track a dossier.

A plain Flask blueprint, no login and outside FAB's permissions. Views live in small
modules (search, procedure, apply, fees, dossiers, payment) that add routes to `site`.
CSRF: Flask-WTF's `CSRFProtect.protect()` runs for this blueprint's POSTs only, so the
back office keeps FAB's own form protection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import get_translations
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from admin.site import formatting

site = Blueprint(
    "site", __name__, template_folder="templates", static_folder="static",
    static_url_path="/site-static",
)
csrf = CSRFProtect()

_CSRF_DEFAULTS = {
    "WTF_CSRF_METHODS": {"POST", "PUT", "PATCH", "DELETE"},
    "WTF_CSRF_FIELD_NAME": "csrf_token",
    "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
    "WTF_CSRF_TIME_LIMIT": None,  # valid for the session: a slow applicant must not lose a form
    "WTF_CSRF_SSL_STRICT": True,
}


@site.record_once
def _configure(state: Any) -> None:
    app: Flask = state.app
    for key, value in _CSRF_DEFAULTS.items():
        app.config.setdefault(key, value)
    for name, function in formatting.FILTERS.items():
        app.jinja_env.filters.setdefault(name, function)


@site.before_request
def _protect() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def _template_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style gettext bound to this request's catalogue: templates look `gettext`
    up in their context first, which saves Flask-Babel's per-call context lookups."""

    @pass_context
    def gettext(context: Any, message: str, **variables: Any) -> str:
        text = translate(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


@site.context_processor
def _context() -> dict[str, Any]:
    return {
        "csrf_token": generate_csrf, "locale": formatting.locale(), "unknown": formatting.unknown,
        "gettext": _template_gettext(get_translations().gettext),
    }


# Security headers and the pages for every other status come from admin.edge (site, back office, API).


def error_page(status: int, title: str, message: str) -> tuple[str, int]:
    """The site's styled page explaining what went wrong, with `status` (also for addresses
    outside the blueprint, which then lack the site's context processor)."""
    context = {} if request.blueprint == "site" else _context()
    return render_template("site/error.html", title=title, message=message, status=status, **context), status


@site.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> tuple[str, int]:
    from flask_babel import gettext as _

    return error_page(400, _("Phiên làm việc đã hết hạn"),
                      _("Trang đã mở quá lâu hoặc cookie bị chặn. Vui lòng tải lại trang và thử lại."))


@site.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    from flask_babel import gettext as _

    from catalog.attachments import format_size

    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return error_page(413, _("Tệp quá lớn"),
                      _("Các tệp gửi cùng lúc vượt quá %(limit)s. Vui lòng gửi tệp nhỏ hơn.",
                        limit=format_size(limit)))


# 404 and 405 (on the site and at any unknown address outside /admin and /api) come from
# admin.edge.error_response, which renders `error_page`: one path, one wording.

FAVICON_MAX_AGE = 7 * 24 * 3600


@site.get("/favicon.ico")
def favicon() -> Any:
    """The site's icon where browsers look for it without a <link>, cached for a week."""
    from flask import send_from_directory

    return send_from_directory(site.static_folder or "static", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=FAVICON_MAX_AGE)


@site.errorhandler(429)
def _too_many(error: HTTPException) -> tuple[str, int]:
    from flask_babel import gettext as _

    return error_page(429, _("Thử quá nhiều lần"),
                      _("Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút "
                        "rồi thử lại, hoặc liên hệ nơi tiếp nhận hồ sơ."))


def register_site(app: Flask) -> None:
    """Add the citizen site to `app` (called from admin.views.register_views)."""
    from admin.site import (  # noqa: F401
        apply,
        dossiers,
        drafts,
        fees,
        language,
        payment,
        procedure,
        rating,
        search,
        supplement,
    )

    app.register_blueprint(site)
    # Code + phone is the only key to a dossier: admin.ratelimit limits site.lookup_submit.
