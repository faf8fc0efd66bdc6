"""The public satisfaction rating (issue 16 §2): opened by the tracking token, one per dossier,
errors next to their field, counted by the figures."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from catalog.db import db
from catalog.models import AuditEvent
from catalog.services.figures import figures
from tests.backoffice_helpers import text
from tests.test_figures import TODAY, make_dossier, setup_procedures


def _dossier(app: Flask):  # type: ignore[no-untyped-def]
    first, _second, north, _south = setup_procedures(db.session)
    return make_dossier(db.session, first, north, status="returned", ready=date(2026, 12, 8),
                        returned=date(2026, 12, 9))


def test_rate_once_through_the_tracking_link(app: Flask) -> None:
    dossier = _dossier(app)
    code, token = dossier.code, dossier.tracking_token
    client = app.test_client()
    opened = client.get(f"/dossiers/{code}/rating?t={token}")
    assert opened.status_code == 303 and "t=" not in opened.headers["Location"]
    page = text(client.get(f"/dossiers/{code}/rating"))
    assert code in page and "Đăng ký khai sinh" in page
    assert page.count('type="radio"') == 5 and "1 – Rất không hài lòng" in page and "5 – Rất hài lòng" in page
    bad = client.post(f"/dossiers/{code}/rating", data={"score": "9", "comment": "x"})
    assert bad.status_code == 422 and 'id="score-error"' in text(bad)
    assert "Vui lòng chọn một mức đánh giá từ 1 đến 5." in text(bad)
    long = client.post(f"/dossiers/{code}/rating", data={"score": "4", "comment": "a" * 1001})
    assert long.status_code == 422 and 'id="comment-error"' in text(long)
    done = client.post(f"/dossiers/{code}/rating", data={"score": "4", "comment": "Cán bộ tận tình"})
    assert done.status_code == 303
    thanks = text(client.get(done.headers["Location"]))
    assert "Cảm ơn" in thanks and "4 – Hài lòng" in thanks and "Cán bộ tận tình" in thanks
    again = client.post(f"/dossiers/{code}/rating", data={"score": "1"})
    assert again.status_code == 409 and "4 – Hài lòng" in text(again) and 'type="radio"' not in text(again)
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "dossier_rated")).all()
    assert [a.detail["score"] for a in audit] == [4]
    table = figures(db.session, date(2026, 12, 1), date(2026, 12, 31), today=TODAY)
    assert (table.total.ratings, table.total.scores[4]) == (1, 1)


def test_the_service_refuses_a_second_rating(app: Flask) -> None:
    from catalog.services.ratings import RatingRefused, rate_dossier

    dossier = _dossier(app)
    rate_dossier(db.session, dossier, 5)
    try:
        rate_dossier(db.session, dossier, 3)
    except RatingRefused as exc:
        assert "đã được đánh giá" in exc.message_vi
    else:
        raise AssertionError("a second rating was taken")


def test_no_or_wrong_token_is_the_lookup_form(app: Flask) -> None:
    dossier = _dossier(app)
    client = app.test_client()
    for url in (f"/dossiers/{dossier.code}/rating", f"/dossiers/{dossier.code}/rating?t=wrong",
                "/dossiers/NO-SUCH-CODE/rating"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Nhập số điện thoại đã khai khi nộp để xem hồ sơ này." in text(response)
    refused = client.post(f"/dossiers/{dossier.code}/rating", data={"score": "5"})
    assert refused.status_code == 403
    assert figures(db.session, date(2026, 12, 1), date(2026, 12, 31), today=TODAY).total.ratings == 0


def test_rating_page_in_a_phone_browser_without_script(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    from catalog.models import Procedure
    from tests.conftest import assert_accessible

    with live_server.app.app_context():
        procedure = db.session.scalars(select(Procedure).where(Procedure.published_version_id.is_not(None))).first()
        dossier = make_dossier(db.session, procedure, None, status="returned", ready=date(2026, 12, 8))
        code, token = dossier.code, dossier.tracking_token
        db.session.remove()
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
    tab = context.new_page()
    try:  # the form: no sideways scrolling at 360 px, no serious accessibility problem
        tab.goto(f"{live_server.url}/dossiers/{code}/rating?t={token}")
        assert tab.locator('input[type="radio"]').count() == 5
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(tab)
    finally:
        context.close()
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, java_script_enabled=False)
    tab = context.new_page()
    try:  # rated without JavaScript
        tab.goto(f"{live_server.url}/dossiers/{code}/rating?t={token}")
        assert tab.locator("h1").inner_text() == "Đánh giá mức độ hài lòng"
        tab.get_by_label("5 – Rất hài lòng").check()
        tab.get_by_label("Ý kiến góp ý (không bắt buộc)").fill("Rất nhanh")
        tab.get_by_role("button", name="Gửi đánh giá").click()
        assert "Cảm ơn" in tab.content() and "5 – Rất hài lòng" in tab.locator("#rating-given").inner_text()
    finally:
        context.close()
