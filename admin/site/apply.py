"""Applying online: the procedure's generated form, a check page, uploads kept throughout.

GET shows a blank form with a fresh submission token. Every POST decodes the form with the
form engine and stages uploads under the token; the button pressed (`_motcua.step`) says what
happens next:
- "Tiếp tục" (`check`, also when no button is named): a valid form shows "Kiểm tra lại thông
  tin" (admin/site/check.py: every answer under its label, the fee due, the office) with the
  values riding along hidden; nothing is created.
- "Sửa" on the check page (`edit:<section>`): the form again, everything filled and every
  upload kept, opened at that section (the button's formaction carries the #anchor).
- "Nộp hồ sơ" on the check page (`submit`): validated again, then one dossier per token (every
  post of the same form, racing ones included, ends on it), a 303 to its page, whose first view
  is the confirmation.
- "Lưu để làm tiếp" (`save`): the form as typed, unvalidated, saved as a draft (admin/site/drafts.py).
A failed POST answers 422 with everything kept; a database that stays busy answers 503 "Hệ
thống đang bận, vui lòng gửi lại" with everything kept too; a text field over the form-field
limit is refused on its own (formlimits) with the rest kept. Without JavaScript all of it works.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from admin.applications import (
    attachment_store,
    compiled_form,
    kept_uploads,
    max_dossier_bytes,
    upload_stager,
)
from admin.site import access, error_page, site
from admin.site.formatting import locale
from admin.site.formlimits import OVERSIZE_FIELD, TolerantFormDataParser
from admin.site.offices import office_arg
from admin.site.pagecache import cached
from admin.site.procedure import online_level, published_key, published_or_404
from catalog.attachments import format_size
from catalog.db import DatabaseBusy, db
from catalog.models import Office, Procedure, ProcedureVersion
from catalog.payments import fee_total, fees_known
from catalog.services.dossiers import (
    TOKEN_PATTERN,
    AlreadySubmitted,
    DossierRefused,
    dossier_by_token,
    staged_uploads,
    submit_dossier,
)
from catalog.services.local_versions import procedure_at
from catalog.services.offices import offices_receiving, receives
from form_schemas.fees import amount_due

TOKEN_FIELD = "_motcua.submission"
OFFICE_FIELD = "_motcua.office"
POST_FIELD = "_motcua.by_post"
STEP_FIELD = "_motcua.step"
DRAFT_EMAIL_FIELD = "_motcua.draft_email"
OFFICE_PLACEHOLDER = "@@motcua-office-choice@@"


_compiled = compiled_form  # the form engine's form of a version (admin/applications.py)


@site.errorhandler(DatabaseBusy)
def _busy(error: DatabaseBusy) -> tuple[str, int, dict[str, str]]:
    """Any other site write that found the database busy through its retry (the apply form
    handles it itself, keeping the form): a 503 that says to send again."""
    current_app.logger.warning("database busy on %s", request.path)
    page, status = error_page(503, _("Hệ thống đang bận"), error.message(locale()))
    return page, status, {"Retry-After": "5"}


@site.url_value_preprocessor
def _tolerant_form_body(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Before anything reads the application's body (CSRF does, in before_request): an
    oversized text field must not throw the whole form away."""
    if endpoint == "site.apply_submit":
        request.form_data_parser_class = TolerantFormDataParser


def _applied_document(version: ProcedureVersion, office: Office | None) -> dict[str, Any]:
    applied = procedure_at(db.session, version.procedure, office)
    return applied.document if applied is not None else version.document


def _page(code: str, version: ProcedureVersion, body: str, token: str,
          problem: str | None = None, status: int = 200, csrf: str | None = None,
          office_choice: str | None = None, office: Office | None = None,
          resumed: Any = None, draft_email: str = "") -> tuple[str, int]:
    """The application page around the form's body (`resumed`: the draft it was opened from)."""
    document = _applied_document(version, office)
    return render_template(
        "site/apply.html", code=code, document=document, facts=document["x-procedure"],
        form_html=body, token=token, token_field=TOKEN_FIELD, problem=problem,
        fee=fee_total(document), fees_known=fees_known(document),
        fee_varies=amount_due(document).depends_on_answers, level=online_level(document),
        csrf=csrf or generate_csrf(),
        office_choice=office_choice if office_choice is not None else OFFICE_PLACEHOLDER,
        step_field=STEP_FIELD, draft_email_field=DRAFT_EMAIL_FIELD, resumed=resumed,
        draft_email=draft_email or (request.form.get(DRAFT_EMAIL_FIELD, "")[:255]
                                    if request.method == "POST" else ""),
    ), status


def office_choice(procedure: Procedure, chosen: Office | None, by_post: bool = False,
                  error: str | None = None) -> str:
    """The "Nơi tiếp nhận hồ sơ" select: the offices receiving the procedure, `chosen` (or the
    only one) selected; empty when no office receives it."""
    offices = offices_receiving(db.session, procedure)
    if not offices:
        return ""
    selected = chosen.id if chosen is not None else (offices[0].id if len(offices) == 1 else None)
    return render_template("site/office_choice.html", offices=offices, selected=selected,
                           office_field=OFFICE_FIELD, post_field=POST_FIELD, by_post=by_post, error=error)


