"""The form script in a real browser: conditional fields, repeating groups, keyboard only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from renderers.forms import SCRIPT, STYLE, compile_form
from tests.forms_samples import birth

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    compiled = compile_form(birth())
    html = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<style>{STYLE}</style></head><body><form method=post>{compiled.render()}"
        f"<button type=submit id=send>Nộp hồ sơ</button></form><script>{SCRIPT}</script></body></html>"
    )
    opened = browser.new_page()  # the session's Chromium, from conftest
    opened.set_content(html)
    yield opened
    opened.close()


def posted(page: Any) -> MultiDict:
    pairs = page.evaluate(
        "() => Array.from(new FormData(document.querySelector('form')).entries())"
        ".filter(([k, v]) => typeof v === 'string')"
    )
    return MultiDict([tuple(pair) for pair in pairs])


def test_conditional_field_shows_only_when_its_condition_holds(page):
    other = page.locator("#relationship_other")
    assert not other.is_visible()
    page.check("#relationship-2")  # "Khác"
    assert other.is_visible()
    assert other.evaluate("el => el.required")
    page.check("#relationship-0")  # "Cha"
    assert not other.is_visible()
    assert other.evaluate("el => el.disabled")  # hidden inputs are not posted
    assert "relationship_other" not in posted(page)


def test_add_and_remove_repeated_items_with_the_keyboard_only(page):
    add = page.locator("button[value='add:siblings']")
    add.focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "siblings-1-name"
    page.keyboard.type("Nguyễn Văn Út")
    legends = page.locator("#siblings .mc-item-legend").all_inner_texts()
    assert legends == ["Anh chị em ruột 1", "Anh chị em ruột 2"]
    page.locator("button[value='remove:siblings-0']").focus()
    page.keyboard.press(" ")
    assert page.locator("#siblings .mc-item-legend").all_inner_texts() == ["Anh chị em ruột 1"]
    assert page.evaluate("document.activeElement.value") == "add:siblings"
    data = posted(page)
    assert data["siblings-1-name"] == "Nguyễn Văn Út"
    decoded = compile_form(birth()).decode(data).instance
    assert decoded["siblings"] == [{"name": "Nguyễn Văn Út"}]


def test_add_is_disabled_at_max_items(page):
    add = page.locator("button[value='add:siblings']")
    for _ in range(9):
        add.click()
    assert page.locator("#siblings .mc-item").count() == 10
    assert add.is_disabled()
