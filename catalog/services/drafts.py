"""Draft applications ("Lưu để làm tiếp"): save a partly filled form, resume it from a secret
link, expire and purge it with its files.

The rules: a draft is saved as typed (no validation: it is unfinished); its files are the
uploads staged under the form's submission token, which the draft keeps, so resuming the form
with that token finds them and `purge_abandoned_uploads` leaves them alone while the draft
lives. The resume secret is shown once (page, e-mail) and only its SHA-256 is stored; saving
the same form again replaces the secret (the older link stops working). A draft expires
`days` after its last save and `purge_expired_drafts` then removes it and its staged files.
A draft filed against an older version of the procedure resumes on the published one keeping
each answer that still fits its field there (`carry_over`), naming the fields that are new.

Every write is one short `run_write` transaction with an audit event; files are deleted only
after the rows' transaction committed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.attachments import AttachmentStore
from catalog.db import run_write, utcnow
from catalog.models import Attachment, AuditEvent, Dossier, DraftApplication, ProcedureVersion
from catalog.services.dossiers import CITIZEN_ACTOR, TOKEN_PATTERN, AlreadySubmitted, staged_uploads
from form_schemas import reader
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.kinds import kind_of
from form_schemas.regexes import re2_validator_class

DEFAULT_DRAFT_DAYS = 30
SECRET_PATTERN_LENGTH = (32, 128)


def hash_secret(secret: str) -> str:
    """What is stored of a resume secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class SavedDraft:
    """A saved draft and the secret of its resume link (shown once, never stored)."""

    draft_id: int
    secret: str
    expires_at: datetime
    files: int


def save_draft(
    session: Session,
    version: ProcedureVersion,
    instance: Mapping[str, Any],
    *,
    upload_token: str,
    office_id: int | None = None,
    result_by_post: bool = False,
    email: str = "",
    days: int = DEFAULT_DRAFT_DAYS,
    now: datetime | None = None,
) -> SavedDraft:
    """Save (or save again) the application of form `upload_token` as a draft with a new resume
    secret, expiring `days` from now. Raises AlreadySubmitted when the token already made a
    dossier, ValueError for a malformed token, DatabaseBusy when the database stays locked."""
    if not TOKEN_PATTERN.fullmatch(upload_token or ""):
        raise ValueError("invalid upload token")
    secret = secrets.token_urlsafe(32)
    moment = now or utcnow()
    expires = moment + timedelta(days=max(1, int(days)))
    version_id, procedure_id = version.id, version.procedure_id
    data = dict(instance)
    email = (email or "").strip()[:255]

    def write(tx: Session) -> tuple[int, int]:
        done = tx.scalar(select(Dossier.code).where(Dossier.submission_token == upload_token))
        if done is not None:
            raise AlreadySubmitted(done)
        draft = tx.scalar(select(DraftApplication).where(DraftApplication.upload_token == upload_token))
        if draft is None:
            draft = DraftApplication(upload_token=upload_token, created_at=moment)
            tx.add(draft)
        draft.token_hash = hash_secret(secret)
        draft.procedure_id, draft.version_id = procedure_id, version_id
        draft.office_id, draft.result_by_post = office_id, result_by_post
        draft.data, draft.email = data, email
        draft.updated_at, draft.expires_at = moment, expires
        tx.flush()
        files = len(staged_uploads(tx, upload_token))
        tx.add(AuditEvent(actor=CITIZEN_ACTOR, action="draft_save", procedure_id=procedure_id,
                          version_id=version_id, at=moment,
                          detail={"draft_id": draft.id, "files": files, "expires_at": expires.isoformat()}))
        return draft.id, files

    draft_id, files = run_write(session, write)
    return SavedDraft(draft_id, secret, expires, files)


def draft_by_secret(session: Session, secret: str, *, now: datetime | None = None) -> DraftApplication | None:
    """The live draft whose resume link carries `secret`; None when unknown or expired."""
    low, high = SECRET_PATTERN_LENGTH
    if not isinstance(secret, str) or not low <= len(secret) <= high:
        return None
    return session.scalar(select(DraftApplication).where(
        DraftApplication.token_hash == hash_secret(secret),
        DraftApplication.expires_at > (now or utcnow()),
    ))


def draft_by_upload_token(session: Session, upload_token: str) -> DraftApplication | None:
    """The draft saved from the form with this submission token, expired or not."""
    if not TOKEN_PATTERN.fullmatch(upload_token or ""):
        return None
    return session.scalar(select(DraftApplication).where(DraftApplication.upload_token == upload_token))


