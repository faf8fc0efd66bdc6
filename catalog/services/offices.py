"""Offices (one-stop shops): creating and editing them, what each receives, their days off,
and importing them from CSV.

Every function takes the session explicitly and commits its own change; every change is an
audit event (`office_*` actions, `detail.office_id`). Refusals are OfficeRefused (a
ServiceError, Vietnamese and English), carrying one FieldProblem per wrong field.

What an office receives (and so must post) is resolved in one place, `office_procedures` /
`receives`:

* a procedure matching any of the office's rules (OfficeRule: every non-empty field of the rule
  must match — the level among the procedure's levels, the sector and the competent agency
  compared folded, i.e. without accents or case),
* plus the explicit additions (OfficeProcedure.included),
* minus the explicit removals (OfficeProcedure not included), which win over rules and
  additions.

Validation: the province code must be one of the 34 of the 2025 map, the commune code one of
its communes (catalog.geography); a commune office needs both, a province office its province.
Offices known only by name (those migrated from the posting lists) keep empty codes until
someone edits them (`require_place=False`). Phones are Vietnamese numbers — mobile
(form_schemas.formats), landline (0 + 2xx area code, 11 digits) or a short hotline (1022,
1900xxxx, 1800xxxx) — spaces, dots and dashes allowed; e-mails use the product's e-mail format.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, false, literal, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from catalog import geography
from catalog.calendar import WorkingCalendar
from catalog.models import (
    Agency,
    AuditEvent,
    Office,
    OfficeDayOff,
    OfficeLevel,
    OfficeProcedure,
    OfficeRule,
    OfficeStaff,
    Procedure,
    Sector,
)
from catalog.models.offices import LEVEL_LABELS, PERIODS, WEEKDAYS, OpeningHours, default_hours
from catalog.services import calendar_days
from catalog.services.errors import ServiceError
from catalog.text import fold
from form_schemas.formats import EMAIL, is_phone
from form_schemas.wording import date_words

PROCEDURE_LEVELS = ("central", "province", "district", "commune", "other")
PROCEDURE_LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "central": ("Cấp bộ", "Central"), "province": ("Cấp tỉnh", "Province"),
    "district": ("Cấp huyện (trước 01/7/2025)", "District (before 1/7/2025)"),
    "commune": ("Cấp xã", "Commune"), "other": ("Cơ quan khác", "Other body"),
}
WEEKDAY_LABELS: dict[str, tuple[str, str]] = {
    "mon": ("Thứ Hai", "Monday"), "tue": ("Thứ Ba", "Tuesday"), "wed": ("Thứ Tư", "Wednesday"),
    "thu": ("Thứ Năm", "Thursday"), "fri": ("Thứ Sáu", "Friday"), "sat": ("Thứ Bảy", "Saturday"),
    "sun": ("Chủ nhật", "Sunday"),
}
TEXT_LIMITS = {"name": 255, "parent_body": 255, "place_name": 100, "address": 1000, "phone": 32,
               "hotline": 32, "email": 255, "complaints_address": 1000}
FIELDS = ("name", "parent_body", "level", "province_code", "commune_code", "place_name", "address",
          "phone", "hotline", "email", "complaints_address", "opening_hours")
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("Tên", "Name"), "parent_body": ("Cơ quan chủ quản", "Parent body"),
    "level": ("Cấp", "Level"), "province_code": ("Tỉnh, thành phố", "Province"),
    "commune_code": ("Xã, phường, đặc khu", "Commune"), "place_name": ("Địa danh", "Place name"),
    "address": ("Địa chỉ", "Address"), "phone": ("Điện thoại", "Phone"),
    "hotline": ("Đường dây nóng", "Hotline"), "email": ("Thư điện tử", "E-mail"),
    "complaints_address": ("Nơi tiếp nhận phản ánh, kiến nghị", "Complaints address"),
    "opening_hours": ("Giờ làm việc", "Opening hours"),
}
_LANDLINE = re.compile(r"^(0|\+84)2\d{9}$")
_SHORT_NUMBER = re.compile(r"^1(\d{3}|[89]00\d{4})$")
_PHONE_NOISE = re.compile(r"[\s.\-()]")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field (or CSV column) of an office; `line` for CSV rows."""

    field: str
    message_vi: str
    message_en: str
    line: int | None = None

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi


class OfficeRefused(ServiceError):
    """The office, its fields, rules, procedures or CSV file are not acceptable."""

    def __init__(self, message_vi: str, message_en: str, problems: Iterable[FieldProblem] = ()):
        super().__init__(message_vi, message_en)
        self.problems = list(problems)


@dataclass(frozen=True)
class RuleSpec:
    """A receiving rule as typed: empty fields are not checked."""

    level: str = ""
    sector: str = ""
    agency: str = ""


