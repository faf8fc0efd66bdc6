"""The single WeasyPrint renderer of a process: fonts, parsed CSS, templates and a safe fetcher."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import threading
import unicodedata
from collections import deque
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

import jinja2
import markupsafe
import weasyprint
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from form_schemas import wording
from renderers.pdf import formatting
from renderers.pdf.qr import qr_data_url

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_URL = STATIC_DIR.as_uri() + "/"
STYLESHEETS = ("fonts.css", "print.css")

# WeasyPrint logs every refused URL as a warning; they are expected (schema text is untrusted).
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class ForbiddenURL(ValueError):
    """A document asked for a resource outside `data:` URLs and the package's static files."""


class SafeFetcher(URLFetcher):
    """Reads `data:` URLs and files under `static/`; refuses everything else.

    WeasyPrint catches the refusal and leaves the resource out, so the rendering goes on.
    `refused` keeps the refused URLs (for tests and logs).
    """

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.static_dir = static_dir.resolve()
        self.refused: deque[str] = deque(maxlen=100)
        self._static_cache: dict[Path, bytes] = {}

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._static_path(url)
            if path is not None:
                body = self._static_cache.get(path)
                if body is None:
                    body = self._static_cache[path] = path.read_bytes()
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
        self.refused.append(url)
        raise ForbiddenURL(f"URL refusée (chỉ cho phép data: và tệp tĩnh): {url}")

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(self.static_dir) and path.is_file():
            return path
        return None


def _nfc(value: Any) -> Any:
    """Text composed (NFC): decomposed Vietnamese marks would print and search badly."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return unicodedata.normalize("NFC", value)
    return value


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        finalize=_nfc,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        amount=formatting.format_amount,
        fee_amount=lambda fee: wording.fee_amount_text(fee, formatting.PAPER),
        fee_label=lambda fee: wording.fee_label(fee, formatting.PAPER),
        fee_note=wording.fee_note,
        vn_date=formatting.format_date,
        vn_number=formatting.format_number,
        processing_time=formatting.format_processing_time,
        levels=formatting.format_levels,
        copies=formatting.format_copies,
    )
    env.globals.update(
        qr_data_url=qr_data_url,
        mode_label=lambda mode: wording.channel_name(mode, formatting.PAPER),
        fee_kind_label=lambda kind: wording.fee_kind_name(kind, formatting.PAPER),
        online_level_label=lambda level: wording.online_level_name(level, formatting.PAPER),
        check=formatting.check_tag,
        UNKNOWN=wording.UNKNOWN,
    )
    return env


TEMPLATES = _environment()


def stylesheet_text() -> str:
    """The CSS of every document (fonts first), as one text."""
    return "\n".join((STATIC_DIR / name).read_text("utf-8") for name in STYLESHEETS)


def render_template(name: str, *, preview: bool, **context: Any) -> str:
    """HTML of a template; `preview` inlines the CSS so a browser shows what the PDF shows."""
    css = stylesheet_text() if preview else ""
    return TEMPLATES.get_template(name).render(inline_css=css, **context)


def _renderer_version() -> str:
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for folder in (TEMPLATES_DIR, STATIC_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".css"}:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            elif path.is_file():
                digest.update(f"{path.name}:{path.stat().st_size}".encode())
    for module in (wording, formatting):  # the words printed are part of the rendering
        digest.update(Path(module.__file__ or "").read_bytes())
    for name in ("office.py", "blank_form.py", "receipt.py"):  # "Kính gửi", form titles, slip 01 dates
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


RENDERER_VERSION = _renderer_version()
"""Changes whenever templates, CSS, fonts, wording or WeasyPrint change (part of the cache key)."""


class Renderer:
    """WeasyPrint with the font configuration, stylesheet and fetcher built once."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.font_config = FontConfiguration()
        self.fetcher = SafeFetcher()
        self.stylesheets = [
            CSS(
                string=stylesheet_text(),
                base_url=STATIC_URL,
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
        ]
        self._lock = threading.Lock()

    def document(self, html: str) -> Document:
        """Lay out `html` (built with `preview=False`) into pages."""
        with self._lock:
            return HTML(string=html, base_url=STATIC_URL, url_fetcher=self.fetcher).render(
                font_config=self.font_config, stylesheets=self.stylesheets
            )

    def pdf(self, html: str) -> bytes:
        """PDF bytes of `html`."""
        return self.document(html).write_pdf()

    def write(self, html: str, target: str | Path | BinaryIO) -> int:
        """Write the PDF of `html` to `target`; returns its number of pages."""
        document = self.document(html)
        document.write_pdf(target)
        return len(document.pages)


_renderer: Renderer | None = None


def get_renderer() -> Renderer:
    """The renderer of this process (a forked child builds its own)."""
    global _renderer
    if _renderer is None or _renderer.pid != os.getpid():
        _renderer = Renderer()
    return _renderer
