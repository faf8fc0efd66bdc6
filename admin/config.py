"""Configuration from the environment: DATABASE_URL, MOTCUA_DATA_DIR, SECRET_KEY, MOTCUA_REDIS_URL,
MOTCUA_TRUSTED_PROXIES, MOTCUA_LOGIN_RATE_LIMIT, MOTCUA_LOOKUP_RATE_LIMIT, MOTCUA_SMTP_URL,
MOTCUA_MAIL_FROM, MOTCUA_DRAFT_DAYS."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ADMIN_DIR = Path(__file__).resolve().parent


def translation_dirs() -> list[Path]:
    """Every `translations/` folder under admin/ (one per part of the UI), merged by Babel."""
    return sorted(ADMIN_DIR.glob("**/translations"))


def instance_dir() -> Path:
    return Path(os.environ.get("MOTCUA_INSTANCE_DIR", Path.cwd() / "instance")).resolve()


def _secret_key(folder: Path) -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def build_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Settings for the Flask app; `overrides` (tests) win over the environment."""
    overrides = dict(overrides or {})
    folder = Path(overrides.pop("INSTANCE_DIR", instance_dir()))
    data_dir = Path(overrides.get("MOTCUA_DATA_DIR") or os.environ.get("MOTCUA_DATA_DIR") or folder / "data")
    url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'motcua.db'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    redis_url = overrides.get("MOTCUA_REDIS_URL", os.environ.get("MOTCUA_REDIS_URL", ""))
    config: dict[str, Any] = {
        # Redis for background jobs (admin.jobs) and shared rate-limit counts; empty: a local
        # thread pool and per-process counts (the embedded default)
        "MOTCUA_REDIS_URL": redis_url,
        "INSTANCE_DIR": str(folder),
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "MOTCUA_DATA_DIR": str(data_dir),
        "APP_NAME": "Một cửa",
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(str(p) for p in translation_dirs()),
        "LANGUAGES": {"vi": {"flag": "vn", "name": "Tiếng Việt"}, "en": {"flag": "gb", "name": "English"}},
        "FAB_UPDATE_PERMS": False,
        "FAB_CREATE_DB": False,  # Alembic owns the schema; `motcua init` creates roles
        "FAB_INDEX_VIEW": "admin.backoffice.home.BackOfficeIndexView",  # / is the citizen site
        "FAB_ADD_SECURITY_API": False,
        "FAB_API_KEY_ENABLED": True,  # "Authorization: Bearer sst_…" for API writes
        # API-key last use written at most once a minute (no write per read request)
        "FAB_API_SWAGGER_UI": True,
        "AUTH_TYPE": 1,  # database authentication
        "AUTH_ROLE_ADMIN": "Admin",
        "AUTH_ROLE_PUBLIC": "Public",
        "AUTH_USER_REGISTRATION": False,
        # Rate limits: admin.ratelimit applies one policy to every login route and the dossier
        # lookup (FAB's own login limit is off so that nothing counts twice).
        "FAB_SECURITY_MANAGER_CLASS": "admin.api.security.SecurityManager",
        "FAB_ADD_OPENAPI_VIEWS": False,  # admin.api registers its own (honest) OpenAPI view
        "FAB_ADD_MENU_API": False,  # FAB's menu API: nothing here uses it
        "AUTH_RATE_LIMITED": False,
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("MOTCUA_LOGIN_RATE_LIMIT", "10 per 5 minute"),
        "LOOKUP_RATE_LIMIT": os.environ.get("MOTCUA_LOOKUP_RATE_LIMIT", "10 per 5 minute"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",  # Redis: one count for every worker
        "RATELIMIT_KEY_PREFIX": "motcua-limits",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down: count per worker, never a 500
        "TRUSTED_PROXIES": os.environ.get("MOTCUA_TRUSTED_PROXIES", ""),  # X-Forwarded-For only from these
        "WTF_CSRF_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("MOTCUA_SECURE_COOKIES", "1") != "0",
        "REMEMBER_COOKIE_SECURE": os.environ.get("MOTCUA_SECURE_COOKIES", "1") != "0",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "PUBLIC_BASE_URL": os.environ.get("MOTCUA_PUBLIC_URL", ""),
        # mail (admin.mail): smtp://host:port; empty: messages only go to the log
        "MOTCUA_SMTP_URL": os.environ.get("MOTCUA_SMTP_URL", ""),
        "MOTCUA_MAIL_FROM": os.environ.get("MOTCUA_MAIL_FROM", "no-reply@motcua.local"),
        # days a saved draft application ("Lưu để làm tiếp") lives after its last save
        "MOTCUA_DRAFT_DAYS": int(os.environ.get("MOTCUA_DRAFT_DAYS", "30") or 30),
    }
    config.update(overrides)
    return config
