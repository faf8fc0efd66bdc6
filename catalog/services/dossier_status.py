"""A dossier's statuses and the moves between them: the one table, the services, the notices.

The rule lives here and nowhere else: `MOVES` says which move goes from which status to which,
`TELLS` which moves the citizen must be told about. Every service takes an explicit session,
checks the move against the table (a move the table does not allow raises `StatusRefused`, a
Vietnamese + English `ServiceError`), then writes in one short transaction (`run_write`): the
dossier's new status and fields, a `DossierEvent` (actor, note, structured `detail`) and an
audit event `dossier_<move>`. The same write keeps two milestones on the dossier for the
figures: `result_ready_at` (the first move to "result ready") and `supplements_requested`
(how many requests for papers); no other code writes them (migration 0016 filled them from
the events recorded before).

Online dossiers start `submitted` (waiting for the desk to check them); dossiers taken at the
desk start `received`. The old keys "done" and "rejected" were renamed by migration 0014; the
`LEGACY` aliases keep any value written by an older release readable.

A dossier is due on its extension's new date when it has one, else on its appointment date;
it is late (`overdue`) when that date is past while the clock runs (submitted, received,
processing). A supplement request stops the clock; when the papers arrive the processing time
counts again from that day (a new appointment date on the office's calendar; an earlier
extension no longer applies).

Telling the citizen: catalog must not import admin, so a service returns a `Notice` (what to
say, to which e-mail and phone: the wording lives here) and hands it, after the commit, to the
`Notifier` the caller gives (admin/notifications.py sends e-mail through admin/mail.py
`send_later` and SMS through admin/sms.py). A notifier that fails is logged; the status change
is already committed and stays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from catalog.calendar import VN_TIME
from catalog.db import run_write, utcnow
from catalog.models import Attachment, AuditEvent, Dossier, DossierEvent
from catalog.services.calendar_days import working_calendar
from catalog.services.errors import ServiceError
from catalog.services.offices import office_calendar

log = logging.getLogger(__name__)

# status -> (Vietnamese, English)
STATUSES: dict[str, tuple[str, str]] = {
    "submitted": ("Chờ tiếp nhận", "Waiting for the desk"),
    "received": ("Đã tiếp nhận", "Received"),
    "supplement_requested": ("Yêu cầu bổ sung, hoàn thiện hồ sơ", "Supplement requested"),
    "processing": ("Đang giải quyết", "Being processed"),
    "result_ready": ("Đã có kết quả", "Result ready"),
    "returned": ("Đã trả kết quả", "Result returned"),
    "refused": ("Từ chối tiếp nhận, giải quyết", "Refused"),
    "stopped": ("Dừng giải quyết", "Processing stopped"),
}
# events that are not a status of their own (the dossier keeps its status)
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "extended": ("Gia hạn", "Extended"),
    "supplement_received": ("Đã nhận hồ sơ bổ sung", "Supplement received"),
    "supplement_submitted": ("Người nộp đã gửi hồ sơ bổ sung", "Supplement sent by the applicant"),
}
LEGACY = {"done": "result_ready", "rejected": "refused"}
FINISHED = frozenset({"returned", "refused", "stopped"})
OPEN = frozenset({"submitted", "received", "supplement_requested", "processing"})
# open and running against the clock (a supplement request stops it until the papers arrive)
CLOCK_RUNS = frozenset({"submitted", "received", "processing"})

# move -> (statuses it may start from, status it ends in; None: the status stays)
MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "receive": (frozenset({"submitted"}), "received"),
    "request_supplement": (frozenset({"submitted", "received", "processing"}), "supplement_requested"),
    "submit_supplement": (frozenset({"supplement_requested"}), None),
    "receive_supplement": (frozenset({"supplement_requested"}), "received"),
    "refuse": (frozenset({"submitted", "received", "supplement_requested", "processing"}), "refused"),
    "start_processing": (frozenset({"received"}), "processing"),
    "extend": (frozenset({"received", "processing"}), None),
    "stop": (frozenset({"received", "supplement_requested", "processing"}), "stopped"),
    "result_ready": (frozenset({"processing"}), "result_ready"),
    "return_result": (frozenset({"result_ready"}), "returned"),
}
MOVE_LABELS: dict[str, tuple[str, str]] = {
    "receive": ("tiếp nhận hồ sơ", "receive the dossier"),
    "request_supplement": ("yêu cầu bổ sung hồ sơ", "request a supplement"),
    "submit_supplement": ("gửi hồ sơ bổ sung", "send the supplement"),
    "receive_supplement": ("nhận hồ sơ bổ sung", "receive the supplement"),
    "refuse": ("từ chối hồ sơ", "refuse the dossier"),
    "start_processing": ("chuyển giải quyết", "start processing"),
    "extend": ("gia hạn", "extend"),
    "stop": ("dừng giải quyết", "stop processing"),
    "result_ready": ("báo đã có kết quả", "mark the result ready"),
    "return_result": ("trả kết quả", "return the result"),
}
# moves the applicant makes (on the citizen site), not the desk
APPLICANT_MOVES = frozenset({"submit_supplement"})
CITIZEN_SUPPLEMENT_ACTOR = "Người nộp hồ sơ (gửi bổ sung trực tuyến)"
# the moves the citizen is told about (issue 16 §3)
TELLS = frozenset({"request_supplement", "refuse", "result_ready", "extend"})


class StatusRefused(ServiceError):
    """The move does not fit the dossier's status, or its input is missing."""


