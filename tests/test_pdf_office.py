"""Printing for an office: the notice, the booklet, slip 01 and the blank form carry the office
that prints them (its parent body, name and address) and the procedure as it applies there (a
fee set by the provincial council and published in a local version)."""

from __future__ import annotations

import copy
import json
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from admin.setup import DEMO_COMMUNE_OFFICE, DEMO_PROVINCE_OFFICE, create_demo_office
from catalog.db import db
from catalog.models import Office
from catalog.services import import_document
from catalog.services.history import procedure_by_code
from catalog.services.local_versions import (
    approve_local,
    procedure_at,
    save_local_draft,
    submit_local,
)
from catalog.services.offices import place_and_date
from form_schemas.validation import check_procedure
from form_schemas.wording import processing_time_text
from renderers.pdf import (
    ReceiptData,
    ReceivedDocument,
    render_blank_form,
    render_booklet,
    render_notice,
    render_receipt,
)
from tests.factories import document

CODE = "1.001612"
RESOLUTION = {"number": "12/2025/NQ-HĐND", "title": "Nghị quyết quy định mức thu lệ phí",
              "issuer": "HĐND tỉnh Quảng Trị", "issuedOn": "2025-07-10"}
OFFICES = (DEMO_PROVINCE_OFFICE, DEMO_COMMUNE_OFFICE)


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler extracts it, whitespace collapsed."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def national() -> dict[str, Any]:
    """A procedure of both levels whose in-person fee is set by the provincial council."""
    doc = document(CODE, title="Đăng ký thành lập hộ kinh doanh")
    facts = copy.deepcopy(doc["x-procedure"])
    facts["levels"] = ["province", "commune"]
    facts["channels"][0]["processingTime"] = {"value": 3, "unit": "working_days"}
    facts["channels"][0]["fees"] = [{"name": "Lệ phí đăng ký hộ kinh doanh", "kind": "charge",
                                     "basis": "set_by_province"}]
    facts["review"] = [{"pointer": "/x-procedure/channels/0/fees/0/basis", "kind": "to_check",
                        "reason": "fee_set_by_province"}]
    doc["x-procedure"] = facts
    return check_procedure(doc)


def publish_local(procedure: Any, overrides: dict[str, Any], **scope: Any) -> None:
    local = save_local_draft(db.session, procedure, overrides, actor="officer", **scope)
    submit_local(db.session, local, actor="officer")
    approve_local(db.session, local, actor="approver")


@pytest.fixture
def offices(app: Flask) -> dict[str, Office]:
    import_document(db.session, national(), author="importer", publish=True)
    create_demo_office()
    procedure = procedure_by_code(db.session, CODE)
    publish_local(procedure, {"basis": RESOLUTION, "channels": {"in_person": {"fees": [
        {"name": "Lệ phí đăng ký hộ kinh doanh", "kind": "charge", "amount": 100000}]}}}, province_code="44")
    return {office.name: office for office in db.session.scalars(db.select(Office))}


def notice_for(office: Office) -> bytes:
    from admin.printing import notice_info

    applied = procedure_at(db.session, procedure_by_code(db.session, CODE), office)
    info = notice_info(CODE, applied.version, office=office, applied=applied)
    return render_notice(applied.document, version=info.version, version_date=info.version_date,
                         procedure_url=info.procedure_url, office=info.office, local_basis=info.local_basis)


def receipt_for(office: Office, received: datetime, appointment: date | None = None) -> bytes:
    """Slip 01 of a dossier at `office`, with the procedure's facts as they apply there."""
    applied = procedure_at(db.session, procedure_by_code(db.session, CODE), office)
    channel = applied.document["x-procedure"]["channels"][0]
    return render_receipt(ReceiptData(
        dossier_code="2026-1.001612-000007", office_name=office.name, parent_body=office.parent_body,
        place_and_date=place_and_date(office, received.date()), applicant_name="Nguyễn Văn An",
        applicant_address="Phường Đông Hà, Quảng Trị", applicant_phone="0912345678",
        requested=applied.document["title"], procedure_name=applied.document["title"],
        documents=[ReceivedDocument("Giấy đề nghị đăng ký hộ kinh doanh", 1)],
        processing_time=processing_time_text(channel.get("processingTime"), "vi", with_note=False),
        received_at=received, appointment=appointment, result_place=office.address,
        tracking_url="https://motcua.example.vn/dossiers/2026-1.001612-000007", officer_name=None,
    ))


