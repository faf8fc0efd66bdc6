"""Public error pages and the favicon: a citizen who mistypes an address gets the site's styled
page in Vietnamese (English when chosen), readable on a phone; the API keeps its JSON errors;
browsers find an icon at /favicon.ico and through the page's <link rel="icon">."""

from __future__ import annotations

import pytest
from flask import Flask

UNKNOWN_PUBLIC = ["/khong-co-trang-nay", "/procedures/9.999999", "/procedures/1.001193/khong-co",
                  "/dossiers/khong-co/khong-co/khong-co", "/site-static/khong-co.css", "/a/b/c.html"]


@pytest.mark.parametrize("url", UNKNOWN_PUBLIC)
def test_unknown_public_address_gets_the_styled_vietnamese_404(app: Flask, url: str) -> None:
    response = app.test_client().get(url)
    assert response.status_code == 404
    text = response.text
    assert response.mimetype == "text/html"
    assert 'lang="vi"' in text and '<meta name="viewport" content="width=device-width' in text
    assert "site.css" in text and ">Không tìm thấy</h1>" in text
    assert "Not Found" not in text and "The requested URL" not in text, "not Werkzeug's English page"
    assert 'href="/procedures/"' in text or 'href="/"' in text, "a way back to the search"


def test_wrong_method_on_a_public_page_is_a_styled_vietnamese_405(app: Flask) -> None:
    response = app.test_client().delete("/procedures/")
    assert response.status_code == 405
    assert ">Thao tác không được hỗ trợ</h1>" in response.text and "site.css" in response.text
    assert "GET" in response.headers["Allow"]


def test_the_404_is_in_english_when_the_visitor_chose_english(app: Flask) -> None:
    client = app.test_client()
    client.get("/language/en?next=/")
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert 'lang="en"' in response.text and ">Not found</h1>" in response.text
    assert "Không tìm thấy" not in response.text
    assert '<meta name="viewport"' in response.text


def test_the_api_keeps_its_json_errors(app: Flask) -> None:
    response = app.test_client().get("/api/v1/khong-co")
    assert response.status_code == 404 and response.is_json
    assert response.json["message"] and response.json["message_en"]
    assert "<html" not in response.text


def test_the_back_office_keeps_its_own_error_page(app: Flask) -> None:
    response = app.test_client().get("/admin/khong-co")
    assert response.status_code == 404 and "Không tìm thấy" in response.text
    assert "site.css" not in response.text


def test_favicon_ico_is_served_and_cached(app: Flask) -> None:
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00", "an ICO file"
    assert "max-age=604800" in response.headers["Cache-Control"]


def test_every_public_page_links_its_icon(app: Flask) -> None:
    client = app.test_client()
    for url in ("/", "/dossiers/", "/khong-co-trang-nay"):
        text = client.get(url).text
        assert '<link rel="icon" href="/site-static/favicon.svg" type="image/svg+xml">' in text, url
        assert '<link rel="icon" href="/favicon.ico"' in text, url
    svg = client.get("/site-static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