@dataclass
class ImportOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _audit(session: Session, actor: str, action: str, office: Office, **detail: Any) -> None:
    session.add(AuditEvent(actor=actor or "system", action=action,
                           detail={"office_id": office.id, "office": office.name, **detail}))


def _refuse(problems: list[FieldProblem]) -> OfficeRefused:
    vi = "; ".join(f"{FIELD_LABELS.get(p.field, (p.field,))[0]}: {p.message_vi}" for p in problems)
    en = "; ".join(f"{FIELD_LABELS.get(p.field, (p.field, p.field))[1]}: {p.message_en}" for p in problems)
    return OfficeRefused(vi, en, problems)


# --- reading -------------------------------------------------------------------------------


def office_by_id(session: Session, office_id: int) -> Office:
    office = session.get(Office, office_id)
    if office is None:
        raise OfficeRefused(f"Không có bộ phận tiếp nhận số {office_id}.",
                            f"There is no office number {office_id}.")
    return office


def list_offices(session: Session, *, level: str | None = None, province_code: str | None = None) -> list[Office]:
    """Offices by name, optionally of one level or one province."""
    stmt = select(Office).order_by(Office.name)
    if level:
        stmt = stmt.where(Office.level == level)
    if province_code:
        stmt = stmt.where(Office.province_code == province_code)
    return list(session.scalars(stmt))


def level_label(level: str, locale: str = "vi") -> str:
    """An office level (province, commune) as shown."""
    vi, en = LEVEL_LABELS.get(level, (level, level))
    return en if locale.startswith("en") else vi


def procedure_level_label(level: str, locale: str = "vi") -> str:
    """A procedure level (central … other) as shown."""
    vi, en = PROCEDURE_LEVEL_LABELS.get(level, (level, level))
    return en if locale.startswith("en") else vi


# --- validation ----------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """The digits (and a leading +) of a phone number as typed."""
    return _PHONE_NOISE.sub("", value or "")


def is_office_phone(value: str) -> bool:
    """A Vietnamese mobile, landline or short hotline number (spaces, dots, dashes allowed)."""
    digits = normalise_phone(value)
    return is_phone(digits) or bool(_LANDLINE.match(digits) or _SHORT_NUMBER.match(digits))


def check_hours(hours: Any) -> list[FieldProblem]:
    """Problems of an opening-hours dict (see catalog.models.offices)."""
    def bad(vi: str, en: str) -> list[FieldProblem]:
        return [FieldProblem("opening_hours", vi, en)]

    if not isinstance(hours, Mapping):
        return bad("Giờ làm việc không đúng dạng.", "The opening hours are not in the expected form.")
    for day, periods in hours.items():
        if day not in WEEKDAYS or not isinstance(periods, Mapping):
            return bad(f"Không có ngày «{day}».", f"There is no day «{day}».")
        vi_day, en_day = WEEKDAY_LABELS[day]
        previous_end = ""
        for period in PERIODS:
            times = periods.get(period)
            if times is None:
                continue
            if (not isinstance(times, list | tuple) or len(times) != 2
                    or not all(isinstance(t, str) and _TIME.match(t) for t in times)):
                return bad(f"{vi_day}: giờ phải theo dạng GG:PP, ví dụ 07:30.",
                           f"{en_day}: times must be HH:MM, e.g. 07:30.")
            start, end = times
            if start >= end or start < previous_end:
                return bad(f"{vi_day}: giờ bắt đầu phải trước giờ kết thúc, buổi sáng trước buổi chiều.",
                           f"{en_day}: each start must come before its end, the morning before the afternoon.")
            previous_end = end
        if set(periods) - set(PERIODS):
            return bad(f"{vi_day}: chỉ có buổi sáng và buổi chiều.", f"{en_day}: only morning and afternoon.")
    return []


def with_saturday_morning(hours: Mapping[str, Any], open_: bool) -> OpeningHours:
    """The hours with Saturday morning opened (like Monday morning, or 07:30–11:30) or closed."""
    result: OpeningHours = {day: {p: list(t) for p, t in periods.items()} for day, periods in hours.items()}
    saturday = result.get("sat", {})
    if open_:
        if not saturday.get("morning"):
            monday = result.get("mon", {}).get("morning") or ["07:30", "11:30"]
            result["sat"] = {**saturday, "morning": list(monday)}
    elif saturday:
        saturday.pop("morning", None)
        if not saturday:
            result.pop("sat")
    return {day: result[day] for day in WEEKDAYS if day in result}


