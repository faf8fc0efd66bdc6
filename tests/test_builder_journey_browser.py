"""Issue 15's acceptance journey in Chromium: an officer builds from nothing a form of at least
14 fields (a person block from the library, a group, a repeating group, a conditional field, two
uploads linked to the procedure's documents), reorders two fields by keyboard, undoes a
deletion, previews it as a citizen and as paper and submits it for review, in at most 35 user
actions and no full page load once the editor is open; the approver reads the diff in words
and publishes; the citizen form works. axe-core checks every back-office page on the way.

An action is one thing the officer does with the mouse or the keyboard: a click, a choice in a
list, a text typed into a field, a key pressed (moving the keyboard focus onto a button counts
too). The submission for review leaves the editor for the procedure's page, so its click is
counted and the page it loads is not: the building ends there.

The two uploads come from the library's «Tải lên giấy tờ của thành phần hồ sơ» block, one
upload per document of the facts, each linked to its document in that one step (linking them
one by one in the field panel costs 4 actions each and the journey 41). After «Thêm trường»
adds a group, the next fields go into it without choosing «Đặt trong nhóm» again."""

from __future__ import annotations

from typing import Any

import pytest

from admin.roles import APPROVER, DEMO_USERS, PROCEDURE_OFFICER
from catalog import geography
from tests.conftest import assert_accessible
from tests.test_attachments import PDF

CODE = "HCM-HT-015"
TITLE = "Đăng ký giám hộ (thử nghiệm)"
DOCUMENTS = [
    {"id": "to_khai", "name": "Tờ khai đăng ký giám hộ", "originals": 1, "copies": 0},
    {"id": "giay_cu_giam_ho", "name": "Văn bản cử người giám hộ", "originals": 1, "copies": 0},
]
GOAL_ACTIONS = 35


def publish_empty_form(app: Any) -> None:
    """Version 1 of the procedure, published: its facts list two documents, its form no field."""
    from catalog.db import db
    from catalog.services import import_document
    from form_schemas.builder import new_document

    document = new_document(CODE, TITLE, "Hộ tịch", "Ủy ban nhân dân phường Bến Nghé", online_level=3)
    document["x-procedure"]["documents"] = DOCUMENTS
    with app.app_context():
        import_document(db.session, document, author="demo", publish=True)
        db.session.remove()


class Officer:
    """The officer's hands: every call is one counted action (the caller waits for its result)."""

    def __init__(self, page: Any):
        self.page = page
        self.actions: list[str] = []

    def _count(self, what: str) -> None:
        self.actions.append(what)

    def click(self, selector: str) -> None:
        self._count(f"click {selector}")
        self.page.click(selector)

    def fill(self, selector: str, value: str) -> None:
        self._count(f"type {selector}")
        self.page.fill(selector, value)

    def choose(self, selector: str, value: str) -> None:
        self._count(f"choose {selector}={value}")
        self.page.select_option(selector, value)

    def press(self, selector: str, key: str) -> None:
        self._count(f"press {key} in {selector}")
        self.page.press(selector, key)

    def focus(self, selector: str) -> None:
        self._count(f"focus {selector}")
        self.page.locator(selector).focus()


def login(page: Any, base: str, role: str) -> None:
    """Sign in as `role`; the login page and the landing page pass axe-core."""
    username, password = DEMO_USERS[role]
    page.goto(f"{base}/logout/")
    page.goto(f"{base}/login/")
    assert_accessible(page)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state()
    assert_accessible(page)


def announced(page: Any, text: str) -> None:
    """Wait until the builder's aria-live region reads `text` and the builder is idle."""
    page.wait_for_function(
        "text => document.getElementById('builder-announce').textContent.includes(text)"
        " && !document.getElementById('builder').hasAttribute('aria-busy')", arg=text)


def rows(page: Any) -> list[str]:
    return page.eval_on_selector_all(".builder-row", "rows => rows.map(r => r.dataset.path)")


def add(officer: Officer, label: str, kind: str) -> None:
    """"Thêm trường": the kind (when it is not already chosen), the label, Enter adds."""
    page = officer.page
    if page.input_value("#add-kind") != kind:
        officer.choose("#add-kind", kind)
    officer.fill("#add-label", label)
    officer.press("#add-label", "Enter")
    announced(page, f"Đã thêm «{label}»")


def preview(officer: Officer, link: str, ending: str) -> None:
    """Switch the preview frame and wait until the new view has loaded in it."""
    page = officer.page
    page.evaluate("document.getElementById('builder-preview').contentWindow.shownBefore = true")
    officer.click(f".preview-switch a:has-text('{link}')")
    page.wait_for_function(
        "end => { const w = document.getElementById('builder-preview').contentWindow;"
        " return !w.shownBefore && w.location.pathname.endsWith(end) && w.document.readyState === 'complete'; }",
        arg=ending)


