"""Dossiers record the office that received them, its register entry and postal return

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("register_book", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("register_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("result_by_post", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_foreign_key("fk_dossier_office_id_office", "office", ["office_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_dossier_office_id"), ["office_id"], unique=False)
        batch_op.create_unique_constraint("uq_dossier_office_id_register", ["office_id", "register_book",
                                                                            "register_number"])
    op.create_table(
        "dossier_register",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("office_id", "year"),
    )


def downgrade() -> None:
    op.drop_table("dossier_register")
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_constraint("uq_dossier_office_id_register", type_="unique")
        batch_op.drop_index(batch_op.f("ix_dossier_office_id"))
        batch_op.drop_constraint("fk_dossier_office_id_office", type_="foreignkey")
        batch_op.drop_column("result_by_post")
        batch_op.drop_column("register_number")
        batch_op.drop_column("register_book")
        batch_op.drop_column("office_id")
