"""Local versions: what a province or an office overrides of a published procedure, as data.

An override document (format: `local_version.schema.json`, docs/procedure-format.md §8) has a
required legal `basis` (the provincial decision or council resolution) and only the facts a
territory may set: per channel mode its `processingTime` and/or `fees` (the whole list),
`agencies.receivingAddress`, `agencies.implementing`, extra `conditions` (appended after the
national ones) and `onlineService.level` (the level the office actually offers).

Pure: no Flask, no database. `apply_overrides(document, province_layer, office_layer)` gives
"the procedure as it applies" there; the result passes `check_procedure` when the inputs do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from form_schemas.checks import _fee_rules, _quantity_rules
from form_schemas.formats import FORMAT_CHECKER
from form_schemas.metaerrors import problems_from_error
from form_schemas.metaschema import meta_schema
from form_schemas.problems import SchemaProblem, pointer
from form_schemas.regexes import re2_validator_class
from form_schemas.review import marks, without_marks
from form_schemas.validation import ONLINE_MODES

CHANNEL_MODES = ("in_person", "online", "postal")
CHANNEL_LABELS = {
    "in_person": ("Trực tiếp", "In person"),
    "online": ("Trực tuyến", "Online"),
    "postal": ("Bưu chính công ích", "Public postal service"),
}
CHANNEL_FACTS = {
    "processingTime": ("thời hạn giải quyết", "processing time"),
    "fees": ("phí, lệ phí", "fees"),
}
AGENCY_FACTS = {
    "receivingAddress": ("Địa chỉ tiếp nhận", "Receiving address"),
    "implementing": ("Cơ quan thực hiện", "Implementing agency"),
}
OVERRIDABLE = ("channels", "agencies", "conditions", "onlineService")
BASIS_KINDS = {
    "NQ": ("Nghị quyết", "Resolution"),
    "QĐ": ("Quyết định", "Decision"),
    "QD": ("Quyết định", "Decision"),
    "CT": ("Chỉ thị", "Directive"),
    "TB": ("Thông báo", "Notice"),
    "KH": ("Kế hoạch", "Plan"),
}

Layer = Mapping[str, Any]
Key = tuple[str, ...]


@cache
def local_schema() -> dict[str, Any]:
    """The override meta-schema as shipped with the package."""
    text = resources.files("form_schemas").joinpath("local_version.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def local_validator() -> Draft202012Validator:
    """Compiled validator of override documents (fees and times refer to the procedure schema)."""
    procedure = meta_schema()
    registry: Registry = Registry().with_resource(procedure["$id"], Resource.from_contents(procedure))
    schema = local_schema()
    Draft202012Validator.check_schema(schema)
    return re2_validator_class()(schema, registry=registry, format_checker=FORMAT_CHECKER)


# --- facts a layer touches --------------------------------------------------------------------

@dataclass(frozen=True)
class ChangedFact:
    """An overridden fact whose national value differs between two national documents."""

    pointer: str
    label_vi: str
    label_en: str
    old: Any = None
    new: Any = None

    def label(self, locale: str = "vi") -> str:
        return self.label_en if locale.startswith("en") else self.label_vi


def _keys(overrides: Layer) -> Iterator[Key]:
    """The national facts a layer replaces or extends, in a stable order."""
    for mode in CHANNEL_MODES:
        change = (overrides.get("channels") or {}).get(mode) or {}
        for name in CHANNEL_FACTS:
            if name in change:
                yield ("channels", mode, name)
    for name in AGENCY_FACTS:
        if name in (overrides.get("agencies") or {}):
            yield ("agencies", name)
    if overrides.get("conditions"):
        yield ("conditions",)
    if "onlineService" in overrides:
        yield ("onlineService",)


def _label(key: Key) -> tuple[str, str]:
    if key[0] == "channels":
        channel, fact = CHANNEL_LABELS[key[1]], CHANNEL_FACTS[key[2]]
        return f"Kênh {channel[0]}: {fact[0]}", f"{channel[1]} channel: {fact[1]}"
    if key[0] == "agencies":
        return AGENCY_FACTS[key[1]]
    if key[0] == "conditions":
        return "Yêu cầu, điều kiện", "Conditions"
    return "Mức độ dịch vụ công trực tuyến", "Online service level"


def fact_label(pointer_text: str, document: Mapping[str, Any], locale: str = "vi") -> str:
    """The worded name of an overridable place ("Kênh Trực tiếp: phí, lệ phí"), else the pointer."""
    for key in _all_keys(document):
        if _pointer(document, key) == pointer_text:
            vi, en = _label(key)
            return en if locale.startswith("en") else vi
    return pointer_text


def _all_keys(document: Mapping[str, Any]) -> Iterator[Key]:
    for channel in _channels(document):
        for name in CHANNEL_FACTS:
            yield ("channels", channel.get("mode"), name)
    for name in AGENCY_FACTS:
        yield ("agencies", name)
    yield ("conditions",)
    yield ("onlineService",)


def _channels(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    facts = document.get("x-procedure") or {}
    return [c for c in facts.get("channels") or () if isinstance(c, dict)]


def _channel_index(document: Mapping[str, Any], mode: str) -> int | None:
    for i, channel in enumerate(_channels(document)):
        if channel.get("mode") == mode:
            return i
    return None


def _pointer(document: Mapping[str, Any], key: Key) -> str | None:
    """Where a fact sits in a procedure document (None: the document has no such channel)."""
    if key[0] == "channels":
        index = _channel_index(document, key[1])
        return None if index is None else pointer(["x-procedure", "channels", index, key[2]])
    return pointer(["x-procedure", *key])


def _value(document: Mapping[str, Any], key: Key) -> Any:
    facts = document.get("x-procedure") or {}
    if key[0] == "channels":
        index = _channel_index(document, key[1])
        return None if index is None else _channels(document)[index].get(key[2])
    if key[0] == "agencies":
        return (facts.get("agencies") or {}).get(key[1])
    return facts.get(key[0])


def overridden_pointers(overrides: Layer, document: Mapping[str, Any]) -> list[str]:
    """JSON pointers into `document` of the national facts the layer replaces or extends
    (e.g. `/x-procedure/channels/0/processingTime`); extra conditions give `/x-procedure/conditions`.
    A channel the document lacks gives no pointer."""
    found = (_pointer(document, key) for key in _keys(overrides))
    return [p for p in found if p is not None]


def changed_facts(old_document: Mapping[str, Any], new_document: Mapping[str, Any],
                  overrides: Layer) -> list[ChangedFact]:
    """The facts `overrides` touches whose national value changed from old to new (the pointer
    is the new document's place, or the old one's when the new version dropped the channel)."""
    changed = []
    for key in _keys(overrides):
        before, after = _value(old_document, key), _value(new_document, key)
        if before != after:
            where = _pointer(new_document, key) or _pointer(old_document, key) or ""
            changed.append(ChangedFact(where, *_label(key), old=before, new=after))
    return changed


def changed_under(old_document: Mapping[str, Any], new_document: Mapping[str, Any],
                  overrides: Layer) -> list[str]:
    """Pointers of the overridden facts whose national value changed between the two versions."""
    return [fact.pointer for fact in changed_facts(old_document, new_document, overrides)]


# --- applying layers --------------------------------------------------------------------------

@dataclass
class Applied:
    """A resolved document and, for every place a layer set, the index of that layer."""

    document: dict[str, Any]
    sources: dict[str, int] = field(default_factory=dict)


def apply_layers(document: dict[str, Any], *layers: Layer) -> Applied:
    """Apply layers in order (province, then office: a later layer wins on the same fact).

    Copy-on-write: only the changed parts are copied; the result shares the rest with
    `document` and the layers, so treat it as read-only. Each layer's basis is added to
    `legalBasis` (once per number); review marks on overridden facts are dropped, since the
    local value is a checked fact with its own legal basis.
    """
    facts = dict(document["x-procedure"])
    channels = list(facts.get("channels") or ())
    sources: dict[str, int] = {}
    overridden: set[str] = set()
    for index, layer in enumerate(layers):
        for mode, change in (layer.get("channels") or {}).items():
            position = next((i for i, c in enumerate(channels) if c.get("mode") == mode), None)
            if position is None:
                continue  # a newer national version dropped the channel: nothing to override
            channel = dict(channels[position])
            for name in CHANNEL_FACTS:
                if name in change:
                    channel[name] = change[name]
                    where = pointer(["x-procedure", "channels", position, name])
                    sources[where] = index
                    overridden.add(where)
            channels[position] = channel
        agencies_change = layer.get("agencies") or {}
        if agencies_change:
            agencies = dict(facts.get("agencies") or {})
            for name in AGENCY_FACTS:
                if name in agencies_change:
                    agencies[name] = agencies_change[name]
                    where = pointer(["x-procedure", "agencies", name])
                    sources[where] = index
                    overridden.add(where)
            facts["agencies"] = agencies
        extra = layer.get("conditions") or []
        if extra:
            national = list(facts.get("conditions") or ())
            for offset in range(len(extra)):
                sources[pointer(["x-procedure", "conditions", len(national) + offset])] = index
            facts["conditions"] = [*national, *extra]
        if "onlineService" in layer:
            level = int(layer["onlineService"]["level"])
            service: dict[str, Any] = {"level": level}
            if "mode" in (facts.get("onlineService") or {}):
                service["mode"] = ONLINE_MODES[level]
            facts["onlineService"] = service
            sources["/x-procedure/onlineService"] = index
            overridden.add("/x-procedure/onlineService")
        basis = layer.get("basis") or {}
        if basis.get("number"):
            cited = list(facts.get("legalBasis") or ())
            if all(item.get("number") != basis["number"] for item in cited):
                sources[pointer(["x-procedure", "legalBasis", len(cited)])] = index
                facts["legalBasis"] = [*cited, _legal_basis(basis)]
    facts["channels"] = channels
    result = {**document, "x-procedure": facts}
    stale_marks = [m.pointer for m in marks(result)
                   if any(m.pointer == p or m.pointer.startswith(p + "/") for p in overridden)]
    if stale_marks:
        result = without_marks(result, stale_marks)
    return Applied(result, sources)


def apply_overrides(document: dict[str, Any], *layers: Layer) -> dict[str, Any]:
    """The procedure as it applies once `layers` (province, then office) are applied."""
    return apply_layers(document, *layers).document


def _legal_basis(basis: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"number": basis["number"], "title": basis.get("title") or basis_kind(basis)[0].capitalize()}
    for key in ("issuer", "issuedOn"):
        if basis.get(key):
            item[key] = basis[key]
    return item


def basis_kind(basis: Mapping[str, Any]) -> tuple[str, str]:
    """The kind of text a basis number names: "…/NQ-HĐND" → ("Nghị quyết", "Resolution")."""
    number = str(basis.get("number") or "")
    match = re.search(r"/([A-ZĐ]+)-[^/]*$", number)
    return BASIS_KINDS.get(match.group(1) if match else "", ("văn bản", "document"))


def basis_citation(basis: Mapping[str, Any], locale: str = "vi") -> str:
    """How a page cites a layer's basis: "Theo Nghị quyết số 12/2025/NQ-HĐND ngày 10/07/2025
    của HĐND tỉnh Quảng Trị"."""
    vi_kind, en_kind = basis_kind(basis)
    number = basis.get("number", "")
    issued = _dmy(basis.get("issuedOn"))
    issuer = basis.get("issuer") or ""
    if locale.startswith("en"):
        text = f"Under {en_kind} No. {number}"
        return text + (f" of {issued}" if issued else "") + (f", {issuer}" if issuer else "")
    text = f"Theo {vi_kind} số {number}"
    return text + (f" ngày {issued}" if issued else "") + (f" của {issuer}" if issuer else "")


