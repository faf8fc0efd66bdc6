"""A faithful import (issue 10 §2): one test per class of error, each on a real record.

Records used (codes of the national catalogue file):
fees: 1.010727 (Miễn phí, HĐND cấp tỉnh sets it), 1.011441 (no fee cell, HĐND), 2.002351
(no amount, a law cited), 1.000178 (fee cell without amount), 1.000771 (USD in the cell),
1.003358 ("145 VNĐ" beside "145 USD/thẻ"), 3.000349 ("135 VNĐ" beside "135.000 đồng"),
1.003133 ("40 Việt Nam Đồng" beside "4.000 đ": no evidence), 2.000815 (per page, tiers,
maximum), 1.007642 (time glued to fee, no evidence), 1.000597 (Miễn phí, unclosed description);
agencies: 1.001193 (birth registration, no agency at all), 1.003220 (implementing only);
documents: 1.000115 ("01 bản chính.1 bản chính"), 1.000082 (heading "… bao gồm :" with a
count), 1.014274 and 1.000771 (form file glued to the name), 2.002011 and 1.003777
(introductory sentence, single case), 1.002755 ("trừ trường hợp" inside a name; "Lưu ý:"
entry), 1.009056 ("- " before names), 1.007816 (count in the name, "0 bản chính" in the
cell), 1.000058 (every entry "0 bản chính");
legal basis: 1.000236 (year glued to a number), 1.003220 ("TTLT- BQP…", "TTLT/BQP…"),
1.001662 ("TT-BNNMTQUY ĐỊNH"), 1.000757 ("53/2025/TT-BCAngày …"), 1.003482 ("Nghị định" +
number), 1.012575 (repeated number with "số");
other: 1.002756 ("3 Ngày" + "03 ngày làm việc"), 1.003777 ("Không" as condition), 2.001428
(glued "Bước N"), 1.000916 (no result), 1.001686 and 1.003482 (result names of dots),
1.014208 (a bare number as condition).
"""

from __future__ import annotations

import functools

import pytest

from catalog.national import convert_record, iter_records
from catalog.national.convert import Conversion
from catalog.national.report import QualityReport
from form_schemas.review import REASONS, facts_pointer, mark_at, marks
from form_schemas.validation import check_procedure
from tests.national_data import NATIONAL_FILE as DATA
from tests.national_data import needs_data

pytestmark = needs_data


@functools.lru_cache(maxsize=1)
def _records() -> dict[str, dict]:
    return {record["ma_thu_tuc"]: record for record in iter_records(DATA)}


@functools.lru_cache(maxsize=64)
def converted(code: str) -> Conversion:
    conversion = convert_record(_records()[code])
    check_procedure(conversion.document)
    return conversion


def facts(code: str) -> dict:
    return converted(code).document["x-procedure"]


def fees(code: str) -> list[tuple[int, int, dict]]:
    return [
        (i, j, fee)
        for i, channel in enumerate(facts(code)["channels"])
        for j, fee in enumerate(channel.get("fees", ()))
    ]


def reason_at(code: str, *path: str | int) -> str | None:
    mark = mark_at(converted(code).document, facts_pointer(*path))
    return mark.reason if mark else None


# --- fees -----------------------------------------------------------------------------------


def test_free_but_set_by_the_provincial_council_is_not_free_1_010727() -> None:
    """fee_set_by_province: "Miễn phí (… theo quy định của Hội đồng nhân dân cấp tỉnh)"."""
    for i, j, fee in fees("1.010727"):
        assert "amount" not in fee and fee["basis"] == "set_by_province"
        assert "Hội đồng nhân dân cấp tỉnh" in fee["note"]
        assert reason_at("1.010727", "channels", i, "fees", j) == "fee_set_by_province"
    assert converted("1.010727").parts["fees"] == "to_check"


def test_no_fee_cell_and_the_council_sets_it_1_011441() -> None:
    """fee_set_by_province from the description when the fee cell is empty."""
    fee = fees("1.011441")[0][2]
    assert fee["basis"] == "set_by_province" and "amount" not in fee


def test_no_amount_citing_a_regulation_is_per_regulation_2_002351() -> None:
    """fee_no_amount, basis per_regulation with the regulation in the note."""
    regulated = [(i, j, fee) for i, j, fee in fees("2.002351") if fee["basis"] == "per_regulation"]
    i, j, fee = regulated[0]
    assert fee["note"] == "Luật số 47/2014/QH13" and "amount" not in fee
    assert reason_at("2.002351", "channels", i, "fees", j) == "fee_no_amount"


