"""PDF documents of a procedure: posted notice, blank and filled forms, receipt and slips 02–07, booklet.

Every document is built as HTML (previewable in a browser) and rendered by one WeasyPrint
renderer per process (`engine.get_renderer()`), with bundled fonts and a fetcher that only
reads `data:` URLs and this package's static files.
"""

from __future__ import annotations

from renderers.pdf.blank_form import blank_form_html, render_blank_form
from renderers.pdf.booklet import BookletEntry, render_booklet, render_booklet_to
from renderers.pdf.cache import PdfCache
from renderers.pdf.engine import RENDERER_VERSION, Renderer, get_renderer
from renderers.pdf.filled_form import filled_form_html, render_filled_form
from renderers.pdf.notice import NoticeInfo, notice_html, render_notice
from renderers.pdf.office import OfficeHeading
from renderers.pdf.receipt import ReceiptData, ReceivedDocument, receipt_html, render_receipt
from renderers.pdf.slips import (
    SLIP_TITLES,
    RegisterRow,
    SlipData,
    SlipStep,
    register_csv,
    render_register,
    render_slip,
    slip_html,
)

__all__ = [
    "RENDERER_VERSION",
    "SLIP_TITLES",
    "BookletEntry",
    "NoticeInfo",
    "OfficeHeading",
    "PdfCache",
    "ReceiptData",
    "ReceivedDocument",
    "RegisterRow",
    "Renderer",
    "SlipData",
    "SlipStep",
    "blank_form_html",
    "filled_form_html",
    "get_renderer",
    "notice_html",
    "receipt_html",
    "register_csv",
    "render_blank_form",
    "render_booklet",
    "render_booklet_to",
    "render_filled_form",
    "render_notice",
    "render_receipt",
    "render_register",
    "render_slip",
    "slip_html",
]
