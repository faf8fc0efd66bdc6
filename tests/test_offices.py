"""Offices: their fields checked against the 2025 map, what each receives, their calendar,
CSV import, the `motcua office` commands, the demo offices and the back-office pages."""

from __future__ import annotations

import copy
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from admin.roles import ADMIN, POSTING_OFFICER
from catalog.db import db
from catalog.models import AuditEvent, CalendarDay, Office, OfficeProcedure
from catalog.services import import_document
from catalog.services import offices as service
from catalog.services.offices import OfficeRefused, RuleSpec
from catalog.services.postings import stale_notices
from tests.backoffice_helpers import client_for, make_users, text
from tests.factories import document

PROVINCE = "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị"
WARD = "Trung tâm Phục vụ hành chính công phường Đông Hà"


@pytest.fixture
def db_session(db_app: Flask):  # type: ignore[no-untyped-def]
    """Service tests run on SQLite and on PostgreSQL."""
    return db.session


def publish(code: str, *, sector: str = "Hộ tịch", levels: tuple[str, ...] = ("commune",),
            agency: str = "Ủy ban nhân dân cấp xã") -> None:
    doc: dict[str, Any] = document(code, title=f"Thủ tục {code}")
    facts = copy.deepcopy(doc["x-procedure"])
    facts.update(sector=sector, levels=list(levels), agencies={"competent": agency})
    doc["x-procedure"] = facts
    import_document(db.session, doc, author="an", publish=True)


def province_office(**values: Any) -> Office:
    fields = {"parent_body": "UBND TỈNH QUẢNG TRỊ", "level": "province", "province_code": "44",
              "saturday_morning": True, **values}
    return service.create_office(db.session, PROVINCE, actor="admin", **fields)


def ward_office(**values: Any) -> Office:
    fields = {"parent_body": "UBND PHƯỜNG ĐÔNG HÀ", "level": "commune", "province_code": "44",
              "commune_code": "19333", **values}
    return service.create_office(db.session, WARD, actor="admin", **fields)


def refusal(**values: Any) -> dict[str, str]:
    """field → Vietnamese message of each problem when creating a ward office with `values`."""
    with pytest.raises(OfficeRefused) as caught:
        ward_office(**values)
    db.session.rollback()
    return {p.field: p.message_vi for p in caught.value.problems}


# --- the office and its checks ---------------------------------------------------------------


def test_an_office_has_its_place_contacts_and_hours(db_session) -> None:  # type: ignore[no-untyped-def]
    office = province_office(address="Số 1 đường Mẫu", phone="0233 3000 001", hotline="1022",
                             email="tiepnhan@quangtri.example", complaints_address="Văn phòng UBND tỉnh")
    db.session.expire_all()
    office = db.session.get(Office, office.id)
    assert (office.name, office.parent_body, office.level, office.province_code, office.commune_code) == (
        PROVINCE, "UBND TỈNH QUẢNG TRỊ", "province", "44", "")
    assert office.place_name == "Quảng Trị"  # "Quảng Trị, ngày 02 tháng 12 năm 2026"
    assert (office.phone, office.hotline, office.email) == ("0233 3000 001", "1022", "tiepnhan@quangtri.example")
    assert office.saturday_morning
    assert service.hours_lines(office.opening_hours) == [
        "Thứ Hai – Thứ Sáu: sáng 07:30–11:30, chiều 13:30–17:00", "Thứ Bảy: sáng 07:30–11:30"]
    assert service.hours_lines(office.opening_hours, "en")[1] == "Saturday: morning 07:30–11:30"

    assert service.place_and_date(office, date(2026, 12, 2)) == "Quảng Trị, ngày 02 tháng 12 năm 2026"
    assert service.place_and_date(office, date(2026, 2, 5)) == "Quảng Trị, ngày 05 tháng 02 năm 2026"
    assert service.place_and_date(office, date(2026, 7, 15)) == "Quảng Trị, ngày 15 tháng 7 năm 2026"

    ward = ward_office()
    assert (ward.place_name, ward.saturday_morning) == ("Đông Hà", False)
    assert [o.name for o in service.list_offices(db.session)] == [WARD, PROVINCE]  # by name
    assert [o.name for o in service.list_offices(db.session, level="commune")] == [WARD]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "office_create",
                                                          AuditEvent.actor == "admin").limit(1))
    assert event.detail["office"] == PROVINCE and event.detail["fields"]["province_code"] == "44"


