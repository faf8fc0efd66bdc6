"""A problem found in a procedure document: where (JSON pointer) and why (vi + en)."""

from __future__ import annotations

from dataclasses import dataclass


def pointer(path: object) -> str:
    """RFC 6901 JSON pointer for a sequence of keys and indexes ("" for the root)."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]  # type: ignore[union-attr]
    return "/" + "/".join(parts) if parts else ""


@dataclass(frozen=True, order=True)
class SchemaProblem:
    pointer: str
    message_vi: str
    message_en: str

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer or "/", "message": self.message_vi, "message_en": self.message_en}

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message_vi} ({self.message_en})"


class InvalidProcedure(ValueError):
    """Raised when a procedure document fails validation; carries every problem."""

    def __init__(self, problems: list[SchemaProblem], warnings: list[SchemaProblem] | None = None):
        self.problems = problems
        self.warnings = list(warnings or [])  # shown beside the errors, never a reason to refuse
        super().__init__("; ".join(str(p) for p in problems[:5]))


class Verdict(list[SchemaProblem]):
    """The errors of a document (a list, as callers have always used it) and its `warnings`."""

    def __init__(self, errors: list[SchemaProblem] | None = None, warnings: list[SchemaProblem] | None = None):
        super().__init__(errors or [])
        self.warnings: list[SchemaProblem] = list(warnings or [])

    @property
    def errors(self) -> list[SchemaProblem]:
        return list(self)
