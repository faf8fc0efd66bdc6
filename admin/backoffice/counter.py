"""Receiving a dossier at the counter (Reception officer, at one of my offices).

The rule: the officer fills, for the citizen standing at the counter, the SAME generated form
the citizen fills online (admin/applications.py: the form engine's form of the published
version, uploads staged under the form's token and kept on every redraw), beside the checklist
of the procedure's documents as it applies at the office (catalog.services.local_versions
.procedure_at): a tick per paper handed over, originals and copies prefilled from the
procedure and editable (0–99), "xuất trình" papers recorded as shown, not kept. One post
creates the dossier through catalog.services.dossiers.submit_dossier with the in-person
channel (its processing time and cut-off, the office's calendar), status "received", the
ticked papers and the officer's name, in one transaction; then the receipt (slip 01) opens.

Step 1 picks the procedure with the site's search (catalog.services.search), restricted to
what the chosen office receives; the office is one of mine (admin/staff.py), preselected when
I have only one. Another office, a procedure the office does not receive, a dossier of another
office: 404. Bad answers: 422, every error next to its field, everything typed, uploaded and
ticked kept.

Scans: each row of the checklist takes one file, "Bản chụp" of that paper (one, as each of the
form's file fields: a later file replaces it, a paper of several pages is one PDF), with the
rule of the form's file field the document names (`field`), else the rule every staged upload
has (catalog.services.dossiers.stage_upload's defaults). It is staged under the form's token
as the form's uploads are (field `paper_field(id)`), kept on every redraw, and submit_dossier
ties it to its paper; a scan of a paper not ticked, or a bad file, is an error on its row.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from admin.applications import (
    attachment_store,
    compiled_form,
    kept_uploads,
    max_dossier_bytes,
    upload_stager,
)
from admin.backoffice.common import int_arg, locale
from admin.staff import my_offices, works_at
from catalog.attachments import DEFAULT_ACCEPT, AttachmentRejected
from catalog.db import DatabaseBusy, db
from catalog.models import Dossier, Office, Procedure, ProcedureVersion
from catalog.services.dossiers import (
    DEFAULT_MAX_FILE_BYTES,
    TOKEN_PATTERN,
    AlreadySubmitted,
    DossierRefused,
    channel_of,
    dossier_by_code,
    dossier_by_token,
    paper_field,
    stage_upload,
    submit_dossier,
)
from catalog.services.local_versions import procedure_at
from catalog.services.offices import list_offices, receives
from catalog.services.search import search_procedures
from form_schemas.messages import format_size
from form_schemas.wording import file_types_text, processing_time_text
from renderers.forms import KeptUpload

TOKEN_FIELD = "_motcua.submission"  # the site's name (admin/site/apply.py): one staging rule
POST_FIELD = "_motcua.by_post"
DOC_FIELD = "_motcua.doc"  # one value per ticked paper: its id
MAX_COUNT = 99
CODE_LENGTH = 64


@dataclass
class Paper:
    """One row of the checklist: a document of the procedure, as ticked (or not) at the counter."""

    id: str
    name: str
    present: bool  # "xuất trình": shown to the officer, not kept
    required: bool
    case: str
    originals: str
    copies: str
    ticked: bool = False
    errors: list[str] = field(default_factory=list)
    form_field: str = ""  # the form's file field for this document (dotted), if it names one
    scan: KeptUpload | None = None
    accept: tuple[str, ...] = DEFAULT_ACCEPT
    max_bytes: int = DEFAULT_MAX_FILE_BYTES

    @property
    def input(self) -> str:
        return f"{DOC_FIELD}.{self.id}"

    @property
    def scan_input(self) -> str:
        """The file input of the paper's scan; on a redraw, the hidden input of the kept one."""
        return f"{self.input}.scan"

    def scan_rule_text(self, current: str) -> str:
        return _("Tệp %(types)s, tối đa %(size)s.", types=file_types_text(self.accept, current),
                 size=format_size(self.max_bytes, current))


