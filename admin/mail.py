"""Sending e-mail: one `Mailer` interface, SMTP when MOTCUA_SMTP_URL is set, the log otherwise.

The rule: nothing a citizen does waits on a mail server. `send_later` puts the message on the
job queue (admin/jobs.py: RQ with Redis, a local thread otherwise) and returns at once; the job
sends it with the app's mailer and retries a few times; a server that stays down makes the job
fail (logged), never the request that asked for the mail, and whatever the mail was about
(a draft, a notification) is already saved. A mail about a dossier carries the id of its
`Notification` row, which the job marks sent or failed (the desk lists failed ones). Any part of the app that writes to people (drafts'
resume links; issue 16's notifications) sends through here.

`MOTCUA_SMTP_URL`: `smtp://[user:password@]host[:port]` (plain, upgraded with STARTTLS when
`?starttls=1`), or `smtps://…` (TLS from the start, port 465 by default). `MOTCUA_MAIL_FROM`
is the sender (default `no-reply@motcua.local`). Without a URL the log-only mailer writes the
message to the application log (development, tests that do not look at mail).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app

log = logging.getLogger(__name__)
DEFAULT_SENDER = "no-reply@motcua.local"
SENDER_NAME = "Cổng dịch vụ công Một cửa"
TIMEOUT = 10  # seconds for connecting to and talking with the SMTP server
ATTEMPTS = 3
RETRY_PAUSE = 2.0  # seconds between attempts (grows: 2, 4)


@dataclass(frozen=True)
class Mail:
    """One plain-text message to one address."""

    to: str
    subject: str
    text: str


class Mailer(Protocol):
    """What sends a message; raises on failure (the job queue logs and reports it)."""

    def send(self, mail: Mail) -> None: ...


class LogMailer:
    """The default without MOTCUA_SMTP_URL: the message goes to the log, nowhere else."""

    def __init__(self, sender: str = DEFAULT_SENDER) -> None:
        self.sender = sender

    def send(self, mail: Mail) -> None:
        log.info("mail (not sent, no MOTCUA_SMTP_URL) from %s to %s: %s\n%s",
                 self.sender, mail.to, mail.subject, mail.text)


class SmtpMailer:
    """Sends through the SMTP server of an smtp:// or smtps:// URL."""

    def __init__(self, url: str, sender: str = DEFAULT_SENDER, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"MOTCUA_SMTP_URL must be smtp://host:port or smtps://host:port, not {url!r}")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.sender = sender
        self.timeout = timeout

    def message(self, mail: Mail) -> EmailMessage:
        """The MIME message (UTF-8 subject and body)."""
        message = EmailMessage()
        message["From"] = formataddr((SENDER_NAME, self.sender))
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(mail.text)
        return message

    def send(self, mail: Mail) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP = (smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
                                if self.tls else smtplib.SMTP(self.host, self.port, timeout=self.timeout))
        with client:
            if self.starttls:
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password or "")
            client.send_message(self.message(mail))


def mailer_for(app: Flask | None = None) -> Mailer:
    """The mailer the app's configuration names."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    sender = app.config.get("MOTCUA_MAIL_FROM") or DEFAULT_SENDER
    url = app.config.get("MOTCUA_SMTP_URL") or ""
    return SmtpMailer(url, sender) if url else LogMailer(sender)


def _log_outcome(notification_id: int | None, attempts: int, error: str | None) -> None:
    """Mark the notification row (catalog.services.notifications) sent or failed; a log that
    cannot be written is logged, never raised (the mail's outcome stands)."""
    if notification_id is None:
        return
    from catalog.db import db
    from catalog.services import notifications

    try:
        if error is None:
            notifications.mark_sent(db.session, notification_id, attempts)
        else:
            notifications.mark_failed(db.session, notification_id, error, attempts)
    except Exception:
        db.session.rollback()
        log.exception("could not record the outcome of notification %s", notification_id)


def deliver(to: str, subject: str, text: str, notification_id: int | None = None) -> str:
    """The job: send one message with the job app's mailer, retrying a server that fails, and
    mark its notification row (when given) sent or failed. Raises after the last attempt (the
    queue logs the failure)."""
    from admin.jobs import job_app

    mail = Mail(to, subject, text)
    app = job_app()
    with app.app_context():
        mailer = mailer_for(app)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                mailer.send(mail)
            except (OSError, smtplib.SMTPException) as error:
                if attempt == ATTEMPTS:
                    _log_outcome(notification_id, attempt, f"{type(error).__name__}: {error}")
                    raise
                log.warning("mail to %s failed (attempt %s of %s), retrying", to, attempt, ATTEMPTS)
                time.sleep(RETRY_PAUSE * attempt)
            else:
                _log_outcome(notification_id, attempt, None)
                return "sent"
    return "unreachable"


def send_later(mail: Mail, notification_id: int | None = None) -> str:
    """Queue `mail` and return its job id at once; never raises for a mail server problem
    (a queue that cannot take the job is logged, the mail dropped and its notification row,
    when given, marked failed: the desk can send it again)."""
    from admin.jobs import ensure_job

    job_id = f"mail-{uuid.uuid4().hex}"
    try:
        ensure_job(job_id, deliver, mail.to, mail.subject, mail.text, notification_id, total=1)
    except Exception as error:  # e.g. Redis down: the mail is lost, what it was about is not
        log.exception("could not queue the mail to %s", mail.to)
        _log_outcome(notification_id, 0, f"không đưa được vào hàng đợi: {error}")
    return job_id
