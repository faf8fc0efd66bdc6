"""Question library blocks: groups officers saved from a procedure's form to reuse

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("field_name", sa.String(length=64), nullable=False),
        sa.Column("field_title", sa.String(length=255), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("definitions", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("source_code", sa.String(length=32), nullable=False),
        sa.Column("source_path", sa.String(length=512), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("library_block")
