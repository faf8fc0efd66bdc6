"""The fee due for one application: each fee of a channel applied to the quantity the form gives.

Rule (docs/procedure-format.md §2.1): a fee charges `amount` per unit (`per`: dossier, copy,
page, person, item); `tiers` lower the unit price from the `from`-th unit on; `maximum` caps
one set of units; a fee may name the form field giving its quantity (`quantity`: a JSON
pointer into the application, e.g. "/so_ban"). A fee without a known VND amount is unknown:
listed, never added to the total, never charged online. The site (live figure and check
page), the payment step and the PDFs all read the amount due from here.

Quantities:
- no `quantity`: the fee is charged once (one unit, one set), whatever its `per`;
- `"quantity": "/so_ban"`: one set of that many units (0 units → 0 đ);
- `"quantity": "/items/*/pages"` (one `*` = every item of a repeating group): each item is
  its own set — tiers start again and `maximum` caps each item — and the sets are summed;
- `"times": "/items/*/copies"` (optional, integer field): each set is charged that many times
  (copies of one original cost alike); without `*` it multiplies the whole fee.
An answer left empty counts 0; without an application (`instance=None`, the blank form) the
field's `default` is used (0 when it has none).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from form_schemas.reader import resolve

WILDCARD = "*"


@dataclass(frozen=True)
class FeeLine:
    """One fee of the channel as this application owes it."""

    name: str
    kind: str | None
    quantity: int | None  # units the form gave (None: the fee names no quantity field)
    amount: int | None  # VND due for this fee; None when unknown (never charged online)
    fee: Mapping[str, Any] = field(repr=False, default_factory=dict)
    # the sets charged: (units, times) — one per item of a repeating group, else one
    sets: tuple[tuple[int, int], ...] = ()
    # the form's answer is not a whole number ≥ 0 (yet): the amount cannot be worked out
    unreadable: bool = False

    @property
    def known(self) -> bool:
        """True when this fee's amount is known (0 included)."""
        return self.amount is not None


@dataclass(frozen=True)
class FeeDue:
    """What an application owes on one channel."""

    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        """VND payable online: the known lines summed (0 when none)."""
        return sum(line.amount or 0 for line in self.lines)

    @property
    def known(self) -> bool:
        """True when every line has a known amount (the total is the whole cost)."""
        return bool(self.lines) and all(line.amount is not None for line in self.lines)

    @property
    def unknown_lines(self) -> tuple[FeeLine, ...]:
        return tuple(line for line in self.lines if line.amount is None)

    @property
    def depends_on_answers(self) -> bool:
        """True when some fee's amount follows a field of the form."""
        return any(line.quantity is not None for line in self.lines)


def _channel(document: Mapping[str, Any], mode: str) -> Mapping[str, Any] | None:
    procedure = document.get("x-procedure", document)
    for channel in procedure.get("channels") or ():
        if channel.get("mode") == mode:
            return channel
    return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def known_amount(fee: Mapping[str, Any]) -> bool:
    """A fee whose amount is known in VND (the only ones counted and charged online)."""
    return _whole(fee.get("amount")) and (fee.get("currency") or "VND") == "VND"


def steps(quantity: str) -> list[str]:
    """The steps of a JSON pointer ("/items/*/pages" → ["items", "*", "pages"])."""
    if not quantity.startswith("/"):
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in quantity[1:].split("/")]


def units_cost(fee: Mapping[str, Any], units: int) -> int:
    """The cost of one set of `units` units: `amount` each, a tier's amount from its `from`-th
    unit on, capped at `maximum`."""
    if units <= 0:
        return 0
    prices = [(1, int(fee["amount"]))]
    for tier in fee.get("tiers") or ():
        if isinstance(tier, Mapping) and _whole(tier.get("from")) and _whole(tier.get("amount")):
            prices.append((max(2, int(tier["from"])), int(tier["amount"])))
    prices.sort()
    cost = 0
    for i, (start, price) in enumerate(prices):
        end = prices[i + 1][0] - 1 if i + 1 < len(prices) else units  # last unit at this price
        counted = min(end, units) - start + 1
        if counted > 0:
            cost += counted * price
    maximum = fee.get("maximum")
    return min(cost, int(maximum)) if _whole(maximum) else cost


