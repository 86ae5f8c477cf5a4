"""Lunch in today's route: customers after it are told a time after it, it is taken
where it costs nothing when it can be, and once taken it is not planned again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from builders import MORNING, tech_at_home, visit

from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.model import LunchBreak, Technician, Visit
from dispatch.services.eta import retime_from, start_of

MIN = timedelta(minutes=1)
NOON = MORNING.replace(hour=12)
NOW = NOON - 20 * MIN  # 11:40
LUNCH = LunchBreak(NOON, NOON + 90 * MIN, 30 * MIN)  # half an hour between 12:00 and 13:30


def with_lunch() -> Technician:
    return replace(tech_at_home(shift_hours=11), lunch=LUNCH)


def three_visits(first_eta: datetime = NOW + 10 * MIN, hw: int = 60) -> list[Visit]:
    """30-minute visits with 10-minute legs: 11:50, 12:30 and 13:10 without lunch."""
    return [visit(10 + k, k + 1, first_eta + 40 * k * MIN, half_width_min=hw) for k in range(3)]


def etas(tech: Technician, visits: list[Visit], state: FieldState) -> list[datetime]:
    start = start_of(tech, visits, state, NOW)
    return [r.eta for r in retime_from(start, 600)]


def test_the_customers_after_lunch_are_told_a_time_after_it() -> None:
    visits = three_visits()
    without = etas(tech_at_home(shift_hours=11), visits, FieldState())
    assert without == [NOW + 10 * MIN, NOW + 50 * MIN, NOW + 90 * MIN]
    # the first job is done at 12:20: lunch there, the second customer is reached at 13:00
    assert etas(with_lunch(), visits, FieldState()) == [NOW + 10 * MIN, NOW + 80 * MIN,
                                                         NOW + 120 * MIN]  # fmt: skip


def test_lunch_is_taken_while_waiting_for_a_window_and_costs_nobody_anything() -> None:
    # the second customer was told 13:00 onwards: he would wait there from 12:30 anyway
    visits = three_visits()
    visits[1] = replace(visits[1], window=replace(visits[1].window, start=NOW + 80 * MIN))
    plain = etas(tech_at_home(shift_hours=11), visits, FieldState())
    assert plain[1] == NOW + 80 * MIN
    assert etas(with_lunch(), visits, FieldState()) == plain


def test_a_lunch_already_taken_today_is_not_planned_again() -> None:
    visits = three_visits()
    done = FieldState(break_ended_at=NOON - 50 * MIN)  # a break at 10:20-10:50 counts
    assert etas(with_lunch(), visits, done) == etas(tech_at_home(shift_hours=11), visits, done)
    # yesterday's break does not
    old = FieldState(break_ended_at=NOON - timedelta(days=1))
    assert etas(with_lunch(), visits, old)[1] == NOW + 80 * MIN


def test_on_a_break_he_is_free_when_a_lunch_has_passed_and_nothing_more_is_planned() -> None:
    visits = three_visits()
    on_break = FieldState(Activity.ON_BREAK, since=NOW - 5 * MIN)  # 11:35, 30 min
    assert start_of(with_lunch(), visits, on_break, NOW).at == NOW + 25 * MIN
    assert etas(with_lunch(), visits, on_break)[:2] == [NOW + 35 * MIN, NOW + 75 * MIN]
    # without a lunch in his calendar a break is taken to last half an hour
    assert start_of(tech_at_home(shift_hours=11), visits, on_break, NOW).at == NOW + 25 * MIN


def test_a_lunch_that_no_longer_fits_its_window_is_not_waited_for() -> None:
    late = NOON + 80 * MIN  # 13:20: half an hour would end after 13:30
    visits = [visit(10, 1, late + 10 * MIN, half_width_min=60)]
    start = start_of(with_lunch(), visits, FieldState(), late)
    assert start.lunch is None
    assert [r.eta for r in retime_from(start, 600)] == [late + 10 * MIN]
