"""Parsing the national portal's flattened tables, on real records chosen for their traps.

Records used (codes of /work/shared/data/national-catalogue-2026.jsonl.gz):
1.001193 Đăng ký khai sinh (notes written as "0 bản chính", present vs submit),
1.000894 Đăng ký kết hôn ("* Lưu ý" section of notes), 1.008331 (deadline with no unit),
3.000340 and 1.013329 ("Miễn phí" whose description quotes amounts), 1.013229 and 1.004362
(very long texts), 2.002060 and 1.007642 (time glued to fee), 1.003460 (fee in USD),
1.007690 (time cell in words), 1.013205 (case headings), 1.002693 (form file), 1.013657 and
1.007833 (legal numbers glued together), 1.000178 (5-digit KQ code, page chrome),
1.003777 (a mode repeated), 1.000916 (no result), 3.000336 (no legal basis).
"""

from __future__ import annotations

import functools

import pytest

from catalog.national import convert_record, iter_records
from catalog.national.channels import parse_channels
from catalog.national.documents import parse_documents
from catalog.national.legal import parse_legal_basis
from catalog.national.meta import parse_levels, parse_subjects
from catalog.national.results import parse_results
from catalog.national.steps import split_items
from form_schemas.review import facts_pointer, mark_at
from tests.national_data import NATIONAL_FILE as DATA
from tests.national_data import needs_data


@functools.lru_cache(maxsize=1)
def _records() -> dict[str, dict]:
    return {record["ma_thu_tuc"]: record for record in iter_records(DATA)}


def procedure(code: str) -> dict:
    return convert_record(_records()[code]).document["x-procedure"]


def by_mode(channels: list[dict]) -> dict[str, dict]:
    return {channel["mode"]: channel for channel in channels}


# --- channels -------------------------------------------------------------------------------

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def test_channel_modes_times_and_fees_are_read_from_the_glued_table() -> None:
    result = parse_channels(
        HEADER + "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(Lệ phí đăng ký)"
        "Trực tiếp15 NgàyLệ phí : 50.000 ĐồngBưu chính công ích8 GiờMiễn phí"
    )
    channels = by_mode(result.channels)
    assert channels["online"]["processingTime"] == {"value": 7, "unit": "working_days"}
    assert channels["online"]["fees"] == [
        {"name": "Phí, lệ phí", "amount": 10000, "kind": "charge", "note": "Lệ phí đăng ký"}
    ]
    assert channels["in_person"]["processingTime"]["unit"] == "days"
    assert channels["in_person"]["fees"][0]["amount"] == 50000
    assert channels["in_person"]["fees"][0]["kind"] == "charge"
    assert channels["postal"]["processingTime"] == {"value": 8, "unit": "hours"}
    assert [channel["mode"] for channel in result.channels] == ["online", "in_person", "postal"]
    assert result.status == "parsed"


def test_fee_cell_lists_only_the_first_row_of_a_merged_mode() -> None:
    result = parse_channels(HEADER + "Trực tiếp2 Ngày làm việcMiễn phíTrực tiếp2 ThángMiễn phí")
    assert len(result.channels) == 1
    assert "Hoặc: 2 tháng" in result.channels[0]["processingTime"]["note"]


@needs_data
def test_deadline_with_no_unit_keeps_the_number_with_unit_unknown_1_008331() -> None:
    channels = procedure("1.008331")["channels"]
    assert {channel["mode"] for channel in channels} == {"online", "postal", "in_person"}
    assert all(channel["processingTime"] == {"value": 1, "unit": "unknown"} for channel in channels)


@needs_data
@pytest.mark.parametrize("code", ["3.000340", "1.013329"])
def test_free_with_a_description_quoting_a_fee_is_not_stored_as_free(code: str) -> None:
    """fee_free_but_described: "Miễn phí" whose description states a charge is not amount 0."""
    conversion = convert_record(_records()[code])
    document = conversion.document
    fee = document["x-procedure"]["channels"][0]["fees"][0]
    assert "amount" not in fee and fee["basis"] == "to_check"
    assert "000" in fee["note"] and "Miễn phí" in fee["note"]
    assert mark_at(document, facts_pointer("channels", 0, "fees", 0)).reason == (
        "fee_free_but_described"
    )
    assert conversion.parts["fees"] == "to_check"


@needs_data
def test_time_glued_to_fee_is_split_by_the_amount_in_the_description_2_002060() -> None:
    online = by_mode(procedure("2.002060")["channels"])["online"]
    assert online["processingTime"] == {"value": 1, "unit": "unknown"}
    assert online["fees"][0]["amount"] == 100000


