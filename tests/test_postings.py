"""Public posting: which notices an office must replace, the posting register, the back office."""

from __future__ import annotations

import io
import re
import time
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from admin.roles import POSTING_OFFICER, RECEPTION_OFFICER
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
from tests.backoffice_helpers import client_for, make_users, text
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
    changes = {"title": TITLES[code], "description": f"Thủ tục {code}.", **changes}
    import_document(db.session, document(code, **changes), author="an", publish=True)


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


# --- back office ---------------------------------------------------------------------------


@pytest.fixture
def board(app: Flask) -> int:
    """An office with one notice up to date (birth), one with a new version (marriage), one
    abolished (certified copies) and one never posted (residence)."""
    make_users(app)
    for code in (BIRTH, MARRIAGE, COPY, RESIDENCE):
        publish(code)
    office = create_office(db.session, "Bộ phận Một cửa UBND phường Bến Nghé", "29 Lê Duẩn, Quận 1",
                           "UBND phường Bến Nghé, 29 Lê Duẩn")
    assign_procedures(db.session, office.id, [BIRTH, MARRIAGE, COPY, RESIDENCE])
    for code in (BIRTH, MARRIAGE, COPY):
        post(office.id, code, 1, vn_today() - timedelta(days=10))
    publish(MARRIAGE, description="Bổ sung trường hợp kết hôn có yếu tố nước ngoài.")
    abolish(db.session, procedure_by_code(db.session, COPY), actor="approver", reason="Bãi bỏ")
    office_id = office.id
    db.session.remove()
    return office_id


def test_posting_officer_sees_what_to_replace_and_records_a_posting(app: Flask, board: int) -> None:
    officer = client_for(app, POSTING_OFFICER)
    listing = text(officer.get("/admin/postings/"))
    assert "Bộ phận Một cửa UBND phường Bến Nghé" in listing
    assert re.search(r"<td>4</td>\s*<td><strong>3</strong></td>", listing), "4 assigned, 3 stale"

    page = text(officer.get(f"/admin/postings/{board}/"))
    for code in (MARRIAGE, COPY, RESIDENCE):
        assert TITLES[code] in page
    assert TITLES[BIRTH] not in page
    assert "Đã có phiên bản mới" in page and "Thủ tục đã bị bãi bỏ" in page and "Chưa niêm yết" in page
    assert "In tất cả thông báo thay thế" in page

    response = officer.post(f"/admin/postings/{board}/postings",
                            data={"code": MARRIAGE, "version": "2", "posted_on": vn_today().isoformat()},
                            follow_redirects=True)
    page = text(response)
    assert f"Đã ghi nhận: thủ tục {MARRIAGE}, phiên bản 2, niêm yết ngày {vn_today():%d/%m/%Y}" in page
    assert TITLES[MARRIAGE] not in page and TITLES[RESIDENCE] in page
    posting = db.session.scalars(select(Posting).order_by(Posting.id.desc())).first()
    assert (posting.version_number, posting.posted_by) == (2, "posting")

    tomorrow = vn_today() + timedelta(days=1)
    page = text(officer.post(f"/admin/postings/{board}/postings",
                             data={"code": RESIDENCE, "version": "1", "posted_on": tomorrow.isoformat()},
                             follow_redirects=True))
    assert "ở sau hôm nay" in page and TITLES[RESIDENCE] in page


def test_print_all_gives_one_pdf_of_the_printable_replacements(app: Flask, board: int) -> None:
    from pypdf import PdfReader

    officer = client_for(app, POSTING_OFFICER)
    url = f"/admin/postings/{board}/replacements.pdf"
    waiting = officer.get(url)
    assert waiting.status_code == 202  # rendered in the background; the page refreshes itself
    assert "Đang in thông báo thay thế" in text(waiting) and "/2 thủ tục" in text(waiting)
    assert '<meta http-equiv="refresh"' in waiting.text
    deadline = time.monotonic() + 120
    response = officer.get(url)
    while response.status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.5)
        response = officer.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Thông báo niêm yết thay thế — Bộ phận Một cửa UBND phường Bến Nghé".upper() in pdf.upper()
    assert TITLES[MARRIAGE] in pdf and TITLES[RESIDENCE] in pdf and MARRIAGE in pdf and RESIDENCE in pdf
    for code in (BIRTH, COPY):  # up to date; abolished (nothing to print)
        assert TITLES[code] not in pdf and code not in pdf
    assert "UBND phường Bến Nghé, 29 Lê Duẩn" in pdf  # the office's address for complaints


