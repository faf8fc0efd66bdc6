"""Dossiers: staging a citizen's uploads, submitting the application, finding it, paying.

A submission carries a `submission_token` made when the form was first shown. Uploads are
staged under that token (Attachment rows with no dossier yet) so a failed submission keeps
them; submitting links the ones the instance names to the new dossier and removes the other
files staged under the token. The token is unique on Dossier, so posting the same form twice
(or racing two posts of it) gives one dossier, and every post ends on it.

Writing under a crowd (catalog.db): an upload's bytes are stored before any transaction
opens; rows are written in one short `run_write` transaction (retried once on a lock,
`DatabaseBusy` after). A file whose row could not be written is deleted on the spot;
`purge_abandoned_uploads` removes the rest (rows never submitted, files without a row).
Each dossier gets a secret `tracking_token`: the link and QR code that open it without the
phone number carry it, since its code is sequential and can be guessed.
"""

from __future__ import annotations

import copy
import hmac
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, BinaryIO

from jsonschema import Draft202012Validator
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from catalog.attachments import DEFAULT_ACCEPT, AttachmentRejected, AttachmentStore, check_total
from catalog.calendar import VN_TIME, WorkingCalendar, parse_cutoff
from catalog.db import run_write, utcnow
from catalog.models import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierSequence,
    DraftApplication,
    Office,
    Payment,
    Procedure,
    ProcedureVersion,
)
from catalog.models.dossiers import DossierRegister, new_tracking_token
from catalog.payments import OUTCOMES, PaymentError, PaymentProvider, PaymentSession
from catalog.services.calendar_days import working_calendar
from catalog.services.dossier_status import STATUSES as STATUSES  # re-exported
from catalog.services.dossier_status import status_label as status_label  # re-exported
from catalog.services.errors import ServiceError
from catalog.services.local_versions import procedure_at
from catalog.services.offices import office_calendar, offices_receiving, receives
from form_schemas import reader
from form_schemas.fees import amount_due
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.regexes import re2_validator_class
from form_schemas.wording import money

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_DOSSIER_BYTES = 60 * 1024 * 1024
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CITIZEN_ACTOR = "Công dân (nộp trực tuyến)"
PAYMENT_ACTOR = "Cổng thanh toán"
PAPER_FIELD_PREFIX = "_documents/"  # Attachment.field of a paper's scan (paper_field)

class DossierRefused(ServiceError):
    """The application cannot be accepted as sent; the message says what to do."""


class _FileGone(DossierRefused):
    """A file the instance names is not staged under its token (maybe a racing post of the same
    form already made the dossier and removed its spare files)."""


class AlreadySubmitted(Exception):
    """The form's token already made a dossier (a racing or repeated post): go to it."""

    def __init__(self, dossier_code: str) -> None:
        super().__init__(dossier_code)
        self.dossier_code = dossier_code


@dataclass(frozen=True)
class SubmitOutcome:
    dossier: Dossier
    created: bool


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


# --- reading a procedure document --------------------------------------------------------


def channel_of(document: Mapping[str, Any], mode: str) -> Mapping[str, Any] | None:
    """The channel (in_person / online / postal) of a procedure document, if it has one."""
    for channel in document.get("x-procedure", {}).get("channels") or ():
        if channel.get("mode") == mode:
            return channel
    return None


def appointment_date(
    document: Mapping[str, Any], mode: str, received_local: datetime, calendar: WorkingCalendar
) -> date | None:
    """When the result is due for a dossier received through `mode` at local time `received_local`.

    Uses that channel's processing time and same-day cut-off (the in-person channel when the
    procedure does not list `mode`); None when the procedure gives no usable time.
    """
    channel = channel_of(document, mode) or channel_of(document, "in_person")
    if channel is None or "processingTime" not in channel:
        return None
    time_ = channel["processingTime"]
    return calendar.appointment(
        received_local, time_.get("value"), time_.get("unit", ""),
        parse_cutoff(channel.get("sameDayCutoff")),
    )


def _deref(node: Any, defs: Mapping[str, Any]) -> Any:
    """`$ref`s followed by the one reader (form_schemas.reader: siblings win)."""
    return reader.resolve({"$defs": defs}, node) if isinstance(node, dict) else node


