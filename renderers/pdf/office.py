"""The office a document is printed for, as its heading prints it (no database here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

COMMUNE_PREFIXES = ("UBND ", "ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN ")
COMMUNE_UNITS = ("xã", "phường", "thị trấn", "đặc khu")


@dataclass(frozen=True)
class OfficeHeading:
    """An office as printed: parent body above its name (Nghị định 30/2020/NĐ-CP, Appendix I),
    then where it receives dossiers, its hours and where complaints go."""

    name: str
    parent_body: str = ""
    place_name: str = ""
    address: str = ""
    hours: tuple[str, ...] = ()
    phone: str = ""
    hotline: str = ""
    complaints_address: str = ""
    level: str = ""

    @classmethod
    def of(cls, office: Any, hours: Sequence[str] = ()) -> OfficeHeading:
        """From any object with the Office attributes; `hours` are the printed opening-hours lines
        (catalog.services.offices.hours_lines)."""
        level = getattr(office, "level", "") or ""
        return cls(
            name=office.name or "",
            parent_body=getattr(office, "parent_body", "") or "",
            place_name=getattr(office, "place_name", "") or "",
            address=getattr(office, "address", "") or "",
            hours=tuple(hours),
            phone=getattr(office, "phone", "") or "",
            hotline=getattr(office, "hotline", "") or "",
            complaints_address=getattr(office, "complaints_address", "") or "",
            level=str(getattr(level, "value", level)),
        )

    @property
    def authority(self) -> str:
        """The competent authority a form from this office is addressed to: for a commune office
        the people's committee of that commune, written out from its parent body ("UBND PHƯỜNG
        ĐÔNG HÀ" → "Ủy ban nhân dân phường Đông Hà"); "" when it cannot be told."""
        if self.level != "commune":
            return ""
        return committee_name(self.parent_body)


def committee_name(parent_body: str) -> str:
    """"UBND PHƯỜNG ĐÔNG HÀ" → "Ủy ban nhân dân phường Đông Hà"; "" when it is not a commune's
    people's committee."""
    text = " ".join(parent_body.split())
    upper = text.upper()
    prefix = next((p for p in COMMUNE_PREFIXES if upper.startswith(p)), None)
    if prefix is None:
        return ""
    rest = text[len(prefix):]
    unit = next((u for u in sorted(COMMUNE_UNITS, key=len, reverse=True)
                 if rest.lower().startswith(u + " ")), None)
    if unit is None:
        return ""
    place = rest[len(unit) + 1:]
    if not place:
        return ""
    return f"Ủy ban nhân dân {unit} {' '.join(word[:1].upper() + word[1:].lower() for word in place.split())}"


def cited(citations: Mapping[str, str], pointer: str) -> str:
    """The legal basis printed beside a local value at `pointer` (or a place containing it)."""
    place = pointer
    while place:
        if place in citations:
            return citations[place]
        place = place.rpartition("/")[0]
    return ""
