"""The day's error model follows each arrival without reading the day again, counts a
re-settled ticket once, and sees other processes' arrivals at the next whole read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes import FakeUnitOfWork

from dispatch.services import error_models
from dispatch.services.error_models import FRESH, day_model

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def predicted(uow: FakeUnitOfWork, ticket: int) -> None:
    """Two predictions of ``ticket``: 20 min (bucket 1) and 45 min (bucket 2) ahead."""
    uow.predictions.record_many([(ticket, 1, 1, NOW, NOW + 20 * MIN, 600),
                                 (ticket, 1, 2, NOW - 25 * MIN, NOW + 20 * MIN, 900)])  # fmt: skip


def arrives(uow: FakeUnitOfWork, ticket: int, late_min: int, tell: bool = True) -> None:
    uow.predictions.settle(ticket, NOW + (20 + late_min) * MIN)
    if tell:  # settled by this process (``record_events``), not by another one
        error_models.settled(uow, ticket)


def test_each_arrival_joins_the_model_once_and_others_at_the_next_whole_read() -> None:
    uow = FakeUnitOfWork()
    with uow:
        for t in (1, 2, 3, 4):
            predicted(uow, t)
        arrives(uow, 1, 5)
        first = day_model(uow, NOW)
        assert (first.observations(1), first.observations(2)) == (1, 1)

        arrives(uow, 2, 10)
        second = day_model(uow, NOW + MIN)
        assert second.observations(1) == 2
        # 10 minutes late against a 10-minute default widens the 20-minute horizon
        assert second.half_width(20 * MIN, 0) > first.half_width(20 * MIN, 0)

        error_models.settled(uow, 2)  # a retried transaction settles it again
        assert day_model(uow, NOW + 2 * MIN).observations(1) == 2

        arrives(uow, 3, 0, tell=False)  # settled by another process
        assert day_model(uow, NOW + 3 * MIN).observations(1) == 2
        assert day_model(uow, NOW + FRESH + MIN).observations(1) == 3


def test_an_arrival_not_yet_visible_joins_when_it_is_and_a_whole_read_counts_once() -> None:
    uow = FakeUnitOfWork()
    with uow:
        for t in (1, 2):
            predicted(uow, t)
        arrives(uow, 1, 5)
        assert day_model(uow, NOW).observations(1) == 1
        error_models.settled(uow, 2)  # told before its transaction's rows are visible
        assert day_model(uow, NOW + MIN).observations(1) == 1
        arrives(uow, 2, 5, tell=False)  # now they are
        assert day_model(uow, NOW + 2 * MIN).observations(1) == 2
        error_models.settled(uow, 1)  # already in the whole read: not added again
        assert day_model(uow, NOW + 3 * MIN).observations(1) == 2
