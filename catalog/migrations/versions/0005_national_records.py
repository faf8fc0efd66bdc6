"""A procedure imported from the national catalogue remembers its national record

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "national_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=True),
        sa.Column("base_document", sa.JSON(), nullable=True),
        sa.Column("base_hash", sa.String(length=64), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pending_document", sa.JSON(), nullable=True),
        sa.Column("pending_hash", sa.String(length=64), nullable=True),
        sa.Column("pending_record_hash", sa.String(length=64), nullable=True),
        sa.Column("pending_since", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedure.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procedure_id"),
    )


def downgrade() -> None:
    op.drop_table("national_record")
