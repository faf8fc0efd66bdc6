"""Public posting (niêm yết): what each office must post, the posting register, and which
posted notices are out of date.

What an office must post is what it receives (catalog.services.offices.office_procedures:
its rules plus explicit additions, minus explicit removals); adding a procedure to the posting
list is an explicit addition.

A notice on an office's board is the *latest* posting of that procedure there (latest by
posting date, then by when it was recorded). It is out of date (stale) when

* the procedure was never posted there (`never_posted`), once it has a published version;
* the posted version is not the procedure's current published version (`new_version`);
* a local version that applies at the office (its province's or its own) was published,
  superseded or withdrawn after the notice was recorded (`local_change`): the posted fees,
  times or addresses are no longer the ones in force there;
* the procedure was abolished after it was posted (`abolished`): the notice must come down and
  a notice of abolition goes up. Recording a posting of the abolished version dated on or after
  the day of abolition records that notice of abolition, and the procedure is no longer stale.

A procedure that has never been published has nothing to post and is never stale; neither is
an abolished procedure the office never posted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.calendar import VN_TIME
from catalog.models import (
    LocalStatus,
    LocalVersion,
    Office,
    Posting,
    Procedure,
    ProcedureVersion,
    VersionStatus,
)
from catalog.services import offices as office_service
from catalog.services.errors import ServiceError
from catalog.services.local_versions import scope_keys

PUBLISHED_STATES = (VersionStatus.published, VersionStatus.superseded, VersionStatus.abolished)
NEVER_POSTED = "never_posted"
NEW_VERSION = "new_version"
LOCAL_CHANGE = "local_change"
ABOLISHED = "abolished"
REASONS: dict[str, tuple[str, str]] = {
    NEVER_POSTED: ("Chưa niêm yết", "Never posted"),
    NEW_VERSION: ("Đã có phiên bản mới", "A new version was published"),
    LOCAL_CHANGE: ("Quy định địa phương đã thay đổi", "A local version changed"),
    ABOLISHED: ("Thủ tục đã bị bãi bỏ", "The procedure was abolished"),
}
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


class PostingRefused(ServiceError):
    """The office, procedure, version or date of a posting is not acceptable."""


@dataclass(frozen=True)
class StaleNotice:
    """A procedure whose notice at the office is missing or out of date."""

    code: str
    title: str
    posted_version: int | None
    current_version: int | None
    reason: str
    posted_on: date | None = None
    sector: str = ""
    abolished_version: int | None = None

    @property
    def version_to_post(self) -> int | None:
        """The version whose notice replaces this one: the current one, or the abolished one
        (for its notice of abolition)."""
        return self.current_version if self.current_version is not None else self.abolished_version

    @property
    def printable(self) -> bool:
        """A replacement notice can be printed (the procedure has a published version)."""
        return self.current_version is not None

    def reason_label(self, locale: str = "vi") -> str:
        vi, en = REASONS[self.reason]
        return en if locale.startswith("en") else vi


@dataclass(frozen=True)
class OfficeSummary:
    office: Office
    assigned: int
    stale: int


def vn_today() -> date:
    """Today in Vietnam (postings are dated in local time)."""
    return datetime.now(VN_TIME).date()


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # SQLite: naive UTC


def _local_date(moment: datetime) -> date:
    return _aware(moment).astimezone(VN_TIME).date()


def _before_abolition(posting: Posting, abolished: ProcedureVersion) -> bool:
    """Whether the posting is an old notice rather than the notice of abolition: dated before
    the day of abolition, or recorded before the abolition itself."""
    if abolished.ended_at is None:
        return True
    return (posting.posted_on < _local_date(abolished.ended_at)
            or _aware(posting.recorded_at) < _aware(abolished.ended_at))


# --- offices and their lists -------------------------------------------------------------


def office_by_id(session: Session, office_id: int) -> Office:
    office = session.get(Office, office_id)
    if office is None:
        raise PostingRefused(f"Không có bộ phận tiếp nhận số {office_id}.",
                             f"There is no office number {office_id}.")
    return office


def create_office(session: Session, name: str, address: str = "", complaints_address: str = "", *,
                  actor: str = "system") -> Office:
    """A new office known by its name (and addresses) only, its place in the map left for its
    page (catalog.services.offices.create_office takes every field); names are unique."""
    try:
        return office_service.create_office(session, name, actor=actor, require_place=False,
                                            address=address, complaints_address=complaints_address)
    except office_service.OfficeRefused as exc:
        raise PostingRefused(exc.message_vi, exc.message_en) from None


def parse_codes(text: str | Iterable[str]) -> list[str]:
    """Codes separated by commas, semicolons, spaces or lines; duplicates dropped, order kept."""
    parts = _CODE_SEPARATORS.split(text) if isinstance(text, str) else [c.strip() for c in text]
    return list(dict.fromkeys(c for c in parts if c))


def assign_procedures(session: Session, office_id: int, procedure_codes: str | Iterable[str], *,
                      actor: str = "system") -> list[str]:
    """Add procedures to the list the office must post (explicit additions to what it
    receives); returns the codes newly on the list.

    Codes already on the list are left as they are. An unknown code refuses the whole list
    (nothing is added) and names every unknown code.
    """
    office_id = office_by_id(session, office_id).id  # refuses an unknown office
    codes = parse_codes(procedure_codes)
    try:
        return office_service.add_procedures(session, office_id, codes, actor=actor)
    except office_service.OfficeRefused as exc:
        raise PostingRefused(exc.message_vi, exc.message_en) from None


def assigned_procedures(session: Session, office_id: int) -> list[Procedure]:
    """The procedures the office must post (those it receives), by code."""
    return office_service.office_procedures(session, office_by_id(session, office_id))


# --- the posting register ------------------------------------------------------------------


def record_posting(session: Session, office_id: int, code: str, version_number: int, posted_on: date,
                   posted_by: str, *, today: date | None = None) -> Posting:
    """Record that version `version_number` of procedure `code` was posted at the office.

    Refused: an unknown office or procedure, a procedure not on the office's list, a version
    that was never published, a date after today (Vietnam time).
    """
    office = office_by_id(session, office_id)
    code = (code or "").strip()
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None:
        raise PostingRefused(f"Không có thủ tục mã {code}.", f"There is no procedure with code {code}.")
    if not office_service.receives(session, office, procedure):
        raise PostingRefused(
            f"Thủ tục {code} không có trong danh sách niêm yết của {office.name}; hãy thêm vào danh sách trước.",
            f"Procedure {code} is not on the posting list of {office.name}; add it to the list first.",
        )
    version = session.scalar(select(ProcedureVersion).where(
        ProcedureVersion.procedure_id == procedure.id, ProcedureVersion.number == version_number))
    if version is None or version.status not in PUBLISHED_STATES:
        raise PostingRefused(
            f"Phiên bản {version_number} của thủ tục {code} chưa từng được công bố nên không thể đã niêm yết.",
            f"Version {version_number} of procedure {code} was never published, so it cannot have been posted.",
        )
    today = today or vn_today()
    if posted_on > today:
        raise PostingRefused(
            f"Ngày niêm yết {posted_on:%d/%m/%Y} ở sau hôm nay ({today:%d/%m/%Y}); hãy ghi nhận sau khi đã niêm yết.",
            f"The posting date {posted_on:%d/%m/%Y} is after today ({today:%d/%m/%Y}); record it once posted.",
        )
    posting = Posting(office_id=office.id, procedure_id=procedure.id, version_number=version.number,
                      posted_on=posted_on, posted_by=(posted_by or "").strip()[:255])
    session.add(posting)
    session.commit()
    return posting


def _latest_postings(session: Session, office_id: int) -> dict[int, Posting]:
    """procedure id → the posting on the board now (latest date, then latest recorded)."""
    latest: dict[int, Posting] = {}
    for posting in session.scalars(
        select(Posting).where(Posting.office_id == office_id).order_by(Posting.posted_on, Posting.id)
    ):
        latest[posting.procedure_id] = posting
    return latest


def _abolitions(session: Session, procedure_ids: list[int]) -> dict[int, ProcedureVersion]:
    """procedure id → its last abolished version, for procedures with no published version."""
    if not procedure_ids:
        return {}
    found: dict[int, ProcedureVersion] = {}
    for version in session.scalars(
        select(ProcedureVersion)
        .where(ProcedureVersion.procedure_id.in_(procedure_ids),
               ProcedureVersion.status == VersionStatus.abolished)
        .order_by(ProcedureVersion.number)
    ):
        found[version.procedure_id] = version
    return found


def _local_changes(session: Session, office: Office, procedure_ids: list[int]) -> dict[int, datetime]:
    """procedure id → when a local version applying at `office` last started or stopped applying."""
    keys = scope_keys(office)
    if not procedure_ids or not keys:
        return {}
    changed: dict[int, datetime] = {}
    for local in session.scalars(select(LocalVersion).where(
            LocalVersion.procedure_id.in_(procedure_ids), LocalVersion.scope_key.in_(keys),
            LocalVersion.status.in_((LocalStatus.published, LocalStatus.superseded,
                                     LocalStatus.withdrawn)))):
        for moment in (local.published_at, local.ended_at):
            if moment is not None and (local.procedure_id not in changed
                                       or _aware(moment) > changed[local.procedure_id]):
                changed[local.procedure_id] = _aware(moment)
    return changed


def _reason(procedure: Procedure, posting: Posting | None, abolished: ProcedureVersion | None,
            local_change: datetime | None = None) -> str | None:
    """Why the procedure's notice at the office is stale, or None when it is up to date."""
    current = procedure.published_version
    if current is not None:
        if posting is None:
            return NEVER_POSTED
        if posting.version_number != current.number:
            return NEW_VERSION
        if local_change is not None and local_change > _aware(posting.recorded_at):
            return LOCAL_CHANGE
        return None
    if abolished is None or posting is None:
        return None  # never published, or abolished before this office posted it
    return ABOLISHED if _before_abolition(posting, abolished) else None


