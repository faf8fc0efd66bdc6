"""Re-importing the national catalogue never overwrites local work (issue 10, part 3).

Services on SQLite and PostgreSQL, the `import-national` command, the back-office merge page and
the REST API. The records are three real ones from the shipped national file (1.001193 birth
registration, 1.000894 marriage registration, 2.000815 certified copies), changed in memory
to play a newer national edition.
"""

from __future__ import annotations

import copy
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from catalog.models import AuditEvent, NationalRecord, Procedure, ProcedureVersion, VersionStatus
from catalog.national import import_national
from catalog.national.convert import convert_record, record_hash
from catalog.national.source import default_path, iter_records
from catalog.samples import sample_paths
from catalog.services import (
    import_document,
    merge_national_update,
    national_update,
    new_draft,
    save_draft,
    submit_for_review,
    sync_national,
)
from catalog.services.errors import WorkflowError
from catalog.services.national import InvalidChoices
from form_schemas.loading import read_document
from form_schemas.problems import InvalidProcedure
from form_schemas.validation import validate_procedure

BIRTH, MARRIAGE, COPIES = "1.001193", "1.000894", "2.000815"
_RECORDS: dict[str, dict[str, Any]] = {}


def national(code: str) -> dict[str, Any]:
    """A copy of the shipped national record `code`."""
    if not _RECORDS:
        wanted = {BIRTH, MARRIAGE, COPIES}
        for record in iter_records(default_path()):
            if record.get("ma_thu_tuc") in wanted:
                _RECORDS[record["ma_thu_tuc"]] = record
            if len(_RECORDS) == len(wanted):
                break
    return copy.deepcopy(_RECORDS[code])


def renamed(code: str, suffix: str = " (sửa đổi 2027)") -> dict[str, Any]:
    """The record of `code` as a newer national edition: its name changed."""
    record = national(code)
    record["ten_thu_tuc"] += suffix
    return record


def write(path: Path, *records: dict[str, Any]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@dataclass
class Edition:
    """A converted national record made by hand (what the service reads of a Conversion)."""

    code: str
    document: dict[str, Any]
    source_hash: str


def edition(document: dict[str, Any]) -> Edition:
    return Edition(document["x-procedure"]["code"], document, record_hash(document))


def sample(code: str) -> dict[str, Any]:
    return read_document(next(p for p in sample_paths() if p.stem == code))


def procedure(session, code: str) -> Procedure:  # type: ignore[no-untyped-def]
    found = session.scalar(select(Procedure).where(Procedure.code == code))
    assert found is not None
    session.refresh(found)
    return found


def versions(session, code: str) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(v.number, v.status.value, v.author) for v in procedure(session, code).versions]


# --- the three-way merge itself (pure) -------------------------------------------------------------

def _doc() -> dict[str, Any]:
    from tests.factories import document

    doc = document(MARRIAGE)
    doc["x-procedure"]["documents"] = [
        {"id": "to_khai", "name": "Tờ khai", "originals": 1, "copies": 0},
        {"id": "giay_to", "name": "Giấy tờ tùy thân", "originals": 0, "copies": 1},
    ]
    return doc


def test_merge_applies_national_item_changes_per_item_and_keeps_local_ones() -> None:
    from form_schemas.merge import diff3, merge

    base = _doc()
    local = copy.deepcopy(base)
    local["x-procedure"]["documents"][0]["originals"] = 2  # local: two originals of the form
    theirs = copy.deepcopy(base)
    theirs["x-procedure"]["documents"][0]["name"] = "Tờ khai đăng ký kết hôn"  # same item, other key
    theirs["x-procedure"]["documents"].insert(1, {"id": "xac_nhan", "name": "Giấy xác nhận", "originals": 1,
                                                  "copies": 0})
    del theirs["x-procedure"]["documents"][2]  # national drops "giay_to", which local did not touch
    rows = diff3(base, local, theirs)
    assert [(r.place, r.status) for r in rows] == [
        ("/x-procedure/documents/to_khai/name", "apply"),
        ("/x-procedure/documents/giay_to", "apply"),
        ("/x-procedure/documents/xac_nhan", "apply"),
    ]
    assert rows[0].pointer == "/x-procedure/documents/0/name" and rows[0].label.startswith("Thành phần hồ sơ")
    merged = merge(base, local, theirs, {})
    assert merged["x-procedure"]["documents"] == [
        {"id": "to_khai", "name": "Tờ khai đăng ký kết hôn", "originals": 2, "copies": 0},
        {"id": "xac_nhan", "name": "Giấy xác nhận", "originals": 1, "copies": 0},
    ]
    assert local["x-procedure"]["documents"][0]["name"] == "Tờ khai"  # inputs are not changed


