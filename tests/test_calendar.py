"""Appointment dates a citizen reads on the receipt, against the real 2026/2027 calendars.

Official 2026 schedule used below (civil servants):
- Tết Dương lịch: Thu 01/01–Sun 04/01, Fri 02/01 swapped with Sat 10/01 (12729/VPCP-KGVX of
  25/12/2025). The `holidays` package does not know this swap: the tests add it as an
  administrator would (a day off and a working day).
- Tết Bính Ngọ: Mon 16/02–Fri 20/02 off (9 days with both weekends); in the package.
- Giỗ Tổ Hùng Vương falls on Sun 26/04, compensated Mon 27/04; 30/04–01/05 are Thu–Fri.
- Quốc khánh: Tue 01/09 + Wed 02/09, Mon 31/08 swapped with Sat 22/08; the package lists the
  day off and the calendar derives the working Saturday from the package's swap record.
2027 dates are the package's Labour Code computation (no government swap published yet):
Tết Đinh Mùi Thu 04/02–Wed 10/02 on working days, 01/05 (Sat) compensated Mon 03/05,
Quốc khánh Thu 02/09 + Fri 03/09.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from catalog.calendar import WorkingCalendar, add_months, parse_cutoff

CUTOFF = time(15, 0)
NEW_YEAR_2026_SWAP = {"days_off": [date(2026, 1, 2)], "working_days": [date(2026, 1, 10)]}


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.fixture(scope="module")
def official_2026() -> WorkingCalendar:
    return WorkingCalendar(**NEW_YEAR_2026_SWAP)


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm)


# --- Tết Bính Ngọ 2026 -------------------------------------------------------------------


@pytest.mark.parametrize("day", range(16, 21))
def test_tet_2026_weekdays_are_off(cal: WorkingCalendar, day: int) -> None:
    assert not cal.is_working_day(date(2026, 2, day))


def test_days_around_tet_2026_are_working(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.is_working_day(date(2026, 2, 23))
    assert cal.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_one_working_day_before_tet_2026_is_due_after_the_nine_days_off(
    cal: WorkingCalendar,
) -> None:
    assert cal.appointment(at(2026, 2, 13), 1, "working_days", CUTOFF) == date(2026, 2, 23)


def test_same_day_before_cutoff_on_last_day_before_tet(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 2, 13, 14, 59), 0, "working_days", CUTOFF) == date(2026, 2, 13)
    assert cal.appointment(at(2026, 2, 13, 15, 0), 0, "working_days", CUTOFF) == date(2026, 2, 13)


def test_same_day_after_cutoff_waits_for_the_end_of_tet(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 2, 13, 15, 1), 0, "working_days", CUTOFF) == date(2026, 2, 23)


def test_same_day_without_cutoff_ignores_the_hour(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 2, 13, 16, 30), 0, "working_days", None) == date(2026, 2, 13)


def test_ten_calendar_days_ending_during_tet_move_to_the_next_working_day(
    cal: WorkingCalendar,
) -> None:
    # 10/02 + 10 days = Fri 20/02, mùng 4 Tết → Mon 23/02.
    assert cal.appointment(at(2026, 2, 10), 10, "days") == date(2026, 2, 23)


def test_five_working_days_across_tet_2026(cal: WorkingCalendar) -> None:
    # Thu 12/02: Fri 13 (1), Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert cal.appointment(at(2026, 2, 12), 5, "working_days") == date(2026, 2, 26)


# --- Tết Dương lịch 2026 (administrator-added swap) ---------------------------------------


def test_new_year_2026_swap_needs_the_administrator(
    cal: WorkingCalendar, official_2026: WorkingCalendar
) -> None:
    received = at(2025, 12, 31)
    assert cal.appointment(received, 1, "working_days") == date(2026, 1, 2)
    assert official_2026.appointment(received, 1, "working_days") == date(2026, 1, 5)


def test_compensatory_saturday_is_a_working_day(official_2026: WorkingCalendar) -> None:
    assert official_2026.is_working_day(date(2026, 1, 10))
    assert official_2026.appointment(at(2026, 1, 9), 1, "working_days") == date(2026, 1, 10)
    assert official_2026.appointment(at(2026, 1, 10, 9), 0, "working_days", CUTOFF) == date(
        2026, 1, 10
    )


def test_calendar_days_ending_on_a_compensatory_saturday_stay_there(
    cal: WorkingCalendar, official_2026: WorkingCalendar
) -> None:
    assert cal.appointment(at(2026, 1, 5), 5, "days") == date(2026, 1, 12)
    assert official_2026.appointment(at(2026, 1, 5), 5, "days") == date(2026, 1, 10)


def test_a_day_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="02/01/2026"):
        WorkingCalendar(days_off=[date(2026, 1, 2)], working_days=[date(2026, 1, 2)])


# --- 30/4–1/5 and Giỗ Tổ 2026 --------------------------------------------------------------


def test_hung_kings_and_reunification_2026(cal: WorkingCalendar) -> None:
    # Fri 24/04: Mon 27 off (Giỗ Tổ compensated), Tue 28 (1), Wed 29 (2),
    # Thu 30/04 and Fri 01/05 off, weekend, Mon 04/05 (3).
    assert cal.appointment(at(2026, 4, 24), 3, "working_days") == date(2026, 5, 4)


def test_same_day_on_the_eve_of_30_4_after_cutoff(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 4, 29, 15, 30), 0, "working_days", CUTOFF) == date(2026, 5, 4)


# --- Quốc khánh 2026 ------------------------------------------------------------------------


def test_national_day_2026_bridge(cal: WorkingCalendar) -> None:
    for off in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not cal.is_working_day(off)
    assert cal.appointment(at(2026, 8, 28), 1, "working_days") == date(2026, 9, 3)


def test_national_day_2026_swapped_saturday_is_worked(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(date(2026, 8, 22))
    assert cal.appointment(at(2026, 8, 21), 1, "working_days") == date(2026, 8, 22)


def test_package_swaps_of_earlier_years_give_working_saturdays(cal: WorkingCalendar) -> None:
    # 2025: Fri 02/05 off, swapped with Sat 26/04.
    assert not cal.is_working_day(date(2025, 5, 2))
    assert cal.is_working_day(date(2025, 4, 26))
    assert not cal.is_working_day(date(2025, 4, 19))


# --- 2027 -----------------------------------------------------------------------------------


def test_tet_2027_after_cutoff_waits_a_week(cal: WorkingCalendar) -> None:
    # Wed 03/02/2027 16:00; Thu 04 to Wed 10/02 off (Sat 06/02 is mùng 1).
    assert cal.appointment(at(2027, 2, 3, 16), 0, "working_days", CUTOFF) == date(2027, 2, 11)
    assert cal.appointment(at(2027, 2, 3, 9), 0, "working_days", CUTOFF) == date(2027, 2, 3)


def test_tet_2027_working_days(cal: WorkingCalendar) -> None:
    # Tue 02/02: Wed 03 (1), Thu 11 (2), Fri 12 (3).
    assert cal.appointment(at(2027, 2, 2), 3, "working_days") == date(2027, 2, 12)


def test_labour_day_2027_on_saturday_is_compensated_on_monday(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2027, 5, 3))
    assert cal.appointment(at(2027, 4, 29), 1, "working_days") == date(2027, 5, 4)


def test_national_day_2027(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2027, 9, 1), 1, "working_days") == date(2027, 9, 6)
    # 20 calendar days from Sat 14/08 end on Fri 03/09, a day off → Mon 06/09.
    assert cal.appointment(at(2027, 8, 14), 20, "days") == date(2027, 9, 6)


def test_administrator_can_add_a_2027_bridge(cal: WorkingCalendar) -> None:
    bridged = WorkingCalendar(days_off=[date(2027, 4, 29)])
    assert cal.appointment(at(2027, 4, 28), 1, "working_days") == date(2027, 4, 29)
    assert bridged.appointment(at(2027, 4, 28), 1, "working_days") == date(2027, 5, 4)


# --- Units and receipt rules ------------------------------------------------------------------


def test_receipt_day_is_not_counted_even_on_a_sunday(cal: WorkingCalendar) -> None:
    # Filed online on Sun 07/06/2026: counting starts Monday, which is the first working day.
    assert cal.appointment(at(2026, 6, 7), 1, "working_days") == date(2026, 6, 8)
    assert cal.appointment(at(2026, 6, 5), 1, "working_days") == date(2026, 6, 8)


def test_same_day_received_on_a_day_off_is_next_working_day(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 6, 6, 9), 0, "working_days", CUTOFF) == date(2026, 6, 8)
    assert cal.appointment(at(2026, 6, 6, 9), 0, "days", None) == date(2026, 6, 8)


def test_calendar_days_ending_on_a_weekend(cal: WorkingCalendar) -> None:
    # Wed 03/06/2026 + 10 days = Sat 13/06 → Mon 15/06; + 13 days = Tue 16/06 stays.
    assert cal.appointment(at(2026, 6, 3), 10, "days") == date(2026, 6, 15)
    assert cal.appointment(at(2026, 6, 3), 13, "days") == date(2026, 6, 16)


def test_calendar_days_count_weekends(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 6, 1), 15, "days") == date(2026, 6, 16)
    assert cal.appointment(at(2026, 6, 1), 15, "working_days") == date(2026, 6, 22)


def test_hours(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 6, 1, 9), 4, "hours") == date(2026, 6, 1)
    # Fri 05/06 16:00 + 8 h = Sat 00:00 → Monday.
    assert cal.appointment(at(2026, 6, 5, 16), 8, "hours") == date(2026, 6, 8)
    assert cal.appointment(at(2026, 6, 1, 9), 48, "hours") == date(2026, 6, 3)


def test_months(cal: WorkingCalendar) -> None:
    # 31/01/2026 + 1 month: February has no 31st → Sat 28/02 → Mon 02/03.
    assert cal.appointment(at(2026, 1, 31), 1, "months") == date(2026, 3, 2)
    assert cal.appointment(at(2026, 3, 16), 2, "months") == date(2026, 5, 18)
    assert add_months(date(2027, 12, 15), 2) == date(2028, 2, 15)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_fractions_round_up(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 6, 1), 0.5, "working_days", CUTOFF) == date(2026, 6, 2)
    assert cal.appointment(at(2026, 6, 1), 1.5, "days") == date(2026, 6, 3)
    assert cal.appointment(at(2026, 6, 1, 9), 1.5, "hours") == date(2026, 6, 1)


@pytest.mark.parametrize("unit", ["unknown", "weeks", ""])
def test_unknown_unit_gives_no_date(cal: WorkingCalendar, unit: str) -> None:
    assert cal.appointment(at(2026, 6, 1), 5, unit) is None


def test_missing_value_gives_no_date(cal: WorkingCalendar) -> None:
    assert cal.appointment(at(2026, 6, 1), None, "working_days") is None


def test_negative_value_is_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        cal.appointment(at(2026, 6, 1), -1, "working_days")


def test_add_working_days(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert cal.next_working_day(date(2026, 4, 29)) == date(2026, 5, 4)


def test_vietnam_culture_day_2026(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.appointment(at(2026, 11, 23), 1, "working_days") == date(2026, 11, 25)


def test_years_are_loaded_on_demand() -> None:
    later = WorkingCalendar()
    assert later.appointment(at(2031, 10, 10), 1, "working_days") == date(2031, 10, 13)
    # Tết Tân Hợi 2031 (Thu 23/01) keeps offices closed from Tue 21/01 to Mon 27/01.
    assert later.appointment(at(2031, 1, 20), 1, "working_days") == date(2031, 1, 28)


def test_whole_year_off_is_reported_not_looped() -> None:
    start = date(2030, 1, 1)
    every_day = [date.fromordinal(start.toordinal() + i) for i in range(1200)]
    with pytest.raises(ValueError):
        WorkingCalendar(days_off=every_day).add_working_days(start, 1)


# --- Offices open on Saturday morning --------------------------------------------------------


def test_saturday_morning_same_day(cal: WorkingCalendar) -> None:
    office = WorkingCalendar(saturday_morning=True)
    assert office.appointment(at(2026, 6, 6, 9), 0, "working_days", CUTOFF) == date(2026, 6, 6)
    assert office.appointment(at(2026, 6, 6, 13), 0, "working_days", CUTOFF) == date(2026, 6, 8)
    assert cal.appointment(at(2026, 6, 6, 9), 0, "working_days", CUTOFF) == date(2026, 6, 8)


def test_saturday_morning_does_not_count_as_a_working_day() -> None:
    office = WorkingCalendar(saturday_morning=True)
    assert not office.is_working_day(date(2026, 6, 6))
    assert office.appointment(at(2026, 6, 5), 1, "working_days") == date(2026, 6, 8)
    # A calendar period ending on Saturday can be collected that morning.
    assert office.appointment(at(2026, 6, 3), 10, "days") == date(2026, 6, 13)


def test_saturday_morning_closed_during_tet() -> None:
    office = WorkingCalendar(saturday_morning=True)
    # Sat 06/02/2027 is mùng 1 Tết.
    assert office.appointment(at(2027, 2, 6, 9), 0, "working_days", CUTOFF) == date(2027, 2, 11)


def test_parse_cutoff() -> None:
    assert parse_cutoff("15:00") == time(15, 0)
    assert parse_cutoff(None) is None
    assert parse_cutoff("") is None
