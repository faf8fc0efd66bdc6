"""The SQLAlchemy handle shared by the app (Flask-AppBuilder's SQLA) and helper types."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from flask_appbuilder.models.sqla.base import SQLA
from sqlalchemy import JSON, Connection, Engine, event

db = SQLA()

# Plain JSON, not JSONB: PostgreSQL keeps json text as written, and the order of a form's
# `properties` is the order of its fields (JSONB would re-sort the keys).
JSONDocument = JSON()


def utcnow() -> datetime:
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection: object, _record: object) -> None:
    """SQLite: write-ahead log, fewer fsyncs, foreign keys, and SQLAlchemy-managed BEGIN so
    SAVEPOINTs work (pysqlite's own transaction handling breaks them)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
