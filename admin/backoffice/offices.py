"""Offices (one-stop shops), for administrators: list, create, edit every field (place in the
2025 map, contacts, opening hours), what each receives (rules, explicit additions and
removals), its days off, and importing offices from CSV."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length

from admin.backoffice.common import actor, flash_service_error, form_date, locale
from catalog import geography
from catalog.db import db
from catalog.models import Agency, Office, Sector
from catalog.models.offices import PERIODS, WEEKDAYS, OpeningHours, default_hours
from catalog.services import offices as service
from catalog.services.postings import parse_codes

EXTRA_RULE_ROWS = 3


class OfficeForm(FlaskForm):
    """Every field of an office but its hours (a table of its own) and its commune (a select
    grouped by province, filtered by a small script)."""

    class Meta:
        csrf = False  # checked for every POST by the app-wide CSRFProtect

    name = StringField(_l("Tên bộ phận tiếp nhận"), validators=[Length(max=255)],
                       description=_l("Ví dụ: Trung tâm Phục vụ hành chính công tỉnh Quảng Trị."))
    parent_body = StringField(_l("Cơ quan chủ quản (in phía trên tên)"), validators=[Length(max=255)],
                              description=_l("Chữ in hoa, ví dụ: UBND TỈNH QUẢNG TRỊ."))
    level = SelectField(_l("Cấp"), choices=[("province", _l("Cấp tỉnh")), ("commune", _l("Cấp xã"))],
                        default="commune")
    province_code = SelectField(_l("Tỉnh, thành phố"), choices=[], validate_choice=False)
    commune_code = StringField(_l("Xã, phường, đặc khu"))
    place_name = StringField(_l("Địa danh ghi trước ngày tháng"), validators=[Length(max=100)],
                             description=_l("Ví dụ «Quảng Trị» cho «Quảng Trị, ngày 02 tháng 12 năm 2026». "
                                            "Để trống: tên xã hoặc tỉnh."))
    address = StringField(_l("Địa chỉ trụ sở"), validators=[Length(max=1000)])
    phone = StringField(_l("Điện thoại"), validators=[Length(max=32)])
    hotline = StringField(_l("Đường dây nóng"), validators=[Length(max=32)])
    email = StringField(_l("Thư điện tử"), validators=[Length(max=255)])
    complaints_address = TextAreaField(
        _l("Nơi tiếp nhận phản ánh, kiến nghị"), validators=[Length(max=1000)],
        description=_l("In trên mỗi thông báo niêm yết. Để trống: Cổng Dịch vụ công quốc gia."))


FORM_FIELDS = ("name", "parent_body", "level", "province_code", "commune_code", "place_name", "address",
               "phone", "hotline", "email", "complaints_address")


def _form(office: Office | None = None) -> OfficeForm:
    form = OfficeForm(formdata=request.form if request.method == "POST" else None, obj=office)
    form.province_code.choices = [("", _("— Chọn tỉnh, thành phố —"))] + [
        (p.code, f"{p.name} ({p.code})") for p in geography.provinces()]
    return form


def _hours_from_form() -> OpeningHours:
    """The hours table as posted: hours-<day>-<period>-start / -end (empty pair: closed)."""
    hours: OpeningHours = {}
    for day in WEEKDAYS:
        for period in PERIODS:
            start = (request.form.get(f"hours-{day}-{period}-start") or "").strip()
            end = (request.form.get(f"hours-{day}-{period}-end") or "").strip()
            if start or end:
                hours.setdefault(day, {})[period] = [start, end]
    return hours


def _office_or_404(office_id: int) -> Office:
    office = db.session.get(Office, office_id)
    if office is None:
        abort(404)
    return office


def _names(model: type[Sector] | type[Agency]) -> list[str]:
    return list(db.session.scalars(select(model.name).order_by(model.name_folded)))


class OfficesView(BaseView):
    """Administrators keep the offices of the product."""

    route_base = "/admin/offices"
    class_permission_name = "Offices"
    default_view = "list"

    def _edit_page(self, form: OfficeForm, office: Office | None, hours: OpeningHours,
                   problems: list[service.FieldProblem] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
        context: dict[str, Any] = {}
        if office is not None:
            additions, removals = service.explicit_procedures(db.session, office.id)
            context = {
                "received": service.office_procedures(db.session, office),
                "additions": additions, "removals": removals,
                "rules": list(office.rules), "extra_rules": EXTRA_RULE_ROWS,
                "sectors": _names(Sector), "agencies": _names(Agency),
                "procedure_levels": service.PROCEDURE_LEVELS,
                "staff": _staff(office.id),
            }
        hours_problem = next((p for p in problems or [] if p.field == "opening_hours"), None)
        return self.render_template(
            "backoffice/office_edit.html", form=form, office=office, hours=hours, weekdays=WEEKDAYS,
            weekday_labels=service.WEEKDAY_LABELS, provinces=geography.provinces(),
            communes_by_province={p.code: geography.communes(p.code) for p in geography.provinces()},
            hours_problem=hours_problem, refused=bool(problems), locale=locale(), level_label=service.procedure_level_label,
            hours_lines=service.hours_lines, **context,
        ), status

    @expose("/")
    @has_access
    @permission_name("read")
    def list(self):  # type: ignore[no-untyped-def]
        offices = service.list_offices(db.session)
        return self.render_template(
            "backoffice/offices.html", offices=offices, locale=locale(),
            received={o.id: len(service.office_procedures(db.session, o)) for o in offices},
            province=geography.province, commune=geography.commune, level_label=service.level_label,
            columns=service.CSV_COLUMNS, problems=[],
        )

    @expose("/new", methods=["GET", "POST"])
    @has_access
    @permission_name("manage")
    def new(self):  # type: ignore[no-untyped-def]
        form = _form()
        if request.method == "GET":
            return self._edit_page(form, None, default_hours())
        hours = _hours_from_form()
        values = {name: getattr(form, name).data or "" for name in FORM_FIELDS}
        try:
            office = service.create_office(db.session, values.pop("name"), actor=actor(),
                                           opening_hours=hours, **values)
        except service.OfficeRefused as exc:
            _attach(form, exc)
            return self._edit_page(form, None, hours, exc.problems, 422)
        flash(_("Đã thêm %(name)s. Hãy đặt các thủ tục bộ phận tiếp nhận.", name=office.name), "success")
        return redirect(url_for("OfficesView.edit", office_id=office.id))

    @expose("/<int:office_id>/", methods=["GET", "POST"])
    @has_access
    @permission_name("read")
    def edit(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        form = _form(office)
        if request.method == "GET":
            return self._edit_page(form, office, office.opening_hours or {})
        if not self.appbuilder.sm.has_access("can_manage", "Offices"):
            abort(403)
        hours = _hours_from_form()
        values = {name: getattr(form, name).data or "" for name in FORM_FIELDS}
        try:
            service.update_office(db.session, office.id, actor=actor(), opening_hours=hours, **values)
        except service.OfficeRefused as exc:
            db.session.rollback()
            _attach(form, exc)
            return self._edit_page(form, _office_or_404(office_id), hours, exc.problems, 422)
        flash(_("Đã lưu %(name)s.", name=office.name), "success")
        return redirect(url_for("OfficesView.edit", office_id=office.id))

    @expose("/<int:office_id>/rules", methods=["POST"])
    @has_access
    @permission_name("manage")
    def rules(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        levels, sectors, agencies = (request.form.getlist(f"rule-{key}") for key in ("level", "sector", "agency"))
        specs = [service.RuleSpec(*row) for row in zip(levels, sectors, agencies, strict=False)]
        try:
            kept = service.set_rules(db.session, office.id, specs, actor=actor())
            flash(_("Đã lưu %(n)s quy tắc tiếp nhận.", n=len(kept)), "success")
        except service.OfficeRefused as exc:
            flash_service_error(exc)
        return redirect(url_for("OfficesView.edit", office_id=office.id) + "#h-receives")

    @expose("/<int:office_id>/procedures", methods=["POST"])
    @has_access
    @permission_name("manage")
    def procedures(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        codes = parse_codes(request.form.get("codes", ""))
        action = request.form.get("action")
        change = {"add": service.add_procedures, "remove": service.remove_procedures,
                  "reset": service.reset_procedures}.get(action or "")
        if change is None:
            abort(400)
        try:
            changed = change(db.session, office.id, codes, actor=actor())
            if action == "add":
                message = _("Đã thêm %(n)s thủ tục: %(codes)s.", n=len(changed), codes=", ".join(changed))
            elif action == "remove":
                message = _("Đã bỏ %(n)s thủ tục: %(codes)s.", n=len(changed), codes=", ".join(changed))
            else:
                message = _("Các thủ tục %(codes)s lại theo quy tắc tiếp nhận.", codes=", ".join(codes))
            flash(message if changed or action == "reset" else _("Danh sách tiếp nhận không đổi."),
                  "success" if changed or action == "reset" else "info")
        except service.OfficeRefused as exc:
            flash_service_error(exc)
        return redirect(url_for("OfficesView.edit", office_id=office.id) + "#h-explicit")

    @expose("/<int:office_id>/days", methods=["POST"])
    @has_access
    @permission_name("manage")
    def days(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        day = form_date(request.form.get("day"))
        if day is None:
            flash(_("Ngày không đọc được; hãy nhập theo dạng ngày/tháng/năm."), "danger")
        elif request.form.get("action") == "remove":
            service.remove_day_off(db.session, office.id, day, actor=actor())
            flash(_("Ngày %(day)s lại là ngày làm việc của bộ phận.", day=day.strftime("%d/%m/%Y")), "success")
        else:
            service.add_day_off(db.session, office.id, day, request.form.get("note", ""), actor=actor())
            flash(_("Đã thêm ngày nghỉ %(day)s.", day=day.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("OfficesView.edit", office_id=office.id) + "#h-days")

    @expose("/<int:office_id>/staff", methods=["POST"])
    @has_access
    @permission_name("manage")
    def staff(self, office_id: int):  # type: ignore[no-untyped-def]
        office = _office_or_404(office_id)
        username = (request.form.get("username") or "").strip()
        user = self.appbuilder.sm.find_user(username=username) if username else None
        if user is None:
            flash(_("Không có người dùng «%(name)s».", name=username), "danger")
        elif request.form.get("action") == "remove":
            service.remove_staff(db.session, office.id, user.id, actor=actor())
            flash(_("%(name)s không còn làm việc tại bộ phận.", name=username), "success")
        else:
            added = service.assign_staff(db.session, office.id, user.id, actor=actor())
            flash(_("Đã thêm %(name)s vào bộ phận.", name=username) if added
                  else _("%(name)s đã là cán bộ của bộ phận.", name=username), "success" if added else "info")
        return redirect(url_for("OfficesView.edit", office_id=office.id) + "#h-staff")

    @expose("/import", methods=["POST"])
    @has_access
    @permission_name("manage")
    def import_(self):  # type: ignore[no-untyped-def]
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Hãy chọn một tệp .csv."), "danger")
            return redirect(url_for("OfficesView.list"))
        try:
            outcome = service.import_offices(db.session, upload.read(), actor=actor())
        except service.OfficeRefused as exc:
            offices = service.list_offices(db.session)
            return self.render_template(
                "backoffice/offices.html", offices=offices, locale=locale(),
                received={o.id: len(service.office_procedures(db.session, o)) for o in offices},
                province=geography.province, commune=geography.commune, level_label=service.level_label,
                columns=service.CSV_COLUMNS, problems=exc.problems, refusal=exc.message(locale()).split("\n")[0],
            ), 422
        flash(_("Đã thêm %(c)s, cập nhật %(u)s bộ phận tiếp nhận.", c=len(outcome.created), u=len(outcome.updated)),
              "success")
        return redirect(url_for("OfficesView.list"))


def _staff(office_id: int) -> list[Any]:
    """The users working at the office, by user id."""
    from flask import current_app

    model = current_app.appbuilder.sm.user_model
    ids = service.office_staff(db.session, office_id)
    return list(db.session.scalars(select(model).where(model.id.in_(ids)).order_by(model.id))) if ids else []


def _attach(form: OfficeForm, exc: service.OfficeRefused) -> None:
    """Show each problem next to its field (a general one next to the name)."""
    problems = exc.problems or [service.FieldProblem("name", exc.message_vi, exc.message_en)]
    for problem in problems:
        target = getattr(form, problem.field, None)
        if target is not None and problem.field != "opening_hours":
            target.errors = [*target.errors, problem.message(locale())]
