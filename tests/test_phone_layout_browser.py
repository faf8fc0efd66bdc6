"""Every public page on a 360 × 740 phone in Chromium: nothing scrolls sideways, axe finds no
serious or critical problem; procedure tables become label/value cards, long procedure pages
list their sections ("Trên trang này"), file inputs fit and name the chosen file, a date of
birth cannot be picked after today.

Pages: the search (/ and /procedures/, with results), every sample procedure, the apply page of
every sample at level 3 or 4, the same at an office (the office choice), a procedure as it
applies at an office, the lookup form, a dossier, the sandbox payment page, error pages, and
two of the longest national records."""

from __future__ import annotations

import gzip
import io
import json
import secrets
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer, assert_accessible
from tests.national_data import NATIONAL_FILE, needs_data

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
# among the longest records of the national file (18,000+ px tall on a phone before)
LONG_NATIONAL = ("2.001538", "1.012344")
ROOT = Path(__file__).resolve().parents[1]
PHONE_NUMBER = "0912345678"

WIDEST = """() => {
  const limit = window.innerWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > limit + 0.5 && el.getClientRects().length)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' right=' + Math.round(el.getBoundingClientRect().right));
}"""


def samples() -> list[dict[str, Any]]:
    from catalog.samples import sample_paths

    return [json.loads(Path(path).read_text(encoding="utf-8")) for path in sample_paths()]


def assert_fits_a_phone(page: Any, url: str) -> None:
    """No horizontal scroll at 360 px, and axe is content."""
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert inner == PHONE["width"]
    assert width <= inner, f"{url} scrolls sideways: {width} px > {inner} px; widest: {page.evaluate(WIDEST)}"
    assert_accessible(page)


