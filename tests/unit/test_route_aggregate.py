"""The route's invariants: what no change to a technician's day may break."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

import pytest
from builders import MORNING, visit

from dispatch.domain.events import (
    PromiseChanged,
    VisitBooked,
    VisitCompleted,
    VisitFailed,
    VisitOnTheWay,
    VisitReassigned,
    VisitReleased,
)
from dispatch.domain.model import TimeWindow, Visit, VisitStatus
from dispatch.domain.route import RUNNING_LATE, Route, RouteInvariantBroken

NOW = MORNING
MIN = timedelta(minutes=1)


def route(*statuses: VisitStatus, first_sequence: int = 1, closed_through: int = 0) -> Route:
    """Technician 1's day: visits 10, 11, ... an hour apart, with the given statuses."""
    visits = [visit(10 + k, first_sequence + k, NOW + 60 * k * MIN, status=s)
              for k, s in enumerate(statuses)]  # fmt: skip
    return Route(1, 4, visits, closed_through)


def new(ticket_id: int = 99) -> Visit:
    return visit(ticket_id, 0, NOW + 30 * MIN, technician_id=0, promise_version=0)


PLANNED = VisitStatus.PLANNED


def sequences(r: Route) -> list[int]:
    return [v.sequence for v in r.visits]


def test_a_ticket_is_on_a_route_once() -> None:
    with pytest.raises(RouteInvariantBroken, match="twice"):
        Route(1, 0, [visit(10, 1, NOW), visit(10, 2, NOW + 60 * MIN)])
    r = route(PLANNED)
    with pytest.raises(RouteInvariantBroken, match="already on the route"):
        r.book(visit(10, 0, NOW), 1, NOW, None)
    assert r.events == []


def test_new_work_never_goes_before_started_work() -> None:
    r = route(VisitStatus.STARTED, PLANNED)
    with pytest.raises(RouteInvariantBroken, match="started work stays first"):
        r.book(new(), 0, NOW, None)
    r.book(new(), 1, NOW, leg_after_s=300)
    assert [v.ticket_id for v in r.open_visits] == [10, 99, 11]
    assert r.visit(11).leg_s == 300  # the drive into the next stop now starts at 99


def test_a_booking_is_the_customers_first_promise() -> None:
    r = route(PLANNED)
    booked = r.book(new(), 1, NOW, None)
    assert (booked.technician_id, booked.status, booked.promise_version) == (1, PLANNED, 1)
    assert r.events == [VisitBooked(99, 1, 1, NOW, booked.window, booked.eta)]


def test_sequences_strictly_increase_and_stay_above_closed_visits() -> None:
    r = route(VisitStatus.COMPLETED, VisitStatus.FAILED, PLANNED, PLANNED, first_sequence=5)
    r.book(new(), 0, NOW, None)
    assert [v.ticket_id for v in r.visits] == [10, 11, 99, 12, 13]
    assert sequences(r)[:2] == [5, 6]  # closed visits keep their numbers
    assert all(a < b for a, b in pairwise(sequences(r)))

    only_open = route(PLANNED, PLANNED, first_sequence=10, closed_through=9)
    only_open.book(new(), 0, NOW, None)
    assert min(sequences(only_open)) > 9
    assert all(a < b for a, b in pairwise(sequences(only_open)))


def test_appending_writes_only_the_new_visit() -> None:
    r = route(PLANNED, PLANNED, first_sequence=5)  # earlier numbers went to other routes
    r.book(new(), 2, NOW, None)
    added, updated = r.pending_writes()
    assert [v.ticket_id for v in added] == [99] and updated == []
    assert sequences(r) == [5, 6, 7]


def test_narrowing_a_window_inside_the_promise_is_silent() -> None:
    r = route(PLANNED)
    old = r.visit(10)
    assert r.retime(10, eta=old.eta, now=NOW) is False
    assert r.pending_writes() == ([], [])  # the same ETA again is nothing to store
    narrower = TimeWindow(old.window.start + 10 * MIN, old.window.end - 10 * MIN)
    assert r.retime(10, eta=old.eta + 5 * MIN, now=NOW, window=narrower) is False
    assert r.events == []
    assert r.visit(10).window == narrower and r.visit(10).promise_version == 1