def _walk(document: Mapping[str, Any], instance: Any) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(dotted path, field schema, value) for every value of `instance` the schema describes."""
    defs = document.get("$defs") or {}

    def visit(node: Any, value: Any, path: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
        node = _deref(node, defs)
        if not isinstance(node, dict):
            return
        if path:
            yield path, node, value
        if isinstance(value, dict):
            properties = node.get("properties") or reader.block_properties(node, value, defs)
            for key, sub in properties.items():
                if key in value:
                    yield from visit(sub, value[key], f"{path}.{key}" if path else key)
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for index, item in enumerate(value):
                yield from visit(node["items"], item, f"{path}.{index}")

    yield from visit(document, instance, "")


def is_file_field(node: Mapping[str, Any]) -> bool:
    return node.get("x-widget") == "file"


def file_values(document: Mapping[str, Any], instance: Any) -> list[tuple[str, str]]:
    """(dotted path, attachment id) of every file the instance names."""
    return [
        (path, value)
        for path, node, value in _walk(document, instance)
        if is_file_field(node) and isinstance(value, str) and value
    ]


def instance_for_print(dossier: Dossier) -> dict[str, Any]:
    """The dossier's data with every attachment id replaced by its file's original name, as the
    filled form prints it."""
    names = {attachment.id: attachment.original_name for attachment in dossier.attachments}
    printed = copy.deepcopy(dossier.data)
    for path, attachment_id in file_values(dossier.version.document, printed):
        *parents, last = path.split(".")
        holder: Any = printed
        for part in parents:
            holder = holder[int(part)] if isinstance(holder, list) else holder[part]
        key: Any = int(last) if isinstance(holder, list) else last
        holder[key] = {"name": names.get(attachment_id, "Đã đính kèm")}
    return printed


def applicant_contact(document: Mapping[str, Any], instance: Any) -> Contact:
    """Who applied: `applicant.full_name/phone/email/address` by convention, else the first
    name-like field and the first phone and e-mail fields of the form."""
    found: dict[str, str] = {}
    applicant = instance.get("applicant") if isinstance(instance, dict) else None
    if isinstance(applicant, dict):
        for key, names in (("name", ("full_name", "name")), ("phone", ("phone",)),
                           ("email", ("email",)), ("address", ("address", "residence"))):
            for name in names:
                if isinstance(applicant.get(name), str) and applicant[name].strip():
                    found.setdefault(key, applicant[name].strip())
    for path, node, value in _walk(document, instance):
        if not isinstance(value, str) or not value.strip():
            continue
        leaf = path.rsplit(".", 1)[-1]
        if node.get("format") == "vn-phone":
            found.setdefault("phone", value.strip())
        elif node.get("format") == "email":
            found.setdefault("email", value.strip())
        elif leaf in ("full_name", "ho_ten"):
            found.setdefault("name", value.strip())
        elif leaf == "address":
            found.setdefault("address", value.strip())
    return Contact(**found)


def received_documents(
    document: Mapping[str, Any], instance: Any
) -> list[tuple[str, int, int]]:
    """(name, originals, copies) of the procedure's documents this application uploaded."""
    provided = {path for path, _ in file_values(document, instance)}
    rows = []
    for item in document.get("x-procedure", {}).get("documents") or ():
        field = item.get("field")
        if item.get("action", "submit") != "submit" or not field:
            continue
        if field in provided or any(p.startswith(field + ".") for p in provided):
            rows.append((item["name"], int(item.get("originals", 0)), int(item.get("copies", 0))))
    return rows


_validators: dict[str, Draft202012Validator] = {}
_validators_lock = threading.Lock()


def _validator(version: ProcedureVersion) -> Draft202012Validator:
    with _validators_lock:
        found = _validators.get(version.document_hash)
        if found is None:
            if len(_validators) > 256:
                _validators.clear()
            found = re2_validator_class()(version.document, format_checker=FORMAT_CHECKER)
            _validators[version.document_hash] = found
        return found


# --- phone numbers and codes -------------------------------------------------------------


