"""Live ETAs: a delay moves every later arrival; a customer hears of it only when the
promise they hold breaks, and only once."""

from __future__ import annotations

from datetime import datetime, timedelta

from builders import (
    MORNING,
    TRAVEL,
    demo_fleet,
    fill_route,
    only_on_shift,
    tech_at_home,
    technician,
    visit,
)
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.events import PromiseChanged
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.job_end import RUN_ON_SHARE
from dispatch.domain.model import GeoPoint, TimeWindow, Visit, VisitStatus
from dispatch.domain.route import Route
from dispatch.services.eta import Retimed, apply_updates, plan_updates, retime_from, start_of
from dispatch.services.refresh import refresh_etas
from dispatch.services.routes import get_route

NOW = MORNING
MIN = timedelta(minutes=1)


def day(*half_widths: int) -> list[Visit]:
    """Visits of 30 min with 10-min legs from now on, promised eta ± the given minutes."""
    return [visit(10 + k, k + 1, NOW + (10 + 40 * k) * MIN, half_width_min=w)
            for k, w in enumerate(half_widths)]  # fmt: skip


def inside(inner: TimeWindow, outer: TimeWindow) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def test_an_idle_technician_starts_now_from_home_and_a_breakdown_later() -> None:
    tech, visits = tech_at_home(), day(30, 30)
    start = start_of(tech, visits, FieldState(), NOW)
    assert (start.here, start.at, start.on_site, start.rest) == (tech.home, NOW, None, visits)
    broken = FieldState(Activity.BROKEN_DOWN, since=NOW, back_at=NOW + 60 * MIN)
    assert start_of(tech, visits, broken, NOW, out_until=NOW + 60 * MIN).at == NOW + 60 * MIN
    # the breakdown's record counts, not the phone's last word: ended early, he drives
    assert start_of(tech, visits, broken, NOW).at == NOW
    declared = start_of(tech, visits, FieldState(), NOW, out_until=NOW + 90 * MIN)
    assert declared.at == NOW + 90 * MIN  # a dispatcher's breakdown or absence


def test_the_visit_being_worked_on_keeps_its_arrival_and_the_rest_follows_its_end() -> None:
    tech, visits = tech_at_home(), day(30, 30)
    first = visits[0]
    began = NOW - 10 * MIN
    working = FieldState(Activity.WORKING, first.ticket_id, since=began,
                         started_at={first.ticket_id: began})  # fmt: skip
    start = start_of(tech, visits, working, NOW)
    assert start.on_site == Retimed(first.ticket_id, began, first.leg_s)
    assert start.here == first.location
    assert start.at == began + first.service  # 20 more minutes of work
    assert start.rest == visits[1:]


def test_a_reported_delay_moves_every_later_eta_by_the_same_amount() -> None:
    tech, visits = tech_at_home(), day(30, 30, 30)
    on_time = retime_from(start_of(tech, visits, FieldState(), NOW), first_leg_s=600)
    late = retime_from(start_of(tech, visits, FieldState(delay=25 * MIN), NOW), first_leg_s=600)
    assert [r.eta for r in on_time] == [v.eta for v in visits]
    assert [r.eta - o.eta for r, o in zip(late, on_time, strict=True)] == [25 * MIN] * 3
    assert [r.leg_s for r in late] == [600, 600, 600]


def test_an_early_technician_waits_for_the_told_window_and_pushes_the_rest() -> None:
    """A job done 25 minutes early does not bring the next customer's technician before
    the window they were told (they may not be home yet): he waits at the door, and the
    stop behind it moves only by what the wait leaves over."""
    tech, visits = tech_at_home(), day(5, 30)
    early = retime_from(start_of(tech, visits, FieldState(delay=-25 * MIN), NOW), 600)
    told = visits[0].promise
    assert visits[0].eta - 25 * MIN < told.start  # it would be at the door before it
    assert early[0].eta == told.start
    assert early[1].eta == told.start + visits[0].service + timedelta(seconds=600)
    assert early[1].eta < visits[1].eta  # the rest of the gain is kept


def test_windows_only_narrow_while_the_eta_stays_inside_the_promise() -> None:
    # the last promise (± 10) is narrower than a fresh window three stops ahead would be
    visits = day(30, 30, 60, 10)
    retimed = [Retimed(v.ticket_id, v.eta + 5 * MIN, v.leg_s) for v in visits]
    updates = plan_updates(visits, retimed, NOW, None)
    assert apply_updates(Route(1, 0, visits), updates, NOW) == 0  # nobody is told
    for v, u in zip(visits, updates, strict=True):
        assert inside(u.window, v.window)
        assert u.window.start <= u.eta <= u.window.end
    assert updates[0].window != visits[0].window  # the next stop's window firms up


def test_an_eta_outside_the_promise_is_a_promise_move_with_a_window_around_it() -> None:
    visits = day(15, 15, 60)
    retimed = [Retimed(v.ticket_id, v.eta + 45 * MIN, v.leg_s) for v in visits]
    updates = plan_updates(visits, retimed, NOW, None)
    route = Route(1, 0, visits)
    assert apply_updates(route, updates, NOW) == 2
    moves = [e for e in route.events if isinstance(e, PromiseChanged)]
    assert [m.ticket_id for m in moves] == [10, 11]  # the third promise (± 60) still holds
    for m, v in zip(moves, visits, strict=False):
        assert m.old_window == v.window and m.new_eta == v.eta + 45 * MIN
        assert m.new_window.start <= m.new_eta <= m.new_window.end
    assert inside(updates[2].window, visits[2].window)


