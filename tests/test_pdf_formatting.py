from __future__ import annotations

from datetime import date, datetime

from renderers.pdf.formatting import (
    format_amount,
    format_copies,
    format_date,
    format_levels,
    format_number,
    format_processing_time,
    format_time_received,
)


def test_amounts_are_written_the_vietnamese_way() -> None:
    assert format_amount(10000) == "10.000 đồng"
    assert format_amount(1234567) == "1.234.567 đồng"
    assert format_amount(500) == "500 đồng"
    assert format_amount(0) == "Miễn phí"
    assert format_amount(None) == "Chưa có thông tin"
    assert format_amount(145, "USD") == "145 USD"


def test_numbers_use_a_decimal_comma() -> None:
    assert format_number(1.5) == "1,5"
    assert format_number(2.0) == "2"
    assert format_number(12000) == "12.000"


def test_dates_are_day_month_year() -> None:
    assert format_date(date(2026, 3, 2)) == "02/03/2026"
    assert format_date("2026-12-31") == "31/12/2026"
    assert format_date(None) == ""
    assert format_time_received(datetime(2026, 3, 12, 9, 5)) == "9 giờ 05 phút, ngày 12/03/2026"


def test_processing_time_and_levels_have_vietnamese_labels() -> None:
    assert format_processing_time({"value": 1, "unit": "working_days"}) == "1 ngày làm việc"
    assert format_processing_time({"value": 15, "unit": "days", "note": "20 ngày nếu nộp trực tuyến"}) == (
        "15 ngày (20 ngày nếu nộp trực tuyến)"
    )
    assert format_processing_time({"value": 3, "unit": "unknown"}) == "Chưa có thông tin"
    assert format_processing_time({"value": 0, "unit": "working_days"}) == "Trong ngày làm việc"
    assert format_processing_time(None) == "Chưa có thông tin"
    assert format_levels(["central", "province", "district", "commune", "other"]) == (
        "Cấp Bộ, ngành trung ương, Cấp tỉnh, Cấp huyện, Cấp xã, Cơ quan khác"
    )
    assert format_copies(1, 2) == "1 bản chính, 2 bản sao"
    assert format_copies(0, 0) == ""
