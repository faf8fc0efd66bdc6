"""Background jobs: RQ on Redis when MOTCUA_REDIS_URL is set, a local thread pool otherwise.

The rule: a job is a module-level function (the worker imports it by name) called with plain,
picklable arguments. It reads the database itself, inside the app context `job_app()` gives it
(the request that asked for it has long gone), reports its progress with `report_progress(done,
total)` and returns the path of the file it produced. The caller names the job (a hash of what it
prints), so two officers asking for the same booklet share one job; a job that failed is reported
as failed for `RETRY_AFTER` seconds, then the next request starts it again.

Progress lives in the job's metadata: `job.meta["done"]` and `job.meta["total"]` on RQ (visible to
every web worker and host), the same keys on the local job (visible to this process only: without
Redis each gunicorn worker has its own pool). `motcua worker` runs the RQ worker; it must see the
same database and MOTCUA_DATA_DIR as the web app.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app

QUEUE_NAME = "motcua"
RETRY_AFTER = 60  # seconds a failure is reported before the next request tries again
KEEP_FOR = 86_400  # seconds a finished or failed job is remembered
JOB_TIMEOUT = 3_600  # seconds a job may run on RQ before the worker stops it
LOCAL_THREADS = 2

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobState:
    """Where a job stands: `result` (what the job returned) once finished, else `done` out of
    `total`; `failed` when its last attempt failed less than RETRY_AFTER seconds ago."""

    status: str  # "queued", "started", "finished", "failed"
    done: int
    total: int
    result: Any = None

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    @property
    def failed(self) -> bool:
        return self.status == "failed"


# --- the app a job runs in ------------------------------------------------------------------

_job_app: contextvars.ContextVar[Flask | None] = contextvars.ContextVar("motcua_job_app", default=None)
_process_app: Flask | None = None
_process_app_lock = threading.Lock()


def use_app(app: Flask) -> None:
    """Make `app` the one jobs of this process run in (the worker command, tests)."""
    global _process_app
    _process_app = app


def job_app() -> Flask:
    """The app a job pushes its own context on: the submitting app in the local pool, the
    worker's app on RQ (created from the environment on first use)."""
    global _process_app
    app = _job_app.get()
    if app is not None:
        return app
    with _process_app_lock:
        if _process_app is None:
            from admin.app import create_app

            _process_app = create_app()
        return _process_app


# --- progress ---------------------------------------------------------------------------------

_local_job: contextvars.ContextVar[_LocalJob | None] = contextvars.ContextVar("motcua_local_job", default=None)


def report_progress(done: int, total: int) -> None:
    """Record how far the running job is (a no-op outside a job)."""
    local = _local_job.get()
    if local is not None:
        local.meta.update(done=done, total=total)
        return
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta.update(done=done, total=total)
        job.save_meta()


# --- backends ---------------------------------------------------------------------------------


def _recent(ended_at: datetime | None) -> bool:
    if ended_at is None:
        return True
    if ended_at.tzinfo is None:
        ended_at = ended_at.replace(tzinfo=UTC)
    return (datetime.now(UTC) - ended_at).total_seconds() < RETRY_AFTER


@dataclass
class _LocalJob:
    status: str
    meta: dict[str, int]
    result: Any = None
    ended_at: datetime | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))