def normalise_phone(text: str) -> str:
    """Digits only, +84/84 written as 0: "+84 912 345 678" → "0912345678"."""
    digits = re.sub(r"\D", "", text or "")
    if text.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def next_dossier_code(session: Session, procedure_code: str, year: int) -> str:
    """`<year>-<procedure code>-<sequence>` from DossierSequence (in the caller's transaction)."""
    for _ in range(3):
        bumped = session.execute(
            update(DossierSequence)
            .where(DossierSequence.year == year, DossierSequence.procedure_code == procedure_code)
            .values(last=DossierSequence.last + 1)
        )
        if bumped.rowcount:
            last = session.scalar(
                select(DossierSequence.last).where(
                    DossierSequence.year == year, DossierSequence.procedure_code == procedure_code
                )
            )
            return f"{year}-{procedure_code}-{last:06d}"
        try:
            with session.begin_nested():
                session.add(DossierSequence(year=year, procedure_code=procedure_code, last=1))
            return f"{year}-{procedure_code}-{1:06d}"
        except IntegrityError:
            continue  # another submission created the row first: bump it instead
    raise RuntimeError("could not allocate a dossier number")


def next_register_number(session: Session, office_id: int, year: int) -> int:
    """The office's next Số thứ tự in the register book of `year` (in the caller's transaction)."""
    where = (DossierRegister.office_id == office_id, DossierRegister.year == year)
    for _ in range(3):
        if session.execute(update(DossierRegister).where(*where).values(last=DossierRegister.last + 1)).rowcount:
            return int(session.scalar(select(DossierRegister.last).where(*where)) or 0)
        try:
            with session.begin_nested():
                session.add(DossierRegister(office_id=office_id, year=year, last=1))
            return 1
        except IntegrityError:
            continue  # another submission created the row first: bump it instead
    raise RuntimeError("could not allocate a register number")


def dossier_document(session: Session, dossier: Dossier) -> dict[str, Any]:
    """The procedure as it applied to this dossier: the published document at its office
    (local layers, the announcing decision) while the dossier's version is still the published
    one, else the version it was filed against."""
    procedure = dossier.procedure
    if procedure.published_version_id == dossier.version_id:
        applied = procedure_at(session, procedure, dossier.office)
        if applied is not None:
            return applied.document
    return dossier.version.document


# --- uploads -----------------------------------------------------------------------------


def staged_uploads(session: Session, upload_token: str) -> list[Attachment]:
    """Files uploaded with this form's token and not yet part of a dossier, oldest first (a
    later file of a field replaces the earlier one)."""
    if not TOKEN_PATTERN.fullmatch(upload_token or ""):
        return []
    return list(session.scalars(
        select(Attachment)
        .where(Attachment.upload_token == upload_token, Attachment.dossier_id.is_(None))
        .order_by(Attachment.uploaded_at, Attachment.id)
    ))


def paper_field(document_id: str) -> str:
    """Attachment.field of the scan of the procedure's document `document_id` (a paper ticked
    at the counter): stable, and never the name of a form input."""
    return f"{PAPER_FIELD_PREFIX}{document_id}"


def current_uploads(staged: Sequence[Attachment]) -> dict[str, Attachment]:
    """field -> the latest file staged for it."""
    return {attachment.field: attachment for attachment in staged}


def stage_upload(
    session: Session,
    store: AttachmentStore,
    stream: BinaryIO,
    filename: str,
    *,
    field: str,
    upload_token: str,
    accept: Sequence[str] = (),
    max_bytes: int | None = None,
    max_dossier_bytes: int = DEFAULT_MAX_DOSSIER_BYTES,
) -> Attachment:
    """Store one upload for the form `upload_token`; it replaces an earlier file of `field`
    (which stays staged until the dossier is made or the form is purged: a racing post of the
    same form may still name it).

    The bytes are written before the row's short transaction. Raises AttachmentRejected (wrong
    type by content, too large, empty, or the form's files together over `max_dossier_bytes`),
    AlreadySubmitted (this token already made a dossier) or DatabaseBusy; nothing is kept when
    it does.
    """
    if not TOKEN_PATTERN.fullmatch(upload_token or ""):
        raise ValueError("invalid upload token")
    stored = store.store(
        stream, filename, accept=tuple(accept) or DEFAULT_ACCEPT,
        max_bytes=max_bytes or DEFAULT_MAX_FILE_BYTES,
    )

    def record(tx: Session) -> Attachment:
        done = tx.scalar(select(Dossier.code).where(Dossier.submission_token == upload_token))
        if done is not None:
            raise AlreadySubmitted(done)
        others = [a.size for name, a in current_uploads(staged_uploads(tx, upload_token)).items()
                  if name != field]
        check_total([*others, stored.size], max_dossier_bytes)
        attachment = Attachment(
            id=stored.id, field=field, original_name=stored.original_name,
            media_type=stored.media_type, size=stored.size, sha256=stored.sha256,
            storage_path=stored.relative_path, upload_token=upload_token, uploaded_at=utcnow(),
        )
        tx.add(attachment)
        return attachment

    try:
        return run_write(session, record)
    except BaseException:
        store.delete(stored.id)
        raise


