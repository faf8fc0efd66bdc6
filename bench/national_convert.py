"""Conversion time of the whole national catalogue (2,642 records), against the time to just
read and decode the same file (baseline measured in the same run), plus meta-schema checks."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from jsonschema import Draft202012Validator

from catalog.national import QualityReport, convert_record, iter_records
from form_schemas.formats import FORMAT_CHECKER

DATA = Path(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[2] / "shared/data/national-catalogue-2026.jsonl.gz"))
META_SCHEMA = Path(__file__).resolve().parents[1] / "form_schemas" / "procedure.schema.json"


def timed(label: str, action):
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<34} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    return result, cpu


def main() -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return
    records, read_cpu = timed("read + JSON decode (baseline)", lambda: list(iter_records(DATA)))
    conversions, convert_cpu = timed(
        "convert_record × all", lambda: [convert_record(record) for record in records]
    )
    validator = Draft202012Validator(
        json.loads(META_SCHEMA.read_text(encoding="utf-8")), format_checker=FORMAT_CHECKER
    )
    invalid, validate_cpu = timed(
        "meta-schema validation × all",
        lambda: sum(1 for c in conversions if not validator.is_valid(c.document)),
    )
    report = QualityReport()
    for conversion in conversions:
        report.add(conversion)
    print(f"records {len(conversions)}, invalid {invalid}")
    print(f"conversion / baseline cpu ratio: {convert_cpu / read_cpu:.1f}×")
    print(f"per record: convert {1000 * convert_cpu / len(records):.2f} ms, "
          f"validate {1000 * validate_cpu / len(records):.2f} ms")
    print(report.summary())


if __name__ == "__main__":
    main()