def test_codes_must_be_in_the_map_and_the_commune_in_its_province(db_session) -> None:  # type: ignore[no-untyped-def]
    assert "Không có tỉnh, thành phố mã «02»" in refusal(province_code="02")["province_code"]
    assert "Không có xã, phường, đặc khu mã «99999»" in refusal(commune_code="99999")["commune_code"]
    hanoi_ward = "00070"  # Phường Hoàn Kiếm, Hà Nội
    assert refusal(commune_code=hanoi_ward)["commune_code"] == "Phường Hoàn Kiếm không thuộc Tỉnh Quảng Trị."
    assert "cần chọn xã" in refusal(commune_code="")["commune_code"]
    assert "Hãy chọn tỉnh" in refusal(province_code="", commune_code="")["province_code"]
    assert "cơ quan chủ quản" in refusal(parent_body="")["parent_body"]
    problems = refusal(phone="12345", hotline="0233 3000 011", email="not-an-email", level="district")
    assert set(problems) == {"phone", "email", "level"}
    assert db.session.scalar(select(func.count()).select_from(Office)) == 0

    office = ward_office(phone="0912.345.678")  # a mobile, with dots
    assert office.phone == "0912.345.678"
    with pytest.raises(OfficeRefused, match="Đã có bộ phận tiếp nhận"):
        ward_office()


def test_opening_hours_are_checked_and_saturday_mornings_follow_them(db_session) -> None:  # type: ignore[no-untyped-def]
    assert "GG:PP" in refusal(opening_hours={"mon": {"morning": ["7h30", "11:30"]}})["opening_hours"]
    assert "trước giờ kết thúc" in refusal(opening_hours={"mon": {"morning": ["11:30", "07:30"]}})["opening_hours"]
    office = ward_office(opening_hours={"mon": {"morning": ["07:00", "11:00"]}, "sat": {"morning": ["07:00", "11:00"]}})
    assert office.saturday_morning
    service.update_office(db.session, office.id, actor="admin", saturday_morning=False)
    assert not db.session.get(Office, office.id).saturday_morning
    assert db.session.get(Office, office.id).opening_hours == {"mon": {"morning": ["07:00", "11:00"]}}


def test_updating_an_office_audits_each_change(db_session) -> None:  # type: ignore[no-untyped-def]
    office = ward_office()
    other = province_office()
    service.update_office(db.session, office.id, actor="admin", address="Số 9 đường Mẫu", hotline="1022")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "office_update")).all()
    assert [e.detail["changes"] for e in events] == [{"address": ["", "Số 9 đường Mẫu"], "hotline": ["", "1022"]}]
    with pytest.raises(OfficeRefused, match="Đã có bộ phận tiếp nhận"):
        service.update_office(db.session, office.id, name=other.name)
    db.session.rollback()
    # moving to another province drops a commune that is not in it, and asks for a new one
    with pytest.raises(OfficeRefused) as caught:
        service.update_office(db.session, office.id, province_code="01")
    assert [p.field for p in caught.value.problems] == ["commune_code"]
    db.session.rollback()
    assert db.session.get(Office, office.id).commune_code == "19333"
    with pytest.raises(OfficeRefused, match="Không có bộ phận tiếp nhận số 999"):
        service.update_office(db.session, 999, name="x")


# --- what an office receives ---------------------------------------------------------------------


