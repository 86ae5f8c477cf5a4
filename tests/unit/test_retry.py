"""Optimistic writes that lost a race try again, by the injected clock."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta

import pytest
from builders import MORNING, TRAVEL, demo_fleet, new_ticket, quoted, technician
from fakes import FakeData, FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.errors import Conflict, InvalidInput, StaleRoute
from dispatch.domain.events import VisitBooked
from dispatch.domain.route import Route
from dispatch.services.bookings import RouteChangedSinceQuote, book
from dispatch.services.retry import BACKOFF_S, MAX_ATTEMPTS, with_retries
from dispatch.services.tickets import create_ticket
from dispatch.store.ports import DuplicateKey


@pytest.fixture
def real_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every real ``time.sleep`` asked for (the fake clock only yields, with 0)."""
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


class Flaky:
    """Raises ``error`` the first ``failures`` times it is called, then answers."""

    def __init__(self, failures: int, error: type[Exception] = StaleRoute) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("lost the race")
        return "done"


def test_a_lost_race_is_retried_on_the_fake_clock_without_real_waiting(
    clock: FakeClock, real_sleeps: list[float]
) -> None:
    flaky = Flaky(failures=3)
    assert with_retries(flaky, clock, "booking") == "done"
    assert flaky.calls == 4
    waited = clock.now() - MORNING
    assert timedelta(0) < waited <= timedelta(seconds=BACKOFF_S * (1 + 2 + 3))
    assert real_sleeps == [0, 0, 0]


def test_every_attempt_lost_gives_up_with_a_conflict(
    clock: FakeClock, real_sleeps: list[float]
) -> None:
    flaky = Flaky(failures=1000)
    with pytest.raises(Conflict, match="the routes kept changing while booking; please retry"):
        with_retries(flaky, clock, "booking", attempts=5)
    assert flaky.calls == 5
    assert set(real_sleeps) == {0}


def test_other_errors_are_not_retried_and_retry_on_chooses(clock: FakeClock) -> None:
    bad_input = Flaky(failures=1, error=InvalidInput)
    with pytest.raises(InvalidInput):
        with_retries(bad_input, clock, "booking")
    assert bad_input.calls == 1 and clock.now() == MORNING
    taken = Flaky(failures=2, error=DuplicateKey)
    assert with_retries(taken, clock, "booking", retry_on=(StaleRoute, DuplicateKey)) == "done"


class LosingRaces(FakeUnitOfWork):
    """Someone else saves the same route just before each of our first ``losses`` saves."""

    def __init__(self, data: FakeData, losses: int) -> None:
        self.losses = losses
        super().__init__(data)

    def rollback(self) -> None:
        super().rollback()
        working, save_all = self.working, self.routes.save_all

        def racing(routes: Sequence[Route]) -> list[Route]:
            if self.losses > 0:
                self.losses -= 1
                for r in routes:  # their commit lands first
                    self.committed.versions[r.technician_id] += 1
                    working.versions[r.technician_id] += 1
            return save_all(routes)

        self.routes.save_all = racing  # type: ignore[method-assign]


def booked_visits(uow: FakeUnitOfWork) -> list[int | None]:
    with uow:
        return [t for k, t, _ in uow.outbox.all() if k == VisitBooked.kind]


def test_a_booking_that_lost_a_race_is_retried_and_lands_once(
    clock: FakeClock, real_sleeps: list[float]
) -> None:
    uow = LosingRaces(demo_fleet(clock).committed, losses=2)
    created = create_ticket(uow, clock, TRAVEL, new_ticket())
    assert created.ticket.visit is not None and uow.losses == 0
    assert booked_visits(uow) == [created.ticket.id]
    assert clock.now() > MORNING and set(real_sleeps) == {0}


def test_a_booking_that_always_loses_gives_up_and_stores_nothing(
    clock: FakeClock, real_sleeps: list[float]
) -> None:
    uow = LosingRaces(demo_fleet(clock).committed, losses=MAX_ATTEMPTS)
    with pytest.raises(Conflict, match="kept changing"):
        create_ticket(uow, clock, TRAVEL, new_ticket())
    with uow:
        assert uow.tickets.list() == [] and uow.outbox.all() == []
    assert len(real_sleeps) == MAX_ATTEMPTS


def test_a_booking_refused_after_a_lost_race_offers_candidates_that_can_be_booked(
    clock: FakeClock,
) -> None:
    base = demo_fleet(clock)
    created = quoted(base, clock)
    jan = technician(base, "cpo-jan")
    assert created.quote is not None
    seen = next(c for c in created.quote.candidates if c.technician.id == jan.id)
    uow = LosingRaces(base.committed, losses=1)
    with pytest.raises(RouteChangedSinceQuote) as refused:
        book(uow, clock, TRAVEL, created.ticket.id, jan.id, seen.route_version)
    fresh = next(c for c in refused.value.fresh.candidates if c.technician.id == jan.id)
    booked = book(uow, clock, TRAVEL, created.ticket.id, jan.id, fresh.route_version)
    assert booked.booking is not None and booked.ticket.visit is not None
