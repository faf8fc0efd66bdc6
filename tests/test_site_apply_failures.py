"""The apply view does not hide bugs: only a form the engine says it cannot draw gives the
"not ready" page; any other error while compiling is a logged 500."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import renderers.forms
from form_schemas.problems import SchemaProblem
from tests.test_site_apply import publish


def test_a_form_the_engine_cannot_draw_is_the_not_ready_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish()

    def cannot_draw(*_args: Any, **_kwargs: Any) -> Any:
        raise renderers.forms.UnsupportedForm([SchemaProblem("/properties/x", "không vẽ được", "cannot draw")])

    monkeypatch.setattr(renderers.forms, "compile_form", cannot_draw)
    response = client.get("/procedures/1.001193/apply")
    assert response.status_code == 503
    assert "Biểu mẫu trực tuyến chưa sẵn sàng" in response.text


def test_a_bug_while_compiling_is_not_hidden_behind_the_not_ready_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish()

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyError("a bug in the compiler")

    monkeypatch.setattr(renderers.forms, "compile_form", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, and the log
    for response in (client.get("/procedures/1.001193/apply"),
                     client.post("/procedures/1.001193/apply", data={"_motcua.submission": "x" * 32})):
        assert response.status_code == 500
        assert "Biểu mẫu trực tuyến chưa sẵn sàng" not in response.text
