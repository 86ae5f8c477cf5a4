"""The notifier's taste, one rule and threshold at a time, on an injected clock."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dispatch.domain.events import (
    PromiseChanged,
    VisitArrivingSoon,
    VisitBooked,
    VisitCompleted,
    VisitFailed,
    VisitOnTheWay,
)
from dispatch.domain.message_kinds import MessageKind, Reason
from dispatch.domain.message_rules import LastTold, MessagePolicy, kind_for, reason_code, send_at
from dispatch.domain.model import TimeWindow
from dispatch.domain.route import PUSHED_BY_URGENT, RUNNING_EARLY, RUNNING_LATE
from dispatch.domain.service_hours import ServiceHours

BRUSSELS = ZoneInfo("Europe/Brussels")
NOON = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # 12:00 in Brussels
MIN = timedelta(minutes=1)
POLICY = MessagePolicy()


def window(start_min: int, end_min: int) -> TimeWindow:
    return TimeWindow(NOON + start_min * MIN, NOON + end_min * MIN)


def changed(old: TimeWindow, new: TimeWindow, eta_min: int, reason: str = RUNNING_LATE):
    return PromiseChanged(7, 1, 2, NOON, old, new, old.start, NOON + eta_min * MIN, reason)


def test_each_event_becomes_the_message_a_customer_expects():
    w = window(60, 120)
    assert kind_for(VisitBooked(7, 1, 1, NOON, w, NOON + 90 * MIN)) == MessageKind.BOOKED
    assert kind_for(VisitOnTheWay(7, 1, 1, NOON, w, NOON + 90 * MIN)) == MessageKind.ON_THE_WAY
    assert kind_for(VisitArrivingSoon(7, 1, 1, NOON, NOON + 9 * MIN)) == MessageKind.ARRIVING_SOON
    assert kind_for(VisitCompleted(7, 1, 1, NOON)) == MessageKind.COMPLETED
    assert kind_for(VisitFailed(7, 1, 1, NOON)) is None  # the case lifecycle decides


def test_an_eta_past_the_told_end_is_running_late():
    assert kind_for(changed(window(60, 120), window(110, 150), 130)) == MessageKind.RUNNING_LATE


@pytest.mark.parametrize(
    ("moved_min", "expected"),
    [(9, None), (10, MessageKind.WINDOW_CHANGED), (40, MessageKind.WINDOW_CHANGED)],
)
def test_an_earlier_window_is_news_only_from_the_threshold_on(moved_min, expected):
    old = window(60, 120)
    new = window(60 - moved_min, 120 - moved_min)
    assert kind_for(changed(old, new, 90 - moved_min, RUNNING_EARLY)) == expected


def test_reasons_the_route_gives_become_reason_codes():
    assert reason_code(RUNNING_LATE) == Reason.TRAFFIC
    assert reason_code(RUNNING_EARLY) == Reason.RUNNING_EARLY
    assert reason_code(PUSHED_BY_URGENT) == Reason.URGENT_CASE
    assert reason_code("breakdown") == Reason.BREAKDOWN
    assert reason_code("something unheard of") == Reason.OTHER


def test_a_first_message_goes_now():
    at, why = send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, LastTold(), None, NOON + 60 * MIN)
    assert (at, why) == (NOON, "now")


def test_the_rate_limit_holds_a_second_change_until_the_interval_has_passed():
    last = LastTold(sent_at=NOON - 5 * MIN, window_end=NOON + 120 * MIN)
    at, why = send_at(
        MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, NOON + 130 * MIN, NOON + 60 * MIN
    )
    assert at == NOON - 5 * MIN + POLICY.min_interval
    assert "rate limit" in why


def test_a_new_technician_is_told_at_once_even_minutes_after_the_last_message():
    """Found in the simulator: a breakdown's hand-over four minutes after the booking
    confirmation waited 13 minutes for the rate limit, while the tracking page already
    showed the new name."""
    last = LastTold(sent_at=NOON - 4 * MIN, window_end=NOON + 120 * MIN)
    at, why = send_at(MessageKind.TECHNICIAN_CHANGED, NOON, BRUSSELS, last,
                      NOON + 120 * MIN, NOON + 60 * MIN)  # fmt: skip
    assert (at, why) == (NOON, "now")


def test_a_held_running_late_goes_out_before_the_window_it_breaks_has_ended():
    last = LastTold(sent_at=NOON - 5 * MIN, window_end=NOON + 5 * MIN)  # "on the way"
    late, visit = NOON + 15 * MIN, NOON + 8 * MIN
    at, why = send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, late, visit,
                      broken_end=NOON + 5 * MIN)  # fmt: skip
    assert at == NOON + 5 * MIN and "before the told window ends" in why
    at, _ = send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, late, visit,
                    broken_end=NOON - MIN)  # fmt: skip
    assert at == NOON  # an end already past: at once, never in the past
    far = NOON + 60 * MIN  # an end beyond the interval leaves the rate limit as it was
    at, _ = send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, late, NOON + 30 * MIN,
                    broken_end=far)  # fmt: skip
    assert at == NOON - 5 * MIN + POLICY.min_interval


def test_a_held_change_never_waits_past_the_start_of_the_window_it_tells():
    """Found trying the product: "good news, we can come earlier: 09:10-09:35" held by the
    rate limit until 09:21. News about a window goes out before that window begins."""
    last = LastTold(sent_at=NOON - 5 * MIN, window_end=NOON + 60 * MIN)
    starts = NOON + 3 * MIN
    at, why = send_at(MessageKind.WINDOW_CHANGED, NOON, BRUSSELS, last, NOON + 30 * MIN, starts)
    assert at == starts and "before the new window starts" in why
    begun = NOON - MIN
    assert send_at(MessageKind.WINDOW_CHANGED, NOON, BRUSSELS, last, NOON + 30 * MIN,
                   begun)[0] == NOON  # fmt: skip


def test_the_rate_limit_ends_exactly_at_the_interval():
    last = LastTold(sent_at=NOON - POLICY.min_interval, window_end=NOON + 120 * MIN)
    at, _ = send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, NOON + 130 * MIN, None)
    assert at == NOON


def test_materially_worse_news_is_not_held_by_the_rate_limit():
    last = LastTold(sent_at=NOON - 5 * MIN, window_end=NOON + 120 * MIN)
    worse = NOON + 120 * MIN + POLICY.materially_worse
    assert send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, worse, None)[0] == NOON
    almost = worse - MIN
    assert send_at(MessageKind.RUNNING_LATE, NOON, BRUSSELS, last, almost, None)[0] > NOON


def test_the_rate_limit_applies_to_changes_not_to_a_booking_or_completion():
    last = LastTold(sent_at=NOON - 1 * MIN, window_end=None)
    for kind in (MessageKind.BOOKED, MessageKind.COMPLETED, MessageKind.ON_THE_WAY):
        assert send_at(kind, NOON, BRUSSELS, last, None, None)[0] == NOON


def test_quiet_hours_hold_a_message_until_morning_in_the_customers_zone():
    night = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 23:30 in Brussels
    tomorrow_visit = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Brussels
    at, why = send_at(MessageKind.BOOKED, night, BRUSSELS, LastTold(), None, tomorrow_visit)
    assert at.astimezone(BRUSSELS) == datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS)
    assert why == "quiet hours"


def test_a_service_with_its_own_contact_hours_waits_for_them_not_for_eight():
    """Contact on weekdays 09:00-18:00 only (visits may have other hours): a booking
    made on Friday at 19:00 for Monday is told on Monday at 09:00, not Saturday 08:00;
    one due on Saturday morning is told at once."""
    office = MessagePolicy(hours=ServiceHours.parse("mon-fri 09:00-18:00", "Europe/Brussels"))
    friday = datetime(2026, 12, 4, 19, 0, tzinfo=BRUSSELS).astimezone(UTC)
    monday_visit = datetime(2026, 12, 7, 10, 0, tzinfo=BRUSSELS)
    at, why = send_at(MessageKind.BOOKED, friday, BRUSSELS, LastTold(), None, monday_visit,
                      office)  # fmt: skip
    assert at.astimezone(BRUSSELS) == datetime(2026, 12, 7, 9, 0, tzinfo=BRUSSELS)
    assert why == "quiet hours"
    default, _ = send_at(MessageKind.BOOKED, friday, BRUSSELS, LastTold(), None, monday_visit)
    assert default == friday  # 20:00 is inside the default hours
    saturday_visit = datetime(2026, 12, 5, 9, 30, tzinfo=BRUSSELS)
    assert send_at(MessageKind.BOOKED, friday, BRUSSELS, LastTold(), None, saturday_visit,
                   office)[0] == friday  # fmt: skip


def test_a_visit_due_before_morning_is_told_at_night():
    night = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    soon = night + 45 * MIN  # an urgent cable release at 00:15
    assert send_at(MessageKind.BOOKED, night, BRUSSELS, LastTold(), None, soon)[0] == night


@pytest.mark.parametrize(
    ("local", "quiet"),
    [("20:59", False), ("21:00", True), ("03:00", True), ("07:59", True), ("08:00", False)],
)
def test_the_quiet_hours_edges(local, quiet):
    h, m = map(int, local.split(":"))
    moment = datetime(2026, 11, 30, h, m, tzinfo=BRUSSELS).astimezone(UTC)
    at, _ = send_at(MessageKind.BOOKED, moment, BRUSSELS, LastTold(), None, None)
    assert (at != moment) == quiet
