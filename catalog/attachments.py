"""Citizens' uploads on disk: type checked from content, size capped while reading.

Files live under `root` at `<aa>/<bb>/<id>`, where `aabb…` is the SHA-256 of the id: the path
follows from the id alone, directories stay small, and two uploads of the same content stay
independent (deleting one never deletes the other). The database keeps the metadata
returned in `StoredAttachment`; nothing here serves files to anyone.

Bytes are written here before any database transaction opens (a slow upload never holds a
lock); a file whose row was never written is found again by `stored_files` so
`motcua purge-uploads` can remove it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import filetype

from form_schemas.wording import file_types_text

CHUNK_SIZE = 64 * 1024
SNIFF_BYTES = 8192
MAX_NAME_LENGTH = 120
DEFAULT_ACCEPT = ("application/pdf", "image/jpeg", "image/png")
TEXT_PLAIN = "text/plain"

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_FORBIDDEN_NAME_CHARS = re.compile(r'[<>:"/\\|?*]')
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}


class AttachmentRejected(ValueError):
    """An upload the citizen must fix: `code` for programs, messages for people."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi


class AttachmentNotFound(LookupError):
    """No stored file has this id (or the id is not one this store could have made)."""


@dataclass(frozen=True)
class StoredAttachment:
    id: str
    sha256: str
    original_name: str
    media_type: str
    size: int
    relative_path: str


def format_size(n: int) -> str:
    """Human size with a Vietnamese decimal comma: 5242880 → "5 MB", 1572864 → "1,5 MB"."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            value = round(n / factor, 1)
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} byte"


def sanitize_filename(name: str) -> str:
    """A display-safe file name: no folders, control or reserved characters, ≤120 characters.

    Vietnamese letters are kept (normalised to NFC); an empty result becomes "tệp".
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _FORBIDDEN_NAME_CHARS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name or "tệp"


def _normalise_type(media_type: str) -> str:
    media_type = media_type.strip().lower()
    return _ALIASES.get(media_type, media_type)


def parse_accept(accept: Sequence[str] | str) -> tuple[str, ...]:
    """Accepted media types from a list and/or comma-separated strings (contentMediaType)."""
    items: Iterable[str] = [accept] if isinstance(accept, str) else accept
    result: list[str] = []
    for item in items:
        for part in item.split(","):
            if part.strip() and (media := _normalise_type(part)) not in result:
                result.append(media)
    return tuple(result)


def type_allowed(media_type: str, accept: Sequence[str]) -> bool:
    """True when `media_type` matches one of `accept` (exact, "image/*" or "*/*")."""
    major = media_type.split("/", 1)[0]
    for allowed in parse_accept(accept):
        if allowed in (media_type, "*/*") or allowed == f"{major}/*":
            return True
    return False


def accept_labels(accept: Sequence[str]) -> tuple[str, str]:
    """The accepted types as citizens read them, e.g. ("PDF, JPG, PNG", "PDF, JPG, PNG")
    (the one name table: form_schemas.wording.FILE_TYPE_NAMES)."""
    accepted = parse_accept(accept)
    return file_types_text(accepted, "vi"), file_types_text(accepted, "en")


def sniff(head: bytes, *, allow_text: bool) -> str | None:
    """Media type from the first bytes; plain UTF-8 text only when `allow_text`."""
    kind = filetype.guess(head)
    if kind is not None:
        return _normalise_type(kind.mime)
    if allow_text and _looks_like_text(head):
        return TEXT_PLAIN
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sniffed window may cut a multi-byte character in half.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    return all(ch in "\t\n\r\f" or not unicodedata.category(ch).startswith("C") for ch in text)


def check_total(sizes: Iterable[int], limit: int) -> int:
    """Sum of a dossier's file sizes; AttachmentRejected("total_too_large") above `limit`."""
    total = sum(sizes)
    if total > limit:
        raise AttachmentRejected(
            "total_too_large",
            f"Tổng dung lượng các tệp của hồ sơ ({format_size(total)}) vượt quá mức tối đa "
            f"{format_size(limit)}.",
            f"The dossier's files total {format_size(total)}, more than the "
            f"{format_size(limit)} allowed.",
        )
    return total