def normal_status(status: str) -> str:
    """The current key of a status (an old "done"/"rejected" read as its new key)."""
    return LEGACY.get(status, status)


def status_label(status: str, locale: str = "vi") -> str:
    """The status's (or event's) label in `locale`; an unknown key is shown as it is."""
    key = normal_status(status)
    vi, en = STATUSES.get(key) or EVENT_LABELS.get(key) or (status, status)
    return en if locale.startswith("en") else vi


def allowed_moves(status: str, *, applicant: bool = False) -> list[str]:
    """The desk's moves (with `applicant`, the applicant's) the table allows from `status`, in
    table order."""
    key = normal_status(status)
    return [move for move, (sources, _) in MOVES.items()
            if key in sources and (move in APPLICANT_MOVES) == applicant]


def due_date(dossier: Dossier) -> date | None:
    """The date the result is due: the extension's new date, else the appointment date."""
    return dossier.extended_to or dossier.appointment_date


def is_late(dossier: Dossier, today: date | None = None) -> bool:
    """Past its due date while the clock runs (not while waiting for a supplement)."""
    due = due_date(dossier)
    today = today or datetime.now(VN_TIME).date()
    return due is not None and normal_status(dossier.status) in CLOCK_RUNS and today > due


# --- notices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What the citizen is told about one move, and where."""

    dossier_code: str
    move: str
    email: str
    phone: str
    subject: str
    text: str
    sms: str


class Notifier(Protocol):
    """Delivers a notice (admin wires e-mail and SMS); may raise: the caller logs it."""

    def notify(self, notice: Notice) -> None: ...


@dataclass(frozen=True)
class Moved:
    """The outcome of a move: the dossier (reloaded), its new status, the notice if any."""

    dossier: Dossier
    status: str
    notice: Notice | None = None
    detail: dict[str, Any] = field(default_factory=dict)


# --- supplement items -------------------------------------------------------------------


@dataclass(frozen=True)
class SupplementItem:
    """One paper asked for: a document of the procedure (`document` id, named from its list) or
    something else, which must carry a written reason."""

    document: str | None = None
    text: str = ""
    reason: str = ""


def procedure_documents(session: Session, dossier: Dossier) -> dict[str, str]:
    """id -> name of the documents the procedure lists (x-procedure.documents): what a supplement
    request may name without a reason."""
    from catalog.services.dossiers import dossier_document

    document = dossier_document(session, dossier)
    return {str(item["id"]): str(item.get("name", item["id"]))
            for item in document.get("x-procedure", {}).get("documents") or () if item.get("id")}