def visit(page: Any, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    assert_fits_a_phone(page, url)


def _import_national(live_server: LiveServer, tmp_path: Path) -> None:
    from catalog.db import db
    from catalog.national.importer import import_national

    with gzip.open(NATIONAL_FILE, "rt", encoding="utf-8") as lines:
        records = [line for line in lines if json.loads(line)["ma_thu_tuc"] in LONG_NATIONAL]
    source = tmp_path / "long.jsonl"
    source.write_text("".join(records), encoding="utf-8")
    with live_server.app.app_context():
        report = import_national(db.session, source, publish=True)
        assert not report.failures
        db.session.remove()


def _dossier(live_server: LiveServer) -> tuple[str, str]:
    """A level-4 dossier with a fee to pay (code 9.000001): its code and tracking token."""
    from catalog.attachments import AttachmentStore
    from catalog.db import db
    from catalog.services import import_document
    from catalog.services.dossiers import stage_upload, submit_dossier
    from tests.factories import document
    from tests.test_attachments import PDF

    app = live_server.app
    with app.app_context():
        doc = document("9.000001")
        doc["title"] = "Thủ tục thử có phí nộp trực tuyến"
        import_document(db.session, doc, author="test", publish=True)
        db.session.commit()
        store = AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")
        form_token = secrets.token_urlsafe(24)
        staged = stage_upload(db.session, store, io.BytesIO(PDF), "giay-chung-sinh-cua-con-rat-dai-ten.pdf",
                              field="attachments-birth_certificate", upload_token=form_token)
        outcome = submit_dossier(db.session, "9.000001", {
            "applicant": {"full_name": "Nguyễn Thị Phương Thảo", "citizen_id": "001190012345", "phone": PHONE_NUMBER},
            "attachments": {"birth_certificate": staged.id}}, submission_token=form_token, store=store)
        code, secret = outcome.dossier.code, outcome.dossier.tracking_token
        db.session.remove()
    return code, secret


def test_every_public_page_fits_a_phone(live_server: LiveServer, page: Any, tmp_path: Path) -> None:
    from admin.setup import create_demo_office

    with live_server.app.app_context():
        create_demo_office()
        from catalog.db import db

        db.session.remove()
    page.set_viewport_size(PHONE)
    base = live_server.url
    for url in ("/", "/procedures/", "/procedures/?q=khai+sinh", "/procedures/?q=xay+dung&level=province",
                "/procedures/?q=khong+co+thu+tuc+nay", "/dossiers/"):
        visit(page, base + url)
    for doc in samples():
        code = doc["x-procedure"]["code"]
        visit(page, f"{base}/procedures/{code}")
        if int(doc["x-procedure"]["onlineService"]["level"]) >= 3:
            visit(page, f"{base}/procedures/{code}/apply")
    # a procedure at an office and its apply page with the office chosen
    page.goto(f"{base}/procedures/2.000635")
    assert page.locator(".place").count() >= 2, "the demo offices receive it"
    page.locator(".place-list a", has_text="Xem thủ tục tại nơi này").first.click()
    page.wait_for_url("**office=*")
    assert_fits_a_phone(page, page.url)
    page.locator(".place-list a", has_text="Nộp hồ sơ trực tuyến tại nơi này").first.click()
    page.wait_for_url("**/apply?office=*")
    assert page.locator("#office-select").is_visible()
    assert_fits_a_phone(page, page.url)
    for url, status in (("/khong-co-trang-nay", 404), ("/procedures/9.999999", 404),
                        ("/procedures/1.001193/khong-co", 404)):
        visit(page, base + url, status)


def test_a_refused_application_with_a_kept_file_fits_a_phone(live_server: LiveServer, page: Any,
                                                             tmp_path: Path) -> None:
    from tests.test_attachments import PDF

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/procedures/1.001193/apply")
    path = tmp_path / "to-khai-dang-ky-khai-sinh-da-ky-ten-va-dong-dau-xac-nhan-cua-benh-vien.pdf"
    path.write_bytes(PDF)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()
    assert page.locator("#mc-error-summary").is_visible()
    assert page.locator(".mc-uploaded").first.is_visible(), "the file is kept"
    assert_fits_a_phone(page, page.url)


def test_the_english_pages_fit_a_phone(live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/language/en?next=/procedures/1.001193")
    assert_fits_a_phone(page, page.url)
    assert page.get_by_role("navigation", name="On this page").is_visible()
    for url in ("/procedures/1.001193/apply", "/procedures/?q=birth", "/khong-co-trang-nay"):
        page.goto(live_server.url + url)
        assert_fits_a_phone(page, page.url)


def test_a_dossier_and_its_payment_fit_a_phone(live_server: LiveServer, page: Any) -> None:
    code, secret = _dossier(live_server)
    page.set_viewport_size(PHONE)
    visit(page, f"{live_server.url}/dossiers/{code}?t={secret}")
    pay = page.locator("form[action$='/pay'] button")
    assert pay.count() == 1, "a level-4 dossier with a fee offers the payment"
    pay.click()
    page.wait_for_url("**/payments/sandbox/**")
    assert_fits_a_phone(page, page.url)
    # the lookup form filled in on the phone opens the same dossier
    page.context.clear_cookies()
    visit(page, f"{live_server.url}/dossiers/")
    page.fill("#code", code)
    page.fill("#phone", PHONE_NUMBER)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/dossiers/{code}")
    assert_fits_a_phone(page, page.url)


def test_procedure_tables_become_label_value_cards_on_a_phone(live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/procedures/1.001193")
    table = page.locator("section[aria-labelledby=documents-heading] table").first
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    cell = table.locator("td[data-label='Bản sao']").first
    assert cell.is_visible()
    shown = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Bản sao" in shown, "each value says which column it is"
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], "the copies column is on the screen"
    page.set_viewport_size({"width": 1366, "height": 900})
    assert table.evaluate("t => getComputedStyle(t).display") == "table", "a real table on a wide screen"


def test_a_long_procedure_page_lists_its_sections(live_server: LiveServer, page: Any, tmp_path: Path) -> None:
    if not NATIONAL_FILE.exists():
        pytest.skip(needs_data.kwargs["reason"])
    _import_national(live_server, tmp_path)
    page.set_viewport_size(PHONE)
    for code in LONG_NATIONAL:
        visit(page, f"{live_server.url}/procedures/{code}")
        height = page.evaluate("document.documentElement.scrollHeight")
        nav = page.get_by_role("navigation", name="Trên trang này")
        assert nav.is_visible()
        links = nav.get_by_role("link")
        assert links.count() >= 7
        nav.get_by_role("link", name="Căn cứ pháp lý").click()
        assert page.url.endswith("#legal-heading")
        top = page.locator("#legal-heading").bounding_box()
        assert top is not None and 0 <= top["y"] < PHONE["height"], "one tap lands on the section"
        assert height > 3 * PHONE["height"], "a long page (else the list is not what is tested)"


def test_file_inputs_fit_and_name_the_chosen_file(live_server: LiveServer, page: Any, tmp_path: Path) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/procedures/1.001193/apply")
    file_input = page.locator("input[type=file]").first
    box = file_input.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    picker = page.locator(".mc-file-picker").first
    assert picker.locator(".mc-file-button").inner_text() == "Chọn tệp", "the page's language, not the browser's"
    assert picker.locator(".mc-file-name").inner_text() == "Chưa chọn tệp"
    hint = page.locator(".mc-field--file .mc-help").first.inner_text()
    assert "Định dạng: PDF, JPG, PNG" in hint and "application/" not in hint
    name = "giay-chung-sinh-ban-scan-mau-sac-do-phan-giai-cao-cua-benh-vien.pdf"
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 1500)
    file_input.set_input_files(str(path))
    chosen = page.locator(f"#{file_input.get_attribute('id')}--chosen")
    assert chosen.is_visible() and name in chosen.inner_text() and "KB" in chosen.inner_text()
    assert picker.locator(".mc-file-name").inner_text() == name
    face = picker.locator(".mc-file-face").bounding_box()
    assert face is not None and face["x"] + face["width"] <= PHONE["width"], "the long name is cut short, not the page"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "a long file name does not widen the page"
    # keyboard: the real input takes the focus
    file_input.focus()
    assert page.evaluate("document.activeElement.type") == "file"


def test_a_birth_date_cannot_be_picked_after_today(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/procedures/1.001193/apply")
    today = page.evaluate("new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10)")
    birth = page.locator("input[type=date][name$=date_of_birth]")
    assert birth.count() >= 2
    for index in range(birth.count()):
        assert birth.nth(index).get_attribute("max") == today
