"""Read procedure documents from bytes, files and folders."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from form_schemas.checks import MAX_DOCUMENT_BYTES
from form_schemas.formats import control_character_at
from form_schemas.problems import InvalidProcedure, SchemaProblem, pointer


def parse_document(data: bytes | str) -> Any:
    """Parse JSON text of at most 1 MiB; raise `InvalidProcedure` with the reason otherwise."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InvalidProcedure([SchemaProblem(
            "", f"tệp lớn hơn 1 MiB ({len(raw)} byte)", f"file is larger than 1 MiB ({len(raw)} bytes)")])
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InvalidProcedure([SchemaProblem(
            "", f"tệp không phải văn bản UTF-8 ({exc.reason})", f"file is not UTF-8 text ({exc.reason})")]) from exc
    except json.JSONDecodeError as exc:
        where = f"dòng {exc.lineno}, cột {exc.colno}"
        raise InvalidProcedure([SchemaProblem(
            "", f"JSON không hợp lệ ở {where}: {exc.msg}",
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]) from exc
    except RecursionError as exc:
        raise InvalidProcedure([SchemaProblem(
            "", "JSON lồng quá sâu", "JSON nests too deeply")]) from exc
    found = control_character_at(document)
    if found is not None:  # PostgreSQL cannot store NUL in text; no control character is meant
        raise InvalidProcedure([SchemaProblem(
            pointer(found), "chuỗi chứa ký tự điều khiển (ví dụ \\u0000)", "the string contains a control character (e.g. \\u0000)")])
    return document


def read_document(path: Path) -> Any:
    """Parse one JSON file."""
    return parse_document(path.read_bytes())


def document_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given and every `*.json` below given folders, in a stable order."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        else:
            yield path
