"""Vietnamese for the libraries the back office shows: WTForms ships no Vietnamese catalogue, so
its validation messages ("This field is required.") come from ours (translations/vi, domain
`wtforms`), loaded once per locale and handed to Flask-WTF for the request. Flask-AppBuilder's
own strings are translated by translations/vi/messages.po through Flask-Babel as usual."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import support
from flask import Flask, request
from flask_babel import get_locale
from wtforms.i18n import messages_path

OURS = Path(__file__).resolve().parent / "translations"


@cache
def wtforms_translations(locale: str) -> support.Translations:
    """WTForms' messages in `locale`: its own catalogue merged with ours (ours wins)."""
    own = support.Translations.load(messages_path(), [locale], domain="wtforms")
    mine = support.Translations.load(str(OURS), [locale], domain="wtforms")
    if isinstance(mine, support.Translations):
        if isinstance(own, support.Translations):
            own.merge(mine)
            return own
        return mine
    return own


def _set_wtforms_translations() -> None:
    request.wtforms_translations = wtforms_translations(str(get_locale() or "vi"))  # read by Flask-WTF


def init_app(app: Flask) -> None:
    app.before_request(_set_wtforms_translations)
