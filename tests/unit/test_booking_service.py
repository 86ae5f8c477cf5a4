"""Creating and booking tickets, as the helpdesk and the customer see it, in memory."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from builders import (
    TRAVEL,
    demo_fleet,
    fill_route,
    kinds_told,
    new_ticket,
    only_on_shift,
    quoted,
    technician,
)
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.errors import Conflict
from dispatch.domain.events import PromiseChanged, VisitBooked
from dispatch.domain.model import GeoPoint, Priority, TicketStatus, TimeWindow
from dispatch.domain.urgency import UrgencyFactors
from dispatch.services.bookings import RouteChangedSinceQuote, book
from dispatch.services.routes import get_route
from dispatch.services.tickets import NewTicket, create_ticket


@pytest.fixture
def fleet(clock: FakeClock) -> FakeUnitOfWork:
    return demo_fleet(clock)


def stops_of(uow: FakeUnitOfWork, code: str) -> list[int]:
    return [v.ticket_id for v in get_route(uow, technician(uow, code).id).stops]


def test_a_new_ticket_is_booked_with_the_nearest_technician_who_has_the_skills(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    created = create_ticket(fleet, clock, TRAVEL, new_ticket())
    assert created.ticket.status == TicketStatus.ASSIGNED
    assert created.technician is not None and created.technician.code == "cpo-jan"
    visit = created.ticket.visit
    assert visit is not None
    assert clock.now() <= visit.eta and visit.window.start <= visit.eta <= visit.window.end
    assert stops_of(fleet, "cpo-jan") == [created.ticket.id]
    assert kinds_told(fleet, created.ticket.id) == [VisitBooked.kind]


def test_a_skill_the_nearest_technician_lacks_sends_someone_else(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    created = create_ticket(fleet, clock, TRAVEL, new_ticket(skills=("dc_fast_charger",)))
    assert created.technician is not None
    assert created.technician.code != "cpo-jan"
    assert "dc_fast_charger" in created.technician.skills


def test_a_second_booking_lands_after_the_first_with_a_higher_sequence(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    ids = fill_route(fleet, clock, "cpo-jan", 3)
    stops = get_route(fleet, technician(fleet, "cpo-jan").id).stops
    assert [v.ticket_id for v in stops] == ids
    for before, after in pairwise(stops):
        assert after.sequence > before.sequence
        assert after.eta >= before.departs


def at_jans_door_now(clock: FakeClock, priority: Priority, **factors: Any) -> NewTicket:
    """90 minutes of work at Jan's door that must start within 15 minutes."""
    now = clock.now()
    return new_ticket(minutes=90, priority=priority,
                      window=TimeWindow(now, now + timedelta(minutes=15)),
                      factors=UrgencyFactors(**factors))  # fmt: skip


def test_an_urgent_case_with_property_at_risk_pushes_a_normal_visit_and_tells_that_customer(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    only_on_shift(fleet, clock, "cpo-jan")
    (normal,) = fill_route(fleet, clock, "cpo-jan", 1)
    promised = get_route(fleet, technician(fleet, "cpo-jan").id).stops[0]

    urgent_case = at_jans_door_now(clock, Priority.URGENT, property_at_risk=True)
    urgent = create_ticket(fleet, clock, TRAVEL, urgent_case)

    assert urgent.ticket.status == TicketStatus.ASSIGNED
    assert stops_of(fleet, "cpo-jan") == [urgent.ticket.id, normal]
    pushed = get_route(fleet, technician(fleet, "cpo-jan").id).stops[1]
    assert pushed.eta > promised.window.end  # past what the customer was told
    assert pushed.window.start <= pushed.eta <= pushed.window.end  # told anew
    with fleet:
        changes = [(t, p) for k, t, p in fleet.outbox.all() if k == PromiseChanged.kind]
        booked = [t for k, t, _ in fleet.outbox.all() if k == VisitBooked.kind]
    assert [t for t, _ in changes] == [normal]
    payload = changes[0][1]
    assert payload["old_window"] == [promised.window.start.isoformat(),
                                     promised.window.end.isoformat()]  # fmt: skip
    assert payload["new_window"] == [pushed.window.start.isoformat(), pushed.window.end.isoformat()]
    assert payload["new_eta"] == pushed.eta.isoformat()
    assert payload["pushed_by_ticket"] == urgent.ticket.id
    assert payload["promise_version"] == 2
    assert booked == [normal, urgent.ticket.id]


def test_a_normal_ticket_never_pushes_anyone(fleet: FakeUnitOfWork, clock: FakeClock) -> None:
    only_on_shift(fleet, clock, "cpo-jan")
    ids = fill_route(fleet, clock, "cpo-jan", 1)
    created = create_ticket(fleet, clock, TRAVEL, at_jans_door_now(clock, Priority.NORMAL))
    assert created.ticket.status == TicketStatus.UNASSIGNED
    assert created.ticket.unassigned_reason
    assert stops_of(fleet, "cpo-jan") == ids
    assert kinds_told(fleet, ids[0]) == [VisitBooked.kind]
    assert kinds_told(fleet, created.ticket.id) == []


def test_a_stale_route_version_is_refused_with_fresh_candidates(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    first, second = quoted(fleet, clock), quoted(fleet, clock)
    assert second.quote is not None
    jan = next(c for c in second.quote.candidates if c.technician.code == "cpo-jan")
    book(fleet, clock, TRAVEL, first.ticket.id, jan.technician.id)

    with pytest.raises(RouteChangedSinceQuote, match="changed since the quote") as refused:
        book(fleet, clock, TRAVEL, second.ticket.id, jan.technician.id, jan.route_version)

    fresh = next(c for c in refused.value.fresh.candidates if c.technician.id == jan.technician.id)
    assert fresh.route_version == jan.route_version + 1
    assert stops_of(fleet, "cpo-jan") == [first.ticket.id]  # nothing landed on the old plan
    again = book(fleet, clock, TRAVEL, second.ticket.id, jan.technician.id, fresh.route_version)
    assert again.booking is not None
    assert stops_of(fleet, "cpo-jan") == [first.ticket.id, second.ticket.id]


def test_booking_twice_books_once_and_another_technician_is_refused(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    created = quoted(fleet, clock)
    jan, fatima = technician(fleet, "cpo-jan"), technician(fleet, "cpo-fatima")
    first = book(fleet, clock, TRAVEL, created.ticket.id, jan.id)
    repeat = book(fleet, clock, TRAVEL, created.ticket.id, jan.id)
    assert first.booking is not None and repeat.booking is None
    assert repeat.ticket.visit == first.booking.visit
    with pytest.raises(Conflict, match="already booked"):
        book(fleet, clock, TRAVEL, created.ticket.id, fatima.id)
    assert stops_of(fleet, "cpo-jan") == [created.ticket.id]
    assert kinds_told(fleet, created.ticket.id) == [VisitBooked.kind]


def test_a_retried_create_with_the_same_key_gives_the_same_ticket(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    first = create_ticket(fleet, clock, TRAVEL, new_ticket(), idempotency_key="req-1")
    retry = create_ticket(fleet, clock, TRAVEL, new_ticket(), idempotency_key="req-1")
    assert retry.replayed and not first.replayed
    assert retry.ticket.id == first.ticket.id
    assert retry.ticket.visit == first.ticket.visit
    with fleet:
        assert [t.id for t in fleet.tickets.list()] == [first.ticket.id]
    other = new_ticket(where=GeoPoint(51.08, 4.29))
    with pytest.raises(Conflict, match="already used for a different ticket"):
        create_ticket(fleet, clock, TRAVEL, other, idempotency_key="req-1")
