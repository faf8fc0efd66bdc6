"""Date bounds: `formatMinimum` / `formatMaximum` on a `format: date` field.

The rule: a bound is an ISO date ("1900-01-01") or "today", and "today" is today in Vietnam
(UTC+7, `VN_TIME`) at the moment the answer is checked, never the day a page was drawn or a
validator compiled. A date equal to its bound passes (both bounds are inclusive, as
`minimum`/`maximum` are). A value that is not a date is left to `format`, which already says so.

The keywords are the ones JSON Schema's format-comparison proposal and Ajv (ajv-formats) use;
"today" is our value for them. The server checks them through the one validator class
(form_schemas.regexes.re2_validator_class) that both the site's form and the dossier service
build; the form mirrors them as `min`/`max` on the date input (a hint: the server decides).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

VN_TIME = timezone(timedelta(hours=7), "ICT")
"""Vietnam's time zone (also catalog.calendar's): what "today" means."""

TODAY = "today"
KEYWORDS = ("formatMinimum", "formatMaximum")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def vn_today() -> date:
    """Today's date in Vietnam."""
    return datetime.now(VN_TIME).date()


def bound_date(value: Any, today: date | None = None) -> date | None:
    """A bound as a date ("today" -> today in Vietnam); None when it is not one."""
    if value == TODAY:
        return today or vn_today()
    return _date(value)


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def date_bounds_ordered(schema: Mapping[str, Any]) -> bool:
    """False when both bounds are fixed dates and the minimum is after the maximum (no date
    could pass; a bound of "today" can be on either side depending on the day)."""
    low, high = _date(schema.get("formatMinimum")), _date(schema.get("formatMaximum"))
    return low is None or high is None or low <= high


def bound_text(value: Any) -> str:
    """A fixed bound as citizens write dates: "2025-12-31" -> "31/12/2025"."""
    day = _date(value)
    return day.strftime("%d/%m/%Y") if day else str(value)


def _keyword(name: str) -> Any:
    def check(validator: Any, bound: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Any]:
        from jsonschema.exceptions import ValidationError

        if schema.get("format") != "date":
            return
        value = _date(instance)
        limit = bound_date(bound)
        if value is None or limit is None:
            return
        if (name == "formatMinimum" and value < limit) or (name == "formatMaximum" and value > limit):
            side = "before" if name == "formatMinimum" else "after"
            yield ValidationError(f"{instance!r} is {side} {limit.isoformat()} ({bound})")

    check.__name__ = name
    return check


VALIDATORS: dict[str, Any] = {name: _keyword(name) for name in KEYWORDS}
"""jsonschema keyword functions, for `validators.extend`."""


def bound_attrs(schema: Mapping[str, Any]) -> dict[str, str]:
    """The date input's attributes that do not change with the day: `min`/`max` for a fixed
    bound, `data-min-today`/`data-max-today` for "today" (filled in by `today_attrs` when the
    page is drawn, and again by forms.js, since a drawn page may be cached for days)."""
    if schema.get("format") != "date":
        return {}
    attrs: dict[str, str] = {}
    for keyword, attr in (("formatMinimum", "min"), ("formatMaximum", "max")):
        value = schema.get(keyword)
        if value == TODAY:
            attrs[f"data-{attr}-today"] = ""
        elif _date(value) is not None:
            attrs[attr] = value
    return attrs


def today_attrs(attrs: str, today: date | None = None) -> str:
    """' min="…"'/' max="…"' for an input whose rendered attributes ask for today."""
    if "-today" not in attrs:
        return ""
    day = (today or vn_today()).isoformat()
    out = ""
    if "data-min-today" in attrs:
        out += f' min="{day}"'
    if "data-max-today" in attrs:
        out += f' max="{day}"'
    return out
