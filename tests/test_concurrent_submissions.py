"""A crowd at once: citizens submitting the same procedure with uploads through a real server
(threads, a file-backed SQLite database or PostgreSQL), racing posts of one form, and API-key
reads that must not write."""

from __future__ import annotations

import http.cookiejar
import io
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server
from werkzeug.test import encode_multipart

from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.models import Attachment, Dossier
from catalog.services import import_document
from tests.conftest import build_app
from tests.factories import document
from tests.test_attachments import PDF

TOKEN_FIELD = "_motcua.submission"
CODE = "1.001193"


@dataclass
class Reply:
    status: int
    url: str
    text: str


class Citizen:
    """One browser: its own cookies, following redirects as a browser does."""

    def __init__(self, base: str, cookies: http.cookiejar.CookieJar | None = None) -> None:
        self.base = base
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=60) as response:
                return Reply(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.url, error.read().decode())

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self._open(urllib.request.Request(self.base + path, headers=headers or {}))

    def open_form(self) -> str:
        page = self.get(f"/procedures/{CODE}/apply")
        assert page.status == 200, page.text[:500]
        found = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text)
        assert found
        return found.group(1)

    def submit(self, token: str, name: str) -> Reply:
        boundary, body = encode_multipart({
            "_motcua.step": "submit", TOKEN_FIELD: token,
            "applicant-full_name": name,
            "applicant-citizen_id": "001090012345",
            "applicant-phone": "0912345678",
            "attachments-birth_certificate": FileStorage(
                io.BytesIO(PDF + name.encode() + b"\n" * 2000), "giay-chung-sinh.pdf",
                content_type="application/pdf"),
        })
        request = urllib.request.Request(
            f"{self.base}/procedures/{CODE}/apply", data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._open(request)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[[str], tuple[Flask, str]]]:
    """Serve an app on `url` with the test procedure published, on a real threaded server."""
    servers: list[tuple[Flask, object, threading.Thread]] = []

    def serve(url: str) -> tuple[Flask, str]:
        app = build_app(url, tmp_path)
        with app.app_context():
            import_document(db.session, document(CODE), author="test", publish=True)
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((app, server, thread))
        return app, f"http://127.0.0.1:{server.server_port}"

    yield serve
    for app, server, thread in servers:
        server.shutdown()  # type: ignore[attr-defined]
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def sqlite_file(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "crowd.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def run_all(count: int, work: Callable[[int], Reply]) -> list[Reply | BaseException]:
    """`work(i)` in `count` threads started together; each one's reply or exception."""
    results: list[Reply | BaseException] = [RuntimeError("not run")] * count
    barrier = threading.Barrier(count)

    def one(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # collected and asserted below
            results[index] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def files_on_disk(app: Flask) -> set[str]:
    root = Path(app.config["MOTCUA_DATA_DIR"]) / "attachments"
    return {name for name, _ in AttachmentStore(root).stored_files()}


def assert_no_orphans(app: Flask) -> None:
    """Every file on disk belongs to a dossier, and every row of a dossier has its file."""
    with app.app_context():
        rows = {a.id: a.dossier_id for a in db.session.scalars(select(Attachment))}
        db.session.remove()
    on_disk = files_on_disk(app)
    assert on_disk == set(rows), "files without a row, or rows without a file"
    assert all(dossier_id is not None for dossier_id in rows.values()), "staged rows left over"


def crowd_submits(app: Flask, base: str, count: int) -> None:
    citizens = [Citizen(base) for _ in range(count)]
    tokens = [citizen.open_form() for citizen in citizens]
    names = [f"Nguyễn Văn Số {i}" for i in range(count)]
    results = run_all(count, lambda i: citizens[i].submit(tokens[i], names[i]))

    failures = [r for r in results if not isinstance(r, Reply) or r.status != 200
                or "/dossiers/" not in r.url]
    assert not failures, [r if not isinstance(r, Reply) else (r.status, r.text[:300]) for r in failures]
    for name, reply in zip(names, results, strict=True):
        assert isinstance(reply, Reply) and name in reply.text  # each sees their own dossier
    with app.app_context():
        assert db.session.scalar(select(func.count(Dossier.id))) == count
        codes = set(db.session.scalars(select(Dossier.code)))
        db.session.remove()
    assert len(codes) == count
    assert_no_orphans(app)


def racing_posts(app: Flask, base: str, count: int) -> None:
    """One form posted `count` times at once (a double click, a resent request)."""
    citizen = Citizen(base)
    token = citizen.open_form()
    # the same browser (its cookies) sends the same form again and again
    results = run_all(count, lambda _i: Citizen(base, citizen.cookies).submit(token, "Trần Thị B"))
    assert all(isinstance(r, Reply) for r in results), results
    replies = [r for r in results if isinstance(r, Reply)]
    assert [r.status for r in replies] == [200] * count, [(r.status, r.text[:300]) for r in replies]
    assert len({r.url for r in replies}) == 1 and "/dossiers/" in replies[0].url
    assert all("Trần Thị B" in r.text for r in replies)
    with app.app_context():
        assert db.session.scalar(select(func.count(Dossier.id))) == 1
        db.session.remove()
    assert_no_orphans(app)


def test_eight_citizens_at_once_on_sqlite_all_get_their_dossier(served, sqlite_file: str) -> None:
    app, base = served(sqlite_file)
    crowd_submits(app, base, 8)


def test_racing_posts_of_one_form_on_sqlite_end_on_one_dossier(served, sqlite_file: str) -> None:
    app, base = served(sqlite_file)
    racing_posts(app, base, 6)


@pytest.mark.db
def test_thirty_two_citizens_at_once_on_postgresql(served, postgres_url: str) -> None:
    app, base = served(postgres_url)
    crowd_submits(app, base, 32)


@pytest.mark.db
def test_racing_posts_of_one_form_on_postgresql_end_on_one_dossier(served, postgres_url: str) -> None:
    app, base = served(postgres_url)
    racing_posts(app, base, 8)


def test_api_key_reads_do_not_write(served, sqlite_file: str) -> None:
    app, base = served(sqlite_file)
    with app.app_context():
        from admin.roles import DEMO_USERS, PROCEDURE_OFFICER
        from admin.setup import create_user

        username, password = DEMO_USERS[PROCEDURE_OFFICER]
        create_user(username, PROCEDURE_OFFICER, password)
        sm = app.appbuilder.sm
        key = sm.create_api_key(sm.find_user(username=username), "đọc danh mục")["key"]
        db.session.remove()
    headers = {"Authorization": f"Bearer {key}"}
    caller = Citizen(base)
    first = caller.get("/api/v1/procedures/?include_drafts=true", headers)
    assert first.status == 200 and CODE in first.text  # the first use is recorded (once)

    writes: list[str] = []

    def count_writes(_conn, _cursor, statement: str, *_args: object) -> None:
        if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", statement, re.I):
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count_writes)
    try:
        results = run_all(8, lambda _i: caller.get("/api/v1/procedures/?include_drafts=true", headers))
    finally:
        event.remove(engine, "before_cursor_execute", count_writes)
    assert [r.status for r in results if isinstance(r, Reply)] == [200] * 8, results
    assert writes == []
    with app.app_context():
        api_key = sm.find_api_keys_for_user(sm.find_user(username=username).id)[0]
        assert api_key.last_used_on is not None
        db.session.remove()


def test_a_database_that_stays_busy_answers_503_and_keeps_the_form(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_file: str
) -> None:
    import sqlite3

    import catalog.db
    from tests.test_site_apply import GOOD, pdf_file

    monkeypatch.setattr(catalog.db, "BUSY_TIMEOUT_MS", 50)  # the lock below never goes away
    app = build_app(sqlite_file, tmp_path)
    with app.app_context():
        import_document(db.session, document(CODE), author="test", publish=True)
        db.session.remove()
        client = app.test_client()
        page = client.get(f"/procedures/{CODE}/apply")
        token = re.search(rf'name="{re.escape(TOKEN_FIELD)}" value="([^"]+)"', page.text).group(1)
        # a first attempt with a wrong phone stages the file
        first = client.post(f"/procedures/{CODE}/apply", content_type="multipart/form-data", data={
            "_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, "applicant-phone": "0123",
            "attachments-birth_certificate": pdf_file()})
        assert first.status_code == 422
        kept = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"', first.text)
        assert kept

        other = sqlite3.connect(sqlite_file.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # someone else holds the write lock throughout
        try:
            busy = client.post(f"/procedures/{CODE}/apply", content_type="multipart/form-data", data={
                "_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, "attachments-birth_certificate": kept.group(1)})
            with_new_file = client.post(f"/procedures/{CODE}/apply", content_type="multipart/form-data",
                                        data={"_motcua.step": "submit", TOKEN_FIELD: token, **GOOD,
                                              "attachments-birth_certificate": pdf_file("moi.pdf")})
        finally:
            other.execute("ROLLBACK")
            other.close()
        for reply in (busy, with_new_file):
            assert reply.status_code == 503
            assert "Hệ thống đang bận, vui lòng gửi lại" in reply.text
            assert 'value="Nguyễn Văn An"' in reply.text and 'value="0912345678"' in reply.text
        assert "Đã tải lên: giay-chung-sinh.pdf" in busy.text
        assert "Đã tải lên: giay-chung-sinh.pdf" in with_new_file.text  # the new one was not kept
        assert len(files_on_disk(app)) == 1  # the busy attempt's file went with it

        again = client.post(f"/procedures/{CODE}/apply", data={
            "_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, "attachments-birth_certificate": kept.group(1)})
        assert again.status_code == 303
        db.session.remove()
    assert_no_orphans(app)
    with app.app_context():
        db.engine.dispose()


def test_other_site_writes_on_a_busy_database_say_to_send_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_file: str
) -> None:
    import sqlite3

    import catalog.db
    from tests.test_site_dossiers import applied

    monkeypatch.setattr(catalog.db, "BUSY_TIMEOUT_MS", 50)
    app = build_app(sqlite_file, tmp_path)
    with app.app_context():
        client = app.test_client()
        code = applied(client)  # a level-4 dossier with a fee to pay
        other = sqlite3.connect(sqlite_file.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            busy = client.post(f"/dossiers/{code}/pay")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
        assert "Hệ thống đang bận, vui lòng gửi lại" in busy.text
        assert client.post(f"/dossiers/{code}/pay").status_code == 303  # sent again: it works
        db.session.remove()
        db.engine.dispose()
