"""`pattern` values: evaluated on the server by RE2 (linear time), guarded before a browser sees them.

The rule: the server never runs a document's pattern on a backtracking engine. Every `pattern`
(and `patternProperties` key) is compiled and searched with RE2, whose matching time is linear
in the input whatever the pattern; a document whose pattern RE2 cannot compile (backreferences,
lookaround, atomic groups, possessive quantifiers, repeat counts over 1000…) is refused, with
the construct named. RE2's `$` is the end of the text, as in JavaScript, so "1.001193\\n" does
not match `^\\d\\.\\d{6}$` (Python's `re` would accept it).

Browsers evaluate the HTML `pattern` attribute with a backtracking engine, so the attribute is
only emitted for a pattern `browser_safe` accepts: no repeated group whose body can match in
more than one way (nested quantifiers, `(.*a){12}`, `(a?){25}`), no run of overlapping
unbounded quantifiers (`\\d+\\d+`), no repeat of overlapping alternatives (`(a|ab)*`).
Anything else is checked by the server only.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import re2

try:  # Python ≥ 3.11 keeps the parser private
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_PATTERN_LENGTH = 1000

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported to the author, not logged to stderr

# RE2's message -> the construct, (Vietnamese, English)
_CONSTRUCTS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"invalid escape sequence: \\[1-9]"), "tham chiếu ngược (\\1…)", "a backreference (\\1…)"),
    (re.compile(r"invalid escape sequence: \\k|\(\?P="), "tham chiếu ngược có tên (\\k<…>)", "a named backreference (\\k<…>)"),
    (re.compile(r"\(\?[=!]"), "phép nhìn trước (?= …) / (?! …)", "a lookahead (?=…) / (?!…)"),
    (re.compile(r"\(\?<[=!]"), "phép nhìn sau (?<= …) / (?<! …)", "a lookbehind (?<=…) / (?<!…)"),
    (re.compile(r"\(\?>"), "nhóm nguyên tử (?> …)", "an atomic group (?>…)"),
    (re.compile(r"\(\?\("), "nhóm điều kiện (?( …)", "a conditional group (?(…)"),
    (re.compile(r"bad repetition operator: [*+?}]\+"), "lượng từ chiếm hữu (*+, ++, ?+)", "a possessive quantifier (*+, ++, ?+)"),
    (re.compile(r"invalid repetition size"), "số lần lặp lớn hơn 1000", "a repeat count above 1000"),
)


class _Invalid(Exception):
    """RE2 refused the pattern; carries the (Vietnamese, English) reason."""

    def __init__(self, reason: tuple[str, str]):
        super().__init__(reason[1])
        self.reason = reason


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Any:
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise _Invalid(_reason(exc)) from None


def _reason(exc: Exception) -> tuple[str, str]:
    detail = exc.args[0] if exc.args else str(exc)
    text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    for found, vi, en in _CONSTRUCTS:
        if found.search(text):
            return (f"biểu thức chính quy dùng {vi}, máy chủ không hỗ trợ (chỉ chạy biểu thức thời gian tuyến tính)",
                    f"the regular expression uses {en}, which the server does not support (linear-time patterns only)")
    return (f"biểu thức chính quy không hợp lệ: {text}", f"invalid regular expression: {text}")


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """None when RE2 compiles the pattern, else a (Vietnamese, English) reason naming the construct."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return (f"biểu thức chính quy dài quá {MAX_PATTERN_LENGTH} ký tự",
                f"regular expression longer than {MAX_PATTERN_LENGTH} characters")
    try:
        _compiled(pattern)
    except _Invalid as exc:
        return exc.reason
    return None


def search(pattern: str, text: str) -> bool:
    """JSON Schema `pattern` semantics (an unanchored search), in linear time.

    A pattern RE2 cannot compile matches nothing: documents carrying one are refused before
    they are published, so this only happens for unpublished or hand-made schemas."""
    try:
        return _compiled(pattern).search(text) is not None
    except _Invalid:
        return False


def fullmatch(pattern: str, text: str) -> bool:
    """The whole of `text` matches (no trailing newline slips through, unlike `re` with `$`)."""
    try:
        return _compiled(pattern).fullmatch(text) is not None
    except _Invalid:
        return False


