"""Each builder action's server time on a 60-field form, as builder.js asks it (fragments).

Builds a draft of 60 fields (50 at the top, a group of 10) in a fresh SQLite file, signs in
as the procedure officer, then times (p50, p95 over `--runs` requests through Flask's test
client, same run, same process) every in-place action: add, save a field, inline label,
move up/down, drop at a position, duplicate, nest into a group, delete, undo, open a field's
panel, and the preview frame's citizen form. Actions that grow the form are paired with the
one that shrinks it back, so every request sees 60–61 fields. Baselines in the same run: a
static file of the back office and a static back-office page (the new-procedure form).
Goal (issue 15): every action under 150 ms.

Run: .venv/bin/python bench/builder.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CODE = "BENCH-001"
FORM = f"/admin/editor/{CODE}/form"
FETCH = {"X-Requested-With": "fetch", "Accept": "text/html"}


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


class Officer:
    """A signed-in client that keeps the draft's lock from each answer."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = re.search(r'name="lock" value="(\d+)"', client.get(FORM).get_data(as_text=True)).group(1)
        self.samples: dict[str, list[float]] = {}

    def post(self, name: str, action: str, data: dict[str, str]) -> None:
        start = time.perf_counter()
        response = self.client.post(f"{FORM}/{action}", data={"lock": self.lock, **data}, headers=FETCH)
        self.samples.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, (name, response.status_code, body[:400])
        self.lock = re.search(r'data-lock="(\d+)"', body).group(1)

    def get(self, name: str, url: str, headers: dict[str, str] | None = None) -> None:
        start = time.perf_counter()
        response = self.client.get(url, headers=headers or {})
        self.samples.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (name, response.status_code)


def build_form(session: Any) -> None:
    from catalog.services import import_document, save_draft
    from catalog.services.history import latest_version, procedure_by_code
    from form_schemas import builder
    from form_schemas.builder import FieldSpec

    doc = builder.new_document(CODE, "Thủ tục đo thời gian", "Hộ tịch", "Ủy ban nhân dân cấp xã")
    kinds = ["text", "date", "integer", "email", "phone", "textarea", "yes_no"]
    for number in range(50):
        doc, _ = builder.add_field(doc, FieldSpec(kinds[number % len(kinds)], f"Trường số {number}",
                                                  required=number % 2 == 0))
    doc, group = builder.add_field(doc, FieldSpec("group", "Người được ủy quyền"))
    for number in range(9):
        doc, _ = builder.add_field(doc, FieldSpec("text", f"Thông tin {number}"), group)
    import_document(session, builder.new_document(CODE, "Thủ tục đo thời gian", "Hộ tịch",
                                                  "Ủy ban nhân dân cấp xã"), author="officer")
    version = latest_version(procedure_by_code(session, CODE))
    save_draft(session, version, doc, expected_lock=version.lock_version, actor="officer")
    assert len(builder.field_tree(doc)) == 60


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="motcua-builder-"))
    os.environ.update({"DATABASE_URL": f"sqlite:///{folder / 'builder.db'}", "MOTCUA_INSTANCE_DIR": str(folder),
                       "MOTCUA_DATA_DIR": str(folder / "data"), "SECRET_KEY": "bench", "MOTCUA_SECURE_COOKIES": "0"})
    from admin.app import create_app
    from admin.roles import DEMO_USERS, PROCEDURE_OFFICER
    from admin.setup import create_user, init_database
    from catalog.db import db

    app = create_app()
    app.config.update(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False)
    with app.app_context():
        init_database()
        username, password = DEMO_USERS[PROCEDURE_OFFICER]
        create_user(username, PROCEDURE_OFFICER, password)
        build_form(db.session)
        db.session.remove()
    client = app.test_client()
    assert client.post("/login/", data={"username": username, "password": password}).status_code == 302
    officer = Officer(client)
    officer.get("warm-up", FORM)

    steps: list[tuple[str, Callable[[int], None]]] = [
        ("add a field", lambda i: officer.post("add a field", "add", {
            "add-kind": "text", "add-label": "Trường mới", "add-parent": ""})),
        ("delete a field", lambda i: officer.post("delete a field", "delete", {"path": "truong_moi"})),
        ("save a field (edit panel)", lambda i: officer.post("save a field (edit panel)", "update", {
            "path": "truong_so_0", "label": f"Trường số 0 ({i})", "kind": "text", "required": "y"})),
        ("inline label", lambda i: officer.post("inline label", "label", {
            "path": "truong_so_1", "label": f"Trường số 1 ({i})"})),
        ("move up (keyboard)", lambda i: officer.post("move up (keyboard)", "move", {
            "path": "truong_so_30", "delta": "-1"})),
        ("move down (keyboard)", lambda i: officer.post("move down (keyboard)", "move", {
            "path": "truong_so_30", "delta": "1"})),
        ("drop at a position", lambda i: officer.post("drop at a position", "move", {
            "path": "truong_so_40", "position": str(10 if i % 2 else 40)})),
        ("duplicate a field", lambda i: officer.post("duplicate a field", "duplicate", {"path": "truong_so_2"})),
        ("undo (the duplicate)", lambda i: officer.post("undo (the duplicate)", "undo", {})),
        ("nest into a group", lambda i: officer.post("nest into a group", "nest", {
            "path": "truong_so_3", "parent": "nguoi_duoc_uy_quyen"})),
        ("nest back out", lambda i: officer.post("nest back out", "nest", {
            "path": "nguoi_duoc_uy_quyen.truong_so_3", "parent": ""})),
        ("open a field's panel", lambda i: officer.get("open a field's panel", f"{FORM}?field=truong_so_4",
                                                        FETCH)),
        ("preview frame (citizen form)", lambda i: officer.get(
            "preview frame (citizen form)", f"/admin/editor/{CODE}/preview/citizen")),
        ("GET the whole builder page", lambda i: officer.get("GET the whole builder page", FORM)),
        ("baseline: GET backoffice.css", lambda i: officer.get(
            "baseline: GET backoffice.css", "/backoffice/static/backoffice.css")),
        ("baseline: GET /admin/procedures/new", lambda i: officer.get(
            "baseline: GET /admin/procedures/new", "/admin/procedures/new")),
    ]
    for i in range(runs):
        for _, step in steps:
            step(i)
    print(f"60-field form, {runs} runs each, in process (Flask test client, SQLite)")
    print(f"{'what':40} {'p50 ms':>8} {'p95 ms':>8}")
    for name, _ in steps:
        p50, p95 = summary(officer.samples[name])
        print(f"{name:40} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
