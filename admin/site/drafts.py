"""Save and return ("Lưu để làm tiếp"): the saved page with the resume link, the e-mail that
carries it, and the resumed form.

The rules: the resume link (`/drafts/<secret>`) is the only key to a draft (a fresh browser
opens it), shown once on the saved page and sent by e-mail when an address is given, through
the job queue (admin.mail: a mail server that is down never blocks or loses the draft). The
pages that carry the secret are never cached and send no referrer. The resumed form keeps the
draft's submission token, so the files it staged are still there and the dossier it makes is
still one per token; on a newer version of the procedure the answers that still fit are kept
and the new fields named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from admin.site import error_page, site
from admin.site.formatting import dmy, locale
from catalog.db import db
from catalog.models import Office, ProcedureVersion
from catalog.services.dossiers import applicant_contact, dossier_by_token, staged_uploads
from catalog.services.drafts import DEFAULT_DRAFT_DAYS, carry_over, draft_by_secret, save_draft

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def draft_days() -> int:
    return int(current_app.config.get("MOTCUA_DRAFT_DAYS") or DEFAULT_DRAFT_DAYS)


def resume_link(secret: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")
    return base + url_for("site.resume_draft", secret=secret)


def draft_mail(title: str, code: str, link: str, expires: str) -> tuple[str, str]:
    """Subject and text of the mail that carries a resume link (Vietnamese, the site's first
    language; a citizen reading English has the page)."""
    subject = f"Đường dẫn làm tiếp hồ sơ: {title}"
    text = (
        "Xin chào,\n\n"
        f"Bạn đã lưu hồ sơ đang khai dở của thủ tục «{title}» (mã {code}).\n"
        f"Mở đường dẫn sau để làm tiếp (có hiệu lực đến hết ngày {expires}):\n\n{link}\n\n"
        "Giữ riêng đường dẫn này: ai có đường dẫn đều mở được hồ sơ đang khai dở của bạn. "
        "Mỗi lần lưu lại sẽ có đường dẫn mới và đường dẫn cũ không dùng được nữa.\n\n"
        "Thư này được gửi tự động, vui lòng không trả lời.\n"
    )
    return subject, text


def save_and_show(code: str, version: ProcedureVersion, instance: dict[str, Any], token: str,
                  office: Office | None, by_post: bool, email: str,
                  upload_errors: Mapping[str, list[str]]) -> tuple[str, int, dict[str, str]]:
    """Save the form as a draft and show the page with its resume link (mailed too when an
    address is given or the form has one)."""
    from admin.mail import Mail, send_later

    email = (email or "").strip()[:255]
    typed = bool(email)
    if not email:
        email = applicant_contact(version.document, instance).email
    valid_email = bool(email) and bool(EMAIL.fullmatch(email))
    saved = save_draft(db.session, version, instance, upload_token=token,
                       office_id=office.id if office is not None else None, result_by_post=by_post,
                       email=email if valid_email else "", days=draft_days())
    link = resume_link(saved.secret)
    expires = dmy(saved.expires_at)
    title = version.document.get("title", code)
    if valid_email:
        subject, text = draft_mail(title, code, link, expires)
        send_later(Mail(email, subject, text))
    problems = [message for messages in upload_errors.values() for message in messages]
    page = render_template(
        "site/draft_saved.html", code=code, title=title, link=link, expires=expires,
        email=email if valid_email else "", bad_email=email if typed and not valid_email else "",
        files=saved.files, problems=problems,
    )
    return page, 200, PRIVATE


@site.get("/drafts/<secret>")
def resume_draft(secret: str) -> tuple[str, int, dict[str, str]] | Response:
    """The form of a saved draft, filled as it was left, on the published version."""
    from admin.site.apply import (
        _compiled,
        _engine_missing,
        _page,
        _to_dossier,
        _unavailable,
        office_choice,
    )
    from renderers.forms import KeptUpload

    draft = draft_by_secret(db.session, secret)
    if draft is None:
        page, status = error_page(
            404, _("Không mở được hồ sơ đang làm dở"),
            _("Đường dẫn không đúng, đã được thay bằng đường dẫn mới khi bạn lưu lại, hoặc hồ sơ "
              "đang làm dở đã hết hạn lưu. Vui lòng khai lại từ trang thủ tục."))
        return page, status, PRIVATE
    done = dossier_by_token(db.session, draft.upload_token)
    if done is not None:  # submitted from another tab: the dossier it made
        return _to_dossier(done.code)
    procedure = draft.procedure
    version = procedure.published_version
    if version is None:
        page, status = error_page(404, _("Thủ tục này hiện không nhận hồ sơ"),
                                  _("Thủ tục của hồ sơ đang làm dở không còn nhận hồ sơ trực tuyến."))
        return page, status, PRIVATE
    office = db.session.get(Office, draft.office_id) if draft.office_id is not None else None
    refused = _unavailable(procedure.code, version, office)
    if refused:
        return refused[0], refused[1], PRIVATE
    compiled = _compiled(version)
    if compiled is None:
        page, status = _engine_missing()
        return page, status, PRIVATE
    instance: dict[str, Any] = dict(draft.data or {})
    new_fields: list[str] = []
    dropped: list[str] = []
    if draft.version_id != version.id:
        carried = carry_over(draft.version.document, version.document, instance)
        instance, new_fields, dropped = carried.instance, carried.new_fields, carried.dropped
    kept = {a.field: KeptUpload(a.id, a.original_name) for a in staged_uploads(db.session, draft.upload_token)}
    resumed = {"saved": dmy(draft.updated_at), "expires": dmy(draft.expires_at),
               "new_fields": new_fields, "dropped": dropped, "newer": draft.version_id != version.id}
    body = compiled.render(None, None, kept, locale(), data=instance)
    page, status = _page(procedure.code, version, body, draft.upload_token,
                         office_choice=office_choice(procedure, office, draft.result_by_post),
                         office=office, resumed=resumed, draft_email=draft.email)
    return page, status, PRIVATE
