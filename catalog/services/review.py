"""The review queue: facts the importer inferred or could not read, confirmed or corrected.

The queue lists, for every procedure whose newest version (published, or an open draft)
carries review marks (form_schemas/review.py), each marked place with its readable label,
the converted value and the source text, grouped by reason with counts per reason.
Confirming a fact removes its mark; correcting it sets the value at the pointer and removes
the mark. Either change goes into a draft (the open one, or a new one copied from the
published version) through `save_draft`, so it is validated, audited and then reviewed and
published like any other edit. A version in review is never touched.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import form_schemas
from catalog.models import AuditEvent, Procedure, ProcedureVersion, VersionStatus
from catalog.services.errors import ServiceError, WorkflowError
from catalog.services.procedures import new_draft, save_draft
from form_schemas.diff import CHANNEL_LABELS, FACT_LABELS, SUB_LABELS, show
from form_schemas.problems import InvalidProcedure, SchemaProblem
from form_schemas.review import REASONS, Mark, marks, marks_by_pointer, without_marks
from form_schemas.validation import check_procedure

UNKNOWN = "Chưa có thông tin"
QUEUED = (VersionStatus.draft, VersionStatus.in_review, VersionStatus.published)
# Places diff.py has no word for (the queue points deeper than a diff does).
MORE_LABELS = {
    "amount": "số tiền", "basis": "căn cứ mức thu", "currency": "đơn vị tiền tệ", "per": "tính theo",
    "maximum": "mức tối đa", "tiers": "bậc", "note": "ghi chú", "kind": "loại", "value": "thời hạn",
    "unit": "đơn vị",
}
BASIS_LABELS = {
    "set_by_province": "Mức thu theo quy định của HĐND cấp tỉnh", "per_regulation": "Theo quy định",
    "to_check": "Cần kiểm tra",
}
ROOT_LABELS = {"title": "Tên thủ tục", "description": "Mô tả"}
FEE_POINTER = re.compile(r"^/x-procedure/channels/\d+/fees/\d+$")
TIME_POINTER = re.compile(r"^/x-procedure/channels/\d+/processingTime$")
INTEGER = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$|^\d+$")
NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


class InvalidCorrection(ServiceError):
    """A corrected value the document cannot take: the problems name the JSON pointer."""

    def __init__(self, problems: list[SchemaProblem]):
        self.problems = problems
        first = problems[0]
        super().__init__(f"{first.pointer or '/'}: {first.message_vi}", f"{first.pointer or '/'}: {first.message_en}")


@dataclass(frozen=True)
class ReasonCount:
    """How many marks (and on how many procedures) one reason has."""

    reason: str
    label_vi: str
    label_en: str
    marks: int
    procedures: int

    def label(self, locale: str = "vi") -> str:
        return self.label_en if locale.startswith("en") else self.label_vi


@dataclass(frozen=True)
class ReviewItem:
    """One marked place of a procedure, as an officer reads it."""

    code: str
    name: str
    version: int
    status: VersionStatus
    pointer: str
    label: str
    value: str
    known: bool
    mark: Mark
    editable: str = ""
    correctable: bool = True

    @property
    def source(self) -> str:
        return self.mark.source

    @property
    def kind(self) -> str:
        return self.mark.kind


@dataclass(frozen=True)
class ReviewGroup:
    reason: ReasonCount
    items: list[ReviewItem]


@dataclass(frozen=True)
class ReviewPage:
    """One page of the queue: the counts of every reason, and this page's items by reason."""

    counts: list[ReasonCount]
    total: int
    procedures: int
    reason: str | None
    matching: int
    page: int
    per_page: int
    groups: list[ReviewGroup] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.matching // self.per_page))


def _reason_order(reason: str) -> tuple[int, str]:
    order = list(REASONS)
    return (order.index(reason), reason) if reason in order else (len(order), reason)


def _queued_marks(session: Session) -> list[tuple[int, str, Mark]]:
    """(version id, code, mark) of every mark on the newest queued version of each procedure.

    Only the review list is read from the database (a JSON path), not whole documents."""
    review = ProcedureVersion.document[("x-procedure", "review")]
    rows = session.execute(
        select(ProcedureVersion.id, Procedure.code, review)
        .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
        .where(ProcedureVersion.number == Procedure.latest_number, ProcedureVersion.status.in_(QUEUED))
        .order_by(Procedure.code)
    )
    found = []
    for version_id, code, items in rows:
        if isinstance(items, str):  # some drivers hand back the JSON text of a path
            items = json.loads(items)
        if isinstance(items, list) and items:
            found.extend((version_id, code, mark) for mark in marks({"x-procedure": {"review": items}}))
    return found


