"""Back-office services on every database: audit log pages, the procedure list, bundles."""

from __future__ import annotations

import pytest

from catalog.models import VersionStatus
from catalog.services import import_document, submit_for_review
from catalog.services.audit import audit_page
from catalog.services.bundles import export_bundle, import_bundle
from catalog.services.history import compare_versions, procedure_by_code
from catalog.services.listing import procedure_list
from tests.factories import document


@pytest.mark.db
def test_audit_list_and_bundles(session) -> None:  # type: ignore[no-untyped-def]
    import_document(session, document("1.001193"), author="an", publish=True)
    import_document(session, document("1.001193", description="Sửa"), author="binh")
    import_document(session, document("2.000815", title="Chứng thực bản sao"), author="binh")
    submit_for_review(session, procedure_by_code(session, "2.000815"), actor="binh")

    page = audit_page(session, code="1.001193")
    assert [(r.action, r.version, r.actor) for r in page.rows] == [
        ("import", 2, "binh"), ("publish", 1, "an"), ("import", 1, "an")]
    assert audit_page(session, actor="binh", action="submit").total == 1
    assert page.rows[0].label("en") == "Imported"

    listing = procedure_list(session, "chung thuc")
    assert [p.code for p in listing.items] == ["2.000815"]
    assert [p.code for p in procedure_list(session, status=VersionStatus.in_review).items] == ["2.000815"]
    assert procedure_list(session, published_only=True).total == 1

    [change] = compare_versions(procedure_by_code(session, "1.001193"), 1, 2)
    assert change.label == "Mô tả" and change.new == "Sửa"

    bundle = export_bundle(session, latest=True)
    items = import_bundle(session, bundle, filename="all.zip", author="chi")
    assert sorted((i.name, i.ok, i.changed) for i in items) == [
        ("1.001193.json", True, False), ("2.000815.json", True, False)]
