"""Level-4 fee payment through the sandbox provider, and the amount a citizen is asked for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from catalog.payments import (
    PaymentError,
    PaymentProvider,
    SandboxProvider,
    fee_total,
    online_channel,
)

PAID_AT = datetime(2026, 3, 2, 9, 30)


@pytest.fixture
def sandbox() -> SandboxProvider:
    return SandboxProvider("bí mật", clock=lambda: PAID_AT)


def residence_procedure() -> dict[str, Any]:
    """1.004222 Đăng ký thường trú: 10,000 VND online, 20,000 VND in person."""
    return {
        "title": "Đăng ký thường trú",
        "x-procedure": {
            "code": "1.004222",
            "channels": [
                {
                    "mode": "in_person",
                    "fees": [{"name": "Lệ phí đăng ký cư trú", "amount": 20000, "kind": "charge"}],
                },
                {
                    "mode": "online",
                    "fees": [
                        {"name": "Lệ phí đăng ký cư trú", "amount": 10000, "kind": "charge"},
                        {"name": "Phí cung cấp thông tin", "amount": 5000, "kind": "fee"},
                    ],
                },
            ],
        },
    }


def test_sandbox_is_a_payment_provider(sandbox: SandboxProvider) -> None:
    provider: PaymentProvider = sandbox
    assert provider.name == "sandbox"


def test_pay(sandbox: SandboxProvider) -> None:
    session = sandbox.start("2026-1.004222-000123", 15000, "Lệ phí đăng ký thường trú", "/d/x")
    assert session.redirect_url == f"/payments/sandbox/{session.id}"
    result = sandbox.complete(session.id, "pay")
    assert (result.status, result.amount, result.paid_at) == ("paid", 15000, PAID_AT)
    assert result.reference.startswith("SBX-")


@pytest.mark.parametrize(("outcome", "status"), [("fail", "failed"), ("cancel", "cancelled")])
def test_fail_and_cancel_record_no_payment(
    sandbox: SandboxProvider, outcome: str, status: str
) -> None:
    session = sandbox.start("2026-1.004222-000124", 10000, "Lệ phí", "/d/y")
    result = sandbox.complete(session.id, outcome)
    assert (result.status, result.paid_at, result.amount) == (status, None, 10000)


def test_sandbox_page_shows_what_was_started(sandbox: SandboxProvider) -> None:
    session = sandbox.start("2026-1.004222-000125", 10000, "Lệ phí đăng ký cư trú", "/dossiers/z")
    shown = sandbox.session(session.id)
    assert (shown.dossier_code, shown.amount) == ("2026-1.004222-000125", 10000)
    assert (shown.description, shown.return_url) == ("Lệ phí đăng ký cư trú", "/dossiers/z")


def test_first_outcome_is_final(sandbox: SandboxProvider) -> None:
    session = sandbox.start("2026-1.004222-000126", 10000, "Lệ phí", "/d/z")
    first = sandbox.complete(session.id, "cancel")
    assert sandbox.complete(session.id, "pay") == first


def test_another_worker_can_complete_the_session() -> None:
    worker_a = SandboxProvider("bí mật", clock=lambda: PAID_AT)
    worker_b = SandboxProvider("bí mật", clock=lambda: PAID_AT)
    session = worker_a.start("2026-1.004222-000127", 10000, "Lệ phí", "/d/w")
    result = worker_b.complete(session.id, "pay")
    assert (result.status, result.amount) == ("paid", 10000)
    assert result.reference == worker_a.reference(session.id)


def test_references_are_deterministic_and_distinct(sandbox: SandboxProvider) -> None:
    one = sandbox.start("2026-1.004222-000128", 10000, "Lệ phí", "/d/a")
    two = sandbox.start("2026-1.004222-000128", 10000, "Lệ phí", "/d/a")
    assert one.id != two.id
    assert sandbox.reference(one.id) == sandbox.reference(one.id)
    assert sandbox.reference(one.id) != sandbox.reference(two.id)


def test_tampered_amount_is_refused(sandbox: SandboxProvider) -> None:
    cheap = SandboxProvider("khác").start("2026-1.004222-000129", 1, "Lệ phí", "/d/b")
    with pytest.raises(PaymentError):
        sandbox.complete(cheap.id, "pay")


@pytest.mark.parametrize("bad_id", ["", "abc", "abc.def", "ý.ố", "...."])
def test_unknown_sessions_are_refused(sandbox: SandboxProvider, bad_id: str) -> None:
    with pytest.raises(PaymentError):
        sandbox.complete(bad_id, "pay")


def test_unknown_outcome_is_refused(sandbox: SandboxProvider) -> None:
    session = sandbox.start("2026-1.004222-000130", 10000, "Lệ phí", "/d/c")
    with pytest.raises(PaymentError):
        sandbox.complete(session.id, "refund")
    assert sandbox.complete(session.id, "pay").status == "paid"


@pytest.mark.parametrize("amount", [0, -5, True, 1.5])
def test_amount_must_be_positive_vnd(sandbox: SandboxProvider, amount: Any) -> None:
    with pytest.raises(ValueError):
        sandbox.start("2026-1.004222-000131", amount, "Lệ phí", "/d/e")


def test_secret_is_required() -> None:
    with pytest.raises(ValueError):
        SandboxProvider("")


# --- fee_total ------------------------------------------------------------------------------


def test_fee_total_sums_the_online_channel_only() -> None:
    assert fee_total(residence_procedure()) == 15000
    assert fee_total(residence_procedure()["x-procedure"]) == 15000


def test_free_procedure_costs_nothing() -> None:
    free = [{"name": "Miễn lệ phí", "amount": 0}]
    birth = {"x-procedure": {"channels": [{"mode": "online", "fees": free}]}}
    assert fee_total(birth) == 0


def test_no_online_channel_or_no_fees_costs_nothing() -> None:
    fees = [{"name": "Phí chứng thực", "amount": 2000}]
    in_person = {"x-procedure": {"channels": [{"mode": "in_person", "fees": fees}]}}
    assert fee_total(in_person) == 0
    assert online_channel(in_person) is None
    assert fee_total({"x-procedure": {"channels": [{"mode": "online"}]}}) == 0
