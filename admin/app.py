"""The application factory: Flask, Flask-AppBuilder (back office) and the citizen site."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_appbuilder import AppBuilder

from admin.config import build_config
from catalog.db import db


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; `overrides` replace settings (tests pass a database URL and folders)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(build_config(overrides))
    from admin import edge

    edge.init_app(app)  # input hygiene, security headers, error pages: before any view
    import catalog.models  # noqa: F401  (register every table before FAB looks at metadata)

    with app.app_context():
        db.init_app(app)
        appbuilder = AppBuilder(update_perms=False, base_template="backoffice/fab_base.html")
        appbuilder.init_app(app, db.session)
        from admin.views import register_views

        register_views(app, appbuilder)
    return app
