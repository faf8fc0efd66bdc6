"""Reading the audit log: every state change and edit, who and when, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import AuditEvent, Procedure, ProcedureVersion

ACTION_LABELS = {
    "import": ("Nhập tài liệu", "Imported"),
    "import_into_draft": ("Nhập vào bản nháp", "Imported into the draft"),
    "new_draft": ("Mở bản nháp mới", "Opened a new draft"),
    "edit": ("Sửa bản nháp", "Edited the draft"),
    "submit": ("Trình duyệt", "Submitted for review"),
    "send_back": ("Trả lại", "Sent back"),
    "publish": ("Công bố", "Published"),
    "supersede": ("Bị thay thế", "Superseded"),
    "abolish": ("Bãi bỏ", "Abolished"),
    "review_confirm": ("Xác nhận dữ kiện cần kiểm tra", "Confirmed a fact to check"),
    "review_correct": ("Sửa dữ kiện cần kiểm tra", "Corrected a fact to check"),
    "local_draft": ("Soạn phiên bản địa phương", "Drafted a local version"),
    "local_edit": ("Sửa phiên bản địa phương", "Edited a local version"),
    "local_submit": ("Trình duyệt phiên bản địa phương", "Submitted a local version"),
    "local_send_back": ("Trả lại phiên bản địa phương", "Sent a local version back"),
    "local_publish": ("Áp dụng phiên bản địa phương", "Published a local version"),
    "local_supersede": ("Phiên bản địa phương bị thay thế", "Local version superseded"),
    "local_withdraw": ("Thôi áp dụng phiên bản địa phương", "Withdrew a local version"),
    "national_link": ("Liên kết với bản ghi quốc gia", "Linked to its national record"),
    "national_update": ("Cập nhật theo bản quốc gia", "Updated from the national record"),
    "national_update_pending": ("Nhận bản cập nhật quốc gia (giữ bản địa phương)",
                                "National update received (local version kept)"),
    "national_update_withdrawn": ("Bản cập nhật quốc gia không còn", "National update withdrawn"),
    "national_merge": ("Gộp bản cập nhật quốc gia", "Merged the national update"),
    "national_dismiss": ("Bỏ qua bản cập nhật quốc gia", "Dismissed the national update"),
    "office_staff_add": ("Thêm cán bộ của bộ phận", "Added a staff member to the office"),
    "office_staff_remove": ("Bỏ cán bộ khỏi bộ phận", "Removed a staff member from the office"),
    # offices (catalog.services.offices)
    "office_create": ("Thêm bộ phận tiếp nhận", "Added an office"),
    "office_update": ("Sửa bộ phận tiếp nhận", "Edited an office"),
    "office_import": ("Nhập bộ phận tiếp nhận từ CSV", "Imported an office from CSV"),
    "office_rules": ("Đổi quy tắc tiếp nhận", "Changed the receiving rules"),
    "office_add_procedures": ("Thêm thủ tục tiếp nhận", "Added procedures received"),
    "office_remove_procedures": ("Bỏ thủ tục tiếp nhận", "Removed procedures received"),
    "office_reset_procedures": ("Thủ tục lại theo quy tắc", "Procedures back to the rules"),
    "office_day_off": ("Thêm ngày nghỉ của bộ phận", "Added a day off of an office"),
    "office_day_open": ("Bỏ ngày nghỉ của bộ phận", "Removed a day off of an office"),
    # the question library (catalog.services.blocks)
    "block_save": ("Lưu khối vào thư viện", "Saved a library block"),
    "block_delete": ("Xóa khối khỏi thư viện", "Deleted a library block"),
    # backup and restore (catalog.services.backup)
    "backup": ("Sao lưu dữ liệu", "Backed up the data"),
    "restore": ("Khôi phục dữ liệu từ bản sao lưu", "Restored the data from a backup"),
    # citizens' saved applications (catalog.services.drafts)
    "draft_save": ("Công dân lưu hồ sơ đang làm dở", "A citizen saved an unfinished application"),
    "draft_submit": ("Hồ sơ đang làm dở đã được nộp", "A saved application was submitted"),
    "draft_purge": ("Xóa hồ sơ đang làm dở hết hạn", "Purged expired saved applications"),
    # dossier statuses (catalog.services.dossier_status)
    "dossier_receive": ("Tiếp nhận hồ sơ", "Received a dossier"),
    "dossier_request_supplement": ("Yêu cầu bổ sung hồ sơ", "Requested a supplement"),
    "dossier_receive_supplement": ("Nhận hồ sơ bổ sung", "Received a supplement"),
    "dossier_refuse": ("Từ chối hồ sơ", "Refused a dossier"),
    "dossier_start_processing": ("Chuyển giải quyết hồ sơ", "Started processing a dossier"),
    "dossier_extend": ("Gia hạn hồ sơ", "Extended a dossier"),
    "dossier_stop": ("Dừng giải quyết hồ sơ", "Stopped processing a dossier"),
    "dossier_result_ready": ("Hồ sơ đã có kết quả", "Result ready"),
    "dossier_return_result": ("Trả kết quả hồ sơ", "Returned a result"),
    "dossier_submit_supplement": ("Người nộp gửi hồ sơ bổ sung", "The applicant sent a supplement"),
    "dossier_rated": ("Người nộp đánh giá mức độ hài lòng", "The applicant rated a dossier"),
}


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    code: str | None
    version: int | None
    detail: dict[str, Any]

    def label(self, locale: str = "vi") -> str:
        vi, en = ACTION_LABELS.get(self.action, (self.action, self.action))
        return en if locale.startswith("en") else vi


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def audit_page(session: Session, *, code: str | None = None, actor: str | None = None,
               action: str | None = None, page: int = 1, per_page: int = 50) -> AuditPage:
    """A page of audit events, newest first, filtered by procedure code, actor and action."""
    page = max(1, page)
    stmt = (
        select(AuditEvent, Procedure.code, ProcedureVersion.number)
        .outerjoin(Procedure, Procedure.id == AuditEvent.procedure_id)
        .outerjoin(ProcedureVersion, ProcedureVersion.id == AuditEvent.version_id)
    )
    if code:
        stmt = stmt.where(Procedure.code == code)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    result = session.execute(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    rows = [AuditRow(event.at, event.actor, event.action, procedure_code, number, event.detail or {})
            for event, procedure_code, number in result]
    return AuditPage(rows, total, page, per_page)
