from __future__ import annotations

from pathlib import Path

import pytest

from renderers.pdf import get_renderer, render_blank_form, render_notice
from renderers.pdf.engine import STATIC_DIR, ForbiddenURL, SafeFetcher
from renderers.pdf.sample import birth_registration
from tests.test_pdf_helpers import notice_kwargs, text

IMG = '<img src="file:///etc/passwd">'
CSS_URL = "url(http://169.254.169.254/latest/meta-data)"
STYLE = '<style>@import "http://attacker.invalid/x.css"; body { background: url(file:///etc/shadow) }</style>'


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the renderer's fetcher is asked for."""
    renderer = get_renderer()
    seen: list[str] = []
    original = renderer.fetcher.fetch

    def spy(url: str, headers: object = None) -> object:
        seen.append(url)
        return original(url, headers)

    monkeypatch.setattr(renderer.fetcher, "fetch", spy)
    return seen


def hostile_document() -> dict:
    document = birth_registration()
    document["title"] = f"Đăng ký khai sinh {IMG}"
    document["description"] = f"Xem {CSS_URL} và {STYLE}"
    procedure = document["x-procedure"]
    procedure["steps"][0] = f"Bước 1 <script>alert(1)</script> {CSS_URL}"
    procedure["documents"][0]["template"] = f'<a href="file:///etc/passwd">mẫu</a> {IMG}'
    document["properties"]["child"]["title"] = f"Người được khai sinh {IMG}"
    return document


def _allowed(url: str) -> bool:
    if url.startswith("data:"):
        return True
    return url.startswith(STATIC_DIR.as_uri() + "/")


def test_hostile_notice_text_is_printed_not_fetched(fetched: list[str]) -> None:
    pdf = render_notice(hostile_document(), **notice_kwargs())
    assert all(_allowed(url) for url in fetched), fetched
    content = text(pdf)
    squeezed = content.replace(" ", "")  # lines may wrap inside a URL
    assert "Đăng ký khai sinh <img src=\"file:///etc/passwd\">".upper() in content
    assert CSS_URL in content
    assert "<script>alert(1)</script>" in content
    assert '@import"http://attacker.invalid/x.css";body{background:url(file:///etc/shadow)}' in squeezed
    assert "root:" not in content


def test_hostile_form_text_is_printed_not_fetched(fetched: list[str]) -> None:
    pdf = render_blank_form(hostile_document())
    assert all(_allowed(url) for url in fetched), fetched
    assert f"Người được khai sinh {IMG}" in text(pdf)


def test_fetcher_refuses_everything_but_data_and_static_files() -> None:
    fetcher = SafeFetcher()
    for url in (
        "file:///etc/passwd",
        "http://example.invalid/x.png",
        "https://example.invalid/font.ttf",
        "ftp://example.invalid/x",
        (STATIC_DIR / ".." / "engine.py").resolve().as_uri(),
        STATIC_DIR.as_uri() + "/../engine.py",
    ):
        with pytest.raises(ForbiddenURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6
    font = fetcher.fetch((STATIC_DIR / "fonts" / "MotcuaSymbols.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain,xin%20ch%C3%A0o").read() == "xin chào".encode()


def test_markup_that_reaches_weasyprint_still_cannot_read_files(tmp_path: Path) -> None:
    """Defence in depth: even unescaped HTML only gets data: URLs and static files."""
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>BÍ MẬT</text></svg>')
    renderer = get_renderer()
    before = len(renderer.fetcher.refused)
    html = (
        f'<html><body><p>trước</p><img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
        f'<div style="background: url({secret.as_uri()})">sau</div></body></html>'
    )
    content = text(renderer.pdf(html))
    assert "trước" in content and "sau" in content
    assert "BÍ MẬT" not in content
    refused = list(renderer.fetcher.refused)[before:]
    assert secret.as_uri() in refused and "http://127.0.0.1:9/x.png" in refused
