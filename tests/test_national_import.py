"""import_national drives the catalogue service: filtering, progress, failures and the report.

Runs the real catalogue service on a real database.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from catalog.national import import_national

RECORD = {
    "ma_thu_tuc": "1.000001",
    "ten_thu_tuc": "Đăng ký thử",
    "so_quyet_dinh": "163/QĐ-BTP",
    "cap_thuc_hien": "Cấp xã",
    "linh_vuc": "Hộ tịch",
    "doi_tuong_thuc_hien": "Công dân Việt Nam",
    "co_quan_co_tham_quyen": "Ủy ban nhân dân cấp xã",
    "trinh_tu_thuc_hien": "Bước 1: Nộp hồ sơ\nBước 2: Nhận kết quả",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1 Ngày làm việcMiễn phí",
    "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính",
    "can_cu_phap_ly": "Không có thông tin",
    "ket_qua_xu_ly": "Giấy khai sinhMã: KQ.G15.000031Từ khóa",
}


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.jsonl.gz"
    records = [
        dict(RECORD, ma_thu_tuc=f"1.00000{i}", linh_vuc="Hộ tịch" if i % 2 else "Chứng thực")
        for i in range(1, 6)
    ]
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def stored(session) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from catalog.models import Procedure

    return {p.code: (p.latest_number, p.status.value) for p in session.scalars(select(Procedure))}


@pytest.mark.db
def test_sector_filter_ignores_accents_and_publish_is_passed_on(catalogue_file, session) -> None:  # type: ignore[no-untyped-def]
    report = import_national(session, catalogue_file, publish=True, sector="ho tich")
    assert stored(session) == {code: (1, "published") for code in ("1.000001", "1.000003", "1.000005")}
    assert report.outcomes == {"created": 3}


@pytest.mark.db
def test_rerun_changes_nothing_and_a_changed_record_is_a_new_version(catalogue_file, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_national(session, catalogue_file, publish=True)
    again = import_national(session, catalogue_file, publish=True)
    assert again.outcomes == {"unchanged": 5}
    changed = tmp_path / "changed.jsonl.gz"
    with gzip.open(changed, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(RECORD, ten_thu_tuc="Đăng ký thử (sửa đổi)"), ensure_ascii=False) + "\n")
    import_national(session, changed, publish=True)
    assert stored(session)["1.000001"] == (2, "published")


def test_a_refused_record_is_counted_and_the_others_are_stored(tmp_path, app) -> None:  # type: ignore[no-untyped-def]
    from catalog.db import db

    path = tmp_path / "bad.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for code in ("1.000001", "1.000002"):
            handle.write(json.dumps(dict(RECORD, ma_thu_tuc=code), ensure_ascii=False) + "\n")
    from catalog.national import convert_record
    from catalog.services import import_document, submit_for_review

    # Never edited locally (written by the importer), so due for an update, but in review.
    import_document(db.session, convert_record(dict(RECORD, ma_thu_tuc="1.000002", ten_thu_tuc="Cũ")).document,
                    author="import-national")
    submit_for_review(db.session, next(iter(_procedures(db.session, "1.000002"))), actor="an")
    report = import_national(db.session, path, publish=True)
    assert report.outcomes == {"created": 1, "failed": 1}
    assert report.failures[0][0] == "1.000002" and "đang chờ duyệt" in report.failures[0][1]
    assert stored(db.session)["1.000001"] == (1, "published")


def _procedures(session, code):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from catalog.models import Procedure

    return session.scalars(select(Procedure).where(Procedure.code == code))


def test_limit_progress_and_csv_report(catalogue_file, app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from catalog.db import db

    seen: list[tuple] = []
    report_path = tmp_path / "report.csv"
    import_national(db.session, catalogue_file, publish=False, limit=2, report_path=report_path,
                    progress=lambda done, total: seen.append((done, total)))
    assert sorted(stored(db.session)) == ["1.000001", "1.000002"]
    assert seen == [(1, 2), (2, 2)]
    rows = list(csv.DictReader(report_path.open(encoding="utf-8")))
    assert rows[0]["code"] == "1.000001" and rows[0]["title"] == "Đăng ký thử"
    assert rows[0]["channels"] == "parsed"
    # Every part has a status and a reason; an absent part says why.
    assert rows[0]["legal_basis"] == "absent"
    assert rows[0]["legal_basis_reason"] == "absent: not in the source"


def test_command_prints_summary_and_time(catalogue_file, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner("import-national", str(catalogue_file), "--publish")
    assert result.exit_code == 0
    assert "records converted: 5" in result.output and "created: 5," in result.output
    assert "time:" in result.output
