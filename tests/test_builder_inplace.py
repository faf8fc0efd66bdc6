"""The builder in place: asked by builder.js each action answers the builder's fragments (200),
without the script it still answers 302; duplicate, undo (20 steps, a deleted field comes back,
the lock respected, audited), the group choice kept, the preview beside the list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.roles import PROCEDURE_OFFICER
from catalog.db import db
from catalog.models import AuditEvent, ProcedureVersion
from catalog.models.undo import UndoStep
from catalog.services import import_document, save_draft, undo
from catalog.services.errors import DraftConflict
from catalog.services.history import latest_version, procedure_by_code
from form_schemas import builder
from form_schemas.builder import BuilderError, FieldSpec
from form_schemas.validation import validate_procedure
from tests.backoffice_helpers import client_for, lock_of, make_users, text

CODE = "TEST-001"
BASE = f"/admin/editor/{CODE}/form"
FETCH = {"X-Requested-With": "fetch", "Accept": "text/html"}
NEW = {"code": CODE, "title": "Cấp giấy phép thử", "sector": "Hộ tịch",
       "competent": "Ủy ban nhân dân cấp xã", "level": "commune", "online_level": "3"}


@pytest.fixture
def officer(app: Flask) -> FlaskClient:
    make_users(app)
    client = client_for(app, PROCEDURE_OFFICER)
    assert client.post("/admin/procedures/new", data=NEW).status_code == 302
    return client


def current() -> dict[str, Any]:
    db.session.expire_all()
    return latest_version(procedure_by_code(db.session, CODE)).document


def lock(client: FlaskClient) -> str:
    return lock_of(text(client.get(BASE)))


def post(client: FlaskClient, action: str, data: dict[str, Any], *, script: bool) -> Any:
    return client.post(f"{BASE}/{action}", data={"lock": lock(client), **data},
                       headers=FETCH if script else {})


def add(client: FlaskClient, kind: str, label: str, parent: str = "", *, script: bool = False,
        required: bool = False) -> Any:
    data = {"add-kind": kind, "add-label": label, "add-parent": parent}
    if required:
        data["add-required"] = "y"
    return post(client, "add", data, script=script)


def result(response: Any) -> dict[str, str]:
    """The result line of a fragment answer (message, focus, lock)."""
    match = re.search(r'<div id="builder-result" ([^>]*)>', text(response))
    assert match, text(response)[:500]
    return dict(re.findall(r'data-(\w+)="([^"]*)"', match.group(1)))


def names() -> list[str]:
    return list(current()["properties"])


def fragments(response: Any) -> set[str]:
    return set(re.findall(r'<div id="(builder-[a-z]+)" data-fragment', text(response)))


def test_every_action_answers_fragments_to_the_script_and_302_without(officer: FlaskClient) -> None:
    for label in ("Họ và tên", "Ngày sinh", "Nơi sinh"):
        assert add(officer, "text", label).status_code == 302
    answer = add(officer, "text", "Số điện thoại", script=True)
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert fragments(answer) == {"builder-messages", "builder-undo", "builder-fields", "builder-add",
                                 "builder-panel"}
    assert "<html" not in text(answer)  # a fragment, not a page
    assert result(answer)["message"] == "Đã thêm «Số điện thoại» ở vị trí 4."
    assert result(answer)["focus"] == "edit-so_dien_thoai"
    assert 'id="field-form"' in text(answer)  # the new field's edit panel opens, as after the redirect

    moves = [("move", {"path": "noi_sinh", "delta": "-1"}),
             ("move", {"path": "noi_sinh", "position": "0"}),
             ("label", {"path": "ngay_sinh", "label": "Ngày, tháng, năm sinh"}),
             ("duplicate", {"path": "ho_va_ten"}),
             ("nest", {"path": "so_dien_thoai", "parent": ""}),
             ("delete", {"path": "ho_va_ten_ban_sao"}),
             ("undo", {})]
    for action, data in moves:
        plain = post(officer, action, data, script=False)
        assert plain.status_code == 302, (action, text(plain)[:300])
        assert plain.headers["Location"].startswith(BASE)
        in_place = post(officer, "undo", {}, script=True) if action != "undo" else None
        if in_place is not None:  # back to before, then the same action in place
            assert in_place.status_code == 200
            answer = post(officer, action, data, script=True)
            assert answer.status_code == 200, (action, text(answer)[:300])
            assert result(answer)["message"], action
            assert "builder-fields" in fragments(answer)

    update = post(officer, "update", {"path": "ngay_sinh", "label": "Ngày sinh", "kind": "date",
                                      "required": "y"}, script=True)
    assert update.status_code == 200 and result(update)["message"] == "Đã lưu trường «Ngày sinh»."
    assert result(update)["focus"] == "edit-ngay_sinh"


def test_moves_are_worded_with_the_new_position(officer: FlaskClient) -> None:
    for label in ("Họ và tên", "Ngày sinh", "Nơi sinh"):
        add(officer, "text", label)
    up = post(officer, "move", {"path": "noi_sinh", "delta": "-1"}, script=True)
    assert result(up)["message"] == "Đã chuyển «Nơi sinh» lên vị trí 2."
    assert result(up)["focus"] == "up-noi_sinh"  # pressing "Lên" again moves it again
    dropped = post(officer, "move", {"path": "ho_va_ten", "position": "2"}, script=True)
    assert result(dropped)["message"] == "Đã chuyển «Họ và tên» xuống vị trí 3."
    assert names() == ["noi_sinh", "ngay_sinh", "ho_va_ten"]
    top = post(officer, "move", {"path": "noi_sinh", "delta": "-1"}, script=True)
    assert result(top)["message"] == "«Nơi sinh» vẫn ở vị trí 1."


def test_a_refused_action_in_place_shows_why_and_changes_nothing(officer: FlaskClient) -> None:
    add(officer, "text", "Họ và tên")
    before = current()
    refused = post(officer, "add", {"add-kind": "text", "add-label": "", "add-parent": ""}, script=True)
    assert refused.status_code == 422 and "builder-add" in fragments(refused)
    label = post(officer, "label", {"path": "ho_va_ten", "label": "   "}, script=True)
    assert label.status_code == 422 and "Hãy nhập nhãn của trường." in text(label)
    stale = officer.post(f"{BASE}/move", data={"lock": "0", "path": "ho_va_ten", "delta": "1"}, headers=FETCH)
    assert stale.status_code == 409 and "Xung đột khi lưu." in text(stale)
    assert current() == before


def test_the_group_choice_stays_after_adding_with_and_without_the_script(officer: FlaskClient) -> None:
    add(officer, "group", "Người nộp hồ sơ")
    plain = add(officer, "text", "Họ và tên", parent="nguoi_nop_ho_so")
    assert "parent=nguoi_nop_ho_so" in plain.headers["Location"]
    page = text(officer.get(plain.headers["Location"]))
    assert re.search(r'<option selected value="nguoi_nop_ho_so">|<option value="nguoi_nop_ho_so" selected', page)
    answer = add(officer, "text", "Ngày sinh", parent="nguoi_nop_ho_so", script=True)
    assert re.search(r'<option selected value="nguoi_nop_ho_so">|<option value="nguoi_nop_ho_so" selected', text(answer))
    # another action (a move) keeps it too: every builder form carries the choice
    moved = post(officer, "move", {"path": "nguoi_nop_ho_so.ngay_sinh", "delta": "-1",
                                   "keep_parent": "nguoi_nop_ho_so"}, script=False)
    assert "parent=nguoi_nop_ho_so" in moved.headers["Location"]
    assert [f.path for f in builder.field_tree(current())] == [
        "nguoi_nop_ho_so", "nguoi_nop_ho_so.ngay_sinh", "nguoi_nop_ho_so.ho_va_ten"]


def test_after_adding_a_group_the_next_fields_go_into_it(officer: FlaskClient) -> None:
    selected = r'<option selected value="{0}">|<option value="{0}" selected'
    answer = add(officer, "group", "Người nộp hồ sơ", script=True)
    assert re.search(selected.format("nguoi_nop_ho_so"), text(answer))
    add(officer, "text", "Họ và tên", parent="nguoi_nop_ho_so", script=True)
    nested = add(officer, "repeat", "Con", parent="nguoi_nop_ho_so", script=False)  # scripts off too
    assert "parent=nguoi_nop_ho_so.con" in nested.headers["Location"]
    add(officer, "text", "Tên con", parent="nguoi_nop_ho_so.con")
    assert [f.path for f in builder.field_tree(current())] == [
        "nguoi_nop_ho_so", "nguoi_nop_ho_so.ho_va_ten", "nguoi_nop_ho_so.con", "nguoi_nop_ho_so.con.ten_con"]
    # a field that is not a group leaves the choice where the officer put it
    answer = add(officer, "text", "Ghi chú", parent="", script=True)
    assert re.search(selected.format(""), text(answer))


def test_duplicate_a_field_and_a_group() -> None:
    doc = builder.new_document(CODE, "Thử", "Hộ tịch")
    doc, _ = builder.add_field(doc, FieldSpec("yes_no", "Đã kết hôn"))
    doc, spouse = builder.add_field(doc, FieldSpec("text", "Tên vợ hoặc chồng"))
    doc = builder.set_condition(doc, spouse, "da_ket_hon", "Có")
    doc, group = builder.add_field(doc, FieldSpec("group", "Người nộp"))
    doc, _ = builder.add_field(doc, FieldSpec("text", "Họ và tên", required=True), group)
    original = [f.path for f in builder.field_tree(doc)]

    copied, path = builder.duplicate_field(doc, spouse)
    assert path == "ten_vo_hoac_chong_ban_sao"
    assert list(copied["properties"]) == ["da_ket_hon", "ten_vo_hoac_chong", "ten_vo_hoac_chong_ban_sao",
                                          "nguoi_nop"]
    info = {f.path: f for f in builder.field_tree(copied)}
    assert info[path].label == "Tên vợ hoặc chồng (bản sao)"
    assert info[path].condition == info[spouse].condition  # the copy keeps its own condition
    assert validate_procedure(copied) == []
    assert [f.path for f in builder.field_tree(doc)] == original  # copy-on-write

    twice, group_copy = builder.duplicate_field(copied, group)
    again, third = builder.duplicate_field(twice, group)
    assert (group_copy, third) == ("nguoi_nop_ban_sao", "nguoi_nop_ban_sao_2")
    paths = [f.path for f in builder.field_tree(again)]
    assert "nguoi_nop_ban_sao.ho_va_ten" in paths and "nguoi_nop_ban_sao_2.ho_va_ten" in paths
    assert {"nguoi_nop", "nguoi_nop_ban_sao", "nguoi_nop_ban_sao_2"} <= set(again["required"])
    assert validate_procedure(again) == []
    with pytest.raises(BuilderError):
        builder.duplicate_field(doc, "khong_co")


def test_a_duplicated_upload_is_not_linked_to_the_document() -> None:
    doc = builder.new_document(CODE, "Thử", "Hộ tịch")
    doc["x-procedure"]["documents"] = [{"id": "to_khai", "name": "Tờ khai", "copies": {"original": 1}}]
    doc, path = builder.add_field(doc, FieldSpec("file", "Tờ khai", settings={"document": "to_khai"}))
    copied, twin = builder.duplicate_field(doc, path)
    assert builder.linked_document(copied, path) == "to_khai"
    assert builder.linked_document(copied, twin) == ""


def test_inline_label_changes_only_the_label() -> None:
    doc = builder.new_document(CODE, "Thử", "Hộ tịch")
    doc, path = builder.add_field(doc, FieldSpec("text", "Họ tên", required=True))
    renamed = builder.set_label(doc, path, "  Họ,  chữ đệm và tên ")
    assert renamed["properties"][path]["title"] == "Họ, chữ đệm và tên"
    assert renamed["required"] == [path] and doc["properties"][path]["title"] == "Họ tên"
    with pytest.raises(BuilderError):
        builder.set_label(doc, path, " ")


def test_undo_puts_a_deleted_field_back_in_place_and_without_the_script(officer: FlaskClient) -> None:
    for label in ("Họ và tên", "Ngày sinh", "Nơi sinh"):
        add(officer, "text", label)
    before = current()
    deleted = post(officer, "delete", {"path": "ngay_sinh"}, script=True)
    assert result(deleted)["focus"] == "edit-noi_sinh"  # the row that took its place
    assert names() == ["ho_va_ten", "noi_sinh"]
    page = text(officer.get(BASE))
    assert "Sẽ hoàn tác: Đã xóa «Ngày sinh»." in page
    answer = post(officer, "undo", {}, script=True)
    assert answer.status_code == 200
    assert result(answer)["message"] == "Đã hoàn tác: Đã xóa «Ngày sinh»."
    assert result(answer)["focus"] == "undo-button"
    assert current() == before and names() == ["ho_va_ten", "ngay_sinh", "noi_sinh"]
    plain = post(officer, "undo", {}, script=False)  # the add of "Nơi sinh"
    assert plain.status_code == 302 and names() == ["ho_va_ten", "ngay_sinh"]
    assert "Đã hoàn tác: Đã thêm «Nơi sinh» ở vị trí 3." in text(officer.get(plain.headers["Location"]))


def test_undo_on_a_stale_page_is_a_conflict_and_changes_nothing(officer: FlaskClient) -> None:
    add(officer, "text", "Họ và tên")
    stale = lock(officer)
    add(officer, "text", "Ngày sinh")  # saved by someone else since `stale` was read
    answer = officer.post(f"{BASE}/undo", data={"lock": stale}, headers=FETCH)
    assert answer.status_code == 409 and "Xung đột khi lưu." in text(answer)
    assert names() == ["ho_va_ten", "ngay_sinh"]
    missing = officer.post(f"{BASE}/undo", data={}, headers=FETCH)
    assert missing.status_code == 422 and names() == ["ho_va_ten", "ngay_sinh"]
    done = officer.post(f"{BASE}/undo", data={"lock": lock(officer)})
    assert done.status_code == 302 and names() == ["ho_va_ten"]
    event = db.session.query(AuditEvent).filter_by(action="undo").one()
    assert event.detail == {"change": "Đã thêm «Ngày sinh» ở vị trí 2."} and event.actor


def test_undo_with_nothing_left_says_so(officer: FlaskClient) -> None:
    answer = post(officer, "undo", {}, script=True)
    assert answer.status_code == 422 and "Không còn thay đổi nào để hoàn tác." in text(answer)


def _draft(session: Any) -> ProcedureVersion:
    doc = builder.new_document(CODE, "Thử", "Hộ tịch", "Ủy ban nhân dân cấp xã")
    import_document(session, doc, author="officer")
    return latest_version(procedure_by_code(session, CODE))


def test_undo_walks_back_twenty_steps_and_keeps_the_lock(session: Any) -> None:
    version = _draft(session)
    documents = [version.document]
    for number in range(25):
        doc, _ = builder.add_field(version.document, FieldSpec("text", f"Trường {number}"))
        save_draft(session, version, doc, expected_lock=version.lock_version, actor="officer",
                   undo_label=f"thêm {number}")
        documents.append(doc)
    assert undo.count_steps(session, version) == 25
    with pytest.raises(DraftConflict):
        undo.undo_last(session, version, "officer", expected_lock=version.lock_version - 1)
    assert version.document == documents[-1] and undo.count_steps(session, version) == 25
    for back in range(1, 21):
        step = undo.undo_last(session, version, "officer", expected_lock=version.lock_version)
        assert step.label == f"thêm {25 - back}"
        assert version.document == documents[-1 - back]
    assert len(version.document["properties"]) == 5
    events = session.query(AuditEvent).filter_by(action="undo", version_id=version.id).all()
    assert len(events) == 20 and events[0].detail == {"change": "thêm 24"} and events[0].actor == "officer"


def test_only_the_newest_steps_are_kept(session: Any) -> None:
    version = _draft(session)
    for number in range(undo.KEEP + 5):
        doc, _ = builder.add_field(version.document, FieldSpec("text", f"Trường {number}"))
        save_draft(session, version, doc, expected_lock=version.lock_version, actor="officer",
                   undo_label=f"thêm {number}")
    assert session.query(UndoStep).filter_by(version_id=version.id).count() == undo.KEEP
    assert undo.last_step(session, version).label == f"thêm {undo.KEEP + 4}"


def test_the_preview_beside_the_list_is_the_citizen_form_paper_and_notice(officer: FlaskClient) -> None:
    add(officer, "text", "Họ và tên", required=True)
    page = text(officer.get(BASE))
    assert 'id="builder-preview"' in page and "{# library blocks #}" not in page
    citizen = officer.get(f"/admin/editor/{CODE}/preview/citizen")
    assert citizen.status_code == 200
    assert "site.css" in text(citizen) and "forms.css" in text(citizen) and "bootstrap" not in text(citizen)
    assert 'id="ho_va_ten"' in text(citizen)
    assert "frame-ancestors 'self'" in citizen.headers["Content-Security-Policy"]
    assert citizen.headers["X-Frame-Options"] == "SAMEORIGIN"
    for kind in ("paper", "notice"):
        answer = officer.get(f"/admin/editor/{CODE}/preview/{kind}")
        assert answer.status_code == 200 and "<html" in text(answer).lower()
    paper = text(officer.get(f"/admin/editor/{CODE}/preview/paper"))
    assert "Họ và tên" in paper
    font = re.search(r"url\((fonts/[A-Za-z-]+\.ttf)\)", paper).group(1)
    assert officer.get(f"/admin/editor/{CODE}/preview/{font}").status_code == 200
    assert officer.get(f"/admin/editor/{CODE}/preview/fonts/LICENSE-LiberationSerif.txt").status_code == 404
    assert officer.get(BASE).headers["X-Frame-Options"] == "DENY"  # the builder itself is not framed


def test_in_place_actions_and_undo_on_each_database(db_app: Flask) -> None:
    make_users(db_app)
    client = client_for(db_app, PROCEDURE_OFFICER)
    assert client.post("/admin/procedures/new", data=NEW).status_code == 302
    for label in ("Họ và tên", "Ngày sinh"):
        assert add(client, "text", label, script=True).status_code == 200
    assert post(client, "duplicate", {"path": "ngay_sinh"}, script=True).status_code == 200
    assert post(client, "move", {"path": "ngay_sinh_ban_sao", "position": "0"}, script=True).status_code == 200
    assert names() == ["ngay_sinh_ban_sao", "ho_va_ten", "ngay_sinh"]
    post(client, "delete", {"path": "ho_va_ten"}, script=True)
    undone = post(client, "undo", {}, script=True)
    assert result(undone)["message"] == "Đã hoàn tác: Đã xóa «Họ và tên»."
    assert names() == ["ngay_sinh_ban_sao", "ho_va_ten", "ngay_sinh"]


def test_a_json_tab_save_is_one_undo_step_too(officer: FlaskClient) -> None:
    import json

    add(officer, "text", "Họ và tên")
    doc = current()
    changed = {**doc, "title": "Cấp giấy phép thử (sửa trong JSON)"}
    page = text(officer.get(f"/admin/editor/{CODE}/json"))
    saved = officer.post(f"/admin/editor/{CODE}/json", data={
        "lock": lock_of(page), "document": json.dumps(changed, ensure_ascii=False)})
    assert saved.status_code == 302 and current()["title"].endswith("(sửa trong JSON)")
    assert "Sẽ hoàn tác: Sửa tài liệu JSON" in text(officer.get(BASE))
    post(officer, "undo", {}, script=False)
    assert current() == doc


def test_duplicating_any_field_of_the_samples_keeps_them_valid() -> None:
    from catalog.samples import sample_paths
    from form_schemas.loading import read_document

    tried = 0
    for sample in sample_paths():
        doc = read_document(sample)
        for info in builder.field_tree(doc):
            copied, path = builder.duplicate_field(doc, info.path)
            assert validate_procedure(copied) == [], (sample.name, info.path)
            assert len(builder.field_tree(copied)) > len(builder.field_tree(doc))
            assert builder.position_of(copied, path) == builder.position_of(doc, info.path) + 1
            tried += 1
    assert tried > 20