def test_an_office_receives_by_rules_plus_additions_minus_removals(db_session) -> None:  # type: ignore[no-untyped-def]
    publish("1.001193")  # Hộ tịch, commune
    publish("1.000894")
    publish("2.000815", sector="Chứng thực", levels=("commune", "other"))
    publish("3.000333", sector="Đất đai", levels=("province",), agency="Sở Nông nghiệp và Môi trường")
    publish("1.013225", sector="Xây dựng", levels=("province", "commune"), agency="Sở Xây dựng")
    office = ward_office()
    assert service.office_procedures(db.session, office) == []

    service.set_rules(db.session, office.id, [RuleSpec(level="commune", sector="ho tich")], actor="admin")
    assert [p.code for p in service.office_procedures(db.session, office)] == ["1.000894", "1.001193"]
    service.set_rules(db.session, office.id, [
        {"level": "commune", "sector": "HỘ TỊCH"}, {"sector": "Chứng thực"}, {"agency": "so xay dung"},
        {"level": "", "sector": "", "agency": ""},  # empty rows are dropped
    ], actor="admin")
    assert len(db.session.get(Office, office.id).rules) == 3
    assert [p.code for p in service.office_procedures(db.session, office)] == [
        "1.000894", "1.001193", "1.013225", "2.000815"]

    assert service.add_procedures(db.session, office.id, ["3.000333", "1.001193"], actor="admin") == ["3.000333"]
    assert service.remove_procedures(db.session, office.id, ["1.001193", "1.013225"], actor="admin") == [
        "1.001193", "1.013225"]
    received = [p.code for p in service.office_procedures(db.session, office)]
    assert received == ["1.000894", "2.000815", "3.000333"]
    from catalog.services.history import procedure_by_code

    assert not service.receives(db.session, office, procedure_by_code(db.session, "1.001193"))
    assert service.receives(db.session, office, procedure_by_code(db.session, "3.000333"))
    additions, removals = service.explicit_procedures(db.session, office.id)
    assert ([p.code for p in additions], [p.code for p in removals]) == (["3.000333"], ["1.001193", "1.013225"])

    # a removal wins over rules; forgetting it gives the rules back
    assert service.reset_procedures(db.session, office.id, ["1.001193"], actor="admin") == ["1.001193"]
    assert service.receives(db.session, office, procedure_by_code(db.session, "1.001193"))
    # the posting list is what the office receives
    assert {n.code for n in stale_notices(db.session, office.id)} == {"1.000894", "1.001193", "2.000815", "3.000333"}

    with pytest.raises(OfficeRefused, match="Không có thủ tục mã 9.999999; chưa bỏ"):
        service.remove_procedures(db.session, office.id, ["1.000894", "9.999999"])
    with pytest.raises(OfficeRefused, match="Không có cấp thực hiện «huyen»"):
        service.set_rules(db.session, office.id, [RuleSpec(level="huyen")])
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("office_%"))))
    assert {"office_rules", "office_add_procedures", "office_remove_procedures", "office_reset_procedures"} <= actions


