"""Language switch for the citizen site: Vietnamese (default) or English."""

from __future__ import annotations

from flask import current_app, redirect, request, session
from werkzeug.wrappers import Response

from admin.site import site


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything pointing elsewhere gives `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@site.get("/language/<locale>")
def language(locale: str) -> Response:
    if locale in current_app.config.get("LANGUAGES", {"vi": {}, "en": {}}):
        session["locale"] = locale
    return redirect(safe_next(request.args.get("next")), code=303)
