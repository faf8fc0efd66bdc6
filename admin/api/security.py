"""The API's sign-in and its OpenAPI document, as FAB provides them but honest about errors.

`SecurityManager` (set by `FAB_SECURITY_MANAGER_CLASS`) keeps FAB's behaviour and changes three
things: the security API below replaces FAB's (same endpoints `SecurityApi.login` / `.refresh`),
every token problem (missing, malformed, expired, wrong type) answers 401 in the API's JSON error
shape instead of Flask-JWT-Extended's 422 `{"msg"}`, and the limiter is admin.ratelimit's.
It builds on admin.api_keys' manager, which writes an API key's last-use time at most once a minute.
Every response an operation can give is declared in its docstring (which is its OpenAPI entry).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi as FabOpenApi
from flask_appbuilder.security.api import SecurityApi as FabSecurityApi
from flask_appbuilder.security.schemas import login_post
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt_identity,
    jwt_required,
)
from flask_limiter import Limiter
from marshmallow import ValidationError

from admin import ratelimit
from admin.api.errors import RESPONSES, error_body, field_errors
from admin.api.schemas import ErrorSchema, ProblemSchema
from admin.api_keys import MotcuaSecurityManager
from admin.backoffice.login import LoginView, UserDBModelView


def _unauthorized(reason: str = "") -> tuple[dict[str, Any], int]:
    return error_body(401, "Thiếu hoặc sai mã xác thực (token).",
                      f"Missing or invalid token{': ' + reason if reason else ''}."), 401


def _token_refused(_header: dict[str, Any], _payload: dict[str, Any]) -> tuple[dict[str, Any], int]:
    return error_body(401, "Mã xác thực (token) đã hết hạn hoặc không còn hiệu lực.",
                      "The token has expired or is no longer valid."), 401


class SecurityApi(FabSecurityApi):
    """FAB's /api/v1/security/login and /refresh with declared errors (and the rate limit)."""

    responses = RESPONSES
    openapi_spec_component_schemas = (ProblemSchema, ErrorSchema)

    @expose("/login", methods=["POST"])
    @safe
    def login(self) -> Response:
        """Sign in with a username and password; returns a JWT (and a refresh token on request)
        ---
        post:
          summary: Sign in (JWT)
          description: >-
            At most LOGIN_RATE_LIMIT attempts per client address and window, counted together
            with the back office's /login/; then 429 with Retry-After.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [username, password]
                  properties:
                    username: {type: string, minLength: 1, example: admin}
                    password: {type: string, minLength: 1, example: complex-password}
                    provider: {type: string, enum: [db], default: db}
                    refresh: {type: boolean, description: Also return a refresh token}
          responses:
            200:
              description: Signed in
              content:
                application/json:
                  schema:
                    type: object
                    required: [access_token]
                    properties:
                      access_token: {type: string}
                      refresh_token: {type: string}
            400:
              description: The body is not JSON, or a field is missing or invalid (`fields`)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            401:
              description: Wrong username or password
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            429:
              $ref: '#/components/responses/429'
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.reply(400, error_body(400, "Nội dung gửi lên phải là một đối tượng JSON.",
                                              "The body must be a JSON object."))
        try:
            payload = login_post.load(body)
        except ValidationError as exc:
            return self.reply(400, error_body(400, "Thiếu hoặc sai thông tin đăng nhập.",
                                              "Missing or invalid sign-in fields.",
                                              fields=field_errors(exc.messages)))
        user = None
        if payload.get("provider", "db") == "db":
            user = self.appbuilder.sm.auth_user_db(payload["username"], payload["password"])
        if not user:
            return self.reply(401, error_body(401, "Sai tên đăng nhập hoặc mật khẩu.",
                                              "Wrong username or password."))
        tokens = {"access_token": create_access_token(identity=str(user.id), fresh=True)}
        if payload.get("refresh"):
            tokens["refresh_token"] = create_refresh_token(identity=str(user.id))
        return self.reply(200, tokens)

    @expose("/refresh", methods=["POST"])
    @jwt_required(refresh=True)
    @safe
    def refresh(self) -> Response:
        """Exchange a refresh token for a new access token
        ---
        post:
          summary: New access token from a refresh token
          description: >-
            At most LOGIN_RATE_LIMIT refreshes per client address and window; then 429.
          responses:
            200:
              description: A new (not fresh) access token
              content:
                application/json:
                  schema:
                    type: object
                    required: [access_token]
                    properties:
                      access_token: {type: string}
            401:
              description: No refresh token, or it is malformed, expired or an access token
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ErrorSchema'}
            429:
              $ref: '#/components/responses/429'
          security:
          - jwt_refresh: []
        """
        return self.reply(200, {"access_token": create_access_token(identity=get_jwt_identity(),
                                                                    fresh=False)})

    @staticmethod
    def reply(status: int, body: dict[str, Any]) -> Response:
        return FabSecurityApi.response(status, **body)


class OpenApi(FabOpenApi):
    """FAB's /api/<version>/_openapi, declaring the answers it gives."""

    responses = RESPONSES

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version: str) -> Response:
        """The OpenAPI document of an API version
        ---
        get:
          summary: OpenAPI document
          parameters:
          - {in: path, name: version, required: true, schema: {type: string}}
          responses:
            200:
              description: The OpenAPI document
              content:
                application/json:
                  schema: {type: object}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
        """
        api_spec = self._create_api_spec(version)
        found = False
        for base_api in current_app.appbuilder.baseviews:
            if isinstance(base_api, BaseApi) and base_api.version == version:
                base_api.add_api_spec(api_spec)
                found = True
        if not found:
            return self.response(404, **error_body(404, f"Không có API phiên bản {version[:20]}.",
                                                   f"There is no API version {version[:20]}."))
        document = api_spec.to_dict()
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    # admin/edge.py refuses control characters anywhere in a request with a 400
                    operation["responses"].setdefault("400", {"$ref": "#/components/responses/400"})
        return self.response(200, **document)


class SecurityManager(MotcuaSecurityManager):
    """FAB's SQLAlchemy security manager with the changes named in the module docstring."""

    security_api = SecurityApi
    authdbview = LoginView
    userdbmodelview = UserDBModelView

    def create_limiter(self, app: Flask) -> Limiter:
        return ratelimit.create_limiter(app)

    def create_jwt_manager(self, app: Flask) -> JWTManager:
        manager = super().create_jwt_manager(app)
        manager.unauthorized_loader(_unauthorized)
        manager.invalid_token_loader(_unauthorized)
        for loader in (manager.expired_token_loader, manager.needs_fresh_token_loader,
                       manager.revoked_token_loader, manager.user_lookup_error_loader,
                       manager.token_verification_failed_loader):
            loader(_token_refused)
        return manager


def register_openapi(app: Flask) -> None:
    """Add the OpenAPI document and FAB's Swagger UI (FAB_ADD_OPENAPI_VIEWS is off)."""
    from flask_appbuilder.api.manager import SwaggerView

    appbuilder = app.appbuilder
    appbuilder.add_api(OpenApi)
    if current_app.config.get("FAB_API_SWAGGER_UI"):
        appbuilder.add_view_no_menu(SwaggerView)
