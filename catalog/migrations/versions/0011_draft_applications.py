"""Draft applications: a partly filled online form saved to finish later (save and return)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_application",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("upload_token", sa.String(length=64), nullable=False),
        sa.Column("procedure_id", sa.Integer(), sa.ForeignKey("procedure.id"), nullable=False),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("procedure_version.id"), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id"), nullable=True),
        sa.Column("result_by_post", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("data", sa.JSON(), nullable=False),  # JSON, not JSONB: keeps key order (0003)
        sa.Column("email", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_draft_application_token_hash", "draft_application", ["token_hash"], unique=True)
    op.create_index("ix_draft_application_upload_token", "draft_application", ["upload_token"], unique=True)
    op.create_index("ix_draft_application_procedure_id", "draft_application", ["procedure_id"])
    op.create_index("ix_draft_application_expires_at", "draft_application", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_draft_application_expires_at", table_name="draft_application")
    op.drop_index("ix_draft_application_procedure_id", table_name="draft_application")
    op.drop_index("ix_draft_application_upload_token", table_name="draft_application")
    op.drop_index("ix_draft_application_token_hash", table_name="draft_application")
    op.drop_table("draft_application")
