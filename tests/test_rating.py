"""The satisfaction rating: opened by the QR code's link, one per dossier, 1–5 and a comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from catalog.attachments import AttachmentStore
from catalog.db import db
from catalog.models import AuditEvent, DossierRating
from catalog.services import import_document
from catalog.services.ratings import RatingRefused, rate_dossier
from tests.factories import document
from tests.test_dossier_status import submit


@pytest.fixture
def store(app: Flask) -> AttachmentStore:
    import_document(db.session, document(), author="test", publish=True)
    return AttachmentStore(Path(app.config["MOTCUA_DATA_DIR"]) / "attachments")


def test_one_rating_per_dossier_from_1_to_5(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    for bad in ("0", "6", "", "năm", None):
        with pytest.raises(RatingRefused, match="từ 1 đến 5"):
            rate_dossier(db.session, dossier, bad)
    with pytest.raises(RatingRefused, match="quá 1000 ký tự"):
        rate_dossier(db.session, dossier, 4, "x" * 1001)
    rating = rate_dossier(db.session, dossier, "4", "  Cán bộ hướng dẫn tận tình ")
    assert (rating.score, rating.comment) == (4, "Cán bộ hướng dẫn tận tình")
    with pytest.raises(RatingRefused, match="đã được đánh giá"):
        rate_dossier(db.session, dossier, 1)
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == "dossier_rated"


def test_the_qr_link_opens_the_rating_page_without_login(app: Flask, store: AttachmentStore) -> None:
    dossier = submit(store)
    stranger = app.test_client()
    refused = stranger.get(f"/dossiers/{dossier.code}/rating")
    assert refused.status_code == 403 and "Nhập số điện thoại" in refused.text
    wrong = stranger.get(f"/dossiers/{dossier.code}/rating?t=not-the-secret")
    assert wrong.status_code == 403
    opened = stranger.get(f"/dossiers/{dossier.code}/rating?t={dossier.tracking_token}")
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/dossiers/{dossier.code}/rating")
    page = stranger.get(f"/dossiers/{dossier.code}/rating")
    assert page.status_code == 200 and "5 – Rất hài lòng" in page.text and "1 – Rất không hài lòng" in page.text
    missing = stranger.post(f"/dossiers/{dossier.code}/rating", data={"comment": "Nhanh"})
    assert missing.status_code == 422 and "Vui lòng chọn một mức đánh giá" in missing.text
    assert ">Nhanh</textarea>" in missing.text  # what was typed is kept
    done = stranger.post(f"/dossiers/{dossier.code}/rating", data={"score": "5", "comment": "Nhanh"})
    assert done.status_code == 200 and "Cảm ơn bạn đã đánh giá." in done.text and "5/5 – Rất hài lòng" in done.text
    again = stranger.post(f"/dossiers/{dossier.code}/rating", data={"score": "1"})
    assert "5/5" in again.text and "Gửi đánh giá" not in again.text  # the first rating stays
    assert [r.score for r in db.session.scalars(select(DossierRating))] == [5]
