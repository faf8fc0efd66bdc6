"""Registers back-office views and the public citizen site on the app."""

from __future__ import annotations

from flask import Flask
from flask_appbuilder import AppBuilder


def register_views(app: Flask, appbuilder: AppBuilder) -> None:
    """Every blueprint and FAB view of the application."""
    from admin.backoffice import register_backoffice
    from admin.health import health

    app.register_blueprint(health)
    from admin.site import register_site

    register_site(app)
    register_backoffice(app, appbuilder)
    from admin import ratelimit

    ratelimit.install(app)  # every login route and the dossier lookup, once they all exist
