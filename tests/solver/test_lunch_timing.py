"""The plan being driven, timed with its lunch (``solver.model.lunch_timing``): the
replan compares its answer with it, so a promise the lunch breaks must show as late,
and one the lunch can be fitted around must not."""

import numpy as np

from solver.model import Break, Pins, Problem, Vehicle, Visit, Window
from solver.model.timing import slips_in

MIN = 60


def day(lunch_from: int, lunch_to: int) -> Problem:
    """One van at 0; a 10-minute job one minute away, promised by minute 20."""
    d = (np.abs(np.arange(2)[:, None] - np.arange(2)[None, :]) * MIN).astype(np.int64)
    van = Vehicle("v", 0, 0, 0, 8 * 3600, breaks=(Break(30 * MIN, Window(lunch_from, lunch_to)),))
    job = Visit("a", 1, 10 * MIN, pins=Pins(promise=Window(0, 20 * MIN)))
    return Problem([van], [job], d)


def test_a_lunch_that_must_come_first_makes_the_promise_late() -> None:
    slips = slips_in(day(0, 0), {"v": ["a"]})  # lunch 0-30 min, the door at 31
    assert slips.late_by == {"a": 11 * MIN}


def test_a_lunch_that_can_wait_is_taken_after_the_job() -> None:
    slips = slips_in(day(0, 60 * MIN), {"v": ["a"]})
    assert slips.late == set() and slips.overtime == {}
