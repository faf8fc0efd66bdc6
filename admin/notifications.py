"""Telling citizens about their dossier: the `Notifier` of catalog.services.dossier_status, wired
to e-mail (admin/mail.py `send_later`: queued, never waited on) and SMS (admin/sms.py).

What is said lives in catalog.services.dossier_status (`Notice`); this only delivers it. Each
channel is tried on its own: a failure is logged and the other channel still goes; nothing here
raises, so a status change never fails on telling.
"""

from __future__ import annotations

import logging

from admin.mail import Mail, send_later
from admin.sms import Sms, TextMessage, sms_for
from catalog.services.dossier_status import Notice

log = logging.getLogger(__name__)


class CitizenNotifier:
    """E-mail when the application has an address, SMS when it has a phone number."""

    def __init__(self, sms: Sms | None = None) -> None:
        self.sms = sms or sms_for()
        self.queued: list[str] = []  # mail job ids

    def notify(self, notice: Notice) -> None:
        if notice.email:
            try:
                self.queued.append(send_later(Mail(notice.email, notice.subject, notice.text)))
            except Exception:
                log.exception("could not queue the mail about dossier %s", notice.dossier_code)
        if notice.phone:
            try:
                self.sms.send(TextMessage(notice.phone, notice.sms))
            except Exception:
                log.exception("could not send the SMS about dossier %s", notice.dossier_code)