def clean_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Trimmed text fields (inner spaces of names collapsed), the level lower-cased, codes
    padded ("1" → "01")."""
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key == "opening_hours":
            cleaned[key] = value
            continue
        text = "" if value is None else str(value).strip()
        if key in ("name", "parent_body", "place_name"):
            text = " ".join(text.split())
        if key == "level":
            text = text.lower()
        if key == "province_code" and text.isdigit() and len(text) < 2:
            text = text.zfill(2)
        if key == "commune_code" and text.isdigit() and len(text) < 5:
            text = text.zfill(5)
        cleaned[key] = text
    return cleaned


def check_fields(values: Mapping[str, Any], *, require_place: bool = True) -> list[FieldProblem]:
    """Problems of an office's fields (already cleaned), one per field, in form order."""
    problems: list[FieldProblem] = []

    def add(name: str, vi: str, en: str) -> None:
        if all(p.field != name for p in problems):
            problems.append(FieldProblem(name, vi, en))

    if not values.get("name"):
        add("name", "Hãy nhập tên bộ phận tiếp nhận.", "Enter the office's name.")
    for name, limit in TEXT_LIMITS.items():
        if len(values.get(name) or "") > limit:
            add(name, f"Dài quá {limit} ký tự.", f"Longer than {limit} characters.")
    level = values.get("level") or OfficeLevel.commune.value
    if level not in tuple(OfficeLevel):
        add("level", "Cấp phải là «province» (tỉnh) hoặc «commune» (xã).",
            "The level must be «province» or «commune».")
    province_code = values.get("province_code") or ""
    commune_code = values.get("commune_code") or ""
    province = geography.province(province_code) if province_code else None
    if province_code and province is None:
        add("province_code", f"Không có tỉnh, thành phố mã «{province_code}» trong danh mục 34 tỉnh, thành phố.",
            f"There is no province with code «{province_code}» among the 34.")
    elif not province_code and (require_place or commune_code):
        add("province_code", "Hãy chọn tỉnh, thành phố.", "Choose the province.")
    if commune_code:
        commune = geography.commune(commune_code)
        if commune is None:
            add("commune_code", f"Không có xã, phường, đặc khu mã «{commune_code}».",
                f"There is no commune with code «{commune_code}».")
        elif province is not None and commune.province_code != province.code:
            add("commune_code", f"{commune.name} không thuộc {province.full_name}.",
                f"{commune.name} is not in {province.full_name}.")
    elif require_place and level == OfficeLevel.commune:
        add("commune_code", "Bộ phận cấp xã cần chọn xã, phường, đặc khu.",
            "A commune office needs its commune.")
    if require_place and not values.get("parent_body"):
        add("parent_body", "Hãy nhập cơ quan chủ quản, ví dụ: UBND TỈNH QUẢNG TRỊ.",
            "Enter the parent body, e.g. UBND TỈNH QUẢNG TRỊ.")
    for name in ("phone", "hotline"):
        if values.get(name) and not is_office_phone(values[name]):
            add(name, "Số điện thoại không đúng (di động 10 số, cố định 0 + mã vùng, hoặc số tổng đài như 1022).",
                "Not a Vietnamese phone number (10-digit mobile, landline 0 + area code, or a hotline like 1022).")
    if values.get("email") and not EMAIL.match(values["email"]):
        add("email", "Địa chỉ thư điện tử không đúng.", "Not an e-mail address.")
    if "opening_hours" in values:
        problems.extend(check_hours(values["opening_hours"]))
    return problems


def default_place_name(province_code: str, commune_code: str = "") -> str:
    """The place name printed before the date: the commune's name for a commune office, else
    the province's ("Quảng Trị, ngày …")."""
    commune = geography.commune(commune_code) if commune_code else None
    if commune is not None:
        return commune.short_name
    province = geography.province(province_code) if province_code else None
    return province.short_name if province else ""


def _prepared(values: Mapping[str, Any], saturday_morning: bool | None) -> dict[str, Any]:
    prepared = clean_fields(values)
    if prepared.get("level") == "":
        prepared["level"] = OfficeLevel.commune.value
    if saturday_morning is not None:
        prepared["opening_hours"] = with_saturday_morning(prepared.get("opening_hours") or default_hours(),
                                                          saturday_morning)
    return prepared


def _duplicate(name: str) -> OfficeRefused:
    return OfficeRefused(f"Đã có bộ phận tiếp nhận «{name}».", f"The office «{name}» already exists.",
                         [FieldProblem("name", f"Đã có bộ phận tiếp nhận «{name}».",
                                       f"The office «{name}» already exists.")])


# --- creating and editing ------------------------------------------------------------------


def _build(session: Session, values: Mapping[str, Any], *, require_place: bool) -> Office:
    """A new office (added to the session, not committed) or OfficeRefused."""
    problems = check_fields(values, require_place=require_place)
    if problems:
        raise _refuse(problems)
    name = values["name"]
    if session.scalar(select(Office.id).where(Office.name == name)) is not None:
        raise _duplicate(name)
    data = {key: values[key] for key in FIELDS if key in values}
    data.setdefault("place_name", "")
    if not data["place_name"]:
        data["place_name"] = default_place_name(values.get("province_code", ""), values.get("commune_code", ""))
    data.setdefault("opening_hours", default_hours())
    office = Office(**data)
    session.add(office)
    return office