class LocalQueue:
    """Jobs in a thread pool of this process (the embedded default, no Redis)."""

    def __init__(self, app: Flask, threads: int = LOCAL_THREADS) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="motcua-job")
        self.jobs: dict[str, _LocalJob] = {}
        self.lock = threading.Lock()

    def ensure(self, job_id: str, func: Callable[..., Any], args: tuple[Any, ...], total: int) -> JobState:
        with self.lock:
            self._forget_old()
            job = self.jobs.get(job_id)
            if job is not None and job.status == "failed" and not _recent(job.ended_at):
                job = None
            if job is None:
                job = _LocalJob("queued", {"done": 0, "total": total})
                self.jobs[job_id] = job
                self.pool.submit(self._run, job, func, args)
            return JobState(job.status, job.meta["done"], job.meta["total"], job.result)

    def forget(self, job_id: str) -> None:
        with self.lock:
            self.jobs.pop(job_id, None)

    def _run(self, job: _LocalJob, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
        app_token = _job_app.set(self.app)
        job_token = _local_job.set(job)
        job.status = "started"
        try:
            job.result = func(*args)
            job.status = "finished"
        except Exception:  # logged and reported as failed; the next request tries again
            log.exception("background job %s failed", getattr(func, "__name__", func))
            job.status = "failed"
        finally:
            job.ended_at = datetime.now(UTC)
            _local_job.reset(job_token)
            _job_app.reset(app_token)

    def _forget_old(self) -> None:
        now = datetime.now(UTC)
        for key, job in list(self.jobs.items()):
            if job.ended_at is not None and (now - job.ended_at).total_seconds() > KEEP_FOR:
                del self.jobs[key]


class RedisQueue:
    """Jobs on an RQ queue in Redis, run by `motcua worker` (any number, any host)."""

    def __init__(self, url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(url)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def ensure(self, job_id: str, func: Callable[..., Any], args: tuple[Any, ...], total: int) -> JobState:
        from rq.exceptions import DuplicateJobError

        job = self.queue.fetch_job(job_id)
        if job is not None:
            status = _status_name(job.get_status(refresh=True))
            # a failure is reported for RETRY_AFTER; a job stopped or canceled by hand is rerun
            if status in ("stopped", "canceled") or (status == "failed" and not _recent(job.ended_at)):
                job.delete()
                job = None
        if job is None:
            try:
                job = self.queue.enqueue(
                    func, *args, job_id=job_id, unique=True, meta={"done": 0, "total": total},
                    job_timeout=JOB_TIMEOUT, result_ttl=KEEP_FOR, failure_ttl=KEEP_FOR,
                    description=f"{getattr(func, '__name__', func)} {job_id}")
            except DuplicateJobError:  # another request enqueued it a moment ago
                job = self.queue.fetch_job(job_id)
                if job is None:
                    return JobState("queued", 0, total)
        meta = job.get_meta(refresh=True)
        name = _status_name(job.get_status(refresh=True))
        state = {"finished": "finished", "failed": "failed", "started": "started"}.get(name, "queued")
        result = job.return_value() if state == "finished" else None
        return JobState(state, int(meta.get("done", 0)), int(meta.get("total", total)), result)

    def forget(self, job_id: str) -> None:
        job = self.queue.fetch_job(job_id)
        if job is not None:
            job.delete()


def _status_name(status: Any) -> str:
    return str(getattr(status, "value", status))


def queue_for(app: Flask | None = None) -> LocalQueue | RedisQueue:
    """The job queue of `app` (the current app by default): Redis when MOTCUA_REDIS_URL is set."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    queue = app.extensions.get("motcua_jobs")
    if queue is None:
        url = app.config.get("MOTCUA_REDIS_URL") or ""
        queue = RedisQueue(url) if url else LocalQueue(app)
        app.extensions["motcua_jobs"] = queue
    return queue


def ensure_job(job_id: str, func: Callable[..., Any], *args: Any, total: int) -> JobState:
    """The state of job `job_id`, started (running `func(*args)`) when there is none yet, or
    again when its last failure is older than RETRY_AFTER."""
    return queue_for().ensure(job_id, func, args, total)


def forget_job(job_id: str) -> None:
    """Drop what is remembered of job `job_id` (its result is gone; the next request reruns it)."""
    queue_for().forget(job_id)


def run_worker(app: Flask, *, burst: bool = False) -> None:
    """Work on the RQ queue of `app` until stopped (or until it is empty with `burst`)."""
    from rq import Worker

    from catalog.db import db

    url = app.config.get("MOTCUA_REDIS_URL") or ""
    if not url:
        raise RuntimeError("MOTCUA_REDIS_URL is not set")
    use_app(app)
    queue = queue_for(app)
    assert isinstance(queue, RedisQueue)
    with app.app_context():
        db.engine.dispose()  # each job runs in a forked work horse: no connection crosses the fork
    Worker([queue.queue], connection=queue.connection).work(burst=burst)

