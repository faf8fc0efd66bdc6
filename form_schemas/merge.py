"""Three-way merge of a procedure document: national before (base), local, national after.

Pure: dicts in, dicts out. A document is cut into *places*, each named by a `place` key that
stays the same across versions (JSON-pointer-like, but items of keyed lists are named by their
identity instead of their index: `/x-procedure/channels/online/fees`,
`/x-procedure/documents/to_khai/originals`), and shown with a real JSON `pointer` into the
document where it is found:
- `title`, `description`, `$schema`, `$comment`: one place each;
- every fact of `x-procedure`; an object fact (`agencies`, `onlineService`, `publication`) one
  place per key; `channels` (by `mode`) and `documents` (by `id`) one place per key of an item
  present on both sides, and one place for a whole item added or removed; any other list is one
  value (its order is part of it);
- the form (`properties`, `required`, `allOf`, `$defs`, …) is one place: its parts depend on
  each other, so it is taken whole from one side.

The rule: a place the national catalogue changed (base ≠ after) and the local version did not
(base = local) takes the national value; a place both changed to different values is a
conflict, decided by `choices` ("local" keeps the local value, "national" takes the national
one; a conflict without a choice keeps the local value); a place only the local version
changed keeps it. Without a base (a procedure modelled by hand before it was linked to its
national record) every place the national record gives and the local version has otherwise
is a conflict. The order of items in
a keyed list is the local one; an item the national catalogue adds goes after the item it
follows there.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from form_schemas.canonical import canonical_json
from form_schemas.diff import CHANNEL_LABELS, FACT_LABELS, SUB_LABELS, show
from form_schemas.problems import pointer as json_pointer

LOCAL, NATIONAL = "local", "national"
CHOICES = (LOCAL, NATIONAL)
# What a row asks for: the national change is taken as is, both changed it differently, or the
# local version already has the national value.
APPLY, CONFLICT, SAME = "apply", "conflict", "same"

FACTS = "x-procedure"
OWN_PLACES = {"title": "Tên thủ tục", "description": "Mô tả", "$schema": "Lược đồ JSON",
              "$comment": "Ghi chú của tài liệu"}
FORM_LABEL = "Biểu mẫu (các trường và điều kiện)"
LABELS = {**FACT_LABELS, "review": "Thông tin cần kiểm tra"}
KEYED = {"channels": "mode", "documents": "id"}
OBJECT_FACTS = ("agencies", "onlineService", "publication")
MISSING: Any = None


@dataclass(frozen=True)
class Row:
    """One place the national catalogue changed: its values on the three sides.

    `base` is None when there is no common ancestor or the place did not exist there; `status`
    is `apply` (taken automatically), `conflict` (to choose) or `same` (already local).
    """

    place: str
    pointer: str
    label: str
    base: Any
    theirs: Any
    local: Any
    status: str

    @property
    def conflict(self) -> bool:
        return self.status == CONFLICT

    @property
    def base_text(self) -> str:
        return _text(self.place, self.base)

    @property
    def theirs_text(self) -> str:
        return _text(self.place, self.theirs)

    @property
    def local_text(self) -> str:
        return _text(self.place, self.local)

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON (values and their readable text)."""
        return {
            "place": self.place, "pointer": self.pointer, "label": self.label, "status": self.status,
            "national_before": self.base, "national_after": self.theirs, "local": self.local,
            "national_before_text": self.base_text, "national_after_text": self.theirs_text,
            "local_text": self.local_text,
        }


