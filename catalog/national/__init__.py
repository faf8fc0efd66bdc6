"""Import of the national catalogue of procedures (issue 7): parsing the portal's flattened
records into procedure documents, the quality report and the import into the catalogue."""

from __future__ import annotations

from .convert import PARTS, Conversion, convert_record
from .importer import TextProgress, import_national, iter_conversions, run_import_national
from .report import QualityReport
from .source import count_records, iter_records

__all__ = [
    "PARTS",
    "Conversion",
    "QualityReport",
    "TextProgress",
    "convert_record",
    "count_records",
    "import_national",
    "iter_conversions",
    "iter_records",
    "run_import_national",
]