def test_the_offices_receiving_a_procedure_are_found_in_one_statement(db_session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    from catalog.services.history import procedure_by_code

    publish("1.001193")
    publish("3.000333", sector="Đất đai", levels=("province",), agency="Sở Nông nghiệp và Môi trường")
    ward = ward_office()
    service.set_rules(db.session, ward.id, [RuleSpec(level="commune")], actor="admin")
    province = province_office()
    service.set_rules(db.session, province.id, [RuleSpec(level="province")], actor="admin")
    service.add_procedures(db.session, province.id, ["1.001193"], actor="admin")
    others = [service.create_office(db.session, f"Bộ phận Một cửa xã số {n}", actor="admin",
                                    require_place=False) for n in range(12)]
    for office in others[:5]:
        service.set_rules(db.session, office.id, [RuleSpec(sector="Hộ tịch")], actor="admin")
    service.remove_procedures(db.session, others[0].id, ["1.001193"], actor="admin")
    birth, land = procedure_by_code(db.session, "1.001193"), procedure_by_code(db.session, "3.000333")
    db.session.expire_all()

    statements: list[str] = []
    engine = db.session.get_bind()

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        receiving = service.offices_receiving(db.session, birth)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # the same answer as asking each office; the removal at office 0 is honoured
    expected = [office for office in service.list_offices(db.session) if service.receives(db.session, office, birth)]
    assert receiving == expected
    assert {o.name for o in receiving} == {WARD, PROVINCE} | {f"Bộ phận Một cửa xã số {n}" for n in range(1, 5)}
    assert len(statements) <= 4, statements  # offices, their rules, one receiving question
    assert [o.name for o in service.offices_receiving(db.session, land)] == [PROVINCE]


def test_the_office_calendar_has_its_days_off_and_saturday_mornings(db_session) -> None:  # type: ignore[no-untyped-def]
    from catalog.services.calendar_days import office_calendar, working_calendar

    province = province_office()
    ward = ward_office()
    saturday = datetime(2026, 12, 5, 9, 0)  # Saturday morning, a same-day procedure
    assert service.office_calendar(db.session, province.id).appointment(saturday, 0, "working_days") == date(2026, 12, 5)
    assert office_calendar(db.session, ward).appointment(saturday, 0, "working_days") == date(2026, 12, 7)

    service.add_day_off(db.session, ward.id, date(2026, 12, 7), "Chuyển trụ sở", actor="admin")
    friday = datetime(2026, 12, 4, 9, 0)
    assert office_calendar(db.session, ward).appointment(friday, 1, "working_days") == date(2026, 12, 8)
    assert office_calendar(db.session, province).appointment(friday, 1, "working_days") == date(2026, 12, 7)
    assert working_calendar(db.session).appointment(friday, 1, "working_days") == date(2026, 12, 7)
    # an office day off wins over a compensatory working day of the shared calendar
    db.session.add(CalendarDay(day=date(2026, 12, 12), is_working_day=True, note="Làm bù"))
    db.session.commit()
    service.add_day_off(db.session, ward.id, date(2026, 12, 12), actor="admin")
    assert not office_calendar(db.session, ward).is_working_day(date(2026, 12, 12))
    assert office_calendar(db.session, province).is_working_day(date(2026, 12, 12))
    assert [d.note for d in db.session.get(Office, ward.id).days_off] == ["Chuyển trụ sở", ""]
    assert service.remove_day_off(db.session, ward.id, date(2026, 12, 7), actor="admin")
    assert not service.remove_day_off(db.session, ward.id, date(2026, 12, 7), actor="admin")


# --- CSV import -----------------------------------------------------------------------------------

GOOD_CSV = (
    "name,parent_body,level,province,commune,phone,email,saturday_morning,rule_levels,procedures\n"
    f"{PROVINCE},UBND TỈNH QUẢNG TRỊ,province,44,,0233 3000 001,tinh@quangtri.example,có,province,1.001193\n"
    f'"{WARD}",UBND PHƯỜNG ĐÔNG HÀ,xã,Quảng Trị,Đông Hà,,,không,commune,\n'
)


def test_importing_offices_from_csv(db_session) -> None:  # type: ignore[no-untyped-def]
    publish("1.001193")
    publish("3.000333", sector="Đất đai", levels=("province",))
    outcome = service.import_offices(db.session, GOOD_CSV.encode("utf-8-sig"), actor="admin")
    assert (outcome.created, outcome.updated) == ([PROVINCE, WARD], [])
    province = db.session.scalar(select(Office).where(Office.name == PROVINCE))
    ward = db.session.scalar(select(Office).where(Office.name == WARD))
    assert (province.level, province.province_code, province.saturday_morning, province.place_name) == (
        "province", "44", True, "Quảng Trị")
    assert (ward.level, ward.commune_code, ward.saturday_morning) == ("commune", "19333", False)
    assert [p.code for p in service.office_procedures(db.session, province)] == ["1.001193", "3.000333"]
    assert [p.code for p in service.office_procedures(db.session, ward)] == ["1.001193"]
    # importing again updates, and a semicolon-separated file works too
    again = GOOD_CSV.replace(",", ";").replace("0233 3000 001", "0233 3000 009")
    assert service.import_offices(db.session, again, actor="admin").updated == [PROVINCE, WARD]
    assert db.session.scalar(select(Office.phone).where(Office.name == PROVINCE)) == "0233 3000 009"
    assert db.session.scalar(select(func.count()).select_from(Office)) == 2


def test_a_bad_row_imports_nothing_and_names_its_line_and_column(db_session) -> None:  # type: ignore[no-untyped-def]
    publish("1.001193")
    bad = GOOD_CSV + (
        "UBND xã Sai,UBND XÃ SAI,commune,44,00070,12345,,có,commune,9.999999\n"  # Hà Nội ward, bad phone
        "Bộ phận X,UBND X,province,Quảng Bình,,,,thứ bảy,,\n"
        f"{WARD},UBND PHƯỜNG ĐÔNG HÀ,commune,44,19333,,,,,\n"
    )
    with pytest.raises(OfficeRefused) as caught:
        service.import_offices(db.session, bad, actor="admin")
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(4, "commune"), (4, "phone"), (4, "procedures"), (5, "province"), (5, "saturday_morning"),
                     (6, "name")}
    message = caught.value.message_vi
    assert message.startswith("Chưa nhập bộ phận nào vì tệp có lỗi")
    assert "Dòng 4, cột «commune»: Phường Hoàn Kiếm không thuộc Tỉnh Quảng Trị." in message
    assert "Dòng 6, cột «name»: Trùng tên với dòng 3." in message
    assert db.session.scalar(select(func.count()).select_from(Office)) == 0
    assert db.session.scalar(select(func.count()).select_from(OfficeProcedure)) == 0

    with pytest.raises(OfficeRefused) as caught:
        service.import_offices(db.session, "ten,tinh\nA,44\n")
    assert {(p.line, p.field) for p in caught.value.problems} == {(1, "name"), (1, "ten"), (1, "tinh")}


