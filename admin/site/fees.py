"""The amount due on the apply page: the fee box, and the figure fee.js asks for as the citizen types.

One meaning: the box and `GET /procedures/<code>/fee` both ask form_schemas.fees.amount_due;
the script never computes a fee itself. The endpoint reads only the quantity fields the fees
name (decoded by the form engine as a submission would be), on the procedure as it applies at
the chosen office; it writes nothing, keeps no state and answers from the cached compiled form,
so it is cheap enough to call on every (debounced) change and needs no rate limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, jsonify, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from admin.site import site
from admin.site.formatting import locale
from catalog.db import db
from catalog.models import Office
from catalog.services.local_versions import procedure_at
from catalog.services.offices import receives
from form_schemas import wording
from form_schemas.fees import WILDCARD, FeeDue, FeeLine, amount_due, quantity_inputs, steps

MODE = "online"  # the apply page is the online channel
OFFICE_FIELD = "_motcua.office"  # the apply form's office choice (admin/site/apply.py)
MAX_ROWS = 100  # rows of a repeating group read from one request


def input_pattern(pointer: str) -> str:
    """The apply form's input name for a quantity pointer, `*` for a row index:
    "/items/*/pages" → "items-*-pages" (the form engine joins names with "-")."""
    return "-".join(steps(pointer))


def live_inputs(document: Mapping[str, Any]) -> list[str]:
    """Input-name patterns whose change changes the amount due ([] when no fee follows the form)."""
    procedure = document.get("x-procedure", document)
    channel = next((c for c in procedure.get("channels") or () if c.get("mode") == MODE), None)
    return [input_pattern(p) for p in quantity_inputs((channel or {}).get("fees"))]


def fee_due_of(document: Mapping[str, Any], instance: Any = None) -> FeeDue:
    """The online amount due for `document` (None: the blank form's defaults)."""
    return amount_due(document, instance, MODE)


def quantity_text(line: FeeLine) -> str:
    """"3 bản", "11 trang": how many units the answers gave ("" when the fee names none)."""
    if line.quantity is None:
        return ""
    per = line.fee.get("per") or "dossier"
    unit = wording.label(wording.PER_UNITS, per if per in wording.PER_UNITS else "dossier", locale())
    return f"{wording.number(line.quantity, locale())} {unit}"


def page_fee_due(document: Mapping[str, Any]) -> FeeDue:
    """The box's figure on a page that passes none: the blank form's, or, on an application
    posted back with errors (drawn without JavaScript too), the quantities it carried."""
    if request.method == "POST" and request.endpoint == "site.apply_submit":
        try:
            from renderers.forms import compile_form
        except ImportError:
            return fee_due_of(document)
        posted = _quantities(document, request.form)
        return fee_due_of(document, compile_form(document).decode(posted).instance)
    return fee_due_of(document)


@site.app_context_processor
def _fee_helpers() -> dict[str, Any]:
    return {"fee_due_of": page_fee_due, "fee_live_inputs": live_inputs, "fee_quantity_text": quantity_text}


def _office(procedure: Any) -> Office | None:
    """The office the apply form names (its local fees), if it receives the procedure."""
    text = (request.args.get(OFFICE_FIELD) or request.args.get("office") or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    office = db.session.get(Office, int(text))
    return office if office is not None and receives(db.session, office, procedure) else None


def _quantities(document: Mapping[str, Any], source: Any) -> MultiDict:
    """Only the values of the inputs the fees read (a row index below MAX_ROWS)."""
    wanted = live_inputs(document)
    kept: MultiDict = MultiDict()
    for name, value in source.items(multi=True):
        parts = name.split("-")
        for pattern in wanted:
            expected = pattern.split("-")
            if len(parts) == len(expected) and all(
                want == got or (want == WILDCARD and got.isdigit() and int(got) < MAX_ROWS)
                for want, got in zip(expected, parts, strict=True)
            ):
                kept.add(name, value[:20])
                break
    return kept


@site.get("/procedures/<code>/fee")
def fee_due(code: str) -> Response:
    """JSON: the amount due for the quantities in the query, and the fee box drawn for them."""
    from admin.site.procedure import published_or_404

    procedure, version = published_or_404(code)
    applied = procedure_at(db.session, procedure, _office(procedure))
    document = applied.document if applied is not None else version.document
    try:
        from renderers.forms import compile_form
    except ImportError:  # no form engine: nothing to decode with
        abort(404)
    compiled = compile_form(version.document, key=version.document_hash)
    instance = compiled.decode(_quantities(document, request.args)).instance
    due = fee_due_of(document, instance)
    html = render_template("site/fee_due.html", fee_due=due, document=document, code=code)
    response = jsonify({
        "total": due.total,
        "known": due.known,
        "total_text": wording.money(due.total, "VND", locale()),
        "lines": [{"name": wording.fee_label(line.fee, locale()), "quantity": line.quantity,
                   "amount": line.amount} for line in due.lines],
        "html": html,
    })
    response.headers["Cache-Control"] = "no-store"
    return response
