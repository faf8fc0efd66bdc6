"""Local versions of a procedure (Phiên bản địa phương): list per scope, draft form, review and
publication, a worded diff national → as applied, and the overrides a newer national version
touched. Procedure officers draft and submit, approvers approve, send back and withdraw."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from admin.backoffice.common import (
    actor,
    can,
    flash_service_error,
    form_date,
    int_arg,
    locale,
    procedure_or_404,
)
from catalog.db import db
from catalog.models import LocalStatus, LocalVersion, Office, Procedure, ProcedureVersion
from catalog.models.local_versions import scope_key
from catalog.services.errors import ServiceError
from catalog.services.local_versions import (
    InvalidOverrides,
    applied_with,
    approve_local,
    local_version_of,
    local_versions,
    open_local_version,
    procedure_at,
    published_local_version,
    save_local_draft,
    send_back_local,
    stale_for_procedure,
    submit_local,
    withdraw_local,
)
from form_schemas.diff import diff_documents, show
from form_schemas.local import CHANNEL_LABELS, basis_citation, changed_facts, facts_overridden

PERMISSION = "LocalVersions"
LOCAL_STATUS_LABELS = {
    "draft": _l("Bản nháp"), "in_review": _l("Chờ duyệt"), "published": _l("Đang áp dụng"),
    "superseded": _l("Đã bị thay thế"), "withdrawn": _l("Đã thôi áp dụng"),
}
TIME_UNITS = [("working_days", _l("ngày làm việc")), ("days", _l("ngày")), ("hours", _l("giờ")),
              ("months", _l("tháng"))]


def province_choices() -> list[tuple[str, str]] | None:
    """The 34 provinces (code, name) from the 2025 map when it is installed, else None."""
    try:
        from catalog.geography import provinces  # type: ignore[import-not-found]
    except ImportError:
        return None
    return [(p.code, p.full_name) for p in provinces()]


def scope_label(local_or_key: LocalVersion | str, offices: dict[int, Office] | None = None) -> str:
    """"Tỉnh Quảng Trị" / "Tỉnh, thành phố mã 44" or the office's name."""
    key = local_or_key if isinstance(local_or_key, str) else local_or_key.scope_key
    kind, _sep, value = key.partition(":")
    if kind == "office":
        office = (offices or {}).get(int(value)) or db.session.get(Office, int(value))
        return office.name if office is not None else _("Cơ quan %(id)s", id=value)
    names = dict(province_choices() or [])
    return str(names.get(value) or _("Tỉnh, thành phố mã %(code)s", code=value))


def _local_or_404(procedure: Procedure, local_id: int) -> LocalVersion:
    local = local_version_of(db.session, procedure, local_id)
    if local is None:
        abort(404)
    return local


def _perms() -> dict[str, bool]:
    return {name: can(f"can_{name}", PERMISSION) for name in ("edit", "submit", "review", "withdraw")}


def _form_overrides(form: Any, national: dict[str, Any]) -> dict[str, Any]:
    """The override document the draft form describes (empty inputs keep the national fact)."""
    facts = national["x-procedure"]
    basis = {"number": form.get("basis_number", "").strip()}
    for key in ("title", "issuer"):
        if form.get(f"basis_{key}", "").strip():
            basis[key] = form.get(f"basis_{key}", "").strip()
    issued = form_date(form.get("basis_issued_on"))
    if issued is not None:
        basis["issuedOn"] = issued.isoformat()
    overrides: dict[str, Any] = {"basis": basis}
    channels: dict[str, Any] = {}
    for channel in facts["channels"]:
        mode, change = channel["mode"], {}
        value = form.get(f"time_{mode}_value", "").strip().replace(",", ".")
        if value:
            time: dict[str, Any] = {"value": _number(value), "unit": form.get(f"time_{mode}_unit") or "working_days"}
            if form.get(f"time_{mode}_note", "").strip():
                time["note"] = form.get(f"time_{mode}_note", "").strip()
            change["processingTime"] = time
        fees, touched = [], False
        for j, fee in enumerate(channel.get("fees") or ()):
            amount = form.get(f"fee_{mode}_{j}_amount", "").strip().replace(".", "").replace(",", "").replace(" ", "")
            note = form.get(f"fee_{mode}_{j}_note", "").strip()
            item = dict(fee)
            if amount:
                touched = True
                item.pop("basis", None)
                item["amount"] = _number(amount)
            if note:
                touched = True
                item["note"] = note
            fees.append(item)
        if touched:
            change["fees"] = fees
        if change:
            channels[mode] = change
    if channels:
        overrides["channels"] = channels
    agencies = {key: form.get(key, "").strip() for key in ("receivingAddress", "implementing")
                if form.get(key, "").strip()}
    if agencies:
        overrides["agencies"] = agencies
    conditions = [line.strip() for line in form.get("conditions", "").splitlines() if line.strip()]
    if conditions:
        overrides["conditions"] = conditions
    level = int_arg(form.get("online_level"))
    if level is not None:
        overrides["onlineService"] = {"level": level}
    if form.get("note", "").strip():
        overrides["note"] = form.get("note", "").strip()
    return overrides


