from __future__ import annotations

from pathlib import Path

from renderers.pdf import PdfCache, render_notice
from renderers.pdf.sample import birth_registration
from tests.test_pdf_helpers import notice_kwargs, text


def test_second_request_is_served_from_disk(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path / "pdf-cache")
    document = birth_registration()
    calls: list[int] = []

    def render() -> bytes:
        calls.append(1)
        return render_notice(document, **notice_kwargs())

    params = notice_kwargs()  # holds a date: keys accept dates and dataclasses
    first = cache.get_or_render("notice", document, render, params)
    second = cache.get_or_render("notice", document, render, params)
    assert calls == [1]
    assert first == second
    assert "ĐĂNG KÝ KHAI SINH" in text(second)
    assert len(list((tmp_path / "pdf-cache").rglob("*.pdf"))) == 1


def test_key_follows_content_not_key_order(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    document = birth_registration()
    reordered = dict(reversed(list(document.items())))
    assert cache.key("notice", document, {"v": 1}) == cache.key("notice", reordered, {"v": 1})
    assert cache.key("notice", document, {"v": 1}) != cache.key("notice", document, {"v": 2})
    assert cache.key("notice", document) != cache.key("form", document)
    changed = birth_registration()
    changed["x-procedure"]["channels"][2]["fees"][0]["amount"] = 20000
    assert cache.key("notice", document) != cache.key("notice", changed)


def test_key_follows_the_office_and_the_applied_document(tmp_path: Path) -> None:
    import dataclasses

    from renderers.pdf import OfficeHeading
    from tests.test_pdf_helpers import INFO

    cache = PdfCache(tmp_path)
    document = birth_registration()
    ward = OfficeHeading(name="Trung tâm Phục vụ hành chính công phường Đông Hà", parent_body="UBND PHƯỜNG ĐÔNG HÀ")
    centre = OfficeHeading(name="Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", parent_body="UBND TỈNH QUẢNG TRỊ")
    keys = {
        cache.key("notice", document, {"info": INFO, "applied": None}),
        cache.key("notice", document, {"info": dataclasses.replace(INFO, office=ward), "applied": [7, "h", []]}),
        cache.key("notice", document, {"info": dataclasses.replace(INFO, office=centre), "applied": [7, "h", []]}),
        cache.key("notice", document, {"info": dataclasses.replace(INFO, office=ward), "applied": [7, "h", [3]]}),
    }
    assert len(keys) == 4  # another office, or a new local version, prints anew


def test_a_known_digest_stands_for_the_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from renderers.pdf import PdfCache

    cache = PdfCache(tmp_path)
    big = {"title": "Đăng ký khai sinh", "properties": {f"f{i}": {"type": "string"} for i in range(500)}}
    assert cache.key("notice", big, digest="abc:1:") == cache.key("notice", {"other": True}, digest="abc:1:")
    assert cache.key("notice", big, digest="abc:1:") != cache.key("notice", big, digest="abc:1:7")
    assert cache.key("notice", big, digest="abc:1:") != cache.key("notice", big)  # digest or document, not mixed
    calls: list[int] = []
    for _ in range(2):
        cache.get_or_render("notice", big, lambda: calls.append(1) or b"%PDF-1.7", digest="abc:1:")
    assert calls == [1]