def _posted_office(procedure: Procedure) -> tuple[Office | None, str | None]:
    """The office chosen in the form: (office, None), or (None, what is wrong)."""
    text = request.form.get(OFFICE_FIELD, "").strip()
    offices = offices_receiving(db.session, procedure)
    if not offices:
        return None, None
    if not text:
        if len(offices) == 1:
            return offices[0], None
        return None, _("Vui lòng chọn nơi tiếp nhận hồ sơ.")
    found = next((office for office in offices if str(office.id) == text), None)
    if found is None:
        return None, _("Nơi tiếp nhận đã chọn không tiếp nhận thủ tục này; vui lòng chọn nơi khác.")
    return found, None


def _unavailable(code: str, version: ProcedureVersion, office: Office | None = None,
                 ) -> tuple[str, int] | None:
    """The refusal page when the procedure (as it applies at `office`) is below level 3."""
    level = online_level(_applied_document(version, office))
    if level < 3:
        return error_page(
            404, _("Thủ tục này không nhận hồ sơ trực tuyến"),
            _("Thủ tục này ở mức độ %(level)s: vui lòng nộp hồ sơ trực tiếp hoặc qua bưu chính.",
              level=level),
        )
    return None


TOKEN_PLACEHOLDER = "@@motcua-submission-token@@"
CSRF_PLACEHOLDER = "@@motcua-csrf-token@@"


@site.get("/procedures/<code>/apply")
def apply_form(code: str) -> tuple[str, int]:
    version_id, digest = published_key(code)
    office = office_arg()
    if office is not None and not receives(db.session, office, published_or_404(code)[0]):
        abort(404)
    if office is not None:  # the page is drawn for that office (its local fee, level)
        html, status = _blank_form(code, office)
    else:
        html, status = cached(("apply", version_id, digest, locale()), lambda: _blank_form(code))
    if status != 200:
        return html, status
    procedure, _version = published_or_404(code)
    return (html.replace(TOKEN_PLACEHOLDER, secrets.token_urlsafe(24))
            .replace(CSRF_PLACEHOLDER, generate_csrf())
            .replace(OFFICE_PLACEHOLDER, office_choice(procedure, office))), 200


def _blank_form(code: str, office: Office | None = None) -> tuple[str, int]:
    """The blank application page with placeholders for the visitor's tokens and the office
    choice (drawn per request: offices change apart from versions)."""
    _, version = published_or_404(code)
    refused = _unavailable(code, version, office)
    if refused:
        return refused
    compiled = _compiled(version)
    if compiled is None:
        return _engine_missing()
    return _page(code, version, compiled.render(locale=locale()), TOKEN_PLACEHOLDER,
                 csrf=CSRF_PLACEHOLDER, office=office)


def _engine_missing() -> tuple[str, int]:
    return error_page(503, _("Biểu mẫu trực tuyến chưa sẵn sàng"),
                      _("Biểu mẫu trực tuyến của thủ tục này chưa sẵn sàng. Vui lòng thử lại sau "
                        "hoặc nộp hồ sơ trực tiếp."))


def posted_step() -> tuple[str, str]:
    """(step, section) of the button pressed: "check" (the form's "Tiếp tục", also when no
    button is named), "save" ("Lưu để làm tiếp"), "submit" (the check page's "Nộp hồ sơ"),
    "edit" with the section to open (the check page's "Sửa")."""
    raw = request.form.get(STEP_FIELD, "check")
    step, _sep, section = raw.partition(":")
    return (step if step in ("check", "save", "submit", "edit") else "check"), section[:100]


