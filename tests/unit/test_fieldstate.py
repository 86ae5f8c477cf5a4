import random
from datetime import UTC, datetime, timedelta

import pytest

from dispatch.domain.fieldstate import (
    Activity,
    EventType,
    FieldEvent,
    ImpossibleTransition,
    replay,
)
from dispatch.domain.model import GeoPoint, VisitStatus

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def ev(n: int, kind: str, minute: int, ticket=None, **kw) -> FieldEvent:
    return FieldEvent(
        f"e{n}", EventType(kind), T0 + timedelta(minutes=minute), ticket_id=ticket, **kw
    )


def a_day() -> list[FieldEvent]:
    """Three visits, a break, positions in between, a delay and a breakdown."""
    events = []
    minute = 0
    n = 0
    for ticket in (1, 2, 3):
        for kind in ("en_route", "position", "arrived", "started", "completed"):
            n += 1
            pos = GeoPoint(51.07 + n / 1000, 4.29) if kind == "position" else None
            events.append(ev(n, kind, minute, ticket if kind != "position" else None, position=pos))
            minute += 7
        if ticket == 1:
            events += [ev(100, "break_start", minute), ev(101, "break_end", minute + 30)]
            minute += 31
    events.append(ev(200, "delayed", minute, delay=timedelta(minutes=25)))
    events.append(ev(201, "breakdown", minute + 1, delay=timedelta(minutes=90)))
    return events


def test_replay_ignores_order_and_repeats():
    events = a_day()
    expected = replay(events)
    for seed in range(5):
        shuffled = events * 2
        random.Random(seed).shuffle(shuffled)
        assert replay(shuffled) == expected
    assert expected.visits == {t: VisitStatus.COMPLETED for t in (1, 2, 3)}
    assert expected.activity == Activity.BROKEN_DOWN
    assert expected.back_at == expected.since + timedelta(minutes=90)
    assert expected.delay == timedelta(minutes=25)


def test_completing_a_visit_never_started_names_the_state():
    with pytest.raises(ImpossibleTransition, match="never started; the technician was driving"):
        replay([ev(1, "en_route", 0, 7), ev(2, "completed", 5, 7)])


def test_starting_a_second_visit_while_one_is_open_is_refused():
    with pytest.raises(ImpossibleTransition, match=r"second visit.*working \(ticket 1\)"):
        replay([ev(1, "started", 0, 1), ev(2, "started", 5, 2)])


def test_a_finished_visit_cannot_be_reopened():
    with pytest.raises(ImpossibleTransition, match="already completed"):
        replay([ev(1, "started", 0, 1), ev(2, "completed", 5, 1), ev(3, "arrived", 9, 1)])


def test_rerouting_puts_the_abandoned_visit_back_to_planned():
    s = replay([ev(1, "en_route", 0, 1), ev(2, "en_route", 3, 2)])
    assert s.visits == {1: VisitStatus.PLANNED, 2: VisitStatus.EN_ROUTE}
    assert s.activity == Activity.DRIVING and s.ticket_id == 2


def test_a_failed_visit_frees_the_technician():
    s = replay([ev(1, "arrived", 0, 1), ev(2, "failed", 10, 1, note="no access")])
    assert s.visits[1] == VisitStatus.FAILED and s.activity == Activity.IDLE