def create_office(session: Session, name: str, *, actor: str = "system", require_place: bool = True,
                  saturday_morning: bool | None = None, **values: Any) -> Office:
    """A new office; names are unique. `values` are Office fields (parent_body, level,
    province_code, commune_code, place_name, address, phone, hotline, email,
    complaints_address, opening_hours); `saturday_morning` opens or closes Saturday morning in
    its hours (default weekday hours). The place name defaults to the commune's or province's."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    prepared = _prepared({"name": name, **values}, saturday_morning)
    office = _build(session, prepared, require_place=require_place)
    try:
        session.flush()
        _audit(session, actor, "office_create", office, fields=_snapshot(office))
        session.commit()
    except IntegrityError:  # created by someone else meanwhile
        session.rollback()
        raise _duplicate(prepared["name"]) from None
    return office


def _snapshot(office: Office) -> dict[str, Any]:
    return {key: getattr(office, key) for key in FIELDS}


def update_office(session: Session, office_id: int, *, actor: str = "system",
                  saturday_morning: bool | None = None, **changes: Any) -> Office:
    """Change some fields of an office (others are kept); audited with the before/after of
    each changed field. An office with a place keeps needing one; one without (migrated) may
    stay without until a province is given."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    office = office_by_id(session, office_id)
    current = _snapshot(office)
    prepared = _prepared({**current, **changes}, saturday_morning)
    if "province_code" in changes and "commune_code" not in changes and prepared["commune_code"]:
        commune = geography.commune(prepared["commune_code"])
        if commune is not None and commune.province_code != prepared["province_code"]:
            prepared["commune_code"] = ""  # moved to another province: its old commune no longer fits
    require_place = bool(current["province_code"] or prepared.get("province_code"))
    problems = check_fields(prepared, require_place=require_place)
    if problems:
        raise _refuse(problems)
    if prepared["name"] != office.name and session.scalar(
            select(Office.id).where(Office.name == prepared["name"], Office.id != office.id)) is not None:
        raise _duplicate(prepared["name"])
    if not prepared.get("place_name"):
        prepared["place_name"] = default_place_name(prepared["province_code"], prepared["commune_code"])
    changed = {key: [current[key], prepared[key]] for key in FIELDS if prepared.get(key) != current[key]}
    if not changed:
        return office
    for key, (_, value) in changed.items():
        setattr(office, key, value)
    _audit(session, actor, "office_update", office, changes=changed)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise _duplicate(prepared["name"]) from None
    return office


# --- what an office receives ----------------------------------------------------------------


def clean_rule(rule: RuleSpec | Mapping[str, str]) -> RuleSpec:
    if isinstance(rule, Mapping):
        rule = RuleSpec(**{k: str(v or "") for k, v in rule.items() if k in ("level", "sector", "agency")})
    return RuleSpec(rule.level.strip().lower(), " ".join(rule.sector.split()), " ".join(rule.agency.split()))


def set_rules(session: Session, office_id: int, rules: Iterable[RuleSpec | Mapping[str, str]], *,
              actor: str = "system") -> list[OfficeRule]:
    """Replace the office's receiving rules. Rules with every field empty are dropped; a level
    must be one of the procedure levels (central, province, district, commune, other)."""
    office = office_by_id(session, office_id)
    cleaned = [r for r in (clean_rule(r) for r in rules) if r.level or r.sector or r.agency]
    cleaned = list(dict.fromkeys(cleaned))
    bad = [r.level for r in cleaned if r.level and r.level not in PROCEDURE_LEVELS]
    if bad:
        raise OfficeRefused(f"Không có cấp thực hiện «{bad[0]}» (các cấp: {', '.join(PROCEDURE_LEVELS)}).",
                            f"There is no level «{bad[0]}» (levels: {', '.join(PROCEDURE_LEVELS)}).")
    before = [[r.level, r.sector, r.agency] for r in office.rules]
    office.rules = [OfficeRule(level=r.level, sector=r.sector, agency=r.agency) for r in cleaned]
    after = [[r.level, r.sector, r.agency] for r in cleaned]
    if before != after:
        _audit(session, actor, "office_rules", office, before=before, after=after)
    session.commit()
    return list(office.rules)


def _rule_condition(rule: OfficeRule) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if rule.level:
        conditions.append((literal(",") + Procedure.levels + literal(",")).like(f"%,{rule.level},%"))
    if rule.sector:
        conditions.append(Procedure.sector_id.in_(select(Sector.id).where(Sector.name_folded == fold(rule.sector))))
    if rule.agency:
        conditions.append(Procedure.agency_id.in_(select(Agency.id).where(Agency.name_folded == fold(rule.agency))))
    return and_(*conditions) if conditions else false()


