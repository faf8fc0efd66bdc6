"""Pages rendered to images with poppler: the layout shows what the HTML says, inside A4."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from renderers.pdf import blank_form_html, get_renderer, notice_html
from renderers.pdf.sample import birth_registration
from tests.test_pdf_helpers import notice_kwargs

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    not POPPLER and not os.environ.get("CI"),
    reason="poppler-utils (pdftoppm, pdftotext) is not installed; CI installs it",
)
DPI = 72


class _Text(HTMLParser):
    """Visible text of an HTML page (no <style>, <title>); the running footer repeats per page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("style", "title", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def html_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return words(" ".join(parser.parts))


def render(html: str, folder: Path) -> tuple[list[Image.Image], str]:
    pdf = folder / "doc.pdf"
    pdf.write_bytes(get_renderer().pdf(html))
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", pdf, folder / "page"], check=True)
    images = [Image.open(path) for path in sorted(folder.glob("page-*.png"))]
    shown = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True)
    return images, shown.stdout.decode()


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Number of dark pixels in a region."""
    return sum(image.crop(box).convert("L").histogram()[:128])


@pytest.mark.parametrize("kind", ["notice", "form"])
def test_pages_show_the_html_text_inside_the_margins(kind: str, tmp_path: Path) -> None:
    document = birth_registration()
    if kind == "notice":
        html = notice_html(document, **notice_kwargs(), preview=False)
    else:
        html = blank_form_html(document, preview=False)
    images, shown = render(html, tmp_path)
    assert images
    for image in images:
        assert image.size in {(595, 842), (596, 842)}  # A4 at 72 dpi (595.28 pt rounded)
        width, height = image.size
        mm = DPI / 25.4
        # Nothing is drawn in the left binding margin nor right at the paper's edges.
        assert ink(image, (0, 0, int(20 * mm), height)) == 0
        assert ink(image, (width - int(10 * mm), 0, width, height)) == 0
        assert ink(image, (0, 0, width, int(12 * mm))) == 0
        # The body and the footer (page number) are printed.
        assert ink(image, (0, int(20 * mm), width, int(60 * mm))) > 200
        assert ink(image, (0, height - int(20 * mm), width, height - int(8 * mm))) > 20
    # Every word of the HTML is printed as often as written (tables interleave the order).
    missing = Counter(html_words(html)) - Counter(words(shown))
    assert not missing, missing
