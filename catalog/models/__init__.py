"""SQLAlchemy models; importing this package registers every table on `Model.metadata`."""

from flask_appbuilder.security.sqla import models as _security_models  # noqa: F401

from catalog.models.audit import AuditEvent
from catalog.models.blocks import LibraryBlock
from catalog.models.calendar import CalendarDay
from catalog.models.dossiers import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierRating,
    DossierSequence,
    Notification,
    Payment,
)
from catalog.models.drafts import DraftApplication
from catalog.models.local_versions import LocalStatus, LocalVersion
from catalog.models.national import NationalRecord
from catalog.models.offices import (
    Office,
    OfficeDayOff,
    OfficeLevel,
    OfficeProcedure,
    OfficeRule,
    OfficeStaff,
)
from catalog.models.postings import Posting
from catalog.models.procedures import (
    Agency,
    Procedure,
    ProcedureVersion,
    Sector,
    VersionStatus,
)
from catalog.models.search import SearchDocument, SearchWord
from catalog.models.undo import UndoStep

__all__ = [
    "Agency", "Attachment", "AuditEvent", "CalendarDay", "Dossier", "DossierEvent",
    "DossierRating", "DossierSequence", "DraftApplication", "LibraryBlock", "LocalStatus", "LocalVersion", "NationalRecord",
    "Notification", "Office", "OfficeDayOff",
    "OfficeLevel", "OfficeProcedure", "OfficeRule", "OfficeStaff", "Payment", "Posting", "Procedure",
    "ProcedureVersion", "SearchDocument", "SearchWord", "Sector", "UndoStep",
    "VersionStatus",
]
