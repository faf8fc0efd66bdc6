"""Background print jobs: on RQ with Redis (a worker prints, every web worker sees the progress
in the job's metadata), in a local thread pool without it; one job per booklet, a failure
reported and then tried again."""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from admin import jobs, printing
from admin.roles import POSTING_OFFICER
from catalog.db import db
from catalog.services import import_document
from catalog.services.postings import assign_procedures, create_office
from renderers.pdf import OfficeHeading
from tests.backoffice_helpers import client_for, make_users, text
from tests.conftest import build_app, require
from tests.factories import document

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TITLES = {"1.001193": "Đăng ký khai sinh", "1.000894": "Đăng ký kết hôn"}
OFFICE = "Bộ phận Một cửa UBND phường Bến Nghé"


def _redis_reachable() -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis database (its own db number), emptied before and after the test."""
    from redis import Redis

    require(_redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()
    connection.close()


def _app(tmp_path: Path, sqlite_template: Path, **overrides: Any) -> Iterator[Flask]:
    path = tmp_path / "motcua.db"
    shutil.copy(sqlite_template, path)
    application = build_app(f"sqlite:///{path}", tmp_path, **overrides)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def redis_app(tmp_path: Path, sqlite_template: Path, redis_url: str,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app whose background jobs go to Redis; jobs run in this process's worker use it."""
    for application in _app(tmp_path, sqlite_template, MOTCUA_REDIS_URL=redis_url):
        monkeypatch.setattr(jobs, "_process_app", application)
        yield application


def _office_with_two_notices_to_post() -> int:
    """An office that must post two procedures it never posted."""
    for code, title in TITLES.items():
        import_document(db.session, document(code, title=title, description=f"Thủ tục {code}."),
                        author="an", publish=True)
    office = create_office(db.session, OFFICE, "29 Lê Duẩn, Quận 1", "UBND phường Bến Nghé")
    assign_procedures(db.session, office.id, list(TITLES))
    office_id = office.id
    db.session.remove()
    return office_id


