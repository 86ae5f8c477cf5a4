"""A disrupted technician on the fake unit of work (issue 14, first part): offered to
nobody while a breakdown or an absence lasts, no later date he is away, no replan work
before he is back; the phone's breakdown is recorded once, and a dispatcher ends it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from builders import (
    BRUSSELS,
    MORNING,
    TRAVEL,
    demo_fleet,
    kinds_told,
    only_on_shift,
    quoted,
    technician,
)

from dispatch.clock import FakeClock
from dispatch.domain.calendar import Hours, WeeklyPattern
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.errors import Conflict, InvalidInput, NotFound
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint, TimeWindow
from dispatch.services.bookings import book
from dispatch.services.disruptions import (
    NewDisruption,
    end_disruption,
    list_disruptions,
    record_disruption,
)
from dispatch.services.field_events import record_events
from dispatch.services.quote import quote
from dispatch.services.replan import load_live_state, replan
from dispatch.services.replan_problem import to_problem
from dispatch.services.routes import get_route
from dispatch.services.slot_booking import book_slot
from dispatch.services.slots import slots

H = timedelta(hours=1)
ZONE = "Europe/Brussels"
WEEK = WeeklyPattern(ZONE, {d: Hours(time(8, 0), time(17, 0)) for d in range(5)})


def offered(uow, clock, ticket) -> set[str]:  # type: ignore[no-untyped-def]
    with uow:
        q = quote(uow, uow.tickets.get(ticket.id), clock.now(), TRAVEL)
    return {c.technician.code for c in [*q.candidates, *q.breaking]}


def breakdown(uow, clock, code: str, hours: float = 2):  # type: ignore[no-untyped-def]
    tech = technician(uow, code)
    new = NewDisruption(DisruptionKind.BREAKDOWN, clock.now() + hours * H, "our van broke down",
                        tech.id)  # fmt: skip
    return record_disruption(uow, clock, new)


def test_a_broken_down_technician_is_offered_to_nobody_until_he_is_back() -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    ticket = quoted(uow, clock).ticket
    assert "cpo-jan" in offered(uow, clock, ticket)
    d = breakdown(uow, clock, "cpo-jan")
    assert "cpo-jan" not in offered(uow, clock, ticket)
    clock.advance(2 * H)  # repaired on time
    assert "cpo-jan" in offered(uow, clock, ticket)
    assert list_disruptions(uow, clock, active=True) == []
    assert [x.id for x in list_disruptions(uow, clock, active=False)] == [d.id]


def test_a_dispatcher_ends_a_breakdown_early_and_he_is_offered_again() -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    ticket = quoted(uow, clock).ticket
    d = breakdown(uow, clock, "cpo-jan", hours=3)
    clock.advance(H)
    ended = end_disruption(uow, clock, d.id)
    assert ended.end == clock.now() and "cpo-jan" in offered(uow, clock, ticket)
    with pytest.raises(Conflict, match="over already"):
        end_disruption(uow, clock, d.id)
    with pytest.raises(NotFound):
        end_disruption(uow, clock, 999)


def test_what_cannot_be_recorded_is_refused() -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    with pytest.raises(NotFound, match="technician 999"):
        record_disruption(uow, clock, NewDisruption(DisruptionKind.UNAVAILABLE,
                                                    clock.now() + H, "sick", 999))  # fmt: skip
    with pytest.raises(InvalidInput, match="over already"):
        record_disruption(uow, clock, NewDisruption(
            DisruptionKind.UNAVAILABLE, clock.now() - H, "sick",
            technician(uow, "cpo-jan").id, start=clock.now() - 2 * H))  # fmt: skip


def test_the_phone_breakdown_is_recorded_once_however_often_it_is_sent() -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    event = FieldEvent("bd-1", EventType.BREAKDOWN, clock.now(), delay=timedelta(minutes=90),
                       note="clutch gone, waiting for the tow truck")  # fmt: skip
    for _ in range(2):
        record_events(uow, clock, TRAVEL, jan.id, [event])
    [d] = list_disruptions(uow, clock, active=True)
    assert (d.kind, d.technician_id, d.source) == (DisruptionKind.BREAKDOWN, jan.id, "phone")
    assert d.expected_end == clock.now() + timedelta(minutes=90)
    assert "clutch" not in d.reason  # customers read the reason: ours, not the note


def test_the_replan_gives_a_disrupted_technician_no_work_before_he_is_back() -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    quoted(uow, clock)  # something to plan
    jan = technician(uow, "cpo-jan")
    breakdown(uow, clock, "cpo-jan", hours=2)
    with uow:
        live = load_live_state(uow, clock.now(), None)
    assert live.busy == {jan.id: clock.now() + 2 * H}
    day = to_problem(live, clock.now(), TRAVEL)
    [van] = [v for v in day.problem.vehicles if v.id == str(jan.id)]
    assert van.start_time + day.origin >= int((clock.now() + 2 * H).timestamp())


def test_a_technician_away_on_a_later_date_gets_no_slot_that_day() -> None:
    friday = datetime(2026, 12, 4, 16, 45, tzinfo=BRUSSELS)
    clock = FakeClock(friday)
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    with uow:
        for t in uow.technicians.all():
            uow.calendars.set_pattern(t.id, WEEK, friday)
        uow.commit()
    monday = datetime(2026, 12, 7, 0, 0, tzinfo=BRUSSELS)
    away = NewDisruption(DisruptionKind.UNAVAILABLE, monday + 24 * H, "a training day", jan.id,
                         start=monday)  # fmt: skip
    record_disruption(uow, clock, away)
    ticket = quoted(uow, clock).ticket
    with uow:
        found = slots(uow, clock.now(), TRAVEL, ticket, 2, ZONE, limit=200)
    on_monday = {s.technician.code for s in found if s.day == date(2026, 12, 7)}
    assert on_monday and "cpo-jan" not in on_monday
    assert "cpo-jan" in {s.technician.code for s in found if s.day == date(2026, 12, 8)}
    with pytest.raises(Conflict, match="away"):
        book_slot(uow, clock, TRAVEL, ticket.id, jan.id, date(2026, 12, 7),
                  datetime(2026, 12, 7, 8, 0, tzinfo=BRUSSELS), None)  # fmt: skip


def test_after_a_breakdown_the_replan_hands_his_visits_to_whoever_keeps_the_window() -> None:
    """Jan breaks down for three hours with two visits ahead; Fatima is free nearby. The
    replan gives them to her, the windows the customers were told stay, and each customer
    hears once that the technician changed."""
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan", "cpo-fatima")
    jan, fatima = technician(uow, "cpo-jan"), technician(uow, "cpo-fatima")
    ids = []
    for k in (1, 2):
        spot = GeoPoint(jan.home.lat + 0.01 * k, jan.home.lon + 0.01 * k)
        created = quoted(uow, clock, where=spot, window=TimeWindow(MORNING, MORNING + 4 * H))
        book(uow, clock, TRAVEL, created.ticket.id, jan.id)
        ids.append(created.ticket.id)
    told = {v.ticket_id: v.promise for v in get_route(uow, jan.id).stops}
    breakdown(uow, clock, "cpo-jan", hours=3)
    report = replan(uow, clock, TRAVEL, time_limit_s=1.0)
    assert report.applied, report.reason
    moved = {v.ticket_id: v for v in get_route(uow, fatima.id).stops}
    assert set(moved) == set(ids) == set(told)
    for t, v in moved.items():
        assert v.promise == told[t] and v.promise.start <= v.eta <= v.promise.end
        assert kinds_told(uow, t) == ["VisitBooked", "VisitReassigned"]


def test_no_window_is_promised_past_the_technicians_shift_end() -> None:
    """Jan's shift ends at 10:30; an hour's job 25 minutes away would honestly be told
    09:10-09:40, but arriving after 09:30 he could not finish: the window ends then."""
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    jan = technician(uow, "cpo-jan")
    end = MORNING + timedelta(minutes=90)
    with uow:
        uow.technicians.update_shift(jan.id, TimeWindow(MORNING - 8 * H, end))
        uow.commit()
    spot = GeoPoint(jan.home.lat + 0.1, jan.home.lon)
    created = quoted(uow, clock, where=spot, minutes=60)
    [cand] = created.quote.candidates if created.quote else []
    assert cand.window.end == end - timedelta(minutes=60)
    assert cand.window.start <= cand.eta <= cand.window.end


def test_a_second_absence_over_the_first_is_refused_until_the_first_is_ended() -> None:
    """One record per absence: a dispatcher corrects a phone's estimate by ending it and
    declaring the right one, not by stacking a second that leaves two ends."""
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    first = breakdown(uow, clock, "cpo-jan", hours=2)
    with pytest.raises(Conflict, match=f"disruption {first.id}"):
        breakdown(uow, clock, "cpo-jan", hours=4)
    breakdown(uow, clock, "cpo-fatima", hours=4)  # someone else: fine
    end_disruption(uow, clock, first.id)
    assert breakdown(uow, clock, "cpo-jan", hours=4).id != first.id
