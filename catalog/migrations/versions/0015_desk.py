"""The desk (issue 16): staff per office, papers handed over at the counter and who received
them, satisfaction ratings, and the log of messages sent to citizens

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_staff",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("user_id", "office_id"),
    )
    op.create_index("ix_office_staff_user_id", "office_staff", ["user_id"])
    op.create_index("ix_office_staff_office_id", "office_staff", ["office_id"])
    op.add_column("dossier", sa.Column("documents_received", sa.JSON(), nullable=True))
    op.add_column("dossier", sa.Column("received_by", sa.String(length=255), nullable=True))
    op.create_table(
        "dossier_rating",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossier.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossier.id", ondelete="CASCADE"), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("body", sa.Text(), nullable=False, server_default=""),
        sa.Column("move", sa.String(length=32), nullable=False, server_default=""),
        sa.Column("status", sa.String(length=16), nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notification_dossier_id", "notification", ["dossier_id"])
    op.create_index("ix_notification_status", "notification", ["status"])
    # the figures and the desk's day filter an office's dossiers by status and by date
    op.create_index("ix_dossier_office_status", "dossier", ["office_id", "status"])
    op.create_index("ix_dossier_office_received", "dossier", ["office_id", "received_at"])
    # the figures and the desk find a dossier's events of one kind (first result, supplements)
    op.create_index("ix_dossier_event_status_dossier", "dossier_event", ["status", "dossier_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_dossier_event_status_dossier", "dossier_event")
    op.drop_index("ix_dossier_office_received", "dossier")
    op.drop_index("ix_dossier_office_status", "dossier")
    op.drop_table("notification")
    op.drop_table("dossier_rating")
    op.drop_column("dossier", "received_by")
    op.drop_column("dossier", "documents_received")
    op.drop_table("office_staff")
