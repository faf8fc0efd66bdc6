from __future__ import annotations

import re
from pathlib import Path

import pytest

from renderers.pdf import BookletEntry, render_booklet_to
from renderers.pdf.booklet import sector_key
from renderers.pdf.notice import NoticeInfo
from renderers.pdf.sample import synthetic_catalogue
from tests.test_pdf_helpers import INFO, embedded_fonts, page_texts, reader


def roman(number: int) -> str:
    return {1: "i", 2: "ii", 3: "iii", 4: "iv"}[number]


def entries(count: int) -> list[BookletEntry]:
    result = []
    for document in synthetic_catalogue(count):
        code = document["x-procedure"]["code"]
        info = NoticeInfo(INFO.version, INFO.version_date, f"https://motcua.example.vn/p/{code}")
        result.append(BookletEntry(document["x-procedure"]["sector"], document, info))
    return result


@pytest.mark.slow
@pytest.mark.parametrize("processes", [1, 2])
def test_booklet_groups_by_sector_with_a_true_table_of_contents(tmp_path: Path, processes: int) -> None:
    target = tmp_path / "booklet.pdf"
    seen: list[tuple[int, int]] = []
    pages = render_booklet_to(
        target,
        entries(5),
        title="Bộ thủ tục hành chính phường Ba Đình",
        processes=processes,
        progress=lambda done, total: seen.append((done, total)),
    )
    pdf = target.read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == pages
    assert seen[-1] == (5, 5)
    assert "BỘ THỦ TỤC HÀNH CHÍNH PHƯỜNG BA ĐÌNH" in texts[0]
    assert "5 thủ tục hành chính, 5 lĩnh vực" in texts[0]
    toc = " ".join(page for page in texts if "MỤC LỤC" in page)
    sectors = re.findall(r"\d+\. Lĩnh vực (.+?) \d+\. ", toc)
    assert sectors == sorted(sectors, key=sector_key)
    assert sectors.index("Chứng thực") < sectors.index("Đăng ký, quản lý cư trú") < sectors.index("Hộ tịch")
    listed = re.findall(r"\((\d\.\d{6})\) (\d+)", toc)
    assert len(listed) == 5
    # Every body page carries the booklet's number; the front is numbered i, ii, ….
    front = len(texts) - sum(1 for text in texts if "Bộ thủ tục – trang" in text)
    assert reader(pdf).page_labels == [roman(n) for n in range(1, front + 1)] + [
        str(n) for n in range(1, pages - front + 1)]
    for number, text in enumerate(texts[front:], start=1):
        assert text.rstrip().endswith(f"Bộ thủ tục – trang {number}")
    starts = [int(page) + front for _, page in listed]
    for (code, _), start, next_start in zip(listed, starts, starts[1:] + [pages + 1], strict=True):
        notice_page = texts[start - 1]
        assert f"Mã thủ tục {code}" in notice_page  # the TOC number is the notice's first page
        part = texts[start - 1 : next_start - 1]
        forms = [index for index, text in enumerate(part) if "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text]
        assert forms, code  # the blank form follows its notice directly
        assert all("Niêm yết thủ tục" in text for text in part[: forms[0]])
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    outline = reader(pdf).outline
    assert [item.title for item in outline if not isinstance(item, list)][0] == "Mục lục"
