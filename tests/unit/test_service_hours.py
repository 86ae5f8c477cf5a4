"""Service hours as a service publishes them, and the next moment its doors open."""

from datetime import UTC, date, datetime, time

import pytest

from dispatch.domain.errors import InvalidInput
from dispatch.domain.service_hours import ServiceHours

ZONE = "Europe/Brussels"
POLESTAR = ServiceHours.parse("mon-fri 08:00-20:00, sat 09:00-13:00", ZONE)


def test_parsing_names_every_weekday_it_covers() -> None:
    assert POLESTAR.week[0] == (time(8, 0), time(20, 0)) and POLESTAR.week[4][1] == time(20, 0)
    assert POLESTAR.week[5] == (time(9, 0), time(13, 0)) and 6 not in POLESTAR.week
    around = ServiceHours.parse("fri-mon 10:00-12:00", ZONE)  # wraps over the weekend
    assert sorted(around.week) == [0, 4, 5, 6]


def test_hours_on_a_date_are_instants_in_the_zone() -> None:
    saturday = POLESTAR.on(date(2026, 12, 5))
    assert saturday is not None and saturday.start == datetime(2026, 12, 5, 8, tzinfo=UTC)
    assert POLESTAR.on(date(2026, 12, 6)) is None  # Sunday: closed


def test_friday_evening_opens_again_on_saturday_morning_or_monday_without_saturdays() -> None:
    friday_1645 = datetime(2026, 12, 4, 15, 45, tzinfo=UTC)  # 16:45 in Brussels
    assert POLESTAR.is_open(friday_1645)
    friday_2030 = datetime(2026, 12, 4, 19, 30, tzinfo=UTC)
    assert not POLESTAR.is_open(friday_2030)
    assert POLESTAR.next_open(friday_2030) == datetime(2026, 12, 5, 8, tzinfo=UTC)
    weekdays = ServiceHours.parse("mon-fri 08:00-20:00", ZONE)
    assert weekdays.next_open(friday_2030) == datetime(2026, 12, 7, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "says"),
    [("weekdays 8-20", "write them as"), ("mon-fun 08:00-20:00", "days are"),
     ("sat 13:00-09:00", "end before they start")],
)  # fmt: skip
def test_unreadable_hours_say_how_to_write_them(text: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        ServiceHours.parse(text, ZONE)