def test_each_demo_office_prints_its_name_parent_body_address_and_local_fee(
        offices: dict[str, Office], tmp_path: Path) -> None:
    from admin.printing import booklet_entries, office_heading
    from catalog.services.search import published_versions

    assert set(OFFICES) <= set(offices)
    for name in OFFICES:
        office = offices[name]
        other = offices[next(n for n in OFFICES if n != name)]
        notice = pdftotext(notice_for(office), tmp_path)
        entries = booklet_entries(published_versions(db.session), office=office, session=db.session)
        booklet = pdftotext(render_booklet(entries, title="Bộ thủ tục", office=office_heading(office)), tmp_path)
        receipt = pdftotext(receipt_for(office, datetime(2026, 2, 5, 9, 5)), tmp_path)
        form = pdftotext(render_blank_form(entries[0].document, office=office_heading(office)), tmp_path)
        for printed in (notice, booklet, receipt, form):
            assert office.address in printed
            assert office.parent_body.upper() in printed.upper()
            assert other.address not in printed
        for printed in (notice, booklet, receipt):
            assert office.name.upper() in printed
        for printed in (notice, booklet):
            assert "Lệ phí đăng ký hộ kinh doanh: 100.000 đồng" in printed
            # the basis beside the local fee (a table cell: poppler may split its lines)
            assert "(Theo Nghị quyết số" in printed and "12/2025/NQ-HĐND" in printed
            assert "Mức thu theo quy định của HĐND cấp tỉnh" not in printed
            assert office.hotline in printed and office.complaints_address.split(";")[0] in printed
            assert "Thứ Hai – Thứ Sáu" in printed
        assert ("Thứ Bảy" in notice) is office.saturday_morning
        assert "Quảng Trị, ngày 05 tháng 02 năm 2026" in receipt or "Đông Hà, ngày 05 tháng 02 năm 2026" in receipt
        assert "Thời gian trả kết quả giải quyết hồ sơ: Chưa xác định" in receipt
    ward = offices[DEMO_COMMUNE_OFFICE]
    ward_form = pdftotext(render_blank_form(national(), office=office_heading(ward)), tmp_path)
    assert "Kính gửi: Ủy ban nhân dân phường Đông Hà" in ward_form


def test_without_an_office_the_notice_keeps_the_national_facts(offices: dict[str, Office], tmp_path: Path) -> None:
    national_notice = pdftotext(render_notice(national(), version=1, version_date=date(2026, 1, 1),
                                              procedure_url="https://motcua.example.vn/p"), tmp_path)
    assert "Mức thu theo quy định của HĐND cấp tỉnh" in national_notice
    assert DEMO_PROVINCE_OFFICE.upper() not in national_notice


def test_an_office_override_changes_the_notice_and_the_receipt_together(
        offices: dict[str, Office], tmp_path: Path) -> None:
    ward = offices[DEMO_COMMUNE_OFFICE]
    before_notice = pdftotext(notice_for(ward), tmp_path)
    before_receipt = pdftotext(receipt_for(ward, datetime(2026, 12, 2, 8, 0)), tmp_path)
    assert "3 ngày làm việc" in before_notice and "3 ngày làm việc" in before_receipt
    publish_local(procedure_by_code(db.session, CODE), {
        "basis": {"number": "45/QĐ-UBND", "issuer": "UBND phường Đông Hà", "issuedOn": "2025-08-01"},
        "channels": {"in_person": {"processingTime": {"value": 1, "unit": "working_days"}}}}, office_id=ward.id)
    after_notice = pdftotext(notice_for(ward), tmp_path)
    after_receipt = pdftotext(receipt_for(ward, datetime(2026, 12, 2, 8, 0)), tmp_path)
    # the basis is printed beside the local value (a table cell: poppler may split its lines)
    assert "Trực tiếp 1 ngày làm việc (Theo Quyết định số" in after_notice and "45/QĐ-UBND" in after_notice
    assert "theo quy định là: 1 ngày làm việc" in after_receipt
    assert "Đông Hà, ngày 02 tháng 12 năm 2026" in after_receipt
    province_notice = pdftotext(notice_for(offices[DEMO_PROVINCE_OFFICE]), tmp_path)
    assert "3 ngày làm việc" in province_notice  # the ward's override stays the ward's


