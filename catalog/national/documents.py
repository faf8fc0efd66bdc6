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
_BULLET = re.compile(
    r"^(?:[-+*•–\uf0fc\uf0d8]\s*|\(\*+\)\s*|[a-zđ](?:\.\d{1,2})*\)\s*|\(\d{1,2}(?:\.\d{1,2})*\)\s*"
    r"|\d{1,2}(?:\.\d{1,2})*[.)](?!\d)\s*)+"
)
_GENERIC_HEADING = re.compile(
    r"^(?:giấy tờ phải (?:nộp|xuất trình)|thành phần(?: hồ sơ)?(?: gồm| bao gồm)?|bao gồm"
    r"|hồ sơ(?: gồm| bao gồm)?|lưu ý|ghi chú)?$"
)
_NOTE_SECTION = re.compile(r"^(?:lưu ý|ghi chú)", re.IGNORECASE)
# A document is optional when its name says so: "(nếu có)", or it starts with a condition.
# "trường hợp" / "trừ trường hợp" inside a name is prose and does not make it optional.
_OPTIONAL = re.compile(r"\bnếu có\b", re.IGNORECASE)
_CONDITION_START = re.compile(
    r"^(?:\(?\s*)(?:trong |đối với |với )?(?:trường hợp|nếu|khi)\b", re.IGNORECASE
)
# A heading names a case when it starts with a condition ("Trường hợp…", "Đối với cấp lại").
_CASE_HEADING = re.compile(
    r"^(?:\(?\s*)(?:trong |riêng )?(?:trường hợp|đối với|nếu|khi)\b", re.IGNORECASE
)
# A counted entry ending in ":" is a heading when it reads like one ("… bao gồm:", "… sau:").
_HEADING_END = re.compile(
    r"(?:gồm(?: có)?|sau(?: đây)?|như sau|cụ thể|bổ sung|kèm theo|sau đây)\s*:$", re.IGNORECASE
)
# A count written at the end of a name: "…: 02 bản chính;", "…: 01 bản chụp".
_PROSE_COUNT = re.compile(r"(?<![\d/])(\d{1,2}) ?bản (chính|sao|chụp)\b[^\w]*$", re.IGNORECASE)
_ONLY_PUNCTUATION = re.compile(r"^[\W_]*$")


@dataclass
class DocumentsResult:
    """Parsed documents, notes found among them, and the parse status."""

    documents: list[dict]
    notes: list[str] = field(default_factory=list)
    status: str = "parsed"
    reason: str = ""


@dataclass
class _Section:
    case: str = ""
    action: str = "submit"
    notes_only: bool = False
    intro: str = ""


def parse_documents(text: str | None) -> DocumentsResult:
    """Parse the "Thành phần hồ sơ" cell into document objects and notes."""
    if is_absent(text):
        return DocumentsResult([], [], "absent")
    body = text or ""
    tokens = _count_tokens(body)
    if not any(token.group(1) for token in tokens):
        return DocumentsResult([_raw_document(body)], [], "raw", "no count cell found")

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
            if section.intro:
                notes.append(section.intro)
            sub_case = ""
            continue
        originals, copies = _counts(token)
        name, templates = _split_templates(pending)
        if _ONLY_PUNCTUATION.match(name):
            name = ""
        if not name and not templates:
            continue
        counted = originals or copies
        if not templates and (not counted or _HEADING_END.search(name)):
            heading = _as_heading(name)
            if heading is not None:
                action, case = heading
                section.action = action or section.action
                sub_case = case
                if not case and not action and not _GENERIC_HEADING.match(
                    name.rstrip(" :").casefold()
                ):
                    notes.append(name.rstrip(" :"))
                continue
            said = None if section.notes_only else _PROSE_COUNT.search(name)
            if not counted and said is None:
                notes.append(_with_case(name, section.case or sub_case))
                continue
            if not counted:
                # "a) Tờ khai hải quan: 02 bản chính;" + "0 bản chính": the name gives the count.
                originals, copies = _prose_counts(said)
                mark = {"kind": "inferred", "reason": "document_count_from_name",
                        "source": one_line(said.group(0)).strip(" ;,.")}
                case = "; ".join(part for part in (section.case, sub_case) if part)
                document = _document(name, templates, originals, copies, case, section.action, ids)
                document["_review"] = [mark]
                documents.append(document)
                continue
        if _NOTE_SECTION.match(name):
            # "Lưu ý: - Trường hợp nộp hồ sơ trực tiếp …" is a note, whatever its count.
            notes.append(_with_case(name, section.case or sub_case))
            continue
        name = name.rstrip(" :") if counted else name
        if section.notes_only and originals == 0 and copies == 0:
            notes.append(_with_case(name, section.case or sub_case))
            continue
        case = "; ".join(part for part in (section.case, sub_case) if part)
        documents.append(_document(name or templates[0], templates, originals, copies, case,
                                   section.action, ids))
    tail = body[position:]
    if not is_absent(tail):
        notes.extend(_leftover(tail))
    _single_case_is_intro(documents, notes)
    status = "parsed" if documents or notes else "raw"
    reason = "" if documents or notes else "no document found"
    if notes and not documents:
        # Every entry was written "0 bản chính": notes or uncounted documents, the source does
        # not say which.
        status, reason = "to_check", "every entry is written with no copies"
    if not documents and not notes:
        documents.append(_raw_document(body))
    return DocumentsResult(documents, notes, status, reason)


