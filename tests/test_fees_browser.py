"""The amount due follows the number of copies as the citizen types (fee.js asks the server)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.browser


def test_typing_the_number_of_copies_updates_the_amount(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/procedures/1.001193/apply")
    from playwright.sync_api import expect

    box = page.locator("#fee-due")
    total = box.locator(".fee-due-total")
    expect(total).to_have_text("8.000 đồng")  # the form starts at one copy
    copies = page.locator('[name="birth_certificate_copies"]')
    copies.fill("3")
    expect(total).to_have_text("24.000 đồng")
    assert "3 bản" in box.inner_text()
    copies.fill("0")
    expect(total).to_have_text("0 đồng")
    assert copies.input_value() == "0"  # the field is left as typed
    assert_accessible(page)
