"""Tab 4 (Xem trước): the citizen's form exactly as the form engine draws it, tried as a dry run.

Nothing is stored: a posted form is decoded and validated, and the instance (or the errors on
their fields) shown. Uploaded files are not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from renderers.forms import UnsupportedForm, compile_form


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
