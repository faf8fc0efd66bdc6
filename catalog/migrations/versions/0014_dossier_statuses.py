"""Dossier statuses (issue 16): extension and return fields, a JSON detail on each event, and the
old status keys renamed ("done" → "result_ready", "rejected" → "refused")

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 15:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

RENAMED = {"done": "result_ready", "rejected": "refused"}


def _rename(pairs: dict[str, str]) -> None:
    for table in ("dossier", "dossier_event"):
        for old, new in pairs.items():
            op.execute(sa.text(f"UPDATE {table} SET status = :new WHERE status = :old").bindparams(old=old, new=new))


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("extended_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("extension_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("postal_tracking", sa.String(length=64), nullable=True))
    with op.batch_alter_table("dossier_event") as batch:
        batch.add_column(sa.Column("detail", sa.JSON(), nullable=True))
    _rename(RENAMED)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED.items()})
    op.execute(sa.text("UPDATE dossier SET status = 'received' WHERE status IN ('submitted')"))
    op.execute(sa.text("UPDATE dossier SET status = 'rejected' WHERE status IN ('stopped')"))
    op.execute(sa.text("UPDATE dossier SET status = 'done' WHERE status IN ('returned')"))
    with op.batch_alter_table("dossier_event") as batch:
        batch.drop_column("detail")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("postal_tracking")
        batch.drop_column("returned_at")
        batch.drop_column("extension_reason")
        batch.drop_column("extended_to")