class MergeError(ValueError):
    """Choices that do not fit the rows (an unknown place or an unknown side); nothing merged."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(message_vi)


def _same(a: Any, b: Any) -> bool:
    return canonical_json(a) == canonical_json(b)


def _text(place: str, value: Any) -> str:
    if value is None:
        return ""
    if place == "/properties" and isinstance(value, dict):
        labels = [str(schema.get("title", name)) for name, schema in (value.get("properties") or {}).items()
                  if isinstance(schema, dict)]
        return f"{len(labels)} trường: " + "; ".join(labels)
    return show(value)


# --- cutting a document into places -----------------------------------------------------------

@dataclass(frozen=True)
class _Place:
    place: str
    label: str
    get: Callable[[dict[str, Any]], Any]
    find: Callable[[dict[str, Any]], list[Any] | None]  # the JSON path in a document, None if absent


def _form(doc: dict[str, Any]) -> dict[str, Any] | None:
    form = {k: v for k, v in doc.items() if k not in OWN_PLACES and k != FACTS}
    return form or None


def _facts(doc: dict[str, Any] | None) -> dict[str, Any]:
    facts = (doc or {}).get(FACTS)
    return facts if isinstance(facts, dict) else {}


def _keyed_items(value: Any, id_key: str) -> dict[str, dict[str, Any]] | None:
    """Items by identity, or None when the list cannot be merged per item."""
    if not isinstance(value, list):
        return None
    items: dict[str, dict[str, Any]] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get(id_key), str) or item[id_key] in items:
            return None
        items[item[id_key]] = item
    return items


def _item_label(key: str, ident: str, item: Mapping[str, Any] | None) -> str:
    if key == "channels":
        return f"{FACT_LABELS[key]}: kênh {CHANNEL_LABELS.get(ident, ident)}"
    name = str((item or {}).get("name") or ident)
    return f"{FACT_LABELS[key]}: giấy tờ «{name if len(name) <= 60 else name[:59] + '…'}»"


def _places(docs: list[dict[str, Any]]) -> Iterator[_Place]:
    """Every place of the union of `docs` (None entries are ignored)."""
    present = [d for d in docs if d is not None]
    for key, label in OWN_PLACES.items():
        if any(key in d for d in present):
            yield _Place(json_pointer([key]), label, lambda d, k=key: d.get(k),
                         lambda d, k=key: [k] if k in d else None)
    facts = [_facts(d) for d in present]
    keys = list(LABELS) + sorted({k for f in facts for k in f} - set(LABELS))
    for key in keys:
        if not any(key in f for f in facts):
            continue
        label = LABELS.get(key, key)
        values = [f.get(key) for f in facts]
        if key in KEYED and all(v is None or _keyed_items(v, KEYED[key]) is not None for v in values):
            yield from _keyed_places(key, [_facts(d) for d in docs])
        elif key in OBJECT_FACTS and all(v is None or isinstance(v, dict) for v in values):
            subs = sorted({s for v in values if v for s in v})
            for sub in subs:
                yield _Place(json_pointer([FACTS, key, sub]), f"{label}: {SUB_LABELS.get(sub, sub)}",
                             lambda d, k=key, s=sub: (_facts(d).get(k) or {}).get(s),
                             lambda d, k=key, s=sub: [FACTS, k, s] if s in (_facts(d).get(k) or {}) else None)
        else:
            yield _Place(json_pointer([FACTS, key]), label, lambda d, k=key: _facts(d).get(k),
                         lambda d, k=key: [FACTS, k] if k in _facts(d) else None)
    if any(_form(d) for d in present):
        yield _Place("/properties", FORM_LABEL, _form, lambda d: ["properties"] if _form(d) else None)


def _keyed_places(key: str, facts: list[dict[str, Any]]) -> Iterator[_Place]:
    id_key = KEYED[key]
    lists = [_keyed_items(f.get(key), id_key) if f else None for f in facts]
    order: list[str] = []
    for items in lists:
        for ident in items or {}:
            if ident not in order:
                order.append(ident)

    def path(d: dict[str, Any], ident: str, *rest: str) -> list[Any] | None:
        items = _facts(d).get(key)
        if not isinstance(items, list):
            return None
        for index, item in enumerate(items):
            if isinstance(item, dict) and item.get(id_key) == ident:
                return [FACTS, key, index, *rest] if not rest or rest[0] in item else None
        return None

    def item_of(d: dict[str, Any], ident: str) -> dict[str, Any] | None:
        return (_keyed_items(_facts(d).get(key), id_key) or {}).get(ident)

    for ident in order:
        base_item, local_item, theirs_item = ((items or {}).get(ident) for items in lists)
        label = _item_label(key, ident, theirs_item or local_item or base_item)
        place = f"/{FACTS}/{key}/{json_pointer([ident])[1:]}"
        if local_item is None or theirs_item is None:
            yield _Place(place, label, lambda d, i=ident: item_of(d, i), lambda d, i=ident: path(d, i))
            continue
        subs: list[str] = []
        for side in (base_item, local_item, theirs_item):
            subs += [s for s in side or {} if s not in subs]
        for sub in subs:
            yield _Place(f"{place}/{json_pointer([sub])[1:]}", f"{label}: {SUB_LABELS.get(sub, sub)}",
                         lambda d, i=ident, s=sub: (item_of(d, i) or {}).get(s),
                         lambda d, i=ident, s=sub: path(d, i, s))


# --- diff and merge -----------------------------------------------------------------------------

def diff3(base: dict[str, Any] | None, local: dict[str, Any], theirs: dict[str, Any]) -> list[Row]:
    """Every place the national catalogue changed from `base` to `theirs`, with the local value.

    Places only the local version changed are not rows: they are kept as they are.
    """
    rows: list[Row] = []
    for spot in _places([base, local, theirs]):  # type: ignore[list-item]
        before = spot.get(base) if base is not None else None
        after, mine = spot.get(theirs), spot.get(local)
        if base is not None and _same(before, after):
            continue
        if base is None and (after is None or _same(mine, after)):
            continue  # without an ancestor, what the national record does not say is no change
        if _same(mine, after):
            status = SAME
        elif base is not None and _same(mine, before):
            status = APPLY
        else:
            status = CONFLICT
        where = spot.find(local) or spot.find(theirs) or []
        rows.append(Row(spot.place, json_pointer(where), spot.label, before, after, mine, status))
    return rows


def check_choices(rows: list[Row], choices: Mapping[str, str]) -> None:
    """Raise `MergeError` unless every choice names a conflicting place and a side."""
    conflicts = {row.place for row in rows if row.conflict}
    for place, side in choices.items():
        if place not in conflicts:
            raise MergeError(f"Không có xung đột tại «{place}» để chọn.",
                             f"There is no conflict at «{place}» to choose for.")
        if side not in CHOICES:
            raise MergeError(f"Lựa chọn tại «{place}» phải là local hoặc national.",
                             f"The choice at «{place}» must be local or national.")


def merge(base: dict[str, Any] | None, local: dict[str, Any], theirs: dict[str, Any],
          choices: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The local document with the national changes applied (conflicts as `choices` say).

    Raises `MergeError` for a choice that names no conflict. The result is not validated here.
    """
    choices = dict(choices or {})
    rows = diff3(base, local, theirs)
    check_choices(rows, choices)
    merged = copy.deepcopy(local)
    for row in rows:
        if row.status == APPLY or (row.conflict and choices.get(row.place) == NATIONAL):
            _put(merged, theirs, row.place, copy.deepcopy(row.theirs))
    return merged