def received_condition(office: Office) -> ColumnElement[bool]:
    """The SQL condition on Procedure of "the office receives it" (rules, additions, removals)."""
    explicit = select(OfficeProcedure.procedure_id).where(OfficeProcedure.office_id == office.id)
    added = Procedure.id.in_(explicit.where(OfficeProcedure.included.is_(True)))
    removed = Procedure.id.in_(explicit.where(OfficeProcedure.included.is_(False)))
    return and_(or_(added, *(_rule_condition(rule) for rule in office.rules)), ~removed)


def office_procedures(session: Session, office: Office | int) -> list[Procedure]:
    """Every procedure the office receives (and must post), by code, whatever its status."""
    office = office if isinstance(office, Office) else office_by_id(session, office)
    return list(session.scalars(
        select(Procedure).where(received_condition(office))
        .options(selectinload(Procedure.published_version)).order_by(Procedure.code)))


def receives(session: Session, office: Office | int, procedure: Procedure | int) -> bool:
    """Whether the office receives this procedure."""
    office = office if isinstance(office, Office) else office_by_id(session, office)
    procedure_id = procedure.id if isinstance(procedure, Procedure) else procedure
    return session.scalar(select(Procedure.id).where(Procedure.id == procedure_id, received_condition(office))) \
        is not None


def _received_ids(session: Session, office: Office, procedure_ids: Iterable[int]) -> set[int]:
    """Which of these procedures the office receives (one query)."""
    return set(session.scalars(select(Procedure.id).where(Procedure.id.in_(list(procedure_ids)),
                                                          received_condition(office))))


_COMPOUND_LIMIT = 400  # SQLite refuses a UNION of more than 500 SELECTs


def offices_receiving(session: Session, procedure: Procedure) -> list[Office]:
    """The offices that receive this procedure, by name: the same SQL condition as `receives`,
    asked for every office in one statement (per 400 offices) instead of one query each."""
    offices = list(session.scalars(select(Office).options(selectinload(Office.rules)).order_by(Office.name)))
    found: set[int] = set()
    for start in range(0, len(offices), _COMPOUND_LIMIT):
        asks = [select(literal(office.id).label("office_id")).select_from(Procedure)
                .where(Procedure.id == procedure.id, received_condition(office))
                for office in offices[start:start + _COMPOUND_LIMIT]]
        found.update(session.scalars(union_all(*asks)) if len(asks) > 1 else session.scalars(asks[0]))
    return [office for office in offices if office.id in found]


