"""The quality report of an import: per record and part, the status and the reason for it.

Statuses: parsed (read with confidence), inferred (derived and marked), to_check (the source
is unclear; marked), raw (kept as source text), absent. Only "parsed" counts in the rate.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from .convert import PARTS, STATUSES, Conversion

__all__ = ["STATUSES", "QualityReport"]


class QualityReport:
    """Collects the part statuses of converted records; writes a CSV and a summary."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, dict[str, str]]] = []
        self.reasons: list[dict[str, str]] = []
        self.outcomes: Counter[str] = Counter()
        self.failures: list[tuple[str, str]] = []

    def add(self, conversion: Conversion, outcome: str | None = None) -> None:
        """Record one converted record and, when it was stored, what the store did with it."""
        title = conversion.document.get("title", "")
        self.rows.append((conversion.code, title, dict(conversion.parts)))
        self.reasons.append(dict(getattr(conversion, "reasons", {}) or {}))
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
        """One line per record: code, title, then the status and the reason of every part."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            header = ["code", "title"]
            for part in PARTS:
                header += [part, f"{part}_reason"]
            writer.writerow(header)
            for (code, title, parts), reasons in zip(self.rows, self.reasons, strict=True):
                row = [code, title]
                for part in PARTS:
                    status = parts.get(part, "absent")
                    row += [status, reasons.get(part, status)]
                writer.writerow(row)

    def summary(self) -> str:
        """A terminal table: per part, how many parsed, inferred, to check, raw and absent."""
        head = "".join(f"{status:>10}" for status in STATUSES)
        lines = [
            f"Hồ sơ thủ tục đã chuyển đổi / records converted: {len(self.rows)}",
            "parsed = đọc chắc chắn / read with confidence; inferred = suy ra / inferred; "
            "to_check = cần kiểm tra / to check",
            f"{'phần / part':<14}{head}{'rate':>9}",
        ]
        for part in PARTS:
            counts = self.counts(part)
            cells = "".join(f"{counts[status]:>10}" for status in STATUSES)
            lines.append(f"{part:<14}{cells}{self.rate(part):>8.1%}")
        if self.outcomes:
            stored = ", ".join(f"{name}: {count}" for name, count in sorted(self.outcomes.items()))
            lines.append(f"Lưu trữ / stored: {stored}")
        for code, message in self.failures[:20]:
            lines.append(f"  lỗi / failed {code}: {message}")
        if len(self.failures) > 20:
            lines.append(f"  … {len(self.failures) - 20} more")
        return "\n".join(lines)
