"""Background print jobs: one job per booklet across requests, a failure reported, not hidden."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from admin import print_jobs
from renderers.pdf import BookletEntry
from renderers.pdf.notice import NoticeInfo
from tests.factories import document


def entries() -> list[BookletEntry]:
    info = NoticeInfo(1, date(2026, 3, 1), "https://motcua.example.vn/procedures/1.001193")
    return [BookletEntry("Hộ tịch", document(), info)]


def wait(state_of: Any) -> print_jobs.JobState:
    deadline = time.monotonic() + 30
    state = state_of()
    while state.path is None and not state.failed and time.monotonic() < deadline:
        time.sleep(0.05)
        state = state_of()
    return state


def test_a_job_runs_once_and_its_pdf_is_served_afterwards(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def fake_render(target: Path, items: list[BookletEntry], **kwargs: Any) -> int:
        calls.append(target)
        time.sleep(0.3)
        kwargs["progress"](1, len(items))
        Path(target).write_bytes(b"%PDF-1.7 fake")
        return 1

    monkeypatch.setattr(print_jobs, "render_booklet_to", fake_render)
    first = print_jobs.booklet_job(entries(), title="Thay thế")
    again = print_jobs.booklet_job(entries(), title="Thay thế")  # while the first is running
    assert first.path is None and again.path is None and (again.done, again.total) == (0, 1)
    done = wait(lambda: print_jobs.booklet_job(entries(), title="Thay thế"))
    assert done.path is not None and done.path.read_bytes() == b"%PDF-1.7 fake"
    assert len(calls) == 1
    other = print_jobs.booklet_job(entries(), title="Một tiêu đề khác")  # another booklet, another job
    assert other.path is None


def test_a_failed_job_is_reported_then_tried_again(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("renderer down")

    monkeypatch.setattr(print_jobs, "render_booklet_to", broken)
    print_jobs.booklet_job(entries(), title="Thay thế")
    state = wait(lambda: print_jobs.booklet_job(entries(), title="Thay thế"))
    assert state.failed and state.path is None
    monkeypatch.setattr(print_jobs, "RETRY_AFTER", 0)
    retried = print_jobs.booklet_job(entries(), title="Thay thế")
    assert not retried.failed  # started again


def test_the_job_of_another_office_is_another_job() -> None:
    from admin.print_jobs import job_key
    from renderers.pdf import OfficeHeading

    ward = OfficeHeading(name="Trung tâm Phục vụ hành chính công phường Đông Hà")
    centre = OfficeHeading(name="Trung tâm Phục vụ hành chính công tỉnh Quảng Trị")
    keys = {job_key([], "Thông báo", None), job_key([], "Thông báo", None, ward),
            job_key([], "Thông báo", None, centre)}
    assert len(keys) == 3
