"""Telling citizens about their dossier: the `Notifier` of catalog.services.dossier_status, wired
to e-mail (admin/mail.py `send_later`: queued, never waited on) and SMS (admin/sms.py).

What is said lives in catalog.services.dossier_status (`Notice`); this only delivers it. Each
channel gets its row in the notification log (catalog.services.notifications) before it is
sent: the mail job marks its row sent or failed after its retries, an SMS is marked at once.
Each channel is tried on its own: a failure is logged (and its row marked failed) and the other
channel still goes; nothing here raises, so a status change never fails on telling. `resend`
is the desk's "Gửi lại" for one failed row.

The one thing added here: the result-ready message invites the citizen to rate the dossier
with the link of its rating page (catalog cannot build addresses). The link is made on the
request's address or PUBLIC_BASE_URL, never a guessed one (no link without either); the SMS
carries it only when it still fits one message of SMS_LIMIT characters.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from flask import current_app, has_request_context

from admin.mail import Mail, send_later
from admin.sms import Sms, TextMessage, sms_for
from catalog.db import db
from catalog.models import Notification
from catalog.services import notifications
from catalog.services.dossier_status import Notice

log = logging.getLogger(__name__)
SMS_LIMIT = 160
"""One SMS of ASCII text."""


def _rating_link(code: str) -> str | None:
    """The rating page of dossier `code` with its token; None when no true address is known."""
    from admin.site.dossiers import rating_link
    from catalog.services.dossiers import dossier_by_code

    try:
        found = dossier_by_code(db.session, code)
        if found is None or not found.tracking_token:
            return None
        if has_request_context():
            return rating_link(found)
        base = current_app.config.get("PUBLIC_BASE_URL")
        if not base:
            return None
        with current_app.test_request_context(base_url=base):
            return rating_link(found)
    except Exception:  # the message still goes, without the link
        db.session.rollback()
        log.exception("could not make the rating link of dossier %s", code)
        return None


def with_rating_invitation(notice: Notice) -> Notice:
    """The result-ready notice with the invitation to rate the dossier; any other unchanged."""
    if notice.move != "result_ready":
        return notice
    link = _rating_link(notice.dossier_code)
    if link is None:
        return notice
    text = f"{notice.text}\nMời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ tại: {link}\n"
    sms = f"{notice.sms} Moi danh gia: {link}"
    return replace(notice, text=text, sms=sms if len(sms) <= SMS_LIMIT and sms.isascii() else notice.sms)


def _record(notice: Notice, channel: str, recipient: str, subject: str, body: str) -> int | None:
    try:
        return notifications.record(db.session, dossier_code=notice.dossier_code, channel=channel,
                                    recipient=recipient, subject=subject, body=body, move=notice.move)
    except Exception:  # the log is lost, the message still goes
        db.session.rollback()
        log.exception("could not log the %s about dossier %s", channel, notice.dossier_code)
        return None


def _send_sms(sms: Sms, notification_id: int | None, to: str, text: str) -> bool:
    """Send one SMS and mark its row; False when the gateway refused it."""
    try:
        sms.send(TextMessage(to, text))
    except Exception as error:
        log.exception("could not send the SMS to %s", to)
        if notification_id is not None:
            _mark(notifications.mark_failed, notification_id, f"{type(error).__name__}: {error}", 1)
        return False
    if notification_id is not None:
        _mark(notifications.mark_sent, notification_id, 1)
    return True


def _mark(function, notification_id: int, *args: object) -> None:  # type: ignore[no-untyped-def]
    try:
        function(db.session, notification_id, *args)
    except Exception:
        db.session.rollback()
        log.exception("could not record the outcome of notification %s", notification_id)


class CitizenNotifier:
    """E-mail when the application has an address, SMS when it has a phone number."""

    def __init__(self, sms: Sms | None = None) -> None:
        self.sms = sms or sms_for()
        self.queued: list[str] = []  # mail job ids

    def notify(self, notice: Notice) -> None:
        notice = with_rating_invitation(notice)
        if notice.email:
            row = _record(notice, "email", notice.email, notice.subject, notice.text)
            try:
                self.queued.append(send_later(Mail(notice.email, notice.subject, notice.text), row))
            except Exception:
                log.exception("could not queue the mail about dossier %s", notice.dossier_code)
        if notice.phone:
            row = _record(notice, "sms", notice.phone, "", notice.sms)
            _send_sms(self.sms, row, notice.phone, notice.sms)


def resend(notification_id: int, offices: Sequence[int] | None, sms: Sms | None = None) -> Notification | None:
    """Send a failed notification again (the same row: queued, then sent or failed); None when
    there is no failed notification with this id at `offices` (None: every office)."""
    row = notifications.requeue(db.session, notification_id, offices)
    if row is None:
        return None
    if row.channel == "email":
        send_later(Mail(row.recipient, row.subject, row.body), row.id)
    else:
        _send_sms(sms or sms_for(), row.id, row.recipient, row.body)
    return row
