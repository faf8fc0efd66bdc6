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
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tracking_token", sa.String(length=64), nullable=True))
    dossier = sa.table("dossier", sa.column("id", sa.Integer()),
                       sa.column("tracking_token", sa.String()))
    connection = op.get_bind()
    ids = connection.execute(sa.select(dossier.c.id).where(dossier.c.tracking_token.is_(None))).scalars().all()
    for dossier_id in ids:
        connection.execute(sa.update(dossier).where(dossier.c.id == dossier_id)
                           .values(tracking_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.alter_column("tracking_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_dossier_tracking_token", ["tracking_token"])


def downgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_constraint("uq_dossier_tracking_token", type_="unique")
        batch_op.drop_column("tracking_token")
