"""Tab 4 (Xem trước): the citizen's form exactly as the form engine draws it, tried as a dry run.

The builder shows it beside the field list in a frame, with the citizen site's own styles,
switchable to the blank paper form and the notice (their PDFs' HTML). Nothing is stored: a
posted form is decoded and validated, and the instance (or the errors on their fields) shown.
Uploaded files are not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from renderers.forms import UnsupportedForm, compile_form
from renderers.pdf import blank_form_html, notice_html


@dataclass
class Preview:
    html: str = ""
    ok: bool = False
    tried: bool = False
    instance_json: str = ""
    problems: list[Any] = field(default_factory=list)


def render(document: dict[str, Any], locale: str) -> Preview:
    """The blank citizen form."""
    try:
        form = compile_form(document)
    except UnsupportedForm as exc:
        return Preview(problems=list(exc.problems))
    return Preview(html=form.render(None, None, None, locale))


def _dry_store(name: str, upload: Any) -> str:
    """Uploads in a dry run are read for their name only and never stored."""
    return f"thu-{name}"


def dry_run(document: dict[str, Any], formdata: Any, files: Any, locale: str) -> Preview:
    """Decode and validate a posted citizen form; show the instance or the errors."""
    try:
        form = compile_form(document)
    except UnsupportedForm as exc:
        return Preview(problems=list(exc.problems))
    changed = form.apply_action(formdata)
    if changed is not None:
        return Preview(html=form.render(changed, None, None, locale))
    result = form.submit(formdata, files, _dry_store, None, locale)
    preview = Preview(tried=True, ok=result.ok)
    if result.ok:
        preview.instance_json = json.dumps(result.instance, ensure_ascii=False, indent=2)
    preview.html = form.render(formdata, None if result.ok else result.errors, result.uploads, locale)
    return preview


PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><p role="status">{text}</p></main></body></html>"""


def unavailable(text: str, locale: str) -> str:
    """A small page saying why a preview cannot be drawn (shown in the builder's frame)."""
    return PAGE.format(lang="en" if locale.startswith("en") else "vi", title=escape(text), text=escape(text))


def paper(document: dict[str, Any], locale: str) -> tuple[str, int]:
    """The blank paper form as the PDF's HTML (styles inlined), or why it cannot be drawn."""
    try:
        return blank_form_html(document), 200
    except Exception as exc:  # noqa: BLE001 - a draft being built may not print yet; say so
        return unavailable(_cannot("Mẫu đơn giấy", "The paper form", exc, locale), locale), 422


def notice(document: dict[str, Any], info: Any, locale: str) -> tuple[str, int]:
    """The notice as the PDF's HTML (styles inlined), or why it cannot be drawn."""
    try:
        return notice_html(document, version=info.version, version_date=info.version_date,
                           procedure_url=info.procedure_url), 200
    except Exception as exc:  # noqa: BLE001 - a draft being built may not print yet; say so
        return unavailable(_cannot("Bản niêm yết", "The notice", exc, locale), locale), 422


def _cannot(what_vi: str, what_en: str, exc: Exception, locale: str) -> str:
    if locale.startswith("en"):
        return f"{what_en} cannot be drawn from this draft yet ({type(exc).__name__})."
    return f"{what_vi} chưa tạo được từ bản nháp này ({type(exc).__name__})."
