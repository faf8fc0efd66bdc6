"""Search speed and quality, on SQLite (FTS5) and PostgreSQL (tsvector), against the LIKE scan.

What it does, in one run:
1. The national catalogue (2,642 records) is imported through the services
   (`run_import_national(..., publish=True)`, what `motcua import-national --publish` runs) into
   a SQLite file, kept in the cache folder for the next runs (`--fresh` imports again). For
   PostgreSQL the imported rows (sectors, agencies, procedures, versions) are copied into a
   schema of their own, and the index is built with `rebuild_index` (what `motcua reindex` runs).
2. Quality on the national catalogue: for each query of tests/search_queries.py, the rank of
   the procedure it should find; the share found first and in the top 3, for the new search
   and for the LIKE search it replaces.
3. Speed: every query of the set plus broad words, typos and fallbacks, timed `--repeat`
   times after a warm-up, p50/p95/max per query, for the new search and the old LIKE search
   (`_filtered`, counted, ordered by code: the previous `search_procedures`).
4. The same at `--size` procedures (default 50,000): the national rows replicated, as 34
   provinces would hold them, with the province's name in each title ("… (tỉnh Nghệ An)") and
   codes `1.001193.07`; rows are written directly into `procedure` (Core inserts, pointing at
   the national version they copy, so they count as published), then `rebuild_index`.

Usage: .venv/bin/python bench/search.py [--quick] [--size N] [--repeat N] [--postgres URL]
(`--quick`: national size only, 3 repeats). PostgreSQL: --postgres, else MOTCUA_TEST_POSTGRES_URL;
skipped with a note when unreachable. Goal: p95 under 30 ms on both databases at both sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from tests.search_queries import QUERIES, copy_catalogue, rank_of  # noqa: E402

PROVINCES = (
    "tỉnh Tuyên Quang", "tỉnh Cao Bằng", "tỉnh Lai Châu", "tỉnh Lào Cai", "tỉnh Thái Nguyên",
    "tỉnh Điện Biên", "tỉnh Lạng Sơn", "tỉnh Sơn La", "tỉnh Phú Thọ", "tỉnh Bắc Ninh",
    "tỉnh Quảng Ninh", "thành phố Hà Nội", "thành phố Hải Phòng", "tỉnh Hưng Yên", "tỉnh Ninh Bình",
    "tỉnh Thanh Hóa", "tỉnh Nghệ An", "tỉnh Hà Tĩnh", "tỉnh Quảng Trị", "thành phố Huế",
    "thành phố Đà Nẵng", "tỉnh Quảng Ngãi", "tỉnh Gia Lai", "tỉnh Đắk Lắk", "tỉnh Khánh Hòa",
    "tỉnh Lâm Đồng", "tỉnh Đồng Nai", "tỉnh Tây Ninh", "Thành phố Hồ Chí Minh", "tỉnh Đồng Tháp",
    "tỉnh An Giang", "tỉnh Vĩnh Long", "thành phố Cần Thơ", "tỉnh Cà Mau",
)
EXTRA = (
    "dang ky", "cap", "giay chung nhan", "cap giay phep", "thu tuc", "dang ky thay doi",
    "ho chieuu", "khai sinnh", "giay phep xay dungg", "tam tru nguoi nuoc ngoai hoc ba",
    "cap lai giay khai sinh ban chinh", "chung nhan quyen su dung dat nha o", "2.000", "1.0011",
    "thue", "xin cap giay phep kinh doanh", "dang ky xe may",
)
SECTOR_FILTERED = ("dang ky", "cap")


def build_app(url: str, folder: Path) -> Flask:
    from admin.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": folder,
                       "MOTCUA_DATA_DIR": str(folder / "data"), "SECRET_KEY": "bench-secret-key-of-32-bytes-at-least"})


def national_sqlite(cache: Path, fresh: bool) -> Path:
    """The national catalogue imported by the services into a SQLite file (cached)."""
    from catalog.national.source import default_path

    path = cache / "national.db"
    source = default_path()
    if path.exists() and not fresh and path.stat().st_mtime > source.stat().st_mtime:
        return path
    path.unlink(missing_ok=True)
    app = build_app(f"sqlite:///{path}", cache)
    with app.app_context():
        from admin.setup import init_database
        from catalog.db import db
        from catalog.national.importer import run_import_national

        init_database()
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            run_import_national(db.session, source, publish=True, out=quiet)
        print(f"national catalogue imported through the services in {time.perf_counter() - started:.0f} s")
        db.session.remove()
        db.engine.dispose()
    return path


def generate(connection: sa.Connection, size: int) -> int:
    """Replicate the national procedures up to `size` rows, one copy per province; returns rows added."""
    from catalog.models import Procedure, Sector
    from catalog.text import fold

    table = Procedure.__table__
    base = [dict(r._mapping) for r in connection.execute(sa.select(table).order_by(table.c.id))]
    sectors = dict(connection.execute(sa.select(Sector.id, Sector.name)).all())
    next_id = max(p["id"] for p in base) + 1
    rows: list[dict[str, Any]] = []
    copy = 0
    while len(base) + len(rows) < size:
        province = PROVINCES[copy % len(PROVINCES)]
        for p in base:
            if len(base) + len(rows) >= size:
                break
            name = f"{p['name']} ({province})"
            code = f"{p['code']}.{copy + 1:02d}"
            rows.append({**p, "id": next_id, "code": code, "name": name,
                         "search_text": fold(f"{code} {name} {sectors.get(p['sector_id'], '')}")})
            next_id += 1
        copy += 1
    for start in range(0, len(rows), 2000):
        connection.execute(sa.insert(table), rows[start:start + 2000])
    return len(rows)


def like_search(session: Any, q: str) -> list[str]:
    """The search this work replaces: every word a substring, counted, by code, first page."""
    from sqlalchemy import func, select

    from catalog.models import Procedure
    from catalog.services.search import _filtered

    stmt = _filtered(q, None, None, None, True)
    session.scalar(select(func.count()).select_from(stmt.subquery()))
    return [p.code for p in session.scalars(stmt.order_by(Procedure.code).limit(20))]


def new_search(session: Any, q: str, sector_id: int | None = None) -> list[str]:
    from catalog.services.search import search_procedures

    return [p.code for p in search_procedures(session, q, sector_id=sector_id, per_page=20).items]


def timings(run: Callable[[str], Any], queries: list[str], repeat: int) -> list[float]:
    """Milliseconds of every run of every query (after one warm-up each)."""
    found: list[float] = []
    for q in queries:
        run(q)
        for _ in range(repeat):
            started = time.perf_counter()
            run(q)
            found.append((time.perf_counter() - started) * 1000)
    return found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def quality(run: Callable[[str], list[str]]) -> tuple[int, int, list[str]]:
    first = top3 = 0
    misses = []
    for query in QUERIES:
        rank = rank_of(run(query.text), query.expected)
        first += rank == 1
        top3 += rank is not None and rank <= 3
        if rank is None or rank > 3:
            misses.append(f"{query.text!r} (rank {rank})")
    return first, top3, misses


def measure(label: str, session: Any, repeat: int, results: list[tuple[str, ...]], slow: dict[str, list[str]]) -> None:
    from catalog.models import Procedure, Sector

    count = session.scalar(sa.select(sa.func.count()).select_from(Procedure))
    queries = [q.text for q in QUERIES] + list(EXTRA)
    new = timings(lambda q: new_search(session, q), queries, repeat)
    sector = session.scalar(sa.select(Sector.id).where(Sector.name == "Hộ tịch"))
    new += timings(lambda q: new_search(session, q, sector), list(SECTOR_FILTERED), repeat)
    old = timings(lambda q: like_search(session, q), queries, repeat)
    per_query = {q: max(new[i * repeat:(i + 1) * repeat]) for i, q in enumerate(queries)}
    slow[label] = [f"{q!r} {ms:.1f} ms" for q, ms in sorted(per_query.items(), key=lambda kv: -kv[1])[:4]]
    results.append((label, f"{count:,}", f"{len(queries) + len(SECTOR_FILTERED)}",
                    f"{statistics.median(new):.1f}", f"{p95(new):.1f}", f"{max(new):.1f}",
                    f"{statistics.median(old):.1f}", f"{p95(old):.1f}", "yes" if p95(new) < 30 else "NO"))


def vacuum(engine: sa.Engine) -> None:
    """What autovacuum does after a bulk load: statistics and the visibility map."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))