def test_a_customer_who_can_see_the_technician_keeps_their_window() -> None:
    visits = day(15, 15)
    visits[0].status = VisitStatus.ARRIVED
    retimed = [Retimed(v.ticket_id, v.eta + 40 * MIN, v.leg_s) for v in visits]
    updates = plan_updates(visits, retimed, NOW, None)
    assert updates[0].window == visits[0].window and updates[0].horizon is None
    route = Route(1, 0, visits)
    apply_updates(route, updates, NOW)
    assert [e.ticket_id for e in route.events if isinstance(e, PromiseChanged)] == [11]


def promise_changes(uow: FakeUnitOfWork) -> list[tuple[int | None, int]]:
    with uow:
        return [(t, p["promise_version"]) for k, t, p in uow.outbox.all()
                if k == PromiseChanged.kind]  # fmt: skip


def test_a_refresh_tells_each_slipped_customer_once_and_a_second_cycle_nobody() -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    ids = fill_route(uow, clock, "cpo-jan", 4)
    jan = technician(uow, "cpo-jan")
    assert refresh_etas(uow, clock, TRAVEL).promise_changes == 0  # nothing new, nobody told
    before = {v.ticket_id: v for v in get_route(uow, jan.id).stops}

    with uow:  # the phone reported a 30-minute delay
        uow.technicians.set_field_state(jan.id, FieldState(delay=30 * MIN))
        uow.commit()
    report = refresh_etas(uow, clock, TRAVEL)

    after = {v.ticket_id: v for v in get_route(uow, jan.id).stops}
    assert all(after[t].eta - before[t].eta == 30 * MIN for t in ids)
    slipped = [t for t in ids if after[t].eta > before[t].window.end]
    told = [t for t, _ in promise_changes(uow)]
    assert slipped and len(slipped) < len(ids)  # narrow near promises break, wide ones hold
    assert told and set(told) <= set(slipped) and told[0] == ids[0]  # the nearest surely
    assert report.promise_changes == len(told)
    assert promise_changes(uow) == [(t, 2) for t in told]
    for t in ids:
        if t in told:
            assert after[t].window.start <= after[t].eta <= after[t].window.end
        else:
            assert inside(after[t].window, before[t].window)

    again = refresh_etas(uow, clock, TRAVEL)
    assert again.promise_changes == 0
    assert promise_changes(uow) == [(t, 2) for t in told]
    assert get_route(uow, jan.id).stops == list(after.values())


def test_a_small_slip_far_ahead_is_noise_but_the_same_slip_near_the_end_is_news() -> None:
    # told 11:15-11:45 (ETA 11:30); the ETA is now 11:52, seven minutes past the end
    far = visit(10, 1, NOW + 150 * MIN, half_width_min=15)
    slip = [Retimed(10, far.eta + 22 * MIN, far.leg_s)]
    route = Route(1, 0, [far])
    assert apply_updates(route, plan_updates([far], slip, NOW, None), NOW) == 0
    assert route.visit(10).promise == far.window  # nobody is told "late" 2.5 h ahead
    assert route.visit(10).window.end == far.window.end  # and the promise still bounds the work
    near = NOW + 158 * MIN  # seven minutes before the told end, the same ETA breaks it
    assert apply_updates(route, plan_updates([far], slip, near, None), near) == 1


def test_a_window_told_while_a_job_overruns_stretches_by_the_overrun() -> None:
    tech, visits = tech_at_home(), day(15, 15)
    first = visits[0]
    began = NOW - first.service - 12 * MIN  # the job should have ended 12 minutes ago
    working = FieldState(Activity.WORKING, first.ticket_id, since=began,
                         started_at={first.ticket_id: began})  # fmt: skip
    start = start_of(tech, visits, working, NOW)
    # the ETA takes it to run on by a share of its length (dispatch.domain.job_end)
    assert start.overrun == 12 * MIN and start.at == NOW + first.service * RUN_ON_SHARE
    retimed = retime_from(start, first_leg_s=600)
    plain = plan_updates(visits, retimed, NOW, None)[1].window
    stretched = plan_updates(visits, retimed, NOW, None, start.overrun)[1].window
    assert stretched.start == plain.start  # not one minute earlier is promised
    assert stretched.end - plain.end in (10 * MIN, 15 * MIN)  # on 5-minute marks
    on_plan = FieldState(Activity.WORKING, first.ticket_id, since=NOW,
                         started_at={first.ticket_id: NOW})  # fmt: skip
    assert start_of(tech, visits, on_plan, NOW).overrun == timedelta(0)


def test_a_phone_at_the_door_is_arriving_soon_whatever_the_eta_says() -> None:
    tech = tech_at_home()
    stop = visit(10, 1, NOW + 30 * MIN, status=VisitStatus.EN_ROUTE)
    door = GeoPoint(stop.location.lat + 0.001, stop.location.lon)  # 111 m north
    street = GeoPoint(stop.location.lat + 0.002, stop.location.lon)  # 222 m
    left = NOW - 20 * MIN

    def driving(at: GeoPoint, seen: datetime) -> FieldState:
        return FieldState(Activity.DRIVING, 10, since=left, position=at, position_at=seen)

    assert start_of(tech, [stop], driving(door, NOW), NOW).near
    assert not start_of(tech, [stop], driving(street, NOW), NOW).near
    assert not start_of(tech, [stop], driving(door, left - MIN), NOW).near  # before leaving
    st = start_of(tech, [stop], driving(door, NOW), NOW)
    parking = [Retimed(10, NOW + 14 * MIN, 900)]  # the roads say 14 more minutes
    route = Route(1, 0, [stop])
    apply_updates(route, plan_updates([stop], parking, NOW, None, st.overrun, st.near), NOW)
    assert [e.kind for e in route.events] == ["VisitArrivingSoon"]
    far = Route(1, 0, [stop])
    apply_updates(far, plan_updates([stop], parking, NOW, None), NOW)
    assert far.events == []
