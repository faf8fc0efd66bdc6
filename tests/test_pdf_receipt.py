from __future__ import annotations

from datetime import date, datetime

from renderers.pdf import ReceiptData, ReceivedDocument, receipt_html, render_receipt
from tests.test_pdf_helpers import embedded_fonts, page_texts, text

RECEIPT = ReceiptData(
    dossier_code="2026-1.001193-000042",
    receiving_unit="Bộ phận Một cửa UBND phường Ba Đình",
    parent_agency="UBND THÀNH PHỐ HÀ NỘI",
    applicant_name="Nguyễn Thị Hồng Nhung",
    applicant_address="Số 12 ngõ 5 phố Đội Cấn, phường Ba Đình, Hà Nội",
    applicant_phone="0912345678",
    applicant_email="nhung@example.vn",
    procedure_name="Đăng ký khai sinh",
    documents=[
        ReceivedDocument("Tờ khai đăng ký khai sinh", originals=1),
        ReceivedDocument("Giấy chứng sinh", originals=1, copies=1),
    ],
    sets=1,
    processing_time="1 ngày làm việc",
    received_at=datetime(2026, 3, 12, 9, 5),
    appointment=datetime(2026, 3, 13, 16, 0),
    result_place="Bộ phận Một cửa UBND phường Ba Đình, 25 Liễu Giai",
    tracking_url="https://motcua.example.vn/dossiers/2026-1.001193-000042",
    place="Hà Nội",
    officer_name="Lê Văn Tâm",
)


def test_receipt_has_every_field_of_slip_01() -> None:
    pdf = render_receipt(RECEIPT)
    content = text(pdf)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 2026-1.001193-000042",
        "UBND THÀNH PHỐ HÀ NỘI",
        "Bộ phận Một cửa UBND phường Ba Đình",
        "Ông/Bà: Nguyễn Thị Hồng Nhung",
        "Địa chỉ: Số 12 ngõ 5 phố Đội Cấn",
        "Số điện thoại: 0912345678",
        "Email: nhung@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "1 bản chính, 1 bản sao",
        "Số lượng hồ sơ: 1 (bộ)",
        "1 ngày làm việc",
        "9 giờ 05 phút, ngày 12/03/2026",
        "16 giờ 00 phút, ngày 13/03/2026",
        "Đăng ký nhận kết quả tại: Bộ phận Một cửa UBND phường Ba Đình, 25 Liễu Giai",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Văn Tâm",
        "Hà Nội, ngày 12 tháng 3 năm 2026",
        "https://motcua.example.vn/dossiers/2026-1.001193-000042",
    ):
        assert expected in content, expected
    assert len(page_texts(pdf)) == 1
    assert all(embedded_fonts(pdf).values())


def test_receipt_carries_a_qr_code_of_the_tracking_url() -> None:
    html = receipt_html(RECEIPT)
    assert 'src="data:image/svg+xml' in html
    day_only = receipt_html(
        ReceiptData(**{**RECEIPT.__dict__, "appointment": date(2026, 3, 13)})
    )
    assert "Thời gian trả kết quả giải quyết hồ sơ: ngày 13/03/2026" in day_only
