"""The technician on the customer's page: roughly where, and only when the visit is next
(issue 17)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import BRUSSELS, demo_fleet, fill_route, only_on_shift, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.model import GeoPoint, VisitStatus
from dispatch.services.tracking import track


@pytest.fixture
def two_booked() -> tuple[FakeUnitOfWork, FakeClock, int, list[str]]:
    clock = FakeClock(datetime(2026, 11, 24, 9, 0, tzinfo=BRUSSELS))
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    ids = fill_route(uow, clock, "cpo-jan", 2)
    with uow:
        tokens = [uow.tickets.get(i).tracking_token for i in ids]  # type: ignore[union-attr]
    return uow, clock, technician(uow, "cpo-jan").id, tokens


def report(uow: FakeUnitOfWork, tech: int, where: GeoPoint, at: datetime) -> None:
    with uow:
        uow.technicians.set_position(tech, where, at)
        uow.commit()


def test_the_next_customer_sees_roughly_where_and_how_far(two_booked):
    uow, clock, jan, (first, second) = two_booked
    report(uow, jan, GeoPoint(51.07456, 4.28012), clock.now())
    seen = track(uow, first, clock.now()).near
    assert seen is not None
    assert (seen.at.lat, seen.at.lon) == (51.07, 4.28)  # about a kilometre, no closer
    assert seen.km == round(seen.km * 2) / 2 and seen.km < 5
    assert track(uow, second, clock.now()).near is None  # somebody else comes first


def test_nothing_without_a_fresh_report_or_a_time(two_booked):
    uow, clock, jan, (first, _) = two_booked
    assert track(uow, first, clock.now()).near is None  # the phone never reported
    report(uow, jan, GeoPoint(51.07, 4.28), clock.now() - timedelta(minutes=31))
    assert track(uow, first, clock.now()).near is None  # quiet for half an hour
    report(uow, jan, GeoPoint(51.07, 4.28), clock.now())
    assert track(uow, first).near is None  # no clock, no judgement of "fresh"
    assert track(uow, first, clock.now()).near is not None


def test_once_the_first_is_done_the_second_sees_the_van(two_booked):
    uow, clock, jan, (first, second) = two_booked
    report(uow, jan, GeoPoint(51.07, 4.28), clock.now())
    with uow:
        route = uow.routes.get(jan)
        first_id = route.open_visits[0].ticket_id
        route.set_status(first_id, VisitStatus.COMPLETED, clock.now())
        uow.routes.save(route)
        uow.commit()
    assert track(uow, second, clock.now()).near is not None
    assert track(uow, first, clock.now()).near is None
