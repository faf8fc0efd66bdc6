"""Sending the papers the office asked for (Yêu cầu bổ sung, hoàn thiện hồ sơ), online.

The applicant who may see the dossier (admin/site/access.py) opens `/dossiers/<code>/supplement`
while it waits for a supplement: one file per paper asked for (the items of the latest request,
as slip 02 lists them) and a note. Files are staged under a token made when the page was first
shown (catalog.services.dossiers.stage_upload), so a rejected file keeps the others; sending
joins them to the dossier through catalog.services.dossier_status.submit_supplement. The desk
then checks them and receives the supplement; the processing time counts again from the day
they were sent.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.site import site
from admin.site.apply import attachment_store, max_dossier_bytes
from admin.site.dossiers import visible_or_lookup
from admin.site.formatting import locale
from catalog.attachments import DEFAULT_ACCEPT, AttachmentRejected
from catalog.db import DatabaseBusy, db
from catalog.models import Dossier
from catalog.services.dossier_status import (
    CITIZEN_SUPPLEMENT_ACTOR,
    StatusRefused,
    item_text,
    normal_status,
    submit_supplement,
)
from catalog.services.dossiers import TOKEN_PATTERN, current_uploads, stage_upload, staged_uploads
from form_schemas.wording import file_types_text

TOKEN_FIELD = "_motcua.supplement"
NOTE_LIMIT = 1000


def requested_items(dossier: Dossier) -> list[dict[str, Any]]:
    """The items of the latest supplement request (none when no request is open)."""
    if normal_status(dossier.status) != "supplement_requested":
        return []
    for event in reversed(dossier.events):
        if event.status == "supplement_requested":
            return list((event.detail or {}).get("items") or [])
    return []


def _field(index: int) -> str:
    return f"supplement-{index}"


def _page(found: Dossier, items: list[dict[str, Any]], token: str, errors: dict[str, str],
          note: str = "", problem: str | None = None, status: int = 200) -> tuple[str, int]:
    kept = current_uploads(staged_uploads(db.session, token))
    types = file_types_text(DEFAULT_ACCEPT, locale())
    return render_template(
        "site/supplement.html", dossier=found, items=[(i, _field(i), item, item_text(item)) for i, item in enumerate(items)],
        token=token, token_field=TOKEN_FIELD, errors=errors, kept=kept, note=note, problem=problem,
        file_types=types, other_field=_field(len(items)),
    ), status


@site.route("/dossiers/<code>/supplement", methods=["GET", "POST"])
def supplement(code: str) -> Response | tuple[str, int]:
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    items = requested_items(found)
    if not items:
        flash(_("Hồ sơ này hiện không cần bổ sung giấy tờ."), "info")
        return redirect(url_for("site.dossier", code=found.code))
    if request.method == "GET":
        return _page(found, items, secrets.token_urlsafe(24), {})
    token = request.form.get(TOKEN_FIELD, "")
    if not TOKEN_PATTERN.fullmatch(token):
        return _page(found, items, secrets.token_urlsafe(24), {},
                     problem=_("Phiên gửi hồ sơ bổ sung không hợp lệ. Vui lòng chọn lại các tệp."), status=400)
    note = request.form.get("note", "")[:NOTE_LIMIT]
    names = {_field(i): item_text(item) for i, item in enumerate(items)}
    names[_field(len(items))] = _("Giấy tờ khác")
    errors: dict[str, str] = {}
    store = attachment_store()
    try:
        for name in names:
            upload = request.files.get(name)
            if upload is None or not upload.filename:
                continue
            try:
                stage_upload(db.session, store, upload.stream, upload.filename, field=name, upload_token=token,
                             accept=DEFAULT_ACCEPT, max_dossier_bytes=max_dossier_bytes())
            except AttachmentRejected as rejected:
                errors[name] = rejected.message(locale())
        if errors:
            return _page(found, items, token, errors, note,
                         _("Có %(n)s tệp chưa nhận được; các tệp khác đã được giữ lại.", n=len(errors)), 422)
        submit_supplement(db.session, found, token, note=note, names=names, actor=CITIZEN_SUPPLEMENT_ACTOR)
    except StatusRefused as refused:
        return _page(found, items, token, errors, note, refused.message(locale()), 422)
    except DatabaseBusy:
        return _page(found, items, token, errors, note, DatabaseBusy().message(locale()), 503)
    flash(_("Đã gửi hồ sơ bổ sung. Bộ phận tiếp nhận sẽ kiểm tra và báo cho bạn."), "success")
    return redirect(url_for("site.dossier", code=found.code) + "#history-heading")
