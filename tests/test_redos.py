"""Hostile patterns: the server evaluates them with RE2, and browsers only get the safe ones.

Each pattern below makes a backtracking engine take exponential (or high-polynomial) time on a
41-character string. Published, its form must answer the hostile post (correctly: the value is
refused next to its field) instead of hanging; the HTML `pattern` attribute is left out.
A pattern RE2 cannot compile is refused when the document is imported, with the construct named.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask

from catalog.db import db
from catalog.services import import_document
from form_schemas.problems import InvalidProcedure
from form_schemas.regexes import browser_safe, pattern_problem, search
from tests.factories import document
from tests.test_site_apply import GOOD, TOKEN_FIELD, open_form

HOSTILE: list[tuple[str, str]] = [
    (r"^(.*a){12}$", "a" * 40 + "!"),
    (r"^\d+\d+\d+\d+\d+x$", "1" * 40 + "y"),
    (r"^(a?){25}a{25}$", "a" * 24 + "!" + "a" * 16),
    # a generated family: nested, adjacent and alternated repeats
    *[(rf"^(\w+{sep}?)*$", "a" * 40 + "!") for sep in (r"\s", "-", ",")],
    *[("^" + r"[0-9a]+" * k + "$", "1" * 40 + "!") for k in (2, 3, 6)],
    *[(rf"^((ab|a){{1,{n}}})*c$", "a" * 40 + "!") for n in (3, 9)],
    (r"^(\d|\w)+$", "1" * 40 + "!"),
    (r"^(a|aa)+$", "a" * 40 + "!"),
    (r"^([a-z]*)*$", "a" * 40 + "1"),
    (r"^(x+x+)+y$", "x" * 40 + "z"),
]
SAFE = [r"^\d{12}$", r"^[A-Z]+(-[A-Z]+)*$", r"^(0|\+84)(3|5|7|8|9)\d{8}$", r"^[0-9]{2}[A-Z]-[0-9]{4,5}$",
        r"^(\d{1,3}\.){3}\d{1,3}$"]


def with_pattern(pattern: str) -> dict[str, Any]:
    doc = document()
    doc["properties"]["applicant"]["properties"]["full_name"]["pattern"] = pattern
    doc["properties"]["applicant"]["properties"]["full_name"]["maxLength"] = 200
    return doc


def post_in_thread(client: Any, value: str) -> Any:
    """The hostile post, in a thread: a hang fails the test instead of blocking the run."""
    token = open_form(client)
    answers: list[Any] = []

    def send() -> None:
        answers.append(client.post("/procedures/1.001193/apply", data={
            "_motcua.step": "submit", TOKEN_FIELD: token, **GOOD, "applicant-full_name": value}))

    worker = threading.Thread(target=send, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "the post hangs: the pattern was run by a backtracking engine"
    return answers[0]


@pytest.mark.parametrize("pattern,value", HOSTILE)
def test_a_hostile_pattern_is_published_but_answers_and_is_not_sent_to_browsers(
    app: Flask, pattern: str, value: str
) -> None:
    assert pattern_problem(pattern) is None, "RE2 runs it: the document is accepted"
    assert not browser_safe(pattern)
    import_document(db.session, with_pattern(pattern), author="test", publish=True)
    db.session.commit()
    client = app.test_client()
    form = client.get("/procedures/1.001193/apply").text
    assert 'name="applicant-full_name"' in form
    field = form.split('name="applicant-full_name"', 1)[1].split(">", 1)[0]
    assert " pattern=" not in field
    response = post_in_thread(client, value)
    assert response.status_code == 422
    assert "không đúng định dạng" in response.text
    assert search(pattern, value) is False


@pytest.mark.parametrize("pattern", SAFE)
def test_a_safe_pattern_still_reaches_the_browser(app: Flask, pattern: str) -> None:
    assert browser_safe(pattern)
    import_document(db.session, with_pattern(pattern), author="test", publish=True)
    db.session.commit()
    form = app.test_client().get("/procedures/1.001193/apply").text
    field = form.split('name="applicant-full_name"', 1)[1].split(">", 1)[0]
    assert " pattern=" in field


@pytest.mark.parametrize("pattern,construct", [
    (r"^(a+)\1$", "backreference"),
    (r"^(?=.*\d).{8,}$", "lookahead"),
    (r"^(?<!x)y$", "lookbehind"),
    (r"^(?>a+)b$", "atomic group"),
    (r"^a++b$", "possessive quantifier"),
    (r"^a{2000}$", "repeat count above 1000"),
])
def test_a_pattern_re2_cannot_run_is_refused_with_the_construct_named(
    app: Flask, pattern: str, construct: str
) -> None:
    with pytest.raises(InvalidProcedure) as refused:
        import_document(db.session, with_pattern(pattern), author="test", publish=True)
    found = {p.pointer: p for p in refused.value.problems}
    problem = found["/properties/applicant/properties/full_name/pattern"]
    assert construct in problem.message_en
    assert "biểu thức chính quy" in problem.message_vi


def test_dollar_is_the_end_of_the_text() -> None:
    assert search(r"^\d\.\d{6}$", "1.001193")
    assert not search(r"^\d\.\d{6}$", "1.001193\n")


def test_a_matching_hostile_value_is_stored_without_hanging(app: Flask) -> None:
    """(a?){n}a{n} takes 2^n steps on a backtracking engine even when the value matches."""
    from tests.test_edge import apply

    import_document(db.session, with_pattern(r"^(a?){28}a{28}$"), author="test", publish=True)
    db.session.commit()
    answers: list[Any] = []
    worker = threading.Thread(target=lambda: answers.append(
        apply(app.test_client(), **{"applicant-full_name": "a" * 28})), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "the submission hangs in the dossier service's own validation"
    assert answers[0].status_code == 303
