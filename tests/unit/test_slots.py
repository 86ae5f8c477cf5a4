"""Appointment slots over the coming working days, and booking them, on the fake unit of
work with an injected clock (issue 13, acceptance 2 and 3)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from builders import BRUSSELS, TRAVEL, kinds_told, only_on_shift, quoted, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.calendar import DateException, DayKind, Hours, Lunch, WeeklyPattern
from dispatch.domain.errors import Conflict, InvalidInput, StaleRoute
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import Ticket, TicketStatus, TimeWindow
from dispatch.domain.service_hours import ServiceHours
from dispatch.services.bookings import book
from dispatch.services.day_start import DayStarted, start_day
from dispatch.services.field_events import record_events
from dispatch.services.plan_cache import PlanCache
from dispatch.services.refresh import refresh_etas
from dispatch.services.routes import get_route
from dispatch.services.seed import seed_fleet, seed_skills
from dispatch.services.slot_booking import book_slot
from dispatch.services.slots import Slot, slots
from dispatch.services.tickets import get_ticket
from fixtures import load_json

ZONE = "Europe/Brussels"
FRIDAY_1645 = datetime(2026, 12, 4, 16, 45, tzinfo=BRUSSELS)
SATURDAY, MONDAY = date(2026, 12, 5), date(2026, 12, 7)
LUNCH = Lunch(time(12, 0), time(13, 30), 30)
WEEK = WeeklyPattern(ZONE, {**{d: Hours(time(8, 0), time(17, 0), LUNCH) for d in range(5)},
                            5: Hours(time(9, 0), time(13, 0))})  # fmt: skip
OPEN_SATURDAY = ServiceHours.parse("mon-fri 08:00-20:00, sat 09:00-13:00", ZONE)
CLOSED_SATURDAY = ServiceHours.parse("mon-fri 08:00-20:00", ZONE)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FRIDAY_1645)


@pytest.fixture
def fleet(clock: FakeClock) -> FakeUnitOfWork:
    """The demo fleet, today's day full (everyone's shift over), Jan on a real week."""
    uow = FakeUnitOfWork()
    seed_skills(uow, load_json("skills.json"))
    seed_fleet(uow, clock, load_json("demo_fleet.json"))
    only_on_shift(uow, clock)
    jan = technician(uow, "cpo-jan")
    with uow:
        uow.calendars.set_pattern(jan.id, WEEK, clock.now())
        uow.commit()
    return uow


def offered(uow: FakeUnitOfWork, clock: FakeClock, ticket: Ticket,
            hours: ServiceHours | None, days: int = 3) -> list[Slot]:  # fmt: skip
    with uow:
        return slots(uow, clock.now(), TRAVEL, ticket, days, ZONE, hours)


def local(t: datetime) -> tuple[date, time]:
    t = t.astimezone(BRUSSELS)
    return t.date(), t.time()


def test_friday_evening_first_slot_is_saturday_morning_or_monday(fleet, clock) -> None:
    ticket = quoted(fleet, clock).ticket
    first = offered(fleet, clock, ticket, OPEN_SATURDAY)[0]
    assert not first.today and local(first.window.start) == (SATURDAY, time(9, 0))
    assert first.technician.code == "cpo-jan"
    first = offered(fleet, clock, ticket, CLOSED_SATURDAY)[0]
    assert local(first.window.start) == (MONDAY, time(8, 0))


def test_slots_keep_to_shifts_days_off_and_the_customers_availability(fleet, clock) -> None:
    jan = technician(fleet, "cpo-jan")
    with fleet:
        fleet.calendars.add_exception(jan.id, DateException(MONDAY, DayKind.OFF), clock.now())
        fleet.commit()
    wanted = TimeWindow(datetime(2026, 12, 8, 13, 0, tzinfo=BRUSSELS),
                        datetime(2026, 12, 9, 12, 0, tzinfo=BRUSSELS))  # fmt: skip
    ticket = quoted(fleet, clock, window=wanted).ticket
    found = offered(fleet, clock, ticket, OPEN_SATURDAY, days=4)
    assert found and {s.day for s in found} == {date(2026, 12, 8), date(2026, 12, 9)}
    for s in found:
        assert wanted.start <= s.window.start and s.window.end <= wanted.end
        assert s.window.contains(s.eta)
        assert s.eta + ticket.service <= s.window.start.replace(hour=16, minute=0)  # 17:00 local


def test_several_availability_windows_offer_only_times_inside_one_of_them(fleet, clock):
    """"Monday morning or Tuesday after 14:00": nothing on Saturday, nothing Monday
    afternoon or Tuesday morning, and the first slot is Monday at 08:00."""
    monday_morning = TimeWindow(datetime(2026, 12, 7, 8, 0, tzinfo=BRUSSELS),
                                datetime(2026, 12, 7, 12, 0, tzinfo=BRUSSELS))  # fmt: skip
    tuesday_late = TimeWindow(datetime(2026, 12, 8, 14, 0, tzinfo=BRUSSELS),
                              datetime(2026, 12, 8, 18, 0, tzinfo=BRUSSELS))  # fmt: skip
    ticket = quoted(fleet, clock, availability=(tuesday_late, monday_morning)).ticket
    assert ticket.window == TimeWindow(monday_morning.start, tuesday_late.end)  # the envelope
    found = offered(fleet, clock, ticket, OPEN_SATURDAY, days=4)
    assert {local(s.window.start) for s in found} == {
        (MONDAY, time(8, 0)), (MONDAY, time(10, 0)),
        (date(2026, 12, 8), time(14, 0)), (date(2026, 12, 8), time(16, 0))}  # fmt: skip
    assert local(found[0].window.start) == (MONDAY, time(8, 0))
    with fleet:  # stored and read back: the windows survive, in order
        assert fleet.tickets.get(ticket.id).availability == (monday_morning, tuesday_late)


def test_one_window_and_availability_together_or_all_in_the_past_are_refused(fleet, clock):
    past = TimeWindow(datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS),
                      datetime(2026, 12, 1, 10, 0, tzinfo=BRUSSELS))  # fmt: skip
    with pytest.raises(InvalidInput, match="already ended"):
        quoted(fleet, clock, availability=(past,))
    soon = TimeWindow(FRIDAY_1645 + timedelta(days=3), FRIDAY_1645 + timedelta(days=3, hours=2))
    with pytest.raises(InvalidInput, match="not both"):
        quoted(fleet, clock, window=soon, availability=(soon,))
    with pytest.raises(InvalidInput, match="some length"):
        quoted(fleet, clock, availability=(TimeWindow(soon.start, soon.start),))


def test_a_day_fills_up_and_every_earlier_promise_still_holds(fleet, clock) -> None:
    jan = technician(fleet, "cpo-jan")
    booked = []
    for _ in range(12):  # Saturday 09:00-13:00 holds only so many 30-minute jobs
        ticket = quoted(fleet, clock).ticket
        saturday = [s for s in offered(fleet, clock, ticket, OPEN_SATURDAY) if s.day == SATURDAY]
        if not saturday:
            break
        s = saturday[0]
        booked.append(book_slot(fleet, clock, TRAVEL, ticket.id, jan.id, SATURDAY,
                                s.window.start, s.route_version, OPEN_SATURDAY))  # fmt: skip
    assert 2 <= len(booked) < 12  # it took some, then said no more
    with fleet:
        plan = fleet.day_plans.get(jan.id, SATURDAY)
    assert len(plan.appointments) == len(booked) and plan.version == len(booked)
    for a in plan.appointments:
        assert a.window.contains(a.eta)
    last = max(a.eta + a.service for a in plan.appointments)
    assert local(last)[1] <= time(13, 0)
    view = get_ticket(fleet, booked[0].ticket_id)
    assert view.ticket.status == TicketStatus.ASSIGNED and view.ticket.visit is not None
    assert view.ticket.visit.status.value == "scheduled"


def test_a_stale_version_or_a_taken_ticket_is_refused(fleet, clock) -> None:
    jan = technician(fleet, "cpo-jan")
    one, two = quoted(fleet, clock).ticket, quoted(fleet, clock).ticket
    s = offered(fleet, clock, one, OPEN_SATURDAY)[0]
    book_slot(fleet, clock, TRAVEL, one.id, jan.id, SATURDAY, s.window.start, s.route_version,
              OPEN_SATURDAY)  # fmt: skip
    with pytest.raises(StaleRoute):
        book_slot(fleet, clock, TRAVEL, two.id, jan.id, SATURDAY, s.window.start,
                  s.route_version, OPEN_SATURDAY)  # fmt: skip
    with pytest.raises(Conflict, match="booked already"):
        book_slot(fleet, clock, TRAVEL, one.id, jan.id, SATURDAY, s.window.start, None,
                  OPEN_SATURDAY)  # fmt: skip
    with pytest.raises(Conflict, match="not on offer"):
        book_slot(fleet, clock, TRAVEL, two.id, jan.id, SATURDAY,
                  s.window.start + timedelta(minutes=7), None, OPEN_SATURDAY)  # fmt: skip


def test_at_the_day_boundary_the_plan_goes_live_and_the_phone_may_report_on_it(fleet, clock):
    jan = technician(fleet, "cpo-jan")
    ticket = quoted(fleet, clock).ticket
    s = offered(fleet, clock, ticket, OPEN_SATURDAY)[0]
    book_slot(fleet, clock, TRAVEL, ticket.id, jan.id, SATURDAY, s.window.start, s.route_version,
              OPEN_SATURDAY)  # fmt: skip
    assert start_day(fleet, clock).visits_live == 0  # still Friday: nothing moves
    clock.set(datetime(2026, 12, 5, 7, 30, tzinfo=BRUSSELS))  # Saturday morning
    started = start_day(fleet, clock)
    assert started.visits_live == 1 and started.shifts_set >= 1
    assert start_day(fleet, clock) == DayStarted(0, 0)  # idempotent
    stops = get_route(fleet, jan.id).stops
    assert [v.ticket_id for v in stops] == [ticket.id] and stops[0].window == s.window
    assert technician(fleet, "cpo-jan").shift.contains(datetime(2026, 12, 5, 9, 0, tzinfo=BRUSSELS))
    with fleet:
        assert fleet.day_plans.of_ticket(ticket.id) is None
    assert kinds_told(fleet, ticket.id).count("VisitBooked") == 1  # told once, at booking
    refresh_etas(fleet, clock, TRAVEL)  # the live day re-times it ...
    leave = FieldEvent("p1", EventType.EN_ROUTE, clock.now(), ticket_id=ticket.id)
    assert record_events(fleet, clock, TRAVEL, jan.id, [leave]).accepted == 1  # ... and hears it


def test_a_limit_stops_the_search_early_without_changing_the_best(fleet, clock) -> None:
    ticket = quoted(fleet, clock).ticket
    with fleet:
        everything = slots(fleet, clock.now(), TRAVEL, ticket, 10, ZONE, OPEN_SATURDAY)
        best = slots(fleet, clock.now(), TRAVEL, ticket, 10, ZONE, OPEN_SATURDAY, limit=4)
    assert len(everything) > len(best) >= 4
    assert [(s.day, s.window) for s in best[:4]] == [(s.day, s.window) for s in everything[:4]]


def test_cached_plans_follow_every_booking(fleet, clock) -> None:
    jan = technician(fleet, "cpo-jan")
    cache = PlanCache()
    with fleet:
        assert cache.plans(fleet, [jan.id], SATURDAY)[jan.id].appointments == ()
    ticket = quoted(fleet, clock).ticket
    s = offered(fleet, clock, ticket, OPEN_SATURDAY)[0]
    book_slot(fleet, clock, TRAVEL, ticket.id, jan.id, SATURDAY, s.window.start, s.route_version,
              OPEN_SATURDAY)  # fmt: skip
    with fleet:
        plan = cache.plans(fleet, [jan.id], SATURDAY)[jan.id]
        again = cache.plans(fleet, [jan.id], SATURDAY)[jan.id]
    assert [a.ticket_id for a in plan.appointments] == [ticket.id] and plan.version == 1
    assert again is not plan and again.appointments == plan.appointments  # fresh, cached items


def test_a_day_booked_with_someone_now_off_sick_waits_for_others(fleet, clock) -> None:
    jan = technician(fleet, "cpo-jan")
    ticket = quoted(fleet, clock).ticket
    s = offered(fleet, clock, ticket, OPEN_SATURDAY)[0]
    book_slot(fleet, clock, TRAVEL, ticket.id, jan.id, SATURDAY, s.window.start, s.route_version,
              OPEN_SATURDAY)  # fmt: skip
    with fleet:
        fleet.calendars.add_exception(jan.id, DateException(SATURDAY, DayKind.SICK), clock.now())
        fleet.commit()
    clock.set(datetime(2026, 12, 5, 7, 30, tzinfo=BRUSSELS))
    started = start_day(fleet, clock)
    assert (started.visits_live, started.released) == (0, 1)
    assert get_route(fleet, jan.id).stops == []
    view = get_ticket(fleet, ticket.id)
    assert view.ticket.status == TicketStatus.UNASSIGNED and view.ticket.visit is None
    assert view.ticket.unassigned_reason == "Jan Peeters is off sick today"


def test_a_ticket_is_booked_once_whatever_the_day_and_only_with_the_skills(fleet, clock) -> None:
    jan, fatima = technician(fleet, "cpo-jan"), technician(fleet, "cpo-fatima")
    ticket = quoted(fleet, clock).ticket
    s = offered(fleet, clock, ticket, OPEN_SATURDAY)[0]
    book_slot(fleet, clock, TRAVEL, ticket.id, jan.id, SATURDAY, s.window.start, s.route_version,
              OPEN_SATURDAY)  # fmt: skip
    with pytest.raises(Conflict, match="already booked on 2026-12-05"):
        book(fleet, clock, TRAVEL, ticket.id, fatima.id)  # not on today's route as well
    heavy = quoted(fleet, clock, skills=("payment_terminal",)).ticket  # Jan has it, Fatima not
    with fleet:
        fleet.calendars.set_pattern(fatima.id, WEEK, clock.now())
        fleet.commit()
    with pytest.raises(Conflict, match="lacks payment_terminal"):
        book_slot(fleet, clock, TRAVEL, heavy.id, fatima.id, SATURDAY, s.window.start, None,
                  OPEN_SATURDAY)  # fmt: skip
    with pytest.raises(Conflict, match="not a later date"):
        book_slot(fleet, clock, TRAVEL, heavy.id, jan.id, FRIDAY_1645.date(),
                  FRIDAY_1645 + timedelta(hours=1), None, OPEN_SATURDAY)  # fmt: skip


def test_one_technician_whose_day_cannot_start_holds_up_nobody(fleet, clock) -> None:
    jan, sofie = technician(fleet, "cpo-jan"), technician(fleet, "cpo-sofie")
    with fleet:
        fleet.calendars.set_pattern(sofie.id, WEEK, clock.now())
        fleet.commit()
    first, second = quoted(fleet, clock).ticket, quoted(fleet, clock).ticket
    for ticket, tech in ((first, jan), (second, sofie)):
        s = next(x for x in offered(fleet, clock, ticket, OPEN_SATURDAY) if x.day == SATURDAY)
        book_slot(fleet, clock, TRAVEL, ticket.id, tech.id, SATURDAY, s.window.start, None,
                  OPEN_SATURDAY)  # fmt: skip
    planned = get_ticket(fleet, first.id).ticket.visit
    assert planned is not None
    with fleet:  # Jan's Saturday ticket also sits on his live route: his day cannot start
        route = fleet.routes.get(jan.id)
        route.book(planned, 0, clock.now(), None)
        fleet.routes.save(route)
        fleet.commit()
    clock.set(datetime(2026, 12, 5, 7, 30, tzinfo=BRUSSELS))
    started = start_day(fleet, clock)
    assert started.visits_live == 1  # Sofie's day started all the same
    assert [v.ticket_id for v in get_route(fleet, sofie.id).stops] == [second.id]