def _work(application: Flask) -> None:
    """Run an RQ worker in this process until the queue is empty."""
    from rq import SimpleWorker

    queue = jobs.queue_for(application)
    assert isinstance(queue, jobs.RedisQueue)
    SimpleWorker([queue.queue], connection=queue.connection).work(burst=True)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_on_redis_a_worker_prints_the_booklet_and_the_page_shows_its_progress(
        redis_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from redis import Redis
    from rq import Queue

    make_users(redis_app)
    office_id = _office_with_two_notices_to_post()
    url = f"/admin/postings/{office_id}/replacements.pdf"
    officer, colleague = client_for(redis_app, POSTING_OFFICER), client_for(redis_app, POSTING_OFFICER)

    waiting = officer.get(url)
    assert waiting.status_code == 202
    assert "Đã in 0/2 thủ tục" in text(waiting)
    assert colleague.get(url).status_code == 202  # the same booklet: the same job, not a second
    queue = Queue(jobs.QUEUE_NAME, connection=Redis.from_url(redis_app.config["MOTCUA_REDIS_URL"]))
    assert len(queue) == 1
    job_id = queue.job_ids[0]
    assert job_id.startswith("booklet-")

    seen: list[dict[str, Any]] = []  # the metadata another process reads while the job runs
    original = jobs.report_progress

    def watched(done: int, total: int) -> None:
        original(done, total)
        seen.append(dict(queue.fetch_job(job_id).get_meta(refresh=True)))

    monkeypatch.setattr(jobs, "report_progress", watched)
    _work(redis_app)
    assert [(m["done"], m["total"]) for m in seen] == [(1, 2), (2, 2)]

    response = colleague.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    pdf = _pdf_text(response.data)
    assert f"Thông báo niêm yết thay thế — {OFFICE}".upper() in pdf.upper()
    assert all(title in pdf for title in TITLES.values())
    assert "UBND phường Bến Nghé" in pdf
    assert len(queue) == 0  # served from the printed file; nothing enqueued again


@pytest.mark.slow
def test_motcua_worker_prints_what_the_web_app_enqueued(redis_app: Flask, tmp_path: Path) -> None:
    import subprocess
    import sys

    make_users(redis_app)
    office_id = _office_with_two_notices_to_post()
    url = f"/admin/postings/{office_id}/replacements.pdf"
    officer = client_for(redis_app, POSTING_OFFICER)
    assert officer.get(url).status_code == 202
    env = {**os.environ, "DATABASE_URL": redis_app.config["SQLALCHEMY_DATABASE_URI"],
           "MOTCUA_INSTANCE_DIR": str(tmp_path), "MOTCUA_DATA_DIR": redis_app.config["MOTCUA_DATA_DIR"],
           "MOTCUA_REDIS_URL": redis_app.config["MOTCUA_REDIS_URL"],
           "SECRET_KEY": "test-secret-key-of-at-least-32-bytes!"}
    script = Path(sys.executable).parent / "motcua"
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from admin.cli import main; main()"]
    done = subprocess.run([*command, "worker", "--burst"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    response = officer.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert all(title in _pdf_text(response.data) for title in TITLES.values())


def test_on_redis_a_failed_job_is_reported_then_tried_again(redis_app: Flask,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    make_users(redis_app)
    office_id = _office_with_two_notices_to_post()
    url = f"/admin/postings/{office_id}/replacements.pdf"
    officer = client_for(redis_app, POSTING_OFFICER)

    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("renderer down")

    monkeypatch.setattr(printing, "render_booklet_to", broken)
    assert officer.get(url).status_code == 202
    _work(redis_app)
    page = officer.get(url, follow_redirects=True)
    assert "Chưa tạo được bản PDF" in text(page)

    monkeypatch.undo()  # the renderer is back; the failure is older than RETRY_AFTER
    monkeypatch.setattr(jobs, "_process_app", redis_app)
    monkeypatch.setattr(jobs, "RETRY_AFTER", 0)
    assert officer.get(url).status_code == 202  # started again
    _work(redis_app)
    assert officer.get(url).headers["Content-Type"] == "application/pdf"


def test_without_redis_the_same_job_runs_in_a_local_thread_pool(app: Flask) -> None:
    make_users(app)
    office_id = _office_with_two_notices_to_post()
    assert isinstance(jobs.queue_for(app), jobs.LocalQueue)
    url = f"/admin/postings/{office_id}/replacements.pdf"
    officer = client_for(app, POSTING_OFFICER)
    waiting = officer.get(url)
    assert waiting.status_code == 202 and "/2 thủ tục" in text(waiting)
    deadline = time.monotonic() + 120
    response = officer.get(url)
    while response.status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.2)
        response = officer.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert all(title in _pdf_text(response.data) for title in TITLES.values())


def test_local_jobs_run_once_report_progress_and_retry_after_a_failure(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    queue = jobs.LocalQueue(app)
    release = threading.Event()
    calls: list[str] = []

    def job(name: str) -> str:
        calls.append(name)
        jobs.report_progress(1, 3)
        release.wait(10)
        if name == "broken":
            raise RuntimeError("renderer down")
        return f"{name}.pdf"

    first = queue.ensure("a", job, ("a",), total=3)
    again = queue.ensure("a", job, ("a",), total=3)  # while the first is running
    assert first.status in ("queued", "started") and first.total == 3 and not again.finished
    deadline = time.monotonic() + 10
    while queue.ensure("a", job, ("a",), total=3).done != 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert queue.ensure("a", job, ("a",), total=3).done == 1
    release.set()
    queue.pool.shutdown(wait=True)
    done = queue.ensure("a", job, ("a",), total=3)
    assert done.finished and done.result == "a.pdf" and calls == ["a"]

    queue = jobs.LocalQueue(app)
    queue.ensure("b", job, ("broken",), total=3)
    queue.pool.shutdown(wait=True)
    assert queue.ensure("b", job, ("broken",), total=3).failed  # reported, not retried at once
    monkeypatch.setattr(jobs, "RETRY_AFTER", 0)
    queue.pool = jobs.ThreadPoolExecutor(max_workers=1)
    release.clear()  # the new attempt waits, so its state is read before it fails again
    assert not queue.ensure("b", job, ("broken",), total=3).failed  # started again
    release.set()
    queue.pool.shutdown(wait=True)
    assert calls == ["a", "broken", "broken"]


def test_the_booklet_of_another_office_or_title_is_another_job() -> None:
    ward = OfficeHeading(name="Trung tâm Phục vụ hành chính công phường Đông Hà")
    centre = OfficeHeading(name="Trung tâm Phục vụ hành chính công tỉnh Quảng Trị")
    keys = {printing.job_key([], "Thông báo", None), printing.job_key([], "Thông báo", None, ward),
            printing.job_key([], "Thông báo", None, centre), printing.job_key([], "Thông báo khác", None)}
    assert len(keys) == 4
    assert printing.job_key([], "Thông báo", None, ward) == printing.job_key([], "Thông báo", None, ward)


def test_the_worker_command_needs_redis(runner: Any) -> None:
    result = runner("worker")
    assert result.exit_code != 0
    assert "MOTCUA_REDIS_URL" in result.output
