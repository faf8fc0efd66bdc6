"""Realistic citizen queries and the national procedure each should find (catalogue 2026).

The rule: typed as people type them (no accents, abbreviations, typos, "xin …", half-typed last
words, codes); `expected` lists the acceptable procedure codes, the first being the one meant.
Shared by tests/test_search_ranking.py (asserts the share in the top 3) and bench/search.py
(prints the quality table), with `copy_catalogue`, which both use to put the catalogue imported
once on SQLite into PostgreSQL (importing it again there would take minutes).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa


class Query(NamedTuple):
    text: str
    expected: tuple[str, ...]
    kind: str  # plain, accents, abbreviation, typo, prefix, code, synonym, phrase


QUERIES: tuple[Query, ...] = (
    Query("dang ky khai sinh", ("1.001193",), "plain"),
    Query("Đăng ký khai sinh", ("1.001193",), "accents"),
    Query("khai sin", ("1.001193",), "prefix"),
    Query("dang ky khai sinb", ("1.001193",), "typo"),
    Query("cap lai giay khai sinh", ("1.004884", "2.000635"), "synonym"),
    Query("dang ky lai khai sinh", ("1.004884",), "plain"),
    Query("ban sao giay khai sinh", ("2.000635",), "plain"),
    Query("dang ky tam tru", ("1.004194",), "plain"),
    Query("dang ki tam tru", ("1.004194",), "spelling"),
    Query("dang ky thuong tru", ("1.004222",), "plain"),
    Query("xoa dang ky thuong tru", ("1.003197",), "plain"),
    Query("ho kinh doanh", ("1.001612",), "plain"),
    Query("dang ky hkd", ("1.001612",), "abbreviation"),
    Query("xin giay phep xay dung", ("1.013225", "1.013236"), "stop words"),
    Query("gpxd", ("1.013225", "1.013236"), "abbreviation"),
    Query("cccd", ("1.014061", "2.000200", "1.001247", "1.014062"), "abbreviation"),
    Query("lam lai cccd", ("1.014064", "2.001194", "1.000757"), "abbreviation"),
    Query("cap doi can cuoc", ("1.014063", "2.001195", "1.000889"), "plain"),
    Query("cmnd", ("1.014061", "2.000200", "1.001247", "1.014062"), "abbreviation"),
    Query("thue tncn", ("1.014976", "2.002237", "1.008309", "1.007674"), "abbreviation"),
    Query("quyet toan thue thu nhap ca nhan", ("1.014976", "1.008309"), "plain"),
    Query("lltp", ("3.000333",), "abbreviation"),
    Query("phieu ly lich tu phap", ("3.000333",), "plain"),
    Query("ly lich tu phap", ("3.000333", "3.000330"), "plain"),
    Query("dang ky ket hon", ("1.000894",), "plain"),
    Query("dang ki ket hon", ("1.000894",), "spelling"),
    Query("ket hon nuoc ngoai", ("2.000806",), "plain"),
    Query("dang ky khai tu", ("1.000656",), "plain"),
    Query("xac nhan tinh trang hon nhan", ("1.004873",), "plain"),
    Query("giay xac nhan tinh trang hon nhan", ("1.004873",), "plain"),
    Query("nhan cha me con", ("1.001022",), "plain"),
    Query("cap ho chieu", ("1.001456", "1.001471"), "plain"),
    Query("ho chieu pho thong", ("1.001456", "1.001471"), "plain"),
    Query("cap giay phep lai xe", ("3.000346",), "plain"),
    Query("doi bang lai xe", ("3.000347", "3.000351"), "plain"),
    Query("cap lai giay phep lai xe", ("3.000348",), "plain"),
    Query("dang ky giam ho", ("1.004837",), "plain"),
    Query("chung thuc ban sao", ("2.000815",), "plain"),
    Query("chung thuc chu ky", ("2.000884",), "plain"),
    Query("chung thuc di chuc", ("2.001019",), "plain"),
    Query("thanh lap doanh nghiep tu nhan", ("2.001610",), "plain"),
    Query("dang ky thanh lap hop tac xa", ("1.005280",), "plain"),
    Query("dang ky thue lan dau ca nhan", ("1.008498",), "plain"),
    Query("mau con dau", ("2.001403", "2.001410", "1.003173"), "plain"),
    Query("thay doi cai chinh ho tich", ("1.004859",), "plain"),
    Query("gia han tam tru", ("1.002755",), "plain"),
    Query("the tam tru nguoi nuoc ngoai", ("1.003460", "1.003358"), "plain"),
    Query("cap thi thuc", ("1.001194", "1.003342", "1.002757", "1.002756"), "plain"),
    Query("nuoi con nuoi trong nuoc", ("2.001263", "2.001255"), "plain"),
    Query("1.001193", ("1.001193",), "code"),
    Query("2.000635", ("2.000635",), "code"),
    Query("dang ky tam truu", ("1.004194",), "typo"),
    Query("giay phep lai xee", ("3.000346",), "typo"),
)

# The examples the issue names, each with the code it must put first.
ISSUE_FIRST: tuple[tuple[str, str], ...] = (
    ("dang ky tam tru", "1.004194"),
    ("dang ky khai sinh", "1.001193"),
    ("ho kinh doanh", "1.001612"),
)
ISSUE_TOP3: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cap lai giay khai sinh", ("1.004884", "2.000635")),
    ("xin giay phep xay dung", ("1.013225", "1.013236")),
    ("cccd", ("1.014061", "2.000200", "1.001247", "1.014062")),
    ("thue tncn", ("1.014976", "2.002237", "1.008309", "1.007674")),
    ("khai sin", ("1.001193",)),
)


def rank_of(codes: list[str], expected: tuple[str, ...]) -> int | None:
    """1-based position of the first acceptable code among the results, None when absent."""
    return next((i for i, code in enumerate(codes, 1) if code in expected), None)


def copy_catalogue(source_url: str, target: sa.Connection) -> None:
    """Sectors, agencies, procedures and versions from an imported SQLite file into `target`.

    Two agency names of the national file are longer than the 500 characters of
    `agency.name`: SQLite keeps them, PostgreSQL refuses them (so importing the file there stores
    2,640 of the 2,642 procedures); they are cut to the column's size here."""
    from catalog.models import Agency, Procedure, ProcedureVersion, Sector

    def fit(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
        for column in table.columns:
            size = getattr(column.type, "length", None)
            if size and isinstance(row.get(column.name), str):
                row[column.name] = row[column.name][:size]
        return row

    engine = sa.create_engine(source_url)
    with engine.connect() as source:
        for model in (Sector, Agency):
            table = model.__table__
            target.execute(sa.insert(table), [fit(table, dict(r._mapping)) for r in source.execute(sa.select(table))])
        procedures = [dict(r._mapping) for r in source.execute(sa.select(Procedure.__table__))]
        published = {p["id"]: p["published_version_id"] for p in procedures}
        target.execute(sa.insert(Procedure.__table__), [{**p, "published_version_id": None} for p in procedures])
        versions = [dict(r._mapping) for r in source.execute(sa.select(ProcedureVersion.__table__))]
        for start in range(0, len(versions), 500):
            target.execute(sa.insert(ProcedureVersion.__table__), versions[start:start + 500])
        table = Procedure.__table__
        target.execute(sa.update(table).where(table.c.id == sa.bindparam("pid"))
                       .values(published_version_id=sa.bindparam("vid")),
                       [{"pid": k, "vid": v} for k, v in published.items() if v is not None])
        for model in (Sector, Agency, Procedure, ProcedureVersion):
            if target.dialect.name == "postgresql":
                name = model.__tablename__
                target.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                       f"(SELECT max(id) FROM {name}))"))
    engine.dispose()
