"""The applicant's satisfaction with a dossier (issue 16 §2): one rating per dossier, a score
from 1 to 5 and a comment of at most 1,000 characters, given on the public rating page.

Rule: `rate_dossier` checks the input (each problem is a `RatingRefused` naming its field),
refuses a second rating of the same dossier (also when two arrive at once: the database's
unique key decides), and writes the rating with an audit event `dossier_rated` in one
transaction. The scores' words live in catalog.services.figures.SCORE_LABELS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.db import run_write, utcnow
from catalog.models import AuditEvent, Dossier, DossierRating
from catalog.services.errors import ServiceError

MAX_COMMENT = 1000


class RatingRefused(ServiceError):
    """A rating that cannot be taken; `field` is the form field it concerns."""

    def __init__(self, message_vi: str, message_en: str, field: str = ""):
        super().__init__(message_vi, message_en)
        self.field = field


def rating_of(session: Session, dossier: Dossier) -> DossierRating | None:
    """The rating given to `dossier`, if any."""
    return session.scalar(select(DossierRating).where(DossierRating.dossier_id == dossier.id))


def check_score(score: object) -> int:
    """The score as an int from 1 to 5, or RatingRefused."""
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = 0
    if value not in range(1, 6):
        raise RatingRefused("Vui lòng chọn một mức đánh giá từ 1 đến 5.",
                            "Please choose a rating from 1 to 5.", "score")
    return value


def _already(dossier: Dossier) -> RatingRefused:
    return RatingRefused(f"Hồ sơ {dossier.code} đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.",
                         f"Dossier {dossier.code} has already been rated. Each dossier is rated once.", "score")


def rate_dossier(session: Session, dossier: Dossier, score: object, comment: str = "", *,
                 actor: str = "citizen", at: datetime | None = None) -> DossierRating:
    """Record the one rating of `dossier` (1–5, comment ≤ 1,000 characters), audited."""
    value = check_score(score)
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise RatingRefused(f"Ý kiến dài quá {MAX_COMMENT} ký tự (hiện có {len(text)}).",
                            f"The comment is longer than {MAX_COMMENT} characters ({len(text)}).", "comment")
    if rating_of(session, dossier) is not None:
        raise _already(dossier)
    moment = at or utcnow()
    dossier_id, code = dossier.id, dossier.code
    procedure_id, version_id = dossier.procedure_id, dossier.version_id

    def write(tx: Session) -> int:
        row = DossierRating(dossier_id=dossier_id, score=value, comment=text, at=moment)
        tx.add(row)
        tx.add(AuditEvent(actor=actor, action="dossier_rated", procedure_id=procedure_id,
                          version_id=version_id, at=moment,
                          detail={"dossier": code, "score": value}))
        tx.flush()
        return row.id

    try:
        rating_id = run_write(session, write)
    except IntegrityError:
        session.rollback()
        raise _already(dossier) from None
    rating = session.get(DossierRating, rating_id)
    assert rating is not None
    return rating
