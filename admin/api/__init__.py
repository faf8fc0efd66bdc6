"""The REST API (Flask-AppBuilder), documented at /api/v1/_openapi."""

from __future__ import annotations

from flask_appbuilder import AppBuilder


def register_api(appbuilder: AppBuilder) -> None:
    """Add the API views to the app."""
    from admin.api.procedures import ProcedureApi

    appbuilder.add_api(ProcedureApi)
