"""Offices are first-class: parent body, level, place in the 2025 map, contacts, opening hours,
days off, and what each receives (rules plus explicit additions and removals)

Existing (posting) offices become commune offices with empty codes and the default weekday
hours; what they had to post becomes explicit additions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:40:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_WEEKDAY = {"morning": ["07:30", "11:30"], "afternoon": ["13:30", "17:00"]}
DEFAULT_HOURS = {day: _WEEKDAY for day in ("mon", "tue", "wed", "thu", "fri")}


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table copy): on SQLite a copy would drop `office`, which
    # postings and lists reference. The JSON default fills the hours of existing rows.
    empty = sa.text("''")
    for name, type_ in (("parent_body", sa.String(length=255)), ("province_code", sa.String(length=2)),
                        ("commune_code", sa.String(length=5)), ("place_name", sa.String(length=100)),
                        ("phone", sa.String(length=32)), ("hotline", sa.String(length=32)),
                        ("email", sa.String(length=255))):
        op.add_column("office", sa.Column(name, type_, nullable=False, server_default=empty))
    op.add_column("office", sa.Column("level", sa.String(length=16), nullable=False,
                                      server_default=sa.text("'commune'")))
    op.add_column("office", sa.Column("opening_hours", sa.JSON(), nullable=False,
                                      server_default=sa.text(f"'{json.dumps(DEFAULT_HOURS)}'")))
    op.create_index(op.f("ix_office_province_code"), "office", ["province_code"], unique=False)
    op.create_index(op.f("ix_office_commune_code"), "office", ["commune_code"], unique=False)
    op.add_column("office_procedure", sa.Column("included", sa.Boolean(), nullable=False, server_default=sa.true()))

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
    op.drop_column("office_procedure", "included")
    op.drop_index(op.f("ix_office_commune_code"), table_name="office")
    op.drop_index(op.f("ix_office_province_code"), table_name="office")
    for column in ("opening_hours", "level", "email", "hotline", "phone", "place_name", "commune_code",
                   "province_code", "parent_body"):
        op.drop_column("office", column)
