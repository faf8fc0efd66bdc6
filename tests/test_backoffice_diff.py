"""Readable differences between two versions: facts and form fields added, removed, changed."""

from __future__ import annotations

import copy

from form_schemas import builder
from form_schemas.builder import FieldSpec
from form_schemas.diff import diff_documents
from tests.factories import document


def labels(changes: list) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {(c.area, c.kind, c.label) for c in changes}


def test_identical_documents_have_no_changes() -> None:
    assert diff_documents(document(), document()) == []


def test_fact_changes_name_the_channel_and_the_document() -> None:
    old = document()
    new = copy.deepcopy(old)
    new["title"] = "Đăng ký khai sinh (sửa)"
    new["x-procedure"]["channels"][1]["fees"][0]["amount"] = 20000
    new["x-procedure"]["channels"].append({"mode": "postal"})
    new["x-procedure"]["documents"][0]["copies"] = 2
    new["x-procedure"]["steps"].append("Lưu hồ sơ")
    new["x-procedure"]["agencies"]["implementing"] = "Công chức tư pháp - hộ tịch"
    changes = diff_documents(old, new)
    assert labels(changes) == {
        ("document", "changed", "Tên thủ tục"),
        ("facts", "changed", "Cách thức thực hiện: kênh Trực tuyến: phí, lệ phí"),
        ("facts", "added", "Cách thức thực hiện: kênh Bưu chính công ích"),
        ("facts", "changed", "Thành phần hồ sơ: giấy tờ «birth_certificate»: số bản sao"),
        ("facts", "added", "Trình tự thực hiện"),
        ("facts", "added", "Cơ quan: cơ quan thực hiện"),
    }
    fee = next(c for c in changes if "phí, lệ phí" in c.label)
    assert "10.000 đồng" in fee.old_text and "20.000 đồng" in fee.new_text  # as the site words it
    assert "{" not in fee.old_text + fee.new_text
    step = next(c for c in changes if c.label == "Trình tự thực hiện")
    assert step.new_text == "Lưu hồ sơ" and step.sentence == "Thêm trình tự thực hiện: Lưu hồ sơ"
    postal = next(c for c in changes if "Bưu chính" in c.label)
    assert postal.new_text == "Bưu chính công ích"


def test_the_approver_reads_each_change_as_a_sentence() -> None:
    old = document()
    new = copy.deepcopy(old)
    channel = new["x-procedure"]["channels"][0]
    old_time = old["x-procedure"]["channels"][0].get("processingTime")
    channel["processingTime"] = {"value": 2, "unit": "working_days"}
    new["x-procedure"]["documents"].append({"id": "uy_quyen", "name": "Văn bản ủy quyền", "originals": 1})
    changes = {c.label: c for c in diff_documents(old, new)}
    time = changes["Cách thức thực hiện: kênh Trực tiếp: thời hạn giải quyết"]
    assert time.sentence.endswith("→ 2 ngày làm việc") and "value" not in time.sentence
    if old_time:
        assert "ngày" in time.old_text or "Trong ngày" in time.old_text
    added = changes["Thành phần hồ sơ: giấy tờ «uy_quyen»"]
    assert added.sentence == "Thêm thành phần hồ sơ: giấy tờ «uy_quyen»: Văn bản ủy quyền (1 bản chính)"


def test_form_changes_list_fields_added_removed_and_what_changed() -> None:
    old = document()
    new, _ = builder.add_field(old, FieldSpec("email", "Thư điện tử"), parent="applicant")
    new, _ = builder.update_field(new, "applicant.phone", FieldSpec("phone", "Số điện thoại di động",
                                                                     required=False))
    new = builder.delete_field(new, "applicant.citizen_id")
    changes = diff_documents(old, new)
    assert ("form", "added", "Trường «Thư điện tử» (applicant.thu_dien_tu)") in labels(changes)
    assert ("form", "removed", "Trường «Số định danh cá nhân» (applicant.citizen_id)") in labels(changes)
    phone = {c.label: c for c in changes if c.path.startswith("applicant.phone")}
    assert phone["Trường «Số điện thoại di động» (applicant.phone): nhãn"].old == "Số điện thoại"
    required = phone["Trường «Số điện thoại di động» (applicant.phone): bắt buộc"]
    assert required.new_text == "Không"
    assert required.sentence == "«Số điện thoại di động» không còn bắt buộc"


def test_a_new_condition_is_reported_on_its_field() -> None:
    old, case = builder.add_field(document(), FieldSpec("yes_no", "Có ủy quyền"))
    old, who = builder.add_field(old, FieldSpec("text", "Người được ủy quyền"))
    new = builder.set_condition(old, who, case, "Có")
    [change] = diff_documents(old, new)
    assert change.label.endswith("điều kiện hiển thị")
    assert change.new_text == "khi «co_uy_quyen» = Có"
