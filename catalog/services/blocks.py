"""The question library: built-in blocks plus the ones officers saved; inserting a block,
detaching it and copying another procedure's form into a draft.

The rule: the library is `form_schemas.blocks.builtin_blocks` (drawn over the 2025 map of
catalog/geography.py, the offices' own data) followed by the saved `LibraryBlock` rows, and
"documents" (one upload per submitted document of the draft itself). Every change to a draft
goes through `save_draft` (validated, optimistic lock, audit "edit"); saving and deleting a
library block write their own audit events. Each function takes the session and commits.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import geography
from catalog.models import AuditEvent, LibraryBlock, Procedure, ProcedureVersion
from catalog.services.errors import ServiceError
from catalog.services.history import NotFound, latest_version, procedure_by_code
from catalog.services.procedures import save_draft
from form_schemas import blocks
from form_schemas.kinds import BuilderError
from form_schemas.validation import validate_procedure

DOCUMENTS = blocks.DOCUMENTS_KEY


class BlockError(ServiceError):
    """A library action that cannot be applied; nothing changed."""


def _refused(exc: BuilderError) -> BlockError:
    return BlockError(exc.message_vi, exc.message_en)


@cache
def places() -> tuple[blocks.Province, ...]:
    """The 34 provinces and their communes, from catalog.geography (the offices' map)."""
    return tuple(
        blocks.Province(p.code, p.name, tuple(blocks.Commune(c.code, c.name) for c in geography.communes(p.code)))
        for p in geography.provinces())


@cache
def _builtins() -> tuple[blocks.Block, ...]:
    return tuple(blocks.builtin_blocks(places()))


def saved_blocks(session: Session) -> list[LibraryBlock]:
    """The saved blocks, newest first."""
    return list(session.scalars(select(LibraryBlock).order_by(LibraryBlock.id.desc())))


def _as_block(row: LibraryBlock) -> blocks.Block:
    return blocks.Block(f"saved-{row.id}", row.title, row.description, row.field_name, row.field_title,
                        row.root, row.definitions, required=row.required)


def library(session: Session) -> list[tuple[str, str, str]]:
    """(key, title, description) of every block the library offers, built-ins first."""
    entries = [(b.key, b.title, b.description) for b in _builtins()]
    entries.append((DOCUMENTS, blocks.DOCUMENTS_TITLE, blocks.DOCUMENTS_DESCRIPTION))
    entries += [(f"saved-{row.id}", row.title, row.description) for row in saved_blocks(session)]
    return entries


def block_for(session: Session, key: str, document: dict[str, Any]) -> blocks.Block:
    """The block `key` names, for inserting into `document`."""
    if key == DOCUMENTS:
        try:
            return blocks.document_uploads_block(document)
        except BuilderError as exc:
            raise _refused(exc) from None
    for block in _builtins():
        if block.key == key:
            return block
    if key.startswith("saved-") and key[6:].isdigit():
        row = session.get(LibraryBlock, int(key[6:]))
        if row is not None:
            return _as_block(row)
    raise BlockError(f"Không có khối «{key}» trong thư viện.", f"There is no block '{key}' in the library.")


def insert_into_draft(session: Session, version: ProcedureVersion, key: str, parent: str = "", *,
                      expected_lock: int, actor: str) -> str:
    """Insert a library block into the draft's group `parent`; returns the new field's path."""
    block = block_for(session, key, version.document)
    try:
        document, path = blocks.insert_block(version.document, block, parent)
    except BuilderError as exc:
        raise _refused(exc) from None
    save_draft(session, version, document, expected_lock=expected_lock, actor=actor)
    return path


def detach_in_draft(session: Session, version: ProcedureVersion, path: str, *, expected_lock: int,
                    actor: str) -> str:
    """"Tách khỏi mẫu": the block at `path` becomes the draft's own fields, editable in the builder."""
    try:
        document = blocks.detach(version.document, path)
    except BuilderError as exc:
        raise _refused(exc) from None
    save_draft(session, version, document, expected_lock=expected_lock, actor=actor)
    return path


def source_document(procedure: Procedure) -> dict[str, Any]:
    """The form another procedure offers to copy: its published version, else its newest."""
    version = procedure.published_version or latest_version(procedure)
    if version is None:
        raise BlockError("Thủ tục này chưa có phiên bản nào.", "This procedure has no version yet.")
    return version.document


def copy_form_into_draft(session: Session, version: ProcedureVersion, source_code: str, *,
                         expected_lock: int, actor: str) -> None:
    """Replace the draft's form by the form of procedure `source_code` (facts kept)."""
    try:
        source = procedure_by_code(session, source_code.strip())
    except NotFound:
        raise BlockError(f"Không có thủ tục mã «{source_code.strip()}».",
                         f"There is no procedure with code '{source_code.strip()}'.") from None
    document = blocks.copy_form(version.document, source_document(source))
    save_draft(session, version, document, expected_lock=expected_lock, actor=actor)


def _audit(session: Session, actor: str, action: str, procedure: Procedure | None, **detail: Any) -> None:
    session.add(AuditEvent(actor=actor, action=action, detail=detail,
                           procedure_id=procedure.id if procedure else None))


def save_group_as_block(session: Session, code: str, path: str, title: str, *, actor: str,
                        description: str = "") -> LibraryBlock:
    """Save the group at `path` of procedure `code` (its newest version) as a library block."""
    try:
        procedure = procedure_by_code(session, code.strip())
    except NotFound:
        raise BlockError(f"Không có thủ tục mã «{code.strip()}».",
                         f"There is no procedure with code '{code.strip()}'.") from None
    version = latest_version(procedure)
    if version is None:
        raise BlockError("Thủ tục này chưa có phiên bản nào.", "This procedure has no version yet.")
    try:
        block = blocks.group_as_block(version.document, path.strip(), title, description.strip())
        trial, _ = blocks.insert_block(_blank(), block)
    except BuilderError as exc:
        raise _refused(exc) from None
    problems = validate_procedure(trial)
    if problems:
        first = problems[0]
        raise BlockError(f"Nhóm này không dùng được làm khối: {first.pointer} {first.message_vi}",
                         f"This group cannot be a block: {first.pointer} {first.message_en}")
    row = LibraryBlock(title=block.title, description=block.description, field_name=block.field_name,
                       field_title=block.field_title, root=block.root, definitions=dict(block.defs),
                       required=True, source_code=procedure.code, source_path=path.strip(), created_by=actor)
    session.add(row)
    session.flush()
    _audit(session, actor, "block_save", procedure, block=row.id, title=row.title, path=row.source_path)
    session.commit()
    return row


def delete_block(session: Session, block_id: int, *, actor: str) -> None:
    """Remove a saved block from the library (forms that used it keep their copy)."""
    row = session.get(LibraryBlock, block_id)
    if row is None:
        raise BlockError("Khối này không còn trong thư viện.", "This block is no longer in the library.")
    _audit(session, actor, "block_delete", None, block=row.id, title=row.title)
    session.delete(row)
    session.commit()


def _blank() -> dict[str, Any]:
    from form_schemas.builder import new_document

    return new_document("THU-KHOI-001", "Thử khối", "Thử")
