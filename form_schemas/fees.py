"""The fee due for one application: each fee of a channel applied to the quantity the form gives.

Rule (docs/procedure-format.md §2.1): a fee charges `amount` per unit (`per`: dossier, copy,
page, person, item); `tiers` lower the unit price from the `from`-th unit on; `maximum` caps
one set of units; a fee may name the form field giving its quantity (`quantity`: a JSON
pointer into the application, e.g. "/so_ban"). A fee without a known VND amount is unknown:
listed, never added to the total, never charged online. The site (live figure and check
page), the payment step and the PDFs all read the amount due from here.

(Interface fixed first so the site can use it; the fees work fills in the computation.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeeLine:
    """One fee of the channel as this application owes it."""

    name: str
    kind: str | None
    quantity: int | None  # units the form gave (None: the fee names no quantity field)
    amount: int | None  # VND due for this fee; None when unknown (never charged online)
    fee: Mapping[str, Any] = field(repr=False, default_factory=dict)


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


def _channel(document: Mapping[str, Any], mode: str) -> Mapping[str, Any] | None:
    procedure = document.get("x-procedure", document)
    for channel in procedure.get("channels") or ():
        if channel.get("mode") == mode:
            return channel
    return None


def amount_due(document: Mapping[str, Any], instance: Any = None, mode: str = "online") -> FeeDue:
    """The fees of `document`'s `mode` channel applied to the application `instance`."""
    channel = _channel(document, mode)
    lines = []
    for fee in (channel or {}).get("fees") or ():
        amount = fee.get("amount")
        known = (isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0
                 and (fee.get("currency") or "VND") == "VND")
        lines.append(FeeLine(fee.get("name", ""), fee.get("kind"), None,
                             int(amount) if known else None, fee))
    return FeeDue(tuple(lines))
