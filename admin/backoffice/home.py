"""The back office's home at /admin/ (/ is the citizen site): what waits for the signed-in
officer, as counts with links, for the parts of the work their role may do."""

from __future__ import annotations

from datetime import datetime

from flask import redirect
from flask_appbuilder import IndexView, expose
from flask_login import current_user

from admin.backoffice.common import can
from admin.backoffice.desk import desk_day
from catalog.calendar import VN_TIME
from catalog.db import db
from catalog.services.worklist import worklist


class BackOfficeIndexView(IndexView):
    route_base = "/admin"
    index_template = "backoffice/home.html"

    @expose("/")
    def index(self):  # type: ignore[no-untyped-def]
        if not current_user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login)
        may = {
            "draft": can("can_draft", "Workflow"),
            "review": can("can_review", "Workflow"),
            "facts": can("can_read", "ReviewQueue"),
            "postings": can("can_read", "Postings"),
            "desk": can("can_read", "Desk"),
        }
        work = worklist(db.session, str(current_user.username), postings=may["postings"])
        desk = desk_day(datetime.now(VN_TIME).date()) if may["desk"] else None
        return self.render_template(self.index_template, appbuilder=self.appbuilder, work=work, may=may,
                                    desk=desk)
