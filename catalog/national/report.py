"""The quality report of an import: per record, which parts parsed and which fell back."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from .convert import PARTS, Conversion

STATUSES = ("parsed", "raw", "absent")


class QualityReport:
    """Collects the part statuses of converted records; writes a CSV and a summary."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, dict[str, str]]] = []
        self.outcomes: Counter[str] = Counter()
        self.failures: list[tuple[str, str]] = []

    def add(self, conversion: Conversion, outcome: str | None = None) -> None:
        """Record one converted record and, when it was stored, what the store did with it."""
        title = conversion.document.get("title", "")
        self.rows.append((conversion.code, title, dict(conversion.parts)))
        if outcome is not None:
            self.outcomes[outcome] += 1

    def fail(self, code: str, message: str) -> None:
        """Record a record that could not be stored."""
        self.failures.append((code, message))
        self.outcomes["failed"] += 1

    def __len__(self) -> int:
        return len(self.rows)

    def counts(self, part: str) -> Counter[str]:
        """How many records have each status for `part`."""
        return Counter(parts.get(part, "absent") for _, _, parts in self.rows)

    def rate(self, part: str) -> float:
        """The share of records whose `part` parsed cleanly (0 when there are no records)."""
        return self.counts(part)["parsed"] / len(self.rows) if self.rows else 0.0

    def rates(self) -> dict[str, float]:
        """Parse rate of every part."""
        return {part: self.rate(part) for part in PARTS}

    def write_csv(self, path: str | Path) -> None:
        """One line per record: code, title, then the status of every part."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "title", *PARTS])
            for code, title, parts in self.rows:
                writer.writerow([code, title, *(parts.get(part, "absent") for part in PARTS)])

    def summary(self) -> str:
        """A terminal table: counts per status and the parse rate of every part."""
        lines = [
            f"Hồ sơ thủ tục đã chuyển đổi / records converted: {len(self.rows)}",
            f"{'phần / part':<14}{'parsed':>8}{'raw':>8}{'absent':>8}{'rate':>9}",
        ]
        for part in PARTS:
            counts = self.counts(part)
            lines.append(
                f"{part:<14}{counts['parsed']:>8}{counts['raw']:>8}{counts['absent']:>8}"
                f"{self.rate(part):>8.1%}"
            )
        if self.outcomes:
            stored = ", ".join(f"{name}: {count}" for name, count in sorted(self.outcomes.items()))
            lines.append(f"Lưu trữ / stored: {stored}")
        for code, message in self.failures[:20]:
            lines.append(f"  lỗi / failed {code}: {message}")
        if len(self.failures) > 20:
            lines.append(f"  … {len(self.failures) - 20} more")
        return "\n".join(lines)
