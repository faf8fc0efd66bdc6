"""Slips 02–07 (Appendix I, Thông tư 03/2025/TT-VPCP) and the result slip as the applicant and
the office read them: the PDF text through pdftotext, built from a dossier's recorded events."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date, datetime

import pytest
from flask import Flask

from admin.slips import SlipNotApplicable, register_rows, slip_data, slips_for
from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.services import dossier_status as ds
from catalog.services.dossier_status import SupplementItem
from renderers.pdf import SlipData, SlipStep, render_slip
from renderers.pdf.qr import qr_data_url
from renderers.pdf.slips import RESULT_SLIP, register_csv, slip_html
from tests import test_dossier_status
from tests.test_dossier_status import do, office, set_status, submit

pytestmark = pytest.mark.db
app = test_dossier_status.app  # the fixtures: a published procedure, the attachment store
store = test_dossier_status.store


def pdf_text(pdf: bytes) -> str:
    """pdftotext of a PDF, whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode())


def slip_text(app: Flask, dossier, number: str, event_id: int | None = None) -> str:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        return pdf_text(render_slip(slip_data(db.session, dossier, number, event_id)))


def test_supplement_slip_lists_each_item_and_the_legal_basis(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    office_id = office()
    set_status(dossier, "submitted", office_id=office_id)
    do("receive", dossier.code)
    ds.request_supplement(db.session, dossier.code,
                          [SupplementItem(document="birth_certificate"),
                           SupplementItem(text="Sổ hộ khẩu", reason="Địa chỉ trên tờ khai khác giấy tờ")],
                          actor="Lê Thị Lan")
    text = slip_text(app, dossier, "02")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "UBND TỈNH QUẢNG TRỊ" in text and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG TRỊ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "1 Giấy chứng sinh" in text
    assert "2 Sổ hộ khẩu Địa chỉ trên tờ khai khác giấy tờ" in text
    assert "Căn cứ pháp lý" in text and "Lê Thị Lan" in text
    assert "ngày 01 tháng 12 năm 2026" in text  # received on the 1st


def test_refusal_extension_and_stop_slips_say_why_and_when(app: Flask, store: AttachmentStore) -> None:
    refused = submit(store)
    do("receive", refused.code)
    do("refuse", refused.code)
    text = slip_text(app, refused, "03")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text and "Không thuộc thẩm quyền" in text
    with pytest.raises(SlipNotApplicable, match="không áp dụng"):
        slip_data(db.session, refused, "05")

    late = submit(store)
    do("receive", late.code)
    do("start_processing", late.code)
    set_status(late, "processing", appointment_date=date(2026, 12, 4))
    ds.extend_dossier(db.session, late.code, "Cần xác minh", new_date=date(2026, 12, 18), actor="x")
    text = slip_text(app, late, "04")
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text and "Cần xác minh" in text
    assert "04/12/2026" in text and "đề nghị gia hạn thời gian giải quyết đến ngày 18/12/2026" in text
    assert "hẹn lại" not in text and "Mẫu số" not in text
    do("stop", late.code)
    text = slip_text(app, late, "05")
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Người nộp rút hồ sơ" in text
    assert [n for n, _t, _e in slips_for(late)] == ["04", "05", "06"]


def test_the_control_slip_shows_planned_and_actual_dates_unknown_as_unknown(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    set_status(dossier, "submitted", appointment_date=date(2026, 12, 9))
    do("receive", dossier.code)
    text = slip_text(app, dossier, "06")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Đã có kết quả" in text and "09/12/2026 Chưa xác định" in text  # result due, not yet done


def test_a_slip_without_its_event_prints_dotted_lines_not_guesses() -> None:
    data = SlipData(number="04", dossier_code="C-1", office_name="", parent_body="", place_and_date="……, ngày 01 tháng 12 năm 2026",
                    applicant_name="An", applicant_address="", applicant_phone="", procedure_name="Khai sinh",
                    tracking_url="https://x/d/C-1", steps=(SlipStep("Tiếp nhận"),))
    text = pdf_text(render_slip(data))
    assert "Chưa xác định" in text and "……" in text
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text


def test_the_register_lists_the_offices_dossiers_of_the_period(app: Flask, store: AttachmentStore) -> None:
    office_id = office()
    inside = submit(store, received=datetime(2026, 12, 1, 9, 0, tzinfo=ds.VN_TIME))
    last_day = submit(store, received=datetime(2026, 12, 31, 16, 0, tzinfo=ds.VN_TIME))
    after = submit(store, received=datetime(2027, 1, 1, 8, 0, tzinfo=ds.VN_TIME))
    elsewhere = submit(store)
    for found in (inside, last_day, after):
        set_status(found, "submitted", office_id=office_id, appointment_date=date(2026, 12, 3))
    rows = register_rows(db.session, office_id, date(2026, 12, 1), date(2026, 12, 31))
    assert [row.code for row in rows] == [inside.code, last_day.code]
    assert elsewhere.code not in {row.code for row in rows}
    content = register_csv(rows)
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][:3] == ["STT", "Mã hồ sơ", "Thủ tục"] and table[0][-1] == "Trạng thái"
    assert table[1][1] == inside.code and table[1][5] == "01/12/2026" and table[1][6] == "03/12/2026"
    assert table[1][-1] == "Chờ tiếp nhận"


def pdf_pages(pdf: bytes) -> int:
    """How many pages the PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def qr_codes(html: str) -> list[str]:
    """The QR codes a slip draws: the data URLs of its images (vector SVG, so the PDF holds no
    raster image to count)."""
    return re.findall(r'<img src="(data:image/svg\+xml[^"]+)"', html)


def test_the_result_slip_carries_the_dates_the_return_and_two_qr_codes(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    set_status(dossier, "submitted", office_id=office(), appointment_date=date(2026, 12, 9))
    do("receive", dossier.code)
    do("start_processing", dossier.code)
    with pytest.raises(SlipNotApplicable, match="chưa có kết quả"):
        slip_data(db.session, dossier, RESULT_SLIP)
    assert RESULT_SLIP not in [n for n, _t, _e in slips_for(dossier)]
    do("result_ready", dossier.code)
    assert [n for n, _t, _e in slips_for(dossier)][-1] == RESULT_SLIP
    ready_on = datetime.now(ds.VN_TIME).date()
    text = slip_text(app, dossier, RESULT_SLIP)
    assert "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số" not in text
    assert "UBND TỈNH QUẢNG TRỊ" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Mã hồ sơ: {dossier.code}" in text and "Nguyễn Văn An" in text
    assert "Thời gian tiếp nhận hồ sơ: 9 giờ 00 phút, ngày 01/12/2026" in text
    assert "Ngày hẹn trả kết quả: 09/12/2026" in text
    assert f"Ngày có kết quả giải quyết: {ready_on:%d/%m/%Y}" in text
    assert "Thời gian trả kết quả: Chưa xác định" in text and "Hình thức trả kết quả: Chưa xác định" in text
    assert "Quét mã để đánh giá mức độ hài lòng" in text

    ds.return_result(db.session, dossier.code, by_post=True, tracking="EB123456789VN", actor="Trần Văn Bình")
    with app.test_request_context():
        data = slip_data(db.session, dossier, RESULT_SLIP)
        pdf = render_slip(data)
    assert data.rating_url.endswith(f"/dossiers/{dossier.code}/rating?t={dossier.tracking_token}")
    assert data.qr_url.endswith(f"/dossiers/{dossier.code}?t={dossier.tracking_token}")
    # side by side: the tracking link, then the dossier's own rating page
    assert qr_codes(slip_html(data)) == [qr_data_url(data.qr_url), qr_data_url(data.rating_url)]
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert "gửi qua dịch vụ bưu chính, số hiệu bưu gửi: EB123456789VN" in text
    assert f"Ngày có kết quả giải quyết: {ready_on:%d/%m/%Y}" in text
    assert re.search(rf"Thời gian trả kết quả: \d+ giờ \d\d phút, ngày {ready_on:%d/%m/%Y}", text)
    assert "Trần Văn Bình" in text and "Chưa xác định" not in text


def test_a_result_handed_over_in_person_says_so_and_a_late_one_has_no_due_date_guess(app: Flask,
                                                                                     store: AttachmentStore) -> None:
    dossier = submit(store)
    do("receive", dossier.code)
    set_status(dossier, "processing", appointment_date=None)
    do("result_ready", dossier.code)
    do("return_result", dossier.code)
    text = slip_text(app, dossier, RESULT_SLIP)
    assert "Hình thức trả kết quả: trả trực tiếp" in text and "bưu chính" not in text
    assert "Ngày hẹn trả kết quả: Chưa xác định" in text