@needs_data
def test_time_glued_to_fee_without_evidence_is_reported_raw_1_007642() -> None:
    conversion = convert_record(_records()["1.007642"])
    assert conversion.parts["channels"] == "raw"
    note = conversion.document["x-procedure"]["channels"][0]["processingTime"]["note"]
    assert "«120»" in note


@needs_data
def test_fee_in_dollars_is_stored_in_dollars_1_003460() -> None:
    conversion = convert_record(_records()["1.003460"])
    fees = [fee for channel in conversion.document["x-procedure"]["channels"]
            for fee in channel.get("fees", ())]
    assert {"amount": 145, "currency": "USD"}.items() <= fees[0].items()


@needs_data
def test_time_cell_in_words_is_kept_as_a_note_1_007690() -> None:
    conversion = convert_record(_records()["1.007690"])
    online = by_mode(conversion.document["x-procedure"]["channels"])["online"]
    assert "processingTime" not in online
    assert "Không phải trả kết quả" in online["fees"][0]["note"]
    assert conversion.parts["channels"] == "parsed"


@needs_data
def test_repeated_mode_is_merged_keeping_every_description_1_003777() -> None:
    channels = procedure("1.003777")["channels"]
    assert [channel["mode"] for channel in channels] == ["in_person"]
    note = channels[0]["processingTime"]["note"]
    assert "Công an cấp tỉnh" in note and "Cục Tổ chức cán bộ" in note


def test_unreadable_channel_table_keeps_its_raw_text() -> None:
    result = parse_channels(HEADER + "Trực tiếpHệ thống phản hồi tự động.Không có thông tinTại xã")
    assert result.status == "raw"
    assert "Hệ thống phản hồi tự động" in result.channels[0]["processingTime"]["note"]


# --- documents ------------------------------------------------------------------------------

DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


def test_documents_counts_cases_forms_and_present_section() -> None:
    result = parse_documents(
        "* Trường hợp cấp mới" + DOC_HEADER
        + "Đơn đề nghị theo Mẫu số 01 của Nghị định số 258/2025/NĐ-CPMẫu số 01.docx1 bản chính"
        + "Ảnh chụp hiện trạng0 bản chính,2 bản sao"
        + "* Giấy tờ phải xuất trình:" + DOC_HEADER + "Thẻ căn cước1 bản chính"
        + "--" + DOC_HEADER + "01 bản sao giấy khai sinh (nếu có)1 bản sao"
    )
    first, photo, card, birth = result.documents
    assert first["name"] == "Đơn đề nghị theo Mẫu số 01 của Nghị định số 258/2025/NĐ-CP"
    assert first["template"] == "Mẫu số 01.docx"
    assert (first["originals"], first["copies"], first["case"]) == (1, 0, "Trường hợp cấp mới")
    assert (photo["originals"], photo["copies"]) == (0, 2)
    assert card["action"] == "present" and "case" not in card
    assert birth["name"].startswith("01 bản sao giấy khai sinh")
    assert birth["required"] is False
    assert result.status == "parsed"


def test_zero_count_entries_are_notes_or_sub_headings_not_documents() -> None:
    result = parse_documents(
        "--" + DOC_HEADER + "Tờ khai1 bản chính"
        + "Trường hợp đã nộp bản điện tử thì không phải nộp bản giấy.0 bản chính"
        + "- Giấy tờ phải xuất trình:0 bản chính"
        + "Hộ chiếu1 bản chính"
    )
    assert [document["name"] for document in result.documents] == ["Tờ khai", "Hộ chiếu"]
    assert result.documents[1]["action"] == "present"
    assert result.notes == ["Trường hợp đã nộp bản điện tử thì không phải nộp bản giấy."]


@needs_data
def test_birth_registration_notes_stay_out_of_the_documents_1_001193() -> None:
    conversion = convert_record(_records()["1.001193"])
    proc = conversion.document["x-procedure"]
    names = [document["name"] for document in proc["documents"]]
    assert not any(name.startswith("Trường hợp giấy tờ tùy thân sử dụng là") for name in names)
    assert any("Trường hợp giấy tờ tùy thân sử dụng là" in note for note in proc["conditions"])
    present = {doc["name"][:9] for doc in proc["documents"] if doc["action"] == "present"}
    assert "Hộ chiếu/" in present
    birth_form = next(doc for doc in proc["documents"] if doc["name"].startswith("Tờ khai"))
    assert birth_form["action"] == "submit"  # "nộp/xuất trình … các giấy tờ sau:" is both