def _procedure_ids(session: Session, codes: list[str], verb_vi: str, verb_en: str) -> dict[str, int]:
    if not codes:
        raise OfficeRefused("Hãy nhập ít nhất một mã thủ tục.", "Enter at least one procedure code.")
    found = {code: id_ for code, id_ in session.execute(
        select(Procedure.code, Procedure.id).where(Procedure.code.in_(codes)))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        listed = ", ".join(unknown)
        raise OfficeRefused(f"Không có thủ tục mã {listed}; chưa {verb_vi} thủ tục nào.",
                            f"There is no procedure with code {listed}; nothing was {verb_en}.")
    return found


def _set_explicit(session: Session, office_id: int, codes: Iterable[str], included: bool | None,
                  actor: str) -> list[str]:
    """Record explicit additions (True), removals (False) or forget them (None: back to the
    rules). Returns the codes whose receiving changed (added: now received; removed: no longer)."""
    office = office_by_id(session, office_id)
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    verb = {True: ("thêm", "added"), False: ("bỏ", "removed"), None: ("đổi", "changed")}[included]
    found = _procedure_ids(session, codes, *verb)
    for attempt in range(2):
        before = _received_ids(session, office, found.values())
        rows = {row.procedure_id: row for row in session.scalars(
            select(OfficeProcedure).where(OfficeProcedure.office_id == office.id,
                                          OfficeProcedure.procedure_id.in_(found.values())))}
        for code in codes:
            row = rows.get(found[code])
            if included is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(OfficeProcedure(office_id=office.id, procedure_id=found[code], included=included))
            else:
                row.included = included
        try:
            session.flush()
            after = _received_ids(session, office, found.values())
            changed = [code for code in codes if (found[code] in after) != (found[code] in before)]
            action = {True: "office_add_procedures", False: "office_remove_procedures",
                      None: "office_reset_procedures"}[included]
            _audit(session, actor, action, office, codes=codes, changed=changed)
            session.commit()
            return changed
        except IntegrityError:  # some added by someone else meanwhile: apply to the others
            session.rollback()
            if attempt:
                raise
    return []


def add_procedures(session: Session, office_id: int, codes: Iterable[str], *, actor: str = "system") -> list[str]:
    """Explicitly add procedures to what the office receives (over any removal); returns the
    codes it did not receive before. An unknown code refuses the whole list."""
    return _set_explicit(session, office_id, codes, True, actor)


def remove_procedures(session: Session, office_id: int, codes: Iterable[str], *, actor: str = "system") -> list[str]:
    """Explicitly remove procedures (whatever the rules say); returns the codes it received before."""
    return _set_explicit(session, office_id, codes, False, actor)


def reset_procedures(session: Session, office_id: int, codes: Iterable[str], *, actor: str = "system") -> list[str]:
    """Forget explicit additions or removals: the rules decide again."""
    return _set_explicit(session, office_id, codes, None, actor)


def explicit_procedures(session: Session, office_id: int) -> tuple[list[Procedure], list[Procedure]]:
    """(explicit additions, explicit removals) of the office, by code."""
    rows = session.execute(
        select(Procedure, OfficeProcedure.included).join(OfficeProcedure, OfficeProcedure.procedure_id == Procedure.id)
        .where(OfficeProcedure.office_id == office_id).order_by(Procedure.code)).all()
    return [p for p, inc in rows if inc], [p for p, inc in rows if not inc]


# --- days off and the calendar ----------------------------------------------------------------


def add_day_off(session: Session, office_id: int, day: date, note: str = "", *, actor: str = "system") -> OfficeDayOff:
    """A day the office is closed (e.g. moving premises); adding it again updates its note."""
    office = office_by_id(session, office_id)
    note = " ".join((note or "").split())[:255]
    row = session.scalar(select(OfficeDayOff).where(OfficeDayOff.office_id == office.id, OfficeDayOff.day == day))
    if row is None:
        row = OfficeDayOff(office_id=office.id, day=day, note=note)
        session.add(row)
    else:
        row.note = note
    _audit(session, actor, "office_day_off", office, day=day.isoformat(), note=note)
    session.commit()
    return row


def remove_day_off(session: Session, office_id: int, day: date, *, actor: str = "system") -> bool:
    """Open the office again on that day; False when it was not a day off of the office."""
    office = office_by_id(session, office_id)
    row = session.scalar(select(OfficeDayOff).where(OfficeDayOff.office_id == office.id, OfficeDayOff.day == day))
    if row is None:
        return False
    session.delete(row)
    _audit(session, actor, "office_day_open", office, day=day.isoformat())
    session.commit()
    return True


def office_calendar(session: Session, office: Office | int) -> WorkingCalendar:
    """The office's working calendar (see catalog.services.calendar_days.office_calendar)."""
    return calendar_days.office_calendar(session, office if isinstance(office, Office) else office_by_id(session, office))


# --- printing helpers --------------------------------------------------------------------------


def hours_lines(hours: Mapping[str, Any], locale: str = "vi") -> list[str]:
    """Opening hours as printed, consecutive days with the same hours grouped:
    ["Thứ Hai – Thứ Sáu: sáng 07:30–11:30, chiều 13:30–17:00", "Thứ Bảy: sáng 07:30–11:30"]."""
    english = locale.startswith("en")
    names = {"morning": "morning" if english else "sáng", "afternoon": "afternoon" if english else "chiều"}
    groups: list[tuple[list[str], str]] = []
    for day in WEEKDAYS:
        periods = hours.get(day) or {}
        text = ", ".join(f"{names[p]} {periods[p][0]}–{periods[p][1]}" for p in PERIODS if periods.get(p))
        if not text:
            continue
        if groups and groups[-1][1] == text and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(day) - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], text))
    lines = []
    for days, text in groups:
        first, last = (WEEKDAY_LABELS[d][1 if english else 0] for d in (days[0], days[-1]))
        lines.append(f"{first if len(days) == 1 else f'{first} – {last}'}: {text}")
    return lines


def place_and_date(office: Office, day: date) -> str:
    """Place and date as Nghị định 30/2020/NĐ-CP writes them, a zero before days under 10 and
    before months 1 and 2: "Quảng Trị, ngày 02 tháng 02 năm 2026", "Đông Hà, ngày 15 tháng 7 năm
    2026". An office without a place name gets a dotted place."""
    place = office.place_name or default_place_name(office.province_code, office.commune_code) or "……"
    return f"{place}, {date_words(day)}"


# --- CSV import --------------------------------------------------------------------------------

CSV_COLUMNS = ("name", "parent_body", "level", "province", "commune", "place_name", "address", "phone",
               "hotline", "email", "complaints_address", "saturday_morning", "rule_levels", "procedures")
