"""Validation time of procedure documents, against plain jsonschema meta-validation.

Prints, for a 60-field document and for the whole sample catalogue, our full validation
(meta-schema + semantic rules) beside `Draft202012Validator(META_2020_12).iter_errors` run on
the same documents in the same process (the baseline), and their ratio. Our validation now
includes the form compiler's checks (valid means drawable); their own cost on the largest
sample is printed last (goal: under 5 ms).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jsonschema import Draft202012Validator  # noqa: E402

from catalog.samples import sample_paths  # noqa: E402
from form_schemas.loading import read_document  # noqa: E402
from form_schemas.validation import validate_procedure  # noqa: E402
from renderers.forms.compile import form_problems  # noqa: E402
from tests.factories import document  # noqa: E402

COMPILE_GOAL_MS = 5.0  # the form compiler's checks, run by validate_procedure


def sixty_fields() -> dict[str, Any]:
    doc = document()
    kinds = [
        {"type": "string", "maxLength": 100},
        {"type": "string", "format": "vn-phone"},
        {"type": "integer", "minimum": 0, "maximum": 100},
        {"type": "string", "enum": ["a", "b", "c"], "x-enumNames": ["A", "B", "C"]},
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{12}$"},
    ]
    groups = {}
    for g in range(6):
        props = {f"f{g}_{i}": {**kinds[i % len(kinds)], "title": f"Trường {g}.{i}"} for i in range(10)}
        groups[f"group{g}"] = {"type": "object", "title": f"Nhóm {g}", "properties": props,
                               "required": sorted(props)[:3]}
    doc["properties"] = {**doc["properties"], **groups}
    return doc


def timed(func: Any, docs: list[dict[str, Any]], rounds: int) -> float:
    """Median milliseconds to validate all `docs` once."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for doc in docs:
            func(doc)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    standard = Draft202012Validator(Draft202012Validator.META_SCHEMA)

    def baseline(doc: dict[str, Any]) -> None:
        list(standard.iter_errors(doc))

    def ours(doc: dict[str, Any]) -> None:
        assert validate_procedure(doc) == []

    cases = {
        "60-field document": [sixty_fields()],
        f"sample catalogue ({len(sample_paths())} documents)": [read_document(p) for p in sample_paths()],
    }
    print(f"{'case':<36} {'ours ms':>9} {'jsonschema ms':>14} {'ratio':>7}")
    for name, docs in cases.items():
        ours(docs[0])  # compile the meta-validator once, as a running process has
        baseline(docs[0])
        mine = timed(ours, docs, 30)
        base = timed(baseline, docs, 30)
        print(f"{name:<36} {mine:>9.2f} {base:>14.2f} {mine / base:>6.2f}×")
    largest = max(sample_paths(), key=lambda p: p.stat().st_size)
    doc = read_document(largest)
    form_problems(doc)
    drawn = timed(form_problems, [doc], 30)
    verdict = "ok" if drawn < COMPILE_GOAL_MS else "OVER GOAL"
    print(f"compile check, largest sample ({largest.name}): {drawn:.2f} ms (goal < {COMPILE_GOAL_MS} ms) {verdict}")


if __name__ == "__main__":
    main()
