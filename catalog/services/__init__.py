"""Services: each public function validates, then acts, in one transaction it commits."""

from catalog.services.errors import DraftConflict, WorkflowError
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
    "DraftConflict", "ImportOutcome", "SearchPage", "WorkflowError", "abolish",
    "approve_and_publish", "current_document", "import_document", "new_draft", "publish",
    "save_draft", "search_procedures", "send_back", "submit_for_review",
]
