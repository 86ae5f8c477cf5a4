"""The simulated technicians' lunch habit (``simulator/lunch.py``): in the window, where
the plan leaves room before the next customer, or at the last boundary that can."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from builders import MORNING, visit

from dispatch.domain.model import LunchBreak
from simulator.lunch import eats_now

MIN = timedelta(minutes=1)
NOON = MORNING.replace(hour=12)
LUNCH = LunchBreak(NOON, NOON + 90 * MIN, 30 * MIN)


def test_not_before_the_window_nor_twice_nor_where_it_would_end_too_late() -> None:
    roomy = visit(1, 1, NOON + 2 * 60 * MIN)  # the next customer at 14:00, 10 min away
    assert not eats_now(LUNCH, False, NOON - MIN, roomy)
    assert eats_now(LUNCH, False, NOON, roomy)
    assert not eats_now(LUNCH, True, NOON, roomy)
    assert not eats_now(LUNCH, False, NOON + 61 * MIN, roomy)  # would end after 13:30
    assert not eats_now(None, False, NOON, roomy)


def test_where_the_plan_has_room_for_it_and_otherwise_only_at_the_last_chance() -> None:
    at = NOON + 5 * MIN
    tight = visit(1, 1, at + 10 * MIN, minutes=30)  # reached at once: no room
    assert not eats_now(LUNCH, False, at, tight)  # after it (12:45) it still fits
    room = replace(tight, eta=at + 10 * MIN + 25 * MIN)  # 25 idle minutes: room, less 5
    assert eats_now(LUNCH, False, at, room)
    late = at + 35 * MIN  # 12:40: after the next job (12:50-13:20) it would not fit
    assert eats_now(LUNCH, False, late, replace(tight, eta=late + 10 * MIN))
    assert eats_now(LUNCH, False, at, None)  # nothing to drive to: eat now
