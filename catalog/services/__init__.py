"""Services: each public function validates, then acts, in one transaction it commits."""

from catalog.services.errors import DraftConflict, WorkflowError
from catalog.services.national import (
    NationalUpdate,
    SyncOutcome,
    SyncResult,
    dismiss_national_update,
    merge_national_update,
    national_update,
    sync_national,
)
from catalog.services.procedures import (
    ImportOutcome,
    abolish,
    approve_and_publish,
    current_document,
    import_document,
    new_draft,
    publish,
    save_draft,
    send_back,
    submit_for_review,
)
from catalog.services.search import SearchPage, search_procedures

__all__ = [
    "DraftConflict", "ImportOutcome", "NationalUpdate", "SearchPage", "SyncOutcome", "SyncResult",
    "WorkflowError", "abolish", "approve_and_publish", "current_document", "dismiss_national_update",
    "import_document", "merge_national_update", "national_update", "new_draft", "publish",
    "save_draft", "search_procedures", "send_back", "submit_for_review", "sync_national",
]
