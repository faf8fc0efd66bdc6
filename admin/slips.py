"""Slips 02–07 and the result slip of a dossier built from its recorded events (issue 16 §2).

Rule: a slip exists only when the event it reports happened (02 per supplement request, 03 when
refused, 04 per extension, 05 when stopped, 06 always, the result slip "kq" once the dossier
has its result: status result_ready or returned); its heading, applicant, tracking and rating
links are slip 01's (admin.site.dossiers.receipt_data), so every slip says the same. Needs a
request context (the tracking links); the CLI opens one on PUBLIC_BASE_URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.site.formatting import local_time
from catalog.calendar import VN_TIME
from catalog.models import Dossier, DossierEvent
from catalog.services.dossier_status import due_date, item_text, normal_status, status_label
from catalog.services.dossiers import dossier_document
from form_schemas.wording import date_words
from renderers.pdf import ReceiptData
from renderers.pdf.formatting import format_date
from renderers.pdf.slips import RESULT_SLIP, SLIP_TITLES, RegisterRow, SlipData, SlipStep

SLIP_EVENTS: dict[str, str] = {"02": "supplement_requested", "03": "refused", "04": "extended",
                               "05": "stopped"}
"""The event each citizen's slip reports."""
SINGLE = frozenset({"03", "05"})
"""Slips printed once per dossier (the others once per event)."""
WITH_RESULT = frozenset({"result_ready", "returned"})
"""The statuses of a dossier that has its result (the result slip exists)."""


class SlipNotApplicable(Exception):
    """The slip does not apply to this dossier (or event); `message` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _events(dossier: Dossier, status: str) -> list[DossierEvent]:
    return [event for event in dossier.events if normal_status(event.status) == status]


def slips_for(dossier: Dossier) -> list[tuple[str, str, int | None]]:
    """(number, title, event id) of every slip 02–06 this dossier has, in slip order, then the
    result slip once it has its result."""
    found: list[tuple[str, str, int | None]] = []
    for number, status in SLIP_EVENTS.items():
        events = _events(dossier, status)
        if number in SINGLE:
            events = events[-1:]
        found.extend((number, SLIP_TITLES[number], event.id) for event in events)
    found.append(("06", SLIP_TITLES["06"], None))
    if normal_status(dossier.status) in WITH_RESULT:
        found.append((RESULT_SLIP, SLIP_TITLES[RESULT_SLIP], None))
    return found


def _day(value: Any) -> date | None:
    """An ISO date from an event's detail; None when absent or not a date."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def legal_basis_lines(document: Mapping[str, Any]) -> list[str]:
    """The procedure's legal basis, one printed line a document (number, title, date, issuer)."""
    lines = []
    for law in document.get("x-procedure", {}).get("legalBasis") or ():
        line = " ".join(part for part in (law.get("number") or "", law.get("title") or "") if part)
        if law.get("issuedOn"):
            line += f" ngày {format_date(law['issuedOn'])}"
        if law.get("issuer"):
            line += f" của {law['issuer']}"
        if line:
            lines.append(line)
    return lines


def _event(dossier: Dossier, number: str, event_id: int | None) -> DossierEvent | None:
    if number == "06":
        return None
    if number == RESULT_SLIP:
        if normal_status(dossier.status) not in WITH_RESULT:
            raise SlipNotApplicable(f"{SLIP_TITLES[number]} không áp dụng cho hồ sơ {dossier.code}: "
                                    f"hồ sơ chưa có kết quả.")
        returned = _events(dossier, "returned")
        return returned[-1] if returned and normal_status(dossier.status) == "returned" else None
    events = _events(dossier, SLIP_EVENTS[number])
    if event_id is not None:
        events = [event for event in events if event.id == event_id]
        if not events:
            raise SlipNotApplicable(f"Hồ sơ {dossier.code} không có sự kiện số {event_id} cho "
                                    f"mẫu số {number} ({SLIP_TITLES[number]}).")
    if not events:
        raise SlipNotApplicable(f"Mẫu số {number} ({SLIP_TITLES[number]}) không áp dụng cho hồ sơ "
                                f"{dossier.code}: hồ sơ chưa có bước này.")
    return events[-1]


def _steps(dossier: Dossier) -> list[SlipStep]:
    """Slip 06's rows: each recorded step with its date, then the result and its return when
    still to come; planned dates are the receipt's date and the due date, others unknown."""
    received = local_time(dossier.received_at).date()
    due = due_date(dossier)
    planned = {"received": received, "result_ready": due, "returned": due}
    steps = [SlipStep(status_label(event.status), event.actor, planned.get(normal_status(event.status)),
                      local_time(event.at).date(), event.note)
             for event in dossier.events]
    done = {normal_status(event.status) for event in dossier.events}
    if not done & {"refused", "stopped"}:
        steps.extend(SlipStep(status_label(key), planned=due) for key in ("result_ready", "returned")
                     if key not in done)
    return steps


