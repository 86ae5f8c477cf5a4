import time
from datetime import UTC, datetime, timedelta

import pytest

from dispatch.clock import FakeClock, ScaledClock, SystemClock
from dispatch.config import Settings


def test_the_service_clock_can_start_at_any_hour_and_run_faster():
    s = Settings.from_env(
        {"DISPATCH_CLOCK_START": "2026-11-24T09:00:00+01:00", "DISPATCH_CLOCK_SPEED": "60"}
    )
    clock = s.clock()
    assert isinstance(clock, ScaledClock)
    first = clock.now()
    assert abs(first - datetime(2026, 11, 24, 8, 0, tzinfo=UTC)) < timedelta(seconds=5)
    time.sleep(0.1)
    assert clock.now() - first >= timedelta(seconds=5)  # 0.1 s at 60x is 6 s
    assert isinstance(Settings.from_env({}).clock(), SystemClock)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISPATCH_CLOCK_START": "tomorrow"}, "not an ISO 8601"),
        ({"DISPATCH_CLOCK_START": "2026-11-24T09:00:00"}, "UTC offset"),
    ],
)
def test_bad_clock_settings_are_explained(env, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


def test_fake_clock_moves_only_when_told():
    c = FakeClock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    c.advance(timedelta(minutes=5))
    assert c.now() == datetime(2026, 11, 24, 8, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="offset"):
        FakeClock(datetime(2026, 11, 24, 8, 0))
