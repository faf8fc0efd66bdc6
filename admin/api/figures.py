"""REST API of the reports' figures for the province: GET /api/v1/figures/?office=&procedure=&from=&to=

The numbers of catalog.services.figures (the one place they are counted), as JSON: one row per
office × procedure and the total. Needs `can_read` on FiguresApi (Reception officer, Approver,
Admin) by session, JWT or API key; a user sees only the offices they work at
(admin.staff.caller_offices; Admin: all). Dates are Vietnam dates (YYYY-MM-DD), default this month.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, make_response, request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import permission_name, protect

from admin.api.errors import RESPONSES
from admin.backoffice.figures import read_period
from admin.staff import caller_offices
from catalog.db import db
from catalog.models import Procedure
from catalog.services.figures import figures, row_dict


class FiguresApi(BaseApi):
    resource_name = "figures"
    version = "v1"
    class_permission_name = "FiguresApi"
    openapi_spec_tag = "Figures"
    responses = RESPONSES
    base_permissions = ["can_read"]
    allow_browser_login = True

    @staticmethod
    def reply(status: int, body: dict[str, Any]) -> Response:
        response = make_response(jsonify(body), status)
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        return response

    def _bad(self, fields: dict[str, str]) -> Response:
        """400 with each argument's problem, as the API's ErrorSchema writes them (a list per field)."""
        return self.reply(400, {"message": "Tham số không hợp lệ.", "message_en": "Invalid query arguments.",
                                "fields": {name: [problem] for name, problem in fields.items()}})

    @expose("/", methods=["GET"])
    @protect(allow_browser_login=True)
    @safe
    @permission_name("read")
    def get_figures(self):  # type: ignore[no-untyped-def]
        """The reports' figures per office and procedure for a period
        ---
        get:
          summary: Figures (received, resolved early / on time / late, in progress, supplements, refusals, online share, postal returns, satisfaction)
          parameters:
          - {in: query, name: office, schema: {type: integer, minimum: 1}, description: "One office (yours only)"}
          - {in: query, name: procedure, schema: {type: string, maxLength: 32}, description: "A procedure code"}
          - {in: query, name: from, schema: {type: string, format: date}, description: "First day received (Vietnam date); default the first of this month"}
          - {in: query, name: to, schema: {type: string, format: date}, description: "Last day received, included; default the end of this month"}
          responses:
            200:
              description: Rows per office and procedure, and the total; shares are null when unknown
              content:
                application/json:
                  schema: {type: object}
            400:
              description: Bad query arguments
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
          security:
          - jwt: []
        """
        start, end, problems = read_period(request.args)
        allowed = caller_offices()
        offices = allowed
        raw_office = request.args.get("office", "").strip()
        if raw_office:
            if not raw_office.isdigit() or len(raw_office) > 9:
                problems["office"] = "Mã bộ phận không hợp lệ."
            elif allowed is not None and int(raw_office) not in allowed:
                return self.reply(403, {"message": "Bạn không làm việc tại bộ phận này.",
                                        "message_en": "You do not work at this office."})
            else:
                offices = [int(raw_office)]
        procedure_id = None
        code = request.args.get("procedure", "").strip()[:32]
        if code:
            procedure_id = db.session.query(Procedure.id).filter(Procedure.code == code).scalar()
            if procedure_id is None:
                problems["procedure"] = f"Không có thủ tục mã {code}."
        if problems:
            return self._bad(problems)
        table = figures(db.session, start, end, offices=offices, procedure=procedure_id)
        return self.reply(200, {"from": table.start.isoformat(), "to": table.end.isoformat(),
                                "rows": [row_dict(r) for r in table.rows], "total": row_dict(table.total)})
