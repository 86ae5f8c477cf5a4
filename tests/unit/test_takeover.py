"""A broken-down technician's work handed over visit by visit (issue 14): to whoever
keeps the window the customer was told, each customer told once; what nobody can keep
stays listed; a started visit is never moved."""

from __future__ import annotations

from datetime import timedelta

from builders import MORNING, TRAVEL, demo_fleet, kinds_told, only_on_shift, quoted, technician

from dispatch.clock import FakeClock
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.model import GeoPoint, TimeWindow, VisitStatus
from dispatch.services.bookings import book
from dispatch.services.disruptions import NewDisruption, end_disruption, record_disruption
from dispatch.services.refresh import refresh_etas
from dispatch.services.routes import get_route
from dispatch.services.takeover import take_over

H = timedelta(hours=1)


def jan_with_three(clock: FakeClock):  # type: ignore[no-untyped-def]
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan", "cpo-fatima")
    jan = technician(uow, "cpo-jan")
    ids = []
    for k in (1, 2, 3):
        spot = GeoPoint(jan.home.lat + 0.008 * k, jan.home.lon + 0.008 * k)
        wanted = TimeWindow(MORNING, MORNING + 4 * H)
        created = quoted(uow, clock, where=spot, window=wanted)
        book(uow, clock, TRAVEL, created.ticket.id, jan.id)
        ids.append(created.ticket.id)
    return uow, jan, ids


def out(uow, clock, tech, hours: float = 3) -> None:  # type: ignore[no-untyped-def]
    record_disruption(uow, clock, NewDisruption(DisruptionKind.BREAKDOWN, clock.now() + hours * H,
                                                "our van broke down", tech.id))  # fmt: skip


def test_his_planned_visits_go_to_whoever_keeps_the_window_and_the_started_one_stays() -> None:
    clock = FakeClock(MORNING)
    uow, jan, ids = jan_with_three(clock)
    fatima = technician(uow, "cpo-fatima")
    with uow:  # he is on site at the first one
        route = uow.routes.get(jan.id)
        route.set_status(ids[0], VisitStatus.STARTED, MORNING)
        uow.routes.save(route)
        uow.technicians.set_field_state(jan.id, FieldState(Activity.WORKING, ids[0]))
        uow.commit()
    told = {v.ticket_id: v.promise for v in get_route(uow, jan.id).stops}
    out(uow, clock, jan)
    done = take_over(uow, clock, TRAVEL, jan.id)
    assert done.moved == {ids[1]: fatima.id, ids[2]: fatima.id}
    assert done.started == [ids[0]] and done.stuck == []
    assert [v.ticket_id for v in get_route(uow, jan.id).stops] == [ids[0]]
    theirs = {v.ticket_id: v for v in get_route(uow, fatima.id).stops}
    for t in ids[1:]:
        v = theirs[t]
        assert v.promise == told[t] and v.promise.start <= v.eta <= v.promise.end
        assert kinds_told(uow, t) == ["VisitBooked", "VisitReassigned"]
    assert "VisitReassigned" not in kinds_told(uow, ids[0])  # the started one stays his
    again = take_over(uow, clock, TRAVEL, jan.id)  # a retried job moves nothing twice
    assert again.moved == {} and kinds_told(uow, ids[1]).count("VisitReassigned") == 1


def test_work_nobody_else_can_take_in_its_window_stays_and_is_listed() -> None:
    clock = FakeClock(MORNING)
    uow, jan, ids = jan_with_three(clock)
    only_on_shift(uow, clock, "cpo-jan")  # nobody else works today
    out(uow, clock, jan)
    done = take_over(uow, clock, TRAVEL, jan.id)
    assert done.moved == {} and sorted(done.stuck) == sorted(ids)
    assert {v.ticket_id for v in get_route(uow, jan.id).stops} == set(ids)
    assert all("VisitReassigned" not in kinds_told(uow, t) for t in ids)


def test_work_that_stays_with_him_is_retimed_from_his_repair_and_back_when_it_ends() -> None:
    """Nobody can take Jan's visits: the ETA refresh times them from the declared repair's
    end (the customers hear the new window), and from now again once it is ended early,
    though never before the new window they were told: he waits for it."""
    clock = FakeClock(MORNING)
    uow, jan, _ids = jan_with_three(clock)
    only_on_shift(uow, clock, "cpo-jan")
    first_eta = get_route(uow, jan.id).stops[0].eta
    d = record_disruption(uow, clock, NewDisruption(DisruptionKind.BREAKDOWN, MORNING + 2 * H,
                                                    "our van broke down", jan.id))  # fmt: skip
    assert take_over(uow, clock, TRAVEL, jan.id).moved == {}
    with uow:  # drawn (here only the take-over): the minute's refresh re-times him again
        uow.disruptions.mark_handled(d.id, clock.now())
        uow.commit()
    refresh_etas(uow, clock, TRAVEL)
    stops = get_route(uow, jan.id).stops
    delayed = [v.eta for v in stops]
    assert delayed[0] >= MORNING + 2 * H
    assert "PromiseChanged" in kinds_told(uow, stops[0].ticket_id)
    clock.advance(timedelta(minutes=20))
    end_disruption(uow, clock, d.id)
    refresh_etas(uow, clock, TRAVEL)
    again = get_route(uow, jan.id).stops
    assert again[0].eta == again[0].promise.start < delayed[0]
    assert again[0].eta >= first_eta
    assert all(v.eta <= was for v, was in zip(again, delayed, strict=True))


def test_a_visit_handed_on_and_back_again_tells_the_customer_each_time() -> None:
    """Taken over by Fatima, then back to Jan when he is repaired: two different names,
    so two messages; the second must not be swallowed as a repeat of the first."""
    clock = FakeClock(MORNING)
    uow, jan, ids = jan_with_three(clock)
    d = record_disruption(uow, clock, NewDisruption(DisruptionKind.BREAKDOWN, MORNING + 3 * H,
                                                    "our van broke down", jan.id))  # fmt: skip
    assert ids[1] in take_over(uow, clock, TRAVEL, jan.id).moved
    clock.advance(timedelta(minutes=10))
    end_disruption(uow, clock, d.id)
    fatima = technician(uow, "cpo-fatima")
    record_disruption(uow, clock, NewDisruption(DisruptionKind.UNAVAILABLE, clock.now() + 3 * H,
                                                "called away", fatima.id))  # fmt: skip
    assert take_over(uow, clock, TRAVEL, fatima.id).moved.get(ids[1]) == jan.id
    assert kinds_told(uow, ids[1]) == ["VisitBooked", "VisitReassigned", "VisitReassigned"]