def supplement_items(session: Session, dossier: Dossier, items: Sequence[SupplementItem]) -> list[dict[str, str]]:
    """The items as recorded (id and name, or text and reason); raises StatusRefused for none,
    an unknown document id, or a paper outside the procedure's list without a reason."""
    if not items:
        raise StatusRefused("Vui lòng ghi rõ giấy tờ cần bổ sung.", "Please say which papers are needed.")
    known = procedure_documents(session, dossier)
    recorded: list[dict[str, str]] = []
    for item in items:
        if item.document:
            if item.document not in known:
                raise StatusRefused(
                    f"«{item.document}» không có trong thành phần hồ sơ của thủ tục; "
                    f"các giấy tờ theo quy định: {', '.join(known) or 'không có'}.",
                    f"“{item.document}” is not a document of the procedure; "
                    f"its documents: {', '.join(known) or 'none'}.")
            recorded.append({"document": item.document, "name": known[item.document]})
        else:
            text, reason = item.text.strip(), item.reason.strip()
            if not text:
                raise StatusRefused("Giấy tờ cần bổ sung chưa được ghi.", "A requested paper has no name.")
            if not reason:
                raise StatusRefused(
                    f"«{text}» không có trong thành phần hồ sơ theo quy định: phải ghi rõ lý do yêu cầu.",
                    f"“{text}” is not among the procedure's documents: a written reason is required.")
            recorded.append({"text": text, "reason": reason})
    return recorded


def item_text(item: Mapping[str, str]) -> str:
    """How an item reads to the citizen: the document's name, or the text and its reason."""
    if item.get("document"):
        return str(item.get("name") or item["document"])
    return f"{item.get('text', '')} (lý do: {item.get('reason', '')})"


# --- the moves ----------------------------------------------------------------------------


def _require(value: str | None, what_vi: str, what_en: str) -> str:
    text = (value or "").strip()
    if not text:
        raise StatusRefused(f"Vui lòng ghi {what_vi}.", f"Please give {what_en}.")
    return text


def _check(dossier: Dossier, move: str) -> str:
    sources, target = MOVES[move]
    current = normal_status(dossier.status)
    if current not in sources:
        vi, en = MOVE_LABELS[move]
        raise StatusRefused(
            f"Không thể {vi} hồ sơ {dossier.code} đang ở trạng thái «{status_label(current)}».",
            f"Cannot {en} of dossier {dossier.code}: it is “{status_label(current, 'en')}”.")
    return target or current


def _find(session: Session, dossier: Dossier | str, office: int | None = None) -> Dossier:
    """The dossier (by code); with `office`, only when that office holds it (staff of another
    office can neither see nor move it: the same message as for no dossier at all)."""
    found = dossier if isinstance(dossier, Dossier) else session.scalar(
        select(Dossier).where(Dossier.code == (dossier or "").strip()))
    if found is None or (office is not None and found.office_id != office):
        code = found.code if isinstance(found, Dossier) else dossier
        raise StatusRefused(f"Không có hồ sơ mã «{code}».", f"No dossier with code “{code}”.")
    return found


def _notice(session: Session, dossier: Dossier, move: str, detail: Mapping[str, Any]) -> Notice | None:
    from catalog.services.dossiers import applicant_contact, dossier_document

    if move not in TELLS:
        return None
    document = dossier_document(session, dossier)
    contact = applicant_contact(document, dossier.data)
    phone = contact.phone or dossier.applicant_phone or ""
    if not contact.email and not phone:
        return None
    title = str(document.get("title") or "")
    code = dossier.code
    if move == "request_supplement":
        lines = "\n".join(f"- {item_text(item)}" for item in detail["items"])
        what = f"Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ {code}:\n{lines}"
        if detail.get("reason"):
            what += f"\nLý do: {detail['reason']}"
        short = f"Ho so {code}: can bo sung {len(detail['items'])} giay to. Xem chi tiet tren cong dich vu cong."
    elif move == "refuse":
        what = f"Hồ sơ {code} bị từ chối tiếp nhận, giải quyết.\nLý do: {detail['reason']}"
        short = f"Ho so {code} bi tu choi. Xem ly do tren cong dich vu cong."
    elif move == "result_ready":
        what = f"Hồ sơ {code} đã có kết quả. Vui lòng đến nhận kết quả" + (
            " (kết quả sẽ được gửi qua bưu chính)." if dossier.result_by_post else ".")
        short = f"Ho so {code} da co ket qua."
    else:  # extend
        new_date = date.fromisoformat(detail["new_date"])
        what = (f"Hồ sơ {code} được gia hạn giải quyết đến ngày {new_date:%d/%m/%Y}.\n"
                f"Lý do: {detail['reason']}")
        short = f"Ho so {code} duoc gia han den {new_date:%d/%m/%Y}."
    subject = f"Hồ sơ {code}: {status_label('extended' if move == 'extend' else MOVES[move][1] or '')}"
    text = (f"Kính gửi {contact.name or dossier.applicant_name or 'Ông/Bà'},\n\n{what}\n\n"
            f"Thủ tục: {title}\nMã hồ sơ: {code}\n")
    return Notice(code, move, contact.email, phone, subject, text, short)


