"""Concatenate PDFs into one file object by object, so memory does not grow with the output.

pypdf's `PdfWriter` keeps every appended object until it writes; a booklet of a thousand
notices would sit in memory whole. `StreamingPdfWriter` reads each part with pypdf, renumbers
its objects, writes them out at once and keeps only their offsets and the page references.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import md5
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

CATALOG, PAGES = 1, 2
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


@dataclass
class OutlineItem:
    """A bookmark to a page (object number), with children."""

    title: str
    page: int
    children: list[OutlineItem] = field(default_factory=list)


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)


class StreamingPdfWriter:
    """Writes a PDF as parts are appended; `close()` adds the page tree, outline and xref."""

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.path = Path(target)
        self.file: BinaryIO = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.offsets: dict[int, int] = {}
        self.next_number = PAGES + 1

    def reserve(self) -> int:
        """A new object number."""
        number = self.next_number
        self.next_number += 1
        return number

    def write_object(self, number: int, obj: PdfObject | None) -> None:
        """Write one object now."""
        self.offsets[number] = self.file.tell()
        self.file.write(f"{number} 0 obj\n".encode())
        (obj if obj is not None else NullObject()).write_to_stream(self.file)
        self.file.write(b"\nendobj\n")

    def append(self, source: str | os.PathLike[str]) -> list[int]:
        """Copy every page of `source` (and what they use); returns their object numbers."""
        reader = PdfReader(source)
        mapping: dict[tuple[int, int], int] = {}
        queue: deque[IndirectObject] = deque()

        def remap(obj: Any) -> Any:
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key not in mapping:
                    mapping[key] = self.reserve()
                    queue.append(obj)
                return _ref(mapping[key])
            if isinstance(obj, DictionaryObject):
                for key, value in list(obj.items()):
                    obj[key] = remap(value)
            elif isinstance(obj, ArrayObject):
                for index, value in enumerate(obj):
                    obj[index] = remap(value)
            return obj

        pages = list(reader.pages)
        numbers = []
        for page in pages:
            reference = page.indirect_reference
            number = self.reserve()
            mapping[(reference.idnum, reference.generation)] = number
            numbers.append(number)
        for page, number in zip(pages, numbers, strict=True):
            for key in INHERITED:
                if key not in page:
                    inherited = _inherited(page, key)
                    if inherited is not None:
                        page[NameObject(key)] = inherited
            page.pop("/Parent", None)
            remap(page)
            page[NameObject("/Parent")] = _ref(PAGES)
            self.write_object(number, page)
        while queue:
            reference = queue.popleft()
            number = mapping[(reference.idnum, reference.generation)]
            self.write_object(number, remap(reference.get_object()))
        return numbers

    def close(
        self,
        pages: list[int],
        *,
        title: str = "",
        outline: list[OutlineItem] | None = None,
        language: str = "vi",
    ) -> None:
        """Write the page tree (in the order of `pages`), the outline, info and xref."""
        self.write_object(
            PAGES,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject(_ref(number) for number in pages),
                    NameObject("/Count"): NumberObject(len(pages)),
                }
            ),
        )
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): _ref(PAGES),
                NameObject("/Lang"): TextStringObject(language),
            }
        )
        if outline:
            catalog[NameObject("/Outlines")] = _ref(self._write_outline(outline))
            catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        self.write_object(CATALOG, catalog)
        info = self.reserve()
        now = datetime.now(UTC).strftime("D:%Y%m%d%H%M%SZ")
        self.write_object(
            info,
            DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(title),
                    NameObject("/Producer"): TextStringObject("motcua (WeasyPrint, pypdf)"),
                    NameObject("/CreationDate"): TextStringObject(now),
                }
            ),
        )
        self._write_xref(info, title)
        self.file.close()

    def abort(self) -> None:
        """Close and remove a file that will not be finished."""
        self.file.close()
        self.path.unlink(missing_ok=True)

    def _write_outline(self, items: list[OutlineItem]) -> int:
        root = self.reserve()
        first, last, count = self._write_outline_level(items, root)
        self.write_object(
            root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Outlines"),
                    NameObject("/First"): _ref(first),
                    NameObject("/Last"): _ref(last),
                    NameObject("/Count"): NumberObject(count),
                }
            ),
        )
        return root

    def _write_outline_level(self, items: list[OutlineItem], parent: int) -> tuple[int, int, int]:
        numbers = [self.reserve() for _ in items]
        total = len(items)
        for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
            entry = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(item.title),
                    NameObject("/Parent"): _ref(parent),
                    NameObject("/Dest"): ArrayObject([_ref(item.page), NameObject("/Fit")]),
                }
            )
            if index > 0:
                entry[NameObject("/Prev")] = _ref(numbers[index - 1])
            if index < len(items) - 1:
                entry[NameObject("/Next")] = _ref(numbers[index + 1])
            if item.children:
                first, last, _ = self._write_outline_level(item.children, number)
                entry[NameObject("/First")] = _ref(first)
                entry[NameObject("/Last")] = _ref(last)
                # Negative: children shown collapsed.
                entry[NameObject("/Count")] = NumberObject(-len(item.children))
            self.write_object(number, entry)
        return numbers[0], numbers[-1], total

    def _write_xref(self, info: int, title: str) -> None:
        start = self.file.tell()
        size = self.next_number
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self.offsets.get(number)
            lines.append(f"{offset:010d} 00000 n \n" if offset is not None else "0000000000 65535 f \n")
        self.file.write("".join(lines).encode())
        file_id = md5(f"{self.path.name}{title}{size}{start}".encode(), usedforsecurity=False).hexdigest()
        self.file.write(
            (
                f"trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {info} 0 R "
                f"/ID [<{file_id}> <{file_id}>] >>\nstartxref\n{start}\n%%EOF\n"
            ).encode()
        )


def _inherited(page: DictionaryObject, key: str) -> Any:
    node = page.get("/Parent")
    while node is not None:
        node = node.get_object()
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
