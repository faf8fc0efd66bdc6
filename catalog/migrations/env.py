"""Alembic environment: runs on the connection the caller gives, or on `sqlalchemy.url`."""

from __future__ import annotations

from alembic import context
from flask_appbuilder import Model
from sqlalchemy import engine_from_config, pool

import catalog.models  # noqa: F401

config = context.config
target_metadata = Model.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _migrate(conn)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
