"""`motcua render`: a published procedure's notice or blank form, a booklet, or a dossier's slip (01–07, kq) to a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from admin.cli import with_app

if TYPE_CHECKING:
    from catalog.models import Office, Procedure
    from catalog.services.local_versions import AppliedProcedure

LEVELS = ("central", "province", "district", "commune", "other")  # x-procedure level keys
OFFICE = click.option("--office", "office_id", type=int, default=None,
                      help="In cho bộ phận tiếp nhận số ID (xem `motcua office list`): tiêu đề, "
                           "địa chỉ, giờ làm việc và thông tin địa phương của bộ phận đó.")
OUTPUT = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                      help="Tệp PDF sẽ ghi.")


@click.group(help="In PDF: thông báo niêm yết, mẫu đơn trống, cả bộ thủ tục (booklet), hoặc phiếu của hồ sơ.")
def render() -> None:
    pass


def _published(code: str) -> tuple[Procedure, Any]:
    from catalog.db import db
    from catalog.services.dossiers import published_version

    version = published_version(db.session, code)
    if version is None:
        raise click.ClickException(f"Không có thủ tục {code} đang công bố.")
    return version.procedure, version


def _office(office_id: int | None) -> Office | None:
    from catalog.db import db
    from catalog.services.errors import ServiceError
    from catalog.services.offices import office_by_id

    if office_id is None:
        return None
    try:
        return office_by_id(db.session, office_id)
    except ServiceError as exc:
        raise click.ClickException(exc.message("vi")) from exc


def _applied(procedure: Procedure, office: Office | None) -> AppliedProcedure | None:
    """The procedure as it applies at `office` (None without an office)."""
    from catalog.db import db
    from catalog.services.local_versions import procedure_at

    if office is None:
        return None
    return procedure_at(db.session, procedure, office)


def _warn_base_url() -> None:
    from flask import current_app

    if not current_app.config.get("PUBLIC_BASE_URL"):
        click.echo("Chưa đặt MOTCUA_PUBLIC_URL: mã QR sẽ trỏ tới http://localhost:5000.", err=True)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    click.echo(f"Đã ghi {path} ({len(content) // 1024} KB).")


@render.command(help="Thông báo niêm yết của thủ tục CODE.")
@click.argument("code")
@OFFICE
@OUTPUT
@with_app
def notice(code: str, office_id: int | None, output: Path) -> None:
    from admin.printing import notice_info
    from renderers.pdf import render_notice

    _warn_base_url()
    office = _office(office_id)
    procedure, version = _published(code)
    applied = _applied(procedure, office)
    info = notice_info(code, version, office=office, applied=applied)
    document = applied.document if applied is not None else version.document
    _write(output, render_notice(document, version=info.version, version_date=info.version_date,
                                 procedure_url=info.procedure_url, office=info.office,
                                 local_basis=info.local_basis))


@render.command(help="Mẫu đơn (tờ khai) trống của thủ tục CODE, để điền tay.")
@click.argument("code")
@OFFICE
@OUTPUT
@with_app
def form(code: str, office_id: int | None, output: Path) -> None:
    from admin.printing import office_heading
    from renderers.pdf import render_blank_form

    office = _office(office_id)
    procedure, version = _published(code)
    applied = _applied(procedure, office)
    document = applied.document if applied is not None else version.document
    _write(output, render_blank_form(document, office=office_heading(office)))


@render.command(help="Bộ thủ tục đang công bố (lọc theo lĩnh vực, cấp, cơ quan), nhóm theo lĩnh vực.")
@click.option("--sector", help="Lĩnh vực (một phần tên, không cần dấu).")
@click.option("--level", type=click.Choice(LEVELS), help="Cấp thực hiện.")
@click.option("--agency", help="Cơ quan có thẩm quyền (một phần tên, không cần dấu).")
@click.option("--title", default="Bộ thủ tục hành chính", show_default=True, help="Tiêu đề trang bìa.")
@OFFICE
@click.option("--processes", type=click.IntRange(1, 32), default=min(2, os.cpu_count() or 1),
              show_default=True, help="Số tiến trình in song song.")
@OUTPUT
@with_app
def booklet(sector: str | None, level: str | None, agency: str | None, title: str,
            office_id: int | None, processes: int, output: Path) -> None:
    """With --office: only what the office receives, as it applies there, headed by the office."""
    from admin.printing import booklet_entries, office_heading
    from admin.site.formatting import LEVELS as LEVELS_VI
    from catalog.db import db
    from catalog.services.search import published_versions
    from renderers.pdf import render_booklet_to

    _warn_base_url()
    office = _office(office_id)
    published = published_versions(db.session, sector=sector, level=level, agency=agency)
    if office is not None:
        from catalog.services.offices import office_procedures

        received = {procedure.id for procedure in office_procedures(db.session, office)}
        published = [(procedure, version) for procedure, version in published if procedure.id in received]
    if not published:
        raise click.ClickException("Không có thủ tục đang công bố nào khớp bộ lọc.")
    entries = booklet_entries(published, office=office)
    heading = office_heading(office)
    db.session.remove()  # documents are in memory; free the connection during a long render
    subtitle = " · ".join(part for part in (sector, level and str(LEVELS_VI[level]), agency) if part) or None
    output.parent.mkdir(parents=True, exist_ok=True)
    with click.progressbar(length=len(entries), label=f"In {len(entries)} thủ tục",
                           file=sys.stderr) as bar:
        pages = render_booklet_to(output, entries, title=title, subtitle=subtitle,
                                  processes=processes, office=heading,
                                  progress=lambda done, _total: bar.update(1))
    click.echo(f"Đã ghi {output}: {len(entries)} thủ tục, {pages} trang.")


@render.command(help="Phiếu của một hồ sơ theo Phụ lục I, Thông tư 03/2025/TT-VPCP: NN là 01–06 với "
                     "mã hồ sơ CODE; 07 (Sổ theo dõi hồ sơ) với --office, --from, --to; kq (Phiếu trả "
                     "kết quả giải quyết hồ sơ, khi hồ sơ đã có kết quả) với mã hồ sơ CODE.")
@click.argument("number", metavar="NN")
@click.argument("code", required=False)
@click.option("--event", "event_id", type=int, default=None,
              help="Số sự kiện (mặc định: lần gần nhất), cho phiếu 02 và 04.")
@click.option("--office", "office_id", type=int, default=None, help="Bộ phận tiếp nhận (phiếu 07).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Từ ngày tiếp nhận YYYY-MM-DD (phiếu 07).")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Đến ngày tiếp nhận YYYY-MM-DD (phiếu 07).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp sẽ ghi (phiếu 07: .csv ghi CSV, còn lại PDF).")
@with_app
def slip(number: str, code: str | None, event_id: int | None, office_id: int | None,
         date_from: Any, date_to: Any, output: Path) -> None:
    """01 is the receipt; 02–06 need the event they report, kq the result, else exit 1 with the reason."""
    from flask import current_app

    number = number.lower().zfill(2)
    if number == "07":
        _register(office_id, date_from, date_to, output)
        return
    if code is None:
        raise click.ClickException("Thiếu mã hồ sơ CODE.")
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    _warn_base_url()
    with current_app.test_request_context(base_url=base):
        _write(output, _dossier_slip(number, code, event_id))


def _dossier_slip(number: str, code: str, event_id: int | None) -> bytes:
    from admin.site.dossiers import receipt_data
    from admin.slips import SlipNotApplicable, slip_data
    from catalog.db import db
    from catalog.services.dossiers import dossier_by_code
    from renderers.pdf import render_receipt, render_slip

    found = dossier_by_code(db.session, code)
    if found is None:
        raise click.ClickException(f"Không có hồ sơ mã {code}.")
    if number == "01":
        return render_receipt(receipt_data(found))
    try:
        return render_slip(slip_data(db.session, found, number, event_id))
    except SlipNotApplicable as exc:
        raise click.ClickException(exc.message) from exc


def _register(office_id: int | None, date_from: Any, date_to: Any, output: Path) -> None:
    from admin.slips import register_file
    from catalog.db import db

    if office_id is None or date_from is None or date_to is None:
        raise click.ClickException("Sổ theo dõi hồ sơ (07) cần --office, --from và --to.")
    office = _office(office_id)
    assert office is not None
    start, end = date_from.date(), date_to.date()
    if end < start:
        raise click.ClickException("Ngày --to phải sau hoặc bằng ngày --from.")
    content, count = register_file(db.session, office, start, end, csv=output.suffix.lower() == ".csv")
    _write(output, content)
    click.echo(f"{count} hồ sơ tiếp nhận từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}.")
