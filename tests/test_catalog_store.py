"""Versions, workflow, optimistic locking and search, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from catalog.models import Agency, AuditEvent, Procedure, ProcedureVersion, Sector, VersionStatus
from catalog.services import (
    DraftConflict,
    WorkflowError,
    abolish,
    approve_and_publish,
    current_document,
    import_document,
    new_draft,
    save_draft,
    search_procedures,
    send_back,
    submit_for_review,
)
from form_schemas.problems import InvalidProcedure
from tests.factories import document

pytestmark = pytest.mark.db


def procedure(session, code: str = "1.001193") -> Procedure:  # type: ignore[no-untyped-def]
    return session.scalar(select(Procedure).where(Procedure.code == code))


def test_import_stores_a_version_with_hash_and_reference_rows(session) -> None:  # type: ignore[no-untyped-def]
    outcome = import_document(session, document(), author="an")
    assert (outcome.number, outcome.status, outcome.changed) == (1, VersionStatus.draft, True)
    stored = procedure(session)
    assert stored.sector.name == "Hộ tịch"
    assert stored.agency.name == "Ủy ban nhân dân cấp xã"
    version = stored.versions[0]
    assert version.author == "an" and len(version.document_hash) == 64
    assert version.document == document()
    assert session.scalar(select(func.count()).select_from(Sector)) == 1
    assert session.scalar(select(func.count()).select_from(Agency)) == 1


def test_reimporting_unchanged_document_creates_no_version(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an", publish=True)
    again = import_document(session, document(), author="an", publish=True)
    assert not again.changed
    assert session.scalar(select(func.count()).select_from(ProcedureVersion)) == 1


def test_invalid_document_stores_nothing(session) -> None:  # type: ignore[no-untyped-def]
    bad = document()
    bad["x-procedure"]["levels"] = []
    with pytest.raises(InvalidProcedure):
        import_document(session, bad, author="an")
    assert session.scalar(select(func.count()).select_from(Procedure)) == 0


def test_publishing_a_new_version_supersedes_the_old_one(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an", publish=True)
    changed = document(title="Đăng ký khai sinh (sửa đổi)")
    outcome = import_document(session, changed, author="an", publish=True)
    assert outcome.number == 2
    first, second = procedure(session).versions
    assert first.status == VersionStatus.superseded and first.ended_at is not None
    assert second.status == VersionStatus.published
    assert procedure(session).published_version_id == second.id
    assert current_document(session, "1.001193")["title"] == "Đăng ký khai sinh (sửa đổi)"


def test_review_workflow_and_four_eyes(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="officer")
    proc = procedure(session)
    submit_for_review(session, proc, actor="officer")
    with pytest.raises(WorkflowError, match="chính mình"):
        approve_and_publish(session, proc, actor="officer", decision="1/QĐ", decision_date=date(2026, 1, 5))
    send_back(session, proc, actor="boss", comment="Thiếu căn cứ pháp lý")
    assert proc.versions[-1].status == VersionStatus.draft
    assert proc.versions[-1].review_comment == "Thiếu căn cứ pháp lý"
    submit_for_review(session, proc, actor="officer")
    version = approve_and_publish(session, proc, actor="boss", decision="12/QĐ-UBND",
                                  decision_date=date(2026, 1, 5), effective_from=date(2026, 2, 1))
    assert version.status == VersionStatus.published
    assert (version.decision_number, version.effective_from) == ("12/QĐ-UBND", date(2026, 2, 1))
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["import", "submit", "send_back", "submit", "publish"]


def test_amending_keeps_the_published_version_until_the_new_one_is_published(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an", publish=True)
    proc = procedure(session)
    draft = new_draft(session, proc, actor="officer")
    assert draft.number == 2 and draft.status == VersionStatus.draft
    save_draft(session, draft, document(title="Tên mới"), expected_lock=draft.lock_version, actor="officer")
    assert current_document(session, "1.001193")["title"] == "Đăng ký khai sinh"


def test_second_concurrent_save_of_a_draft_gets_a_conflict(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an")
    draft = procedure(session).versions[0]
    opened_by_both = draft.lock_version
    save_draft(session, draft, document(title="Bản của An"), expected_lock=opened_by_both, actor="an")
    with pytest.raises(DraftConflict) as raised:
        save_draft(session, draft, document(title="Bản của Bình"), expected_lock=opened_by_both, actor="binh")
    assert "an" in raised.value.message_vi
    session.expire_all()
    assert procedure(session).versions[0].document["title"] == "Bản của An"


def test_published_versions_are_immutable(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an", publish=True)
    version = procedure(session).versions[0]
    with pytest.raises(WorkflowError):
        save_draft(session, version, document(title="x"), expected_lock=version.lock_version, actor="an")


def test_abolish_removes_the_procedure_from_citizens(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an", publish=True)
    abolish(session, procedure(session), actor="boss", reason="Bãi bỏ theo Quyết định 5/QĐ")
    assert current_document(session, "1.001193") is None
    assert procedure(session).versions[0].status == VersionStatus.abolished
    assert search_procedures(session, "khai sinh").total == 0


@pytest.mark.parametrize("query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Khai Sinh", "1.001193", "ho tich", "001193"])
def test_search_ignores_accents_and_case(session, query: str) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document(), author="an", publish=True)
    other = document("2.000815", title="Chứng thực bản sao từ bản chính")
    other["x-procedure"]["sector"] = "Chứng thực"
    import_document(session, other, author="an", publish=True)
    page = search_procedures(session, query)
    assert [p.code for p in page.items] == ["1.001193"]


def test_search_filters_and_paginates(session) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        doc = document(f"1.{i:06d}", title=f"Thủ tục số {i}")
        doc["x-procedure"]["onlineService"] = {"level": 2 if i % 2 else 3}
        import_document(session, doc, author="an", publish=True)
    page = search_procedures(session, "thu tuc", per_page=10, page=3)
    assert (page.total, page.pages, len(page.items)) == (25, 3, 5)
    assert search_procedures(session, None, online_level=3).total == 13
    assert search_procedures(session, None, level="commune").total == 25
    assert search_procedures(session, None, level="province").total == 0
    sector_id = procedure(session, "1.000000").sector_id
    assert search_procedures(session, "", sector_id=sector_id).total == 25


def test_field_order_survives_storage(session) -> None:  # type: ignore[no-untyped-def]
    """The order of `properties` is the form's field order; no database may re-sort it."""
    doc = document()
    doc["properties"] = {"zeta": {"type": "string", "title": "Z"}, **doc["properties"],
                         "alpha": {"type": "string", "title": "A"}}
    import_document(session, doc, author="an", publish=True)
    session.expire_all()
    assert list(current_document(session, "1.001193")["properties"]) == ["zeta", "applicant", "attachments", "alpha"]
    moved = document()
    moved["properties"] = dict(reversed(list(doc["properties"].items())))
    outcome = import_document(session, moved, author="an", publish=True)
    assert outcome.changed and outcome.number == 2
