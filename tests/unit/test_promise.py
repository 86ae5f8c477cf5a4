from datetime import UTC, datetime, timedelta

from dispatch.domain.model import TimeWindow
from dispatch.domain.promise import MAX_HALF_WIDTH, comfortable_end, promise_window

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def width(w) -> timedelta:
    return w.end - w.start


def test_next_stop_gets_a_narrow_window_and_a_later_one_a_wide_one():
    soon = promise_window(NOW, NOW + timedelta(minutes=12), stops_ahead=0)
    later = promise_window(NOW, NOW + timedelta(hours=3), stops_ahead=6)
    assert width(soon) <= timedelta(minutes=30)
    assert width(later) >= timedelta(minutes=90)
    assert width(later) > width(soon)


def test_window_contains_the_eta_and_sits_on_five_minute_marks():
    eta = NOW + timedelta(minutes=47, seconds=13)
    w = promise_window(NOW, eta, stops_ahead=2)
    assert w.start <= eta <= w.end
    for edge in (w.start, w.end):
        assert edge.minute % 5 == 0 and edge.second == 0


def test_window_never_starts_in_the_past_and_is_capped():
    w = promise_window(NOW, NOW + timedelta(minutes=2), stops_ahead=0)
    assert w.start >= NOW
    far = promise_window(NOW, NOW + timedelta(hours=12), stops_ahead=30)
    assert width(far) <= 2 * MAX_HALF_WIDTH + timedelta(minutes=10)


def test_an_overdue_eta_still_gets_a_valid_window_around_it():
    w = promise_window(NOW, NOW - timedelta(minutes=7), stops_ahead=0)
    assert w.start <= NOW - timedelta(minutes=7) <= w.end


def test_a_booking_keeps_a_quarter_hour_of_a_window_free_and_a_third_of_a_narrow_one():
    two_hours = TimeWindow(NOW, NOW + timedelta(hours=2))
    assert comfortable_end(two_hours) == two_hours.end - timedelta(minutes=15)
    half_hour = TimeWindow(NOW, NOW + timedelta(minutes=30))
    assert comfortable_end(half_hour) == half_hour.end - timedelta(minutes=10)
