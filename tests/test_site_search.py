"""Finding a procedure and reading it: search, filters, pages, the procedure page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import document
from tests.test_site_apply import publish


def procedure(code: str, title: str, sector: str = "Hộ tịch", levels: list[str] | None = None,
              online: int = 4) -> dict[str, Any]:
    doc = document(code, title=title)
    facts = doc["x-procedure"]
    facts["sector"] = sector
    facts["levels"] = levels or ["commune"]
    facts["onlineService"] = {"level": online}
    return doc


@pytest.fixture
def catalogue(app: Flask) -> None:
    publish(procedure("1.001193", "Đăng ký khai sinh"))
    publish(procedure("1.000894", "Đăng ký kết hôn", online=3))
    publish(procedure("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực",
                      ["commune", "other"], online=2))
    publish(procedure("3.000333", "Cấp Phiếu lý lịch tư pháp", "Lý lịch tư pháp",
                      ["province"], online=1))


def names(html: str) -> list[str]:
    return re.findall(r'class="result-name"[^>]*>([^<]+)<', html)


@pytest.mark.parametrize("q", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai  sinh", "1.001193"])
def test_search_ignores_accents_case_and_spacing(client: FlaskClient, catalogue: None,
                                                 q: str) -> None:
    response = client.get("/procedures/", query_string={"q": q})
    assert response.status_code == 200
    assert names(response.text) == ["Đăng ký khai sinh"]


def test_search_by_sector_name(client: FlaskClient, catalogue: None) -> None:
    assert names(client.get("/?q=chung thuc").text) == ["Chứng thực bản sao từ bản chính"]


def test_home_lists_everything_and_the_sectors_with_counts(client: FlaskClient,
                                                           catalogue: None) -> None:
    page = client.get("/").text
    assert len(names(page)) == 4
    assert "Tất cả 4 thủ tục" in page
    assert re.search(r">Hộ tịch</a> <span class=\"count\">\(2\)</span>", page)
    assert "Hộ tịch (2)" in page  # in the sector filter too


def test_filters(client: FlaskClient, catalogue: None) -> None:
    assert names(client.get("/procedures/?online=2").text) == ["Chứng thực bản sao từ bản chính"]
    assert names(client.get("/procedures/?level=province").text) == ["Cấp Phiếu lý lịch tư pháp"]
    page = client.get("/").text
    sector_id = re.search(r'<option value="(\d+)"[^>]*>Hộ tịch \(2\)', page).group(1)
    filtered = client.get(f"/procedures/?sector={sector_id}&q=dang ky").text
    assert sorted(names(filtered)) == ["Đăng ký khai sinh", "Đăng ký kết hôn"]
    assert re.findall(r'<option value="(\d+)" selected>', filtered) == [sector_id]  # the filter stays chosen
    assert " selected>" not in client.get("/procedures/?q=dang ky").text.split('name="sector"')[1].split("</select>")[0]


def test_nothing_found_says_what_to_try(client: FlaskClient, catalogue: None) -> None:
    page = client.get("/?q=xyzzy").text
    assert "Tìm thấy 0 thủ tục" in page and "Hãy thử ít từ hơn" in page


@pytest.mark.parametrize("query", [
    "page=abc", "page=-3", "page=99999999999", "online=9", "level=galaxy", "sector=x",
    "q=" + "a" * 5000, "q=%25_%5C", "sector=99999",
])
def test_bad_parameters_never_break_the_search(client: FlaskClient, catalogue: None,
                                               query: str) -> None:
    assert client.get(f"/procedures/?{query}").status_code == 200


def test_pagination_keeps_the_query(app: Flask, client: FlaskClient) -> None:
    for n in range(45):
        publish(procedure(f"1.{n:06d}", f"Thủ tục thử số {n}"))
    first = client.get("/procedures/?q=thu tuc").text
    assert "Tìm thấy 45 thủ tục" in first and len(names(first)) == 20
    assert 'href="/procedures/?q=thu+tuc&amp;page=2"' in first
    third = client.get("/procedures/?q=thu tuc&page=3").text
    assert len(names(third)) == 5
    assert 'aria-current="page">3<' in third
    assert client.get("/procedures/?q=thu tuc&page=9").status_code == 200


# --- the procedure page ------------------------------------------------------------------


def test_the_procedure_page_shows_what_the_national_portal_shows(client: FlaskClient,
                                                                 catalogue: None) -> None:
    page = client.get("/procedures/1.001193").text
    for text in [
        "Đăng ký khai sinh", "1.001193", "Hộ tịch", "Cấp xã", "Công dân Việt Nam",
        "Ủy ban nhân dân cấp xã", "Trực tiếp", "Trực tuyến", "1 ngày làm việc",
        "Hồ sơ nhận sau 15:00", "Miễn phí", "10.000 đồng", "Lệ phí", "Giấy chứng sinh",
        "Nộp hồ sơ", "Nhận kết quả", "Giấy khai sinh", "KQ.G15.000031", "60/2014/QH13",
        "Luật Hộ tịch", "20/11/2014", "163/QĐ-BTP", "20/01/2025", "01/02/2025",
    ]:
        assert text in page, text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page), "dates are shown dd/mm/yyyy"


@pytest.mark.parametrize(("code", "apply", "pdf", "sentence"), [
    ("3.000333", False, False, "chỉ được cung cấp thông tin trực tuyến (mức độ 1)"),
    ("2.000815", False, True, "chưa nhận hồ sơ trực tuyến (mức độ 2)"),
    ("1.000894", True, True, "phí, lệ phí nộp trực tiếp khi nhận kết quả"),
    ("1.001193", True, True, None),
])
def test_actions_follow_the_online_level(client: FlaskClient, catalogue: None, code: str,
                                         apply: bool, pdf: bool, sentence: str | None) -> None:
    page = client.get(f"/procedures/{code}").text
    assert (f'href="/procedures/{code}/apply"' in page) is apply
    assert (f'href="/procedures/{code}/form.pdf"' in page) is pdf
    if sentence:
        assert sentence in page
    if code == "1.001193":
        assert "Nộp hồ sơ và nộp phí trực tuyến" in page


def test_documents_are_grouped_by_case(app: Flask, client: FlaskClient) -> None:
    doc = document()
    doc["x-procedure"]["documents"] = [
        {"id": "a", "name": "Tờ khai", "originals": 1},
        {"id": "b", "name": "Văn bản ủy quyền", "originals": 1, "case": "Trường hợp ủy quyền"},
        {"id": "c", "name": "Giấy tờ tùy thân", "action": "present", "required": False},
    ]
    publish(doc)
    page = client.get("/procedures/1.001193").text
    assert page.index("Giấy tờ chung") < page.index("Tờ khai") < page.index("Trường hợp ủy quyền")
    assert page.index("Trường hợp ủy quyền") < page.index("Văn bản ủy quyền")
    assert "Xuất trình, không nộp" in page and "Nếu có" in page


def test_unknown_and_unpublished_procedures_are_404(app: Flask, client: FlaskClient) -> None:
    from catalog.db import db
    from catalog.services import import_document

    import_document(db.session, document("1.999999"), author="t")  # a draft only
    for url in ["/procedures/9.999999", "/procedures/1.999999", "/procedures/" + "9" * 300,
                "/procedures/9.999999/form.pdf", "/procedures/9.999999/notice.pdf"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in response.text


@pytest.mark.parametrize("path", ["form.pdf", "notice.pdf"])
def test_pdfs_are_served_as_files(client: FlaskClient, catalogue: None, path: str) -> None:
    response = client.get(f"/procedures/2.000815/{path}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_information_only_procedures_have_no_blank_form(client: FlaskClient,
                                                        catalogue: None) -> None:
    response = client.get("/procedures/3.000333/form.pdf")
    assert response.status_code == 404
    assert "mức độ 1" in response.text


def test_english_is_one_click_away(client: FlaskClient, catalogue: None) -> None:
    switched = client.get("/language/en?next=/procedures/1.001193")
    assert switched.status_code == 303 and switched.headers["Location"] == "/procedures/1.001193"
    page = client.get("/procedures/1.001193").text
    assert '<html lang="en">' in page
    assert "Processing time" in page and "10,000 VND" in page and "Free" in page
    assert 'lang="vi"' in page and "Tiếng Việt" in page
    assert client.get("/language/vi?next=//evil.example").headers["Location"] == "/"


def test_a_new_version_replaces_the_page_shown(app: Flask, client: FlaskClient) -> None:
    publish(procedure("1.001193", "Đăng ký khai sinh"))
    assert "Đăng ký khai sinh" in client.get("/procedures/1.001193").text
    publish(procedure("1.001193", "Đăng ký khai sinh (sửa đổi)"))
    page = client.get("/procedures/1.001193").text
    assert "Đăng ký khai sinh (sửa đổi)" in page and "Phiên bản 2" in page
    assert "Tất cả 1 thủ tục" in client.get("/").text
    publish(procedure("1.000894", "Đăng ký kết hôn", sector="Hôn nhân"))
    home = client.get("/").text
    assert "Tất cả 2 thủ tục" in home and "Hôn nhân (1)" in home
