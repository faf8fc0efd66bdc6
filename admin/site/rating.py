"""The satisfaction rating of one dossier (issue 16 §2): the public page the QR code on the
receipt and on the result opens, `/dossiers/<code>/rating?t=<tracking token>`, no login.

The token opens it as it opens the dossier (admin/site/dossiers.py: compared in constant time,
then remembered in the browser session); an applicant who may already see the dossier needs no
token. Anyone else gets the lookup form, whatever the code, so the page says nothing about
which codes exist. One rating per dossier (catalog.services.ratings); a second visit shows the
rating given.
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for

from admin.site import site
from admin.site.dossiers import _opened_by_link, visible_or_lookup
from admin.site.formatting import locale
from catalog.db import DatabaseBusy, db
from catalog.models import Dossier
from catalog.services.ratings import COMMENT_LIMIT, SCORES, RatingRefused, rate_dossier, rating_of


def _page(found: Dossier, *, problem: str | None = None, score: str = "", comment: str = "",
          thanked: bool = False, status: int = 200) -> tuple[str, int]:
    current = "en" if locale().startswith("en") else "vi"
    return render_template(
        "site/rating.html", dossier=found, rating=rating_of(db.session, found), problem=problem,
        score=score, comment=comment, thanked=thanked, limit=COMMENT_LIMIT,
        scores=[(value, words[1] if current == "en" else words[0]) for value, words in SCORES.items()],
    ), status


@site.route("/dossiers/<code>/rating", methods=["GET", "POST"])
def dossier_rating(code: str) -> Response | tuple[str, int]:
    secret = request.args.get("t", "")
    if secret and _opened_by_link(code, secret):  # as the dossier page: the secret leaves the address bar
        response = redirect(url_for("site.dossier_rating", code=code), code=303)
        response.headers["Cache-Control"] = "no-store"
        return response
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    if request.method == "GET":
        return _page(found)
    score, comment = request.form.get("score", ""), request.form.get("comment", "")[:COMMENT_LIMIT * 2]
    try:
        rate_dossier(db.session, found, score, comment)
    except RatingRefused as refused:
        return _page(found, problem=refused.message(locale()), score=score, comment=comment, status=422)
    except DatabaseBusy:
        return _page(found, problem=DatabaseBusy().message(locale()), score=score, comment=comment, status=503)
    return _page(found, thanked=True)



