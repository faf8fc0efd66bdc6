"""Sending SMS to citizens: one `Sms` interface; the only implementation today writes to the log.

The rule is the mail's (admin/mail.py): a text message is never what a status change waits on
or fails on. No SMS gateway is wired yet (its provider and contract are the province's choice),
so `LogSms` records what would be sent; a gateway implements `Sms.send` and raises on failure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    """One SMS to one phone number (ASCII text keeps it to one 160-character part)."""

    to: str
    text: str


class Sms(Protocol):
    """What sends a text message; raises on failure."""

    def send(self, message: TextMessage) -> None: ...


class LogSms:
    """Writes the message to the log, and keeps it (`sent`) for whoever looks."""

    def __init__(self) -> None:
        self.sent: list[TextMessage] = []

    def send(self, message: TextMessage) -> None:
        self.sent.append(message)
        log.info("sms (not sent, no gateway) to %s: %s", message.to, message.text)


def sms_for() -> Sms:
    """The SMS sender of this installation (the log only, until a gateway is wired)."""
    return LogSms()
