"""A citizen reads imported national procedures in Chromium: unknown stays unknown.

Two real records of the national file (shared/data, or the copy shipped in the package):
- 1.001266 Chấm dứt hoạt động hộ kinh doanh: every channel says "Miễn phí (Mức lệ phí (nếu có)
  theo quy định của Hội đồng nhân dân cấp tỉnh.)" and names no agency at all;
- 1.012533 Tuyển chọn Tổ viên Tổ bảo vệ an ninh, trật tự: no competent agency, implementing
  agency "Công an cấp Xã".
Before, the site printed "Miễn phí" and "Bộ Tài chính" / "Bộ Công an" for them.
"""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer, assert_accessible
from tests.national_data import NATIONAL_FILE, needs_data

pytestmark = [pytest.mark.browser, needs_data]

UNKNOWN_FEE, INFERRED_AGENCY = "1.001266", "1.012533"


def _records(codes: set[str]) -> list[dict]:
    with gzip.open(NATIONAL_FILE, "rt", encoding="utf-8") as lines:
        return [record for line in lines if (record := json.loads(line))["ma_thu_tuc"] in codes]


def _import(live_server: LiveServer, tmp_path: Path) -> None:
    from catalog.db import db
    from catalog.national.importer import import_national

    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                for r in _records({UNKNOWN_FEE, INFERRED_AGENCY})), encoding="utf-8")
    with live_server.app.app_context():
        report = import_national(db.session, source, publish=True)
        assert not report.failures
        db.session.remove()


def _pdf_text(body: bytes, tmp_path: Path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_unknown_fee_and_agency_are_shown_as_unknown(live_server: LiveServer, page: Any,
                                                      tmp_path: Path) -> None:
    _import(live_server, tmp_path)

    page.goto(f"{live_server.url}/procedures/{UNKNOWN_FEE}")
    text = page.locator("main").inner_text()
    assert "Hội đồng nhân dân cấp tỉnh" in text or "HĐND cấp tỉnh" in text
    # the source's own words may be quoted as such («Miễn phí»), never stated as the fee
    assert "Miễn phí" not in text.replace("«Miễn phí»", "")
    assert "0 đồng" not in text
    assert "Bộ Tài chính" not in text.rsplit("Căn cứ pháp lý", 1)[0]  # the section, not the "Trên trang này" link
    assert "Chưa có thông tin" in text
    assert_accessible(page)
    notice = page.request.get(f"{live_server.url}/procedures/{UNKNOWN_FEE}/notice.pdf")
    assert notice.status == 200
    printed = " ".join(_pdf_text(notice.body(), tmp_path).split())
    assert "HĐND cấp tỉnh" in printed or "Hội đồng nhân dân cấp tỉnh" in printed
    assert "Miễn phí" not in printed.replace("«Miễn phí»", "")
    assert "Bộ Tài chính" not in printed.split("Căn cứ pháp lý")[0]

    page.goto(f"{live_server.url}/procedures/{INFERRED_AGENCY}")
    text = page.locator("main").inner_text()
    assert "Công an cấp Xã" in text
    assert "Cần kiểm tra" in text
    assert "Bộ Công an" not in text.rsplit("Căn cứ pháp lý", 1)[0]
    assert_accessible(page)
    notice = page.request.get(f"{live_server.url}/procedures/{INFERRED_AGENCY}/notice.pdf")
    printed = " ".join(_pdf_text(notice.body(), tmp_path).split())
    assert "Công an cấp Xã" in printed
    assert "cần kiểm tra" in printed.casefold()
    assert "Bộ Công an" not in printed.split("Căn cứ pháp lý")[0]