def checklist(document: Mapping[str, Any], posted: Mapping[str, Any] | None = None) -> list[Paper]:
    """The procedure's documents; with `posted` (a submitted form), as the officer left them,
    each count checked (a whole number 0–99)."""
    papers: list[Paper] = []
    ticked = set(posted.getlist(DOC_FIELD)) if posted is not None and hasattr(posted, "getlist") else set()
    for item in document.get("x-procedure", {}).get("documents") or ():
        paper = Paper(
            id=str(item["id"]), name=str(item["name"]), present=item.get("action") == "present",
            required=bool(item.get("required", True)), case=str(item.get("case") or ""),
            originals=str(int(item.get("originals", 0))), copies=str(int(item.get("copies", 0))),
            form_field=str(item.get("field") or ""),
        )
        if posted is not None:
            paper.ticked = paper.id in ticked
            for name in ("originals", "copies"):
                text = str(posted.get(f"{paper.input}.{name}", "")).strip()[:10]
                setattr(paper, name, text)
                if paper.ticked and not (text.isdigit() and 0 <= int(text) <= MAX_COUNT):
                    paper.errors.append(
                        _("Số bản chính phải là số nguyên từ 0 đến 99.") if name == "originals"
                        else _("Số bản sao phải là số nguyên từ 0 đến 99."))
            if paper.ticked and not paper.errors and int(paper.originals) + int(paper.copies) == 0:
                paper.errors.append(_("Giấy tờ đã đánh dấu cần ít nhất một bản chính hoặc bản sao."))
        papers.append(paper)
    return papers


def with_scan_rules(papers: list[Paper], compiled: Any) -> list[Paper]:
    """Each paper's scan takes what the form's file field of its document takes (its types, its
    size limit), else what every staged upload takes."""
    for paper in papers:
        rule = compiled.file_rule(paper.form_field.replace(".", "-")) if paper.form_field else None
        if rule is not None:
            paper.accept = tuple(rule.accept) or DEFAULT_ACCEPT
            paper.max_bytes = rule.max_bytes or DEFAULT_MAX_FILE_BYTES
    return papers


def take_scans(papers: Sequence[Paper], posted: Any, files: Any, token: str, kept: Mapping[str, Any],
               current: str) -> None:
    """Each paper's scan as posted: a new file staged under `token` (an error on its row when
    refused), else the kept one the redraw carried (when it is the latest staged for the
    paper), unless "Bỏ bản chụp" is ticked. A scan of a paper not ticked is an error on its
    row (the file stays staged and shown). Raises AlreadySubmitted, DatabaseBusy."""
    store = attachment_store()
    for paper in papers:
        name = paper.scan_input
        upload = files.get(name)
        if upload is not None and upload.filename:
            try:
                staged = stage_upload(db.session, store, upload.stream, upload.filename,
                                      field=paper_field(paper.id), upload_token=token, accept=paper.accept,
                                      max_bytes=paper.max_bytes, max_dossier_bytes=max_dossier_bytes())
            except AttachmentRejected as rejected:
                paper.errors.append(rejected.message(current))  # the kept scan, if any, stands
            else:
                paper.scan = KeptUpload(staged.id, staged.original_name)
        if paper.scan is None and posted.get(f"{name}.drop") != "1":
            known = kept.get(paper_field(paper.id))
            if isinstance(known, KeptUpload) and posted.get(name) == known.id:
                paper.scan = known
        if paper.scan is not None and not paper.ticked:
            paper.errors.append(_("Hãy đánh dấu giấy tờ này đã nhận trước khi đính kèm bản chụp."))


def received_list(papers: Sequence[Paper]) -> list[dict[str, Any]]:
    """The ticked papers as Dossier.documents_received stores them."""
    return [{"id": p.id, "name": p.name, "originals": int(p.originals), "copies": int(p.copies),
             "shown": p.present} for p in papers if p.ticked]


