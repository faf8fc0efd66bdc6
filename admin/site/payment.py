"""Level 4 fee step: start a payment, the sandbox provider's page, the outcome recorded.

The amount is what catalog.services.dossiers works out again from the dossier's answers
(form_schemas.fees); the sandbox page shows exactly what the session charges. A session closed
because the fee was paid in another one ("superseded") offers no button and charges nothing.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from admin.site import error_page, site
from admin.site.dossiers import visible_or_lookup
from admin.site.formatting import locale
from admin.site.language import safe_next
from catalog.db import db, utcnow
from catalog.models import Dossier, Payment
from catalog.payments import OUTCOMES, PaymentError, SandboxProvider
from catalog.services.dossiers import DossierRefused, complete_payment, start_payment

EXTENSION = "motcua_payment_provider"


def provider() -> SandboxProvider:
    """The app's payment provider (the built-in sandbox), one per app."""
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = SandboxProvider(current_app.config["SECRET_KEY"], base_url="/payments/sandbox",
                                clock=utcnow)
        current_app.extensions[EXTENSION] = found
    return found


@site.post("/dossiers/<code>/pay")
def pay(code: str) -> Response | tuple[str, int]:
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    back = url_for("site.dossier", code=found.code)
    try:
        started = start_payment(db.session, found, provider(), back)
    except DossierRefused as refused:
        flash(refused.message(locale()), "info")
        return redirect(back, code=303)
    return redirect(started.redirect_url, code=303)


@site.get("/payments/sandbox/<session_id>")
def sandbox_page(session_id: str) -> tuple[str, int]:
    try:
        session = provider().session(session_id)
    except PaymentError:
        return error_page(404, _("Không có phiên thanh toán này"),
                          _("Phiên thanh toán không hợp lệ hoặc đã hết hạn."))
    recorded = db.session.scalar(select(Payment).where(Payment.session_id == session_id))
    return render_template("site/sandbox.html", payment=session, outcomes=OUTCOMES,
                           status=recorded.status if recorded is not None else "pending"), 200


@site.post("/payments/sandbox/<session_id>")
def sandbox_complete(session_id: str) -> Response | tuple[str, int]:
    gateway = provider()
    try:
        session = gateway.session(session_id)
        payment = complete_payment(db.session, gateway, session_id, request.form.get("outcome", ""))
    except PaymentError:
        return error_page(422, _("Không ghi nhận được thanh toán"),
                          _("Phiên thanh toán không hợp lệ hoặc lựa chọn không đúng."))
    messages = {
        "paid": _("Đã nộp phí, lệ phí thành công."),
        "failed": _("Thanh toán không thành công. Bạn có thể thử lại."),
        "cancelled": _("Bạn đã hủy thanh toán. Bạn có thể nộp lại khi sẵn sàng."),
        "superseded": _("Phiên thanh toán này đã đóng: phí, lệ phí đã được nộp ở phiên khác, "
                        "không thu thêm."),
    }
    flash(messages.get(payment.status, ""),
          "success" if payment.status == "paid" else "info" if payment.status == "superseded" else "warning")
    return redirect(safe_next(session.return_url), code=303)
