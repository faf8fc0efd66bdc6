"""Dossiers carry a secret tracking token (their codes are sequential and can be guessed)

Every existing dossier gets its own token, so the QR code of a receipt printed again opens it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 09:50:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No batch (table copy) on SQLite: DROP TABLE dossier fails while attachments and events
    # point at it. The column is added, filled, then made unique (and NOT NULL where the
    # database can change that in place; SQLite relies on the model's default).
    op.add_column("dossier", sa.Column("tracking_token", sa.String(length=64), nullable=True))
    dossier = sa.table("dossier", sa.column("id", sa.Integer()),
                       sa.column("tracking_token", sa.String()))
    connection = op.get_bind()
    ids = connection.execute(sa.select(dossier.c.id).where(dossier.c.tracking_token.is_(None))).scalars().all()
    for dossier_id in ids:
        connection.execute(sa.update(dossier).where(dossier.c.id == dossier_id)
                           .values(tracking_token=secrets.token_urlsafe(24)))
    op.create_index("ix_dossier_tracking_token", "dossier", ["tracking_token"], unique=True)
    if connection.dialect.name != "sqlite":
        op.alter_column("dossier", "tracking_token", existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    op.drop_index("ix_dossier_tracking_token", table_name="dossier")
    op.drop_column("dossier", "tracking_token")
