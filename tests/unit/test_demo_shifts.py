from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dispatch.services.seed import shift_instance

BXL = ZoneInfo("Europe/Brussels")


def test_a_night_shift_that_started_yesterday_covers_early_morning():
    now = datetime(2026, 11, 24, 3, 0, tzinfo=BXL)
    shift = shift_instance(now, BXL, "22:00", 10)
    assert shift.start == datetime(2026, 11, 23, 22, 0, tzinfo=BXL)
    assert shift.contains(now)


def test_a_day_shift_not_yet_started_is_todays():
    now = datetime(2026, 11, 24, 5, 0, tzinfo=BXL)
    shift = shift_instance(now, BXL, "07:00", 9)
    assert shift.start == datetime(2026, 11, 24, 7, 0, tzinfo=BXL)
    assert shift.end - shift.start == timedelta(hours=9)


def test_a_shift_already_over_today_moves_to_tomorrow():
    now = datetime(2026, 11, 24, 20, 0, tzinfo=BXL)
    assert shift_instance(now, BXL, "07:00", 9).start.day == 25
