"""Store documents as json, not jsonb, on PostgreSQL so field order survives

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = (("procedure_version", "document"), ("dossier", "data"), ("audit_event", "detail"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite stores JSON as text already
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE json USING "{column}"::text::json')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE jsonb USING "{column}"::jsonb')
