"""Citizens apply at an office: where a procedure can be done, the office's local facts, the
dossier's office, register entry and calendar, the receipt's office fields, search and API."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from admin.setup import DEMO_COMMUNE_OFFICE, DEMO_PROVINCE_OFFICE, create_demo_office
from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.geography import communes
from catalog.models import Dossier, Office, Procedure
from catalog.services.dossiers import DossierRefused
from catalog.services.local_versions import approve_local, save_local_draft, submit_local
from catalog.services.offices import remove_procedures
from renderers.pdf.receipt import appointment_text
from tests.conftest import LiveServer, assert_accessible
from tests.factories import document
from tests.test_dossiers import application, publish, submit, token, upload, vn
from tests.test_site_apply import open_form, pdf_file, post

OFFICE_FIELD = "_motcua.office"
POST_FIELD = "_motcua.by_post"
BASIS = {"number": "45/QĐ-UBND", "issuer": "UBND phường Đông Hà", "issuedOn": "2025-08-01"}


def both_levels(code: str = "1.001193", *, online_time: dict[str, Any] | None = None,
                title: str | None = None) -> dict[str, Any]:
    """A level-4 procedure done at province and commune level: both demo offices receive it."""
    doc = document(code)
    facts = doc["x-procedure"]
    facts["levels"] = ["province", "commune"]
    if title:
        doc["title"] = title
    if online_time is not None:
        facts["channels"][1]["processingTime"] = online_time
        facts["channels"][1].pop("sameDayCutoff", None)
    return doc


def demo_offices() -> tuple[Office, Office]:
    """The two demo offices, created as `motcua demo` does: (province centre, Đông Hà ward)."""
    create_demo_office()
    province = db.session.scalar(select(Office).where(Office.name == DEMO_PROVINCE_OFFICE))
    commune = db.session.scalar(select(Office).where(Office.name == DEMO_COMMUNE_OFFICE))
    assert province is not None and commune is not None
    return province, commune


def publish_local(code: str, office: Office, overrides: dict[str, Any]) -> None:
    """A local version of `code` for `office`, written, submitted and approved by two people."""
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == code))
    local = save_local_draft(db.session, procedure, {"basis": BASIS, **overrides}, actor="author",
                             office_id=office.id)
    submit_local(db.session, local, actor="author")
    approve_local(db.session, local, actor="approver")


LOCAL_FEE = {"channels": {"in_person": {
    "fees": [{"name": "Lệ phí", "kind": "charge", "amount": 5000}],
    "processingTime": {"value": 2, "unit": "working_days"}}}}


# --- the procedure page: where it can be done ----------------------------------------------

def test_the_procedure_page_lists_the_offices_that_receive_it(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    demo_offices()
    page = client.get("/procedures/1.001193")
    assert page.status_code == 200
    text = page.text
    assert "Nơi tiếp nhận" in text
    assert DEMO_PROVINCE_OFFICE in text and DEMO_COMMUNE_OFFICE in text
    assert "Số 2 đường Mẫu, phường Đông Hà, tỉnh Quảng Trị (địa chỉ mẫu)" in text
    assert "Thứ Hai – Thứ Sáu: sáng 07:30–11:30, chiều 13:30–17:00" in text
    assert "Thứ Bảy: sáng" in text  # the province centre opens on Saturday mornings
    assert "0233 3000 012" in text  # the ward's hotline
    assert "1 ngày làm việc" in text
    assert re.search(r'href="/procedures/1\.001193\?office=\d+"', text)


def test_a_procedure_no_office_receives_says_so(app: Flask, client: FlaskClient) -> None:
    publish(document())  # commune level only
    province, _commune = demo_offices()
    text = client.get("/procedures/1.001193").text
    assert DEMO_COMMUNE_OFFICE in text and DEMO_PROVINCE_OFFICE not in text
    remove_procedures(db.session, _commune.id, ["1.001193"])
    assert "Chưa có nơi tiếp nhận nào" in client.get("/procedures/1.001193").text


def test_the_offices_are_filtered_by_province_and_commune(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    demo_offices()
    form = client.get("/procedures/1.001193").text
    assert '<option value="44">Quảng Trị</option>' in form
    assert '<option value="19333">Phường Đông Hà</option>' in form  # the map's communes
    # a citizen of Đông Hà: the ward's centre and the province's centre serve them
    dong_ha = client.get("/procedures/1.001193?province=44&commune=19333").text
    assert DEMO_COMMUNE_OFFICE in dong_ha and DEMO_PROVINCE_OFFICE in dong_ha
    assert '<option value="19333" selected>' in dong_ha
    # another commune of Quảng Trị: only the province centre
    other = next(c for c in communes("44") if c.code != "19333")
    elsewhere = client.get(f"/procedures/1.001193?commune={other.code}").text
    assert DEMO_PROVINCE_OFFICE in elsewhere.split("Nơi tiếp nhận", 1)[1]
    assert DEMO_COMMUNE_OFFICE not in elsewhere.split("Nơi tiếp nhận", 1)[1].split("</form>", 1)[1]
    # Hà Nội: nowhere to apply
    assert "Không có nơi tiếp nhận nào ở địa bàn đã chọn" in client.get("/procedures/1.001193?province=01").text


def test_the_procedure_at_an_office_shows_its_local_fee_and_basis(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    province, commune = demo_offices()
    publish_local("1.001193", commune, LOCAL_FEE)
    national = client.get("/procedures/1.001193").text
    table = national.split('id="channels-heading"', 1)[1]
    assert "Miễn phí" in table.split("</table>", 1)[0]  # the national fact, no basis beside it
    at_ward = client.get(f"/procedures/1.001193?office={commune.id}")
    assert at_ward.status_code == 200
    text = at_ward.text
    assert f"Thủ tục tại {DEMO_COMMUNE_OFFICE}" in text
    channels = text.split('id="channels-heading"', 1)[1].split("</table>", 1)[0]
    assert "5.000 đồng" in channels and "2 ngày làm việc" in channels
    assert "Theo Quyết định số 45/QĐ-UBND ngày 01/08/2025 của UBND phường Đông Hà" in channels
    assert f"/procedures/1.001193/apply?office={commune.id}" in text
    # the province centre has no local version: national facts there
    at_province = client.get(f"/procedures/1.001193?office={province.id}").text
    assert "5.000 đồng" not in at_province.split('id="channels-heading"', 1)[1].split("</table>", 1)[0]
    assert client.get("/procedures/1.001193?office=999999").status_code == 404
    assert client.get("/procedures/1.001193?office=abc").status_code == 404


def test_the_notice_and_blank_form_print_for_the_office_chosen(app: Flask, client: FlaskClient,
                                                               tmp_path: Path) -> None:
    """/notice.pdf and /form.pdf with ?office= are headed by that office, with its local fee."""
    publish(both_levels())
    province, commune = demo_offices()
    publish_local("1.001193", commune, LOCAL_FEE)
    notice = " ".join(pdf_text(client.get(f"/procedures/1.001193/notice.pdf?office={commune.id}").data,
                               tmp_path).split())
    assert commune.name.upper() in notice and commune.parent_body in notice
    assert "5.000 đồng" in notice
    national = " ".join(pdf_text(client.get("/procedures/1.001193/notice.pdf").data, tmp_path).split())
    assert commune.name.upper() not in national and "5.000 đồng" not in national
    at_province = " ".join(pdf_text(
        client.get(f"/procedures/1.001193/notice.pdf?office={province.id}").data, tmp_path).split())
    assert province.name.upper() in at_province and "5.000 đồng" not in at_province
    form = " ".join(pdf_text(client.get(f"/procedures/1.001193/form.pdf?office={commune.id}").data,
                             tmp_path).split())
    assert "Kính gửi: Ủy ban nhân dân phường Đông Hà" in form


def test_the_announcing_decision_entered_at_approval_is_shown(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == "1.001193"))
    procedure.published_version.decision_number = "201/QĐ-UBND"
    procedure.published_version.decision_date = date(2026, 11, 20)
    db.session.commit()
    text = client.get("/procedures/1.001193").text
    assert "Quyết định số 201/QĐ-UBND ngày 20/11/2026" in text
    assert "163/QĐ-BTP" not in text.split('id="publication-heading"', 1)[1]


def test_an_office_that_does_not_receive_it_is_not_offered(app: Flask, client: FlaskClient) -> None:
    publish(document())  # commune only: the province centre does not receive it
    province, _commune = demo_offices()
    assert client.get(f"/procedures/1.001193?office={province.id}").status_code == 404
    assert client.get(f"/procedures/1.001193/apply?office={province.id}").status_code == 404


# --- applying at an office -----------------------------------------------------------------

def test_applying_asks_which_office_and_records_it(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    province, commune = demo_offices()
    form = client.get("/procedures/1.001193/apply").text
    assert "Nơi tiếp nhận hồ sơ" in form and "— Chọn nơi tiếp nhận —" in form
    assert " selected" not in form.split('id="office-select"', 1)[1].split("</select>", 1)[0]
    token_ = open_form(client)
    missing = post(client, token_, file=pdf_file())
    assert missing.status_code == 422
    assert "Vui lòng chọn nơi tiếp nhận hồ sơ." in missing.text
    assert 'value="Nguyễn Văn An"' in missing.text  # the rest is kept, the file too
    kept = re.search(r'type="hidden" name="attachments-birth_certificate" value="([^"]+)"', missing.text)
    assert kept
    done = post(client, token_, **{OFFICE_FIELD: str(commune.id), "attachments-birth_certificate": kept.group(1)})
    assert done.status_code == 303
    code = done.headers["Location"].rsplit("/", 1)[-1]
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    assert dossier.office_id == commune.id
    assert dossier.register_book == str(dossier.received_at.year) and dossier.register_number == 1
    page = client.get(f"/dossiers/{code}").text
    assert DEMO_COMMUNE_OFFICE in page and "Số 2 đường Mẫu" in page and "Thứ Hai – Thứ Sáu" in page
    assert "Quyển số" in page
    # the next dossier at that office takes the next number of the book
    second = post(client, open_form(client), file=pdf_file(), **{OFFICE_FIELD: str(commune.id)})
    code2 = second.headers["Location"].rsplit("/", 1)[-1]
    assert db.session.scalar(select(Dossier.register_number).where(Dossier.code == code2)) == 2
    # another office starts its own book
    third = post(client, open_form(client), file=pdf_file(), **{OFFICE_FIELD: str(province.id)})
    code3 = third.headers["Location"].rsplit("/", 1)[-1]
    assert db.session.scalar(select(Dossier.register_number).where(Dossier.code == code3)) == 1


def test_the_office_is_preselected_when_given_or_alone(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    province, commune = demo_offices()
    given = client.get(f"/procedures/1.001193/apply?office={commune.id}").text
    assert f'<option value="{commune.id}" selected>' in given
    remove_procedures(db.session, province.id, ["1.001193"])
    alone = client.get("/procedures/1.001193/apply").text
    assert f'<option value="{commune.id}" selected>' in alone and "— Chọn nơi tiếp nhận —" not in alone
    done = post(client, open_form(client), file=pdf_file())  # the only office, even unposted
    code = done.headers["Location"].rsplit("/", 1)[-1]
    assert db.session.scalar(select(Dossier.office_id).where(Dossier.code == code)) == commune.id


def test_a_wrong_office_keeps_the_choice_and_says_why(app: Flask, client: FlaskClient) -> None:
    publish(document())  # commune level: the province centre does not receive it
    province, commune = demo_offices()
    failed = post(client, open_form(client), file=pdf_file(), **{OFFICE_FIELD: str(province.id)})
    assert failed.status_code == 422
    assert "không tiếp nhận thủ tục này" in failed.text
    assert f'<option value="{commune.id}" selected>' in failed.text  # the only office that does


def test_a_local_online_level_below_3_closes_online_applying_there(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    province, commune = demo_offices()
    publish_local("1.001193", commune, {"onlineService": {"level": 2}})
    assert client.get(f"/procedures/1.001193/apply?office={commune.id}").status_code == 404
    assert client.get(f"/procedures/1.001193/apply?office={province.id}").status_code == 200


def test_a_local_level_3_takes_the_fee_at_the_desk(app: Flask, store_app: AttachmentStore) -> None:
    """Level 4 nationally, level 3 at the ward: a dossier filed there is not paid online."""
    from catalog.services.dossiers import can_pay_online

    doc = both_levels()
    doc["x-procedure"]["channels"][1]["fees"] = [{"name": "Lệ phí", "kind": "charge", "amount": 8000}]
    publish(doc)
    province, commune = demo_offices()
    publish_local("1.001193", commune, {"onlineService": {"level": 3}})
    at_ward = submit(store_app, vn(2026, 2, 5, 9, 15), office=commune)
    at_centre = submit(store_app, vn(2026, 2, 5, 9, 20), office=province)
    assert at_ward.fee_due == at_centre.fee_due == 8000
    assert not can_pay_online(at_ward)
    assert can_pay_online(at_centre)


# --- the office's calendar (services, SQLite and PostgreSQL) -------------------------------

@pytest.fixture
def store(db_app: Flask) -> AttachmentStore:
    return AttachmentStore(Path(db_app.config["MOTCUA_DATA_DIR"]) / "attachments")


@pytest.mark.db
def test_the_appointment_follows_the_office_calendar(db_app: Flask, store: AttachmentStore) -> None:
    # 1 calendar day from Friday 04/12/2026 afternoon ends on Saturday 05/12: kept there by the
    # province centre (open Saturday mornings), moved to Monday 07/12 by the ward centre.
    publish(both_levels(online_time={"value": 1, "unit": "days"}))
    province, commune = demo_offices()
    friday = vn(2026, 12, 4, 14, 30)
    assert submit(store, friday, office=province).appointment_date == date(2026, 12, 5)
    assert submit(store, friday, office=commune).appointment_date == date(2026, 12, 7)


@pytest.mark.db
def test_same_day_on_a_saturday_morning_only_where_the_office_opens(db_app: Flask,
                                                                    store: AttachmentStore) -> None:
    publish(both_levels(online_time={"value": 0, "unit": "working_days"}))
    province, commune = demo_offices()
    saturday = vn(2026, 12, 5, 9, 0)
    assert submit(store, saturday, office=province).appointment_date == date(2026, 12, 5)
    assert submit(store, saturday, office=commune).appointment_date == date(2026, 12, 7)


@pytest.mark.db
def test_the_office_days_off_and_local_time_move_the_appointment(db_app: Flask,
                                                                  store: AttachmentStore) -> None:
    from catalog.services.offices import add_day_off

    publish(both_levels())
    _province, commune = demo_offices()
    publish_local("1.001193", commune, {"channels": {"online": {
        "processingTime": {"value": 2, "unit": "working_days"}}}})
    add_day_off(db.session, commune.id, date(2026, 12, 8), "Chuyển trụ sở")
    # the local time (2 working days) from Friday 04/12: Monday 07/12, then the office's own
    # day off on Tuesday 08/12 is skipped: Wednesday 09/12
    assert submit(store, vn(2026, 12, 4, 10), office=commune).appointment_date == date(2026, 12, 9)


@pytest.mark.db
def test_submitting_needs_an_office_when_several_receive_it(db_app: Flask, store: AttachmentStore) -> None:
    publish(both_levels())
    demo_offices()
    form_token = token()
    attachment = upload(store, form_token)
    with pytest.raises(DossierRefused, match="chọn nơi tiếp nhận"):
        from catalog.services.dossiers import submit_dossier

        submit_dossier(db.session, "1.001193", application(attachment.id), submission_token=form_token)


# --- the receipt's office fields -----------------------------------------------------------

def receipt_for(app: Flask, code: str) -> Any:
    from admin.site.dossiers import receipt_data

    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    with app.test_request_context("/"):
        return receipt_data(dossier)


def test_the_receipt_data_names_the_office(app: Flask, store_app: AttachmentStore) -> None:
    publish(both_levels())
    province, commune = demo_offices()
    dossier = submit(store_app, vn(2026, 2, 5, 9, 15), office=commune)
    data = receipt_for(app, dossier.code)
    assert data.office_name == DEMO_COMMUNE_OFFICE
    assert data.parent_body == "UBND PHƯỜNG ĐÔNG HÀ"
    assert data.place_and_date == "Đông Hà, ngày 05 tháng 02 năm 2026"
    assert data.result_place == f"{DEMO_COMMUNE_OFFICE}, Số 2 đường Mẫu, phường Đông Hà, tỉnh Quảng Trị (địa chỉ mẫu)"
    assert "hoặc" not in data.result_place
    assert data.officer_name is None  # filed online: the slip prints a dotted line
    assert data.requested == "Đăng ký khai sinh"
    assert (data.register_book, data.register_number) == ("2026", "1")
    assert data.appointment == date(2026, 2, 6) and not data.by_post
    later = submit(store_app, vn(2026, 7, 15, 9), office=province, result_by_post=True)
    by_post = receipt_for(app, later.code)
    assert by_post.place_and_date == "Quảng Trị, ngày 15 tháng 7 năm 2026"
    assert by_post.parent_body == "UBND TỈNH QUẢNG TRỊ"
    assert by_post.result_place == "Qua dịch vụ bưu chính" and by_post.by_post


def test_a_procedure_without_processing_time_has_no_appointment(app: Flask, store_app: AttachmentStore) -> None:
    doc = both_levels()
    for channel in doc["x-procedure"]["channels"]:
        channel.pop("processingTime", None)
        channel.pop("sameDayCutoff", None)
    publish(doc)
    _province, commune = demo_offices()
    dossier = submit(store_app, vn(2026, 12, 3, 9), office=commune)
    data = receipt_for(app, dossier.code)
    assert data.appointment is None
    assert appointment_text(data.appointment) == "Chưa xác định"


@pytest.fixture
def store_app(app: Flask) -> AttachmentStore:
    return AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")


# --- search narrowed to an office, the API -------------------------------------------------

def test_search_at_an_office_lists_what_it_receives(app: Flask, client: FlaskClient, monkeypatch: Any) -> None:
    import admin.site.search as search_view

    publish(both_levels("1.001193", title="Đăng ký khai sinh"))
    publish(both_levels("1.000894", title="Đăng ký kết hôn"))
    publish(document("1.000656", title="Đăng ký khai tử"))  # commune only
    province, commune = demo_offices()
    at_province = client.get(f"/procedures/?office={province.id}").text
    assert f"Thủ tục tại {DEMO_PROVINCE_OFFICE}" in at_province
    assert "Tất cả 2 thủ tục" in at_province
    assert "Đăng ký khai tử" not in at_province
    assert f'href="/procedures/1.001193?office={province.id}"' in at_province
    assert f'name="office" value="{province.id}"' in at_province  # kept by the search form
    assert "Tất cả 3 thủ tục" in client.get(f"/procedures/?office={commune.id}").text
    monkeypatch.setattr(search_view, "PER_PAGE", 1)
    first = client.get(f"/procedures/?office={province.id}&q=dang+ky").text
    assert "Tìm thấy 2 thủ tục" in first
    assert re.search(rf'href="/procedures/\?[^"]*office={province.id}[^"]*page=2"', first.replace("&amp;", "&"))
    assert "Tất cả 3 thủ tục" in client.get("/procedures/").text  # no office: everything


def test_the_api_returns_the_procedure_at_an_office(app: Flask, client: FlaskClient) -> None:
    publish(both_levels())
    province, commune = demo_offices()
    publish_local("1.001193", commune, LOCAL_FEE)
    national = client.get("/api/v1/procedures/1.001193").get_json()
    assert national["office"] is None and national["local_facts"] == []
    assert national["document"]["x-procedure"]["channels"][0]["fees"][0]["amount"] == 0
    local = client.get(f"/api/v1/procedures/1.001193?office={commune.id}")
    assert local.status_code == 200
    body = local.get_json()
    assert body["office"]["name"] == DEMO_COMMUNE_OFFICE
    assert body["document"]["x-procedure"]["channels"][0]["fees"][0]["amount"] == 5000
    assert {"pointer": "/x-procedure/channels/0/fees",
            "basis": "Theo Quyết định số 45/QĐ-UBND ngày 01/08/2025 của UBND phường Đông Hà"} in body["local_facts"]
    assert client.get("/api/v1/procedures/1.001193?office=999999").status_code == 404
    remove_procedures(db.session, province.id, ["1.001193"])
    assert client.get(f"/api/v1/procedures/1.001193?office={province.id}").status_code == 404
    spec = client.get("/api/v1/_openapi").get_json()
    parameters = spec["paths"]["/api/v1/procedures/{code}"]["get"]["parameters"]
    assert any(p["name"] == "office" and p["in"] == "query" for p in parameters)


# --- in a browser --------------------------------------------------------------------------

def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.browser
def test_a_citizen_of_dong_ha_finds_where_to_apply_and_applies_there(live_server: LiveServer, page: Any,
                                                                     tmp_path: Path) -> None:
    from tests.test_attachments import PDF, PNG
    from tests.test_site_browser import birth_registration_fields, fill

    with live_server.app.app_context():
        create_demo_office()
        db.session.remove()
    page.goto(live_server.url + "/procedures/1.001193")
    assert_accessible(page)
    page.select_option("#place-province", "44")
    page.select_option("#place-commune", "19333")
    page.get_by_role("button", name="Lọc nơi tiếp nhận").click()
    page.wait_for_url(re.compile(r"commune=19333"))
    places = page.locator("section.places")
    assert DEMO_COMMUNE_OFFICE in places.inner_text()
    assert_accessible(page)
    ward = places.locator("li.place").filter(has=page.get_by_role("heading", name=DEMO_COMMUNE_OFFICE))
    ward.get_by_role("link", name=re.compile("Nộp hồ sơ trực tuyến tại nơi này")).click()

    page.wait_for_url(re.compile(r"/apply\?office=\d+$"))
    selected = page.locator("#office-select option:checked").inner_text()
    assert selected.startswith(DEMO_COMMUNE_OFFICE)
    assert_accessible(page)
    for name, value in birth_registration_fields():
        fill(page, name, value)
    page.set_input_files('[name="attachments-declaration"]', files=[
        {"name": "to-khai-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.set_input_files('[name="attachments-birth_certificate"]', files=[
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", name="Kiểm tra lại thông tin", level=1).wait_for()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    page.wait_for_url(re.compile(r"/dossiers/\d{4}-1\.001193-\d{6}$"))
    code = page.url.rsplit("/", 1)[-1]
    main = page.locator("main").inner_text()
    assert DEMO_COMMUNE_OFFICE in main and "Số 2 đường Mẫu" in main
    assert_accessible(page)
    receipt = page.request.get(f"{live_server.url}/dossiers/{code}/receipt.pdf")
    assert receipt.status == 200
    text = " ".join(pdf_text(receipt.body(), tmp_path).split())
    assert "Trung tâm Phục vụ hành chính công phường Đông Hà".upper() in text.upper()
    assert DEMO_PROVINCE_OFFICE not in text


# --- the migration -------------------------------------------------------------------------

def test_migration_0008_adds_the_office_to_dossiers_and_goes_back(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from catalog.schema import migrate as run_migration

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")

    def migrate(step: Any, revision: str) -> None:
        run_migration(engine, step, revision)

    migrate(command.upgrade, "head")
    columns = {c["name"]: c for c in inspect(engine).get_columns("dossier")}
    assert columns["office_id"]["nullable"]  # dossiers filed before offices keep no office
    assert {"register_book", "register_number", "result_by_post"} <= set(columns)
    assert "dossier_register" in inspect(engine).get_table_names()
    migrate(command.downgrade, "0007")
    assert "office_id" not in {c["name"] for c in inspect(engine).get_columns("dossier")}
    assert "dossier_register" not in inspect(engine).get_table_names()
    migrate(command.upgrade, "head")
