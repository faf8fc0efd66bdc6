"""The 2025 administrative map of Vietnam: 34 provinces and their 3,321 communes (xã, phường,
đặc khu), as shipped by the maintained `vietnam-provinces` package (GPL-3.0-or-later; its
nested JSON file is read once, on first use — the map is never typed by hand here).

Codes are strings: a province's is 2 digits ("44" Quảng Trị), a commune's 5 digits
("19333" Phường Đông Hà). Names are looked up folded (catalog.text.fold: no accents, any
case), with or without the kind in front ("Tỉnh"/"Thành phố" for a province; "Xã", "Phường",
"Đặc khu" for a commune).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from catalog.text import fold

PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ")
COMMUNE_PREFIXES = ("Đặc khu ", "Phường ", "Xã ")
_FOLDED_PROVINCE_PREFIXES = tuple(fold(p) + " " for p in PROVINCE_PREFIXES)
_FOLDED_COMMUNE_PREFIXES = tuple(fold(p) + " " for p in COMMUNE_PREFIXES)


@dataclass(frozen=True)
class Province:
    """One of the 34 provinces (tỉnh) and centrally-run cities (thành phố trung ương)."""

    code: str
    name: str
    """As the map writes it: "Quảng Trị", "Thành phố Hà Nội"."""
    kind: str
    """"tỉnh" or "thành phố trung ương"."""

    @property
    def short_name(self) -> str:
        """Without the kind: "Hà Nội" — the place name printed on documents."""
        return _strip(self.name, PROVINCE_PREFIXES)

    @property
    def full_name(self) -> str:
        """With the kind: "Tỉnh Quảng Trị", "Thành phố Hà Nội"."""
        return self.name if self.name != self.short_name else f"Tỉnh {self.name}"


@dataclass(frozen=True)
class Commune:
    """One of the 3,321 communes (xã), wards (phường) and special zones (đặc khu)."""

    code: str
    name: str
    """With its kind: "Phường Đông Hà"."""
    kind: str
    """"xã", "phường" or "đặc khu"."""
    province_code: str

    @property
    def short_name(self) -> str:
        """Without the kind: "Đông Hà"."""
        return _strip(self.name, COMMUNE_PREFIXES)


@dataclass(frozen=True)
class _Map:
    provinces: dict[str, Province]
    communes: dict[str, Commune]
    by_province: dict[str, list[Commune]]
    province_names: dict[str, Province]
    commune_names: dict[str, dict[str, list[Commune]]]


def _strip(name: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _folded_key(name: str, folded_prefixes: tuple[str, ...]) -> str:
    key = fold(name)
    for prefix in folded_prefixes:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


@cache
def _map() -> _Map:
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        raw = json.load(handle)
    provinces: dict[str, Province] = {}
    communes: dict[str, Commune] = {}
    by_province: dict[str, list[Commune]] = {}
    province_names: dict[str, Province] = {}
    commune_names: dict[str, dict[str, list[Commune]]] = {}
    for item in raw:
        province = Province(f"{int(item['code']):02d}", item["name"], item["division_type"])
        provinces[province.code] = province
        province_names[_folded_key(province.name, _FOLDED_PROVINCE_PREFIXES)] = province
        names = commune_names.setdefault(province.code, {})
        listed = by_province.setdefault(province.code, [])
        for ward in item.get("wards", []):
            commune = Commune(f"{int(ward['code']):05d}", ward["name"], ward["division_type"], province.code)
            communes[commune.code] = commune
            listed.append(commune)
            names.setdefault(_folded_key(commune.name, _FOLDED_COMMUNE_PREFIXES), []).append(commune)
            names.setdefault(fold(commune.name), []).append(commune)
        listed.sort(key=lambda c: (fold(c.short_name), c.code))
    return _Map(provinces, communes, by_province, province_names, commune_names)


def provinces() -> list[Province]:
    """The 34 provinces, by code."""
    return sorted(_map().provinces.values(), key=lambda p: p.code)


def province(code: str) -> Province | None:
    """The province with this 2-digit code ("44"; "1" is read as "01"), or None."""
    code = (code or "").strip()
    if code.isdigit() and len(code) <= 2:
        code = code.zfill(2)
    return _map().provinces.get(code)


def province_named(name: str) -> Province | None:
    """The province with this name, folded, "Tỉnh"/"Thành phố" optional: "quang tri"."""
    return _map().province_names.get(_folded_key(name or "", _FOLDED_PROVINCE_PREFIXES))


def communes(province_code: str | None = None) -> list[Commune]:
    """The communes of one province, by name (every commune, by code, when None)."""
    if province_code is None:
        return sorted(_map().communes.values(), key=lambda c: c.code)
    found = province(province_code)
    return list(_map().by_province.get(found.code, [])) if found else []


def commune(code: str) -> Commune | None:
    """The commune with this 5-digit code ("19333"), or None."""
    code = (code or "").strip()
    if code.isdigit() and len(code) <= 5:
        code = code.zfill(5)
    return _map().communes.get(code)


def communes_named(name: str, province_code: str | None = None) -> list[Commune]:
    """Communes with this name, folded, kind optional ("dong ha", "Phường Đông Hà"); a name
    with its kind matches only that kind. Several provinces may share a commune name."""
    key = fold(name or "")
    if not key:
        return []
    codes = [province(province_code).code] if province_code and province(province_code) else (
        [] if province_code else list(_map().commune_names))
    found: list[Commune] = []
    for code in codes:
        names = _map().commune_names.get(code, {})
        matches = names.get(key) or [
            c for c in names.get(_folded_key(key, _FOLDED_COMMUNE_PREFIXES), [])
            if key.startswith(fold(c.kind) + " ")]
        for match in matches or []:
            if match not in found:
                found.append(match)
    return found


def commune_named(name: str, province_code: str | None = None) -> Commune | None:
    """The one commune with this name (see communes_named), or None when none or several."""
    found = communes_named(name, province_code)
    return found[0] if len(found) == 1 else None