def bench_database(name: str, url: str, national_url: str, folder: Path, args: argparse.Namespace,
                   speed: list[tuple[str, ...]], scores: list[tuple[str, ...]], slow: dict[str, list[str]]) -> None:
    from catalog.db import db
    from catalog.services.search_index import indexed_count, rebuild_index

    app = build_app(url, folder)
    with app.app_context():
        if name == "PostgreSQL":
            from admin.setup import init_database

            init_database()
            with db.engine.begin() as connection:
                copy_catalogue(national_url, connection)
        with db.engine.begin() as connection:
            started = time.perf_counter()
            indexed = rebuild_index(connection)
            documents, procedures = indexed_count(connection)
            print(f"{name}: reindex {indexed} procedures in {time.perf_counter() - started:.1f} s "
                  f"({documents}/{procedures} indexed)")
        if name == "PostgreSQL":
            vacuum(db.engine)
        session = db.session
        first, top3, misses = quality(lambda q: new_search(session, q))
        like_first, like_top3, _ = quality(lambda q: like_search(session, q))
        n = len(QUERIES)
        scores.append((name, str(n), f"{first / n:.0%}", f"{top3 / n:.0%}", f"{like_first / n:.0%}",
                       f"{like_top3 / n:.0%}", "; ".join(misses) or "-"))
        measure(f"{name} national", session, args.repeat, speed, slow)
        if not args.quick:
            session.remove()
            with db.engine.begin() as connection:
                started = time.perf_counter()
                added = generate(connection, args.size)
                indexed = rebuild_index(connection)
                documents, procedures = indexed_count(connection)
            print(f"{name}: {added:,} generated procedures + reindex of {indexed:,} in "
                  f"{time.perf_counter() - started:.1f} s ({documents}/{procedures} indexed)")
            if name == "PostgreSQL":
                vacuum(db.engine)
            measure(f"{name} generated", session, args.repeat, speed, slow)
        session.remove()
        db.engine.dispose()


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join([line, rule, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="national catalogue only, 3 repeats")
    parser.add_argument("--size", type=int, default=50_000, help="generated catalogue size (default 50,000)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per query (default 5, quick 3)")
    parser.add_argument("--postgres", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"),
                        help="PostgreSQL URL (default MOTCUA_TEST_POSTGRES_URL)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "motcua-bench-search")
    parser.add_argument("--fresh", action="store_true", help="import the national catalogue again")
    args = parser.parse_args()
    args.repeat = args.repeat or (3 if args.quick else 5)
    args.cache.mkdir(parents=True, exist_ok=True)
    national = national_sqlite(args.cache, args.fresh)
    national_url = f"sqlite:///{national}"
    speed: list[tuple[str, ...]] = []
    scores: list[tuple[str, ...]] = []
    slow: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "bench.db"
        work.write_bytes(national.read_bytes())
        bench_database("SQLite", f"sqlite:///{work}", national_url, Path(folder), args, speed, scores, slow)
        if args.postgres:
            schema = f"bench_search_{os.getpid()}"
            admin = sa.create_engine(args.postgres)
            try:
                with admin.begin() as connection:
                    connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            except sa.exc.OperationalError as exc:
                print(f"PostgreSQL skipped: {exc.orig}")
            else:
                sep = "&" if "?" in args.postgres else "?"
                try:
                    bench_database("PostgreSQL", f"{args.postgres}{sep}options=-csearch_path%3D{schema}",
                                   national_url, Path(folder), args, speed, scores, slow)
                finally:
                    with admin.begin() as connection:
                        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                    admin.dispose()
        else:
            print("PostgreSQL skipped: give --postgres URL or set MOTCUA_TEST_POSTGRES_URL")
    print("\nQuality on the national catalogue (share of queries whose procedure is found)")
    print(table(("database", "queries", "first", "top 3", "LIKE first", "LIKE top 3", "missed top 3 (new)"), scores))
    print(f"\nSpeed per query in ms ({args.repeat} timed runs of each query after a warm-up; LIKE = the search replaced)")
    print(table(("catalogue", "procedures", "queries", "p50", "p95", "max", "LIKE p50", "LIKE p95", "p95 < 30 ms"),
                speed))
    print("\nSlowest queries (max of their runs):")
    for label, lines in slow.items():
        print(f"  {label}: " + ", ".join(lines))


if __name__ == "__main__":
    main()
