"""Shared helpers of the PDF tests (no tests here): text, fonts and pages of a PDF."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from pypdf import PdfReader

from renderers.pdf.notice import NoticeInfo

INFO = NoticeInfo(
    version=3,
    version_date=date(2026, 2, 1),
    procedure_url="https://motcua.example.vn/procedures/1.001193",
    complaints_address="Văn phòng UBND phường Ba Đình, 25 Liễu Giai; điện thoại 024 3823 4567",
)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Text of each page, NFC, whitespace collapsed to single spaces."""
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text() or ""))
        for page in reader(pdf).pages
    ]


def text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Base font name -> whether its file is embedded (/FontFile2 in its descriptor)."""
    fonts: dict[str, bool] = {}
    resources = []
    for page in reader(pdf).pages:
        resources.append(page["/Resources"])
        for xobject in page["/Resources"].get("/XObject", {}).values():  # e.g. booklet numbers
            if xobject.get_object().get("/Subtype") == "/Form":
                resources.append(xobject.get_object()["/Resources"])
    for resource in resources:
        for font in resource.get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            fonts[name] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return fonts


def notice_kwargs() -> dict[str, object]:
    return {
        "version": INFO.version,
        "version_date": INFO.version_date,
        "procedure_url": INFO.procedure_url,
        "complaints_address": INFO.complaints_address,
    }
