"""Số liệu: the figures the one-stop reports count (issue 16 §4) for the signed-in user's
offices (admin.staff.my_offices: Admin sees every office), one procedure or all, and a period
(default: this month, Vietnam dates). The numbers come from catalog.services.figures (the one
place they are counted); this page only shows them: a table, a server-rendered SVG chart
(early / on time / late / in progress per procedure, with a <title> and text labels, no
script) and a CSV export (UTF-8 with BOM, Vietnamese headers) of the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy import select

from admin.staff import my_offices
from catalog.calendar import VN_TIME
from catalog.db import db
from catalog.models import Office, Procedure
from catalog.services.figures import (
    SCORES,
    Figures,
    FigureTable,
    average_text,
    by_procedure,
    figures,
    on_time_text,
    online_text,
)

CHART_BARS = 15
CHART_WIDTH = 640
SEGMENTS = (("early", "#1a7f37"), ("on_time", "#2f6fb3"), ("late", "#b3261e"), ("in_progress", "#8a6d00"))


@dataclass
class Filters:
    offices: list[int] | None
    office: int | None
    procedure: int | None
    start: date
    end: date
    errors: dict[str, str]


def this_month(today: date) -> tuple[date, date]:
    """The first and last day of `today`'s month."""
    first = today.replace(day=1)
    following = (first.replace(year=first.year + 1, month=1) if first.month == 12
                 else first.replace(month=first.month + 1))
    return first, date.fromordinal(following.toordinal() - 1)


def _int(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def read_period(args: Mapping[str, str]) -> tuple[date, date, dict[str, str]]:
    """`from` and `to` (YYYY-MM-DD, default this month in Vietnam) and the errors by field:
    the one reading of a period, for the page, the CSV and the API."""
    start, end = this_month(datetime.now(VN_TIME).date())
    errors: dict[str, str] = {}
    dates = {}
    for name, default in (("from", start), ("to", end)):
        raw = (args.get(name) or "").strip()[:20]
        try:
            dates[name] = date.fromisoformat(raw) if raw else default
        except ValueError:
            errors[name] = _("Ngày không hợp lệ (định dạng năm-tháng-ngày).")
            dates[name] = default
    if not errors and dates["to"] < dates["from"]:
        errors["to"] = _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")
        dates["to"] = dates["from"]
    return dates["from"], dates["to"], errors


def read_filters() -> Filters:
    """The page's filters from the query string; a bad value is an error next to its field."""
    start, end, errors = read_period(request.args)
    allowed = my_offices()
    office = _int("office")
    offices = allowed
    if office is not None:
        if allowed is not None and office not in allowed:
            errors["office"] = _("Bạn không làm việc tại bộ phận này.")
            office = None
        else:
            offices = [office]
    return Filters(offices, office, _int("procedure"), start, end, errors)


def chart(rows: list[Figures]) -> dict[str, Any]:
    """The SVG bars: per procedure (most received first, at most CHART_BARS) the resolved early,
    on time, late and the ones in progress, each a segment with its count."""
    shown = sorted(rows, key=lambda r: (-r.received, r.procedure_code))[:CHART_BARS]
    widest = max((r.early + r.on_time + r.late + r.in_progress for r in shown), default=0) or 1
    label_width, bar_height, gap = 200, 22, 10
    room = CHART_WIDTH - label_width - 50
    bars = []
    for index, row in enumerate(shown):
        x, segments = float(label_width), []
        for key, colour in SEGMENTS:
            value = getattr(row, key)
            width = room * value / widest
            segments.append({"key": key, "value": value, "x": x, "width": width, "colour": colour})
            x += width
        bars.append({"row": row, "y": index * (bar_height + gap) + 30, "segments": segments, "end": x})
    return {"bars": bars, "width": CHART_WIDTH, "height": len(bars) * (bar_height + gap) + 40,
            "bar_height": bar_height, "colours": dict(SEGMENTS)}


def csv_bytes(table: FigureTable, locale: str = "vi") -> bytes:
    """The table as CSV (UTF-8 with BOM so spreadsheet programs read the diacritics)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Bộ phận tiếp nhận"), _("Mã thủ tục"), _("Thủ tục"), _("Tiếp nhận"), _("Đã giải quyết"),
                     _("Trước hạn"), _("Đúng hạn"), _("Quá hạn"), _("Đang giải quyết chưa đến hạn"),
                     _("Đang giải quyết quá hạn"), _("Yêu cầu bổ sung"), _("Từ chối"), _("Dừng giải quyết"),
                     _("Tỷ lệ đúng hạn"), _("Tỷ lệ trực tuyến"), _("Trả qua bưu chính"), _("Số lượt đánh giá"),
                     _("Điểm trung bình"), *(_("Mức %(n)s", n=s) for s in SCORES)])
    for row in [*table.rows, table.total]:
        writer.writerow([row.office_name, row.procedure_code, row.procedure_name, row.received, row.resolved,
                         row.early, row.on_time, row.late, row.not_yet_due, row.overdue, row.supplements,
                         row.refused, row.stopped, on_time_text(row, locale), online_text(row, locale),
                         row.postal, row.ratings, average_text(row, locale), *(row.scores[s] for s in SCORES)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class FiguresView(BaseView):
    route_base = "/admin/figures"
    class_permission_name = "Figures"
    default_view = "index"

    def _table(self, filters: Filters) -> FigureTable:
        return figures(db.session, filters.start, filters.end, offices=filters.offices,
                       procedure=filters.procedure)

    @expose("/")
    @has_access
    @permission_name("read")
    def index(self):  # type: ignore[no-untyped-def]
        filters = read_filters()
        table = self._table(filters)
        allowed = my_offices()
        office_query = select(Office.id, Office.name).order_by(Office.name)
        if allowed is not None:
            office_query = office_query.where(Office.id.in_(allowed or [-1]))
        offices = db.session.execute(office_query).all()
        procedures = db.session.execute(select(Procedure.id, Procedure.code, Procedure.name)
                                        .order_by(Procedure.code)).all()
        return self.render_template(
            "backoffice/figures.html", table=table, filters=filters, offices=offices, procedures=procedures,
            chart=chart(by_procedure(table)), on_time=on_time_text, online=online_text, average=average_text,
            scores=SCORES, query=request.query_string.decode("utf-8", "replace"))

    @expose("/figures.csv")
    @has_access
    @permission_name("read")
    def export(self) -> Response:
        filters = read_filters()
        body = csv_bytes(self._table(filters))
        name = f"so-lieu-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
        return Response(body, mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
