"""Save and return: drafts saved, resumed from their secret link, expired and purged with their
files; resumed on a newer version of the procedure; the link mailed through a real SMTP server
on loopback (aiosmtpd), and a dead mail server that loses nothing."""

from __future__ import annotations

import copy
import email
import email.policy
import html
import re
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from catalog.attachments import AttachmentStore
from catalog.db import db, utcnow
from catalog.models import Attachment, AuditEvent, Dossier, DraftApplication
from catalog.services import import_document
from catalog.services.dossiers import published_version, purge_abandoned_uploads, stage_upload
from catalog.services.drafts import (
    carry_over,
    draft_by_secret,
    hash_secret,
    purge_expired_drafts,
    save_draft,
)
from tests.test_attachments import PDF
from tests.test_check_page import (
    ANSWERS,
    CODE,
    STEP,
    TOKEN_FIELD,
    dossiers,
    open_form,
    pdf,
    post,
    press,
    publish,
    sample,
)

PARTIAL = {k: v for k, v in ANSWERS.items() if k.startswith("applicant-")}


# --- a real SMTP server on loopback ------------------------------------------------------------


class Inbox:
    """What the loopback SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait(self, count: int = 1, seconds: float = 15) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """An aiosmtpd server on a free loopback port: (smtp:// URL, its inbox)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


def mail_text(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


# --- helpers ---------------------------------------------------------------------------------


def save(client: FlaskClient, token: str, data: dict[str, Any] | None = None, *, file: bool = True,
         draft_email: str = "") -> Any:
    fields: dict[str, Any] = {TOKEN_FIELD: token, **(PARTIAL if data is None else data), STEP: "save"}
    if file:
        fields["attachments-birth_certificate"] = pdf()
    if draft_email:
        fields["_motcua.draft_email"] = draft_email
    return post(client, fields)


def resume_path(page: str) -> str:
    found = re.search(r'id="resume-link">(https?://[^<]+)</a>', page)
    assert found, "the saved page shows the resume link"
    return "/" + html.unescape(found.group(1)).split("/", 3)[3]


def store_of(app: Flask) -> AttachmentStore:
    return AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")


# --- the site --------------------------------------------------------------------------------


def test_save_shows_a_resume_link_that_a_fresh_browser_opens_filled(app: Flask, client: FlaskClient) -> None:
    publish()
    token = open_form(client)
    saved = save(client, token)
    assert saved.status_code == 200
    assert saved.headers["Cache-Control"] == "private, no-store"
    assert saved.headers["Referrer-Policy"] == "no-referrer"
    assert "Đã lưu hồ sơ đang làm dở" in saved.text and "Đã lưu cả 1 tệp đính kèm" in saved.text
    path = resume_path(saved.text)
    assert dossiers() == 0
    draft = db.session.scalar(select(DraftApplication))
    assert draft is not None and draft.upload_token == token
    secret = path.rsplit("/", 1)[-1]
    assert draft.token_hash == hash_secret(secret) and secret not in str(draft.data)  # only a hash
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft_save")) is not None

    fresh = app.test_client()  # another browser: the link alone opens it
    page = fresh.get(path)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'value="Nguyễn Văn An"' in text and 'value="1990-05-17"' in text
    assert "giay-chung-sinh.pdf" in text  # the staged upload came back with the draft
    assert "Đã mở hồ sơ đang làm dở" in text
    assert f'value="{token}"' in text  # the same form token: same files, one dossier

    # finish the form in the fresh browser, check, submit
    fields = dict(ANSWERS)
    fields.update({TOKEN_FIELD: token, STEP: "check", "attachments-birth_certificate": draft_file_id(token)})
    checked = post(fresh, fields)
    assert checked.status_code == 200 and "Kiểm tra lại thông tin" in checked.text
    assert press(fresh, checked.text, "submit").status_code == 303
    assert dossiers() == 1
    found = db.session.scalar(select(Dossier))
    assert found is not None and [a.original_name for a in found.attachments] == ["giay-chung-sinh.pdf"]
    assert db.session.scalar(select(func.count(DraftApplication.id))) == 0  # done with
    assert fresh.get(path).status_code == 404


def draft_file_id(token: str) -> str:
    found = db.session.scalar(select(Attachment.id).where(Attachment.upload_token == token))
    assert found is not None
    return found


def test_saving_again_replaces_the_link(app: Flask, client: FlaskClient) -> None:
    publish()
    token = open_form(client)
    first = resume_path(save(client, token).text)
    second = resume_path(save(client, token, file=False).text)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert db.session.scalar(select(func.count(DraftApplication.id))) == 1


def test_an_unknown_link_says_what_to_do(client: FlaskClient) -> None:
    page = client.get("/drafts/" + "x" * 43)
    assert page.status_code == 404
    assert "Không mở được hồ sơ đang làm dở" in page.text


def test_save_from_the_check_page_keeps_everything(app: Flask, client: FlaskClient) -> None:
    publish()
    token = open_form(client)
    fields: dict[str, Any] = {TOKEN_FIELD: token, **ANSWERS, STEP: "check", "attachments-birth_certificate": pdf()}
    checked = post(client, fields)
    saved = press(client, checked.text, "save")
    assert saved.status_code == 200
    page = app.test_client().get(resume_path(saved.text))
    assert 'value="Bệnh viện Phụ sản Hà Nội"' in html.unescape(page.text)


def test_the_mail_with_the_link_arrives_at_the_smtp_server(app: Flask, client: FlaskClient,
                                                           smtp_server: tuple[str, Inbox]) -> None:
    url, inbox = smtp_server
    app.config["MOTCUA_SMTP_URL"] = url
    publish()
    saved = save(client, open_form(client), draft_email="an@example.vn")
    assert "Đường dẫn đang được gửi tới an@example.vn" in saved.text
    messages = inbox.wait()
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "an@example.vn"
    assert "Đăng ký khai sinh" in str(message["Subject"])
    link = resume_path(saved.text)
    assert link in mail_text(message)


def test_the_applicants_email_is_used_when_none_is_typed(app: Flask, client: FlaskClient,
                                                         smtp_server: tuple[str, Inbox]) -> None:
    url, inbox = smtp_server
    app.config["MOTCUA_SMTP_URL"] = url
    publish()
    save(client, open_form(client))  # PARTIAL has applicant-email
    assert [m["To"] for m in inbox.wait()] == ["an@example.vn"]


def test_a_dead_mail_server_does_not_lose_the_draft(app: Flask, client: FlaskClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import admin.mail

    monkeypatch.setattr(admin.mail, "RETRY_PAUSE", 0.01)
    app.config["MOTCUA_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    publish()
    started = time.monotonic()
    saved = save(client, open_form(client), draft_email="an@example.vn")
    assert saved.status_code == 200 and time.monotonic() - started < 10  # the page did not wait on it
    path = resume_path(saved.text)
    time.sleep(0.5)  # the mail job fails in the background
    assert app.test_client().get(path).status_code == 200
    assert db.session.scalar(select(func.count(DraftApplication.id))) == 1


def test_a_malformed_email_is_said_and_the_draft_kept(app: Flask, client: FlaskClient) -> None:
    publish()
    saved = save(client, open_form(client), draft_email="an@")
    assert "không hợp lệ nên chưa gửi thư" in html.unescape(saved.text)
    assert client.get(resume_path(saved.text)).status_code == 200


# --- the service, on both databases -----------------------------------------------------------


def staged(app: Flask, token: str) -> Attachment:
    import io

    return stage_upload(db.session, store_of(app), io.BytesIO(PDF), "to-khai.pdf",
                        field="attachments-declaration", upload_token=token)


def test_drafts_expire_and_are_purged_with_their_files(db_app: Flask, session: Any) -> None:
    publish()
    session.commit()
    version = published_version(session, CODE)
    token = "draft-token-" + "a" * 20
    attachment = staged(db_app, token)
    path = store_of(db_app).path_for(attachment.id)
    saved = save_draft(session, version, {"applicant": {"full_name": "An"}}, upload_token=token, days=30)
    assert draft_by_secret(session, saved.secret) is not None
    later = utcnow() + timedelta(days=31)
    assert draft_by_secret(session, saved.secret, now=later) is None  # expired: the link opens nothing

    # the upload purge never takes a live draft's files, however old
    assert purge_abandoned_uploads(session, store_of(db_app), timedelta(0), now=utcnow() + timedelta(days=2)) == 0
    assert path.exists()

    assert purge_expired_drafts(session, store_of(db_app), now=utcnow()).drafts == 0
    purged = purge_expired_drafts(session, store_of(db_app), now=later)
    assert (purged.drafts, purged.files) == (1, 1)
    assert not path.exists()
    assert session.scalar(select(func.count(DraftApplication.id))) == 0
    assert session.scalar(select(func.count(Attachment.id))) == 0


def test_draft_days_come_from_the_configuration(db_app: Flask, session: Any) -> None:
    publish()
    session.commit()
    version = published_version(session, CODE)
    saved = save_draft(session, version, {}, upload_token="t" * 24, days=2)
    assert draft_by_secret(session, saved.secret, now=utcnow() + timedelta(days=1)) is not None
    assert draft_by_secret(session, saved.secret, now=utcnow() + timedelta(days=3)) is None


def test_purge_drafts_command(db_app: Flask, session: Any, db_runner: Any) -> None:
    publish()
    session.commit()
    version = published_version(session, CODE)
    save_draft(session, version, {}, upload_token="u" * 24, days=1, now=utcnow() - timedelta(days=5))
    session.commit()
    session.remove()
    result = db_runner("purge-drafts")
    assert result.exit_code == 0, result.output
    assert "Đã xóa 1 hồ sơ đang làm dở" in result.stdout
    assert session.scalar(select(func.count(DraftApplication.id))) == 0


# --- resuming on a newer version --------------------------------------------------------------


def newer(doc: dict[str, Any]) -> dict[str, Any]:
    """The next version: a new field, a phone field now limited to mobile numbers of 10 digits
    starting 09, and the hometown field gone."""
    changed = copy.deepcopy(doc)
    applicant = changed["properties"]["applicant"]["properties"]
    applicant["zalo"] = {"type": "string", "title": "Số Zalo", "maxLength": 20}
    applicant["address"]["maxLength"] = 10
    del changed["properties"]["child"]["properties"]["hometown"]
    return changed


def test_carry_over_keeps_fitting_answers_and_names_the_new_fields() -> None:
    old = sample()
    instance = {"applicant": {"full_name": "Nguyễn Văn An", "address": "Số 1 Tràng Tiền, Hoàn Kiếm",
                              "phone": "0912345678"},
                "child": {"full_name": "Khôi", "hometown": "Nam Định"}}
    resumed = carry_over(old, newer(old), instance)
    assert resumed.instance == {"applicant": {"full_name": "Nguyễn Văn An", "phone": "0912345678"},
                                "child": {"full_name": "Khôi"}}
    assert resumed.new_fields == ["Số Zalo"]
    assert "Nơi cư trú" in resumed.dropped and "hometown" in resumed.dropped


def test_a_draft_resumes_on_the_current_version(app: Flask, client: FlaskClient) -> None:
    doc = publish()
    saved = save(client, open_form(client))
    path = resume_path(saved.text)
    import_document(db.session, newer(doc), author="test", publish=True)
    db.session.commit()
    page = app.test_client().get(path)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Các trường mới:" in text and "Số Zalo" in text
    assert 'value="Nguyễn Văn An"' in text  # still fits
    assert "Số 1 Tràng Tiền" not in text  # too long for the new address field: asked again
    assert 'id="applicant-zalo"' in text


# --- the mail interface -----------------------------------------------------------------------


def test_the_mailer_follows_the_configuration(app: Flask) -> None:
    from admin.mail import LogMailer, SmtpMailer, mailer_for

    assert isinstance(mailer_for(app), LogMailer)  # no MOTCUA_SMTP_URL: the log only
    app.config["MOTCUA_SMTP_URL"] = "smtps://user%40x:p%3Ass@mail.example.vn?starttls=0"
    mailer = mailer_for(app)
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.host, mailer.port, mailer.tls, mailer.user, mailer.password) == \
        ("mail.example.vn", 465, True, "user@x", "p:ss")
    with pytest.raises(ValueError):
        SmtpMailer("http://mail.example.vn")


def test_a_mail_is_sent_with_a_vietnamese_subject(smtp_server: tuple[str, Inbox]) -> None:
    from admin.mail import Mail, SmtpMailer

    url, inbox = smtp_server
    SmtpMailer(url, "motcua@example.vn").send(Mail("an@example.vn", "Hồ sơ của bạn", "Nội dung có dấu: đăng ký"))
    message = inbox.wait()[0]
    assert str(message["Subject"]) == "Hồ sơ của bạn"
    assert "motcua@example.vn" in str(message["From"])
    assert "Nội dung có dấu: đăng ký" in mail_text(message)


def test_a_refused_file_is_said_on_the_saved_page_and_the_rest_kept(app: Flask, client: FlaskClient) -> None:
    import io

    from tests.test_attachments import EXE

    publish()
    fields: dict[str, Any] = {TOKEN_FIELD: open_form(client), **PARTIAL, STEP: "save",
                              "attachments-birth_certificate": (io.BytesIO(EXE), "virus.pdf", "application/pdf")}
    saved = post(client, fields)
    assert saved.status_code == 200
    assert "Một số tệp không lưu được" in html.unescape(saved.text)
    page = app.test_client().get(resume_path(saved.text))
    assert 'value="Nguyễn Văn An"' in html.unescape(page.text) and "virus.pdf" not in page.text


def test_motcua_draft_days_sets_how_long_a_saved_form_lives(app: Flask, client: FlaskClient) -> None:
    app.config["MOTCUA_DRAFT_DAYS"] = 2
    publish()
    saved = save(client, open_form(client), file=False)
    assert "được lưu đến hết ngày" in html.unescape(saved.text)
    draft = db.session.scalar(select(DraftApplication))
    assert draft is not None
    kept_for = draft.expires_at - draft.updated_at
    assert kept_for == timedelta(days=2)
