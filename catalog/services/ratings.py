"""Satisfaction ratings (issue 16 §2): the applicant rates one dossier once, 1 to 5, with an
optional comment, from the page the QR code on the receipt and the result opens.

A rating is refused (RatingRefused, Vietnamese + English) when the score is not 1–5, the comment
is over `COMMENT_LIMIT` characters, or the dossier already has one (also when two posts race:
the rating's dossier is unique). Every rating writes an audit event `dossier_rated`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.db import run_write, utcnow
from catalog.models import AuditEvent, Dossier, DossierRating
from catalog.services.errors import ServiceError

COMMENT_LIMIT = 1000
# score -> (Vietnamese, English), the words the page offers
SCORES: dict[int, tuple[str, str]] = {
    1: ("Rất không hài lòng", "Very dissatisfied"),
    2: ("Không hài lòng", "Dissatisfied"),
    3: ("Bình thường", "Neither"),
    4: ("Hài lòng", "Satisfied"),
    5: ("Rất hài lòng", "Very satisfied"),
}


class RatingRefused(ServiceError):
    """The rating cannot be stored as sent; the message says why."""


def rating_of(session: Session, dossier: Dossier) -> DossierRating | None:
    """The dossier's rating, None when it has none yet."""
    return session.scalar(select(DossierRating).where(DossierRating.dossier_id == dossier.id))


def rate_dossier(session: Session, dossier: Dossier, score: int | str | None, comment: str = "", *,
                 actor: str = "Người nộp hồ sơ") -> DossierRating:
    """Store the applicant's one rating of `dossier`."""
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = 0
    if value not in SCORES:
        raise RatingRefused("Vui lòng chọn một mức đánh giá từ 1 đến 5.", "Please choose a rating from 1 to 5.")
    text = (comment or "").strip()
    if len(text) > COMMENT_LIMIT:
        raise RatingRefused(f"Góp ý dài quá {COMMENT_LIMIT} ký tự.", f"The comment is over {COMMENT_LIMIT} characters.")
    already = RatingRefused("Hồ sơ này đã được đánh giá. Cảm ơn bạn.", "This dossier has already been rated. Thank you.")
    if rating_of(session, dossier) is not None:
        raise already
    dossier_id, code = dossier.id, dossier.code

    def write(tx: Session) -> int:
        rating = DossierRating(dossier_id=dossier_id, score=value, comment=text, at=utcnow())
        tx.add(rating)
        tx.add(AuditEvent(actor=actor, action="dossier_rated", procedure_id=dossier.procedure_id,
                          detail={"dossier": code, "score": value}))
        tx.flush()
        return rating.id

    try:
        rating_id = run_write(session, write)
    except IntegrityError:
        session.rollback()
        raise already from None
    rating = session.get(DossierRating, rating_id)
    assert rating is not None
    return rating