def test_the_cli_prints_for_an_office(offices: dict[str, Office], runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ward = offices[DEMO_COMMUNE_OFFICE]
    for kind, args in (("notice", [CODE]), ("form", [CODE]), ("booklet", ["--processes", "1"])):
        target = tmp_path / f"{kind}.pdf"
        result = runner("render", kind, *args, "--office", str(ward.id), "-o", str(target))
        assert result.exit_code == 0, result.output
        printed = pdftotext(target.read_bytes(), tmp_path)
        assert ward.address in printed, kind
    missing = runner("render", "notice", CODE, "--office", "9999", "-o", str(tmp_path / "x.pdf"))
    assert missing.exit_code != 0 and "9999" in missing.output + missing.stderr


def test_the_official_form_title_number_and_both_spouses_sign(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "catalog" / "samples"
    residence = json.loads((root / "1.004222.json").read_text("utf-8"))
    content = pdftotext(render_blank_form(residence), tmp_path)
    assert "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ" in content and "Mẫu CT01" in content
    assert "Tờ khai đăng ký thường trú" not in content and "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ" not in content
    attachments = content.split("Giấy tờ kèm theo:")[1]
    assert "Mẫu CT01" not in attachments and "Tờ khai thay đổi thông tin cư trú" not in attachments
    assert "(nếu có) (nếu có)" not in content
    marriage = json.loads((root / "1.000894.json").read_text("utf-8"))
    assert [s["title"] for s in marriage["x-signers"]] == ["Bên nam", "Bên nữ"]
    signed = pdftotext(render_blank_form(marriage), tmp_path)
    assert "BÊN NAM" in signed and "BÊN NỮ" in signed and "NGƯỜI YÊU CẦU" not in signed
    assert "Chúng tôi cam đoan" in signed
    declared = copy.deepcopy(marriage)
    declared["x-procedure"]["form"] = {"name": "Tờ khai đăng ký kết hôn", "number": "Mẫu TP/HT-2020-KH",
                                       "circular": "Thông tư số 04/2020/TT-BTP"}
    check_procedure(declared)
    titled = pdftotext(render_blank_form(declared), tmp_path)
    assert "Mẫu TP/HT-2020-KH" in titled and "Ban hành kèm theo Thông tư số 04/2020/TT-BTP" in titled


def test_the_posting_page_prints_a_single_notice_for_its_office(
        app: Flask, offices: dict[str, Office], tmp_path: Path) -> None:
    from admin.roles import POSTING_OFFICER
    from tests.backoffice_helpers import client_for, make_users

    make_users(app)
    ward = offices[DEMO_COMMUNE_OFFICE]
    ward_id, address = ward.id, ward.address
    db.session.remove()
    officer = client_for(app, POSTING_OFFICER)
    url = f"/admin/postings/{ward_id}/notices/{CODE}.pdf"
    response = officer.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    printed = pdftotext(response.data, tmp_path)
    assert DEMO_COMMUNE_OFFICE.upper() in printed and address in printed
    assert "Lệ phí đăng ký hộ kinh doanh: 100.000 đồng" in printed
    assert officer.get(f"/admin/postings/{ward_id}/notices/9.999999.pdf").status_code == 404
