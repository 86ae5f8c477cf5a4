"""The yardstick of ``dispatch bench messages``: what counts as announced, as a false alarm."""

from datetime import UTC, datetime, timedelta

from benchmarks.message_scoring import Told, score, time_told
from dispatch.domain.events import PromiseChanged, VisitArrivingSoon, VisitCompleted
from dispatch.domain.model import TimeWindow

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIRST = TimeWindow(T0, T0 + timedelta(hours=1))  # 09:00-10:00


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def win(a: float, b: float) -> TimeWindow:
    return TimeWindow(at(a), at(b))


def test_a_late_arrival_warned_before_the_window_ended_is_announced() -> None:
    v = score(FIRST, at(70), [Told("running_late", at(50), win(55, 80))])
    assert (v.outside, v.announced, v.announced_by_change, v.false_alarm) == (
        True, True, True, False,
    )  # fmt: skip


def test_a_warning_after_the_window_ended_is_too_late() -> None:
    v = score(FIRST, at(70), [Told("running_late", at(61), win(60, 80))])
    assert v.outside and not v.announced


def test_an_early_technician_must_be_announced_before_the_door() -> None:
    soon = Told("arriving_soon", at(-8), win(-4, -4))  # "around 08:56"
    assert score(FIRST, at(-3), [soon]).announced
    assert not score(FIRST, at(-9), [soon]).announced  # sent after they stood there
    v = score(FIRST, at(-3), [soon])
    assert not v.announced_by_change  # the stricter reading counts change messages only


def test_a_new_time_on_the_wrong_side_does_not_announce() -> None:
    earlier = Told("window_changed", at(10), win(-20, 20))
    v = score(FIRST, at(75), [earlier])
    assert v.outside and not v.announced


def test_a_change_message_then_an_arrival_inside_is_a_false_alarm() -> None:
    v = score(FIRST, at(58), [Told("running_late", at(30), win(50, 90))])
    assert v.false_alarm and v.new_time_false and v.kept and v.changes == 1


def test_a_narrowed_window_inside_the_first_is_no_new_time() -> None:
    v = score(FIRST, at(30), [Told("on_the_way", at(10), win(20, 40))])
    assert not v.new_time and not v.false_alarm and v.kept


def test_no_arrival_is_neither_kept_nor_outside() -> None:
    v = score(FIRST, None, [])
    assert not v.kept and not v.outside


def test_each_event_gives_the_time_its_message_tells() -> None:
    changed = PromiseChanged(1, 2, 2, at(0), FIRST, win(30, 90), at(10), at(60), "late", None)
    soon = VisitArrivingSoon(1, 2, 2, at(50), at(58))
    assert time_told(changed) == win(30, 90)
    assert time_told(soon) == win(58, 58)
    assert time_told(VisitCompleted(1, 2, 2, at(70))) is None
