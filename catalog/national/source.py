"""Reading the national catalogue file: gzip-compressed JSON Lines, one record per line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

SHIPPED_FILE = Path(__file__).parent / "data" / "national-catalogue-2026.jsonl.gz"


def default_path() -> Path:
    """The national catalogue shipped with the package (2,642 records, June 2026)."""
    return SHIPPED_FILE


def iter_records(path: str | Path) -> Iterator[dict]:
    """Yield the records of a `.jsonl.gz` (or plain `.jsonl`) file one at a time."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not a JSON object: {error.msg}") from error


def count_records(path: str | Path) -> int:
    """How many non-empty lines (records) the file holds, without parsing them."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())
