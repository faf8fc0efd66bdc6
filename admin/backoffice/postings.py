"""Public posting (niêm yết): offices, the notices each must replace, the posting register and
one PDF with every replacement notice of an office."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from admin.backoffice.common import actor, can, flash_service_error, form_date, int_arg, locale
from catalog.db import db
from catalog.models import Office
from catalog.services.errors import ServiceError
from catalog.services.postings import (
    assign_procedures,
    assigned_procedures,
    create_office,
    office_summaries,
    record_posting,
    stale_notices,
    vn_today,
)


class OfficeForm(FlaskForm):
    class Meta:
        csrf = False  # checked for every POST by the app-wide CSRFProtect

    name = StringField(_l("Tên bộ phận tiếp nhận"), validators=[DataRequired(), Length(max=255)],
                       description=_l("Ví dụ: Bộ phận Một cửa UBND phường Bến Nghé."))
    address = StringField(_l("Địa chỉ"), validators=[Length(max=500)])
    complaints_address = TextAreaField(
        _l("Địa chỉ tiếp nhận phản ánh, kiến nghị"), validators=[Length(max=1000)],
        description=_l("In trên mỗi thông báo niêm yết. Để trống: Cổng Dịch vụ công quốc gia."))


def _office_or_404(office_id: int) -> Office:
    office = db.session.get(Office, office_id)
    if office is None:
        abort(404)
    return office


def _posting_date(value: str | None) -> date | None:
    """The date of a posting as typed; today when empty; None when unreadable."""
    return form_date(value) if (value or "").strip() else vn_today()


class PostingsView(BaseView):
    """Posting officers keep each office's boards up to date."""

    route_base = "/admin/postings"
    class_permission_name = "Postings"
    default_view = "offices"

    def _to_office(self, office_id: int):  # type: ignore[no-untyped-def]
        return redirect(url_for("PostingsView.office", office_id=office_id))

    def _offices_page(self, form: OfficeForm, status: int = 200):  # type: ignore[no-untyped-def]
        return self.render_template(
            "backoffice/postings.html", summaries=office_summaries(db.session), form=form,
            may_manage=can("can_manage", "Postings"), may_edit_offices=can("can_manage", "Offices"),
        ), status

    @expose("/")
    @has_access
    @permission_name("read")
    def offices(self):  # type: ignore[no-untyped-def]
        return self._offices_page(OfficeForm(formdata=None))

    @expose("/offices", methods=["POST"])
    @has_access
    @permission_name("manage")
    def add_office(self):  # type: ignore[no-untyped-def]
        form = OfficeForm()
        if form.validate_on_submit():
            try:
                office = create_office(db.session, form.name.data, form.address.data or "",
                                       form.complaints_address.data or "")
                flash(_("Đã thêm %(name)s. Hãy thêm các thủ tục phải niêm yết.", name=office.name), "success")
                return self._to_office(office.id)
            except ServiceError as exc:
                form.name.errors.append(exc.message(locale()))
        return self._offices_page(form, 422)

    @expose("/<int:office_id>/")
    @has_access
    @permission_name("read")
    def office(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        notices = stale_notices(db.session, office.id)
        return self.render_template(
            "backoffice/posting_office.html", office=office, notices=notices,
            assigned=len(assigned_procedures(db.session, office.id)),
            printable=sum(1 for n in notices if n.printable), today=vn_today(), locale=locale(),
            may_record=can("can_record", "Postings"), may_manage=can("can_manage", "Postings"),
            may_edit_offices=can("can_manage", "Offices"),
        )

    @expose("/<int:office_id>/procedures", methods=["POST"])
    @has_access
    @permission_name("manage")
    def assign(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        try:
            added = assign_procedures(db.session, office.id, request.form.get("codes", ""))
            if added:
                flash(_("Đã thêm %(n)s thủ tục vào danh sách niêm yết: %(codes)s.",
                        n=len(added), codes=", ".join(added)), "success")
            else:
                flash(_("Các thủ tục này đã có trong danh sách niêm yết."), "info")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._to_office(office.id)

    @expose("/<int:office_id>/postings", methods=["POST"])
    @has_access
    @permission_name("record")
    def record(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        code = (request.form.get("code") or "").strip()
        number = int_arg(request.form.get("version"))
        posted_on = _posting_date(request.form.get("posted_on"))
        if not code or number is None:
            flash(_("Hãy chọn thủ tục và phiên bản đã niêm yết."), "danger")
        elif posted_on is None:
            flash(_("Ngày niêm yết không đọc được; hãy nhập theo dạng ngày/tháng/năm."), "danger")
        else:
            try:
                record_posting(db.session, office.id, code, number, posted_on, actor())
                flash(_("Đã ghi nhận: thủ tục %(code)s, phiên bản %(n)s, niêm yết ngày %(day)s.",
                        code=code, n=number, day=posted_on.strftime("%d/%m/%Y")), "success")
            except ServiceError as exc:
                flash_service_error(exc)
        return self._to_office(office.id)

    @expose("/<int:office_id>/replacements.pdf")
    @has_access
    @permission_name("read")
    def print_all(self, office_id: int):  # type: ignore[no-untyped-def]
        """One PDF of every replacement notice: rendered in the background (an office may have
        hundreds), this page refreshes itself until the file is ready and then serves it."""
        from admin.printing import replacement_booklet_job

        office = _office_or_404(office_id)
        # printed for this office: its heading, and each procedure as it applies there
        state = replacement_booklet_job(db.session, office)
        if state is None:
            flash(_("Không có thông báo nào cần in lại cho bộ phận này."), "info")
            return self._to_office(office.id)
        if state.failed:
            flash(_("Chưa tạo được bản PDF. Hãy thử lại sau ít phút."), "danger")
            return self._to_office(office.id)
        if state.path is None:
            return self.render_template("backoffice/print_job.html", office=office, state=state), 202
        filename = f"niem-yet-thay-the-{office.id}-{vn_today().isoformat()}.pdf"
        response = send_file(state.path, mimetype="application/pdf", as_attachment=True,
                             download_name=filename, max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/<int:office_id>/notices/<code>.pdf")
    @has_access
    @permission_name("read")
    def print_notice(self, office_id: int, code: str):  # type: ignore[no-untyped-def]
        """One procedure's notice printed for this office: headed by it, with its local facts
        (cached by office heading and applied document, so an override prints anew)."""
        from pathlib import Path

        from sqlalchemy import select

        from admin.printing import cache_params, notice_info
        from catalog.models import Procedure
        from catalog.services.local_versions import procedure_at
        from renderers.pdf import PdfCache, render_notice

        office = _office_or_404(office_id)
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == code))
        applied = procedure_at(db.session, procedure, office) if procedure is not None else None
        if applied is None:
            abort(404)
        info = notice_info(code, applied.version, office.complaints_address or None, office=office,
                           applied=applied)
        cache = PdfCache(Path(current_app.config["MOTCUA_DATA_DIR"]) / "pdf-cache")
        content = cache.get_or_render(
            "office_notice", applied.document,
            lambda: render_notice(applied.document, version=info.version, version_date=info.version_date,
                                  procedure_url=info.procedure_url,
                                  complaints_address=info.complaints_address, office=info.office,
                                  local_basis=info.local_basis),
            cache_params(info, applied), digest=applied.digest)
        response = Response(content, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="niem-yet-{code}-{office.id}.pdf"'
        response.headers["Cache-Control"] = "no-store"
        return response