def _put(doc: dict[str, Any], theirs: dict[str, Any], place: str, value: Any) -> None:
    """Set (or remove, when `value` is None) the place `place` of `doc`."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in place.split("/")[1:]]
    if place == "/properties":
        for key in [k for k in doc if k not in OWN_PLACES and k != FACTS]:
            del doc[key]
        doc.update(value or {})
        return
    if parts[0] != FACTS:
        _set(doc, parts[0], value)
        return
    facts = doc.setdefault(FACTS, {})
    key = parts[1]
    if len(parts) == 2:
        _set(facts, key, value)
    elif key in KEYED:
        _put_item(facts, _facts(theirs).get(key) or [], key, parts[2], parts[3] if len(parts) > 3 else None, value)
    else:
        target = facts.setdefault(key, {})
        _set(target, parts[2], value)
        if not target:
            del facts[key]


def _set(container: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        container.pop(key, None)
    else:
        container[key] = value


def _put_item(facts: dict[str, Any], theirs_items: list[Any], key: str, ident: str, sub: str | None,
              value: Any) -> None:
    id_key = KEYED[key]
    items: list[Any] = facts.setdefault(key, [])
    index = next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get(id_key) == ident), None)
    if sub is not None:
        if index is not None:
            _set(items[index], sub, value)
        return
    if value is None:
        if index is not None:
            del items[index]
        if not items:
            del facts[key]
        return
    if index is not None:
        items[index] = value
        return
    # After the item it follows in the national list, if the local list has that one.
    position = 0
    for item in theirs_items:
        if not isinstance(item, dict):
            continue
        if item.get(id_key) == ident:
            break
        found = next((i for i, own in enumerate(items) if isinstance(own, dict)
                      and own.get(id_key) == item.get(id_key)), None)
        if found is not None:
            position = found + 1
    items.insert(position, value)
