"""Checks on `pattern` values: they must compile and must not risk catastrophic backtracking."""

from __future__ import annotations

import re

try:  # Python ≥ 3.11 keeps the parser private
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
MAX_PATTERN_LENGTH = 1000


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """None when the pattern is safe, else a (Vietnamese, English) reason."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return (f"biểu thức chính quy dài quá {MAX_PATTERN_LENGTH} ký tự",
                f"regular expression longer than {MAX_PATTERN_LENGTH} characters")
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return (f"biểu thức chính quy không hợp lệ: {exc}", f"invalid regular expression: {exc}")
    if _risky(parsed):
        return (
            "biểu thức chính quy có lượng từ lồng nhau (ví dụ (a+)+), có thể treo máy chủ",
            "regular expression nests unbounded quantifiers (e.g. (a+)+) and risks catastrophic backtracking",
        )
    return None


_ANCHORS = {sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.CATEGORY}


def _unbounded(arg: tuple) -> bool:
    return arg[1] == sre_constants.MAXREPEAT or arg[1] > 100


def _flatten(items: object) -> list:
    """Top-level items of a sequence, with groups opened up."""
    out: list = []
    for op, arg in items:  # type: ignore[attr-defined]
        if op is sre_constants.SUBPATTERN:
            out.extend(_flatten(arg[-1]))
        else:
            out.append((op, arg))
    return out


def _children(op: object, arg: object) -> list:
    if op in _REPEATS:
        return [arg[2]]  # type: ignore[index]
    if op is sre_constants.SUBPATTERN:
        return [arg[-1]]  # type: ignore[index]
    if op is sre_constants.BRANCH:
        return list(arg[1])  # type: ignore[index]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [arg[1]]  # type: ignore[index]
    return []


def _contains_unbounded(items: object) -> bool:
    return any(
        (op in _REPEATS and _unbounded(arg)) or any(_contains_unbounded(c) for c in _children(op, arg))
        for op, arg in items  # type: ignore[attr-defined]
    )


def _risky(items: object) -> bool:
    """An unbounded repeat whose body can itself repeat without a required delimiter, e.g.
    (a+)+ or (\\w+\\s?)*, or whose body is an alternation of overlapping branches, e.g. (a|ab)*."""
    for op, arg in items:  # type: ignore[attr-defined]
        if op in _REPEATS and _unbounded(arg) and op is not sre_constants.POSSESSIVE_REPEAT:
            body = _flatten(arg[2])
            has_anchor = any(o in _ANCHORS for o, _ in body)
            if _contains_unbounded(arg[2]) and not has_anchor:
                return True
            if any(o is sre_constants.BRANCH and _overlapping_branches(a[1]) for o, a in body):
                return True
        if any(_risky(child) for child in _children(op, arg)):
            return True
    return False


def _overlapping_branches(branches: list) -> bool:
    """Alternatives that can start with the same item, e.g. (a|ab)."""
    firsts: list[str] = []
    for branch in branches:
        if not branch:
            return True
        key = repr(_flatten(branch)[:1])
        if key in firsts:
            return True
        firsts.append(key)
    return False
