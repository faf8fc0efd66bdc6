"""Sending e-mail: one `Mailer` interface, SMTP when MOTCUA_SMTP_URL is set, the log otherwise.

The rule: nothing a citizen does waits on a mail server. `send_later` puts the message on the
job queue (admin/jobs.py: RQ with Redis, a local thread otherwise) and returns at once; the job
sends it with the app's mailer and retries a few times; a server that stays down makes the job
fail (logged), never the request that asked for the mail, and whatever the mail was about
(a draft, a notification) is already saved. Any part of the app that writes to people (drafts'
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


def deliver(to: str, subject: str, text: str) -> str:
    """The job: send one message with the job app's mailer, retrying a server that fails.
    Raises after the last attempt (the queue logs the failure)."""
    from admin.jobs import job_app

    mail = Mail(to, subject, text)
    app = job_app()
    with app.app_context():
        mailer = mailer_for(app)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                mailer.send(mail)
                return "sent"
            except (OSError, smtplib.SMTPException):
                if attempt == ATTEMPTS:
                    raise
                log.warning("mail to %s failed (attempt %s of %s), retrying", to, attempt, ATTEMPTS)
                time.sleep(RETRY_PAUSE * attempt)
    return "unreachable"


def send_later(mail: Mail) -> str:
    """Queue `mail` and return its job id at once; never raises for a mail server problem
    (a queue that cannot take the job is logged and the mail is dropped)."""
    from admin.jobs import ensure_job

    job_id = f"mail-{uuid.uuid4().hex}"
    try:
        ensure_job(job_id, deliver, mail.to, mail.subject, mail.text, total=1)
    except Exception:  # e.g. Redis down: the mail is lost, what it was about is not
        log.exception("could not queue the mail to %s", mail.to)
    return job_id
