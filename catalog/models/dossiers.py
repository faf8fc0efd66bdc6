"""Dossiers (applications), their attachments, status history and payment."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from catalog.db import JSONDocument, utcnow
from catalog.text import fold


def new_tracking_token() -> str:
    """The secret carried by a dossier's tracking link and QR code."""
    return secrets.token_urlsafe(24)


class Dossier(Model):
    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("procedure_version.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    channel: Mapped[str] = mapped_column(String(16), default="online")
    applicant_name: Mapped[str] = mapped_column(String(255), default="")
    # the name without accents or case (catalog.text.fold), kept with the name: the desk's search
    applicant_name_folded: Mapped[str] = mapped_column(String(255), default="", server_default="")
    applicant_phone: Mapped[str] = mapped_column(String(32), default="", index=True)
    # the keys of catalog.services.dossier_status.STATUSES (online dossiers start "submitted")
    status: Mapped[str] = mapped_column(String(32), default="received")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    appointment_date: Mapped[date | None] = mapped_column(Date)
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # the secret in the tracking link and the receipt's QR code (the code itself is sequential)
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True, index=True,
                                                default=new_tracking_token)
    fee_due: Mapped[int] = mapped_column(BigInteger, default=0)
    # the office that received it (None for dossiers filed before offices existed)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    # the office's register entry: Quyển số (the year) and Số thứ tự (running number in that book)
    register_book: Mapped[str | None] = mapped_column(String(16))
    register_number: Mapped[int | None] = mapped_column(Integer)
    result_by_post: Mapped[bool] = mapped_column(Boolean, default=False)
    # an extension (Gia hạn): the new due date and why (catalog.services.dossier_status)
    extended_to: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    # returning the result: when, and the postal tracking number when sent by post
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    postal_tracking: Mapped[str | None] = mapped_column(String(64))
    # taken at the desk: the papers handed over, ticked against the procedure's list
    # ([{"id", "name", "originals", "copies", "shown"}]; None: filed online, see its uploads),
    # and the officer who received the dossier (printed on slip 01)
    documents_received: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDocument)
    received_by: Mapped[str | None] = mapped_column(String(255))
    # kept by the moves (catalog.services.dossier_status._move) beside the events they write, so
    # the figures read one table: the first time the result was ready, and how many times papers
    # were asked for
    result_ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    supplements_requested: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (UniqueConstraint("office_id", "register_book", "register_number",
                                       name="uq_dossier_office_id_register"),
                      Index("ix_dossier_office_status", "office_id", "status"),
                      Index("ix_dossier_office_received", "office_id", "received_at"))

    @validates("applicant_name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.applicant_name_folded = fold(value or "")[:255]
        return value

    procedure = relationship("Procedure")
    office = relationship("Office")
    version = relationship("ProcedureVersion")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="dossier")
    events: Mapped[list[DossierEvent]] = relationship(
        back_populates="dossier", order_by="DossierEvent.at"
    )
    payments: Mapped[list[Payment]] = relationship(back_populates="dossier")


class Attachment(Model):
    __tablename__ = "attachment"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    field: Mapped[str] = mapped_column(String(255), default="")
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    upload_token: Mapped[str | None] = mapped_column(String(64), index=True)

    dossier: Mapped[Dossier | None] = relationship(back_populates="attachments")


class DossierEvent(Model):
    __tablename__ = "dossier_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # what the move carried: supplement items, a reason, the new date, the tracking number…
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)

    __table_args__ = (Index("ix_dossier_event_status_dossier", "status", "dossier_id", "at"),)

    dossier: Mapped[Dossier] = relationship(back_populates="events")


class Payment(Model):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[str] = mapped_column(String(1024), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reference: Mapped[str | None] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    dossier: Mapped[Dossier] = relationship(back_populates="payments")


class DossierSequence(Model):
    """Per year and procedure counter behind human-readable dossier codes."""

    __tablename__ = "dossier_sequence"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class DossierRegister(Model):
    """Per office and year counter behind the register entry (Quyển số, Số thứ tự)."""

    __tablename__ = "dossier_register"

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class DossierRating(Model):
    """The applicant's satisfaction with one dossier (1–5 and a comment), given once through the
    public rating page that the QR code on the receipt and on the result opens."""

    __tablename__ = "dossier_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), unique=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    dossier: Mapped[Dossier] = relationship()


class Notification(Model):
    """One message to the citizen about a dossier (e-mail or SMS), as sent or failed: the desk
    lists failed ones; retries update the same row."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # "email" | "sms"
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    move: Mapped[str] = mapped_column(String(32), default="")
    # "queued" → "sent", or "failed" (attempts used up; `error` says why)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    dossier: Mapped[Dossier | None] = relationship()
