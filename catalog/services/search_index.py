"""The full-text index of procedures: kept in step by `index_procedure` (called from the one hook
that runs whenever the version representing a procedure changes) and rebuilt by `rebuild_index`
(`motcua reindex`, and migration 0010 for catalogues that existed before it).

Rule: every procedure has exactly one search document, whatever its status (the back office
searches drafts too). The words are those of `search_words` (one fold for index and query).
The filters are words too, in a column of their own (`flags`: "pub" when published, "s12" for
sector 12, "o4" for online level 4, "lcommune" per level), so that the engine filters and counts
without reading procedure rows. On SQLite the FTS5 row id is `title length × 2³² + procedure
id`: the engine returns matches in row-id order, so "the first few hundred matches" are the
shortest titles, without scoring every match of a broad word.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from catalog.db import utcnow
from catalog.models import Procedure, SearchDocument, SearchWord
from catalog.text import search_words

ROWID_FACTOR = 2**32
FTS_TABLE = "search_fts"


def fts_rowid(title_length: int, procedure_id: int) -> int:
    """The FTS5 row id of a document: shorter titles sort first."""
    return title_length * ROWID_FACTOR + procedure_id


def flag_words(published: bool, sector_id: int | None, online_level: int | None, levels: str) -> str:
    """The filter words of a document ("pub s12 o4 lcommune"); the query side uses the same."""
    words = ["pub"] if published else []
    if sector_id:
        words.append(f"s{sector_id}")
    if online_level:
        words.append(f"o{online_level}")
    words += [f"l{''.join(search_words(level))}" for level in levels.split(",") if search_words(level)]
    return " ".join(words)


def document_fields(code: str, name: str, sector: str | None, agency: str | None, flags: str) -> dict[str, Any]:
    """The indexed fields of a procedure: its title words, sector and agency words, filter words."""
    title = search_words(name)
    extra = search_words(f"{sector or ''} {agency or ''}")
    return {"code": code.strip(), "title": " ".join(title), "extra": " ".join(extra),
            "title_length": len(title), "flags": flags}


def _fts_row(procedure_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    return {"rowid": fts_rowid(fields["title_length"], procedure_id), "title": fields["title"],
            "extra": fields["extra"], "flags": fields["flags"], "code": fields["code"]}


FTS_INSERT = sa.text(f"INSERT INTO {FTS_TABLE} (rowid, title, extra, flags, code) "
                     "VALUES (:rowid, :title, :extra, :flags, :code)")


def _insert_ignore(connection: Connection, table: sa.Table) -> Any:
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing(index_elements=["word"])


def index_procedure(session: Session, procedure: Procedure) -> None:
    """Write (or rewrite) the search document of one procedure, in the caller's transaction."""
    if procedure.id is None or (procedure.sector is not None and procedure.sector.id is None):
        session.flush()
    flags = flag_words(procedure.published_version is not None, procedure.sector.id if procedure.sector else None,
                       procedure.online_level, procedure.levels or "")
    fields = document_fields(procedure.code, procedure.name, procedure.sector.name if procedure.sector else None,
                             procedure.agency.name if procedure.agency else None, flags)
    connection = session.connection()
    document = session.get(SearchDocument, procedure.id)
    if connection.dialect.name == "sqlite":
        if document is not None:
            connection.execute(sa.text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :rowid"),
                               {"rowid": fts_rowid(document.title_length, procedure.id)})
        connection.execute(FTS_INSERT, _fts_row(procedure.id, fields))
    if document is None:
        document = SearchDocument(procedure_id=procedure.id)
        session.add(document)
    for key, value in fields.items():
        setattr(document, key, value)
    document.updated_at = utcnow()
    words = sorted(set(f"{fields['title']} {fields['extra']}".split()))
    if words:
        connection.execute(_insert_ignore(connection, SearchWord.__table__),
                           [{"word": word[:64], "documents": 1} for word in words])


_procedure = sa.table("procedure", sa.column("id"), sa.column("code"), sa.column("name"),
                      sa.column("sector_id"), sa.column("agency_id"), sa.column("levels"),
                      sa.column("online_level"), sa.column("published_version_id"))
_sector = sa.table("sector", sa.column("id"), sa.column("name"))
_agency = sa.table("agency", sa.column("id"), sa.column("name"))
_document = sa.table("search_document", sa.column("procedure_id"), sa.column("code"), sa.column("title"),
                     sa.column("extra"), sa.column("title_length"), sa.column("flags"), sa.column("updated_at"))
_word = sa.table("search_word", sa.column("word"), sa.column("documents"))
BATCH = 2000


def rebuild_index(connection: Connection) -> int:
    """Empty the index and write one document per procedure (and the word counts); returns how
    many procedures were indexed. Core only, so migration 0010 can run it too."""
    sqlite = connection.dialect.name == "sqlite"
    connection.execute(sa.delete(_document))
    connection.execute(sa.delete(_word))
    if sqlite:
        connection.execute(sa.text(f"DELETE FROM {FTS_TABLE}"))
    rows = connection.execute(
        sa.select(_procedure.c.id, _procedure.c.code, _procedure.c.name, _sector.c.name, _agency.c.name,
                  _procedure.c.published_version_id, _procedure.c.sector_id, _procedure.c.online_level,
                  _procedure.c.levels)
        .select_from(_procedure.outerjoin(_sector, _sector.c.id == _procedure.c.sector_id)
                     .outerjoin(_agency, _agency.c.id == _procedure.c.agency_id))
        .order_by(_procedure.c.id)).all()
    counts: Counter[str] = Counter()
    now = utcnow()
    indexed = 0
    for start in range(0, len(rows), BATCH):
        documents = []
        for procedure_id, code, name, sector, agency, published, sector_id, online, levels in rows[start:start + BATCH]:
            flags = flag_words(published is not None, sector_id, online, levels or "")
            fields = document_fields(code, name, sector, agency, flags)
            documents.append({"procedure_id": procedure_id, **fields, "updated_at": now})
            counts.update(set(f"{fields['title']} {fields['extra']}".split()))
        connection.execute(sa.insert(_document), documents)
        if sqlite:
            connection.execute(FTS_INSERT, [_fts_row(d["procedure_id"], d) for d in documents])
        indexed += len(documents)
    words = [{"word": word[:64], "documents": count} for word, count in sorted(counts.items())]
    for start in range(0, len(words), BATCH):
        connection.execute(_insert_ignore(connection, SearchWord.__table__), words[start:start + BATCH])
    if sqlite:
        connection.execute(sa.text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))
    return indexed


def indexed_count(connection: Connection) -> tuple[int, int]:
    """(search documents, procedures): equal when every procedure is indexed."""
    documents = connection.scalar(sa.select(sa.func.count()).select_from(_document)) or 0
    procedures = connection.scalar(sa.select(sa.func.count()).select_from(_procedure)) or 0
    return documents, procedures
