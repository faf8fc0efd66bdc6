"""The satisfaction rating of one dossier (issue 16 §2): the public page the QR code on the
receipt and on the result opens (`/dossiers/<code>/rating?t=<tracking token>`), no login; one
rating per dossier, 1–5 and a comment (catalog.services.ratings).

Access is the dossier page's: the tracking token (compared in constant time, then remembered in
the session and dropped from the address), or a visitor who may see the dossier
(admin.site.access.may_see); anyone else gets the lookup form with a 403, the same for a code
that does not exist. Plain HTML form: works without JavaScript and at 360 px.
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for

from admin.site import site
from admin.site.dossiers import opened_by_link, visible_or_lookup
from admin.site.formatting import locale
from catalog.db import db
from catalog.models import Dossier
from catalog.services.figures import SCORE_LABELS, SCORES
from catalog.services.ratings import MAX_COMMENT, RatingRefused, rate_dossier, rating_of


def _choices() -> list[tuple[int, str]]:
    english = locale().startswith("en")
    return [(score, SCORE_LABELS[score][1 if english else 0]) for score in SCORES]


def _page(found: Dossier, *, errors: dict[str, str] | None = None, score: str = "", comment: str = "",
          thanks: bool = False, status: int = 200) -> tuple[str, int]:
    return render_template(
        "site/rating.html", dossier=found, procedure_name=found.procedure.name,
        rating=rating_of(db.session, found), choices=_choices(), errors=errors or {},
        score=score, comment=comment, thanks=thanks, max_comment=MAX_COMMENT,
        labels=dict(_choices())), status


@site.route("/dossiers/<code>/rating", methods=["GET", "POST"])
def dossier_rating(code: str) -> Response | tuple[str, int]:
    opened = opened_by_link("site.dossier_rating", code) if request.method == "GET" else None
    if opened is not None:
        return opened
    found = visible_or_lookup(code)
    if not isinstance(found, Dossier):
        return found
    if request.method == "GET":
        return _page(found, thanks=request.args.get("done") == "1")
    score = request.form.get("score", "")[:8]
    comment = request.form.get("comment", "")[:MAX_COMMENT * 4]
    if rating_of(db.session, found) is not None:
        return _page(found, status=409)
    try:
        rate_dossier(db.session, found, score, comment)
    except RatingRefused as exc:
        if exc.field == "score" and rating_of(db.session, found) is not None:
            return _page(found, status=409)
        return _page(found, errors={exc.field or "score": exc.message(locale())}, score=score,
                     comment=comment, status=422)
    return redirect(url_for("site.dossier_rating", code=found.code, done="1"), code=303)