def fact_text(value: Any) -> str:
    """A national or local fact as an officer reads it: "2 ngày làm việc", "Lệ phí: 100.000 đồng"."""
    if isinstance(value, dict) and "unit" in value:
        unit = dict(TIME_UNITS).get(value["unit"], _("chưa rõ đơn vị"))
        return f"{show(value.get('value'))} {unit}" + (f" ({value['note']})" if value.get("note") else "")
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        if all("name" in item for item in value):
            return "; ".join(f"{item['name']}: {_fee_amount(item)}" for item in value)
        if all("title" in item for item in value):
            return "; ".join(f"{item['title']} ({item['number']})" if item.get("number") else str(item["title"])
                             for item in value)
    if value is None:
        return str(_("Chưa có thông tin"))
    return show(value)


def _fee_amount(fee: dict[str, Any]) -> str:
    if "amount" not in fee:
        return str(_("Mức thu theo quy định của HĐND cấp tỉnh") if fee.get("basis") == "set_by_province"
                   else _("Cần kiểm tra"))
    amount = f"{fee['amount']:,}".replace(",", ".")
    return f"{amount} USD" if fee.get("currency") == "USD" else f"{amount} " + str(_("đồng"))


def _number(text: str) -> Any:
    """A number typed in the form; kept as text when unreadable (the checks then name it)."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


class LocalVersionsView(BaseView):
    """Phiên bản địa phương of one procedure."""

    route_base = "/admin/local"
    class_permission_name = PERMISSION
    default_view = "list"

    def _to(self, code: str, local: LocalVersion | None = None):  # type: ignore[no-untyped-def]
        if local is None:
            return redirect(url_for("LocalVersionsView.list", code=code))
        return redirect(url_for("LocalVersionsView.show", code=code, local_id=local.id))

    @expose("/<code>/")
    @has_access
    @permission_name("read")
    def list(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        rows = local_versions(db.session, procedure)
        offices = {o.id: o for o in db.session.scalars(select(Office).order_by(Office.name))}
        scopes: dict[str, list[LocalVersion]] = {}
        for local in rows:
            scopes.setdefault(local.scope_key, []).append(local)
        return self.render_template(
            "backoffice/local_versions.html", procedure=procedure, scopes=scopes, offices=offices,
            scope_label=lambda key: scope_label(key, offices), stale=stale_for_procedure(db.session, procedure),
            provinces=province_choices(), perms=_perms(), labels=LOCAL_STATUS_LABELS, locale=locale(),
        )

    @expose("/<code>/<int:local_id>")
    @has_access
    @permission_name("read")
    def show(self, code: str, local_id: int):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        local = _local_or_404(procedure, local_id)
        national = procedure_at(db.session, procedure)
        applied = applied_with(db.session, local)
        changes = [c for c in diff_documents(national.document, applied.document) if c.path != "review"] \
            if national and applied else []
        stale = []
        current = procedure.published_version
        if current is not None and current.number != local.based_on_version_number:
            base = db.session.scalar(select(ProcedureVersion).where(
                ProcedureVersion.procedure_id == procedure.id,
                ProcedureVersion.number == local.based_on_version_number))
            if base is not None:
                stale = changed_facts(base.document, current.document, local.overrides)
        return self.render_template(
            "backoffice/local_version.html", procedure=procedure, local=local, scope=scope_label(local),
            citation=basis_citation(local.basis, locale()), facts=facts_overridden(local.overrides),
            changes=changes, stale=stale, current=current, perms=_perms(), labels=LOCAL_STATUS_LABELS,
            locale=locale(), fact_text=fact_text,
        )

    @expose("/<code>/edit", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def edit(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        national = procedure.published_version
        if national is None:
            flash(_("Thủ tục chưa được công bố nên chưa có phiên bản địa phương."), "danger")
            return self._to(code)
        source = request.form if request.method == "POST" else request.args
        scope = source.get("scope") or ("office" if source.get("office") else "province")
        office_id = int_arg(source.get("office")) if scope == "office" else None
        province = ((source.get("province") or "").strip() or None) if scope == "province" else None
        problems: list[Any] = []
        if request.method == "POST":
            overrides = _form_overrides(request.form, national.document)
            try:
                local = save_local_draft(db.session, procedure, overrides, actor=actor(), office_id=office_id,
                                         province_code=province, expected_lock=int_arg(request.form.get("lock")))
                flash(_("Đã lưu bản nháp phiên bản địa phương %(n)s.", n=local.number), "success")
                return self._to(code, local)
            except InvalidOverrides as exc:
                db.session.rollback()
                problems = exc.problems
            except ServiceError as exc:
                db.session.rollback()
                flash_service_error(exc)
            current = None
        else:
            current = None
            if office_id is not None or province:
                key = scope_key(office_id=office_id, province_code=province)
                current = open_local_version(db.session, procedure, key) or \
                    published_local_version(db.session, procedure, key)
            overrides = current.overrides if current is not None else {}
        open_draft = current if current is not None and current.status == LocalStatus.draft else None
        offices = list(db.session.scalars(select(Office).order_by(Office.name)))
        status = 422 if request.method == "POST" else 200
        return self.render_template(
            "backoffice/local_form.html", procedure=procedure, national=national.document,
            overrides=overrides, office_id=office_id, province=province, offices=offices,
            provinces=province_choices(), problems=problems,
            lock=request.form.get("lock", "") if request.method == "POST" else (open_draft.lock_version if open_draft else ""),
            from_published=current is not None and current.status == LocalStatus.published,
            channel_labels=CHANNEL_LABELS, units=TIME_UNITS, locale=locale(),
        ), status

    @expose("/<code>/<int:local_id>/submit", methods=["POST"])
    @has_access
    @permission_name("submit")
    def submit(self, code: str, local_id: int):  # type: ignore[no-untyped-def]
        local = _local_or_404(procedure_or_404(code), local_id)
        try:
            submit_local(db.session, local, actor=actor())
            flash(_("Đã trình duyệt phiên bản địa phương %(n)s.", n=local.number), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._to(code, local)

    @expose("/<code>/<int:local_id>/send-back", methods=["POST"])
    @has_access
    @permission_name("review")
    def send_back(self, code: str, local_id: int):  # type: ignore[no-untyped-def]
        local = _local_or_404(procedure_or_404(code), local_id)
        try:
            send_back_local(db.session, local, actor=actor(), comment=request.form.get("comment", ""))
            flash(_("Đã trả lại phiên bản địa phương %(n)s để sửa.", n=local.number), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._to(code, local)

    @expose("/<code>/<int:local_id>/approve", methods=["POST"])
    @has_access
    @permission_name("review")
    def approve(self, code: str, local_id: int):  # type: ignore[no-untyped-def]
        local = _local_or_404(procedure_or_404(code), local_id)
        try:
            approve_local(db.session, local, actor=actor())
            flash(_("Đã phê duyệt phiên bản địa phương %(n)s: áp dụng ngay tại %(scope)s.",
                    n=local.number, scope=scope_label(local)), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._to(code, local)

    @expose("/<code>/<int:local_id>/withdraw", methods=["POST"])
    @has_access
    @permission_name("withdraw")
    def withdraw(self, code: str, local_id: int):  # type: ignore[no-untyped-def]
        local = _local_or_404(procedure_or_404(code), local_id)
        try:
            withdraw_local(db.session, local, actor=actor(), reason=request.form.get("reason", ""))
            flash(_("Đã thôi áp dụng phiên bản địa phương %(n)s.", n=local.number), "success")
        except ServiceError as exc:
            flash_service_error(exc)
        return self._to(code, local)