class AttachmentStore:
    """Stores uploads under `root` (the app passes MOTCUA_DATA_DIR/attachments)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def store(
        self,
        stream: BinaryIO,
        original_name: str,
        *,
        accept: Sequence[str],
        max_bytes: int,
    ) -> StoredAttachment:
        """Copy `stream` into the store after checking its size and its real type.

        Raises AttachmentRejected ("empty", "too_large", "type_not_allowed"); nothing is
        left on disk when it does.
        """
        accepted = parse_accept(accept)
        if not accepted:
            raise ValueError("accept must list at least one media type")
        if max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        name = sanitize_filename(original_name)
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        tmp_path = Path(tmp_name)
        try:
            digest, size, head = self._copy(stream, fd, max_bytes, name)
            if size == 0:
                raise AttachmentRejected(
                    "empty",
                    f"Tệp «{name}» không có nội dung.",
                    f"The file “{name}” is empty.",
                )
            allow_text = type_allowed(TEXT_PLAIN, accepted)
            media_type = sniff(head, allow_text=allow_text)
            if media_type is None or not type_allowed(media_type, accepted):
                labels_vi, labels_en = accept_labels(accepted)
                raise AttachmentRejected(
                    "type_not_allowed",
                    f"Tệp «{name}» không đúng định dạng cho phép ({labels_vi}).",
                    f"The file “{name}” is not of an accepted type ({labels_en}).",
                )
            attachment_id = secrets.token_urlsafe(24)
            relative = self._relative_path(attachment_id)
            final = self.root / relative
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_path, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp_path.unlink()
            raise
        return StoredAttachment(
            id=attachment_id,
            sha256=digest,
            original_name=name,
            media_type=media_type,
            size=size,
            relative_path=relative.as_posix(),
        )

    @staticmethod
    def _copy(stream: BinaryIO, fd: int, max_bytes: int, name: str) -> tuple[str, int, bytes]:
        hasher = hashlib.sha256()
        size = 0
        head = b""
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK_SIZE):
                size += len(chunk)
                if size > max_bytes:
                    raise AttachmentRejected(
                        "too_large",
                        f"Tệp «{name}» vượt quá dung lượng tối đa {format_size(max_bytes)}.",
                        f"The file “{name}” is larger than the {format_size(max_bytes)} "
                        "allowed.",
                    )
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                hasher.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return hasher.hexdigest(), size, head

    @staticmethod
    def _relative_path(attachment_id: str) -> Path:
        if not _ID_PATTERN.fullmatch(attachment_id or ""):
            raise AttachmentNotFound(attachment_id)
        shard = hashlib.sha256(attachment_id.encode("ascii")).hexdigest()
        return Path(shard[:2], shard[2:4], attachment_id)

    def path_for(self, attachment_id: str) -> Path:
        """Absolute path of a stored file; AttachmentNotFound if there is none."""
        path = self.root / self._relative_path(attachment_id)
        if not path.is_file():
            raise AttachmentNotFound(attachment_id)
        return path

    def open(self, attachment_id: str) -> BinaryIO:
        """The stored bytes, opened for reading (the caller closes it)."""
        return self.path_for(attachment_id).open("rb")

    def delete(self, attachment_id: str) -> bool:
        """Remove a stored file; False if it was already gone."""
        try:
            self.path_for(attachment_id).unlink()
        except (AttachmentNotFound, FileNotFoundError):
            return False
        return True

    def stored_files(self) -> Iterator[tuple[str, datetime]]:
        """(attachment id, last modified) of every file in the store, unfinished uploads in
        `tmp/` included (their id is the temporary name, which no row can have)."""
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if not path.is_file():
                continue
            try:
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except FileNotFoundError:
                continue
            yield path.name, modified

    def delete_file(self, attachment_id: str, modified_before: datetime) -> bool:
        """Remove the stored file `attachment_id` (or unfinished upload of that name) when it was
        last modified before `modified_before`; False when there was nothing to remove."""
        candidates = [self.root / "tmp" / attachment_id]
        with contextlib.suppress(AttachmentNotFound):
            candidates.append(self.root / self._relative_path(attachment_id))
        removed = False
        for path in candidates:
            with contextlib.suppress(FileNotFoundError):
                if datetime.fromtimestamp(path.stat().st_mtime, UTC) < modified_before:
                    path.unlink()
                    removed = True
        return removed
