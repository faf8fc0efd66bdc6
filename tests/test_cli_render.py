"""`motcua render`: what a posting officer prints from the command line."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories import document

pytestmark = pytest.mark.db


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(page.extract_text() for page in reader.pages)


def publish(db_runner, tmp_path: Path, doc: dict) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{doc['x-procedure']['code']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert db_runner("import", "--publish", str(path)).exit_code == 0


def land_procedure() -> dict:
    doc = document("1.004227", title="Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
                   description="Cấp giấy chứng nhận cho hộ gia đình, cá nhân.")
    facts = copy.deepcopy(doc["x-procedure"])
    facts.update(sector="Đất đai", levels=["district"],
                 agencies={"competent": "Ủy ban nhân dân cấp huyện"})
    doc["x-procedure"] = facts
    return doc


def test_notice_and_blank_form_of_a_published_procedure(db_runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    publish(db_runner, tmp_path, document())
    notice = tmp_path / "out" / "niem-yet.pdf"
    result = db_runner("render", "notice", "1.001193", "-o", str(notice))
    assert result.exit_code == 0, result.output
    text = pdf_text(notice)
    assert "Đăng ký khai sinh" in text and "1.001193" in text and "Trang 1/" in text
    form = tmp_path / "to-khai.pdf"
    assert db_runner("render", "form", "1.001193", "-o", str(form)).exit_code == 0
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(form)


def test_booklet_keeps_only_what_the_filters_ask_for(db_runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    publish(db_runner, tmp_path, document())
    publish(db_runner, tmp_path, land_procedure())
    whole = tmp_path / "all.pdf"
    result = db_runner("render", "booklet", "--processes", "1", "-o", str(whole))
    assert result.exit_code == 0, result.output
    assert "2 thủ tục" in result.output
    text = pdf_text(whole)
    assert "Đăng ký khai sinh" in text and "Cấp giấy chứng nhận quyền sử dụng đất" in text
    assert text.index("Đất đai") < text.index("Hộ tịch")  # grouped by sector, alphabetically

    land = tmp_path / "land.pdf"
    assert db_runner("render", "booklet", "--sector", "dat dai", "-o", str(land)).exit_code == 0
    text = pdf_text(land)
    assert "Cấp giấy chứng nhận quyền sử dụng đất" in text and "Đăng ký khai sinh" not in text
    commune = tmp_path / "commune.pdf"
    assert db_runner("render", "booklet", "--level", "commune", "-o", str(commune)).exit_code == 0
    assert "Cấp giấy chứng nhận quyền sử dụng đất" not in pdf_text(commune)


def test_nothing_to_print_is_said_plainly(db_runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = db_runner("render", "notice", "9.999999", "-o", str(tmp_path / "x.pdf"))
    assert missing.exit_code == 1
    assert "Không có thủ tục 9.999999 đang công bố" in missing.output
    empty = db_runner("render", "booklet", "--agency", "Bộ Ngoại giao", "-o", str(tmp_path / "b.pdf"))
    assert empty.exit_code == 1 and "Không có thủ tục đang công bố nào khớp" in empty.output
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "b.pdf").exists()
