"""PDFs cached on disk by content hash: a published version is rendered once."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from form_schemas.canonical import canonical_json
from renderers.pdf.engine import RENDERER_VERSION


class PdfCache:
    """A directory of PDFs keyed by sha256(kind, canonical document, params, renderer version)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def key(self, kind: str, document: Any, params: Mapping[str, Any] | None = None, *,
            digest: str | None = None) -> str:
        """The cache key: equal inputs (whatever their key order) give equal keys. `digest`, when
        the caller knows one that changes whenever the document does (a stored version's hash
        and its local layers), stands for the document and spares hashing it whole."""
        material = canonical_json(
            {
                "kind": kind,
                "document": {"digest": digest} if digest is not None else document,
                "params": _jsonable(params or {}),
                "renderer": RENDERER_VERSION,
            }
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        """Where the PDF of `key` is stored (two-level fan-out)."""
        return self.root / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        """The cached PDF, or None."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, pdf: bytes) -> Path:
        """Store atomically (write a temporary file then rename) and return the path."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def get_or_render(
        self,
        kind: str,
        document: Any,
        render: Callable[[], bytes],
        params: Mapping[str, Any] | None = None,
        *,
        digest: str | None = None,
    ) -> bytes:
        """The cached PDF, or `render()` stored then returned (`digest`: see `key`)."""
        key = self.key(kind, document, params, digest=digest)
        cached = self.get(key)
        if cached is not None:
            return cached
        pdf = render()
        self.put(key, pdf)
        return pdf


def _jsonable(value: Any) -> Any:
    """Dates as ISO text and dataclasses as dicts, so parameters hash like their JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
