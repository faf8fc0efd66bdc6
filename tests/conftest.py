"""Fixtures: a fresh app and database per test (SQLite always; PostgreSQL where marked)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

IN_CI = os.environ.get("CI") == "true"
PG_URL = os.environ.get(
    "MOTCUA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def require(condition: bool, reason: str) -> None:
    """Skip locally when a service is missing; in CI a missing service fails the test."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires this: {reason}")
    pytest.skip(reason)


def _postgres_reachable() -> bool:
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The `app` fixture keeps an app context pushed for the test body, and Flask would reuse it
    for requests: `g` (and the user Flask-Login caches there) and the database session would
    then leak between requests and between clients.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        from flask import has_app_context

        from catalog.db import db

        if has_app_context():
            # End the test body's read transaction: on SQLite (WAL) it would keep an old
            # snapshot after the request writes, and block the request's own writes.
            db.session.rollback()
        with self.application.app_context():
            return super().open(*args, **kwargs)


def build_app(url: str, folder: Path, **overrides: Any) -> Flask:
    from admin.app import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_DIR": folder,
        "MOTCUA_DATA_DIR": str(folder / "data"),
        "SECRET_KEY": "test-secret-key-of-at-least-32-bytes!",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        "AUTH_RATE_LIMITED": False,
    }
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = FreshContextClient
    return application


def _initialise(app: Flask) -> None:
    from admin.setup import init_database

    with app.app_context():
        init_database()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with roles, copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = build_app(f"sqlite:///{path}", folder)
    _initialise(app)
    with app.app_context():
        from catalog.db import db

        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    return _postgres_reachable()


# Tables `motcua init` fills with roles and permissions: kept between tests.
_SETUP_TABLES = {
    "alembic_version", "ab_permission", "ab_view_menu", "ab_permission_view", "ab_role",
    "ab_permission_view_role",
}


@pytest.fixture(scope="session")
def postgres_schema_url(postgres_available: bool, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL schema migrated once per test session (its own, so parallel runs don't meet)."""
    require(postgres_available, f"PostgreSQL is not reachable at {PG_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'create schema "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    app = build_app(url, tmp_path_factory.mktemp("pg"))
    _initialise(app)
    with app.app_context():
        from catalog.db import db

        db.engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'drop schema "{schema}" cascade'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_schema_url: str) -> Iterator[str]:
    """The session's PostgreSQL schema, emptied of data after each test."""
    yield postgres_schema_url
    engine = create_engine(postgres_schema_url)
    with engine.begin() as conn:
        tables = [
            name for name in conn.execute(text(
                "select tablename from pg_tables where schemaname = current_schema()")).scalars()
            if name not in _SETUP_TABLES
        ]
        if tables:
            conn.execute(text("truncate " + ", ".join(f'"{t}"' for t in tables) + " restart identity cascade"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.db)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Each database test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "motcua.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app(tmp_path: Path, sqlite_template: Path) -> Iterator[Flask]:
    """A fresh app on a fresh SQLite database (web and CLI tests)."""
    path = tmp_path / "motcua.db"
    shutil.copy(sqlite_template, path)
    application = build_app(f"sqlite:///{path}", tmp_path)
    with application.app_context():
        yield application
        from catalog.db import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def db_app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """A fresh app on each database backend (persistence tests)."""
    application = build_app(database_url, tmp_path)
    with application.app_context():
        yield application
        from catalog.db import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(db_app: Flask):  # type: ignore[no-untyped-def]
    from catalog.db import db

    return db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Cli:
    """Runs `motcua` commands against the test app's database and folders."""

    def __init__(self, app: Flask):
        self.env = {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MOTCUA_INSTANCE_DIR": app.config["INSTANCE_DIR"],
            "MOTCUA_DATA_DIR": app.config["MOTCUA_DATA_DIR"],
            "SECRET_KEY": "test-secret-key-of-at-least-32-bytes!",
        }

    def __call__(self, *args: str) -> Result:
        from admin.cli import main

        return CliRunner().invoke(main, list(args), env=self.env, catch_exceptions=False)


@pytest.fixture
def runner(app: Flask) -> Cli:
    return Cli(app)


@pytest.fixture
def db_runner(db_app: Flask) -> Cli:
    return Cli(db_app)


class AuthActions:
    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, username: str, password: str):  # type: ignore[no-untyped-def]
        return self.client.post("/login/", data={"username": username, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self.client.get("/logout/")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


# --- browser tests -------------------------------------------------------------------------

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class LiveServer:
    """The app served on a free loopback port in a background thread."""

    def __init__(self, app: Flask):
        import threading

        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    """A running app on a fresh SQLite database with the sample catalogue and demo users."""
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    application = build_app(f"sqlite:///{path}", tmp_path)
    with application.app_context():
        from admin.roles import DEMO_USERS
        from admin.setup import create_user
        from catalog.db import db
        from catalog.samples import sample_paths
        from catalog.services import import_document
        from form_schemas.loading import read_document

        for sample in sample_paths():
            import_document(db.session, read_document(sample), author="demo", publish=True)
        for role, (username, password) in DEMO_USERS.items():
            create_user(username, role, password)
        db.session.remove()
    server = LiveServer(application)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (headless, no sandbox, no background network)."""
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    blocked: list[str] = []  # what the Content-Security-Policy refused, on any page of the test
    tab.on("console", lambda message: blocked.append(f"{tab.url}: {message.text}")
           if "Content Security Policy" in message.text else None)
    yield tab
    context.close()
    assert blocked == [], "the CSP blocked a script or style:\n" + "\n".join(blocked)


def assert_accessible(tab: Any) -> None:
    """axe-core on the current page: no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"accessibility violations on {tab.url}:\n{details}"
