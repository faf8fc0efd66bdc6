"""Date bounds (`formatMinimum`/`formatMaximum`, "today" in Vietnam): a birth date in 2030 is
refused beside the field, on the site and by the dossier service; the date input carries
`min`/`max`; the procedure format accepts only sensible bounds; the samples use them."""

from __future__ import annotations

import copy
import io
import json
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.services import import_document
from catalog.services.dossiers import DossierRefused, stage_upload, submit_dossier
from form_schemas import datebounds
from form_schemas.instance import validate_instance
from form_schemas.validation import validate_procedure
from renderers.forms import compile_form
from tests.factories import document
from tests.test_attachments import PDF
from tests.test_site_apply import GOOD, TOKEN_FIELD, open_form, pdf_file

ROOT = Path(__file__).resolve().parents[1]
BIRTH = {"type": "string", "title": "Ngày sinh", "format": "date", "formatMaximum": "today"}
TOO_LATE = "Ngày sinh không được sau ngày hôm nay"


def with_birth_date(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = document()
    applicant = doc["properties"]["applicant"]
    applicant["properties"]["date_of_birth"] = schema or dict(BIRTH)
    return doc


def applicant(born: str) -> dict[str, Any]:
    return {"applicant": {"full_name": "Nguyễn Văn An", "citizen_id": "001090012345", "phone": "0912345678",
                          "date_of_birth": born},
            "attachments": {"birth_certificate": "att-1"}}


def test_a_birth_date_after_today_is_refused_with_a_vietnamese_message_beside_the_field() -> None:
    doc = with_birth_date()
    assert validate_instance(doc, applicant("2030-01-01")) == {"applicant-date_of_birth": [TOO_LATE]}
    english = validate_instance(doc, applicant("2030-01-01"), locale="en")
    assert english == {"applicant-date_of_birth": ["Ngày sinh must not be after today"]}


def test_today_and_earlier_days_are_accepted() -> None:
    doc = with_birth_date()
    today = datebounds.vn_today()
    assert validate_instance(doc, applicant(today.isoformat())) == {}
    assert validate_instance(doc, applicant("1990-05-17")) == {}
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert validate_instance(doc, applicant(tomorrow)) == {"applicant-date_of_birth": [TOO_LATE]}


def test_today_is_counted_in_vietnam_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 00:30 on 1 January in Hà Nội it is still 31 December in UTC: a child born that night
    may be registered with the new year's date."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            instant = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(datebounds, "datetime", Clock)
    assert datebounds.vn_today() == date(2026, 1, 1)
    doc = with_birth_date()
    assert validate_instance(doc, applicant("2026-01-01")) == {}
    assert validate_instance(doc, applicant("2026-01-02")) == {"applicant-date_of_birth": [TOO_LATE]}


def test_fixed_bounds_are_inclusive_and_named_as_dd_mm_yyyy() -> None:
    doc = with_birth_date({"type": "string", "title": "Ngày cấp", "format": "date",
                           "formatMinimum": "2000-01-01", "formatMaximum": "2025-12-31"})
    assert validate_instance(doc, applicant("2000-01-01")) == {}
    assert validate_instance(doc, applicant("2025-12-31")) == {}
    assert validate_instance(doc, applicant("1999-12-31")) == {
        "applicant-date_of_birth": ["Ngày cấp không được trước ngày 01/01/2000"]}
    assert validate_instance(doc, applicant("2026-01-01")) == {
        "applicant-date_of_birth": ["Ngày cấp không được sau ngày 31/12/2025"]}


def test_a_date_that_is_not_a_date_gets_the_format_message_only() -> None:
    errors = validate_instance(with_birth_date(), applicant("2030-02-30"))
    assert list(errors) == ["applicant-date_of_birth"]
    assert TOO_LATE not in errors["applicant-date_of_birth"]
    assert "dd/mm/yyyy" in errors["applicant-date_of_birth"][0]


# --- the procedure format ---------------------------------------------------------------------


def test_the_format_accepts_today_and_iso_dates_as_bounds() -> None:
    assert not validate_procedure(with_birth_date())
    fixed = with_birth_date({**BIRTH, "formatMinimum": "1900-01-01", "formatMaximum": "2025-12-31"})
    assert not validate_procedure(fixed)


@pytest.mark.parametrize("schema,words", [
    ({**BIRTH, "formatMaximum": "tomorrow"}, "formatMaximum"),
    ({**BIRTH, "formatMaximum": "31/12/2025"}, "formatMaximum"),
    ({"type": "string", "title": "Họ tên", "formatMaximum": "today"}, "format: date"),
    ({"type": "string", "title": "Lúc", "format": "date-time", "formatMaximum": "today"}, "format: date"),
    ({**BIRTH, "formatMinimum": "2026-01-01", "formatMaximum": "2025-01-01"}, "formatMinimum"),
])
def test_the_format_refuses_bounds_that_mean_nothing(schema: dict[str, Any], words: str) -> None:
    problems = list(validate_procedure(with_birth_date(schema)))
    assert problems, "refused"
    assert any("date_of_birth" in p.pointer for p in problems)
    assert any(words in p.message_vi or words in p.message_en for p in problems), problems


def test_every_birth_date_field_of_the_samples_is_bounded_by_today() -> None:
    from catalog.samples import sample_paths

    seen = 0
    for path in sample_paths():
        text = Path(path).read_text(encoding="utf-8")
        for found in re.finditer(r'"(\w*date_of_birth)": (\{[^{}]*\})', text):
            assert json.loads(found.group(2)).get("formatMaximum") == "today", (path, found.group(1))
            seen += 1
        assert not validate_procedure(json.loads(text)), path
    assert seen >= 18


# --- the form: min/max on the date input ---------------------------------------------------


def test_the_date_input_carries_max_today_and_asks_the_script_to_keep_it_current() -> None:
    html = compile_form(with_birth_date()).render()
    control = re.search(r'<input[^>]*id="applicant-date_of_birth"[^>]*>', html).group(0)
    assert 'type="date"' in control
    assert f'max="{datebounds.vn_today().isoformat()}"' in control
    assert "data-max-today" in control and "min=" not in control


def test_fixed_bounds_are_min_and_max_attributes() -> None:
    doc = with_birth_date({**BIRTH, "formatMinimum": "1900-01-01", "formatMaximum": "2025-12-31"})
    control = re.search(r'<input[^>]*id="applicant-date_of_birth"[^>]*>', compile_form(doc).render()).group(0)
    assert 'min="1900-01-01"' in control and 'max="2025-12-31"' in control
    assert "-today" not in control


def test_the_page_drawn_on_one_day_is_redated_when_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    form = compile_form(with_birth_date())
    monkeypatch.setattr(datebounds, "vn_today", lambda: date(2031, 3, 4))
    assert 'max="2031-03-04"' in form.render()


# --- the site and the dossier service --------------------------------------------------------


def test_the_site_refuses_a_birth_date_in_2030_beside_the_field_and_keeps_the_answers(app: Flask) -> None:
    import_document(db.session, with_birth_date(), author="test", publish=True)
    db.session.commit()
    client = app.test_client()
    page = client.get("/procedures/1.001193/apply")
    assert f'max="{datebounds.vn_today().isoformat()}"' in page.text and "data-max-today" in page.text
    response = client.post("/procedures/1.001193/apply", data={
        TOKEN_FIELD: open_form(client), **GOOD, "applicant-date_of_birth": "2030-01-01",
        "attachments-birth_certificate": pdf_file()}, content_type="multipart/form-data")
    assert response.status_code == 422
    field = re.search(r'id="applicant-date_of_birth--field".*?</div>', response.text, re.S).group(0)
    assert TOO_LATE in field
    assert 'value="2030-01-01"' in field
    assert "Nguyễn Văn An" in response.text


def test_the_dossier_service_refuses_a_birth_date_after_today(app: Flask, tmp_path: Path) -> None:
    import_document(db.session, with_birth_date(), author="test", publish=True)
    db.session.commit()
    store = AttachmentStore(tmp_path / "attachments")
    form_token = secrets.token_urlsafe(24)
    staged = stage_upload(db.session, store, io.BytesIO(PDF), "giay.pdf", field="attachments-birth_certificate",
                          upload_token=form_token)
    instance = applicant("2030-01-01")
    instance["attachments"]["birth_certificate"] = staged.id
    with pytest.raises(DossierRefused, match="date_of_birth"):
        submit_dossier(db.session, "1.001193", copy.deepcopy(instance), submission_token=form_token)
    instance["applicant"]["date_of_birth"] = "1990-05-17"
    outcome = submit_dossier(db.session, "1.001193", instance, submission_token=form_token)
    assert outcome.created


def test_the_builder_keeps_a_date_bound_when_the_field_is_edited() -> None:
    """The builder has no setting for it (written in the JSON tab) and keeps it on every edit."""
    from form_schemas.builder import FieldSpec, update_field

    doc, path = update_field(with_birth_date(), "applicant.date_of_birth",
                             FieldSpec(kind="date", label="Ngày, tháng, năm sinh", required=True))
    field = doc["properties"]["applicant"]["properties"]["date_of_birth"]
    assert field["formatMaximum"] == "today" and field["title"] == "Ngày, tháng, năm sinh"
    assert not validate_procedure(doc)


def test_the_builder_sets_and_clears_a_today_bound_in_words() -> None:
    from form_schemas import builder
    from form_schemas.builder import FieldSpec

    doc = builder.new_document("TEST-005", "Thử ngày", "Hộ tịch")
    doc, path = builder.add_field(doc, FieldSpec("date", "Ngày sinh", settings={"date_range": "past"}))
    assert doc["properties"][path]["formatMaximum"] == "today"
    [info] = builder.field_tree(doc)
    assert info.settings["date_range"] == "past"
    doc, path = builder.update_field(doc, path, FieldSpec("date", "Ngày hẹn", settings={"date_range": "future"}))
    assert doc["properties"][path].get("formatMinimum") == "today" and "formatMaximum" not in doc["properties"][path]
    doc["properties"][path]["formatMaximum"] = "2030-12-31"  # a fixed bound written in the JSON tab
    doc, path = builder.update_field(doc, path, FieldSpec("date", "Ngày hẹn", settings={"date_range": ""}))
    assert "formatMinimum" not in doc["properties"][path]
    assert doc["properties"][path]["formatMaximum"] == "2030-12-31"
