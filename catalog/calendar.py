"""Working-day calendar and appointment dates (Civil Code 2015 Art. 147–148).

The base calendar is Saturdays, Sundays and the Vietnam public holidays of the `holidays`
package (Labour Code 2019 Art. 112, with its observed/compensatory days). On top of it an
administrator adds days off (e.g. the Tết Dương lịch 2026 bridge on Fri 02/01/2026) and
compensatory working days (e.g. Sat 10/01/2026); an added working day wins over everything.

Choices made where the law leaves room (each one is tested):

- The day of receipt is never counted (Art. 147): counting starts the next calendar day, even
  when the dossier arrived on a day off, so a dossier filed online on Sunday with a time of
  1 working day is due on Monday.
- A value of 0 means "the same day": the day of receipt if it is a working day and the
  dossier arrived before the same-day cut-off, otherwise the next working day.
- The cut-off only matters for same-day processing; for longer periods the day of receipt is
  not counted anyway, so a later hour cannot push the date further.
- Fractional values are rounded up to whole days (0.5 working days → 1), never promising a
  date earlier than the office can keep. Hours are added exactly.
- Calendar-day, hour and month periods that end on a day off end on the next working day
  (Art. 148(2)); a month period with no matching day ends on the month's last day.
- `saturday_morning`: the office opens on Saturday mornings. Saturdays are still not counted
  as working days, but a same-day dossier received on a Saturday morning (before the cut-off
  and before noon) is done that morning, and a calendar period ending on such a Saturday
  stays there because the result can be collected.
"""

from __future__ import annotations

import calendar as _gregorian
import math
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import holidays

from form_schemas.datebounds import VN_TIME as VN_TIME

# Vietnam's time zone: days of receipt, cut-offs and postings are counted in it (one definition,
# in form_schemas.datebounds, where a form's "today" is counted in it too)

WORKING_DAYS = "working_days"
DAYS = "days"
HOURS = "hours"
MONTHS = "months"
UNITS = (WORKING_DAYS, DAYS, HOURS, MONTHS)

SATURDAY_CLOSE = time(12, 0)
_SATURDAY, _SUNDAY = 5, 6
# Guards against an endless search when an administrator marks a whole year as days off.
_MAX_SCAN_DAYS = 3 * 366


def _package_swapped_working_days(year: int) -> set[date]:
    """Saturdays the government turned into working days, as recorded by `holidays`.

    The package lists each swapped day off as "substituted from <Saturday>" but does not
    mark that Saturday as a working day; read its data so the base calendar gets both halves
    of the swap. Returns an empty set if the package changes its internal layout.
    """
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays

        entries = VietnamStaticHolidays.special_public_holidays.get(year, ())
    except (ImportError, AttributeError):
        return set()
    if entries and isinstance(entries[0], int):
        entries = (entries,)
    swapped: set[date] = set()
    for entry in entries:
        try:
            if len(entry) == 4:
                _, _, month, day = entry
                swapped.add(date(year, month, day))
            elif len(entry) == 5:
                _, _, month, day, from_year = entry
                swapped.add(date(from_year, month, day))
        except (TypeError, ValueError):
            continue
    return swapped


class WorkingCalendar:
    """Weekends + Vietnam public holidays, plus administrator-added days off and working days."""

    def __init__(
        self,
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        saturday_morning: bool = False,
    ) -> None:
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        clash = self.days_off & self.working_days
        if clash:
            listed = ", ".join(d.strftime("%d/%m/%Y") for d in sorted(clash))
            raise ValueError(f"Ngày vừa là ngày nghỉ vừa là ngày làm việc: {listed}")
        self.saturday_morning = saturday_morning
        self._holidays: dict[int, dict[date, str]] = {}
        self._swapped: dict[int, set[date]] = {}

    def _public_holidays(self, year: int) -> dict[date, str]:
        if year not in self._holidays:
            self._holidays[year] = dict(holidays.country_holidays("VN", years=year, language="vi"))
            for swapped in _package_swapped_working_days(year):
                self._swapped.setdefault(swapped.year, set()).add(swapped)
        return self._holidays[year]

    def _package_working(self, d: date) -> bool:
        # A swap recorded for year Y may name a Saturday in Y-1 (e.g. 27/12/2014 for 2/1/2015).
        self._public_holidays(d.year)
        self._public_holidays(d.year + 1)
        return d in self._swapped.get(d.year, ())

    def holiday_name(self, d: date) -> str | None:
        """Vietnamese name of the public holiday on `d`, if the package lists one."""
        return self._public_holidays(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        """True when offices work on `d` (Saturdays never count unless made working days)."""
        if d in self.working_days:
            return True
        if d in self.days_off:
            return False
        if d in self._public_holidays(d.year):
            return False
        if d.weekday() in (_SATURDAY, _SUNDAY):
            return self._package_working(d)
        return True

    def _open_saturday_morning(self, d: date) -> bool:
        return (
            self.saturday_morning
            and d.weekday() == _SATURDAY
            and d not in self.days_off
            and d not in self._public_holidays(d.year)
        )

    def _can_collect(self, d: date) -> bool:
        return self.is_working_day(d) or self._open_saturday_morning(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the start itself is not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        current, counted, scanned = start, 0, 0
        while counted < n:
            current += timedelta(days=1)
            scanned += 1
            if self.is_working_day(current):
                counted += 1
                scanned = 0
            elif scanned > _MAX_SCAN_DAYS:
                raise ValueError("no working day found: check the days off")
        return current

    def _roll_forward(self, d: date) -> date:
        """`d` if the result can be collected that day, else the next working day."""
        return d if self._can_collect(d) else self.next_working_day(d)

    def _same_day(self, received_at: datetime, cutoff: time | None) -> date:
        day, clock = received_at.date(), received_at.time()
        # "after 15:00" is strict: a dossier stamped 15:00 exactly is still handled that day.
        before_cutoff = cutoff is None or clock <= cutoff
        if self.is_working_day(day) and before_cutoff:
            return day
        if self._open_saturday_morning(day) and before_cutoff and clock < SATURDAY_CLOSE:
            return day
        return self.next_working_day(day)

    def appointment(
        self,
        received_at: datetime,
        value: float | None,
        unit: str,
        same_day_cutoff: time | None = None,
    ) -> date | None:
        """Date the result is due for a dossier received at `received_at`.

        `received_at` is Vietnam local time (naive, or aware in Asia/Ho_Chi_Minh): its date
        is the day of receipt. `value`/`unit` are the channel's processing time
        ("working_days", "days", "hours", "months"); any other unit, or no value, gives None
        (no date can be promised). `same_day_cutoff` only affects a value of 0.
        """
        if value is None or unit not in UNITS:
            return None
        if value < 0 or math.isnan(value) or math.isinf(value):
            raise ValueError(f"invalid processing time: {value!r}")
        if unit == HOURS:
            return self._roll_forward((received_at + timedelta(hours=value)).date())
        whole = math.ceil(value)
        if whole == 0:
            return self._same_day(received_at, same_day_cutoff)
        received = received_at.date()
        if unit == WORKING_DAYS:
            return self.add_working_days(received, whole)
        if unit == DAYS:
            return self._roll_forward(received + timedelta(days=whole))
        return self._roll_forward(add_months(received, whole))


def add_months(d: date, months: int) -> date:
    """Same day `months` later; the month's last day when it has no such day (Art. 148)."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    last = _gregorian.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def parse_cutoff(text: str | None) -> time | None:
    """"15:00" (the meta-schema's sameDayCutoff) → time(15, 0); None or "" → None."""
    if not text:
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
