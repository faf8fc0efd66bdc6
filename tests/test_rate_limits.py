"""One rate-limit policy: every login route and the dossier lookup refuse after the configured
number of attempts per client, `X-Forwarded-For` counts only from trusted proxies, and with
Redis every worker shares one count."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.roles import DEMO_USERS, PROCEDURE_OFFICER
from tests.backoffice_helpers import make_users
from tests.conftest import build_app, require

REDIS_URL = os.environ.get("MOTCUA_TEST_LIMITS_REDIS_URL", "redis://127.0.0.1:6379/14")  # its own db, flushed
USERNAME, PASSWORD = DEMO_USERS[PROCEDURE_OFFICER]


def limited_app(folder: Path, sqlite_template: Path, **overrides: Any) -> Flask:
    """An app with small limits: 3 attempts per 5 minutes at each door."""
    path = folder / "limits.db"
    if not path.exists():
        shutil.copy(sqlite_template, path)
    config: dict[str, Any] = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per 5 minute",
                              "LOOKUP_RATE_LIMIT": "3 per 5 minute"}
    config.update(overrides)
    app = build_app(f"sqlite:///{path}", folder, **config)
    with app.app_context():
        if app.appbuilder.sm.find_user(username=USERNAME) is None:
            make_users(app)
    return app


def web_login(client: FlaskClient, **kwargs: Any) -> Any:
    return client.post("/login/", data={"username": USERNAME, "password": "wrong-password"}, **kwargs)


def api_login(client: FlaskClient, **kwargs: Any) -> Any:
    return client.post("/api/v1/security/login", json={
        "username": USERNAME, "password": "wrong-password", "provider": "db"}, **kwargs)


def refresh(client: FlaskClient, **kwargs: Any) -> Any:
    return client.post("/api/v1/security/refresh", **kwargs)


def lookup(client: FlaskClient, **kwargs: Any) -> Any:
    return client.post("/dossiers/", data={"code": "2026-1.001193-000001", "phone": "0912345678"},
                       **kwargs)


def refresh_token(app: Flask) -> dict[str, str]:
    with app.app_context():
        from flask_jwt_extended import create_refresh_token

        user = app.appbuilder.sm.find_user(username=USERNAME)
        return {"Authorization": f"Bearer {create_refresh_token(identity=str(user.id))}"}


@pytest.mark.parametrize("attempt, answered", [
    (web_login, 302), (api_login, 401), (refresh, 200), (lookup, 422),
], ids=["web-login", "api-login", "jwt-refresh", "dossier-lookup"])
def test_each_door_refuses_after_the_configured_number(
        tmp_path: Path, sqlite_template: Path, attempt: Callable[..., Any], answered: int) -> None:
    app = limited_app(tmp_path, sqlite_template)
    client = app.test_client()
    headers = refresh_token(app) if attempt is refresh else {}
    statuses = [attempt(client, headers=headers).status_code for _ in range(3)]
    assert statuses == [answered] * 3
    refused = attempt(client, headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    if attempt in (api_login, refresh):
        assert refused.is_json and refused.json["message"].startswith("Thử quá nhiều lần")
        assert refused.json["message_en"].startswith("Too many attempts")
    else:
        assert "text/html" in refused.content_type and "Thử quá nhiều lần" in refused.text
    if attempt is web_login:
        assert "Đăng nhập sai quá nhiều lần" in refused.text and "Về trang đăng nhập" in refused.text


def test_web_and_api_logins_share_one_count_and_reading_pages_costs_nothing(
        tmp_path: Path, sqlite_template: Path) -> None:
    client = limited_app(tmp_path, sqlite_template).test_client()
    assert [web_login(client).status_code, api_login(client).status_code] == [302, 401]
    assert client.get("/login/").status_code == 200 and client.get("/dossiers/").status_code == 200
    assert web_login(client).status_code == 302
    assert api_login(client).status_code == 429  # the fourth password tried, through another door
    assert web_login(client).status_code == 429
    assert lookup(client).status_code == 422  # the lookup counts on its own


def test_the_right_password_after_the_limit_is_refused_too(tmp_path: Path, sqlite_template: Path) -> None:
    client = limited_app(tmp_path, sqlite_template).test_client()
    for _ in range(3):
        api_login(client)
    good = client.post("/api/v1/security/login", json={"username": USERNAME, "password": PASSWORD,
                                                       "provider": "db"})
    assert good.status_code == 429 and "access_token" not in good.json


def test_a_forged_forwarded_for_from_an_untrusted_client_does_not_reset_the_count(
        tmp_path: Path, sqlite_template: Path) -> None:
    client = limited_app(tmp_path, sqlite_template, TRUSTED_PROXIES="10.0.0.1").test_client()
    peer = {"REMOTE_ADDR": "198.51.100.7"}
    statuses = [api_login(client, environ_base=peer, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    other = api_login(client, environ_base={"REMOTE_ADDR": "198.51.100.8"})
    assert other.status_code == 401  # another machine still has its own tries


def test_behind_a_trusted_proxy_each_forwarded_client_counts_apart(tmp_path: Path, sqlite_template: Path) -> None:
    client = limited_app(tmp_path, sqlite_template, TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1").test_client()
    proxy = {"REMOTE_ADDR": "10.1.2.3"}

    def through_proxy(forwarded: str) -> int:
        return api_login(client, environ_base=proxy, headers={"X-Forwarded-For": forwarded}).status_code

    # The client sent its own (forged) X-Forwarded-For; the proxy appended the address it saw.
    assert [through_proxy(f"1.1.1.{n}, 203.0.113.5") for n in range(4)] == [401, 401, 401, 429]
    assert through_proxy("203.0.113.6") == 401  # another citizen behind the same proxy
    assert through_proxy("203.0.113.6, 10.9.9.9") == 401  # two trusted hops skipped: still .6
    assert through_proxy("203.0.113.6, 127.0.0.1") == 401
    assert through_proxy("203.0.113.6") == 429


def test_a_bad_trusted_proxies_value_stops_the_start(tmp_path: Path, sqlite_template: Path) -> None:
    with pytest.raises(ValueError, match="MOTCUA_TRUSTED_PROXIES: 'proxy.local'"):
        limited_app(tmp_path, sqlite_template, TRUSTED_PROXIES="10.0.0.1, proxy.local")


def test_counts_are_in_memory_by_default_and_in_redis_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from admin.config import build_config

    monkeypatch.delenv("MOTCUA_REDIS_URL", raising=False)
    assert build_config({"SECRET_KEY": "x"})["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("MOTCUA_REDIS_URL", REDIS_URL)
    assert build_config({"SECRET_KEY": "x"})["RATELIMIT_STORAGE_URI"] == REDIS_URL


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def test_two_workers_on_redis_share_one_count(tmp_path: Path, sqlite_template: Path) -> None:
    require(_redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        # Two app instances on one database and one Redis: two gunicorn workers.
        first = limited_app(tmp_path, sqlite_template, MOTCUA_REDIS_URL=REDIS_URL).test_client()
        second = limited_app(tmp_path, sqlite_template, MOTCUA_REDIS_URL=REDIS_URL).test_client()
        assert [api_login(first).status_code, web_login(second).status_code,
                api_login(first).status_code] == [401, 302, 401]
        assert api_login(second).status_code == 429
        assert web_login(first).status_code == 429
        assert [lookup(first).status_code, lookup(second).status_code, lookup(first).status_code,
                lookup(second).status_code] == [422, 422, 422, 429]
        assert redis.Redis.from_url(REDIS_URL).keys("*motcua-limits*"), redis.Redis.from_url(REDIS_URL).keys()
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()


def test_with_redis_down_logins_still_answer_and_are_still_limited(tmp_path: Path, sqlite_template: Path) -> None:
    client = limited_app(tmp_path, sqlite_template, MOTCUA_REDIS_URL="redis://127.0.0.1:1/0").test_client()
    assert [api_login(client).status_code for _ in range(4)] == [401, 401, 401, 429]  # counted per worker
