"""Concatenate PDFs into one file object by object, so memory does not grow with the output.

pypdf's `PdfWriter` keeps every appended object until it writes; a booklet of a thousand
notices would sit in memory whole. `StreamingPdfWriter` reads each part with pypdf, renumbers
its objects, writes them out at once and keeps only their offsets and the page references.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import md5
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
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
        self._wrappers: tuple[int, int] | None = None
        self._stamp_source: Any = None
        self._stamp_map: dict[tuple[int, int], int] = {}

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

    def append(
        self, source: str | os.PathLike[str], stamps: Sequence[PageObject] | None = None
    ) -> list[int]:
        """Copy every page of `source` (and what they use); returns their object numbers.

        With `stamps` (one page per page of `source`), each stamp page is drawn over its page,
        as a form XObject: used for the booklet's own page numbers.
        """
        reader = PdfReader(source)
        mapping: dict[tuple[int, int], int] = {}
        queue: deque[IndirectObject] = deque()
        pages = list(reader.pages)
        if stamps is not None and len(stamps) != len(pages):
            raise ValueError(f"{len(stamps)} stamps for {len(pages)} pages")
        numbers = []
        for page in pages:
            reference = page.indirect_reference
            number = self.reserve()
            mapping[(reference.idnum, reference.generation)] = number
            numbers.append(number)
        for index, (page, number) in enumerate(zip(pages, numbers, strict=True)):
            for key in INHERITED:
                if key not in page:
                    inherited = _inherited(page, key)
                    if inherited is not None:
                        page[NameObject(key)] = inherited
            page.pop("/Parent", None)
            if stamps is not None:
                page[NameObject("/Resources")] = _copy_direct(_resolved(page, "/Resources"))
            self._remap(page, mapping, queue)
            if stamps is not None:
                self._stamp(page, stamps[index])
            page[NameObject("/Parent")] = _ref(PAGES)
            self.write_object(number, page)
        self._drain(mapping, queue)
        return numbers

    def _remap(self, obj: Any, mapping: dict[tuple[int, int], int], queue: deque[IndirectObject]) -> Any:
        """Renumber, in place, every reference `obj` holds (queueing the objects to copy)."""
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key not in mapping:
                mapping[key] = self.reserve()
                queue.append(obj)
            return _ref(mapping[key])
        if isinstance(obj, DictionaryObject):
            for key, value in list(obj.items()):
                obj[key] = self._remap(value, mapping, queue)
        elif isinstance(obj, ArrayObject):
            for index, value in enumerate(obj):
                obj[index] = self._remap(value, mapping, queue)
        return obj

    def _drain(self, mapping: dict[tuple[int, int], int], queue: deque[IndirectObject]) -> None:
        while queue:
            reference = queue.popleft()
            number = mapping[(reference.idnum, reference.generation)]
            self.write_object(number, self._remap(reference.get_object(), mapping, queue))

    def _stamp(self, page: DictionaryObject, stamp: PageObject) -> None:
        """Draw `stamp` over `page` (already renumbered; its resources a direct copy)."""
        if self._wrappers is None:
            self._wrappers = (self._content(b"q\n"), self._content(b"\nQ\nq /MotcuaStamp Do Q\n"))
        if stamp.pdf is not self._stamp_source:  # stamps come from one reader at a time
            self._stamp_source, self._stamp_map = stamp.pdf, {}
        mapping = self._stamp_map
        queue: deque[IndirectObject] = deque()
        form = StreamObject()
        contents = stamp.get_contents()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in stamp.mediabox),
            NameObject("/Resources"): self._remap(
                _copy_direct(_resolved(stamp, "/Resources")), mapping, queue),
        })
        form_number = self.reserve()
        self.write_object(form_number, form.flate_encode())
        self._drain(mapping, queue)
        resources = page["/Resources"]
        xobjects = _copy_direct(_resolved(resources, "/XObject"))
        xobjects[NameObject("/MotcuaStamp")] = _ref(form_number)
        resources[NameObject("/XObject")] = xobjects
        page_contents = dict.get(page, "/Contents")
        parts = (list(page_contents) if isinstance(page_contents, ArrayObject)
                 else [] if page_contents is None else [page_contents])
        opening, closing = self._wrappers
        page[NameObject("/Contents")] = ArrayObject([_ref(opening), *parts, _ref(closing)])

    def _content(self, data: bytes) -> int:
        stream = StreamObject()
        stream.set_data(data)
        number = self.reserve()
        self.write_object(number, stream)
        return number

    def close(
        self,
        pages: list[int],
        *,
        title: str = "",
        outline: list[OutlineItem] | None = None,
        language: str = "vi",
        page_labels: list[tuple[int, str]] | None = None,
    ) -> None:
        """Write the page tree (in the order of `pages`), the outline, info and xref.

        `page_labels`: (first page index, style) pairs, style `/r` (i, ii…) or `/D` (1, 2…),
        each range numbered from 1: what a viewer shows as the page number."""
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
        if page_labels:
            numbers = ArrayObject()
            for start, style in page_labels:
                numbers.extend([NumberObject(start), DictionaryObject({NameObject("/S"): NameObject(style)})])
            catalog[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): numbers})
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


def _copy_direct(obj: Any) -> Any:
    """A copy of the direct dictionaries and arrays of `obj`; references are kept as they are."""
    if isinstance(obj, IndirectObject):
        return obj
    if isinstance(obj, StreamObject):
        return obj
    if isinstance(obj, DictionaryObject):
        return DictionaryObject({key: _copy_direct(value) for key, value in obj.items()})
    if isinstance(obj, ArrayObject):
        return ArrayObject(_copy_direct(value) for value in obj)
    return obj


def _resolved(obj: DictionaryObject, key: str) -> DictionaryObject:
    """The dictionary at `key` (following a reference), or an empty one."""
    return obj[key] if key in obj else DictionaryObject()  # pypdf's [] resolves, .get() does not
