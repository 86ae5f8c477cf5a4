"""A new job in a planned day: windows, the shift end, the lunch break, other promises."""

import random

from solver.day_slots import (
    Booked,
    Lunch,
    PlannedDay,
    best_fit,
    cheapest_keeping,
    fits,
    schedule,
)

H, M = 3600, 60


def at(h: float) -> int:
    return int(h * H)


LUNCH = Lunch(at(12), at(13.5), 30 * M)


def day(*stops: Booked, lunch: Lunch | None = LUNCH, legs: list[int] | None = None) -> PlannedDay:
    return PlannedDay(1, at(8), at(17), lunch, stops, legs or [5 * M] * len(stops))


def job(open_h: float, close_h: float, service_min: int = 60) -> Booked:
    return Booked(99, service_min * M, at(open_h), at(close_h))


def test_an_empty_day_takes_a_job_in_any_window_it_can_reach() -> None:
    [fit] = fits(day(), job(10, 12), [30 * M], [])
    assert fit.arrival_s == at(8.5) and fit.keeps_promises and fit.added_travel_s == 30 * M
    assert fits(day(), job(8, 8.25), [30 * M], []) == []  # cannot be there by 08:15


def test_the_shift_end_is_hard() -> None:
    assert fits(day(lunch=None), job(16.5, 17, service_min=60), [30 * M], []) == []
    assert fits(day(lunch=None), job(16, 17, service_min=60), [30 * M], []) != []  # 17:00 ok


def test_lunch_is_taken_where_there_is_room_and_never_skipped() -> None:
    busy = Booked(1, 60 * M, at(11), at(12))  # 11:00-12:00 on site
    # straight after it the job would start at 12:05; lunch must fit before 13:30 too
    tight = fits(day(busy), job(12, 12 + 10 / 60), [5 * M, 5 * M], [5 * M])
    kept = [f.position for f in tight if f.keeps_promises]
    assert kept == []  # 12:05 + 60 min leaves no lunch before 13:30; before it breaks 11:00
    later = fits(day(busy), job(12, 12 + 40 / 60), [5 * M, 5 * M], [5 * M])
    kept = [(f.position, f.arrival_s) for f in later if f.keeps_promises]
    assert kept == [(1, at(12.5) + 5 * M)]  # lunch 12:00-12:30 first, then the job


def test_a_day_without_room_for_lunch_has_no_schedule() -> None:
    full = Booked(1, 8 * H, at(8), at(8.5))  # on site 08:05-16:05
    assert schedule(day(full), [5 * M], [full]) is None
    assert schedule(day(full, lunch=None), [5 * M], [full]) == [at(8) + 5 * M]


def test_a_job_before_a_tight_promise_is_offered_only_as_breaking_it() -> None:
    tight = Booked(1, 30 * M, at(9), at(9.25))  # promised 09:00-09:15
    options = fits(day(tight, legs=[60 * M]), job(8, 10, service_min=60), [10 * M, 10 * M],
                   [10 * M])  # fmt: skip
    first = next(f for f in options if f.position == 0)
    assert not first.keeps_promises and first.arrivals_after_s[0] > tight.close_s
    best = best_fit(day(tight, legs=[60 * M]), job(8, 10, service_min=60), [10 * M, 10 * M],
                    [10 * M])  # fmt: skip
    assert best is not None and best.position == 1 and best.keeps_promises


def test_lunch_fits_in_the_wait_for_an_afternoon_window() -> None:
    [fit] = fits(day(), job(14, 16), [0], [])  # from home, nothing else that day
    assert fit.arrival_s == at(12.5)  # lunch 12:00-12:30, then there (and wait until 14:00)


def test_the_fast_search_finds_what_trying_every_position_finds() -> None:
    """``cheapest_keeping`` (slots at fleet scale) must agree with the full scan on
    random days, with and without a bound to beat."""
    rng, found = random.Random(7), 0
    for _ in range(400):
        n = rng.randint(0, 8)
        t, stops = at(8), []
        for k in range(n):
            t += rng.randint(5, 40) * M
            open_ = at(8) + (t - at(8)) // (2 * H) * 2 * H
            stops.append(Booked(k, rng.randint(15, 60) * M, open_, open_ + 2 * H))
            t += stops[-1].service_s
        legs = [rng.randint(3, 30) * M for _ in stops]
        d = day(*stops, legs=legs, lunch=rng.choice([LUNCH, None]))
        start = rng.choice([8, 10, 12, 14])
        new = job(start, start + 2, service_min=rng.randint(15, 90))
        to = [rng.randint(2, 40) * M for _ in range(n + 1)]
        back = [rng.randint(2, 40) * M for _ in range(n)]
        full = [f for f in fits(d, new, to, back) if f.keeps_promises]
        want = min(full, key=lambda f: (f.added_travel_s, f.arrival_s), default=None)
        got = cheapest_keeping(d, new, to, back)
        assert got == want
        found += want is not None
        if want is not None:
            assert cheapest_keeping(d, new, to, back, below_s=want.added_travel_s) is None
            assert cheapest_keeping(d, new, to, back, below_s=want.added_travel_s + 1) == want
    assert found > 100  # the check ran on days that take the job, not only on empty answers
