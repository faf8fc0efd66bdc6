"""Local versions of procedures and the one place that resolves "the procedure as it applies at
office O".

A province (by its 2-digit code) or an office overrides facts of a published procedure for its
territory (format: form_schemas/local.py). Local versions go through draft → in review →
published like national versions (approver ≠ author), each action audited; publishing one
supersedes the scope's previous one; a published one can be withdrawn.

`procedure_at(session, procedure, office)` is what the site, notices, forms, receipts and the
API read: the published national document, the province layer then the office layer applied,
and the announcing decision entered at approval as its publication decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.db import utcnow
from catalog.models import (
    AuditEvent,
    LocalStatus,
    LocalVersion,
    Office,
    Procedure,
    ProcedureVersion,
)
from catalog.models.local_versions import scope_key
from catalog.services.errors import DraftConflict, ServiceError, WorkflowError
from form_schemas.local import (
    ChangedFact,
    apply_layers,
    basis_citation,
    changed_facts,
    override_problems,
)
from form_schemas.problems import InvalidProcedure, SchemaProblem
from form_schemas.validation import check_procedure

OPEN = (LocalStatus.draft, LocalStatus.in_review)
PROVINCE_CODE = re.compile(r"^\d{2}$")


class InvalidOverrides(ServiceError):
    """The override document has problems (each with a JSON pointer); nothing was stored."""

    def __init__(self, problems: Sequence[SchemaProblem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else SchemaProblem("", "", "")
        more_vi = f" (và {len(self.problems) - 1} lỗi khác)" if len(self.problems) > 1 else ""
        more_en = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"Bản địa phương chưa hợp lệ: {first.pointer or '/'}: {first.message_vi}{more_vi}",
                         f"The local version is not valid: {first.pointer or '/'}: {first.message_en}{more_en}")


# --- the resolver ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocalSource:
    """The local version that set a place of the resolved document, with its legal basis."""

    local_version: LocalVersion

    @property
    def basis(self) -> dict[str, Any]:
        return self.local_version.basis

    def citation(self, locale: str = "vi") -> str:
        """"Theo Nghị quyết số 12/2025/NQ-HĐND ngày 10/07/2025 của HĐND tỉnh Quảng Trị"."""
        return basis_citation(self.basis, locale)


@dataclass(frozen=True)
class AppliedProcedure:
    """A procedure as it applies at an office (or nationally when no office was given).

    `document` is read-only (it shares unchanged parts with the stored versions).
    """

    procedure: Procedure
    version: ProcedureVersion
    document: dict[str, Any]
    layers: tuple[LocalVersion, ...] = ()
    local_pointers: dict[str, LocalSource] = field(default_factory=dict)
    office: Office | None = None

    @property
    def cache_key(self) -> tuple[Any, ...]:
        """Identifies this resolved document: the national version and the local versions
        applied (a published version never changes; a new local version has a new id)."""
        return (self.version.id, self.version.document_hash, tuple(layer.id for layer in self.layers))

    @property
    def digest(self) -> str:
        """`cache_key` as one string: stands for the resolved document in caches (PDFs)."""
        version_id, document_hash, layers = self.cache_key
        return f"{document_hash}:{version_id}:{','.join(map(str, layers))}"

    def local_at(self, pointer: str) -> LocalSource | None:
        """The local version that set `pointer` or a place containing it; None = national fact."""
        place = pointer
        while place:
            if place in self.local_pointers:
                return self.local_pointers[place]
            place = place.rpartition("/")[0]
        return None


def scope_keys(office: Office | None) -> list[str]:
    """The scopes whose layers apply at an office, in order: its province, then itself."""
    if office is None:
        return []
    keys = []
    province = getattr(office, "province_code", None)
    if province:
        keys.append(scope_key(province_code=province))
    keys.append(scope_key(office_id=office.id))
    return keys


def _resolve(procedure: Procedure, version: ProcedureVersion, layers: Sequence[LocalVersion],
             office: Office | None = None) -> AppliedProcedure:
    applied = apply_layers(_announced(version), *(layer.overrides for layer in layers))
    sources = {where: LocalSource(layers[index]) for where, index in applied.sources.items()}
    return AppliedProcedure(procedure, version, applied.document, tuple(layers), sources, office)


def _announced(version: ProcedureVersion) -> dict[str, Any]:
    """The version's document with the announcing decision entered at approval as its
    `publication` (a different decision drops the draft's issuer and date, which were its own)."""
    document = version.document
    if not version.decision_number and not version.decision_date:
        return document
    facts = dict(document["x-procedure"])
    publication = dict(facts.get("publication") or {})
    if version.decision_number and version.decision_number != publication.get("decision"):
        publication = {"decision": version.decision_number}
    if version.decision_date:
        publication["date"] = version.decision_date.isoformat()
    facts["publication"] = publication
    return {**document, "x-procedure": facts}


def _ordered(layers: Iterable[LocalVersion], keys: list[str]) -> list[LocalVersion]:
    return sorted(layers, key=lambda layer: keys.index(layer.scope_key))


def procedure_at(session: Session, procedure: Procedure, office: Office | None = None) -> AppliedProcedure | None:
    """The published procedure as it applies at `office` (national when None); None when the
    procedure has no published version. At most two queries (none for the version when the
    procedure's `published_version` is loaded)."""
    version = procedure.published_version
    if version is None:
        return None
    keys = scope_keys(office)
    layers: list[LocalVersion] = []
    if keys:
        layers = _ordered(session.scalars(select(LocalVersion).where(
            LocalVersion.procedure_id == procedure.id, LocalVersion.status == LocalStatus.published,
            LocalVersion.scope_key.in_(keys))), keys)
    return _resolve(procedure, version, layers, office)


def procedures_at(session: Session, procedures: Sequence[Procedure],
                  office: Office | None = None) -> dict[int, AppliedProcedure]:
    """`procedure_at` for many procedures in two queries (booklets, lists); keyed by procedure
    id, unpublished ones left out."""
    published = [p for p in procedures if p.published_version_id is not None]
    if not published:
        return {}
    versions = {v.id: v for v in session.scalars(select(ProcedureVersion).where(
        ProcedureVersion.id.in_([p.published_version_id for p in published])))}
    keys = scope_keys(office)
    by_procedure: dict[int, list[LocalVersion]] = {}
    if keys:
        for layer in session.scalars(select(LocalVersion).where(
                LocalVersion.procedure_id.in_([p.id for p in published]),
                LocalVersion.status == LocalStatus.published, LocalVersion.scope_key.in_(keys))):
            by_procedure.setdefault(layer.procedure_id, []).append(layer)
    return {p.id: _resolve(p, versions[p.published_version_id], _ordered(by_procedure.get(p.id, []), keys), office)
            for p in published if p.published_version_id in versions}


def applied_with(session: Session, local: LocalVersion) -> AppliedProcedure | None:
    """The published procedure with `local` applied (any status), over its province's published
    layer when `local` is an office's: what approving it would give at that office."""
    procedure = local.procedure
    version = procedure.published_version
    if version is None:
        return None
    layers: list[LocalVersion] = []
    if local.office_id is not None:
        province = getattr(local.office, "province_code", None)
        if province:
            layers += session.scalars(select(LocalVersion).where(
                LocalVersion.procedure_id == procedure.id, LocalVersion.status == LocalStatus.published,
                LocalVersion.scope_key == scope_key(province_code=province)))
    return _resolve(procedure, version, [*layers, local], local.office)


# --- stale overrides ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StaleLocalVersion:
    """A published local version written against an older national version whose overridden
    facts changed since."""

    local_version: LocalVersion
    procedure: Procedure
    based_on: int
    current: int
    changes: list[ChangedFact]


def stale_local_versions(session: Session, office_or_province: Office | str) -> list[StaleLocalVersion]:
    """Published local versions of an office (and of its province) or of a province code whose
    overridden facts changed in a newer national version. Three queries."""
    if isinstance(office_or_province, str):
        keys = [scope_key(province_code=office_or_province)]
    else:
        keys = scope_keys(office_or_province)
    return _stale(session, LocalVersion.scope_key.in_(keys))


def stale_for_procedure(session: Session, procedure: Procedure) -> list[StaleLocalVersion]:
    """Every scope's published local versions of one procedure touching changed national facts."""
    return _stale(session, LocalVersion.procedure_id == procedure.id)


def _stale(session: Session, condition: Any) -> list[StaleLocalVersion]:
    rows = session.execute(
        select(LocalVersion, Procedure, ProcedureVersion)
        .join(Procedure, Procedure.id == LocalVersion.procedure_id)
        .join(ProcedureVersion, ProcedureVersion.id == Procedure.published_version_id)
        .where(condition, LocalVersion.status == LocalStatus.published,
               LocalVersion.based_on_version_number != ProcedureVersion.number)
        .order_by(Procedure.code, LocalVersion.scope_key)
    ).all()
    if not rows:
        return []
    pairs = {(local.procedure_id, local.based_on_version_number) for local, _, _ in rows}
    older = {(v.procedure_id, v.number): v for v in session.scalars(select(ProcedureVersion).where(
        tuple_(ProcedureVersion.procedure_id, ProcedureVersion.number).in_(sorted(pairs))))}
    found = []
    for local, procedure, current in rows:
        base = older.get((local.procedure_id, local.based_on_version_number))
        if base is None:
            continue
        changes = changed_facts(base.document, current.document, local.overrides)
        if changes:
            found.append(StaleLocalVersion(local, procedure, base.number, current.number, changes))
    return found


# --- listing -----------------------------------------------------------------------------------

def local_versions(session: Session, procedure: Procedure) -> list[LocalVersion]:
    """Every local version of a procedure, by scope then newest first."""
    return list(session.scalars(select(LocalVersion).where(LocalVersion.procedure_id == procedure.id)
                                .order_by(LocalVersion.scope_key, LocalVersion.number.desc())))


def local_version_of(session: Session, procedure: Procedure, local_id: int) -> LocalVersion | None:
    local = session.get(LocalVersion, local_id)
    return local if local is not None and local.procedure_id == procedure.id else None


def open_local_version(session: Session, procedure: Procedure, key: str) -> LocalVersion | None:
    """The scope's draft or version in review, if any."""
    return session.scalar(select(LocalVersion).where(
        LocalVersion.procedure_id == procedure.id, LocalVersion.scope_key == key,
        LocalVersion.status.in_(OPEN)))


def published_local_version(session: Session, procedure: Procedure, key: str) -> LocalVersion | None:
    return session.scalar(select(LocalVersion).where(
        LocalVersion.procedure_id == procedure.id, LocalVersion.scope_key == key,
        LocalVersion.status == LocalStatus.published))


# --- workflow ----------------------------------------------------------------------------------

def _audit(session: Session, actor: str, action: str, local: LocalVersion, **detail: Any) -> None:
    session.add(AuditEvent(
        actor=actor, action=action, procedure_id=local.procedure_id, version_id=None,
        detail={"local_version": local.id, "scope": local.scope_key, "number": local.number, **detail},
    ))


def _scope(session: Session, office_id: int | None, province_code: str | None) -> str:
    if (office_id is None) == (province_code is None):
        raise WorkflowError("Hãy chọn đúng một phạm vi: một cơ quan tiếp nhận hoặc một tỉnh.",
                            "Choose exactly one scope: an office or a province.")
    if office_id is not None and session.get(Office, office_id) is None:
        raise WorkflowError("Không có cơ quan tiếp nhận này.", "There is no such office.")
    if province_code is not None and not (PROVINCE_CODE.match(province_code) and _on_the_map(province_code)):
        raise WorkflowError(f"Không có tỉnh, thành phố mã '{province_code}' (mã gồm 2 chữ số, ví dụ 44).",
                            f"There is no province with code '{province_code}' (2 digits, e.g. 44).")
    return scope_key(office_id=office_id, province_code=province_code)


def _on_the_map(province_code: str) -> bool:
    """Whether the 2025 map knows the province (any 2-digit code when the map is not installed)."""
    try:
        from catalog.geography import province  # type: ignore[import-not-found]
    except ImportError:
        return True
    return province(province_code) is not None


def save_local_draft(session: Session, procedure: Procedure, overrides: dict[str, Any], *, actor: str,
                     office_id: int | None = None, province_code: str | None = None,
                     expected_lock: int | None = None) -> LocalVersion:
    """Create the scope's draft, or replace the open draft's overrides (a stale `expected_lock`
    raises `DraftConflict`). Checked against the current published document; the draft is
    (re)based on that national version."""
    key = _scope(session, office_id, province_code)
    national = procedure.published_version
    if national is None:
        raise WorkflowError("Thủ tục chưa được công bố nên chưa có phiên bản địa phương.",
                            "The procedure is not published, so it can have no local version.")
    problems = override_problems(overrides, national.document)
    if problems:
        raise InvalidOverrides(problems)
    try:
        check_procedure(apply_layers(national.document, overrides).document)
    except InvalidProcedure as exc:
        raise InvalidOverrides(exc.problems) from exc
    local = open_local_version(session, procedure, key)
    if local is not None and local.status == LocalStatus.in_review:
        raise WorkflowError(f"Phiên bản địa phương {local.number} đang chờ duyệt; hãy duyệt hoặc trả lại trước.",
                            f"Local version {local.number} is in review; approve or send it back first.")
    if local is None:
        number = (session.scalar(select(func.max(LocalVersion.number)).where(
            LocalVersion.procedure_id == procedure.id, LocalVersion.scope_key == key)) or 0) + 1
        local = LocalVersion(procedure=procedure, office_id=office_id, province_code=province_code,
                             scope_key=key, number=number, overrides=overrides, status=LocalStatus.draft,
                             based_on_version_number=national.number, author=actor, updated_by=actor)
        session.add(local)
        try:
            session.flush()
        except IntegrityError as exc:  # someone created the scope's draft at the same moment
            session.rollback()
            raise WorkflowError("Vừa có người khác tạo bản nháp cho phạm vi này; hãy tải lại trang.",
                                "Someone else just created a draft for this scope; reload the page.") from exc
        _audit(session, actor, "local_draft", local, based_on=national.number)
    else:
        if expected_lock is not None and local.lock_version != expected_lock:
            raise DraftConflict(local.number, local.updated_by or local.author, local.lock_version)
        local.overrides = overrides
        local.based_on_version_number = national.number
        local.updated_by = actor
        local.updated_at = utcnow()
        _audit(session, actor, "local_edit", local, based_on=national.number)
    session.commit()
    return local


def _require(local: LocalVersion, status: LocalStatus) -> None:
    if local.status != status:
        labels = {LocalStatus.draft: ("bản nháp", "a draft"), LocalStatus.in_review: ("đang chờ duyệt", "in review"),
                  LocalStatus.published: ("đang áp dụng", "published")}
        vi, en = labels.get(status, (status.value, status.value))
        raise WorkflowError(f"Phiên bản địa phương {local.number} không phải {vi}.",
                            f"Local version {local.number} is not {en}.")


def submit_local(session: Session, local: LocalVersion, *, actor: str) -> LocalVersion:
    """Send a draft for review."""
    _require(local, LocalStatus.draft)
    local.status = LocalStatus.in_review
    local.submitted_by = actor
    local.review_comment = None
    _audit(session, actor, "local_submit", local)
    session.commit()
    return local


def send_back_local(session: Session, local: LocalVersion, *, actor: str, comment: str) -> LocalVersion:
    """Return a version in review to its draft state, with the reviewer's comment."""
    if not comment.strip():
        raise WorkflowError("Hãy ghi lý do trả lại.", "Give a reason for sending it back.")
    _require(local, LocalStatus.in_review)
    local.status = LocalStatus.draft
    local.review_comment = comment.strip()
    _audit(session, actor, "local_send_back", local, comment=comment.strip())
    session.commit()
    return local


def approve_local(session: Session, local: LocalVersion, *, actor: str) -> LocalVersion:
    """An approver publishes the version in review (never their own); the scope's previously
    published local version is superseded."""
    _require(local, LocalStatus.in_review)
    if actor in {local.author, local.submitted_by, local.updated_by}:
        raise WorkflowError("Bạn không thể phê duyệt bản nháp do chính mình soạn.",
                            "You cannot approve a draft you wrote yourself.")
    now = utcnow()
    previous = published_local_version(session, local.procedure, local.scope_key)
    if previous is not None:
        previous.status = LocalStatus.superseded
        previous.ended_at = now
        _audit(session, actor, "local_supersede", previous, superseded_by=local.number)
    local.status = LocalStatus.published
    local.published_at = now
    local.published_by = actor
    _audit(session, actor, "local_publish", local, basis=local.basis.get("number"))
    session.commit()
    return local


def withdraw_local(session: Session, local: LocalVersion, *, actor: str, reason: str) -> LocalVersion:
    """Stop applying a published local version (the national facts apply again)."""
    if not reason.strip():
        raise WorkflowError("Hãy ghi lý do thôi áp dụng.", "Give the reason for withdrawing it.")
    _require(local, LocalStatus.published)
    local.status = LocalStatus.withdrawn
    local.ended_at = utcnow()
    local.ended_reason = reason.strip()
    _audit(session, actor, "local_withdraw", local, reason=reason.strip())
    session.commit()
    return local
