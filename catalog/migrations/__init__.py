"""Alembic migrations for every table on Flask-AppBuilder's `Model.metadata`."""