def review_queue(session: Session, *, reason: str | None = None, page: int = 1,
                 per_page: int = 50) -> ReviewPage:
    """The marks to review, by reason (the table's order), then procedure code, one page of them."""
    everything = _queued_marks(session)
    per_reason: dict[str, list[tuple[int, str, Mark]]] = {}
    for entry in everything:
        per_reason.setdefault(entry[2].reason, []).append(entry)
    counts = []
    for code in sorted(per_reason, key=_reason_order):
        sample = per_reason[code][0][2]
        counts.append(ReasonCount(code, sample.reason_label("vi"), sample.reason_label("en"),
                                  len(per_reason[code]), len({e[1] for e in per_reason[code]})))
    chosen = [e for c in counts if reason in (None, c.reason) for e in per_reason[c.reason]]
    page = max(1, min(page, max(1, -(-len(chosen) // per_page))))
    shown = chosen[(page - 1) * per_page: page * per_page]
    versions = {v.id: v for v in session.scalars(
        select(ProcedureVersion).options(selectinload(ProcedureVersion.procedure))
        .where(ProcedureVersion.id.in_({e[0] for e in shown})))} if shown else {}
    by_reason = {c.reason: c for c in counts}
    groups: list[ReviewGroup] = []
    for version_id, _code, mark in shown:
        version = versions[version_id]
        if not groups or groups[-1].reason.reason != mark.reason:
            groups.append(ReviewGroup(by_reason[mark.reason], []))
        groups[-1].items.append(_item(version, mark))
    return ReviewPage(counts, len(everything), len({e[1] for e in everything}), reason, len(chosen),
                      page, per_page, groups)


def _item(version: ProcedureVersion, mark: Mark) -> ReviewItem:
    document = version.document
    found, value = resolve(document, mark.pointer)
    known = found and value not in (None, "", [])
    return ReviewItem(
        code=version.procedure.code, name=str(document.get("title", "")), version=version.number,
        status=version.status, pointer=mark.pointer, label=place_label(document, mark.pointer),
        value=_shown(mark.pointer, value) if known else UNKNOWN, known=known, mark=mark,
        editable=_editable(mark.pointer, value) if known else "",
        correctable=_correctable(mark.pointer, value),
    )


def _editable(pointer: str, value: Any) -> str:
    """The value as the officer would type it back (a fee: its amount; a time: "3 Ngày làm việc")."""
    if FEE_POINTER.match(pointer):
        amount = value.get("amount") if isinstance(value, dict) else None
        return str(amount) if isinstance(amount, int) else ""
    if TIME_POINTER.match(pointer):
        return _shown(pointer, value)
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def _correctable(pointer: str, value: Any) -> bool:
    """Whether one typed value can correct the place (else the editor is the way)."""
    return bool(FEE_POINTER.match(pointer) or TIME_POINTER.match(pointer)) or value is None \
        or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _shown(pointer: str, value: Any) -> str:
    """The converted value in words: a fee as "Lệ phí …: 50.000 VND", a time as "5 Ngày làm việc"."""
    if FEE_POINTER.match(pointer) and isinstance(value, dict):
        amount = value.get("amount")
        text = f"{amount:,}".replace(",", ".") + f" {value.get('currency', 'VND')}" \
            if isinstance(amount, int) else BASIS_LABELS.get(str(value.get("basis")), UNKNOWN)
        return f"{value.get('name', '')}: {text}"
    if isinstance(value, int) and not isinstance(value, bool) and pointer.endswith("/amount"):
        return f"{value:,}".replace(",", ".")
    if TIME_POINTER.match(pointer) and isinstance(value, dict):
        return f"{show(value.get('value'))} {_enum_name(pointer + '/unit', value.get('unit'))}".strip()
    return show(value)


def _steps(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")] if pointer else []


def resolve(document: Any, pointer: str) -> tuple[bool, Any]:
    """(found, value) at a JSON pointer."""
    node = document
    for step in _steps(pointer):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return False, None
    return True, node


def place_label(document: dict[str, Any], pointer: str) -> str:
    """A place in words: "Cơ quan có thẩm quyền", "Kênh Trực tiếp: phí, lệ phí 1: số tiền"."""
    steps = _steps(pointer)
    if not steps:
        return "Tài liệu"
    if steps[0] != "x-procedure":
        return ": ".join([ROOT_LABELS.get(steps[0], steps[0]), *steps[1:]])
    steps = steps[1:]
    if not steps:
        return "Thông tin thủ tục"
    key, rest = steps[0], steps[1:]
    words: list[str] = []
    if key == "agencies" and rest:
        words.append(SUB_LABELS.get(rest[0], rest[0]).capitalize())
        rest = rest[1:]
    elif key == "channels" and rest and rest[0].isdigit():
        _, channel = resolve(document, f"/x-procedure/channels/{rest[0]}")
        mode = channel.get("mode") if isinstance(channel, dict) else None
        words.append(f"Kênh {CHANNEL_LABELS.get(str(mode), str(mode or int(rest[0]) + 1))}")
        rest = rest[1:]
    else:
        words.append(FACT_LABELS.get(key, key))
    for step in rest:
        if step.isdigit():
            words[-1] = f"{words[-1]} {int(step) + 1}"
        else:
            words.append(SUB_LABELS.get(step, MORE_LABELS.get(step, step)))
    return ": ".join(words)


# --- confirming and correcting -------------------------------------------------------------


def confirm_fact(session: Session, procedure: Procedure, pointer: str, *, actor: str) -> ProcedureVersion:
    """The value at `pointer` is right as it is: its mark goes, in a draft. Returns the draft."""
    base = _editable_base(procedure)
    mark = _mark_or_refuse(base.document, pointer)
    document = without_marks(copy.deepcopy(base.document), [pointer])
    check_procedure(document)
    return _save(session, procedure, document, actor, "review_confirm", mark, None)


def correct_fact(session: Session, procedure: Procedure, pointer: str, value: Any, *,
                 actor: str) -> ProcedureVersion:
    """Set the value at `pointer` (a fee's amount drops its `basis`) and drop the mark, in a draft.

    Raises `InvalidCorrection` (with the pointer) and stores nothing when the value does not fit."""
    base = _editable_base(procedure)
    mark = _mark_or_refuse(base.document, pointer)
    document = copy.deepcopy(base.document)
    target, stored = _typed(document, pointer, value)
    _set(document, target, stored)
    if target.endswith("/amount") and FEE_POINTER.match(target.rpartition("/")[0]):
        _, fee = resolve(document, target.rpartition("/")[0])
        fee.pop("basis", None)
    document = without_marks(document, {pointer, target})
    try:
        check_procedure(document)
    except InvalidProcedure as exc:
        raise InvalidCorrection(exc.problems) from None
    return _save(session, procedure, document, actor, "review_correct", mark, stored)


def _editable_base(procedure: Procedure) -> ProcedureVersion:
    """The newest version, when a draft can hold the change (not in review, not ended)."""
    latest = procedure.versions[-1] if procedure.versions else None
    if latest is None:
        raise WorkflowError("Thủ tục chưa có phiên bản nào.", "The procedure has no version.")
    if latest.status == VersionStatus.in_review:
        raise WorkflowError(
            f"Thủ tục {procedure.code}: phiên bản {latest.number} đang chờ duyệt; hãy duyệt hoặc trả lại trước.",
            f"Procedure {procedure.code}: version {latest.number} is in review; approve it or send it back first.",
        )
    if latest.status not in QUEUED:
        raise WorkflowError(f"Thủ tục {procedure.code} đã bãi bỏ.", f"Procedure {procedure.code} is abolished.")
    return latest


def _mark_or_refuse(document: dict[str, Any], pointer: str) -> Mark:
    mark = marks_by_pointer(document).get(pointer)
    if mark is None:
        raise InvalidCorrection([SchemaProblem(
            pointer, "chỗ này không có dữ kiện cần kiểm tra (có thể đã được xác nhận)",
            "nothing to check here (it may have been confirmed already)")])
    return mark


def _save(session: Session, procedure: Procedure, document: dict[str, Any], actor: str, action: str,
          mark: Mark, value: Any) -> ProcedureVersion:
    draft = new_draft(session, procedure, actor=actor)
    detail: dict[str, Any] = {"pointer": mark.pointer, "reason": mark.reason}
    if action == "review_correct":
        detail["value"] = value
    session.add(AuditEvent(actor=actor, action=action, detail=detail, procedure_id=procedure.id,
                           version_id=draft.id))
    try:
        return save_draft(session, draft, document, expected_lock=draft.lock_version, actor=actor)
    except Exception:
        session.rollback()
        raise


def _problem(pointer: str, vi: str, en: str) -> InvalidCorrection:
    return InvalidCorrection([SchemaProblem(pointer, vi, en)])


def _typed(document: dict[str, Any], pointer: str, value: Any) -> tuple[str, Any]:
    """(where to write, what) for a value typed by the officer; a fee takes its amount."""
    if FEE_POINTER.match(pointer):
        pointer += "/amount"
    if isinstance(value, str):
        value = value.strip()
    if value in ("", None):
        raise _problem(pointer, "hãy nhập giá trị đã sửa", "enter the corrected value")
    found, current = resolve(document, pointer)
    if not _parent_exists(document, pointer):
        raise _problem(pointer, "chỗ này không có trong tài liệu", "this place is not in the document")
    schema = _schema_at(pointer) or {}
    kind = schema.get("type") or (
        "integer" if isinstance(current, int) and not isinstance(current, bool)
        else "string" if current is None or isinstance(current, str) else type(current).__name__)
    if pointer.endswith("/amount") and FEE_POINTER.match(pointer.rpartition("/")[0]):
        return pointer, _integer(pointer, value, "số tiền phải là số nguyên không âm, tính theo đơn vị "
                                 "tiền tệ của khoản phí (ví dụ 50000 hoặc 50.000)",
                                 "the amount must be a whole number ≥ 0 in the fee's currency (e.g. 50000)")
    if TIME_POINTER.match(pointer):
        return pointer, _time(pointer, value, current if isinstance(current, dict) else {})
    if kind == "integer":
        return pointer, _integer(pointer, value, "phải là số nguyên không âm", "must be a whole number ≥ 0")
    if kind == "number":
        return pointer, _number(pointer, value)
    if kind == "string" and isinstance(value, str):
        if "enum" in schema:
            return pointer, _enum_code(pointer, value, schema)
        return pointer, value
    raise _problem(pointer, "chỗ này không sửa được bằng một giá trị; hãy sửa trong trình soạn thảo",
                   "this place cannot be corrected with one value; edit it in the editor")


def _integer(pointer: str, value: Any, vi: str, en: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and INTEGER.match(value):
        return int(re.sub(r"[.\s]", "", value))
    raise _problem(pointer, vi, en)


def _number(pointer: str, value: Any) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and NUMBER.match(value):
        number = float(value.replace(",", "."))
        return int(number) if number.is_integer() else number
    raise _problem(pointer, "phải là một số không âm (ví dụ 5 hoặc 1,5)", "must be a number ≥ 0 (e.g. 5 or 1.5)")


def _time(pointer: str, value: Any, current: dict[str, Any]) -> dict[str, Any]:
    """"5 ngày làm việc" → {value: 5, unit: working_days}, keeping the note."""
    match = re.match(r"^(\d+(?:[.,]\d+)?)\s*(.*)$", str(value))
    unit_schema = _schema_at(pointer + "/unit") or {}
    if match and match.group(2):
        unit = _enum_code(pointer, match.group(2), unit_schema)
        return {**current, "value": _number(pointer, match.group(1)), "unit": unit}
    names = ", ".join(unit_schema.get("x-enumNames", []))
    raise _problem(pointer, f"hãy ghi số và đơn vị, ví dụ «5 Ngày làm việc» (đơn vị: {names})",
                   f"give a number and a unit, e.g. '5 Ngày làm việc' (units: {names})")


def _enum_code(pointer: str, value: str, schema: dict[str, Any]) -> str:
    """The code of an enumerated value typed as its code or its Vietnamese name."""
    codes, names = schema.get("enum", []), schema.get("x-enumNames", [])
    wanted = value.strip().casefold()
    for code, name in zip(codes, names or codes, strict=False):
        if wanted in (str(code).casefold(), str(name).casefold()):
            return str(code)
    shown = ", ".join(str(n) for n in (names or codes))
    raise _problem(pointer, f"giá trị phải là một trong: {shown}", f"the value must be one of: {shown}")


def _enum_name(pointer: str, code: Any) -> str:
    schema = _schema_at(pointer) or {}
    codes, names = schema.get("enum", []), schema.get("x-enumNames", [])
    return str(names[codes.index(code)]) if code in codes and len(names) == len(codes) else show(code)


def _parent_exists(document: dict[str, Any], pointer: str) -> bool:
    found, parent = resolve(document, pointer.rpartition("/")[0])
    return found and isinstance(parent, dict | list)


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    """JSON pointer set: replace the value, or add the last key of an object."""
    _, parent = resolve(document, pointer.rpartition("/")[0])
    last = _steps(pointer)[-1]
    if isinstance(parent, list):
        parent[int(last)] = value
    else:
        parent[last] = value


@cache
def _facts_schema() -> dict[str, Any]:
    path = Path(form_schemas.__file__).parent / "procedure_facts.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _schema_at(pointer: str) -> dict[str, Any] | None:
    """The editor schema of a place inside `x-procedure` (for its type and enum names)."""
    steps = _steps(pointer)
    if steps[:1] != ["x-procedure"]:
        return {"type": "string"} if steps in (["title"], ["description"]) else None
    node: Any = _facts_schema()
    for step in steps[1:]:
        if not isinstance(node, dict):
            return None
        if step.isdigit() and isinstance(node.get("items"), dict):
            node = node["items"]
        elif isinstance(node.get("properties"), dict) and step in node["properties"]:
            node = node["properties"][step]
        else:
            return None
    return node if isinstance(node, dict) else None
