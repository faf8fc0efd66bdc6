"""The booklet of a one-stop shop: cover, table of contents, then by sector each procedure's
notice followed directly by its blank form.

Procedures are rendered in worker processes (each with its own renderer) to temporary PDFs,
appended in order to a `StreamingPdfWriter` as they arrive, then deleted: memory and disk
stay flat whatever the number of procedures. Each body page gets the booklet's own page
number drawn over it (the notices keep their "Trang x/y"); the table of contents refers to
those numbers. The cover and table of contents (numbered i, ii, …) are rendered last, when
every part's page count is known, and placed first in the page tree.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from pypdf import PageObject, PdfReader

from form_schemas.text import ascii_fold
from renderers.pdf.blank_form import form_context
from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.merge import OutlineItem, StreamingPdfWriter
from renderers.pdf.notice import NoticeInfo, notice_context
from renderers.pdf.office import OfficeHeading

Progress = Callable[[int, int], None]
"""Called with (procedures done, total)."""


class BookletEntry(NamedTuple):
    """One procedure of the booklet: its sector, document and the version being posted."""

    sector: str
    document: Mapping[str, Any]
    info: NoticeInfo


@dataclass(frozen=True)
class TocLine:
    """A line of the table of contents."""

    number: int
    title: str
    code: str
    page: int


def sector_key(sector: str) -> tuple[str, str]:
    """Vietnamese alphabetical order: letters first (đ with d), then diacritics."""
    return ascii_fold(sector).casefold(), sector


def group_by_sector(entries: Iterable[BookletEntry | tuple[Any, ...]]) -> list[BookletEntry]:
    """Entries ordered by sector (stable inside a sector), as posting rules require."""
    normalised = [entry if isinstance(entry, BookletEntry) else BookletEntry(*entry) for entry in entries]
    return sorted(normalised, key=lambda entry: sector_key(entry.sector))


def render_part(task: tuple[int, Mapping[str, Any], NoticeInfo, str]) -> tuple[int, int]:
    """Render one procedure (notice, then blank form) to a PDF file; returns (index, pages)."""
    index, document, info, target = task
    renderer = get_renderer()
    notice = renderer.document(
        render_template("notice.html", preview=False, **notice_context(document, info))
    )
    form = renderer.document(render_template("form.html", preview=False,
                                             **form_context(document, office=info.office)))
    pages = notice.pages + form.pages
    notice.copy(pages).write_pdf(target)
    return index, len(pages)


def _warm_up() -> None:
    get_renderer()


def _run_parts(
    tasks: list[tuple[int, Mapping[str, Any], NoticeInfo, str]], processes: int
) -> Iterator[tuple[int, int]]:
    """Results in task order; at most a few tasks in flight per process."""
    if processes <= 1:
        for task in tasks:
            yield render_part(task)
        return
    # A fork server started clean, with this module preloaded: workers start fast and do not
    # inherit the caller's threads or WeasyPrint state.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["renderers.pdf.booklet"])
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_warm_up) as pool:
        pending: deque[Future[tuple[int, int]]] = deque()
        window = processes * 3
        iterator = iter(tasks)
        for task in iterator:
            pending.append(pool.submit(render_part, task))
            if len(pending) >= window:
                break
        while pending:
            yield pending.popleft().result()
            for task in iterator:
                pending.append(pool.submit(render_part, task))
                break


class PageStamps:
    """The booklet's page numbers, one stamp page per body page, rendered a chunk at a time."""

    CHUNK = 64

    def __init__(self) -> None:
        self.first = 1
        self.pages: list[PageObject] = []

    def take(self, first: int, count: int) -> list[PageObject]:
        """Stamps for body pages `first` … `first + count - 1` (numbers ascend across calls)."""
        stamps = []
        for number in range(first, first + count):
            if not self.first <= number < self.first + len(self.pages):
                self._render(number)
            stamps.append(self.pages[number - self.first])
        return stamps

    def _render(self, first: int) -> None:
        html = render_template("booklet_stamps.html", preview=False,
                               numbers=range(first, first + self.CHUNK))
        self.first = first
        self.pages = list(PdfReader(io.BytesIO(get_renderer().pdf(html))).pages)


