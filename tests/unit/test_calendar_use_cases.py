"""Calendar use cases on the fake unit of work: a change that touches today moves
today's shift, and a technician off today hands back the work he has not started."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from builders import MORNING, TRAVEL, demo_fleet, fill_route, kinds_told, only_on_shift, technician

from dispatch.clock import FakeClock
from dispatch.domain.calendar import DateException, DayKind, Hours, WeeklyPattern
from dispatch.domain.errors import Conflict, NotFound
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.model import TicketStatus, VisitStatus
from dispatch.services.backlog import assign_waiting
from dispatch.services.calendars import add_exception, calendar, delete_exception, set_pattern
from dispatch.services.routes import get_route

ZONE = "Europe/Brussels"
TODAY = MORNING.date()  # Tuesday 24 November 2026
OFFICE = Hours(time(8, 0), time(17, 0))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING)


def test_sick_today_releases_the_planned_visits_and_ends_the_shift(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    ids = fill_route(uow, clock, "cpo-jan", 3)
    jan = technician(uow, "cpo-jan")
    with uow:  # he is already driving to the first one
        route = uow.routes.get(jan.id)
        route.set_status(ids[0], VisitStatus.EN_ROUTE, MORNING)
        uow.routes.save(route)
        uow.technicians.set_field_state(jan.id, FieldState(Activity.DRIVING, ids[0]))
        uow.commit()
    stored, today = add_exception(uow, clock, jan.id, DateException(TODAY, DayKind.SICK), ZONE)
    assert stored.id is not None and today.released == ids[1:] and today.kept == ids[:1]
    assert [v.ticket_id for v in get_route(uow, jan.id).stops] == ids[:1]
    with uow:
        for t in ids[1:]:
            ticket = uow.tickets.get(t)
            assert ticket is not None and ticket.status == TicketStatus.UNASSIGNED
        assert technician(uow, "cpo-jan").shift.end <= MORNING  # not bookable today


def test_other_hours_today_move_the_shift_and_keep_the_route(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    ids = fill_route(uow, clock, "cpo-jan", 2)
    short = DateException(TODAY, DayKind.HOURS, Hours(time(9, 0), time(13, 0)))
    _, today = add_exception(uow, clock, jan.id, short, ZONE)
    assert today.shift is not None and today.released == []
    assert today.shift.end.astimezone(MORNING.tzinfo).time() == time(13, 0)
    assert [v.ticket_id for v in get_route(uow, jan.id).stops] == ids


def test_an_exception_for_another_day_leaves_today_alone(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    before = jan.shift
    _, today = add_exception(uow, clock, jan.id, DateException(TODAY + timedelta(days=1),
                                                               DayKind.OFF), ZONE)  # fmt: skip
    assert today.shift is None and technician(uow, "cpo-jan").shift == before


def test_a_pattern_without_today_sends_him_home(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    ids = fill_route(uow, clock, "cpo-jan", 1)
    weekend = WeeklyPattern(ZONE, {5: OFFICE, 6: OFFICE})  # Saturdays and Sundays only
    today = set_pattern(uow, clock, jan.id, weekend)
    assert today.released == ids
    cal = calendar(uow, jan.id, TODAY, TODAY + timedelta(days=6), ZONE)
    assert [d.working for d in cal.days] == [False, False, False, False, True, True, False]
    assert cal.pattern == weekend


def test_without_a_pattern_today_is_the_stored_shift(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    cal = calendar(uow, jan.id, TODAY - timedelta(days=1), TODAY + timedelta(days=1), ZONE)
    assert cal.pattern is None
    assert [(d.source, d.shift) for d in cal.days] == [
        ("pattern", None), ("shift", jan.shift), ("pattern", None),
    ]  # fmt: skip


def test_one_exception_per_date_and_deleting_restores_the_pattern(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    set_pattern(uow, clock, jan.id, WeeklyPattern(ZONE, {d: OFFICE for d in range(5)}))
    stored, _ = add_exception(uow, clock, jan.id, DateException(TODAY, DayKind.OFF), ZONE)
    with pytest.raises(Conflict, match="delete it first"):
        add_exception(uow, clock, jan.id, DateException(TODAY, DayKind.SICK), ZONE)
    assert stored.id is not None
    today = delete_exception(uow, clock, jan.id, stored.id, ZONE)
    assert today.shift is not None and today.shift.contains(MORNING)  # back at work
    with pytest.raises(NotFound):
        delete_exception(uow, clock, jan.id, stored.id, ZONE)


def test_an_unknown_technician_is_not_found(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    with pytest.raises(NotFound):
        calendar(uow, 999, TODAY, TODAY, ZONE)
    with pytest.raises(NotFound):
        add_exception(uow, clock, 999, DateException(date(2026, 12, 1), DayKind.OFF), ZONE)


def test_a_customer_released_and_rebooked_is_told_the_new_booking(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan", "cpo-sofie")  # both release cables
    [ticket] = fill_route(uow, clock, "cpo-jan", 1)
    jan = technician(uow, "cpo-jan")
    add_exception(uow, clock, jan.id, DateException(TODAY, DayKind.SICK), ZONE)
    assert assign_waiting(uow, clock, TRAVEL) == 1  # the backlog gives it to Sofie
    told = kinds_told(uow, ticket)
    assert told.count("VisitBooked") == 2 and told.index("VisitReleased") < len(told) - 1
    with uow:
        versions = [p["promise_version"] for k, p in uow.outbox.for_ticket(ticket)
                    if k == "VisitBooked"]  # fmt: skip
    assert versions == [1, 2]  # the second booking has a key of its own: it reaches her