def _move(
    session: Session,
    dossier: Dossier | str,
    move: str,
    *,
    actor: str,
    note: str = "",
    detail: dict[str, Any] | None = None,
    change: Callable[[Dossier], None] | None = None,
    event_status: str | None = None,
    notifier: Notifier | None = None,
    at: datetime | None = None,
    office: int | None = None,
) -> Moved:
    """Check the move, write it (status, fields, event, audit) in one transaction, then tell."""
    found = _find(session, dossier, office)
    _check(found, move)
    dossier_id, detail = found.id, dict(detail or {})
    moment = at or utcnow()

    def write(tx: Session) -> str:
        row = tx.get(Dossier, dossier_id, populate_existing=True, with_for_update=True)
        assert row is not None
        target = _check(row, move)  # again, on what the database holds now
        before = row.status
        row.status = target
        if change is not None:
            change(row)
        if target == "result_ready" and row.result_ready_at is None:
            row.result_ready_at = moment
        if move == "request_supplement":
            row.supplements_requested = (row.supplements_requested or 0) + 1
        tx.add(DossierEvent(dossier_id=row.id, status=event_status or target, actor=actor,
                            note=note, detail=detail or None, at=moment))
        tx.add(AuditEvent(actor=actor, action=f"dossier_{move}", procedure_id=row.procedure_id,
                          version_id=row.version_id, at=moment,
                          detail={"dossier": row.code, "from": before, "to": target, **detail}))
        return target

    status = run_write(session, write)
    moved = session.get(Dossier, dossier_id)
    assert moved is not None
    session.refresh(moved)
    notice = _notice(session, moved, move, detail)
    if notice is not None and notifier is not None:
        try:
            notifier.notify(notice)
        except Exception:  # the move is committed; telling the citizen must not undo it
            log.exception("could not tell the citizen about %s of dossier %s", move, moved.code)
    return Moved(moved, status, notice, detail)


