"""The log of messages to citizens (catalog.models.Notification): one row per channel and notice.

The rule: a row is written ("queued") before anything is sent, so a message that never leaves
is still on record; the sender marks it "sent" or "failed" (with the error and the attempts
used). The desk lists the failed ones of its offices and can queue one again (`requeue`: the
same row, back to "queued"). Nothing here sends: admin/notifications.py does, through
admin/mail.py and admin/sms.py. A failure to log never touches the dossier's status.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from catalog.db import run_write, utcnow
from catalog.models import Dossier, Notification

CHANNELS = ("email", "sms")
MAX_ERROR = 2000  # characters of an error kept


def record(session: Session, *, dossier_code: str, channel: str, recipient: str, subject: str = "",
           body: str = "", move: str = "") -> int:
    """Write a queued notification for dossier `dossier_code` and return its id."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == dossier_code))

    def write(tx: Session) -> int:
        row = Notification(dossier_id=dossier_id, channel=channel, recipient=recipient[:255],
                           subject=subject[:255], body=body, move=move[:32], status="queued",
                           attempts=0, error="", created_at=utcnow())
        tx.add(row)
        tx.flush()
        return row.id

    return run_write(session, write)


def _update(session: Session, notification_id: int, **values: object) -> None:
    def write(tx: Session) -> None:
        row = tx.get(Notification, notification_id, populate_existing=True)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)

    run_write(session, write)


def mark_sent(session: Session, notification_id: int, attempts: int = 1) -> None:
    """The message left: status sent, when, after how many attempts."""
    _update(session, notification_id, status="sent", sent_at=utcnow(), attempts=attempts, error="")


def mark_failed(session: Session, notification_id: int, error: str, attempts: int = 1) -> None:
    """Every attempt failed: status failed, the last error, the attempts used."""
    _update(session, notification_id, status="failed", error=(error or "lỗi không rõ")[:MAX_ERROR],
            attempts=attempts)


def requeue(session: Session, notification_id: int, offices: Sequence[int] | None = None) -> Notification | None:
    """A failed notification back to queued (the desk's "Gửi lại"); None when there is no failed
    one with this id at `offices` (None: any office)."""
    row = session.scalar(_failed(offices).where(Notification.id == notification_id))
    if row is None:
        return None
    _update(session, notification_id, status="queued", error="")
    session.refresh(row)
    return row


def _failed(offices: Sequence[int] | None):  # type: ignore[no-untyped-def]
    stmt = (select(Notification).join(Dossier, Notification.dossier_id == Dossier.id)
            .where(Notification.status == "failed")
            .options(joinedload(Notification.dossier)))
    if offices is not None:
        stmt = stmt.where(Dossier.office_id.in_(list(offices)))
    return stmt


def failed_for(session: Session, offices: Sequence[int] | None, limit: int = 200) -> list[Notification]:
    """The failed notifications of dossiers at `offices` (None: every office), newest first."""
    if offices is not None and not offices:
        return []
    stmt = _failed(offices).order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def of_dossier(session: Session, dossier_id: int) -> list[Notification]:
    """Every notification about one dossier, oldest first."""
    return list(session.scalars(select(Notification).where(Notification.dossier_id == dossier_id)
                                .order_by(Notification.created_at, Notification.id)))