def _dmy(value: Any) -> str:
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y") if isinstance(value, str) else ""
    except ValueError:
        return ""


# --- checking an override document -------------------------------------------------------------

def override_problems(overrides: Any, document: Mapping[str, Any]) -> list[SchemaProblem]:
    """Every problem of an override document against the procedure it overrides (pointers into
    the override document); empty when valid."""
    if not isinstance(overrides, dict):
        return [SchemaProblem("", "bản địa phương phải là một đối tượng JSON",
                              "a local version must be a JSON object")]
    found = {problem for error in local_validator().iter_errors(overrides) for problem in _explain(error)}
    if found:
        return sorted(found)
    return sorted(set(_semantic(overrides, document)))


def _explain(error: Any) -> Iterator[SchemaProblem]:
    if "propertyNames" in error.absolute_schema_path:
        where = pointer([*error.absolute_path, str(error.instance)])
        choices = ", ".join(CHANNEL_MODES)
        yield SchemaProblem(where, f"cách thức '{error.instance}' không hợp lệ; chọn một trong: {choices}",
                            f"channel mode '{error.instance}' is not allowed; expected one of: {choices}")
        return
    yield from problems_from_error(error)


def _semantic(overrides: dict[str, Any], document: Mapping[str, Any]) -> Iterator[SchemaProblem]:
    if not any(overrides.get(key) for key in OVERRIDABLE):
        yield SchemaProblem("", "bản địa phương phải thay ít nhất một thông tin của thủ tục",
                            "a local version must override at least one fact of the procedure")
    for mode, change in (overrides.get("channels") or {}).items():
        vi, en = CHANNEL_LABELS[mode]
        if _channel_index(document, mode) is None:
            yield SchemaProblem(pointer(["channels", mode]),
                                f"thủ tục không có cách thức {vi} nên không thay được",
                                f"the procedure has no {en.lower()} channel to override")
        if not change:
            yield SchemaProblem(pointer(["channels", mode]),
                                "hãy ghi thời hạn giải quyết hoặc phí, lệ phí của cách thức này",
                                "give this channel's processing time or fees")
        for j, fee in enumerate(change.get("fees") or ()):
            path: list[str | int] = ["channels", mode, "fees", j]
            yield from _fee_rules(fee, path)
            yield from _quantity_rules(dict(document), fee, path)  # the national form's fields
            if fee.get("basis") == "set_by_province":
                yield SchemaProblem(pointer([*path, "basis"]),
                                    "bản địa phương là nơi ghi mức thu do HĐND tỉnh quyết định: hãy nhập số tiền",
                                    "the local version is where the province sets the fee: enter the amount")
    national = set((document.get("x-procedure") or {}).get("conditions") or ())
    for i, condition in enumerate(overrides.get("conditions") or ()):
        if condition in national:
            yield SchemaProblem(pointer(["conditions", i]), "điều kiện này đã có trong thủ tục",
                                "the procedure already states this condition")


def facts_overridden(overrides: Layer) -> Sequence[tuple[str, str]]:
    """Worded (vi, en) names of the facts a layer sets, for lists and audit details."""
    return [_label(key) for key in _keys(overrides)]
