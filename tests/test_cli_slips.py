"""`motcua render slip`: the slips 01–07 of a dossier or an office written to files; a slip that
does not apply, or an unknown code, exits 1 with the reason in Vietnamese."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from catalog.attachments import AttachmentStore
from tests import test_dossier_status
from tests.conftest import Cli
from tests.test_dossier_status import do, office, set_status, submit

pytestmark = pytest.mark.db
app = test_dossier_status.app  # the fixtures: a published procedure, the attachment store
store = test_dossier_status.store


def test_the_slips_of_a_dossier_and_the_register(app: Flask, store: AttachmentStore, db_runner,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    office_id = office()
    dossier = submit(store)
    set_status(dossier, "submitted", office_id=office_id, appointment_date=date(2026, 12, 9))
    code = dossier.code
    do("receive", code)
    do("refuse", code)
    for number in ("01", "03", "06"):
        result = db_runner("render", "slip", number, code, "-o", str(tmp_path / f"{number}.pdf"))
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"{number}.pdf").read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(tmp_path / "03.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Không thuộc thẩm quyền" in text
    result = db_runner("render", "slip", "05", code, "-o", str(tmp_path / "05.pdf"))
    assert result.exit_code == 1 and "không áp dụng" in result.output and not (tmp_path / "05.pdf").exists()
    result = db_runner("render", "slip", "02", "2026-KHONG-CO", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "Không có hồ sơ mã 2026-KHONG-CO" in result.output
    result = db_runner("render", "slip", "07", "--office", str(office_id), "--from", "2026-12-01",
                       "--to", "2026-12-31", "-o", str(tmp_path / "so.csv"))
    assert result.exit_code == 0, result.output
    content = (tmp_path / "so.csv").read_bytes().decode("utf-8-sig")
    assert content.startswith("STT,Mã hồ sơ") and code in content and "01/12/2026" in content
    result = db_runner("render", "slip", "07", "--office", str(office_id), "--from", "2026-12-02",
                       "--to", "2026-12-31", "-o", str(tmp_path / "so.pdf"))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(tmp_path / "so.pdf"), "-"], capture_output=True, text=True).stdout
    assert "SỔ THEO DÕI HỒ SƠ" in text and "02/12/2026" in text and code not in text
    assert db_runner("render", "slip", "07", "-o", str(tmp_path / "y.pdf")).exit_code == 1


def test_the_result_slip_from_the_command_line(app: Flask, store: AttachmentStore, db_runner: Cli,
                                               tmp_path: Path) -> None:
    dossier = submit(store)
    set_status(dossier, "submitted", office_id=office(), appointment_date=date(2026, 12, 9))
    code = dossier.code
    do("receive", code)
    result = db_runner("render", "slip", "kq", code, "-o", str(tmp_path / "kq.pdf"))
    assert result.exit_code == 1 and "chưa có kết quả" in result.output and not (tmp_path / "kq.pdf").exists()
    do("start_processing", code)
    do("result_ready", code)
    result = db_runner("render", "slip", "KQ", code, "-o", str(tmp_path / "kq.pdf"))
    assert result.exit_code == 0, result.output
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "kq.pdf"), "-"], capture_output=True,
                                   text=True).stdout.split())
    assert "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text and code in text and "Mẫu số" not in text
    assert "Ngày hẹn trả kết quả: 09/12/2026" in text and "Thời gian trả kết quả: Chưa xác định" in text