def test_fee_cell_without_amount_is_unknown_not_zero_1_000178() -> None:
    """fee_no_amount: the cell says "Không có thông tin"; nothing is stored as 0."""
    for i, j, fee in fees("1.000178"):
        assert "amount" not in fee and fee["basis"] == "to_check"
        assert reason_at("1.000178", "channels", i, "fees", j) == "fee_no_amount"
    conversion = converted("1.000178")
    assert conversion.parts["fees"] == "absent"
    assert conversion.reasons["fees"] == "absent: the fee cell gives no amount"


def test_dollar_amounts_are_dollars_1_000771() -> None:
    for _, _, fee in fees("1.000771"):
        assert (fee["amount"], fee["currency"]) == (10, "USD")


def test_dollars_written_as_vnd_take_the_currency_of_the_description_1_003358() -> None:
    """fee_currency_from_description: "145 VNĐ" beside "145 USD/thẻ" is 145 USD, inferred."""
    found = {fee["amount"]: (i, j, fee) for i, j, fee in fees("1.003358")}
    i, j, fee = found[145]
    assert fee["currency"] == "USD" and fee["per"] == "item"
    mark = mark_at(converted("1.003358").document, facts_pointer("channels", i, "fees", j))
    assert (mark.kind, mark.reason, mark.source) == (
        "inferred", "fee_currency_from_description", "145 VNĐ"
    )


def test_amount_in_thousands_is_converted_with_evidence_3_000349() -> None:
    """fee_thousands: "135 VNĐ" with "135.000 đồng/lần" in the description is 135.000 đ."""
    i, j, fee = fees("3.000349")[0]
    assert fee["amount"] == 135000
    mark = mark_at(converted("3.000349").document, facts_pointer("channels", i, "fees", j))
    assert (mark.kind, mark.reason, mark.source) == ("inferred", "fee_thousands", "135 VNĐ")
    assert converted("3.000349").parts["fees"] == "inferred"


def test_small_amount_without_evidence_is_to_check_not_forty_dong_1_003133() -> None:
    """fee_unclear: "40 Việt Nam Đồng" beside "4.000 đ" — neither is trusted."""
    in_person = [fee for _, _, fee in fees("1.003133") if "«40 Việt Nam Đồng»" in fee.get("note", "")]
    assert in_person and all("amount" not in fee for fee in in_person)
    assert all(fee["basis"] == "to_check" for fee in in_person)


def test_page_schedule_is_data_2_000815() -> None:
    """2.000 đ/trang, from page 3 1.000 đ/trang, at most 200.000 đ/bản."""
    fee = fees("2.000815")[0][2]
    assert {key: fee[key] for key in ("amount", "per", "tiers", "maximum")} == {
        "amount": 2000, "per": "page", "tiers": [{"from": 3, "amount": 1000}], "maximum": 200000,
    }
    assert fees("2.000815")[1][2]["currency"] == "USD"


def test_fee_guessed_from_a_glued_time_is_not_stored_1_007642() -> None:
    """time_glued_to_fee + fee_unclear: "120 VNĐ" might be 1 day + 20 or 12 days + 0."""
    conversion = converted("1.007642")
    i, j, fee = fees("1.007642")[0]
    assert "amount" not in fee and "«120 VNĐ»" in fee["note"]
    assert reason_at("1.007642", "channels", i, "fees", j) == "fee_unclear"
    assert reason_at("1.007642", "channels", i, "processingTime") == "time_glued_to_fee"
    assert conversion.parts["fees"] == "raw" and conversion.parts["channels"] == "raw"


# --- agencies -------------------------------------------------------------------------------


def test_birth_registration_names_no_ministry_1_001193() -> None:
    """competent_absent: the record names no agency; "Bộ Tư pháp" is not made up."""
    agencies = facts("1.001193")["agencies"]
    assert "competent" not in agencies
    assert reason_at("1.001193", "agencies", "competent") == "competent_absent"
    assert converted("1.001193").parts["agencies"] == "absent"


def test_competent_from_implementing_is_marked_inferred_1_003220() -> None:
    """competent_from_implementing, with the implementing text as source."""
    record = _records()["1.003220"]
    agencies = facts("1.003220")["agencies"]
    assert agencies["competent"] == record["co_quan_thuc_hien"].strip() == agencies["implementing"]
    mark = mark_at(converted("1.003220").document, facts_pointer("agencies", "competent"))
    assert (mark.kind, mark.reason, mark.source) == (
        "inferred", "competent_from_implementing", agencies["implementing"]
    )
    conversion = converted("1.003220")
    assert conversion.parts["agencies"] == "inferred"
    assert conversion.reasons["agencies"].startswith("inferred: competent agency inferred")


# --- documents ------------------------------------------------------------------------------


