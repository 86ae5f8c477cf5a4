"""The quote's insertion with a lunch still to take: on a straight road where 1 unit is
a minute of driving, from 11:40 (t=0), lunch 30 minutes between 12:00 and 13:30."""

from dataclasses import replace

from solver.day_schedule import LunchRule
from solver.insertion import LiveRoute, NewJob, Stop, insertions_for_route

MIN = 60
LUNCH = LunchRule(20 * MIN, 110 * MIN, 30 * MIN)  # 12:00-13:30 as seconds from 11:40


def at(x: float) -> tuple[float, float]:
    return (0.0, float(x))


def one_stop(lunch: LunchRule | None = LUNCH, shift_end_s: int = 8 * 3600) -> LiveRoute:
    """A 30-minute job ten minutes away (reached 11:50, done 12:20)."""
    stop = Stop(id=7, location=at(10), service_s=30 * MIN, earliest_s=0, promise_end_s=90 * MIN)
    return LiveRoute(1, at(0), 0, shift_end_s, [stop], [10 * MIN], lunch)


def options(r: LiveRoute, job: NewJob) -> dict[int, object]:
    points = [r.start] + [s.location for s in r.stops]
    to_job = [int(abs(p[1] - job.location[1]) * MIN) for p in points]
    from_job = [int(abs(job.location[1] - s.location[1]) * MIN) for s in r.stops]
    return {o.position: o for o in insertions_for_route(r, job, to_job, from_job)}


def test_a_job_after_the_lunch_is_reached_after_it() -> None:
    job = NewJob(at(20), 20 * MIN)
    plain, lunched = options(one_stop(None), job)[1], options(one_stop(), job)[1]
    assert plain.arrival_s == 50 * MIN  # 12:30
    assert lunched.arrival_s == 80 * MIN  # lunch 12:20-12:50, then ten minutes: 13:00
    assert lunched.start_s == 80 * MIN and lunched.added_travel_s == plain.added_travel_s
    assert lunched.after_lunch and not plain.after_lunch  # the quote says so


def test_the_stop_behind_a_new_job_is_pushed_by_the_job_and_the_lunch() -> None:
    job = NewJob(at(5), 20 * MIN)  # first, five minutes away: 11:45-12:05
    first = options(one_stop(), job)[0]
    assert not first.after_lunch
    (shift,) = first.shifted
    # before: reached 11:50 (lunch after it); now lunch at 12:05 and the stop at 12:40
    assert (shift.old_arrival_s, shift.new_arrival_s) == (10 * MIN, 60 * MIN)
    assert not shift.breaks_promise


def test_lunch_waits_until_after_a_job_whose_window_would_close() -> None:
    job = NewJob(at(20), 20 * MIN, latest_s=55 * MIN)  # must be begun by 12:35
    o = options(one_stop(), job)[1]
    assert o.arrival_s == 50 * MIN  # 12:30, lunch after it (12:50-13:20)
    assert not o.after_lunch


def test_no_position_where_the_lunch_pushes_the_day_past_its_end() -> None:
    job = NewJob(at(20), 20 * MIN)
    # plain, the job ends 12:50; with lunch 13:20: a shift ending 13:00 fits only plain
    assert 1 in options(one_stop(None, shift_end_s=80 * MIN), job)
    assert 1 not in options(one_stop(shift_end_s=80 * MIN), job)


def test_a_lunch_that_fits_nowhere_times_the_route_plain() -> None:
    # a 30-minute lunch that must be over by 12:05 while he works until 12:20 and more
    tight = replace(LUNCH, earliest_s=0, latest_s=25 * MIN)
    job = NewJob(at(20), 20 * MIN)
    assert options(one_stop(tight), job)[1].arrival_s == 50 * MIN
