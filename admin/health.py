"""A liveness endpoint for load balancers and the bench scripts."""

from __future__ import annotations

from flask import Blueprint

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
