"""The satisfaction rating of one dossier (issue 16 §2): the public page the QR code on the
receipt and on the result opens (`/dossiers/<code>/rating?t=<tracking token>`), no login; one
rating per dossier, 1–5 and a comment. (Being built: for now the page is not there.)"""

from __future__ import annotations

from flask import abort

from admin.site import site


@site.route("/dossiers/<code>/rating", methods=["GET", "POST"])
def dossier_rating(code: str) -> str:
    abort(404)
