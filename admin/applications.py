"""Filling a procedure's generated form, wherever it is filled: the citizen site's application
(admin/site/apply.py) and the counter in the back office (admin/backoffice/counter.py).

The rule: both draw the SAME form (the form engine's compiled form of the published version)
and read a post the same way: uploads staged under the form's submission token (as
catalog.services.dossiers.stage_upload does), files already staged kept on every redraw, the
answers decoded and validated with every error under its input. Only what happens next (check
page, draft, counter checklist) differs, and stays with each caller.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app

from catalog.attachments import AttachmentRejected, AttachmentStore
from catalog.db import db
from catalog.models import ProcedureVersion
from catalog.services.dossiers import DEFAULT_MAX_DOSSIER_BYTES, stage_upload, staged_uploads


def attachment_store() -> AttachmentStore:
    """Where dossiers' files are kept (MOTCUA_DATA_DIR/attachments)."""
    return AttachmentStore(Path(current_app.config["MOTCUA_DATA_DIR"]) / "attachments")


def max_dossier_bytes() -> int:
    """The total size a dossier's files may reach."""
    return int(current_app.config.get("MOTCUA_MAX_DOSSIER_BYTES", DEFAULT_MAX_DOSSIER_BYTES))


def compiled_form(version: ProcedureVersion) -> Any:
    """The form engine's compiled form, or None when the engine cannot draw this form.

    Only UnsupportedForm is caught (validation runs the compiler's checks, so a published
    version should never raise it); any other error is a bug and ends as a logged 500.
    """
    try:
        from renderers.forms import UnsupportedForm, compile_form
    except ImportError:
        return None
    try:
        return compile_form(version.document, key=version.document_hash)
    except UnsupportedForm:  # the procedure officer must fix the document
        current_app.logger.exception("form of %s cannot be drawn", version.procedure.code)
        return None


def kept_uploads(token: str) -> dict[str, Any]:
    """Input name -> the file already staged under `token` for it (shown as "Đã tải lên")."""
    from renderers.forms import KeptUpload

    return {a.field: KeptUpload(a.id, a.original_name) for a in staged_uploads(db.session, token)}


def upload_stager(compiled: Any, token: str, kept: dict[str, Any], locale: str
                  ) -> Callable[[str, Any], str]:
    """The form engine's `store_upload`: stage one posted file under `token` with its field's
    rule (types, size) and the dossier's total; a refused file raises the engine's
    UploadRejected with the reason in `locale`, shown under its field. Staged files are added
    to `kept`."""
    from renderers.forms import KeptUpload, UploadRejected

    store = attachment_store()

    def store_upload(name: str, upload: Any) -> str:
        rule = compiled.file_rule(name)
        try:
            stored = stage_upload(
                db.session, store, upload.stream, upload.filename or "", field=name,
                upload_token=token, accept=tuple(rule.accept) if rule else (),
                max_bytes=rule.max_bytes if rule else None, max_dossier_bytes=max_dossier_bytes(),
            )
        except AttachmentRejected as rejected:
            raise UploadRejected(rejected.message(locale)) from rejected
        kept[name] = KeptUpload(stored.id, stored.original_name)
        return stored.id

    return store_upload
