"""FAB's home page moved to /admin/ so that / is the citizen site (see FAB_INDEX_VIEW)."""

from __future__ import annotations

from flask_appbuilder import IndexView


class BackOfficeIndexView(IndexView):
    route_base = "/admin"
