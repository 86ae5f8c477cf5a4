"""Nobody works now: a new ticket is booked into the next morning (issue 13's demo
data: real weekly patterns, and `make run` at any hour)."""

from __future__ import annotations

from datetime import datetime, time

from builders import BRUSSELS, TRAVEL, new_ticket
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.calendar import Hours, Lunch
from dispatch.domain.model import TicketStatus
from dispatch.services.first_slot import book_first_slot
from dispatch.services.seed import seed_fleet, seed_skills, seed_tickets
from dispatch.services.seed_calendars import pattern_of, seed_calendars
from dispatch.services.tickets import create_ticket, get_ticket
from fixtures import load_json

ZONE = "Europe/Brussels"
FRIDAY_2100 = datetime(2026, 12, 4, 21, 0, tzinfo=BRUSSELS)


def demo_week(clock: FakeClock) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    seed_skills(uow, load_json("skills.json"))
    fleet = load_json("demo_fleet.json")
    seed_fleet(uow, clock, fleet)
    assert seed_calendars(uow, clock, fleet) == len(fleet["technicians"])
    assert seed_calendars(uow, clock, fleet) == 0  # a second seed keeps them
    return uow


def test_a_week_reads_like_service_hours_with_lunch_where_it_fits() -> None:
    week = pattern_of("tue-fri 10:00-19:00, sat 09:00-13:00", "12:00-13:30 30", ZONE)
    lunch = Lunch(time(12, 0), time(13, 30), 30)
    assert week.days == {1: Hours(time(10), time(19), lunch), 2: Hours(time(10), time(19), lunch),
                         3: Hours(time(10), time(19), lunch), 4: Hours(time(10), time(19), lunch),
                         5: Hours(time(9), time(13))}  # fmt: skip


def test_at_nine_in_the_evening_the_ticket_is_booked_for_saturday_morning() -> None:
    clock = FakeClock(FRIDAY_2100)
    uow = demo_week(clock)
    with uow:  # the day start followed the calendars: nobody is on shift now
        assert all(t.shift.end <= clock.now() for t in uow.technicians.all())
    created = create_ticket(uow, clock, TRAVEL, new_ticket())
    assert created.ticket.visit is None  # nobody today ...
    booked = book_first_slot(uow, clock, TRAVEL, created.ticket.id, ZONE)
    assert booked is not None  # ... so the first slot: Saturday 09:00-11:00
    start = booked.window.start.astimezone(BRUSSELS)
    assert (start.date().isoformat(), start.time()) == ("2026-12-05", time(9, 0))
    view = get_ticket(uow, created.ticket.id)
    assert view.ticket.status == TicketStatus.ASSIGNED and view.technician is not None
    assert "cable_release" in view.technician.skills


def test_the_demo_seeded_at_night_books_every_ticket_for_a_later_morning() -> None:
    clock = FakeClock(FRIDAY_2100)
    uow = demo_week(clock)
    tickets = load_json("demo_tickets.json")
    assigned, total = seed_tickets(uow, clock, TRAVEL, tickets, zone=ZONE)
    assert total == len(tickets) and assigned == total  # every one with a later morning
    first, last = clock.now().date(), clock.now().date().replace(day=11)
    with uow:
        ids = [t.id for t in uow.technicians.all()]
        plans = uow.day_plans.plans(ids, first, last).values()
    assert sum(len(p.appointments) for p in plans) == assigned
