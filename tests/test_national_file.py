"""The whole national catalogue converts into valid, well-formed procedure documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from catalog.national import QualityReport, iter_conversions
from form_schemas.canonical import document_hash
from form_schemas.validation import validate_procedure
from tests.national_data import NATIONAL_FILE as DATA
from tests.national_data import needs_data

META_SCHEMA = Path(__file__).resolve().parents[1] / "form_schemas" / "procedure.schema.json"
PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DOCUMENT_ID = re.compile(r"^[a-z][a-z0-9_]*$")

pytestmark = [
    pytest.mark.slow,
    needs_data,
]


@pytest.fixture(scope="module")
def conversions() -> list:
    return list(iter_conversions(DATA))


def _schema_problems(schema: dict, pointer: str = "") -> list[str]:
    """Property names that break our rule and `required` names with no property."""
    problems = []
    properties = schema.get("properties", {})
    for name, child in properties.items():
        if not PROPERTY_NAME.match(name):
            problems.append(f"{pointer}/properties/{name}: bad name")
        problems.extend(_schema_problems(child, f"{pointer}/properties/{name}"))
    for name in schema.get("required", []):
        if name not in properties:
            problems.append(f"{pointer}/required: {name} names no property")
    return problems


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(child) for child in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(child) for child in value), default=0)
    return 0


def test_every_record_converts_and_passes_the_meta_schema(conversions: list) -> None:
    assert len(conversions) == 2642
    invalid = {conversion.code: [str(p) for p in validate_procedure(conversion.document)][:5]
               for conversion in conversions}
    assert {code: errors for code, errors in invalid.items() if errors} == {}


def test_documents_are_well_formed_beyond_the_meta_schema(conversions: list) -> None:
    problems: list[str] = []
    for conversion in conversions:
        document = conversion.document
        procedure = document["x-procedure"]
        problems.extend(f"{conversion.code}{p}" for p in _schema_problems(document))
        ids = [doc["id"] for doc in procedure["documents"]]
        if len(ids) != len(set(ids)) or not all(DOCUMENT_ID.match(i) for i in ids):
            problems.append(f"{conversion.code}: document ids {ids}")
        size = len(json.dumps(document, ensure_ascii=False).encode("utf-8"))
        if size > 1024 * 1024 or _depth(document) > 8:
            problems.append(f"{conversion.code}: {size} bytes, depth {_depth(document)}")
        modes = [channel["mode"] for channel in procedure["channels"]]
        if len(modes) != len(set(modes)):
            problems.append(f"{conversion.code}: channel modes {modes}")
        uploads = document["properties"].get("attachments", {}).get("properties", {})
        for doc in procedure["documents"]:
            field = doc.get("field")
            if field is None:
                if doc.get("action", "submit") == "submit":
                    problems.append(f"{conversion.code}: {doc['id']} has no upload")
                continue
            prefix, _, name = field.partition(".")
            if prefix != "attachments" or uploads.get(name, {}).get("x-widget") != "file":
                problems.append(f"{conversion.code}: {field} is not a file field")
    assert problems == []


def test_codes_are_unique_and_conversion_is_repeatable(conversions: list) -> None:
    """Re-importing must target one procedure per code and produce the same document."""
    codes = [conversion.code for conversion in conversions]
    assert len(set(codes)) == len(codes)
    again = list(iter_conversions(DATA, limit=300))
    assert [document_hash(c.document) for c in again] == [
        document_hash(c.document) for c in conversions[:300]
    ]


def test_parse_rates_meet_the_issue_thresholds(conversions: list, tmp_path: Path) -> None:
    report = QualityReport()
    for conversion in conversions:
        report.add(conversion)
    # Read at all (not raw): "parsed" alone no longer counts guesses, which are marked.
    def read(part: str) -> float:
        counts = report.counts(part)
        return 1 - (counts["raw"] + counts["absent"]) / len(conversions)

    assert read("channels") >= 0.95
    assert read("documents") >= 0.95
    assert read("results") >= 0.95
    assert report.rates()["documents"] >= 0.90
    csv_path = tmp_path / "quality.csv"
    report.write_csv(csv_path)
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2643
    assert lines[0].startswith("code,title,channels,channels_reason,fees,fees_reason,documents")
    summary = report.summary()
    assert "2642" in summary and "channels" in summary
    assert "inferred" in summary and "to_check" in summary


def test_documents_parsed_status_means_real_counts(conversions: list) -> None:
    """'documents: parsed' must mean the documents carry their numbers of originals/copies."""
    uncounted = [
        conversion.code
        for conversion in conversions
        if conversion.parts["documents"] == "parsed"
        and any("originals" not in doc for doc in conversion.document["x-procedure"]["documents"])
    ]
    assert uncounted == []