def _schema_default(document: Mapping[str, Any], parts: list[str]) -> Any:
    """The form's `default` at a pointer (steps through `*` into a group's items)."""
    node: Mapping[str, Any] = resolve(document, document)
    for part in parts:
        if part == WILDCARD:
            items = node.get("items")
            if not isinstance(items, Mapping):
                return None
            node = resolve(document, items)
            continue
        props = node.get("properties")
        if not isinstance(props, Mapping) or not isinstance(props.get(part), Mapping):
            return None
        node = resolve(document, props[part])
    return node.get("default")


def _lookup(value: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _answers(document: Mapping[str, Any], instance: Any, pointer: str) -> Iterator[Any]:
    """The answers at `pointer`: one value, or one per item of the group the `*` stands for
    (None for an empty answer)."""
    parts = steps(pointer)
    if WILDCARD not in parts:
        if instance is None:
            yield _schema_default(document, parts)
        else:
            yield _lookup(instance, parts)
        return
    star = parts.index(WILDCARD)
    head, tail = parts[:star], parts[star + 1:]
    group = _schema_default(document, head) if instance is None else _lookup(instance, head)
    for item in group if isinstance(group, list) else ():
        yield _lookup(item, tail)


def _count(value: Any) -> int | None:
    """An answer as a number of units: None → 0; a whole number ≥ 0 as it is; else None."""
    if value is None:
        return 0
    return int(value) if _whole(value) else None


def _sets(document: Mapping[str, Any], instance: Any, fee: Mapping[str, Any]
          ) -> tuple[tuple[int, int], ...] | None:
    """(units, times) of each set the fee charges; None when an answer is not a count."""
    quantity, times = fee.get("quantity"), fee.get("times")
    counts = [_count(v) for v in _answers(document, instance, quantity)] if isinstance(quantity, str) else [1]
    if isinstance(times, str):
        factors = [_count(v) for v in _answers(document, instance, times)]
        if WILDCARD not in steps(times):
            factors = factors * len(counts)
    else:
        factors = [1] * len(counts)
    if None in counts or None in factors or len(factors) != len(counts):
        return None
    return tuple(zip(counts, factors, strict=True))  # type: ignore[arg-type]


def fee_line(document: Mapping[str, Any], fee: Mapping[str, Any], instance: Any = None) -> FeeLine:
    """One fee applied to the application `instance` (None: the blank form's defaults)."""
    name, kind = str(fee.get("name") or ""), fee.get("kind")
    names_quantity = isinstance(fee.get("quantity"), str)
    if not known_amount(fee):
        return FeeLine(name, kind, None, None, fee)
    sets = _sets(document, instance, fee)
    if sets is None:
        return FeeLine(name, kind, None, None, fee, unreadable=True)
    quantity = sum(units * times for units, times in sets) if names_quantity else None
    amount = sum(units_cost(fee, units) * times for units, times in sets)
    return FeeLine(name, kind, quantity, amount, fee, sets)


def amount_due(document: Mapping[str, Any], instance: Any = None, mode: str = "online") -> FeeDue:
    """The fees of `document`'s `mode` channel applied to the application `instance`."""
    channel = _channel(document, mode)
    fees = (channel or {}).get("fees") or ()
    return FeeDue(tuple(fee_line(document, fee, instance) for fee in fees if isinstance(fee, Mapping)))


def may_charge(document: Mapping[str, Any], mode: str = "online") -> bool:
    """True when some answer could make a known fee of the channel cost more than 0 (the
    procedure page's "apply and pay online", before anything is answered)."""
    for fee in (_channel(document, mode) or {}).get("fees") or ():
        if not isinstance(fee, Mapping) or not known_amount(fee):
            continue
        prices = [fee["amount"], *(t.get("amount") for t in fee.get("tiers") or () if isinstance(t, Mapping))]
        if any(_whole(p) and p > 0 for p in prices) and fee.get("maximum") != 0:
            return True
    return False


def quantity_inputs(fees: Any) -> list[str]:
    """The pointers every fee of `fees` reads (quantity and times), in order, without repeats."""
    found: list[str] = []
    for fee in fees or ():
        for key in ("quantity", "times"):
            value = fee.get(key) if isinstance(fee, Mapping) else None
            if isinstance(value, str) and value not in found:
                found.append(value)
    return found