def _count_tokens(body: str) -> list[re.Match[str]]:
    """The table header and the real count cells of the cell, without counts in prose.

    A count cell is one digit glued to the name before it. "01 bản chính" (a number written
    with a leading zero after a space, "(" or ":") is prose inside a name, and so is a count
    directly followed by another count ("01 bản chính.1 bản chính": only the second is the
    cell).
    """
    found = []
    for token in _TOKEN.finditer(body):
        if token.group(1):
            start = token.start()
            run = start
            while run > 0 and body[run - 1].isdigit():
                run -= 1
            if run < start and body[run] == "0" and (run == 0 or not body[run - 1].isalnum()):
                continue
        found.append(token)
    kept = []
    for index, token in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if (
            token.group(1)
            and following is not None
            and following.group(1)
            and not body[token.end() : following.start()].strip(" \t\n.;,:-")
        ):
            continue
        kept.append(token)
    return kept


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
        "required": not case and not _is_optional(name),
        "action": action,
    }
    if case:
        document["case"] = case
    if templates:
        document["template"] = "; ".join(templates)
    return document


def _prose_counts(said: re.Match[str]) -> tuple[int, int]:
    number = int(said.group(1))
    return (number, 0) if said.group(2) == "chính" else (0, number)


def _is_optional(name: str) -> bool:
    """"(nếu có)" or a name that starts with a condition; "trừ trường hợp…" inside is prose."""
    return bool(_OPTIONAL.search(name) or _CONDITION_START.match(name))


def _raw_document(text: str) -> dict:
    """The whole cell kept as one optional document when no count could be found."""
    name = clean(text.replace(HEADER, "\n")).lstrip(" -+*•\n").rstrip() or clean(text)
    return {"id": "ho_so", "name": name, "required": False, "action": "submit"}


def _single_case_is_intro(documents: list[dict], notes: list[str]) -> None:
    """One case over every document is not a choice between cases: it introduces them.

    The documents become required again (unless their own name is conditional) and the
    heading is kept as a note.
    """
    cases = {document.get("case") for document in documents}
    if len(cases) != 1 or None in cases:
        return
    notes.insert(0, cases.pop())
    for document in documents:
        del document["case"]
        document["required"] = not _is_optional(document["name"])


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
    # The first template word glued to the name ("…khoáng sảnMau 01-Phu luc_39….doc"), not
    # the last one, which may be inside the file name itself ("Phu luc").
    words = [word for word in _TEMPLATE_WORD.finditer(text) if word.start() >= len(text) - 200]
    if words:
        return words[0].start()
    for index in range(len(text) - 1, 0, -1):
        before, char = text[index - 1], text[index]
        if char.isspace():
            continue
        if before in ";)" or (before.islower() and char.isupper()):
            return index
        if before == "." and char.isalnum() and index >= 2 and text[index - 2].isalpha():
            # "…của Bộ Công an.NA5.doc": a sentence ends and the file name starts unspaced.
            return index
    space = text.rfind(" ")
    return space + 1 if space >= 0 else 0


def _strip_bullet(text: str) -> str:
    return _BULLET.sub("", one_line(text).lstrip(" ;,.")).strip(" ;,")


def _section_for(heading: str) -> _Section:
    text = _strip_bullet(heading).rstrip(" :")
    folded = text.casefold()
    present = "xuất trình" in folded and "nộp" not in folded and len(text) < 120
    action = "present" if present else "submit"
    notes_only = bool(_NOTE_SECTION.match(text))
    case = "" if _GENERIC_HEADING.match(folded) or notes_only else text
    if action == "present" and folded.startswith(("giấy tờ phải xuất trình", "xuất trình")):
        case = ""
    intro = ""
    if case and not _CASE_HEADING.match(case):
        # An introductory sentence ("Hồ sơ gồm các giấy tờ sau", "Người yêu cầu nộp 01 bộ…")
        # is not a case: the documents under it stay required; the sentence becomes a note.
        case, intro = "", case
    return _Section(case=case, action=action, notes_only=notes_only, intro=intro)


def _as_heading(name: str) -> tuple[str, str] | None:
    """A zero-count entry ending with ":" is a sub-heading: its action switch and case text."""
    if not name.endswith(":") or (len(name) > 160 and not _HEADING_END.search(name)):
        return None
    text = name.rstrip(" :")
    folded = text.casefold()
    if "xuất trình" in folded and "nộp" not in folded:
        return "present", ""
    if "phải nộp" in folded or folded.startswith("nộp"):
        return "submit", ""
    if _GENERIC_HEADING.match(folded) or not _CASE_HEADING.match(text):
        return "", ""
    return "", text


def _with_case(note: str, case: str) -> str:
    return f"{case}: {note}" if case else note


def _leftover(text: str) -> list[str]:
    note = _strip_bullet(text)
    return [note] if note and not is_absent(note) else []
