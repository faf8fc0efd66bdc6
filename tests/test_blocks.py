"""The question library: built-in blocks drop into a form as one `$ref` field and give a valid
procedure whose citizen form, checks and paper form work; the address block refuses a commune
outside its province; the document uploads are linked to their documents, by case; a block
detached from the library is edited in the builder; a group saved by an Admin is inserted in
another procedure; a draft's form is copied from another procedure; who may do what."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask

from admin.roles import ADMIN, POSTING_OFFICER, PROCEDURE_OFFICER
from catalog import geography
from catalog.db import db
from catalog.models import AuditEvent, LibraryBlock
from catalog.services import blocks as library
from catalog.services import import_document
from catalog.services.history import latest_version, procedure_by_code
from form_schemas import blocks, builder
from form_schemas.reader import field_at, walk
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from renderers.pdf import blank_form_html, filled_form_html, render_blank_form
from tests.backoffice_helpers import client_for, make_users, text
from tests.factories import document

HANOI, HUE = "01", "46"


def _commune(province: str) -> str:
    return geography.communes(province)[0].code


def _empty() -> dict[str, Any]:
    doc = builder.new_document("HN-THU-001", "Thủ tục thử khối", "Thử nghiệm")
    doc["x-procedure"].pop("review")
    return doc


def _builtin(key: str) -> blocks.Block:
    return next(b for b in blocks.builtin_blocks(library.places()) if b.key == key)


def _address(province: str = HANOI) -> dict[str, str]:
    return {"tinh": province, "xa": _commune(province), "so_nha": "Số 12, phố Huế"}


FILLED = {
    "person": {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-01", "so_dinh_danh": "001090012345",
               "so_dien_thoai": "0912345678", "thu_dien_tu": "an@example.vn", "noi_cu_tru": _address()},
    "organisation": {"ten": "Công ty TNHH Minh An", "ma_so_thue": "0101234567", "tru_so": _address(HUE),
                     "so_dien_thoai": "0912345678",
                     "nguoi_dai_dien": {"ho_ten": "Trần Thị Bình", "chuc_vu": "Giám đốc",
                                        "so_dinh_danh": "001190012345"}},
    "representative": {"ho_ten": "Lê Văn Cường", "so_dinh_danh": "001090054321",
                       "so_dien_thoai": "0987654321", "van_ban_uy_quyen": "att-1"},
    "address": _address(HUE),
}


@pytest.mark.parametrize("key", ["person", "organisation", "representative", "address"])
def test_each_builtin_block_gives_a_valid_form_that_checks_and_prints(key: str) -> None:
    block = _builtin(key)
    doc, path = blocks.insert_block(_empty(), block)

    assert doc["properties"][path] == {"$ref": f"#/$defs/{block.root}", "title": block.field_title}
    assert not validate_procedure(doc)
    form = compile_form(doc)
    assert form.validate({path: FILLED[key]}) == {}
    if key != "representative":  # a file posts an attachment id the applicant stored first
        submitted = form.submit(form.encode({path: FILLED[key]}))
        assert submitted.ok, submitted.errors
        assert submitted.instance == {path: FILLED[key]}
    paper = blank_form_html(doc)
    assert block.field_title in paper
    assert paper.count("☐") <= 3  # provinces and communes are written by hand, not ticked


def test_person_block_fields_are_the_builders_kinds_and_birth_date_is_not_after_today() -> None:
    doc, path = blocks.insert_block(_empty(), _builtin("person"))
    kinds = {f.name: f.kind for f in walk(doc) if f.parent == path}
    assert kinds == {"ho_ten": "text", "ngay_sinh": "date", "so_dinh_danh": "citizen_id",
                     "so_dien_thoai": "phone", "thu_dien_tu": "email", "noi_cu_tru": "group"}
    assert field_at(doc, f"{path}.ngay_sinh")["formatMaximum"] == "today"
    errors = compile_form(doc).validate({path: {**FILLED["person"], "ngay_sinh": "2999-01-01"}})
    assert list(errors) == [f"{path}-ngay_sinh"]


def test_two_addresses_share_one_map_and_a_blank_paper_form_renders() -> None:
    doc, _ = blocks.insert_block(_empty(), _builtin("person"))
    doc, _ = blocks.insert_block(doc, _builtin("organisation"))
    doc, second = blocks.insert_block(doc, _builtin("person"))
    assert second == "nguoi_yeu_cau_2"
    assert sorted(doc["$defs"]) == ["dia_chi_hanh_chinh", "nguoi_yeu_cau", "to_chuc"]
    pdf = render_blank_form(doc)
    assert pdf.startswith(b"%PDF")


def test_the_address_block_refuses_a_commune_outside_its_province() -> None:
    doc, path = blocks.insert_block(_empty(), _builtin("address"))
    form = compile_form(doc)
    hue_commune = _commune(HUE)
    assert form.validate({path: _address(HUE)}) == {}
    errors = form.validate({path: {"tinh": HANOI, "xa": hue_commune, "so_nha": "1"}})
    assert list(errors) == [f"{path}-xa"]
    submitted = form.submit(form.encode({path: {"tinh": HANOI, "xa": hue_commune, "so_nha": "1"}}))
    assert not submitted.ok and f"{path}-xa" in submitted.errors
    # stored as codes; the names are the choices' labels, printed on the filled form
    filled = filled_form_html(doc, {path: _address(HUE)})
    assert geography.commune(hue_commune).name in filled and "Thành phố Huế" in filled
    html = form.render()
    assert f'value="{hue_commune}"' in html and geography.commune(hue_commune).name in html


def _with_cases() -> dict[str, Any]:
    doc = _empty()
    doc["x-procedure"]["documents"] = [
        {"id": "to_khai", "name": "Tờ khai đăng ký", "originals": 1, "template": "Mẫu TK01"},
        {"id": "giay_chung_sinh", "name": "Giấy chứng sinh", "originals": 1, "case": "Trẻ sinh tại cơ sở y tế"},
        {"id": "van_ban_xac_nhan", "name": "Văn bản của người làm chứng", "originals": 1,
         "case": "Trẻ sinh ngoài cơ sở y tế"},
        {"id": "cccd", "name": "Căn cước", "action": "present"},
        {"id": "ghi_chu", "name": "Ghi chú: nộp qua bưu chính", "originals": 0, "required": False},
        {"id": "anh", "name": "Ảnh", "originals": 1, "required": False},
    ]
    return doc


def test_document_uploads_block_links_each_upload_and_carries_the_cases() -> None:
    doc = _with_cases()
    block = blocks.document_uploads_block(doc)
    doc, path = blocks.insert_block(doc, block)

    assert not validate_procedure(doc)
    links = {d["id"]: d.get("field") for d in doc["x-procedure"]["documents"]}
    assert links == {"to_khai": f"{path}.to_khai", "giay_chung_sinh": f"{path}.giay_chung_sinh",
                     "van_ban_xac_nhan": f"{path}.van_ban_xac_nhan", "cccd": None, "ghi_chu": None,
                     "anh": f"{path}.anh"}
    assert builder.linked_document(doc, f"{path}.giay_chung_sinh") == "giay_chung_sinh"
    definition = doc["$defs"]["giay_to_nop"]
    assert definition["required"] == ["truong_hop", "to_khai"]
    assert [r["then"]["required"] for r in definition["allOf"]] == [["giay_chung_sinh"], ["van_ban_xac_nhan"]]
    assert field_at(doc, f"{path}.to_khai")["x-widget"] == "file"

    form = compile_form(doc)
    case = definition["properties"]["truong_hop"]["oneOf"][0]["const"]
    errors = form.validate({path: {"truong_hop": case, "to_khai": "att-1"}})
    assert list(errors) == [f"{path}-giay_chung_sinh"]  # only this case's paper is asked for
    assert form.validate({path: {"truong_hop": case, "to_khai": "att-1", "giay_chung_sinh": "att-2"}}) == {}
    assert "data-show-when" in form.render()
    # every submitted document has its upload now: the block has nothing more to add
    with pytest.raises(blocks.BuilderError):
        blocks.document_uploads_block(doc)


def test_a_detached_block_is_edited_in_the_builder_and_still_checks_and_prints() -> None:
    doc, path = blocks.insert_block(_empty(), _builtin("person"))
    assert [f.kind for f in builder.field_tree(doc)] == ["ref"]  # the builder shows, not enters
    assert blocks.block_fields(doc) == [(path, "Người yêu cầu")]

    doc = blocks.detach(doc, path)
    assert "$defs" not in doc  # nobody refers to the definitions any more
    tree = {f.path: f for f in builder.field_tree(doc)}
    assert tree[f"{path}.ngay_sinh"].kind == "date" and tree[f"{path}.noi_cu_tru"].kind == "group"
    info = tree[f"{path}.thu_dien_tu"]
    spec = builder.FieldSpec(kind="email", label="Thư điện tử liên hệ", required=True)
    doc, _ = builder.update_field(doc, info.path, spec)
    assert not validate_procedure(doc)
    form = compile_form(doc)
    filled = copy.deepcopy(FILLED["person"])
    assert form.validate({path: filled}) == {}
    del filled["thu_dien_tu"]
    assert list(form.validate({path: filled})) == [f"{path}-thu_dien_tu"]
    assert "Thư điện tử liên hệ" in blank_form_html(doc)


def test_a_definition_used_twice_stays_for_the_other_field() -> None:
    doc, first = blocks.insert_block(_empty(), _builtin("address"))
    doc, second = blocks.insert_block(doc, _builtin("address"))
    doc = blocks.detach(doc, first)
    assert doc["properties"][second]["$ref"] == "#/$defs/dia_chi_hanh_chinh"
    assert "tinh" in doc["properties"][first]["properties"]
    assert not validate_procedure(doc)


def test_inserting_into_a_block_asks_to_detach_it_first() -> None:
    doc, path = blocks.insert_block(_empty(), _builtin("person"))
    with pytest.raises(blocks.BuilderError, match="Tách khỏi mẫu"):
        blocks.insert_block(doc, _builtin("address"), path)


def test_copying_a_form_keeps_the_facts_and_the_links_of_documents_that_exist() -> None:
    source = document("1.001193")
    target = _with_cases()
    target["x-procedure"]["documents"].append({"id": "birth_certificate", "name": "Giấy chứng sinh (bản chính)"})
    copied = blocks.copy_form(target, source)
    assert copied["properties"] == source["properties"] and copied["required"] == source["required"]
    assert copied["x-procedure"]["code"] == "HN-THU-001"
    links = {d["id"]: d.get("field") for d in copied["x-procedure"]["documents"]}
    assert links["birth_certificate"] == "attachments.birth_certificate"
    assert [v for k, v in links.items() if k != "birth_certificate"] == [None] * 6
    assert not validate_procedure(copied)


# --- the database and the back office ------------------------------------------------------

def _draft(session: Any, doc: dict[str, Any]) -> Any:
    import_document(session, doc, author="an")
    return latest_version(procedure_by_code(session, doc["x-procedure"]["code"]))


@pytest.mark.db
def test_saving_a_group_as_a_block_and_inserting_it_in_another_procedure(session: Any) -> None:
    source = document("1.001193")
    source, _ = blocks.insert_block(source, _builtin("person"), "applicant")
    source["properties"]["applicant"]["properties"]["full_name"]["title"] = "Họ tên người khai"
    import_document(session, source, author="an", publish=True)

    row = library.save_group_as_block(session, "1.001193", "applicant", "Người khai (khai sinh)", actor="admin")
    assert (row.source_code, row.source_path, row.root) == ("1.001193", "applicant", "applicant")
    assert sorted(row.definitions) == ["applicant", "dia_chi_hanh_chinh", "nguoi_yeu_cau"]
    assert (f"saved-{row.id}", "Người khai (khai sinh)") in [(k, t) for k, t, _ in library.library(session)]

    draft = _draft(session, _empty())
    path = library.insert_into_draft(session, draft, f"saved-{row.id}", expected_lock=draft.lock_version,
                                     actor="binh")
    doc = latest_version(procedure_by_code(session, "HN-THU-001")).document
    assert path == "applicant" and doc["properties"]["applicant"]["$ref"] == "#/$defs/applicant"
    assert field_at(doc, "applicant.full_name")["title"] == "Họ tên người khai"
    assert "birth_certificate" not in str(doc["$defs"])  # no facts of the source came along
    assert not validate_procedure(doc)

    library.delete_block(session, row.id, actor="admin")
    assert session.query(LibraryBlock).count() == 0
    actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-4:] == ["block_save", "import", "edit", "block_delete"]


@pytest.mark.db
def test_copying_another_procedures_form_into_a_draft(session: Any) -> None:
    import_document(session, document("1.001193"), author="an", publish=True)
    draft = _draft(session, _empty())
    library.copy_form_into_draft(session, draft, "1.001193", expected_lock=draft.lock_version, actor="binh")
    doc = latest_version(procedure_by_code(session, "HN-THU-001")).document
    assert doc["properties"] == document("1.001193")["properties"]
    assert doc["title"] == "Thủ tục thử khối"
    with pytest.raises(library.BlockError):
        library.copy_form_into_draft(session, draft, "9.999999", expected_lock=draft.lock_version, actor="binh")


def test_officers_insert_only_admins_save_blocks(app: Flask) -> None:
    make_users(app)
    import_document(db.session, document("1.001193"), author="an", publish=True)
    import_document(db.session, _empty(), author="an")
    lock = latest_version(procedure_by_code(db.session, "HN-THU-001")).lock_version

    poster = client_for(app, POSTING_OFFICER)
    assert poster.post("/admin/editor/HN-THU-001/blocks/insert",
                       data={"block": "person", "lock": lock}).status_code in (302, 403)
    assert "nguoi_yeu_cau" not in str(latest_version(procedure_by_code(db.session, "HN-THU-001")).document)

    officer = client_for(app, PROCEDURE_OFFICER)
    page = officer.get("/admin/editor/HN-THU-001/blocks")
    assert page.status_code == 200 and "Chèn khối" in text(page)
    response = officer.post("/admin/editor/HN-THU-001/blocks/insert",
                            data={"block": "person", "parent": "", "lock": lock})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/editor/HN-THU-001/form?field=nguoi_yeu_cau")
    db.session.expire_all()
    version = latest_version(procedure_by_code(db.session, "HN-THU-001"))
    assert version.document["properties"]["nguoi_yeu_cau"]["$ref"] == "#/$defs/nguoi_yeu_cau"

    stale = officer.post("/admin/editor/HN-THU-001/blocks/insert", data={"block": "address", "lock": lock})
    assert stale.status_code == 409  # someone saved since: nothing lost, nothing applied
    refused = officer.post("/admin/blocks/save", data={"code": "HN-THU-001", "path": "nguoi_yeu_cau",
                                                       "title": "Người nộp"})
    assert refused.status_code == 403
    assert "Lưu một nhóm thành khối" not in text(officer.get("/admin/editor/HN-THU-001/blocks"))

    admin = client_for(app, ADMIN)
    saved = admin.post("/admin/blocks/save", data={"code": "HN-THU-001", "path": "nguoi_yeu_cau",
                                                   "title": "Người nộp hồ sơ đất đai"})
    assert saved.status_code == 302
    assert "Người nộp hồ sơ đất đai" in text(admin.get("/admin/blocks/"))
    assert "Người nộp hồ sơ đất đai" in text(officer.get("/admin/editor/HN-THU-001/blocks"))

    detached = officer.post("/admin/editor/HN-THU-001/blocks/detach",
                            data={"path": "nguoi_yeu_cau", "lock": version.lock_version})
    assert detached.status_code == 302
    db.session.expire_all()
    doc = latest_version(procedure_by_code(db.session, "HN-THU-001")).document
    assert "$defs" not in doc and doc["properties"]["nguoi_yeu_cau"]["type"] == "object"

    copied = officer.post("/admin/editor/HN-THU-001/copy-form",
                          data={"source": "1.001193", "lock": latest_version(
                              procedure_by_code(db.session, "HN-THU-001")).lock_version})
    assert copied.status_code == 302
    db.session.expire_all()
    doc = latest_version(procedure_by_code(db.session, "HN-THU-001")).document
    assert list(doc["properties"]) == ["applicant", "attachments"]


def test_document_uploads_are_not_inserted_into_a_repeating_group() -> None:
    doc, _ = builder.add_field(_with_cases(), builder.FieldSpec(kind="repeat", label="Các con"))
    with pytest.raises(blocks.BuilderError, match="nhóm lặp lại"):
        blocks.insert_block(doc, blocks.document_uploads_block(doc), "cac_con")
    doc, path = blocks.insert_block(doc, _builtin("person"), "cac_con")  # a person per row is fine
    assert path == "cac_con.nguoi_yeu_cau" and not validate_procedure(doc)


def test_bad_library_requests_are_refused_in_words_and_change_nothing(app: Flask) -> None:
    make_users(app)
    import_document(db.session, _empty(), author="an")
    version = latest_version(procedure_by_code(db.session, "HN-THU-001"))
    before, lock = copy.deepcopy(version.document), version.lock_version
    officer = client_for(app, PROCEDURE_OFFICER)
    for url, data, message in [
        ("blocks/insert", {"block": "khong_co", "lock": lock}, "Không có khối «khong_co» trong thư viện."),
        ("blocks/insert", {"block": "person", "parent": "khong_co", "lock": lock}, "Không có trường «khong_co»."),
        ("blocks/insert", {"block": "documents", "lock": lock}, "Không có giấy tờ nào cần tải lên"),
        ("blocks/insert", {"block": "person", "lock": "x"}, "Thiếu phiên bản khóa của bản nháp"),
        ("blocks/detach", {"path": "", "lock": lock}, "Hãy chọn một nhóm trường."),
        ("copy-form", {"source": "9.999999", "lock": lock}, "Không có thủ tục mã «9.999999»."),
        ("copy-form", {"source": " ", "lock": lock}, "Hãy nhập mã thủ tục"),
    ]:
        response = officer.post(f"/admin/editor/HN-THU-001/{url}", data=data)
        assert response.status_code == 422, (url, data)
        assert message in text(response), (url, text(response)[:2000])
    db.session.expire_all()
    assert latest_version(procedure_by_code(db.session, "HN-THU-001")).document == before

    admin = client_for(app, ADMIN)
    refused = admin.post("/admin/blocks/save", data={"code": "HN-THU-001", "path": "khong_co", "title": "X"})
    assert refused.status_code == 422 and "Không có trường «khong_co»." in text(refused)
    assert admin.post("/admin/blocks/999/delete").status_code == 404

    officer.get("/lang/en")
    english = text(officer.get("/admin/editor/HN-THU-001/blocks"))
    assert "Insert block" in english and "Applicant (a person)" in english



def test_the_commune_choice_is_narrowed_by_the_province_in_the_browser() -> None:
    import re

    from catalog import geography
    from renderers.forms import compile_form

    doc, _path = blocks.insert_block(_empty(), _builtin("person"))
    html = compile_form(doc).render()
    select = re.search(r'<select[^>]*data-narrowed-by="([^"]+)"', html)
    assert select and select.group(1).endswith("tinh")
    commune = geography.communes("46")[0]
    assert re.search(rf'<option value="{commune.code}" data-when="46"', html)