@site.post("/procedures/<code>/apply")
def apply_submit(code: str) -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    procedure, version = published_or_404(code)
    office, office_problem = _posted_office(procedure)
    by_post = request.form.get(POST_FIELD) == "1"
    refused = _unavailable(code, version, office)
    if refused:
        return refused
    step, _section = posted_step()

    def choice() -> str:
        return office_choice(procedure, office, by_post, office_problem if step != "edit" else None)

    token = request.form.get(TOKEN_FIELD, "")
    if not TOKEN_PATTERN.fullmatch(token):
        token = secrets.token_urlsafe(24)
    done = dossier_by_token(db.session, token)
    if done is not None:  # the same form posted again: one dossier
        return _to_dossier(done.code)
    compiled = _compiled(version)
    if compiled is None:
        return _engine_missing()
    current = locale()
    kept = kept_uploads(token)
    changed = compiled.apply_action(request.form)
    if changed is not None:  # "Thêm"/"Xóa" pressed without JavaScript: just redraw
        return _page(code, version, compiled.render(changed, kept_uploads=kept, locale=current),
                     token, office_choice=choice(), office=office)
    if step == "edit":  # "Sửa" on the check page: the form with everything as it was
        return _page(code, version, compiled.render(request.form, None, kept, current), token,
                     office_choice=choice(), office=office)
    store = attachment_store()
    store_upload = upload_stager(compiled, token, kept, current)

    def busy() -> tuple[str, int]:
        """503 with the form as sent: typed values and every upload already kept."""
        current_app.logger.warning("database busy: %s not submitted yet", code)
        body = compiled.render(request.form, None, kept, current)
        return _page(code, version, body, token, DatabaseBusy().message(current), 503,
                     office_choice=choice(), office=office)

    if step == "save":
        from admin.site.drafts import save_and_show

        try:
            decoded = compiled.decode(request.form, request.files, store_upload, kept, current)
            return save_and_show(code, version, decoded.instance, token, office, by_post,
                                 request.form.get(DRAFT_EMAIL_FIELD, ""), decoded.errors)
        except AlreadySubmitted as already:
            return _to_dossier(already.dossier_code)
        except DatabaseBusy:
            return busy()
    try:
        submission = compiled.submit(request.form, request.files, store_upload, kept, current)
    except AlreadySubmitted as already:  # a racing post of this form made the dossier
        return _to_dossier(already.dossier_code)
    except DatabaseBusy:
        return busy()
    problem = office_problem
    # the tolerant reader's marker (it drops any posted one); other bodies cannot carry it
    oversize = request.form.getlist(OVERSIZE_FIELD) if request.mimetype == "multipart/form-data" else []
    for name in oversize:  # on the field and in the summary; its value was not kept
        submission.errors.setdefault(compiled.input_for(name) or name, []).append(_oversize_message())
    if submission.ok and office_problem is None and step == "check":
        return _check_page(code, version, compiled, submission.instance, token, office, by_post)
    if submission.ok and office_problem is None:
        try:
            outcome = submit_dossier(db.session, code, submission.instance, submission_token=token,
                                     max_dossier_bytes=max_dossier_bytes(), office=office,
                                     result_by_post=by_post, store=store)
        except DossierRefused as refusal:
            problem = refusal.message(current)
        except DatabaseBusy:
            return busy()
        else:
            made = outcome.dossier.code
            _forget_draft(token)
            return _to_dossier(made)
    body = compiled.render(request.form, submission.errors, submission.uploads, current)
    return _page(code, version, body, token, problem, 413 if oversize else 422,
                 office_choice=choice(), office=office)


def _forget_draft(token: str) -> None:
    """The draft saved from this form is done with (its files now belong to the dossier).
    Best effort: the dossier is made, so a failure here only leaves the draft to expire."""
    from catalog.services.drafts import discard_draft

    try:
        discard_draft(db.session, token)
    except Exception:  # a busy database, a racing post that removed it first
        db.session.rollback()
        current_app.logger.warning("draft of form %s left to expire", token[:6], exc_info=True)


def _check_page(code: str, version: ProcedureVersion, compiled: Any, instance: dict[str, Any],
                token: str, office: Office | None, by_post: bool) -> tuple[str, int]:
    """"Kiểm tra lại thông tin": every answer under its label, the fee due, the office; the
    form's values ride along hidden so "Nộp hồ sơ" and "Sửa" post them back (nothing is kept
    on the server but the uploads, staged under the token)."""
    from admin.site.check import sections

    document = _applied_document(version, office)
    files = {a.id: a.original_name for a in staged_uploads(db.session, token)}
    hidden = [(name, value) for name, value in compiled.encode(instance).items(multi=True)]
    return render_template(
        "site/check.html", code=code, document=document, facts=document["x-procedure"],
        sections=sections(document, instance, files, locale()), fee_due=amount_due(document, instance),
        level=online_level(document), office=office, by_post=by_post, hidden=hidden,
        token=token, token_field=TOKEN_FIELD, office_field=OFFICE_FIELD, post_field=POST_FIELD,
        step_field=STEP_FIELD, has_offices=bool(offices_receiving(db.session, version.procedure)),
    ), 200


JUST_SUBMITTED = "site_just_submitted"


def _to_dossier(dossier_code: str) -> Response:
    """303 to the dossier's page, which this browser may now see; after the submission that
    made it, its first view is the confirmation."""
    access.grant(dossier_code)
    session[JUST_SUBMITTED] = dossier_code  # also for a repeated or racing post of the form
    return redirect(url_for("site.dossier", code=dossier_code), code=303)


def _oversize_message() -> str:
    """A text field over the form-field limit (not the file limit): the tolerant body reader
    dropped its value and kept everything else."""
    limit = format_size(int(request.max_form_memory_size or 0))
    return _("Nội dung ô này dài quá %(limit)s, mức tối đa cho một ô nhập chữ (khác với giới hạn "
             "dung lượng tệp đính kèm). Vui lòng rút ngắn, hoặc gửi nội dung đó dưới dạng tệp "
             "đính kèm; các thông tin khác đã được giữ nguyên.", limit=limit)


@site.get("/site-forms/<filename>")
def form_asset(filename: str) -> Response:
    """The form engine's script and style (forms.js, forms.css)."""
    from flask import send_from_directory

    try:
        from renderers.forms import STATIC_DIR
    except ImportError:
        abort(404)
    if filename not in ("forms.js", "forms.css"):
        abort(404)
    return send_from_directory(STATIC_DIR, filename, max_age=3600)