def test_a_window_outside_the_promise_is_told_once_with_the_next_promise_version() -> None:
    r = route(PLANNED)
    old = r.visit(10)
    later = TimeWindow(old.window.start + 45 * MIN, old.window.end + 45 * MIN)
    eta = old.eta + 45 * MIN
    assert r.retime(10, eta=eta, now=NOW, window=later) is True
    assert r.events == [
        PromiseChanged(10, 1, 2, NOW, old.window, later, old.eta, eta, RUNNING_LATE, None)
    ]
    assert r.visit(10).promise_version == 2


def test_a_closed_visit_cannot_be_retimed() -> None:
    r = route(VisitStatus.COMPLETED)
    with pytest.raises(RouteInvariantBroken, match="closed"):
        r.retime(10, eta=NOW, now=NOW)


def test_a_plan_may_not_lose_a_visit_unless_it_was_handed_over() -> None:
    r = route(PLANNED, PLANNED)
    ten = r.visit(10)
    with pytest.raises(RouteInvariantBroken, match=r"missing \[11\]"):
        r.plan([(ten, ten.eta, 0)], NOW)
    with pytest.raises(RouteInvariantBroken, match="repeats"):
        r.plan([(ten, ten.eta, 0), (ten, ten.eta, 0), (r.visit(11), ten.eta, 0)], NOW)
    handed = r.hand_over(11)
    r.plan([(ten, ten.eta + MIN, 60)], NOW)
    assert [v.ticket_id for v in r.visits] == [10] and 11 not in r

    other = Route(2, 0, [])
    other.plan([(handed, handed.eta, 120)], NOW)
    assert other.visit(11).technician_id == 2 and other.visit(11).window == handed.window
    assert r.events == []  # the promise is kept: nothing changes for the window
    # ...but the customer was told a technician's name, and another one comes now
    assert other.events == [VisitReassigned(11, 2, handed.promise_version, NOW, 1,
                                            handed.window, handed.eta)]  # fmt: skip


def test_started_work_does_not_change_hands() -> None:
    r = route(VisitStatus.EN_ROUTE)
    with pytest.raises(RouteInvariantBroken, match="only planned visits change hands"):
        r.hand_over(10)


def test_completing_and_failing_a_visit_are_events() -> None:
    r = route(VisitStatus.STARTED, VisitStatus.STARTED)
    r.set_status(10, VisitStatus.COMPLETED, NOW)
    r.set_status(10, VisitStatus.COMPLETED, NOW)  # a repeated report is not news
    r.set_status(11, VisitStatus.FAILED, NOW)
    assert r.events == [VisitCompleted(10, 1, 1, NOW), VisitFailed(11, 1, 1, NOW)]
    assert r.open_visits == []


def test_saving_bumps_the_version_and_hands_the_events_to_the_outbox() -> None:
    r = route(PLANNED)
    r.book(new(), 1, NOW, None)
    events = list(r.events)
    r.mark_saved()
    assert (r.version, r.events, r.outgoing, r.changed) == (5, [], events, False)
    assert r.pending_writes() == ([], [])


def test_a_plan_may_not_put_planned_work_before_started_work() -> None:
    r = route(VisitStatus.STARTED, PLANNED)
    started, planned = r.visit(10), r.visit(11)
    with pytest.raises(RouteInvariantBroken):
        r.plan([(planned, NOW, 0), (started, NOW + 60 * MIN, 0)], NOW)


def test_a_plan_may_not_take_a_closed_visit_back() -> None:
    r = route(VisitStatus.COMPLETED, PLANNED)
    done, planned = r.visit(10), r.visit(11)
    with pytest.raises(RouteInvariantBroken):
        r.plan([(done, NOW, 0), (planned, NOW + 60 * MIN, 0)], NOW)


