"""Uploads a citizen makes: what is kept, what is refused and the message they read."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from catalog.attachments import (
    DEFAULT_ACCEPT,
    AttachmentNotFound,
    AttachmentRejected,
    AttachmentStore,
    accept_labels,
    check_total,
    format_size,
    sanitize_filename,
)

MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document>Tờ khai</w:document>")
    return buffer.getvalue()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def rejection(
    store: AttachmentStore, data: bytes, name: str, **kwargs: object
) -> AttachmentRejected:
    kwargs.setdefault("accept", DEFAULT_ACCEPT)
    kwargs.setdefault("max_bytes", 5 * MB)
    with pytest.raises(AttachmentRejected) as caught:
        store.store(io.BytesIO(data), name, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- Accepted files ---------------------------------------------------------------------------


def test_pdf_is_stored_with_its_metadata(store: AttachmentStore) -> None:
    saved = store.store(io.BytesIO(PDF), "Giấy chứng sinh.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB)
    assert saved.media_type == "application/pdf"
    assert saved.size == len(PDF)
    assert saved.sha256 == hashlib.sha256(PDF).hexdigest()
    assert saved.original_name == "Giấy chứng sinh.pdf"
    assert store.path_for(saved.id) == store.root / saved.relative_path
    with store.open(saved.id) as stored:
        assert stored.read() == PDF


def test_type_comes_from_content_not_from_the_name(store: AttachmentStore) -> None:
    saved = store.store(io.BytesIO(PNG), "scan.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB)
    assert saved.media_type == "image/png"
    saved = store.store(io.BytesIO(JPEG), "ảnh CCCD", accept=["image/*"], max_bytes=MB)
    assert saved.media_type == "image/jpeg"


def test_docx_accepted_when_listed(store: AttachmentStore) -> None:
    saved = store.store(io.BytesIO(docx_bytes()), "to-khai.docx", accept=[DOCX_TYPE], max_bytes=MB)
    assert saved.media_type == DOCX_TYPE


def test_comma_separated_accept_from_content_media_type(store: AttachmentStore) -> None:
    accept = ["application/pdf, image/jpg"]
    saved = store.store(io.BytesIO(JPEG), "a.jpg", accept=accept, max_bytes=MB)
    assert saved.media_type == "image/jpeg"


def test_plain_text_only_when_accepted(store: AttachmentStore) -> None:
    text = "Ghi chú: nộp bổ sung bản sao sổ hộ khẩu.\n".encode()
    saved = store.store(io.BytesIO(text), "ghi-chu.txt", accept=["text/plain"], max_bytes=MB)
    assert saved.media_type == "text/plain"
    error = rejection(store, text, "ghi-chu.pdf")
    assert error.code == "type_not_allowed"


def test_same_content_twice_gives_independent_files(store: AttachmentStore) -> None:
    first = store.store(io.BytesIO(PDF), "a.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB)
    second = store.store(io.BytesIO(PDF), "a.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB)
    assert first.id != second.id and first.sha256 == second.sha256
    assert store.delete(first.id)
    with store.open(second.id) as stored:
        assert stored.read() == PDF


def test_paths_are_sharded(store: AttachmentStore) -> None:
    saved = store.store(io.BytesIO(PDF), "a.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB)
    shard_a, shard_b, leaf = saved.relative_path.split("/")
    assert len(shard_a) == len(shard_b) == 2 and leaf == saved.id


def test_exactly_max_bytes_is_accepted(store: AttachmentStore) -> None:
    data = PDF + b"0" * (MB - len(PDF))
    assert store.store(io.BytesIO(data), "a.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB).size == MB


# --- Refusals ---------------------------------------------------------------------------------


def test_executable_named_pdf_is_refused_with_the_allowed_types(store: AttachmentStore) -> None:
    error = rejection(store, EXE, "x.exe")
    assert error.code == "type_not_allowed"
    assert error.message_vi == "Tệp «x.exe» không đúng định dạng cho phép (PDF, JPG, PNG)."
    error = rejection(store, EXE, "don.pdf")
    assert error.message_vi == "Tệp «don.pdf» không đúng định dạng cho phép (PDF, JPG, PNG)."
    assert "PDF, JPG, PNG" in error.message_en
    assert files_under(store.root) == []


def test_image_wildcard_refuses_pdf(store: AttachmentStore) -> None:
    error = rejection(store, PDF, "anh.jpg", accept=["image/*"])
    assert error.message_vi == "Tệp «anh.jpg» không đúng định dạng cho phép (ảnh)."


def test_unknown_binary_is_refused_even_if_text_is_allowed(store: AttachmentStore) -> None:
    error = rejection(store, b"\x00\x01\x02binary", "a.txt", accept=["text/plain"])
    assert error.code == "type_not_allowed"


def test_too_large_is_refused_without_a_partial_file(store: AttachmentStore) -> None:
    data = PDF + b"0" * (5 * MB)
    error = rejection(store, data, "ho-so.pdf", max_bytes=5 * MB)
    assert error.code == "too_large"
    assert error.message_vi == "Tệp «ho-so.pdf» vượt quá dung lượng tối đa 5 MB."
    assert files_under(store.root) == []


class EndlessPdf(io.RawIOBase):
    """A client that never stops sending; counts what the store asked for."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise AssertionError("the store must read in chunks")
        if self.served > 50 * MB:
            raise AssertionError("the store kept reading past its limit")
        chunk = (PDF if self.served == 0 else b"") + b"0" * size
        self.served += len(chunk[:size])
        return chunk[:size]


