from __future__ import annotations

from datetime import date

import pytest

from renderers.pdf import blank_form_html, render_blank_form, render_filled_form
from renderers.pdf.form_layout import build_layout
from renderers.pdf.sample import birth_registration, birth_registration_instance
from tests.test_pdf_helpers import embedded_fonts, page_texts, text


@pytest.fixture(scope="module")
def blank_pdf() -> bytes:
    return render_blank_form(birth_registration())


@pytest.fixture(scope="module")
def filled_pdf() -> bytes:
    return render_filled_form(
        birth_registration(),
        birth_registration_instance(),
        signed_on=date(2026, 3, 3),
        place="Hà Nội",
        signer="Nguyễn Thị Hồng Nhung",
    )


def test_blank_form_has_the_paper_form_parts(blank_pdf: bytes) -> None:
    content = text(blank_pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "Kính gửi: Ủy ban nhân dân xã, phường, đặc khu",
        "Người yêu cầu",
        "Số định danh cá nhân",
        "☐ Cha",
        "☐ Mẹ",
        "☐ Ông, bà",
        "☐ Nam",
        "☐ Nữ",
        "☐ Có",
        "☐ Không",
        "……/……/…………",
        "Thông tin cha, mẹ",
        "Năm sinh",
        "(nếu có)",
        "(chỉ khai khi mục “Quan hệ với người được khai sinh” là “Khác”)",
        "(chỉ khai khi mục “Đăng ký khai sinh quá hạn” là “Có”)",
        "Giấy tờ kèm theo",
        "☐ Giấy chứng sinh",
        "ngày …… tháng …… năm ……",
        "NGƯỜI YÊU CẦU",
        "(Ký, ghi rõ họ tên)",
    ):
        assert expected in content, expected
    assert all(embedded_fonts(blank_pdf).values())
    assert "Motcua-Symbols" in embedded_fonts(blank_pdf)  # the ☐ glyphs come from the bundle
    texts = page_texts(blank_pdf)
    assert f"Trang {len(texts)}/{len(texts)}" in texts[-1]


def test_layout_sizes_the_handwriting_space() -> None:
    layout = build_layout(birth_registration())
    fields = {field.path: field for field in _walk(layout.fields)}
    assert fields["applicant.citizenId"].kind == "citizen_id"
    assert fields["applicant.citizenId"].rows == 12
    assert fields["parents"].kind == "table" and fields["parents"].rows == 2  # maxItems
    assert [column.title for column in fields["parents"].children][:2] == ["Họ, chữ đệm, tên", "Năm sinh"]
    assert fields["lateReason"].kind == "textarea" and fields["lateReason"].extra_lines >= 3
    assert fields["relationshipOther"].width_em is not None  # maxLength 40: a short line
    assert fields["applicant.residence"].extra_lines == 2  # maxLength 250: about three lines
    assert [f.title for f in layout.attachments] == ["Giấy chứng sinh", "Văn bản ủy quyền"]
    assert "birthCertificate" not in fields  # files are listed, not given lines


def test_unbounded_repeating_group_gets_three_rows_and_strings_get_lines() -> None:
    document = birth_registration()
    document["properties"]["parents"].pop("maxItems")
    document["properties"]["witnesses"] = {
        "type": "array",
        "title": "Người làm chứng",
        "items": {"type": "string", "title": "Họ tên"},
    }
    fields = {field.path: field for field in _walk(build_layout(document).fields)}
    assert fields["parents"].rows == 3
    assert fields["witnesses"].kind == "list" and fields["witnesses"].rows == 3


def test_filled_form_shows_the_values(filled_pdf: bytes, blank_pdf: bytes) -> None:
    content = text(filled_pdf)
    for expected in (
        "Nguyễn Thị Hồng Nhung",
        "17/08/1994",
        "Số 12 ngõ 5 phố Đội Cấn, phường Ba Đình, Hà Nội",
        "☒ Mẹ",
        "☐ Cha",
        "☒ Nam",
        "☒ Không",
        "Trần Minh Đức",
        "02/03/2026",
        "Bệnh viện Phụ sản Hà Nội",
        "Trần Quốc Huy",
        "1992",
        "giay-chung-sinh.pdf",
        "Hà Nội, ngày 03 tháng 3 năm 2026",
    ):
        assert expected in content, expected
    assert "001194012345" in content.replace(" ", "")
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in content


def test_blank_form_preview_is_html_with_escaped_text() -> None:
    document = birth_registration()
    document["properties"]["child"]["properties"]["fullName"]["title"] = "Họ tên <b>trẻ</b>"
    html = blank_form_html(document)
    assert "Họ tên &lt;b&gt;trẻ&lt;/b&gt;" in html
    assert "<b>trẻ</b>" not in html


def _walk(fields):  # type: ignore[no-untyped-def]
    for field in fields:
        yield field
        if field.kind == "group":
            yield from _walk(field.children)


def test_decomposed_vietnamese_is_printed_composed() -> None:
    import unicodedata

    document = birth_registration()
    document["properties"]["child"]["properties"]["ethnicity"]["title"] = unicodedata.normalize("NFD", "Dân tộc Mường")
    html = blank_form_html(document)
    assert "Dân tộc Mường" in html
    assert unicodedata.normalize("NFD", "Mường") not in html