# --- the migration ---------------------------------------------------------------------------------


def test_posting_offices_of_before_become_commune_offices_with_their_lists(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    from catalog.schema import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")

    def migrate(revision: str) -> None:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    migrate("0004")
    with engine.begin() as connection:
        connection.execute(sql("insert into sector (name, name_folded) values ('Hộ tịch', 'ho tich')"))
        connection.execute(sql(
            "insert into procedure (code, name, sector_id, levels, online_level, status, search_text,"
            " latest_number, updated_at, updated_by) values"
            " ('1.001193', 'Đăng ký khai sinh', 1, 'commune', 1, 'published', '', 1, CURRENT_TIMESTAMP, '')"))
        connection.execute(sql("insert into office (name, address, complaints_address)"
                               " values ('Bộ phận Một cửa UBND phường Bến Nghé', '29 Lê Duẩn', '')"))
        connection.execute(sql("insert into office_procedure (office_id, procedure_id) values (1, 1)"))
    migrate("head")
    with engine.connect() as connection:
        row = connection.execute(sql("select name, level, province_code, commune_code, parent_body, address"
                                     " from office")).one()
        assert tuple(row) == ("Bộ phận Một cửa UBND phường Bến Nghé", "commune", "", "", "", "29 Lê Duẩn")
        assert connection.execute(sql("select included from office_procedure")).scalar() in (1, True)
        assert "mon" in connection.execute(sql("select opening_hours from office")).scalar()
    engine.dispose()


# --- commands -------------------------------------------------------------------------------------


def test_office_commands_add_list_and_import(app: Flask, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = runner("office", "add", PROVINCE, "--parent", "UBND TỈNH QUẢNG TRỊ", "--level", "province",
                   "--province", "44", "--address", "Số 1 đường Mẫu", "--phone", "0233 3000 001",
                   "--hotline", "1022", "--email", "tinh@quangtri.example", "--complaints", "Văn phòng UBND tỉnh",
                   "--saturday-morning", "--receives-level", "province")
    assert added.exit_code == 0, added.output
    office_id = int(added.stdout.split("\t")[0])
    refused = runner("office", "add", WARD, "--parent", "UBND PHƯỜNG ĐÔNG HÀ", "--level", "commune",
                     "--province", "44", "--commune", "00070")
    assert refused.exit_code == 1
    assert "--commune: Phường Hoàn Kiếm không thuộc Tỉnh Quảng Trị." in refused.stderr
    assert runner("office", "add", WARD, "--parent", "UBND PHƯỜNG ĐÔNG HÀ", "--level", "commune",
                  "--province", "44", "--commune", "19333", "--place", "Đông Hà").exit_code == 0

    listing = runner("office", "list")
    assert listing.exit_code == 0
    assert listing.stdout.splitlines() == [f"{office_id + 1}\t{WARD}", f"{office_id}\t{PROVINCE}"]  # by name
    db.session.expire_all()
    office = db.session.get(Office, office_id)
    assert office.saturday_morning and office.hotline == "1022" and [r.level for r in office.rules] == ["province"]

    csv_file = tmp_path / "offices.csv"
    csv_file.write_text("name,parent_body,level,province,commune\n"
                        "Trung tâm Phục vụ hành chính công phường Nam Đông Hà,UBND PHƯỜNG NAM ĐÔNG HÀ,commune,44,"
                        "Nam Đông Hà\n", encoding="utf-8")
    imported = runner("office", "import", str(csv_file))
    assert imported.exit_code == 0 and "Đã thêm 1, cập nhật 0" in imported.stdout
    csv_file.write_text("name,province\nX,99\n", encoding="utf-8")
    failed = runner("office", "import", str(csv_file))
    assert failed.exit_code == 1 and "Dòng 2, cột «province»" in failed.stderr
    assert len(runner("office", "list").stdout.splitlines()) == 3


def test_the_demo_creates_a_province_centre_and_a_ward_centre(db_app: Flask, db_runner) -> None:  # type: ignore[no-untyped-def]
    from catalog import geography
    from catalog.samples import load_samples

    assert db_runner("demo").exit_code == 0
    db.session.expire_all()
    province = db.session.scalar(select(Office).where(Office.name == PROVINCE))
    ward = db.session.scalar(select(Office).where(Office.name == WARD))
    assert (province.parent_body, province.level, province.province_code, province.saturday_morning) == (
        "UBND TỈNH QUẢNG TRỊ", "province", geography.province_named("Quảng Trị").code, True)
    assert (ward.parent_body, ward.level, ward.commune_code, ward.saturday_morning) == (
        "UBND PHƯỜNG ĐÔNG HÀ", "commune", geography.commune_named("Đông Hà", "44").code, False)
    assert "(địa chỉ mẫu)" in province.address and ward.phone and ward.email.endswith(".example")
    samples = load_samples()
    received = {p.code for o in (province, ward) for p in service.office_procedures(db.session, o)}
    assert received == set(samples)  # the whole sample catalogue is received somewhere
    assert {p.code for p in service.office_procedures(db.session, province)} == {
        code for code, doc in samples.items() if "province" in doc["x-procedure"]["levels"]}


# --- back office ----------------------------------------------------------------------------------


def test_an_administrator_creates_and_edits_an_office(app: Flask) -> None:
    make_users(app)
    publish("1.001193")
    publish("1.000894")
    admin = client_for(app, ADMIN)
    page = text(admin.get("/admin/offices/new"))
    assert 'data-province="44"' in page and "Phường Đông Hà (19333)" in page and "Quảng Trị (44)" in page

    form = {"name": WARD, "parent_body": "UBND PHƯỜNG ĐÔNG HÀ", "level": "commune", "province_code": "44",
            "commune_code": "00070", "phone": "0233 3000 011",
            "hours-mon-morning-start": "07:30", "hours-mon-morning-end": "11:30",
            "hours-sat-morning-start": "07:30", "hours-sat-morning-end": "11:30"}
    refused = admin.post("/admin/offices/new", data=form)
    assert refused.status_code == 422
    assert "Phường Hoàn Kiếm không thuộc Tỉnh Quảng Trị." in text(refused) and "Chưa lưu" in text(refused)
    created = admin.post("/admin/offices/new", data={**form, "commune_code": "19333"})
    assert created.status_code == 302
    office_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    db.session.expire_all()
    office = db.session.get(Office, office_id)
    assert (office.commune_code, office.place_name, office.saturday_morning) == ("19333", "Đông Hà", True)
    assert office.opening_hours == {"mon": {"morning": ["07:30", "11:30"]}, "sat": {"morning": ["07:30", "11:30"]}}

    saved = admin.post(f"/admin/offices/{office_id}/", data={**form, "commune_code": "19333", "hotline": "1022",
                                                            "email": "sai"})
    assert saved.status_code == 422 and "Địa chỉ thư điện tử không đúng." in text(saved)
    saved = admin.post(f"/admin/offices/{office_id}/", data={**form, "commune_code": "19333", "hotline": "1022"},
                       follow_redirects=True)
    assert "Đã lưu" in text(saved)

    page = text(admin.post(f"/admin/offices/{office_id}/rules",
                           data={"rule-level": ["commune", ""], "rule-sector": ["Hộ tịch", ""],
                                 "rule-agency": ["", ""]}, follow_redirects=True))
    assert "Đã lưu 1 quy tắc tiếp nhận." in page and "2 thủ tục bộ phận tiếp nhận" in page
    page = text(admin.post(f"/admin/offices/{office_id}/procedures", data={"codes": "1.000894", "action": "remove"},
                           follow_redirects=True))
    assert "Đã bỏ 1 thủ tục: 1.000894." in page and "1 thủ tục bộ phận tiếp nhận" in page
    page = text(admin.post(f"/admin/offices/{office_id}/days", data={"day": "07/12/2026", "note": "Chuyển trụ sở"},
                           follow_redirects=True))
    assert "Đã thêm ngày nghỉ 07/12/2026." in page and "Chuyển trụ sở" in page

    listing = text(admin.get("/admin/offices/"))
    assert WARD in listing and "Phường Đông Hà, Tỉnh Quảng Trị" in listing
    # the posting page of the office links to its page
    assert f"/admin/offices/{office_id}/" in text(admin.get(f"/admin/postings/{office_id}/"))


def test_the_back_office_imports_a_csv_and_shows_each_bad_cell(app: Flask) -> None:
    make_users(app)
    publish("1.001193")
    admin = client_for(app, ADMIN)
    bad = admin.post("/admin/offices/import", data={"file": (io.BytesIO(b"name,province\nX,99\n"), "o.csv")},
                     content_type="multipart/form-data")
    assert bad.status_code == 422 and "Dòng 2, cột «province»:" in text(bad)
    good = admin.post("/admin/offices/import", data={"file": (io.BytesIO(GOOD_CSV.encode()), "o.csv")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "Đã thêm 2, cập nhật 0 bộ phận tiếp nhận." in text(good)


def test_only_administrators_manage_offices(app: Flask) -> None:
    make_users(app)
    officer = client_for(app, POSTING_OFFICER)
    for response in (officer.get("/admin/offices/"), officer.post("/admin/offices/new", data={"name": "X"})):
        assert response.status_code == 403 or "/login/" in response.headers.get("Location", "")
    assert db.session.scalar(select(func.count()).select_from(Office)) == 0


def test_office_pages_in_english(app: Flask) -> None:
    make_users(app)
    admin = client_for(app, ADMIN)
    admin.get("/lang/en")
    page = text(admin.get("/admin/offices/new"))
    assert "Add a one-stop shop" in page and "Opening hours" in page and "Parent body" in page


@pytest.mark.browser
def test_office_page_in_a_browser(live_server, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import assert_accessible
    from tests.test_backoffice_browser import login

    base = live_server.url
    login(page, base, ADMIN)
    page.goto(f"{base}/admin/offices/new")
    assert_accessible(page)
    page.fill("#name", WARD)
    page.fill("#parent_body", "UBND PHƯỜNG ĐÔNG HÀ")
    page.select_option("#province_code", "44")
    # only Quảng Trị's communes are offered once the province is chosen
    assert page.locator("#commune_code optgroup").count() == 1
    assert page.locator("#commune_code option").count() == 1 + 78
    page.select_option("#commune_code", "19333")
    page.fill("#phone", "0233 3000 011")
    page.click("button:has-text('Thêm bộ phận')")
    page.wait_for_selector(".alert-success")
    assert page.locator("#commune_code").input_value() == "19333"
    assert_accessible(page)
    page.fill("#codes", "1.001193")
    page.click("button:has-text('Thêm vào danh sách tiếp nhận')")
    page.wait_for_selector("text=Đã thêm 1 thủ tục: 1.001193.")
    page.goto(f"{base}/admin/offices/")
    assert_accessible(page)
    assert page.locator("tbody tr", has_text=WARD).locator("td").last.inner_text() == "1"
