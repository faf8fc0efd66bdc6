"""A procedure's competent agency may be unknown: procedure.agency_id becomes nullable

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procedure", schema=None) as batch_op:
        batch_op.alter_column("agency_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("procedure", schema=None) as batch_op:
        batch_op.alter_column("agency_id", existing_type=sa.Integer(), nullable=False)