def test_an_item_the_nation_drops_but_local_edited_is_a_conflict() -> None:
    from form_schemas.merge import diff3, merge

    base = _doc()
    local = copy.deepcopy(base)
    local["x-procedure"]["documents"][1]["copies"] = 2
    theirs = copy.deepcopy(base)
    del theirs["x-procedure"]["documents"][1]
    [row] = diff3(base, local, theirs)
    assert (row.place, row.status, row.theirs, row.theirs_text) == ("/x-procedure/documents/giay_to", "conflict",
                                                                    None, "")
    assert len(merge(base, local, theirs, {})["x-procedure"]["documents"]) == 2
    assert len(merge(base, local, theirs, {row.place: "national"})["x-procedure"]["documents"]) == 1


# --- the re-import test of the issue --------------------------------------------------------------

@pytest.mark.db
def test_a_hand_modelled_procedure_stays_published_and_the_update_is_offered(session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_document(session, sample(BIRTH), author="canbo", publish=True)
    first = import_national(session, write(tmp_path / "a.jsonl.gz", national(BIRTH), national(MARRIAGE)),
                            publish=True)
    assert first.outcomes == {"created": 1, "conflict": 1}
    birth = procedure(session, BIRTH)
    assert versions(session, BIRTH) == [(1, "published", "canbo")]
    assert birth.online_level == 4 and birth.published_version.document == sample(BIRTH)

    again = import_national(session, write(tmp_path / "b.jsonl.gz", renamed(BIRTH), national(MARRIAGE)),
                            publish=True)
    assert again.outcomes == {"conflict": 1, "unchanged": 1}
    birth = procedure(session, BIRTH)
    assert versions(session, BIRTH) == [(1, "published", "canbo")]
    assert birth.online_level == 4 and birth.name == sample(BIRTH)["title"]

    update = national_update(session, birth)
    assert update is not None and not update.base_known and update.local_number == 1
    rows = {row.place: row for row in update.rows}
    title = rows["/title"]
    assert title.conflict and title.local_text == "Đăng ký khai sinh"
    assert title.theirs_text == "Thủ tục đăng ký khai sinh (sửa đổi 2027)"
    level = rows["/x-procedure/onlineService/level"]
    assert (level.local, level.theirs, level.conflict) == (4, 3, True)
    # the national record names no competent agency: unknown there, so the local one stays
    assert "/x-procedure/agencies/competent" not in rows

    draft = merge_national_update(session, birth, choices={"/title": "national"}, actor="canbo")
    birth = procedure(session, BIRTH)
    assert (draft.number, draft.status) == (2, VersionStatus.draft)
    assert draft.document["title"] == "Thủ tục đăng ký khai sinh (sửa đổi 2027)"
    assert draft.document["x-procedure"]["onlineService"] == {"level": 4, "mode": "full"}
    assert validate_procedure(draft.document) == []
    assert birth.published_version.number == 1 and birth.online_level == 4
    assert national_update(session, birth) is None
    merged = session.scalar(select(AuditEvent).where(AuditEvent.action == "national_merge"))
    assert merged is not None and merged.actor == "canbo" and merged.detail["national"] == ["/title"]

    # The merged edition is now the base: importing it again changes nothing.
    third = import_national(session, write(tmp_path / "c.jsonl.gz", renamed(BIRTH)), publish=True)
    assert third.outcomes == {"unchanged": 1}
    assert len(procedure(session, BIRTH).versions) == 2


@pytest.mark.db
def test_a_never_edited_procedure_is_updated_and_published_and_a_rerun_changes_nothing(session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    created = import_national(session, write(tmp_path / "a.jsonl.gz", national(MARRIAGE), national(COPIES)),
                              publish=True)
    assert created.outcomes == {"created": 2}
    rerun = import_national(session, write(tmp_path / "a2.jsonl.gz", national(MARRIAGE), national(COPIES)),
                            publish=True)
    assert rerun.outcomes == {"unchanged": 2}
    assert session.scalar(select(func.count()).select_from(ProcedureVersion)) == 2

    newer = import_national(session, write(tmp_path / "b.jsonl.gz", renamed(MARRIAGE), national(COPIES)),
                            publish=True)
    assert newer.outcomes == {"updated": 1, "unchanged": 1}
    assert versions(session, MARRIAGE) == [(1, "superseded", "import-national"), (2, "published", "import-national")]
    marriage = procedure(session, MARRIAGE)
    assert marriage.name.endswith("(sửa đổi 2027)")
    record = session.scalar(select(NationalRecord).where(NationalRecord.procedure_id == marriage.id))
    assert record.base_hash == marriage.published_version.document_hash
    assert record.record_hash == record_hash(renamed(MARRIAGE)) and record.pending_document is None


@pytest.mark.db
def test_without_publish_an_update_is_a_draft_that_a_later_publish_run_publishes(session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_national(session, write(tmp_path / "a.jsonl.gz", national(COPIES)), publish=True)
    path = write(tmp_path / "b.jsonl.gz", renamed(COPIES))
    assert import_national(session, path).outcomes == {"updated": 1}
    assert versions(session, COPIES) == [(1, "published", "import-national"), (2, "draft", "import-national")]
    assert import_national(session, path, publish=True).outcomes == {"updated": 1}
    assert versions(session, COPIES) == [(1, "superseded", "import-national"), (2, "published", "import-national")]


@pytest.mark.db
def test_a_procedure_imported_before_records_were_kept_is_still_updated(session) -> None:  # type: ignore[no-untyped-def]
    old = convert_record(national(COPIES))
    import_document(session, old.document, author="import-national", publish=True)
    result = sync_national(session, convert_record(renamed(COPIES)), publish=True)
    assert result.outcome == "updated" and result.number == 2
    assert procedure(session, COPIES).published_version.number == 2


@pytest.mark.db
def test_disjoint_local_and_national_changes_are_kept_local_then_merged_without_a_choice(session) -> None:  # type: ignore[no-untyped-def]
    base = convert_record(national(MARRIAGE)).document
    sync_national(session, edition(base), publish=True)
    marriage = procedure(session, MARRIAGE)
    draft = new_draft(session, marriage, actor="canbo")
    local = copy.deepcopy(base)
    local["x-procedure"]["onlineService"] = {"level": 4, "mode": "full"}
    save_draft(session, draft, local, expected_lock=draft.lock_version, actor="canbo")
    submit_for_review(session, procedure(session, MARRIAGE), actor="canbo")

    newer = copy.deepcopy(base)
    newer["title"] = "Đăng ký kết hôn (bản quốc gia mới)"
    result = sync_national(session, edition(newer), publish=True)
    assert (result.outcome, result.changes, result.conflicts) == ("kept_local", 1, 0)
    assert versions(session, MARRIAGE) == [(1, "published", "import-national"), (2, "in_review", "canbo")]
    update = national_update(session, procedure(session, MARRIAGE))
    assert [(r.place, r.status) for r in update.rows] == [("/title", "apply")]

    with pytest.raises(WorkflowError, match="đang chờ duyệt"):
        merge_national_update(session, procedure(session, MARRIAGE), choices={}, actor="canbo")
    from catalog.services import send_back

    send_back(session, procedure(session, MARRIAGE), actor="lanhdao", comment="Gộp bản quốc gia mới")
    merged = merge_national_update(session, procedure(session, MARRIAGE), choices={}, actor="canbo")
    assert merged.number == 2 and merged.status == VersionStatus.draft  # into the open draft
    assert merged.document["title"] == "Đăng ký kết hôn (bản quốc gia mới)"
    assert merged.document["x-procedure"]["onlineService"]["level"] == 4


@pytest.mark.db
def test_overlapping_changes_are_a_conflict_decided_by_the_officer(session) -> None:  # type: ignore[no-untyped-def]
    base = convert_record(national(MARRIAGE)).document
    sync_national(session, edition(base), publish=True)
    marriage = procedure(session, MARRIAGE)
    draft = new_draft(session, marriage, actor="canbo")
    local = copy.deepcopy(base)
    local["title"] = "Đăng ký kết hôn (địa phương)"
    local["x-procedure"]["channels"][0]["processingTime"] = {"value": 3, "unit": "working_days"}
    save_draft(session, draft, local, expected_lock=draft.lock_version, actor="canbo")

    newer = copy.deepcopy(base)
    newer["title"] = "Đăng ký kết hôn (quốc gia)"
    newer["x-procedure"]["steps"] = ["Nộp hồ sơ.", "Nhận kết quả."]
    result = sync_national(session, edition(newer), publish=False)
    assert (result.outcome, result.changes, result.conflicts) == ("conflict", 2, 1)
    assert procedure(session, MARRIAGE).versions[-1].document == local

    marriage = procedure(session, MARRIAGE)
    with pytest.raises(InvalidChoices):
        merge_national_update(session, marriage, choices={"/x-procedure/steps": "national"}, actor="canbo")
    with pytest.raises(InvalidChoices):
        merge_national_update(session, marriage, choices={"/title": "both"}, actor="canbo")
    merged = merge_national_update(session, marriage, choices={"/title": "local"}, actor="canbo")
    assert merged.document["title"] == "Đăng ký kết hôn (địa phương)"
    assert merged.document["x-procedure"]["steps"] == ["Nộp hồ sơ.", "Nhận kết quả."]
    assert merged.document["x-procedure"]["channels"][0]["processingTime"]["value"] == 3


@pytest.mark.db
def test_a_dismissed_update_leaves_the_local_version_and_is_not_offered_again(session) -> None:  # type: ignore[no-untyped-def]
    from catalog.services import abolish, dismiss_national_update

    base = convert_record(national(COPIES)).document
    sync_national(session, edition(base), publish=True)
    abolish(session, procedure(session, COPIES), actor="lanhdao", reason="Không áp dụng tại tỉnh")
    newer = copy.deepcopy(base)
    newer["title"] += " (sửa đổi)"
    assert sync_national(session, edition(newer), publish=True).outcome == "kept_local"  # not re-published
    assert versions(session, COPIES) == [(1, "abolished", "import-national")]

    dismiss_national_update(session, procedure(session, COPIES), actor="canbo")
    assert national_update(session, procedure(session, COPIES)) is None
    assert sync_national(session, edition(newer), publish=True).outcome == "unchanged"
    assert versions(session, COPIES) == [(1, "abolished", "import-national")]
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "national_update_pending" in actions and actions[-1] == "national_dismiss"


@pytest.mark.db
def test_a_merge_that_would_be_invalid_reports_the_problems_and_stores_nothing(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, sample(BIRTH), author="canbo", publish=True)
    sync_national(session, convert_record(national(BIRTH)), publish=True)
    birth = procedure(session, BIRTH)
    update = national_update(session, birth)
    added = next(r for r in update.rows if r.place.startswith("/x-procedure/documents/") and r.local is None
                 and (r.theirs or {}).get("field"))
    with pytest.raises(InvalidProcedure) as raised:
        merge_national_update(session, birth, choices={added.place: "national"}, actor="canbo")
    assert any("trường tải tệp" in p.message_vi and p.pointer.startswith("/x-procedure/documents/")
               for p in raised.value.problems)
    session.rollback()
    birth = procedure(session, BIRTH)
    assert len(birth.versions) == 1 and national_update(session, birth) is not None


def test_a_never_edited_procedure_in_review_is_reported_failed_and_the_rest_stored(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from catalog.db import db

    import_national(db.session, write(tmp_path / "a.jsonl.gz", national(MARRIAGE)))
    submit_for_review(db.session, procedure(db.session, MARRIAGE), actor="canbo")
    report = import_national(db.session, write(tmp_path / "b.jsonl.gz", renamed(MARRIAGE), national(COPIES)),
                             publish=True)
    assert report.outcomes == {"created": 1, "failed": 1}
    assert report.failures[0][0] == MARRIAGE and "đang chờ duyệt" in report.failures[0][1]


# --- the command ------------------------------------------------------------------------------

def test_the_command_says_exactly_what_it_did(runner, app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from catalog.db import db

    import_document(db.session, sample(BIRTH), author="canbo", publish=True)
    result = runner("import-national", str(write(tmp_path / "a.jsonl.gz", national(BIRTH), national(MARRIAGE),
                                                 national(COPIES))), "--publish")
    assert result.exit_code == 0, result.output
    assert "created: 2, updated: 0, kept local: 0, conflicts: 1, unchanged: 0, failed: 0" in result.output
    result = runner("import-national", str(write(tmp_path / "b.jsonl.gz", renamed(BIRTH), renamed(MARRIAGE),
                                                 national(COPIES))), "--publish")
    assert "created: 0, updated: 1, kept local: 0, conflicts: 1, unchanged: 1, failed: 0" in result.output
    assert "1 locally edited procedures kept" in result.output
    db.session.rollback()
    assert procedure(db.session, BIRTH).online_level == 4


def test_the_command_imports_the_shipped_catalogue_without_a_file(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner("import-national", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "records converted: 3" in result.output and "created: 3," in result.output


# --- back office and REST API -------------------------------------------------------------------

@pytest.fixture
def pending_birth(app, tmp_path):  # type: ignore[no-untyped-def]
    """The hand-modelled birth registration published, its changed national record imported."""
    from catalog.db import db
    from tests.backoffice_helpers import make_users

    make_users(app)
    import_document(db.session, sample(BIRTH), author="canbo", publish=True)
    import_national(db.session, write(tmp_path / "a.jsonl.gz", renamed(BIRTH)), publish=True)
    db.session.remove()
    return app


def test_the_procedure_page_offers_the_update_and_one_button_merges_it_into_a_draft(pending_birth) -> None:  # type: ignore[no-untyped-def]
    from admin.roles import PROCEDURE_OFFICER
    from catalog.db import db
    from tests.backoffice_helpers import client_for, text

    client = client_for(pending_birth, PROCEDURE_OFFICER)
    page = text(client.get(f"/admin/procedures/{BIRTH}/"))
    assert "Có bản cập nhật từ Cơ sở dữ liệu quốc gia" in page
    assert f"/admin/national/{BIRTH}/" in page

    diff = client.get(f"/admin/national/{BIRTH}/")
    html = text(diff)
    assert diff.status_code == 200
    for heading in ("Nội dung", "Bản quốc gia trước", "Bản quốc gia mới", "Bản địa phương"):
        assert f">{heading}</th>" in html
    assert "Thủ tục đăng ký khai sinh (sửa đổi 2027)" in html and "Dịch vụ công trực tuyến: mức độ" in html
    assert "Gộp vào bản nháp mới" in html and 'value="national"' in html
    index = html.index('value="/title"')
    row = html[html.rindex('name="place-', 0, index):index]
    number = row.split('"')[1].removeprefix("place-")

    merged = client.post(f"/admin/national/{BIRTH}/merge", data={f"place-{number}": "/title",
                                                                f"choice-{number}": "national"})
    assert merged.status_code == 302 and merged.headers["Location"].endswith(f"/admin/editor/{BIRTH}/facts")
    draft = procedure(db.session, BIRTH).versions[-1]
    assert (draft.number, draft.status, draft.author) == (2, VersionStatus.draft, "officer")
    assert draft.document["title"] == "Thủ tục đăng ký khai sinh (sửa đổi 2027)"
    assert draft.document["x-procedure"]["onlineService"]["level"] == 4
    assert procedure(db.session, BIRTH).published_version.number == 1
    assert "Có bản cập nhật từ Cơ sở dữ liệu quốc gia" not in text(client.get(f"/admin/procedures/{BIRTH}/"))


def test_the_update_page_speaks_english_when_asked(pending_birth) -> None:  # type: ignore[no-untyped-def]
    from admin.roles import PROCEDURE_OFFICER
    from tests.backoffice_helpers import client_for, text

    client = client_for(pending_birth, PROCEDURE_OFFICER)
    client.get("/lang/en")
    assert "An update from the national database is available" in text(client.get(f"/admin/procedures/{BIRTH}/"))
    page = text(client.get(f"/admin/national/{BIRTH}/"))
    assert "National before" in page and "Merge into a new draft" in page and "Keep the local value" in page


def test_an_invalid_merge_is_shown_with_its_problems_and_an_approver_cannot_merge(pending_birth) -> None:  # type: ignore[no-untyped-def]
    from admin.roles import APPROVER, PROCEDURE_OFFICER
    from catalog.db import db
    from tests.backoffice_helpers import client_for, text

    update = national_update(db.session, procedure(db.session, BIRTH))
    added = next(r for r in update.rows if r.local is None and (r.theirs or {}).get("field"))
    db.session.remove()
    client = client_for(pending_birth, PROCEDURE_OFFICER)
    refused = client.post(f"/admin/national/{BIRTH}/merge", data={"place-1": added.place, "choice-1": "national"})
    assert refused.status_code == 422
    assert "Bản gộp không hợp lệ" in text(refused) and "không phải là một trường tải tệp" in text(refused)
    assert len(procedure(db.session, BIRTH).versions) == 1

    approver = client_for(pending_birth, APPROVER)
    page = text(approver.get(f"/admin/national/{BIRTH}/"))
    assert "Bản quốc gia mới" in page and "Gộp vào bản nháp mới" not in page
    assert approver.post(f"/admin/national/{BIRTH}/merge", data={}).status_code in (302, 403)
    assert len(procedure(db.session, BIRTH).versions) == 1


def test_the_api_gives_the_diff_rows_and_merges_with_choices(pending_birth) -> None:  # type: ignore[no-untyped-def]
    from admin.roles import PROCEDURE_OFFICER, RECEPTION_OFFICER
    from catalog.db import db
    from tests.backoffice_helpers import client_for
    from tests.test_api_procedures import token

    client = client_for(pending_birth)
    assert client.get(f"/api/v1/procedures/{BIRTH}/national-update").status_code == 401
    officer = token(client, PROCEDURE_OFFICER)
    body = client.get(f"/api/v1/procedures/{BIRTH}/national-update", headers=officer).json
    assert body["code"] == BIRTH and body["local_version"] == 1 and body["base_known"] is False
    title = next(row for row in body["rows"] if row["place"] == "/title")
    assert title | {"national_before": None} == {
        "place": "/title", "pointer": "/title", "label": "Tên thủ tục", "status": "conflict",
        "national_before": None, "national_after": "Thủ tục đăng ký khai sinh (sửa đổi 2027)",
        "local": "Đăng ký khai sinh", "national_before_text": "",
        "national_after_text": "Thủ tục đăng ký khai sinh (sửa đổi 2027)", "local_text": "Đăng ký khai sinh"}
    assert body["conflicts"] == sum(row["status"] == "conflict" for row in body["rows"])

    reception = token(client, RECEPTION_OFFICER)
    assert client.post(f"/api/v1/procedures/{BIRTH}/national-update/merge", json={},
                       headers=reception).status_code == 403
    bad = client.post(f"/api/v1/procedures/{BIRTH}/national-update/merge",
                      json={"choices": {"/title": "both"}}, headers=officer)
    assert bad.status_code == 400 and "choices" in bad.json["fields"]
    unknown = client.post(f"/api/v1/procedures/{BIRTH}/national-update/merge",
                          json={"choices": {"/nowhere": "national"}}, headers=officer)
    assert unknown.status_code == 422 and "/nowhere" in unknown.json["message_en"]

    merged = client.post(f"/api/v1/procedures/{BIRTH}/national-update/merge",
                         json={"choices": {"/title": "national"}}, headers=officer)
    assert merged.status_code == 201 and merged.json == {"code": BIRTH, "number": 2, "status": "draft"}
    assert procedure(db.session, BIRTH).versions[-1].document["title"].endswith("(sửa đổi 2027)")
    again = client.post(f"/api/v1/procedures/{BIRTH}/national-update/merge", json={}, headers=officer)
    assert again.status_code == 409
    assert client.get(f"/api/v1/procedures/{BIRTH}/national-update", headers=officer).status_code == 404


def test_the_openapi_spec_documents_the_national_update(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/_openapi").json
    paths = spec["paths"]
    assert "get" in paths["/api/v1/procedures/{code}/national-update"]
    assert "post" in paths["/api/v1/procedures/{code}/national-update/merge"]
    assert "NationalUpdateSchema" in spec["components"]["schemas"]


@pytest.mark.browser
def test_in_chromium_an_officer_merges_the_national_update_of_a_sample(live_server, page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from admin.roles import PROCEDURE_OFFICER
    from catalog.db import db
    from tests.conftest import assert_accessible
    from tests.test_backoffice_browser import login

    with live_server.app.app_context():  # the samples are loaded and published, as hand-modelled work
        report = import_national(db.session, write(tmp_path / "a.jsonl.gz", renamed(BIRTH)), publish=True)
        assert report.outcomes == {"conflict": 1}
        db.session.remove()
    base = live_server.url
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/procedures/{BIRTH}/")
    page.click("a:has-text('Xem thay đổi và gộp')")
    page.wait_for_url(f"**/admin/national/{BIRTH}/")
    assert page.locator("th:has-text('Bản quốc gia mới')").count() == 1
    assert_accessible(page)
    row = page.locator("tr", has=page.locator("th", has_text="Tên thủ tục"))
    row.locator("input[value=national]").check()
    page.click("button:has-text('Gộp vào bản nháp mới')")
    page.wait_for_url(f"**/admin/editor/{BIRTH}/facts")
    assert "bản nháp phiên bản 2" in page.locator(".alert-success").inner_text()
    page.goto(f"{base}/api/v1/procedures/{BIRTH}")
    assert json.loads(page.locator("body").inner_text())["document"]["x-procedure"]["onlineService"]["level"] == 4
