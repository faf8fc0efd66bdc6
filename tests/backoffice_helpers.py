"""Shared helpers of the back-office tests: users per role, logging in, reading pages."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from admin.roles import DEMO_USERS


def client_for(app: Flask, role: str | None = None) -> FlaskClient:
    """A fresh client, signed in as the demo user of `role` (anonymous when None)."""
    client = app.test_client()
    if role is not None:
        login_as(client, role)
    return client


def make_users(app: Flask) -> None:
    """One user per role, with the demo logins."""
    from admin.setup import create_user

    for role, (username, password) in DEMO_USERS.items():
        assert create_user(username, role, password) is None


def login_as(client: FlaskClient, role: str) -> None:
    username, password = DEMO_USERS[role]
    client.get("/logout/")
    response = client.post("/login/", data={"username": username, "password": password})
    assert response.status_code == 302, response.data[:500]


def lock_of(html: str) -> str:
    match = re.search(r'name="lock" value="(\d+)"', html)
    assert match, "the page carries the draft's lock_version"
    return match.group(1)


def text(response: Any) -> str:
    return response.get_data(as_text=True)