@needs_data
def test_marriage_notes_section_yields_no_documents_1_000894() -> None:
    proc = procedure("1.000894")
    assert all(doc["originals"] + doc["copies"] > 0 for doc in proc["documents"])
    assert any("hợp pháp hóa lãnh sự" in note for note in proc["conditions"])


@needs_data
def test_case_headings_become_document_cases_1_013205() -> None:
    cases = {doc.get("case") for doc in procedure("1.013205")["documents"]}
    assert {"Trường hợp kiểm định lần đầu", "Trường hợp kiểm định định kỳ"} <= cases


@needs_data
def test_form_file_is_split_from_the_document_name_1_002693() -> None:
    form = procedure("1.002693")["documents"][0]
    assert form["template"] == "Mẫu số 01.docx"
    assert form["name"].endswith("258/2025/NĐ-CP")


def test_document_table_without_counts_is_kept_raw() -> None:
    result = parse_documents("Hồ sơ gồm giấy tờ theo quy định")
    assert result.status == "raw"
    assert result.documents[0]["name"] == "Hồ sơ gồm giấy tờ theo quy định"


@needs_data
def test_very_long_document_name_gets_a_short_label_and_the_full_help_1_004362() -> None:
    document = convert_record(_records()["1.004362"]).document
    longest = max(document["x-procedure"]["documents"], key=lambda doc: len(doc["name"]))
    assert len(longest["name"]) > 5000
    field = document["properties"]["attachments"]["properties"][longest["field"].split(".")[1]]
    assert len(field["title"]) <= 150 and field["title"].endswith("…")
    assert field["description"] == longest["name"]


# --- results, legal basis, steps, levels, subjects -----------------------------------------


def test_results_keep_codes_and_drop_page_chrome() -> None:
    results, status = parse_results(
        "Văn bản thông báoMã: KQ.G12.001161Văn bản ghi nhậnMã: KQ.G12.000778Từ khóaKhông có "
        "thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnNộp hồ sơ"
    )
    assert results == [
        {"name": "Văn bản thông báo", "code": "KQ.G12.001161"},
        {"name": "Văn bản ghi nhận", "code": "KQ.G12.000778"},
    ]
    assert status == "parsed"


@needs_data
def test_result_with_five_digit_code_1_000178_and_missing_result_1_000916() -> None:
    assert procedure("1.000178")["results"] == [
        {"name": "Quyết định giải quyết khiếu nại lần 1, lần 2", "code": "KQ.G01.00262"}
    ]
    missing = convert_record(_records()["1.000916"])
    assert missing.parts["results"] == "absent"
    assert missing.document["x-procedure"]["results"] == [{"name": "Chưa có thông tin"}]
    assert mark_at(missing.document, facts_pointer("results")).reason == "result_absent"


def test_legal_basis_pairs_with_issuer_and_date_from_the_title() -> None:
    items, status = parse_legal_basis(
        "Tên văn bản pháp lýMã văn bảnLuật 08/2017/QH1408/2017/QH14Nghị định số 40/2026/NĐ-CP "
        "ngày 25/01/202640/2026/NĐ-CPQuyết định66/2015/QĐ-TTgThông tư 23/2019/TT-BTC23/2019/TT-BTC"
    )
    assert [item["number"] for item in items] == [
        "08/2017/QH14", "40/2026/NĐ-CP", "66/2015/QĐ-TTg", "23/2019/TT-BTC"
    ]
    assert items[0] == {"title": "Luật 08/2017/QH14", "number": "08/2017/QH14",
                        "issuer": "Quốc hội"}
    assert items[1]["issuedOn"] == "2026-01-25"
    assert items[1]["issuer"] == "Chính phủ"
    assert items[2]["issuer"] == "Thủ tướng Chính phủ"
    assert status == "parsed"


@needs_data
def test_glued_legal_numbers_of_real_records_1_013657_1_007833() -> None:
    assert [item["number"] for item in procedure("1.013657")["legalBasis"]] == [
        "123/2020/NĐ-CP", "70/2025/NĐ-CP"
    ]
    assert [item["number"] for item in procedure("1.007833")["legalBasis"]] == [
        "54/2014/QH13", "38/2015/TT-BTC", "39/2015/TT-BTC"
    ]


def test_no_information_is_absent_everywhere() -> None:
    assert parse_legal_basis("Không có thông tin") == ([], "absent")
    assert split_items("Không có thông tin") == ([], "absent")
    assert parse_results("") == ([], "absent")
    assert parse_channels("").status == "absent"
    assert parse_documents("Không có thông tin").status == "absent"


