"""Where a procedure can be done: the offices receiving it, the place filter, one office chosen.

`?office=ID` on a procedure, apply or search page names one office; an id that is not a number
or no office is a 404 (a link that lies must not silently show another office's facts).
The place filter (province, commune of the 2025 map) keeps the offices of the chosen province;
a commune keeps the commune's own offices and its province's offices, which serve everyone in
the province.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request

from catalog import geography
from catalog.db import db
from catalog.models import Office, Procedure
from catalog.services.local_versions import AppliedProcedure, procedure_at
from catalog.services.offices import hours_lines, offices_receiving
from form_schemas.local import CHANNEL_MODES

MAX_ID = 2**31


def office_arg(name: str = "office") -> Office | None:
    """The office named by `?office=ID`; None without one, 404 for an unknown one."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) >= MAX_ID:
        abort(404)
    office = db.session.get(Office, int(text))
    if office is None:
        abort(404)
    return office


def main_channel(document: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]] | None:
    """The channel whose time and fees stand for the office: in person first (that is where the
    office receives), else the first one the procedure lists."""
    channels = document["x-procedure"].get("channels") or []
    for mode in CHANNEL_MODES:
        for index, channel in enumerate(channels):
            if channel.get("mode") == mode:
                return index, channel
    return None


@dataclass(frozen=True)
class OfficePlace:
    """One office receiving a procedure, with the procedure's facts as they apply there."""

    office: Office
    applied: AppliedProcedure | None
    document: Mapping[str, Any]
    hours: Sequence[str]
    channel: Mapping[str, Any] | None
    time_basis: str
    fees_basis: str

    @property
    def online_level(self) -> int:
        return int(self.document["x-procedure"]["onlineService"]["level"])


def local_basis(applied: AppliedProcedure | None, pointer: str, locale: str) -> str:
    """"Theo Nghị quyết số …" when a local version set this fact, else ""."""
    if applied is None:
        return ""
    source = applied.local_at(pointer)
    return source.citation(locale) if source is not None else ""


def place_of(procedure: Procedure, office: Office, locale: str) -> OfficePlace:
    applied = procedure_at(db.session, procedure, office)
    document = applied.document if applied else procedure.published_version.document
    found = main_channel(document)
    index, channel = found if found else (None, None)
    return OfficePlace(
        office=office, applied=applied, document=document, hours=hours_lines(office.opening_hours or {}, locale),
        channel=channel,
        time_basis=local_basis(applied, f"/x-procedure/channels/{index}/processingTime", locale)
        if index is not None else "",
        fees_basis=local_basis(applied, f"/x-procedure/channels/{index}/fees", locale)
        if index is not None else "",
    )


def place_filter() -> tuple[str, str]:
    """(province code, commune code) from `?province=&commune=`, each "" when absent or not on
    the map; a commune implies its province."""
    province = request.args.get("province", "").strip()[:2]
    commune = request.args.get("commune", "").strip()[:5]
    found = geography.commune(commune) if commune.isdigit() else None
    if found is not None:
        return found.province_code, found.code
    return (province if province.isdigit() and geography.province(province) else ""), ""


def serves(office: Office, province: str, commune: str) -> bool:
    """Whether a citizen of this place applies at this office: the commune's own office or an
    office of the whole province (a province-level one, or one without a commune)."""
    if province and office.province_code != province:
        return False
    if commune:
        return office.commune_code == commune or not office.commune_code
    return True


def receiving_places(procedure: Procedure, locale: str) -> dict[str, Any]:
    """What the "Nơi tiếp nhận" section shows: the filter's choices and the matching offices."""
    offices = offices_receiving(db.session, procedure)
    province, commune = place_filter()
    shown = [place_of(procedure, office, locale) for office in offices if serves(office, province, commune)]
    codes = sorted({office.province_code for office in offices if office.province_code})
    provinces = [p for p in (geography.province(code) for code in codes) if p is not None]
    return {
        "places": shown, "any_office": bool(offices), "province": province, "commune": commune,
        "provinces": provinces,
        "communes": [(p, geography.communes(p.code)) for p in provinces],
    }