def purge_abandoned_uploads(
    session: Session, store: AttachmentStore, older_than: timedelta, *, now: datetime | None = None
) -> int:
    """Delete uploads that never became part of a dossier and are older than `older_than`:
    staged rows of forms left unfinished, and files with no row at all (an attempt that failed
    between storing the bytes and writing the row, an upload cut off while it was written).
    Files staged under a live draft application (catalog.services.drafts) are kept: the draft
    purge removes them when it expires. Returns how many files went. Rows go first
    (committed), then their files."""
    moment = now or utcnow()
    cutoff = moment - older_than
    live_drafts = select(DraftApplication.upload_token).where(DraftApplication.expires_at > moment)

    def drop_rows(tx: Session) -> list[str]:
        return _drop_staged(tx, list(tx.scalars(
            select(Attachment).where(
                Attachment.dossier_id.is_(None), Attachment.uploaded_at < cutoff,
                or_(Attachment.upload_token.is_(None), Attachment.upload_token.not_in(live_drafts)),
            )
        )))

    dropped = run_write(session, drop_rows)
    for attachment_id in dropped:
        store.delete(attachment_id)
    removed = len(dropped)
    old_files = [name for name, modified in store.stored_files() if modified < cutoff]
    for start in range(0, len(old_files), 500):
        batch = old_files[start:start + 500]
        known = set(session.scalars(select(Attachment.id).where(Attachment.id.in_(batch))))
        for name in batch:
            if name not in known:
                removed += store.delete_file(name, cutoff)
    session.rollback()  # end the read transaction
    return removed


# --- submitting --------------------------------------------------------------------------


def _refuse(vi: str, en: str) -> DossierRefused:
    return DossierRefused(vi, en)


def published_version(session: Session, procedure_code: str) -> ProcedureVersion | None:
    procedure = session.scalar(select(Procedure).where(Procedure.code == procedure_code))
    return procedure.published_version if procedure is not None else None