def discard_draft(session: Session, upload_token: str) -> bool:
    """Forget the draft of form `upload_token` once its dossier is made (its files now belong
    to the dossier). True when there was one."""
    if not TOKEN_PATTERN.fullmatch(upload_token or ""):
        return False
    if session.scalar(select(DraftApplication.id).where(DraftApplication.upload_token == upload_token)) is None:
        return False  # most forms were never saved: no write transaction for them

    def write(tx: Session) -> bool:
        draft = tx.scalar(select(DraftApplication).where(DraftApplication.upload_token == upload_token))
        if draft is None:
            return False
        tx.add(AuditEvent(actor=CITIZEN_ACTOR, action="draft_submit", procedure_id=draft.procedure_id,
                          version_id=draft.version_id, detail={"draft_id": draft.id}))
        # one statement: a racing post of the same form that removed it first is no error
        tx.execute(delete(DraftApplication).where(DraftApplication.id == draft.id)
                   .execution_options(synchronize_session=False))
        return True

    return run_write(session, write)


@dataclass(frozen=True)
class PurgedDrafts:
    drafts: int
    files: int


def purge_expired_drafts(session: Session, store: AttachmentStore, *, now: datetime | None = None
                         ) -> PurgedDrafts:
    """Remove drafts past their expiry and the files staged under them (rows first, committed,
    then the files)."""
    moment = now or utcnow()

    def write(tx: Session) -> tuple[int, list[str]]:
        expired = list(tx.scalars(select(DraftApplication).where(DraftApplication.expires_at <= moment)))
        if not expired:
            return 0, []
        tokens = [draft.upload_token for draft in expired]
        ids = list(tx.scalars(select(Attachment.id).where(
            Attachment.upload_token.in_(tokens), Attachment.dossier_id.is_(None))))
        if ids:
            tx.execute(delete(Attachment).where(Attachment.id.in_(ids), Attachment.dossier_id.is_(None))
                       .execution_options(synchronize_session=False))
        tx.execute(delete(DraftApplication).where(DraftApplication.id.in_([d.id for d in expired]))
                   .execution_options(synchronize_session=False))
        tx.add(AuditEvent(actor="system", action="draft_purge",
                          detail={"drafts": len(expired), "files": len(ids)}))
        return len(expired), ids

    count, ids = run_write(session, write)
    for attachment_id in ids:
        store.delete(attachment_id)
    session.rollback()  # detach what the purge loaded
    return PurgedDrafts(count, len(ids))


# --- resuming on a newer version -----------------------------------------------------------


@dataclass(frozen=True)
class Resumed:
    """A draft's answers as they fit the procedure's current form."""

    instance: dict[str, Any]
    new_fields: list[str] = field(default_factory=list)  # labels of fields the draft's version lacked
    dropped: list[str] = field(default_factory=list)  # labels of answers that no longer fit


def _label(schema: Mapping[str, Any], name: str) -> str:
    return str(schema.get("title") or name)


def _fits(schema: Mapping[str, Any], value: Any) -> bool:
    """Whether one answer is valid for one field on its own (its own keywords, formats)."""
    leaf = {k: v for k, v in schema.items() if k not in ("$defs", "definitions")}
    try:
        return bool(re2_validator_class()(leaf, format_checker=FORMAT_CHECKER).is_valid(value))
    except Exception:  # a field whose schema cannot be checked alone: the answer is not carried
        return False


_MISSING = object()


def _carry(document: Mapping[str, Any], schema: Any, value: Any, label: str, dropped: list[str]) -> Any:
    node = reader.resolve(document, schema)
    kind = kind_of(node, document)
    name = kind.name if kind is not None else None
    if name in ("group", "alternatives"):
        if not isinstance(value, Mapping):
            dropped.append(label)
            return _MISSING
        props = node.get("properties") if name == "group" else \
            reader.block_properties(node, value, reader.definitions(document))
        if not isinstance(props, Mapping) or not props:
            dropped.append(label)
            return _MISSING
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key not in props:
                dropped.append(key)
                continue
            sub = reader.resolve(document, props[key])
            kept = _carry(document, props[key], item, _label(sub, key), dropped)
            if kept is not _MISSING:
                out[key] = kept
        return out
    if name == "repeat" and isinstance(node.get("items"), Mapping):
        if not isinstance(value, list):
            dropped.append(label)
            return _MISSING
        items = reader.resolve(document, node["items"])
        carried = [_carry(document, items, item, label, dropped) for item in value]
        return [item for item in carried if item is not _MISSING]
    if _fits(node, value):
        return value
    dropped.append(label)
    return _MISSING


def carry_over(old_document: Mapping[str, Any], new_document: Mapping[str, Any],
               instance: Mapping[str, Any]) -> Resumed:
    """The draft `instance` (filed against `old_document`) on `new_document`: every answer that
    is valid for the same field there is kept, the others dropped; fields the new form has and
    the old did not are named."""
    dropped: list[str] = []
    carried = _carry(new_document, new_document, dict(instance or {}), "", dropped)
    old_paths = {ref.path for ref in reader.walk(old_document)}
    new_fields = []
    for ref in reader.walk(new_document):
        parent_is_new = ref.parent and ref.parent not in old_paths
        if ref.path not in old_paths and not parent_is_new:
            new_fields.append(_label(ref.resolved, ref.name))
    return Resumed(carried if isinstance(carried, dict) else {}, new_fields, dropped)