def test_steps_are_split_on_step_markers_and_lines() -> None:
    items, status = split_items("Bước 1: Nộp hồ sơ.\nBước 2: Tiếp nhận\nvà kiểm tra.\nBước 3: Trả")
    assert items == ["Bước 1: Nộp hồ sơ.", "Bước 2: Tiếp nhận và kiểm tra.", "Bước 3: Trả"]
    assert status == "parsed"
    items, _ = split_items("- Nộp hồ sơ\n- Nhận kết quả\ntại bộ phận một cửa")
    assert items == ["- Nộp hồ sơ", "- Nhận kết quả tại bộ phận một cửa"]


def test_levels_and_compound_subjects() -> None:
    assert parse_levels("Cấp bộ, Cấp tỉnh, Cấp huyện, Cấp xã, Cơ quan khác") == (
        ["central", "province", "district", "commune", "other"], "parsed"
    )
    subjects, _ = parse_subjects(
        "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam, Cán bộ, công chức, viên chức"
    )
    assert subjects == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)", "Công dân Việt Nam",
        "Cán bộ, công chức, viên chức",
    ]


# --- the application form -------------------------------------------------------------------


@needs_data
def test_enterprise_only_procedure_asks_for_the_organisation_1_014216() -> None:
    document = convert_record(_records()["1.014216"]).document
    assert "organisation" in document["required"] and "applicant" not in document["properties"]
    organisation = document["properties"]["organisation"]["properties"]
    assert organisation["tax_code"]["format"] == "vn-tax-code"


@needs_data
def test_citizen_procedure_asks_for_the_applicant_with_cccd_1_000757() -> None:
    document = convert_record(_records()["1.000757"]).document
    applicant = document["properties"]["applicant"]
    assert applicant["properties"]["citizen_id"]["format"] == "vn-citizen-id"
    assert "citizen_id" in applicant["required"]
    assert "organisation" not in document["properties"]


@needs_data
def test_foreigners_are_not_required_to_give_a_cccd_1_001010() -> None:
    applicant = convert_record(_records()["1.001010"]).document["properties"]["applicant"]
    assert "citizen_id" not in applicant["required"]


@needs_data
def test_uploads_only_for_submitted_documents_required_unless_conditional_1_002693() -> None:
    document = convert_record(_records()["1.002693"]).document
    attachments = document["properties"]["attachments"]
    for doc in document["x-procedure"]["documents"]:
        name = doc["field"].split(".")[1]
        upload = attachments["properties"][name]
        assert upload["x-widget"] == "file" and upload["x-maxBytes"] == 10485760
        assert (name in attachments.get("required", [])) == doc["required"]
    assert document["x-procedure"]["onlineService"] == {"level": 3, "mode": "partial"}


@needs_data
def test_no_online_channel_means_level_1() -> None:
    record = dict(_records()["1.002693"])
    record["cach_thuc_thuc_hien"] = HEADER + "Trực tiếp10 Ngày làm việcMiễn phí"
    assert convert_record(record).document["x-procedure"]["onlineService"]["level"] == 1


def test_an_agency_cell_holding_other_text_names_no_agency() -> None:
    from catalog.national.meta import agency_text, parse_agencies

    assert agency_text("Ủy ban nhân dân cấp xã") == ("Ủy ban nhân dân cấp xã", False)
    assert agency_text("") == ("", False) and agency_text(None) == ("", False)
    glued = ("phê duyệt nguồn vốn trồng rừngTên thủ tụcPhê duyệt Phương án khai thác gỗMã thủ tục1.011470"
             "Số quyết định2391/QĐ-BNNMT")
    assert agency_text(glued) == ("", True)
    steps = "chứng thực tiến hành chụp từ bản chính\n\n* Ghi đầy đủ lời chứng theo mẫu quy định;"
    assert agency_text(steps) == ("", True)
    agencies, status, marks = parse_agencies({"co_quan_co_tham_quyen": glued, "co_quan_thuc_hien": steps})
    assert agencies == {} and status == "raw"
    assert [(m["pointer"], m["reason"]) for m in marks] == [("competent", "agency_unreadable"),
                                                            ("implementing", "agency_unreadable")]
    assert marks[0]["source"].startswith("phê duyệt nguồn vốn") and len(marks[0]["source"]) <= 300
    agencies, status, marks = parse_agencies({"co_quan_co_tham_quyen": glued,
                                              "co_quan_thuc_hien": "Sở Nông nghiệp và Môi trường"})
    assert agencies["competent"] == "Sở Nông nghiệp và Môi trường" and marks[0]["reason"] == "competent_from_implementing"
