"""Search index: documents, vocabulary, and the engine's full-text index

SQLite: an FTS5 table `search_fts` (title, extra, flags; code stored) with prefix indexes.
PostgreSQL: the extensions `unaccent` and `pg_trgm` (in schema public, so dropping a schema never
takes them away from another), a generated tsvector column `all_tsv` (title words weighted A, sector
and agency B) with a GIN index (fastupdate off: a pending list would be scanned by every query until the next
vacuum), and a pattern index on codes (code prefixes, whatever the collation). No index uses
pg_trgm's operator classes: a dump of the schema would then need the extension before it could be
restored into a new database (`motcua restore`); folding is done once, in Python, so unaccent is
not needed to match either. The index is filled from the procedures already stored.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 13:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

EXTENSIONS = ("unaccent", "pg_trgm")


def _postgres_extensions(connection: sa.Connection) -> None:
    """Create the extensions the issue asks for (`unaccent`, `pg_trgm`), in schema public."""
    for name in EXTENSIONS:
        installed = connection.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = :n"), {"n": name}).first()
        if installed:
            continue
        available = connection.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :n"),
                                       {"n": name}).first()
        if not available:
            raise RuntimeError(
                f"PostgreSQL thiếu phần mở rộng «{name}» (gói postgresql-contrib); hãy cài rồi chạy lại "
                f"`motcua init`. / The PostgreSQL server lacks the extension {name!r} (postgresql-contrib): "
                "install it, then run the migration again.")
        try:
            with connection.begin_nested():
                connection.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA public"))
        except sa.exc.DBAPIError as exc:
            raise RuntimeError(
                f"Không tạo được phần mở rộng «{name}» của PostgreSQL ({exc.orig}); một quản trị viên cơ sở dữ "
                f"liệu cần chạy: CREATE EXTENSION {name} WITH SCHEMA public; / Could not create the PostgreSQL "
                f"extension {name!r}; a database superuser must run CREATE EXTENSION {name} WITH SCHEMA public;"
            ) from exc


def upgrade() -> None:
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        _postgres_extensions(connection)
    op.create_table(
        "search_document",
        sa.Column("procedure_id", sa.Integer(), sa.ForeignKey("procedure.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("title_length", sa.Integer(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_search_document_code", "search_document", ["code"])
    op.create_table(
        "search_word",
        sa.Column("word", sa.String(length=64), primary_key=True),
        sa.Column("documents", sa.Integer(), nullable=False),
    )
    if postgres:
        # One vector (rows stay narrow: a broad word's count visits thousands of heap pages), the
        # title's words weighted A, sector and agency B. Queries match it without weights (no
        # recheck); "in the title" is a weighted test on the candidates only.
        op.execute("ALTER TABLE search_document ADD COLUMN all_tsv tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
                   "setweight(to_tsvector('simple'::regconfig, extra), 'B')) STORED")
        op.execute("CREATE INDEX ix_search_document_all_tsv ON search_document USING gin (all_tsv) "
                   "WITH (fastupdate = off)")
        op.execute("CREATE INDEX ix_search_document_length ON search_document (title_length, procedure_id)")
        op.execute("CREATE INDEX ix_search_document_code_pattern ON search_document (code text_pattern_ops)")
    else:
        try:
            op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, extra, flags, code UNINDEXED, "
                       "tokenize = 'unicode61', prefix = '2 3')")
        except sa.exc.OperationalError as exc:
            raise RuntimeError("SQLite trên máy này không có FTS5; cần SQLite ≥ 3.9 có FTS5. / "
                               "This SQLite lacks FTS5, which search needs.") from exc
    from catalog.services.search_index import rebuild_index

    rebuild_index(connection)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_word")
    op.drop_index("ix_search_document_code", table_name="search_document")
    op.drop_table("search_document")
