"""Create or upgrade the database schema with Alembic (idempotent).

Every migration runs through `migrate`. On SQLite, Alembic changes a table by rebuilding it
(copy, drop, rename); with foreign keys enforced, dropping a table that other rows point at
fails (or cascades), so migrations run with enforcement off, and the references are checked
before the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(engine: Engine | None = None, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("catalog") / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, step: Callable[..., Any], revision: str) -> None:
    """Run an Alembic command (`command.upgrade`, `command.downgrade`) to `revision` in one
    transaction; on SQLite with foreign keys off meanwhile and checked before committing."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # on the driver's connection: inside a transaction SQLite ignores it
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config = alembic_config()
                config.attributes["connection"] = connection
                step(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration to {revision} left broken references: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision."""
    migrate(engine, command.upgrade, "head")
