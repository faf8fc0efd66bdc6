"""QR codes as SVG data URLs (the only kind of URL the PDF fetcher reads besides static files)."""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=256)
def qr_data_url(text: str) -> str:
    """An SVG data URL encoding `text` (medium error correction, quiet zone of 2 modules)."""
    code = segno.make(text, error="m", micro=False)
    return code.svg_data_uri(scale=4, border=2, omitsize=True)