def slip_data(session: Session, dossier: Dossier, number: str, event_id: int | None = None) -> SlipData:
    """Slip `number` ("02"–"06", "kq") of `dossier`, for event `event_id` (else its latest such
    event; the result slip: its return, if any).

    Raises SlipNotApplicable when the dossier has no such event (the result slip: no result)."""
    from admin.site.dossiers import receipt_data

    if number not in SLIP_TITLES or number in {"01", "07"}:
        raise SlipNotApplicable(f"Không có mẫu phiếu số {number} cho một hồ sơ (chọn 01–06, "
                                f"hoặc {RESULT_SLIP}: {SLIP_TITLES[RESULT_SLIP]}).")
    event = _event(dossier, number, event_id)
    receipt = receipt_data(dossier)
    detail: Mapping[str, Any] = (event.detail or {}) if event is not None else {}
    on = local_time(event.at).date() if event is not None else datetime.now(VN_TIME).date()
    if number == RESULT_SLIP:
        return _result_slip(dossier, receipt, event, on)
    place = receipt.place_and_date.rsplit(", ngày", 1)[0]
    items = [(item_text(item) if item.get("document") else str(item.get("text", "")),
              "" if item.get("document") else str(item.get("reason", "")))
             for item in detail.get("items") or ()]
    return SlipData(
        number=number, dossier_code=dossier.code, office_name=receipt.office_name,
        parent_body=receipt.parent_body, place_and_date=f"{place}, {date_words(on)}",
        applicant_name=receipt.applicant_name, applicant_address=receipt.applicant_address,
        applicant_phone=receipt.applicant_phone, procedure_name=receipt.procedure_name,
        tracking_url=receipt.tracking_url, qr_url=receipt.qr_url,
        received_at=receipt.received_at, appointment=due_date(dossier),
        items=items, reason=str(detail.get("reason") or ""),
        new_date=_day(detail.get("new_date")), previous_date=_day(detail.get("previous_date")),
        working_days=detail.get("working_days") if isinstance(detail.get("working_days"), int) else None,
        legal_basis=legal_basis_lines(dossier_document(session, dossier)) if number == "02" else (),
        officer_name=(event.actor or None) if event is not None else dossier.received_by,
        steps=_steps(dossier) if number == "06" else (),
    )


def _result_slip(dossier: Dossier, receipt: ReceiptData, returned: DossierEvent | None, on: date) -> SlipData:
    """The result slip: dated the day of the return (else today), its officer the one who
    returned it (else a dotted line); the return's time, way and tracking number as recorded."""
    detail: Mapping[str, Any] = (returned.detail or {}) if returned is not None else {}
    returned_at = (dossier.returned_at or (returned.at if returned is not None else None)
                   if normal_status(dossier.status) == "returned" else None)
    by_post = bool(detail.get("by_post")) if returned is not None else False
    place = receipt.place_and_date.rsplit(", ngày", 1)[0]
    return SlipData(
        number=RESULT_SLIP, dossier_code=dossier.code, office_name=receipt.office_name,
        parent_body=receipt.parent_body, place_and_date=f"{place}, {date_words(on)}",
        applicant_name=receipt.applicant_name, applicant_address=receipt.applicant_address,
        applicant_phone=receipt.applicant_phone, procedure_name=receipt.procedure_name,
        tracking_url=receipt.tracking_url, qr_url=receipt.qr_url, rating_url=receipt.rating_url,
        received_at=receipt.received_at, appointment=due_date(dossier),
        result_ready_on=_ready_day(dossier),
        returned_at=local_time(returned_at).replace(tzinfo=None) if returned_at is not None else None,
        by_post=by_post,
        postal_tracking=(dossier.postal_tracking or str(detail.get("tracking") or "")) if by_post else "",
        officer_name=(returned.actor or None) if returned is not None else None,
    )


def _ready_day(dossier: Dossier) -> date | None:
    """The day the result was first ready (the date the figures judge), Vietnam time."""
    return local_time(dossier.result_ready_at).date() if dossier.result_ready_at else None


def register_rows(session: Session, office_id: int, date_from: date, date_to: date) -> list[RegisterRow]:
    """Slip 07: the office's dossiers received from `date_from` to `date_to` (Vietnam dates,
    both included), in the order received."""
    # stored times may be naive UTC (SQLite): widen by a day in SQL, then compare local dates
    low = datetime.combine(date_from, time(), VN_TIME).astimezone(UTC).replace(tzinfo=None) - timedelta(days=1)
    high = datetime.combine(date_to, time(), VN_TIME).astimezone(UTC).replace(tzinfo=None) + timedelta(days=2)
    found: Sequence[Dossier] = session.scalars(
        select(Dossier).where(Dossier.office_id == office_id, Dossier.received_at >= low,
                              Dossier.received_at < high).order_by(Dossier.received_at, Dossier.id)).all()
    rows = []
    for dossier in found:
        received = local_time(dossier.received_at).date()
        if not date_from <= received <= date_to:
            continue
        rows.append(RegisterRow(
            code=dossier.code, procedure=dossier.procedure.name, applicant=dossier.applicant_name,
            phone=dossier.applicant_phone, received=received, appointment=due_date(dossier),
            result_ready=_ready_day(dossier),
            returned=local_time(dossier.returned_at).date() if dossier.returned_at else None,
            status=status_label(dossier.status)))
    return rows


def register_file(session: Session, office: Any, date_from: date, date_to: date, *, csv: bool = False) -> tuple[bytes, int]:
    """Slip 07 of `office` for the period as a PDF (or CSV), and how many dossiers it lists;
    the one way the CLI and the desk make it."""
    from admin.printing import office_heading
    from catalog.services.offices import place_and_date
    from renderers.pdf import register_csv, render_register

    rows = register_rows(session, office.id, date_from, date_to)
    if csv:
        return register_csv(rows), len(rows)
    heading = office_heading(office)
    assert heading is not None
    return render_register(rows, office=heading, date_from=date_from, date_to=date_to,
                           place_and_date=place_and_date(office, datetime.now(VN_TIME).date())), len(rows)
