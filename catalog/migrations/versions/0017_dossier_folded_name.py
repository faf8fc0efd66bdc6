"""Dossiers keep their applicant's name folded (no accents, no case) for the desk's search;
filled here for the dossiers filed before, with the same fold the application uses. No index:
a name is matched anywhere in it (LIKE '%…%'), which a B-tree cannot serve, and no index uses
pg_trgm (see 0010); one office's dossiers are scanned

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from catalog.text import fold

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CHUNK = 1000


def upgrade() -> None:
    op.add_column("dossier", sa.Column("applicant_name_folded", sa.String(length=255), nullable=False,
                                       server_default=""))
    connection = op.get_bind()
    dossier = sa.table("dossier", sa.column("id", sa.Integer()), sa.column("applicant_name", sa.String()),
                       sa.column("applicant_name_folded", sa.String()))
    rows = connection.execute(sa.select(dossier.c.id, dossier.c.applicant_name)
                              .where(dossier.c.applicant_name != "")).all()
    update = (sa.update(dossier).where(dossier.c.id == sa.bindparam("row_id"))
              .values(applicant_name_folded=sa.bindparam("folded")))
    for start in range(0, len(rows), CHUNK):
        connection.execute(update, [{"row_id": row_id, "folded": fold(name or "")[:255]}
                                    for row_id, name in rows[start:start + CHUNK]])


def downgrade() -> None:
    op.drop_column("dossier", "applicant_name_folded")