def stale_notices(session: Session, office_id: int, procedures: list[Procedure] | None = None) -> list[StaleNotice]:
    """The office's notices to replace (or take down), by procedure code (of `procedures`, by
    default all it must post)."""
    office = office_by_id(session, office_id)
    procedures = assigned_procedures(session, office.id) if procedures is None else procedures
    postings = _latest_postings(session, office.id)
    abolitions = _abolitions(session, [p.id for p in procedures if p.published_version is None])
    local_changes = _local_changes(session, office, [p.id for p in procedures])
    stale: list[StaleNotice] = []
    for procedure in procedures:
        posting = postings.get(procedure.id)
        abolished = abolitions.get(procedure.id)
        reason = _reason(procedure, posting, abolished, local_changes.get(procedure.id))
        if reason is None:
            continue
        current = procedure.published_version
        stale.append(StaleNotice(
            code=procedure.code, title=procedure.name,
            posted_version=posting.version_number if posting else None,
            current_version=current.number if current else None, reason=reason,
            posted_on=posting.posted_on if posting else None,
            sector=procedure.sector.name if procedure.sector else "",
            abolished_version=abolished.number if reason == ABOLISHED and abolished else None,
        ))
    return stale


def replacement_versions(session: Session, office_id: int) -> list[ProcedureVersion]:
    """The published versions whose notices replace the office's stale ones, by code (abolished
    procedures have no printable replacement)."""
    codes = [n.code for n in stale_notices(session, office_id) if n.printable]
    if not codes:
        return []
    return list(session.scalars(
        select(ProcedureVersion).join(Procedure, Procedure.published_version_id == ProcedureVersion.id)
        .where(Procedure.code.in_(codes)).order_by(Procedure.code)
    ))


def office_summaries(session: Session) -> list[OfficeSummary]:
    """Every office by name, with how many procedures it must post and how many are stale."""
    summaries = []
    for office in session.scalars(select(Office).order_by(Office.name)).all():
        procedures = assigned_procedures(session, office.id)
        summaries.append(OfficeSummary(office, len(procedures), len(stale_notices(session, office.id, procedures))))
    return summaries
