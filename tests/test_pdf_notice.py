from __future__ import annotations

import copy

import pytest

from renderers.pdf import notice_html, render_notice
from renderers.pdf.sample import birth_registration
from tests.test_pdf_helpers import embedded_fonts, notice_kwargs, page_texts, reader, text


@pytest.fixture(scope="module")
def notice_pdf() -> bytes:
    return render_notice(birth_registration(), **notice_kwargs())


def test_notice_shows_the_procedure_in_vietnamese(notice_pdf: bytes) -> None:
    content = text(notice_pdf)
    for expected in (
        "ĐĂNG KÝ KHAI SINH",
        "1.001193",
        "Hộ tịch",
        "Cấp xã",
        "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
        "Trực tiếp",
        "Trực tuyến",
        "Bưu chính công ích",
        "1 ngày làm việc",
        "Miễn phí",
        "8.000 đồng",
        "10.000 đồng",
        "Hồ sơ nhận sau 15:00",
        "Tờ khai đăng ký khai sinh",
        "Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)",
        "Trường hợp ủy quyền",
        "Trường hợp không có giấy chứng sinh",
        "1 bản chính, 1 bản sao",
        "(xuất trình để đối chiếu)",
        "Giấy khai sinh",
        "KQ.G15.000031",
        "123/2015/NĐ-CP",
        "20/11/2014",
        "Quyết định số 163/QĐ-BTP ngày 20/01/2026 của Bộ trưởng Bộ Tư pháp",
        "Ngày có hiệu lực: 01/02/2026",
        "phản ánh, kiến nghị",
        "Văn phòng UBND phường Ba Đình, 25 Liễu Giai",
        "https://motcua.example.vn/procedures/1.001193",
        "phiên bản 3 ngày 01/02/2026",
    ):
        assert expected in content, expected


def test_notice_numbers_its_pages_and_embeds_its_fonts(notice_pdf: bytes) -> None:
    texts = page_texts(notice_pdf)
    total = len(texts)
    assert total >= 2
    for number, page in enumerate(texts, start=1):
        assert f"Trang {number}/{total}" in page
    fonts = embedded_fonts(notice_pdf)
    assert "Motcua-Serif" in fonts and "Motcua-Serif-Bold" in fonts
    assert all(fonts.values()), fonts
    assert reader(notice_pdf).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_notice_html_escapes_and_previews(notice_pdf: bytes) -> None:
    html = notice_html(birth_registration(), **notice_kwargs())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert "@font-face" in html  # the preview carries its CSS
    assert "data:image/svg+xml" in html  # the QR code


def test_long_procedure_repeats_table_headers_and_keeps_rows_whole() -> None:
    document = birth_registration()
    procedure = document["x-procedure"]
    template = procedure["documents"][1]
    procedure["documents"] = [
        {**copy.deepcopy(template), "id": f"doc_{n}", "name": f"Giấy tờ số {n}: " + "bản kê khai chi tiết " * 12}
        for n in range(1, 61)
    ]
    pdf = render_notice(document, **notice_kwargs())
    texts = page_texts(pdf)
    assert len(texts) >= 4
    pages_with_rows = [page for page in texts if "Giấy tờ số" in page]
    assert len(pages_with_rows) >= 3
    for page in pages_with_rows:
        assert "Tên giấy tờ" in page  # thead repeated on every page the table spans
    for n in range(1, 61):
        holders = [page for page in texts if f"Giấy tờ số {n}: bản kê khai" in page]
        assert len(holders) == 1
        # The whole row (its name repeated 12 times) sits on that one page.
        assert holders[0].count(f"Giấy tờ số {n}: ") == 1
        row = holders[0].split(f"Giấy tờ số {n}: ", 1)[1]
        assert row.count("bản kê khai chi tiết") >= 12
