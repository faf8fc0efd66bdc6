"""Hostile `pattern`s: RE2 (what the server runs) beside Python's backtracking `re` (the baseline).

For each pattern of the issue, prints the time RE2 takes on the 41-character hostile value, and
the time Python's `re` takes on shorter prefixes of the same shape (it grows exponentially or
polynomially, so the baseline stops at a few hundred milliseconds per call to stay bounded).
Goal: every RE2 search well under 1 ms; the site answers the post in < 100 ms.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from form_schemas.regexes import browser_safe, search  # noqa: E402

CASES = [
    (lambda n: r"^(.*a){12}$", lambda n: "a" * (n - 1) + "!"),
    (lambda n: r"^\d+\d+\d+\d+\d+x$", lambda n: "1" * (n - 1) + "y"),
    (lambda n: r"^(a?){25}a{25}$", lambda n: "a" * (n - 1) + "!"),
    # (a?){n}a{n} on n a's matches, and is exponential on a backtracking engine all the same
    (lambda n: rf"^(a?){{{n}}}a{{{n}}}$", lambda n: "a" * n),
]
BUDGET_S = 0.3


def seconds(function, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    print(f"{'pattern':<24} {'browser?':<9} {'RE2 41 chars':>13}   Python re (baseline), by length")
    for pattern_of, value_of in CASES:
        pattern, value = pattern_of(41), value_of(41)
        best = min(seconds(search, pattern, value) for _ in range(20))
        baseline: list[str] = []
        for n in range(10, 42, 2):
            spent = seconds(re.search, pattern_of(n), value_of(n))
            baseline.append(f"{n}:{spent * 1000:.1f}ms")
            if spent > BUDGET_S:
                baseline.append("… (stopped)")
                break
        print(f"{pattern:<24} {str(browser_safe(pattern)):<9} {best * 1e6:>10.1f} µs   {' '.join(baseline)}")


if __name__ == "__main__":
    main()
