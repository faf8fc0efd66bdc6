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
    # plain ADD/DROP COLUMN (SQLite 3.35+ has both): no table rebuild, so no foreign key trouble
    op.add_column("dossier", sa.Column("extended_to", sa.Date(), nullable=True))
    op.add_column("dossier", sa.Column("extension_reason", sa.Text(), nullable=True))
    op.add_column("dossier", sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("dossier", sa.Column("postal_tracking", sa.String(length=64), nullable=True))
    op.add_column("dossier_event", sa.Column("detail", sa.JSON(), nullable=True))
    _rename(RENAMED)


def downgrade() -> None:
    """Back to the five statuses of before (the new ones folded into the nearest old one)."""
    _rename({new: old for old, new in RENAMED.items()})
    for table in ("dossier", "dossier_event"):
        for new, old in (("submitted", "received"), ("stopped", "rejected"), ("returned", "done")):
            op.execute(sa.text(f"UPDATE {table} SET status = :old WHERE status = :new").bindparams(old=old, new=new))
    op.drop_column("dossier_event", "detail")
    for column in ("postal_tracking", "returned_at", "extension_reason", "extended_to"):
        op.drop_column("dossier", column)