def _front_html(
    title: str, subtitle: str | None, sectors: list[tuple[str, list[TocLine]]], count: int,
    office: OfficeHeading | None = None,
) -> str:
    return render_template(
        "booklet_front.html",
        preview=False,
        title=title,
        subtitle=subtitle,
        sectors=sectors,
        count=count,
        today=date.today(),
        office=office,
    )


def render_booklet_to(
    path: str | os.PathLike[str],
    entries: Iterable[BookletEntry | tuple[Any, ...]],
    *,
    title: str,
    processes: int = 1,
    progress: Progress | None = None,
    subtitle: str | None = None,
    office: OfficeHeading | None = None,
) -> int:
    """Write the booklet PDF to `path`; returns its number of pages. With `office`, the cover is
    headed by that office, with its address, hours, hotline and complaints address."""
    ordered = group_by_sector(entries)
    path = Path(path)
    writer = StreamingPdfWriter(path)
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-booklet-", dir=path.parent) as folder:
            tasks = [
                (index, entry.document, entry.info, str(Path(folder) / f"{index:06d}.pdf"))
                for index, entry in enumerate(ordered)
            ]
            part_pages: list[list[int]] = []
            stamps = PageStamps()
            body_count = 0
            for done, (index, count) in enumerate(_run_parts(tasks, processes), start=1):
                part_path = Path(tasks[index][3])
                part_pages.append(writer.append(part_path, stamps.take(body_count + 1, count)))
                body_count += count
                part_path.unlink()
                if progress:
                    progress(done, len(tasks))
            front = _render_front(folder, title, subtitle, ordered, part_pages, office)
            front_pages = writer.append(front)
        body = [number for numbers in part_pages for number in numbers]
        outline = _outline(ordered, part_pages, front_pages)
        writer.close(front_pages + body, title=title, outline=outline,
                     page_labels=[(0, "/r"), (len(front_pages), "/D")])
    except BaseException:
        writer.abort()
        raise
    return len(front_pages) + len(body)


def _render_front(
    folder: str,
    title: str,
    subtitle: str | None,
    ordered: list[BookletEntry],
    part_pages: list[list[int]],
    office: OfficeHeading | None = None,
) -> Path:
    """Cover and table of contents (its page numbers are the body's, so one layout is enough)."""
    sectors = _toc(ordered, part_pages, first_page=1)
    target = Path(folder) / "front.pdf"
    get_renderer().document(_front_html(title, subtitle, sectors, len(ordered), office)).write_pdf(target)
    return target


def _toc(
    ordered: list[BookletEntry], part_pages: list[list[int]], first_page: int
) -> list[tuple[str, list[TocLine]]]:
    sectors: list[tuple[str, list[TocLine]]] = []
    page = first_page
    for number, (entry, pages) in enumerate(zip(ordered, part_pages, strict=True), start=1):
        if not sectors or sectors[-1][0] != entry.sector:
            sectors.append((entry.sector, []))
        procedure = entry.document["x-procedure"]
        sectors[-1][1].append(TocLine(number, entry.document["title"], procedure["code"], page))
        page += len(pages)
    return sectors


def _outline(
    ordered: list[BookletEntry], part_pages: list[list[int]], front_pages: list[int]
) -> list[OutlineItem]:
    items = [OutlineItem("Mục lục", front_pages[min(1, len(front_pages) - 1)])]
    for entry, pages in zip(ordered, part_pages, strict=True):
        if items[-1].title != entry.sector or len(items) == 1:
            items.append(OutlineItem(entry.sector, pages[0]))
        code = entry.document["x-procedure"]["code"]
        items[-1].children.append(OutlineItem(f"{code} – {entry.document['title']}", pages[0]))
    return items


def render_booklet(
    entries: Iterable[BookletEntry | tuple[Any, ...]],
    *,
    title: str,
    processes: int = 1,
    progress: Progress | None = None,
    subtitle: str | None = None,
    office: OfficeHeading | None = None,
) -> bytes:
    """The booklet as bytes (written through a temporary file; prefer `render_booklet_to`)."""
    with tempfile.TemporaryDirectory(prefix="motcua-booklet-") as folder:
        target = Path(folder) / "booklet.pdf"
        render_booklet_to(
            target, entries, title=title, processes=processes, progress=progress, subtitle=subtitle,
            office=office,
        )
        return target.read_bytes()