def receive_dossier(session: Session, dossier: Dossier | str, *, actor: str,
                    notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """The desk checked an online dossier and accepts it: submitted → received."""
    return _move(session, dossier, "receive", actor=actor, note="Tiếp nhận hồ sơ", notifier=notifier, office=office)


def request_supplement(session: Session, dossier: Dossier | str, items: Sequence[SupplementItem],
                       reason: str = "", *, actor: str, notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """Ask for papers (each a document of the procedure, or another paper with its reason)."""
    found = _find(session, dossier, office)
    _check(found, "request_supplement")
    recorded = supplement_items(session, found, items)
    detail: dict[str, Any] = {"items": recorded}
    if reason.strip():
        detail["reason"] = reason.strip()
    note = "; ".join(item_text(item) for item in recorded)
    return _move(session, found, "request_supplement", actor=actor, note=note, detail=detail,
                 notifier=notifier, office=office)


def restarted_appointment(session: Session, dossier: Dossier, arrived: datetime) -> date | None:
    """The due date when the papers arrive at `arrived`: the procedure's processing time for the
    dossier's channel, counted again from that moment on the office's calendar (a supplement
    request stops the clock). None when the procedure gives no usable time."""
    from catalog.services.dossiers import appointment_date, dossier_document

    calendar = (office_calendar(session, dossier.office_id) if dossier.office_id is not None
                else working_calendar(session))
    local = arrived.astimezone(VN_TIME).replace(tzinfo=None)
    return appointment_date(dossier_document(session, dossier), dossier.channel, local, calendar)


def supplement_sent_at(dossier: Dossier) -> datetime | None:
    """When the applicant sent the papers of the current supplement request online (None when
    they have not, or were asked again since)."""
    sent: datetime | None = None
    for event in dossier.events:
        if event.status == "supplement_requested":
            sent = None
        elif event.status == "supplement_submitted":
            sent = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return sent


def submit_supplement(session: Session, dossier: Dossier | str, upload_token: str, *, note: str = "",
                      names: Mapping[str, str] | None = None, actor: str, office: int | None = None) -> Moved:
    """The applicant sends the papers asked for, online: the files staged under `upload_token`
    (catalog.services.dossiers.stage_upload) join the dossier, each under the paper it answers
    (`names`: upload field → the item's name); the status stays «supplement requested» until the
    desk checks them (`receive_supplement`)."""
    from catalog.services.dossiers import staged_uploads

    found = _find(session, dossier, office)
    _check(found, "submit_supplement")
    staged = staged_uploads(session, upload_token)
    if not staged:
        raise StatusRefused("Vui lòng tải lên ít nhất một tệp giấy tờ bổ sung.",
                            "Please upload at least one file of the papers asked for.")
    ids = [attachment.id for attachment in staged]
    detail: dict[str, Any] = {"files": [{"id": a.id, "name": a.original_name,
                                         "item": (names or {}).get(a.field, a.field)} for a in staged]}
    if note.strip():
        detail["note"] = note.strip()[:1000]

    def change(row: Dossier) -> None:
        tx = object_session(row)
        assert tx is not None
        for attachment in tx.scalars(select(Attachment).where(Attachment.id.in_(ids),
                                                              Attachment.dossier_id.is_(None))):
            attachment.dossier_id = row.id

    return _move(session, found, "submit_supplement", actor=actor,
                 note=f"Gửi {len(ids)} tệp bổ sung", detail=detail, change=change,
                 event_status="supplement_submitted", office=office)


def receive_supplement(session: Session, dossier: Dossier | str, *, actor: str, note: str = "",
                       at: datetime | None = None, notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """The supplement came in: supplement_requested → received. The processing time counts
    again from the day the papers arrived (`at`; else when the applicant sent them online,
    `submit_supplement`; else now): a new appointment date (an earlier extension no longer
    applies)."""
    found = _find(session, dossier, office)
    _check(found, "receive_supplement")
    sent = supplement_sent_at(found)
    moment = at or utcnow()
    arrived = at or sent or moment  # papers sent online arrived when the applicant sent them
    new_date = restarted_appointment(session, found, arrived)
    previous = due_date(found)
    detail: dict[str, Any] = {"previous_date": previous.isoformat() if previous else None,
                              "appointment_date": new_date.isoformat() if new_date else None}
    if arrived is not moment:
        detail["arrived_at"] = arrived.isoformat()

    def change(row: Dossier) -> None:
        if new_date is not None:
            row.appointment_date = new_date
            row.extended_to, row.extension_reason = None, None

    return _move(session, found, "receive_supplement", actor=actor,
                 note=note.strip() or "Đã nhận hồ sơ bổ sung", detail=detail, change=change,
                 event_status="supplement_received", notifier=notifier, at=moment, office=office)


def refuse_dossier(session: Session, dossier: Dossier | str, reason: str, *, actor: str,
                   notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """Refuse to receive or resolve the dossier, with the reason the citizen reads."""
    text = _require(reason, "lý do từ chối", "the reason for refusing")
    return _move(session, dossier, "refuse", actor=actor, note=text, detail={"reason": text},
                 notifier=notifier, office=office)


def start_processing(session: Session, dossier: Dossier | str, *, actor: str,
                     notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """Hand the received dossier to the competent office: received → processing."""
    return _move(session, dossier, "start_processing", actor=actor, note="Chuyển giải quyết",
                 notifier=notifier, office=office)


def extension_date(session: Session, dossier: Dossier, working_days: int) -> date:
    """`working_days` working days after the current due date (today when it has none) on the
    office's calendar (its days off, public holidays, weekends)."""
    if working_days < 1:
        raise StatusRefused("Số ngày gia hạn phải từ 1 ngày làm việc.", "Extend by at least one working day.")
    calendar = (office_calendar(session, dossier.office_id) if dossier.office_id is not None
                else working_calendar(session))
    start = due_date(dossier) or datetime.now(VN_TIME).date()
    return calendar.add_working_days(start, working_days)


def extend_dossier(session: Session, dossier: Dossier | str, reason: str, *,
                   working_days: int | None = None, new_date: date | None = None, actor: str,
                   notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """Gia hạn: a reason and a new due date, worked out from `working_days` or given."""
    found = _find(session, dossier, office)
    _check(found, "extend")
    text = _require(reason, "lý do gia hạn", "the reason for the extension")
    if (working_days is None) == (new_date is None):
        raise StatusRefused("Vui lòng cho biết số ngày làm việc gia hạn hoặc ngày hẹn mới (một trong hai).",
                            "Give either the number of working days or the new date (one of them).")
    if new_date is None:
        assert working_days is not None
        new_date = extension_date(session, found, working_days)
    current = due_date(found)
    if current is not None and new_date <= current:
        raise StatusRefused(f"Ngày hẹn mới phải sau ngày hẹn hiện tại ({current:%d/%m/%Y}).",
                            f"The new date must be after the current one ({current:%d/%m/%Y}).")
    detail: dict[str, Any] = {"reason": text, "new_date": new_date.isoformat(),
                              "previous_date": current.isoformat() if current else None}
    if working_days is not None:
        detail["working_days"] = working_days

    def change(row: Dossier) -> None:
        row.extended_to, row.extension_reason = new_date, text

    return _move(session, found, "extend", actor=actor, note=text, detail=detail, change=change,
                 event_status="extended", notifier=notifier, office=office)


def stop_dossier(session: Session, dossier: Dossier | str, reason: str, *, actor: str,
                 notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """Dừng giải quyết, with the reason."""
    text = _require(reason, "lý do dừng giải quyết", "the reason for stopping")
    return _move(session, dossier, "stop", actor=actor, note=text, detail={"reason": text},
                 notifier=notifier, office=office)


def mark_result_ready(session: Session, dossier: Dossier | str, *, actor: str,
                      notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """The result is ready to collect (or to post): processing → result_ready."""
    return _move(session, dossier, "result_ready", actor=actor, note="Đã có kết quả", notifier=notifier, office=office)


result_ready = mark_result_ready  # the name for it


def return_result(session: Session, dossier: Dossier | str, *, by_post: bool = False,
                  tracking: str | None = None, actor: str, notifier: Notifier | None = None, office: int | None = None) -> Moved:
    """Hand the result over in person, or send it by post with its tracking number."""
    number = (tracking or "").strip()
    if by_post and not number:
        raise StatusRefused("Gửi kết quả qua bưu chính phải ghi số hiệu bưu gửi.",
                            "A result sent by post needs its postal tracking number.")
    if len(number) > 64:
        raise StatusRefused("Số hiệu bưu gửi quá dài (tối đa 64 ký tự).", "The tracking number is too long (64 at most).")
    moment = utcnow()
    detail: dict[str, Any] = {"by_post": by_post}
    if by_post:
        detail["tracking"] = number

    def change(row: Dossier) -> None:
        row.returned_at = moment
        row.postal_tracking = number if by_post else None

    note = f"Gửi qua bưu chính, số hiệu bưu gửi {number}" if by_post else "Trả trực tiếp"
    return _move(session, dossier, "return_result", actor=actor, note=note, detail=detail,
                 change=change, notifier=notifier, office=office, at=moment)


# --- lists ------------------------------------------------------------------------------------


def dossiers(session: Session, *, office: int | None = None, status: str | None = None,
             late: bool = False, today: date | None = None) -> list[Dossier]:
    """Dossiers by office and status, oldest first; `late`: only the overdue ones."""
    stmt = select(Dossier).order_by(Dossier.received_at, Dossier.id)
    if office is not None:
        stmt = stmt.where(Dossier.office_id == office)
    if status:
        keys = [normal_status(status), *(old for old, new in LEGACY.items() if new == normal_status(status))]
        stmt = stmt.where(Dossier.status.in_(keys))
    found = list(session.scalars(stmt))
    return [d for d in found if is_late(d, today)] if late else found


def overdue(session: Session, office: int | None = None, today: date | None = None) -> list[Dossier]:
    """Dossiers past their due date (the extension's date when extended) while the clock runs."""
    today = today or datetime.now(VN_TIME).date()
    # in SQL, as is_late: the due date (due_date: the extension's, else the appointment) is past
    stmt = (select(Dossier).where(Dossier.status.in_(sorted(CLOCK_RUNS)),
                                  func.coalesce(Dossier.extended_to, Dossier.appointment_date) < today)
            .order_by(Dossier.appointment_date, Dossier.id))
    if office is not None:
        stmt = stmt.where(Dossier.office_id == office)
    return list(session.scalars(stmt))
