"""Builder undo steps: the previous documents of each draft version (catalog.models.undo)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undo_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=400), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["procedure_version.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("undo_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_undo_step_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("undo_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_undo_step_version_id"))
    op.drop_table("undo_step")
