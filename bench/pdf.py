"""PDF speed: notice (cold, warm, cached) and booklet pages/s with 1 and 2 processes, printed
for one office (its heading, hours and a local fee's legal basis on every notice).

Each figure sits beside its floor measured in the same run: WeasyPrint rendering the same HTML
directly (`HTML(string=...).write_pdf()`, CSS inline, no shared font configuration).
Goals: notice within 1.3x of the floor, cached under 5 ms, booklet 1 -> 2 processes >= 1.7x.

    python bench/pdf.py [--procedures 500] [--floor-sample 60] [--notices 20]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from weasyprint import HTML  # noqa: E402

from renderers.pdf import PdfCache, blank_form_html, notice_html  # noqa: E402
from renderers.pdf.booklet import BookletEntry, render_booklet_to  # noqa: E402
from renderers.pdf.engine import STATIC_URL, get_renderer  # noqa: E402
from renderers.pdf.notice import NoticeInfo  # noqa: E402
from renderers.pdf.office import OfficeHeading  # noqa: E402
from renderers.pdf.sample import birth_registration, synthetic_catalogue  # noqa: E402

VERSION_DATE = date(2026, 3, 1)
OFFICE = OfficeHeading(
    name="Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", parent_body="UBND TỈNH QUẢNG TRỊ",
    place_name="Quảng Trị", address="Số 1 đường Mẫu, phường Đông Hà, tỉnh Quảng Trị (địa chỉ mẫu)",
    hours=("Thứ Hai – Thứ Sáu: sáng 07:30–11:30, chiều 13:30–17:00", "Thứ Bảy: sáng 07:30–11:30"),
    phone="0233 3000 001", hotline="0233 3000 002",
    complaints_address="Văn phòng UBND tỉnh Quảng Trị (địa chỉ mẫu); Cổng Dịch vụ công quốc gia",
    level="province",
)
LOCAL_BASIS = (("/x-procedure/channels/0/fees",
                "Theo Nghị quyết số 12/2025/NQ-HĐND ngày 10/07/2025 của HĐND tỉnh Quảng Trị"),)


def info_for(document: dict) -> NoticeInfo:
    code = document["x-procedure"]["code"]
    return NoticeInfo(3, VERSION_DATE, f"https://motcua.example.vn/procedures/{code}",
                      office=OFFICE, local_basis=LOCAL_BASIS)


def notice_kwargs(document: dict) -> dict:
    info = info_for(document)
    return {
        "version": info.version,
        "version_date": info.version_date,
        "procedure_url": info.procedure_url,
        "office": info.office,
        "local_basis": info.local_basis,
    }


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds() -> float:
    """User + system CPU of this process and its direct children (the 1-process run's work;
    pool workers are children of the fork server and are not counted)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def floor_pdf(html: str) -> bytes:
    """WeasyPrint alone: parse the self-contained HTML (CSS inline) and write the PDF."""
    return HTML(string=html, base_url=STATIC_URL).write_pdf()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def bench_notice(count: int) -> None:
    document = birth_registration()
    kwargs = notice_kwargs(document)
    started = time.perf_counter()
    renderer = get_renderer()
    renderer.pdf(notice_html(document, **kwargs, preview=False))
    cold = time.perf_counter() - started

    ours, floor = [], []
    preview = notice_html(document, **kwargs, preview=True)
    floor_pdf(preview)  # warm WeasyPrint's own caches too
    for _ in range(count):  # interleaved, so load on the machine hits both alike
        started = time.perf_counter()
        renderer.pdf(notice_html(document, **kwargs, preview=False))
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor_pdf(notice_html(document, **kwargs, preview=True))
        floor.append(time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as folder:
        cache = PdfCache(folder)
        render = lambda: renderer.pdf(notice_html(document, **kwargs, preview=False))  # noqa: E731
        cache.get_or_render("notice", document, render, kwargs)
        cached = []
        for _ in range(count):
            started = time.perf_counter()
            cache.get_or_render("notice", document, render, kwargs)
            cached.append(time.perf_counter() - started)

    ours_median, floor_median = statistics.median(ours), statistics.median(floor)
    print(f"Notice (Đăng ký khai sinh, 3 pages) for {OFFICE.name}, median of", count)
    print(f"  cold (first in process, renderer setup included) {ms(cold)}")
    print(f"  warm, ours                                        {ms(ours_median)}")
    print(f"  warm, floor (WeasyPrint direct)                   {ms(floor_median)}")
    ratio = ours_median / floor_median
    print(f"  ours / floor = {ratio:.2f}x (goal <= 1.3x) {'OK' if ratio <= 1.3 else 'MISSED'}")
    cached_median = statistics.median(cached)
    print(f"  cached (PdfCache hit)                             {ms(cached_median)}"
          f"  (goal < 5 ms) {'OK' if cached_median < 0.005 else 'MISSED'}")


def bench_booklet(procedures: int, floor_sample: int) -> None:
    documents = list(synthetic_catalogue(procedures))
    entries = [BookletEntry(d["x-procedure"]["sector"], d, info_for(d)) for d in documents]
    print(f"\nBooklet of {procedures} procedures (notice + blank form each) for {OFFICE.name}")

    # Floor: WeasyPrint direct on the same HTML, serially, on a sample of the procedures.
    sample = documents[:floor_sample]
    started = time.perf_counter()
    floor_pages = 0
    for document in sample:
        for html in (
            notice_html(document, **notice_kwargs(document), preview=True),
            blank_form_html(document, office=OFFICE, preview=True),
        ):
            document_pages = HTML(string=html, base_url=STATIC_URL).render()
            document_pages.write_pdf()
            floor_pages += len(document_pages.pages)
    floor_rate = floor_pages / (time.perf_counter() - started)
    print(f"  floor, WeasyPrint direct, 1 process, first {len(sample)}: {floor_rate:6.2f} pages/s")

    rates = {}
    for processes in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "booklet.pdf"
            samples: list[float] = []

            def progress(done: int, total: int, samples: list[float] = samples) -> None:
                if done in (max(1, total // 10), total // 2, total):
                    samples.append(rss_mb())

            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            pages = render_booklet_to(
                target, entries, title="Bộ thủ tục hành chính (bench)", processes=processes,
                progress=progress, office=OFFICE,
            )
            elapsed = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu_before
            size = target.stat().st_size / 1e6
        rates[processes] = pages / elapsed
        growth = " -> ".join(f"{value:.0f}" for value in samples)
        print(
            f"  ours, {processes} process{'es' if processes > 1 else ''}: {pages} pages in "
            f"{elapsed:6.1f} s = {rates[processes]:6.2f} pages/s ({rates[processes] / floor_rate:.2f}x"
            f" floor), {size:.1f} MB, parent CPU {cpu:.0f} s; parent RSS at 10%/50%/100%: {growth} MB"
        )
    scaling = rates[2] / rates[1]
    print(f"  scaling 1 -> 2 processes = {scaling:.2f}x (goal >= 1.7x) "
          f"{'OK' if scaling >= 1.7 else 'MISSED'} on {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the parent (merging, and rendering in the 1-process run): {own:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--procedures", type=int, default=500)
    parser.add_argument("--floor-sample", type=int, default=60)
    parser.add_argument("--notices", type=int, default=20)
    args = parser.parse_args()
    print(f"CPUs: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    bench_notice(args.notices)
    bench_booklet(args.procedures, args.floor_sample)


if __name__ == "__main__":
    main()