def test_print_all_with_nothing_to_print_says_so(app: Flask, board: int) -> None:
    officer = client_for(app, POSTING_OFFICER)
    for code, number in ((MARRIAGE, 2), (RESIDENCE, 1)):
        officer.post(f"/admin/postings/{board}/postings", data={"code": code, "version": str(number)})
    page = text(officer.get(f"/admin/postings/{board}/"))
    assert "In tất cả thông báo thay thế" not in page and TITLES[COPY] in page
    response = officer.get(f"/admin/postings/{board}/replacements.pdf", follow_redirects=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Không có thông báo nào cần in lại" in text(response)


def test_adding_an_office_and_its_procedures_from_the_back_office(app: Flask) -> None:
    make_users(app)
    publish(BIRTH)
    publish(MARRIAGE)
    officer = client_for(app, POSTING_OFFICER)
    response = officer.post("/admin/postings/offices", data={"name": "UBND xã Tân Phú", "address": "Ấp 1"})
    assert response.status_code == 302
    office_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert "Đã có bộ phận tiếp nhận «UBND xã Tân Phú»" in text(
        officer.post("/admin/postings/offices", data={"name": "UBND xã Tân Phú"}))

    page = text(officer.post(f"/admin/postings/{office_id}/procedures",
                             data={"codes": f"{BIRTH}\n9.999999"}, follow_redirects=True))
    assert "Không có thủ tục mã 9.999999" in page and TITLES[BIRTH] not in page
    page = text(officer.post(f"/admin/postings/{office_id}/procedures",
                             data={"codes": f"{BIRTH}, {MARRIAGE}"}, follow_redirects=True))
    assert "Đã thêm 2 thủ tục" in page and TITLES[BIRTH] in page and TITLES[MARRIAGE] in page


def test_a_reception_officer_cannot_see_or_record_postings(app: Flask, board: int) -> None:
    reception = client_for(app, RECEPTION_OFFICER)

    def refused(response) -> bool:  # type: ignore[no-untyped-def]
        return response.status_code == 403 or (
            response.status_code == 302 and "/login/" in response.headers["Location"])

    assert refused(reception.get("/admin/postings/"))
    assert refused(reception.get(f"/admin/postings/{board}/"))
    assert refused(reception.get(f"/admin/postings/{board}/replacements.pdf"))
    assert refused(reception.post(f"/admin/postings/{board}/postings", data={"code": MARRIAGE, "version": "2"}))
    assert db.session.scalar(select(func.count()).select_from(Posting)) == 3


def test_the_demo_has_an_office_with_notices_to_replace(app: Flask, db_runner) -> None:  # type: ignore[no-untyped-def]
    from admin.setup import DEMO_OFFICE, DEMO_PROVINCE_OFFICE
    from catalog.samples import load_samples

    assert db_runner("demo").exit_code == 0
    assert db_runner("demo").exit_code == 0  # again: still two demo offices, postings not doubled
    db.session.expire_all()
    summaries = {s.office.name: s for s in office_summaries(db.session)}
    assert set(summaries) == {DEMO_OFFICE, DEMO_PROVINCE_OFFICE}
    commune_level = [code for code, doc in load_samples().items() if "commune" in doc["x-procedure"]["levels"]]
    summary = summaries[DEMO_OFFICE]
    assert (summary.assigned, summary.stale) == (len(commune_level), len(commune_level) // 2)
    assert {n.reason for n in stale_notices(db.session, summary.office.id)} == {"never_posted"}
    posted = len(commune_level) - len(commune_level) // 2
    assert db.session.scalar(select(func.count()).select_from(Posting)) == posted
    assert summaries[DEMO_PROVINCE_OFFICE].stale == summaries[DEMO_PROVINCE_OFFICE].assigned  # nothing posted


@pytest.mark.browser
def test_posting_pages_in_a_browser(live_server, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import assert_accessible
    from tests.test_backoffice_browser import login

    base = live_server.url
    login(page, base, POSTING_OFFICER)
    page.goto(f"{base}/admin/postings/")
    assert_accessible(page)
    page.fill("#name", "UBND phường Sài Gòn")
    page.click("button:has-text('Thêm bộ phận')")
    page.wait_for_selector(".alert-success")
    page.fill("#codes", f"{BIRTH}, {MARRIAGE}")
    page.click("button:has-text('Thêm vào danh sách')")
    page.wait_for_selector(".alert-success")
    assert page.locator("tbody tr").count() == 2
    assert_accessible(page)
    page.locator("tbody tr", has_text=BIRTH).locator("button").click()
    page.wait_for_selector(".alert-success")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and MARRIAGE in rows.first.inner_text()

    page.click("button:has-text('In tất cả thông báo thay thế')")
    page.wait_for_selector("text=Đang in thông báo thay thế")
    assert page.locator("[role=status]").inner_text() == "Đã in 0/1 thủ tục."
    download = page.wait_for_event("download", timeout=90_000)  # after the page refreshes itself
    assert download.suggested_filename.startswith("niem-yet-thay-the-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_posting_pages_in_english(app: Flask, board: int) -> None:
    officer = client_for(app, POSTING_OFFICER)
    officer.get("/lang/en")
    offices = text(officer.get("/admin/postings/"))
    assert "Posting procedures at one-stop shops" in offices and "Add a one-stop shop" in offices
    office = text(officer.get(f"/admin/postings/{board}/"))
    assert "Print all replacement notices" in office and "Notices to post again" in office
