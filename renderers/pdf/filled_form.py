"""A procedure's form with a dossier's values, in the layout of the blank form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from renderers.pdf.blank_form import form_context
from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.office import OfficeHeading


def filled_form_html(
    document: Mapping[str, Any],
    instance: Mapping[str, Any],
    *,
    signed_on: date | None = None,
    place: str | None = None,
    signer: str | None = None,
    office: OfficeHeading | None = None,
    preview: bool = True,
) -> str:
    """HTML of the form filled with `instance` (a validated application)."""
    context = form_context(document, instance, signed_on=signed_on, place=place, signer=signer,
                           office=office)
    return render_template("form.html", preview=preview, **context)


def render_filled_form(
    document: Mapping[str, Any],
    instance: Mapping[str, Any],
    *,
    signed_on: date | None = None,
    place: str | None = None,
    signer: str | None = None,
    office: OfficeHeading | None = None,
) -> bytes:
    """PDF of the filled form."""
    html = filled_form_html(
        document, instance, signed_on=signed_on, place=place, signer=signer, office=office,
        preview=False,
    )
    return get_renderer().pdf(html)
