"""REST API (Flask-AppBuilder BaseApi) over the catalogue: /api/v1/procedures/…

Reads of published procedures are public. Drafts need the `can_read_drafts` permission (session,
JWT from /api/v1/security/login, or an API key `Authorization: Bearer sst_…`). Importing needs a
JWT or an API key with `can_import`; listing a procedure's dossiers needs `can_list_dossiers`.
A pending national update is read with `can_read_drafts` and merged into a draft with
`can_import` (JWT or API key).
Errors are JSON `{"message", "message_en", "errors": [{"pointer", "message", "message_en"}]}`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, make_response, request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_jwt_extended import current_user as current_user_jwt
from flask_jwt_extended import verify_jwt_in_request
from flask_login import current_user
from marshmallow import ValidationError

from admin.api.errors import RESPONSES, field_errors
from admin.api.schemas import (
    COMPONENTS,
    DossierListSchema,
    ListArgsSchema,
    MergeRequestSchema,
    NationalUpdateSchema,
    PageArgsSchema,
    ProcedureListSchema,
    VersionSummarySchema,
)
from catalog.db import db
from catalog.models import Office, Procedure, ProcedureVersion
from catalog.services import (
    import_document,
    merge_national_update,
    national_update,
    search_procedures,
)
from catalog.services.errors import ServiceError
from catalog.services.history import NotFound, procedure_by_code, version_of
from catalog.services.listing import dossier_page, procedure_list
from catalog.services.local_versions import AppliedProcedure, procedure_at, procedures_at
from catalog.services.national import InvalidChoices
from catalog.services.offices import receives
from form_schemas.problems import InvalidProcedure

PUBLIC_STATES = ("published", "superseded", "abolished")
_version_schema = VersionSummarySchema()


def _summary(procedure: Procedure, applied: AppliedProcedure | None = None) -> dict[str, Any]:
    """A list row; with `applied` (the procedure at an office) its online level is the local one."""
    level = (int(applied.document["x-procedure"]["onlineService"]["level"]) if applied is not None
             else procedure.online_level)
    return {
        "code": procedure.code, "name": procedure.name, "sector": procedure.sector.name,
        "levels": [level for level in procedure.levels.split(",") if level],
        "online_level": level, "status": procedure.status.value,
        "published_version": procedure.published_version.number if procedure.published_version else None,
        "latest_version": procedure.latest_number, "updated_at": procedure.updated_at,
    }


def _version(version: ProcedureVersion) -> dict[str, Any]:
    return _version_schema.dump({
        "number": version.number, "status": version.status.value, "author": version.author,
        "created_at": version.created_at, "updated_at": version.updated_at,
        "published_at": version.published_at, "decision_number": version.decision_number,
        "decision_date": version.decision_date, "effective_from": version.effective_from,
        "ended_at": version.ended_at, "abolished_reason": version.abolished_reason,
        "document_hash": version.document_hash,
    })


class ProcedureApi(BaseApi):
    resource_name = "procedures"
    version = "v1"
    class_permission_name = "ProcedureApi"
    openapi_spec_tag = "Procedures"
    openapi_spec_component_schemas = COMPONENTS
    responses = RESPONSES
    base_permissions = ["can_import", "can_read_drafts", "can_list_dossiers"]
    allow_browser_login = False

    # --- helpers -------------------------------------------------------------------------

    @staticmethod
    def reply(status: int, body: dict[str, Any]) -> Response:
        """A JSON response (the body may have a `code` key, which `response()` cannot take)."""
        response = make_response(jsonify(body), status)
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        return response

    def error(self, status: int, message: str, message_en: str | None = None, **extra: Any) -> Response:
        return self.reply(status, {"message": message, "message_en": message_en or message, **extra})

    def not_found(self, exc: ServiceError | None = None):  # type: ignore[no-untyped-def]
        if exc is not None:
            return self.error(404, exc.message_vi, exc.message_en)
        return self.error(404, "Không tìm thấy.", "Not found.")

    def may_read_drafts(self) -> bool | None:
        """Whether the caller may read drafts; None when the credentials sent are invalid."""
        sm = current_app.appbuilder.sm
        key = sm.extract_api_key_from_request() if current_app.config.get("FAB_API_KEY_ENABLED") else None
        if key is not None:
            if sm.validate_api_key(key) is None:
                return None
        elif not current_user.is_authenticated and request.headers.get("Authorization"):
            try:
                verify_jwt_in_request()
            except Exception:
                return None
            if current_user_jwt is None:
                return None
        return bool(sm.has_access("can_read_drafts", self.class_permission_name))

    # --- endpoints -----------------------------------------------------------------------

    @expose("/", methods=["GET"])
    @safe
    def list_procedures(self):  # type: ignore[no-untyped-def]
        """List and search procedures (published ones unless drafts are asked for and allowed)
        ---
        get:
          summary: List and search procedures
          parameters:
          - {in: query, name: q, schema: {type: string, maxLength: 200}}
          - {in: query, name: sector, schema: {type: integer, minimum: 1}}
          - {in: query, name: level, schema: {type: string, enum: [central, province, district, commune, other]}}
          - {in: query, name: online_level, schema: {type: integer, minimum: 1, maximum: 4}}
          - {in: query, name: office, schema: {type: integer, minimum: 1, maximum: 2147483647},
             description: "Only the procedures this office receives, with their online level there"}
          - {in: query, name: include_drafts, schema: {type: boolean}}
          - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200:
              description: A page of procedures
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ProcedureListSchema'}
            400:
              description: Bad query arguments
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            401:
              $ref: '#/components/responses/401'
            404:
              description: No such office
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
        """
        try:
            args = ListArgsSchema().load(request.args)
        except ValidationError as exc:
            return self.error(400, "Tham số không hợp lệ.", "Invalid query arguments.", fields=field_errors(exc.messages))
        office = db.session.get(Office, args["office"]) if args["office"] else None
        if args["office"] and office is None:
            return self.error(404, f"Không có bộ phận tiếp nhận số {args['office']}.",
                              f"There is no office number {args['office']}.")
        drafts = False
        if args["include_drafts"]:
            allowed = self.may_read_drafts()
            if allowed is None:
                return self.response_401()
            drafts = allowed
        if drafts:
            page = procedure_list(db.session, args["q"], sector_id=args["sector"], page=args["page"],
                                  per_page=args["page_size"], office=office)
        else:
            page = search_procedures(db.session, args["q"], sector_id=args["sector"], level=args["level"],
                                     online_level=args["online_level"], published_only=True,
                                     page=args["page"], per_page=args["page_size"], office=office)
        applied = procedures_at(db.session, page.items, office) if office is not None else {}
        return self.reply(200, ProcedureListSchema().dump({
            "count": page.total, "page": page.page, "page_size": page.per_page,
            "result": [_summary(p, applied.get(p.id)) for p in page.items],
        }))

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("import")
    def import_procedure(self):  # type: ignore[no-untyped-def]
        """Import a procedure document as a draft (or into the open draft)
        ---
        post:
          summary: Import a document as a draft
          requestBody:
            required: true
            content:
              application/json:
                schema: {type: object, description: A procedure document (JSON Schema 2020-12)}
          responses:
            200:
              description: The document equals the newest version; nothing changed
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ImportResultSchema'}
            201:
              description: Stored as a draft
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ImportResultSchema'}
            400:
              description: The body is not JSON
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            409:
              description: A version of this procedure is in review
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            422:
              description: The document is invalid; each error with its JSON pointer
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
          security:
          - jwt: []
        """
        document = request.get_json(silent=True)
        if document is None:
            return self.error(400, "Nội dung gửi lên phải là JSON.", "The body must be JSON.")
        user = current_app.appbuilder.sm.current_user
        try:
            outcome = import_document(db.session, document, author=user.username)
        except InvalidProcedure as exc:
            return self.error(422, "Tài liệu không hợp lệ.", "The document is invalid.",
                              errors=[problem.as_dict() for problem in exc.problems],
                              warnings=[warning.as_dict() for warning in exc.warnings])
        except ServiceError as exc:
            return self.error(409, exc.message_vi, exc.message_en)
        body = {"code": outcome.code, "number": outcome.number, "status": outcome.status.value,
                "changed": outcome.changed}
        return self.reply(201 if outcome.changed else 200, body)

    @expose("/<code>", methods=["GET"])
    @safe
    def get_procedure(self, code: str):  # type: ignore[no-untyped-def]
        """The procedure's current (published) document, as it applies at an office when asked
        ---
        get:
          summary: Current published document of a procedure (at an office with ?office=ID)
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          - in: query
            name: office
            description: An office id; the document is then the procedure as it applies there (its province's and its own local versions)
            schema: {type: integer, minimum: 1}
          responses:
            200:
              description: The published version and its document, with the announcing decision entered at approval
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DocumentSchema'}
            404:
              description: No such procedure, not published, no such office, or the office does not receive it
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
        """
        try:
            procedure = procedure_by_code(db.session, code)
        except NotFound as exc:
            return self.not_found(exc)
        office = None
        office_text = request.args.get("office", "").strip()
        if office_text:
            office = db.session.get(Office, int(office_text)) if office_text.isdigit() and \
                int(office_text) < 2**31 else None
            if office is None:
                return self.error(404, f"Không có bộ phận tiếp nhận số {office_text[:20]}.",
                                  f"There is no office number {office_text[:20]}.")
            if not receives(db.session, office, procedure):
                return self.error(404, f"{office.name} không tiếp nhận thủ tục {code}.",
                                  f"{office.name} does not receive procedure {code}.")
        applied = procedure_at(db.session, procedure, office)
        if applied is None:
            return self.error(404, f"Thủ tục {code} không có phiên bản đang công bố.",
                              f"Procedure {code} has no published version.")
        return self.reply(200, {
            "code": procedure.code, "version": _version(applied.version), "document": applied.document,
            "office": {"id": office.id, "name": office.name, "parent_body": office.parent_body,
                       "address": office.address} if office is not None else None,
            "local_facts": [{"pointer": where, "basis": source.citation()}
                            for where, source in sorted(applied.local_pointers.items())],
        })

    @expose("/<code>/versions", methods=["GET"])
    @safe
    def list_versions(self, code: str):  # type: ignore[no-untyped-def]
        """Versions of a procedure (drafts only for callers allowed to read them)
        ---
        get:
          summary: Versions of a procedure
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          responses:
            200:
              description: Versions, oldest first
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/VersionListSchema'}
            401:
              $ref: '#/components/responses/401'
            404:
              description: No such procedure
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
        """
        try:
            procedure = procedure_by_code(db.session, code)
        except NotFound as exc:
            return self.not_found(exc)
        allowed = self.may_read_drafts()
        if allowed is None:
            return self.response_401()
        versions = [v for v in procedure.versions if allowed or v.status.value in PUBLIC_STATES]
        if not versions:
            return self.not_found()
        return self.reply(200, {"code": procedure.code, "result": [_version(v) for v in versions]})

    @expose("/<code>/versions/<int:number>", methods=["GET"])
    @safe
    def get_version(self, code: str, number: int):  # type: ignore[no-untyped-def]
        """One version's document
        ---
        get:
          summary: A given version of a procedure
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          - {in: path, name: number, required: true, schema: {type: integer, minimum: 0}}
          responses:
            200:
              description: The version and its document
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DocumentSchema'}
            401:
              $ref: '#/components/responses/401'
            404:
              description: No such procedure or version (or a draft the caller may not read)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
        """
        try:
            procedure = procedure_by_code(db.session, code)
            version = version_of(procedure, number)
        except NotFound as exc:
            return self.not_found(exc)
        if version.status.value not in PUBLIC_STATES:
            allowed = self.may_read_drafts()
            if allowed is None:
                return self.response_401()
            if not allowed:
                return self.not_found()
        return self.reply(200, {"code": procedure.code, "version": _version(version),
                                "document": version.document})

    @expose("/<code>/dossiers", methods=["GET"])
    @protect(allow_browser_login=True)
    @safe
    @permission_name("list_dossiers")
    def list_dossiers(self, code: str):  # type: ignore[no-untyped-def]
        """Dossiers filed under a procedure (reception officers)
        ---
        get:
          summary: Dossiers of a procedure
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 200}}
          responses:
            200:
              description: Dossiers, newest first
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DossierListSchema'}
            400:
              description: Bad query arguments
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              description: No such procedure
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
          security:
          - jwt: []
        """
        try:
            args = PageArgsSchema().load(request.args)
        except ValidationError as exc:
            return self.error(400, "Tham số không hợp lệ.", "Invalid query arguments.", fields=field_errors(exc.messages))
        try:
            procedure = procedure_by_code(db.session, code)
        except NotFound as exc:
            return self.not_found(exc)
        total, rows = dossier_page(db.session, procedure, page=args["page"], per_page=args["page_size"])
        result = [{"code": d.code, "status": d.status, "channel": d.channel, "applicant_name": d.applicant_name,
                   "received_at": d.received_at, "appointment_date": d.appointment_date, "version": number,
                   "fee_due": d.fee_due} for d, number in rows]
        return self.reply(200, DossierListSchema().dump({
            "code": procedure.code, "count": total, "page": args["page"], "page_size": args["page_size"],
            "result": result,
        }))

    @expose("/<code>/national-update", methods=["GET"])
    @protect()
    @safe
    @permission_name("read_drafts")
    def get_national_update(self, code: str):  # type: ignore[no-untyped-def]
        """The national update waiting for a procedure edited locally: one row per changed place
        ---
        get:
          summary: Pending national update (field-level three-way diff)
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          responses:
            200:
              description: National before, national after and the local value of each changed place
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/NationalUpdateSchema'}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              description: No such procedure, or no national update waiting
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
          security:
          - jwt: []
        """
        try:
            procedure = procedure_by_code(db.session, code)
        except NotFound as exc:
            return self.not_found(exc)
        update = national_update(db.session, procedure)
        if update is None:
            return self.error(404, f"Thủ tục {code} không có bản cập nhật nào từ Cơ sở dữ liệu quốc gia.",
                              f"Procedure {code} has no update from the national database.")
        return self.reply(200, NationalUpdateSchema().dump({
            "code": update.code, "since": update.since, "record_hash": update.record_hash,
            "base_known": update.base_known, "local_version": update.local_number,
            "conflicts": len(update.conflicts), "rows": [row.as_dict() for row in update.rows],
        }))

    @expose("/<code>/national-update/merge", methods=["POST"])
    @protect()
    @safe
    @permission_name("import")
    def merge_national(self, code: str):  # type: ignore[no-untyped-def]
        """Merge the pending national update into a draft (the published version is untouched)
        ---
        post:
          summary: Merge the national update into a draft
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          requestBody:
            required: false
            content:
              application/json:
                schema: {$ref: '#/components/schemas/MergeRequestSchema'}
          responses:
            201:
              description: The draft holding the merge (review and publish follow)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MergeResultSchema'}
            400:
              description: The body is not a JSON object of choices
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              description: No such procedure
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            409:
              description: No national update waiting, or a version is in review
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            422:
              description: A choice names no conflict, or the merged document is invalid (each error with its JSON pointer); nothing stored
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
          security:
          - jwt: []
        """
        body = request.get_json(silent=True) if request.data else {}
        if not isinstance(body, dict):
            return self.error(400, "Nội dung gửi lên phải là một đối tượng JSON.", "The body must be a JSON object.")
        try:
            choices = MergeRequestSchema().load(body)["choices"]
        except ValidationError as exc:
            return self.error(400, "Lựa chọn không hợp lệ.", "Invalid choices.", fields=field_errors(exc.messages))
        try:
            procedure = procedure_by_code(db.session, code)
        except NotFound as exc:
            return self.not_found(exc)
        user = current_app.appbuilder.sm.current_user
        try:
            version = merge_national_update(db.session, procedure, choices=choices, actor=user.username)
        except InvalidProcedure as exc:
            db.session.rollback()
            return self.error(422, "Bản gộp không hợp lệ; không lưu gì.", "The merged document is invalid; nothing stored.",
                              errors=[problem.as_dict() for problem in exc.problems],
                              warnings=[warning.as_dict() for warning in exc.warnings])
        except InvalidChoices as exc:
            db.session.rollback()
            return self.error(422, exc.message_vi, exc.message_en)
        except ServiceError as exc:
            db.session.rollback()
            return self.error(409, exc.message_vi, exc.message_en)
        return self.reply(201, {"code": procedure.code, "number": version.number, "status": version.status.value})
