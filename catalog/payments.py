"""Online fee payment (level 4): a provider interface and a built-in sandbox provider.

What is charged is never decided here: `fee_total` is form_schemas.fees.amount_due's total (the
fees applied to the answers), and the dossier service charges what it works out again from the
dossier's stored answers.

Flow: the app calls `start()` and redirects the citizen to `redirect_url`; the provider (for
the sandbox: a page the app renders at that URL, with pay / fail / cancel buttons) comes back
with an outcome, the app calls `complete()` and records the `PaymentResult` on the dossier.

The sandbox keeps no server-side state that a second worker would miss: the session id is a
signed token carrying the dossier code, amount, description and return URL, so any gunicorn
worker can render the page and complete the payment. Completed sessions are remembered per
process so a repeated `complete()` returns the first result.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from form_schemas.fees import amount_due, known_amount

PaymentStatus = Literal["paid", "failed", "cancelled"]
OUTCOMES: dict[str, PaymentStatus] = {"pay": "paid", "fail": "failed", "cancel": "cancelled"}
MAX_DESCRIPTION = 200


@dataclass(frozen=True)
class PaymentSession:
    id: str
    redirect_url: str


@dataclass(frozen=True)
class PaymentResult:
    status: PaymentStatus
    paid_at: datetime | None
    reference: str
    amount: int


class PaymentError(ValueError):
    """A session the provider does not know, or an outcome it does not offer."""


class PaymentProvider(Protocol):
    """What the citizen site needs from a payment provider."""

    name: str

    def start(
        self, dossier_code: str, amount: int, description: str, return_url: str
    ) -> PaymentSession: ...

    def complete(self, session_id: str, outcome: str) -> PaymentResult: ...


@dataclass(frozen=True)
class SandboxSession:
    """What the sandbox page shows and where it sends the citizen back."""

    id: str
    dossier_code: str
    amount: int
    description: str
    return_url: str


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SandboxProvider:
    """Pretend provider: the citizen chooses pay / fail / cancel on a sandbox page."""

    name = "sandbox"

    def __init__(
        self,
        secret: str | bytes,
        *,
        base_url: str = "/payments/sandbox",
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        if not secret:
            raise ValueError("the sandbox needs a secret to sign its sessions")
        self._secret = secret.encode() if isinstance(secret, str) else secret
        self.base_url = base_url.rstrip("/")
        self._clock = clock
        self._results: dict[str, PaymentResult] = {}

    def _sign(self, payload: str) -> str:
        mac = hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).digest()
        return _b64encode(mac[:16])

    def start(
        self, dossier_code: str, amount: int, description: str, return_url: str
    ) -> PaymentSession:
        """Open a session for `amount` VND; the citizen goes to `redirect_url`."""
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValueError("amount must be a positive whole number of VND")
        data = {
            "d": dossier_code,
            "a": amount,
            "t": description[:MAX_DESCRIPTION],
            "r": return_url,
            "n": secrets.token_hex(4),
        }
        payload = _b64encode(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
        session_id = f"{payload}.{self._sign(payload)}"
        return PaymentSession(id=session_id, redirect_url=f"{self.base_url}/{session_id}")

    def session(self, session_id: str) -> SandboxSession:
        """Decode a session for the sandbox page; PaymentError if forged or malformed."""
        payload, _, signature = session_id.partition(".")
        try:
            if not payload or not hmac.compare_digest(signature, self._sign(payload)):
                raise PaymentError("phiên thanh toán không hợp lệ")
            data: Mapping[str, Any] = json.loads(_b64decode(payload))
            return SandboxSession(
                id=session_id,
                dossier_code=str(data["d"]),
                amount=int(data["a"]),
                description=str(data["t"]),
                return_url=str(data["r"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise PaymentError("phiên thanh toán không hợp lệ") from exc

    def reference(self, session_id: str) -> str:
        """The transaction reference of a session: the same id always gives the same one."""
        digest = hmac.new(self._secret, session_id.encode("ascii"), hashlib.sha256).hexdigest()
        return f"SBX-{digest[:12].upper()}"

    def complete(self, session_id: str, outcome: str) -> PaymentResult:
        """Finish a session with "pay", "fail" or "cancel"; the first outcome is final."""
        if outcome not in OUTCOMES:
            raise PaymentError(f"kết quả thanh toán không hợp lệ: {outcome!r}")
        session = self.session(session_id)
        if session_id in self._results:
            return self._results[session_id]
        status = OUTCOMES[outcome]
        result = PaymentResult(
            status=status,
            paid_at=self._clock() if status == "paid" else None,
            reference=self.reference(session_id),
            amount=session.amount,
        )
        self._results[session_id] = result
        return result


def online_channel(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The online channel of a procedure document (or of its x-procedure), if any."""
    procedure = document.get("x-procedure", document)
    for channel in procedure.get("channels") or ():
        if channel.get("mode") == "online":
            return channel
    return None


def payable_online(fee: Mapping[str, Any]) -> bool:
    """A fee the sandbox can charge: a known whole amount in VND.

    A fee without amount (set by the province, per a regulation, to check) or in another
    currency is never charged online: the citizen pays it where the result is collected."""
    return known_amount(fee)


def fee_total(document: Mapping[str, Any], instance: Any = None) -> int:
    """VND to pay online for the application `instance` (None: the blank form's defaults):
    form_schemas.fees.amount_due on the online channel, 0 when none.

    Fees that are not `payable_online` are left out (see `fees_not_payable_online`)."""
    return amount_due(document, instance, "online").total


def fees_not_payable_online(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The online channel's fees with no known VND amount: shown as unknown, paid in person."""
    channel = online_channel(document)
    if channel is None:
        return []
    return [fee for fee in channel.get("fees") or () if not payable_online(fee)]


def fees_known(document: Mapping[str, Any]) -> bool:
    """True when the online channel lists its fees and every one has a VND amount, so
    `fee_total` is the whole cost (0 then really means free)."""
    return amount_due(document, None, "online").known