def submit_dossier(
    session: Session,
    procedure_code: str,
    instance: dict[str, Any],
    *,
    submission_token: str,
    channel: str = "online",
    received_at: datetime | None = None,
    calendar: WorkingCalendar | None = None,
    max_dossier_bytes: int = DEFAULT_MAX_DOSSIER_BYTES,
    office: Office | None = None,
    result_by_post: bool = False,
    store: AttachmentStore | None = None,
    documents_received: Sequence[Mapping[str, Any]] | None = None,
    received_by: str | None = None,
    document_files: Mapping[str, Sequence[str]] | None = None,
) -> SubmitOutcome:
    """Validate the application, then create its dossier with code, office, register entry,
    appointment date and history.

    At the counter (`channel="in_person"`) the officer also records, in the same transaction,
    the papers handed over (`documents_received`: {id, name, originals, copies, shown} each)
    and their own name (`received_by`, also the actor of the dossier's first event), and the
    scans of those papers (`document_files`: paper id -> ids of files staged under the token).
    Each scan becomes an attachment of the dossier with field `paper_field(paper id)`, and its
    paper's entry lists it (`attachments`: ids); a scan of a paper not in `documents_received`,
    or a file not staged under the token, is refused. The scans count in `max_dossier_bytes`.

    The office must receive the procedure; without one, the only office receiving it is
    taken (none when no office receives it, as before offices existed). The appointment uses
    the procedure as it applies at the office (its local processing time) and the office's
    calendar (its days off, Saturday mornings). A token already used returns that dossier
    (`created=False`), also when a racing post of the same form made it first. Files staged
    under the token that neither the instance nor a paper names are deleted (from `store`,
    when given).
    Raises DossierRefused when the procedure does not take online applications, the office
    does not receive it, the instance is invalid, or a file it names was not uploaded with this
    token; DatabaseBusy when the database stayed locked through the retry.
    """
    if not TOKEN_PATTERN.fullmatch(submission_token or ""):
        raise _refuse("Phiên nộp hồ sơ không hợp lệ. Vui lòng tải lại trang và nộp lại.",
                      "This form session is not valid. Please reload the page and submit again.")
    existing = session.scalar(select(Dossier).where(Dossier.submission_token == submission_token))
    if existing is not None:
        return SubmitOutcome(existing, False)
    version = published_version(session, procedure_code)
    if version is None:
        raise _refuse(f"Thủ tục {procedure_code} hiện không nhận hồ sơ.",
                      f"Procedure {procedure_code} is not accepting applications.")
    office = _receiving_office(session, version.procedure, office)
    applied = procedure_at(session, version.procedure, office)
    document = applied.document if applied is not None else version.document
    level = int(document["x-procedure"]["onlineService"]["level"])
    if channel == "online" and level < 3:
        raise _refuse(
            f"Thủ tục này chỉ cung cấp thông tin trực tuyến (mức độ {level}); "
            "vui lòng nộp hồ sơ trực tiếp hoặc qua bưu chính.",
            f"This procedure is information-only online (level {level}); "
            "please apply in person or by post.",
        )
    errors = sorted(_validator(version).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        where = ".".join(str(p) for p in errors[0].absolute_path) or "hồ sơ"
        raise _refuse(f"Hồ sơ chưa hợp lệ ({len(errors)} lỗi, đầu tiên ở «{where}»).",
                      f"The application is not valid ({len(errors)} errors, first at “{where}”).")
    named = file_values(document, instance)

    received = received_at or utcnow()
    if received.tzinfo is None:
        received = received.replace(tzinfo=VN_TIME)
    local = received.astimezone(VN_TIME).replace(tzinfo=None)
    received = received.astimezone(UTC)  # stored in UTC: SQLite keeps no offset, pages read UTC
    if calendar is None:
        calendar = office_calendar(session, office) if office is not None else working_calendar(session)
    contact = applicant_contact(document, instance)
    appointment = appointment_date(document, channel, local, calendar)
    fee_due = amount_due(document, instance, "online").total if channel == "online" else 0
    version_id, procedure_id = version.id, version.procedure_id
    office_id = office.id if office is not None else None
    # online dossiers wait for the desk to check them (catalog.services.dossier_status)
    initial = "submitted" if channel == "online" else "received"
    received_papers = [dict(item) for item in documents_received] if documents_received is not None else None
    scans = {str(paper): list(ids) for paper, ids in (document_files or {}).items() if ids}
    if scans:
        papers_by_id = {str(item.get("id")): item for item in received_papers or ()}
        for paper, ids in scans.items():
            if paper not in papers_by_id:
                raise _refuse("Bản chụp đính kèm cho giấy tờ chưa được đánh dấu là đã nhận.",
                              "A scan is attached to a paper not ticked as received.")
            papers_by_id[paper]["attachments"] = ids
    officer = (received_by or "").strip()[:255] or None

    def create(tx: Session) -> tuple[int, bool, list[str]]:
        done = tx.scalar(select(Dossier.id).where(Dossier.submission_token == submission_token))
        if done is not None:  # files a racing post staged can never be used: drop them
            return done, False, _drop_staged(tx, staged_uploads(tx, submission_token))
        staged = {a.id: a for a in staged_uploads(tx, submission_token)}
        used: list[Attachment] = []
        for path, attachment_id in named:
            attachment = staged.get(attachment_id)
            if attachment is None:
                raise _FileGone(f"Tệp đính kèm ở «{path}» không còn; vui lòng tải lên lại.",
                                f"The file for “{path}” is gone; please upload it again.")
            used.append(attachment)
        scanned: list[tuple[str, Attachment]] = []
        for paper, ids in scans.items():
            for attachment_id in ids:
                attachment = staged.get(attachment_id)
                if attachment is None:
                    raise _FileGone("Bản chụp của một giấy tờ đã nhận không còn; vui lòng tải lên lại.",
                                    "The scan of a paper received is gone; please upload it again.")
                if attachment in used or any(attachment is other for _, other in scanned):
                    raise _refuse("Mỗi tệp chỉ đính kèm một lần: tệp này đã gắn với biểu mẫu hoặc giấy tờ khác.",
                                  "Each file is attached once: this one is already the form's or another paper's.")
                scanned.append((paper, attachment))
        try:
            check_total([a.size for a in used] + [a.size for _, a in scanned], max_dossier_bytes)
        except AttachmentRejected as rejected:
            raise _refuse(rejected.message_vi, rejected.message_en) from rejected
        register = next_register_number(tx, office_id, local.year) if office_id is not None else None
        dossier = Dossier(
            code=next_dossier_code(tx, procedure_code, local.year),
            office_id=office_id,
            register_book=str(local.year) if register is not None else None, register_number=register,
            result_by_post=result_by_post,
            procedure_id=procedure_id, version_id=version_id, data=instance, channel=channel,
            applicant_name=contact.name[:255], applicant_phone=normalise_phone(contact.phone),
            status=initial, received_at=received, appointment_date=appointment,
            submission_token=submission_token, tracking_token=new_tracking_token(),
            fee_due=fee_due,
            documents_received=received_papers, received_by=officer,
        )
        tx.add(dossier)
        tx.flush()
        for attachment in used:
            attachment.dossier_id = dossier.id
        for paper, attachment in scanned:
            attachment.dossier_id, attachment.field = dossier.id, paper_field(paper)
        kept = used + [attachment for _, attachment in scanned]
        spare = _drop_staged(tx, [a for a in staged.values() if a not in kept])  # replaced ones
        tx.add(DossierEvent(dossier_id=dossier.id, status=initial, actor=officer or CITIZEN_ACTOR,
                            at=received, note="Nộp hồ sơ trực tuyến" if channel == "online" else "Nộp hồ sơ"))
        return dossier.id, True, spare

    try:
        dossier_id, created, spare_files = run_write(session, create)
    except (IntegrityError, _FileGone):
        # a racing post of the same form made the dossier first (its token is unique)
        session.rollback()
        existing = dossier_by_token(session, submission_token)
        if existing is None:
            raise
        dossier_id, created = existing.id, False
        spare_files = run_write(session, lambda tx: _drop_staged(tx, staged_uploads(tx, submission_token)))
    if store is not None:
        for attachment_id in spare_files:
            store.delete(attachment_id)
    return SubmitOutcome(session.get(Dossier, dossier_id), created)


def _drop_staged(tx: Session, attachments: Sequence[Attachment]) -> list[str]:
    """Delete these staged rows (in `tx`; one statement, so a row a concurrent transaction
    already removed is no error); their ids, for removing the files after commit."""
    ids = [attachment.id for attachment in attachments]
    if ids:
        tx.execute(delete(Attachment)
                   .where(Attachment.id.in_(ids), Attachment.dossier_id.is_(None))
                   .execution_options(synchronize_session=False))
        for attachment in attachments:  # detached, as a deleted object would be
            if attachment in tx:
                tx.expunge(attachment)
    return ids


def _receiving_office(session: Session, procedure: Procedure, office: Office | None) -> Office | None:
    """The office given (it must receive the procedure), else the only one that receives it."""
    if office is not None:
        if not receives(session, office, procedure):
            raise _refuse(f"{office.name} không tiếp nhận thủ tục này; vui lòng chọn nơi tiếp nhận khác.",
                          f"{office.name} does not receive this procedure; please choose another office.")
        return office
    receiving = offices_receiving(session, procedure)
    if len(receiving) > 1:
        raise _refuse("Vui lòng chọn nơi tiếp nhận hồ sơ.", "Please choose the office to apply at.")
    return receiving[0] if receiving else None


# --- finding -----------------------------------------------------------------------------


def dossier_by_code(session: Session, code: str) -> Dossier | None:
    return session.scalar(select(Dossier).where(Dossier.code == (code or "").strip()))


def dossier_by_token(session: Session, submission_token: str) -> Dossier | None:
    """The dossier a form with this token already created, if any."""
    if not TOKEN_PATTERN.fullmatch(submission_token or ""):
        return None
    return session.scalar(select(Dossier).where(Dossier.submission_token == submission_token))


def find_dossier(session: Session, code: str, phone: str) -> Dossier | None:
    """The dossier with this code, only when `phone` is the applicant's; else None."""
    dossier = dossier_by_code(session, code)
    wanted = normalise_phone(phone)
    if dossier is None or not wanted or not dossier.applicant_phone:
        return None
    if not hmac.compare_digest(normalise_phone(dossier.applicant_phone), wanted):
        return None
    return dossier


# --- paying ------------------------------------------------------------------------------


# A payment is "pending" (session open), "paid", "failed", "cancelled", or "superseded": still
# open when the fee was paid in another session, so closed and never charged.
SUPERSEDED = "superseded"


def amount_paid(dossier: Dossier) -> int:
    return sum(p.amount for p in dossier.payments if p.status == "paid")


def amount_outstanding(dossier: Dossier) -> int:
    """VND still to pay online (0 when paid, free, or not filed online): the fee worked out
    from the validated answers when the dossier was filed (`fee_due`; a fee changed later does
    not change what this dossier owes), less what was paid."""
    if dossier.channel != "online":
        return 0
    return max(0, int(dossier.fee_due or 0) - amount_paid(dossier))


def can_pay_online(dossier: Dossier) -> bool:
    """Filed online, something owed, and level 4 as the procedure applies at the dossier's
    office (an office whose local version offers level 3 takes the fee at the desk)."""
    if dossier.channel != "online" or amount_outstanding(dossier) <= 0:
        return False
    session = object_session(dossier)
    document = dossier_document(session, dossier) if session is not None else dossier.version.document
    return int(document["x-procedure"]["onlineService"]["level"]) >= 4


def start_payment(
    session: Session, dossier: Dossier, provider: PaymentProvider, return_url: str
) -> PaymentSession:
    """Open a payment for what the dossier still owes and record it as pending."""
    amount = amount_outstanding(dossier)
    if not can_pay_online(dossier):
        raise _refuse("Hồ sơ này không có khoản phí nào cần nộp trực tuyến.",
                      "This dossier has no fee to pay online.")
    started = provider.start(dossier.code, amount, f"Phí, lệ phí hồ sơ {dossier.code}", return_url)
    dossier_id = dossier.id
    run_write(session, lambda tx: tx.add(Payment(dossier_id=dossier_id, provider=provider.name,
                                                 session_id=started.id, amount=amount,
                                                 status="pending")))
    return started


def complete_payment(
    session: Session, provider: PaymentProvider, session_id: str, outcome: str
) -> Payment:
    """Record the provider's outcome on the pending payment; a finished one stays as it was
    (one short write transaction, retried once on a lock).

    Paid closes the dossier's other pending sessions ("superseded"); a session completed
    after the fee was paid in another one is closed the same way and never charged."""

    def record(tx: Session) -> Payment:
        payment = tx.scalar(select(Payment).where(Payment.session_id == session_id))
        if payment is None:
            raise PaymentError("phiên thanh toán không tồn tại")
        # one completion per dossier at a time (PostgreSQL; SQLite writes one at a time anyway)
        tx.execute(select(Dossier.id).where(Dossier.id == payment.dossier_id).with_for_update())
        payments = list(tx.scalars(select(Payment).where(Payment.dossier_id == payment.dossier_id)
                                   .execution_options(populate_existing=True)))
        if payment.status != "pending":
            return payment
        paid = sum(p.amount for p in payments if p.status == "paid")
        if OUTCOMES.get(outcome) == "paid" and paid and paid >= int(payment.dossier.fee_due or 0):
            payment.status = SUPERSEDED  # paid elsewhere already: the provider is not asked
            return payment
        result = provider.complete(session_id, outcome)
        payment.status = result.status
        payment.reference = result.reference
        payment.paid_at = result.paid_at
        if result.status == "paid":
            for other in payments:
                if other is not payment and other.status == "pending":
                    other.status = SUPERSEDED
            tx.add(DossierEvent(
                dossier=payment.dossier, status=payment.dossier.status, actor=PAYMENT_ACTOR,
                note=f"Đã nộp {money(payment.amount)}, mã giao dịch {result.reference}",
            ))
        return payment

    return run_write(session, record)
