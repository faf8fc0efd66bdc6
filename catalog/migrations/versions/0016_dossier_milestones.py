"""Dossiers keep their first result-ready time and their count of supplement requests (the
figures of a year read the dossier table alone); both are filled from the recorded events

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# "done" is what an older release wrote for "result_ready" (dossier_status.LEGACY)
_FROM_EVENTS = """
UPDATE dossier SET
  result_ready_at = (SELECT min(e.at) FROM dossier_event e
                     WHERE e.dossier_id = dossier.id AND e.status IN ('result_ready', 'done')),
  supplements_requested = (SELECT count(*) FROM dossier_event e
                           WHERE e.dossier_id = dossier.id AND e.status = 'supplement_requested')
"""


def upgrade() -> None:
    op.add_column("dossier", sa.Column("result_ready_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("dossier", sa.Column("supplements_requested", sa.Integer(), nullable=False,
                                       server_default="0"))
    op.execute(_FROM_EVENTS)


def downgrade() -> None:
    op.drop_column("dossier", "supplements_requested")
    op.drop_column("dossier", "result_ready_at")
