"""The SQLAlchemy handle shared by the app (Flask-AppBuilder's SQLA), helper types, and the
rule for writing under a crowd.

Rule: a request that writes does it in one short transaction, opened by `write_transaction`
after the request's reads are over. On SQLite that transaction begins IMMEDIATE (it takes the
write lock up front, so the busy timeout can wait for it; a deferred read transaction that
later writes fails at once with "database is locked" when another writer went first). A lock
that still wins is retried once by `run_write`; a second failure raises `DatabaseBusy`,
which the citizen sees as "Hệ thống đang bận, vui lòng gửi lại" with the form kept.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from flask_appbuilder.models.sqla.base import SQLA
from sqlalchemy import JSON, Connection, Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, scoped_session

db = SQLA()

# Plain JSON, not JSONB: PostgreSQL keeps json text as written, and the order of a form's
# `properties` is the order of its fields (JSONB would re-sort the keys).
JSONDocument = JSON()

BUSY_TIMEOUT_MS = 5000
IMMEDIATE = "motcua_begin_immediate"
# PostgreSQL: serialization failure, deadlock, lock not available
_PG_LOCK_STATES = frozenset({"40001", "40P01", "55P03"})

T = TypeVar("T")


class DatabaseBusy(Exception):
    """The database stayed locked through the retry: the caller should ask to send again."""

    message_vi = "Hệ thống đang bận, vui lòng gửi lại."
    message_en = "The system is busy, please send again."

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi


def utcnow() -> datetime:
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection: object, _record: object) -> None:
    """SQLite: write-ahead log (readers never wait for the writer), fewer fsyncs, foreign
    keys, a busy timeout, and SQLAlchemy-managed BEGIN so SAVEPOINTs work (pysqlite's own
    transaction handling breaks them)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   f"busy_timeout={BUSY_TIMEOUT_MS}"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_lock_error(error: BaseException) -> bool:
    """True for "the database is locked / busy" (SQLite) and lock conflicts (PostgreSQL)."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        text = str(original).lower()
        return "locked" in text or "busy" in text
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state in _PG_LOCK_STATES


_writers: dict[str, threading.Lock] = {}
_writers_guard = threading.Lock()


def _writer_lock(session: Session) -> threading.Lock | None:
    """SQLite: one lock per database file for this process's writers. They queue on it and
    start the moment it is free, instead of polling SQLite's busy handler (which sleeps up to
    100 ms between tries); other processes still meet the busy timeout."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    key = str(bind.url)
    with _writers_guard:
        return _writers.setdefault(key, threading.Lock())


class _ProcessWritersBusy(Exception):
    """This process's other writers kept the database for the whole busy timeout."""


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """One write transaction: ends the session's current (read) transaction, begins a new one
    (IMMEDIATE on SQLite, after this process's other writers), commits at the end and rolls
    back on any error."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.commit()
    lock = _writer_lock(session)
    if lock is not None and not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise _ProcessWritersBusy()
    try:
        session.connection(execution_options={IMMEDIATE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        if lock is not None:
            lock.release()


def run_write(session: Session, work: Callable[[Session], T], *, attempts: int = 2) -> T:
    """`work(session)` in a `write_transaction`, retried once when the database is locked;
    raises DatabaseBusy when the last attempt is locked too. `work` must be safe to run again
    (it starts from what the database holds, not from objects of a failed attempt)."""
    for attempt in range(1, attempts + 1):
        try:
            with write_transaction(session):
                return work(session)
        except _ProcessWritersBusy as error:
            if attempt == attempts:
                raise DatabaseBusy() from error
        except DBAPIError as error:
            if not is_lock_error(error):
                raise
            if attempt == attempts:
                raise DatabaseBusy() from error
    raise AssertionError("unreachable")
