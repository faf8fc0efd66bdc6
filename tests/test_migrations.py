"""Upgrading a database that holds dossiers keeps every dossier, its files and its history.

On SQLite a migration that changes the dossier table rebuilds it (copy, drop, rename); with
foreign keys enforced, dropping a table that attachments and events point at fails, so the
upgrade must run with enforcement off and check the references once it is done.
"""

from __future__ import annotations

from typing import Any

from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from catalog.db import db
from catalog.schema import migrate
from tests.test_dossier_tracking import NAMES, file_dossiers


def _counts(engine: Any) -> list[int]:
    """Dossiers, their attached files, their events."""
    with engine.connect() as connection:
        return [connection.exec_driver_sql(sql).scalar() or 0 for sql in (
            "select count(*) from dossier",
            "select count(*) from attachment where dossier_id is not null",
            "select count(*) from dossier_event",
        )]


def test_downgrade_and_upgrade_through_the_dossier_rebuilds_keep_everything(
        app: Flask, client: FlaskClient) -> None:
    file_dossiers(client)
    db.session.remove()
    db.engine.dispose()
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    before = _counts(engine)
    assert before[0] == len(NAMES) and before[1] == len(NAMES)

    migrate(engine, command.downgrade, "0007")  # before dossiers recorded their office
    migrate(engine, command.upgrade, "head")

    assert _counts(engine) == before
    with engine.connect() as connection:
        assert connection.exec_driver_sql("pragma foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("pragma foreign_keys").scalar() == 1
    engine.dispose()
