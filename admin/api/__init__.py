"""The REST API (Flask-AppBuilder), documented at /api/v1/_openapi; every error is JSON."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder import AppBuilder


def register_api(appbuilder: AppBuilder) -> None:
    """Add the API views and the OpenAPI document to the app."""
    from admin.api import errors
    from admin.api.figures import FiguresApi
    from admin.api.procedures import ProcedureApi
    from admin.api.security import register_openapi

    appbuilder.add_api(ProcedureApi)
    appbuilder.add_api(FiguresApi)
    register_openapi(current_app)
    errors.install(current_app)