"""Columns of an office CSV file (UTF-8, comma- or semicolon-separated, a header line, one row
per office; only `name` is required as a column, the others may be left out):

* name — the office's name; a name already in the database updates that office;
* parent_body — printed above the name, e.g. "UBND TỈNH QUẢNG TRỊ";
* level — province or commune (tỉnh / xã also read); default commune;
* province — the province's 2-digit code ("44") or name ("Quảng Trị");
* commune — the commune's 5-digit code ("19333") or name ("Phường Đông Hà", "Đông Hà");
* place_name — printed before the date ("Quảng Trị, ngày …"); default the commune's or province's name;
* address, phone, hotline, email, complaints_address — as on the office's page;
* saturday_morning — có/không (yes/no, 1/0): open on Saturday mornings;
* rule_levels — procedure levels it receives, comma-separated (e.g. "province" or "commune");
* procedures — codes it receives besides, separated by spaces, commas or semicolons.
"""
_TRUE = {"1", "co", "yes", "true", "x", "y"}
_FALSE = {"", "0", "khong", "no", "false", "n"}
_LEVEL_WORDS = {"tinh": "province", "cap tinh": "province", "xa": "commune", "cap xa": "commune"}
_CODES = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class _CsvRow:
    line: int
    cells: dict[str, str]
    too_long: bool


