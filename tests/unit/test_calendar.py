"""Working calendars: weekly patterns, exceptions, lunch inside its window, and the
daylight-saving weekends of Europe/Brussels (last Sunday of March and of October)."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dispatch.domain.calendar import DateException, DayKind, Hours, Lunch, WeeklyPattern
from dispatch.domain.errors import InvalidInput
from dispatch.domain.workdays import instant, local_date, workday, workdays

ZONE = "Europe/Brussels"
LUNCH = Lunch(time(12, 0), time(13, 30), 30)
OFFICE = Hours(time(8, 0), time(17, 0), LUNCH)
WEEK = WeeklyPattern(ZONE, {d: OFFICE for d in range(5)})  # Monday to Friday


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_weekday_shift_and_its_lunch_in_winter_time() -> None:
    monday = workday(WEEK, {}, date(2026, 11, 30))
    assert monday.shift is not None and monday.lunch is not None
    assert (monday.shift.start, monday.shift.end) == (utc(2026, 11, 30, 7), utc(2026, 11, 30, 16))
    assert (monday.lunch.earliest, monday.lunch.latest) == (
        utc(2026, 11, 30, 11), utc(2026, 11, 30, 12, 30),
    )  # fmt: skip
    assert monday.lunch.duration == timedelta(minutes=30)
    assert OFFICE.working == timedelta(hours=8, minutes=30)


def test_the_weekend_is_off_by_the_pattern() -> None:
    days = workdays(WEEK, {}, date(2026, 12, 4), date(2026, 12, 7))  # Friday to Monday
    assert [d.working for d in days] == [True, False, False, True]
    assert days[1].source == "pattern"


def test_the_monday_after_the_clocks_go_forward_starts_an_hour_earlier_in_utc() -> None:
    friday = workday(WEEK, {}, date(2027, 3, 26))
    monday = workday(WEEK, {}, date(2027, 3, 29))
    assert friday.shift and friday.shift.start == utc(2027, 3, 26, 7)  # 08:00 CET
    assert monday.shift and monday.shift.start == utc(2027, 3, 29, 6)  # 08:00 CEST
    assert monday.shift.end - monday.shift.start == timedelta(hours=9)


def test_the_monday_after_the_clocks_go_back_starts_an_hour_later_in_utc() -> None:
    friday = workday(WEEK, {}, date(2026, 10, 23))
    monday = workday(WEEK, {}, date(2026, 10, 26))
    assert friday.shift and friday.shift.start == utc(2026, 10, 23, 6)
    assert monday.shift and monday.shift.start == utc(2026, 10, 26, 7)


def test_a_night_shift_on_the_changeover_sundays_counts_real_hours() -> None:
    night = Hours(time(0, 0), time(6, 0))
    sundays = WeeklyPattern(ZONE, {6: night})
    spring = workday(sundays, {}, date(2027, 3, 28)).shift
    autumn = workday(sundays, {}, date(2026, 10, 25)).shift
    assert spring and spring.end - spring.start == timedelta(hours=5)  # an hour skipped
    assert autumn and autumn.end - autumn.start == timedelta(hours=7)  # an hour twice


def test_a_skipped_or_repeated_wall_time_resolves_without_an_error() -> None:
    brussels = ZoneInfo(ZONE)
    assert instant(date(2027, 3, 28), time(2, 30), brussels) == utc(2027, 3, 28, 1, 30)  # 03:30
    assert instant(date(2026, 10, 25), time(2, 30), brussels) == utc(2026, 10, 25, 0, 30)


def test_exceptions_win_over_the_pattern() -> None:
    tuesday, wednesday, thursday, saturday = (date(2026, 12, d) for d in (1, 2, 3, 5))
    short = Hours(time(13, 0), time(17, 0))
    extra = Hours(time(9, 0), time(13, 0))
    exc = {
        tuesday: DateException(tuesday, DayKind.OFF, note="Sinterklaas leave"),
        wednesday: DateException(wednesday, DayKind.SICK),
        thursday: DateException(thursday, DayKind.HOURS, short),
        saturday: DateException(saturday, DayKind.EXTRA, extra),
    }
    days = {d.day: d for d in workdays(WEEK, exc, tuesday, saturday)}
    assert not days[tuesday].working and days[tuesday].note == "Sinterklaas leave"
    assert not days[wednesday].working and days[wednesday].source == "sick"
    assert days[thursday].shift and days[thursday].shift.start == utc(2026, 12, 3, 12)
    assert days[thursday].lunch is None  # the exception's hours, lunch and all
    assert days[saturday].shift and days[saturday].source == "extra"
    assert days[date(2026, 12, 4)].source == "pattern"


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (lambda: Hours(time(17, 0), time(8, 0)), "ends before it starts"),
        (lambda: Hours(time(8, 0), time(12, 0), LUNCH), "not inside the shift"),
        (lambda: Lunch(time(12, 0), time(12, 20), 30), "does not fit"),
        (lambda: Lunch(time(12, 0), time(13, 0), 0), "1 to 180"),
        (lambda: WeeklyPattern(ZONE, {7: OFFICE}), "0 (Monday) to 6"),
        (lambda: DateException(date(2026, 12, 1), DayKind.HOURS), "needs its hours"),
        (lambda: DateException(date(2026, 12, 1), DayKind.SICK, OFFICE), "has no hours"),
        (lambda: workdays(WEEK, {}, date(2026, 12, 2), date(2026, 12, 1)), "before it starts"),
        (lambda: workdays(WEEK, {}, date(2026, 1, 1), date(2027, 6, 1)), "at most 366"),
    ],
)
def test_impossible_calendars_are_refused_with_the_reason(
    build: Callable[[], object], says: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(says)):
        build()


def test_the_local_date_is_the_technicians_not_utc() -> None:
    assert local_date(utc(2026, 11, 30, 23, 30), ZONE) == date(2026, 12, 1)


def test_hours_inside_the_skipped_hour_are_no_shift_not_a_crash() -> None:
    gap = date(2027, 3, 28)  # 02:00-03:00 does not happen in Brussels
    odd = {gap: DateException(gap, DayKind.EXTRA, Hours(time(2, 30), time(3, 15)))}
    day = workday(WEEK, odd, gap)
    assert not day.working and day.source == "clock change"
