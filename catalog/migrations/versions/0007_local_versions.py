"""Local versions: a province's or an office's overrides of a published procedure

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATUSES = ("draft", "in_review", "published", "superseded", "withdrawn")


def upgrade() -> None:
    op.create_table(
        "local_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("scope_key", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum(*STATUSES, name="localstatus", native_enum=False, length=16), nullable=False),
        sa.Column("based_on_version_number", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("updated_by", sa.String(length=255), nullable=False),
        sa.Column("submitted_by", sa.String(length=255), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("published_by", sa.String(length=255), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.CheckConstraint("(office_id IS NULL) <> (province_code IS NULL)", name="ck_local_version_one_scope"),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedure.id"]),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procedure_id", "scope_key", "number"),
    )
    with op.batch_alter_table("local_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_local_version_procedure_id"), ["procedure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_local_version_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_local_version_scope_key"), ["scope_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("local_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_version_scope_key"))
        batch_op.drop_index(batch_op.f("ix_local_version_office_id"))
        batch_op.drop_index(batch_op.f("ix_local_version_procedure_id"))
    op.drop_table("local_version")
