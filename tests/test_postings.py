"""Public posting: which notices an office must replace, the posting register, the back office."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from catalog.db import db
from catalog.models import OfficeProcedure, Posting
from catalog.services import abolish, import_document
from catalog.services.history import procedure_by_code
from catalog.services.postings import (
    PostingRefused,
    assign_procedures,
    create_office,
    office_summaries,
    record_posting,
    stale_notices,
    vn_today,
)
from tests.factories import document

pytestmark = pytest.mark.db

BIRTH, MARRIAGE, COPY, RESIDENCE = "1.001193", "1.000894", "2.000815", "1.004222"
TITLES = {
    BIRTH: "Đăng ký khai sinh",
    MARRIAGE: "Đăng ký kết hôn",
    COPY: "Chứng thực bản sao từ bản chính",
    RESIDENCE: "Đăng ký thường trú",
}


@pytest.fixture
def app(db_app: Flask) -> Flask:
    """Every posting test runs on SQLite and on PostgreSQL."""
    return db_app


def publish(code: str, **changes: object) -> None:
    import_document(db.session, document(code, title=TITLES[code], **changes), author="an", publish=True)


def stale(office_id: int) -> dict[str, tuple[int | None, int | None, str]]:
    db.session.expire_all()
    return {n.code: (n.posted_version, n.current_version, n.reason) for n in stale_notices(db.session, office_id)}


def post(office_id: int, code: str, number: int, on: date | None = None) -> None:
    record_posting(db.session, office_id, code, number, on or vn_today(), "posting")


def test_each_reason_a_notice_goes_stale_and_recording_the_replacement_clears_it(app: Flask) -> None:
    for code in (BIRTH, MARRIAGE, COPY, RESIDENCE):
        publish(code)
    import_document(db.session, document("1.013225", title="Cấp giấy phép xây dựng"), author="an")  # draft
    office = create_office(db.session, "Bộ phận Một cửa UBND phường Bến Nghé", "29 Lê Duẩn")
    assert assign_procedures(db.session, office.id, [BIRTH, MARRIAGE, COPY, RESIDENCE, "1.013225"]) == [
        BIRTH, MARRIAGE, COPY, RESIDENCE, "1.013225"]

    # nothing posted yet: every published procedure is missing; the draft has nothing to post
    assert stale(office.id) == {code: (None, 1, "never_posted") for code in (BIRTH, MARRIAGE, COPY, RESIDENCE)}

    for code in (BIRTH, MARRIAGE, COPY):
        post(office.id, code, 1)
    assert stale(office.id) == {RESIDENCE: (None, 1, "never_posted")}

    publish(MARRIAGE, description="Bổ sung trường hợp kết hôn có yếu tố nước ngoài.")
    assert stale(office.id)[MARRIAGE] == (1, 2, "new_version")

    abolish(db.session, procedure_by_code(db.session, COPY), actor="approver", reason="Thay bằng thủ tục mới")
    assert stale(office.id)[COPY] == (1, None, "abolished")
    [notice] = [n for n in stale_notices(db.session, office.id) if n.code == COPY]
    assert (notice.title, notice.printable, notice.version_to_post) == (TITLES[COPY], False, 1)

    # an old posting recorded late (dated before the abolition) does not take the notice down
    post(office.id, COPY, 1, vn_today() - timedelta(days=3))
    assert COPY in stale(office.id)

    post(office.id, MARRIAGE, 2)
    post(office.id, COPY, 1)  # the notice of abolition, posted today
    post(office.id, RESIDENCE, 1)
    assert stale(office.id) == {}


def test_an_older_posting_recorded_later_does_not_replace_the_newer_one(app: Flask) -> None:
    publish(BIRTH)
    publish(BIRTH, description="Sửa đổi")
    office = create_office(db.session, "Trung tâm Phục vụ hành chính công tỉnh")
    assign_procedures(db.session, office.id, BIRTH)
    post(office.id, BIRTH, 2, vn_today())
    post(office.id, BIRTH, 1, vn_today() - timedelta(days=30))
    assert stale(office.id) == {}


def test_abolished_procedure_never_posted_is_not_stale(app: Flask) -> None:
    publish(BIRTH)
    abolish(db.session, procedure_by_code(db.session, BIRTH), actor="approver", reason="Bãi bỏ")
    office = create_office(db.session, "UBND xã A")
    assign_procedures(db.session, office.id, BIRTH)
    assert stale(office.id) == {}


def test_record_posting_refuses_what_cannot_have_been_posted(app: Flask) -> None:
    publish(BIRTH)
    import_document(db.session, document(BIRTH, description="Bản nháp sửa đổi"), author="an")  # v2 draft
    publish(MARRIAGE)
    office = create_office(db.session, "UBND xã B")
    assign_procedures(db.session, office.id, [BIRTH])
    today = vn_today()

    def refusal(office_id: int, code: str, number: int, on: date) -> str:
        with pytest.raises(PostingRefused) as caught:
            record_posting(db.session, office_id, code, number, on, "posting")
        return caught.value.message_vi

    assert "Không có bộ phận tiếp nhận" in refusal(office.id + 100, BIRTH, 1, today)
    assert "Không có thủ tục mã 9.999999" in refusal(office.id, "9.999999", 1, today)
    assert "không có trong danh sách niêm yết" in refusal(office.id, MARRIAGE, 1, today)
    assert "Phiên bản 2 của thủ tục 1.001193 chưa từng được công bố" in refusal(office.id, BIRTH, 2, today)
    assert "Phiên bản 7" in refusal(office.id, BIRTH, 7, today)
    tomorrow = today + timedelta(days=1)
    assert f"Ngày niêm yết {tomorrow:%d/%m/%Y} ở sau hôm nay" in refusal(office.id, BIRTH, 1, tomorrow)
    assert db.session.scalar(select(func.count()).select_from(Posting)) == 0

    posting = record_posting(db.session, office.id, BIRTH, 1, today, " posting ")
    assert (posting.version_number, posting.posted_on, posting.posted_by) == (1, today, "posting")


def test_offices_and_assignments(app: Flask) -> None:
    for code in (BIRTH, MARRIAGE, COPY):
        publish(code)
    office = create_office(db.session, "  UBND   phường C ", complaints_address="Số 1 đường D")
    assert office.name == "UBND phường C"
    with pytest.raises(PostingRefused, match="Đã có bộ phận tiếp nhận «UBND phường C»"):
        create_office(db.session, "UBND phường C")
    with pytest.raises(PostingRefused, match="Hãy nhập tên"):
        create_office(db.session, "   ")

    assert assign_procedures(db.session, office.id, f"{BIRTH}, {BIRTH}\n") == [BIRTH]
    assert assign_procedures(db.session, office.id, f"{BIRTH};{MARRIAGE}") == [MARRIAGE]
    assert assign_procedures(db.session, office.id, [BIRTH, MARRIAGE]) == []
    with pytest.raises(PostingRefused, match="Không có thủ tục mã 9.999999, 8.888888; chưa thêm"):
        assign_procedures(db.session, office.id, f"{COPY} 9.999999 8.888888")
    assert db.session.scalar(select(func.count()).select_from(OfficeProcedure)) == 2

    other = create_office(db.session, "UBND phường A")
    post(office.id, BIRTH, 1)
    assert [(s.office.name, s.assigned, s.stale) for s in office_summaries(db.session)] == [
        ("UBND phường A", 0, 0), ("UBND phường C", 2, 1)]
    assert other.id != office.id
