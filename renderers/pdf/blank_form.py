"""The blank paper form (tờ khai) of a procedure, to print and fill with a pen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from form_schemas.wording import checked_agency
from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.form_layout import build_layout

FORM_WORDS = ("tờ khai", "đơn ", "giấy đề nghị", "phiếu", "văn bản đề nghị")


def form_title(document: Mapping[str, Any]) -> str:
    """"Đăng ký khai sinh" -> "Tờ khai đăng ký khai sinh"; a title naming its form is kept."""
    title = document.get("title", "").strip()
    if title.lower().startswith(FORM_WORDS):
        return title
    return "Tờ khai " + title[:1].lower() + title[1:]


def form_context(
    document: Mapping[str, Any],
    instance: Mapping[str, Any] | None = None,
    *,
    signed_on: date | None = None,
    place: str | None = None,
    signer: str | None = None,
) -> dict[str, Any]:
    """The template context of a blank (no instance) or filled form."""
    return {
        "document": document,
        "procedure": document["x-procedure"],
        "form_title": form_title(document),
        "layout": build_layout(document, instance),
        "filled": instance is not None,
        "recipient_filled": False,
        # "Kính gửi" names the competent agency only when it is a checked fact; otherwise the
        # applicant writes it on the dotted line (a guessed agency would misdirect the form)
        "recipient": checked_agency(document, "competent"),
        "signed_on": signed_on,
        "place": place,
        "signer": signer,
    }


def blank_form_html(document: Mapping[str, Any], *, preview: bool = True) -> str:
    """HTML of the blank form; with `preview` the CSS is inlined for a browser."""
    return render_template("form.html", preview=preview, **form_context(document))


def render_blank_form(document: Mapping[str, Any]) -> bytes:
    """PDF of the blank form."""
    return get_renderer().pdf(blank_form_html(document, preview=False))