def officer_name() -> str:
    """The signed-in officer's full name as the back office shows it (login name without one)."""
    full = " ".join(part for part in (getattr(current_user, "first_name", "") or "",
                                      getattr(current_user, "last_name", "") or "") if part.strip())
    return full.strip() or str(current_user.username)


def my_office_list() -> list[Office]:
    """The offices I may receive at, by name (Admin: every office)."""
    mine = my_offices()
    offices = list_offices(db.session)
    return offices if mine is None else [o for o in offices if o.id in mine]


def _published(code: str) -> tuple[Procedure, ProcedureVersion] | None:
    if len(code) > CODE_LENGTH:
        return None
    procedure = db.session.query(Procedure).filter(Procedure.code == code).one_or_none()
    if procedure is None or procedure.published_version is None:
        return None
    return procedure, procedure.published_version


class CounterView(BaseView):
    """Tiếp nhận tại quầy: pick the procedure, fill the form and the checklist, print slip 01."""

    route_base = "/admin/counter"
    class_permission_name = "Counter"
    default_view = "index"

    def _refused(self, message: str, status: int = 404) -> tuple[str, int]:
        return self.render_template("backoffice/counter_refused.html", message=message), status

    @expose("/")
    @has_access
    @permission_name("read")
    def index(self):  # type: ignore[no-untyped-def]
        """Step 1: the office (one of mine) and the procedure, searched as on the site."""
        offices = my_office_list()
        chosen_id = int_arg(request.args.get("office", "")[:12])
        office = next((o for o in offices if o.id == chosen_id), None)
        if chosen_id is not None and office is None:
            return self._refused(_("Bạn không làm việc tại bộ phận tiếp nhận này."))
        if office is None and len(offices) == 1:
            office = offices[0]
        q = request.args.get("q", "").strip()[:200]
        page = max(1, min(int_arg(request.args.get("page", "")[:6], 1) or 1, 1000))
        found = search_procedures(db.session, q, office=office, page=page, per_page=20) if office else None
        return self.render_template("backoffice/counter.html", offices=offices, office=office, q=q,
                                    found=found, page=page)

    @expose("/office/<int:office_id>/procedure/<code>", methods=["GET", "POST"])
    @has_access
    @permission_name("receive")
    def receive(self, office_id: int, code: str):  # type: ignore[no-untyped-def]
        """Step 2: the form and the checklist; POST receives the dossier."""
        office = db.session.get(Office, office_id) if office_id < 2**31 else None
        if office is None or not works_at(office.id):
            return self._refused(_("Bạn không làm việc tại bộ phận tiếp nhận này."))
        published = _published(code)
        if published is None:
            return self._refused(_("Không có thủ tục đang công bố với mã này."))
        procedure, version = published
        if not receives(db.session, office, procedure):
            return self._refused(_("%(office)s không tiếp nhận thủ tục %(code)s.", office=office.name,
                                   code=procedure.code))
        compiled = compiled_form(version)
        if compiled is None:
            return self._refused(_("Biểu mẫu của thủ tục này chưa vẽ được; báo cán bộ quản lý thủ tục."), 503)
        applied = procedure_at(db.session, procedure, office)
        document = applied.document if applied is not None else version.document
        current = locale()
        if request.method == "GET":
            return self._form(office, procedure, document, compiled.render(locale=current),
                              secrets.token_urlsafe(24), with_scan_rules(checklist(document), compiled), False)
        return self._post(office, procedure, document, compiled, current)

    def _post(self, office: Office, procedure: Procedure, document: Mapping[str, Any], compiled: Any,
              current: str) -> Any:
        token = request.form.get(TOKEN_FIELD, "")
        if not TOKEN_PATTERN.fullmatch(token):
            token = secrets.token_urlsafe(24)
        done = dossier_by_token(db.session, token)
        if done is not None:  # the same form posted again: one dossier
            return self._to_done(done.code)
        papers = with_scan_rules(checklist(document, request.form), compiled)
        by_post = request.form.get(POST_FIELD) == "1"
        kept = kept_uploads(token)
        try:
            take_scans(papers, request.form, request.files, token, kept, current)
        except AlreadySubmitted as already:
            return self._to_done(already.dossier_code)
        except DatabaseBusy:
            return self._form(office, procedure, document, compiled.render(request.form, None, kept, current),
                              token, papers, by_post, DatabaseBusy().message(current), 503)
        changed = compiled.apply_action(request.form)
        if changed is not None:  # "Thêm"/"Xóa" pressed without JavaScript: just redraw
            return self._form(office, procedure, document, compiled.render(changed, kept_uploads=kept, locale=current),
                              token, papers, by_post)
        try:
            submission = compiled.submit(request.form, request.files, upload_stager(compiled, token, kept, current),
                                         kept, current)
        except AlreadySubmitted as already:
            return self._to_done(already.dossier_code)
        except DatabaseBusy:
            body = compiled.render(request.form, None, kept, current)
            return self._form(office, procedure, document, body, token, papers, by_post,
                              DatabaseBusy().message(current), 503)
        problem, status = None, 422
        if submission.ok and not any(p.errors for p in papers):
            try:
                outcome = submit_dossier(
                    db.session, procedure.code, submission.instance, submission_token=token,
                    channel="in_person", office=office, result_by_post=by_post,
                    max_dossier_bytes=max_dossier_bytes(), store=attachment_store(),
                    documents_received=received_list(papers), received_by=officer_name(),
                    document_files={p.id: [p.scan.id] for p in papers if p.ticked and p.scan is not None})
            except DossierRefused as refusal:
                problem = refusal.message(current)
            except DatabaseBusy:
                problem, status = DatabaseBusy().message(current), 503
            else:
                return self._to_done(outcome.dossier.code)
        elif not submission.ok:
            problem = _("Hồ sơ chưa hợp lệ: xem các lỗi ghi cạnh từng mục.")
        else:
            problem = _("Danh mục giấy tờ chưa hợp lệ: xem các lỗi ghi cạnh từng giấy tờ.")
        body = compiled.render(request.form, submission.errors, submission.uploads, current)
        return self._form(office, procedure, document, body, token, papers, by_post, problem, status)

    def _form(self, office: Office, procedure: Procedure, document: Mapping[str, Any], body: str, token: str,
              papers: list[Paper], by_post: bool, problem: str | None = None, status: int = 200) -> tuple[str, int]:
        channel = channel_of(document, "in_person") or {}
        return self.render_template(
            "backoffice/counter_form.html", office=office, procedure=procedure, document=document,
            form_html=body, token=token, token_field=TOKEN_FIELD, post_field=POST_FIELD, by_post=by_post,
            papers=papers, doc_field=DOC_FIELD, problem=problem, officer=officer_name(), current=locale(),
            processing_time=processing_time_text(channel.get("processingTime"), locale()),
            # the cut-off only moves a same-day result (catalog.calendar.WorkingCalendar.appointment)
            cutoff=channel.get("sameDayCutoff") if (channel.get("processingTime") or {}).get("value") == 0 else None,
        ), status

    def _to_done(self, code: str) -> Response:
        return redirect(url_for("CounterView.received", code=code), code=303)

    @expose("/received/<code>")
    @has_access
    @permission_name("receive")
    def received(self, code: str):  # type: ignore[no-untyped-def]
        """"Đã tiếp nhận hồ sơ …": the appointment and the receipt (slip 01) to print at once."""
        dossier: Dossier | None = dossier_by_code(db.session, code[:CODE_LENGTH])
        if dossier is None or not works_at(dossier.office_id):
            return self._refused(_("Không có hồ sơ mã này tại bộ phận của bạn."))
        return self.render_template("backoffice/counter_done.html", dossier=dossier)

