"""Offices are first-class: parent body, level, place in the 2025 map, contacts, opening hours,
days off, and what each receives (rules plus explicit additions and removals)

Existing (posting) offices become commune offices with empty codes and the default weekday
hours; what they had to post becomes explicit additions.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

_WEEKDAY = {"morning": ["07:30", "11:30"], "afternoon": ["13:30", "17:00"]}
DEFAULT_HOURS = {day: _WEEKDAY for day in ("mon", "tue", "wed", "thu", "fri")}


def upgrade() -> None:
    empty = sa.text("''")
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_body", sa.String(length=255), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("level", sa.String(length=16), nullable=False,
                                      server_default=sa.text("'commune'")))
        batch_op.add_column(sa.Column("province_code", sa.String(length=2), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("commune_code", sa.String(length=5), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("place_name", sa.String(length=100), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("phone", sa.String(length=32), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("hotline", sa.String(length=32), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("email", sa.String(length=255), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column("opening_hours", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_office_province_code"), ["province_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_office_commune_code"), ["commune_code"], unique=False)

    office = sa.table("office", sa.column("opening_hours", sa.JSON()))
    op.execute(office.update().values(opening_hours=DEFAULT_HOURS))
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.alter_column("opening_hours", existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table("office_procedure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("included", sa.Boolean(), nullable=False, server_default=sa.true()))

    op.create_table(
        "office_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("sector", sa.String(length=255), nullable=False),
        sa.Column("agency", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("office_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_rule_office_id"), ["office_id"], unique=False)

    op.create_table(
        "office_day_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "day"),
    )
    with op.batch_alter_table("office_day_off", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_day_off_office_id"), ["office_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("office_day_off", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_day_off_office_id"))
    op.drop_table("office_day_off")
    with op.batch_alter_table("office_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_rule_office_id"))
    op.drop_table("office_rule")
    # removals have no meaning without rules: drop them rather than turn them into additions
    op.execute(sa.text("DELETE FROM office_procedure WHERE NOT included"))
    with op.batch_alter_table("office_procedure", schema=None) as batch_op:
        batch_op.drop_column("included")
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_commune_code"))
        batch_op.drop_index(batch_op.f("ix_office_province_code"))
        for column in ("opening_hours", "email", "hotline", "phone", "place_name", "commune_code",
                       "province_code", "level", "parent_body"):
            batch_op.drop_column(column)
