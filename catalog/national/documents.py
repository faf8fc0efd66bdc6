"""Documents ("Thành phần hồ sơ"): case headings, names, form files and counts.

The flattened table reads "<heading>Tên giấy tờMẫu đơn, tờ khaiSố lượng<name><form
file>1 bản chính,1 bản sao<name>…". A count cell is a single digit glued to the text before
it and followed by the next name (not by a space: "01 bản sao có chứng thực" inside a name is
prose). Entries with neither originals nor copies ("0 bản chính") are the portal's way of
writing notes; they become notes unless they carry a form file or read like a sub-heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import clean, is_absent, one_line, slugify, unique_name

HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_TOKEN = re.compile(
    re.escape(HEADER)
    + r"|(\d) ?bản (chính|sao)(?:,(\d) ?bản sao)?(?=\s*$|[^\s)])"
)
_EXTENSION = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls|rtf|odt|zip|rar)(?=\.|[^\w.]|$)", re.IGNORECASE)
_TEMPLATE_WORD = re.compile(
    r"(?<=[^\s(])(?=M[ẫa]u|MẪU|MAU|m[ẫa]u|Mus\d|Ms\d|Phụ lục|Phu luc|PL\s?\d|TK\s?\d|Tờ khai|BM\.)"
)
_BULLET = re.compile(r"^(?:[-+*•–]\s*|[a-zđ]\)\s*|\d{1,2}[.)](?!\d)\s*)+")
_GENERIC_HEADING = re.compile(
    r"^(?:giấy tờ phải (?:nộp|xuất trình)|thành phần(?: hồ sơ)?(?: gồm| bao gồm)?|bao gồm"
    r"|hồ sơ(?: gồm| bao gồm)?|lưu ý|ghi chú)?$"
)
_NOTE_SECTION = re.compile(r"^(?:lưu ý|ghi chú)", re.IGNORECASE)
_OPTIONAL = re.compile(r"nếu có|trường hợp|\bnếu\b", re.IGNORECASE)


@dataclass
class DocumentsResult:
    """Parsed documents, notes found among them, and the parse status."""

    documents: list[dict]
    notes: list[str] = field(default_factory=list)
    status: str = "parsed"


@dataclass
class _Section:
    case: str = ""
    action: str = "submit"
    notes_only: bool = False


def parse_documents(text: str | None) -> DocumentsResult:
    """Parse the "Thành phần hồ sơ" cell into document objects and notes."""
    if is_absent(text):
        return DocumentsResult([], [], "absent")
    body = text or ""
    tokens = list(_TOKEN.finditer(body))
    if not any(token.group(1) for token in tokens):
        return DocumentsResult([_raw_document(body)], [], "raw")

    documents: list[dict] = []
    notes: list[str] = []
    ids: set[str] = set()
    section = _Section()
    sub_case = ""
    position = 0
    for token in tokens:
        pending = body[position : token.start()]
        position = token.end()
        if token.group(0) == HEADER:
            section = _section_for(pending)
            sub_case = ""
            continue
        originals, copies = _counts(token)
        name, templates = _split_templates(pending)
        if not name and not templates:
            continue
        if originals == 0 and copies == 0 and not templates:
            heading = _as_heading(name)
            if heading is not None:
                action, case = heading
                section.action = action or section.action
                sub_case = case
            else:
                notes.append(_with_case(name, section.case or sub_case))
            continue
        if section.notes_only and originals == 0 and copies == 0:
            notes.append(_with_case(name, section.case or sub_case))
            continue
        case = "; ".join(part for part in (section.case, sub_case) if part)
        documents.append(_document(name or templates[0], templates, originals, copies, case,
                                   section.action, ids))
    tail = body[position:]
    if not is_absent(tail):
        notes.extend(_leftover(tail))
    status = "parsed" if documents or notes else "raw"
    if not documents and not notes:
        documents.append(_raw_document(body))
    return DocumentsResult(documents, notes, status)


def _counts(token: re.Match[str]) -> tuple[int, int]:
    first = int(token.group(1))
    if token.group(2) == "sao":
        return 0, first
    return first, int(token.group(3) or 0)


def _document(name: str, templates: list[str], originals: int, copies: int, case: str,
              action: str, ids: set[str]) -> dict:
    document: dict = {
        "id": unique_name(slugify(name), ids),
        "name": name,
        "originals": originals,
        "copies": copies,
        "required": not case and not _OPTIONAL.search(name),
        "action": action,
    }
    if case:
        document["case"] = case
    if templates:
        document["template"] = "; ".join(templates)
    return document


def _raw_document(text: str) -> dict:
    """The whole cell kept as one optional document when no count could be found."""
    return {"id": "ho_so", "name": clean(text), "required": False, "action": "submit"}


def _split_templates(text: str) -> tuple[str, list[str]]:
    """Split "…theo Mẫu số 01 …NĐ-CPMẫu số 01.docx" into the name and its form files."""
    text = one_line(text)
    ends = [match.end() for match in _EXTENSION.finditer(text)]
    if not ends or ends[-1] != len(text):
        return _strip_bullet(text), []
    first_end = ends[0]
    before = text[: first_end]
    start = _template_start(before[: before.rfind(".")])
    name = _strip_bullet(text[:start])
    files_text = text[start:]
    files, previous = [], 0
    for end in ends:
        files.append(files_text[previous : end - start].strip(" ;,.-"))
        previous = end - start
    return name, [item for item in files if item]


def _template_start(text: str) -> int:
    """Where a form file's name starts inside the text that precedes its extension."""
    words = list(_TEMPLATE_WORD.finditer(text))
    if words:
        return words[-1].start()
    for index in range(len(text) - 1, 0, -1):
        before, char = text[index - 1], text[index]
        if char.isspace():
            continue
        if before in ";)" or (before.islower() and char.isupper()):
            return index
    space = text.rfind(" ")
    return space + 1 if space >= 0 else 0


def _strip_bullet(text: str) -> str:
    return _BULLET.sub("", one_line(text)).strip(" ;,")


def _section_for(heading: str) -> _Section:
    text = _strip_bullet(heading).rstrip(" :")
    folded = text.casefold()
    present = "xuất trình" in folded and "nộp" not in folded and len(text) < 120
    action = "present" if present else "submit"
    notes_only = bool(_NOTE_SECTION.match(text))
    case = "" if _GENERIC_HEADING.match(folded) or notes_only else text
    if action == "present" and folded.startswith(("giấy tờ phải xuất trình", "xuất trình")):
        case = ""
    return _Section(case=case, action=action, notes_only=notes_only)


def _as_heading(name: str) -> tuple[str, str] | None:
    """A zero-count entry ending with ":" is a sub-heading: its action switch and case text."""
    if not name.endswith(":") or len(name) > 160:
        return None
    text = name.rstrip(" :")
    folded = text.casefold()
    if "xuất trình" in folded and "nộp" not in folded:
        return "present", ""
    if "phải nộp" in folded or folded.startswith("nộp"):
        return "submit", ""
    return "", "" if _GENERIC_HEADING.match(folded) else text


def _with_case(note: str, case: str) -> str:
    return f"{case}: {note}" if case else note


def _leftover(text: str) -> list[str]:
    note = _strip_bullet(text)
    return [note] if note and not is_absent(note) else []