def test_count_in_prose_does_not_split_the_name_1_000115() -> None:
    """"…(nếu có): 01 bản chính.1 bản chính" is one document, not "…: 0" plus "."."""
    documents = facts("1.000115")["documents"]
    names = [document["name"] for document in documents]
    assert not any(name.endswith(": 0") or not name.strip(" .;,:-") for name in names)
    authorisation = next(d for d in documents if d["name"].startswith("Giấy ủy quyền"))
    assert authorisation["name"].endswith("(nếu có): 01 bản chính.")
    assert authorisation["originals"] == 1 and authorisation["required"] is False


def test_heading_with_a_count_is_not_a_document_1_000082() -> None:
    names = [document["name"] for document in facts("1.000082")["documents"]]
    assert not any("bao gồm" in name and len(name) < 200 for name in names)
    assert all(document["required"] for document in facts("1.000082")["documents"][:5])


def test_form_file_is_split_at_its_name_1_014274_1_000771() -> None:
    first = facts("1.014274")["documents"][0]
    assert first["name"] == "Văn bản đề nghị phê duyệt đề án đóng cửa mỏ khoáng sản"
    assert first["template"] == "Mau 01-Phu luc_39.2025.TT-BNNMT_02.7.2025.doc"
    form = next(d for d in facts("1.000771")["documents"] if d.get("template") == "NA5.doc")
    assert form["name"].endswith("của Bộ Công an.")


def test_introductory_sentence_does_not_make_documents_optional_2_002011_1_003777() -> None:
    for code in ("2.002011", "1.003777"):
        documents = facts(code)["documents"]
        assert any(document["required"] for document in documents), code
        assert converted(code).document["properties"]["attachments"]["required"], code
    assert any(note.startswith("Lưu ý về thành phần hồ sơ: Hồ sơ hưởng chế độ")
               for note in facts("1.003777")["conditions"])


def test_except_case_inside_a_name_keeps_the_document_required_1_002755() -> None:
    """"trừ trường hợp" / "trường hợp" inside a name is prose; "Lưu ý:" is a note."""
    documents = facts("1.002755")["documents"]
    excepted = [d for d in documents if "trừ trường hợp" in d["name"] and not d.get("case")]
    assert excepted and all(document["required"] for document in excepted)
    assert not any(d["name"].startswith("Lưu ý") for d in documents)


def test_no_dash_left_before_names_1_009056() -> None:
    names = [document["name"] for document in facts("1.009056")["documents"]]
    assert names and not any(name.startswith(("-", "+", "*")) for name in names)


# --- legal basis ----------------------------------------------------------------------------


def numbers(code: str) -> list[str]:
    return [item.get("number", "") for item in facts(code).get("legalBasis", [])]


def test_year_glued_to_a_number_is_split_1_000236() -> None:
    assert "23/2023/QH15" in numbers("1.000236")
    assert not any(number.startswith("2023") for number in numbers("1.000236"))


def test_joint_circular_numbers_stay_whole_1_003220() -> None:
    assert numbers("1.003220") == [
        "21/2008/TTLT-BQP-BLĐTBXH-BTC", "290/2005/QĐ-TTg", "191/2005/TTLT/BQP-BLĐTBXH-BTC"
    ]
    assert not any(item["title"].startswith("BQP") for item in facts("1.003220")["legalBasis"])


def test_issuer_suffix_is_not_glued_to_the_next_title_1_001662() -> None:
    assert "14/2025/TT-BNNMT" in numbers("1.001662")
    assert not any("QUY" in number for number in numbers("1.001662"))


def test_number_inside_a_title_is_one_item_1_000757() -> None:
    items = facts("1.000757")["legalBasis"]
    circular = [item for item in items if item.get("number") == "53/2025/TT-BCA"]
    assert len(circular) == 1
    assert circular[0]["title"].startswith("Thông tư số 53/2025/TT-BCA ngày 01/7/2025")
    assert not any(item["title"].startswith("ngày") for item in items)


def test_label_only_titles_are_merged_1_003482_1_012575() -> None:
    decree = next(i for i in facts("1.003482")["legalBasis"] if i["number"] == "76/2012/NĐ-CP")
    assert decree["title"] == "Nghị định 76/2012/NĐ-CP"
    assert not any(item["title"] in ("số", "Luật", "Thông tư số")
                   for item in facts("1.012575")["legalBasis"])


# --- other ----------------------------------------------------------------------------------


