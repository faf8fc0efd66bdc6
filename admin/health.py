"""`/healthz` for load balancers, process supervisors and the bench scripts.

The rule: 200 only when every part the app needs answers — the database (a `SELECT 1`), Redis
when MOTCUA_REDIS_URL is set (a PING), the data folder (exists, and a file can be written in
it) — and 503 otherwise, with a JSON body naming each part. Errors are named by their kind
only: the endpoint is public and never shows addresses, paths or passwords.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

health = Blueprint("health", __name__)

Check = dict[str, Any]


def check_database() -> Check:
    """The database answers `SELECT 1`."""
    from catalog.db import db

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # reported, never raised: the answer is the 503
        return {"ok": False, "kind": db.engine.dialect.name, "error": type(exc).__name__}
    return {"ok": True, "kind": db.engine.dialect.name}


def check_redis() -> Check:
    """Redis answers PING (only when MOTCUA_REDIS_URL is set)."""
    url = current_app.config.get("MOTCUA_REDIS_URL") or ""
    if not url:
        return {"ok": True, "configured": False}
    from redis import Redis

    try:
        connection = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            connection.ping()
        finally:
            connection.close()
    except Exception as exc:
        return {"ok": False, "configured": True, "error": type(exc).__name__}
    return {"ok": True, "configured": True}


def check_data_dir() -> Check:
    """MOTCUA_DATA_DIR exists, is a folder, and a file can be written (and removed) in it."""
    folder = Path(current_app.config["MOTCUA_DATA_DIR"])
    if not folder.exists():
        return {"ok": False, "error": "missing"}
    if not folder.is_dir():
        return {"ok": False, "error": "not a directory"}
    try:
        fd, name = tempfile.mkstemp(prefix=".healthz-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return {"ok": False, "error": f"not writable ({type(exc).__name__})"}
    return {"ok": True}


@health.get("/healthz")
def healthz() -> ResponseReturnValue:
    checks = {"database": check_database(), "redis": check_redis(), "data_dir": check_data_dir()}
    ok = all(check["ok"] for check in checks.values())
    response = jsonify({"status": "ok" if ok else "failing", **checks})
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