def told_and_narrowed() -> Route:
    """Visit 10 promised 09:30-10:30 (told), its working window narrowed to 09:55-10:05."""
    v = visit(10, 1, NOW + 60 * MIN)
    narrowed = replace(v, told=v.window, window=TimeWindow(v.eta - 5 * MIN, v.eta + 5 * MIN))
    return Route(1, 4, [narrowed])


def test_an_eta_outside_the_narrowed_window_but_inside_the_told_one_is_no_news() -> None:
    r = told_and_narrowed()
    told = r.visit(10).promise
    later = NOW + 80 * MIN  # ten minutes past the narrowed window, inside what was told
    moved = r.retime(10, eta=later, now=NOW, window=TimeWindow(later - 15 * MIN, later + 15 * MIN))
    assert not moved and r.events == []
    kept = r.visit(10)
    assert kept.promise == told and kept.promise_version == 1
    assert told.start <= kept.window.start <= later <= kept.window.end <= told.end


def test_a_change_is_measured_against_what_the_customer_was_told() -> None:
    r = told_and_narrowed()
    told = r.visit(10).promise
    late = told.end + 20 * MIN
    fresh = TimeWindow(late - 10 * MIN, late + 10 * MIN)
    assert r.retime(10, eta=late, now=NOW, window=fresh)
    [changed] = r.events
    assert isinstance(changed, PromiseChanged)
    assert (changed.old_window, changed.new_window) == (told, fresh)  # not the narrowed one
    assert r.visit(10).promise == fresh and r.visit(10).promise_version == 2


def test_arriving_soon_is_raised_once_per_promise_for_the_visit_being_driven_to() -> None:
    r = Route(1, 4, [visit(10, 1, NOW + 30 * MIN, status=VisitStatus.EN_ROUTE)])
    r.retime(10, eta=NOW + 11 * MIN, now=NOW)
    assert r.events == []  # eleven minutes out: not yet
    r.retime(10, eta=NOW + 10 * MIN, now=NOW)
    r.retime(10, eta=NOW + 9 * MIN, now=NOW)
    assert [e.kind for e in r.events] == ["VisitArrivingSoon"]
    planned = Route(1, 4, [visit(11, 1, NOW + 30 * MIN)])
    planned.retime(11, eta=NOW + 5 * MIN, now=NOW)
    assert planned.events == []  # nobody is driving there yet


def test_a_short_drive_is_one_on_the_way_message_not_two_at_once() -> None:
    r = Route(1, 4, [visit(10, 1, NOW + 30 * MIN)])
    r.set_status(10, VisitStatus.EN_ROUTE, NOW)
    r.retime(10, eta=NOW + 6 * MIN, now=NOW)  # six minutes away as they leave
    [told] = r.events
    assert isinstance(told, VisitOnTheWay) and told.eta == NOW + 6 * MIN
    r.mark_saved()
    r.retime(10, eta=NOW + 5 * MIN, now=NOW + MIN)
    assert r.events == []  # the on-the-way message already said they are close


def test_a_released_visit_leaves_the_route_and_says_which_window_it_held() -> None:
    r = Route(1, 4, [visit(10, 1, NOW + 30 * MIN), visit(11, 2, NOW + 90 * MIN)])
    held = r.visit(10).promise
    r.release(10, NOW, "Jan Peeters is off sick today")
    assert 10 not in r and r.released == {10}
    [event] = r.events
    assert isinstance(event, VisitReleased)
    assert (event.window, event.reason) == (held, "Jan Peeters is off sick today")
    r.mark_saved()
    assert r.released == set()  # the repository deleted it with the save
    driving = Route(1, 4, [visit(12, 1, NOW + 30 * MIN, status=VisitStatus.EN_ROUTE)])
    with pytest.raises(RouteInvariantBroken, match="only planned visits"):
        driving.release(12, NOW, "off sick")
