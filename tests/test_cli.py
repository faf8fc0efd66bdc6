"""The motcua command line as an operator uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import document


def write(folder: Path, name: str, doc: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_init_is_idempotent(runner) -> None:  # type: ignore[no-untyped-def]
    assert runner("init").exit_code == 0
    assert runner("init").exit_code == 0


def test_validate_reports_file_pointer_and_message(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = write(tmp_path, "good.json", document())
    bad_doc = document("x")
    bad = write(tmp_path, "bad.json", bad_doc)
    ok = runner("validate", str(good))
    assert ok.exit_code == 0
    result = runner("validate", str(tmp_path))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines == [f"{bad}: /x-procedure/code: " + lines[0].split(": ", 2)[2]]
    assert "mã thủ tục 'x' không hợp lệ" in lines[0]


def test_validate_reports_broken_json(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner("validate", str(broken))
    assert result.exit_code == 1 and f"{broken}: /: JSON không hợp lệ" in result.stdout


@pytest.mark.db
def test_import_export_round_trip(db_runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = document()
    path = write(tmp_path, "p.json", doc)
    assert db_runner("import", "--publish", str(path)).exit_code == 0
    again = db_runner("import", "--publish", str(path))
    assert "không đổi" in again.stdout
    exported = db_runner("export", "1.001193")
    assert exported.exit_code == 0 and json.loads(exported.stdout) == doc


def test_import_reports_invalid_documents_and_stores_nothing(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = document()
    bad["x-procedure"]["channels"] = []
    path = write(tmp_path, "bad.json", bad)
    result = runner("import", str(path))
    assert result.exit_code == 1 and "/x-procedure/channels" in result.stdout
    assert runner("list").stdout.strip() == ""


def test_export_of_unknown_code_fails(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner("export", "9.999999")
    assert result.exit_code == 1


def test_list_searches_without_accents(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner("import", "--publish", str(write(tmp_path, "a.json", document())))
    result = runner("list", "--q", "dang ky khai sinh")
    assert result.stdout.strip() == "1.001193\tĐăng ký khai sinh\tHộ tịch\tpublished"
    assert runner("list", "--q", "ket hon").stdout.strip() == ""


def test_create_user_with_role(runner, app) -> None:  # type: ignore[no-untyped-def]
    result = runner("create-user", "lan", "--role", "approver", "--password", "mat-khau-dai")
    assert result.exit_code == 0
    user = app.appbuilder.sm.find_user(username="lan")
    assert [r.name for r in user.roles] == ["Approver"]
    assert user.password != "mat-khau-dai"  # stored hashed
    duplicate = runner("create-user", "lan", "--role", "approver", "--password", "mat-khau-dai")
    assert duplicate.exit_code == 1 and "đã tồn tại" in duplicate.output


def test_purge_uploads_reports_what_it_removed(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner("purge-uploads", "--hours", "24")
    assert result.exit_code == 0
    assert "Đã xóa 0 tệp tải lên bỏ dở (quá 24 giờ)" in result.stdout
    assert runner("purge-uploads", "--hours", "0").exit_code == 2  # at least an hour
