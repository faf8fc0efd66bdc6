"""The `motcua` command line: set up, validate, import, export, list, users, render, purge (uploads,
drafts), serve."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from admin.roles import DEMO_USERS, ROLES


def with_app(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run the command inside an application context."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from admin.app import create_app

        app = create_app()
        with app.app_context():
            return func(*args, **kwargs)

    return wrapper


@click.group(help="motcua — danh mục thủ tục hành chính và trình tạo biểu mẫu.")
def main() -> None:
    pass


@main.command(help="Tạo hoặc nâng cấp cơ sở dữ liệu và các vai trò (chạy lại không sao).")
@with_app
def init() -> None:
    from flask import current_app

    from admin.setup import init_database

    init_database()
    click.echo(f"Cơ sở dữ liệu sẵn sàng: {_safe_url(current_app.config['SQLALCHEMY_DATABASE_URI'])}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command(help="Kiểm tra tài liệu thủ tục (tệp hoặc thư mục). Mã thoát 1 nếu có lỗi; "
              "chỉ có cảnh báo thì mã thoát 0.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    from form_schemas.loading import document_paths, read_document
    from form_schemas.problems import InvalidProcedure, SchemaProblem
    from form_schemas.validation import validate_procedure

    failed = checked = warned = 0
    for path in document_paths(paths):
        checked += 1
        warnings: list[SchemaProblem] = []
        try:
            verdict = validate_procedure(read_document(path))
            problems, warnings = list(verdict), verdict.warnings
        except InvalidProcedure as exc:
            problems = exc.problems
        for problem in problems:
            click.echo(f"{path}: {problem.pointer or '/'}: {problem.message_vi} ({problem.message_en})")
        for warning in warnings:
            click.echo(f"{path}: {warning.pointer or '/'}: cảnh báo: {warning.message_vi} (warning: {warning.message_en})")
        failed += bool(problems)
        warned += len(warnings)
    summary = f"{checked - failed}/{checked} tài liệu hợp lệ."
    click.echo(summary + (f" {warned} cảnh báo." if warned else ""), err=True)
    sys.exit(1 if failed else 0)


@main.command("import", help="Nhập tài liệu thủ tục thành phiên bản mới (--publish để công bố).")
@click.option("--publish", is_flag=True, help="Công bố ngay phiên bản được nhập.")
@click.option("--author", default="cli", show_default=True)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_app
def import_(paths: tuple[Path, ...], publish: bool, author: str) -> None:
    from catalog.db import db
    from catalog.services import import_document
    from catalog.services.errors import ServiceError
    from form_schemas.loading import document_paths, read_document
    from form_schemas.problems import InvalidProcedure

    failed = 0
    for path in document_paths(paths):
        try:
            outcome = import_document(db.session, read_document(path), author=author, publish=publish)
        except InvalidProcedure as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"{path}: {problem.pointer or '/'}: {problem.message_vi} ({problem.message_en})")
            continue
        except ServiceError as exc:
            failed += 1
            click.echo(f"{path}: {exc.message_vi}")
            continue
        state = "không đổi" if not outcome.changed else outcome.status.value
        click.echo(f"{path}: {outcome.code} phiên bản {outcome.number} ({state})")
    sys.exit(1 if failed else 0)


@main.command("import-national", help=(
    "Nhập danh mục thủ tục quốc gia (tệp .jsonl.gz của Cổng DVC; mặc định: bản kèm theo phần mềm). "
    "Thủ tục đã sửa ở địa phương được giữ nguyên, bản quốc gia mới chờ gộp."))
@click.argument("file", required=False, default=None,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Công bố ngay các phiên bản được nhập (thủ tục đã sửa ở địa phương không bị thay).")
@click.option("--sector", default=None, help="Chỉ nhập một lĩnh vực (không dấu được).")
@click.option("--limit", default=None, type=int, help="Nhập tối đa N thủ tục.")
@click.option("--report", "report_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi báo cáo chất lượng từng thủ tục ra tệp CSV.")
@with_app
def import_national(file: Path | None, publish: bool, sector: str | None, limit: int | None,
                    report_path: Path | None) -> None:
    from catalog.db import db
    from catalog.national.importer import run_import_national

    sys.exit(run_import_national(db.session, file, publish=publish, sector=sector, limit=limit,
                                 report_path=report_path))


@main.command(help="In tài liệu đang công bố của thủ tục CODE.")
@click.argument("code")
@with_app
def export(code: str) -> None:
    from catalog.db import db
    from catalog.services import current_document

    document = current_document(db.session, code)
    if document is None:
        click.echo(f"Không có thủ tục đang công bố với mã {code}.", err=True)
        sys.exit(1)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@main.command("list", help="Liệt kê thủ tục: mã, tên, lĩnh vực, trạng thái.")
@click.option("--q", "query", default=None, help="Tìm theo tên, mã, lĩnh vực (không dấu được).")
@with_app
def list_(query: str | None) -> None:
    from catalog.db import db
    from catalog.services import search_procedures

    page = search_procedures(db.session, query, published_only=False, per_page=100_000)
    for procedure in page.items:
        click.echo(f"{procedure.code}\t{procedure.name}\t{procedure.sector.name}\t{procedure.status.value}")


@main.command(help="Dựng lại chỉ mục tìm kiếm từ các thủ tục đã lưu; in số thủ tục đã lập chỉ mục.")
@with_app
def reindex() -> None:
    from catalog.db import db
    from catalog.services.search_index import indexed_count, rebuild_index

    indexed = rebuild_index(db.session.connection())
    db.session.commit()
    documents, procedures = indexed_count(db.session.connection())
    click.echo(f"Đã lập chỉ mục {indexed} thủ tục ({documents}/{procedures} có trong chỉ mục).")
    if documents != procedures:
        sys.exit(1)


@main.command("create-user", help="Thêm người dùng quản trị.")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES, case_sensitive=False))
@click.option("--password", required=True)
@with_app
def create_user(username: str, role: str, password: str) -> None:
    from admin.setup import create_user as add

    role = next(r for r in ROLES if r.lower() == role.lower())
    error = add(username, role, password)
    if error:
        click.echo(error, err=True)
        sys.exit(1)
    click.echo(f"Đã tạo người dùng {username} ({role}).")


@main.command(help="Nạp danh mục mẫu (công bố) và tạo một người dùng mẫu cho mỗi vai trò.")
@with_app
def demo() -> None:
    from admin.setup import create_demo_office
    from admin.setup import create_user as add
    from catalog.db import db
    from catalog.samples import sample_paths
    from catalog.services import import_document
    from form_schemas.loading import read_document

    for path in sample_paths():
        outcome = import_document(db.session, read_document(path), author="demo", publish=True)
        click.echo(f"  {outcome.code} phiên bản {outcome.number}")
    for role, (username, password) in DEMO_USERS.items():
        add(username, role, password)
    create_demo_office()


@main.command("purge-uploads", help="Xóa tệp tải lên không thành hồ sơ: của tờ khai bỏ dở và của "
                                    "lần gửi không thành (tệp không còn dòng dữ liệu).")
@click.option("--hours", type=click.IntRange(1), default=48, show_default=True,
              help="Chỉ xóa tệp tải lên quá số giờ này.")
@with_app
def purge_uploads(hours: int) -> None:
    from datetime import timedelta

    from admin.site.apply import attachment_store
    from catalog.db import db
    from catalog.services.dossiers import purge_abandoned_uploads

    count = purge_abandoned_uploads(db.session, attachment_store(), timedelta(hours=hours))
    click.echo(f"Đã xóa {count} tệp tải lên bỏ dở (quá {hours} giờ).")


@main.command("purge-drafts", help="Xóa hồ sơ đang làm dở («Lưu để làm tiếp») đã hết hạn lưu "
                                   "(MOTCUA_DRAFT_DAYS ngày sau lần lưu cuối) cùng tệp đính kèm của chúng.")
@with_app
def purge_drafts() -> None:
    from admin.site.apply import attachment_store
    from catalog.db import db
    from catalog.services.drafts import purge_expired_drafts

    purged = purge_expired_drafts(db.session, attachment_store())
    click.echo(f"Đã xóa {purged.drafts} hồ sơ đang làm dở hết hạn và {purged.files} tệp đính kèm.")


# --- backup and restore ------------------------------------------------------------------


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("motcua")
    except PackageNotFoundError:
        return "unknown"


@main.command(help="Sao lưu cơ sở dữ liệu (cả lịch ngày nghỉ) và các tệp tải lên vào một tệp .tar.gz "
              "kèm manifest.json (mã SHA-256 từng tệp). Tệp có sẵn bị thay.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def backup(file: Path) -> None:
    from flask import current_app

    from catalog.db import db
    from catalog.services.backup import BackupRefused, create_backup

    try:
        outcome = create_backup(db.engine, db.session, Path(current_app.config["MOTCUA_DATA_DIR"]), file,
                                actor="cli", app_version=_app_version())
    except BackupRefused as exc:
        click.echo(f"{exc.message_vi} ({exc.message_en})", err=True)
        sys.exit(1)
    manifest = outcome.manifest
    click.echo(f"Đã sao lưu vào {file}: cơ sở dữ liệu {manifest['database']['kind']} "
               f"({len(manifest['tables'])} bảng, lược đồ {manifest['alembic_revision']}), "
               f"{len(manifest['files']) - 1} tệp dữ liệu. SHA-256 {outcome.sha256}")


@main.command(help="Khôi phục một bản sao lưu của `motcua backup` vào cơ sở dữ liệu TRỐNG (DATABASE_URL) "
              "và thư mục dữ liệu trống; từ chối bản sao lưu bị sửa, hỏng hoặc khác loại cơ sở dữ liệu.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_app
def restore(file: Path) -> None:
    from alembic.script import ScriptDirectory
    from flask import current_app

    from catalog.db import db
    from catalog.schema import alembic_config
    from catalog.services.backup import BackupRefused, restore_backup

    db.session.remove()
    try:
        outcome = restore_backup(db.engine, Path(current_app.config["MOTCUA_DATA_DIR"]), file, actor="cli")
    except BackupRefused as exc:
        click.echo(f"{exc.message_vi} ({exc.message_en})", err=True)
        sys.exit(1)
    manifest = outcome.manifest
    click.echo(f"Đã khôi phục bản sao lưu ngày {manifest['created_at']} (motcua {manifest['app_version']}): "
               f"{sum(manifest['tables'].values())} dòng, {len(manifest['files']) - 1} tệp dữ liệu.")
    if manifest["alembic_revision"] != ScriptDirectory.from_config(alembic_config()).get_current_head():
        click.echo("Bản sao lưu của một phiên bản lược đồ cũ hơn: hãy chạy `motcua init` để nâng cấp.")


# --- offices (one-stop shops) ------------------------------------------------------------


@main.group(help="Bộ phận tiếp nhận (trung tâm phục vụ hành chính công): liệt kê, thêm, nhập từ CSV.")
def office() -> None:
    pass


@office.command("list", help="Liệt kê bộ phận tiếp nhận: mỗi dòng một bộ phận, «số<TAB>tên».")
@with_app
def office_list() -> None:
    from catalog.db import db
    from catalog.services.offices import list_offices

    for found in list_offices(db.session):
        click.echo(f"{found.id}\t{found.name}")


@office.command("add", help="Thêm một bộ phận tiếp nhận (mã tỉnh 2 số, mã xã 5 số theo danh mục 2025).")
@click.argument("name")
@click.option("--parent", "parent_body", required=True, help="Cơ quan chủ quản, ví dụ «UBND TỈNH QUẢNG TRỊ».")
@click.option("--level", required=True, type=click.Choice(["province", "commune"]), help="Cấp tỉnh hay cấp xã.")
@click.option("--province", "province_code", required=True, help="Mã tỉnh, thành phố (2 số, ví dụ 44).")
@click.option("--commune", "commune_code", default="", help="Mã xã, phường, đặc khu (5 số); bắt buộc với cấp xã.")
@click.option("--address", default="", help="Địa chỉ trụ sở.")
@click.option("--phone", default="", help="Số điện thoại.")
@click.option("--hotline", default="", help="Đường dây nóng.")
@click.option("--email", default="", help="Thư điện tử.")
@click.option("--complaints", "complaints_address", default="", help="Nơi tiếp nhận phản ánh, kiến nghị.")
@click.option("--saturday-morning", is_flag=True, help="Làm việc sáng thứ Bảy.")
@click.option("--place", "place_name", default="", help="Địa danh ghi trước ngày tháng (mặc định: tên xã hoặc tỉnh).")
@click.option("--receives-level", "levels", multiple=True,
              type=click.Choice(["central", "province", "district", "commune", "other"]),
              help="Tiếp nhận mọi thủ tục của cấp này (lặp lại được).")
@with_app
def office_add(name: str, saturday_morning: bool, levels: tuple[str, ...], **values: str) -> None:
    from catalog.db import db
    from catalog.services.offices import OfficeRefused, RuleSpec, create_office, set_rules

    try:
        created = create_office(db.session, name, actor="cli", saturday_morning=saturday_morning, **values)
        if levels:
            set_rules(db.session, created.id, [RuleSpec(level=level) for level in levels], actor="cli")
    except OfficeRefused as exc:
        for problem in exc.problems or ():
            click.echo(f"--{_OFFICE_OPTIONS.get(problem.field, problem.field)}: {problem.message_vi}", err=True)
        if not exc.problems:
            click.echo(exc.message_vi, err=True)
        sys.exit(1)
    click.echo(f"{created.id}\t{created.name}")


_OFFICE_OPTIONS = {"parent_body": "parent", "province_code": "province", "commune_code": "commune",
                   "complaints_address": "complaints", "place_name": "place", "opening_hours": "saturday-morning"}


@office.command("import", help="Nhập bộ phận tiếp nhận từ tệp CSV (một dòng một bộ phận; lỗi thì không nhập gì).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_app
def office_import(file: Path) -> None:
    from catalog.db import db
    from catalog.services.offices import OfficeRefused, import_offices

    try:
        outcome = import_offices(db.session, file.read_bytes(), actor="cli")
    except OfficeRefused as exc:
        click.echo(exc.message_vi, err=True)
        sys.exit(1)
    click.echo(f"Đã thêm {len(outcome.created)}, cập nhật {len(outcome.updated)} bộ phận tiếp nhận.")


@office.command("staff", help="Cán bộ làm việc tại bộ phận OFFICE_ID: liệt kê; --add TÊN_ĐĂNG_NHẬP hoặc "
                               "--remove TÊN_ĐĂNG_NHẬP (cán bộ tiếp nhận chỉ thấy hồ sơ của bộ phận mình).")
@click.argument("office_id", type=int)
@click.option("--add", "adds", multiple=True, help="Thêm người dùng (lặp lại được).")
@click.option("--remove", "removes", multiple=True, help="Bỏ người dùng (lặp lại được).")
@with_app
def office_staff_command(office_id: int, adds: tuple[str, ...], removes: tuple[str, ...]) -> None:
    from flask import current_app
    from sqlalchemy import select

    from catalog.db import db
    from catalog.services.offices import OfficeRefused, assign_staff, office_staff, remove_staff

    user_model = current_app.appbuilder.sm.user_model
    try:
        for username, change in [*((u, assign_staff) for u in adds), *((u, remove_staff) for u in removes)]:
            user_id = db.session.scalar(select(user_model.id).where(user_model.username == username))
            if user_id is None:
                click.echo(f"Không có người dùng «{username}».", err=True)
                sys.exit(1)
            change(db.session, office_id, user_id, actor="cli")
        names = dict(db.session.execute(select(user_model.id, user_model.username)).all())
        for user_id in office_staff(db.session, office_id):
            click.echo(names.get(user_id, str(user_id)))
    except OfficeRefused as exc:
        click.echo(exc.message_vi, err=True)
        sys.exit(1)


# --- dossiers (the desk's actions; catalog.services.dossier_status holds the rules) -----------


@main.group(help="Hồ sơ: liệt kê, tiếp nhận, yêu cầu bổ sung, từ chối, gia hạn, dừng, trả kết quả.")
def dossier() -> None:
    pass


@dossier.command("list", help="Liệt kê hồ sơ: «mã<TAB>trạng thái<TAB>hạn giải quyết<TAB>người nộp».")
@click.option("--office", "office_id", type=int, default=None, help="Chỉ hồ sơ của bộ phận tiếp nhận số ID.")
@click.option("--status", default=None, help="Chỉ hồ sơ ở trạng thái này (ví dụ received, processing).")
@click.option("--late", is_flag=True, help="Chỉ hồ sơ quá hạn (đã qua ngày hẹn, chưa có kết quả).")
@with_app
def dossier_list(office_id: int | None, status: str | None, late: bool) -> None:
    from catalog.db import db
    from catalog.services.dossier_status import (
        STATUSES,
        dossiers,
        due_date,
        is_late,
        normal_status,
        status_label,
    )

    if status and normal_status(status) not in STATUSES:
        click.echo(f"Trạng thái không có: {status}. Các trạng thái: {', '.join(STATUSES)}.", err=True)
        sys.exit(1)
    for found in dossiers(db.session, office=office_id, status=status, late=late):
        due = due_date(found)
        mark = " (quá hạn)" if is_late(found) else ""
        click.echo(f"{found.code}\t{status_label(found.status)}\t"
                   f"{due.strftime('%d/%m/%Y') if due else 'chưa có'}{mark}\t{found.applicant_name}")


def _dossier_move(move: Callable[..., Any]) -> Callable[..., Any]:
    """Run a dossier move from the command line: print the new status, or the refusal (exit 1)."""

    @wraps(move)
    @with_app
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from admin.notifications import CitizenNotifier
        from catalog.db import db
        from catalog.services.dossier_status import status_label
        from catalog.services.errors import ServiceError

        try:
            office = kwargs.pop("office_id", None)
            moved = move(db.session, *args, notifier=CitizenNotifier(), office=office, **kwargs)
        except ServiceError as exc:
            db.session.rollback()
            click.echo(f"{exc.message_vi} ({exc.message_en})", err=True)
            sys.exit(1)
        line = f"{moved.dossier.code}: {status_label(moved.status)}"
        if moved.dossier.extended_to and "new_date" in moved.detail:
            line += f", hẹn mới {moved.dossier.extended_to:%d/%m/%Y}"
        click.echo(line)
        if moved.notice is not None:
            click.echo("Đã báo cho người nộp: " + ", ".join(
                where for where in (moved.notice.email, moved.notice.phone) if where))

    return wrapper


_actor = click.option("--actor", default="cli", show_default=True, help="Người thực hiện (ghi vào lịch sử).")
_office = click.option("--office", "office_id", type=int, default=None,
                       help="Chỉ khi hồ sơ thuộc bộ phận tiếp nhận số ID (hồ sơ của bộ phận khác: «Không có hồ sơ»).")


@dossier.command("receive", help="Tiếp nhận hồ sơ nộp trực tuyến đã kiểm tra (Chờ tiếp nhận → Đã tiếp nhận).")
@click.argument("code")
@_actor
@_office
@_dossier_move
def dossier_receive(session: Any, code: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import receive_dossier

    return receive_dossier(session, code, actor=actor, notifier=notifier, office=office)


@dossier.command("request-supplement", help="Yêu cầu bổ sung hồ sơ: --item ID (giấy tờ theo quy định) "
                 "hoặc --other TEXT kèm --reason (giấy tờ khác phải có lý do).")
@click.argument("code")
@click.option("--item", "items", multiple=True, help="Mã giấy tờ trong thành phần hồ sơ của thủ tục (lặp lại được).")
@click.option("--other", "others", multiple=True, help="Giấy tờ khác (phải kèm --reason).")
@click.option("--reason", default="", help="Lý do (bắt buộc với --other).")
@_actor
@_office
@_dossier_move
def dossier_request_supplement(session: Any, code: str, items: tuple[str, ...], others: tuple[str, ...],
                               reason: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import SupplementItem, request_supplement

    asked = [SupplementItem(document=item) for item in items]
    asked += [SupplementItem(text=other, reason=reason) for other in others]
    return request_supplement(session, code, asked, reason, actor=actor, notifier=notifier, office=office)


@dossier.command("receive-supplement", help="Đã nhận hồ sơ bổ sung (trở lại Đã tiếp nhận).")
@click.argument("code")
@_actor
@_office
@_dossier_move
def dossier_receive_supplement(session: Any, code: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import receive_supplement

    return receive_supplement(session, code, actor=actor, notifier=notifier, office=office)


@dossier.command("refuse", help="Từ chối tiếp nhận, giải quyết hồ sơ (--reason bắt buộc).")
@click.argument("code")
@click.option("--reason", default="", help="Lý do từ chối (người nộp đọc được).")
@_actor
@_office
@_dossier_move
def dossier_refuse(session: Any, code: str, reason: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import refuse_dossier

    return refuse_dossier(session, code, reason, actor=actor, notifier=notifier, office=office)


@dossier.command("process", help="Chuyển giải quyết (Đã tiếp nhận → Đang giải quyết).")
@click.argument("code")
@_actor
@_office
@_dossier_move
def dossier_process(session: Any, code: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import start_processing

    return start_processing(session, code, actor=actor, notifier=notifier, office=office)


@dossier.command("extend", help="Gia hạn: --reason và --days N (ngày làm việc theo lịch của bộ phận) hoặc --to YYYY-MM-DD.")
@click.argument("code")
@click.option("--reason", default="", help="Lý do gia hạn.")
@click.option("--days", type=int, default=None, help="Số ngày làm việc gia hạn.")
@click.option("--to", "new_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Ngày hẹn mới.")
@_actor
@_office
@_dossier_move
def dossier_extend(session: Any, code: str, reason: str, days: int | None, new_date: Any, actor: str,
                   notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import extend_dossier

    return extend_dossier(session, code, reason, working_days=days,
                          new_date=new_date.date() if new_date is not None else None,
                          actor=actor, notifier=notifier, office=office)


@dossier.command("stop", help="Dừng giải quyết hồ sơ (--reason bắt buộc).")
@click.argument("code")
@click.option("--reason", default="", help="Lý do dừng giải quyết.")
@_actor
@_office
@_dossier_move
def dossier_stop(session: Any, code: str, reason: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import stop_dossier

    return stop_dossier(session, code, reason, actor=actor, notifier=notifier, office=office)


@dossier.command("result-ready", help="Báo hồ sơ đã có kết quả (người nộp được báo).")
@click.argument("code")
@_actor
@_office
@_dossier_move
def dossier_result_ready(session: Any, code: str, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import mark_result_ready

    return mark_result_ready(session, code, actor=actor, notifier=notifier, office=office)


@dossier.command("return", help="Trả kết quả: trực tiếp, hoặc --post SỐ_HIỆU khi gửi qua bưu chính.")
@click.argument("code")
@click.option("--post", "tracking", default=None, help="Số hiệu bưu gửi (kết quả gửi qua bưu chính).")
@_actor
@_office
@_dossier_move
def dossier_return(session: Any, code: str, tracking: str | None, actor: str, notifier: Any,
        office: int | None) -> Any:
    from catalog.services.dossier_status import return_result

    return return_result(session, code, by_post=tracking is not None, tracking=tracking,
                         actor=actor, notifier=notifier, office=office)


def _print_banner(url: str) -> None:
    click.echo("")
    click.echo(f"  motcua đang chạy tại {url}")
    click.echo(f"  Cổng dịch vụ công: {url}/   Trang quản trị: {url}/login/")
    click.echo("  Tài khoản mẫu (vai trò: tên đăng nhập / mật khẩu):")
    for role, (username, password) in DEMO_USERS.items():
        click.echo(f"    {role:<18} {username} / {password}")
    click.echo("")


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """The command `motcua serve --prod` becomes: gunicorn with admin/gunicorn_conf.py."""
    return [sys.executable, "-m", "gunicorn", "--config", "python:admin.gunicorn_conf",
            "--workers", str(workers), "--bind", f"{host}:{port}", "admin.wsgi:app"]


@main.command(help="Chạy ứng dụng web (--prod: thay tiến trình này bằng gunicorn).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--prod", is_flag=True, help="Chạy dưới gunicorn (cấu hình admin/gunicorn_conf.py).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="Số tiến trình worker của gunicorn (với --prod).")
def serve(host: str, port: int, prod: bool, workers: int) -> None:
    from admin.config import instance_dir

    data_dir = Path(os.environ.get("MOTCUA_DATA_DIR") or instance_dir() / "data")
    data_dir.mkdir(parents=True, exist_ok=True)  # /healthz reports it missing otherwise
    url = f"http://{host}:{port}"
    _print_banner(url)
    if prod:
        argv = gunicorn_argv(host, port, workers)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execvp(argv[0], argv)  # gunicorn takes this process: signals go straight to it
    os.environ.setdefault("MOTCUA_SECURE_COOKIES", "0")  # plain http on a developer's machine
    from admin.app import create_app

    create_app().run(host=host, port=port, debug=False, use_reloader=False)


@main.command(help="Chạy worker in ấn nền trên hàng đợi Redis (MOTCUA_REDIS_URL); chạy bao nhiêu "
              "cũng được, trên máy nào cũng được, miễn dùng chung cơ sở dữ liệu và MOTCUA_DATA_DIR.")
@click.option("--burst", is_flag=True, help="Dừng khi hàng đợi trống.")
def worker(burst: bool) -> None:
    from admin.app import create_app
    from admin.jobs import run_worker

    app = create_app()
    if not app.config.get("MOTCUA_REDIS_URL"):
        click.echo("Chưa đặt MOTCUA_REDIS_URL (ví dụ redis://127.0.0.1:6379/0): không có hàng đợi "
                   "nào để chạy; không có Redis thì máy chủ web tự in trong tiến trình của nó. "
                   "(MOTCUA_REDIS_URL is not set.)", err=True)
        sys.exit(2)
    run_worker(app, burst=burst)


def _register_subcommands() -> None:
    from admin.cli_render import render

    main.add_command(render)


_register_subcommands()


if __name__ == "__main__":
    main()