# --- the browser guard -------------------------------------------------------------------

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
_MAX_BROWSER_REPEAT = 100  # a bounded repeat above this counts as unbounded
# characters tried when deciding whether two character sets overlap (besides their own literals)
_PROBES = "09azAZ_ -./@:+,\n\té€Đđ一"


def browser_safe(pattern: str) -> bool:
    """True when a backtracking engine (the browser's) runs `pattern` in polynomial time of low degree."""
    if len(pattern) > MAX_PATTERN_LENGTH or pattern_problem(pattern):
        return False
    if "[:" in pattern:  # RE2's POSIX classes mean something else to a browser
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. FutureWarning on RE2's [[:alpha:]]
            parsed = sre_parse.parse(pattern)
        return not _risky(list(parsed)) and not _merged_alternatives(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False


# Python's parser turns (\d|\w) into the set [\d\w]; a browser keeps the two branches and
# backtracks through both, so repeated groups of one-character alternatives are read raw here.
_ATOM = r"(?:\\.|\[(?:\\.|[^\]\\])*\]|[^|()\\\[])"
_ATOM_ALTERNATIVES = re.compile(rf"\((?:\?:)?({_ATOM}(?:\|{_ATOM})+)\)[*+{{]")


def _merged_alternatives(pattern: str) -> bool:
    for found in _ATOM_ALTERNATIVES.finditer(pattern):
        try:
            branches = [list(_leaves(list(sre_parse.parse(atom)))) for atom in found.group(1).split("|")]
        except (re.error, ValueError):
            return True
        for i, leaves in enumerate(branches):
            if any(_overlap(leaves, other) for other in branches[i + 1:]):
                return True
    return False


def _unbounded(high: int) -> bool:
    return high == sre_constants.MAXREPEAT or high > _MAX_BROWSER_REPEAT


def _children(op: Any, arg: Any) -> list[list]:
    if op in _REPEATS:
        return [list(arg[2])]
    if op is sre_constants.SUBPATTERN:
        return [list(arg[-1])]
    if op is sre_constants.BRANCH:
        return [list(b) for b in arg[1]]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [list(arg[1])]
    return []


def _width(items: list) -> tuple[int, int]:
    low, high = sre_parse.SubPattern(sre_parse.State(), items).getwidth()
    return low, high


def _leaves(items: list) -> Iterator[tuple[Any, Any]]:
    """Every single-character matcher inside `items`."""
    for op, arg in items:
        if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.ANY,
                  sre_constants.IN, sre_constants.CATEGORY):
            yield op, arg
        for child in _children(op, arg):
            yield from _leaves(child)


def _category(code: Any, char: str) -> bool:
    c = sre_constants
    tests = {
        c.CATEGORY_DIGIT: char.isdigit(), c.CATEGORY_NOT_DIGIT: not char.isdigit(),
        c.CATEGORY_SPACE: char.isspace(), c.CATEGORY_NOT_SPACE: not char.isspace(),
        c.CATEGORY_WORD: char.isalnum() or char == "_", c.CATEGORY_NOT_WORD: not (char.isalnum() or char == "_"),
    }
    return tests.get(code, True)


def _member(op: Any, arg: Any, char: str) -> bool:
    c = sre_constants
    if op is c.LITERAL:
        return ord(char) == arg
    if op is c.NOT_LITERAL:
        return ord(char) != arg
    if op is c.ANY:
        return char != "\n"
    if op is c.CATEGORY:
        return _category(arg, char)
    if op is c.IN:
        negate = bool(arg) and arg[0][0] is c.NEGATE
        found = False
        for sub_op, sub_arg in arg[1 if negate else 0:]:
            if sub_op is c.LITERAL and ord(char) == sub_arg or sub_op is c.RANGE and sub_arg[0] <= ord(char) <= sub_arg[1] or sub_op is c.CATEGORY and _category(sub_arg, char):
                found = True
        return found != negate
    return True


def _samples(leaf: tuple[Any, Any]) -> set[str]:
    op, arg = leaf
    out: set[str] = set()
    if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL):
        out.add(chr(arg))
    elif op is sre_constants.IN:
        for sub_op, sub_arg in arg:
            if sub_op is sre_constants.LITERAL:
                out.add(chr(sub_arg))
            elif sub_op is sre_constants.RANGE:
                out.update((chr(sub_arg[0]), chr(sub_arg[1])))
    return out


