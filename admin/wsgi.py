"""WSGI entry point for gunicorn: `gunicorn admin.wsgi:app`."""

from __future__ import annotations

from admin.app import create_app

app = create_app()
