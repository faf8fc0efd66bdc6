"""The question library's cost: what a block with the 2025 map (3,321 communes) adds.

Times (p50, p95 over `--runs`, same run, same process), the birth registration sample
(tests/factories.py) alone as the baseline, then with the person block inserted:
- form_schemas.blocks.insert_block (the builder action's own work);
- form_schemas.validation.validate_procedure (run before every draft save);
- the citizen form compiled and drawn (renderers.forms, cache cleared each time);
- a filled application checked (CompiledForm.validate);
and prints the document and page sizes. Goal: a builder action with the block well under the
issue's 150 ms.

Run: .venv/bin/python bench/blocks.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    from catalog.services.blocks import places
    from form_schemas import blocks
    from form_schemas.validation import validate_procedure
    from renderers.forms import clear_cache, compile_form
    from tests.factories import document

    base = document("1.001193")
    person = next(b for b in blocks.builtin_blocks(places()) if b.key == "person")
    with_block, path = blocks.insert_block(base, person)
    commune = places()[0].communes[0].code
    filled = {path: {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-01-01", "so_dinh_danh": "001090012345",
                     "so_dien_thoai": "0912345678", "noi_cu_tru": {"tinh": "01", "xa": commune, "so_nha": "1"}}}

    def draw(doc: dict) -> Callable[[], object]:
        def work() -> object:
            clear_cache()
            return compile_form(doc).render()
        return work

    rows = [
        ("insert_block (person)", None, timed(runs, lambda: blocks.insert_block(base, person))),
        ("validate_procedure", timed(runs, lambda: validate_procedure(base)),
         timed(runs, lambda: validate_procedure(with_block))),
        ("compile + render citizen form", timed(runs, draw(base)), timed(runs, draw(with_block))),
        ("validate a filled application", None, timed(runs, lambda: compile_form(with_block).validate(filled))),
    ]
    print(f"{'ms (p50 / p95)':36} {'baseline':>16} {'with person block':>20}")
    for name, before, after in rows:
        left = f"{before[0]:.1f} / {before[1]:.1f}" if before else "-"
        print(f"{name:36} {left:>16} {after[0]:.1f} / {after[1]:.1f}")
    size = lambda doc: len(json.dumps(doc, ensure_ascii=False).encode())  # noqa: E731
    print(f"document bytes: {size(base)} -> {size(with_block)}; citizen form HTML bytes: "
          f"{len(compile_form(base).render())} -> {len(compile_form(with_block).render())}")


if __name__ == "__main__":
    main()
