"""One rate-limit policy for every door that checks a secret.

The rule: from one client address, at most `LOGIN_RATE_LIMIT` attempts per window at the
password doors — the back office's `/login/` and the API's `/api/v1/security/login` share one
count, since both try the same passwords — at most `LOGIN_RATE_LIMIT` token refreshes
(`/api/v1/security/refresh`), and at most `LOOKUP_RATE_LIMIT` dossier lookups by code + phone
(`POST /dossiers/`). Every attempt counts, successful or not. The next attempt is refused with
429 and `Retry-After` (seconds): a Vietnamese page on the citizen site and in the back office,
JSON `{"message", "message_en"}` under `/api/`.

Counts live in Redis when `MOTCUA_REDIS_URL` is set (`RATELIMIT_STORAGE_URI`), so every worker
and every host share them; otherwise in the process's memory (the embedded default: each worker
counts for itself).

The client address is the TCP peer, unless the peer is one of `MOTCUA_TRUSTED_PROXIES`
(comma-separated IPs or CIDRs): then `X-Forwarded-For` is read from the right, skipping trusted
hops, and the first address not trusted is the client. A header sent by anyone else is ignored,
so a forged `X-Forwarded-For` never buys fresh attempts.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template_string, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# (endpoint, config key of the limit, scope shared by endpoints counting together)
LIMITED_ROUTES: tuple[tuple[str, str, str], ...] = (
    ("LoginView.login", "LOGIN_RATE_LIMIT", "login"),
    ("SecurityApi.login", "LOGIN_RATE_LIMIT", "login"),
    ("SecurityApi.refresh", "LOGIN_RATE_LIMIT", "refresh"),
    ("site.lookup_submit", "LOOKUP_RATE_LIMIT", "lookup"),
)

_BACKOFFICE_PAGE = """{% extends appbuilder.base_template %}
{% block content %}<div class="container"><h1>{{ title }}</h1><p>{{ message }}</p>
<p><a href="{{ url_for('LoginView.login') }}">{{ back }}</a></p></div>{% endblock %}"""


@lru_cache(maxsize=16)
def trusted_networks(spec: str) -> tuple[Network, ...]:
    """The networks of a `MOTCUA_TRUSTED_PROXIES` value ("10.0.0.1, 192.168.0.0/16");
    raises ValueError naming an entry that is not an address or network."""
    networks = []
    for entry in (part.strip() for part in spec.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"MOTCUA_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from exc
    return tuple(networks)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address() -> str:
    """The address limits are counted for (see the module docstring)."""
    peer = request.remote_addr or "unknown"
    networks = trusted_networks(current_app.config.get("TRUSTED_PROXIES", ""))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for header in request.headers.getlist("X-Forwarded-For")
            for hop in header.split(",") if hop.strip()]
    address = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a trusted proxy never writes this: count it against that proxy
        address = hop
        if not _trusted(hop, networks):
            return hop
    return address


def create_limiter(app: Flask) -> Limiter:
    """The app's one limiter (FAB's security manager calls this): storage from
    `RATELIMIT_STORAGE_URI`, clients told apart by `client_address`."""
    limiter = Limiter(key_func=client_address)
    limiter.init_app(app)
    return limiter


def _retry_after() -> int:
    limiter: Limiter = current_app.appbuilder.sm.limiter
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


def too_many(error: RateLimitExceeded) -> Response | tuple[Any, int]:
    """The 429 answer: JSON under /api/, a Vietnamese page elsewhere (the citizen site's own
    429 handler renders its page first for its routes)."""
    seconds = _retry_after()
    minutes = _minutes(seconds)
    if request.path.startswith("/api/"):
        response = jsonify({
            "message": f"Thử quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",  # API: both languages
            "message_en": f"Too many attempts. Try again in {minutes} minute(s).",
        })
        response.status_code = 429
    else:
        page = render_template_string(
            _BACKOFFICE_PAGE, appbuilder=current_app.appbuilder,
            title=_("Thử quá nhiều lần"),
            message=_("Đăng nhập sai quá nhiều lần trong thời gian ngắn. Vui lòng đợi %(minutes)d "
                      "phút rồi thử lại.", minutes=minutes),
            back=_("Về trang đăng nhập"))
        response = Response(page, status=429, mimetype="text/html")
    response.headers["Retry-After"] = str(seconds)
    return response


def _add_retry_after(response: Response) -> Response:
    """Every 429 of a limited route says when to come back (the site's page included)."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(_retry_after())
    return response


def install(app: Flask) -> None:
    """Apply the policy to every route of `LIMITED_ROUTES` (call once every view exists)."""
    trusted_networks(app.config.get("TRUSTED_PROXIES", ""))  # a bad value stops the start
    limiter: Limiter = app.appbuilder.sm.limiter
    for endpoint, key, scope in LIMITED_ROUTES:
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.shared_limit(
            _limit_of(key), scope=scope, methods=["POST"])(view)
    app.register_error_handler(RateLimitExceeded, too_many)
    app.after_request(_add_retry_after)


def _limit_of(key: str) -> Callable[[], str]:
    return lambda: current_app.config[key]