def _overlap(a: list[tuple[Any, Any]], b: list[tuple[Any, Any]]) -> bool:
    """Some character is matched by a leaf of `a` and by a leaf of `b`."""
    probes = set(_PROBES)
    for leaf in (*a, *b):
        probes |= _samples(leaf)
    return any(
        any(_member(*x, ch) for x in a) and any(_member(*y, ch) for y in b) for ch in probes
    )


def _ambiguous_sequence(items: list) -> bool:
    """Two unbounded items that can take the same characters with nothing between them that
    only one of them could take: `\\d+\\d+`, `.*x.*` (x is matched by `.`)."""
    items = _opened(items)
    for i, (op, arg) in enumerate(items):
        if not (op in _REPEATS and _unbounded(arg[1])):
            continue
        chars = list(_leaves([(op, arg)]))
        for later_op, later_arg in items[i + 1:]:
            starts = _firsts([(later_op, later_arg)])
            overlapping = _overlap(chars, starts)
            if later_op in _REPEATS and _unbounded(later_arg[1]) and overlapping:
                return True
            if _width([(later_op, later_arg)])[0] >= 1 and not overlapping:
                break  # a required delimiter the first repeat cannot eat
    return False


def _firsts(items: list) -> list[tuple[Any, Any]]:
    """The single-character matchers that can match the first character of `items`."""
    out: list[tuple[Any, Any]] = []
    for op, arg in _opened(items):
        if op is sre_constants.BRANCH:
            for branch in arg[1]:
                out.extend(_firsts(list(branch)))
        elif op in _REPEATS:
            out.extend(_firsts(list(arg[2])))
        else:
            out.extend(_leaves([(op, arg)]))
        if _width([(op, arg)])[0] >= 1:
            break
    return out


def _opened(items: list) -> list:
    """A sequence with its plain groups opened up (group bodies are part of the sequence)."""
    out: list = []
    for op, arg in items:
        if op is sre_constants.SUBPATTERN:
            out.extend(_opened(list(arg[-1])))
        else:
            out.append((op, arg))
    return out


def _repeat_ambiguous(body: list) -> bool:
    """A repeated body (count above 1) that can split the same text in more than one way."""
    low, high = _width(body)
    if low != high:
        # variable width: safe only when a required character the rest cannot take delimits it
        items = _opened(body)
        for i, (op, arg) in enumerate(items):
            w_low, w_high = _width([(op, arg)])
            if w_low == w_high == 1 and op not in _REPEATS:
                others = list(_leaves(items[:i] + items[i + 1:]))
                if not _overlap([(op, arg)], others):
                    return False
        return True
    for op, arg in _opened(body):
        if op is sre_constants.BRANCH and _overlapping_branches(arg[1]):
            return True
    return False


def _overlapping_branches(branches: list) -> bool:
    """Alternatives that can start with the same character, e.g. (a|ab)."""
    firsts: list[list] = []
    for branch in branches:
        opened = _opened(list(branch))
        if not opened:
            return True
        head = _firsts(opened)
        if any(_overlap(head, other) for other in firsts):
            return True
        firsts.append(head)
    return False


def _risky(items: list) -> bool:
    if _ambiguous_sequence(items):
        return True
    for op, arg in items:
        repeated = op in _REPEATS and arg[1] > 1 and op is not sre_constants.POSSESSIVE_REPEAT
        if repeated and _repeat_ambiguous(list(arg[2])):
            return True
        if op is sre_constants.BRANCH and any(_ambiguous_sequence(list(b)) for b in arg[1]):
            return True
        if any(_risky(child) for child in _children(op, arg)):
            return True
    return False


# --- jsonschema with RE2 -----------------------------------------------------------------


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties_keyword(validator: Any, patterns: dict[str, Any], instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


@lru_cache(maxsize=1)
def re2_validator_class() -> Any:
    """Draft 2020-12 validation with `pattern` and `patternProperties` evaluated by RE2, and our
    date bounds (`formatMinimum`/`formatMaximum`, form_schemas.datebounds)."""
    from jsonschema import Draft202012Validator, validators

    from form_schemas.datebounds import VALIDATORS as DATE_BOUNDS

    return validators.extend(
        Draft202012Validator,
        {"pattern": _pattern_keyword, "patternProperties": _pattern_properties_keyword, **DATE_BOUNDS},
    )
