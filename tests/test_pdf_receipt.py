"""Slip 01 laid out as Mẫu số 01, Appendix I, Thông tư 03/2025/TT-VPCP."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from renderers.pdf import ReceiptData, ReceivedDocument, receipt_html, render_receipt
from renderers.pdf.receipt import date_words
from tests.test_pdf_helpers import embedded_fonts, page_texts, text

RECEIPT = ReceiptData(
    dossier_code="2026-1.001193-000042",
    office_name="Trung tâm Phục vụ hành chính công phường Ba Đình",
    parent_body="UBND PHƯỜNG BA ĐÌNH",
    place_and_date="Hà Nội, ngày 12 tháng 3 năm 2026",
    applicant_name="Nguyễn Thị Hồng Nhung",
    applicant_address="Số 12 ngõ 5 phố Đội Cấn, phường Ba Đình, Hà Nội",
    applicant_phone="0912345678",
    applicant_email="nhung@example.vn",
    requested="Đăng ký khai sinh cho con",
    procedure_name="Đăng ký khai sinh",
    documents=[
        ReceivedDocument("Tờ khai đăng ký khai sinh", originals=1),
        ReceivedDocument("Giấy chứng sinh", originals=1, copies=1),
    ],
    sets=1,
    processing_time="1 ngày làm việc",
    received_at=datetime(2026, 3, 12, 9, 5),
    appointment=datetime(2026, 3, 13, 16, 0),
    result_place="Trung tâm Phục vụ hành chính công phường Ba Đình, 25 Liễu Giai",
    tracking_url="https://motcua.example.vn/dossiers/2026-1.001193-000042",
    officer_name="Lê Văn Tâm",
    register_book="03/2026",
    register_number="142",
)


def test_receipt_has_every_field_of_slip_01() -> None:
    pdf = render_receipt(RECEIPT)
    content = text(pdf)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 2026-1.001193-000042",
        "UBND PHƯỜNG BA ĐÌNH",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG BA ĐÌNH",
        "Trung tâm Phục vụ hành chính công phường Ba Đình đã tiếp nhận hồ sơ của",
        "Ông/Bà: Nguyễn Thị Hồng Nhung",
        "Địa chỉ: Số 12 ngõ 5 phố Đội Cấn",
        "Số điện thoại: 0912345678",
        "Thư điện tử: nhung@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh cho con",
        "Tờ khai đăng ký khai sinh",
        "1 bản chính, 1 bản sao",
        "Số lượng hồ sơ: 1 (bộ)",
        "1 ngày làm việc",
        "Thời gian nhận hồ sơ: 9 giờ 05 phút, ngày 12 tháng 3 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 13 tháng 3 năm 2026",
        "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công phường Ba Đình, 25 Liễu Giai",
        "Quyển số: 03/2026, Số thứ tự: 142",
        "Liên 1: Lưu",
        "Liên 2: Giao người nộp hồ sơ",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Văn Tâm",
        "Hà Nội, ngày 12 tháng 3 năm 2026",
        "https://motcua.example.vn/dossiers/2026-1.001193-000042",
    ):
        assert expected in content, expected
    pages = page_texts(pdf)
    assert len(pages) == 2  # one copy kept, one handed to the applicant
    assert "Liên 1: Lưu" in pages[0] and "Liên 2: Giao người nộp hồ sơ" in pages[1]
    assert all(embedded_fonts(pdf).values())


def test_receipt_carries_a_qr_code_of_the_tracking_url() -> None:
    html = receipt_html(RECEIPT)
    assert 'src="data:image/svg+xml' in html
    day_only = receipt_html(dataclasses.replace(RECEIPT, appointment=date(2026, 2, 5)))
    assert "Thời gian trả kết quả giải quyết hồ sơ: ngày 05 tháng 02 năm 2026" in day_only


def test_dates_are_written_as_decree_30_writes_them() -> None:
    assert date_words(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert date_words(date(2026, 1, 15)) == "ngày 15 tháng 01 năm 2026"
    assert date_words(date(2026, 7, 15)) == "ngày 15 tháng 7 năm 2026"
    assert date_words(date(2026, 12, 2)) == "ngày 02 tháng 12 năm 2026"


def test_no_appointment_is_not_today_and_no_officer_is_a_dotted_line() -> None:
    data = dataclasses.replace(RECEIPT, appointment=None, officer_name=None, register_book=None,
                               register_number=None)
    content = text(render_receipt(data))
    assert "Thời gian trả kết quả giải quyết hồ sơ: Chưa xác định" in content
    assert "ngày 12 tháng 3 năm 2026" in content  # only as the received date and place-date
    assert "13 tháng 3" not in content
    assert "Lê Văn Tâm" not in content and "……………………" in content
    assert "Quyển số: ……, Số thứ tự: ……" in content


def test_an_organisation_with_its_representative_and_a_result_by_post() -> None:
    data = dataclasses.replace(RECEIPT, applicant_organisation="Công ty TNHH Mẫu",
                               representative="Trần Văn Bình", by_post=True)
    content = text(render_receipt(data))
    assert "Tổ chức: Công ty TNHH Mẫu" in content
    assert "Người đại diện: Trần Văn Bình" in content
    assert "Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính" in content
    assert "hoặc" not in content.split("Đăng ký nhận kết quả tại:")[1].split("Vào Sổ")[0]
