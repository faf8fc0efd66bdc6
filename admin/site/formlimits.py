"""Reading the application form's body without losing what the citizen typed.

Rule: a text field longer than the form-field limit (Flask's MAX_FORM_MEMORY_SIZE, 500 KB
unless set) does not throw the whole post away as Werkzeug does: its value is dropped, its
name recorded under OVERSIZE_FIELD, and every other field and file of the body is read, so
the form comes back filled with a message on that field. A body over MAX_CONTENT_LENGTH is
not read at all (the browser is told which limit, files, it crossed).
"""

from __future__ import annotations

import typing as t

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

OVERSIZE_FIELD = "_motcua.oversize"


class _TolerantMultiPartParser(MultiPartParser):
    """Werkzeug's multipart parser, but an oversized text field is dropped and named instead
    of failing the body."""

    def parse(
        self, stream: t.IO[bytes], boundary: bytes, content_length: int | None
    ) -> tuple[MultiDict[str, str], MultiDict[str, FileStorage]]:
        limit = self.max_form_memory_size
        decoder = MultipartDecoder(boundary, max_form_memory_size=None, max_parts=self.max_form_parts)
        fields: list[tuple[str, str]] = []
        files: list[tuple[str, FileStorage]] = []
        oversize: list[str] = []
        part: Field | File | None = None
        chunks: list[bytes] = []
        size = 0
        container: t.IO[bytes] | None = None
        while True:
            data = stream.read(self.buffer_size)
            decoder.receive_data(data or None)
            event = decoder.next_event()
            while not isinstance(event, (Epilogue, NeedData)):
                if isinstance(event, Field):
                    part, chunks, size, container = event, [], 0, None
                elif isinstance(event, File):
                    part, container = event, self.start_file_streaming(event, content_length)
                elif isinstance(event, Data) and part is not None:
                    if container is not None:
                        container.write(event.data)
                    else:
                        size += len(event.data)
                        if limit is None or size <= limit:
                            chunks.append(event.data)
                    if not event.more_data:
                        if container is not None:
                            container.seek(0)
                            files.append((part.name, FileStorage(container, getattr(part, "filename", None),
                                                                 part.name, headers=part.headers)))
                        elif limit is not None and size > limit:
                            oversize.append(part.name)
                        else:
                            charset = self.get_part_charset(part.headers)
                            fields.append((part.name, b"".join(chunks).decode(charset, "replace")))
                        part, chunks, container = None, [], None
                event = decoder.next_event()
            if not data or isinstance(event, Epilogue):
                break
        fields = [(name, value) for name, value in fields if name != OVERSIZE_FIELD]
        fields.extend((OVERSIZE_FIELD, name) for name in oversize)
        return self.cls(fields), self.cls(files)


class TolerantFormDataParser(FormDataParser):
    """FormDataParser whose multipart bodies are read by the tolerant parser above."""

    def _parse_multipart(
        self, stream: t.IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str],
    ) -> tuple[t.IO[bytes], MultiDict[str, str], MultiDict[str, FileStorage]]:
        parser = _TolerantMultiPartParser(
            stream_factory=self.stream_factory, max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts, cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files