def save_field(officer: Officer, label: str) -> None:
    officer.click("#field-form button[type=submit]")
    announced(officer.page, f"Đã lưu trường «{label}»")


def fields(node: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> list[tuple[str, bool]]:
    """Every field of the form as (path, is a group), blocks ($ref) and repeating groups opened up."""
    found: list[tuple[str, bool]] = []
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        while "$ref" in child:
            child = defs[child["$ref"].rsplit("/", 1)[-1]]
        inner = child.get("items", {}) if child.get("type") == "array" else child
        while "$ref" in inner:
            inner = defs[inner["$ref"].rsplit("/", 1)[-1]]
        group = inner.get("type") == "object"
        found.append((path, group))
        if group:
            found += fields(inner, defs, f"{path}.")
    return found


def submitted_document(app: Any) -> dict[str, Any]:
    from catalog.db import db
    from catalog.services.history import latest_version, procedure_by_code

    with app.app_context():
        version = latest_version(procedure_by_code(db.session, CODE))
        assert version.number == 2 and version.status.value == "in_review"
        document = version.document
        db.session.remove()
    return document


@pytest.mark.browser
def test_officer_builds_fourteen_fields_in_35_actions_then_it_is_approved_and_applied(
        live_server: Any, page: Any) -> None:
    base = live_server.url
    publish_empty_form(live_server.app)
    login(page, base, PROCEDURE_OFFICER)
    page.goto(f"{base}/admin/editor/{CODE}/form")
    assert_accessible(page)
    page.click("button:has-text('Mở bản nháp mới')")
    page.wait_for_url(f"**/admin/editor/{CODE}/facts")  # the new draft opens on its facts
    assert_accessible(page)
    page.goto(f"{base}/admin/editor/{CODE}/form")
    assert "Biểu mẫu chưa có trường nào" in page.inner_text("#builder-fields")
    assert_accessible(page)

    # the editor is open: from here every action is counted, and no page may load
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.editorOpened = 'still the same document'")
    officer = Officer(page)

    # a person block from the question library (name, birth date, ID, phone, email, residence)
    officer.choose("#library-block", "person")
    officer.click("#block-library button:has-text('Chèn khối')")
    announced(page, "Đã lưu biểu mẫu")
    assert "nguoi_yeu_cau" in rows(page)

    # a yes/no question and the field it shows, the condition set in the field's panel
    add(officer, "Có người giám hộ dự bị", kind="yes_no")
    add(officer, "Họ tên người giám hộ dự bị", kind="text")
    officer.choose("#when", "co_nguoi_giam_ho_du_bi")
    officer.fill("#equals", "Có")
    save_field(officer, "Họ tên người giám hộ dự bị")
    assert "Chỉ hiện và bắt buộc khi «Có người giám hộ dự bị» là «Có»" in page.inner_text("#builder-fields")

    # one upload per document of the facts, each linked to its document, from the library
    officer.choose("#library-block", "documents")
    officer.click("#block-library button:has-text('Chèn khối')")
    announced(page, "Đã lưu biểu mẫu")

    # a group; the next fields go into it, then a repeating group in it and a field in that
    add(officer, "Người được giám hộ", kind="group")
    assert page.input_value("#add-parent") == "nguoi_duoc_giam_ho"
    add(officer, "Họ tên người được giám hộ", kind="text")
    add(officer, "Ngày sinh người được giám hộ", kind="date")
    add(officer, "Tài sản được giao quản lý", kind="repeat")
    assert page.input_value("#add-parent") == "nguoi_duoc_giam_ho.tai_san_duoc_giao_quan_ly"
    add(officer, "Tên tài sản", kind="text")
    group = "nguoi_duoc_giam_ho"
    assert [p for p in rows(page) if p.startswith(group + ".")] == [
        f"{group}.ho_ten_nguoi_duoc_giam_ho", f"{group}.ngay_sinh_nguoi_duoc_giam_ho",
        f"{group}.tai_san_duoc_giao_quan_ly", f"{group}.tai_san_duoc_giao_quan_ly.ten_tai_san"]

    # reorder two fields by keyboard: the birth date above the name
    officer.focus(f"#up-{group}\\.ngay_sinh_nguoi_duoc_giam_ho")
    officer.press(f"#up-{group}\\.ngay_sinh_nguoi_duoc_giam_ho", "Enter")
    announced(page, "Đã chuyển «Ngày sinh người được giám hộ» lên vị trí 1")
    assert page.evaluate("document.activeElement.id") == f"up-{group}.ngay_sinh_nguoi_duoc_giam_ho"
    assert [p for p in rows(page) if p.startswith(group + ".")][:2] == [
        f"{group}.ngay_sinh_nguoi_duoc_giam_ho", f"{group}.ho_ten_nguoi_duoc_giam_ho"]

    # delete a field, then undo the deletion
    officer.click(f"#delete-{group}\\.ho_ten_nguoi_duoc_giam_ho")
    announced(page, "Đã xóa «Họ tên người được giám hộ»")
    assert f"{group}.ho_ten_nguoi_duoc_giam_ho" not in rows(page)
    officer.click("#undo-button")
    announced(page, "Đã hoàn tác: Đã xóa «Họ tên người được giám hộ»")
    assert f"{group}.ho_ten_nguoi_duoc_giam_ho" in rows(page)

    # preview as a citizen, then as paper, in the frame beside the list
    frame = page.frame_locator("#builder-preview")
    preview(officer, "Biểu mẫu người dân thấy", "/preview/citizen")
    frame.locator("#nguoi_yeu_cau-so_dinh_danh").wait_for()
    assert frame.locator("link[href*='site.css']").count() == 1  # the citizen site's own styles
    preview(officer, "Mẫu đơn giấy", "/preview/paper")
    frame.locator("text=Người được giám hộ").first.wait_for()

    assert loads == [], f"full page loads after the editor opened: {loads}"
    assert page.evaluate("window.editorOpened") == "still the same document"
    assert_accessible(page)

    # submit for review: the click is the building's last action, the page it loads is not counted
    building_loads = len(loads)
    officer.click("button:has-text('Trình duyệt phiên bản này')")
    page.wait_for_selector("text=Đã trình duyệt phiên bản 2")
    print(f"\n{len(officer.actions)} actions, {building_loads} full page loads:", *officer.actions, sep="\n  ")
    assert len(officer.actions) <= GOAL_ACTIONS, officer.actions
    assert_accessible(page)

    # what was built: at least 14 fields, the two uploads linked to the two documents
    document = submitted_document(live_server.app)
    built = fields(document, document.get("$defs", {}))
    filled = [path for path, group in built if not group]
    print(f"{len(built)} fields, {len(filled)} of them filled in by the citizen (the rest groups)")
    assert len(filled) >= 14, built
    linked = {d["id"]: d.get("field") for d in document["x-procedure"]["documents"]}
    assert all(linked.values()) and all(path in filled for path in linked.values()), linked

    # the approver reads the changes in words beside both citizen forms, then publishes
    login(page, base, APPROVER)
    page.goto(f"{base}/admin/procedures/{CODE}/")
    assert_accessible(page)
    page.click("a:has-text('So với bản đang công bố')")
    page.wait_for_selector("h1:has-text('So sánh phiên bản 1 và 2')")
    assert_accessible(page)
    changes = page.locator("td[id^='change-']").all_inner_texts()
    assert "Thêm trường «Họ tên người giám hộ dự bị» (ho_ten_nguoi_giam_ho_du_bi): Họ tên người giám hộ dự bị" \
        in changes, changes
    assert not [c for c in changes if "{" in c or "}" in c or '":' in c], changes  # words, not JSON
    page.frame_locator("iframe.citizen-form-frame >> nth=1").locator("text=Tên tài sản").first.wait_for(
        state="attached")
    page.click(f"a:has-text('{CODE}')")
    page.wait_for_selector("#decision")
    page.fill("#decision", "1515/QĐ-UBND")
    page.fill("#decision_date", "2026-12-01")
    page.click("button:has-text('Phê duyệt và công bố')")
    page.wait_for_selector("text=Đã công bố phiên bản 2")
    assert_accessible(page)

    # the citizen form works
    page.goto(f"{base}/procedures/{CODE}/apply")
    for selector, value in (("#nguoi_yeu_cau-ho_ten", "Nguyễn Thị Hoa"), ("#nguoi_yeu_cau-ngay_sinh", "1985-04-12"),
                            ("#nguoi_yeu_cau-so_dinh_danh", "001090012345"),
                            ("#nguoi_yeu_cau-so_dien_thoai", "0912345678"),
                            ("#nguoi_yeu_cau-noi_cu_tru-so_nha", "12 Lê Lợi")):
        page.fill(selector, value)
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-tinh", geography.province("46").code)
    page.select_option("#nguoi_yeu_cau-noi_cu_tru-xa", geography.communes("46")[0].code)
    guardian = page.locator("#ho_ten_nguoi_giam_ho_du_bi")
    page.check("#co_nguoi_giam_ho_du_bi-0")  # «Có»: the reserve guardian's name is asked, and required
    guardian.wait_for(state="visible")
    guardian.fill("Trần Văn Minh")
    for upload in ("to_khai", "giay_cu_giam_ho"):
        page.set_input_files(f"#giay_to_kem_theo-{upload}", files=[
            {"name": f"{upload}.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
    assert "Trần Văn Minh" in page.inner_text("main")
