"""Processes: `/healthz` names the part that fails; `motcua serve --prod` becomes gunicorn, so
stopping it stops every worker."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from tests.conftest import build_app, require

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _health(application: Flask) -> tuple[int, dict[str, Any]]:
    response = application.test_client().get("/healthz")
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


@pytest.fixture
def ready_app(app: Flask) -> Flask:
    Path(app.config["MOTCUA_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    return app


def test_healthz_is_200_when_the_database_and_the_data_folder_answer(ready_app: Flask) -> None:
    status, body = _health(ready_app)
    assert status == 200
    assert body == {"status": "ok", "database": {"ok": True, "kind": "sqlite"},
                    "redis": {"ok": True, "configured": False}, "data_dir": {"ok": True}}
    assert not [p for p in Path(ready_app.config["MOTCUA_DATA_DIR"]).iterdir()]  # probe removed


def test_healthz_is_503_when_the_database_is_gone(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    application = build_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'motcua.db'}", tmp_path)
    status, body = _health(application)
    assert status == 503
    assert body["status"] == "failing"
    assert body["database"] == {"ok": False, "kind": "sqlite", "error": "OperationalError"}
    assert body["data_dir"] == {"ok": True}
    assert "no-such-folder" not in json.dumps(body)  # a public endpoint names no path


def test_healthz_is_503_when_the_data_folder_is_missing_or_not_a_folder(ready_app: Flask) -> None:
    data = Path(ready_app.config["MOTCUA_DATA_DIR"])
    data.rmdir()
    status, body = _health(ready_app)
    assert status == 503 and body["data_dir"] == {"ok": False, "error": "missing"}
    assert body["database"]["ok"]
    data.write_text("a file where the data folder should be")
    status, body = _health(ready_app)
    assert status == 503 and body["data_dir"] == {"ok": False, "error": "not a directory"}


def test_healthz_is_503_when_no_file_can_be_written_in_the_data_folder(
        ready_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from admin import health

    def read_only(*args: Any, **kwargs: Any) -> Any:  # as a read-only mount answers (even root)
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(health.tempfile, "mkstemp", read_only)
    status, body = _health(ready_app)
    assert status == 503 and body["data_dir"] == {"ok": False, "error": "not writable (OSError)"}


def test_healthz_checks_redis_when_it_is_configured(ready_app: Flask, tmp_path: Path) -> None:
    ready_app.config["MOTCUA_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    status, body = _health(ready_app)
    assert status == 503 and body["redis"] == {"ok": False, "configured": True, "error": "ConnectionError"}

    from redis import Redis

    try:
        reachable = bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        reachable = False
    require(reachable, f"Redis is not reachable at {REDIS_URL}")
    ready_app.config["MOTCUA_REDIS_URL"] = REDIS_URL
    status, body = _health(ready_app)
    assert status == 200 and body["redis"] == {"ok": True, "configured": True}


def test_serve_prod_execs_gunicorn_with_the_config_file(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    from admin.cli import main

    calls: list[tuple[str, list[str]]] = []

    def fake_execvp(file: str, argv: list[str]) -> None:
        calls.append((file, list(argv)))
        raise SystemExit(0)  # exec never returns

    monkeypatch.setattr(os, "execvp", fake_execvp)
    result = CliRunner().invoke(main, ["serve", "--prod", "--port", "8123", "--workers", "3"],
                                env={"MOTCUA_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    assert "motcua đang chạy tại http://127.0.0.1:8123" in result.output  # printed before the exec
    (file, argv), = calls
    assert file == sys.executable and argv == [
        sys.executable, "-m", "gunicorn", "--config", "python:admin.gunicorn_conf",
        "--workers", "3", "--bind", "127.0.0.1:8123", "admin.wsgi:app"]
    assert (tmp_path / "data").is_dir()


def test_the_gunicorn_config_sets_timeouts_and_logs_requests_to_stdout() -> None:
    from gunicorn.config import Config

    import admin.gunicorn_conf as conf

    config = Config()
    for name in ("wsgi_app", "workers", "timeout", "graceful_timeout", "keepalive", "accesslog", "errorlog"):
        config.set(name, getattr(conf, name))  # gunicorn validates each value
    assert config.accesslog == "-" and config.workers == 2
    assert 0 < config.graceful_timeout <= config.timeout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _motcua() -> list[str]:
    """The installed `motcua` command (beside this Python), else the same entry point."""
    script = Path(sys.executable).parent / "motcua"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from admin.cli import main; main()"]


@pytest.fixture
def served(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`motcua serve --prod` on a free port, with a migrated SQLite database and a data folder."""
    shutil.copy(sqlite_template, tmp_path / "motcua.db")
    (tmp_path / "data").mkdir()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.db'}",
           "MOTCUA_INSTANCE_DIR": str(tmp_path), "MOTCUA_DATA_DIR": str(tmp_path / "data"),
           "SECRET_KEY": "test-secret-key-of-at-least-32-bytes!"}
    env.pop("MOTCUA_REDIS_URL", None)
    with (tmp_path / "out.log").open("wb") as log:
        process = subprocess.Popen([*_motcua(), "serve", "--prod", "--port", str(port), "--workers", "2"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, port
    finally:
        if process.poll() is None:  # only the process this test started, and its workers
            workers = _children(process.pid)
            process.kill()
            process.wait(timeout=10)
            for pid in workers:
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_sigterm_to_serve_prod_stops_gunicorn_and_every_worker(served: tuple[subprocess.Popen[bytes], int],
                                                               tmp_path: Path) -> None:
    process, port = served
    deadline = time.monotonic() + 90
    body = None
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                body = json.loads(response.read())
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    log = (tmp_path / "out.log").read_text(errors="replace")
    assert body is not None and body["status"] == "ok", log
    command = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
    assert b"gunicorn" in command  # the process we started IS gunicorn: it was exec'd
    workers = _children(process.pid)
    assert len(workers) == 2
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert not [pid for pid in workers if _alive(pid)]
    log = (tmp_path / "out.log").read_text(errors="replace")
    assert '"GET /healthz HTTP/1.1" 200' in log  # the access log goes to standard output
    assert "Shutting down: Master" in log