def _csv_rows(data: bytes | str) -> tuple[list[str], list[_CsvRow]]:
    """The header (lower-cased) and the non-empty rows, each with its line number."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], []
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append(_CsvRow(reader.line_num, dict(zip(header, cells, strict=False)),
                                len(cells) > len(header)))
    return header, rows


def _row_values(row: dict[str, str], line: int) -> tuple[dict[str, Any], list[FieldProblem], bool | None,
                                                        list[str], list[str]]:
    problems: list[FieldProblem] = []

    def bad(column: str, vi: str, en: str) -> None:
        problems.append(FieldProblem(column, vi, en, line))

    values: dict[str, Any] = {key: row.get(key, "") for key in (
        "name", "parent_body", "place_name", "address", "phone", "hotline", "email", "complaints_address")}
    level = fold(row.get("level", ""))
    values["level"] = _LEVEL_WORDS.get(level, level) or OfficeLevel.commune.value
    province_text = (row.get("province") or "").strip()
    province = geography.province(province_text) if province_text.isdigit() else geography.province_named(province_text)
    if province_text and province is None:
        bad("province", f"Không có tỉnh, thành phố «{province_text}».", f"There is no province «{province_text}».")
    values["province_code"] = province.code if province else ""
    commune_text = (row.get("commune") or "").strip()
    commune = None
    values["commune_code"] = ""
    if commune_text.isdigit():
        commune = geography.commune(commune_text)
        values["commune_code"] = commune.code if commune else commune_text
    elif commune_text:
        matches = geography.communes_named(commune_text, province.code if province else None)
        if len(matches) == 1:
            commune = matches[0]
            values["commune_code"] = commune.code
        else:
            where = f" ({province.full_name})" if province else ""
            bad("commune", f"Không tìm được đúng một xã, phường, đặc khu «{commune_text}»{where}; hãy ghi mã 5 số.",
                f"No single commune «{commune_text}»{where}; give its 5-digit code.")
    saturday_text = fold(row.get("saturday_morning", ""))
    saturday: bool | None = None
    if "saturday_morning" in row:
        if saturday_text in _TRUE:
            saturday = True
        elif saturday_text in _FALSE:
            saturday = False
        else:
            bad("saturday_morning", "Hãy ghi «có» hoặc «không».", "Write «yes» or «no».")
    rule_levels = [lv for lv in (fold(p) for p in (row.get("rule_levels") or "").split(",")) if lv]
    rule_levels = [_LEVEL_WORDS.get(lv, lv) for lv in rule_levels]
    for lv in rule_levels:
        if lv not in PROCEDURE_LEVELS:
            bad("rule_levels", f"Không có cấp thực hiện «{lv}».", f"There is no level «{lv}».")
    codes = [c for c in _CODES.split(row.get("procedures") or "") if c]
    return values, problems, saturday, rule_levels, codes


def import_offices(session: Session, data: bytes | str, *, actor: str = "system") -> ImportOutcome:
    """Create or update the offices of a CSV file (see CSV_COLUMNS). Every row is checked
    first; any problem refuses the whole file (nothing imported) with one FieldProblem per
    wrong cell, naming its line and column."""
    header, rows = _csv_rows(data)
    problems: list[FieldProblem] = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if not header or "name" not in header:
        problems.append(FieldProblem("name", "Tệp cần dòng tiêu đề có cột «name».",
                                     "The file needs a header line with a «name» column.", 1))
    for column in unknown:
        problems.append(FieldProblem(column, f"Không có cột «{column}» (các cột: {', '.join(CSV_COLUMNS)}).",
                                     f"There is no column «{column}» (columns: {', '.join(CSV_COLUMNS)}).", 1))
    if problems:
        raise _import_refused(problems)
    if not rows:
        raise OfficeRefused("Tệp không có dòng bộ phận tiếp nhận nào.", "The file has no office rows.")
    existing = {o.name: o for o in session.scalars(select(Office))}
    all_codes = {c for row in rows for c in _CODES.split(row.cells.get("procedures") or "") if c}
    known_codes = {code: id_ for code, id_ in session.execute(
        select(Procedure.code, Procedure.id).where(Procedure.code.in_(all_codes)))} if all_codes else {}
    planned: list[tuple[int, dict[str, Any], bool | None, list[str], list[str]]] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = row.line
        if row.too_long:
            problems.append(FieldProblem("", "Dòng có nhiều ô hơn dòng tiêu đề.",
                                         "The row has more cells than the header.", line))
            continue
        values, row_problems, saturday, levels, codes = _row_values(row.cells, line)
        prepared = _prepared(values, saturday)
        name = prepared["name"]
        if name in seen:
            row_problems.append(FieldProblem("name", f"Trùng tên với dòng {seen[name]}.",
                                             f"Same name as line {seen[name]}.", line))
        seen.setdefault(name, line)
        column_of = {"province_code": "province", "commune_code": "commune", "opening_hours": "saturday_morning"}
        bad_columns = {p.field for p in row_problems}
        for p in check_fields(prepared, require_place=True):
            column = column_of.get(p.field, p.field)
            if column not in bad_columns:
                row_problems.append(FieldProblem(column, p.message_vi, p.message_en, line))
        missing = [c for c in codes if c not in known_codes]
        if missing:
            row_problems.append(FieldProblem("procedures", f"Không có thủ tục mã {', '.join(missing)}.",
                                             f"There is no procedure with code {', '.join(missing)}.", line))
        problems.extend(row_problems)
        planned.append((line, prepared, saturday, levels, codes))
    if problems:
        raise _import_refused(problems)
    outcome = ImportOutcome()
    try:
        for _line, prepared, _saturday, levels, codes in planned:
            office = existing.get(prepared["name"])
            if office is None:
                office = _build(session, prepared, require_place=True)
                session.flush()
                outcome.created.append(office.name)
            else:
                for key in FIELDS:
                    if key in prepared and key != "place_name":
                        setattr(office, key, prepared[key])
                office.place_name = prepared.get("place_name") or default_place_name(
                    prepared["province_code"], prepared["commune_code"])
                outcome.updated.append(office.name)
            if levels:
                office.rules = [OfficeRule(level=lv, sector="", agency="") for lv in dict.fromkeys(levels)]
            rows_by_id = {r.procedure_id: r for r in office.procedures}
            for code in codes:
                row = rows_by_id.get(known_codes[code])
                if row is None:
                    session.add(OfficeProcedure(office_id=office.id, procedure_id=known_codes[code], included=True))
                else:
                    row.included = True
            _audit(session, actor, "office_import", office, fields=_snapshot(office), rule_levels=levels,
                   procedures=codes)
        session.commit()
    except (IntegrityError, OfficeRefused):
        session.rollback()
        raise
    return outcome


def _import_refused(problems: list[FieldProblem]) -> OfficeRefused:
    vi = "\n".join(f"Dòng {p.line}, cột «{p.field}»: {p.message_vi}" for p in problems)
    en = "\n".join(f"Line {p.line}, column «{p.field}»: {p.message_en}" for p in problems)
    return OfficeRefused(f"Chưa nhập bộ phận nào vì tệp có lỗi:\n{vi}",
                         f"No office was imported because the file has errors:\n{en}", problems)


# --- staff -----------------------------------------------------------------------------------


def staff_offices(session: Session, user_id: int) -> list[int]:
    """The ids of the offices this back-office user works at (none: the user sees no dossier)."""
    return list(session.scalars(select(OfficeStaff.office_id).where(OfficeStaff.user_id == user_id)
                                .order_by(OfficeStaff.office_id)))


def office_staff(session: Session, office_id: int) -> list[int]:
    """The ids of the users working at this office."""
    return list(session.scalars(select(OfficeStaff.user_id).where(OfficeStaff.office_id == office_id)
                                .order_by(OfficeStaff.user_id)))


def assign_staff(session: Session, office_id: int, user_id: int, *, actor: str = "system") -> bool:
    """Make the user staff of the office (False when already); audited as `office_staff_add`."""
    office = office_by_id(session, office_id)
    if user_id in office_staff(session, office_id):
        return False
    session.add(OfficeStaff(office_id=office_id, user_id=user_id))
    _audit(session, actor, "office_staff_add", office, user_id=user_id)
    session.commit()
    return True


def remove_staff(session: Session, office_id: int, user_id: int, *, actor: str = "system") -> bool:
    """The user no longer works at the office (False when did not); audited `office_staff_remove`."""
    office = office_by_id(session, office_id)
    row = session.scalar(select(OfficeStaff).where(OfficeStaff.office_id == office_id,
                                                   OfficeStaff.user_id == user_id))
    if row is None:
        return False
    session.delete(row)
    _audit(session, actor, "office_staff_remove", office, user_id=user_id)
    session.commit()
    return True
