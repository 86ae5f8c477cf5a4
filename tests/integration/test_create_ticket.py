import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from dispatch.domain.errors import Conflict, InvalidInput
from dispatch.domain.model import Customer, GeoPoint, Priority, TicketStatus, TimeWindow
from dispatch.services.routes import get_route
from dispatch.services.tickets import NewTicket, create_ticket, get_ticket
from dispatch.store.engine import session_factory
from dispatch.store.uow import SqlUnitOfWork

JAN_HOME = GeoPoint(51.0740, 4.2880)  # cpo-jan, on shift 07:00-16:00


def new(skills=("cable_release",), where=JAN_HOME, minutes=30, window=None) -> NewTicket:
    return NewTicket(
        customer=Customer("An Aerts", "+32 470 000000", "an@example.org", "nl"),
        location=where,
        kind="cable_stuck",
        skills=frozenset(skills),
        service=timedelta(minutes=minutes),
        priority=Priority.URGENT,
        window=window,
    )


def test_the_nearest_technician_with_the_skills_gets_the_visit(fleet, clock, travel, backend):
    created = create_ticket(fleet, clock, travel, new())
    assert created.ticket.status == TicketStatus.ASSIGNED
    assert created.technician is not None
    assert created.technician.code == "cpo-jan"
    visit = created.ticket.visit
    assert visit is not None
    assert visit.window.start <= visit.eta <= visit.window.end
    assert visit.eta >= clock.now()
    route = get_route(fleet, created.technician.id)
    assert [v.ticket_id for v in route.stops] == [created.ticket.id]


def test_skills_rule_out_the_nearest_technician(fleet, clock, travel, backend):
    created = create_ticket(fleet, clock, travel, new(skills=("dc_fast_charger",)))
    assert created.technician is not None
    assert "dc_fast_charger" in created.technician.skills
    assert created.technician.code != "cpo-jan"


def test_second_visit_is_appended_after_the_first(fleet, clock, travel, backend):
    first = create_ticket(fleet, clock, travel, new())
    second = create_ticket(fleet, clock, travel, new())
    assert first.technician and second.technician
    if first.technician.id == second.technician.id:
        assert first.ticket.visit and second.ticket.visit
        assert second.ticket.visit.sequence == first.ticket.visit.sequence + 1
        assert second.ticket.visit.eta >= first.ticket.visit.departs


def test_nobody_on_shift_leaves_the_ticket_unassigned_with_a_reason(fleet, clock, travel, backend):
    created = create_ticket(fleet, clock, travel, new(skills=("delivery", "dc_fast_charger")))
    assert created.ticket.status == TicketStatus.UNASSIGNED
    assert created.ticket.visit is None
    assert "no technician" in (created.ticket.unassigned_reason or "")
    stored = get_ticket(fleet, created.ticket.id)
    assert stored.ticket.unassigned_reason == created.ticket.unassigned_reason


def test_a_requested_window_is_respected(fleet, clock, travel, backend):
    start = clock.now() + timedelta(hours=3)
    created = create_ticket(
        fleet, clock, travel, new(window=TimeWindow(start, start + timedelta(hours=2)))
    )
    visit = created.ticket.visit
    assert visit is not None
    assert start <= visit.eta <= start + timedelta(hours=2)
    assert visit.window.start >= start


def test_unknown_skill_is_refused_and_nothing_is_stored(fleet, clock, travel, backend):
    with pytest.raises(InvalidInput, match="unknown skill"):
        create_ticket(fleet, clock, travel, new(skills=("teleport",)))
    with fleet:
        assert fleet.tickets.list() == []


def test_a_retry_with_the_same_key_returns_the_first_ticket(fleet, clock, travel, backend):
    one = create_ticket(fleet, clock, travel, new(), idempotency_key="call-42")
    two = create_ticket(fleet, clock, travel, new(), idempotency_key="call-42")
    assert two.replayed and two.ticket.id == one.ticket.id
    with fleet:
        assert len(fleet.tickets.list()) == 1
    with pytest.raises(Conflict, match="already used"):
        create_ticket(fleet, clock, travel, new(minutes=60), idempotency_key="call-42")


def test_simultaneous_bookings_never_share_a_route_slot(fleet, engine, clock, travel, backend):
    sessions = session_factory(engine)

    def book(_i: int):
        return create_ticket(SqlUnitOfWork(sessions), clock, travel, new())

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(book, range(8)))
    assert len({r.ticket.id for r in results}) == 8
    for tech in {r.technician.id for r in results if r.technician}:
        stops = get_route(fleet, tech).stops
        sequences = [v.sequence for v in stops]
        assert len(sequences) == len(set(sequences)), sequences
        for before, after in itertools.pairwise(stops):
            assert after.eta >= before.departs


def test_a_night_technician_living_next_door_is_not_sent_in_the_morning(
    fleet, clock, travel, backend
):
    youssef_home = GeoPoint(51.0800, 4.3400)  # cpo-youssef, on call from 22:00
    created = create_ticket(fleet, clock, travel, new(where=youssef_home))
    assert created.technician is not None
    assert created.technician.code != "cpo-youssef"
    assert created.ticket.visit is not None
    assert created.ticket.visit.eta - clock.now() < timedelta(hours=1)
