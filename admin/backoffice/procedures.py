"""The list of procedures (search, filters), a procedure's overview, and creating one from nothing."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from admin.backoffice.common import (
    STATUS_LABELS,
    actor,
    can,
    flash_service_error,
    int_arg,
    procedure_or_404,
)
from catalog.db import db
from catalog.models import VersionStatus
from catalog.services import import_document
from catalog.services.errors import ServiceError
from catalog.services.history import latest_version
from catalog.services.listing import procedure_list, sectors
from form_schemas.builder import new_document
from form_schemas.problems import InvalidProcedure

LEVELS = [("commune", _l("Cấp xã")), ("province", _l("Cấp tỉnh")), ("central", _l("Cấp bộ, ngành")),
          ("district", _l("Cấp huyện (trước 1/7/2025)")), ("other", _l("Cơ quan khác"))]
CODE_PATTERN = r"^(\d\.\d{6}|[A-Z0-9][A-Z0-9._-]{2,31})$"


class NewProcedureForm(FlaskForm):
    class Meta:
        csrf = False  # checked for every POST by the app-wide CSRFProtect

    code = StringField(_l("Mã thủ tục"), validators=[DataRequired(), Regexp(CODE_PATTERN, message=_l(
        "Mã quốc gia dạng 1.001193, hoặc mã địa phương chữ in hoa, chữ số, dấu . _ - (3–32 ký tự)."))],
        description=_l("Ví dụ 1.001193 hoặc mã địa phương như HCM-001."))
    title = StringField(_l("Tên thủ tục"), validators=[DataRequired(), Length(max=500)])
    sector = StringField(_l("Lĩnh vực"), validators=[DataRequired(), Length(max=255)])
    competent = StringField(_l("Cơ quan có thẩm quyền"), validators=[Optional(), Length(max=500)],
                            description=_l("Để trống nếu chưa rõ: trang thủ tục ghi «Chưa có thông tin» "
                                           "cho đến khi được nhập."))
    level = SelectField(_l("Cấp thực hiện"), choices=LEVELS)
    online_level = IntegerField(_l("Mức độ dịch vụ công trực tuyến (1–4)"), default=2,
                                validators=[NumberRange(1, 4)])


class ProceduresView(BaseView):
    """Procedures: list with search and filters, overview, creation."""

    route_base = "/admin/procedures"
    class_permission_name = "Procedures"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):  # type: ignore[no-untyped-def]
        drafts_visible = can("can_read", "ProcedureEditor")
        status = request.args.get("status") or None
        page = procedure_list(
            db.session, request.args.get("q"), sector_id=int_arg(request.args.get("sector")),
            status=VersionStatus(status) if status in VersionStatus.__members__ else None,
            published_only=not drafts_visible, page=int_arg(request.args.get("page"), 1) or 1,
        )
        return self.render_template(
            "backoffice/procedures.html", page=page, sectors=sectors(db.session), statuses=STATUS_LABELS,
            args=request.args, may_create=can("can_create", "Procedures"), drafts_visible=drafts_visible,
        )

    @expose("/new", methods=["GET", "POST"])
    @has_access
    @permission_name("create")
    def new(self):  # type: ignore[no-untyped-def]
        form = NewProcedureForm()
        if form.validate_on_submit():
            document = new_document(form.code.data, form.title.data, form.sector.data, form.competent.data,
                                    level=form.level.data, online_level=form.online_level.data)
            try:
                procedure = procedure_or_none(form.code.data)
                if procedure is not None:
                    form.code.errors.append(_("Đã có thủ tục với mã này."))
                else:
                    import_document(db.session, document, author=actor())
                    flash(_("Đã tạo thủ tục. Hãy bổ sung thông tin và biểu mẫu."), "success")
                    return redirect(url_for("EditorView.form", code=form.code.data))
            except InvalidProcedure as exc:
                for problem in exc.problems:
                    flash(f"{problem.pointer}: {problem.message_vi}", "danger")
            except ServiceError as exc:
                flash_service_error(exc)
        status = 422 if request.method == "POST" else 200
        return self.render_template("backoffice/new_procedure.html", form=form), status

    @expose("/<code>/")
    @has_access
    @permission_name("show")
    def show(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        drafts_visible = can("can_read", "ProcedureEditor")
        versions = [v for v in procedure.versions
                    if drafts_visible or v.status.value in ("published", "superseded", "abolished")]
        if not versions:
            return self.render_template("backoffice/not_found.html"), 404
        return self.render_template(
            "backoffice/procedure.html", procedure=procedure, versions=list(reversed(versions)),
            latest=latest_version(procedure), drafts_visible=drafts_visible,
            perms={name: can(f"can_{name}", "Workflow") for name in ("draft", "submit", "review", "abolish")},
            may_edit=can("can_edit", "ProcedureEditor"), may_export=can("can_export", "ImportExport"),
        )


def procedure_or_none(code: str):  # type: ignore[no-untyped-def]
    from catalog.services.history import NotFound, procedure_by_code

    try:
        return procedure_by_code(db.session, code)
    except NotFound:
        return None