def test_working_days_from_the_description_are_inferred_1_002756() -> None:
    """time_unit_from_description: the cell says "3 Ngày", the description "03 ngày làm việc"."""
    online = facts("1.002756")["channels"][0]
    assert online["processingTime"]["unit"] == "working_days"
    mark = mark_at(converted("1.002756").document, facts_pointer("channels", 0, "processingTime"))
    assert (mark.kind, mark.reason, mark.source) == (
        "inferred", "time_unit_from_description", "03 ngày làm việc"
    )


def test_no_is_not_a_condition_1_003777() -> None:
    assert not any(item.strip(" .").casefold() == "không" for item in facts("1.003777")["conditions"])


def test_glued_steps_are_split_2_001428() -> None:
    steps = facts("2.001428")["steps"]
    assert any(step.startswith("Bước 10") for step in steps)
    assert not any("lýBước" in step for step in steps)


def test_missing_result_is_unknown_and_marked_1_000916() -> None:
    conversion = converted("1.000916")
    assert facts("1.000916")["results"] == [{"name": "Chưa có thông tin"}]
    assert reason_at("1.000916", "results") == "result_absent"
    assert conversion.reasons["results"] == "absent: the source gives no result"


def test_missing_steps_are_unknown_and_marked() -> None:
    """steps_absent: no record of the file lacks steps, so a copy of 1.000916 without them."""
    record = dict(_records()["1.000916"], trinh_tu_thuc_hien="Không có thông tin")
    document = convert_record(record).document
    check_procedure(document)
    assert document["x-procedure"]["steps"] == ["Chưa có thông tin"]
    assert mark_at(document, facts_pointer("steps")).reason == "steps_absent"


# --- report ---------------------------------------------------------------------------------


def test_report_gives_status_and_reason_and_counts_guesses_apart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = QualityReport()
    for code in ("1.003220", "1.000178", "3.000349", "1.001193"):
        report.add(converted(code))
    assert report.counts("agencies") == {"inferred": 1, "parsed": 2, "absent": 1}
    assert report.rate("agencies") == 0.5
    summary = report.summary()
    assert "inferred" in summary and "to_check" in summary
    path = tmp_path / "report.csv"
    report.write_csv(path)
    text = path.read_text(encoding="utf-8")
    assert "inferred,inferred: competent agency inferred from the implementing agency" in text
    assert "absent,absent: the fee cell gives no amount" in text


@pytest.mark.parametrize("code", ["1.010727", "1.003358", "1.007642", "1.001193", "1.000916"])
def test_every_mark_reason_has_words(code: str) -> None:
    assert all(mark.reason in REASONS for mark in marks(converted(code).document))


def test_result_names_are_cleaned_and_dots_are_no_name_1_001686_1_003482() -> None:
    """".văn bản trả lời." is "Văn bản trả lời"; "..." with a code is unknown, to check."""
    assert any(result["name"] == "Văn bản trả lời" for result in facts("1.001686")["results"])
    unnamed = [r for r in facts("1.003482")["results"] if r.get("code") == "KQ.G01.000279"]
    assert unnamed == [{"name": "Chưa có thông tin", "code": "KQ.G01.000279"}]
    assert reason_at("1.003482", "results") == "results_unparsed"
    assert converted("1.003482").parts["results"] == "raw"


def test_a_bare_number_is_not_a_condition_1_014208() -> None:
    assert "5" not in facts("1.014208").get("conditions", [])


def test_count_written_in_the_name_when_the_cell_says_zero_1_007816() -> None:
    """document_count_from_name: "…: 01 bản chụp" + "0 bản chính" is a copy to hand in."""
    documents = facts("1.007816")["documents"]
    assert [(d["originals"], d["copies"], d["required"]) for d in documents] == [
        (1, 0, True), (0, 1, True)
    ]
    mark = mark_at(converted("1.007816").document, facts_pointer("documents", 1))
    assert (mark.kind, mark.reason, mark.source) == (
        "inferred", "document_count_from_name", "01 bản chụp"
    )
    assert converted("1.007816").parts["documents"] == "inferred"


def test_only_zero_counts_is_to_check_not_parsed_1_000058() -> None:
    """documents_zero_counts: notes or uncounted documents, the source does not say."""
    conversion = converted("1.000058")
    assert conversion.parts["documents"] == "to_check"
    assert reason_at("1.000058", "documents") == "documents_zero_counts"
    assert facts("1.000058")["conditions"]  # the text is kept, as notes


def test_free_with_an_unclosed_description_of_charges_is_to_check_1_000597() -> None:
    """fee_free_but_described: "Miễn phí(2.400.000 Đồng (Cấp lại …" never closes its "("."""
    for i, j, fee in fees("1.000597"):
        assert "amount" not in fee and "2.400.000 Đồng" in fee["note"]
        assert reason_at("1.000597", "channels", i, "fees", j) == "fee_free_but_described"
