"""The desk's action forms: what each move's form sends, read into a call of the move's service
in catalog.services.dossier_status (which holds every rule: the table, required reasons, the
supplement items the procedure lists). Input the services cannot read (a number of days that is
not a number, a date that is not a date) is refused here with a Vietnamese StatusRefused, like
the services' own refusals, so the page shows both the same way next to the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from admin.backoffice.common import form_date
from catalog.models import Dossier
from catalog.services import dossier_status as ds
from catalog.services.dossier_status import Moved, Notifier, StatusRefused, SupplementItem

OTHER_ROWS = 3  # free-text supplement items the form offers


def _supplement_items(form: MultiDict[str, str]) -> list[SupplementItem]:
    items = [SupplementItem(document=value) for value in form.getlist("document") if value]
    texts, reasons = form.getlist("other_text"), form.getlist("other_reason")
    for index in range(max(len(texts), len(reasons))):
        text = texts[index] if index < len(texts) else ""
        reason = reasons[index] if index < len(reasons) else ""
        if text.strip() or reason.strip():
            items.append(SupplementItem(text=text, reason=reason))
    return items


def _days(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise StatusRefused("Số ngày gia hạn phải là một số nguyên (ngày làm việc).",
                            "The number of days must be a whole number (working days).")
    return int(text)


def _date(value: str | None):  # type: ignore[no-untyped-def]
    text = (value or "").strip()
    if not text:
        return None
    found = form_date(text)
    if found is None:
        raise StatusRefused("Ngày hẹn mới không đọc được (ngày/tháng/năm).", "The new date cannot be read (dd/mm/yyyy).")
    return found


Action = Callable[[Session, Dossier, MultiDict[str, str], dict[str, Any]], Moved]


def _receive(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.receive_dossier(s, d, **kw)


def _request_supplement(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.request_supplement(s, d, _supplement_items(f), f.get("note", ""), **kw)


def _receive_supplement(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.receive_supplement(s, d, note=f.get("note", ""), **kw)


def _refuse(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.refuse_dossier(s, d, f.get("reason", ""), **kw)


def _process(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.start_processing(s, d, **kw)


def _extend(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.extend_dossier(s, d, f.get("reason", ""), working_days=_days(f.get("days")),
                             new_date=_date(f.get("new_date")), **kw)


def _stop(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.stop_dossier(s, d, f.get("reason", ""), **kw)


def _result_ready(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    return ds.mark_result_ready(s, d, **kw)


def _return(s: Session, d: Dossier, f: MultiDict[str, str], kw: dict[str, Any]) -> Moved:
    by_post = f.get("how") == "post"
    return ds.return_result(s, d, by_post=by_post, tracking=f.get("tracking") if by_post else None, **kw)


# move (of dossier_status.MOVES) -> what its form does
ACTIONS: Mapping[str, Action] = {
    "receive": _receive,
    "request_supplement": _request_supplement,
    "receive_supplement": _receive_supplement,
    "refuse": _refuse,
    "start_processing": _process,
    "extend": _extend,
    "stop": _stop,
    "result_ready": _result_ready,
    "return_result": _return,
}
assert set(ACTIONS) == set(ds.MOVES) - ds.APPLICANT_MOVES, "every move of the desk has its form"


def act(session: Session, dossier: Dossier, move: str, form: MultiDict[str, str], *, actor: str,
        notifier: Notifier | None) -> Moved:
    """Run `move` on `dossier` with the form's input, restricted to the dossier's office;
    raises StatusRefused (the services' refusals and the form's own)."""
    if move not in ACTIONS:
        raise StatusRefused("Thao tác không có.", "No such action.")
    return ACTIONS[move](session, dossier, form, {"actor": actor, "notifier": notifier,
                                                  "office": dossier.office_id})


def procedure_documents(session: Session, dossier: Dossier) -> list[tuple[str, str]]:
    """(id, name) of the procedure's documents (x-procedure.documents) the supplement form lists:
    the same list the service checks the items against."""
    return list(ds.procedure_documents(session, dossier).items())