def test_endless_upload_is_cut_at_the_limit(store: AttachmentStore) -> None:
    stream = EndlessPdf()
    with pytest.raises(AttachmentRejected) as caught:
        store.store(
            stream,  # type: ignore[arg-type]
            "vo-tan.pdf",
            accept=DEFAULT_ACCEPT,
            max_bytes=2 * MB,
        )
    assert caught.value.code == "too_large"
    assert stream.served <= 2 * MB + 64 * 1024
    assert files_under(store.root) == []


def test_empty_file_is_refused(store: AttachmentStore) -> None:
    error = rejection(store, b"", "trong.pdf")
    assert (error.code, error.message_vi) == ("empty", "Tệp «trong.pdf» không có nội dung.")


def test_message_uses_the_sanitised_name(store: AttachmentStore) -> None:
    error = rejection(store, EXE, "C:\\Users\\An\\virus\u202egpj.exe")
    assert "«virusgpj.exe»" in error.message_vi


def test_accept_must_not_be_empty(store: AttachmentStore) -> None:
    with pytest.raises(ValueError):
        store.store(io.BytesIO(PDF), "a.pdf", accept=[], max_bytes=MB)


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\fakepath\\Tờ khai đăng ký khai sinh.pdf", "Tờ khai đăng ký khai sinh.pdf"),
        ("Gia\u0302\u0301y to\u031b\u0300.pdf", "Giấy tờ.pdf"),
        ("a\x00b\x1fc\n.pdf", "abc.pdf"),
        ('bad<>:"|?*.pdf', "bad_______.pdf"),
        ("  ..ẩn  .pdf ", "ẩn .pdf"),
        ("", "tệp"),
        ("...", "tệp"),
        ("/", "tệp"),
    ],
)
def test_sanitize_filename(raw: str, clean: str) -> None:
    assert sanitize_filename(raw) == clean


def test_long_names_keep_their_extension() -> None:
    clean = sanitize_filename("Đơn đề nghị " * 30 + ".docx")
    assert len(clean) <= 120 and clean.endswith(".docx") and clean.startswith("Đơn đề nghị")


# --- Lookup and deletion ----------------------------------------------------------------------


def test_delete_then_lookup(store: AttachmentStore) -> None:
    saved = store.store(io.BytesIO(PDF), "a.pdf", accept=DEFAULT_ACCEPT, max_bytes=MB)
    assert store.delete(saved.id) is True
    assert store.delete(saved.id) is False
    with pytest.raises(AttachmentNotFound):
        store.open(saved.id)


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "a/b", "x" * 100, "short"])
def test_ids_cannot_escape_the_store(store: AttachmentStore, bad_id: str) -> None:
    with pytest.raises(AttachmentNotFound):
        store.path_for(bad_id)
    assert store.delete(bad_id) is False


# --- Totals and labels ------------------------------------------------------------------------


def test_check_total() -> None:
    assert check_total([MB, 2 * MB], 20 * MB) == 3 * MB
    with pytest.raises(AttachmentRejected) as caught:
        check_total([15 * MB, 6 * MB], 20 * MB)
    assert caught.value.code == "total_too_large"
    assert caught.value.message_vi == (
        "Tổng dung lượng các tệp của hồ sơ (21 MB) vượt quá mức tối đa 20 MB."
    )


def test_format_size() -> None:
    assert format_size(5 * MB) == "5 MB"
    assert format_size(3 * MB // 2) == "1,5 MB"
    assert format_size(500 * 1024) == "500 KB"
    assert format_size(10) == "10 byte"


def test_accept_labels() -> None:
    assert accept_labels(["application/pdf", "image/jpeg", "image/jpg", DOCX_TYPE]) == (
        "PDF, JPG, DOCX",
        "PDF, JPG, DOCX",
    )
    assert accept_labels(["image/*"]) == ("ảnh", "image")
